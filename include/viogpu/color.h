/* SPDX-License-Identifier: MIT */
/*
 * Source pixel formats, color spaces and HDR static metadata, and the
 * converter that maps HDR10 / HLG / scRGB content onto the 8-bit sRGB
 * scanout (virtio-gpu 2D has only 8-bit formats and no HDR command, so the
 * driver tone-maps and gamut-maps itself, as IddCx drivers must).
 *
 * The pipeline (README "HDR: the conversion pipeline"):
 *   decode to linear BT.2020 nits (PQ EOTF / HLG inverse OETF + OOTF /
 *   scRGB x 80 nits then BT.709->BT.2020) -> BT.2390 EETF per channel in
 *   the PQ domain onto 203 nits -> BT.2020->BT.709 -> clip [0, 203] / 203
 *   -> sRGB OETF -> 8 bits.
 *
 * Portable core code: no allocation (the caller gives the table memory),
 * and the per-pixel path uses integers and tables only.  Building the
 * tables (vg_hdr_converter_init) uses floating point: in a kernel call it
 * with the FPU state saved (kernel_fpu_begin, KeSaveExtendedProcessorState).
 */
#ifndef VIOGPU_COLOR_H
#define VIOGPU_COLOR_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/status.h"

/*
 * A converter: one row of source pixels to the framebuffer's B8G8R8X8
 * (0x00RRGGBB in a uint32_t).  row writes dst[0..n) from the source pixels
 * at src + i * step, i in [0, n) (step: the pixel size, its negation, or
 * +-pitch for rotation); ctx is the converter's own (its tables).  Pure:
 * any thread, once built.  The present path's seam (src/core/convert.h).
 */
typedef void (*vg_row_fn)(const void *ctx, uint32_t *dst, const uint8_t *src,
			  ptrdiff_t step, uint32_t n);

struct vg_converter {
	vg_row_fn row;
	const void *ctx;
};

/*
 * Source pixel formats, named by their order in a little-endian 32/64-bit
 * word from the lowest bits up (DXGI style).
 *
 * The 10-bit ones are DXGI_FORMAT_R10G10B10A2_UNORM: R in bits 0-9, G in
 * 10-19, B in 20-29, alpha in 30-31.  D3D9 names list channels from the
 * most significant bits down, so the same layout is D3DFMT_A2B10G10R10 in
 * D3D9 (and DRM_FORMAT_ABGR2101010 in Linux); what IddCx and the HDR issue
 * call "A2R10G10B10 (DXGI R10G10B10A2_UNORM order)" is this layout.  The
 * D3D9 D3DFMT_A2R10G10B10 (B in bits 0-9) is VG_SRC_B10G10R10A2.
 * Alpha / X bits are ignored: the scanout is opaque.
 *
 * VG_SRC_RGBA16F is DXGI_FORMAT_R16G16B16A16_FLOAT: four IEEE binary16,
 * R first in memory.
 */
enum vg_src_format {
	VG_SRC_B8G8R8A8 = 1, /* virtio-gpu B8G8R8A8_UNORM: 0xAARRGGBB word */
	VG_SRC_B8G8R8X8,
	VG_SRC_R8G8B8A8, /* R in the lowest byte */
	VG_SRC_R8G8B8X8,
	VG_SRC_R10G10B10A2, /* DXGI R10G10B10A2_UNORM (= D3D9 A2B10G10R10) */
	VG_SRC_R10G10B10X2, /* the same, alpha bits ignored */
	VG_SRC_B10G10R10A2, /* D3D9 A2R10G10B10: B in bits 0-9 */
	VG_SRC_RGBA16F,	    /* DXGI R16G16B16A16_FLOAT */
};

/* Bytes per source pixel, 0 for an unknown format. */
unsigned vg_src_format_bpp(enum vg_src_format fmt);

/*
 * Color spaces (DXGI_COLOR_SPACE_TYPE in brackets).  Full-range code
 * values, as DXGI swap chains use.
 */
enum vg_colorspace {
	VG_CS_SRGB = 1,	  /* BT.709 primaries, sRGB transfer (RGB_FULL_G22) */
	VG_CS_BT2020_PQ,  /* HDR10: ST 2084 (RGB_FULL_G2084_NONE_P2020) */
	VG_CS_BT2020_HLG, /* BT.2100 HLG (RGB_FULL_GHLG_NONE_P2020) */
	VG_CS_SCRGB,	  /* linear BT.709, 1.0 = 80 nits (RGB_FULL_G10) */
};

/*
 * HDR static metadata, in the units of IDDCX_HDR10_METADATA,
 * DXGI_HDR_METADATA_HDR10 and Linux's hdr_metadata_infoframe (CTA-861.3):
 * SMPTE ST 2086 mastering display color volume plus content light levels.
 * Zero means "not given" for every field (CTA-861.3).
 *
 * Of these the conversion uses the luminances only (the source peak Lw of
 * the EETF: MaxCLL, else max mastering luminance, else 1000 nits); the
 * mastering primaries do not change the mapping (BT.2390 maps luminance;
 * gamut mapping is the fixed BT.2087 matrix and clipping).
 */
struct vg_hdr_metadata {
	uint16_t primaries[3][2]; /* R, G, B (x, y), in 0.00002 (50000 = 1) */
	uint16_t white_point[2];  /* (x, y), in 0.00002 */
	uint32_t max_mastering_luminance; /* cd/m2 (nits) */
	uint32_t min_mastering_luminance; /* 0.0001 cd/m2 */
	uint16_t max_cll;		  /* MaxCLL, cd/m2 */
	uint16_t max_fall;		  /* MaxFALL, cd/m2 */
};

enum vg_hdr_meta_error {
	VG_HDR_META_OK = 0,
	/* a primary or the white point has x or y above 50000 (1.0), or
	 * x + y above 1, or exactly one of x, y zero */
	VG_HDR_META_BAD_CHROMATICITY,
	/* min mastering luminance at or above the max (both given) */
	VG_HDR_META_MIN_ABOVE_MAX,
	/* MaxFALL above MaxCLL (both given) */
	VG_HDR_META_FALL_ABOVE_CLL,
	/* max mastering luminance above 10000 nits, the end of PQ */
	VG_HDR_META_LUMINANCE_RANGE,
};

/*
 * Checks metadata for the errors above, in that order; NULL is valid (no
 * metadata).  Nothing is corrected: invalid metadata is refused by
 * vg_hdr_converter_init, never half-used.
 */
enum vg_hdr_meta_error vg_hdr_metadata_check(const struct vg_hdr_metadata *m);

/* Static English text for an error, never NULL. */
const char *vg_hdr_meta_error_str(enum vg_hdr_meta_error e);

/*
 * The source peak Lw in nits the EETF uses for this metadata (NULL: 1000):
 * MaxCLL if non-zero, else the max mastering luminance if non-zero, else
 * 1000; capped at 10000.
 */
uint32_t vg_hdr_source_peak(const struct vg_hdr_metadata *m);

/* Target peak: BT.2408 SDR reference white, mapped to sRGB 1.0. */
#define VG_HDR_TARGET_NITS 203

/*
 * Bytes of table memory a converter needs (about 320 KiB: the FP16 table
 * alone is 65536 x 4 bytes), for any format and color space.
 */
size_t vg_hdr_tables_size(void);

/*
 * Builds a converter for (fmt, cs, meta) into caller memory `mem` (at least
 * vg_hdr_tables_size() bytes, 8-byte aligned) and fills *out.  The caller
 * owns `mem`; *out points into it and is valid while it lives.  Rows may
 * be converted from any number of threads at once (the tables are
 * read-only after init); init itself must not race with them.
 *
 * Uses floating point (table building): see the note at the top.
 *
 * Combinations: 8-bit formats with VG_CS_SRGB (passed unchanged); 10-bit
 * formats with VG_CS_SRGB (rounded to 8 bits), VG_CS_BT2020_PQ or
 * VG_CS_BT2020_HLG; VG_SRC_RGBA16F with VG_CS_SCRGB.
 *
 * Returns VG_E_INVAL for NULL/small/misaligned memory or invalid metadata
 * (see vg_hdr_metadata_check), VG_E_UNSUPPORTED for an unknown format,
 * color space or combination.  *out is untouched on failure.
 */
vg_status vg_hdr_converter_init(void *mem, size_t len, enum vg_src_format fmt,
				enum vg_colorspace cs,
				const struct vg_hdr_metadata *meta,
				struct vg_converter *out);

/* ---- per head: colorimetry of what is presented, HDR capability ---- */

struct vg_gpu;

/*
 * Sets the color space and static metadata of what vg_gpu_present_source
 * shows on head (an IddCx driver calls it from its colorimetry / HDR10
 * metadata callbacks).  Validates first: invalid metadata returns
 * VG_E_INVAL with nothing changed, and *why (may be NULL) says which rule
 * it broke (vg_hdr_meta_error_str gives the text); meta NULL is "none"
 * (source peak 1000 nits).
 *
 * Builds the head's converter tables here, ONCE: this is the one call that
 * runs floating point (see the top of this file), and presents only read
 * the tables.  The tables (about 320 KiB, os->alloc) do not depend on the
 * mode, so they stay across mode changes; they are replaced by the next
 * call and freed by vg_gpu_destroy.  VG_CS_SRGB needs no tables: it frees
 * them (metadata is validated and then not used).  The new tables are
 * built before the old ones are freed, so VG_E_NOMEM keeps the old
 * colorimetry.  Takes effect at the next present (nothing is redrawn).
 *
 * Which source formats each color space takes (others: VG_E_UNSUPPORTED
 * from vg_gpu_present_source): 8-bit formats always (they are sRGB);
 * 10-bit formats on sRGB (rounded to 8 bits), BT.2020 PQ and HLG; FP16 on
 * scRGB only.  A head never set is sRGB.
 *
 * Any power state (driver memory only).  VG_E_RANGE: head out of range;
 * VG_E_UNSUPPORTED: unknown color space.
 */
vg_status vg_gpu_set_head_colorimetry(struct vg_gpu *gpu, uint32_t head,
				      enum vg_colorspace cs,
				      const struct vg_hdr_metadata *meta,
				      enum vg_hdr_meta_error *why);

/* What a head converts with now. */
struct vg_head_colorimetry {
	enum vg_colorspace cs;
	int has_metadata; /* meta below was given (never for sRGB) */
	struct vg_hdr_metadata meta;
	uint32_t source_peak_nits; /* the EETF's Lw (vg_hdr_source_peak) */
};
vg_status vg_gpu_get_head_colorimetry(const struct vg_gpu *gpu, uint32_t head,
				      struct vg_head_colorimetry *out);

/*
 * A head's HDR capability from its EDID's CTA-861.3 HDR static metadata
 * data block, as IddCx reports per-monitor HDR support to the OS.  The
 * luminances are decoded from CTA-861.3's codes (max = 50 * 2^(CV/32)
 * nits, min = max * (CV/255)^2 / 100) and rounded; 0 where the block does
 * not give them.  This device shows SDR only; the capability tells the
 * layer above what the monitor behind the VM could show (and what Windows
 * would offer as "HDR" if the scanout could carry it).
 */
struct vg_head_hdr_caps {
	int hdr_block;		/* the EDID has the HDR static block */
	uint8_t eotfs;		/* VG_EDID_EOTF_* (viogpu/edid.h) */
	uint8_t metadata_types; /* bit 0: static metadata type 1 */
	uint32_t max_luminance; /* desired content max, nits */
	uint32_t max_frame_avg; /* desired max frame-average, nits */
	uint32_t min_luminance; /* desired content min, 0.0001 nits */
	int bt2020_rgb;		/* colorimetry block lists BT2020RGB */
};

/*
 * Decodes head's cached EDID (vg_gpu_refresh_displays re-reads it); a head
 * without an EDID or without the block gives zeros.  VG_E_RANGE: head out
 * of range; VG_E_NOMEM: the decoder's scratch (os->alloc) failed.
 */
vg_status vg_gpu_get_head_hdr_caps(struct vg_gpu *gpu, uint32_t head,
				   struct vg_head_hdr_caps *out);

#endif
