// SPDX-License-Identifier: MIT
/*
 * The CTA-861 extension (tag 0x02): detailed timings, the data block
 * collection (revision 3): video data blocks, and the extended blocks
 * colorimetry, HDR static metadata and YCbCr 4:2:0 video.
 *
 * Layout: byte 1 revision, byte 2 the offset d of the first DTD (0: no
 * DTDs and no data blocks), byte 3 flags; data blocks from byte 4 up to
 * d; DTDs from d up to byte 126; byte 127 the checksum.
 */
#include "edid_internal.h"

#define CTA_DTD_END 127 /* the checksum byte */

/* One short video descriptor. */
static void short_video(struct edid_ctx *c, uint8_t svd, bool only420)
{
	struct vg_edid *e = c->e;
	uint8_t vic = svd;
	bool native = false;

	if (svd == 0 || svd == 128 || svd >= 254) {
		vg_edid_diag(c, "reserved short video descriptor %u", svd);
		return;
	}
	if (svd >= 129 && svd <= 192) { /* VICs 1-64 with the native flag */
		vic = svd & 0x7f;
		native = true;
	}
	if (e->nvics < VG_EDID_MAX_VICS) {
		e->vics[e->nvics++] = (struct vg_edid_vic){
			.vic = vic,
			.native = native,
			.ycbcr420_only = only420,
		};
	} else if (!c->vics_full) {
		c->vics_full = true;
		vg_edid_diag(c, "more than %u VICs; the rest not listed",
			     VG_EDID_MAX_VICS);
	}
	if (vic >= EDID_NVICS || !vg_edid_vics[vic].width) {
		vg_edid_diag(c, "unknown VIC %u", vic);
		return;
	}
	vg_edid_add_fixed(c, &vg_edid_vics[vic], VG_TIMING_CTA_VIC, native,
			  vic);
}

static void hdr_static_metadata(struct edid_ctx *c, const uint8_t *q,
				unsigned n)
{
	struct vg_edid *e = c->e;

	if (n < 2) {
		vg_edid_diag(c, "HDR static metadata block of %u bytes", n + 1);
		return;
	}
	e->hdr_static_metadata = true;
	e->hdr_eotfs = q[0];
	e->hdr_metadata_types = q[1];
	e->hdr_luminance_bytes = (uint8_t)(n - 2 > 3 ? 3 : n - 2);
	e->hdr_max_luminance = n > 2 ? q[2] : 0;
	e->hdr_max_frame_avg = n > 3 ? q[3] : 0;
	e->hdr_min_luminance = n > 4 ? q[4] : 0;
	if (q[0] & 0xc0)
		vg_edid_diag(c, "reserved HDR EOTF bits 0x%x", q[0] & 0xc0u);
}

static void colorimetry(struct edid_ctx *c, const uint8_t *q, unsigned n)
{
	if (n < 2) {
		vg_edid_diag(c, "colorimetry block of %u bytes", n + 1);
		return;
	}
	c->e->colorimetry_block = true;
	c->e->colorimetry = (uint16_t)(q[0] | q[1] << 8);
}

/* q: the payload after the extended tag byte, n bytes. */
static void extended_block(struct edid_ctx *c, uint8_t ext, const uint8_t *q,
			   unsigned n)
{
	switch (ext) {
	case 0x05:
		colorimetry(c, q, n);
		break;
	case 0x06:
		hdr_static_metadata(c, q, n);
		break;
	case 0x0e:
		for (unsigned i = 0; i < n; i++)
			short_video(c, q[i], true);
		break;
	default:
		break;
	}
}

static void data_blocks(struct edid_ctx *c, const uint8_t *p, unsigned end)
{
	unsigned off = 4;

	while (off < end) {
		unsigned tag = p[off] >> 5, n = p[off] & 0x1fu;
		const uint8_t *q = p + off + 1;

		if (off + 1 + n > end) {
			vg_edid_diag(c,
				     "data block at byte %u (tag %u, %u bytes) "
				     "overruns byte %u",
				     off, tag, n, end);
			return;
		}
		switch (tag) {
		case 0:
			vg_edid_diag(c, "reserved data block tag 0 at byte %u",
				     off);
			return;
		case 2:
			for (unsigned i = 0; i < n; i++)
				short_video(c, q[i], false);
			break;
		case 7:
			if (n == 0)
				vg_edid_diag(c, "empty extended data block");
			else
				extended_block(c, q[0], q + 1, n - 1);
			break;
		default:
			/* audio, vendor-specific, speakers, VESA DTC */
			break;
		}
		off += 1 + n;
	}
}

void vg_edid_decode_cta(struct edid_ctx *c, const uint8_t *p)
{
	struct vg_edid *e = c->e;
	unsigned rev = p[1], d = p[2];

	if (!e->has_cta) {
		e->has_cta = true;
		e->cta_revision = (uint8_t)rev;
	}
	if (rev < 1 || rev > 3)
		vg_edid_diag(c, "CTA-861 revision %u", rev);
	if (d == 0)
		return; /* neither DTDs nor data blocks */
	if (d < 4) {
		vg_edid_diag(c, "DTD offset %u is inside the header", d);
		return;
	}
	if (d > CTA_DTD_END) {
		vg_edid_diag(c, "DTD offset %u is beyond the block", d);
		d = CTA_DTD_END;
	}
	if (rev >= 3)
		data_blocks(c, p, d);
	for (unsigned off = d; off + 18 <= CTA_DTD_END; off += 18)
		if (edid_le16(p + off)) /* else padding or a descriptor */
			vg_edid_detailed_timing(c, p + off, false);
}
