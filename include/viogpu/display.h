/* SPDX-License-Identifier: MIT */
/*
 * Heads: what the device reports about each (enabled, preferred size,
 * EDID), which framebuffer each shows, the modes each can take and mode
 * set, and hot-plug (a monitor plugged or unplugged, a VM window resized).
 *
 * Ownership: vg_gpu_get_display copies into the caller's struct (the EDID
 * bytes included); the cache it reads is refreshed only by
 * vg_gpu_refresh_displays and vg_gpu_update_displays (and by a reset or
 * power-up).  vg_gpu_set_scanout does not take fb: the caller still owns
 * and destroys it (destroying a shown fb takes it off its heads).  The
 * framebuffer vg_gpu_set_mode creates is the driver's (vg_gpu_head_fb):
 * valid until the next vg_gpu_set_mode on that head or vg_gpu_destroy.
 * vg_gpu_list_modes writes into the caller's array.
 *
 * Threading: serialized by the caller with the other calls on the gpu
 * (gpu.h).  Display changes are pushed up by options.on_display_change
 * (gpu.h), which runs in deferred context (the platform's DPC thread,
 * concurrently with the caller's calls) and must only note the change;
 * the caller's own thread then calls vg_gpu_update_displays (and, to
 * follow the host, vg_gpu_follow_displays).  vg_gpu_display_changed reads
 * one register and may be polled from the caller's thread instead.
 * Outside D0 the calls that talk to the device return VG_E_POWER, and
 * VG_E_TAKEN_BACK after vg_gpu_take_back (power.h).
 */
#ifndef VIOGPU_DISPLAY_H
#define VIOGPU_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/status.h"
#include "viogpu/types.h"

/* One head as the device last reported it. */
struct vg_display {
	bool enabled;
	struct vg_rect rect; /* preferred position and size */
	uint32_t edid_size;  /* 0 when the device gave none */
	uint8_t edid[1024];
	char monitor_name[14]; /* from the EDID descriptor 0xFC, "" if none */
};

/* Re-reads GET_DISPLAY_INFO and every head's EDID. */
vg_status vg_gpu_refresh_displays(struct vg_gpu *gpu);
/* The cached state of head; VG_E_RANGE when head >= num_scanouts. */
vg_status vg_gpu_get_display(const struct vg_gpu *gpu, uint32_t head,
			     struct vg_display *out);

/* Shows fb on head (the whole fb).  fb NULL disables the head. */
vg_status vg_gpu_set_scanout(struct vg_gpu *gpu, uint32_t head,
			     struct vg_fb *fb);

/* ---- hot-plug and resize ---- */

/* True if the device announced a display change (VIRTIO_GPU_EVENT_DISPLAY:
 * a monitor plugged or unplugged, a VM window resized) that
 * vg_gpu_update_displays has not acknowledged yet.  Reads the device's
 * event register (one register read), so a lost config interrupt does not
 * hide a change. */
bool vg_gpu_display_changed(struct vg_gpu *gpu);
/* Acknowledges the event, then re-reads display info and every EDID (a
 * change made during the reading raises the event again), and sets
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

#endif
