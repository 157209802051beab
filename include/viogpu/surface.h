/* SPDX-License-Identifier: MIT */
/*
 * Framebuffers: host resources with guest backing that the CPU draws into.
 *
 * A vg_fb is a host resource of width x height in B8G8R8X8 (0x00RRGGBB in
 * a uint32_t) whose pixels live in driver memory (the guest backing), so
 * they survive a device reset or D3 and are shown again from there.
 * Draw into vg_fb_pixels(), then present (present.h); show it on a head
 * with vg_gpu_set_scanout (display.h).
 *
 * Ownership: vg_fb_create gives the caller the vg_fb; the caller frees it
 * with vg_fb_destroy (vg_gpu_destroy frees the ones still alive).  The
 * pixels are the fb's, valid until it is destroyed.  A head's mode
 * framebuffer (vg_gpu_head_fb, display.h) is the driver's: never destroy
 * it.
 *
 * Threading: serialized by the caller with the other calls on the gpu
 * (gpu.h).  vg_fb_pixels, vg_fb_width, vg_fb_height and vg_fb_stride
 * read fields fixed at create: any thread may call them while the fb
 * lives.  vg_fb_create returns VG_E_POWER outside D0 and VG_E_TAKEN_BACK
 * after vg_gpu_take_back; vg_fb_destroy works in any state (outside D0
 * or taken back it frees driver memory only).
 */
#ifndef VIOGPU_SURFACE_H
#define VIOGPU_SURFACE_H

#include <stdint.h>

#include "viogpu/status.h"
#include "viogpu/types.h"

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

#endif
