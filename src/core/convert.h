/* SPDX-License-Identifier: MIT */
/*
 * The pixel conversion seam: one row of source pixels in any format to
 * the framebuffer's B8G8R8X8 (0x00RRGGBB in a uint32_t).  Rotation is done
 * by the caller through `step` (the byte distance between consecutive
 * source pixels of the row: the pixel size, its negation, the pitch or
 * minus the pitch).  HDR formats (10-bit, FP16) plug in here as new
 * converters whose ctx carries their tone mapping; nothing else changes.
 *
 * Pure: no device, no os.h; any thread.
 */
#ifndef VG_CORE_CONVERT_H
#define VG_CORE_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/color.h"
#include "viogpu/present.h"

/* vg_row_fn and struct vg_converter are public (viogpu/color.h): the
 * HDR converter hands them out.  ctx is NULL for the 8-bit formats. */

/* The converter for format on a head in sRGB (no HDR tables): the 8-bit
 * formats as they are, the 10-bit ones rounded to 8 bits.  False (and
 * *out untouched) when the format is unknown or needs HDR tables (FP16
 * scRGB: hdr_head.c). */
bool vg_converter_for_format(enum vg_pixel_format format,
			     struct vg_converter *out);
/* Bytes per source pixel of format, 0 when unknown.  The blit steps by
 * it, so a wider (FP16) format needs only its converter and its size. */
uint32_t vg_format_bytes(enum vg_pixel_format format);

#endif
