// SPDX-License-Identifier: MIT
/*
 * Present from a source image and cursor shapes, on plain buffers: the
 * converters, the rotation mapping, moves, dirty rectangles, the list of
 * changed rectangles, and the cursor forms.  Everything is compared with
 * the one-pixel-at-a-time references of present_ref.h, and the rotation
 * direction is anchored by a picture drawn by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "viogpu/present.h"

#include "blit.h"
#include "convert.h"
#include "cursor_shape.h"
#include "present_ref.h"
#include "viogpu/color.h"

static const enum vg_pixel_format formats[] = {
	VG_PIXEL_B8G8R8X8,
	VG_PIXEL_B8G8R8A8,
	VG_PIXEL_R8G8B8X8,
	VG_PIXEL_R8G8B8A8,
};
static const enum vg_rotation rotations[] = {VG_ROTATE_0, VG_ROTATE_90,
					     VG_ROTATE_180, VG_ROTATE_270};

/* ---- converters ---- */

static void test_convert_channel_order(void **state)
{
	/* Bytes 0x11 0x22 0x33 0x44 in memory. */
	static const uint8_t px[4] = {0x11, 0x22, 0x33, 0x44};
	static const struct {
		enum vg_pixel_format f;
		uint32_t want;
	} cases[] = {
		{VG_PIXEL_B8G8R8X8, 0x00332211}, /* B first */
		{VG_PIXEL_B8G8R8A8, 0x00332211},
		{VG_PIXEL_R8G8B8X8, 0x00112233}, /* R first */
		{VG_PIXEL_R8G8B8A8, 0x00112233},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vg_converter c;
		uint32_t out = 0xdeadbeef;
		assert_true(vg_converter_for_format(cases[i].f, &c));
		assert_null(c.ctx);
		c.row(c.ctx, &out, px, 4, 1);
		assert_int_equal(out, cases[i].want);
		c.row(c.ctx, &out, px, -4, 1); /* strided path, one pixel */
		assert_int_equal(out, cases[i].want);
	}
	struct vg_converter c = {NULL, NULL};
	assert_false(vg_converter_for_format((enum vg_pixel_format)0, &c));
	assert_false(vg_converter_for_format((enum vg_pixel_format)9, &c));
	/* FP16 is scRGB: only a head's HDR tables convert it. */
	assert_false(vg_converter_for_format(VG_PIXEL_R16G16B16A16_FLOAT, &c));
	assert_null(c.row);
	assert_int_equal(vg_format_bytes((enum vg_pixel_format)0), 0);
	assert_int_equal(vg_format_bytes(VG_PIXEL_R8G8B8A8), 4);
	assert_int_equal(vg_format_bytes(VG_PIXEL_R10G10B10X2), 4);
	assert_int_equal(vg_format_bytes(VG_PIXEL_R16G16B16A16_FLOAT), 8);
	assert_int_equal(vg_format_bytes((enum vg_pixel_format)9), 0);
}

/* 10-bit SDR on an sRGB head (table-free, convert.c) is exactly what the
 * HDR module's sRGB 10-bit path gives, for every code of every channel,
 * in both layouts, alpha ignored, in both directions. */
static void test_convert_10bit_sdr_is_module(void **state)
{
	static const struct {
		enum vg_pixel_format pf;
		enum vg_src_format sf;
	} f[] = {
		{VG_PIXEL_R10G10B10A2, VG_SRC_R10G10B10A2},
		{VG_PIXEL_R10G10B10X2, VG_SRC_R10G10B10X2},
		{VG_PIXEL_B10G10R10A2, VG_SRC_B10G10R10A2},
	};
	enum { N = 1024 };
	uint32_t *src = malloc(N * 4), got[N], rev[N], want[N];
	void *mem = malloc(vg_hdr_tables_size()); /* aligned for max_align_t */

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct vg_converter c, m;
		assert_true(vg_converter_for_format(f[k].pf, &c));
		assert_int_equal(
			vg_hdr_converter_init(mem, vg_hdr_tables_size(),
					      f[k].sf, VG_CS_SRGB, NULL, &m),
			VG_OK);
		for (uint32_t i = 0; i < N; i++) /* every code, mixed */
			src[i] = i | ((i * 7) % N) << 10 | ((N - 1 - i) << 20) |
				 (i & 3) << 30;
		c.row(c.ctx, got, (const uint8_t *)src, 4, N);
		c.row(c.ctx, rev, (const uint8_t *)(src + N - 1), -4, N);
		m.row(m.ctx, want, (const uint8_t *)src, 4, N);
		for (uint32_t i = 0; i < N; i++) {
			assert_int_equal(got[i], want[i]);
			assert_int_equal(rev[N - 1 - i], want[i]);
		}
		/* Anchors: 0 -> 0, 1023 -> 255, 512 -> 128 (127.6). */
		uint32_t one = 1023u
			       << (f[k].pf == VG_PIXEL_B10G10R10A2 ? 20 : 0);
		c.row(c.ctx, got, (const uint8_t *)&one, 4, 1);
		assert_int_equal(got[0], 0xff0000);
		one = 512u << 10;
		c.row(c.ctx, got, (const uint8_t *)&one, 4, 1);
		assert_int_equal(got[0], 0x008000);
	}
	free(mem);
	free(src);
}

/* vg_blit_present has no head: FP16 (scRGB, needs tables) is refused and
 * the framebuffer untouched. */
static void test_blit_present_fp16_refused(void **state)
{
	uint64_t px[4] = {0};
	uint32_t fb[4] = {1, 2, 3, 4};
	struct vg_blit_fb bf = {fb, 8, 2, 2};
	struct vg_present_source s = {px, 16, VG_PIXEL_R16G16B16A16_FLOAT,
				      2,  2,  VG_ROTATE_0};
	struct vg_rect all = {0, 0, 2, 2}, out[1];
	unsigned n = 7;

	(void)state;
	assert_int_equal(vg_blit_present(&bf, &s, NULL, 0, &all, 1, out, &n),
			 VG_E_UNSUPPORTED);
	assert_int_equal(n, 0);
	assert_int_equal(fb[0], 1);
	assert_int_equal(fb[3], 4);
	s.pitch = 15; /* < width * 8 */
	assert_int_equal(vg_blit_check(&bf, &s, NULL, 0), VG_E_INVAL);
}

static void test_convert_alpha_ignored(void **state)
{
	(void)state;
	for (size_t f = 0; f < 4; f++) {
		struct vg_converter c;
		uint8_t a[4 * 256];
		uint32_t out[256];
		assert_true(vg_converter_for_format(formats[f], &c));
		for (int i = 0; i < 256; i++) {
			a[i * 4 + 0] = 0x12;
			a[i * 4 + 1] = 0x34;
			a[i * 4 + 2] = 0x56;
			a[i * 4 + 3] = (uint8_t)i; /* every alpha / X value */
		}
		c.row(c.ctx, out, a, 4, 256);
		uint32_t want = formats[f] <= VG_PIXEL_B8G8R8A8 ? 0x00563412
								: 0x00123456;
		for (int i = 0; i < 256; i++)
			assert_int_equal(out[i], want);
		c.row(c.ctx, out, a + 255 * 4, -4, 256);
		for (int i = 0; i < 256; i++)
			assert_int_equal(out[i], want);
	}
}

/* The fast path (step == 4) and the strided paths give what the plain
 * decode gives, pixel for pixel, in both directions and with a pitch. */
static void test_convert_fast_equals_strided(void **state)
{
	enum { N = 301, PITCH = 4 * N + 8 };
	uint8_t *src = malloc((size_t)PITCH * 2);
	uint8_t *col = malloc((size_t)PITCH * N);
	uint32_t fast[N], rev[N], down[N], up[N];

	(void)state;
	for (size_t i = 0; i < (size_t)PITCH * 2; i++)
		src[i] = (uint8_t)(i * 37 + 11);
	/* A column: pixel i at row i of a pitched image. */
	for (size_t i = 0; i < N; i++)
		memcpy(col + i * PITCH, src + 4 + i * 4, 4);
	for (size_t f = 0; f < 4; f++) {
		struct vg_converter c;
		assert_true(vg_converter_for_format(formats[f], &c));
		/* Unaligned on purpose: sources need no alignment. */
		c.row(c.ctx, fast, src + 4, 4, N);
		c.row(c.ctx, rev, src + 4 + (N - 1) * 4, -4, N);
		c.row(c.ctx, down, col, PITCH, N);
		c.row(c.ctx, up, col + (size_t)(N - 1) * PITCH, -PITCH, N);
		for (size_t i = 0; i < N; i++) {
			uint32_t want = ref_decode(formats[f], src + 4 + i * 4);
			assert_int_equal(fast[i], want);
			assert_int_equal(rev[N - 1 - i], want);
			assert_int_equal(down[i], want);
			assert_int_equal(up[N - 1 - i], want);
		}
	}
	free(src);
	free(col);
}

/* ---- rotation ---- */

struct setup {
	uint32_t fw, fh, sw, sh, pitch;
	uint8_t *src;
	uint32_t *fb, *ref;
	struct vg_present_source s;
	struct vg_blit_fb bf;
	struct ref_fb rf;
};

/* A fw x fh framebuffer filled with fb_seed values and a matching source
 * for rot with pitch padding. */
static void setup(struct setup *t, uint32_t fw, uint32_t fh,
		  enum vg_rotation rot, enum vg_pixel_format f, uint32_t pad,
		  uint32_t seed)
{
	bool tr = rot == VG_ROTATE_90 || rot == VG_ROTATE_270;

	t->fw = fw;
	t->fh = fh;
	t->sw = tr ? fh : fw;
	t->sh = tr ? fw : fh;
	t->pitch = t->sw * 4 + pad;
	t->src = malloc((size_t)t->pitch * t->sh);
	ref_fill_source(t->src, t->sw, t->sh, t->pitch, seed);
	t->fb = malloc((size_t)fw * fh * 4);
	t->ref = malloc((size_t)fw * fh * 4);
	for (uint32_t i = 0; i < fw * fh; i++)
		t->fb[i] = t->ref[i] = 0x00800000u | i; /* distinct, old */
	t->s = (struct vg_present_source){t->src, t->pitch, f,
					  t->sw,  t->sh,    rot};
	t->bf = (struct vg_blit_fb){t->fb, fw * 4, fw, fh};
	t->rf = (struct ref_fb){t->ref, fw, fh, rot};
}

static void teardown(struct setup *t)
{
	free(t->src);
	free(t->fb);
	free(t->ref);
}

static void assert_fb_is_ref(const struct setup *t)
{
	for (uint32_t i = 0; i < t->fw * t->fh; i++)
		if (t->fb[i] != t->ref[i]) {
			print_error("rot %d fb (%u,%u): 0x%08x, want 0x%08x\n",
				    (int)t->s.rotation, i % t->fw, i / t->fw,
				    t->fb[i], t->ref[i]);
			fail();
		}
}

/* The direction, drawn by hand: a 3 x 2 source A B C / D E F on a path
 * rotated 90 is a 2 x 3 framebuffer C F / B E / A D (the picture turned
 * a quarter counter-clockwise, so a monitor turned clockwise shows it
 * upright), as the display-only sample's mapping gives. */
static void test_rotation_by_hand(void **state)
{
	static const uint32_t want[4][6] = {
		/* 0:   3 x 2 */ {0xA, 0xB, 0xC, 0xD, 0xE, 0xF},
		/* 90:  2 x 3 */ {0xC, 0xF, 0xB, 0xE, 0xA, 0xD},
		/* 180: 3 x 2 */ {0xF, 0xE, 0xD, 0xC, 0xB, 0xA},
		/* 270: 2 x 3 */ {0xD, 0xA, 0xE, 0xB, 0xF, 0xC},
	};
	uint8_t src[2][3][4] = {0};
	const char *names = "ABCDEF";

	(void)state;
	for (int i = 0; i < 6; i++)
		src[i / 3][i % 3][0] = (uint8_t)(0xA + i); /* blue = letter */
	(void)names;
	for (int r = 0; r < 4; r++) {
		bool tr = r == 1 || r == 3;
		uint32_t fb[6], n = 0;
		struct vg_rect out[1], all = {0, 0, 3, 2};
		struct vg_present_source s = {src, 12, VG_PIXEL_B8G8R8X8,
					      3,   2,  rotations[r]};
		struct vg_blit_fb bf = {fb, tr ? 8 : 12, tr ? 2 : 3,
					tr ? 3 : 2};
		memset(fb, 0xff, sizeof(fb));
		assert_int_equal(
			vg_blit_present(&bf, &s, NULL, 0, &all, 1, out, &n),
			VG_OK);
		assert_int_equal(n, 1);
		assert_memory_equal(fb, want[r], sizeof(fb));
		assert_int_equal(out[0].x, 0);
		assert_int_equal(out[0].y, 0);
		assert_int_equal(out[0].width, bf.width);
		assert_int_equal(out[0].height, bf.height);
	}
}

/* Every rotation, every format, non-square, padded pitch: a full present
 * and then a partial one equal the per-pixel reference. */
static void test_rotation_matches_reference(void **state)
{
	static const uint32_t sizes[][2] = {{7, 5}, {5, 7}, {16, 3}, {1, 9}};

	(void)state;
	for (size_t z = 0; z < 4; z++)
		for (size_t r = 0; r < 4; r++)
			for (size_t f = 0; f < 4; f++) {
				struct setup t;
				struct vg_rect out[2];
				unsigned n;
				setup(&t, sizes[z][0], sizes[z][1],
				      rotations[r], formats[f], 12, 1);
				struct vg_rect all = {0, 0, t.sw, t.sh};
				assert_int_equal(vg_blit_present(&t.bf, &t.s,
								 NULL, 0, &all,
								 1, out, &n),
						 VG_OK);
				ref_dirty(&t.rf, &t.s, &all);
				assert_fb_is_ref(&t);
				assert_int_equal(n, 1);
				/* A partial one from a new picture. */
				ref_fill_source(t.src, t.sw, t.sh, t.pitch, 2);
				struct vg_rect part = {t.sw / 3, t.sh / 2,
						       t.sw - t.sw / 3, 1};
				assert_int_equal(vg_blit_present(&t.bf, &t.s,
								 NULL, 0, &part,
								 1, out, &n),
						 VG_OK);
				ref_dirty(&t.rf, &t.s, &part);
				assert_fb_is_ref(&t);
				teardown(&t);
			}
}

/* The rectangle mapping agrees with the pixel mapping at the corners. */
static void test_map_rect(void **state)
{
	(void)state;
	for (size_t r = 0; r < 4; r++) {
		bool tr = r == 1 || r == 3;
		uint32_t fw = tr ? 11 : 13, fh = tr ? 13 : 11;
		struct vg_rect s = {2, 3, 5, 4};
		struct vg_rect f = vg_blit_map_rect(rotations[r], fw, fh, &s);
		uint32_t minx = UINT32_MAX, miny = UINT32_MAX, maxx = 0,
			 maxy = 0;
		for (uint32_t y = s.y; y < s.y + s.height; y++)
			for (uint32_t x = s.x; x < s.x + s.width; x++) {
				uint32_t fx, fy;
				ref_map(rotations[r], fw, fh, x, y, &fx, &fy);
				minx = fx < minx ? fx : minx;
				miny = fy < miny ? fy : miny;
				maxx = fx > maxx ? fx : maxx;
				maxy = fy > maxy ? fy : maxy;
			}
		assert_int_equal(f.x, minx);
		assert_int_equal(f.y, miny);
		assert_int_equal(f.width, maxx - minx + 1);
		assert_int_equal(f.height, maxy - miny + 1);
	}
}

/* ---- moves ---- */

static void run_moves(enum vg_rotation rot, uint32_t fw, uint32_t fh,
		      const struct vg_move_rect *m, unsigned n)
{
	struct setup t;
	struct vg_rect out[16];
	unsigned k = 99;

	assert_true(n <= 16);
	setup(&t, fw, fh, rot, VG_PIXEL_B8G8R8X8, 4, 3);
	assert_int_equal(vg_blit_present(&t.bf, &t.s, m, n, NULL, 0, out, &k),
			 VG_OK);
	for (unsigned i = 0; i < n; i++)
		ref_move(&t.rf, &m[i]);
	assert_fb_is_ref(&t);
	/* Moves read the framebuffer, never the source image. */
	for (uint32_t i = 0; i < fw * fh; i++)
		assert_int_equal(t.fb[i] & 0xff0000, 0x800000);
	assert_int_equal(k, n);
	for (unsigned i = 0; i < n; i++) {
		struct vg_rect want = vg_blit_map_rect(rot, fw, fh, &m[i].dst);
		assert_memory_equal(&out[i], &want, sizeof(want));
	}
	teardown(&t);
}

/* Scrolls by 1 and by many in every direction, each rotation: source and
 * destination overlap, so a copy that is not "through a temporary" smears. */
static void test_moves_overlapping(void **state)
{
	(void)state;
	for (size_t r = 0; r < 4; r++) {
		bool tr = r == 1 || r == 3;
		uint32_t W = 23, H = 17; /* source orientation */
		uint32_t fw = tr ? H : W, fh = tr ? W : H;
		for (uint32_t d = 1; d <= 9; d += 8) {
			const struct vg_move_rect m[] = {
				{0, d, {0, 0, W, H - d}},     /* scroll up */
				{0, 0, {0, d, W, H - d}},     /* down */
				{d, 0, {0, 0, W - d, H}},     /* left */
				{0, 0, {d, 0, W - d, H}},     /* right */
				{d, d, {0, 0, W - d, H - d}}, /* diagonal */
				{0, 0, {d, d, W - d, H - d}},
				{3, 2, {3 + d, 2, 6, 5}}, /* inner, right */
				{3 + d, 2, {3, 2, 6, 5}}, /* inner, left */
			};
			for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
				run_moves(rotations[r], fw, fh, &m[i], 1);
		}
	}
}

/* Moves whose result depends on their order: done in the given order
 * they match the reference, and the reverse order would not. */
static void test_moves_in_order(void **state)
{
	const struct vg_move_rect m[] = {
		{4, 0, {0, 0, 4, 4}}, /* B -> A */
		{0, 0, {4, 0, 4, 4}}, /* (now B) -> B's place: A is lost */
		{2, 2, {1, 1, 6, 3}}, /* overlapping both */
		{0, 1, {0, 0, 8, 5}}, /* scroll up by one */
	};

	(void)state;
	for (size_t r = 0; r < 4; r++) {
		bool tr = r == 1 || r == 3;
		run_moves(rotations[r], tr ? 6 : 8, tr ? 8 : 6, m, 4);

		/* The test can tell the orders apart. */
		struct setup a, b;
		setup(&a, tr ? 6 : 8, tr ? 8 : 6, rotations[r],
		      VG_PIXEL_B8G8R8X8, 0, 0);
		setup(&b, tr ? 6 : 8, tr ? 8 : 6, rotations[r],
		      VG_PIXEL_B8G8R8X8, 0, 0);
		for (int i = 0; i < 4; i++) {
			ref_move(&a.rf, &m[i]);
			ref_move(&b.rf, &m[3 - i]);
		}
		assert_memory_not_equal(a.ref, b.ref, 8 * 6 * 4);
		teardown(&a);
		teardown(&b);
	}
}

/* Moves first, then the dirty rectangles from the source, which win
 * where they overlap a move's destination. */
static void test_moves_then_dirty(void **state)
{
	(void)state;
	for (size_t r = 0; r < 4; r++) {
		struct setup t;
		struct vg_rect out[4];
		unsigned n;
		bool tr = r == 1 || r == 3;
		setup(&t, tr ? 9 : 12, tr ? 12 : 9, rotations[r],
		      VG_PIXEL_R8G8B8A8, 8, 5);
		const struct vg_move_rect m[] = {{0, 2, {0, 0, 12, 7}}};
		const struct vg_rect d[] = {{0, 5, 12, 4}, {2, 0, 3, 1}};
		assert_int_equal(
			vg_blit_present(&t.bf, &t.s, m, 1, d, 2, out, &n),
			VG_OK);
		ref_move(&t.rf, &m[0]);
		ref_dirty(&t.rf, &t.s, &d[0]);
		ref_dirty(&t.rf, &t.s, &d[1]);
		assert_fb_is_ref(&t);
		assert_int_equal(n, 3);
		teardown(&t);
	}
}

/* ---- dirty rectangles and the changed list ---- */

/* The union of the listed rectangles is exactly the set of pixels that
 * changed (the old contents are values the converter never produces). */
static void test_dirty_clip_and_changed_exactly(void **state)
{
	const struct vg_rect d[] = {
		{3, 2, 4, 3},	       /* inside */
		{9, 8, 100, 100},      /* clipped right and bottom */
		{0, 0, 0, 5},	       /* empty */
		{2, 2, 3, 0},	       /* empty */
		{50, 1, 2, 2},	       /* beyond: skipped */
		{1, 50, 2, 2},	       /* beyond: skipped */
		{4, 0, UINT32_MAX, 1}, /* no overflow: clipped */
		{7, 1, 8, 1},	       /* narrower than the source, clipped */
	};
	enum { ND = sizeof(d) / sizeof(d[0]) };

	(void)state;
	for (size_t r = 0; r < 4; r++) {
		struct setup t;
		struct vg_rect out[ND];
		unsigned n;
		bool tr = r == 1 || r == 3;
		setup(&t, tr ? 10 : 12, tr ? 12 : 10, rotations[r],
		      VG_PIXEL_B8G8R8X8, 0, 1);
		for (uint32_t i = 0; i < t.fw * t.fh; i++)
			t.fb[i] = t.ref[i] = 0xff000000u;
		assert_int_equal(
			vg_blit_present(&t.bf, &t.s, NULL, 0, d, ND, out, &n),
			VG_OK);
		for (size_t i = 0; i < ND; i++)
			ref_dirty(&t.rf, &t.s, &d[i]);
		assert_fb_is_ref(&t);
		assert_int_equal(n, 4);
		for (uint32_t y = 0; y < t.fh; y++)
			for (uint32_t x = 0; x < t.fw; x++) {
				bool listed = false;
				for (unsigned i = 0; i < n; i++)
					listed |= x >= out[i].x &&
						  x < out[i].x + out[i].width &&
						  y >= out[i].y &&
						  y < out[i].y + out[i].height;
				bool changed =
					t.fb[y * t.fw + x] != 0xff000000u;
				assert_int_equal(listed, changed);
			}
		/* The clipped one, in source terms, is (9, 8, 3, 2). */
		struct vg_rect c = {9, 8, 3, 2};
		struct vg_rect want =
			vg_blit_map_rect(rotations[r], t.fw, t.fh, &c);
		assert_memory_equal(&out[1], &want, sizeof(want));
		c = (struct vg_rect){7, 1, 5, 1};
		want = vg_blit_map_rect(rotations[r], t.fw, t.fh, &c);
		assert_memory_equal(&out[3], &want, sizeof(want));
		teardown(&t);
	}
}

/* Refused calls say why and touch nothing. */
static void test_refused(void **state)
{
	struct setup t;
	struct vg_rect out[4];
	unsigned n;

	(void)state;
	setup(&t, 8, 6, VG_ROTATE_90, VG_PIXEL_B8G8R8X8, 0, 1);
	uint32_t *before = malloc(8 * 6 * 4);
	memcpy(before, t.fb, 8 * 6 * 4);
	struct vg_rect all = {0, 0, 6, 8};
	const struct {
		struct vg_move_rect m;
		vg_status want;
	} moves[] = {
		{{0, 0, {1, 0, 6, 1}}, VG_E_RANGE},	     /* dst right */
		{{0, 0, {0, 8, 1, 1}}, VG_E_RANGE},	     /* dst below */
		{{1, 0, {0, 0, 6, 1}}, VG_E_RANGE},	     /* src right */
		{{0, 7, {0, 0, 1, 2}}, VG_E_RANGE},	     /* src below */
		{{0, 0, {UINT32_MAX, 0, 2, 1}}, VG_E_RANGE}, /* overflow */
		{{UINT32_MAX, 0, {0, 0, 2, 1}}, VG_E_RANGE},
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		/* A good move first: nothing is applied before the check. */
		struct vg_move_rect two[2] = {{0, 1, {0, 0, 6, 7}}, moves[i].m};
		n = 7;
		assert_int_equal(
			vg_blit_present(&t.bf, &t.s, two, 2, &all, 1, out, &n),
			moves[i].want);
		assert_int_equal(n, 0);
		assert_memory_equal(t.fb, before, 8 * 6 * 4);
	}
	struct vg_present_source s = t.s;
	s.rotation = VG_ROTATE_0; /* 6 x 8 is not 8 x 6 unrotated */
	assert_int_equal(vg_blit_present(&t.bf, &s, NULL, 0, &all, 1, out, &n),
			 VG_E_RANGE);
	s = t.s;
	s.rotation = (enum vg_rotation)4;
	assert_int_equal(vg_blit_present(&t.bf, &s, NULL, 0, &all, 1, out, &n),
			 VG_E_INVAL);
	s = t.s;
	s.format = (enum vg_pixel_format)0;
	assert_int_equal(vg_blit_present(&t.bf, &s, NULL, 0, &all, 1, out, &n),
			 VG_E_INVAL);
	s = t.s;
	s.pitch = 6 * 4 - 1;
	assert_int_equal(vg_blit_present(&t.bf, &s, NULL, 0, &all, 1, out, &n),
			 VG_E_INVAL);
	s = t.s;
	s.pixels = NULL;
	assert_int_equal(vg_blit_present(&t.bf, &s, NULL, 0, &all, 1, out, &n),
			 VG_E_INVAL);
	assert_int_equal(
		vg_blit_present(&t.bf, &t.s, NULL, 1, &all, 1, out, &n),
		VG_E_INVAL);
	assert_int_equal(
		vg_blit_present(&t.bf, &t.s, NULL, 0, NULL, 1, out, &n),
		VG_E_INVAL);
	assert_memory_equal(t.fb, before, 8 * 6 * 4);
	/* Pitch exactly width * 4 is fine; nothing to do changes nothing. */
	s = t.s;
	s.pitch = 6 * 4;
	assert_int_equal(vg_blit_present(&t.bf, &s, NULL, 0, NULL, 0, out, &n),
			 VG_OK);
	assert_int_equal(n, 0);
	assert_memory_equal(t.fb, before, 8 * 6 * 4);
	free(before);
	teardown(&t);
}

/* ---- cursor shapes ---- */

static uint32_t want_mono(bool a, bool x)
{
	/* The documented table (include/viogpu/present.h). */
	if (!a && !x)
		return 0xff000000u; /* black */
	if (!a && x)
		return 0xffffffffu; /* white */
	if (a && !x)
		return 0;   /* transparent */
	return 0xff000000u; /* invert, shown as over white: black */
}

static uint32_t want_masked(uint32_t v)
{
	if (v >> 24 == 0)
		return 0xff000000u | (v & 0xffffff);
	if ((v & 0xffffff) == 0)
		return 0;
	return 0xff000000u | (~v & 0xffffff);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void check_cursor(uint32_t flags, uint32_t w, uint32_t h, uint32_t pad)
{
	uint32_t rows_in = flags == VG_CURSOR_MONOCHROME ? 2 * h : h;
	uint32_t pitch =
		(flags == VG_CURSOR_MONOCHROME ? (w + 7) / 8 : w * 4) + pad;
	uint8_t *bits = malloc((size_t)pitch * rows_in);
	uint32_t *img = malloc(64 * 64 * 4);
	uint32_t *want = calloc(64 * 64, 4);

	/* Padding bytes are all ones: read as pixels they would show. */
	memset(bits, 0xff, (size_t)pitch * rows_in);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++) {
			uint32_t k = (x * 5 + y * 3) % 4;
			if (flags == VG_CURSOR_MONOCHROME) {
				bool a = k & 1, xo = k >> 1;
				uint8_t *ar = bits + (size_t)y * pitch;
				uint8_t *xr = bits + (size_t)(h + y) * pitch;
				uint8_t m = (uint8_t)(0x80 >> (x % 8));
				ar[x / 8] = a ? ar[x / 8] | m : ar[x / 8] & ~m;
				xr[x / 8] = xo ? xr[x / 8] | m : xr[x / 8] & ~m;
				want[y * 64 + x] = want_mono(a, xo);
			} else {
				uint32_t v = (x * 0x010203u + y * 0x300201u) &
					     0xffffff;
				if (flags == VG_CURSOR_COLOR)
					v |= (k * 0x55u) << 24;
				else if (k & 1)
					v = (k & 2) ? 0xff000000u
						    : 0xff000000u | v;
				put32(bits + (size_t)y * pitch + x * 4, v);
				want[y * 64 + x] = flags == VG_CURSOR_COLOR
							   ? v
							   : want_masked(v);
			}
		}
	struct vg_cursor_shape s = {flags, bits,  w,	rows_in,
				    pitch, w - 1, h - 1};
	memset(img, 0xab, 64 * 64 * 4); /* the outside must be cleared */
	assert_int_equal(vg_cursor_shape_to_argb(&s, img), VG_OK);
	for (uint32_t i = 0; i < 64 * 64; i++)
		if (img[i] != want[i]) {
			print_error("flags %u %ux%u pad %u (%u,%u): 0x%08x, "
				    "want 0x%08x\n",
				    flags, w, h, pad, i % 64, i / 64, img[i],
				    want[i]);
			fail();
		}
	free(bits);
	free(img);
	free(want);
}

static void test_cursor_forms(void **state)
{
	static const uint32_t sizes[][2] = {
		{1, 1}, {17, 33}, {64, 64}, {33, 17}, {8, 2}};
	static const uint32_t kinds[] = {VG_CURSOR_MONOCHROME, VG_CURSOR_COLOR,
					 VG_CURSOR_MASKED_COLOR};
	(void)state;
	for (size_t k = 0; k < 3; k++)
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			check_cursor(kinds[k], sizes[z][0], sizes[z][1], 0);
			check_cursor(kinds[k], sizes[z][0], sizes[z][1], 3);
		}
}

/* The mono table and the XOR rules, one pixel each, spelled out. */
static void test_cursor_xor_mapping(void **state)
{
	/* 2 x 2 mono: AND rows 0b01.., 0b10..; XOR rows 0b00.., 0b11.. */
	const uint8_t mono[4] = {0x40, 0x80, 0x00, 0xc0};
	const uint32_t masked[4] = {0x00123456, 0xff000000, 0xffffffff,
				    0xff0f0f0f};
	uint32_t img[64 * 64];
	struct vg_cursor_shape s = {VG_CURSOR_MONOCHROME, mono, 2, 4, 1, 0, 0};

	(void)state;
	assert_int_equal(vg_cursor_shape_to_argb(&s, img), VG_OK);
	assert_int_equal(img[0], 0xff000000u);	/* AND 0 XOR 0: black */
	assert_int_equal(img[1], 0x00000000u);	/* AND 1 XOR 0: screen */
	assert_int_equal(img[64], 0xff000000u); /* AND 1 XOR 1: invert */
	assert_int_equal(img[65], 0xffffffffu); /* AND 0 XOR 1: white */
	uint8_t mb[16];
	for (int i = 0; i < 4; i++)
		put32(mb + i * 4, masked[i]);
	s = (struct vg_cursor_shape){
		VG_CURSOR_MASKED_COLOR, mb, 4, 1, 16, 0, 0};
	assert_int_equal(vg_cursor_shape_to_argb(&s, img), VG_OK);
	assert_int_equal(img[0], 0xff123456u);
	assert_int_equal(img[1], 0x00000000u);
	assert_int_equal(img[2], 0xff000000u);
	assert_int_equal(img[3], 0xfff0f0f0u);
}

static void test_cursor_refused(void **state)
{
	static uint8_t bits[130 * 256];
	uint32_t img[64 * 64];
	const struct {
		struct vg_cursor_shape s;
		vg_status want;
	} c[] = {
		{{0, bits, 8, 8, 32, 0, 0}, VG_E_INVAL},
		{{VG_CURSOR_COLOR | VG_CURSOR_MONOCHROME, bits, 8, 8, 32, 0, 0},
		 VG_E_INVAL},
		{{VG_CURSOR_COLOR, NULL, 8, 8, 32, 0, 0}, VG_E_INVAL},
		{{VG_CURSOR_COLOR, bits, 0, 8, 32, 0, 0}, VG_E_RANGE},
		{{VG_CURSOR_COLOR, bits, 8, 0, 32, 0, 0}, VG_E_RANGE},
		{{VG_CURSOR_COLOR, bits, 65, 8, 260, 0, 0}, VG_E_RANGE},
		{{VG_CURSOR_COLOR, bits, 8, 65, 32, 0, 0}, VG_E_RANGE},
		{{VG_CURSOR_COLOR, bits, 8, 8, 31, 0, 0}, VG_E_INVAL},
		{{VG_CURSOR_COLOR, bits, 8, 8, 32, 8, 0}, VG_E_RANGE},
		{{VG_CURSOR_COLOR, bits, 8, 8, 32, 0, 8}, VG_E_RANGE},
		{{VG_CURSOR_MONOCHROME, bits, 9, 8, 1, 0, 0}, VG_E_INVAL},
		{{VG_CURSOR_MONOCHROME, bits, 9, 33, 2, 0, 0}, VG_E_INVAL},
		{{VG_CURSOR_MONOCHROME, bits, 9, 0, 2, 0, 0}, VG_E_RANGE},
		{{VG_CURSOR_MONOCHROME, bits, 9, 130, 2, 0, 0}, VG_E_RANGE},
		/* The hot spot is inside the cursor, which is half the
		 * bitmap's rows. */
		{{VG_CURSOR_MONOCHROME, bits, 9, 8, 2, 0, 4}, VG_E_RANGE},
		{{VG_CURSOR_MONOCHROME, bits, 9, 8, 2, 8, 3}, VG_OK},
		{{VG_CURSOR_MONOCHROME, bits, 64, 128, 8, 63, 63}, VG_OK},
		{{VG_CURSOR_COLOR, bits, 64, 64, 256, 63, 63}, VG_OK},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(img, 0xcd, sizeof(img));
		assert_int_equal(vg_cursor_shape_check(&c[i].s), c[i].want);
		assert_int_equal(vg_cursor_shape_to_argb(&c[i].s, img),
				 c[i].want);
		if (c[i].want != VG_OK)
			assert_int_equal(img[0], 0xcdcdcdcdu);
	}
	assert_int_equal(vg_cursor_shape_check(NULL), VG_E_INVAL);
	/* Masked color: only masks 0x00 and 0xFF. */
	uint8_t mb[8];
	put32(mb, 0xff123456);
	put32(mb + 4, 0x80123456);
	struct vg_cursor_shape s = {VG_CURSOR_MASKED_COLOR, mb, 2, 1, 8, 0, 0};
	assert_int_equal(vg_cursor_shape_check(&s), VG_E_INVAL);
	put32(mb + 4, 0x00123456);
	assert_int_equal(vg_cursor_shape_check(&s), VG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_convert_channel_order),
		cmocka_unit_test(test_convert_alpha_ignored),
		cmocka_unit_test(test_convert_10bit_sdr_is_module),
		cmocka_unit_test(test_blit_present_fp16_refused),
		cmocka_unit_test(test_convert_fast_equals_strided),
		cmocka_unit_test(test_rotation_by_hand),
		cmocka_unit_test(test_rotation_matches_reference),
		cmocka_unit_test(test_map_rect),
		cmocka_unit_test(test_moves_overlapping),
		cmocka_unit_test(test_moves_in_order),
		cmocka_unit_test(test_moves_then_dirty),
		cmocka_unit_test(test_dirty_clip_and_changed_exactly),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_cursor_forms),
		cmocka_unit_test(test_cursor_xor_mapping),
		cmocka_unit_test(test_cursor_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
