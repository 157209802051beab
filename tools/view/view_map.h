/* SPDX-License-Identifier: MIT */
/*
 * viogpu-view's geometry: the window's size for a head (1:1, or scaled
 * down with --fit), which head pixel a window pixel shows, and the
 * window pixels a damaged head rectangle covers.  Pure functions over
 * integers, no SDL, so they are unit-tested on their own.
 *
 * The one rule everything follows: window pixel (wx, wy) shows head pixel
 * (floor(wx * head_w / win_w), floor(wy * head_h / win_h)) (nearest, no
 * filtering).  A click therefore acts on exactly the pixel the user sees
 * under the pointer, and at 1:1 the window is the front buffer, pixel for
 * pixel.
 */
#ifndef VIOGPU_VIEW_MAP_H
#define VIOGPU_VIEW_MAP_H

#include <stddef.h>
#include <stdint.h>

struct view_map {
	uint32_t head_w, head_h; /* >= 1 */
	uint32_t win_w, win_h;	 /* >= 1, <= head_w, head_h */
};

/* A [x0, x1) x [y0, y1) rectangle; empty when x0 >= x1 or y0 >= y1. */
struct view_rect {
	int64_t x0, y0, x1, y1;
};

/* The window size for a head_w x head_h head: 1:1 when it fits in
 * max_w x max_h (or when max_w or max_h is 0: no limit), else the largest
 * size with the head's aspect (rounded down, at least 1x1) that fits. */
void view_fit(uint32_t head_w, uint32_t head_h, uint32_t max_w, uint32_t max_h,
	      uint32_t *win_w, uint32_t *win_h);

/* The head pixel window pixel (wx, wy) shows; any int32 window point
 * (a drag can leave the window), rounded toward minus infinity. */
void view_to_head(const struct view_map *m, int32_t wx, int32_t wy, int32_t *hx,
		  int32_t *hy);

/* The window pixels that show head pixels of r (clipped to the window):
 * exactly those to redraw when r of the head changed. */
struct view_rect view_head_to_win(const struct view_map *m, struct view_rect r);

/* Writes window pixels r (already clipped) of dst (win_w x win_h, dst_pitch
 * bytes a row) from src (head_w x head_h, src_pitch bytes a row) by the
 * rule above. */
void view_scale(const struct view_map *m, const uint32_t *src, size_t src_pitch,
		uint32_t *dst, size_t dst_pitch, struct view_rect r);

/* Parses "WxH" (1..16384 each); 0 or -1. */
int view_parse_size(const char *s, uint32_t *w, uint32_t *h);

#endif
