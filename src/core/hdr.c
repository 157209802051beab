/* SPDX-License-Identifier: MIT */
/*
 * HDR and 10-bit sources onto the 8-bit sRGB scanout: metadata checks,
 * converter set-up, and the per-pixel row functions.  Integers and tables
 * only (hdr_float.c builds the tables); see hdr_internal.h for the
 * fixed-point formats and README "HDR: the conversion pipeline".
 */
#include <stdint.h>
#include <string.h>

#include "convert.h"
#include "hdr_internal.h"
#include "viogpu/color.h"

unsigned vg_src_format_bpp(enum vg_src_format fmt)
{
	switch (fmt) {
	case VG_SRC_B8G8R8A8:
	case VG_SRC_B8G8R8X8:
	case VG_SRC_R8G8B8A8:
	case VG_SRC_R8G8B8X8:
	case VG_SRC_R10G10B10A2:
	case VG_SRC_R10G10B10X2:
	case VG_SRC_B10G10R10A2:
		return 4;
	case VG_SRC_RGBA16F:
		return 8;
	}
	return 0;
}

/* One chromaticity (x, y) in 0.00002: both zero (not given) or both in
 * (0, 1] with x + y <= 1, the inside of the CIE xy diagram's bounds. */
static int chroma_ok(const uint16_t xy[2])
{
	if (xy[0] == 0 && xy[1] == 0)
		return 1;
	return xy[0] != 0 && xy[1] != 0 && xy[0] <= 50000 && xy[1] <= 50000 &&
	       (uint32_t)xy[0] + xy[1] <= 50000;
}

enum vg_hdr_meta_error vg_hdr_metadata_check(const struct vg_hdr_metadata *m)
{
	if (!m)
		return VG_HDR_META_OK;
	for (int i = 0; i < 3; i++)
		if (!chroma_ok(m->primaries[i]))
			return VG_HDR_META_BAD_CHROMATICITY;
	if (!chroma_ok(m->white_point))
		return VG_HDR_META_BAD_CHROMATICITY;
	/* min in 0.0001 nits, max in nits */
	if (m->max_mastering_luminance != 0 &&
	    (uint64_t)m->min_mastering_luminance >=
		    (uint64_t)m->max_mastering_luminance * 10000u)
		return VG_HDR_META_MIN_ABOVE_MAX;
	if (m->max_cll != 0 && m->max_fall > m->max_cll)
		return VG_HDR_META_FALL_ABOVE_CLL;
	if (m->max_mastering_luminance > 10000)
		return VG_HDR_META_LUMINANCE_RANGE;
	return VG_HDR_META_OK;
}

const char *vg_hdr_meta_error_str(enum vg_hdr_meta_error e)
{
	switch (e) {
	case VG_HDR_META_OK:
		return "valid";
	case VG_HDR_META_BAD_CHROMATICITY:
		return "chromaticity out of range (x, y must be in (0, 1] "
		       "with x + y <= 1, or both 0)";
	case VG_HDR_META_MIN_ABOVE_MAX:
		return "min mastering luminance not below the max";
	case VG_HDR_META_FALL_ABOVE_CLL:
		return "MaxFALL above MaxCLL";
	case VG_HDR_META_LUMINANCE_RANGE:
		return "max mastering luminance above 10000 nits";
	}
	return "unknown metadata error";
}

uint32_t vg_hdr_source_peak(const struct vg_hdr_metadata *m)
{
	uint32_t lw = 1000;

	if (m && m->max_cll)
		lw = m->max_cll;
	else if (m && m->max_mastering_luminance)
		lw = m->max_mastering_luminance;
	return lw > 10000 ? 10000 : lw;
}

size_t vg_hdr_tables_size(void)
{
	return sizeof(struct vg_hdr_tables);
}

static uint32_t load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Log-indexed table read with linear interpolation (hdr_internal.h).
 * Tables are monotone non-decreasing, so the step is >= 0.  Without a
 * branch: for x < 2^K the octave is taken as K, which gives idx = x
 * (modulo 2^32 arithmetic) and no fraction. */
static inline uint32_t lut_log(const uint32_t *t, uint32_t x)
{
	uint32_t e = 31u - (uint32_t)__builtin_clz(x | (1u << VG_HDR_LOG_K));
	uint32_t sh = e - VG_HDR_LOG_K;
	uint32_t idx =
		((sh + 1) << VG_HDR_LOG_K) + ((x >> sh) - (1u << VG_HDR_LOG_K));
	uint32_t frac = x & ((1u << sh) - 1);

	return t[idx] +
	       (uint32_t)(((uint64_t)(t[idx + 1] - t[idx]) * frac) >> sh);
}

/* One BT.709 channel: a row of the matrix applied (Q20 * Q16 = Q36),
 * rounded to the OETF table's Q14 index.  No clamp: the table runs over
 * [-1, 2] and holds the clip (hdr_internal.h), which saves four
 * instructions a channel.  >> of a negative int64 is arithmetic on every
 * compiler the core supports (gcc, clang, MSVC). */
static inline uint32_t oetf_index(const int32_t *m, uint32_t r, uint32_t g,
				  uint32_t b)
{
	const int shift = VG_HDR_TM_Q + VG_HDR_COEF_Q - VG_HDR_OETF_Q;
	int64_t v = (int64_t)m[0] * r + (int64_t)m[1] * g + (int64_t)m[2] * b;

	return (uint32_t)(((v + ((int64_t)1 << (shift - 1))) >> shift) +
			  VG_HDR_OETF_LO);
}

/*
 * The scalars a row reads on every pixel, copied to the stack when the row
 * starts.  dst is a uint32_t * that the compiler must assume may alias the
 * tables, so reading t->to709[i] in the loop reloads every coefficient
 * after every store: 9 to 21 loads a pixel that the copy removes (about
 * 7% off the scRGB row, README "HDR benchmark").
 */
struct row_k {
	int32_t to709[9];
	int32_t to2020[9];
	int32_t ys_weight[3];
	uint32_t lw_q16;
};

static inline void row_k_load(struct row_k *k, const struct vg_hdr_tables *t)
{
	memcpy(k->to709, t->to709, sizeof(k->to709));
	memcpy(k->to2020, t->to2020, sizeof(k->to2020));
	memcpy(k->ys_weight, t->ys_weight, sizeof(k->ys_weight));
	k->lw_q16 = t->lw_q16;
}

/* Tone-mapped BT.2020 (Q20, 1.0 = 203 nits) -> BT.709 (BT.2087), clip to
 * [0, 1], sRGB OETF by table over Q14: one 0x00RRGGBB pixel. */
static inline uint32_t to_srgb8(const struct vg_hdr_tables *t,
				const struct row_k *k, uint32_t r, uint32_t g,
				uint32_t b)
{
	return (uint32_t)t->oetf[oetf_index(&k->to709[0], r, g, b)] << 16 |
	       (uint32_t)t->oetf[oetf_index(&k->to709[3], r, g, b)] << 8 |
	       t->oetf[oetf_index(&k->to709[6], r, g, b)];
}

static void row_bgrx8(const void *ctx, uint32_t *dst, const uint8_t *src,
		      ptrdiff_t step, uint32_t n)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++)
		dst[i] = load32(src + (ptrdiff_t)i * step) & 0xffffffu;
}

static void row_rgbx8(const void *ctx, uint32_t *dst, const uint8_t *src,
		      ptrdiff_t step, uint32_t n)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t w = load32(src + (ptrdiff_t)i * step);

		dst[i] = (w & 0xff) << 16 | (w & 0xff00) | (w >> 16 & 0xff);
	}
}

/* Channel codes of a 10-bit word: R low (DXGI) or B low (D3D9 A2R10G10B10). */
static void split10(uint32_t w, int b_low, uint32_t *r, uint32_t *g,
		    uint32_t *b)
{
	uint32_t lo = w & 0x3ff, hi = (w >> 20) & 0x3ff;

	*g = (w >> 10) & 0x3ff;
	*r = b_low ? hi : lo;
	*b = b_low ? lo : hi;
}

static void sdr10(const struct vg_hdr_tables *t, uint32_t *dst,
		  const uint8_t *src, ptrdiff_t step, uint32_t n, int b_low)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r, g, b;

		split10(load32(src + (ptrdiff_t)i * step), b_low, &r, &g, &b);
		dst[i] = (uint32_t)t->u.sdr10[r] << 16 |
			 (uint32_t)t->u.sdr10[g] << 8 | t->u.sdr10[b];
	}
}

static void row_sdr10(const void *ctx, uint32_t *dst, const uint8_t *src,
		      ptrdiff_t step, uint32_t n)
{
	sdr10(ctx, dst, src, step, n, 0);
}

static void row_sdr10_blow(const void *ctx, uint32_t *dst, const uint8_t *src,
			   ptrdiff_t step, uint32_t n)
{
	sdr10(ctx, dst, src, step, n, 1);
}

/* PQ: decode and EETF are one 1024-entry table per code. */
static void pq10(const struct vg_hdr_tables *t, uint32_t *dst,
		 const uint8_t *src, ptrdiff_t step, uint32_t n, int b_low)
{
	struct row_k k;

	row_k_load(&k, t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r, g, b;

		split10(load32(src + (ptrdiff_t)i * step), b_low, &r, &g, &b);
		dst[i] = to_srgb8(t, &k, t->u.pq[r], t->u.pq[g], t->u.pq[b]);
	}
}

static void row_pq10(const void *ctx, uint32_t *dst, const uint8_t *src,
		     ptrdiff_t step, uint32_t n)
{
	pq10(ctx, dst, src, step, n, 0);
}

static void row_pq10_blow(const void *ctx, uint32_t *dst, const uint8_t *src,
			  ptrdiff_t step, uint32_t n)
{
	pq10(ctx, dst, src, step, n, 1);
}

/* Display light (Q16 nits) -> clipped at Lw -> EETF (Q20). */
static inline uint32_t eetf(const struct vg_hdr_tables *t,
			    const struct row_k *k, uint64_t nits_q16)
{
	if (nits_q16 > k->lw_q16)
		nits_q16 = k->lw_q16;
	return lut_log(t->eetf, (uint32_t)nits_q16);
}

/* HLG: Es by table, BT.2100 OOTF Fd = 1000 * Ys^0.2 * Es (Ys from the
 * BT.2020 weights), then the EETF on display light. */
static void hlg10(const struct vg_hdr_tables *t, uint32_t *dst,
		  const uint8_t *src, ptrdiff_t step, uint32_t n, int b_low)
{
	struct row_k k;

	row_k_load(&k, t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c[3], e[3], tm[3], ys, p;

		split10(load32(src + (ptrdiff_t)i * step), b_low, &c[0], &c[1],
			&c[2]);
		for (int j = 0; j < 3; j++)
			e[j] = t->u.hlg.es[c[j]];
		ys = (uint32_t)(((uint64_t)k.ys_weight[0] * e[0] +
				 (uint64_t)k.ys_weight[1] * e[1] +
				 (uint64_t)k.ys_weight[2] * e[2] + 32768) >>
				16);
		p = lut_log(t->u.hlg.pow, ys);
		for (int j = 0; j < 3; j++) {
			/* Q24 * Q24 * 1000 >> 32 = Q16 nits */
			uint64_t fd = ((uint64_t)e[j] * p * 1000u +
				       ((uint64_t)1 << 31)) >>
				      32;
			tm[j] = eetf(t, &k, fd);
		}
		dst[i] = to_srgb8(t, &k, tm[0], tm[1], tm[2]);
	}
}

static void row_hlg10(const void *ctx, uint32_t *dst, const uint8_t *src,
		      ptrdiff_t step, uint32_t n)
{
	hlg10(ctx, dst, src, step, n, 0);
}

static void row_hlg10_blow(const void *ctx, uint32_t *dst, const uint8_t *src,
			   ptrdiff_t step, uint32_t n)
{
	hlg10(ctx, dst, src, step, n, 1);
}

/* scRGB FP16: Q8 nits by table (NaN 0, inf the largest half), BT.709 ->
 * BT.2020 (BT.2087), negatives to 0, then the EETF. */
static void row_scrgb(const void *ctx, uint32_t *dst, const uint8_t *src,
		      ptrdiff_t step, uint32_t n)
{
	const struct vg_hdr_tables *t = ctx;
	struct row_k k;

	row_k_load(&k, t);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = src + (ptrdiff_t)i * step;
		uint16_t h[3];
		int64_t l[3];
		uint32_t tm[3];

		memcpy(h, p, sizeof(h));
		for (int j = 0; j < 3; j++)
			l[j] = t->u.half[h[j]];
		for (int j = 0; j < 3; j++) {
			const int32_t *m = &k.to2020[3 * j];
			/* Q8 * Q16 = Q24 nits */
			int64_t v = m[0] * l[0] + m[1] * l[1] + m[2] * l[2];
			uint64_t q16;

			v = v < 0 ? 0 : v; /* negatives to 0 */
			q16 = ((uint64_t)v + 128) >> 8;

			tm[j] = eetf(t, &k, q16);
		}
		dst[i] = to_srgb8(t, &k, tm[0], tm[1], tm[2]);
	}
}

static int is_10bit(enum vg_src_format fmt)
{
	return fmt == VG_SRC_R10G10B10A2 || fmt == VG_SRC_R10G10B10X2 ||
	       fmt == VG_SRC_B10G10R10A2;
}

/* The row function for a combination, NULL if it is not supported. */
static vg_row_fn pick_row(enum vg_src_format fmt, enum vg_colorspace cs)
{
	int b_low = fmt == VG_SRC_B10G10R10A2;

	switch (cs) {
	case VG_CS_SRGB:
		if (fmt == VG_SRC_B8G8R8A8 || fmt == VG_SRC_B8G8R8X8)
			return row_bgrx8;
		if (fmt == VG_SRC_R8G8B8A8 || fmt == VG_SRC_R8G8B8X8)
			return row_rgbx8;
		if (is_10bit(fmt))
			return b_low ? row_sdr10_blow : row_sdr10;
		return NULL;
	case VG_CS_BT2020_PQ:
		if (is_10bit(fmt))
			return b_low ? row_pq10_blow : row_pq10;
		return NULL;
	case VG_CS_BT2020_HLG:
		if (is_10bit(fmt))
			return b_low ? row_hlg10_blow : row_hlg10;
		return NULL;
	case VG_CS_SCRGB:
		return fmt == VG_SRC_RGBA16F ? row_scrgb : NULL;
	}
	return NULL;
}

vg_status vg_hdr_converter_init(void *mem, size_t len, enum vg_src_format fmt,
				enum vg_colorspace cs,
				const struct vg_hdr_metadata *meta,
				struct vg_converter *out)
{
	struct vg_hdr_tables *t = mem;
	vg_row_fn row;

	if (!mem || !out || len < sizeof(*t) || ((uintptr_t)mem & 7) != 0)
		return VG_E_INVAL;
	if (vg_src_format_bpp(fmt) == 0)
		return VG_E_UNSUPPORTED;
	row = pick_row(fmt, cs);
	if (!row)
		return VG_E_UNSUPPORTED;
	if (vg_hdr_metadata_check(meta) != VG_HDR_META_OK)
		return VG_E_INVAL;

	t->magic = VG_HDR_MAGIC;
	t->fmt = (uint32_t)fmt;
	t->cs = (uint32_t)cs;
	t->lw_nits = vg_hdr_source_peak(meta);
	t->lw_q16 = t->lw_nits << VG_HDR_NITS_Q;
	/* 8-bit sources pass unchanged: no tables to build. */
	if (row != row_bgrx8 && row != row_rgbx8)
		vg_hdr_build_tables(t, fmt, cs, t->lw_nits);
	out->row = row;
	out->ctx = t;
	return VG_OK;
}

/* Which tables a format's rows read: none (8-bit), the 10-bit ones, or the
 * FP16 one. */
static int table_family(enum vg_src_format fmt)
{
	if (is_10bit(fmt))
		return 1;
	return fmt == VG_SRC_RGBA16F ? 2 : 0;
}

vg_status vg_hdr_converter_select(const void *mem, enum vg_src_format fmt,
				  struct vg_converter *out)
{
	const struct vg_hdr_tables *t = mem;
	vg_row_fn row;

	if (!t || t->magic != VG_HDR_MAGIC)
		return VG_E_INVAL;
	row = pick_row(fmt, (enum vg_colorspace)t->cs);
	/* 8-bit rows read no table; the others need the tables built for
	 * their family. */
	if (!row || (table_family(fmt) != 0 &&
		     table_family(fmt) != table_family(t->fmt)))
		return VG_E_UNSUPPORTED;
	out->row = row;
	out->ctx = t;
	return VG_OK;
}
