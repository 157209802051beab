// SPDX-License-Identifier: MIT
/* Every virtio-gpu command, over one skeleton (see commands.h). */
#include "commands.h"

#include <string.h>

#include "gpu_internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "viogpu's wire structs assume a little-endian CPU"
#endif

/* The wire is little-endian; so is every CPU we build for (checked above),
 * and these mark each field that goes onto it. */
static inline uint32_t le32(uint32_t v)
{
	return v;
}

static inline uint64_t le64(uint64_t v)
{
	return v;
}

#define ENTRY_MAX_LEN 0x80000000ull /* entry length is 32 bits on the wire */

uint32_t vg_backing_entries(const struct vg_dma *dma, uint64_t bytes,
			    struct vg_mem_entry *entries, uint32_t max)
{
	uint32_t n = 0;
	uint64_t left = bytes, cur_addr = 0, cur_len = 0;

	for (uint32_t i = 0; i < dma->nsegs && left; i++) {
		uint64_t addr = dma->segs[i].addr;
		uint64_t len =
			dma->segs[i].len < left ? dma->segs[i].len : left;
		left -= len;
		if (n && cur_addr + cur_len == addr &&
		    cur_len + len <= ENTRY_MAX_LEN) {
			cur_len += len; /* physically adjacent: merge */
		} else {
			if (n == max || len > ENTRY_MAX_LEN)
				return 0;
			n++;
			cur_addr = addr;
			cur_len = len;
		}
		if (entries)
			entries[n - 1] = (struct vg_mem_entry){
				le64(cur_addr), le32((uint32_t)cur_len), 0};
	}
	return left ? 0 : n;
}

/* ---- the skeleton ---- */

/* Step 1: a request with a zeroed command of cmd_len bytes (header type
 * set) and resp_len response bytes; NULL when every request is in use. */
static void *cmd_take(struct vg_cmdq *q, uint32_t type, uint32_t cmd_len,
		      uint32_t resp_len, struct vg_req **out)
{
	*out = vg_cmd_alloc(q, le32(type), cmd_len, resp_len);
	return *out ? (*out)->cmd : NULL;
}

/* Step 3: onto the ring, no doorbell.  On failure the request is gone. */
static vg_status cmd_put(struct vg_req *req, bool fenced)
{
	return vg_cmd_queue(req, fenced);
}

/* Queue + kick + wait: the synchronous helpers' tail.  st is cmd_put's. */
static vg_status cmd_finish(struct vg_gpu *gpu, struct vg_cmdq *q,
			    struct vg_req *req, vg_status st, uint32_t expected,
			    uint32_t min_len, void *copy, uint32_t copy_len)
{
	uint32_t type = 0;

	if (st != VG_OK)
		return st; /* the request is gone */
	uint32_t cmd_type = ((const struct vg_ctrl_hdr *)req->cmd)->type;
	vg_cmdq_kick(q);
	st = vg_cmd_wait(req, gpu->timeout_ns, expected, min_len, copy,
			 copy_len, &type);
	vg_gpu_log(gpu, VG_LOG_DEBUG, "cmd 0x%04x -> %s (%s)", cmd_type,
		   vg_status_str(st), vg_resp_type_str(type));
	return vg_gpu_fail(gpu, st);
}

/* A control command answered by OK_NODATA: the common case. */
#define NODATA sizeof(struct vg_ctrl_hdr)

#define CTRL_TAKE(gpu, cmdtype, type, req)                                     \
	((cmdtype *)cmd_take(&(gpu)->ctrl, (type), sizeof(cmdtype), NODATA,    \
			     (req)))

static vg_status ctrl_nodata(struct vg_gpu *gpu, struct vg_req *req)
{
	return cmd_finish(gpu, &gpu->ctrl, req, cmd_put(req, true),
			  VG_RESP_OK_NODATA, NODATA, NULL, 0);
}

/* ---- queued only ---- */

vg_status vg_q_transfer_to_host_2d(struct vg_gpu *gpu, uint32_t id,
				   const struct vg_rect *r, uint64_t offset,
				   struct vg_req **out)
{
	struct vg_cmd_transfer_to_host_2d *c =
		CTRL_TAKE(gpu, struct vg_cmd_transfer_to_host_2d,
			  VG_CMD_TRANSFER_TO_HOST_2D, out);
	if (!c)
		return VG_E_BUSY;
	c->r = (struct vg_rect){le32(r->x), le32(r->y), le32(r->width),
				le32(r->height)};
	c->offset = le64(offset);
	c->resource_id = le32(id);
	return cmd_put(*out, true);
}

vg_status vg_q_resource_flush(struct vg_gpu *gpu, uint32_t id,
			      const struct vg_rect *r, struct vg_req **out)
{
	struct vg_cmd_resource_flush *c = CTRL_TAKE(
		gpu, struct vg_cmd_resource_flush, VG_CMD_RESOURCE_FLUSH, out);
	if (!c)
		return VG_E_BUSY;
	c->r = (struct vg_rect){le32(r->x), le32(r->y), le32(r->width),
				le32(r->height)};
	c->resource_id = le32(id);
	return cmd_put(*out, true);
}

/* ---- synchronous ---- */

vg_status vg_do_get_display_info(struct vg_gpu *gpu,
				 struct vg_resp_display_info *out)
{
	struct vg_req *req;
	if (!cmd_take(&gpu->ctrl, VG_CMD_GET_DISPLAY_INFO,
		      sizeof(struct vg_ctrl_hdr), sizeof(*out), &req))
		return VG_E_BUSY;
	return cmd_finish(gpu, &gpu->ctrl, req, cmd_put(req, true),
			  VG_RESP_OK_DISPLAY_INFO, sizeof(*out), out,
			  sizeof(*out));
}

vg_status vg_do_get_edid(struct vg_gpu *gpu, uint32_t head,
			 struct vg_resp_edid *out)
{
	struct vg_req *req;
	struct vg_cmd_get_edid *c = cmd_take(&gpu->ctrl, VG_CMD_GET_EDID,
					     sizeof(*c), sizeof(*out), &req);
	if (!c)
		return VG_E_BUSY;
	c->scanout = le32(head);
	return cmd_finish(gpu, &gpu->ctrl, req, cmd_put(req, true),
			  VG_RESP_OK_EDID, sizeof(*out), out, sizeof(*out));
}

vg_status vg_do_resource_create_2d(struct vg_gpu *gpu, uint32_t id,
				   uint32_t format, uint32_t width,
				   uint32_t height)
{
	struct vg_req *req;
	struct vg_cmd_resource_create_2d *c =
		CTRL_TAKE(gpu, struct vg_cmd_resource_create_2d,
			  VG_CMD_RESOURCE_CREATE_2D, &req);
	if (!c)
		return VG_E_BUSY;
	c->resource_id = le32(id);
	c->format = le32(format);
	c->width = le32(width);
	c->height = le32(height);
	return ctrl_nodata(gpu, req);
}

vg_status vg_do_attach_backing(struct vg_gpu *gpu, uint32_t id,
			       const struct vg_dma *backing, uint64_t bytes,
			       uint32_t nentries)
{
	struct vg_req *req;
	struct vg_cmd_resource_attach_backing *c =
		CTRL_TAKE(gpu, struct vg_cmd_resource_attach_backing,
			  VG_CMD_RESOURCE_ATTACH_BACKING, &req);
	if (!c)
		return VG_E_BUSY;
	c->resource_id = le32(id);
	c->nr_entries = le32(nentries);
	/* The entry list travels in a second device-readable buffer. */
	struct vg_mem_entry *ents = vg_cmd_extra(
		req, nentries * (uint32_t)sizeof(struct vg_mem_entry));
	if (!ents) {
		vg_cmd_discard(req);
		return VG_E_NOMEM;
	}
	vg_backing_entries(backing, bytes, ents, nentries);
	return ctrl_nodata(gpu, req);
}

vg_status vg_do_detach_backing(struct vg_gpu *gpu, uint32_t id)
{
	struct vg_req *req;
	struct vg_cmd_resource_detach_backing *c =
		CTRL_TAKE(gpu, struct vg_cmd_resource_detach_backing,
			  VG_CMD_RESOURCE_DETACH_BACKING, &req);
	if (!c)
		return VG_E_BUSY;
	c->resource_id = le32(id);
	return ctrl_nodata(gpu, req);
}

vg_status vg_do_resource_unref(struct vg_gpu *gpu, uint32_t id)
{
	struct vg_req *req;
	struct vg_cmd_resource_unref *c = CTRL_TAKE(
		gpu, struct vg_cmd_resource_unref, VG_CMD_RESOURCE_UNREF, &req);
	if (!c)
		return VG_E_BUSY;
	c->resource_id = le32(id);
	return ctrl_nodata(gpu, req);
}

vg_status vg_do_set_scanout(struct vg_gpu *gpu, uint32_t head, uint32_t id,
			    const struct vg_rect *r)
{
	struct vg_req *req;
	struct vg_cmd_set_scanout *c = CTRL_TAKE(gpu, struct vg_cmd_set_scanout,
						 VG_CMD_SET_SCANOUT, &req);
	if (!c)
		return VG_E_BUSY;
	c->scanout_id = le32(head);
	c->resource_id = le32(id);
	c->r = (struct vg_rect){le32(r->x), le32(r->y), le32(r->width),
				le32(r->height)};
	return ctrl_nodata(gpu, req);
}

vg_status vg_do_cursor(struct vg_gpu *gpu, uint32_t type, uint32_t head,
		       uint32_t id, uint32_t hot_x, uint32_t hot_y, uint32_t x,
		       uint32_t y)
{
	struct vg_req *req;
	struct vg_cmd_update_cursor *c =
		cmd_take(&gpu->cursor, type, sizeof(*c), 0, &req);
	if (!c)
		return VG_E_BUSY;
	c->pos = (struct vg_cursor_pos){le32(head), le32(x), le32(y), 0};
	c->resource_id = le32(id);
	c->hot_x = le32(hot_x);
	c->hot_y = le32(hot_y);
	/* The cursor queue has no responses and no fences. */
	return cmd_finish(gpu, &gpu->cursor, req, cmd_put(req, false), 0, 0,
			  NULL, 0);
}
