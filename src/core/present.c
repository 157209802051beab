// SPDX-License-Identifier: MIT
/* Present (dirty rectangles -> TRANSFER_TO_HOST_2D + RESOURCE_FLUSH) and
 * the cursor. */
#include <string.h>

#include "gpu_internal.h"

/* Clips r to the fb; false if nothing is left. */
static bool clip_rect(const struct vg_fb *fb, const struct vg_rect *in,
		      struct vg_rect *out)
{
	if (in->x >= fb->width || in->y >= fb->height || !in->width ||
	    !in->height)
		return false;
	*out = *in;
	if (out->width > fb->width - out->x)
		out->width = fb->width - out->x;
	if (out->height > fb->height - out->y)
		out->height = fb->height - out->y;
	return true;
}

static void bbox_add(struct vg_rect *bb, bool *have, const struct vg_rect *r)
{
	if (!*have) {
		*bb = *r;
		*have = true;
		return;
	}
	uint32_t x1 = bb->x + bb->width, y1 = bb->y + bb->height;
	uint32_t rx1 = r->x + r->width, ry1 = r->y + r->height;
	bb->x = r->x < bb->x ? r->x : bb->x;
	bb->y = r->y < bb->y ? r->y : bb->y;
	bb->width = (rx1 > x1 ? rx1 : x1) - bb->x;
	bb->height = (ry1 > y1 ? ry1 : y1) - bb->y;
}

/* A batch of queued requests waited for together after one doorbell. */
struct batch {
	struct vg_req *reqs[VG_CTRL_REQS];
	unsigned n;
	vg_status first_error;
};

static void batch_finish(struct vg_gpu *gpu, struct batch *b)
{
	if (!b->n)
		return;
	const struct vg_os_ops *ops = gpu->os->ops;
	/* One deadline for the batch: a stalled device costs one timeout,
	 * not one per queued command. */
	uint64_t deadline = ops->now_ns(gpu->os) + gpu->timeout_ns;

	vg_cmdq_kick(&gpu->ctrl);
	for (unsigned i = 0; i < b->n; i++) {
		uint32_t type = 0;
		uint64_t now = ops->now_ns(gpu->os);
		uint64_t left = now < deadline ? deadline - now : 0;
		vg_status st =
			vg_cmd_wait(b->reqs[i], left, VG_RESP_OK_NODATA,
				    sizeof(struct vg_ctrl_hdr), NULL, 0, &type);
		if (st != VG_OK && b->first_error == VG_OK) {
			b->first_error = st;
		}
	}
	b->n = 0;
}

/* Queues one TRANSFER_TO_HOST_2D (offset into the backing) or
 * RESOURCE_FLUSH (commands.c builds both); when requests or ring slots run
 * out, waits for what this batch already queued and tries once more. */
static vg_status batch_add(struct vg_gpu *gpu, struct batch *b, uint32_t type,
			   uint32_t id, const struct vg_rect *r,
			   uint64_t offset)
{
	vg_status st = VG_E_BUSY;

	/* Leave half the requests to other callers (a cursor update may
	 * come in between). */
	if (b->n == VG_CTRL_REQS / 2)
		batch_finish(gpu, b);
	for (int attempt = 0; attempt < 2 && st == VG_E_BUSY; attempt++) {
		if (attempt)
			batch_finish(gpu, b);
		struct vg_req *req;
		st = type == VG_CMD_TRANSFER_TO_HOST_2D
			     ? vg_q_transfer_to_host_2d(gpu, id, r, offset,
							&req)
			     : vg_q_resource_flush(gpu, id, r, &req);
		if (st == VG_OK)
			b->reqs[b->n++] = req;
	}
	return st;
}

static vg_status vg_gpu_transfer(struct vg_gpu *gpu, struct vg_fb *fb,
				 const struct vg_rect *r, struct batch *b)
{
	return batch_add(gpu, b, VG_CMD_TRANSFER_TO_HOST_2D, fb->id, r,
			 (uint64_t)r->y * fb->stride + (uint64_t)r->x * 4);
}

vg_status vg_present_fb(struct vg_gpu *gpu, struct vg_fb *fb,
			const struct vg_rect *dirty, unsigned n)
{
	struct vg_rect full = {0, 0, fb->width, fb->height}, r, bb = {0};
	struct batch b = {.n = 0, .first_error = VG_OK};
	bool have = false;
	vg_status st = VG_OK;

	if (n == 0) {
		dirty = &full;
		n = 1;
	}
	for (unsigned i = 0; i < n && st == VG_OK; i++) {
		if (!clip_rect(fb, &dirty[i], &r))
			continue;
		st = vg_gpu_transfer(gpu, fb, &r, &b);
		bbox_add(&bb, &have, &r);
	}
	if (st == VG_OK && have) {
		/* One flush of the bounding box: the host repaints each head
		 * showing fb once instead of once per rectangle. */
		st = batch_add(gpu, &b, VG_CMD_RESOURCE_FLUSH, fb->id, &bb, 0);
	}
	batch_finish(gpu, &b);
	if (st == VG_OK && b.first_error != VG_OK)
		return vg_gpu_fail(gpu, b.first_error);
	return vg_gpu_fail(gpu, st);
}

/* Uploads the cursor image already in cursor_fb and shows it. */
static vg_status cursor_show(struct vg_gpu *gpu)
{
	struct vg_cursor_state *cs = &gpu->cursor_state;
	struct vg_fb *fb = gpu->cursor_fb;
	struct batch b = {.n = 0, .first_error = VG_OK};
	struct vg_rect all = {0, 0, VG_CURSOR_SIZE, VG_CURSOR_SIZE};
	vg_status st = vg_gpu_transfer(gpu, fb, &all, &b);

	batch_finish(gpu, &b);
	if (st == VG_OK)
		st = b.first_error;
	if (st != VG_OK)
		return vg_gpu_fail(gpu, st);
	return vg_do_cursor(gpu, VG_CMD_UPDATE_CURSOR, cs->head, fb->id,
			    cs->hot_x, cs->hot_y, cs->x, cs->y);
}

vg_status vg_cursor_set(struct vg_gpu *gpu, uint32_t head,
			const uint32_t *image64, uint32_t hot_x, uint32_t hot_y,
			uint32_t x, uint32_t y)
{
	struct vg_cursor_state *cs = &gpu->cursor_state;
	vg_status st;

	if (!image64) {
		st = vg_do_cursor(gpu, VG_CMD_UPDATE_CURSOR, head, 0, 0, 0, x,
				  y);
		if (st == VG_OK)
			cs->visible = false;
		return st;
	}
	if (!gpu->cursor_fb) {
		st = vg_fb_create_cursor(gpu, &gpu->cursor_fb);
		if (st != VG_OK)
			return st;
	}
	struct vg_fb *fb = gpu->cursor_fb;
	for (uint32_t row = 0; row < VG_CURSOR_SIZE; row++)
		memcpy((uint8_t *)fb->backing.cpu + row * fb->stride,
		       image64 + row * VG_CURSOR_SIZE, VG_CURSOR_SIZE * 4);
	*cs = (struct vg_cursor_state){true, head, hot_x, hot_y, x, y};
	return cursor_show(gpu);
}

vg_status vg_cursor_move_to(struct vg_gpu *gpu, uint32_t head, uint32_t x,
			    uint32_t y)
{
	vg_status st =
		vg_do_cursor(gpu, VG_CMD_MOVE_CURSOR, head, 0, 0, 0, x, y);
	if (st == VG_OK) {
		gpu->cursor_state.head = head;
		gpu->cursor_state.x = x;
		gpu->cursor_state.y = y;
	}
	return st;
}

vg_status vg_cursor_restore(struct vg_gpu *gpu)
{
	if (!gpu->cursor_state.visible || !gpu->cursor_fb ||
	    !gpu->cursor_fb->on_device)
		return VG_OK;
	return cursor_show(gpu);
}
