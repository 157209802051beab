/* SPDX-License-Identifier: MIT */
/*
 * Deterministic test patterns and small pixel helpers for the viogpu CLI,
 * tests and bench (private).
 *
 * Pixels are uint32_t 0x00RRGGBB; strides are in bytes, a multiple of 4 and
 * at least width * 4 (drawing functions do nothing otherwise). The byte
 * padding between rows is never written.
 */
#ifndef VG_TOOLS_PATTERN_H
#define VG_TOOLS_PATTERN_H

#include <stdint.h>

enum vg_pattern {
	VG_PATTERN_BARS,
	VG_PATTERN_GRADIENT,
	VG_PATTERN_GRID,
};

/* Colours used by the patterns, exported for tests. */
#define VG_GRID_BG 0x00202020u
#define VG_GRID_LINE 0x00ffffffu
#define VG_GRID_SPACING 32u
#define VG_GRID_CORNER 8u
#define VG_GRID_TL 0x00ff0000u /* top-left: red */
#define VG_GRID_TR 0x0000ff00u /* top-right: green */
#define VG_GRID_BL 0x000000ffu /* bottom-left: blue */
#define VG_GRID_BR 0x00ff00ffu /* bottom-right: magenta */

/* Returns 0 and sets *out, or -1 for an unknown (or NULL) name. */
int vg_pattern_from_name(const char *name, enum vg_pattern *out);

/* "bars|gradient|grid", for usage messages. */
const char *vg_pattern_names(void);

/*
 * bars:     8 vertical bars, white yellow cyan green magenta red blue black;
 *           bar of column x is x * 8 / w.
 * gradient: r = x * 255 / (w - 1), g = y * 255 / (h - 1),
 *           b = (x + y) * 255 / (w + h - 2), each 0 when its divisor is 0.
 * grid:     VG_GRID_LINE where x % 32 == 0 or y % 32 == 0, else VG_GRID_BG,
 *           then an 8x8 square of a distinct colour in each corner (clipped;
 *           drawn TL, TR, BL, BR so later ones win on tiny buffers).
 */
void vg_pattern_draw(enum vg_pattern p, uint32_t *px, uint32_t w, uint32_t h,
		     uint32_t stride_bytes);

/* Fill a bw x bh box at (x, y), clipped to the w x h buffer. */
void vg_pattern_draw_box(uint32_t *px, uint32_t w, uint32_t h, uint32_t stride,
			 int32_t x, int32_t y, uint32_t bw, uint32_t bh,
			 uint32_t colour);

/*
 * Count pixels of the w x h area whose low 24 bits differ. The first
 * mismatch in row-major order goes to *first_x / *first_y (either may be
 * NULL); both are set to UINT32_MAX when the areas are equal.
 */
uint64_t vg_pixels_compare(const uint32_t *a, uint32_t a_stride,
			   const uint32_t *b, uint32_t b_stride, uint32_t w,
			   uint32_t h, uint32_t *first_x, uint32_t *first_y);

/*
 * Nearest-neighbour scale of a tightly packed sw x sh image into dw x dh:
 * dst(x, y) = src(x * sw / dw, y * sh / dh). Does nothing if a size is 0.
 */
void vg_image_scale_nearest(const uint32_t *src, uint32_t sw, uint32_t sh,
			    uint32_t *dst, uint32_t dw, uint32_t dh,
			    uint32_t dst_stride);

#endif
