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
	/* Interrupt plumbing: set by irq_connect, cleared by disconnect.
	 * Nothing fires on its own; a harness calls mock_os_interrupt and
	 * mock_os_run_dpc (single-threaded, deterministic). */
	vg_isr_fn isr;
	vg_dpc_fn dpc;
	void *irq_ctx;
	int dpc_pending; /* dpc_request calls not yet run */
	int in_isr;	 /* inside isr: locks, events and memory abort */
};

void mock_os_init(struct mock_os *m);
/* The table mock_os_init installs, for harnesses that override the
 * device-access, event or clock entries and keep the memory ones. */
extern const struct vg_os_ops mock_os_ops;
/* Runs the connected isr once (nothing if none), as interrupt context:
 * a lock, event or allocation call from inside it aborts the test. */
void mock_os_interrupt(struct mock_os *m);
/* Runs the connected dpc if one was requested (or, with spurious, even if
 * not); returns whether it ran. */
int mock_os_run_dpc(struct mock_os *m, int spurious);
/* Aborts when called in interrupt context; for harness overrides. */
void mock_os_not_in_isr(struct mock_os *m, const char *what);

#endif
