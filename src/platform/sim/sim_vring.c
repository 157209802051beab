// SPDX-License-Identifier: MIT
#include "sim_vring.h"

#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

/* Longest chain we walk through indirect tables (the spec bounds direct
 * chains by the queue size). */
#define MAX_INDIRECT 1024u

#define load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define load_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

static bool event_idx(const struct vg_sim *s)
{
	return s->driver_features & (1ull << VG_F_RING_EVENT_IDX);
}

/* avail: flags idx ring[size] used_event */
static uint16_t *avail_ring(struct vg_sim *s, const struct sim_queue *q)
{
	if (q->avail & 1)
		return NULL;
	return vgp_pagemem_device_view(s->mem, q->avail, 2ull * (3u + q->size));
}

/* used: flags idx ring[size] avail_event */
static uint8_t *used_ring(struct vg_sim *s, const struct sim_queue *q)
{
	if (q->used & 3)
		return NULL;
	return vgp_pagemem_device_view(s->mem, q->used, 6ull + 8ull * q->size);
}

int sim_vring_pop(struct vg_sim *s, unsigned qidx, uint16_t *head)
{
	struct sim_queue *q = &s->q[qidx];
	uint16_t *avail = avail_ring(s, q);
	uint8_t *used = used_ring(s, q);

	if (!avail || !used)
		return -1;
	uint16_t idx = load_acquire(&avail[1]);
	if (idx == q->last_avail && event_idx(s)) {
		/* Going idle: ask for a notify at the next entry, then look
		 * again in case the driver added one meanwhile. */
		uint16_t *avail_event = (uint16_t *)(used + 4 + 8u * q->size);
		store_release(avail_event, q->last_avail);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		idx = load_acquire(&avail[1]);
	}
	if (idx == q->last_avail)
		return 0;
	if ((uint16_t)(idx - q->last_avail) > q->size)
		return -1; /* the driver claims more entries than slots */
	*head = load_relaxed(&avail[2 + q->last_avail % q->size]);
	q->last_avail++;
	return 1;
}

static const char *chain_add(struct sim_chain *ch,
			     const struct vg_vring_desc *d)
{
	bool w = d->flags & VG_DESC_F_WRITE;

	if (!w && ch->n > ch->n_out)
		return "readable buffer after a writable one";
	if (ch->n == ch->cap) {
		unsigned cap = ch->cap ? ch->cap * 2 : 8;
		struct sim_seg *n = realloc(ch->segs, cap * sizeof(*n));
		if (!n)
			return "out of host memory";
		ch->segs = n;
		ch->cap = cap;
	}
	ch->segs[ch->n++] = (struct sim_seg){d->addr, d->len, w};
	if (w)
		ch->in_len += d->len;
	else {
		ch->n_out++;
		ch->out_len += d->len;
	}
	return NULL;
}

/* Walks table[0..n) starting at start. */
static const char *walk(struct sim_chain *ch, const struct vg_vring_desc *table,
			uint32_t n, uint16_t start, bool indirect,
			const struct vg_vring_desc **ind_desc)
{
	uint16_t i = start;

	for (uint32_t visited = 0;; visited++) {
		struct vg_vring_desc d;
		if (i >= n)
			return "descriptor index out of range";
		if (visited >= n)
			return "descriptor loop";
		memcpy(&d, &table[i], sizeof(d));
		if (d.flags & VG_DESC_F_INDIRECT) {
			if (indirect)
				return "nested indirect descriptor";
			if (d.flags & VG_DESC_F_NEXT)
				return "indirect descriptor with NEXT";
			if (ch->n)
				return "indirect descriptor inside a chain";
			*ind_desc = &table[i];
			return NULL;
		}
		const char *why = chain_add(ch, &d);
		if (why)
			return why;
		if (!(d.flags & VG_DESC_F_NEXT))
			return NULL;
		i = d.next;
	}
}

const char *sim_vring_chain(struct vg_sim *s, unsigned qidx, uint16_t head,
			    struct sim_chain *ch)
{
	struct sim_queue *q = &s->q[qidx];
	const struct vg_vring_desc *ind = NULL;
	const char *why;

	memset(ch, 0, sizeof(*ch));
	ch->head = head;
	const struct vg_vring_desc *table =
		(q->desc & 15) ? NULL
			       : vgp_pagemem_device_view(s->mem, q->desc,
							 16ull * q->size);
	if (!table) {
		why = "descriptor table is not guest memory";
		goto fail;
	}
	why = walk(ch, table, q->size, head, false, &ind);
	if (why)
		goto fail;
	if (ind) {
		struct vg_vring_desc d;
		memcpy(&d, ind, sizeof(d));
		if (!(s->driver_features & (1ull << VG_F_RING_INDIRECT_DESC))) {
			why = "indirect descriptor not negotiated";
			goto fail;
		}
		if (d.len == 0 || d.len % 16 || d.len / 16 > MAX_INDIRECT) {
			why = "bad indirect table length";
			goto fail;
		}
		const struct vg_vring_desc *it =
			vgp_pagemem_device_view(s->mem, d.addr, d.len);
		if (!it || (d.addr & 15)) {
			why = "indirect table is not guest memory";
			goto fail;
		}
		why = walk(ch, it, d.len / 16, 0, true, &ind);
		if (why)
			goto fail;
	}
	return NULL;
fail:
	sim_chain_free(ch);
	return why;
}

void sim_chain_free(struct sim_chain *ch)
{
	free(ch->segs);
	memset(ch, 0, sizeof(*ch));
}

bool sim_chain_read(struct vg_sim *s, const struct sim_chain *ch, uint8_t *buf,
		    size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < ch->n_out && done < len; i++) {
		const struct sim_seg *g = &ch->segs[i];
		size_t n = len - done < g->len ? len - done : g->len;
		if (!n)
			continue;
		const uint8_t *p = vgp_pagemem_device_view(s->mem, g->addr, n);
		if (!p)
			return false;
		memcpy(buf + done, p, n);
		done += n;
	}
	return done == len;
}

uint32_t sim_segs_write(struct vg_sim *s, const struct sim_seg *segs,
			unsigned n, const void *data, uint32_t len)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < n && done < len; i++) {
		if (!segs[i].write)
			continue;
		uint32_t k =
			len - done < segs[i].len ? len - done : segs[i].len;
		if (!k)
			continue;
		uint8_t *p = vgp_pagemem_device_view(s->mem, segs[i].addr, k);
		if (!p)
			break;
		memcpy(p, (const uint8_t *)data + done, k);
		done += k;
	}
	return done;
}

bool sim_vring_push(struct vg_sim *s, unsigned qidx, uint32_t id, uint32_t len)
{
	struct sim_queue *q = &s->q[qidx];
	uint8_t *used = used_ring(s, q);

	if (!used)
		return false;
	struct vg_vring_used_elem e = {id, len};
	uint32_t *slot = (uint32_t *)(used + 4 + 8u * (q->used_idx % q->size));
	store_relaxed(&slot[0], e.id);
	store_relaxed(&slot[1], e.len);
	q->used_idx++;
	/* Entry (and the buffers written before) visible before the index. */
	store_release((uint16_t *)(used + 2), q->used_idx);
	return true;
}

bool sim_vring_need_interrupt(struct vg_sim *s, unsigned qidx)
{
	struct sim_queue *q = &s->q[qidx];
	uint16_t *avail = avail_ring(s, q);
	uint16_t old = q->signalled_used, now = q->used_idx;
	bool valid = q->signalled_valid;

	if (!avail)
		return true;
	/* Our used idx store must be ordered before reading the driver's
	 * suppression state, or both sides can decide to sleep. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	q->signalled_used = now;
	q->signalled_valid = true;
	if (!event_idx(s))
		return !(load_acquire(&avail[0]) & VG_AVAIL_F_NO_INTERRUPT);
	uint16_t used_event = load_acquire(&avail[2 + q->size]);
	if (!valid)
		return true;
	return (uint16_t)(now - used_event - 1) < (uint16_t)(now - old);
}
