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

#include <stddef.h>
#include <stdint.h>

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

#endif
