// SPDX-License-Identifier: MIT
/*
 * The parts of image.h that need no PNG library, shared by the libpng
 * (image.c) and the Windows WIC (image_win.c) implementations.
 */
#include "image.h"
#include "image_internal.h"
#include "viogpu/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vg_image_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- HDR chunks to the converter's terms ---- */

static uint32_t nits_from_0001(uint32_t v)
{
	uint32_t n = (uint32_t)(((uint64_t)v + 5000) / 10000);

	return n > 65535 ? 65535 : n;
}

int vg_png_hdr_color(const struct vg_png_hdr *h, enum vg_colorspace *cs,
		     struct vg_hdr_metadata *m, char *err, size_t errlen)
{
	enum vg_colorspace c = VG_CS_SRGB;

	if (!h || !cs || !m) {
		vg_image_set_err(err, errlen, "bad arguments");
		return -1;
	}
	if (h->has_cicp) {
		unsigned p = h->cicp_primaries, t = h->cicp_transfer;

		if (!h->cicp_full_range || h->cicp_matrix != 0) {
			vg_image_set_err(
				err, errlen,
				"cICP matrix %u, full range %u: only RGB full "
				"range is supported",
				h->cicp_matrix, h->cicp_full_range);
			return -1;
		}
		if (t == 16 && p == 9)
			c = VG_CS_BT2020_PQ;
		else if (t == 18 && p == 9)
			c = VG_CS_BT2020_HLG;
		else if (t == 13 && p == 1)
			c = VG_CS_SRGB;
		else {
			vg_image_set_err(
				err, errlen,
				"cICP primaries %u transfer %u: no conversion "
				"(PQ or HLG with BT.2020 primaries 9, or sRGB "
				"13 with BT.709 primaries 1)",
				p, t);
			return -1;
		}
	}
	memset(m, 0, sizeof(*m));
	if (h->has_mdcv) {
		memcpy(m->primaries, h->mdcv_primaries, sizeof(m->primaries));
		memcpy(m->white_point, h->mdcv_white, sizeof(m->white_point));
		m->max_mastering_luminance =
			nits_from_0001(h->mdcv_max_luminance);
		m->min_mastering_luminance = h->mdcv_min_luminance;
	}
	if (h->has_clli) {
		m->max_cll = (uint16_t)nits_from_0001(h->max_cll);
		m->max_fall = (uint16_t)nits_from_0001(h->max_fall);
	}
	*cs = c;
	return 0;
}

void vg_px16_to_r10g10b10a2(const uint16_t *src, uint32_t *dst, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const uint16_t *p = src + 4 * i;
		uint32_t c[3];

		for (int k = 0; k < 3; k++)
			c[k] = ((uint32_t)p[k] * 1023u + 32767u) / 65535u;
		dst[i] = c[0] | c[1] << 10 | c[2] << 20 | 3u << 30;
	}
}
