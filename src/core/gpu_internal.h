/* SPDX-License-Identifier: MIT */
/* State shared by the files of the GPU layer; not public. */
#ifndef VG_GPU_INTERNAL_H
#define VG_GPU_INTERNAL_H

#include "viogpu/format.h"
#include "command.h"
#include "commands.h"
#include "resources.h"
#include "transport.h"
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"
#include "wire.h"

#define VG_CTRLQ 0
#define VG_CURSORQ 1
#define VG_CTRL_REQS 64
#define VG_CURSOR_REQS 16
#define VG_MAX_RESOURCES 4096u
/* QEMU refuses ATTACH_BACKING beyond 16384 entries (hw/display/virtio-gpu.c).
 */
#define VG_MAX_BACKING_ENTRIES 16384u
#define VG_CURSOR_SIZE 64u

struct vg_fb {
	struct vg_gpu *gpu;
	struct vg_fb *next; /* gpu->fbs */
	uint32_t id;
	uint32_t width, height, stride;
	struct vg_dma backing;
	uint32_t nentries;
	uint32_t format;
	bool on_device; /* the device holds the resource with our backing */
};

struct vg_gpu {
	struct vg_os *os;
	struct vg_gpu_options opt;
	uint64_t timeout_ns;
	struct vg_transport tp;
	struct vg_cmdq ctrl;
	struct vg_cmdq cursor;
	bool irq_connected;
	bool driver_ok;
	bool hung; /* a command timed out */
	/* vg_gpu_take_back ran, vg_gpu_restart has not: the gate refuses */
	bool taken_back;
	volatile uint32_t needs_reset; /* set by the DPC; atomic */
	uint32_t isr_pending; /* ISR bits the DPC has not seen; atomic */
	uint64_t resets;
	uint32_t power;	       /* enum vg_power_state; atomic */
	uint32_t power_reason; /* enum vg_power_reason of the last D3 */
	uint64_t power_cycles;
	struct vg_cursor_state {
		bool visible;
		uint32_t head, hot_x, hot_y, x, y;
	} cursor_state;

	uint32_t num_scanouts;
	struct vg_display displays[VG_MAX_SCANOUTS];
	struct vg_hdr_head
		*hdr_head[VG_MAX_SCANOUTS]; /* hdr_head.c; NULL sRGB */
	struct vg_fb *scanout_fb[VG_MAX_SCANOUTS];
	struct vg_fb *head_fb[VG_MAX_SCANOUTS]; /* vg_gpu_set_mode's, ours */

	struct vg_fb *fbs;
	struct vg_fb *cursor_fb;
	struct vg_resources res; /* ids, counters, quarantine: resources.c */
	uint64_t interrupts;
	struct vg_panic *panic; /* panic.c: the bugcheck path, NULL unused */
};

void vg_gpu_log(struct vg_gpu *gpu, enum vg_log_level lvl, const char *fmt, ...)
	VG_PRINTF(3, 4);
/* Notes a timeout for the watchdog (the device is hung); returns st. */
vg_status vg_gpu_fail(struct vg_gpu *gpu, vg_status st);

/*
 * Internal operations.  The public calls (entry.c) check power state,
 * device health and arguments once (vg_gpu_gate) and then call these,
 * which never check again and never recover: the caller guarantees D0 (or
 * a power transition that it runs), heads in range and fbs on the device.
 */
/* A framebuffer in format; vg_fb_create without the gate. */
vg_status vg_fb_new(struct vg_gpu *gpu, uint32_t width, uint32_t height,
		    uint32_t format, struct vg_fb **out);
/* vg_fb_destroy's work; tell_heads false leaves the device unaware of
 * the heads that showed fb (outside D0). */
vg_status vg_fb_free(struct vg_fb *fb, bool tell_heads);
/* SET_SCANOUT (fb NULL disables head) and the scanout table. */
vg_status vg_scanout_set(struct vg_gpu *gpu, uint32_t head, struct vg_fb *fb);
/* Transfers the dirty rectangles (n 0: all) and flushes, one doorbell. */
vg_status vg_present_fb(struct vg_gpu *gpu, struct vg_fb *fb,
			const struct vg_rect *dirty, unsigned n);
/* Re-reads display info and EDIDs, then acknowledges the display event. */
vg_status vg_display_refresh(struct vg_gpu *gpu);
/* vg_display_refresh and the mask of heads that changed. */
vg_status vg_displays_update(struct vg_gpu *gpu, uint32_t *changed);
/* vg_gpu_follow_displays's work. */
vg_status vg_displays_follow(struct vg_gpu *gpu, uint32_t mask);
/* vg_gpu_set_mode's work, arguments already checked. */
vg_status vg_mode_set(struct vg_gpu *gpu, uint32_t head, uint32_t width,
		      uint32_t height);
/* Cursor image (NULL hides) and position; arguments already checked. */
vg_status vg_cursor_set(struct vg_gpu *gpu, uint32_t head,
			const uint32_t *image64, uint32_t hot_x, uint32_t hot_y,
			uint32_t x, uint32_t y);
vg_status vg_cursor_move_to(struct vg_gpu *gpu, uint32_t head, uint32_t x,
			    uint32_t y);
/* D0 <-> D3, state already checked to differ and not be changing. */
vg_status vg_power_set(struct vg_gpu *gpu, enum vg_power_state state,
		       enum vg_power_reason reason);
vg_status vg_fb_create_cursor(struct vg_gpu *gpu, struct vg_fb **out);
vg_status vg_fb_to_device(struct vg_gpu *gpu, struct vg_fb *fb,
			  bool keep_claims);
/* Transfers the whole cursor image and shows it where it was. */
vg_status vg_cursor_restore(struct vg_gpu *gpu);
/*
 * The one check at the top of every public call that talks to the device:
 * VG_E_POWER outside D0, VG_E_TAKEN_BACK between vg_gpu_take_back and
 * vg_gpu_restart, and with options.auto_recover a hung device is
 * recovered (vg_gpu_recover) first.  Internal operations never call it.
 */
vg_status vg_gpu_gate(struct vg_gpu *gpu);
/* Hung: a command timed out, or NEEDS_RESET/FAILED (flag or register). */
bool vg_gpu_device_hung(struct vg_gpu *gpu);
/* Take back and rebuild together (vg_gpu_restart_device, then
 * vg_gpu_rebuild), as vg_gpu_reset, the watchdog and auto_recover do; on
 * failure the device stays marked hung. */
vg_status vg_gpu_recover(struct vg_gpu *gpu);
/* The interrupt service routine given to the platform: reads (acks) the
 * ISR status, ORs it into isr_pending and requests the DPC; nothing else
 * (os.h's interrupt context). */
void vg_gpu_isr(void *ctx);
/* The deferred routine: NEEDS_RESET detection, used-ring processing,
 * completions and wake-ups (os.h's deferred context; never waits). */
void vg_gpu_dpc(void *ctx);
/* Resets the device and, once it shows the reset, takes back all it
 * held: abandoned requests, quarantined resources, every framebuffer (now
 * off the device); clears the hung marks.  A failed reset takes nothing. */
vg_status vg_device_take_back(struct vg_gpu *gpu);
/* vg_device_take_back, renegotiate, re-enable the queues, DRIVER_OK. */
vg_status vg_gpu_restart_device(struct vg_gpu *gpu);
/* Recreates every framebuffer, scanout and the cursor on the device. */
vg_status vg_gpu_rebuild(struct vg_gpu *gpu);

vg_status vg_display_read_all(struct vg_gpu *gpu);
/* Frees what vg_gpu_panic_prepare set up (panic.c); NULL ok. */
void vg_panic_free(struct vg_gpu *gpu);

#endif
