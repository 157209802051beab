// SPDX-License-Identifier: MIT
/*
 * EDID decoder: decoded values of the corpus EDIDs (tests/data/edid,
 * written by make_edids.py or taken from QEMU and the device model), and
 * hostile input.  Every input sits in a heap buffer of exactly its size,
 * so ASan reports any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "viogpu/edid.h"

#ifndef EDID_CORPUS
#define EDID_CORPUS "tests/data/edid"
#endif

static struct vg_edid E; /* 8 KB: static */

struct blob {
	uint8_t *data;
	size_t len;
};

static struct blob load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.bin", EDID_CORPUS, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t tmp[4096];
	size_t n = fread(tmp, 1, sizeof(tmp), f);
	fclose(f);
	struct blob b = {malloc(n ? n : 1), n};
	assert_non_null(b.data);
	memcpy(b.data, tmp, n);
	return b;
}

/* Decodes the first len bytes of src from an exactly sized copy. */
static vg_status parse_exact(const uint8_t *src, size_t len)
{
	if (!src)
		return vg_edid_parse(NULL, len, &E);
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, src, len);
	vg_status st = vg_edid_parse(copy, len, &E);
	free(copy);
	return st;
}

static vg_status parse_file(const char *name)
{
	struct blob b = load(name);
	vg_status st = parse_exact(b.data, b.len);
	free(b.data);
	return st;
}

static const struct vg_edid_timing *find(uint32_t w, uint32_t h, uint32_t mhz)
{
	for (unsigned i = 0; i < E.ntimings; i++)
		if (E.timings[i].width == w && E.timings[i].height == h &&
		    E.timings[i].refresh_mhz == mhz)
			return &E.timings[i];
	return NULL;
}

static bool has_diag(const char *text)
{
	for (unsigned i = 0; i < E.ndiags; i++)
		if (strstr(E.diags[i].text, text))
			return true;
	return false;
}

static void fix_checksum(uint8_t *block)
{
	uint8_t sum = 0;
	for (int i = 0; i < 127; i++)
		sum = (uint8_t)(sum + block[i]);
	block[127] = (uint8_t)-sum;
}

#define BIT(s) VG_TIMING_SOURCE_BIT(s)

/* ---- decoded values ---- */

static void test_qemu_4k(void **state)
{
	(void)state;
	assert_int_equal(parse_file("qemu-3840x2160"), VG_OK);
	assert_int_equal(E.version, 1);
	assert_int_equal(E.revision, 4);
	assert_string_equal(E.vendor, "RHT");
	assert_int_equal(E.product, 4660);
	assert_string_equal(E.name, "QEMU Monitor");
	assert_int_equal(E.week, 42);
	assert_int_equal(E.year, 2014);
	assert_true(E.digital);
	assert_int_equal(E.width_cm, 97);
	assert_int_equal(E.height_cm, 54);
	assert_true(E.has_range_limits);
	assert_int_equal(E.min_vfreq_hz, 50);
	assert_int_equal(E.max_vfreq_hz, 125);
	assert_int_equal(E.max_pixel_clock_mhz, 2550);
	assert_int_equal(E.extensions_claimed, 2);
	assert_int_equal(E.extensions_decoded, 2);
	assert_true(E.has_cta);
	assert_true(E.has_displayid);
	assert_int_equal(E.displayid_version, 0x13);
	assert_int_equal(E.bad_checksums, 0);
	static const uint8_t vics[] = {125, 101, 96, 89, 31, 97};
	assert_int_equal(E.nvics, 6);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(E.vics[i].vic, vics[i]);
	const struct vg_edid_timing *t = find(3840, 2160, 75000);
	assert_non_null(t);
	assert_true(t->preferred);
	assert_int_equal(t->source, VG_TIMING_DISPLAYID);
	assert_int_equal(t->pixel_clock_khz, 868970);
	t = find(3840, 2160, 60000);
	assert_non_null(t);
	assert_int_equal(t->vic, 97);
	assert_non_null(find(1024, 768, 60004));  /* established */
	assert_non_null(find(1920, 1440, 60000)); /* established III */
	/* QEMU puts no DTD first when the clock does not fit one. */
	assert_true(has_diag("needs a detailed timing first"));
}

static void test_qemu_padded_1024(void **state)
{
	(void)state;
	struct blob b = load("qemu-1920x1080-padded");
	assert_int_equal(b.len, 1024);
	assert_int_equal(vg_edid_length(b.data, b.len), 256);
	assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	/* Zero padding after the claimed blocks is not a defect. */
	assert_int_equal(E.ndiags, 0);
	assert_int_equal(E.extensions_decoded, 1);
	const struct vg_edid_timing *t = &E.timings[0];
	assert_int_equal(t->width, 1920);
	assert_int_equal(t->height, 1080);
	assert_int_equal(t->refresh_mhz, 74998);
	assert_true(t->preferred);
	assert_int_equal(t->source, VG_TIMING_DETAILED);
	free(b.data);
}

static void test_sim(void **state)
{
	(void)state;
	assert_int_equal(parse_file("sim-1920x1080"), VG_OK);
	assert_string_equal(E.vendor, "VGS");
	assert_string_equal(E.name, "viogpu sim");
	assert_string_equal(E.serial_text, "VIOGPU-SIM");
	assert_int_equal(E.serial, 1);
	assert_int_equal(E.ndiags, 0);
	assert_int_equal(E.timings[0].refresh_mhz, 59999);
	assert_true(E.timings[0].preferred);
}

static void test_v13_analog(void **state)
{
	(void)state;
	assert_int_equal(parse_file("v13-analog"), VG_OK);
	assert_int_equal(E.revision, 3);
	assert_false(E.digital);
	assert_string_equal(E.vendor, "ABC");
	assert_int_equal(E.product, 0x0513);
	assert_int_equal(E.serial, 0x01020304);
	assert_int_equal(E.week, 10);
	assert_int_equal(E.year, 2005);
	assert_int_equal(E.width_cm, 34);
	assert_int_equal(E.height_cm, 27);
	assert_string_equal(E.name, "Analog 1.3");
	assert_string_equal(E.serial_text, "SN-ANALOG-13");
	assert_int_equal(E.min_hfreq_khz, 30);
	assert_int_equal(E.max_hfreq_khz, 82);
	assert_int_equal(E.max_pixel_clock_mhz, 140);
	assert_int_equal(E.range_support, 0);
	assert_int_equal(E.ndiags, 0);

	/* The DTD, preferred by the 1.3 feature bit, also a standard
	 * timing: merged, the exact rate kept. */
	const struct vg_edid_timing *t = &E.timings[0];
	assert_int_equal(t->width, 1280);
	assert_int_equal(t->height, 1024);
	assert_int_equal(t->refresh_mhz, 60020);
	assert_true(t->preferred);
	assert_int_equal(t->sources,
			 BIT(VG_TIMING_DETAILED) | BIT(VG_TIMING_STANDARD));
	/* 16:10 for aspect code 0 since 1.3. */
	t = find(1680, 1050, 60000);
	assert_non_null(t);
	assert_int_equal(t->source, VG_TIMING_STANDARD);
	assert_int_equal(t->pixel_clock_khz, 0);
	/* The 17 established timings: a few of them. */
	assert_non_null(find(720, 400, 70082));
	assert_non_null(find(1024, 768, 60004));
	assert_non_null(find(1152, 870, 75062));
	t = find(1024, 768, 86958);
	assert_non_null(t);
	assert_true(t->interlaced);
	assert_int_equal(t->source, VG_TIMING_ESTABLISHED);
}

static void test_v12_square(void **state)
{
	(void)state;
	assert_int_equal(parse_file("v12-square"), VG_OK);
	assert_int_equal(E.revision, 2);
	/* Aspect code 0 is 1:1 before EDID 1.3. */
	assert_non_null(find(1024, 1024, 60000));
	assert_non_null(find(1280, 960, 60000));
}

static void test_v14_range(void **state)
{
	(void)state;
	assert_int_equal(parse_file("v14-range"), VG_OK);
	assert_int_equal(E.week, 255);
	assert_int_equal(E.year, 2023);
	/* 1.4 offsets: max V and max H + 255. */
	assert_int_equal(E.min_vfreq_hz, 1);
	assert_int_equal(E.max_vfreq_hz, 300);
	assert_int_equal(E.min_hfreq_khz, 30);
	assert_int_equal(E.max_hfreq_khz, 300);
	assert_int_equal(E.max_pixel_clock_mhz, 600);
	assert_int_equal(E.range_support, 4);
	assert_string_equal(E.name, "");
	assert_int_equal(E.ndiags, 0);
	assert_int_equal(E.timings[0].width, 2560);
	assert_int_equal(E.timings[0].refresh_mhz, 59951);
	/* established III */
	assert_non_null(find(1440, 900, 59887));
	assert_non_null(find(1400, 1050, 59948));
	/* standard timing 1920x1200@60 merged with the established III
	 * reduced-blanking one: the exact rate wins. */
	const struct vg_edid_timing *t = find(1920, 1200, 59950);
	assert_non_null(t);
	assert_int_equal(t->source, VG_TIMING_STANDARD);
	assert_int_equal(t->sources,
			 BIT(VG_TIMING_STANDARD) | BIT(VG_TIMING_ESTABLISHED));
	assert_int_equal(t->pixel_clock_khz, 154000);
	/* descriptor 0xFA */
	assert_non_null(find(1600, 900, 60000));
	assert_non_null(find(2048, 1280, 60000));
}

static void test_strings(void **state)
{
	(void)state;
	assert_int_equal(parse_file("v14-strings"), VG_OK);
	assert_string_equal(E.name, "Hand built");
	assert_string_equal(E.serial_text, "SN14-0001");
	assert_string_equal(E.text, "viogpu corpus");
}

static void test_cta_hdr(void **state)
{
	(void)state;
	assert_int_equal(parse_file("cta-hdr"), VG_OK);
	assert_int_equal(E.ndiags, 0);
	assert_true(E.has_cta);
	assert_int_equal(E.cta_revision, 3);
	static const struct vg_edid_vic vics[] = {
		{16, true, false},   {4, false, false},	  {31, false, false},
		{95, false, false},  {97, false, false},  {117, false, false},
		{118, false, false}, {1, true, false},	  {194, false, false},
		{199, false, false}, {219, false, false}, {65, false, false},
		{102, false, true},  {196, false, true},
	};
	assert_int_equal(E.nvics, 14);
	for (unsigned i = 0; i < 14; i++) {
		assert_int_equal(E.vics[i].vic, vics[i].vic);
		assert_int_equal(E.vics[i].native, vics[i].native);
		assert_int_equal(E.vics[i].ycbcr420_only,
				 vics[i].ycbcr420_only);
	}
	assert_true(E.hdr_static_metadata);
	assert_int_equal(E.hdr_eotfs,
			 VG_EDID_EOTF_SDR | VG_EDID_EOTF_PQ | VG_EDID_EOTF_HLG);
	assert_int_equal(E.hdr_metadata_types, 1);
	assert_int_equal(E.hdr_luminance_bytes, 3);
	assert_int_equal(E.hdr_max_luminance, 120);
	assert_int_equal(E.hdr_max_frame_avg, 80);
	assert_int_equal(E.hdr_min_luminance, 32);
	assert_true(E.colorimetry_block);
	assert_int_equal(E.colorimetry, 0x80c0);

	/* 8K VICs, without the native flag (SVD >= 193). */
	const struct vg_edid_timing *t = find(7680, 4320, 60000);
	assert_non_null(t);
	assert_int_equal(t->vic, 199);
	assert_false(t->preferred);
	assert_int_equal(t->pixel_clock_khz, 2376000);
	t = find(4096, 2160, 120000);
	assert_non_null(t);
	assert_int_equal(t->vic, 219);
	/* Native VIC 16 is the base DTD too: one entry, preferred. */
	t = find(1920, 1080, 60000);
	assert_non_null(t);
	assert_true(t->preferred);
	assert_int_equal(t->source, VG_TIMING_DETAILED);
	assert_int_equal(t->vic, 16);
	/* The interlaced CTA DTD: frame height, field rate. */
	bool found = false;
	for (unsigned i = 0; i < E.ntimings; i++)
		if (E.timings[i].interlaced && E.timings[i].width == 1920) {
			assert_int_equal(E.timings[i].height, 1080);
			assert_int_equal(E.timings[i].refresh_mhz, 60000);
			found = true;
		}
	assert_true(found);
	/* The 4:2:0-only VICs are timings too. */
	assert_non_null(find(7680, 4320, 30000));
}

static void test_displayid(void **state)
{
	(void)state;
	assert_int_equal(parse_file("displayid13"), VG_OK);
	assert_int_equal(E.ndiags, 0);
	assert_int_equal(E.displayid_version, 0x13);
	const struct vg_edid_timing *t = find(2560, 1600, 59972);
	assert_non_null(t);
	assert_true(t->preferred);
	assert_int_equal(t->pixel_clock_khz, 268500);
	t = find(1920, 1200, 59950);
	assert_non_null(t);
	assert_false(t->preferred);

	assert_int_equal(parse_file("displayid20"), VG_OK);
	assert_int_equal(E.ndiags, 0);
	assert_int_equal(E.displayid_version, 0x20);
	t = find(5120, 2880, 60000);
	assert_non_null(t);
	assert_true(t->preferred);
	assert_int_equal(t->pixel_clock_khz, 924144);
	assert_int_equal(t->source, VG_TIMING_DISPLAYID);
	t = find(7680, 4320, 59999);
	assert_non_null(t);
	assert_false(t->preferred);
}

static void test_monitor_name(void **state)
{
	(void)state;
	uint8_t edid[128] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	uint8_t *d = edid + 72; /* second descriptor */
	edid[18] = 1;
	edid[19] = 4;
	d[3] = 0xfc;
	memcpy(d + 5, "QEMU Monitor\n", 13);
	assert_int_equal(parse_exact(edid, 128), VG_OK);
	assert_string_equal(E.name, "QEMU Monitor");
	/* Too short an EDID, or no name descriptor: empty. */
	assert_int_equal(parse_exact(edid, 100), VG_E_INVAL);
	assert_string_equal(E.name, "");
	d[3] = 0xfe;
	assert_int_equal(parse_exact(edid, 128), VG_OK);
	assert_string_equal(E.name, "");
	/* 13 characters without terminator, control bytes replaced. */
	d[3] = 0xfc;
	memcpy(d + 5, "ABCDEFGHIJKL\x01", 13);
	assert_int_equal(parse_exact(edid, 128), VG_OK);
	assert_string_equal(E.name, "ABCDEFGHIJKL?");
	/* Trailing spaces go. */
	memcpy(d + 5, "Name  \n      ", 13);
	assert_int_equal(parse_exact(edid, 128), VG_OK);
	assert_string_equal(E.name, "Name");
}

static void test_order_and_dedup(void **state)
{
	(void)state;
	static const char *const files[] = {
		"qemu-1024x768", "qemu-7680x4320", "cta-hdr",	 "v13-analog",
		"v14-range",	 "displayid13",	   "displayid20"};
	static const unsigned rank[] = {4, 3, 0, 1, 2};
	for (unsigned f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		assert_int_equal(parse_file(files[f]), VG_OK);
		for (unsigned i = 0; i < E.ntimings; i++) {
			const struct vg_edid_timing *a = &E.timings[i];
			assert_true(a->sources & BIT(a->source));
			if (i)
				assert_true(rank[E.timings[i - 1].source] <=
					    rank[a->source]);
			for (unsigned j = i + 1; j < E.ntimings; j++) {
				const struct vg_edid_timing *b = &E.timings[j];
				assert_false(a->width == b->width &&
					     a->height == b->height &&
					     a->interlaced == b->interlaced &&
					     a->refresh_mhz == b->refresh_mhz);
			}
		}
	}
}

static void test_timing_source_str(void **state)
{
	(void)state;
	assert_string_equal(vg_timing_source_str(VG_TIMING_ESTABLISHED),
			    "established");
	assert_string_equal(vg_timing_source_str(VG_TIMING_CTA_VIC), "cta-vic");
	assert_string_equal(vg_timing_source_str((enum vg_timing_source)99),
			    "unknown");
}

/* ---- hostile input ---- */

static void test_every_truncation(void **state)
{
	(void)state;
	static const char *const files[] = {
		"qemu-3840x2160",   "cta-hdr",
		"displayid13",	    "displayid20",
		"v14-range",	    "broken-cta-offsets",
		"broken-displayid", "qemu-1920x1080-padded"};
	for (unsigned f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct blob b = load(files[f]);
		for (size_t len = 0; len <= b.len; len++) {
			vg_status st = parse_exact(b.data, len);
			assert_int_equal(st, len < 128 ? VG_E_INVAL : VG_OK);
			assert_true(E.ndiags > 0 || len >= 128);
			size_t whole = len / 128;
			if (len >= 128)
				assert_true(E.extensions_decoded < whole);
			/* a cut inside a claimed block is reported */
			if (len >= 128 && len < vg_edid_length(b.data, b.len))
				assert_true(has_diag("truncated") ||
					    has_diag("claimed"));
		}
		free(b.data);
	}
}

static void test_bad_checksum(void **state)
{
	(void)state;
	assert_int_equal(parse_file("broken-bad-checksum"), VG_OK);
	assert_int_equal(E.bad_checksums, 1);
	assert_true(has_diag("block 0: checksum 0x82, should be 0x81"));
	/* decoding went on */
	assert_string_equal(E.name, "Bad checksum");
	assert_non_null(find(1920, 1080, 60000));
}

static void test_extension_count_lies(void **state)
{
	(void)state;
	assert_int_equal(parse_file("broken-ext-count-more"), VG_OK);
	assert_int_equal(E.extensions_claimed, 3);
	assert_int_equal(E.extensions_decoded, 1);
	assert_true(has_diag("3 extensions claimed, 1 present"));
	assert_true(E.has_cta);

	assert_int_equal(parse_file("broken-ext-count-fewer"), VG_OK);
	assert_int_equal(E.extensions_decoded, 0);
	assert_false(E.has_cta);
	assert_true(has_diag("block 1 (tag 0x2) beyond the 0 claimed"));

	assert_int_equal(parse_file("broken-truncated"), VG_OK);
	assert_true(has_diag("block 1 truncated to 72 bytes"));
	assert_false(E.has_cta);
}

/* HDMI Forum EDID Extension Override Data Block: byte 126 says 1, the
 * HF-EEODB in block 1 says 3; blocks 2 and 3 hold the extra timings. */
static void test_hf_eeodb(void **state)
{
	(void)state;
	struct blob b = load("cta-hf-eeodb");
	assert_int_equal(b.len, 512);
	assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	assert_int_equal(E.extensions_claimed, 1);
	assert_int_equal(E.hf_eeodb_extensions, 3);
	assert_int_equal(E.extensions_decoded, 3);
	assert_int_equal(E.ndiags, 0);
	assert_true(E.has_displayid);
	assert_non_null(find(2560, 1080, 60021)); /* block 2, CTA DTD */
	assert_non_null(find(3840, 1080, 60000)); /* block 2, CTA DTD */
	assert_non_null(find(3840, 1600, 60000)); /* block 3, DisplayID */
	assert_true(E.hdr_static_metadata);
	assert_int_equal(E.hdr_eotfs,
			 VG_EDID_EOTF_SDR | VG_EDID_EOTF_PQ | VG_EDID_EOTF_HLG);
	assert_int_equal(vg_edid_length(b.data, b.len), 512);
	assert_int_equal(vg_edid_length(b.data, 400), 400);

	/* only two blocks given: the third is missing and said so */
	assert_int_equal(parse_exact(b.data, 384), VG_OK);
	assert_int_equal(E.extensions_decoded, 2);
	assert_true(has_diag("3 extensions claimed, 2 present"));
	assert_null(find(3840, 1600, 60000));

	/* byte 126 should be 1 with an HF-EEODB: diagnosed, still used */
	b.data[126] = 2;
	fix_checksum(b.data);
	assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	assert_int_equal(E.extensions_decoded, 3);
	assert_true(has_diag("HF-EEODB present but byte 126 is 2, not 1"));
	b.data[126] = 1;
	fix_checksum(b.data);

	/* not the first data block of block 1: not an HF-EEODB (HDMI 2.1
	 * fixes its place), byte 126 rules */
	uint8_t *x = b.data + 128;
	uint8_t first[3] = {x[4], x[5], x[6]};
	memmove(x + 4, x + 7, 4); /* the video data block first */
	memcpy(x + 8, first, 3);
	fix_checksum(x);
	assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	assert_int_equal(E.hf_eeodb_extensions, 0);
	assert_int_equal(E.extensions_decoded, 1);
	assert_null(find(3840, 1600, 60000));
	assert_int_equal(vg_edid_length(b.data, b.len), 256);
	free(b.data);

	/* a count below byte 126 never shrinks the EDID */
	b = load("cta-hf-eeodb");
	b.data[128 + 6] = 1;
	b.data[126] = 3;
	fix_checksum(b.data);
	fix_checksum(b.data + 128);
	assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	assert_int_equal(E.extensions_decoded, 3);
	free(b.data);
}

static void test_garbage(void **state)
{
	(void)state;
	assert_int_equal(parse_file("broken-garbage"), VG_E_INVAL);
	assert_int_equal(E.ndiags, 1);
	assert_string_equal(E.diags[0].text, "no EDID header");
	assert_int_equal(E.ntimings, 0);
	assert_int_equal(parse_exact(NULL, 0), VG_E_INVAL);
	assert_int_equal(vg_edid_parse(NULL, 0, NULL), VG_E_INVAL);
}

/* A detailed timing of w x h with pixel clock khz, from a DTD. */
static bool has_dtd(uint32_t w, uint32_t h, uint32_t khz)
{
	for (unsigned i = 0; i < E.ntimings; i++)
		if (E.timings[i].width == w && E.timings[i].height == h &&
		    E.timings[i].pixel_clock_khz == khz &&
		    E.timings[i].source == VG_TIMING_DETAILED)
			return true;
	return false;
}

/* DTDs fill the CTA block up to its checksum: the last one (bytes
 * 109..126) counts like the others. */
static void test_cta_dtds_end_at_byte_126(void **state)
{
	(void)state;
	assert_int_equal(parse_file("cta-dtds-to-126"), VG_OK);
	assert_true(E.has_cta);
	assert_int_equal(E.nvics, 14);
	assert_true(has_dtd(1920, 1080, 148500)); /* the base block's */
	assert_true(has_dtd(640, 480, 25170));
	assert_true(has_dtd(800, 600, 40000));
	assert_true(has_dtd(1024, 768, 65000));
	assert_true(has_dtd(1280, 1024, 108000));
	assert_true(has_dtd(1366, 768, 85500));
	assert_true(has_dtd(1680, 1050, 119000)); /* ends at byte 126 */
	unsigned dtds = 0;
	for (unsigned i = 0; i < E.ntimings; i++)
		dtds += E.timings[i].source == VG_TIMING_DETAILED;
	assert_int_equal(dtds, 7);
}

static void test_cta_offsets(void **state)
{
	(void)state;
	assert_int_equal(parse_file("broken-cta-offsets"), VG_OK);
	assert_true(has_diag("block 1: DTD offset 200 is beyond the block"));
	assert_true(has_diag("block 2: data block at byte 7 (tag 2, 10 "
			     "bytes) overruns byte 9"));
	/* what fits is kept */
	assert_non_null(find(3840, 2160, 60000));
	assert_non_null(find(1920, 1080, 50000));
	assert_null(find(720, 480, 59940));

	/* Every DTD offset and every first data block header. */
	struct blob b = load("cta-hdr");
	for (unsigned d = 0; d < 256; d++) {
		b.data[128 + 2] = (uint8_t)d;
		fix_checksum(b.data + 128);
		assert_int_equal(parse_exact(b.data, b.len), VG_OK);
		if ((d >= 1 && d <= 3) || d > 127)
			assert_true(has_diag("DTD offset"));
	}
	b.data[128 + 2] = 60;
	for (unsigned h = 0; h < 256; h++) {
		b.data[128 + 4] = (uint8_t)h;
		assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	}
	free(b.data);
}

static void test_displayid_hostile(void **state)
{
	(void)state;
	assert_int_equal(parse_file("broken-displayid"), VG_OK);
	assert_true(E.displayid_bad_checksum);
	assert_true(has_diag("block 1: DisplayID section checksum 0x81, "
			     "should be 0x80"));
	assert_true(has_diag("section length 200 > 121"));
	assert_true(has_diag("overruns the section"));
	assert_non_null(find(2560, 1600, 59972));

	/* Every section length and every first block length. */
	struct blob b = load("displayid13");
	for (unsigned n = 0; n < 256; n++) {
		b.data[128 + 2] = (uint8_t)n;
		assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	}
	b.data[128 + 2] = 0x40;
	for (unsigned n = 0; n < 256; n++) {
		b.data[128 + 7] = (uint8_t)n;
		assert_int_equal(parse_exact(b.data, b.len), VG_OK);
	}
	free(b.data);
}

/* Many CTA blocks of reserved SVDs and every VIC there is. */
static void test_limits(void **state)
{
	(void)state;
	enum { NB = 12 };
	uint8_t *e = calloc(1, 128 * (NB + 1));
	assert_non_null(e);
	struct blob base = load("v13-analog");
	memcpy(e, base.data, 128);
	free(base.data);
	e[126] = NB;
	fix_checksum(e);
	unsigned svd = 1;
	for (unsigned b = 1; b <= NB; b++) {
		uint8_t *x = e + 128 * b;
		x[0] = 0x02;
		x[1] = 3;
		unsigned off = 4;
		for (unsigned k = 0; k < 3; k++) {
			x[off++] = 2 << 5 | 31;
			for (unsigned i = 0; i < 31; i++) {
				/* every SVD value, reserved ones too */
				x[off++] = (uint8_t)svd;
				svd = svd % 255 + 1;
			}
		}
		x[2] = (uint8_t)off;
		fix_checksum(x);
	}
	assert_int_equal(parse_exact(e, 128 * (NB + 1)), VG_OK);
	assert_int_equal(E.nvics, VG_EDID_MAX_VICS);
	assert_true(E.ndiags == VG_EDID_MAX_DIAGS);
	assert_true(E.diags_truncated);
	assert_true(has_diag("more than 64 VICs"));
	for (unsigned i = 0; i < E.ndiags; i++)
		assert_non_null(memchr(E.diags[i].text, 0, 96));
	assert_true(E.ntimings <= VG_EDID_MAX_TIMINGS);
	/* every known VIC became a timing, however many distinct ones */
	assert_non_null(find(7680, 4320, 120000)); /* VIC 202 */
	assert_non_null(find(640, 480, 59940));
	free(e);
}

static void test_length(void **state)
{
	(void)state;
	struct blob b = load("qemu-3840x2160");
	assert_int_equal(vg_edid_length(b.data, b.len), 384);
	assert_int_equal(vg_edid_length(b.data, 300), 300);
	assert_int_equal(vg_edid_length(b.data, 100), 100);
	b.data[0] = 1; /* no header: nothing to trim */
	assert_int_equal(vg_edid_length(b.data, b.len), b.len);
	free(b.data);
	b = load("broken-ext-count-fewer");
	assert_int_equal(vg_edid_length(b.data, b.len), 128);
	free(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_4k),
		cmocka_unit_test(test_qemu_padded_1024),
		cmocka_unit_test(test_sim),
		cmocka_unit_test(test_v13_analog),
		cmocka_unit_test(test_v12_square),
		cmocka_unit_test(test_v14_range),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_cta_hdr),
		cmocka_unit_test(test_displayid),
		cmocka_unit_test(test_monitor_name),
		cmocka_unit_test(test_order_and_dedup),
		cmocka_unit_test(test_timing_source_str),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_extension_count_lies),
		cmocka_unit_test(test_hf_eeodb),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_cta_dtds_end_at_byte_126),
		cmocka_unit_test(test_cta_offsets),
		cmocka_unit_test(test_displayid_hostile),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
