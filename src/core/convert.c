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
		return 4;
	}
	return 0; /* FP16 formats will say 8 here */
}
