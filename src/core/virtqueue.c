// SPDX-License-Identifier: MIT
#include "virtqueue.h"

#include <string.h>

#include "wire.h"

/*
 * Layout in the ring block: desc[size] | avail: flags idx ring[size]
 * used_event | pad to 4 KiB | used: flags idx ring[size] avail_event.
 * Putting the used ring on its own page keeps device writes and driver
 * writes on different cache lines.
 */
static uint64_t avail_bytes(uint16_t size)
{
	return 2u * (3u + size);
}

static uint64_t used_offset(uint16_t size)
{
	uint64_t end = 16ull * size + avail_bytes(size);
	return (end + VG_PAGE_SIZE - 1) & ~(uint64_t)(VG_PAGE_SIZE - 1);
}

uint64_t vg_vq_ring_bytes(uint16_t size)
{
	return used_offset(size) + 6u + 8ull * size;
}

#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define load_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)

static void vq_rebuild_free_list(struct vg_vq *vq)
{
	for (uint16_t i = 0; i < vq->size; i++) {
		vq->next[i] = (uint16_t)(i + 1);
		vq->chain_ndesc[i] = 0;
		vq->chain_in_len[i] = 0;
		vq->cookie[i] = NULL;
	}
	vq->free_head = 0;
	vq->num_free = vq->size;
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->signalled_idx = 0;
	vq->in_flight = 0;
}

vg_status vg_vq_init(struct vg_vq *vq, struct vg_os *os, uint16_t index,
		     uint16_t size, bool event_idx, bool use_indirect)
{
	const struct vg_os_ops *ops = os->ops;
	vg_status st;

	memset(vq, 0, sizeof(*vq));
	if (size == 0 || size > 32768 || (size & (size - 1)))
		return VG_E_INVAL;
	vq->os = os;
	vq->index = index;
	vq->size = size;
	vq->event_idx = event_idx;
	vq->use_indirect = use_indirect;

	uint64_t bytes = vg_vq_ring_bytes(size);
	st = ops->dma_alloc(os, bytes, bytes, &vq->ring);
	if (st != VG_OK)
		goto fail;
	if (vq->ring.nsegs != 1) {
		st = VG_E_NOMEM; /* platform broke the contiguity promise */
		goto fail;
	}

	vq->next = ops->alloc(os, sizeof(*vq->next) * size);
	vq->chain_ndesc = ops->alloc(os, sizeof(*vq->chain_ndesc) * size);
	vq->chain_in_len = ops->alloc(os, sizeof(*vq->chain_in_len) * size);
	vq->cookie = ops->alloc(os, sizeof(*vq->cookie) * size);
	if (!vq->next || !vq->chain_ndesc || !vq->chain_in_len || !vq->cookie) {
		st = VG_E_NOMEM;
		goto fail;
	}

	uint8_t *base = vq->ring.cpu;
	uint64_t dev = vq->ring.segs[0].addr;
	vq->desc = (struct vg_vring_desc *)base;
	vq->avail = (uint16_t *)(base + 16ull * size);
	vq->used_hdr = (uint16_t *)(base + used_offset(size));
	vq->used_ring = (struct vg_vring_used_elem *)(vq->used_hdr + 2);
	vq->avail_event = (uint16_t *)(vq->used_ring + size);
	vq->desc_addr = dev;
	vq->avail_addr = dev + 16ull * size;
	vq->used_addr = dev + used_offset(size);
	memset(base, 0, (size_t)bytes);
	vq_rebuild_free_list(vq);
	return VG_OK;
fail:
	vg_vq_finish(vq);
	return st;
}

void vg_vq_finish(struct vg_vq *vq)
{
	if (!vq->os)
		return;
	const struct vg_os_ops *ops = vq->os->ops;
	ops->free(vq->os, vq->next);
	ops->free(vq->os, vq->chain_ndesc);
	ops->free(vq->os, vq->chain_in_len);
	ops->free(vq->os, vq->cookie);
	if (vq->ring.cpu)
		ops->dma_free(vq->os, &vq->ring);
	memset(vq, 0, sizeof(*vq));
}

void vg_vq_reset(struct vg_vq *vq, void (*abandoned)(void *cookie, void *ctx),
		 void *ctx)
{
	for (uint16_t i = 0; i < vq->size; i++)
		if (vq->chain_ndesc[i] && vq->cookie[i] && abandoned)
			abandoned(vq->cookie[i], ctx);
	memset(vq->ring.cpu, 0, (size_t)vg_vq_ring_bytes(vq->size));
	vq_rebuild_free_list(vq);
}

/* The last descriptor of a chain has no NEXT flag and next 0. */
static void fill_desc(struct vg_vring_desc *d, const struct vg_sg *sg,
		      bool device_writes, bool more, uint16_t next)
{
	d->addr = sg->addr;
	d->len = sg->len;
	d->flags = (uint16_t)((device_writes ? VG_DESC_F_WRITE : 0) |
			      (more ? VG_DESC_F_NEXT : 0));
	d->next = more ? next : 0;
}

vg_status vg_vq_add(struct vg_vq *vq, const struct vg_sg *sg, unsigned n_out,
		    unsigned n_in, const struct vg_indirect *ind, void *cookie)
{
	unsigned total = n_out + n_in;
	bool indirect = ind && vq->use_indirect && total > 1;
	unsigned ring_descs = indirect ? 1 : total;
	uint32_t in_len = 0;

	if (total == 0 || !cookie)
		return VG_E_INVAL;
	if (indirect && total > ind->capacity)
		return VG_E_INVAL;
	if (ring_descs > vq->num_free)
		return VG_E_BUSY;

	for (unsigned i = n_out; i < total; i++)
		in_len += sg[i].len;

	uint16_t head = vq->free_head;
	uint16_t idx = head;
	if (indirect) {
		for (unsigned i = 0; i < total; i++)
			fill_desc(&ind->table[i], &sg[i], i >= n_out,
				  i + 1 < total, (uint16_t)(i + 1));
		vq->desc[idx].addr = ind->addr;
		vq->desc[idx].len = (uint32_t)(total * sizeof(*ind->table));
		vq->desc[idx].flags = VG_DESC_F_INDIRECT;
		vq->desc[idx].next = 0;
		idx = vq->next[idx];
	} else {
		for (unsigned i = 0; i < total; i++) {
			fill_desc(&vq->desc[idx], &sg[i], i >= n_out,
				  i + 1 < total, vq->next[idx]);
			idx = vq->next[idx];
		}
	}
	vq->free_head = idx;
	vq->num_free = (uint16_t)(vq->num_free - ring_descs);
	vq->chain_ndesc[head] = (uint16_t)ring_descs;
	vq->chain_in_len[head] = in_len;
	vq->cookie[head] = cookie;
	vq->in_flight++;

	uint16_t *ring = vq->avail + 2;
	ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	/* The descriptors and ring slot must be visible before the index. */
	store_release(&vq->avail[1], vq->avail_idx);
	return VG_OK;
}

bool vg_vq_kick_prepare(struct vg_vq *vq)
{
	uint16_t old = vq->signalled_idx, now = vq->avail_idx;
	bool kick;

	/* Our avail idx store must be ordered before reading the device's
	 * suppression state, or both sides can decide to sleep. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (old == now)
		return false;
	vq->signalled_idx = now;
	if (vq->event_idx)
		kick = vg_vring_need_event(load_relaxed(vq->avail_event), now,
					   old);
	else
		kick = !(load_relaxed(&vq->used_hdr[0]) & VG_USED_F_NO_NOTIFY);
	if (kick)
		vq->stats.notifies++;
	else
		vq->stats.notifies_suppressed++;
	return kick;
}

static void vq_free_chain(struct vg_vq *vq, uint16_t head)
{
	uint16_t n = vq->chain_ndesc[head];
	uint16_t last = head;

	/* Walk our private next[] copy: the device may have scribbled over
	 * the descriptor table, but it cannot change this. */
	for (uint16_t i = 1; i < n; i++)
		last = vq->next[last];
	vq->next[last] = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + n);
	vq->chain_ndesc[head] = 0;
	vq->chain_in_len[head] = 0;
	vq->cookie[head] = NULL;
	vq->in_flight--;
}

bool vg_vq_get_used(struct vg_vq *vq, void **cookie, uint32_t *len)
{
	for (;;) {
		uint16_t used_idx = load_acquire(&vq->used_hdr[1]);
		uint16_t pending = (uint16_t)(used_idx - vq->last_used_idx);

		if (pending == 0)
			return false;
		if (pending > vq->in_flight) {
			/* The device claims more completions than we have
			 * chains out: take nothing, the entries are lies
			 * at least in part.  Consume only entries naming a
			 * real chain, below. */
			if (used_idx != vq->last_bad_used_idx)
				vq->stats.bad_used_idx++;
			vq->last_bad_used_idx = used_idx;
			if (vq->in_flight == 0) {
				vq->last_used_idx = used_idx;
				return false;
			}
		}

		struct vg_vring_used_elem e =
			vq->used_ring[vq->last_used_idx & (vq->size - 1)];
		vq->last_used_idx++;

		if (e.id >= vq->size || vq->chain_ndesc[e.id] == 0) {
			vq->stats.bad_used_id++;
			continue;
		}
		uint16_t head = (uint16_t)e.id;
		if (e.len > vq->chain_in_len[head]) {
			vq->stats.bad_used_len++;
			e.len = vq->chain_in_len[head];
		}
		*cookie = vq->cookie[head];
		*len = e.len;
		vq_free_chain(vq, head);
		return true;
	}
}

bool vg_vq_enable_cb(struct vg_vq *vq)
{
	if (vq->event_idx)
		store_release(&vq->avail[2 + vq->size], vq->last_used_idx);
	else
		store_release(&vq->avail[0], (uint16_t)0);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load_acquire(&vq->used_hdr[1]) != vq->last_used_idx;
}
