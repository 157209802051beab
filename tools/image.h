/* SPDX-License-Identifier: MIT */
/*
 * PNG and PPM helpers for the viogpu CLI, tests and bench (private).
 *
 * Pixels are uint32_t 0x00RRGGBB (B8G8R8X8 on little-endian); the top byte
 * is ignored on write and zero on read. Strides are in bytes and must be a
 * multiple of 4 and at least width * 4.
 */
#ifndef VG_TOOLS_IMAGE_H
#define VG_TOOLS_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/color.h"

/* Largest width or height accepted by the readers and the writer. */
#define VG_IMAGE_MAX_DIM 16384u

/*
 * Write an 8-bit RGB, non-interlaced PNG. Returns 0, or -1 with a one-line
 * message in err (if err is non-NULL); on failure the file is removed.
 */
int vg_png_write(const char *path, const uint32_t *px, uint32_t w, uint32_t h,
		 uint32_t stride_bytes, char *err, size_t errlen);

/*
 * Read any PNG (palette, gray, 1..16-bit, alpha, interlaced) into a tightly
 * packed malloc'ed buffer (stride w * 4) that the caller frees. Alpha is
 * dropped: colour channels are kept as stored, not composited. Returns 0, or
 * -1 with a one-line message in err; *px, *w and *h are untouched on failure.
 */
int vg_png_read(const char *path, uint32_t **px, uint32_t *w, uint32_t *h,
		char *err, size_t errlen);

/*
 * The HDR chunks of the PNG 3rd edition, as stored (big-endian fields
 * decoded): cICP (ITU-T H.273 code points: transfer 16 = PQ, 18 = HLG,
 * 13 = sRGB; primaries 1 = BT.709, 9 = BT.2020), mDCV (SMPTE ST 2086
 * mastering display: primaries R, G, B and white in 0.00002, luminance in
 * 0.0001 cd/m2) and cLLI (MaxCLL, MaxFALL in 0.0001 cd/m2).  mDCv and
 * cLLi, the draft spellings encoders still write, are read as well (the
 * final spelling wins when both are present).  libpng 1.6.39 knows none
 * of them: they are read as unknown chunks.  A chunk of the wrong size is
 * ignored (has_* stays false).
 */
struct vg_png_hdr {
	bool has_cicp;
	uint8_t cicp_primaries, cicp_transfer, cicp_matrix, cicp_full_range;
	bool has_mdcv;
	bool mdcv_draft;	       /* read from mDCv */
	uint16_t mdcv_primaries[3][2]; /* R, G, B (x, y) */
	uint16_t mdcv_white[2];
	uint32_t mdcv_max_luminance, mdcv_min_luminance; /* 0.0001 cd/m2 */
	bool has_clli;
	bool clli_draft;	    /* read from cLLi */
	uint32_t max_cll, max_fall; /* 0.0001 cd/m2 */
};

/*
 * Read any PNG keeping 16 bits per sample: a tightly packed malloc'ed
 * buffer of R, G, B, X uint16_t per pixel (host order, stride w * 8;
 * 8-bit and lower samples are widened exactly, v * 65535 / max; X is
 * 0xffff or the alpha sample, which is ignored), and its HDR chunks in
 * *hdr (may be NULL).  Returns 0, or -1 with a one-line message in err;
 * *px, *w, *h and *hdr are untouched on failure.
 */
int vg_png_read16(const char *path, uint16_t **px, uint32_t *w, uint32_t *h,
		  struct vg_png_hdr *hdr, char *err, size_t errlen);

/*
 * What a PNG's HDR chunks ask the converter for: the color space from
 * cICP (transfer 16 PQ and 18 HLG with BT.2020 primaries (9); 13 sRGB
 * with BT.709 (1); no cICP: sRGB) and the static metadata from mDCV and
 * cLLI in IDDCX_HDR10_METADATA units (max mastering luminance and
 * MaxCLL/MaxFALL from 0.0001 cd/m2 to whole nits, rounded, at most
 * 65535; chromaticities and min luminance as stored).  Returns 0, or -1
 * with a one-line message for a combination the pipeline has no
 * conversion for (other transfers or primaries, a limited-range cICP);
 * the metadata is not validated here (vg_hdr_metadata_check does).
 */
int vg_png_hdr_color(const struct vg_png_hdr *h, enum vg_colorspace *cs,
		     struct vg_hdr_metadata *m, char *err, size_t errlen);

/* n pixels of vg_png_read16 output (R, G, B, X uint16_t) to DXGI
 * R10G10B10A2 words (R in bits 0-9, alpha 3): each sample rounded,
 * v * 1023 / 65535. */
void vg_px16_to_r10g10b10a2(const uint16_t *src, uint32_t *dst, size_t n);

#endif
