/* SPDX-License-Identifier: MIT */
/* Private pieces shared by the EDID decoder's files. */
#ifndef VG_EDID_INTERNAL_H
#define VG_EDID_INTERNAL_H

#include "viogpu/format.h"
#include "viogpu/edid.h"

#define EDID_BLOCK 128
#define EDID_NVICS 220 /* VICs 0..219 */

/* A timing from a fixed table (established timings, VICs). */
struct edid_fixed_timing {
	uint16_t width, height;
	uint32_t refresh_mhz;
	uint32_t pixel_clock_khz;
	uint8_t interlaced;
};

extern const struct edid_fixed_timing vg_edid_established[17];
extern const struct edid_fixed_timing vg_edid_established3[44];
extern const struct edid_fixed_timing vg_edid_vics[EDID_NVICS];

/* Decoding state: set by edid.c, read by the block decoders. */
struct edid_ctx {
	struct vg_edid *e;
	int block;	   /* block being decoded, -1 for none */
	bool timings_full; /* the "too many timings" diagnostic was given */
	bool vics_full;	   /* the same for the VIC list */
};

/* Records a diagnostic, prefixed with "block N: " while a block is being
 * decoded.  Formats %u (unsigned), %x (unsigned, hex) and %s only. */
#ifdef __GNUC__
VG_PRINTF(2, 3)
#endif
void vg_edid_diag(struct edid_ctx *c, const char *fmt, ...);

/* Adds a timing, merging it with an equal one (see edid.h). */
void vg_edid_add_timing(struct edid_ctx *c, const struct vg_edid_timing *t);
void vg_edid_add_fixed(struct edid_ctx *c, const struct edid_fixed_timing *f,
		       enum vg_timing_source src, bool preferred, uint8_t vic);

/* Refresh in mHz from a pixel clock and totals; interlaced: vtotal is the
 * frame's, the field rate is returned.  0 if a total is 0. */
uint32_t vg_edid_refresh_mhz(uint32_t pixel_clock_khz, uint32_t htotal,
			     uint32_t vtotal_times2);

/* An 18-byte detailed timing descriptor (pixel clock not 0). */
void vg_edid_detailed_timing(struct edid_ctx *c, const uint8_t *p,
			     bool preferred);

/* Extension blocks: p points at 128 bytes. */
void vg_edid_decode_cta(struct edid_ctx *c, const uint8_t *p);
void vg_edid_decode_displayid(struct edid_ctx *c, const uint8_t *p);

static inline uint16_t edid_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t edid_le24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

#endif
