// SPDX-License-Identifier: MIT
/*
 * The DisplayID extension (tag 0x70): one DisplayID section in bytes
 * 1..126.  Section: byte 1 version (0x12, 0x13, 0x20), byte 2 the payload
 * length n (at most 121), byte 3 product type or use case, byte 4
 * extension count, data blocks in bytes 5..4+n, the section checksum at
 * 5+n.  Data block: tag, revision, payload length, payload.
 *
 * Decoded: type I detailed timings (tag 0x03, DisplayID 1.x, pixel clock
 * in 10 kHz) and type VII (tag 0x22, DisplayID 2.0, pixel clock in kHz);
 * both are 20-byte descriptors with the same layout.
 */
#include "edid_internal.h"

#define DID_MAX_PAYLOAD 121
#define DID_DESC 20

static void detailed_descriptor(struct edid_ctx *c, const uint8_t *d,
				bool type7)
{
	uint32_t pclk = (edid_le24(d) + 1) * (type7 ? 1u : 10u);
	uint32_t ha = edid_le16(d + 4) + 1u, hb = edid_le16(d + 6) + 1u;
	uint32_t va = edid_le16(d + 12) + 1u, vb = edid_le16(d + 14) + 1u;
	bool il = d[3] & 0x10;

	/* Interlaced: va lines a frame, vb blanking lines a frame pair of
	 * fields, so a field is (va + vb) / 2 lines. */
	struct vg_edid_timing t = {
		.width = ha,
		.height = va,
		.refresh_mhz = vg_edid_refresh_mhz(
			pclk, ha + hb, il ? va + vb : 2 * (va + vb)),
		.pixel_clock_khz = pclk,
		.preferred = d[3] & 0x80,
		.interlaced = il,
		.source = VG_TIMING_DISPLAYID,
	};
	if ((d[3] & 0x60) == 0x60)
		vg_edid_diag(c, "DisplayID timing with reserved stereo mode");
	vg_edid_add_timing(c, &t);
}

static void timing_block(struct edid_ctx *c, const uint8_t *q, unsigned n,
			 bool type7, unsigned version)
{
	if (type7 != (version >= 0x20))
		vg_edid_diag(c, "type %s timing block in DisplayID %u.%u",
			     type7 ? "VII" : "I", version >> 4, version & 15);
	if (n % DID_DESC)
		vg_edid_diag(c,
			     "timing block of %u bytes is not %u-byte "
			     "descriptors",
			     n, DID_DESC);
	for (unsigned i = 0; i + DID_DESC <= n; i += DID_DESC)
		detailed_descriptor(c, q + i, type7);
}

static bool all_zero(const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

void vg_edid_decode_displayid(struct edid_ctx *c, const uint8_t *p)
{
	struct vg_edid *e = c->e;
	unsigned version = p[1], n = p[2];

	if (!e->has_displayid) {
		e->has_displayid = true;
		e->displayid_version = (uint8_t)version;
	}
	if (version < 0x10 ||
	    (version > 0x13 && version != 0x20 && version != 0x21))
		vg_edid_diag(c, "DisplayID version 0x%x", version);
	if (n > DID_MAX_PAYLOAD) {
		vg_edid_diag(c, "DisplayID section length %u > %u", n,
			     DID_MAX_PAYLOAD);
		n = DID_MAX_PAYLOAD;
	}

	/* The section checksum covers bytes 1..5+n. */
	uint8_t sum = 0;
	for (unsigned i = 1; i <= 5 + n; i++)
		sum = (uint8_t)(sum + p[i]);
	if (sum) {
		vg_edid_diag(c,
			     "DisplayID section checksum 0x%x, should be 0x%x",
			     p[5 + n], (unsigned)(uint8_t)(p[5 + n] - sum));
		e->displayid_bad_checksum = true;
	}

	unsigned off = 5, end = 5 + n;
	while (off < end) {
		if (end - off < 3) {
			if (!all_zero(p + off, end - off))
				vg_edid_diag(c,
					     "%u stray bytes at the end of the "
					     "DisplayID section",
					     end - off);
			break;
		}
		unsigned tag = p[off], len = p[off + 2];
		if (!tag && !len) {
			if (!all_zero(p + off, end - off))
				vg_edid_diag(c, "non-zero DisplayID filler");
			break; /* the rest is filler */
		}
		if (len > end - off - 3) {
			vg_edid_diag(c,
				     "DisplayID block 0x%x of %u bytes at byte "
				     "%u overruns the section",
				     tag, len, off);
			break;
		}
		if (tag == 0x03 || tag == 0x22)
			timing_block(c, p + off + 3, len, tag == 0x22, version);
		off += 3 + len;
	}
}
