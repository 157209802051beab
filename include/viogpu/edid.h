/* SPDX-License-Identifier: MIT */
/*
 * EDID decoding: base block 1.3/1.4, CTA-861 and DisplayID extensions.
 *
 * Two kinds of trouble are kept apart (as libdisplay-info does): a hard
 * error means nothing could be decoded (vg_edid_parse fails); anything
 * else the monitor got wrong (a bad checksum, an extension count that
 * lies, a truncated block) is recorded as a diagnostic and decoding goes
 * on with what is trustworthy.  No input can make the parser read outside
 * the buffer it was given.
 *
 * Portable core code: no allocation; the caller provides the vg_edid.
 */
#ifndef VIOGPU_EDID_H
#define VIOGPU_EDID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/status.h"

#define VG_EDID_MAX_TIMINGS 128
#define VG_EDID_MAX_DIAGS 32
#define VG_EDID_MAX_VICS 64

enum vg_timing_source {
	VG_TIMING_ESTABLISHED, /* established timings I, II and III */
	VG_TIMING_STANDARD,    /* standard timings, also descriptor 0xFA */
	VG_TIMING_DETAILED, /* base-block or CTA detailed timing descriptor */
	VG_TIMING_CTA_VIC,
	VG_TIMING_DISPLAYID,
};

/* Bit of a source in vg_edid_timing.sources. */
#define VG_TIMING_SOURCE_BIT(s) (1u << (s))

struct vg_edid_timing {
	uint32_t width, height; /* interlaced: the frame's height */
	/* Vertical refresh in millihertz (interlaced: field rate), exact to
	 * the mHz for sources with a pixel clock (detailed, VIC, DisplayID,
	 * established: the DMT's); the nominal rate of a standard timing
	 * that no source with a pixel clock also lists (pixel clock 0). */
	uint32_t refresh_mhz;
	uint32_t pixel_clock_khz; /* 0 when the source gives none */
	/* Base: the first DTD (1.4: always; 1.3: if the feature bit says
	 * so); CTA: a native VIC; DisplayID: the descriptor's flag.  When
	 * sources are merged, preferred if any of them says so. */
	bool preferred;
	bool interlaced;
	enum vg_timing_source source; /* the highest-ranked one listing it */
	uint8_t sources; /* VG_TIMING_SOURCE_BIT of every source listing it */
	uint8_t vic;	 /* CTA VIC when a VIC lists it, else 0 */
};

struct vg_edid_diag {
	char text[96];
};

/* One short video descriptor, as listed (before deduplication). */
struct vg_edid_vic {
	uint8_t vic;
	bool native;	    /* native flag of the SVD */
	bool ycbcr420_only; /* from a YCbCr 4:2:0 video data block */
};

/* CTA HDR static metadata EOTF bits (vg_edid.hdr_eotfs). */
#define VG_EDID_EOTF_SDR 0x01
#define VG_EDID_EOTF_HDR 0x02 /* traditional gamma, HDR range */
#define VG_EDID_EOTF_PQ 0x04  /* SMPTE ST 2084 */
#define VG_EDID_EOTF_HLG 0x08

struct vg_edid {
	uint8_t version, revision; /* 1, 3 or 4 */
	char vendor[4];		   /* PNP id, e.g. "RHT" */
	uint16_t product;
	uint32_t serial;
	uint8_t week;	      /* manufacture week, 0 unknown, 255 model year */
	uint16_t year;	      /* model or manufacture year */
	char name[14];	      /* monitor name descriptor, "" if none */
	char serial_text[14]; /* serial descriptor, "" if none */
	char text[14];	      /* first alphanumeric data string (0xFE) */
	bool digital;
	uint16_t width_cm, height_cm; /* both 0 unless both are given */

	bool has_range_limits; /* descriptor 0xFD; frequencies with the 1.4
				  offsets applied */
	uint8_t range_support; /* byte 10: 0 GTF, 1 bare, 2 GTF2, 4 CVT */
	uint16_t min_vfreq_hz, max_vfreq_hz, min_hfreq_khz, max_hfreq_khz;
	uint32_t max_pixel_clock_mhz; /* byte 9 * 10, 0 if not given */

	uint8_t extensions_claimed; /* byte 126 */
	/* The count in an HDMI Forum EDID Extension Override Data Block
	 * (first data block of block 1), 0 if none; when larger than byte
	 * 126 it is the number of extensions decoded. */
	uint8_t hf_eeodb_extensions;
	uint8_t extensions_decoded; /* whole extension blocks examined */
	/* Bit n: block n failed its checksum (blocks 0..31). */
	uint32_t bad_checksums;
	bool has_cta, has_displayid;

	/* CTA-861 */
	uint8_t cta_revision;
	unsigned nvics; /* video data blocks, then YCbCr 4:2:0 ones */
	struct vg_edid_vic vics[VG_EDID_MAX_VICS];
	bool hdr_static_metadata; /* HDR static metadata data block present */
	uint8_t hdr_eotfs; /* VG_EDID_EOTF_*: bit 0 SDR, 1 HDR, 2 PQ, 3 HLG */
	uint8_t hdr_metadata_types;  /* bit 0: static metadata type 1 */
	uint8_t hdr_luminance_bytes; /* how many of the next three exist */
	uint8_t hdr_max_luminance, hdr_max_frame_avg,
		hdr_min_luminance; /* coded */
	bool colorimetry_block;
	/* Colorimetry data block bytes 3 (low: xvYCC601 ... BT2020RGB) and
	 * 4 (high, CTA-861-I: MD0 bit 8, defaultRGB 12, sRGB 13, ICtCp 14,
	 * ST2113RGB 15, which CTA-861-G called DCI-P3). */
	uint16_t colorimetry;

	/* DisplayID (the first section) */
	uint8_t displayid_version;   /* 0x12, 0x13 or 0x20 */
	bool displayid_bad_checksum; /* a section checksum was wrong */

	/* Deduplicated (same size, interlace and refresh: within 1 mHz, or
	 * the same whole hertz when one side is a standard timing). */
	unsigned ntimings;
	struct vg_edid_timing timings[VG_EDID_MAX_TIMINGS];

	unsigned ndiags; /* spec violations found; decoding went on */
	struct vg_edid_diag diags[VG_EDID_MAX_DIAGS];
	bool diags_truncated;
};

/*
 * Decodes len bytes into *out (which it clears first).  VG_E_INVAL (hard
 * error) only when there is no base block to speak of (shorter than 128
 * bytes or a wrong header; a diagnostic says which); every other defect
 * becomes a diagnostic.  Extension blocks are decoded up to the count in
 * byte 126 (or an HF-EEODB's, when larger), bounded by the whole blocks
 * given; bytes beyond are ignored
 * (a diagnostic notes a real-looking block there).  Timings are
 * deduplicated and ordered by source: detailed, CTA VICs, DisplayID,
 * standard, established; a duplicate keeps the first-ranked entry and
 * adds its source to .sources.  data is only read; out holds no pointer
 * into it.
 */
vg_status vg_edid_parse(const uint8_t *data, size_t len, struct vg_edid *out);

/* The meaningful length of an EDID: 128 * (1 + byte 126, or the
 * HF-EEODB count when larger), bounded by len; len itself when there is no base
 * block (len < 128). */
size_t vg_edid_length(const uint8_t *data, size_t len);

/* Static name of a timing source. */
const char *vg_timing_source_str(enum vg_timing_source s);

#endif
