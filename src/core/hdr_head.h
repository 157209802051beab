/* SPDX-License-Identifier: MIT */
/*
 * Each head's colorimetry and its converter tables (hdr_head.c), for the
 * present path.  Owned by the gpu (struct vg_gpu.hdr_head[]), serialized
 * like every vg_gpu call.
 */
#ifndef VG_CORE_HDR_HEAD_H
#define VG_CORE_HDR_HEAD_H

#include "convert.h"
#include "viogpu/color.h"

struct vg_gpu;

/*
 * The converter that shows format on head under its colorimetry (the
 * tables built by vg_gpu_set_head_colorimetry; no floating point, no
 * allocation).  VG_E_UNSUPPORTED when the head's color space cannot take
 * the format; VG_E_INVAL for an unknown format.
 */
vg_status vg_hdr_head_converter(const struct vg_gpu *gpu, uint32_t head,
				enum vg_pixel_format format,
				struct vg_converter *out);

/* Frees every head's tables (vg_gpu_destroy). */
void vg_hdr_heads_free(struct vg_gpu *gpu);

#endif
