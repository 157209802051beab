// SPDX-License-Identifier: MIT
/* viogpu-view's geometry (view_map.h). */
#include "view_map.h"

#include <stdlib.h>
#include <string.h>

void view_fit(uint32_t head_w, uint32_t head_h, uint32_t max_w, uint32_t max_h,
	      uint32_t *win_w, uint32_t *win_h)
{
	uint64_t w = head_w, h = head_h;

	if (max_w && w > max_w) { /* width decides: h scaled by max_w / w */
		h = h * max_w / w;
		w = max_w;
	}
	if (max_h && h > max_h) {
		w = (uint64_t)head_w * max_h / head_h;
		h = max_h;
		if (max_w && w > max_w)
			w = max_w;
	}
	*win_w = w ? (uint32_t)w : 1;
	*win_h = h ? (uint32_t)h : 1;
}

/* floor(a * b / c) for any a and b, c > 0, exact in 64 bits here
 * (|a| < 2^31, b <= 2^14). */
static int64_t floor_muldiv(int64_t a, int64_t b, int64_t c)
{
	int64_t n = a * b;
	int64_t q = n / c;
	if ((n % c) && (n < 0))
		q--;
	return q;
}

static int64_t ceil_muldiv(int64_t a, int64_t b, int64_t c)
{
	return -floor_muldiv(-a, b, c);
}

void view_to_head(const struct view_map *m, int32_t wx, int32_t wy, int32_t *hx,
		  int32_t *hy)
{
	*hx = (int32_t)floor_muldiv(wx, m->head_w, m->win_w);
	*hy = (int32_t)floor_muldiv(wy, m->head_h, m->win_h);
}

struct view_rect view_head_to_win(const struct view_map *m, struct view_rect r)
{
	/* floor(wx * hw / ww) >= x0  <=>  wx >= ceil(x0 * ww / hw), and
	 * floor(wx * hw / ww) <  x1  <=>  wx <  ceil(x1 * ww / hw). */
	struct view_rect w = {
		ceil_muldiv(r.x0, m->win_w, m->head_w),
		ceil_muldiv(r.y0, m->win_h, m->head_h),
		ceil_muldiv(r.x1, m->win_w, m->head_w),
		ceil_muldiv(r.y1, m->win_h, m->head_h),
	};
	if (w.x0 < 0)
		w.x0 = 0;
	if (w.y0 < 0)
		w.y0 = 0;
	if (w.x1 > m->win_w)
		w.x1 = m->win_w;
	if (w.y1 > m->win_h)
		w.y1 = m->win_h;
	return w;
}

void view_scale(const struct view_map *m, const uint32_t *src, size_t src_pitch,
		uint32_t *dst, size_t dst_pitch, struct view_rect r)
{
	for (int64_t wy = r.y0; wy < r.y1; wy++) {
		size_t hy = (size_t)((uint64_t)wy * m->head_h / m->win_h);
		const uint32_t *s =
			(const uint32_t *)((const char *)src + hy * src_pitch);
		uint32_t *d =
			(uint32_t *)((char *)dst + (size_t)wy * dst_pitch);
		if (m->win_w == m->head_w) {
			memcpy(d + r.x0, s + r.x0, 4 * (size_t)(r.x1 - r.x0));
			continue;
		}
		for (int64_t wx = r.x0; wx < r.x1; wx++)
			d[wx] = s[(uint64_t)wx * m->head_w / m->win_w];
	}
}

int view_parse_size(const char *s, uint32_t *w, uint32_t *h)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (*end != 'x' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || a < 1 || b < 1 || a > 16384 || b > 16384)
		return -1;
	*w = (uint32_t)a;
	*h = (uint32_t)b;
	return 0;
}
