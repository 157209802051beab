// SPDX-License-Identifier: MIT
#include "pattern.h"

#include <stddef.h>
#include <string.h>

static inline uint32_t *row_at(uint32_t *px, uint32_t stride, uint32_t y)
{
	return (uint32_t *)(void *)((uint8_t *)px + (size_t)y * stride);
}

static inline const uint32_t *crow_at(const uint32_t *px, uint32_t stride,
				      uint32_t y)
{
	return (const uint32_t *)(const void *)((const uint8_t *)px +
						(size_t)y * stride);
}

static int layout_ok(const uint32_t *px, uint32_t w, uint32_t h,
		     uint32_t stride)
{
	return px && w && h && stride % 4 == 0 && stride >= (uint64_t)w * 4;
}

int vg_pattern_from_name(const char *name, enum vg_pattern *out)
{
	static const struct {
		const char *name;
		enum vg_pattern p;
	} tab[] = {
		{"bars", VG_PATTERN_BARS},
		{"gradient", VG_PATTERN_GRADIENT},
		{"grid", VG_PATTERN_GRID},
	};

	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(name, tab[i].name) == 0) {
			if (out)
				*out = tab[i].p;
			return 0;
		}
	}
	return -1;
}

const char *vg_pattern_names(void)
{
	return "bars|gradient|grid";
}

static void draw_bars(uint32_t *px, uint32_t w, uint32_t h, uint32_t stride)
{
	static const uint32_t bars[8] = {
		0x00ffffff, 0x00ffff00, 0x0000ffff, 0x0000ff00,
		0x00ff00ff, 0x00ff0000, 0x000000ff, 0x00000000,
	};

	for (uint32_t y = 0; y < h; y++) {
		uint32_t *r = row_at(px, stride, y);

		for (uint32_t x = 0; x < w; x++)
			r[x] = bars[(uint64_t)x * 8 / w];
	}
}

/* v * 255 / max, 0 when max is 0; v <= max so the result fits a byte. */
static inline uint32_t ramp(uint64_t v, uint64_t max)
{
	return max ? (uint32_t)(v * 255 / max) : 0;
}

static void draw_gradient(uint32_t *px, uint32_t w, uint32_t h, uint32_t stride)
{
	uint64_t bmax = (uint64_t)w + h - 2;

	for (uint32_t y = 0; y < h; y++) {
		uint32_t *r = row_at(px, stride, y);
		uint32_t g = ramp(y, h - 1);

		for (uint32_t x = 0; x < w; x++)
			r[x] = ramp(x, w - 1) << 16 | g << 8 |
			       ramp((uint64_t)x + y, bmax);
	}
}

static void draw_grid(uint32_t *px, uint32_t w, uint32_t h, uint32_t stride)
{
	const uint32_t c = VG_GRID_CORNER;

	for (uint32_t y = 0; y < h; y++) {
		uint32_t *r = row_at(px, stride, y);
		int hline = y % VG_GRID_SPACING == 0;

		for (uint32_t x = 0; x < w; x++)
			r[x] = hline || x % VG_GRID_SPACING == 0 ? VG_GRID_LINE
								 : VG_GRID_BG;
	}
	/* Far corners computed in int64 so tiny buffers clip naturally. */
	int64_t rx = (int64_t)w - c, by = (int64_t)h - c;

	vg_pattern_draw_box(px, w, h, stride, 0, 0, c, c, VG_GRID_TL);
	vg_pattern_draw_box(px, w, h, stride, (int32_t)rx, 0, c, c, VG_GRID_TR);
	vg_pattern_draw_box(px, w, h, stride, 0, (int32_t)by, c, c, VG_GRID_BL);
	vg_pattern_draw_box(px, w, h, stride, (int32_t)rx, (int32_t)by, c, c,
			    VG_GRID_BR);
}

void vg_pattern_draw(enum vg_pattern p, uint32_t *px, uint32_t w, uint32_t h,
		     uint32_t stride_bytes)
{
	if (!layout_ok(px, w, h, stride_bytes))
		return;
	switch (p) {
	case VG_PATTERN_BARS:
		draw_bars(px, w, h, stride_bytes);
		break;
	case VG_PATTERN_GRADIENT:
		draw_gradient(px, w, h, stride_bytes);
		break;
	case VG_PATTERN_GRID:
		draw_grid(px, w, h, stride_bytes);
		break;
	}
}

void vg_pattern_draw_box(uint32_t *px, uint32_t w, uint32_t h, uint32_t stride,
			 int32_t x, int32_t y, uint32_t bw, uint32_t bh,
			 uint32_t colour)
{
	if (!layout_ok(px, w, h, stride))
		return;
	int64_t x0 = x, y0 = y;
	int64_t x1 = x0 + bw, y1 = y0 + bh;

	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > w)
		x1 = w;
	if (y1 > h)
		y1 = h;
	if (x0 >= x1 || y0 >= y1)
		return;
	for (int64_t yy = y0; yy < y1; yy++) {
		uint32_t *r = row_at(px, stride, (uint32_t)yy);

		for (int64_t xx = x0; xx < x1; xx++)
			r[xx] = colour;
	}
}

uint64_t vg_pixels_compare(const uint32_t *a, uint32_t a_stride,
			   const uint32_t *b, uint32_t b_stride, uint32_t w,
			   uint32_t h, uint32_t *first_x, uint32_t *first_y)
{
	uint64_t n = 0;
	uint32_t fx = UINT32_MAX, fy = UINT32_MAX;

	for (uint32_t y = 0; y < h; y++) {
		const uint32_t *ra = crow_at(a, a_stride, y);
		const uint32_t *rb = crow_at(b, b_stride, y);

		for (uint32_t x = 0; x < w; x++) {
			if (((ra[x] ^ rb[x]) & 0x00ffffffu) == 0)
				continue;
			if (n++ == 0) {
				fx = x;
				fy = y;
			}
		}
	}
	if (first_x)
		*first_x = fx;
	if (first_y)
		*first_y = fy;
	return n;
}

void vg_image_scale_nearest(const uint32_t *src, uint32_t sw, uint32_t sh,
			    uint32_t *dst, uint32_t dw, uint32_t dh,
			    uint32_t dst_stride)
{
	if (!src || !sw || !sh || !layout_ok(dst, dw, dh, dst_stride))
		return;
	for (uint32_t y = 0; y < dh; y++) {
		const uint32_t *s = src + (size_t)((uint64_t)y * sh / dh) * sw;
		uint32_t *d = row_at(dst, dst_stride, y);

		for (uint32_t x = 0; x < dw; x++)
			d[x] = s[(uint64_t)x * sw / dw];
	}
}
