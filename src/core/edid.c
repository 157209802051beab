// SPDX-License-Identifier: MIT
/*
 * EDID base block, the extension walk, diagnostics and the timing list.
 * The extension decoders live in edid_cta.c and edid_displayid.c.
 *
 * Every read is bounded by the block it belongs to: the walk hands each
 * decoder exactly 128 bytes that are inside the caller's buffer, and the
 * decoders bound every structure inside their block by its own length
 * fields checked against the block's end.
 */
#include <stdarg.h>
#include <string.h>

#include "edid_internal.h"

static const uint8_t edid_header[8] = {0x00, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0x00};

const char *vg_timing_source_str(enum vg_timing_source s)
{
	switch (s) {
	case VG_TIMING_ESTABLISHED:
		return "established";
	case VG_TIMING_STANDARD:
		return "standard";
	case VG_TIMING_DETAILED:
		return "detailed";
	case VG_TIMING_CTA_VIC:
		return "cta-vic";
	case VG_TIMING_DISPLAYID:
		return "displayid";
	}
	return "unknown";
}

/* ---- diagnostics: a tiny formatter, the core has no snprintf ---- */

struct text {
	char *buf;
	size_t len, cap; /* cap includes the terminating NUL */
};

static void put_char(struct text *t, char ch)
{
	if (t->len + 1 < t->cap)
		t->buf[t->len++] = ch;
}

static void put_str(struct text *t, const char *s)
{
	while (s && *s)
		put_char(t, *s++);
}

static void put_uint(struct text *t, unsigned v, unsigned base)
{
	char digits[12];
	unsigned n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && n < sizeof(digits));
	while (n)
		put_char(t, digits[--n]);
}

static void put_format(struct text *t, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			put_char(t, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 'u':
			put_uint(t, va_arg(ap, unsigned), 10);
			break;
		case 'x':
			put_uint(t, va_arg(ap, unsigned), 16);
			break;
		case 's':
			put_str(t, va_arg(ap, const char *));
			break;
		default:
			put_char(t, *fmt);
			break;
		}
	}
}

void vg_edid_diag(struct edid_ctx *c, const char *fmt, ...)
{
	struct vg_edid *e = c->e;
	va_list ap;

	if (e->ndiags >= VG_EDID_MAX_DIAGS) {
		e->diags_truncated = true;
		return;
	}
	struct text t = {e->diags[e->ndiags].text, 0, sizeof(e->diags[0].text)};
	if (c->block >= 0) {
		put_str(&t, "block ");
		put_uint(&t, (unsigned)c->block, 10);
		put_str(&t, ": ");
	}
	va_start(ap, fmt);
	put_format(&t, fmt, ap);
	va_end(ap);
	t.buf[t.len] = '\0';
	e->ndiags++;
}

/* ---- the timing list ---- */

/* Lower ranks come first and win a merge. */
static unsigned source_rank(enum vg_timing_source s)
{
	switch (s) {
	case VG_TIMING_DETAILED:
		return 0;
	case VG_TIMING_CTA_VIC:
		return 1;
	case VG_TIMING_DISPLAYID:
		return 2;
	case VG_TIMING_STANDARD:
		return 3;
	case VG_TIMING_ESTABLISHED:
		return 4;
	}
	return 5;
}

static bool same_timing(const struct vg_edid_timing *a,
			const struct vg_edid_timing *b)
{
	if (a->width != b->width || a->height != b->height ||
	    a->interlaced != b->interlaced)
		return false;
	/* A nominal rate (no pixel clock) matches to the whole hertz. */
	if (!a->pixel_clock_khz || !b->pixel_clock_khz)
		return (a->refresh_mhz + 500) / 1000 ==
		       (b->refresh_mhz + 500) / 1000;
	uint32_t d = a->refresh_mhz > b->refresh_mhz
			     ? a->refresh_mhz - b->refresh_mhz
			     : b->refresh_mhz - a->refresh_mhz;
	return d <= 1;
}

/* Folds what the source of `from` knows into `into`. */
static void merge_timing(struct vg_edid_timing *into,
			 const struct vg_edid_timing *from)
{
	into->sources |= from->sources;
	into->preferred = into->preferred || from->preferred;
	if (!into->vic)
		into->vic = from->vic;
	if (!into->pixel_clock_khz && from->pixel_clock_khz) {
		/* The exact rate beats a nominal one. */
		into->refresh_mhz = from->refresh_mhz;
		into->pixel_clock_khz = from->pixel_clock_khz;
	}
}

void vg_edid_add_timing(struct edid_ctx *c, const struct vg_edid_timing *t)
{
	struct vg_edid *e = c->e;
	struct vg_edid_timing n = *t;
	unsigned rank = source_rank(n.source);

	if (!n.width || !n.height)
		return;
	n.sources = (uint8_t)VG_TIMING_SOURCE_BIT(n.source);
	for (unsigned i = 0; i < e->ntimings; i++) {
		struct vg_edid_timing *x = &e->timings[i];
		if (!same_timing(x, &n))
			continue;
		if (source_rank(x->source) <= rank) {
			merge_timing(x, &n);
			return;
		}
		/* The new source ranks higher: it replaces x, moved. */
		merge_timing(&n, x);
		memmove(x, x + 1, (e->ntimings - i - 1) * sizeof(*x));
		e->ntimings--;
		break;
	}
	/* After the last entry ranked the same or higher. */
	unsigned at = e->ntimings;
	while (at > 0 && source_rank(e->timings[at - 1].source) > rank)
		at--;
	if (e->ntimings == VG_EDID_MAX_TIMINGS) {
		if (!c->timings_full)
			vg_edid_diag(c,
				     "more than %u timings; lowest-ranked "
				     "ones dropped",
				     VG_EDID_MAX_TIMINGS);
		c->timings_full = true;
		if (at == VG_EDID_MAX_TIMINGS)
			return;
		e->ntimings--; /* the last, lowest-ranked one goes */
	}
	memmove(&e->timings[at + 1], &e->timings[at],
		(e->ntimings - at) * sizeof(e->timings[0]));
	e->timings[at] = n;
	e->ntimings++;
}

void vg_edid_add_fixed(struct edid_ctx *c, const struct edid_fixed_timing *f,
		       enum vg_timing_source src, bool preferred, uint8_t vic)
{
	struct vg_edid_timing t = {
		.width = f->width,
		.height = f->height,
		.refresh_mhz = f->refresh_mhz,
		.pixel_clock_khz = f->pixel_clock_khz,
		.preferred = preferred,
		.interlaced = f->interlaced != 0,
		.source = src,
		.vic = vic,
	};
	vg_edid_add_timing(c, &t);
}

uint32_t vg_edid_refresh_mhz(uint32_t pixel_clock_khz, uint32_t htotal,
			     uint32_t vtotal_times2)
{
	uint64_t div = (uint64_t)htotal * vtotal_times2;
	if (!div)
		return 0;
	/* 2 * kHz * 1e6 / (htotal * 2 * vtotal) = mHz */
	uint64_t r = ((uint64_t)pixel_clock_khz * 2000000u + div / 2) / div;
	return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

void vg_edid_detailed_timing(struct edid_ctx *c, const uint8_t *p,
			     bool preferred)
{
	uint32_t pclk = edid_le16(p) * 10u;
	uint32_t ha = p[2] | (uint32_t)(p[4] & 0xf0) << 4;
	uint32_t hb = p[3] | (uint32_t)(p[4] & 0x0f) << 8;
	uint32_t va = p[5] | (uint32_t)(p[7] & 0xf0) << 4;
	uint32_t vb = p[6] | (uint32_t)(p[7] & 0x0f) << 8;
	bool il = p[17] & 0x80;

	if (!ha || !va || !hb || !vb) {
		vg_edid_diag(c,
			     "detailed timing %ux%u with blanking %u/%u "
			     "ignored",
			     ha, va, hb, vb);
		return;
	}
	struct vg_edid_timing t = {
		.width = ha,
		.height = il ? 2 * va : va,
		/* Interlaced: a field has va + vb + 1/2 lines. */
		.refresh_mhz = vg_edid_refresh_mhz(
			pclk, ha + hb, il ? 2 * (va + vb) + 1 : 2 * (va + vb)),
		.pixel_clock_khz = pclk,
		.preferred = preferred,
		.interlaced = il,
		.source = VG_TIMING_DETAILED,
	};
	vg_edid_add_timing(c, &t);
}

/* ---- base block ---- */

static void decode_vendor(struct edid_ctx *c, const uint8_t *b)
{
	unsigned id = (unsigned)b[8] << 8 | b[9];
	bool bad = id & 0x8000;

	for (unsigned i = 0; i < 3; i++) {
		unsigned l = (id >> (10 - 5 * i)) & 0x1f;
		if (l >= 1 && l <= 26) {
			c->e->vendor[i] = (char)('@' + l);
		} else {
			c->e->vendor[i] = '?';
			bad = true;
		}
	}
	c->e->vendor[3] = '\0';
	if (bad)
		vg_edid_diag(c, "manufacturer id 0x%x is not a PNP id", id);
}

/* A descriptor string: up to 13 bytes ended by 0x0A; unprintable bytes
 * become '?', trailing spaces go. */
static void descriptor_string(const uint8_t *p, char out[14])
{
	unsigned n = 0;
	for (; n < 13 && p[5 + n] != 0x0a && p[5 + n] != 0; n++)
		out[n] = (p[5 + n] >= 0x20 && p[5 + n] < 0x7f) ? (char)p[5 + n]
							       : '?';
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static void standard_timing(struct edid_ctx *c, uint8_t b1, uint8_t b2)
{
	const struct vg_edid *e = c->e;
	uint32_t w, h;

	if (b1 == 0x01 && b2 == 0x01)
		return; /* unused */
	if (b1 == 0x00) {
		vg_edid_diag(c,
			     "invalid standard timing 0x00 0x%x (unused is "
			     "0x01 0x01)",
			     b2);
		return;
	}
	w = (b1 + 31u) * 8;
	switch (b2 >> 6) {
	case 0: /* 16:10 since EDID 1.3, 1:1 before */
		h = (e->version == 1 && e->revision < 3) ? w : w * 10 / 16;
		break;
	case 1:
		h = w * 3 / 4;
		break;
	case 2:
		h = w * 4 / 5;
		break;
	default:
		h = w * 9 / 16;
		break;
	}
	struct vg_edid_timing t = {
		.width = w,
		.height = h,
		.refresh_mhz = ((b2 & 0x3fu) + 60) * 1000,
		.source = VG_TIMING_STANDARD,
	};
	vg_edid_add_timing(c, &t);
}

static void established_timings3(struct edid_ctx *c, const uint8_t *p)
{
	for (unsigned k = 0; k < 44; k++)
		if (p[6 + k / 8] & (0x80 >> (k % 8)))
			vg_edid_add_fixed(c, &vg_edid_established3[k],
					  VG_TIMING_ESTABLISHED, false, 0);
	if (p[11] & 0x0f)
		vg_edid_diag(c, "reserved established timings III bits set");
}

static void range_limits(struct edid_ctx *c, const uint8_t *p)
{
	struct vg_edid *e = c->e;
	uint8_t f = p[4];

	if (e->revision < 4 && f) {
		vg_edid_diag(c, "range limit offsets 0x%x need EDID 1.4", f);
		f = 0;
	}
	if ((f & 3) == 1 || (f & 0xc) == 4) {
		vg_edid_diag(c, "reserved range limit offsets 0x%x", f);
		f &= 0xa;
	}
	e->has_range_limits = true;
	e->min_vfreq_hz = (uint16_t)(p[5] + ((f & 3) == 3 ? 255 : 0));
	e->max_vfreq_hz = (uint16_t)(p[6] + ((f & 2) ? 255 : 0));
	e->min_hfreq_khz = (uint16_t)(p[7] + ((f & 0xc) == 0xc ? 255 : 0));
	e->max_hfreq_khz = (uint16_t)(p[8] + ((f & 8) ? 255 : 0));
	e->max_pixel_clock_mhz = p[9] * 10u;
	e->range_support = p[10];
	if (e->min_vfreq_hz > e->max_vfreq_hz ||
	    e->min_hfreq_khz > e->max_hfreq_khz)
		vg_edid_diag(c, "range limits have min above max");
}

static void display_descriptor(struct edid_ctx *c, const uint8_t *p)
{
	struct vg_edid *e = c->e;

	if (p[2] != 0)
		vg_edid_diag(c, "display descriptor byte 2 is 0x%x", p[2]);
	switch (p[3]) {
	case 0xff:
		descriptor_string(p, e->serial_text);
		break;
	case 0xfe:
		if (!e->text[0])
			descriptor_string(p, e->text);
		break;
	case 0xfc:
		if (!e->name[0])
			descriptor_string(p, e->name);
		break;
	case 0xfd:
		range_limits(c, p);
		break;
	case 0xfa:
		for (unsigned i = 0; i < 6; i++)
			standard_timing(c, p[5 + 2 * i], p[6 + 2 * i]);
		break;
	case 0xf7:
		established_timings3(c, p);
		break;
	default:
		/* Color point, DCM, CVT codes, dummy (0x10) and
		 * manufacturer descriptors (0x00-0x0f): not decoded. */
		break;
	}
}

static bool block_checksum_ok(const uint8_t *b)
{
	uint8_t sum = 0;
	for (unsigned i = 0; i < EDID_BLOCK; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

static void check_block(struct edid_ctx *c, const uint8_t *b)
{
	if (block_checksum_ok(b))
		return;
	uint8_t sum = 0;
	for (unsigned i = 0; i < EDID_BLOCK - 1; i++)
		sum = (uint8_t)(sum + b[i]);
	vg_edid_diag(c, "checksum 0x%x, should be 0x%x", b[127],
		     (unsigned)(uint8_t)-sum);
	if (c->block < 32)
		c->e->bad_checksums |= 1u << c->block;
}

static void decode_base(struct edid_ctx *c, const uint8_t *b)
{
	struct vg_edid *e = c->e;

	e->version = b[18];
	e->revision = b[19];
	if (e->version != 1)
		vg_edid_diag(c, "EDID version %u.%u; decoded as 1.%u",
			     e->version, e->revision, e->revision);
	decode_vendor(c, b);
	e->product = edid_le16(b + 10);
	e->serial = (uint32_t)edid_le16(b + 12) | (uint32_t)edid_le16(b + 14)
							  << 16;
	e->week = b[16];
	e->year = (uint16_t)(1990 + b[17]);
	e->digital = b[20] & 0x80;
	if (b[21] && b[22]) {
		e->width_cm = b[21];
		e->height_cm = b[22];
	}

	/* Established timings I and II, bit 7 of byte 0x23 first. */
	for (unsigned k = 0; k < 17; k++)
		if (b[0x23 + k / 8] & (0x80 >> (k % 8)))
			vg_edid_add_fixed(c, &vg_edid_established[k],
					  VG_TIMING_ESTABLISHED, false, 0);
	for (unsigned i = 0; i < 8; i++)
		standard_timing(c, b[0x26 + 2 * i], b[0x27 + 2 * i]);

	bool v14 = e->version > 1 || (e->version == 1 && e->revision >= 4);
	/* 1.3: the feature bit says whether the first DTD is preferred;
	 * 1.4: it always is. */
	bool first_preferred = v14 || (b[24] & 0x02);
	for (unsigned d = 0; d < 4; d++) {
		const uint8_t *p = b + 54 + 18 * d;
		if (edid_le16(p)) {
			vg_edid_detailed_timing(c, p,
						d == 0 && first_preferred);
			continue;
		}
		if (d == 0 && v14)
			vg_edid_diag(c,
				     "EDID 1.4 needs a detailed timing first");
		display_descriptor(c, p);
	}
}

/* Extension tags that are defined but not decoded here. */
static bool known_extension(uint8_t tag)
{
	switch (tag) {
	case 0x10: /* video timing block */
	case 0x40: /* display information */
	case 0x50: /* localized strings */
	case 0x60: /* digital packet video link */
	case 0xa7: /* display transfer characteristics */
	case 0xf0: /* block map */
	case 0xff: /* manufacturer */
		return true;
	}
	return false;
}

/*
 * The extension count of an HDMI Forum EDID Extension Override Data Block
 * (HDMI 2.1 section 10.3.6), 0 if there is none.  HDR TVs with more than
 * one extension often set byte 126 to 1 and announce the true count here;
 * it must occupy bytes 4-6 of block 1, a CTA-861 revision 3 block: an
 * extended-tag data block (tag 7, length >= 2), extended tag 0x78, then
 * the count.  The same rule as Linux's drm_edid.c and edid-decode.
 */
static unsigned hf_eeodb_count(const uint8_t *data, size_t len)
{
	const uint8_t *x = data + EDID_BLOCK;

	if (len < 2 * EDID_BLOCK || data[126] == 0)
		return 0;
	if (x[0] != 0x02 || x[1] < 3 || x[2] < 7)
		return 0;
	if (x[4] >> 5 != 7 || (x[4] & 0x1f) < 2 || x[5] != 0x78)
		return 0;
	return x[6];
}

/* Extensions to decode: byte 126, or HF-EEODB's count when larger. */
static unsigned extension_count(const uint8_t *data, size_t len)
{
	unsigned eeodb = hf_eeodb_count(data, len);

	return eeodb > data[126] ? eeodb : data[126];
}

size_t vg_edid_length(const uint8_t *data, size_t len)
{
	if (!data || len < EDID_BLOCK || memcmp(data, edid_header, 8))
		return len;
	size_t want = EDID_BLOCK * (1 + (size_t)extension_count(data, len));
	return want < len ? want : len;
}

vg_status vg_edid_parse(const uint8_t *data, size_t len, struct vg_edid *out)
{
	struct edid_ctx c = {.e = out, .block = -1};

	if (!out)
		return VG_E_INVAL;
	memset(out, 0, sizeof(*out));
	if (!data || len < EDID_BLOCK) {
		vg_edid_diag(&c, "%u bytes: no base block",
			     data ? (unsigned)len : 0);
		return VG_E_INVAL;
	}
	if (memcmp(data, edid_header, 8)) {
		vg_edid_diag(&c, "no EDID header");
		return VG_E_INVAL;
	}

	size_t blocks = len / EDID_BLOCK; /* whole ones */
	unsigned claimed = extension_count(data, len);
	unsigned avail = blocks - 1 > 255 ? 255 : (unsigned)(blocks - 1);
	unsigned n = claimed < avail ? claimed : avail;

	out->extensions_claimed = data[126];
	out->hf_eeodb_extensions = (uint8_t)hf_eeodb_count(data, len);
	c.block = 0;
	check_block(&c, data);
	decode_base(&c, data);
	c.block = -1;
	if (out->hf_eeodb_extensions && data[126] != 1)
		vg_edid_diag(&c, "HF-EEODB present but byte 126 is %u, not 1",
			     data[126]);

	if (claimed > avail) {
		size_t part = len % EDID_BLOCK;
		if (part)
			vg_edid_diag(&c,
				     "block %u truncated to %u bytes; %u "
				     "extensions claimed",
				     avail + 1, (unsigned)part, claimed);
		else
			vg_edid_diag(&c, "%u extensions claimed, %u present",
				     claimed, avail);
	} else if (claimed < avail) {
		/* Bytes beyond the claimed blocks are not EDID; say so
		 * only when the next one looks like a real extension. */
		const uint8_t *x = data + EDID_BLOCK * (claimed + 1);
		if (x[0] && block_checksum_ok(x))
			vg_edid_diag(&c,
				     "block %u (tag 0x%x) beyond the %u "
				     "claimed extensions ignored",
				     claimed + 1, x[0], claimed);
	}

	for (unsigned i = 1; i <= n; i++) {
		const uint8_t *x = data + EDID_BLOCK * i;
		c.block = (int)i;
		check_block(&c, x);
		switch (x[0]) {
		case 0x02:
			vg_edid_decode_cta(&c, x);
			break;
		case 0x70:
			vg_edid_decode_displayid(&c, x);
			break;
		default:
			if (!known_extension(x[0]))
				vg_edid_diag(&c, "unknown extension tag 0x%x",
					     x[0]);
			break;
		}
		out->extensions_decoded++;
	}
	return VG_OK;
}
