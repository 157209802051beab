// SPDX-License-Identifier: MIT
/*
 * Present from a source image and cursor shapes on the device model,
 * through the real driver core: what the device shows (screendump) after
 * moves and dirty rectangles at every rotation, what it is sent when
 * nothing changed or a call is refused, and the cursor it holds
 * (vg_sim_get_cursor) for every cursor form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "viogpu/display.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/sim.h"
#include "viogpu/surface.h"

#include "present_ref.h"
#include "sim_env.h"

#define FW 320u
#define FH 200u

static const enum vg_rotation rotations[] = {VG_ROTATE_0, VG_ROTATE_90,
					     VG_ROTATE_180, VG_ROTATE_270};

/* A source for rot on the FW x FH mode, with pitch padding. */
struct src {
	struct vg_present_source s;
	uint8_t *buf;
};

static void src_make(struct src *t, enum vg_rotation rot,
		     enum vg_pixel_format f, uint32_t seed)
{
	bool tr = rot == VG_ROTATE_90 || rot == VG_ROTATE_270;
	uint32_t w = tr ? FH : FW, h = tr ? FW : FH, pitch = w * 4 + 36;

	t->buf = malloc((size_t)pitch * h);
	assert_non_null(t->buf);
	ref_fill_source(t->buf, w, h, pitch, seed);
	t->s = (struct vg_present_source){t->buf, pitch, f, w, h, rot};
}

static uint64_t commands(struct env *e)
{
	struct vg_sim_counters c;

	vg_sim_get_counters(e->sim, &c);
	return c.commands;
}

/* Full picture, then moves (a scroll, an overlapping block, order that
 * matters) and dirty rectangles from a new picture; the device shows the
 * per-pixel reference each time. */
static void test_present_rotations(void **state)
{
	(void)state;
	for (size_t r = 0; r < 4; r++) {
		struct env e = {0};
		struct src a, b;
		uint32_t *ref = calloc((size_t)FW * FH, 4);
		struct ref_fb rf = {ref, FW, FH, rotations[r]};

		env_up(&e, NULL, 0);
		assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FW, FH), VG_OK);
		src_make(&a, rotations[r], VG_PIXEL_B8G8R8A8, 1);
		src_make(&b, rotations[r], VG_PIXEL_R8G8B8X8, 2);
		uint32_t w = a.s.width, h = a.s.height;

		struct vg_rect all = {0, 0, w, h};
		assert_int_equal(
			vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, &all, 1),
			VG_OK);
		ref_dirty(&rf, &a.s, &all);
		assert_screen(e.sim, 0, ref, FW, FH);

		const struct vg_move_rect m[] = {
			{0, 7, {0, 0, w, h - 7}},   /* scroll up 7 */
			{10, 10, {13, 12, 40, 30}}, /* overlapping block */
			{13, 12, {0, 0, 20, 20}},   /* reads the block moved */
		};
		const struct vg_rect d[] = {
			{0, h - 7, w, 7},    /* the revealed strip */
			{30, 40, 25, 9},     /* over a move's result */
			{w - 3, 5, 10, 100}, /* clipped */
		};
		assert_int_equal(
			vg_gpu_present_source(e.gpu, 0, &b.s, m, 3, d, 3),
			VG_OK);
		for (int i = 0; i < 3; i++)
			ref_move(&rf, &m[i]);
		for (int i = 0; i < 3; i++)
			ref_dirty(&rf, &b.s, &d[i]);
		assert_screen(e.sim, 0, ref, FW, FH);
		free(a.buf);
		free(b.buf);
		free(ref);
		env_down(&e);
	}
}

/* More moves and dirty rectangles than one present carries (they are
 * presented in chunks): the device still ends up with every change. */
static void test_present_many_rects(void **state)
{
	enum { NM = 150, ND = 300 };
	struct env e = {0};
	struct src a, b;
	uint32_t *ref = calloc((size_t)FW * FH, 4);
	struct ref_fb rf = {ref, FW, FH, VG_ROTATE_270};
	struct vg_move_rect *m = calloc(NM, sizeof(*m));
	struct vg_rect *d = calloc(ND, sizeof(*d));

	(void)state;
	env_up(&e, NULL, 0);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FW, FH), VG_OK);
	src_make(&a, VG_ROTATE_270, VG_PIXEL_B8G8R8X8, 3);
	src_make(&b, VG_ROTATE_270, VG_PIXEL_B8G8R8X8, 4);
	struct vg_rect all = {0, 0, a.s.width, a.s.height};
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, &all, 1), VG_OK);
	ref_dirty(&rf, &a.s, &all);
	for (uint32_t i = 0; i < NM; i++) /* small blocks, each moved */
		m[i] = (struct vg_move_rect){
			(i * 37) % 190,
			(i * 53) % 310,
			{(i * 11) % 190, (i * 29) % 310, 1 + i % 9, 1 + i % 7}};
	for (uint32_t i = 0; i < ND; i++)
		d[i] = (struct vg_rect){(i * 13) % 200, (i * 7) % 320,
					1 + i % 3, 1 + i % 2};
	uint64_t c0 = commands(&e);
	assert_int_equal(vg_gpu_present_source(e.gpu, 0, &b.s, m, NM, d, ND),
			 VG_OK);
	assert_true(commands(&e) - c0 >= NM + ND);
	for (uint32_t i = 0; i < NM; i++)
		ref_move(&rf, &m[i]);
	for (uint32_t i = 0; i < ND; i++)
		ref_dirty(&rf, &b.s, &d[i]);
	assert_screen(e.sim, 0, ref, FW, FH);
	free(a.buf);
	free(b.buf);
	free(ref);
	free(m);
	free(d);
	env_down(&e);
}

/* Nothing changed sends nothing (an empty list is not "the whole
 * frame"); refused calls send nothing and leave the picture. */
static void test_present_nothing_and_refused(void **state)
{
	struct env e = {0};
	struct src a, wrong;
	struct vg_rect all = {0, 0, FW, FH};

	(void)state;
	env_up(&e, NULL, 0);
	src_make(&a, VG_ROTATE_0, VG_PIXEL_B8G8R8X8, 5);
	/* No mode on the head yet. */
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, &all, 1),
		VG_E_INVAL);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FW, FH), VG_OK);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, &all, 1), VG_OK);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	uint32_t *before = fb_copy(fb);
	uint64_t c0 = commands(&e);

	const struct vg_rect empty[] = {{0, 0, 0, 10}, {FW, 0, 5, 5}};
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, empty, 2),
		VG_OK);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, NULL, 0), VG_OK);
	const struct vg_move_rect bad[] = {{0, 0, {0, 0, 10, 10}},
					   {0, 0, {FW - 5, 0, 10, 10}}};
	assert_int_equal(vg_gpu_present_source(e.gpu, 0, &a.s, bad, 2, &all, 1),
			 VG_E_RANGE);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 1, &a.s, NULL, 0, &all, 1),
		VG_E_RANGE);
	src_make(&wrong, VG_ROTATE_90, VG_PIXEL_B8G8R8X8, 6);
	wrong.s.rotation = VG_ROTATE_0; /* 200 x 320 on a 320 x 200 mode */
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &wrong.s, NULL, 0, &all, 1),
		VG_E_RANGE);
	assert_int_equal(commands(&e), c0);
	assert_memory_equal(vg_fb_pixels(fb), before, (size_t)FW * FH * 4);
	assert_shows(e.sim, 0, fb);
	free(before);
	free(a.buf);
	free(wrong.buf);
	env_down(&e);
}

/* ---- cursor ---- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void assert_cursor(struct env *e, const uint32_t *want, uint32_t hx,
			  uint32_t hy, uint32_t x, uint32_t y)
{
	struct vg_sim_cursor *c = malloc(sizeof(*c));

	assert_int_equal(vg_sim_get_cursor(e->sim, 0, c), VG_OK);
	assert_true(c->visible);
	assert_int_equal(c->hot_x, hx);
	assert_int_equal(c->hot_y, hy);
	assert_int_equal(c->x, x);
	assert_int_equal(c->y, y);
	assert_int_equal(c->width, 64);
	assert_int_equal(c->height, 64);
	for (int i = 0; i < 64 * 64; i++)
		if (c->image[i] != want[i]) {
			print_error("cursor (%d,%d): 0x%08x, want 0x%08x\n",
				    i % 64, i / 64, c->image[i], want[i]);
			fail();
		}
	free(c);
}

static void test_cursor_forms(void **state)
{
	struct env e = {0};
	uint32_t *want = calloc(64 * 64, 4);
	uint8_t *bits = calloc(64 * 130, 1);

	(void)state;
	env_up(&e, NULL, 0);

	/* Monochrome 17 x 33 (66 bitmap rows), pitch 5 (3 needed): a
	 * diagonal band of white on black, an inverted column, the rest
	 * transparent. */
	const uint32_t mp = 5;
	for (uint32_t y = 0; y < 33; y++)
		for (uint32_t x = 0; x < 17; x++) {
			bool and_bit = x > 12, xor_bit = x == y % 17 || x == 15;
			uint8_t m = (uint8_t)(0x80 >> (x % 8));
			if (and_bit)
				bits[y * mp + x / 8] |= m;
			if (xor_bit)
				bits[(33 + y) * mp + x / 8] |= m;
			want[y * 64 + x] = and_bit ? (xor_bit ? 0xff000000u : 0)
					   : xor_bit ? 0xffffffffu
						     : 0xff000000u;
		}
	struct vg_cursor_shape mono = {
		VG_CURSOR_MONOCHROME, bits, 17, 66, mp, 5, 30};
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &mono, 100, 50),
			 VG_OK);
	assert_cursor(&e, want, 5, 30, 100, 50);

	/* Color 64 x 64, straight alpha, pitch padded. */
	const uint32_t cp = 64 * 4 + 8;
	memset(bits, 0, 64 * 130);
	uint8_t *cb = calloc((size_t)cp * 64, 1);
	for (uint32_t y = 0; y < 64; y++)
		for (uint32_t x = 0; x < 64; x++) {
			uint32_t v = (x * 4) << 24 | y << 16 | x << 8 | (x ^ y);
			put32(cb + y * cp + x * 4, v);
			want[y * 64 + x] = v;
		}
	struct vg_cursor_shape color = {VG_CURSOR_COLOR, cb, 64, 64, cp, 63, 1};
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &color, 7, 9),
			 VG_OK);
	assert_cursor(&e, want, 63, 1, 7, 9);

	/* Masked color 1 x 1 then 3 x 2: replace, XOR 0, XOR colour. */
	memset(want, 0, 64 * 64 * 4);
	put32(cb, 0x00abcdef);
	struct vg_cursor_shape one = {
		VG_CURSOR_MASKED_COLOR, cb, 1, 1, 4, 0, 0};
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &one, 1, 2), VG_OK);
	want[0] = 0xffabcdef;
	assert_cursor(&e, want, 0, 0, 1, 2);
	const uint32_t mv[6] = {0x00112233, 0xff000000, 0xff00ff00,
				0xffffffff, 0x00000000, 0xff0000ff};
	for (int i = 0; i < 6; i++)
		put32(cb + (i / 3) * 16 + (i % 3) * 4, mv[i]);
	struct vg_cursor_shape mc = {
		VG_CURSOR_MASKED_COLOR, cb, 3, 2, 16, 2, 1};
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &mc, 3, 4), VG_OK);
	want[0] = 0xff112233;
	want[1] = 0;
	want[2] = 0xffff00ff;
	want[64] = 0xff000000;
	want[65] = 0xff000000;
	want[66] = 0xffffff00;
	assert_cursor(&e, want, 2, 1, 3, 4);

	/* Refused shapes send nothing and keep the cursor. */
	uint64_t c0 = commands(&e);
	struct vg_cursor_shape bad = mc;
	bad.hot_y = 2;
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &bad, 0, 0),
			 VG_E_RANGE);
	bad = mc;
	bad.pitch = 11;
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &bad, 0, 0),
			 VG_E_INVAL);
	bad = mono;
	bad.height = 65;
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &bad, 0, 0),
			 VG_E_INVAL);
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 1, &mc, 0, 0),
			 VG_E_RANGE);
	assert_int_equal(commands(&e), c0);
	assert_cursor(&e, want, 2, 1, 3, 4);
	free(cb);
	free(bits);
	free(want);
	env_down(&e);
}

/* Powered down: both calls refuse at once and touch nothing. */
static void test_power_refused(void **state)
{
	struct env e = {0};
	struct src a;
	struct vg_rect all = {0, 0, FW, FH};
	uint32_t px = 0xff00ff00;
	struct vg_cursor_shape one = {VG_CURSOR_COLOR, &px, 1, 1, 4, 0, 0};

	(void)state;
	env_up(&e, NULL, 0);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FW, FH), VG_OK);
	src_make(&a, VG_ROTATE_0, VG_PIXEL_B8G8R8X8, 7);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	uint32_t *before = fb_copy(fb);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, &all, 1),
		VG_E_POWER);
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &one, 0, 0),
			 VG_E_POWER);
	assert_memory_equal(vg_fb_pixels(fb), before, (size_t)FW * FH * 4);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &a.s, NULL, 0, &all, 1), VG_OK);
	free(before);
	free(a.buf);
	env_down(&e);
}

/* The shape set through the new call survives a reset and a hibernate:
 * the device model shows the same image, hot spot and position after. */
static void test_cursor_shape_restored(void **state)
{
	struct env e = {0};
	uint32_t *want = calloc(64 * 64, 4);
	uint32_t px[3 * 5];

	(void)state;
	env_up(&e, NULL, 0);
	for (int i = 0; i < 15; i++) {
		px[i] = 0x80000000u | (uint32_t)(i * 0x0a0b0c);
		want[(i / 3) * 64 + i % 3] = px[i];
	}
	struct vg_cursor_shape s = {VG_CURSOR_COLOR, px, 3, 5, 12, 1, 4};
	assert_int_equal(vg_gpu_cursor_set_shape(e.gpu, 0, &s, 40, 60), VG_OK);
	assert_cursor(&e, want, 1, 4, 40, 60);
	assert_int_equal(vg_gpu_reset(e.gpu), VG_OK);
	assert_cursor(&e, want, 1, 4, 40, 60);
	assert_int_equal(
		vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_HIBERNATE),
		VG_OK);
	assert_int_equal(vg_sim_power_cycle(e.sim, true), VG_OK);
	assert_int_equal(
		vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_HIBERNATE),
		VG_OK);
	assert_cursor(&e, want, 1, 4, 40, 60);
	free(want);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_present_rotations),
		cmocka_unit_test(test_present_many_rects),
		cmocka_unit_test(test_present_nothing_and_refused),
		cmocka_unit_test(test_cursor_forms),
		cmocka_unit_test(test_power_refused),
		cmocka_unit_test(test_cursor_shape_restored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
