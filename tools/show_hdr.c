// SPDX-License-Identifier: MIT
#include "show_hdr.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "viogpu/display.h"
#include "viogpu/surface.h"
#include "pattern.h"

bool show_hdr_flags_given(const struct show_hdr_flags *f)
{
	return f->transfer || f->primaries || f->max_cll || f->max_fall ||
	       f->mastering;
}

/* A whole number 0..max, or false. */
static bool parse_u(const char *s, unsigned long max, unsigned long *out)
{
	return cli_parse_uint(s, max, out);
}

/* A decimal number in [lo, hi] (no sign games, no trailing text). */
static bool parse_d(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '+' || *s == '-' || *s == ' ')
		return false;
	double v = strtod(s, &end);
	if (errno || *end || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

/*
 * --mastering Rx,Ry,Gx,Gy,Bx,By,Wx,Wy,MIN,MAX: the ST 2086 primaries and
 * white point as CIE 1931 x, y decimals (0..1) and the min / max mastering
 * luminance in nits (min decimal, max whole).  E.g. BT.2020 at 0.005 to
 * 1000 nits: 0.708,0.292,0.170,0.797,0.131,0.046,0.3127,0.3290,0.005,1000
 */
static bool parse_mastering(const char *s, struct vg_hdr_metadata *m)
{
	char buf[256], *save = NULL;
	double v[10];
	int n = 0;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if (buf[0] == ',' || (buf[0] && buf[strlen(buf) - 1] == ',') ||
	    strstr(buf, ",,"))
		return false;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (n == 10)
			return false;
		double hi = n < 8 ? 1.0 : 10000;
		if (!parse_d(t, 0, hi, &v[n]))
			return false;
		n++;
	}
	if (n != 10 || v[9] != floor(v[9]))
		return false;
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 2; k++)
			m->primaries[i][k] =
				(uint16_t)lround(v[2 * i + k] * 50000);
	m->white_point[0] = (uint16_t)lround(v[6] * 50000);
	m->white_point[1] = (uint16_t)lround(v[7] * 50000);
	m->min_mastering_luminance = (uint32_t)lround(v[8] * 10000);
	m->max_mastering_luminance = (uint32_t)v[9];
	return true;
}

/* binary16 of a finite non-negative float, rounded to nearest even. */
static uint16_t to_half(float f)
{
	uint32_t b;
	memcpy(&b, &f, 4);
	int32_t e = (int32_t)(b >> 23 & 0xff) - 127 + 15;
	uint32_t m = (b & 0x7fffff) | 0x800000;
	if (f <= 0)
		return 0;
	if (e >= 31)
		return 0x7bff;
	int shift = e > 0 ? 13 : 13 + 1 - e;
	if (shift > 24)
		return 0;
	uint32_t keep = m >> shift, rest = m & ((1u << shift) - 1),
		 half = 1u << (shift - 1);
	if (rest > half || (rest == half && (keep & 1)))
		keep++;
	/* keep carries the implicit bit for normals: add the exponent. */
	return (uint16_t)(e > 0 ? ((uint32_t)(e - 1) << 10) + keep : keep);
}

static const char *cs_name(enum vg_colorspace cs)
{
	switch (cs) {
	case VG_CS_SRGB:
		return "srgb (bt709 primaries, srgb transfer)";
	case VG_CS_BT2020_PQ:
		return "bt2020-pq (HDR10)";
	case VG_CS_BT2020_HLG:
		return "bt2020-hlg";
	case VG_CS_SCRGB:
		return "scrgb (bt709 primaries, linear)";
	}
	return "?";
}

int show_hdr_prepare(const char *path, const struct show_hdr_flags *f,
		     struct show_hdr *hdr, bool *is_hdr)
{
	struct vg_png_hdr ph;
	uint16_t *px16 = NULL;
	uint32_t w, h;
	char err[256];
	unsigned long v;

	memset(hdr, 0, sizeof(*hdr));
	*is_hdr = false;
	/* Flags first: a bad value is a usage error whatever the file. */
	struct vg_hdr_metadata over = {0};
	if (f->max_cll && !parse_u(f->max_cll, 65535, &v)) {
		cli_error("--max-cll wants whole nits 0..65535, not '%s'",
			  f->max_cll);
		return CLI_EXIT_USAGE;
	}
	over.max_cll = f->max_cll ? (uint16_t)v : 0;
	if (f->max_fall && !parse_u(f->max_fall, 65535, &v)) {
		cli_error("--max-fall wants whole nits 0..65535, not '%s'",
			  f->max_fall);
		return CLI_EXIT_USAGE;
	}
	over.max_fall = f->max_fall ? (uint16_t)v : 0;
	if (f->mastering && !parse_mastering(f->mastering, &over)) {
		cli_error("--mastering wants Rx,Ry,Gx,Gy,Bx,By,Wx,Wy,MIN,MAX "
			  "(x, y in 0..1, MIN nits, MAX whole nits, both "
			  "0..10000), not '%s'",
			  f->mastering);
		return CLI_EXIT_USAGE;
	}
	static const char *const transfers[] = {"pq", "hlg", "srgb", "linear"};
	int tr = -1, pr = -1;
	for (int i = 0; f->transfer && i < 4; i++)
		if (!strcmp(f->transfer, transfers[i]))
			tr = i;
	if (f->transfer && tr < 0) {
		cli_error("--transfer wants pq, hlg, srgb or linear, not '%s'",
			  f->transfer);
		return CLI_EXIT_USAGE;
	}
	if (f->primaries) {
		pr = !strcmp(f->primaries, "bt709")    ? 0
		     : !strcmp(f->primaries, "bt2020") ? 1
						       : -1;
		if (pr < 0) {
			cli_error("--primaries wants bt709 or bt2020, not '%s'",
				  f->primaries);
			return CLI_EXIT_USAGE;
		}
	}

	if (vg_png_read16(path, &px16, &w, &h, &ph, err, sizeof(err))) {
		cli_error("%s", err);
		return CLI_EXIT_USAGE;
	}
	if (!show_hdr_flags_given(f) && !ph.has_cicp && !ph.has_mdcv &&
	    !ph.has_clli) {
		free(px16); /* plain SDR: the 8-bit path */
		return CLI_EXIT_OK;
	}

	/* The file's transfer and primaries (cICP; none: sRGB, BT.709). */
	int ftr = 2, fpr = 0;
	if (ph.has_cicp) {
		unsigned t = ph.cicp_transfer, p = ph.cicp_primaries;
		ftr = t == 16 ? 0 : t == 18 ? 1 : t == 13 ? 2 : t == 8 ? 3 : -1;
		fpr = p == 1 ? 0 : p == 9 ? 1 : -1;
		if ((ftr < 0 && tr < 0) || (fpr < 0 && pr < 0) ||
		    !ph.cicp_full_range || ph.cicp_matrix != 0) {
			cli_error("%s: cICP primaries %u transfer %u matrix %u "
				  "full range %u: no conversion (override "
				  "with --transfer and --primaries)",
				  path, p, t, ph.cicp_matrix,
				  ph.cicp_full_range);
			free(px16);
			return CLI_EXIT_USAGE;
		}
	}
	if (tr < 0)
		tr = ftr;
	if (pr < 0)
		pr = fpr;
	hdr->cs_from = f->transfer || f->primaries ? "flags"
		       : ph.has_cicp		   ? "cICP"
						   : "default";
	if (tr == 0 && pr == 1)
		hdr->cs = VG_CS_BT2020_PQ;
	else if (tr == 1 && pr == 1)
		hdr->cs = VG_CS_BT2020_HLG;
	else if (tr == 2 && pr == 0)
		hdr->cs = VG_CS_SRGB;
	else if (tr == 3 && pr == 0)
		hdr->cs = VG_CS_SCRGB;
	else {
		cli_error("transfer %s with primaries %s has no conversion "
			  "(pq and hlg go with bt2020, srgb and linear with "
			  "bt709)",
			  transfers[tr], pr ? "bt2020" : "bt709");
		free(px16);
		return CLI_EXIT_USAGE;
	}

	/* Metadata: mDCV / cLLI, each overridden by its flags. */
	struct vg_png_hdr only_meta = ph;
	enum vg_colorspace ignored;
	only_meta.has_cicp = false;
	(void)vg_png_hdr_color(&only_meta, &ignored, &hdr->meta, NULL, 0);
	if (f->mastering) {
		memcpy(hdr->meta.primaries, over.primaries,
		       sizeof(over.primaries));
		memcpy(hdr->meta.white_point, over.white_point,
		       sizeof(over.white_point));
		hdr->meta.min_mastering_luminance =
			over.min_mastering_luminance;
		hdr->meta.max_mastering_luminance =
			over.max_mastering_luminance;
	}
	if (f->max_cll)
		hdr->meta.max_cll = over.max_cll;
	if (f->max_fall)
		hdr->meta.max_fall = over.max_fall;
	hdr->meta_from =
		f->mastering || f->max_cll || f->max_fall
			? (ph.has_mdcv || ph.has_clli ? "file+flags" : "flags")
		: ph.has_mdcv || ph.has_clli ? "mDCV/cLLI"
					     : "none";
	enum vg_hdr_meta_error me = vg_hdr_metadata_check(&hdr->meta);
	if (me != VG_HDR_META_OK) {
		cli_error("HDR metadata (%s): %s", hdr->meta_from,
			  vg_hdr_meta_error_str(me));
		free(px16);
		return CLI_EXIT_USAGE;
	}

	/* The source: 10-bit words, or FP16 scRGB for linear (65535 is
	 * 10000 nits, scRGB 125.0: the PQ range, absolute). */
	hdr->w = w;
	hdr->h = h;
	size_t n = (size_t)w * h;
	if (hdr->cs == VG_CS_SCRGB) {
		uint16_t *o = malloc(n * 8);
		if (!o) {
			free(px16);
			cli_error("out of memory");
			return CLI_EXIT_FAIL;
		}
		for (size_t i = 0; i < n; i++) {
			for (int k = 0; k < 3; k++)
				o[i * 4 + k] = to_half((float)px16[i * 4 + k] /
						       65535.0f * 125);
			o[i * 4 + 3] = 0x3c00; /* alpha 1.0 */
		}
		hdr->px = o;
		hdr->format = VG_PIXEL_R16G16B16A16_FLOAT;
	} else {
		uint32_t *o = malloc(n * 4);
		if (!o) {
			free(px16);
			cli_error("out of memory");
			return CLI_EXIT_FAIL;
		}
		vg_px16_to_r10g10b10a2(px16, o, n);
		hdr->px = o;
		hdr->format = VG_PIXEL_R10G10B10A2;
	}
	free(px16);

	/* The converter run directly, for the expected picture. */
	/* malloc aligns for max_align_t (16 bytes), more than the tables'
	 * 8; mingw has no aligned_alloc. */
	hdr->tables = malloc(vg_hdr_tables_size());
	if (!hdr->tables ||
	    vg_hdr_converter_init(hdr->tables, vg_hdr_tables_size(),
				  hdr->cs == VG_CS_SCRGB ? VG_SRC_RGBA16F
							 : VG_SRC_R10G10B10A2,
				  hdr->cs, &hdr->meta, &hdr->conv) != VG_OK) {
		cli_error("HDR converter set-up failed");
		show_hdr_free(hdr);
		return CLI_EXIT_FAIL;
	}
	*is_hdr = true;
	return CLI_EXIT_OK;
}

void show_hdr_print(const struct show_hdr *hdr, uint32_t head)
{
	const struct vg_hdr_metadata *m = &hdr->meta;

	printf("head %u: color space %s (from %s); metadata (%s): MaxCLL %u, "
	       "MaxFALL %u, mastering %.4f..%u nits, R %.4f,%.4f G "
	       "%.4f,%.4f B %.4f,%.4f W %.4f,%.4f; tone-mapped from Lw %u "
	       "nits onto 203\n",
	       head, cs_name(hdr->cs), hdr->cs_from, hdr->meta_from, m->max_cll,
	       m->max_fall, m->min_mastering_luminance / 10000.0,
	       m->max_mastering_luminance, m->primaries[0][0] / 50000.0,
	       m->primaries[0][1] / 50000.0, m->primaries[1][0] / 50000.0,
	       m->primaries[1][1] / 50000.0, m->primaries[2][0] / 50000.0,
	       m->primaries[2][1] / 50000.0, m->white_point[0] / 50000.0,
	       m->white_point[1] / 50000.0, vg_hdr_source_peak(m));
}

/* Nearest-neighbour scale of the source words (4 or 8 bytes). */
static void *scale(const struct show_hdr *hdr, uint32_t w, uint32_t h)
{
	size_t bpp = hdr->format == VG_PIXEL_R16G16B16A16_FLOAT ? 8 : 4;
	uint8_t *o = malloc((size_t)w * h * bpp);
	if (!o)
		return NULL;
	for (uint32_t y = 0; y < h; y++) {
		uint32_t sy = (uint32_t)((uint64_t)y * hdr->h / h);
		for (uint32_t x = 0; x < w; x++) {
			uint32_t sx = (uint32_t)((uint64_t)x * hdr->w / w);
			memcpy(o + ((size_t)y * w + x) * bpp,
			       (const uint8_t *)hdr->px +
				       ((size_t)sy * hdr->w + sx) * bpp,
			       bpp);
		}
	}
	return o;
}

int show_hdr_present(struct cli_session *s, uint32_t head,
		     const struct show_hdr *hdr, uint32_t w, uint32_t h,
		     uint64_t *mismatch)
{
	size_t bpp = hdr->format == VG_PIXEL_R16G16B16A16_FLOAT ? 8 : 4;
	uint8_t *src = scale(hdr, w, h);
	uint32_t *want = malloc((size_t)w * h * 4);
	int rc = CLI_EXIT_OK;

	if (!src || !want) {
		cli_error("out of memory");
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	vg_status st = vg_gpu_set_head_colorimetry(s->gpu, head, hdr->cs,
						   &hdr->meta, NULL);
	if (st != VG_OK) {
		cli_gpu_error(s->gpu, "colorimetry", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	struct vg_present_source ps = {src, (uint32_t)(w * bpp), hdr->format, w,
				       h,   VG_ROTATE_0};
	struct vg_rect all = {0, 0, w, h};
	st = vg_gpu_present_source(s->gpu, head, &ps, NULL, 0, &all, 1);
	if (st != VG_OK) {
		cli_gpu_error(s->gpu, "present", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	/* What the converter itself makes of the same source. */
	for (uint32_t y = 0; y < h; y++)
		hdr->conv.row(hdr->conv.ctx, want + (size_t)y * w,
			      src + (size_t)y * w * bpp, (ptrdiff_t)bpp, w);
	struct vg_fb *fb = vg_gpu_head_fb(s->gpu, head);
	uint32_t fx = 0, fy = 0;
	*mismatch = vg_pixels_compare(vg_fb_pixels(fb), vg_fb_stride(fb), want,
				      w * 4, w, h, &fx, &fy);
out:
	free(src);
	free(want);
	return rc;
}

void show_hdr_free(struct show_hdr *hdr)
{
	free(hdr->px);
	free(hdr->tables);
	hdr->px = hdr->tables = NULL;
}
