/* SPDX-License-Identifier: MIT */
/*
 * A vg_os for unit tests: malloc-backed memory whose "device address" is
 * the CPU address (identity), with allocation counting and failure
 * injection; locks and events on pthreads; no device behind BAR access.
 */
#ifndef VG_MOCK_OS_H
#define VG_MOCK_OS_H

#include <pthread.h>
#include <stdint.h>

#include "viogpu/os.h"

struct mock_os {
	struct vg_os os;
	long live_allocs;  /* alloc + dma_alloc not yet freed */
	long total_allocs; /* calls so far */
	long fail_at;	   /* fail the Nth call (1-based); 0 never */
	size_t dma_block;  /* split DMA buffers into runs of this size; 0 = one
			      run */
	pthread_mutex_t mu;
};

void mock_os_init(struct mock_os *m);
/* The table mock_os_init installs, for harnesses that override the
 * device-access, event or clock entries and keep the memory ones. */
extern const struct vg_os_ops mock_os_ops;

#endif
