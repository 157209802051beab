// SPDX-License-Identifier: MIT
#include "sim_cmds.h"

#include <stdlib.h>
#include <string.h>

#include "sim_edid.h"
#include "sim_internal.h"

#define BPP 4u

/* ---- helpers ---- */

static struct sim_resource *find_resource(struct vg_sim *s, uint32_t id)
{
	for (struct sim_resource *r = s->resources; r; r = r->next)
		if (r->id == id)
			return r;
	return NULL;
}

static bool format_known(uint32_t f)
{
	switch (f) {
	case VG_FORMAT_B8G8R8A8_UNORM:
	case VG_FORMAT_B8G8R8X8_UNORM:
	case VG_FORMAT_A8R8G8B8_UNORM:
	case VG_FORMAT_X8R8G8B8_UNORM:
	case VG_FORMAT_R8G8B8A8_UNORM:
	case VG_FORMAT_X8B8G8R8_UNORM:
	case VG_FORMAT_A8B8G8R8_UNORM:
	case VG_FORMAT_R8G8B8X8_UNORM:
		return true;
	}
	return false;
}

/* Format names give the byte order in memory (B8G8R8X8: B first). */
static uint32_t to_xrgb(uint32_t format, const uint8_t *p)
{
	uint32_t r, g, b;

	switch (format) {
	case VG_FORMAT_A8R8G8B8_UNORM:
	case VG_FORMAT_X8R8G8B8_UNORM:
		r = p[1], g = p[2], b = p[3];
		break;
	case VG_FORMAT_R8G8B8A8_UNORM:
	case VG_FORMAT_R8G8B8X8_UNORM:
		r = p[0], g = p[1], b = p[2];
		break;
	case VG_FORMAT_X8B8G8R8_UNORM:
	case VG_FORMAT_A8B8G8R8_UNORM:
		r = p[3], g = p[2], b = p[1];
		break;
	default: /* B8G8R8A8, B8G8R8X8 */
		r = p[2], g = p[1], b = p[0];
		break;
	}
	return r << 16 | g << 8 | b;
}

/* rect r lies within w x h (no overflow). */
static bool rect_inside(const struct vg_rect *r, uint32_t w, uint32_t h)
{
	return (uint64_t)r->x + r->width <= w &&
	       (uint64_t)r->y + r->height <= h;
}

static uint32_t nodata(uint8_t *resp, uint32_t type)
{
	struct vg_ctrl_hdr h = {.type = type};
	memcpy(resp, &h, sizeof(h));
	return sizeof(h);
}

static void free_backing(struct vg_sim *s, struct sim_resource *res)
{
	if (res->has_backing)
		s->attached_backings--;
	free(res->ents);
	res->ents = NULL;
	res->nents = 0;
	res->backing_bytes = 0;
	res->has_backing = false;
}

static void head_disable(struct sim_head *h)
{
	free(h->image);
	h->image = NULL;
	h->resource_id = 0;
	memset(&h->r, 0, sizeof(h->r));
}

/* Copies rect (clipped to what head shows) from res into head's image. */
static void head_refresh(struct sim_head *h, const struct sim_resource *res,
			 const struct vg_rect *rect)
{
	uint64_t x0 = rect->x > h->r.x ? rect->x : h->r.x;
	uint64_t y0 = rect->y > h->r.y ? rect->y : h->r.y;
	uint64_t x1 = (uint64_t)rect->x + rect->width;
	uint64_t y1 = (uint64_t)rect->y + rect->height;
	uint64_t hx1 = (uint64_t)h->r.x + h->r.width;
	uint64_t hy1 = (uint64_t)h->r.y + h->r.height;

	x1 = x1 < hx1 ? x1 : hx1;
	y1 = y1 < hy1 ? y1 : hy1;
	for (uint64_t y = y0; y < y1; y++) {
		const uint8_t *src = res->pixels + (y * res->width + x0) * BPP;
		uint32_t *dst =
			h->image + (y - h->r.y) * h->r.width + (x0 - h->r.x);
		for (uint64_t x = x0; x < x1; x++, src += BPP)
			*dst++ = to_xrgb(res->format, src);
	}
}

/* Copies len bytes at offset off of the backing to dst.  The caller has
 * checked off + len <= backing_bytes. */
static void backing_read(const struct sim_resource *res, uint64_t off,
			 uint8_t *dst, uint64_t len)
{
	/* Binary search for the run holding off. */
	uint32_t lo = 0, hi = res->nents;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (res->ents[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	for (uint32_t i = lo; len && i < res->nents; i++) {
		const struct sim_backing_ent *e = &res->ents[i];
		uint64_t in = off - e->start;
		if (in >= e->len)
			continue;
		uint64_t n = e->len - in < len ? e->len - in : len;
		memcpy(dst, e->host + in, n);
		dst += n;
		off += n;
		len -= n;
	}
}

/* ---- commands ---- */

static uint32_t get_display_info(struct vg_sim *s, uint8_t *resp)
{
	struct vg_resp_display_info info;

	memset(&info, 0, sizeof(info));
	info.hdr.type = VG_RESP_OK_DISPLAY_INFO;
	for (unsigned i = 0; i < s->cfg.num_scanouts; i++) {
		const struct sim_head *h = &s->heads[i];
		info.pmodes[i].enabled = h->enabled;
		info.pmodes[i].r = (struct vg_rect){0, 0, h->width, h->height};
	}
	memcpy(resp, &info, sizeof(info));
	return sizeof(info);
}

static uint32_t get_edid(struct vg_sim *s, const uint8_t *cmd, size_t len,
			 uint8_t *resp)
{
	struct vg_cmd_get_edid c;
	struct vg_resp_edid r;

	if (len < sizeof(c))
		return nodata(resp, VG_RESP_ERR_UNSPEC);
	memcpy(&c, cmd, sizeof(c));
	if (!(s->driver_features & (1ull << VG_F_EDID)))
		return nodata(resp, VG_RESP_ERR_UNSPEC);
	if (c.scanout >= s->cfg.num_scanouts)
		return nodata(resp, VG_RESP_ERR_INVALID_PARAMETER);
	memset(&r, 0, sizeof(r));
	r.hdr.type = VG_RESP_OK_EDID;
	r.size = s->heads[c.scanout].edid_size;
	memcpy(r.edid, s->heads[c.scanout].edid, r.size);
	memcpy(resp, &r, sizeof(r));
	return sizeof(r);
}

static uint32_t resource_create_2d(struct vg_sim *s, const uint8_t *cmd,
				   size_t len)
{
	struct vg_cmd_resource_create_2d c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	if (c.resource_id == 0 || find_resource(s, c.resource_id))
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	if (!format_known(c.format) || c.width == 0 || c.height == 0)
		return VG_RESP_ERR_INVALID_PARAMETER;
	uint64_t bytes = (uint64_t)c.width * c.height * BPP;
	if (bytes > s->cfg.max_hostmem - s->hostmem_bytes || bytes > SIZE_MAX)
		return VG_RESP_ERR_OUT_OF_MEMORY;
	struct sim_resource *res = calloc(1, sizeof(*res));
	if (!res)
		return VG_RESP_ERR_OUT_OF_MEMORY;
	res->pixels = calloc(1, (size_t)bytes);
	if (!res->pixels) {
		free(res);
		return VG_RESP_ERR_OUT_OF_MEMORY;
	}
	res->id = c.resource_id;
	res->format = c.format;
	res->width = c.width;
	res->height = c.height;
	res->next = s->resources;
	s->resources = res;
	s->live_resources++;
	s->hostmem_bytes += bytes;
	return VG_RESP_OK_NODATA;
}

static void resource_destroy(struct vg_sim *s, struct sim_resource *res)
{
	for (unsigned i = 0; i < VG_MAX_SCANOUTS; i++) {
		if (s->heads[i].resource_id == res->id)
			head_disable(&s->heads[i]);
		if (s->heads[i].cursor.resource_id == res->id)
			s->heads[i].cursor.resource_id = 0;
	}
	for (struct sim_resource **pp = &s->resources; *pp; pp = &(*pp)->next)
		if (*pp == res) {
			*pp = res->next;
			break;
		}
	free_backing(s, res);
	s->hostmem_bytes -= (uint64_t)res->width * res->height * BPP;
	s->live_resources--;
	free(res->pixels);
	free(res);
}

static uint32_t resource_unref(struct vg_sim *s, const uint8_t *cmd, size_t len)
{
	struct vg_cmd_resource_unref c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	struct sim_resource *res = find_resource(s, c.resource_id);
	if (!res)
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	resource_destroy(s, res);
	return VG_RESP_OK_NODATA;
}

static uint32_t set_scanout(struct vg_sim *s, const uint8_t *cmd, size_t len)
{
	struct vg_cmd_set_scanout c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	if (c.scanout_id >= s->cfg.num_scanouts)
		return VG_RESP_ERR_INVALID_SCANOUT_ID;
	struct sim_head *h = &s->heads[c.scanout_id];
	if (c.resource_id == 0) {
		/* The spec allows disabling any scanout (QEMU refuses 0). */
		head_disable(h);
		return VG_RESP_OK_NODATA;
	}
	struct sim_resource *res = find_resource(s, c.resource_id);
	if (!res)
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	if (!c.r.width || !c.r.height ||
	    !rect_inside(&c.r, res->width, res->height))
		return VG_RESP_ERR_INVALID_PARAMETER;
	uint32_t *image = malloc((size_t)c.r.width * c.r.height * BPP);
	if (!image)
		return VG_RESP_ERR_OUT_OF_MEMORY;
	head_disable(h);
	h->image = image;
	h->resource_id = res->id;
	h->r = c.r;
	/* A new scanout shows the resource as it is now. */
	head_refresh(h, res, &c.r);
	return VG_RESP_OK_NODATA;
}

static uint32_t resource_flush(struct vg_sim *s, const uint8_t *cmd, size_t len)
{
	struct vg_cmd_resource_flush c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	struct sim_resource *res = find_resource(s, c.resource_id);
	if (!res)
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	if (!rect_inside(&c.r, res->width, res->height))
		return VG_RESP_ERR_INVALID_PARAMETER;
	for (unsigned i = 0; i < s->cfg.num_scanouts; i++)
		if (s->heads[i].resource_id == res->id)
			head_refresh(&s->heads[i], res, &c.r);
	return VG_RESP_OK_NODATA;
}

static uint32_t transfer_to_host_2d(struct vg_sim *s, const uint8_t *cmd,
				    size_t len)
{
	struct vg_cmd_transfer_to_host_2d c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	struct sim_resource *res = find_resource(s, c.resource_id);
	if (!res)
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	if (!res->has_backing)
		return VG_RESP_ERR_UNSPEC;
	if (!rect_inside(&c.r, res->width, res->height))
		return VG_RESP_ERR_INVALID_PARAMETER;
	if (!c.r.width || !c.r.height)
		return VG_RESP_OK_NODATA;
	uint64_t stride = (uint64_t)res->width * BPP;
	uint64_t row = (uint64_t)c.r.width * BPP;
	uint64_t last = (uint64_t)(c.r.height - 1) * stride + row;
	if (c.offset > res->backing_bytes ||
	    last > res->backing_bytes - c.offset)
		return VG_RESP_ERR_INVALID_PARAMETER;
	for (uint32_t y = 0; y < c.r.height; y++)
		backing_read(res, c.offset + y * stride,
			     res->pixels + (uint64_t)(c.r.y + y) * stride +
				     (uint64_t)c.r.x * BPP,
			     row);
	return VG_RESP_OK_NODATA;
}

static uint32_t attach_backing(struct vg_sim *s, const uint8_t *cmd, size_t len)
{
	struct vg_cmd_resource_attach_backing c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	struct sim_resource *res = find_resource(s, c.resource_id);
	if (!res)
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	if (res->has_backing)
		return VG_RESP_ERR_UNSPEC;
	if (c.nr_entries == 0 || c.nr_entries > s->cfg.max_backing_entries)
		return VG_RESP_ERR_INVALID_PARAMETER;
	if ((len - sizeof(c)) / sizeof(struct vg_mem_entry) < c.nr_entries)
		return VG_RESP_ERR_UNSPEC; /* entries missing */
	struct sim_backing_ent *ents = calloc(c.nr_entries, sizeof(*ents));
	if (!ents)
		return VG_RESP_ERR_OUT_OF_MEMORY;
	uint64_t total = 0;
	for (uint32_t i = 0; i < c.nr_entries; i++) {
		struct vg_mem_entry e;
		memcpy(&e, cmd + sizeof(c) + i * sizeof(e), sizeof(e));
		uint8_t *host =
			vgp_pagemem_device_view(s->mem, e.addr, e.length);
		if (!host) {
			sim_log(s, VG_LOG_DEBUG,
				"attach %u: entry %u (0x%llx, %u) is not "
				"guest memory",
				c.resource_id, i, (unsigned long long)e.addr,
				e.length);
			free(ents);
			return VG_RESP_ERR_UNSPEC;
		}
		ents[i] =
			(struct sim_backing_ent){e.addr, e.length, total, host};
		total += e.length;
	}
	res->ents = ents;
	res->nents = c.nr_entries;
	res->backing_bytes = total;
	res->has_backing = true;
	s->attached_backings++;
	return VG_RESP_OK_NODATA;
}

static uint32_t detach_backing(struct vg_sim *s, const uint8_t *cmd, size_t len)
{
	struct vg_cmd_resource_detach_backing c;

	if (len < sizeof(c))
		return VG_RESP_ERR_UNSPEC;
	memcpy(&c, cmd, sizeof(c));
	struct sim_resource *res = find_resource(s, c.resource_id);
	if (!res)
		return VG_RESP_ERR_INVALID_RESOURCE_ID;
	if (!res->has_backing)
		return VG_RESP_ERR_UNSPEC;
	free_backing(s, res);
	return VG_RESP_OK_NODATA;
}

uint32_t sim_cmd_execute(struct vg_sim *s, const uint8_t *cmd, size_t len,
			 uint8_t *resp)
{
	struct vg_ctrl_hdr h;

	if (len < sizeof(h))
		return nodata(resp, VG_RESP_ERR_UNSPEC);
	memcpy(&h, cmd, sizeof(h));
	switch (h.type) {
	case VG_CMD_GET_DISPLAY_INFO:
		return get_display_info(s, resp);
	case VG_CMD_GET_EDID:
		return get_edid(s, cmd, len, resp);
	case VG_CMD_RESOURCE_CREATE_2D:
		return nodata(resp, resource_create_2d(s, cmd, len));
	case VG_CMD_RESOURCE_UNREF:
		return nodata(resp, resource_unref(s, cmd, len));
	case VG_CMD_SET_SCANOUT:
		return nodata(resp, set_scanout(s, cmd, len));
	case VG_CMD_RESOURCE_FLUSH:
		return nodata(resp, resource_flush(s, cmd, len));
	case VG_CMD_TRANSFER_TO_HOST_2D:
		return nodata(resp, transfer_to_host_2d(s, cmd, len));
	case VG_CMD_RESOURCE_ATTACH_BACKING:
		return nodata(resp, attach_backing(s, cmd, len));
	case VG_CMD_RESOURCE_DETACH_BACKING:
		return nodata(resp, detach_backing(s, cmd, len));
	default:
		sim_log(s, VG_LOG_DEBUG, "unsupported command 0x%04x", h.type);
		return nodata(resp, VG_RESP_ERR_UNSPEC);
	}
}

void sim_cursor_execute(struct vg_sim *s, const uint8_t *cmd, size_t len)
{
	struct vg_cmd_update_cursor c;

	if (len < sizeof(c)) {
		sim_log(s, VG_LOG_DEBUG, "cursor command of %zu bytes", len);
		return;
	}
	memcpy(&c, cmd, sizeof(c));
	if (c.pos.scanout_id >= s->cfg.num_scanouts) {
		sim_log(s, VG_LOG_DEBUG, "cursor on scanout %u ignored",
			c.pos.scanout_id);
		return;
	}
	struct sim_cursor *cur = &s->heads[c.pos.scanout_id].cursor;
	if (c.hdr.type == VG_CMD_UPDATE_CURSOR) {
		struct sim_resource *res = find_resource(s, c.resource_id);
		cur->resource_id = res ? res->id : 0;
		cur->visible = res != NULL;
		cur->hot_x = c.hot_x;
		cur->hot_y = c.hot_y;
		if (c.resource_id && !res)
			sim_log(s, VG_LOG_DEBUG, "cursor resource %u unknown",
				c.resource_id);
	} else if (c.hdr.type != VG_CMD_MOVE_CURSOR) {
		sim_log(s, VG_LOG_DEBUG, "cursor queue: command 0x%04x",
			c.hdr.type);
		return;
	}
	cur->x = c.pos.x;
	cur->y = c.pos.y;
}

void sim_cmds_reset(struct vg_sim *s)
{
	while (s->resources)
		resource_destroy(s, s->resources);
	for (unsigned i = 0; i < VG_MAX_SCANOUTS; i++) {
		head_disable(&s->heads[i]);
		memset(&s->heads[i].cursor, 0, sizeof(s->heads[i].cursor));
	}
}

void sim_head_set_mode(struct vg_sim *s, unsigned head, bool enabled,
		       uint32_t width, uint32_t height)
{
	struct sim_head *h = &s->heads[head];

	h->enabled = enabled;
	h->width = width ? width : 1024;
	h->height = height ? height : 768;
	if (!h->edid_given) {
		sim_edid_build(h->edid, h->width, h->height, head + 1);
		h->edid_size = SIM_EDID_BYTES;
	}
}

void sim_head_set_edid(struct vg_sim *s, unsigned head, const uint8_t *bytes,
		       uint32_t len)
{
	struct sim_head *h = &s->heads[head];

	memset(h->edid, 0, sizeof(h->edid));
	memcpy(h->edid, bytes, len);
	h->edid_size = len;
	h->edid_given = true;
}

vg_status sim_head_screendump(struct vg_sim *s, unsigned head,
			      uint32_t **pixels, uint32_t *width,
			      uint32_t *height)
{
	*pixels = NULL;
	if (head >= s->cfg.num_scanouts || !s->heads[head].image)
		return VG_E_INVAL;
	const struct sim_head *h = &s->heads[head];
	size_t bytes = (size_t)h->r.width * h->r.height * BPP;
	*pixels = malloc(bytes);
	if (!*pixels)
		return VG_E_NOMEM;
	memcpy(*pixels, h->image, bytes);
	*width = h->r.width;
	*height = h->r.height;
	return VG_OK;
}
