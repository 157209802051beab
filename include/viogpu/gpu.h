/* SPDX-License-Identifier: MIT */
/*
 * The portable virtio-gpu 2D driver core: lifecycle and information.
 *
 * vg_gpu_create() brings the device up (transport, features, queues,
 * interrupts, display info, EDIDs); vg_gpu_destroy() disables the
 * scanouts, releases every resource and resets the device.  The other
 * areas have their own headers, each included by whoever uses it:
 *   surface.h  framebuffers (vg_fb_*)
 *   display.h  heads, EDIDs, modes, scanouts, hot-plug
 *   present.h  present, present from a source image, cursor
 *   power.h    power states, reset and recovery
 *   color.h    HDR source formats and the converter
 *
 * Ownership: vg_gpu_create gives the caller the vg_gpu, freed by
 * vg_gpu_destroy (with every framebuffer still alive).  The vg_os passed
 * to create must outlive the gpu.  Options are copied.
 *
 * Threading: calls on one vg_gpu are serialized by the caller, in every
 * header, as WDDM serializes DDIs at the same synchronization level.
 * Completions are collected by the core's deferred routine on the
 * platform's DPC thread (os.h), which also calls
 * options.on_display_change.  The getters are calls like the others:
 * serialize them too (vg_gpu_get_stats locks only the queue counters the
 * deferred routine changes; the rest change under the caller's calls).
 * vg_gpu_destroy runs alone: no other call on this gpu during or after.
 *
 * Errors: each call returns its own vg_status; a device refusal is the
 * VG_E_DEVICE_* status of its response code (status.h).
 */
#ifndef VIOGPU_GPU_H
#define VIOGPU_GPU_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"
#include "viogpu/status.h"
#include "viogpu/types.h"

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

/*
 * Checks the device: a command that timed out or DEVICE_NEEDS_RESET means
 * it is hung, and the watchdog resets it (vg_gpu_reset, power.h).
 * *did_reset (may be NULL) tells whether it did.  Call it periodically,
 * e.g. every second.  After vg_gpu_take_back it does nothing until
 * vg_gpu_restart and returns VG_E_TAKEN_BACK.
 */
vg_status vg_gpu_watchdog(struct vg_gpu *gpu, bool *did_reset);

#endif
