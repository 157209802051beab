/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueue (virtio 1.x, 2.7): descriptor table, available ring and
 * used ring in one contiguous DMA block.  Queueing (vg_vq_add) is separate
 * from notifying (vg_vq_kick_prepare), so a caller can put many chains
 * behind one doorbell.  Everything the device can write (used ring, the
 * avail_event word) is validated; the chain bookkeeping the driver needs to
 * free descriptors lives in private memory the device cannot touch.
 *
 * Not thread-safe: the caller holds the queue's lock around every call.
 */
#ifndef VG_VIRTQUEUE_H
#define VG_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"

/* One buffer of a chain, as the device sees it. */
struct vg_sg {
	uint64_t addr;
	uint32_t len;
};

/* Caller-owned memory for one indirect table (device-visible). */
struct vg_indirect {
	struct vg_vring_desc *table; /* CPU view */
	uint64_t addr;		     /* device address */
	uint16_t capacity;	     /* entries */
};

struct vg_vq_stats {
	uint64_t bad_used_id;  /* used id not a chain head in flight */
	uint64_t bad_used_len; /* used len larger than the chain's in-buffers */
	uint64_t bad_used_idx; /* used idx moved by more than in flight */
	uint64_t notifies;
	uint64_t notifies_suppressed;
};

struct vg_vq {
	struct vg_os *os;  /* set by init */
	uint16_t index;	   /* queue index on the device */
	uint16_t size;	   /* descriptors, a power of two */
	bool event_idx;	   /* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool use_indirect; /* VIRTIO_RING_F_INDIRECT_DESC negotiated */

	struct vg_dma ring; /* desc + avail + used */
	struct vg_vring_desc *desc;
	uint16_t *avail;    /* flags, idx, ring[size], used_event */
	uint16_t *used_hdr; /* flags, idx */
	struct vg_vring_used_elem *used_ring;
	uint16_t *avail_event; /* after used_ring[size] */
	uint64_t desc_addr, avail_addr, used_addr;

	/* Private bookkeeping: never read back from device-visible memory. */
	uint16_t free_head;
	uint16_t num_free;
	uint16_t avail_idx;	/* next index we publish */
	uint16_t last_used_idx; /* next used entry we consume */
	uint16_t signalled_idx; /* avail_idx at the last kick decision */
	uint16_t in_flight;
	uint16_t last_bad_used_idx; /* counted once per bogus used idx */
	uint16_t *next;		    /* private copy of each descriptor's next */
	uint16_t
		*chain_ndesc; /* per head: ring descriptors it uses, 0 = free */
	uint32_t *chain_in_len; /* per head: bytes the device may write */
	void **cookie;		/* per head */

	struct vg_vq_stats stats;
};

/* Size in bytes of the ring block for a queue of size descriptors. */
uint64_t vg_vq_ring_bytes(uint16_t size);

/* size must be a power of two <= 32768.  Allocates the ring (zeroed) and
 * the private arrays through os.  Unwinds fully on failure. */
vg_status vg_vq_init(struct vg_vq *vq, struct vg_os *os, uint16_t index,
		     uint16_t size, bool event_idx, bool use_indirect);
/* Frees everything; the device must not own the ring any more (reset).
 * Accepts a zeroed or failed-init vq. */
void vg_vq_finish(struct vg_vq *vq);
/* Forgets every chain and zeroes the ring, as after a device reset.
 * Returns the cookies of chains that were in flight through abandoned()
 * so the owner can reclaim them. */
void vg_vq_reset(struct vg_vq *vq, void (*abandoned)(void *cookie, void *ctx),
		 void *ctx);

/*
 * Queues one chain: n_out device-readable buffers then n_in
 * device-writable ones.  With ind (and use_indirect) the chain goes into
 * the indirect table and takes one ring descriptor.  VG_E_BUSY when there
 * is no room.  cookie must not be NULL; it comes back from vg_vq_get_used.
 */
vg_status vg_vq_add(struct vg_vq *vq, const struct vg_sg *sg, unsigned n_out,
		    unsigned n_in, const struct vg_indirect *ind, void *cookie);

/* Publishes nothing new; decides whether the device wants a doorbell for
 * what was added since the last call (event index or NO_NOTIFY). */
bool vg_vq_kick_prepare(struct vg_vq *vq);

/*
 * Takes the next used entry.  Returns true with *cookie and *len for a
 * valid completion, false when nothing (valid) is left.  Entries naming no
 * chain in flight are skipped and counted, never dereferenced.  *len is
 * clamped to the chain's writable size (and counted) when larger.
 */
bool vg_vq_get_used(struct vg_vq *vq, void **cookie, uint32_t *len);

/* After draining: asks for an interrupt on the next completion.  Returns
 * true if more used entries arrived meanwhile (drain again). */
bool vg_vq_enable_cb(struct vg_vq *vq);

/* The avail/used indexes as event-index arithmetic sees them. */
static inline bool vg_vring_need_event(uint16_t event_idx, uint16_t new_idx,
				       uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) <
	       (uint16_t)(new_idx - old_idx);
}

#endif
