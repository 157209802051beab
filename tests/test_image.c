// SPDX-License-Identifier: MIT
/* Unit tests for tools/image.c and tools/pattern.c (cmocka). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "pattern.h"

static char g_dir[64];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/vg_test_image.XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	return rmdir(g_dir); /* fails if a test left a file behind */
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", g_dir, name);
}

static uint32_t px_at(const uint32_t *px, uint32_t stride, uint32_t x,
		      uint32_t y)
{
	return ((const uint32_t *)(const void *)((const uint8_t *)px +
						 (size_t)y * stride))[x];
}

static void check_err(const char *err, const char *want)
{
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
	assert_null(strchr(err, '\n'));
}

/* ---- PNG fixtures written directly with libpng ---- */

struct fixture {
	int ctype, depth, interlace;
	png_colorp palette;
	int npalette;
	png_bytep trans;
	int ntrans;
};

static void write_raw_png(const char *path, uint32_t w, uint32_t h,
			  const struct fixture *f, png_bytep *rows)
{
	FILE *fp = fopen(path, "wb");
	png_structp png;
	png_infop info;

	assert_non_null(fp);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	assert_non_null(png);
	info = png_create_info_struct(png);
	assert_non_null(info);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng failed writing fixture %s", path);
	png_init_io(png, fp);
	png_set_IHDR(png, info, w, h, f->depth, f->ctype, f->interlace,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (f->palette)
		png_set_PLTE(png, info, f->palette, f->npalette);
	if (f->trans)
		png_set_tRNS(png, info, f->trans, f->ntrans, NULL);
	png_write_info(png, info);
	if (f->depth == 16)
		png_set_swap(png); /* rows below are host-order uint16_t */
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	assert_int_equal(fclose(fp), 0);
}

/* A chunk for write_png_chunks (data up to 32 bytes). */
struct raw_chunk {
	const char *name;
	png_byte data[32];
	size_t size;
};

/* write_raw_png with extra chunks before PLTE/IDAT, written by libpng as
 * unknown chunks (as an encoder that knows them writes them). */
static void write_png_chunks(const char *path, uint32_t w, uint32_t h,
			     const struct fixture *f, png_bytep *rows,
			     const struct raw_chunk *c, int n)
{
	FILE *fp = fopen(path, "wb");
	png_structp png;
	png_infop info;
	png_unknown_chunk u[8];

	assert_non_null(fp);
	assert_true(n <= 8);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	assert_non_null(png);
	info = png_create_info_struct(png);
	assert_non_null(info);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng failed writing fixture %s", path);
	png_init_io(png, fp);
	png_set_IHDR(png, info, w, h, f->depth, f->ctype, f->interlace,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* cICP, mDCV, cLLI are not safe-to-copy: only written if kept */
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_ALWAYS, NULL, 0);
	for (int i = 0; i < n; i++) {
		memset(&u[i], 0, sizeof(u[i]));
		memcpy(u[i].name, c[i].name, 4);
		u[i].data = (png_byte *)c[i].data;
		u[i].size = c[i].size;
		u[i].location = PNG_HAVE_IHDR;
	}
	if (n)
		png_set_unknown_chunks(png, info, u, n);
	png_write_info(png, info);
	if (f->depth == 16)
		png_set_swap(png);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	assert_int_equal(fclose(fp), 0);
}

/* cICP BT.2020 PQ full range; mDCV BT.2020 primaries, D65, 1000 and 0.005
 * cd/m2; cLLI 1000 / 400 cd/m2: big-endian, as the PNG 3rd edition has. */
static const struct raw_chunk CICP = {"cICP", {9, 16, 0, 1}, 4};
static const struct raw_chunk MDCV = {
	"mDCV",
	{0x8a, 0x48, 0x39, 0x08,  /* R 35400, 14600 */
	 0x21, 0x34, 0x9b, 0xaa,  /* G 8500, 39850 */
	 0x19, 0x96, 0x08, 0xfc,  /* B 6550, 2300 */
	 0x3d, 0x13, 0x40, 0x42,  /* W 15635, 16450 */
	 0x00, 0x98, 0x96, 0x80,  /* 10000000 = 1000 cd/m2 */
	 0x00, 0x00, 0x00, 0x32}, /* 50 = 0.005 cd/m2 */
	24};
static const struct raw_chunk CLLI = {
	"cLLI", {0x00, 0x98, 0x96, 0x80, 0x00, 0x3d, 0x09, 0x00}, 8};

static void test_png_read16_hdr_chunks(void **state)
{
	/* 16-bit RGB 2x1: a PQ white-ish and a dark pixel */
	uint16_t r0[6] = {0xffff, 0x0001, 0x8000, 0x1234, 0xfedc, 0x0000};
	png_bytep rows[1] = {(png_bytep)r0};
	struct fixture f = {
		PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_NONE, NULL, 0, NULL, 0};
	struct raw_chunk all[3] = {CICP, MDCV, CLLI};
	char path[128], err[256] = "";
	uint16_t *px = NULL;
	uint32_t w = 0, h = 0, *px8 = NULL;
	struct vg_png_hdr hdr;

	(void)state;
	tmp_path(path, sizeof(path), "hdr16.png");
	write_png_chunks(path, 2, 1, &f, rows, all, 3);
	memset(&hdr, 0xaa, sizeof(hdr));
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), 0);
	assert_int_equal(w, 2);
	assert_int_equal(h, 1);
	/* every 16-bit sample kept exactly, X = 0xffff */
	const uint16_t want[8] = {0xffff, 0x0001, 0x8000, 0xffff,
				  0x1234, 0xfedc, 0x0000, 0xffff};
	for (int i = 0; i < 8; i++)
		assert_int_equal(px[i], want[i]);
	assert_true(hdr.has_cicp);
	assert_int_equal(hdr.cicp_primaries, 9);
	assert_int_equal(hdr.cicp_transfer, 16);
	assert_int_equal(hdr.cicp_matrix, 0);
	assert_int_equal(hdr.cicp_full_range, 1);
	assert_true(hdr.has_mdcv);
	assert_false(hdr.mdcv_draft);
	assert_int_equal(hdr.mdcv_primaries[0][0], 35400);
	assert_int_equal(hdr.mdcv_primaries[0][1], 14600);
	assert_int_equal(hdr.mdcv_primaries[1][0], 8500);
	assert_int_equal(hdr.mdcv_primaries[1][1], 39850);
	assert_int_equal(hdr.mdcv_primaries[2][0], 6550);
	assert_int_equal(hdr.mdcv_primaries[2][1], 2300);
	assert_int_equal(hdr.mdcv_white[0], 15635);
	assert_int_equal(hdr.mdcv_white[1], 16450);
	assert_int_equal(hdr.mdcv_max_luminance, 10000000);
	assert_int_equal(hdr.mdcv_min_luminance, 50);
	assert_true(hdr.has_clli);
	assert_false(hdr.clli_draft);
	assert_int_equal(hdr.max_cll, 10000000);
	assert_int_equal(hdr.max_fall, 4000000);
	free(px);
	/* the 8-bit reader still reads it, chunks or not */
	assert_int_equal(vg_png_read(path, &px8, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(px8[0], 0x00ff0080);
	free(px8);
	unlink(path);
}

static void test_png_read16_draft_spellings(void **state)
{
	uint16_t r0[3] = {1, 2, 3};
	png_bytep rows[1] = {(png_bytep)r0};
	struct fixture f = {
		PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_NONE, NULL, 0, NULL, 0};
	struct raw_chunk c[4] = {MDCV, CLLI, MDCV, CLLI};
	char path[128], err[256] = "";
	uint16_t *px = NULL;
	uint32_t w, h;
	struct vg_png_hdr hdr;

	(void)state;
	tmp_path(path, sizeof(path), "draft.png");
	/* only the draft spellings */
	c[0].name = "mDCv";
	c[1].name = "cLLi";
	write_png_chunks(path, 1, 1, &f, rows, c, 2);
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), 0);
	free(px);
	assert_false(hdr.has_cicp);
	assert_true(hdr.has_mdcv && hdr.mdcv_draft);
	assert_int_equal(hdr.mdcv_max_luminance, 10000000);
	assert_true(hdr.has_clli && hdr.clli_draft);
	assert_int_equal(hdr.max_fall, 4000000);

	/* draft first, then the final spelling with other values: final
	 * wins */
	c[2].data[19] = 0x81; /* 10000001 */
	c[3].data[7] = 0x01;  /* 4000001 */
	write_png_chunks(path, 1, 1, &f, rows, c, 4);
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), 0);
	free(px);
	assert_false(hdr.mdcv_draft);
	assert_int_equal(hdr.mdcv_max_luminance, 10000001);
	assert_false(hdr.clli_draft);
	assert_int_equal(hdr.max_fall, 4000001);

	/* final first, then draft: still the final one */
	struct raw_chunk d[4] = {c[2], c[3], c[0], c[1]};
	write_png_chunks(path, 1, 1, &f, rows, d, 4);
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), 0);
	free(px);
	assert_false(hdr.mdcv_draft);
	assert_int_equal(hdr.mdcv_max_luminance, 10000001);
	assert_int_equal(hdr.max_cll, 10000000);
	assert_int_equal(hdr.max_fall, 4000001);
	unlink(path);
}

static void test_png_read16_bad_chunks_and_widening(void **state)
{
	/* 8-bit RGB: widened exactly (v * 257); wrong-sized HDR chunks are
	 * ignored; no chunks: nothing set */
	uint8_t r0[6] = {0x00, 0x80, 0xff, 0x01, 0x02, 0x03};
	png_bytep rows[1] = {r0};
	struct fixture f = {
		PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, NULL, 0, NULL, 0};
	struct raw_chunk bad[3] = {CICP, MDCV, CLLI};
	char path[128], err[256] = "";
	uint16_t *px = NULL, *keep = (uint16_t *)&f;
	uint32_t w, h;
	struct vg_png_hdr hdr;

	(void)state;
	bad[0].size = 3;
	bad[1].size = 20;
	bad[2].size = 9;
	tmp_path(path, sizeof(path), "bad.png");
	write_png_chunks(path, 2, 1, &f, rows, bad, 3);
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), 0);
	assert_false(hdr.has_cicp);
	assert_false(hdr.has_mdcv);
	assert_false(hdr.has_clli);
	const uint16_t want[8] = {0x0000, 0x8080, 0xffff, 0xffff,
				  0x0101, 0x0202, 0x0303, 0xffff};
	for (int i = 0; i < 8; i++)
		assert_int_equal(px[i], want[i]);
	free(px);

	write_png_chunks(path, 2, 1, &f, rows, NULL, 0);
	memset(&hdr, 0xaa, sizeof(hdr));
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), 0);
	assert_false(hdr.has_cicp || hdr.has_mdcv || hdr.has_clli);
	free(px);
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, NULL, err, sizeof(err)), 0);
	free(px);
	unlink(path);

	/* failure: message, outputs untouched */
	px = keep;
	w = h = 7;
	assert_int_equal(
		vg_png_read16(path, &px, &w, &h, &hdr, err, sizeof(err)), -1);
	assert_ptr_equal(px, keep);
	assert_int_equal(w, 7);
	assert_non_null(strstr(err, "cannot read"));
}

static void test_png_hdr_color(void **state)
{
	struct vg_png_hdr h;
	struct vg_hdr_metadata m;
	enum vg_colorspace cs = 0;
	char err[256] = "";

	(void)state;
	memset(&h, 0, sizeof(h));
	/* nothing: sRGB, no metadata */
	memset(&m, 0xaa, sizeof(m));
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), 0);
	assert_int_equal(cs, VG_CS_SRGB);
	assert_int_equal(m.max_cll, 0);
	assert_int_equal(m.primaries[0][0], 0);
	/* PQ with mDCV and cLLI: nits rounded */
	h.has_cicp = true;
	h.cicp_primaries = 9;
	h.cicp_transfer = 16;
	h.cicp_full_range = 1;
	h.has_mdcv = true;
	h.mdcv_primaries[1][1] = 39850;
	h.mdcv_white[0] = 15635;
	h.mdcv_max_luminance = 10004999; /* 1000.4999 -> 1000 */
	h.mdcv_min_luminance = 50;
	h.has_clli = true;
	h.max_cll = 4000 * 10000 + 5000; /* 4000.5 -> 4001 */
	h.max_fall = 0xffffffffu;	 /* capped at 65535 */
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), 0);
	assert_int_equal(cs, VG_CS_BT2020_PQ);
	assert_int_equal(m.primaries[1][1], 39850);
	assert_int_equal(m.white_point[0], 15635);
	assert_int_equal(m.max_mastering_luminance, 1000);
	assert_int_equal(m.min_mastering_luminance, 50);
	assert_int_equal(m.max_cll, 4001);
	assert_int_equal(m.max_fall, 65535);
	h.cicp_transfer = 18;
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), 0);
	assert_int_equal(cs, VG_CS_BT2020_HLG);
	h.cicp_transfer = 13;
	h.cicp_primaries = 1;
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), 0);
	assert_int_equal(cs, VG_CS_SRGB);
	/* refused: PQ with P3 primaries (12), linear transfer, limited
	 * range; cs untouched */
	cs = VG_CS_SCRGB;
	h.cicp_primaries = 12;
	h.cicp_transfer = 16;
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "primaries 12 transfer 16"));
	h.cicp_primaries = 9;
	h.cicp_transfer = 8;
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), -1);
	h.cicp_transfer = 16;
	h.cicp_full_range = 0;
	assert_int_equal(vg_png_hdr_color(&h, &cs, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "full range"));
	assert_int_equal(cs, VG_CS_SCRGB);
}

static void test_px16_to_10bit(void **state)
{
	/* v * 1023 / 65535 rounded: 0, 32 (0.4995 -> 0), 33 (0.515 -> 1),
	 * 32768 (511.5 -> 512), 65535, 65470 (1021.98 -> 1022) */
	const uint16_t px[8] = {0, 32, 33, 0xffff, 32768, 65535, 65470, 0};
	uint32_t out[2];

	(void)state;
	vg_px16_to_r10g10b10a2(px, out, 2);
	assert_int_equal(out[0], 0u | 0u << 10 | 1u << 20 | 3u << 30);
	assert_int_equal(out[1], 512u | 1023u << 10 | 1022u << 20 | 3u << 30);
}

static long file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	fclose(fp);
	return n;
}

static void truncate_copy(const char *src, const char *dst, long keep)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	char *buf = malloc((size_t)keep);

	assert_non_null(in);
	assert_non_null(out);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)keep, in), (size_t)keep);
	assert_int_equal(fwrite(buf, 1, (size_t)keep, out), (size_t)keep);
	free(buf);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* ---- PNG tests ---- */

static void test_png_roundtrip_1x1(void **state)
{
	char path[128], err[256] = "";
	uint32_t in = 0xab123456, *out = NULL, w = 0, h = 0;

	(void)state;
	tmp_path(path, sizeof(path), "one.png");
	assert_int_equal(vg_png_write(path, &in, 1, 1, 4, err, sizeof(err)), 0);
	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(w, 1);
	assert_int_equal(h, 1);
	assert_int_equal(out[0], 0x00123456); /* top byte dropped */
	free(out);
	unlink(path);
}

static void test_png_roundtrip_1366_stride(void **state)
{
	const uint32_t w = 1366, h = 768, stride = w * 4 + 40;
	char path[128], err[256] = "";
	uint32_t *buf = malloc((size_t)stride * h), *out = NULL, rw = 0, rh = 0,
		 fx = 0, fy = 0;

	(void)state;
	assert_non_null(buf);
	memset(buf, 0xee, (size_t)stride * h); /* padding garbage */
	vg_pattern_draw(VG_PATTERN_GRADIENT, buf, w, h, stride);
	vg_pattern_draw_box(buf, w, h, stride, 100, 200, 7, 9, 0x00c0ffee);
	tmp_path(path, sizeof(path), "big.png");
	assert_int_equal(
		vg_png_write(path, buf, w, h, stride, err, sizeof(err)), 0);
	assert_int_equal(vg_png_read(path, &out, &rw, &rh, err, sizeof(err)),
			 0);
	assert_int_equal(rw, w);
	assert_int_equal(rh, h);
	assert_int_equal(
		vg_pixels_compare(buf, stride, out, w * 4, w, h, &fx, &fy), 0);
	assert_int_equal(out[(size_t)767 * w + 1365], 0x00ffffff);
	assert_int_equal(out[(size_t)200 * w + 100], 0x00c0ffee);
	free(out);
	free(buf);
	unlink(path);
}

static void test_png_read_palette(void **state)
{
	png_color pal[4] = {{0xff, 0x00, 0x00},
			    {0x00, 0xff, 0x00},
			    {0x00, 0x00, 0xff},
			    {0x12, 0x34, 0x56}};
	png_byte trans[4] = {0xff, 0x00, 0xff, 0x80}; /* alpha is dropped */
	/* 2-bit indices, 4 pixels per byte: row0 = 0 1 2 3, row1 = 3 2 1 0 */
	png_byte r0[1] = {0x1b}, r1[1] = {0xe4};
	png_bytep rows[2] = {r0, r1};
	struct fixture f = {PNG_COLOR_TYPE_PALETTE,
			    2,
			    PNG_INTERLACE_NONE,
			    pal,
			    4,
			    trans,
			    4};
	char path[128], err[256] = "";
	uint32_t *out = NULL, w = 0, h = 0;
	static const uint32_t want[8] = {0x00ff0000, 0x0000ff00, 0x000000ff,
					 0x00123456, 0x00123456, 0x000000ff,
					 0x0000ff00, 0x00ff0000};

	(void)state;
	tmp_path(path, sizeof(path), "pal.png");
	write_raw_png(path, 4, 2, &f, rows);
	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(w, 4);
	assert_int_equal(h, 2);
	for (int i = 0; i < 8; i++)
		assert_int_equal(out[i], want[i]);
	free(out);
	unlink(path);
}

static void test_png_read_16bit(void **state)
{
	/* 16-bit RGB, 2x1, Adam7 interlaced for good measure. */
	uint16_t r0[6] = {0xffff, 0x0000, 0x8080, 0x1212, 0xfefe, 0x0101};
	png_bytep rows[1] = {(png_bytep)r0};
	struct fixture f = {
		PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_ADAM7, NULL, 0, NULL, 0};
	char path[128], err[256] = "";
	uint32_t *out = NULL, w = 0, h = 0;

	(void)state;
	tmp_path(path, sizeof(path), "rgb16.png");
	write_raw_png(path, 2, 1, &f, rows);
	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(w, 2);
	assert_int_equal(h, 1);
	assert_int_equal(out[0], 0x00ff0080);
	assert_int_equal(out[1], 0x0012fe01);
	free(out);
	unlink(path);
}

static void test_png_read_gray16_alpha(void **state)
{
	/* gray+alpha 16-bit: alpha is dropped, gray copied to R, G and B */
	uint16_t r0[4] = {0x4040, 0x0000, 0xffff, 0x1234};
	png_bytep rows[1] = {(png_bytep)r0};
	struct fixture f = {PNG_COLOR_TYPE_GRAY_ALPHA,
			    16,
			    PNG_INTERLACE_NONE,
			    NULL,
			    0,
			    NULL,
			    0};
	char path[128], err[256] = "";
	uint32_t *out = NULL, w = 0, h = 0;

	(void)state;
	tmp_path(path, sizeof(path), "ga16.png");
	write_raw_png(path, 2, 1, &f, rows);
	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(out[0], 0x00404040);
	assert_int_equal(out[1], 0x00ffffff);
	free(out);
	unlink(path);
}

static void test_png_read_gray1(void **state)
{
	png_byte r0[1] = {0xa0}; /* 1 0 1 0 */
	png_bytep rows[1] = {r0};
	struct fixture f = {
		PNG_COLOR_TYPE_GRAY, 1, PNG_INTERLACE_NONE, NULL, 0, NULL, 0};
	char path[128], err[256] = "";
	uint32_t *out = NULL, w = 0, h = 0;

	(void)state;
	tmp_path(path, sizeof(path), "g1.png");
	write_raw_png(path, 4, 1, &f, rows);
	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(w, 4);
	assert_int_equal(out[0], 0x00ffffff);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0x00ffffff);
	assert_int_equal(out[3], 0);
	free(out);
	unlink(path);
}

static void expect_read_fail(const char *path, const char *want)
{
	char err[256] = "";
	uint32_t *out = (uint32_t *)0x1, w = 77, h = 88;

	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), -1);
	check_err(err, want);
	check_err(err, "cannot read '");
	check_err(err, path);
	/* outputs untouched on failure */
	assert_ptr_equal(out, (uint32_t *)0x1);
	assert_int_equal(w, 77);
	assert_int_equal(h, 88);
}

static void test_png_reject_missing(void **state)
{
	char path[128];

	(void)state;
	tmp_path(path, sizeof(path), "does-not-exist.png");
	expect_read_fail(path, "No such file or directory");
}

static void test_png_reject_text(void **state)
{
	char path[128];
	FILE *fp;

	(void)state;
	tmp_path(path, sizeof(path), "text.png");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("hello, this is not a picture\n", fp);
	fclose(fp);
	expect_read_fail(path, "not a PNG file");
	/* shorter than the 8-byte signature */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("\x89PN", fp);
	fclose(fp);
	expect_read_fail(path, "not a PNG file");
	unlink(path);
}

static void test_png_reject_truncated(void **state)
{
	const uint32_t w = 64, h = 64;
	char path[128], cut[128], err[256] = "";
	uint32_t buf[64 * 64];
	long size, keep[5];

	(void)state;
	vg_pattern_draw(VG_PATTERN_GRADIENT, buf, w, h, w * 4);
	tmp_path(path, sizeof(path), "full.png");
	tmp_path(cut, sizeof(cut), "cut.png");
	assert_int_equal(vg_png_write(path, buf, w, h, w * 4, err, sizeof(err)),
			 0);
	size = file_size(path);
	assert_true(size > 200);
	keep[0] = 8;	     /* signature only */
	keep[1] = 20;	     /* inside IHDR */
	keep[2] = 40;	     /* after IHDR */
	keep[3] = size / 2;  /* inside IDAT */
	keep[4] = size - 12; /* IEND gone: fails in png_read_end */
	for (size_t i = 0; i < 5; i++) {
		truncate_copy(path, cut, keep[i]);
		expect_read_fail(cut, "truncated");
	}
	unlink(cut);
	unlink(path);
}

static void test_png_reject_too_large(void **state)
{
	/* 1-bit gray keeps the fixtures tiny: 16385 px = 2049 bytes a row */
	static png_byte row[2049 + 8];
	png_bytep rows[1] = {row};
	struct fixture f = {
		PNG_COLOR_TYPE_GRAY, 1, PNG_INTERLACE_NONE, NULL, 0, NULL, 0};
	char path[128];

	(void)state;
	tmp_path(path, sizeof(path), "wide.png");
	write_raw_png(path, VG_IMAGE_MAX_DIM + 1, 1, &f, rows);
	expect_read_fail(path, "larger than 16384x16384");
	unlink(path);

	/* 16384 wide is still fine */
	uint32_t *out = NULL, w = 0, h = 0;
	char err[256] = "";

	write_raw_png(path, VG_IMAGE_MAX_DIM, 1, &f, rows);
	assert_int_equal(vg_png_read(path, &out, &w, &h, err, sizeof(err)), 0);
	assert_int_equal(w, VG_IMAGE_MAX_DIM);
	free(out);
	unlink(path);
}

static void test_png_write_errors(void **state)
{
	char path[128], err[256] = "";
	uint32_t px[4] = {0};

	(void)state;
	tmp_path(path, sizeof(path), "no/such/dir.png");
	assert_int_equal(vg_png_write(path, px, 2, 2, 8, err, sizeof(err)), -1);
	check_err(err, "cannot write '");
	check_err(err, "No such file or directory");

	tmp_path(path, sizeof(path), "bad.png");
	assert_int_equal(vg_png_write(path, px, 2, 2, 4, err, sizeof(err)), -1);
	check_err(err, "bad stride 4");
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(vg_png_write(path, px, 0, 2, 8, err, sizeof(err)), -1);
	check_err(err, "out of range");
	assert_int_equal(access(path, F_OK), -1);
}

/* ---- PPM ---- */

static void test_pattern_names(void **state)
{
	enum vg_pattern p = VG_PATTERN_BARS;

	(void)state;
	assert_string_equal(vg_pattern_names(), "bars|gradient|grid");
	assert_int_equal(vg_pattern_from_name("grid", &p), 0);
	assert_int_equal(p, VG_PATTERN_GRID);
	assert_int_equal(vg_pattern_from_name("gradient", &p), 0);
	assert_int_equal(p, VG_PATTERN_GRADIENT);
	assert_int_equal(vg_pattern_from_name("bars", &p), 0);
	assert_int_equal(p, VG_PATTERN_BARS);
	assert_int_equal(vg_pattern_from_name("Bars", &p), -1);
	assert_int_equal(vg_pattern_from_name("", &p), -1);
	assert_int_equal(vg_pattern_from_name(NULL, &p), -1);
}

static void test_pattern_bars(void **state)
{
	const uint32_t w = 1366, h = 3, stride = w * 4 + 8;
	uint32_t *buf = malloc((size_t)stride * h);
	static const uint32_t want[8] = {0x00ffffff, 0x00ffff00, 0x0000ffff,
					 0x0000ff00, 0x00ff00ff, 0x00ff0000,
					 0x000000ff, 0x00000000};

	(void)state;
	assert_non_null(buf);
	memset(buf, 0x5a, (size_t)stride * h);
	vg_pattern_draw(VG_PATTERN_BARS, buf, w, h, stride);
	for (uint32_t y = 0; y < h; y++) {
		assert_int_equal(px_at(buf, stride, 0, y), 0x00ffffff);
		assert_int_equal(px_at(buf, stride, w - 1, y), 0);
		/* padding between rows untouched */
		assert_int_equal(px_at(buf, stride, w, y), 0x5a5a5a5a);
		assert_int_equal(px_at(buf, stride, w + 1, y), 0x5a5a5a5a);
	}
	/* each bar starts at ceil(i * w / 8) */
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t x0 = (i * w + 7) / 8;

		assert_int_equal(px_at(buf, stride, x0, 1), want[i]);
		if (x0 > 0)
			assert_int_equal(px_at(buf, stride, x0 - 1, 1),
					 want[i - 1]);
	}
	free(buf);

	uint32_t one = 0x12345678;

	vg_pattern_draw(VG_PATTERN_BARS, &one, 1, 1, 4);
	assert_int_equal(one, 0x00ffffff);
}

static void test_pattern_gradient(void **state)
{
	const uint32_t w = 1366, h = 768;
	uint32_t *buf = malloc((size_t)w * h * 4), one = 0xffffffff;

	(void)state;
	vg_pattern_draw(VG_PATTERN_GRADIENT, &one, 1, 1, 4);
	assert_int_equal(one, 0);

	uint32_t col[3] = {1, 1, 1};

	vg_pattern_draw(VG_PATTERN_GRADIENT, col, 1, 3, 4); /* 1 wide */
	assert_int_equal(col[0], 0x00000000);
	assert_int_equal(col[1], 0x00007f7f); /* 255/2 = 127 */
	assert_int_equal(col[2], 0x0000ffff);

	assert_non_null(buf);
	vg_pattern_draw(VG_PATTERN_GRADIENT, buf, w, h, w * 4);
	assert_int_equal(px_at(buf, w * 4, 0, 0), 0);
	assert_int_equal(px_at(buf, w * 4, w - 1, 0),
			 0x00ff0000 | 0x00 << 8 | 1365 * 255 / 2132);
	assert_int_equal(px_at(buf, w * 4, 0, h - 1),
			 0x0000ff00 | 767 * 255 / 2132);
	assert_int_equal(px_at(buf, w * 4, w - 1, h - 1), 0x00ffffff);
	/* x=683: 683*255/1365 = 127; y=384: 384*255/767 = 127; b = 1067 */
	assert_int_equal(px_at(buf, w * 4, 683, 384),
			 127u << 16 | 127u << 8 | 1067u * 255 / 2132);
	assert_int_equal(px_at(buf, w * 4, 1, 0), 0u << 16 | 0 << 8 | 0);
	assert_int_equal(px_at(buf, w * 4, 6, 0), 1u << 16 | 0 << 8 | 0);
	free(buf);
}

static void test_pattern_grid(void **state)
{
	const uint32_t w = 100, h = 70, stride = w * 4;
	uint32_t *buf = malloc((size_t)stride * h);

	(void)state;
	assert_non_null(buf);
	vg_pattern_draw(VG_PATTERN_GRID, buf, w, h, stride);
	/* corner squares, both ends of each */
	assert_int_equal(px_at(buf, stride, 0, 0), VG_GRID_TL);
	assert_int_equal(px_at(buf, stride, 7, 7), VG_GRID_TL);
	assert_int_equal(px_at(buf, stride, w - 1, 0), VG_GRID_TR);
	assert_int_equal(px_at(buf, stride, w - 8, 7), VG_GRID_TR);
	assert_int_equal(px_at(buf, stride, 0, h - 1), VG_GRID_BL);
	assert_int_equal(px_at(buf, stride, 7, h - 8), VG_GRID_BL);
	assert_int_equal(px_at(buf, stride, w - 1, h - 1), VG_GRID_BR);
	assert_int_equal(px_at(buf, stride, w - 8, h - 8), VG_GRID_BR);
	/* just outside the squares */
	assert_int_equal(px_at(buf, stride, 8, 1), VG_GRID_BG);
	assert_int_equal(px_at(buf, stride, 1, 8), VG_GRID_BG);
	assert_int_equal(px_at(buf, stride, w - 9, h - 2), VG_GRID_BG);
	/* lines every 32 px, 1 px wide */
	assert_int_equal(px_at(buf, stride, 32, 10), VG_GRID_LINE);
	assert_int_equal(px_at(buf, stride, 64, 50), VG_GRID_LINE);
	assert_int_equal(px_at(buf, stride, 10, 32), VG_GRID_LINE);
	assert_int_equal(px_at(buf, stride, 50, 64), VG_GRID_LINE);
	assert_int_equal(px_at(buf, stride, 0, 20), VG_GRID_LINE);
	assert_int_equal(px_at(buf, stride, 20, 0), VG_GRID_LINE);
	assert_int_equal(px_at(buf, stride, 31, 10), VG_GRID_BG);
	assert_int_equal(px_at(buf, stride, 33, 10), VG_GRID_BG);
	assert_int_equal(px_at(buf, stride, 10, 33), VG_GRID_BG);
	/* all four corners distinct */
	assert_int_not_equal(VG_GRID_TL, VG_GRID_TR);
	assert_int_not_equal(VG_GRID_BL, VG_GRID_BR);
	assert_int_not_equal(VG_GRID_TL, VG_GRID_BR);
	assert_int_not_equal(VG_GRID_TR, VG_GRID_BL);
	free(buf);

	/* a tiny buffer: squares overlap and clip, BR drawn last */
	uint32_t tiny[3 * 2];

	vg_pattern_draw(VG_PATTERN_GRID, tiny, 3, 2, 12);
	for (int i = 0; i < 6; i++)
		assert_int_equal(tiny[i], VG_GRID_BR);
}

static void test_box_clipping(void **state)
{
	const uint32_t w = 10, h = 8, stride = 12 * 4; /* 2 px padding */
	uint32_t buf[12 * 8];

	(void)state;
	for (size_t i = 0; i < 12 * 8; i++)
		buf[i] = 0x11;
	/* negative origin: only x 0..2, y 0..1 remain */
	vg_pattern_draw_box(buf, w, h, stride, -3, -2, 6, 4, 0xaa);
	/* beyond the right and bottom edges: x 8..9, y 6..7 */
	vg_pattern_draw_box(buf, w, h, stride, 8, 6, 100, 100, 0xbb);
	/* entirely outside: no effect */
	vg_pattern_draw_box(buf, w, h, stride, -5, 0, 5, 8, 0xcc);
	vg_pattern_draw_box(buf, w, h, stride, 10, 0, 5, 8, 0xcc);
	vg_pattern_draw_box(buf, w, h, stride, 0, 8, 5, 8, 0xcc);
	vg_pattern_draw_box(buf, w, h, stride, INT32_MIN, INT32_MIN, UINT32_MAX,
			    5, 0xdd); /* rows end far above */
	vg_pattern_draw_box(buf, w, h, stride, 0, 0, 0, 5, 0xdd); /* empty */
	for (uint32_t y = 0; y < 8; y++) {
		for (uint32_t x = 0; x < 12; x++) {
			uint32_t v = px_at(buf, stride, x, y), want = 0x11;

			if (x < 3 && y < 2)
				want = 0xaa;
			else if (x >= 8 && x < 10 && y >= 6)
				want = 0xbb;
			if (v != want)
				fail_msg("(%u,%u) = %#x, want %#x", x, y, v,
					 want);
		}
	}
	/* x = -1 must not write the previous row's padding */
	vg_pattern_draw_box(buf, w, h, stride, -1, 3, 2, 1, 0x99);
	assert_int_equal(px_at(buf, stride, 0, 3), 0x99);
	assert_int_equal(px_at(buf, stride, 1, 3), 0x11);
	assert_int_equal(px_at(buf, stride, 11, 2), 0x11);
	/* a huge box from far negative does reach the buffer */
	vg_pattern_draw_box(buf, w, h, stride, -1000, -1000, 2000, 2000, 0xee);
	assert_int_equal(px_at(buf, stride, 9, 7), 0xee);
	assert_int_equal(px_at(buf, stride, 10, 7), 0x11); /* padding */
}

static void test_compare(void **state)
{
	uint32_t a[4 * 3], b[5 * 3], fx = 0, fy = 0;

	(void)state;
	for (int i = 0; i < 12; i++)
		a[i] = (uint32_t)i * 0x010101;
	for (int y = 0; y < 3; y++) {
		for (int x = 0; x < 4; x++)
			b[y * 5 + x] = a[y * 4 + x];
		b[y * 5 + 4] = 0xdeadbeef; /* padding, not compared */
	}
	assert_int_equal(vg_pixels_compare(a, 16, b, 20, 4, 3, &fx, &fy), 0);
	assert_int_equal(fx, UINT32_MAX);
	assert_int_equal(fy, UINT32_MAX);
	b[1 * 5 + 2] |= 0xff000000; /* top byte ignored */
	assert_int_equal(vg_pixels_compare(a, 16, b, 20, 4, 3, &fx, &fy), 0);
	b[2 * 5 + 0] ^= 1;
	b[1 * 5 + 3] ^= 0x800000;
	b[2 * 5 + 3] ^= 0x000100;
	assert_int_equal(vg_pixels_compare(a, 16, b, 20, 4, 3, &fx, &fy), 3);
	assert_int_equal(fx, 3);
	assert_int_equal(fy, 1);
	assert_int_equal(vg_pixels_compare(a, 16, b, 20, 4, 3, NULL, NULL), 3);
	assert_int_equal(vg_pixels_compare(a, 16, b, 20, 4, 1, &fx, &fy), 0);
}

static void test_scale_nearest(void **state)
{
	const uint32_t src[4] = {0xa, 0xb, 0xc, 0xd};
	uint32_t dst[5 * 4], small[2 * 2];
	static const uint32_t want[4][4] = {{0xa, 0xa, 0xb, 0xb},
					    {0xa, 0xa, 0xb, 0xb},
					    {0xc, 0xc, 0xd, 0xd},
					    {0xc, 0xc, 0xd, 0xd}};

	(void)state;
	for (int i = 0; i < 20; i++)
		dst[i] = 0x77;
	vg_image_scale_nearest(src, 2, 2, dst, 4, 4, 5 * 4);
	for (uint32_t y = 0; y < 4; y++) {
		for (uint32_t x = 0; x < 4; x++)
			assert_int_equal(px_at(dst, 20, x, y), want[y][x]);
		assert_int_equal(px_at(dst, 20, 4, y), 0x77);
	}
	/* and back down 4x4 -> 2x2 picks the top-left of each block */
	uint32_t tight[16];

	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 4; x++)
			tight[y * 4 + x] = y * 16 + x;
	vg_image_scale_nearest(tight, 4, 4, small, 2, 2, 8);
	assert_int_equal(small[0], 0x00);
	assert_int_equal(small[1], 0x02);
	assert_int_equal(small[2], 0x20);
	assert_int_equal(small[3], 0x22);
	/* 4x4 -> 1x1 takes the top-left pixel */
	vg_image_scale_nearest(tight, 4, 4, small, 1, 1, 4);
	assert_int_equal(small[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_roundtrip_1x1),
		cmocka_unit_test(test_png_roundtrip_1366_stride),
		cmocka_unit_test(test_png_read_palette),
		cmocka_unit_test(test_png_read_16bit),
		cmocka_unit_test(test_png_read_gray16_alpha),
		cmocka_unit_test(test_png_read16_hdr_chunks),
		cmocka_unit_test(test_png_read16_draft_spellings),
		cmocka_unit_test(test_png_read16_bad_chunks_and_widening),
		cmocka_unit_test(test_png_hdr_color),
		cmocka_unit_test(test_px16_to_10bit),
		cmocka_unit_test(test_png_read_gray1),
		cmocka_unit_test(test_png_reject_missing),
		cmocka_unit_test(test_png_reject_text),
		cmocka_unit_test(test_png_reject_truncated),
		cmocka_unit_test(test_png_reject_too_large),
		cmocka_unit_test(test_png_write_errors),
		cmocka_unit_test(test_pattern_names),
		cmocka_unit_test(test_pattern_bars),
		cmocka_unit_test(test_pattern_gradient),
		cmocka_unit_test(test_pattern_grid),
		cmocka_unit_test(test_box_clipping),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_scale_nearest),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
