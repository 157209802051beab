/* SPDX-License-Identifier: MIT */
/*
 * THE ONLY PLACE IN src/core WHERE FLOATING POINT RUNS.
 *
 * It builds the HDR converter's tables when a format, color space or
 * metadata changes.  A kernel must save the FPU/SIMD state around it
 * (Linux kernel_fpu_begin/end, Windows KeSaveExtendedProcessorState) and
 * build this file with its FP-enabling flags; the per-pixel path
 * (hdr.c) is integers and tables only.  src/core may not link libm, so the
 * three elementary functions needed are here: log2 and exp2 by range
 * reduction and series (relative error ~1e-15), pow and exp from them
 * (~1e-14 for the exponents used: PQ's m2 = 78.84 is the largest).
 */
#include <stdint.h>
#include <string.h>

#include "hdr_internal.h"

#define LN2 0.69314718055994530942
#define LOG2E 1.44269504088896340736
#define SQRT2 1.41421356237309504880

/* log2(x) for finite x > 0: x = m * 2^e with m in [sqrt(1/2), sqrt(2)),
 * log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: the series
 * to s^25 leaves < 1e-19. */
double vg_hdr_log2(double x)
{
	uint64_t b;
	int e;
	double m, s, s2, term, sum;

	memcpy(&b, &x, sizeof(b));
	e = (int)((b >> 52) & 0x7ff);
	if (e == 0) { /* subnormal: scale into the normal range */
		x *= 18014398509481984.0; /* 2^54 */
		memcpy(&b, &x, sizeof(b));
		e = (int)((b >> 52) & 0x7ff) - 54;
	}
	e -= 1023;
	b = (b & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
	memcpy(&m, &b, sizeof(m));
	if (m > SQRT2) {
		m *= 0.5;
		e++;
	}
	s = (m - 1.0) / (m + 1.0);
	s2 = s * s;
	term = s;
	sum = s;
	for (int k = 1; k <= 12; k++) {
		term *= s2;
		sum += term / (2 * k + 1);
	}
	return (double)e + 2.0 * sum * LOG2E;
}

/* 2^y: y = n + f, |f| <= 1/2, 2^f = e^(f ln 2) by Taylor to degree 16
 * (|f ln 2| <= 0.347: remainder < 1e-22), 2^n built in the exponent. */
double vg_hdr_exp2(double y)
{
	double n, x, term, sum, scale;
	int64_t ni;
	uint64_t b;

	if (y < -1022.0)
		return 0.0;
	if (y > 1023.0)
		y = 1023.0;
	ni = (int64_t)(y >= 0 ? y + 0.5 : y - 0.5);
	n = (double)ni;
	x = (y - n) * LN2;
	term = 1.0;
	sum = 1.0;
	for (int k = 1; k <= 16; k++) {
		term *= x / k;
		sum += term;
	}
	b = (uint64_t)(ni + 1023) << 52;
	memcpy(&scale, &b, sizeof(scale));
	return sum * scale;
}

/* x^y for x >= 0, y > 0. */
double vg_hdr_pow(double x, double y)
{
	if (x <= 0.0)
		return 0.0;
	return vg_hdr_exp2(y * vg_hdr_log2(x));
}

static double vg_exp(double x)
{
	return vg_hdr_exp2(x * LOG2E);
}

static double clamp01(double x)
{
	return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* Round a non-negative double to the nearest integer. */
static uint32_t round_u32(double x)
{
	return x <= 0.0 ? 0u : (uint32_t)(x + 0.5);
}

static int32_t round_i32(double x)
{
	return (int32_t)(x >= 0.0 ? x + 0.5 : x - 0.5);
}

/* SMPTE ST 2084 (PQ) constants. */
#define PQ_M1 (2610.0 / 16384.0)
#define PQ_M2 (2523.0 / 32.0)
#define PQ_C1 (3424.0 / 4096.0)
#define PQ_C2 (2413.0 / 128.0)
#define PQ_C3 (2392.0 / 128.0)

/* ST 2084 EOTF: non-linear E' in [0, 1] -> nits. */
static double pq_eotf(double e)
{
	double p = vg_hdr_pow(clamp01(e), 1.0 / PQ_M2);
	double num = p - PQ_C1;

	if (num < 0.0)
		num = 0.0;
	return 10000.0 * vg_hdr_pow(num / (PQ_C2 - PQ_C3 * p), 1.0 / PQ_M1);
}

/* ST 2084 inverse EOTF: nits -> E'. */
static double pq_inv(double nits)
{
	double y = vg_hdr_pow(clamp01(nits / 10000.0), PQ_M1);

	return vg_hdr_pow((PQ_C1 + PQ_C2 * y) / (1.0 + PQ_C3 * y), PQ_M2);
}

/*
 * ITU-R BT.2390 EETF in the PQ domain, source black 0, source peak lw,
 * target black 0, target peak 203 nits (BT.2408): E1 = E'/PQ(lw) clamped
 * to [0, 1]; maxLum = PQ(203)/PQ(lw); KS = 1.5 maxLum - 0.5; above KS the
 * Hermite spline, below it (and whenever lw <= 203) identity.  Returns
 * the output in PQ E'.
 */
static double eetf_pq(double e, double lw)
{
	double ew = pq_inv(lw);
	double e1 = clamp01(e / ew);
	double max_lum, ks, t, t2, t3, e2;

	if (lw <= (double)VG_HDR_TARGET_NITS)
		return e1 * ew;
	max_lum = pq_inv((double)VG_HDR_TARGET_NITS) / ew;
	ks = 1.5 * max_lum - 0.5;
	if (e1 < ks)
		return e1 * ew;
	t = (e1 - ks) / (1.0 - ks);
	t2 = t * t;
	t3 = t2 * t;
	e2 = (2 * t3 - 3 * t2 + 1) * ks + (t3 - 2 * t2 + t) * (1 - ks) +
	     (-2 * t3 + 3 * t2) * max_lum;
	return e2 * ew;
}

/* BT.2100 HLG inverse OETF: E' -> scene linear E in [0, 1]. */
static double hlg_inv_oetf(double e)
{
	/* BT.2100 Table 5: a, b = 1 - 4a, c = 0.5 - a ln(4a). */
	const double a = 0.17883277, b = 0.28466892, c = 0.55991073;

	e = clamp01(e);
	if (e <= 0.5)
		return e * e / 3.0;
	return (vg_exp((e - c) / a) + b) / 12.0;
}

/* sRGB OETF, IEC 61966-2-1 (piecewise). */
static double srgb_oetf(double l)
{
	l = clamp01(l);
	if (l <= 0.0031308)
		return 12.92 * l;
	return 1.055 * vg_hdr_pow(l, 1.0 / 2.4) - 0.055;
}

/* binary16 bits -> value; NaN -> 0, +-inf -> +-65504 (the largest finite
 * half), so every input has a defined output. */
static double half_value(uint16_t h)
{
	int sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
	double v;

	if (exp == 0x1f)
		v = mant ? 0.0 : 65504.0;
	else if (exp == 0)
		v = mant * vg_hdr_exp2(-24.0); /* subnormal: mant * 2^-24 */
	else
		v = (1024 + mant) * vg_hdr_exp2((double)exp - 25.0);
	return sign ? -v : v;
}

/* ITU-R BT.2087: BT.709 -> BT.2020 in linear light. */
static const double bt709_to_2020[9] = {
	0.6274, 0.3293, 0.0433, 0.0691, 0.9195, 0.0114, 0.0164, 0.0880, 0.8956,
};
/* BT.2020 -> BT.709, the inverse (as published in ITU-R BT.2407). */
static const double bt2020_to_709[9] = {
	1.6605,	 -0.5876, -0.0728, -0.1246, 1.1329,
	-0.0083, -0.0182, -0.1006, 1.1187,
};

void vg_hdr_build_tables(struct vg_hdr_tables *t, enum vg_src_format fmt,
			 enum vg_colorspace cs, uint32_t lw_nits)
{
	const double lw = (double)lw_nits;
	const double tm_one = (double)(1u << VG_HDR_TM_Q);

	for (int i = 0; i < 9; i++) {
		t->to709[i] = round_i32(bt2020_to_709[i] * 65536.0);
		t->to2020[i] = round_i32(bt709_to_2020[i] * 65536.0);
	}
	/* BT.2020 luminance weights 0.2627, 0.6780, 0.0593 summing to
	 * exactly 1.0 in Q16 (G takes the rounding). */
	t->ys_weight[0] = round_i32(0.2627 * 65536.0);
	t->ys_weight[2] = round_i32(0.0593 * 65536.0);
	t->ys_weight[1] = 65536 - t->ys_weight[0] - t->ys_weight[2];

	for (uint32_t i = 0; i < VG_HDR_OETF_EXT_N; i++) {
		int32_t q = (int32_t)i - (int32_t)VG_HDR_OETF_LO;
		double l = (double)q / (1u << VG_HDR_OETF_Q);
		/* Outside [0, 1]: the clip of step 3, by table. */
		l = l < 0 ? 0 : l > 1 ? 1 : l;
		t->oetf[i] = (uint8_t)round_u32(srgb_oetf(l) * 255.0);
	}

	/* Linear nits (Q16) -> tone-mapped Q20: light above lw clipped. */
	for (uint32_t j = 0; j < VG_HDR_EETF_N; j++) {
		double l = (double)vg_hdr_log_x(j) / 65536.0;
		double out;

		if (l > lw)
			l = lw;
		out = pq_eotf(eetf_pq(pq_inv(l), lw));
		t->eetf[j] = round_u32(out / VG_HDR_TARGET_NITS * tm_one);
	}

	if (cs == VG_CS_SRGB && fmt != VG_SRC_RGBA16F) {
		for (uint32_t c = 0; c < 1024; c++)
			t->u.sdr10[c] = (uint8_t)((c * 255 + 511) / 1023);
	} else if (cs == VG_CS_BT2020_PQ) {
		for (uint32_t c = 0; c < 1024; c++) {
			double out = pq_eotf(eetf_pq(c / 1023.0, lw));
			t->u.pq[c] =
				round_u32(out / VG_HDR_TARGET_NITS * tm_one);
		}
	} else if (cs == VG_CS_BT2020_HLG) {
		for (uint32_t c = 0; c < 1024; c++)
			t->u.hlg.es[c] = round_u32(hlg_inv_oetf(c / 1023.0) *
						   (1u << VG_HDR_HLG_Q));
		/* BT.2100 OOTF: Fd = 1000 * Ys^(1.2 - 1) * Es. */
		for (uint32_t j = 0; j < VG_HDR_POW_N; j++) {
			double ys =
				(double)vg_hdr_log_x(j) / (1u << VG_HDR_HLG_Q);
			t->u.hlg.pow[j] = round_u32(vg_hdr_pow(ys, 0.2) *
						    (1u << VG_HDR_HLG_Q));
		}
	} else if (cs == VG_CS_SCRGB) {
		/* scRGB: 1.0 = 80 nits, linear BT.709. */
		for (uint32_t h = 0; h < 65536; h++)
			t->u.half[h] = round_i32(half_value((uint16_t)h) *
						 80.0 * (1u << VG_HDR_SCRGB_Q));
	}
}
