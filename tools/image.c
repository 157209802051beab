// SPDX-License-Identifier: MIT
/*
 * PNG (libpng) and PPM helpers. All libpng work that may longjmp runs in
 * helpers whose state lives in a struct owned by the caller, so nothing the
 * cleanup path needs is a clobberable local of the function calling setjmp.
 */
#include "image.h"
#include "image_internal.h"
#include "viogpu/format.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- shared libpng plumbing ---- */

struct png_io {
	FILE *fp;
	char msg[160]; /* first error, set before any longjmp */
};

static void io_set_msg(struct png_io *io, const char *msg)
{
	if (io->msg[0] == '\0')
		snprintf(io->msg, sizeof(io->msg), "%s", msg);
}

static void png_err_cb(png_structp png, png_const_charp msg)
{
	io_set_msg(png_get_error_ptr(png), msg ? msg : "libpng error");
	png_longjmp(png, 1);
}

static void png_warn_cb(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg; /* benign (bad ancillary chunk and the like): ignored */
}

static void png_read_cb(png_structp png, png_bytep data, size_t len)
{
	struct png_io *io = png_get_io_ptr(png);

	if (fread(data, 1, len, io->fp) != len) {
		if (ferror(io->fp))
			io_set_msg(io, strerror(errno ? errno : EIO));
		else
			io_set_msg(io,
				   "unexpected end of file (truncated PNG)");
		png_longjmp(png, 1);
	}
}

static void png_write_cb(png_structp png, png_bytep data, size_t len)
{
	struct png_io *io = png_get_io_ptr(png);

	if (fwrite(data, 1, len, io->fp) != len) {
		io_set_msg(io, strerror(errno ? errno : EIO));
		png_longjmp(png, 1);
	}
}

static void png_flush_cb(png_structp png)
{
	struct png_io *io = png_get_io_ptr(png);

	if (fflush(io->fp) != 0) {
		io_set_msg(io, strerror(errno ? errno : EIO));
		png_longjmp(png, 1);
	}
}

static inline const uint32_t *crow(const uint32_t *px, uint32_t stride,
				   uint32_t y)
{
	return (const uint32_t *)((const uint8_t *)px + (size_t)y * stride);
}

/* ---- writer ---- */

struct png_wr {
	struct png_io io;
	png_structp png;
	png_infop info;
	png_bytep row; /* one RGB row, owned */
	const uint32_t *px;
	uint32_t w, h, stride;
};

/* May longjmp out through png_err_cb and the I/O callbacks. */
static void png_write_body(struct png_wr *s)
{
	png_set_write_fn(s->png, &s->io, png_write_cb, png_flush_cb);
	png_set_IHDR(s->png, s->info, s->w, s->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(s->png, s->info);
	for (uint32_t y = 0; y < s->h; y++) {
		const uint32_t *src = crow(s->px, s->stride, y);

		for (uint32_t x = 0; x < s->w; x++) {
			s->row[3 * x + 0] = (png_byte)(src[x] >> 16);
			s->row[3 * x + 1] = (png_byte)(src[x] >> 8);
			s->row[3 * x + 2] = (png_byte)src[x];
		}
		png_write_row(s->png, s->row);
	}
	png_write_end(s->png, s->info);
}

static int png_write_guarded(struct png_wr *s)
{
	if (setjmp(png_jmpbuf(s->png)))
		return -1;
	png_write_body(s);
	return 0;
}

int vg_png_write(const char *path, const uint32_t *px, uint32_t w, uint32_t h,
		 uint32_t stride_bytes, char *err, size_t errlen)
{
	struct png_wr s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	if (!path || !px) {
		vg_image_set_err(err, errlen, "cannot write PNG: no %s",
				 path ? "pixels" : "path");
		return -1;
	}
	if (w == 0 || h == 0 || w > VG_IMAGE_MAX_DIM || h > VG_IMAGE_MAX_DIM) {
		vg_image_set_err(
			err, errlen,
			"cannot write '%s': image size %ux%u out of range "
			"(1..%u)",
			path, w, h, VG_IMAGE_MAX_DIM);
		return -1;
	}
	if (stride_bytes < (uint64_t)w * 4 || stride_bytes % 4 != 0) {
		vg_image_set_err(
			err, errlen,
			"cannot write '%s': bad stride %u for width %u", path,
			stride_bytes, w);
		return -1;
	}
	s.px = px;
	s.w = w;
	s.h = h;
	s.stride = stride_bytes;

	/* On failure only a file this call created is removed: never what
	 * was there before (a device node such as /dev/full included). */
	struct stat before;
	bool existed = stat(path, &before) == 0;
	s.io.fp = fopen(path, "wb");
	if (!s.io.fp) {
		vg_image_set_err(err, errlen, "cannot write '%s': %s", path,
				 strerror(errno));
		return -1;
	}
	s.row = malloc((size_t)w * 3);
	s.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &s.io,
					png_err_cb, png_warn_cb);
	if (s.png)
		s.info = png_create_info_struct(s.png);
	if (!s.row || !s.png || !s.info) {
		io_set_msg(&s.io, "out of memory");
		goto out;
	}
	if (png_write_guarded(&s) == 0)
		rc = 0;
out:
	if (s.png)
		png_destroy_write_struct(&s.png, s.info ? &s.info : NULL);
	free(s.row);
	if (fclose(s.io.fp) != 0 && rc == 0) {
		io_set_msg(&s.io, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		if (!existed)
			remove(path);
		vg_image_set_err(err, errlen, "cannot write '%s': %s", path,
				 s.io.msg[0] ? s.io.msg : "libpng error");
	}
	return rc;
}

/* ---- reader ---- */

struct png_rd {
	struct png_io io;
	png_structp png;
	png_infop info;
	bool keep16;	 /* vg_png_read16: 16-bit R,G,B,X */
	uint8_t *out;	 /* w * h * (keep16 ? 8 : 4) bytes, owned until
			    handed over */
	png_bytep *rows; /* h row pointers into out, owned */
	uint32_t w, h;
	struct vg_png_hdr hdr; /* the HDR chunks seen */
};

static uint16_t be16(const png_byte *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const png_byte *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * libpng's unknown-chunk callback: the PNG 3rd edition HDR chunks (and
 * the draft spellings).  Returns 1 for those (handled), 0 for the rest
 * (libpng's default: ancillary ones dropped, critical ones an error).
 */
static int hdr_chunk_cb(png_structp png, png_unknown_chunkp c)
{
	struct vg_png_hdr *h = png_get_user_chunk_ptr(png);
	const char *name = (const char *)c->name;
	const png_byte *d = c->data;

	if (!strcmp(name, "cICP")) {
		if (c->size == 4 && !h->has_cicp) {
			h->has_cicp = true;
			h->cicp_primaries = d[0];
			h->cicp_transfer = d[1];
			h->cicp_matrix = d[2];
			h->cicp_full_range = d[3];
		}
		return 1;
	}
	if (!strcmp(name, "mDCV") || !strcmp(name, "mDCv")) {
		bool draft = name[3] == 'v';

		if (c->size == 24 &&
		    (!h->has_mdcv || (h->mdcv_draft && !draft))) {
			h->has_mdcv = true;
			h->mdcv_draft = draft;
			for (int i = 0; i < 3; i++)
				for (int k = 0; k < 2; k++)
					h->mdcv_primaries[i][k] =
						be16(d + 4 * i + 2 * k);
			h->mdcv_white[0] = be16(d + 12);
			h->mdcv_white[1] = be16(d + 14);
			h->mdcv_max_luminance = be32(d + 16);
			h->mdcv_min_luminance = be32(d + 20);
		}
		return 1;
	}
	if (!strcmp(name, "cLLI") || !strcmp(name, "cLLi")) {
		bool draft = name[3] == 'i';

		if (c->size == 8 &&
		    (!h->has_clli || (h->clli_draft && !draft))) {
			h->has_clli = true;
			h->clli_draft = draft;
			h->max_cll = be32(d);
			h->max_fall = be32(d + 4);
		}
		return 1;
	}
	return 0;
}

/* May longjmp out through png_err_cb and png_read_cb. */
static void png_read_body(struct png_rd *s)
{
	png_uint_32 w, h;
	int depth, ctype, ilace;

	/* The HDR chunks, as unknown chunks even where a newer libpng
	 * knows cICP. */
	static const png_byte hdr_chunks[] = "cICP\0mDCV\0mDCv\0cLLI\0cLLi";

	png_set_read_fn(s->png, &s->io, png_read_cb);
	png_set_sig_bytes(s->png, 8);
	png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_ALWAYS, hdr_chunks,
				    5);
	png_set_read_user_chunk_fn(s->png, &s->hdr, hdr_chunk_cb);
	png_read_info(s->png, s->info);
	png_get_IHDR(s->png, s->info, &w, &h, &depth, &ctype, &ilace, NULL,
		     NULL);
	if (w == 0 || h == 0 || w > VG_IMAGE_MAX_DIM || h > VG_IMAGE_MAX_DIM) {
		char msg[96];

		snprintf(msg, sizeof(msg), "image %lux%lu is larger than %ux%u",
			 (unsigned long)w, (unsigned long)h, VG_IMAGE_MAX_DIM,
			 VG_IMAGE_MAX_DIM);
		png_error(s->png, msg);
	}

	/*
	 * Normalise to 8-bit R,G,B,X bytes: palette -> RGB, gray < 8 bits ->
	 * 8 bits, tRNS -> alpha, 16 -> 8 bits, gray -> RGB. Images with alpha
	 * keep their alpha byte as the fourth byte, which is then ignored
	 * (alpha dropped, colours not composited); others get a filler byte.
	 */
	const unsigned bytes = s->keep16 ? 8 : 4; /* per pixel */

	png_set_expand(s->png);
	if (s->keep16) {
		png_set_expand_16(s->png); /* exact: v * 65535 / max */
		png_set_swap(s->png);	   /* host-order uint16_t */
	} else {
#ifdef PNG_READ_SCALE_16_TO_8_SUPPORTED
		png_set_scale_16(s->png);
#else
		png_set_strip_16(s->png);
#endif
	}
	png_set_gray_to_rgb(s->png);
	if (!(ctype & PNG_COLOR_MASK_ALPHA) &&
	    !png_get_valid(s->png, s->info, PNG_INFO_tRNS))
		png_set_filler(s->png, s->keep16 ? 0xffff : 0,
			       PNG_FILLER_AFTER);
	png_set_interlace_handling(s->png);
	png_read_update_info(s->png, s->info);
	if (png_get_bit_depth(s->png, s->info) != (s->keep16 ? 16 : 8) ||
	    png_get_channels(s->png, s->info) != 4 ||
	    png_get_rowbytes(s->png, s->info) != (size_t)w * bytes)
		png_error(s->png, "unsupported PNG layout after conversion");

	s->out = malloc((size_t)w * h * bytes);
	s->rows = malloc(sizeof(*s->rows) * h);
	if (!s->out || !s->rows)
		png_error(s->png, "out of memory");
	for (uint32_t y = 0; y < h; y++)
		s->rows[y] = s->out + (size_t)y * w * bytes;
	png_read_image(s->png, s->rows);
	png_read_end(s->png, NULL); /* catches truncation after the IDATs */
	s->w = w;
	s->h = h;
}

static int png_read_guarded(struct png_rd *s)
{
	if (setjmp(png_jmpbuf(s->png)))
		return -1;
	png_read_body(s);
	return 0;
}

/* Reads path into s (s->keep16 chosen by the caller); on failure frees
 * what it allocated and puts the message in err. */
static int png_read_file(struct png_rd *sp, const char *path, char *err,
			 size_t errlen)
{
	struct png_rd s = *sp;
	png_byte sig[8];
	size_t got;
	int rc = -1;

	s.io.fp = fopen(path, "rb");
	if (!s.io.fp) {
		vg_image_set_err(err, errlen, "cannot read '%s': %s", path,
				 strerror(errno));
		return -1;
	}
	got = fread(sig, 1, sizeof(sig), s.io.fp);
	if (got != sizeof(sig) || png_sig_cmp(sig, 0, sizeof(sig)) != 0) {
		if (ferror(s.io.fp))
			io_set_msg(&s.io, strerror(errno ? errno : EIO));
		else
			io_set_msg(&s.io, "not a PNG file");
		goto out;
	}
	s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s.io, png_err_cb,
				       png_warn_cb);
	if (s.png)
		s.info = png_create_info_struct(s.png);
	if (!s.png || !s.info) {
		io_set_msg(&s.io, "out of memory");
		goto out;
	}
	if (png_read_guarded(&s) == 0)
		rc = 0;
out:
	if (s.png)
		png_destroy_read_struct(&s.png, s.info ? &s.info : NULL, NULL);
	fclose(s.io.fp);
	free(s.rows);
	if (rc != 0) {
		free(s.out);
		vg_image_set_err(err, errlen, "cannot read '%s': %s", path,
				 s.io.msg[0] ? s.io.msg : "libpng error");
		return -1;
	}
	s.rows = NULL; /* freed above */
	*sp = s;
	return 0;
}

int vg_png_read16(const char *path, uint16_t **px, uint32_t *w, uint32_t *h,
		  struct vg_png_hdr *hdr, char *err, size_t errlen)
{
	struct png_rd s;

	memset(&s, 0, sizeof(s));
	if (!path || !px || !w || !h) {
		vg_image_set_err(err, errlen, "cannot read PNG: bad arguments");
		return -1;
	}
	s.keep16 = true;
	if (png_read_file(&s, path, err, errlen) != 0)
		return -1;
	*px = (uint16_t *)(void *)s.out;
	*w = s.w;
	*h = s.h;
	if (hdr)
		*hdr = s.hdr;
	return 0;
}

int vg_png_read(const char *path, uint32_t **px, uint32_t *w, uint32_t *h,
		char *err, size_t errlen)
{
	struct png_rd s;

	memset(&s, 0, sizeof(s));
	if (!path || !px || !w || !h) {
		vg_image_set_err(err, errlen, "cannot read PNG: bad arguments");
		return -1;
	}
	if (png_read_file(&s, path, err, errlen) != 0)
		return -1;

	/* R,G,B,X bytes -> 0x00RRGGBB in place (same index: read first). */
	uint32_t *dst = (uint32_t *)(void *)s.out;
	size_t n = (size_t)s.w * s.h;

	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = s.out + i * 4;

		dst[i] = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	}
	*px = dst;
	*w = s.w;
	*h = s.h;
	return 0;
}
