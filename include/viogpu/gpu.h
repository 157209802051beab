/* SPDX-License-Identifier: MIT */
/*
 * The portable virtio-gpu 2D driver core.
 *
 * Lifecycle: vg_gpu_create() brings the device up (transport, features,
 * queues, interrupts, display info, EDIDs); vg_gpu_destroy() disables the
 * scanouts, releases every resource and resets the device.  Framebuffers
 * (vg_fb) are host resources with guest backing; the CPU draws into
 * vg_fb_pixels() and vg_gpu_present() moves dirty rectangles to the host.
 *
 * Threading: calls on one vg_gpu are serialized by the caller (as WDDM
 * serializes DDIs at the same synchronization level); completions are
 * collected by the core's deferred routine on the platform's DPC thread
 * (os.h), which also calls options.on_display_change.
 *
 * Errors: each call returns its own vg_status; a device refusal is the
 * VG_E_DEVICE_* status of its response code (status.h).
 */
#ifndef VIOGPU_GPU_H
#define VIOGPU_GPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"
#include "viogpu/status.h"
#include "viogpu/wire.h"

struct vg_gpu;
struct vg_fb;

struct vg_gpu_options {
	uint32_t cmd_timeout_ms; /* 0: 5000 */
	int verbose;		 /* 0 quiet, 1 info, 2 debug (per command) */
	/* Reset and rebuild a hung device (a timed-out command, or
	 * DEVICE_NEEDS_RESET) at the start of the next call, so callers need
	 * not run the watchdog themselves.  The call that saw the timeout
	 * still fails. */
	bool auto_recover;
	/* Bytes the host will give 2D resources (QEMU's max_hostmem); modes
	 * whose frame does not fit are not listed and are refused.  0: the
	 * virtio-gpu default of 256 MiB. */
	uint64_t host_mem_limit;
	/*
	 * Called when a config interrupt shows VIRTIO_GPU_EVENT_DISPLAY (a
	 * monitor plugged or unplugged, a window resized), with
	 * display_change_ctx.  NULL: nobody is told; poll
	 * vg_gpu_display_changed.  Runs in deferred context (os.h: the
	 * platform's DPC thread, concurrently with the caller's calls): it
	 * must not call into this gpu and must not wait; it should only note
	 * the change (set a flag, signal the layer's own thread), which then
	 * calls vg_gpu_update_displays.  The event register stays the truth:
	 * a lost interrupt means no call, never a lost change.
	 */
	void (*on_display_change)(void *display_change_ctx);
	void *display_change_ctx;
};

/* What was negotiated; filled by vg_gpu_get_info. */
struct vg_gpu_info {
	uint64_t device_features;
	uint64_t driver_features;
	bool edid;
	bool indirect_desc;
	bool event_idx;
	uint32_t num_scanouts;
	uint16_t ctrlq_size;
	uint16_t cursorq_size;
	uint32_t max_backing_entries; /* entries per ATTACH_BACKING we allow */
};

/* One head as the device last reported it. */
struct vg_display {
	bool enabled;
	struct vg_rect rect; /* preferred position and size */
	uint32_t edid_size;  /* 0 when the device gave none */
	uint8_t edid[1024];
	char monitor_name[14]; /* from the EDID descriptor 0xFC, "" if none */
};

/* Counters of what happened on the wire; for stats and tests. */
struct vg_gpu_stats {
	uint64_t commands; /* submitted */
	uint64_t notifies; /* doorbell writes */
	uint64_t notifies_suppressed;
	uint64_t interrupts; /* ISR calls that found work */
	uint64_t timeouts;   /* requests abandoned */
	uint64_t late_completions;
	uint64_t bad_used_entries; /* ids/lengths the device made up */
	uint64_t bad_responses;	   /* wrong type/length/fence */
	uint64_t device_errors;	   /* ERR_* responses */
	uint32_t live_resources;
	uint64_t live_backing_bytes;
	uint64_t resets;       /* device resets with rebuild */
	uint64_t power_cycles; /* D3 -> D0 completed */
	/* Control-queue requests free right now: all of them when no call is
	 * in flight, except those a device completed late, which return at
	 * the next command (or reset).  Fewer means requests leak. */
	uint32_t free_requests;
};

vg_status vg_gpu_create(struct vg_os *os, const struct vg_gpu_options *opt,
			struct vg_gpu **out);
void vg_gpu_destroy(struct vg_gpu *gpu); /* accepts NULL */

void vg_gpu_get_info(const struct vg_gpu *gpu, struct vg_gpu_info *info);
void vg_gpu_get_stats(const struct vg_gpu *gpu, struct vg_gpu_stats *stats);

/* Re-reads GET_DISPLAY_INFO and every head's EDID. */
vg_status vg_gpu_refresh_displays(struct vg_gpu *gpu);
/* The cached state of head; VG_E_RANGE when head >= num_scanouts. */
vg_status vg_gpu_get_display(const struct vg_gpu *gpu, uint32_t head,
			     struct vg_display *out);

/*
 * A host resource of width x height in B8G8R8X8 (0x00RRGGBB in a uint32_t)
 * with guest backing attached.  On failure nothing is left on the host or
 * in memory.
 */
vg_status vg_fb_create(struct vg_gpu *gpu, uint32_t width, uint32_t height,
		       struct vg_fb **out);
/* Detaches and unreferences the resource, waits for the device, frees the
 * backing.  If the device does not answer the backing stays owned by the
 * device until reset (it is never freed under the device).  NULL ok.
 * fb is gone whatever it returns: the first failure of the commands it
 * sent (taking fb off its heads, detach, unref), for the caller's log. */
vg_status vg_fb_destroy(struct vg_fb *fb);
uint32_t *vg_fb_pixels(const struct vg_fb *fb); /* valid until destroy */
uint32_t vg_fb_width(const struct vg_fb *fb);
uint32_t vg_fb_height(const struct vg_fb *fb);
uint32_t vg_fb_stride(const struct vg_fb *fb); /* bytes per row */
uint32_t vg_fb_resource_id(const struct vg_fb *fb);
uint32_t vg_fb_backing_entries(const struct vg_fb *fb);

/* Shows fb on head (the whole fb).  fb NULL disables the head. */
vg_status vg_gpu_set_scanout(struct vg_gpu *gpu, uint32_t head,
			     struct vg_fb *fb);

/*
 * Copies the dirty rectangles of fb to the host and flushes them to every
 * head showing fb.  All transfers and flushes are queued behind one
 * notification; returns when the device has completed the last (fenced)
 * flush.  n == 0 presents the whole frame.
 */
vg_status vg_gpu_present(struct vg_gpu *gpu, struct vg_fb *fb,
			 const struct vg_rect *dirty, unsigned n);

/*
 * Resets the device and rebuilds what the driver showed: every
 * framebuffer's resource and backing (the pixels live in guest memory),
 * every head's scanout with a full present, and the cursor.  Abandoned
 * requests and quarantined resources become the driver's again.  On
 * failure the device stays marked hung; call again later.
 */
vg_status vg_gpu_reset(struct vg_gpu *gpu);
/*
 * Checks the device: a command that timed out or DEVICE_NEEDS_RESET means
 * it is hung, and the watchdog resets it (vg_gpu_reset).  *did_reset (may
 * be NULL) tells whether it did.  Call it periodically, e.g. every second.
 */
vg_status vg_gpu_watchdog(struct vg_gpu *gpu, bool *did_reset);

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
 * vg_gpu_present, vg_gpu_cursor_*, vg_gpu_refresh_displays and
 * vg_gpu_reset return VG_E_POWER at once (they never wait); the watchdog
 * does nothing; vg_fb_destroy works (it frees driver memory only);
 * vg_fb_pixels, vg_gpu_get_* work in any state.  The caller serializes
 * power calls with the others, as WDDM does for DxgkDdiSetPowerState.
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

/* ---- hot-plug and resize ---- */

/* True if the device announced a display change (VIRTIO_GPU_EVENT_DISPLAY:
 * a monitor plugged or unplugged, a VM window resized) that
 * vg_gpu_update_displays has not acknowledged yet.  Reads the device's
 * event register (one register read), so a lost config interrupt does not
 * hide a change. */
bool vg_gpu_display_changed(struct vg_gpu *gpu);
/* Re-reads display info and every EDID, acknowledges the event, and sets
 * *changed to the mask of heads whose enabled state, preferred size or
 * EDID differ from before. */
vg_status vg_gpu_update_displays(struct vg_gpu *gpu, uint32_t *changed);
/* Auto-resize: every head in mask that is enabled gets a mode of its
 * preferred size (vg_gpu_set_mode) unless it has it already; a head that
 * is now disabled is switched off.  Returns the first failure, after
 * trying every head. */
vg_status vg_gpu_follow_displays(struct vg_gpu *gpu, uint32_t mask);

/* ---- modes ---- */

#define VG_MODE_PREFERRED (1u << 0)   /* the device's or the EDID's choice */
#define VG_MODE_FROM_DEVICE (1u << 1) /* GET_DISPLAY_INFO's size */
#define VG_MODE_FROM_EDID (1u << 2)
#define VG_MODE_STANDARD (1u << 3) /* from the driver's standard set */

struct vg_mode {
	uint32_t width, height;
	uint32_t refresh_mhz; /* 0 when no source says */
	uint32_t flags;	      /* VG_MODE_* */
};

/*
 * The modes head can show: the device's preferred size, the EDID's
 * timings and a standard set (1280x720 .. 3840x2160, ultrawides, 5K, 8K),
 * without duplicates, filtered by the device limits (16384 a side) and
 * the host memory limit; preferred first, then largest first.  Writes up
 * to max entries and sets *count to how many there are (which may be
 * more than max).
 */
vg_status vg_gpu_list_modes(struct vg_gpu *gpu, uint32_t head,
			    struct vg_mode *modes, unsigned max,
			    unsigned *count);
/* VG_OK if head can take width x height; VG_E_RANGE with nothing
 * touched otherwise. */
vg_status vg_gpu_check_mode(struct vg_gpu *gpu, uint32_t head, uint32_t width,
			    uint32_t height);
/*
 * Shows a width x height framebuffer owned by the driver on head.  The
 * new one is created and shown before the old one is released (detached
 * and unreferenced, and freed only after the device confirms), so a
 * failure at any step leaves the old mode on screen.  The new
 * framebuffer starts black; draw into vg_gpu_head_fb().
 */
vg_status vg_gpu_set_mode(struct vg_gpu *gpu, uint32_t head, uint32_t width,
			  uint32_t height);
/* The driver-owned framebuffer of head (NULL if none); valid until the
 * next vg_gpu_set_mode on that head or vg_gpu_destroy. */
struct vg_fb *vg_gpu_head_fb(const struct vg_gpu *gpu, uint32_t head);

/* Cursor: image is 64x64 0xAARRGGBB; NULL hides the cursor. */
vg_status vg_gpu_cursor_update(struct vg_gpu *gpu, uint32_t head,
			       const uint32_t *image64, uint32_t hot_x,
			       uint32_t hot_y, uint32_t x, uint32_t y);
vg_status vg_gpu_cursor_move(struct vg_gpu *gpu, uint32_t head, uint32_t x,
			     uint32_t y);

#endif
