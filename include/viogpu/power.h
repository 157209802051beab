/* SPDX-License-Identifier: MIT */
/*
 * Power states and recovery: D0 <-> D3, and resetting a device that
 * stopped answering, either in one call (vg_gpu_reset; the watchdog in
 * gpu.h and options.auto_recover use the same) or in the two halves
 * Windows runs separately (vg_gpu_take_back now, vg_gpu_restart later, as
 * DxgkDdiResetFromTimeout and DxgkDdiRestartFromTimeout).
 *
 * Ownership: nothing the caller owns changes hands.  Across D3, a reset
 * or a take-back the caller's framebuffers stay valid (their pixels live
 * in driver memory) and are put back on the device by power-up, reset or
 * restart; only the device's copies are lost.
 *
 * Threading: serialized by the caller with every other call on the gpu
 * (gpu.h), as WDDM does for DxgkDdiSetPowerState and the reset DDIs; they
 * wait for the device, so call them where waiting is allowed (os.h's
 * passive context), never from on_display_change.  vg_gpu_power_state and
 * vg_power_reason_str only read: any thread may call them.
 */
#ifndef VIOGPU_POWER_H
#define VIOGPU_POWER_H

#include "viogpu/status.h"
#include "viogpu/types.h"

/*
 * Power.  D0 is working; D3 is off, with the reason the OS gave.
 *
 * Going down (D0 -> D3): presents and all other device calls stop
 * (they return VG_E_POWER from then on), every host resource is released
 * (the device confirms each unref, or the reset that follows takes them
 * back), and the device is reset and its interrupt disconnected.  What is
 * needed to come back is kept: each head's framebuffer and mode, the
 * framebuffers' pixels (they live in driver memory), the cursor image and
 * position.
 *
 * Coming up (D3 -> D0): the transport is re-initialized, the same features
 * renegotiated, and resources, backing, scanouts and cursor rebuilt; the
 * saved contents are presented again and display info and EDIDs re-read
 * (a monitor may have changed while asleep).  The device may have kept its
 * state (sleep) or lost all of it (hibernate): the driver assumes nothing.
 * If the device fails while coming up the call reports it and the device is
 * marked hung: the watchdog (or auto_recover) retries.
 *
 * Calls during a transition or in D3: vg_fb_create, vg_gpu_set_scanout,
 * vg_gpu_present, vg_gpu_cursor_*, vg_gpu_refresh_displays, vg_gpu_reset,
 * vg_gpu_take_back and vg_gpu_restart return VG_E_POWER at once (they
 * never wait); the watchdog does nothing; vg_fb_destroy works (it frees
 * driver memory only); vg_fb_pixels, vg_gpu_get_* work in any state.  The
 * caller serializes power calls with the others, as WDDM does for
 * DxgkDdiSetPowerState.
 */
enum vg_power_state { VG_POWER_D0 = 0, VG_POWER_D3 = 3, VG_POWER_CHANGING = 4 };
enum vg_power_reason {
	VG_POWER_SLEEP,	    /* S3: the device may keep its state */
	VG_POWER_HIBERNATE, /* S4: the device loses everything */
	VG_POWER_SHUTDOWN,  /* S5 */
};
vg_status vg_gpu_set_power(struct vg_gpu *gpu, enum vg_power_state state,
			   enum vg_power_reason reason);
enum vg_power_state vg_gpu_power_state(const struct vg_gpu *gpu);
const char *vg_power_reason_str(enum vg_power_reason reason);

/* ---- recovery ---- */

/*
 * Resets the device and rebuilds what the driver showed: every
 * framebuffer's resource and backing (the pixels live in guest memory),
 * every head's scanout with a full present, and the cursor.  Abandoned
 * requests and quarantined resources become the driver's again.  On
 * failure the device stays marked hung; call again later.  After
 * vg_gpu_take_back it is vg_gpu_restart.
 */
vg_status vg_gpu_reset(struct vg_gpu *gpu);
/*
 * Reset now, the first half of vg_gpu_reset: resets the device and, once
 * it shows the reset, takes back everything it held (abandoned requests,
 * quarantined resources, every framebuffer's host resource, the cursor).
 * The device owns nothing afterwards: no host resource, no guest memory
 * it could still write.  Nothing is rebuilt: the screen is blank until
 * vg_gpu_restart.  Meanwhile every call that would talk to the device
 * (vg_fb_create, set_scanout, present, cursor, display refresh and
 * update, set_mode, set_power, the watchdog) returns VG_E_TAKEN_BACK
 * without touching it; vg_fb_destroy frees driver memory only; the
 * getters work.  A second take-back is VG_OK and does nothing.
 * Returns the reset's failure (VG_E_TIMEOUT if the device never showed
 * status 0: then nothing was taken back and nothing changes).
 */
vg_status vg_gpu_take_back(struct vg_gpu *gpu);
/*
 * The second half: brings the device back (features, queues, DRIVER_OK)
 * and rebuilds what was shown before vg_gpu_take_back: every
 * framebuffer's resource and backing, every head's scanout with a full
 * present, the cursor; then re-reads display info and EDIDs.  On success
 * calls work again.  On failure the gpu stays taken back (calls still
 * refused); call it again.  VG_OK and nothing done when not taken back.
 */
vg_status vg_gpu_restart(struct vg_gpu *gpu);

#endif
