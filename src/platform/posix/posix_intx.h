/* SPDX-License-Identifier: MIT */
/*
 * A level-triggered interrupt line and the "interrupt context" thread
 * that runs the core's ISR while the line is high, as INTx behaves: the
 * ISR reads the device's ISR register, which lowers the line; a line still
 * high after the ISR returns calls it again, paced once it has stayed high
 * for storm_calls calls in a row with no new edge (nobody acknowledges).
 * Shared by the user-space platforms; whoever drives the line (the qtest
 * reader thread, the device model) never runs the ISR itself.
 * A second thread runs the deferred routine (DPC) each time the ISR asks
 * for it (vgp_intx_request_dpc); requests made while it runs make it run
 * once more.
 * On pthreads (posix_intx.c), and on Windows with its own threads, SRW
 * lock and condition variables (src/platform/win32/win_intx.c).
 */
#ifndef VIOGPU_POSIX_INTX_H
#define VIOGPU_POSIX_INTX_H

#ifndef _WIN32
#include <pthread.h>
#endif
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#endif

struct vgp_intx {
	atomic_uint_least64_t calls; /* ISR invocations, counted before each */
#ifdef _WIN32
	SRWLOCK lock; /* protects everything below */
	CONDITION_VARIABLE changed;
#else
	pthread_mutex_t lock; /* protects everything below */
	pthread_cond_t changed;
#endif
	bool level;
	uint64_t raise_seq; /* low -> high edges */
	unsigned shared;    /* other devices' interrupts not yet delivered */
	bool dead;	    /* the device is gone: no more interrupts */
	bool stop, running;
	vg_isr_fn isr;
	vg_dpc_fn dpc;
	void *ctx;
#ifdef _WIN32
	HANDLE thread;
	HANDLE dpc_thread;
	CONDITION_VARIABLE dpc_wake;
#else
	pthread_t thread;
	pthread_t dpc_thread;
	pthread_cond_t dpc_wake;
#endif
	bool dpc_pending; /* requested and not yet started */
	unsigned storm_calls;
	void (*on_storm)(void *storm_ctx, unsigned calls); /* may be NULL */
	void *storm_ctx;
};

void vgp_intx_init(struct vgp_intx *irq, unsigned storm_calls,
		   void (*on_storm)(void *storm_ctx, unsigned calls),
		   void *storm_ctx);
void vgp_intx_finish(struct vgp_intx *irq); /* disconnects first */
/* Drives the line. */
void vgp_intx_set_level(struct vgp_intx *irq, bool high);
/* Another device on the same (shared) line interrupted: the ISR is called
 * once more with nothing of ours to find, as an OS calls every ISR on a
 * shared INTx line.  Nothing happens unless connected. */
void vgp_intx_share(struct vgp_intx *irq);
/* The device is gone: the thread stops calling the ISR. */
void vgp_intx_kill(struct vgp_intx *irq);
/* The os.h irq_connect / irq_disconnect contracts. */
vg_status vgp_intx_connect(struct vgp_intx *irq, vg_isr_fn isr, vg_dpc_fn dpc,
			   void *ctx);
void vgp_intx_disconnect(struct vgp_intx *irq);
/* The os.h dpc_request contract: called from the ISR. */
void vgp_intx_request_dpc(struct vgp_intx *irq);

#endif
