// SPDX-License-Identifier: MIT
/*
 * HDR through the present path on the device model, the real driver core
 * between: a head's colorimetry (vg_gpu_set_head_colorimetry), 10-bit and
 * FP16 sources presented with rotation and dirty rectangles, and what the
 * device shows compared pixel for pixel with the HDR module run directly
 * (vg_hdr_converter_init on the same bytes).  Also: only dirty rectangles
 * change, refused combinations touch nothing, metadata is validated, the
 * tables are allocated once and freed (no leaks, allocation failure keeps
 * the old colorimetry), and the EDID's HDR capability per head.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "viogpu/color.h"
#include "viogpu/display.h"
#include "viogpu/edid.h"
#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/sim.h"
#include "viogpu/surface.h"

#include "present_ref.h"
#include "sim_env.h"

#define FW 120u
#define FH 72u

static const enum vg_rotation rotations[] = {VG_ROTATE_0, VG_ROTATE_90,
					     VG_ROTATE_180, VG_ROTATE_270};

static const struct vg_hdr_metadata meta4000 = {
	.primaries = {{35400, 14600}, {8500, 39850}, {6550, 2300}},
	.white_point = {15635, 16450},
	.max_mastering_luminance = 4000,
	.min_mastering_luminance = 50,
	.max_cll = 3500,
	.max_fall = 400,
};

struct hdr_case {
	const char *name;
	enum vg_pixel_format pf;
	enum vg_src_format sf; /* the same layout, for the module */
	enum vg_colorspace cs;
	const struct vg_hdr_metadata *meta;
};

static const struct hdr_case cases[] = {
	{"pq", VG_PIXEL_R10G10B10A2, VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ,
	 &meta4000},
	{"pq-x2", VG_PIXEL_R10G10B10X2, VG_SRC_R10G10B10X2, VG_CS_BT2020_PQ,
	 NULL},
	{"hlg", VG_PIXEL_B10G10R10A2, VG_SRC_B10G10R10A2, VG_CS_BT2020_HLG,
	 NULL},
	{"scrgb", VG_PIXEL_R16G16B16A16_FLOAT, VG_SRC_RGBA16F, VG_CS_SCRGB,
	 &meta4000},
	{"sdr10", VG_PIXEL_R10G10B10A2, VG_SRC_R10G10B10A2, VG_CS_SRGB, NULL},
};

/* A source for rot on the FW x FH mode with pitch padding, random bytes
 * (every code, NaN and infinity for FP16: the module decides them). */
struct src {
	struct vg_present_source s;
	uint8_t *buf;
	uint32_t bpp;
};

static void src_make(struct src *t, enum vg_rotation rot,
		     enum vg_pixel_format f, uint32_t seed)
{
	bool tr = rot == VG_ROTATE_90 || rot == VG_ROTATE_270;
	uint32_t w = tr ? FH : FW, h = tr ? FW : FH;

	t->bpp = vg_format_bytes(f);
	uint32_t pitch = w * t->bpp + 24;
	t->buf = malloc((size_t)pitch * h);
	assert_non_null(t->buf);
	srand(seed);
	for (size_t i = 0; i < (size_t)pitch * h; i++)
		t->buf[i] = (uint8_t)(rand() >> 7);
	t->s = (struct vg_present_source){t->buf, pitch, f, w, h, rot};
}

/* The module itself, run on one source pixel. */
struct module {
	void *mem;
	struct vg_converter conv;
};

static void module_init(struct module *m, const struct hdr_case *c)
{
	m->mem = aligned_alloc(8, (vg_hdr_tables_size() + 7) & ~(size_t)7);
	assert_non_null(m->mem);
	assert_int_equal(vg_hdr_converter_init(m->mem, vg_hdr_tables_size(),
					       c->sf, c->cs, c->meta, &m->conv),
			 VG_OK);
}

static uint32_t module_px(const struct module *m, const struct src *t,
			  uint32_t sx, uint32_t sy)
{
	uint32_t out;
	const uint8_t *p =
		t->buf + (size_t)sy * t->s.pitch + (size_t)sx * t->bpp;

	m->conv.row(m->conv.ctx, &out, p, (ptrdiff_t)t->bpp, 1);
	return out;
}

/* ref (fw x fh, source orientation via rotation) takes the module's
 * output for the source pixels inside r (clipped). */
static void expect_rect(uint32_t *ref, const struct module *m,
			const struct src *t, const struct vg_rect *r)
{
	struct ref_fb rf = {ref, FW, FH, t->s.rotation};

	for (uint32_t y = r->y; y < r->y + r->height && y < t->s.height; y++)
		for (uint32_t x = r->x; x < r->x + r->width && x < t->s.width;
		     x++)
			*ref_at(&rf, x, y) = module_px(m, t, x, y);
}

/* Whole frame, then three dirty rectangles (one clipped) of a new frame:
 * the screen is the module's output inside them and the old frame
 * outside, for every color space and rotation. */
static void test_hdr_present_matches_module(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct hdr_case *c = &cases[k];
		struct module m;

		module_init(&m, c);
		for (size_t r = 0; r < 4; r++) {
			struct env e = {0};
			struct src a, b;
			uint32_t *ref = calloc((size_t)FW * FH, 4);

			env_up(&e, NULL, 0);
			assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FW, FH),
					 VG_OK);
			assert_int_equal(
				vg_gpu_set_head_colorimetry(e.gpu, 0, c->cs,
							    c->meta, NULL),
				VG_OK);
			src_make(&a, rotations[r], c->pf, 11 + (uint32_t)k);
			src_make(&b, rotations[r], c->pf, 77 + (uint32_t)k);
			uint32_t w = a.s.width, h = a.s.height;
			struct vg_rect all = {0, 0, w, h};

			assert_int_equal(vg_gpu_present_source(e.gpu, 0, &a.s,
							       NULL, 0, &all,
							       1),
					 VG_OK);
			expect_rect(ref, &m, &a, &all);
			assert_screen(e.sim, 0, ref, FW, FH);

			const struct vg_rect d[] = {
				{3, 5, 17, 9},
				{w - 10, h - 4, 40, 40}, /* clipped */
				{0, 20, w, 1},
			};
			long allocs = vg_sim_alloc_calls(e.sim);
			assert_int_equal(vg_gpu_present_source(e.gpu, 0, &b.s,
							       NULL, 0, d, 3),
					 VG_OK);
			/* The tables were built at set time: a present
			 * allocates nothing. */
			assert_int_equal(vg_sim_alloc_calls(e.sim), allocs);
			for (int i = 0; i < 3; i++)
				expect_rect(ref, &m, &b, &d[i]);
			assert_screen(e.sim, 0, ref, FW, FH);
			free(a.buf);
			free(b.buf);
			free(ref);
			env_down(&e); /* no leaks: the tables are freed */
		}
		free(m.mem);
	}
}

static long live_allocs(struct env *e)
{
	struct vg_sim_counters c;

	vg_sim_get_counters(e->sim, &c);
	return c.os_allocs_live;
}

static uint64_t commands(struct env *e)
{
	struct vg_sim_counters c;

	vg_sim_get_counters(e->sim, &c);
	return c.commands;
}

/* Invalid metadata and unknown spaces are refused with the old
 * colorimetry kept; the tables are one allocation, freed by sRGB and
 * replaced by a new set; an allocation failure keeps the old ones. */
static void test_colorimetry_set_and_refused(void **state)
{
	struct env e = {0};
	struct vg_head_colorimetry hc;
	enum vg_hdr_meta_error why;

	(void)state;
	env_up(&e, NULL, 0);
	long base = live_allocs(&e);
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 0, &hc), VG_OK);
	assert_int_equal(hc.cs, VG_CS_SRGB);
	assert_int_equal(hc.source_peak_nits, 1000);

	assert_int_equal(vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_BT2020_PQ,
						     &meta4000, &why),
			 VG_OK);
	assert_int_equal(why, VG_HDR_META_OK);
	assert_int_equal(live_allocs(&e), base + 1);
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 0, &hc), VG_OK);
	assert_int_equal(hc.cs, VG_CS_BT2020_PQ);
	assert_true(hc.has_metadata);
	assert_int_equal(hc.meta.max_cll, 3500);
	assert_int_equal(hc.source_peak_nits, 3500);

	struct {
		struct vg_hdr_metadata m;
		enum vg_hdr_meta_error want;
	} bad[] = {
		{meta4000, VG_HDR_META_MIN_ABOVE_MAX},
		{meta4000, VG_HDR_META_FALL_ABOVE_CLL},
		{meta4000, VG_HDR_META_BAD_CHROMATICITY},
		{meta4000, VG_HDR_META_LUMINANCE_RANGE},
	};
	bad[0].m.min_mastering_luminance = 4000u * 10000u;
	bad[1].m.max_fall = 3501;
	bad[2].m.white_point[0] = 40000; /* x + y > 1 */
	bad[3].m.max_mastering_luminance = 10001;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vg_gpu_set_head_colorimetry(e.gpu, 0,
							     VG_CS_BT2020_HLG,
							     &bad[i].m, &why),
				 VG_E_INVAL);
		assert_int_equal(why, bad[i].want);
		assert_string_not_equal(vg_hdr_meta_error_str(why), "valid");
		/* Even sRGB validates what it is given. */
		assert_int_equal(vg_gpu_set_head_colorimetry(
					 e.gpu, 0, VG_CS_SRGB, &bad[i].m, NULL),
				 VG_E_INVAL);
	}
	assert_int_equal(vg_gpu_set_head_colorimetry(
				 e.gpu, 0, (enum vg_colorspace)99, NULL, NULL),
			 VG_E_UNSUPPORTED);
	assert_int_equal(vg_gpu_set_head_colorimetry(e.gpu, 1, VG_CS_BT2020_PQ,
						     NULL, NULL),
			 VG_E_RANGE);
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 1, &hc),
			 VG_E_RANGE);
	/* Nothing of that changed the head. */
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 0, &hc), VG_OK);
	assert_int_equal(hc.cs, VG_CS_BT2020_PQ);
	assert_int_equal(hc.source_peak_nits, 3500);
	assert_int_equal(live_allocs(&e), base + 1);

	/* The new tables' allocation fails: the old colorimetry stays,
	 * nothing leaks. */
	vg_sim_fail_alloc_at(e.sim, 1);
	assert_int_equal(
		vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_SCRGB, NULL, NULL),
		VG_E_NOMEM);
	vg_sim_fail_alloc_at(e.sim, 0);
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 0, &hc), VG_OK);
	assert_int_equal(hc.cs, VG_CS_BT2020_PQ);
	assert_int_equal(live_allocs(&e), base + 1);

	/* Replaced: still one allocation; sRGB: none. */
	assert_int_equal(
		vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_SCRGB, NULL, NULL),
		VG_OK);
	assert_int_equal(live_allocs(&e), base + 1);
	assert_int_equal(
		vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_SRGB, NULL, NULL),
		VG_OK);
	assert_int_equal(live_allocs(&e), base);
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 0, &hc), VG_OK);
	assert_int_equal(hc.cs, VG_CS_SRGB);
	assert_false(hc.has_metadata);
	/* Left set: env_down proves vg_gpu_destroy frees it. */
	assert_int_equal(vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_BT2020_HLG,
						     NULL, NULL),
			 VG_OK);
	env_down(&e);
}

/* Formats a head's color space cannot take are refused before anything
 * is drawn or sent; 8-bit sources pass unchanged on an HDR head; the
 * colorimetry stays across a mode change. */
static void test_format_space_combinations(void **state)
{
	struct env e = {0};
	struct src fp16, r10, b8;
	struct vg_rect all = {0, 0, FW, FH};

	(void)state;
	env_up(&e, NULL, 0);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FW, FH), VG_OK);
	src_make(&fp16, VG_ROTATE_0, VG_PIXEL_R16G16B16A16_FLOAT, 3);
	src_make(&r10, VG_ROTATE_0, VG_PIXEL_R10G10B10A2, 4);
	src_make(&b8, VG_ROTATE_0, VG_PIXEL_B8G8R8X8, 5);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &b8.s, NULL, 0, &all, 1),
		VG_OK);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	uint32_t *before = fb_copy(fb);
	uint64_t c0 = commands(&e);

	/* FP16 on an sRGB head; 10-bit on an scRGB head; FP16 on PQ. */
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &fp16.s, NULL, 0, &all, 1),
		VG_E_UNSUPPORTED);
	assert_int_equal(
		vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_SCRGB, NULL, NULL),
		VG_OK);
	const struct vg_move_rect mv = {0, 1, {0, 0, FW, FH - 1}};
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &r10.s, &mv, 1, &all, 1),
		VG_E_UNSUPPORTED);
	assert_int_equal(vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_BT2020_PQ,
						     NULL, NULL),
			 VG_OK);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &fp16.s, NULL, 0, &all, 1),
		VG_E_UNSUPPORTED);
	/* Pitch below width * 8 for FP16. */
	struct vg_present_source narrow = fp16.s;
	narrow.pitch = FW * 8 - 1;
	assert_int_equal(
		vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_SCRGB, NULL, NULL),
		VG_OK);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &narrow, NULL, 0, &all, 1),
		VG_E_INVAL);
	assert_int_equal(commands(&e), c0);
	assert_memory_equal(vg_fb_pixels(fb), before, (size_t)FW * FH * 4);

	/* 8-bit on an HDR head: unchanged (it is sRGB). */
	assert_int_equal(vg_gpu_set_head_colorimetry(e.gpu, 0, VG_CS_BT2020_PQ,
						     &meta4000, NULL),
			 VG_OK);
	free(b8.buf);
	src_make(&b8, VG_ROTATE_0, VG_PIXEL_B8G8R8X8, 6);
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &b8.s, NULL, 0, &all, 1),
		VG_OK);
	uint32_t *want = malloc((size_t)FW * FH * 4);
	for (uint32_t y = 0; y < FH; y++)
		for (uint32_t x = 0; x < FW; x++)
			want[y * FW + x] = ref_decode(
				VG_PIXEL_B8G8R8X8,
				b8.buf + (size_t)y * b8.s.pitch + x * 4);
	assert_screen(e.sim, 0, want, FW, FH);

	/* A mode change keeps the colorimetry (the tables do not depend on
	 * the mode): a PQ frame on the new mode is the module's output. */
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, FH, FW), VG_OK);
	struct vg_head_colorimetry hc;
	assert_int_equal(vg_gpu_get_head_colorimetry(e.gpu, 0, &hc), VG_OK);
	assert_int_equal(hc.cs, VG_CS_BT2020_PQ);
	struct module m;
	module_init(&m, &cases[0]);
	struct src t;
	src_make(&t, VG_ROTATE_90, VG_PIXEL_R10G10B10A2, 9); /* FW x FH */
	/* The FH x FW mode is that source turned 90: the rotation case. */
	uint32_t *ref = calloc((size_t)FW * FH, 4);
	struct vg_rect tall = {0, 0, t.s.width, t.s.height};
	t.s.rotation = VG_ROTATE_0;
	t.s.width = FH;
	t.s.height = FW;
	t.s.pitch = FH * 4 + 24;
	assert_int_equal(
		vg_gpu_present_source(e.gpu, 0, &t.s, NULL, 0, &tall, 1),
		VG_OK);
	for (uint32_t y = 0; y < FW; y++)
		for (uint32_t x = 0; x < FH; x++)
			ref[y * FH + x] = module_px(&m, &t, x, y);
	assert_screen(e.sim, 0, ref, FH, FW);
	free(ref);
	free(m.mem);
	free(t.buf);
	free(want);
	free(before);
	free(fp16.buf);
	free(r10.buf);
	free(b8.buf);
	env_down(&e);
}

static uint8_t *read_file(const char *path, uint32_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1024);

	assert_non_null(f);
	*size = (uint32_t)fread(buf, 1, 1024, f);
	fclose(f);
	return buf;
}

/* The EDID's HDR static metadata block per head: an HDR TV's on head 0,
 * the model's own (no block) on head 1. */
static void test_hdr_caps_from_edid(void **state)
{
	struct vg_sim_config cfg = {0};
	struct env e = {0};
	struct vg_head_hdr_caps caps;
	uint32_t size;

	(void)state;
	uint8_t *edid = read_file(EDID_CORPUS "/cta-hdr.bin", &size);
	cfg.num_scanouts = 2;
	cfg.xres[1] = 800;
	cfg.yres[1] = 600;
	cfg.edid[0] = edid;
	cfg.edid_size[0] = size;
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_gpu_get_head_hdr_caps(e.gpu, 0, &caps), VG_OK);
	assert_true(caps.hdr_block);
	assert_int_equal(caps.eotfs,
			 VG_EDID_EOTF_SDR | VG_EDID_EOTF_PQ | VG_EDID_EOTF_HLG);
	assert_int_equal(caps.metadata_types, 1);
	/* Codes 120, 80, 32 (edid-decode agrees: tests/edid-golden). */
	double max = 50.0 * pow(2.0, 120 / 32.0);
	assert_int_equal(caps.max_luminance, (uint32_t)lround(max));
	assert_int_equal(caps.max_frame_avg,
			 (uint32_t)lround(50.0 * pow(2.0, 80 / 32.0)));
	assert_int_equal(
		caps.min_luminance,
		(uint32_t)lround(max * pow(32 / 255.0, 2) / 100 * 1e4));
	assert_true(caps.bt2020_rgb);

	assert_int_equal(vg_gpu_get_head_hdr_caps(e.gpu, 1, &caps), VG_OK);
	assert_false(caps.hdr_block);
	assert_int_equal(caps.eotfs, 0);
	assert_int_equal(caps.max_luminance, 0);
	assert_int_equal(vg_gpu_get_head_hdr_caps(e.gpu, 2, &caps), VG_E_RANGE);
	/* Scratch allocation fails: reported, nothing leaks. */
	vg_sim_fail_alloc_at(e.sim, 1);
	assert_int_equal(vg_gpu_get_head_hdr_caps(e.gpu, 0, &caps), VG_E_NOMEM);
	vg_sim_fail_alloc_at(e.sim, 0);
	free(edid);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_present_matches_module),
		cmocka_unit_test(test_colorimetry_set_and_refused),
		cmocka_unit_test(test_format_space_combinations),
		cmocka_unit_test(test_hdr_caps_from_edid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
