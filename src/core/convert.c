// SPDX-License-Identifier: MIT
/*
 * Converters for the 32-bit formats.  Each reads bytes, not uint32_t, so
 * the source needs no alignment and the byte order of the host does not
 * matter; when step is the pixel size the loop is a straight walk the
 * compiler vectorizes (the common unrotated case), otherwise it strides.
 */
#include "convert.h"

#include <string.h>

/* Byte positions of red, green and blue within a 4-byte pixel. */
#define RGB(src, r, g, b)                                                      \
	((uint32_t)(src)[r] << 16 | (uint32_t)(src)[g] << 8 |                  \
	 (uint32_t)(src)[b])

/* Folded to a constant by the compiler. */
static bool host_little_endian(void)
{
	const uint32_t one = 1;
	uint8_t b;

	memcpy(&b, &one, 1);
	return b == 1;
}

static void row_bgrx(const void *ctx, uint32_t *dst, const uint8_t *src,
		     ptrdiff_t step, uint32_t n)
{
	(void)ctx;
	if (step == 4 && host_little_endian()) {
		/* The framebuffer's own layout: copy, then clear X. */
		memcpy(dst, src, (size_t)n * 4);
		for (uint32_t i = 0; i < n; i++)
			dst[i] &= 0x00ffffffu;
		return;
	}
	for (uint32_t i = 0; i < n; i++, src += step)
		dst[i] = RGB(src, 2, 1, 0);
}

/* 10-bit SDR (sRGB-encoded) code to 8 bits, rounded: c * 255 / 1023 is
 * never exactly half-way, so this is round-to-nearest without ties (and
 * what the HDR module's sdr10 table holds). */
static inline uint32_t c10to8(uint32_t c)
{
	return (c * 255u + 511u) / 1023u;
}

static uint32_t load32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* R10G10B10A2 (R low) or B10G10R10A2 (B low), alpha ignored. */
static inline uint32_t px10(const uint8_t *src, int b_low)
{
	uint32_t w = load32le(src);
	uint32_t lo = c10to8(w & 0x3ff), g = c10to8(w >> 10 & 0x3ff);
	uint32_t hi = c10to8(w >> 20 & 0x3ff);

	return b_low ? hi << 16 | g << 8 | lo : lo << 16 | g << 8 | hi;
}

static void row_r10(const void *ctx, uint32_t *dst, const uint8_t *src,
		    ptrdiff_t step, uint32_t n)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++, src += step)
		dst[i] = px10(src, 0);
}

static void row_b10(const void *ctx, uint32_t *dst, const uint8_t *src,
		    ptrdiff_t step, uint32_t n)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++, src += step)
		dst[i] = px10(src, 1);
}

static void row_rgbx(const void *ctx, uint32_t *dst, const uint8_t *src,
		     ptrdiff_t step, uint32_t n)
{
	(void)ctx;
	if (step == 4) {
		for (uint32_t i = 0; i < n; i++)
			dst[i] = RGB(src + (size_t)i * 4, 0, 1, 2);
		return;
	}
	for (uint32_t i = 0; i < n; i++, src += step)
		dst[i] = RGB(src, 0, 1, 2);
}

bool vg_converter_for_format(enum vg_pixel_format format,
			     struct vg_converter *out)
{
	switch (format) {
	case VG_PIXEL_B8G8R8X8:
	case VG_PIXEL_B8G8R8A8:
		/* Alpha is dropped: the scanout has no one to blend with. */
		*out = (struct vg_converter){row_bgrx, NULL};
		return true;
	case VG_PIXEL_R8G8B8X8:
	case VG_PIXEL_R8G8B8A8:
		*out = (struct vg_converter){row_rgbx, NULL};
		return true;
	case VG_PIXEL_R10G10B10A2:
	case VG_PIXEL_R10G10B10X2:
		*out = (struct vg_converter){row_r10, NULL};
		return true;
	case VG_PIXEL_B10G10R10A2:
		*out = (struct vg_converter){row_b10, NULL};
		return true;
	case VG_PIXEL_R16G16B16A16_FLOAT:
		break; /* scRGB: only through a head's HDR tables */
	}
	return false;
}

uint32_t vg_format_bytes(enum vg_pixel_format format)
{
	switch (format) {
	case VG_PIXEL_B8G8R8X8:
	case VG_PIXEL_B8G8R8A8:
	case VG_PIXEL_R8G8B8X8:
	case VG_PIXEL_R8G8B8A8:
	case VG_PIXEL_R10G10B10A2:
	case VG_PIXEL_R10G10B10X2:
	case VG_PIXEL_B10G10R10A2:
		return 4;
	case VG_PIXEL_R16G16B16A16_FLOAT:
		return 8;
	}
	return 0;
}
