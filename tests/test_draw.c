// SPDX-License-Identifier: MIT
/*
 * The drawing requests' semantics (src/server/draw.c) against an
 * independent plain implementation of the rules: the seed's Bresenham loop
 * run literally over every step with a per-pixel clip, and rectangles
 * decided pixel by pixel from their definition.  Whole buffers are
 * compared, row padding included (it must stay untouched).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draw.h"

#define GUARD 0x5a5a5a5au
#define PAD_PIXELS 3 /* pitch = 4 * (width + PAD_PIXELS) */

struct canvas {
	struct vgp_surface_view v;
	size_t words;
};

static void canvas_init(struct canvas *c, uint32_t w, uint32_t h)
{
	c->v.width = w;
	c->v.height = h;
	c->v.pitch = 4 * ((size_t)w + PAD_PIXELS);
	c->words = (size_t)h * (w + PAD_PIXELS);
	c->v.pixels = malloc(c->words * 4 + 4);
	assert_non_null(c->v.pixels);
	for (size_t i = 0; i < c->words; i++)
		c->v.pixels[i] = GUARD;
}

static void canvas_fini(struct canvas *c)
{
	free(c->v.pixels);
}

static void canvas_reset(struct canvas *c)
{
	for (size_t i = 0; i < c->words; i++)
		c->v.pixels[i] = GUARD;
}

static void ref_plot(struct canvas *c, int64_t x, int64_t y, uint32_t color,
		     uint64_t *count)
{
	if (x < 0 || y < 0 || x >= c->v.width || y >= c->v.height)
		return;
	c->v.pixels[(size_t)y * (c->v.width + PAD_PIXELS) + (size_t)x] = color;
	(*count)++;
}

/* The seed's loop, literally, in 64-bit arithmetic; the first and last step
 * that landed inside are reported too. */
static uint64_t ref_line(struct canvas *c, int64_t x1, int64_t y1, int64_t x2,
			 int64_t y2, uint32_t color, int64_t *first,
			 int64_t *last)
{
	int64_t dx = llabs(x2 - x1), dy = llabs(y2 - y1);
	int64_t sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
	int64_t err = dx - dy;
	uint64_t count = 0;

	*first = *last = -1;
	for (int64_t k = 0;; k++) {
		uint64_t before = count;
		ref_plot(c, x1, y1, color, &count);
		if (count != before) {
			if (*first < 0)
				*first = k;
			*last = k;
		}
		if (x1 == x2 && y1 == y2)
			break;
		int64_t e2 = 2 * err;
		if (e2 > -dy) {
			err -= dy;
			x1 += sx;
		}
		if (e2 < dx) {
			err += dx;
			y1 += sy;
		}
	}
	return count;
}

static void ref_rect(struct canvas *c, int64_t x, int64_t y, int64_t w,
		     int64_t h, uint32_t color, int fill)
{
	uint64_t n = 0;
	for (int64_t py = 0; py < c->v.height; py++)
		for (int64_t px = 0; px < c->v.width; px++) {
			int in = px >= x && px <= x + w - 1 && py >= y &&
				 py <= y + h - 1;
			int edge = px == x || px == x + w - 1 || py == y ||
				   py == y + h - 1;
			if (in && (fill || edge))
				ref_plot(c, px, py, color, &n);
		}
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static int64_t rnd_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* Draws the line both ways and compares buffers, counts and the visible
 * step interval. */
static void check_line(struct canvas *a, struct canvas *b, int32_t x1,
		       int32_t y1, int32_t x2, int32_t y2)
{
	int64_t rf, rl;
	uint64_t first = 0, last = 0;
	uint32_t color = (uint32_t)rnd() | 1;

	canvas_reset(a);
	canvas_reset(b);
	uint64_t want = ref_line(a, x1, y1, x2, y2, color, &rf, &rl);
	uint64_t got = vgp_draw_line(&b->v, x1, y1, x2, y2, color);
	if (got != want || memcmp(a->v.pixels, b->v.pixels, a->words * 4)) {
		print_error("line (%d,%d)-(%d,%d) on %ux%u: %llu pixels, "
			    "want %llu\n",
			    x1, y1, x2, y2, a->v.width, a->v.height,
			    (unsigned long long)got, (unsigned long long)want);
		fail();
	}
	int vis = vgp_line_visible_steps(a->v.width, a->v.height, x1, y1, x2,
					 y2, &first, &last);
	if (want == 0) {
		assert_int_equal(vis, 0);
	} else {
		assert_int_equal(vis, 1);
		assert_int_equal(first, rf);
		assert_int_equal(last, rl);
		/* One interval: every step in it drew. */
		assert_int_equal(last - first + 1, want);
	}
}

static const uint32_t sizes[][2] = {{1, 1},   {1, 17},	{17, 1},
				    {37, 23}, {23, 37}, {64, 48}};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* Every line with both endpoints in a window around each surface: all
 * octants, horizontal, vertical, diagonal and single points. */
static void test_line_exhaustive_small(void **state)
{
	(void)state;
	for (size_t s = 0; s < NSIZES; s++) {
		struct canvas a, b;
		uint32_t w = sizes[s][0], h = sizes[s][1];
		canvas_init(&a, w, h);
		canvas_init(&b, w, h);
		int step = w * h > 400 ? 3 : 1;
		for (int x1 = -4; x1 < (int)w + 4; x1 += step)
			for (int y1 = -4; y1 < (int)h + 4; y1 += step)
				for (int x2 = -4; x2 < (int)w + 4; x2 += step)
					for (int y2 = -4; y2 < (int)h + 4;
					     y2 += step)
						check_line(&a, &b, x1, y1, x2,
							   y2);
		canvas_fini(&a);
		canvas_fini(&b);
	}
}

/* All octants and ratios from a point inside, |dx|, |dy| <= 40. */
static void test_line_all_slopes(void **state)
{
	struct canvas a, b;
	(void)state;
	canvas_init(&a, 37, 23);
	canvas_init(&b, 37, 23);
	for (int dx = -40; dx <= 40; dx++)
		for (int dy = -40; dy <= 40; dy++) {
			check_line(&a, &b, 18, 11, 18 + dx, 11 + dy);
			check_line(&a, &b, 18 + dx, 11 + dy, 18, 11);
		}
	canvas_fini(&a);
	canvas_fini(&b);
}

static void test_line_special_shapes(void **state)
{
	struct canvas a, b;
	(void)state;
	canvas_init(&a, 37, 23);
	canvas_init(&b, 37, 23);
	/* horizontal, vertical, diagonal, single point, through and beside
	 * the surface, from far outside */
	static const int32_t lines[][4] = {
		{-100, 5, 100, 5},     {100, 5, -100, 5},
		{5, -100, 5, 100},     {5, 100, 5, -100},
		{-50, -50, 50, 50},    {50, 50, -50, -50},
		{-50, 50, 50, -50},    {50, -50, -50, 50},
		{3, 3, 3, 3},	       {-1, -1, -1, -1},
		{37, 0, 37, 22},       {0, 23, 36, 23},
		{-1, 0, -1, 22},       {36, 0, 36, 22},
		{-1000, -1, 1000, 1},  {-1000, 22, 1000, 24},
		{0, -1000, 1, 1000},   {36, 1000, 35, -1000},
		{-30000, 5, 30000, 6}, {-999999, 11, 999999, 12},
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		check_line(&a, &b, lines[i][0], lines[i][1], lines[i][2],
			   lines[i][3]);
	canvas_fini(&a);
	canvas_fini(&b);
}

/* Lines crossing the surface from far outside: each passes through a
 * random point near the surface (B = 2C - A), lengths up to ~10^6, where
 * the plain loop is still cheap. */
static void test_line_far_crossing(void **state)
{
	(void)state;
	for (size_t s = 0; s < NSIZES; s++) {
		struct canvas a, b;
		uint32_t w = sizes[s][0], h = sizes[s][1];
		canvas_init(&a, w, h);
		canvas_init(&b, w, h);
		for (int i = 0; i < 40; i++) {
			int64_t r = i < 20 ? 500000 : 5000;
			int64_t cx = rnd_range(-2, w + 2),
				cy = rnd_range(-2, h + 2);
			int64_t ax = rnd_range(-r, r), ay = rnd_range(-r, r);
			check_line(&a, &b, (int32_t)ax, (int32_t)ay,
				   (int32_t)(2 * cx - ax + rnd_range(-1, 1)),
				   (int32_t)(2 * cy - ay + rnd_range(-1, 1)));
		}
		canvas_fini(&a);
		canvas_fini(&b);
	}
}

static void test_line_random(void **state)
{
	struct canvas a, b;
	(void)state;
	canvas_init(&a, 64, 48);
	canvas_init(&b, 64, 48);
	for (int i = 0; i < 20000; i++) {
		int64_t r = (i % 4 == 0) ? 2000 : 120;
		check_line(&a, &b, (int32_t)rnd_range(-r, r),
			   (int32_t)rnd_range(-r, r), (int32_t)rnd_range(-r, r),
			   (int32_t)rnd_range(-r, r));
	}
	canvas_fini(&a);
	canvas_fini(&b);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Lines of length ~2^32: the plain loop would take seconds; the answer is
 * derived by hand and the time bounded. */
static void test_line_huge(void **state)
{
	struct canvas c;
	struct timespec t0;
	(void)state;
	canvas_init(&c, 1920, 1080);

	/* (-2e9, 5) -> (2e9, 7): D = 4e9, d = 2, y = 5 + floor((4k + 4e9 - 1)
	 * / 8e9); on screen k = 2e9 + x, so y = 6 across the whole width. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t n = vgp_draw_line(&c.v, -2000000000, 5, 2000000000, 7, 7);
	double ms = ms_since(&t0);
	assert_int_equal(n, 1920);
	for (uint32_t y = 0; y < 1080; y++)
		for (uint32_t x = 0; x < 1920; x++)
			assert_int_equal(
				c.v.pixels[y * (1920 + PAD_PIXELS) + x],
				y == 6 ? 7u : GUARD);
	assert_true(ms < 10.0);

	/* The full diagonal of int32: x == y on screen. */
	canvas_reset(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = vgp_draw_line(&c.v, INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX, 9);
	assert_true(ms_since(&t0) < 10.0);
	assert_int_equal(n, 1080);
	for (uint32_t i = 0; i < 1080; i++)
		assert_int_equal(c.v.pixels[i * (1920 + PAD_PIXELS) + i], 9);

	/* A vertical of length 2^32 - 1 at x = 100. */
	canvas_reset(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = vgp_draw_line(&c.v, 100, INT32_MAX, 100, INT32_MIN, 3);
	assert_true(ms_since(&t0) < 10.0);
	assert_int_equal(n, 1080);
	for (uint32_t y = 0; y < 1080; y++)
		assert_int_equal(c.v.pixels[y * (1920 + PAD_PIXELS) + 100], 3);

	/* Never entering: nothing, and at once. */
	canvas_reset(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = vgp_draw_line(&c.v, INT32_MIN, -1, INT32_MAX, -2, 3);
	assert_int_equal(n, 0);
	assert_true(ms_since(&t0) < 10.0);
	/* The anti-diagonal of int32 keeps x + y = -1: never on screen. */
	n = vgp_draw_line(&c.v, INT32_MIN, INT32_MAX, INT32_MAX, INT32_MIN, 3);
	assert_int_equal(n, 0);
	/* One below it, x + y = 0, touches exactly (0, 0). */
	n = vgp_draw_line(&c.v, INT32_MIN + 1, INT32_MAX, INT32_MAX,
			  INT32_MIN + 1, 3);
	assert_int_equal(n, 1);
	assert_int_equal(c.v.pixels[0], 3);
	assert_true(ms_since(&t0) < 10.0);
	canvas_fini(&c);
}

/* The closed form at the extremes against the plain loop fast-forwarded:
 * the loop is exact in 64 bits, so starting it at a step computed from
 * its own invariant would not be independent; instead lines of length up
 * to 2^22 are run in full, with endpoints near the int32 limits shifted so
 * the surface sits where the steps are. */
static void test_line_long_exact(void **state)
{
	struct canvas a, b;
	(void)state;
	canvas_init(&a, 37, 23);
	canvas_init(&b, 37, 23);
	for (int i = 0; i < 24; i++) {
		int64_t len = rnd_range(1 << 20, 1 << 22);
		int64_t rise = rnd_range(0, len);
		int64_t off = rnd_range(0, len);
		/* start far left/above, end far right/below or mirrored */
		int32_t x1 = (int32_t)-off, y1 = (int32_t)(-(off * rise) / len);
		int32_t x2 = (int32_t)(len - off),
			y2 = (int32_t)(rise - (off * rise) / len);
		if (i & 1)
			check_line(&a, &b, x1, y1 + 11, x2, y2 + 11);
		else
			check_line(&a, &b, y1 + 18, x1 + 11, y2 + 18, x2 + 11);
	}
	canvas_fini(&a);
	canvas_fini(&b);
}

static void check_rect(struct canvas *a, struct canvas *b, int32_t x, int32_t y,
		       int32_t w, int32_t h, int fill)
{
	uint32_t color = (uint32_t)rnd() | 1;
	canvas_reset(a);
	canvas_reset(b);
	ref_rect(a, x, y, w, h, color, fill);
	if (fill)
		vgp_fill_rect(&b->v, x, y, w, h, color);
	else
		vgp_draw_rect(&b->v, x, y, w, h, color);
	if (memcmp(a->v.pixels, b->v.pixels, a->words * 4)) {
		print_error("%s (%d,%d) %dx%d differs\n",
			    fill ? "fill" : "rect", x, y, w, h);
		fail();
	}
}

static void test_rects(void **state)
{
	struct canvas a, b;
	(void)state;
	canvas_init(&a, 37, 23);
	canvas_init(&b, 37, 23);
	for (int fill = 0; fill < 2; fill++) {
		/* every small box around and across the surface */
		for (int x = -4; x < 40; x += 2)
			for (int y = -4; y < 26; y += 2)
				for (int w = 0; w < 44; w += 3)
					for (int h = 0; h < 30; h += 3)
						check_rect(&a, &b, x, y, w, h,
							   fill);
		/* thin: 1 x N, N x 1, 2 x N */
		for (int n = 0; n < 40; n++) {
			check_rect(&a, &b, 5, -3, 1, n, fill);
			check_rect(&a, &b, -3, 5, n, 1, fill);
			check_rect(&a, &b, 7, -2, 2, n, fill);
		}
		/* extremes: the box's far corner beyond int32 */
		check_rect(&a, &b, INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX,
			   fill);
		check_rect(&a, &b, -10, -10, INT32_MAX, INT32_MAX, fill);
		check_rect(&a, &b, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX,
			   fill);
		check_rect(&a, &b, -1, -1, 39, 25, fill);
		check_rect(&a, &b, 0, 0, 37, 23, fill);
		for (int i = 0; i < 3000; i++)
			check_rect(&a, &b, (int32_t)rnd_range(-60, 60),
				   (int32_t)rnd_range(-60, 60),
				   (int32_t)rnd_range(0, 120),
				   (int32_t)rnd_range(0, 120), fill);
	}
	/* zero and negative sizes draw nothing (the decoder refuses the
	 * negative ones; drawing must still be safe) */
	canvas_reset(&b);
	vgp_fill_rect(&b.v, 3, 3, 0, 5, 1);
	vgp_fill_rect(&b.v, 3, 3, 5, 0, 1);
	vgp_fill_rect(&b.v, 3, 3, -5, 5, 1);
	vgp_draw_rect(&b.v, 3, 3, 5, -5, 1);
	vgp_draw_rect(&b.v, 3, 3, INT32_MIN, INT32_MIN, 1);
	for (size_t i = 0; i < b.words; i++)
		assert_int_equal(b.v.pixels[i], GUARD);
	canvas_fini(&a);
	canvas_fini(&b);
}

static void test_pixels_and_clear(void **state)
{
	struct canvas c;
	(void)state;
	canvas_init(&c, 37, 23);
	vgp_draw_pixel(&c.v, 0, 0, 1);
	vgp_draw_pixel(&c.v, 36, 22, 2);
	vgp_draw_pixel(&c.v, 37, 0, 3); /* outside: nothing */
	vgp_draw_pixel(&c.v, 0, 23, 3);
	vgp_draw_pixel(&c.v, -1, 5, 3);
	vgp_draw_pixel(&c.v, INT32_MIN, INT32_MAX, 3);
	assert_int_equal(c.v.pixels[0], 1);
	assert_int_equal(c.v.pixels[22 * 40 + 36], 2);
	size_t changed = 0;
	for (size_t i = 0; i < c.words; i++)
		changed += c.v.pixels[i] != GUARD;
	assert_int_equal(changed, 2);
	vgp_draw_pixel(&c.v, 36, 22, 0); /* CLEAR_PIXEL: to black */
	assert_int_equal(c.v.pixels[22 * 40 + 36], 0);

	vgp_clear(&c.v, 0x123456);
	for (uint32_t y = 0; y < 23; y++)
		for (uint32_t x = 0; x < 40; x++)
			assert_int_equal(c.v.pixels[y * 40 + x],
					 x < 37 ? 0x123456u : GUARD);
	canvas_fini(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_exhaustive_small),
		cmocka_unit_test(test_line_all_slopes),
		cmocka_unit_test(test_line_special_shapes),
		cmocka_unit_test(test_line_far_crossing),
		cmocka_unit_test(test_line_random),
		cmocka_unit_test(test_line_huge),
		cmocka_unit_test(test_line_long_exact),
		cmocka_unit_test(test_rects),
		cmocka_unit_test(test_pixels_and_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
