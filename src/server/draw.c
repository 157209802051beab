// SPDX-License-Identifier: MIT
/*
 * Drawing semantics (draw.h).
 *
 * The line in closed form.  Let D = the larger of dx, dy (the major axis)
 * and d the other.  After i x-steps and j y-steps the seed's loop holds
 * err = dx (j + 1) - dy (i + 1), so "e2 > -dy" reads 2 dx (j+1) > dy (2i+1)
 * and "e2 < dx" reads dx (2j+1) < 2 dy (i+1).  When dx >= dy the first
 * holds on every iteration, so x advances once per step, and y has
 * advanced after step k by
 *     f(k) = #{ m >= 0 : dx (2m+1) < 2 dy k } = floor((2 d k + D - 1) / 2D)
 * (round to nearest, ties down); the loop stops at k = D, where f(D) = d.
 * The y-major case is the same with the roles swapped (the two conditions
 * are mirror images).  So step k's pixel is
 *     major = a0 + sa k,  minor = b0 + sb f(k),  0 <= k <= D,
 * and because f is monotone, the steps whose pixel lies inside the surface
 * are one interval: intersect the steps where the major coordinate is in
 * range with those where f(k) lies in the minor coordinate's range
 * [jlo, jhi], which are
 *     f(k) >= jlo  <=>  k >= ceil((2D jlo - D + 1) / 2d)
 *     f(k) <= jhi  <=>  k <= floor((2D jhi + D) / 2d).
 * D reaches 2^32 - 1 and 2D jhi 2^65, hence unsigned __int128.  Inside the
 * interval f advances by an exact remainder walk (r += 2d; carry when
 * r >= 2D), so the work is one step per pixel written.
 * tests/test_draw.c compares all of this with the literal loop.
 */
#include "draw.h"

static inline uint32_t *pixel_at(const struct vgp_surface_view *s, int64_t x,
				 int64_t y)
{
	return (uint32_t *)((uint8_t *)s->pixels + (size_t)y * s->pitch) + x;
}

void vgp_draw_pixel(const struct vgp_surface_view *s, int32_t x, int32_t y,
		    uint32_t color)
{
	if (x >= 0 && y >= 0 && (uint32_t)x < s->width &&
	    (uint32_t)y < s->height)
		*pixel_at(s, x, y) = color;
}

struct line {
	int64_t a0, b0; /* start on the major, minor axis */
	int64_t sa, sb; /* their directions */
	uint64_t D, d;	/* major and minor deltas */
	int64_t A, B;	/* the surface's extent along major, minor */
	int x_major;
};

static void line_setup(struct line *l, uint32_t width, uint32_t height,
		       int32_t x1, int32_t y1, int32_t x2, int32_t y2)
{
	int64_t dx = (int64_t)x2 - x1, dy = (int64_t)y2 - y1;
	uint64_t adx = (uint64_t)(dx < 0 ? -dx : dx);
	uint64_t ady = (uint64_t)(dy < 0 ? -dy : dy);
	int64_t sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;

	if (adx >= ady) {
		*l = (struct line){x1, y1, sx, sy, adx, ady, width, height, 1};
	} else {
		*l = (struct line){y1, x1, sy, sx, ady, adx, height, width, 0};
	}
}

/* The steps k in [0, D] with a0 + sa k in [0, A). */
static int major_range(const struct line *l, int64_t *lo, int64_t *hi)
{
	if (l->sa > 0) {
		*lo = -l->a0;
		*hi = l->A - 1 - l->a0;
	} else {
		*lo = l->a0 - (l->A - 1);
		*hi = l->a0;
	}
	if (*lo < 0)
		*lo = 0;
	if (*hi > (int64_t)l->D)
		*hi = (int64_t)l->D;
	return *lo <= *hi;
}

/* The steps k with b0 + sb f(k) in [0, B), as [lo, hi] (hi may exceed D:
 * the caller intersects). */
static int minor_range(const struct line *l, int64_t *lo, int64_t *hi)
{
	int64_t jlo, jhi;

	if (l->sb > 0) {
		jlo = -l->b0;
		jhi = l->B - 1 - l->b0;
	} else {
		jlo = l->b0 - (l->B - 1);
		jhi = l->b0;
	}
	if (jlo < 0)
		jlo = 0;
	if (jhi > (int64_t)l->d)
		jhi = (int64_t)l->d;
	if (jlo > jhi)
		return 0;
	if (l->d == 0) { /* f is 0 everywhere, and 0 is in [jlo, jhi] */
		*lo = 0;
		*hi = (int64_t)l->D;
		return 1;
	}
	unsigned __int128 D = l->D, two_d = 2 * (unsigned __int128)l->d;
	if (jlo == 0) {
		*lo = 0;
	} else {
		unsigned __int128 num = 2 * D * (uint64_t)jlo - D + 1;
		*lo = (int64_t)((num + two_d - 1) / two_d);
	}
	unsigned __int128 hi_k = (2 * D * (uint64_t)jhi + D) / two_d;
	*hi = hi_k > l->D ? (int64_t)l->D : (int64_t)hi_k;
	return *lo <= *hi;
}

int vgp_line_visible_steps(uint32_t width, uint32_t height, int32_t x1,
			   int32_t y1, int32_t x2, int32_t y2, uint64_t *first,
			   uint64_t *last)
{
	struct line l;
	int64_t alo, ahi, blo, bhi;

	line_setup(&l, width, height, x1, y1, x2, y2);
	if (!major_range(&l, &alo, &ahi) || !minor_range(&l, &blo, &bhi))
		return 0;
	int64_t lo = alo > blo ? alo : blo, hi = ahi < bhi ? ahi : bhi;
	if (lo > hi)
		return 0;
	*first = (uint64_t)lo;
	*last = (uint64_t)hi;
	return 1;
}

uint64_t vgp_draw_line(const struct vgp_surface_view *s, int32_t x1, int32_t y1,
		       int32_t x2, int32_t y2, uint32_t color)
{
	struct line l;
	uint64_t first, last, drawn = 0;

	if (x1 == x2 && y1 == y2) { /* D = 0: the single point */
		if (x1 >= 0 && y1 >= 0 && (uint32_t)x1 < s->width &&
		    (uint32_t)y1 < s->height) {
			*pixel_at(s, x1, y1) = color;
			return 1;
		}
		return 0;
	}
	if (!vgp_line_visible_steps(s->width, s->height, x1, y1, x2, y2, &first,
				    &last))
		return 0;
	line_setup(&l, s->width, s->height, x1, y1, x2, y2);

	/* f(first) and its remainder, exactly; then walk. */
	uint64_t two_D = 2 * l.D, two_d = 2 * l.d;
	unsigned __int128 num = (unsigned __int128)two_d * first + l.D - 1;
	uint64_t f = (uint64_t)(num / two_D), r = (uint64_t)(num % two_D);
	for (uint64_t k = first;; k++) {
		int64_t a = l.a0 + l.sa * (int64_t)k;
		int64_t b = l.b0 + l.sb * (int64_t)f;
		int64_t x = l.x_major ? a : b, y = l.x_major ? b : a;
		/* Always true by the interval's construction; kept because a
		 * write outside the surface must be impossible, and the tests
		 * count pixels written against the plain loop's. */
		if (x >= 0 && y >= 0 && x < (int64_t)s->width &&
		    y < (int64_t)s->height) {
			*pixel_at(s, x, y) = color;
			drawn++;
		}
		if (k == last)
			break;
		r += two_d; /* r < 2D and 2d <= 2D: at most one carry */
		if (r >= two_D) {
			r -= two_D;
			f++;
		}
	}
	return drawn;
}

/* Every pixel of the box [x0, x1] x [y0, y1] (int64, inclusive) inside the
 * surface. */
static void fill_box(const struct vgp_surface_view *s, int64_t x0, int64_t y0,
		     int64_t x1, int64_t y1, uint32_t color)
{
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > (int64_t)s->width - 1)
		x1 = (int64_t)s->width - 1;
	if (y1 > (int64_t)s->height - 1)
		y1 = (int64_t)s->height - 1;
	for (int64_t y = y0; y <= y1; y++) {
		uint32_t *row = pixel_at(s, 0, y);
		for (int64_t x = x0; x <= x1; x++)
			row[x] = color;
	}
}

void vgp_fill_rect(const struct vgp_surface_view *s, int32_t x, int32_t y,
		   int32_t w, int32_t h, uint32_t color)
{
	if (w <= 0 || h <= 0)
		return;
	fill_box(s, x, y, (int64_t)x + w - 1, (int64_t)y + h - 1, color);
}

void vgp_draw_rect(const struct vgp_surface_view *s, int32_t x, int32_t y,
		   int32_t w, int32_t h, uint32_t color)
{
	if (w <= 0 || h <= 0)
		return;
	int64_t x1 = (int64_t)x + w - 1, y1 = (int64_t)y + h - 1;
	fill_box(s, x, y, x1, y, color);   /* top */
	fill_box(s, x, y1, x1, y1, color); /* bottom (the top again if h 1) */
	fill_box(s, x, (int64_t)y + 1, x, y1 - 1, color);   /* left */
	fill_box(s, x1, (int64_t)y + 1, x1, y1 - 1, color); /* right */
}

void vgp_clear(const struct vgp_surface_view *s, uint32_t color)
{
	fill_box(s, 0, 0, (int64_t)s->width - 1, (int64_t)s->height - 1, color);
}
