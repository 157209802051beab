/* SPDX-License-Identifier: MIT */
/*
 * The device side of a split virtqueue: popping available chains, walking
 * them (direct and indirect descriptors, with loop and bounds protection),
 * moving bytes in and out of their buffers, pushing used entries and
 * deciding about interrupts (event index or NO_INTERRUPT).  Every address
 * the driver gave goes through vgp_pagemem_device_view.  Called with the device
 * lock.
 */
#ifndef VIOGPU_SIM_VRING_H
#define VIOGPU_SIM_VRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vg_sim;

struct sim_seg {
	uint64_t addr;
	uint32_t len;
	bool write;
};

struct sim_chain {
	uint16_t head;
	struct sim_seg *segs; /* readable ones first */
	unsigned n, cap;
	unsigned n_out; /* readable segments */
	uint64_t out_len, in_len;
};

/* 1: *head taken; 0: nothing available; -1: the ring is unusable (the
 * caller breaks the device). */
int sim_vring_pop(struct vg_sim *s, unsigned qidx, uint16_t *head);

/* Walks the chain at head.  NULL on success, else why it is malformed
 * (ch is then freed).  Buffer addresses are not checked here. */
const char *sim_vring_chain(struct vg_sim *s, unsigned qidx, uint16_t head,
			    struct sim_chain *ch);
void sim_chain_free(struct sim_chain *ch);

/* Copies the first len readable bytes into buf; false if a buffer is not
 * valid guest memory. */
bool sim_chain_read(struct vg_sim *s, const struct sim_chain *ch, uint8_t *buf,
		    size_t len);
/* Writes data into the writable segments in order, as far as they reach
 * (and are valid memory); returns the bytes written. */
uint32_t sim_segs_write(struct vg_sim *s, const struct sim_seg *segs,
			unsigned n, const void *data, uint32_t len);

/* Publishes one used entry (entry first, then the index, release). */
bool sim_vring_push(struct vg_sim *s, unsigned qidx, uint32_t id, uint32_t len);
/* After pushing: does the driver want an interrupt for what was pushed
 * since the last decision? */
bool sim_vring_need_interrupt(struct vg_sim *s, unsigned qidx);

#endif
