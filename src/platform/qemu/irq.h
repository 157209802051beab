/* SPDX-License-Identifier: MIT */
/*
 * Interrupt delivery: level state of the intercepted IOAPIC lines (fed by
 * the qtest reader thread) and the "interrupt context" thread that runs
 * the core's ISR while a line is raised.  The reader thread never runs the
 * ISR: the ISR issues qtest commands whose answers the reader delivers.
 */
#ifndef VIOGPU_QEMU_IRQ_H
#define VIOGPU_QEMU_IRQ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"

struct vgq_irq {
	int verbose;
	atomic_uint_least64_t count; /* ISR invocations */
	pthread_mutex_t lock;	     /* protects the fields below */
	pthread_cond_t changed;
	uint64_t raised;     /* bit n: IOAPIC line n is high */
	uint64_t raise_seq;  /* raise edges seen */
	uint64_t lines_seen; /* logged once each */
	bool dead;	     /* no more interrupts will come */
	bool stop;
	bool running;
	vg_isr_fn isr;
	void *ctx;
	pthread_t thread;
};

void vgq_irq_init(struct vgq_irq *irq, int verbose);
void vgq_irq_finish(struct vgq_irq *irq); /* disconnects first */

/* From the qtest reader thread. */
void vgq_irq_line(struct vgq_irq *irq, unsigned line, bool raised);
void vgq_irq_dead(struct vgq_irq *irq);

/* The os.h irq_connect / irq_disconnect contracts. */
vg_status vgq_irq_connect(struct vgq_irq *irq, vg_isr_fn isr, void *ctx);
void vgq_irq_disconnect(struct vgq_irq *irq);

#endif
