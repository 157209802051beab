// SPDX-License-Identifier: MIT
/*
 * viogpu-view's geometry (tools/view/view_map.c) against its one rule,
 * checked pixel by pixel: window pixel (wx, wy) shows head pixel
 * (floor(wx * head_w / win_w), floor(wy * head_h / win_h)).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view_map.h"

static void test_fit(void **state)
{
	static const struct {
		uint32_t hw, hh, mw, mh, ww, wh;
	} cases[] = {
		{1024, 768, 0, 0, 1024, 768},	    /* no limit: 1:1 */
		{1024, 768, 1024, 768, 1024, 768},  /* fits exactly */
		{1024, 768, 1280, 1024, 1024, 768}, /* never scaled up */
		{1024, 768, 512, 512, 512, 384},    /* width decides */
		{1024, 768, 2000, 300, 400, 300},   /* height decides */
		{1024, 768, 512, 384, 512, 384},    /* exactly half */
		{1920, 1080, 1000, 1000, 1000, 562},
		{3840, 2160, 1280, 1024, 1280, 720},
		{1, 16384, 10, 10, 1, 10}, /* never below 1 */
		{16384, 1, 10, 10, 10, 1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t w, h;
		view_fit(cases[i].hw, cases[i].hh, cases[i].mw, cases[i].mh, &w,
			 &h);
		if (w != cases[i].ww || h != cases[i].wh)
			print_error("case %zu: %ux%u\n", i, w, h);
		assert_int_equal(w, cases[i].ww);
		assert_int_equal(h, cases[i].wh);
	}
}

/* The rule, in doubles (exact for these magnitudes). */
static int32_t rule(int32_t w, uint32_t head, uint32_t win)
{
	return (int32_t)floor((double)w * head / win);
}

static void test_to_head(void **state)
{
	static const struct view_map maps[] = {
		{1024, 768, 1024, 768}, {1024, 768, 512, 384},
		{1024, 768, 400, 300},	{1920, 1080, 1000, 562},
		{7, 5, 3, 2},
	};
	static const int32_t pts[] = {
		0,  1,	2,    3,   99,	 100, 399,	  -1,
		-2, -3, -100, 511, 1023, 767, 2147483647, -2147483647 - 1};
	(void)state;
	int32_t x, y;
	view_to_head(&maps[1], 100, 50, &x, &y);
	assert_int_equal(x, 200);
	assert_int_equal(y, 100);
	view_to_head(&maps[1], -1, -1, &x, &y); /* toward minus infinity */
	assert_int_equal(x, -2);
	assert_int_equal(y, -2);
	for (size_t m = 0; m < sizeof(maps) / sizeof(maps[0]); m++)
		for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
			int32_t wx = pts[i], wy = pts[(i + 3) % 16];
			view_to_head(&maps[m], wx, wy, &x, &y);
			if ((double)wx * maps[m].head_w / maps[m].win_w >
				    2147483647.0 ||
			    (double)wx * maps[m].head_w / maps[m].win_w <
				    -2147483648.0)
				continue; /* beyond int32: not asked of it */
			assert_int_equal(
				x, rule(wx, maps[m].head_w, maps[m].win_w));
			if ((double)wy * maps[m].head_h / maps[m].win_h <=
				    2147483647.0 &&
			    (double)wy * maps[m].head_h / maps[m].win_h >=
				    -2147483648.0)
				assert_int_equal(y, rule(wy, maps[m].head_h,
							 maps[m].win_h));
		}
}

static uint32_t rng = 12345;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

/* The window rectangle of a damaged head rectangle is exactly the set of
 * window pixels the rule maps into it; view_scale follows the rule. */
static void test_damage_and_scale(void **state)
{
	(void)state;
	for (int it = 0; it < 300; it++) {
		struct view_map m;
		m.head_w = 1 + rnd(90);
		m.head_h = 1 + rnd(90);
		m.win_w = 1 + rnd(m.head_w);
		m.win_h = 1 + rnd(m.head_h);
		struct view_rect r = {(int64_t)rnd(m.head_w + 20) - 10,
				      (int64_t)rnd(m.head_h + 20) - 10, 0, 0};
		r.x1 = r.x0 + rnd(m.head_w + 5);
		r.y1 = r.y0 + rnd(m.head_h + 5);
		struct view_rect w = view_head_to_win(&m, r);
		for (int64_t wx = 0; wx < m.win_w; wx++) {
			int64_t hx = rule((int32_t)wx, m.head_w, m.win_w);
			int in = hx >= r.x0 && hx < r.x1;
			assert_int_equal(in, wx >= w.x0 && wx < w.x1);
		}
		for (int64_t wy = 0; wy < m.win_h; wy++) {
			int64_t hy = rule((int32_t)wy, m.head_h, m.win_h);
			int in = hy >= r.y0 && hy < r.y1;
			assert_int_equal(in, wy >= w.y0 && wy < w.y1);
		}
		/* scale the whole window, pitches wider than the rows */
		size_t sp = 4 * (size_t)m.head_w + 8,
		       dp = 4 * (size_t)m.win_w + 4;
		uint32_t *src = malloc(sp * m.head_h);
		uint32_t *dst = calloc(dp, m.win_h);
		assert_non_null(src);
		assert_non_null(dst);
		for (size_t p = 0; p < sp * m.head_h / 4; p++)
			src[p] = (uint32_t)p * 2654435761u;
		view_scale(&m, src, sp, dst, dp,
			   (struct view_rect){0, 0, m.win_w, m.win_h});
		for (uint32_t wy = 0; wy < m.win_h; wy++)
			for (uint32_t wx = 0; wx < m.win_w; wx++) {
				uint32_t hx = (uint32_t)rule((int32_t)wx,
							     m.head_w, m.win_w);
				uint32_t hy = (uint32_t)rule((int32_t)wy,
							     m.head_h, m.win_h);
				assert_int_equal(dst[wy * dp / 4 + wx],
						 src[hy * sp / 4 + hx]);
			}
		free(src);
		free(dst);
	}
}

static void test_parse_size(void **state)
{
	uint32_t w = 0, h = 0;
	(void)state;
	assert_int_equal(view_parse_size("640x480", &w, &h), 0);
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	assert_int_equal(view_parse_size("16384x1", &w, &h), 0);
	static const char *const bad[] = {"",	     "640",	 "640x",
					  "x480",    "0x480",	 "640x0",
					  "16385x1", "-1x5",	 "640x480x",
					  "640*480", " 640x480", "640x 480"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(view_parse_size(bad[i], &w, &h), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_to_head),
		cmocka_unit_test(test_damage_and_scale),
		cmocka_unit_test(test_parse_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
