/* SPDX-License-Identifier: MIT */
/*
 * Plain references for present-from-source tests: one pixel at a time,
 * no strides, no cleverness, so they can be read against the spec
 * (include/viogpu/present.h) and disagree with a wrong implementation.
 */
#ifndef VG_TEST_PRESENT_REF_H
#define VG_TEST_PRESENT_REF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "viogpu/present.h"

/* Where source pixel (sx, sy) lands on a fw x fh framebuffer. */
static inline void ref_map(enum vg_rotation rot, uint32_t fw, uint32_t fh,
			   uint32_t sx, uint32_t sy, uint32_t *fx, uint32_t *fy)
{
	switch (rot) {
	case VG_ROTATE_0:
		*fx = sx;
		*fy = sy;
		break;
	case VG_ROTATE_90:
		*fx = sy;
		*fy = fh - 1 - sx;
		break;
	case VG_ROTATE_180:
		*fx = fw - 1 - sx;
		*fy = fh - 1 - sy;
		break;
	default:
		*fx = fw - 1 - sy;
		*fy = sx;
		break;
	}
}

/* One source pixel as 0x00RRGGBB, from its bytes. */
static inline uint32_t ref_decode(enum vg_pixel_format f, const uint8_t *p)
{
	if (f == VG_PIXEL_R8G8B8X8 || f == VG_PIXEL_R8G8B8A8)
		return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* A framebuffer (tightly packed, fw x fh) seen in source orientation. */
struct ref_fb {
	uint32_t *px;
	uint32_t fw, fh;
	enum vg_rotation rot;
};

static inline uint32_t *ref_at(const struct ref_fb *r, uint32_t sx, uint32_t sy)
{
	uint32_t fx, fy;

	ref_map(r->rot, r->fw, r->fh, sx, sy, &fx, &fy);
	return &r->px[fy * r->fw + fx];
}

/* A move: read the whole source block into a temporary, then write it. */
static inline void ref_move(const struct ref_fb *r,
			    const struct vg_move_rect *m)
{
	uint32_t w = m->dst.width, h = m->dst.height;
	uint32_t *tmp = malloc((size_t)w * h * 4 + 4);

	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			tmp[y * w + x] = *ref_at(r, m->src_x + x, m->src_y + y);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			*ref_at(r, m->dst.x + x, m->dst.y + y) = tmp[y * w + x];
	free(tmp);
}

/* A dirty rectangle, clipped to the source. */
static inline void ref_dirty(const struct ref_fb *r,
			     const struct vg_present_source *s,
			     const struct vg_rect *d)
{
	for (uint64_t y = d->y; y < (uint64_t)d->y + d->height; y++)
		for (uint64_t x = d->x; x < (uint64_t)d->x + d->width; x++) {
			if (x >= s->width || y >= s->height)
				continue;
			const uint8_t *p = (const uint8_t *)s->pixels +
					   y * s->pitch + x * 4;
			*ref_at(r, (uint32_t)x, (uint32_t)y) =
				ref_decode(s->format, p);
		}
}

/* Distinct bytes for every source pixel; padding bytes set to 0xEE so a
 * forgotten pitch shows. */
static inline void ref_fill_source(uint8_t *buf, uint32_t w, uint32_t h,
				   uint32_t pitch, uint32_t seed)
{
	memset(buf, 0xee, (size_t)pitch * h);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++) {
			uint32_t i = y * w + x + seed * 7919;
			uint8_t *p = buf + (size_t)y * pitch + x * 4;
			p[0] = (uint8_t)i;
			p[1] = (uint8_t)(i >> 8);
			p[2] = (uint8_t)(0x40 + seed);
			p[3] = (uint8_t)(0x5a ^ i); /* alpha: must not matter */
		}
}

#endif
