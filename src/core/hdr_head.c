// SPDX-License-Identifier: MIT
/*
 * Per-head colorimetry: validate the metadata, build the converter tables
 * once (the floating point of hdr_float.c runs here and nowhere else on
 * the present path), hand presents a converter over them; and each head's
 * HDR capability from its EDID.
 *
 * A head in sRGB holds nothing (NULL): its 8- and 10-bit converters are
 * table-free (convert.c).  Any other color space holds one os->alloc
 * block: this struct, then the tables 8-byte aligned.
 */
#include <stdint.h>
#include <string.h>

#include "gpu_internal.h"
#include "hdr_head.h"
#include "hdr_internal.h"
#include "viogpu/edid.h"

struct vg_hdr_head {
	enum vg_colorspace cs;
	int has_meta;
	struct vg_hdr_metadata meta;
	void *tables; /* inside this block, 8-byte aligned */
};

static enum vg_src_format src_format(enum vg_pixel_format f)
{
	switch (f) {
	case VG_PIXEL_B8G8R8X8:
		return VG_SRC_B8G8R8X8;
	case VG_PIXEL_B8G8R8A8:
		return VG_SRC_B8G8R8A8;
	case VG_PIXEL_R8G8B8X8:
		return VG_SRC_R8G8B8X8;
	case VG_PIXEL_R8G8B8A8:
		return VG_SRC_R8G8B8A8;
	case VG_PIXEL_R10G10B10A2:
		return VG_SRC_R10G10B10A2;
	case VG_PIXEL_R10G10B10X2:
		return VG_SRC_R10G10B10X2;
	case VG_PIXEL_B10G10R10A2:
		return VG_SRC_B10G10R10A2;
	case VG_PIXEL_R16G16B16A16_FLOAT:
		return VG_SRC_RGBA16F;
	}
	return (enum vg_src_format)0;
}

/* The format the tables of cs are built for: every other format of its
 * family reads the same tables (vg_hdr_converter_select). */
static enum vg_src_format table_format(enum vg_colorspace cs)
{
	return cs == VG_CS_SCRGB ? VG_SRC_RGBA16F : VG_SRC_R10G10B10A2;
}

vg_status vg_gpu_set_head_colorimetry(struct vg_gpu *gpu, uint32_t head,
				      enum vg_colorspace cs,
				      const struct vg_hdr_metadata *meta,
				      enum vg_hdr_meta_error *why)
{
	struct vg_os *os = gpu->os;
	struct vg_hdr_head *h = NULL;
	struct vg_converter conv;
	enum vg_hdr_meta_error e = vg_hdr_metadata_check(meta);

	if (why)
		*why = e;
	if (head >= gpu->num_scanouts)
		return VG_E_RANGE;
	if (cs != VG_CS_SRGB && cs != VG_CS_BT2020_PQ &&
	    cs != VG_CS_BT2020_HLG && cs != VG_CS_SCRGB)
		return VG_E_UNSUPPORTED;
	if (e != VG_HDR_META_OK) {
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "head %u: HDR metadata refused: %s", head,
			   vg_hdr_meta_error_str(e));
		return VG_E_INVAL;
	}
	if (cs != VG_CS_SRGB) {
		size_t size = sizeof(*h) + 8 + vg_hdr_tables_size();
		h = os->ops->alloc(os, size);
		if (!h)
			return VG_E_NOMEM;
		h->cs = cs;
		h->has_meta = meta != NULL;
		if (meta)
			h->meta = *meta;
		h->tables = (void *)(((uintptr_t)(h + 1) + 7) & ~(uintptr_t)7);
		/* Floating point: the table build (hdr_float.c). */
		vg_status st = vg_hdr_converter_init(
			h->tables, vg_hdr_tables_size(), table_format(cs), cs,
			meta, &conv);
		if (st != VG_OK) { /* cannot happen: all checked above */
			os->ops->free(os, h);
			return st;
		}
	}
	os->ops->free(os, gpu->hdr_head[head]);
	gpu->hdr_head[head] = h;
	return VG_OK;
}

vg_status vg_gpu_get_head_colorimetry(const struct vg_gpu *gpu, uint32_t head,
				      struct vg_head_colorimetry *out)
{
	if (head >= gpu->num_scanouts)
		return VG_E_RANGE;
	const struct vg_hdr_head *h = gpu->hdr_head[head];
	memset(out, 0, sizeof(*out));
	out->cs = h ? h->cs : VG_CS_SRGB;
	out->has_metadata = h && h->has_meta;
	if (out->has_metadata)
		out->meta = h->meta;
	out->source_peak_nits =
		vg_hdr_source_peak(out->has_metadata ? &out->meta : NULL);
	return VG_OK;
}

vg_status vg_hdr_head_converter(const struct vg_gpu *gpu, uint32_t head,
				enum vg_pixel_format format,
				struct vg_converter *out)
{
	const struct vg_hdr_head *h = gpu->hdr_head[head];

	if (!vg_format_bytes(format))
		return VG_E_INVAL;
	/* An sRGB head, or an 8-bit source (always sRGB): no tables. */
	if (!h || format <= VG_PIXEL_R8G8B8A8)
		return vg_converter_for_format(format, out) ? VG_OK
							    : VG_E_UNSUPPORTED;
	return vg_hdr_converter_select(h->tables, src_format(format), out);
}

void vg_hdr_heads_free(struct vg_gpu *gpu)
{
	for (uint32_t i = 0; i < VG_MAX_SCANOUTS; i++) {
		gpu->os->ops->free(gpu->os, gpu->hdr_head[i]);
		gpu->hdr_head[i] = NULL;
	}
}

/* 2^(k/32) in Q16, k = 0..31: CTA-861.3's luminance code without pow(). */
static const uint32_t exp2_32nds[32] = {
	65536,	66971,	68438,	69936,	71468,	73032,	74632,	76266,
	77936,	79642,	81386,	83169,	84990,	86851,	88752,	90696,
	92682,	94711,	96785,	98905,	101070, 103283, 105545, 107856,
	110218, 112631, 115098, 117618, 120194, 122825, 125515, 128263,
};

/* 50 * 2^(cv/32) nits in Q16. */
static uint64_t cta_lum_q16(uint8_t cv)
{
	return ((uint64_t)50 * exp2_32nds[cv & 31]) << (cv >> 5);
}

vg_status vg_gpu_get_head_hdr_caps(struct vg_gpu *gpu, uint32_t head,
				   struct vg_head_hdr_caps *out)
{
	struct vg_os *os = gpu->os;

	memset(out, 0, sizeof(*out));
	if (head >= gpu->num_scanouts)
		return VG_E_RANGE;
	const struct vg_display *d = &gpu->displays[head];
	if (!d->edid_size)
		return VG_OK;
	/* Several KiB: not on a kernel stack. */
	struct vg_edid *e = os->ops->alloc(os, sizeof(*e));
	if (!e)
		return VG_E_NOMEM;
	if (vg_edid_parse(d->edid, d->edid_size, e) == VG_OK &&
	    e->hdr_static_metadata) {
		uint64_t max = cta_lum_q16(e->hdr_max_luminance);
		out->hdr_block = 1;
		out->eotfs = e->hdr_eotfs;
		out->metadata_types = e->hdr_metadata_types;
		if (e->hdr_luminance_bytes >= 1)
			out->max_luminance = (uint32_t)((max + 32768) >> 16);
		if (e->hdr_luminance_bytes >= 2)
			out->max_frame_avg =
				(uint32_t)((cta_lum_q16(e->hdr_max_frame_avg) +
					    32768) >>
					   16);
		/* max * (cv/255)^2 / 100 nits, in 0.0001 nits: the min is
		 * relative to the max, so it needs the max code too. */
		if (e->hdr_luminance_bytes >= 3) {
			uint64_t cv = e->hdr_min_luminance;
			uint64_t den = (uint64_t)65025 << 16;
			out->min_luminance =
				(uint32_t)((max * cv * cv * 100 + den / 2) /
					   den);
		}
	}
	out->bt2020_rgb = e->colorimetry_block && (e->colorimetry & 0x80);
	os->ops->free(os, e);
	return VG_OK;
}
