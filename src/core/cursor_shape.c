// SPDX-License-Identifier: MIT
/*
 * Cursor shapes to ARGB.  Rows are read with the caller's pitch, bytes
 * one at a time (no alignment assumed, host byte order irrelevant).
 */
#include "cursor_shape.h"

#include <string.h>

#define OPAQUE 0xff000000u
#define RGB_MASK 0x00ffffffu

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool one_kind(uint32_t flags)
{
	return flags == VG_CURSOR_MONOCHROME || flags == VG_CURSOR_COLOR ||
	       flags == VG_CURSOR_MASKED_COLOR;
}

/* Rows of the visible cursor (a monochrome bitmap holds two masks). */
static uint32_t cursor_rows(const struct vg_cursor_shape *s)
{
	return s->flags == VG_CURSOR_MONOCHROME ? s->height / 2 : s->height;
}

vg_status vg_cursor_shape_check(const struct vg_cursor_shape *s)
{
	if (!s || !one_kind(s->flags) || !s->bits)
		return VG_E_INVAL;
	if (s->flags == VG_CURSOR_MONOCHROME && s->height % 2)
		return VG_E_INVAL;
	uint32_t rows = cursor_rows(s);
	if (!s->width || s->width > VG_CURSOR_MAX || !rows ||
	    rows > VG_CURSOR_MAX)
		return VG_E_RANGE;
	uint32_t row_bytes = s->flags == VG_CURSOR_MONOCHROME
				     ? (s->width + 7) / 8
				     : s->width * 4;
	if (s->pitch < row_bytes)
		return VG_E_INVAL;
	if (s->hot_x >= s->width || s->hot_y >= rows)
		return VG_E_RANGE;
	if (s->flags != VG_CURSOR_MASKED_COLOR)
		return VG_OK;
	/* Windows promises masks of 0x00 or 0xFF only; anything else is a
	 * shape we would have to guess at. */
	for (uint32_t y = 0; y < rows; y++) {
		const uint8_t *row =
			(const uint8_t *)s->bits + (size_t)y * s->pitch;
		for (uint32_t x = 0; x < s->width; x++) {
			uint8_t m = row[x * 4 + 3];
			if (m != 0x00 && m != 0xff)
				return VG_E_INVAL;
		}
	}
	return VG_OK;
}

static bool bit(const uint8_t *row, uint32_t x)
{
	return row[x / 8] >> (7 - x % 8) & 1;
}

static uint32_t mono_pixel(bool and_bit, bool xor_bit)
{
	if (!and_bit)
		return xor_bit ? OPAQUE | RGB_MASK : OPAQUE; /* white, black */
	/* Screen kept (transparent), or inverted: shown as the inverse of
	 * white, which is black. */
	return xor_bit ? OPAQUE : 0;
}

static uint32_t masked_pixel(uint32_t v)
{
	uint32_t rgb = v & RGB_MASK;

	if (!(v >> 24))
		return OPAQUE | rgb; /* replaces the screen */
	if (!rgb)
		return 0;		   /* XOR with 0 keeps the screen */
	return OPAQUE | (~rgb & RGB_MASK); /* as over white */
}

vg_status vg_cursor_shape_to_argb(const struct vg_cursor_shape *s,
				  uint32_t image[VG_CURSOR_MAX * VG_CURSOR_MAX])
{
	vg_status st = vg_cursor_shape_check(s);
	if (st != VG_OK)
		return st;
	const uint8_t *bits = s->bits;
	uint32_t rows = cursor_rows(s);

	memset(image, 0, VG_CURSOR_MAX * VG_CURSOR_MAX * sizeof(*image));
	for (uint32_t y = 0; y < rows; y++) {
		const uint8_t *row = bits + (size_t)y * s->pitch;
		uint32_t *dst = image + y * VG_CURSOR_MAX;
		for (uint32_t x = 0; x < s->width; x++) {
			switch (s->flags) {
			case VG_CURSOR_MONOCHROME: {
				const uint8_t *xrow =
					row + (size_t)rows * s->pitch;
				dst[x] = mono_pixel(bit(row, x), bit(xrow, x));
				break;
			}
			case VG_CURSOR_COLOR:
				dst[x] = load32(row + x * 4);
				break;
			default:
				dst[x] = masked_pixel(load32(row + x * 4));
				break;
			}
		}
	}
	return VG_OK;
}
