/* SPDX-License-Identifier: MIT */
/*
 * Cursor shapes (monochrome, color, masked color of any size up to 64 x 64)
 * to the 64 x 64 ARGB image the virtio-gpu cursor shows.  The mapping of
 * XOR pixels, which ARGB cannot show exactly, is written in
 * include/viogpu/present.h.
 *
 * Pure: no device, no os.h; any thread.
 */
#ifndef VG_CORE_CURSOR_SHAPE_H
#define VG_CORE_CURSOR_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/present.h"

/* VG_OK if shape is well formed (see vg_gpu_cursor_set_shape), else
 * VG_E_INVAL or VG_E_RANGE. */
vg_status vg_cursor_shape_check(const struct vg_cursor_shape *shape);

/* Checks shape, then writes image (64 x 64 0xAARRGGBB, rows of 64): the
 * shape at the top left, transparent elsewhere.  image is untouched on
 * failure. */
vg_status
vg_cursor_shape_to_argb(const struct vg_cursor_shape *shape,
			uint32_t image[VG_CURSOR_MAX * VG_CURSOR_MAX]);

#endif
