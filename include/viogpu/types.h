/* SPDX-License-Identifier: MIT */
/*
 * What several public headers share: the opaque handles, a rectangle, the
 * number of heads, and the virtio-gpu feature bits that vg_gpu_info
 * reports.  Plain data only.
 *
 * Ownership: struct vg_gpu is created by vg_gpu_create (gpu.h) and freed
 * by vg_gpu_destroy; struct vg_fb by vg_fb_create (surface.h) and freed by
 * vg_fb_destroy (or by vg_gpu_destroy for the ones still alive).  Both are
 * opaque: their contents are the core's (src/core/gpu_internal.h).
 *
 * Threading: nothing here does anything; see the header of each call.
 *
 * The wire format (commands, responses, rings) is private to the core,
 * its tests and the device model: src/core/wire.h, which builds on these.
 */
#ifndef VIOGPU_TYPES_H
#define VIOGPU_TYPES_H

#include <stdint.h>

struct vg_gpu;
struct vg_fb;

/* A rectangle in pixels; also its layout on the wire (virtio_gpu_rect). */
struct vg_rect {
	uint32_t x, y, width, height;
};

/* Heads a virtio-gpu device can have (VIRTIO_GPU_MAX_SCANOUTS). */
#define VG_MAX_SCANOUTS 16

/* Feature bit numbers, as in vg_gpu_info.device_features and
 * driver_features (1ull << VG_F_EDID). */
#define VG_F_VIRGL 0
#define VG_F_EDID 1
#define VG_F_RESOURCE_UUID 2
#define VG_F_RESOURCE_BLOB 3
#define VG_F_CONTEXT_INIT 4
#define VG_F_RING_INDIRECT_DESC 28
#define VG_F_RING_EVENT_IDX 29
#define VG_F_VERSION_1 32
#define VG_F_ACCESS_PLATFORM 33

#endif
