// SPDX-License-Identifier: MIT
#include "command.h"

#include <string.h>

#include "wire.h"

#define IND_OFFSET 2048u
#define IND_CAPACITY                                                           \
	((VG_PAGE_SIZE - IND_OFFSET) / sizeof(struct vg_vring_desc))

_Static_assert(VG_REQ_CMD_MAX + VG_REQ_RESP_MAX <= IND_OFFSET,
	       "request page layout");
_Static_assert(2 + VG_REQ_MAX_EXTRA_SEGS <= IND_CAPACITY, "indirect table");

static void req_free_extra(struct vg_req *req)
{
	if (req->extra.cpu)
		req->q->os->ops->dma_free(req->q->os, &req->extra);
	memset(&req->extra, 0, sizeof(req->extra));
	req->extra_len = 0;
}

/* Device address of byte off of dma (off inside the buffer). */
static uint64_t dma_dev_addr(const struct vg_dma *dma, uint64_t off)
{
	for (uint32_t i = 0; i < dma->nsegs; i++) {
		if (off < dma->segs[i].len)
			return dma->segs[i].addr + off;
		off -= dma->segs[i].len;
	}
	return 0; /* unreachable for off < dma->size */
}

/* Called with q->lock held. */
static void req_put_free(struct vg_req *req)
{
	req->state = VG_REQ_FREE;
	req->next = req->q->free_list;
	req->q->free_list = req;
}

vg_status vg_cmdq_init(struct vg_cmdq *q, struct vg_os *os,
		       struct vg_transport *tp, uint16_t index,
		       uint16_t max_size, unsigned nreqs, bool has_responses,
		       int verbose)
{
	const struct vg_os_ops *ops = os->ops;
	vg_status st;
	uint16_t size = vg_tp_queue_max(tp, index);

	memset(q, 0, sizeof(*q));
	q->os = os;
	q->tp = tp;
	q->has_responses = has_responses;
	q->verbose = verbose;
	q->next_fence = 1;
	if (size == 0) {
		st = VG_E_NODEV;
		goto fail;
	}
	while (size > max_size || (size & (size - 1)))
		size = (uint16_t)(size & (size - 1) ? size & (size - 1)
						    : size >> 1);

	bool ind = tp->driver_features & (1ull << VG_F_RING_INDIRECT_DESC);
	bool evi = tp->driver_features & (1ull << VG_F_RING_EVENT_IDX);
	st = vg_vq_init(&q->vq, os, index, size, evi, ind);
	if (st != VG_OK)
		goto fail;
	st = ops->lock_create(os, &q->lock);
	if (st != VG_OK)
		goto fail;

	q->reqs = ops->alloc(os, sizeof(*q->reqs) * nreqs);
	if (!q->reqs) {
		st = VG_E_NOMEM;
		goto fail;
	}
	q->nreqs = nreqs;
	/* One page per request, all in one buffer: the pages may be
	 * scattered, but each lies inside one segment. */
	st = ops->dma_alloc(os, (size_t)nreqs * VG_PAGE_SIZE, VG_PAGE_SIZE,
			    &q->pages);
	if (st != VG_OK)
		goto fail;
	for (unsigned i = 0; i < nreqs; i++) {
		struct vg_req *r = &q->reqs[i];
		r->q = q;
		st = ops->event_create(os, &r->ev);
		if (st != VG_OK)
			goto fail;
		uint64_t off = (uint64_t)i * VG_PAGE_SIZE;
		uint8_t *base = (uint8_t *)q->pages.cpu + off;
		uint64_t dev = dma_dev_addr(&q->pages, off);
		r->cmd = base;
		r->cmd_addr = dev;
		r->resp = base + VG_REQ_CMD_MAX;
		r->resp_addr = dev + VG_REQ_CMD_MAX;
		r->ind.table = (struct vg_vring_desc *)(base + IND_OFFSET);
		r->ind.addr = dev + IND_OFFSET;
		r->ind.capacity = (uint16_t)IND_CAPACITY;
		req_put_free(r);
	}

	st = vg_cmdq_restart(q);
	if (st != VG_OK)
		goto fail;
	return VG_OK;
fail:
	vg_cmdq_finish(q);
	return st;
}

vg_status vg_cmdq_restart(struct vg_cmdq *q)
{
	uint32_t noff;
	vg_status st = vg_tp_queue_enable(q->tp, q->vq.index, q->vq.size,
					  q->vq.desc_addr, q->vq.avail_addr,
					  q->vq.used_addr, &noff);
	if (st != VG_OK)
		return st;
	q->notify_off = noff;
	vg_vq_enable_cb(&q->vq);
	return VG_OK;
}

void vg_cmdq_finish(struct vg_cmdq *q)
{
	if (!q->os)
		return;
	const struct vg_os_ops *ops = q->os->ops;
	for (unsigned i = 0; q->reqs && i < q->nreqs; i++) {
		struct vg_req *r = &q->reqs[i];
		if (r->q)
			req_free_extra(r);
		ops->event_destroy(q->os, r->ev);
	}
	if (q->pages.cpu)
		ops->dma_free(q->os, &q->pages);
	ops->free(q->os, q->reqs);
	ops->lock_destroy(q->os, q->lock);
	vg_vq_finish(&q->vq);
	memset(q, 0, sizeof(*q));
}

/* Called with q->lock held: extra buffers of late completions are freed
 * here, outside the ISR, because dma_free may not run there. */
static struct vg_req *take_reclaim_list(struct vg_cmdq *q)
{
	struct vg_req *list = q->reclaim_list;
	q->reclaim_list = NULL;
	return list;
}

static void reclaim(struct vg_cmdq *q, struct vg_req *list)
{
	while (list) {
		struct vg_req *next = list->next;
		req_free_extra(list);
		q->os->ops->lock(q->os, q->lock);
		req_put_free(list);
		q->os->ops->unlock(q->os, q->lock);
		list = next;
	}
}

struct vg_req *vg_cmd_alloc(struct vg_cmdq *q, uint32_t type, uint32_t cmd_len,
			    uint32_t resp_len)
{
	const struct vg_os_ops *ops = q->os->ops;

	if (cmd_len < sizeof(struct vg_ctrl_hdr) && q->has_responses)
		return NULL;
	if (cmd_len > VG_REQ_CMD_MAX || resp_len > VG_REQ_RESP_MAX)
		return NULL;
	ops->lock(q->os, q->lock);
	struct vg_req *late = take_reclaim_list(q);
	ops->unlock(q->os, q->lock);
	reclaim(q, late);

	ops->lock(q->os, q->lock);
	struct vg_req *r = q->free_list;
	if (r) {
		q->free_list = r->next;
		r->state = VG_REQ_BUILDING;
	}
	ops->unlock(q->os, q->lock);
	if (!r)
		return NULL;

	memset(r->cmd, 0, cmd_len);
	memset(r->resp, 0, resp_len);
	((struct vg_ctrl_hdr *)r->cmd)->type = type;
	r->cmd_len = cmd_len;
	r->resp_len = resp_len;
	r->used_len = 0;
	r->fenced = false;
	r->fence_id = 0;
	r->next = NULL;
	return r;
}

void *vg_cmd_extra(struct vg_req *req, uint32_t len)
{
	struct vg_os *os = req->q->os;
	/* Large blocks keep the segment count under the indirect table's
	 * capacity; fall back to pages when memory is fragmented. */
	const size_t blocks[] = {len, 64 * 1024, VG_PAGE_SIZE};

	if (req->extra.cpu || len == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		size_t blk =
			blocks[i] < VG_PAGE_SIZE ? VG_PAGE_SIZE : blocks[i];
		if (((uint64_t)len + blk - 1) / blk > VG_REQ_MAX_EXTRA_SEGS)
			continue;
		if (os->ops->dma_alloc(os, len, blk, &req->extra) != VG_OK)
			continue;
		if (req->extra.nsegs <= VG_REQ_MAX_EXTRA_SEGS) {
			req->extra_len = len;
			return req->extra.cpu;
		}
		req_free_extra(req);
	}
	return NULL;
}

void vg_cmd_discard(struct vg_req *req)
{
	struct vg_cmdq *q = req->q;
	req_free_extra(req);
	q->os->ops->lock(q->os, q->lock);
	req_put_free(req);
	q->os->ops->unlock(q->os, q->lock);
}

vg_status vg_cmd_queue(struct vg_req *req, bool fenced)
{
	struct vg_cmdq *q = req->q;
	struct vg_sg sg[2 + VG_REQ_MAX_EXTRA_SEGS];
	unsigned n_out = 0, n_in = 0;
	vg_status st;

	sg[n_out++] = (struct vg_sg){req->cmd_addr, req->cmd_len};
	uint32_t left = req->extra_len;
	for (uint32_t i = 0; i < req->extra.nsegs && left; i++) {
		uint32_t l = req->extra.segs[i].len < left
				     ? (uint32_t)req->extra.segs[i].len
				     : left;
		sg[n_out++] = (struct vg_sg){req->extra.segs[i].addr, l};
		left -= l;
	}
	if (req->resp_len)
		sg[n_out + n_in++] =
			(struct vg_sg){req->resp_addr, req->resp_len};

	q->os->ops->lock(q->os, q->lock);
	if (fenced) {
		struct vg_ctrl_hdr *h = (struct vg_ctrl_hdr *)req->cmd;
		req->fenced = true;
		req->fence_id = q->next_fence++;
		h->flags |= VG_FLAG_FENCE;
		h->fence_id = req->fence_id;
	}
	req->state = VG_REQ_IN_FLIGHT;
	st = vg_vq_add(&q->vq, sg, n_out, n_in, &req->ind, req);
	if (st == VG_OK)
		q->stats.commands++;
	else
		req->state = VG_REQ_BUILDING;
	q->os->ops->unlock(q->os, q->lock);
	if (st != VG_OK)
		vg_cmd_discard(req);
	return st;
}

void vg_cmdq_kick(struct vg_cmdq *q)
{
	q->os->ops->lock(q->os, q->lock);
	bool kick = vg_vq_kick_prepare(&q->vq);
	q->os->ops->unlock(q->os, q->lock);
	if (kick)
		vg_tp_notify(q->tp, q->notify_off, q->vq.index);
}

unsigned vg_cmdq_collect(struct vg_cmdq *q, struct vg_event **wake,
			 unsigned max)
{
	const struct vg_os_ops *ops = q->os->ops;
	void *cookie;
	uint32_t len;
	unsigned n = 0;

	ops->lock(q->os, q->lock);
	do {
		while (vg_vq_get_used(&q->vq, &cookie, &len)) {
			struct vg_req *r = cookie;
			if (r->state == VG_REQ_IN_FLIGHT) {
				r->used_len = len;
				r->state = VG_REQ_DONE;
				if (n < max)
					wake[n++] = r->ev;
				else
					ops->event_signal(q->os, r->ev);
			} else if (r->state == VG_REQ_ABANDONED) {
				q->stats.late_completions++;
				r->state = VG_REQ_RECLAIM;
				r->next = q->reclaim_list;
				q->reclaim_list = r;
			}
		}
	} while (vg_vq_enable_cb(&q->vq));
	ops->unlock(q->os, q->lock);
	return n;
}

void vg_cmdq_wake(struct vg_os *os, struct vg_event **wake, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		os->ops->event_signal(os, wake[i]);
}

void vg_cmdq_process_used(struct vg_cmdq *q)
{
	struct vg_event *wake[VG_CMDQ_WAKE_MAX];
	vg_cmdq_wake(q->os, wake, vg_cmdq_collect(q, wake, VG_CMDQ_WAKE_MAX));
}

static void abandon_cb(void *cookie, void *ctx)
{
	struct vg_req *r = cookie;
	(void)ctx;
	if (r->state == VG_REQ_ABANDONED) {
		r->state = VG_REQ_RECLAIM;
		r->next = r->q->reclaim_list;
		r->q->reclaim_list = r;
	} else if (r->state == VG_REQ_IN_FLIGHT) {
		/* A waiter is still sleeping on it: complete it empty so the
		 * waiter sees a protocol error instead of hanging. */
		r->used_len = 0;
		r->state = VG_REQ_DONE;
		r->q->os->ops->event_signal(r->q->os, r->ev);
	}
}

void vg_cmdq_reset(struct vg_cmdq *q)
{
	q->os->ops->lock(q->os, q->lock);
	vg_vq_reset(&q->vq, abandon_cb, NULL);
	struct vg_req *late = take_reclaim_list(q);
	q->os->ops->unlock(q->os, q->lock);
	reclaim(q, late);
}

vg_status vg_resp_check(const void *resp, uint32_t used_len,
			uint32_t expected_type, uint32_t min_len, bool fenced,
			uint64_t fence_id, uint32_t *resp_type)
{
	struct vg_ctrl_hdr h;

	if (used_len < sizeof(h))
		return VG_E_PROTOCOL;
	memcpy(&h, resp, sizeof(h));
	*resp_type = h.type;
	if (h.type >= VG_RESP_ERR_UNSPEC && h.type <= 0x12ff)
		return vg_status_from_resp(h.type);
	if (h.type != expected_type || used_len < min_len)
		return VG_E_PROTOCOL;
	if (fenced && (!(h.flags & VG_FLAG_FENCE) || h.fence_id != fence_id))
		return VG_E_PROTOCOL;
	return VG_OK;
}

vg_status vg_cmd_wait(struct vg_req *req, uint64_t timeout_ns,
		      uint32_t expected_type, uint32_t min_len, void *copy,
		      uint32_t copy_len, uint32_t *resp_type)
{
	struct vg_cmdq *q = req->q;
	const struct vg_os_ops *ops = q->os->ops;
	uint64_t deadline = ops->now_ns(q->os) + timeout_ns;
	bool polled = false;
	vg_status st = VG_OK;

	for (;;) {
		ops->lock(q->os, q->lock);
		enum vg_req_state s = req->state;
		ops->unlock(q->os, q->lock);
		if (s == VG_REQ_DONE)
			break;
		uint64_t now = ops->now_ns(q->os);
		if (now >= deadline) {
			if (!polled) {
				/* An interrupt may have been lost: look at
				 * the used ring once before giving up. */
				polled = true;
				vg_cmdq_process_used(q);
				ops->lock(q->os, q->lock);
				if (req->state == VG_REQ_DONE)
					q->stats.polled_completions++;
				ops->unlock(q->os, q->lock);
				continue;
			}
			ops->lock(q->os, q->lock);
			if (req->state == VG_REQ_DONE) {
				ops->unlock(q->os, q->lock);
				break;
			}
			req->state = VG_REQ_ABANDONED;
			q->stats.timeouts++;
			ops->unlock(q->os, q->lock);
			return VG_E_TIMEOUT;
		}
		st = ops->event_wait(q->os, req->ev, deadline - now);
		if (st == VG_E_NODEV) {
			/* The platform lost the device: nobody will ever
			 * complete this, but nothing may free it either. */
			ops->lock(q->os, q->lock);
			if (req->state != VG_REQ_DONE) {
				req->state = VG_REQ_ABANDONED;
				ops->unlock(q->os, q->lock);
				return VG_E_NODEV;
			}
			ops->unlock(q->os, q->lock);
			break;
		}
	}

	uint32_t type = 0;
	st = VG_OK;
	if (q->has_responses) {
		/* Copy first: the device could still scribble on the page,
		 * so check and use one private snapshot. */
		uint8_t snap[VG_REQ_RESP_MAX];
		uint32_t len = req->used_len;
		memcpy(snap, req->resp, len);
		st = vg_resp_check(snap, len, expected_type, min_len,
				   req->fenced, req->fence_id, &type);
		if (st == VG_OK && copy)
			memcpy(copy, snap, copy_len < len ? copy_len : len);
	}
	if (resp_type)
		*resp_type = type;
	ops->lock(q->os, q->lock);
	if (vg_status_is_device_error(st))
		q->stats.device_errors++;
	else if (st == VG_E_PROTOCOL)
		q->stats.bad_responses++;
	ops->unlock(q->os, q->lock);
	vg_cmd_discard(req);
	return st;
}
