/* SPDX-License-Identifier: MIT */
/*
 * The present path's conversion seam (issue 9 item 7), reproduced exactly
 * as src/core/convert.h defines it so the HDR converter can be built and
 * tested before that lands.  When convert.h is merged this file becomes
 * `#include "convert.h"` (or goes away and hdr.c includes convert.h).
 */
#ifndef VIOGPU_CONVERT_SEAM_H
#define VIOGPU_CONVERT_SEAM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes n destination pixels 0x00RRGGBB (8-bit sRGB, B8G8R8X8 in memory)
 * to dst, reading source pixel i at src + i * step (bytes; step may be
 * negative or a row pitch: that is how rotation is done).  ctx is the
 * converter's read-only state.
 */
typedef void (*vg_row_fn)(const void *ctx, uint32_t *dst, const uint8_t *src,
			  ptrdiff_t step, uint32_t n);

struct vg_converter {
	vg_row_fn row;
	const void *ctx;
};

#endif
