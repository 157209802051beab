// SPDX-License-Identifier: MIT
/* What a head's cursor shows, for tests (vg_sim_get_cursor). */
#include <string.h>

#include "sim_internal.h"

/* Byte positions of A, R, G, B in a pixel of format (names give the byte
 * order in memory); A < 0: no alpha, opaque. */
static void positions(uint32_t format, int pos[4])
{
	static const struct {
		uint32_t format;
		int pos[4];
	} t[] = {
		{VG_FORMAT_B8G8R8A8_UNORM, {3, 2, 1, 0}},
		{VG_FORMAT_B8G8R8X8_UNORM, {-1, 2, 1, 0}},
		{VG_FORMAT_A8R8G8B8_UNORM, {0, 1, 2, 3}},
		{VG_FORMAT_X8R8G8B8_UNORM, {-1, 1, 2, 3}},
		{VG_FORMAT_R8G8B8A8_UNORM, {3, 0, 1, 2}},
		{VG_FORMAT_R8G8B8X8_UNORM, {-1, 0, 1, 2}},
		{VG_FORMAT_A8B8G8R8_UNORM, {0, 3, 2, 1}},
		{VG_FORMAT_X8B8G8R8_UNORM, {-1, 3, 2, 1}},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].format == format) {
			memcpy(pos, t[i].pos, sizeof(t[i].pos));
			return;
		}
	memcpy(pos, t[0].pos, sizeof(t[0].pos));
}

vg_status vg_sim_get_cursor(struct vg_sim *sim, unsigned head,
			    struct vg_sim_cursor *out)
{
	if (head >= VG_MAX_SCANOUTS)
		return VG_E_RANGE;
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&sim->lock);
	const struct sim_cursor *c = &sim->heads[head].cursor;
	out->visible = c->visible;
	out->resource_id = c->resource_id;
	out->hot_x = c->hot_x;
	out->hot_y = c->hot_y;
	out->x = c->x;
	out->y = c->y;
	const struct sim_resource *res = NULL;
	for (res = sim->resources; res && c->resource_id; res = res->next)
		if (res->id == c->resource_id)
			break;
	if (res && c->resource_id) {
		int pos[4];
		positions(res->format, pos);
		out->width = res->width < 64 ? res->width : 64;
		out->height = res->height < 64 ? res->height : 64;
		for (uint32_t y = 0; y < out->height; y++)
			for (uint32_t x = 0; x < out->width; x++) {
				const uint8_t *p =
					res->pixels +
					((size_t)y * res->width + x) * 4;
				uint32_t a = pos[0] < 0 ? 0xff : p[pos[0]];
				out->image[y * 64 + x] =
					a << 24 | (uint32_t)p[pos[1]] << 16 |
					(uint32_t)p[pos[2]] << 8 | p[pos[3]];
			}
	}
	pthread_mutex_unlock(&sim->lock);
	return VG_OK;
}
