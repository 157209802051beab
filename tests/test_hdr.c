/* SPDX-License-Identifier: MIT */
/*
 * The HDR converter (src/core/hdr*.c) against
 *  - a plain double-precision implementation of issue 11's steps 2a-2d
 *    written here with libm (golden: every output within one 8-bit step),
 *  - hand-computed values at a few points,
 *  - libplacebo's BT.2390 curve (an independent implementation),
 * plus metadata validation, refused combinations, row addressing (negative
 * steps, pitches) and a random run over formats and metadata for the
 * sanitizers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libplacebo/tone_mapping.h>

#include "convert.h"
#include "hdr_internal.h"
#include "viogpu/color.h"

/* ---- the reference: steps 2a-2d, plainly, in double precision ---- */

static const double M1 = 2610.0 / 16384, M2 = 2523.0 / 32, C1 = 3424.0 / 4096,
		    C2 = 2413.0 / 128, C3 = 2392.0 / 128;

static double ref_pq_eotf(double e) /* SMPTE ST 2084 */
{
	double p = pow(e, 1 / M2);

	return 10000 * pow(fmax(p - C1, 0) / (C2 - C3 * p), 1 / M1);
}

static double ref_pq_inv(double l)
{
	double y = pow(l / 10000, M1);

	return pow((C1 + C2 * y) / (1 + C3 * y), M2);
}

/* BT.2390 EETF, nits in, nits out, onto 203 nits. */
static double ref_eetf(double l, double lw)
{
	double e1 = ref_pq_inv(l) / ref_pq_inv(lw);
	double max_lum = ref_pq_inv(203) / ref_pq_inv(lw);
	double ks = 1.5 * max_lum - 0.5, e2 = e1;

	if (e1 > 1)
		e1 = 1;
	if (e1 < 0)
		e1 = 0;
	e2 = e1;
	if (lw > 203 && e1 >= ks) {
		double t = (e1 - ks) / (1 - ks);

		e2 = (2 * t * t * t - 3 * t * t + 1) * ks +
		     (t * t * t - 2 * t * t + t) * (1 - ks) +
		     (-2 * t * t * t + 3 * t * t) * max_lum;
	}
	return ref_pq_eotf(e2 * ref_pq_inv(lw));
}

static double ref_srgb(double l) /* IEC 61966-2-1 */
{
	return l <= 0.0031308 ? 12.92 * l : 1.055 * pow(l, 1 / 2.4) - 0.055;
}

static const double TO709[9] = {1.6605,	 -0.5876, -0.0728, -0.1246, 1.1329,
				-0.0083, -0.0182, -0.1006, 1.1187};
static const double TO2020[9] = {0.6274, 0.3293, 0.0433, 0.0691, 0.9195,
				 0.0114, 0.0164, 0.0880, 0.8956};

/* Linear BT.2020 display nits -> 0x00RRGGBB (steps 2b-2d). */
static uint32_t ref_finish(const double nits[3], double lw)
{
	double tm[3];
	uint32_t out = 0;

	for (int k = 0; k < 3; k++)
		tm[k] = ref_eetf(nits[k], lw);
	for (int k = 0; k < 3; k++) {
		double v = TO709[3 * k] * tm[0] + TO709[3 * k + 1] * tm[1] +
			   TO709[3 * k + 2] * tm[2];

		v = fmin(fmax(v, 0), 203) / 203;
		out = out << 8 | (uint32_t)lround(ref_srgb(v) * 255);
	}
	return out;
}

static uint32_t ref_pq(const uint32_t c[3], double lw)
{
	double n[3];

	for (int k = 0; k < 3; k++)
		n[k] = ref_pq_eotf(c[k] / 1023.0);
	return ref_finish(n, lw);
}

static double ref_hlg_inv_oetf(double e) /* BT.2100 */
{
	const double a = 0.17883277, b = 1 - 4 * a, c = 0.5 - a * log(4 * a);

	return e <= 0.5 ? e * e / 3 : (exp((e - c) / a) + b) / 12;
}

static uint32_t ref_hlg(const uint32_t c[3], double lw)
{
	double es[3], n[3], ys;

	for (int k = 0; k < 3; k++)
		es[k] = ref_hlg_inv_oetf(c[k] / 1023.0);
	ys = 0.2627 * es[0] + 0.6780 * es[1] + 0.0593 * es[2];
	for (int k = 0; k < 3; k++) /* OOTF: 1000 nits, gamma 1.2 */
		n[k] = 1000 * pow(ys, 0.2) * es[k];
	return ref_finish(n, lw);
}

static double half_to_double(uint16_t h)
{
	int e = h >> 10 & 31, m = h & 1023;
	double v;

	if (e == 31)
		v = m ? 0 : 65504; /* the module's definition: NaN 0, inf max */
	else if (e == 0)
		v = ldexp(m, -24);
	else
		v = ldexp(1024 + m, e - 25);
	return h >> 15 ? -v : v;
}

static uint16_t double_to_half(double x) /* nearest, for test patches */
{
	uint16_t s = x < 0 ? 0x8000 : 0;
	int e;
	double m;

	x = fabs(x);
	if (x >= 65520)
		return s | 0x7c00;
	if (x < ldexp(1, -14))
		return s | (uint16_t)lround(ldexp(x, 24));
	m = frexp(x, &e); /* x = m 2^e, m in [0.5, 1) */
	{
		long q = lround(ldexp(m, 11)); /* 1024..2048 */

		if (q == 2048) {
			q = 1024;
			e++;
		}
		return s | (uint16_t)((e + 14) << 10) | (uint16_t)(q - 1024);
	}
}

static uint32_t ref_scrgb(const uint16_t h[3], double lw)
{
	double v[3], n[3];

	for (int k = 0; k < 3; k++)
		v[k] = half_to_double(h[k]) * 80;
	for (int k = 0; k < 3; k++)
		n[k] = fmax(TO2020[3 * k] * v[0] + TO2020[3 * k + 1] * v[1] +
				    TO2020[3 * k + 2] * v[2],
			    0);
	return ref_finish(n, lw);
}

/* ---- the module under test ---- */

static void *mem;

static int setup(void **state)
{
	(void)state;
	mem = aligned_alloc(64, (vg_hdr_tables_size() + 63) & ~(size_t)63);
	return mem ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static struct vg_converter make(enum vg_src_format f, enum vg_colorspace cs,
				uint16_t max_cll)
{
	struct vg_hdr_metadata md = {.max_cll = max_cll};
	struct vg_converter cv = {0};

	assert_int_equal(vg_hdr_converter_init(mem, vg_hdr_tables_size(), f, cs,
					       max_cll ? &md : NULL, &cv),
			 VG_OK);
	return cv;
}

static uint32_t pack10(const uint32_t c[3])
{
	return c[0] | c[1] << 10 | c[2] << 20 | 3u << 30;
}

static uint32_t conv1(const struct vg_converter *cv, const void *px)
{
	uint32_t out = 0xdeadbeef;

	cv->row(cv->ctx, &out, px, 0, 1);
	return out;
}

/* Largest per-channel difference of two 0x00RRGGBB. */
static int diff(uint32_t a, uint32_t b)
{
	int d = 0;

	for (int s = 0; s < 24; s += 8) {
		int x = abs((int)(a >> s & 255) - (int)(b >> s & 255));

		d = x > d ? x : d;
	}
	return (a | b) >> 24 ? 999 : d;
}

struct tally {
	int max;
	long n, exact;
};

static void check(struct tally *t, uint32_t got, uint32_t want,
		  const char *what, unsigned a, unsigned b, unsigned c)
{
	int d = diff(got, want);

	t->n++;
	t->exact += d == 0;
	if (d > t->max)
		t->max = d;
	if (d > 1)
		fail_msg("%s (%u,%u,%u): got %06x want %06x", what, a, b, c,
			 got, want);
}

static void report(const char *what, const struct tally *t)
{
	printf("# %s: %ld pixels, max diff %d, exact %.2f%%\n", what, t->n,
	       t->max, 100.0 * t->exact / t->n);
}

static const uint16_t peaks[] = {0, 100, 203, 400, 1000, 4000, 10000};

/* Every 10-bit code on each channel alone and on all three, plus the
 * saturated primaries and secondaries at every code, for each peak. */
static void ramps10(enum vg_colorspace cs,
		    uint32_t (*ref)(const uint32_t *, double), const char *name)
{
	struct tally t = {0};

	for (size_t p = 0; p < sizeof(peaks) / sizeof(peaks[0]); p++) {
		struct vg_converter cv = make(VG_SRC_R10G10B10A2, cs, peaks[p]);
		double lw = peaks[p] ? peaks[p] : 1000;

		for (uint32_t code = 0; code < 1024; code++) {
			for (unsigned mask = 1; mask < 8; mask++) {
				uint32_t c[3], px;

				for (int k = 0; k < 3; k++)
					c[k] = mask >> k & 1 ? code : 0;
				px = pack10(c);
				check(&t, conv1(&cv, &px), ref(c, lw), name,
				      c[0], c[1], c[2]);
			}
		}
	}
	report(name, &t);
}

static void golden_pq_ramps(void **state)
{
	(void)state;
	ramps10(VG_CS_BT2020_PQ, ref_pq, "PQ ramps");
}

static void golden_hlg_ramps(void **state)
{
	(void)state;
	ramps10(VG_CS_BT2020_HLG, ref_hlg, "HLG ramps");
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void golden_random10(void **state)
{
	struct tally tp = {0}, th = {0};

	(void)state;
	for (size_t p = 0; p < sizeof(peaks) / sizeof(peaks[0]); p++) {
		double lw = peaks[p] ? peaks[p] : 1000;
		struct vg_converter pq =
			make(VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ, peaks[p]);

		for (int i = 0; i < 20000; i++) {
			uint32_t c[3] = {rnd() & 1023, rnd() & 1023,
					 rnd() & 1023};
			uint32_t px = pack10(c);

			check(&tp, conv1(&pq, &px), ref_pq(c, lw), "PQ random",
			      c[0], c[1], c[2]);
		}
		struct vg_converter hlg =
			make(VG_SRC_R10G10B10A2, VG_CS_BT2020_HLG, peaks[p]);
		for (int i = 0; i < 20000; i++) {
			uint32_t c[3] = {rnd() & 1023, rnd() & 1023,
					 rnd() & 1023};
			uint32_t px = pack10(c);

			check(&th, conv1(&hlg, &px), ref_hlg(c, lw),
			      "HLG random", c[0], c[1], c[2]);
		}
	}
	report("PQ random", &tp);
	report("HLG random", &th);
}

static void check_half(struct tally *t, const struct vg_converter *cv,
		       const uint16_t h[3], double lw, const char *what)
{
	uint16_t px[4] = {h[0], h[1], h[2], 0x3c00};

	check(t, conv1(cv, px), ref_scrgb(h, lw), what, h[0], h[1], h[2]);
}

static void golden_scrgb(void **state)
{
	struct tally t = {0};
	/* patches of known luminance, in nits */
	static const double nits[] = {0,   0.005, 0.1, 1,    5,	   20,	 80,
				      100, 203,	  300, 1000, 2000, 4000, 10000};
	static const uint16_t special[] = {
		0x0000, 0x8000, 0x0001, 0x8001,
		0x03ff, 0x0400, 0x3c00, 0xbc00,
		0x7bff, 0xfbff, 0x7c00, 0xfc00,
		0x7e00, 0xfe00, 0x7c01, 0x5640 /* 100.0 */,
		0x4100 /* 2.5 */};

	(void)state;
	for (size_t p = 0; p < sizeof(peaks) / sizeof(peaks[0]); p++) {
		double lw = peaks[p] ? peaks[p] : 1000;
		struct vg_converter cv =
			make(VG_SRC_RGBA16F, VG_CS_SCRGB, peaks[p]);

		for (size_t i = 0; i < sizeof(nits) / sizeof(nits[0]); i++)
			for (unsigned mask = 1; mask < 8; mask++) {
				uint16_t h[3];

				for (int k = 0; k < 3; k++)
					h[k] = mask >> k & 1
						       ? double_to_half(
								 nits[i] / 80)
						       : 0;
				check_half(&t, &cv, h, lw, "scRGB patches");
			}
		/* every half value on one channel, and as grey */
		for (uint32_t v = 0; v < 65536; v += p == 4 ? 1 : 7) {
			uint16_t g[3] = {(uint16_t)v, (uint16_t)v, (uint16_t)v};
			uint16_t r[3] = {(uint16_t)v, 0, 0};
			uint16_t b[3] = {0, 0, (uint16_t)v};

			check_half(&t, &cv, g, lw, "scRGB grey");
			check_half(&t, &cv, r, lw, "scRGB red");
			check_half(&t, &cv, b, lw, "scRGB blue");
		}
		for (size_t i = 0; i < sizeof(special) / sizeof(special[0]);
		     i++)
			for (size_t j = 0;
			     j < sizeof(special) / sizeof(special[0]); j++) {
				uint16_t h[3] = {special[i], special[j],
						 special[(i + j) %
							 (sizeof(special) /
							  sizeof(special[0]))]};

				check_half(&t, &cv, h, lw, "scRGB specials");
			}
		/* random pixels in the useful range [-0.5, 125] */
		for (int i = 0; i < 20000; i++) {
			uint16_t h[3];

			for (int k = 0; k < 3; k++)
				h[k] = double_to_half(
					(rnd() % 1000000) / 1000000.0 * 125.5 -
					0.5);
			check_half(&t, &cv, h, lw, "scRGB random");
		}
	}
	report("scRGB", &t);
}

/* NaN, infinities and denormals have the output the header defines. */
static void scrgb_specials_defined(void **state)
{
	struct vg_converter cv = make(VG_SRC_RGBA16F, VG_CS_SCRGB, 0);
	uint16_t nan[4] = {0x7e00, 0xfe01, 0x7c01, 0};
	uint16_t pinf[4] = {0x7c00, 0x7c00, 0x7c00, 0};
	uint16_t ninf[4] = {0xfc00, 0xfc00, 0xfc00, 0};
	uint16_t den[4] = {0x0001, 0x03ff, 0x8001, 0};

	(void)state;
	assert_int_equal(conv1(&cv, nan), 0x000000);
	assert_int_equal(conv1(&cv, pinf), 0xffffff); /* clipped to Lw */
	assert_int_equal(conv1(&cv, ninf), 0x000000);
	/* 0x03ff is 6.1e-5 * 80 = 0.0049 nits: code 0.08 -> 0 */
	assert_int_equal(conv1(&cv, den), 0x000000);
}

/* Values computed by hand (python, from the formulas) at a few points. */
static void exact_points(void **state)
{
	uint32_t px;

	(void)state;
	/* Lw = 203 (MaxCLL 203): the EETF is the identity.  PQ code 520
	 * is 100.230 nits: /203 = 0.49374 -> sRGB 0.73122 -> 186.46 */
	struct vg_converter cv = make(VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ, 203);
	px = pack10((uint32_t[3]){520, 520, 520});
	assert_int_equal(conv1(&cv, &px), 0xbababa);
	/* 203 nits is PQ 0.58069: code 594 is 202.915 nits -> 254.95 */
	px = pack10((uint32_t[3]){594, 594, 594});
	assert_int_equal(conv1(&cv, &px), 0xffffff);
	px = pack10((uint32_t[3]){0, 0, 0});
	assert_int_equal(conv1(&cv, &px), 0);
	/* Lw = 1000: 10000 nits clips to Lw, which maps to 203 -> 255 */
	cv = make(VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ, 1000);
	px = pack10((uint32_t[3]){1023, 1023, 1023});
	assert_int_equal(conv1(&cv, &px), 0xffffff);
	/* ... and code 594 is tone-mapped: E1 = 0.58065/0.75183 = 0.77231
	 * > KS = 0.65856 (maxLum 0.77237): T = 0.33316, E2 = 0.73862,
	 * E2 PQ(Lw) = 0.55532 -> 159.012 nits -> 0.78331 -> sRGB 0.89792
	 * -> 228.97 */
	px = pack10((uint32_t[3]){594, 594, 594});
	assert_int_equal(conv1(&cv, &px), 0xe5e5e5);
	/* pure BT.2020 red, code 769 = 998.93 nits, Lw 1000: EETF 203.0
	 * nits, BT.709 R = 1.6605 * 203 clips to 1.0, G and B are
	 * negative -> 0 */
	px = pack10((uint32_t[3]){769, 0, 0});
	assert_int_equal(conv1(&cv, &px), 0xff0000);
	/* scRGB 1.0 = 80 nits with MaxCLL 203: 80/203 = 0.39409 -> sRGB
	 * 0.66073 -> 168.49 (the BT.2087 rows' 1 +- 0.0001 sums give
	 * 168.48..168.49) */
	cv = make(VG_SRC_RGBA16F, VG_CS_SCRGB, 203);
	uint16_t one[4] = {0x3c00, 0x3c00, 0x3c00, 0x3c00};
	assert_int_equal(conv1(&cv, one), 0xa8a8a8);
	/* HLG 75% grey (code 767) is BT.2408's reference white: Es =
	 * 0.26463, 1000 Es^1.2 = 202.85 nits; with Lw = 203 (identity)
	 * that is 254.9 -> 255. */
	cv = make(VG_SRC_R10G10B10A2, VG_CS_BT2020_HLG, 203);
	px = pack10((uint32_t[3]){767, 767, 767});
	assert_int_equal(conv1(&cv, &px), 0xffffff);
	/* 10-bit SDR rounds: 512 * 255 / 1023 = 127.6 -> 128, 3 -> 0.75 -> 1 */
	cv = make(VG_SRC_R10G10B10A2, VG_CS_SRGB, 0);
	px = pack10((uint32_t[3]){512, 1023, 3});
	assert_int_equal(conv1(&cv, &px), 0x80ff01);
	/* 8-bit passes unchanged (alpha dropped), R8G8B8A8 swizzled */
	cv = make(VG_SRC_B8G8R8A8, VG_CS_SRGB, 0);
	px = 0x80123456;
	assert_int_equal(conv1(&cv, &px), 0x123456);
	cv = make(VG_SRC_R8G8B8X8, VG_CS_SRGB, 0);
	assert_int_equal(conv1(&cv, &px), 0x563412);
	/* D3D9 A2R10G10B10: B in the low bits */
	cv = make(VG_SRC_B10G10R10A2, VG_CS_SRGB, 0);
	px = pack10((uint32_t[3]){3, 1023, 512});
	assert_int_equal(conv1(&cv, &px), 0x80ff01);
}

/* The core's own log2/exp2/pow (src/core may not use libm) against libm,
 * over the ranges the tables use: log2 and exp2 to 1e-13 relative (1e-15
 * absolute for log2 near 1); pow = exp2(y log2 x) to 1e-12, as the error
 * of log2 is multiplied by y log2 x (up to 78.84 * 20 for PQ's m2). */
static void math_matches_libm(void **state)
{
	static const double ys[] = {
		2610.0 / 16384, 16384.0 / 2610, 2523.0 / 32, 32.0 / 2523, 0.2,
		1 / 2.4};
	double worst = 0;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		double x = ldexp(1 + (rnd() % 1000000) / 1e6,
				 (int)(rnd() % 80) - 60);
		double y = ((int)(rnd() % 2000000) - 1000000) / 1e4;
		double p = (rnd() % 1000001) / 1e6;
		double yy = ys[rnd() % 6];
		double e;

		assert_true(fabs(vg_hdr_log2(x) - log2(x)) <=
			    1e-13 * fabs(log2(x)) + 1e-15);
		e = fabs(vg_hdr_exp2(y) - exp2(y)) / exp2(y);
		assert_true(e <= 1e-13);
		if (p > 0 && pow(p, yy) > 1e-300) { /* normal results */
			e = fabs(vg_hdr_pow(p, yy) - pow(p, yy)) / pow(p, yy);
			worst = e > worst ? e : worst;
			if (e > 1e-12)
				fail_msg("pow(%.17g, %.17g): %.17g vs libm "
					 "%.17g",
					 p, yy, vg_hdr_pow(p, yy), pow(p, yy));
		}
	}
	assert_true(fabs(vg_hdr_log2(ldexp(1.5, -1060)) -
			 log2(ldexp(1.5, -1060))) < 1e-12);
	assert_true(vg_hdr_pow(0, 0.2) == 0);
	assert_true(vg_hdr_exp2(-2000) == 0);
	printf("# core pow vs libm: max relative error %.1e\n", worst);
}

/*
 * The tables themselves against the reference formulas: the sRGB table
 * exactly, the others to one unit of their fixed point.  This also checks
 * the core's own log2/exp2/pow (no libm in src/core) to ~1e-9 or better,
 * and catches errors too small to move a golden pixel by 2.
 */
static void tables_match_formulas(void **state)
{
	const double q20 = 1 << VG_HDR_TM_Q;
	struct vg_converter cv;
	const struct vg_hdr_tables *t;

	(void)state;
	cv = make(VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ, 1000);
	t = cv.ctx;
	for (uint32_t q = 0; q < VG_HDR_OETF_N; q++)
		assert_int_equal(
			t->oetf[VG_HDR_OETF_LO + q],
			lround(ref_srgb((double)q / (1 << VG_HDR_OETF_Q)) *
			       255));
	/* The extension holds the clip: below 0 is 0, above 1 is 255. */
	for (uint32_t i = 0; i < VG_HDR_OETF_LO; i++)
		assert_int_equal(t->oetf[i], 0);
	for (uint32_t i = VG_HDR_OETF_LO + VG_HDR_OETF_N; i < VG_HDR_OETF_EXT_N;
	     i++)
		assert_int_equal(t->oetf[i], 255);
	for (uint32_t c = 0; c < 1024; c++) {
		double want = ref_eetf(ref_pq_eotf(c / 1023.0), 1000) / 203;

		assert_true(fabs(t->u.pq[c] - want * q20) <= 1.0);
	}
	for (uint32_t j = 1; j < VG_HDR_EETF_N; j++) {
		double l = fmin((double)vg_hdr_log_x(j) / 65536, 1000);
		double want = ref_eetf(l, 1000) / 203;

		assert_true(fabs(t->eetf[j] - want * q20) <= 1.0);
	}
	for (int k = 0; k < 9; k++)
		assert_int_equal(t->to709[k], lround(TO709[k] * 65536));
	cv = make(VG_SRC_R10G10B10A2, VG_CS_BT2020_HLG, 0);
	t = cv.ctx;
	for (uint32_t c = 0; c < 1024; c++)
		assert_true(fabs(t->u.hlg.es[c] - ref_hlg_inv_oetf(c / 1023.0) *
							  (1 << 24)) <= 1.0);
	for (uint32_t j = 1; j < VG_HDR_POW_N; j++)
		assert_true(fabs(t->u.hlg.pow[j] -
				 pow((double)vg_hdr_log_x(j) / (1 << 24), 0.2) *
					 (1 << 24)) <= 1.0);
	assert_int_equal(t->ys_weight[0] + t->ys_weight[1] + t->ys_weight[2],
			 65536);
	cv = make(VG_SRC_RGBA16F, VG_CS_SCRGB, 0);
	t = cv.ctx;
	for (uint32_t h = 0; h < 65536; h++)
		assert_true(fabs(t->u.half[h] -
				 half_to_double((uint16_t)h) * 80 * 256) <=
			    0.5 + 1e-6);
	for (int k = 0; k < 9; k++)
		assert_int_equal(t->to2020[k], lround(TO2020[k] * 65536));
}

/* ---- libplacebo's BT.2390 ---- */

/*
 * libplacebo 4.208 pl_tone_map_bt2390 works on values normalised to the
 * input range: x = (PQ - input_min)/(input_max - input_min), maxLum =
 * that of output_max, ks = (1 + param) maxLum - param, then the same
 * Hermite spline, then black-point adaptation with minLum from output_min
 * (zero here, so it does nothing) and back to PQ.  With both scalings
 * PL_HDR_PQ, input [0, PQ(Lw)], output [0, PQ(203)] and param (the knee
 * offset) 0.5, ks = 1.5 maxLum - 0.5: exactly issue 11's 2b.  It
 * computes in float: its PQ values carry ~1e-7 relative error, powf
 * in its PQ conversions a few ulp more.
 */
static double placebo_eetf_pq(double e, double lw)
{
	struct pl_tone_map_params p = {
		.function = &pl_tone_map_bt2390,
		.param = 0.5f,
		.input_scaling = PL_HDR_PQ,
		.output_scaling = PL_HDR_PQ,
		.input_min = 0,
		.input_max = (float)ref_pq_inv(lw),
		.output_min = 0,
		.output_max = (float)ref_pq_inv(203),
	};

	return pl_tone_map_sample((float)e, &p);
}

/*
 * Our EETF as the PQ table holds it (code -> Q20 linear, 1.0 = 203 nits),
 * back in the PQ domain, against libplacebo at every 10-bit code, and the
 * log-indexed table (HLG, scRGB) at 4000 points.  Tolerance 1e-4 in PQ
 * (a tenth of a 10-bit code step): libplacebo's float arithmetic is good
 * to ~1e-5 there, our Q20 output to ~1e-5 above 0.1 nits; near black the
 * Q20 step is larger in PQ terms, so below 0.05 nits (PQ 0.07) the
 * comparison is in nits, to one Q20 step.
 */
static void placebo_bt2390(void **state)
{
	static const uint16_t lws[] = {400, 1000, 2000, 4000, 10000};
	double worst = 0, worst_lw = 0, worst_at = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(lws) / sizeof(lws[0]); i++) {
		struct vg_converter cv =
			make(VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ, lws[i]);
		const struct vg_hdr_tables *t = cv.ctx;
		double lw = lws[i];

		for (uint32_t c = 0; c < 1024; c++) {
			double e = c / 1023.0;
			double ours = t->u.pq[c] * 203.0 / (1 << VG_HDR_TM_Q);
			double theirs = placebo_eetf_pq(e, lw);
			double d;

			if (ours < 0.05) {
				assert_true(fabs(ours - ref_pq_eotf(theirs)) <=
					    203.0 / (1 << VG_HDR_TM_Q));
				continue;
			}
			d = fabs(ref_pq_inv(ours) - theirs);
			if (d > worst) {
				worst = d;
				worst_lw = lw;
				worst_at = e;
			}
			if (d > 1e-4)
				fail_msg("Lw %g code %u: ours %.6f libplacebo "
					 "%.6f (PQ)",
					 lw, c, ref_pq_inv(ours), theirs);
		}
		/* the HLG/scRGB path's table, between its grid points */
		cv = make(VG_SRC_RGBA16F, VG_CS_SCRGB, lws[i]);
		t = cv.ctx;
		for (int k = 1; k <= 4000; k++) {
			double nits = lw * k / 4000.0;
			uint32_t x = (uint32_t)lround(nits * 65536);
			uint32_t idx = 0;
			double ours, theirs, d;

			/* read the table as the row code does: by value */
			(void)idx;
			{
				uint32_t e = 31u - (uint32_t)__builtin_clz(x);
				uint32_t sh = e - VG_HDR_LOG_K;
				uint32_t j = ((sh + 1) << VG_HDR_LOG_K) +
					     ((x >> sh) - (1u << VG_HDR_LOG_K));
				double f = (x & ((1u << sh) - 1)) /
					   (double)(1u << sh);

				ours = (t->eetf[j] +
					f * ((double)t->eetf[j + 1] -
					     t->eetf[j])) *
				       203.0 / (1 << VG_HDR_TM_Q);
			}
			theirs = placebo_eetf_pq(ref_pq_inv(x / 65536.0), lw);
			if (ours < 0.05)
				continue;
			d = fabs(ref_pq_inv(ours) - theirs);
			if (d > worst) {
				worst = d;
				worst_lw = lw;
				worst_at = ref_pq_inv(nits);
			}
			if (d > 1e-4)
				fail_msg("log table Lw %g %g nits: ours %.6f "
					 "libplacebo %.6f",
					 lw, nits, ref_pq_inv(ours), theirs);
		}
	}
	printf("# libplacebo BT.2390: max |ours - libplacebo| = %.2e PQ "
	       "(Lw %g, at PQ %.4f)\n",
	       worst, worst_lw, worst_at);
}

/* libplacebo really is an independent check: at its default knee (1.0)
 * the curve differs, so the comparison above can fail. */
static void placebo_knee_matters(void **state)
{
	struct pl_tone_map_params p = {
		.function = &pl_tone_map_bt2390,
		.param = 1.0f,
		.input_scaling = PL_HDR_PQ,
		.output_scaling = PL_HDR_PQ,
		.input_max = (float)ref_pq_inv(1000),
		.output_max = (float)ref_pq_inv(203),
	};
	double e = ref_pq_inv(500);

	(void)state;
	assert_true(fabs(pl_tone_map_sample((float)e, &p) -
			 placebo_eetf_pq(e, 1000)) > 1e-3);
}

/* ---- metadata, refusals, addressing ---- */

static void metadata_validation(void **state)
{
	/* BT.2020 primaries, D65, 1000 / 0.005 nits, 1000 / 400 */
	const struct vg_hdr_metadata good = {
		.primaries = {{35400, 14600}, {8500, 39850}, {6550, 2300}},
		.white_point = {15635, 16450},
		.max_mastering_luminance = 1000,
		.min_mastering_luminance = 50,
		.max_cll = 1000,
		.max_fall = 400,
	};
	struct vg_hdr_metadata m;
	struct vg_converter cv = {0};

	(void)state;
	assert_int_equal(vg_hdr_metadata_check(&good), VG_HDR_META_OK);
	assert_int_equal(vg_hdr_metadata_check(NULL), VG_HDR_META_OK);
	m = (struct vg_hdr_metadata){0};
	assert_int_equal(vg_hdr_metadata_check(&m), VG_HDR_META_OK);

	m = good;
	m.primaries[1][0] = 50001;
	assert_int_equal(vg_hdr_metadata_check(&m),
			 VG_HDR_META_BAD_CHROMATICITY);
	m = good;
	m.white_point[0] = 30000;
	m.white_point[1] = 30000; /* x + y > 1 */
	assert_int_equal(vg_hdr_metadata_check(&m),
			 VG_HDR_META_BAD_CHROMATICITY);
	m = good;
	m.primaries[2][1] = 0; /* half given */
	assert_int_equal(vg_hdr_metadata_check(&m),
			 VG_HDR_META_BAD_CHROMATICITY);
	m = good;
	m.min_mastering_luminance = 10000000; /* 1000 nits == max */
	assert_int_equal(vg_hdr_metadata_check(&m), VG_HDR_META_MIN_ABOVE_MAX);
	m.min_mastering_luminance = 9999999;
	assert_int_equal(vg_hdr_metadata_check(&m), VG_HDR_META_OK);
	m = good;
	m.max_fall = 1001;
	assert_int_equal(vg_hdr_metadata_check(&m), VG_HDR_META_FALL_ABOVE_CLL);
	m.max_fall = 1000;
	assert_int_equal(vg_hdr_metadata_check(&m), VG_HDR_META_OK);
	m = good;
	m.max_mastering_luminance = 10001;
	assert_int_equal(vg_hdr_metadata_check(&m),
			 VG_HDR_META_LUMINANCE_RANGE);
	assert_string_equal(vg_hdr_meta_error_str(VG_HDR_META_FALL_ABOVE_CLL),
			    "MaxFALL above MaxCLL");
	assert_non_null(vg_hdr_meta_error_str((enum vg_hdr_meta_error)99));

	/* refused by init, *out untouched */
	m = good;
	m.max_fall = 2000;
	assert_int_equal(vg_hdr_converter_init(mem, vg_hdr_tables_size(),
					       VG_SRC_R10G10B10A2,
					       VG_CS_BT2020_PQ, &m, &cv),
			 VG_E_INVAL);
	assert_null(cv.row);

	/* the source peak: MaxCLL, else mastering max, else 1000 */
	assert_int_equal(vg_hdr_source_peak(&good), 1000);
	m = good;
	m.max_cll = 0;
	m.max_fall = 0;
	m.max_mastering_luminance = 4000;
	assert_int_equal(vg_hdr_source_peak(&m), 4000);
	m.max_mastering_luminance = 0;
	m.min_mastering_luminance = 0;
	assert_int_equal(vg_hdr_source_peak(&m), 1000);
	assert_int_equal(vg_hdr_source_peak(NULL), 1000);
	m.max_cll = 65535; /* beyond PQ: capped, the tables end at 10000 */
	assert_int_equal(vg_hdr_source_peak(&m), 10000);
}

static void refuses_combinations(void **state)
{
	static const enum vg_src_format fmts[] = {
		VG_SRC_B8G8R8A8,    VG_SRC_B8G8R8X8,	VG_SRC_R8G8B8A8,
		VG_SRC_R8G8B8X8,    VG_SRC_R10G10B10A2, VG_SRC_R10G10B10X2,
		VG_SRC_B10G10R10A2, VG_SRC_RGBA16F};
	struct vg_converter cv = {0};
	size_t sz = vg_hdr_tables_size();

	(void)state;
	for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
		for (int cs = 0; cs <= 5; cs++) {
			int ten = fmts[f] >= VG_SRC_R10G10B10A2 &&
				  fmts[f] <= VG_SRC_B10G10R10A2;
			int want_ok = (cs == VG_CS_SRGB &&
				       fmts[f] != VG_SRC_RGBA16F) ||
				      (ten && (cs == VG_CS_BT2020_PQ ||
					       cs == VG_CS_BT2020_HLG)) ||
				      (fmts[f] == VG_SRC_RGBA16F &&
				       cs == VG_CS_SCRGB);

			assert_int_equal(
				vg_hdr_converter_init(mem, sz, fmts[f],
						      (enum vg_colorspace)cs,
						      NULL, &cv),
				want_ok ? VG_OK : VG_E_UNSUPPORTED);
		}
	assert_int_equal(vg_hdr_converter_init(mem, sz, (enum vg_src_format)0,
					       VG_CS_SRGB, NULL, &cv),
			 VG_E_UNSUPPORTED);
	assert_int_equal(vg_hdr_converter_init(mem, sz, (enum vg_src_format)99,
					       VG_CS_SRGB, NULL, &cv),
			 VG_E_UNSUPPORTED);
	assert_int_equal(vg_src_format_bpp((enum vg_src_format)99), 0);
	assert_int_equal(vg_src_format_bpp(VG_SRC_RGBA16F), 8);
	assert_int_equal(vg_hdr_converter_init(mem, sz - 1, VG_SRC_RGBA16F,
					       VG_CS_SCRGB, NULL, &cv),
			 VG_E_INVAL);
	assert_int_equal(vg_hdr_converter_init((char *)mem + 4, sz,
					       VG_SRC_RGBA16F, VG_CS_SCRGB,
					       NULL, &cv),
			 VG_E_INVAL);
	assert_int_equal(vg_hdr_converter_init(NULL, sz, VG_SRC_RGBA16F,
					       VG_CS_SCRGB, NULL, &cv),
			 VG_E_INVAL);
	printf("# table memory: %zu bytes\n", sz);
}

/* A row read with a negative step (mirror) and with a pitch (a column:
 * rotation) gives the same pixels as the plain row. */
static void row_addressing(void **state)
{
	enum { W = 37, H = 5 };
	uint32_t img[H][W], fwd[W], back[W], col[H], ref[H];
	struct vg_converter cv = make(VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ, 0);

	(void)state;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			img[y][x] = pack10(
				(uint32_t[3]){(uint32_t)(x * 27 + y) & 1023,
					      (uint32_t)(x * 13 + 500) & 1023,
					      (uint32_t)(y * 200 + x) & 1023});
	cv.row(cv.ctx, fwd, (const uint8_t *)img[2], 4, W);
	cv.row(cv.ctx, back, (const uint8_t *)&img[2][W - 1], -4, W);
	for (int x = 0; x < W; x++)
		assert_int_equal(back[x], fwd[W - 1 - x]);
	cv.row(cv.ctx, col, (const uint8_t *)&img[0][7], sizeof(img[0]), H);
	for (int y = 0; y < H; y++) {
		cv.row(cv.ctx, &ref[y], (const uint8_t *)&img[y][7], 4, 1);
		assert_int_equal(col[y], ref[y]);
	}
	/* n = 0 writes nothing */
	fwd[0] = 0xabcdef01;
	cv.row(cv.ctx, fwd, (const uint8_t *)img, 4, 0);
	assert_int_equal(fwd[0], 0xabcdef01);
}

/* Random formats, spaces, metadata (valid or not), bytes and steps: for
 * ASan/UBSan, and every output has its top byte clear. */
static void random_rows(void **state)
{
	static const enum vg_src_format fmts[] = {
		VG_SRC_B8G8R8A8,    VG_SRC_R8G8B8X8,	VG_SRC_R10G10B10A2,
		VG_SRC_R10G10B10X2, VG_SRC_B10G10R10A2, VG_SRC_RGBA16F};
	uint8_t buf[64 * 8];
	uint32_t out[64];
	int built = 0;

	(void)state;
	for (int it = 0; it < 300; it++) {
		struct vg_hdr_metadata m;
		struct vg_converter cv = {0};
		enum vg_src_format f = fmts[rnd() % 6];
		enum vg_colorspace cs = (enum vg_colorspace)(rnd() % 6);
		uint32_t n = rnd() % 65;
		unsigned bpp = vg_src_format_bpp(f);
		int neg = rnd() & 1;

		for (size_t i = 0; i < sizeof(m); i++)
			((uint8_t *)&m)[i] = (uint8_t)rnd();
		if (rnd() & 1) { /* often valid: luminances only */
			memset(&m, 0, sizeof(m));
			m.max_cll = (uint16_t)rnd();
			m.max_mastering_luminance = rnd() % 12000;
		}
		if (vg_hdr_converter_init(mem, vg_hdr_tables_size(), f, cs,
					  rnd() & 1 ? &m : NULL, &cv) != VG_OK)
			continue;
		built++;
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)rnd();
		if (n == 0) {
			cv.row(cv.ctx, out, buf, (ptrdiff_t)bpp, 0);
			continue;
		}
		if (neg)
			cv.row(cv.ctx, out, buf + (n - 1) * bpp,
			       -(ptrdiff_t)bpp, n);
		else
			cv.row(cv.ctx, out, buf, (ptrdiff_t)bpp, n);
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(out[i] >> 24, 0);
	}
	assert_true(built > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_points),
		cmocka_unit_test(math_matches_libm),
		cmocka_unit_test(tables_match_formulas),
		cmocka_unit_test(golden_pq_ramps),
		cmocka_unit_test(golden_hlg_ramps),
		cmocka_unit_test(golden_random10),
		cmocka_unit_test(golden_scrgb),
		cmocka_unit_test(scrgb_specials_defined),
		cmocka_unit_test(placebo_bt2390),
		cmocka_unit_test(placebo_knee_matters),
		cmocka_unit_test(metadata_validation),
		cmocka_unit_test(refuses_combinations),
		cmocka_unit_test(row_addressing),
		cmocka_unit_test(random_rows),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
