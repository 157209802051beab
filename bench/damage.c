// SPDX-License-Identifier: MIT
/* The damage sequences of the present benchmarks (damage.h). */
#include "damage.h"

#include <string.h>

const char *const bg_pattern_name[BG_PATTERNS] = {"full", "small", "scattered",
						  "scroll", "large"};

struct bg_damage bg_damage_of(enum bg_pattern p, uint32_t w, uint32_t h)
{
	struct bg_damage d = {.n = 1};
	switch (p) {
	case BG_FULL:
		d.r[0] = (struct bg_rect){0, 0, w, h};
		break;
	case BG_SMALL:
		d.r[0] = (struct bg_rect){w / 2 - 60, h / 2 - 15, 120, 30};
		break;
	case BG_SCATTERED:
		d.r[0] = (struct bg_rect){w / 20, h / 20, 2, 20};
		d.r[1] = (struct bg_rect){w - w / 20 - 120, h - h / 20 - 30,
					  120, 30};
		d.n = 2;
		break;
	case BG_SCROLL:
		d.r[0] = (struct bg_rect){w / 5, h / 5, w * 3 / 5, h * 3 / 5};
		break;
	default:
		d.r[0] = (struct bg_rect){w / 10, h / 10, w * 8 / 10,
					  h * 8 / 10};
		break;
	}
	return d;
}

static void fill(uint32_t *px, uint32_t stride, const struct bg_rect *r,
		 uint32_t v)
{
	for (uint32_t y = r->y; y < r->y + r->h; y++)
		for (uint32_t x = r->x; x < r->x + r->w; x++)
			px[(size_t)y * stride + x] = v + x;
}

void bg_draw(enum bg_pattern p, const struct bg_damage *d, uint32_t *px,
	     uint32_t stride, uint32_t frame)
{
	if (p == BG_SCATTERED) {
		/* The caret blinks; the clock's digits change. */
		fill(px, stride, &d->r[0], (frame & 1) ? 0xffffffu : 0);
		fill(px, stride, &d->r[1], frame * 0x010101u);
	} else if (p == BG_SCROLL) {
		const struct bg_rect *r = &d->r[0];
		const uint32_t step = 20;
		for (uint32_t y = r->y; y + step < r->y + r->h; y++)
			memmove(&px[(size_t)y * stride + r->x],
				&px[(size_t)(y + step) * stride + r->x],
				(size_t)r->w * 4);
		struct bg_rect fresh = {r->x, r->y + r->h - step, r->w, step};
		fill(px, stride, &fresh, frame * 0x030201u);
	} else {
		fill(px, stride, &d->r[0], frame * 0x010203u);
	}
}

uint64_t bg_bytes(const struct bg_damage *d)
{
	uint64_t b = 0;
	for (unsigned i = 0; i < d->n; i++)
		b += (uint64_t)d->r[i].w * d->r[i].h * 4;
	return b;
}

struct bg_rect bg_bbox(const struct bg_damage *d)
{
	uint32_t x0 = d->r[0].x, y0 = d->r[0].y;
	uint32_t x1 = x0 + d->r[0].w, y1 = y0 + d->r[0].h;
	for (unsigned i = 1; i < d->n; i++) {
		const struct bg_rect *r = &d->r[i];
		x0 = r->x < x0 ? r->x : x0;
		y0 = r->y < y0 ? r->y : y0;
		x1 = r->x + r->w > x1 ? r->x + r->w : x1;
		y1 = r->y + r->h > y1 ? r->y + r->h : y1;
	}
	return (struct bg_rect){x0, y0, x1 - x0, y1 - y0};
}

uint64_t bg_bbox_bytes(const struct bg_damage *d)
{
	struct bg_rect b = bg_bbox(d);
	return (uint64_t)b.w * b.h * 4;
}
