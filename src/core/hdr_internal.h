/* SPDX-License-Identifier: MIT */
/*
 * The HDR converter's tables, shared by hdr.c (the integer per-pixel path)
 * and hdr_float.c (the one place that builds them with floating point).
 *
 * Fixed-point formats (chosen so every output is within one 8-bit step of
 * the double-precision pipeline; tests/test_hdr.c measures it):
 *   linear nits, EETF input    Q16 (1.0 nit = 1 << 16), <= 10000 nits
 *   scRGB linear BT.709 nits   Q8, signed (65504 * 80 nits fits in int32)
 *   HLG scene light Es, Ys     Q24 (1.0 = 1 << 24)
 *   tone-mapped light          Q20, 1.0 = 203 nits (BT.2408 reference white)
 *   matrix coefficients        Q16, signed
 *   sRGB OETF table index      Q14 over [0, 1]: 16385 entries
 */
#ifndef VIOGPU_HDR_INTERNAL_H
#define VIOGPU_HDR_INTERNAL_H

#include <stdint.h>

#include "viogpu/color.h"

#define VG_HDR_NITS_Q 16
#define VG_HDR_SCRGB_Q 8
#define VG_HDR_HLG_Q 24
#define VG_HDR_TM_Q 20
#define VG_HDR_COEF_Q 16
#define VG_HDR_OETF_Q 14
#define VG_HDR_OETF_N ((1u << VG_HDR_OETF_Q) + 1)
/*
 * The OETF table runs over [-1, 2] in Q14 (entry VG_HDR_OETF_LO + q is
 * linear q / 2^14), so the matrix step needs no clamp: a BT.709 channel
 * made from tone values in [0, 1] lies in [-0.661, 1.661] (the BT.2087
 * rows' negative and positive sums); below 0 reads 0, above 1 reads 255.
 * Every table that feeds the matrix (PQ, EETF) is capped at 1.0.
 */
#define VG_HDR_OETF_LO (1u << VG_HDR_OETF_Q)
#define VG_HDR_OETF_EXT_N                                                      \
	(VG_HDR_OETF_LO + VG_HDR_OETF_N + (1u << VG_HDR_OETF_Q))

/*
 * A "log-indexed" table over a u32 x: like a float with VG_HDR_LOG_K
 * mantissa bits, entries are exact for x < 2^K and then 2^K per octave,
 * read with linear interpolation.  vg_hdr_log_x(j) is entry j's x.
 */
#define VG_HDR_LOG_K 7
/* entries for x < 2^bits */
#define VG_HDR_LOG_N(bits) ((((bits)-VG_HDR_LOG_K + 1) << VG_HDR_LOG_K) + 1)
/* EETF input: Q16 nits <= 10000 nits < 2^30 */
#define VG_HDR_EETF_N VG_HDR_LOG_N(30)
/* HLG Ys^(gamma - 1): Ys in Q24 <= 2^24 < 2^25 */
#define VG_HDR_POW_N VG_HDR_LOG_N(25)

static inline uint64_t vg_hdr_log_x(uint32_t j)
{
	uint32_t s = j >> VG_HDR_LOG_K;
	uint32_t m = j & ((1u << VG_HDR_LOG_K) - 1);

	if (s == 0)
		return m;
	return (uint64_t)((1u << VG_HDR_LOG_K) + m) << (s - 1);
}

#define VG_HDR_MAGIC 0x48445254u /* "HDRT" */

/* Lives in the caller's memory (vg_hdr_converter_init); read-only once
 * built. */
struct vg_hdr_tables {
	uint32_t magic;
	uint32_t fmt, cs;
	uint32_t lw_nits;     /* EETF source peak */
	uint32_t lw_q16;      /* the same in Q16 nits: clip level */
	int32_t to709[9];     /* BT.2020 -> BT.709, Q16 (BT.2087) */
	int32_t to2020[9];    /* BT.709 -> BT.2020, Q16 (BT.2087), scRGB */
	int32_t ys_weight[3]; /* BT.2020 luminance weights, Q16, sum 65536 */
	uint8_t oetf[VG_HDR_OETF_EXT_N]; /* Q14 linear + LO -> 8-bit sRGB */
	uint32_t eetf[VG_HDR_EETF_N];	 /* log-indexed Q16 nits -> Q20 */
	union {
		uint32_t pq[1024];   /* 10-bit PQ code -> Q20, EETF done */
		uint8_t sdr10[1024]; /* 10-bit -> 8-bit */
		struct {
			uint32_t es[1024];	    /* code -> Es, Q24 */
			uint32_t pow[VG_HDR_POW_N]; /* Ys -> Ys^0.2 Q24 */
		} hlg;
		int32_t half[65536]; /* binary16 bits -> Q8 nits */
	} u;
};

/*
 * Fills t's tables for (fmt, cs) with source peak lw_nits (already
 * validated).  The only code in src/core that uses floating point.
 */
void vg_hdr_build_tables(struct vg_hdr_tables *t, enum vg_src_format fmt,
			 enum vg_colorspace cs, uint32_t lw_nits);

/*
 * A converter for fmt over tables mem that vg_hdr_converter_init already
 * built (for another format of the same family and the same color
 * space): no floating point, no table work.  VG_E_INVAL if mem holds no
 * tables, VG_E_UNSUPPORTED if fmt does not go with their color space or
 * needs tables of another family (10-bit vs FP16).
 */
vg_status vg_hdr_converter_select(const void *mem, enum vg_src_format fmt,
				  struct vg_converter *out);

/* hdr_float.c's elementary functions (no libm in src/core), exported for
 * tests/test_hdr.c to check against libm: log2 for finite x > 0, exp2,
 * pow for x >= 0 and y > 0 (0 for x <= 0). */
double vg_hdr_log2(double x);
double vg_hdr_exp2(double y);
double vg_hdr_pow(double x, double y);

#endif
