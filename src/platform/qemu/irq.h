/* SPDX-License-Identifier: MIT */
/*
 * Interrupt delivery on QEMU: the level of the intercepted IOAPIC lines
 * (fed by the qtest reader thread) drives one INTx-style line whose
 * interrupt thread (src/platform/posix/posix_intx.c) runs the core's ISR.
 * The reader thread never runs the ISR: the ISR issues qtest commands
 * whose answers the reader delivers.
 */
#ifndef VIOGPU_QEMU_IRQ_H
#define VIOGPU_QEMU_IRQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "posix_intx.h"

struct vgq_irq {
	int verbose;
	pthread_mutex_t lock; /* protects raised and lines_seen */
	uint64_t raised;      /* bit n: IOAPIC line n is high */
	uint64_t lines_seen;  /* logged once each */
	struct vgp_intx intx;
};

void vgq_irq_init(struct vgq_irq *irq, int verbose);
void vgq_irq_finish(struct vgq_irq *irq); /* disconnects first */

/* From the qtest reader thread. */
void vgq_irq_line(struct vgq_irq *irq, unsigned line, bool raised);
void vgq_irq_dead(struct vgq_irq *irq);

#endif
