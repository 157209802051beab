/* SPDX-License-Identifier: MIT */
/*
 * The drawing requests' exact semantics on a plain 32-bit surface.
 *
 * Coordinates are anything in int32; nothing is refused for lying outside:
 * each operation draws exactly the pixels its rule defines that fall inside
 * the surface, and costs time in proportion to those pixels (plus a
 * constant), never to the shape's size outside it.
 *
 * Pure: no allocation, no system calls, no global state.  The caller owns
 * the surface and serializes access to it.
 */
#ifndef VIOGPU_SERVER_DRAW_H
#define VIOGPU_SERVER_DRAW_H

#include <stddef.h>
#include <stdint.h>

struct vgp_surface_view {
	uint32_t *pixels; /* row 0 first */
	uint32_t width;
	uint32_t height;
	size_t pitch; /* bytes between rows, a multiple of 4, >= 4 * width */
};

/* DRAW_PIXEL; CLEAR_PIXEL is vgp_draw_pixel(s, x, y, 0) (to black). */
void vgp_draw_pixel(const struct vgp_surface_view *s, int32_t x, int32_t y,
		    uint32_t color);

/* DRAW_LINE: the seed's Bresenham from (x1,y1) to (x2,y2), both endpoints
 * drawn, all octants:
 *   dx = |x2-x1|, dy = |y2-y1|, err = dx - dy; loop { plot; if at end
 *   stop; e2 = 2 err; if (e2 > -dy) err -= dy, x += sx;
 *   if (e2 < dx) err += dx, y += sy; }
 * computed in closed form over the steps that land inside the surface.
 * Returns the number of pixels written. */
uint64_t vgp_draw_line(const struct vgp_surface_view *s, int32_t x1, int32_t y1,
		       int32_t x2, int32_t y2, uint32_t color);

/* DRAW_RECT: the one-pixel outline of the w x h box whose top-left pixel is
 * (x, y); FILL_RECT: every pixel of it.  w or h <= 0 draws nothing (the
 * decoder refuses negative sizes before they get here). */
void vgp_draw_rect(const struct vgp_surface_view *s, int32_t x, int32_t y,
		   int32_t w, int32_t h, uint32_t color);
void vgp_fill_rect(const struct vgp_surface_view *s, int32_t x, int32_t y,
		   int32_t w, int32_t h, uint32_t color);

/* CLEAR: every pixel of the surface. */
void vgp_clear(const struct vgp_surface_view *s, uint32_t color);

/* The steps k (0 <= k <= max(dx,dy)) of the line from (x1,y1) to (x2,y2)
 * whose pixel lies inside a width x height surface form one interval
 * [*first, *last]; returns 0 when there is none.  Exposed for the tests. */
int vgp_line_visible_steps(uint32_t width, uint32_t height, int32_t x1,
			   int32_t y1, int32_t x2, int32_t y2, uint64_t *first,
			   uint64_t *last);

#endif
