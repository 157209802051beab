// SPDX-License-Identifier: MIT
#include "irq.h"

#include "qemu_log.h"

/* ISR calls in a row that leave the line raised with no new edge before
 * we assume nobody acks it and start pacing the calls. */
#define STORM_CALLS 100000

static void on_storm(void *ctx, unsigned calls)
{
	struct vgq_irq *irq = ctx;
	vgq_log(irq->verbose, VG_LOG_WARN,
		"interrupt line stays raised after %u ISR calls; pacing them",
		calls);
}

void vgq_irq_init(struct vgq_irq *irq, int verbose)
{
	irq->verbose = verbose;
	irq->raised = 0;
	irq->lines_seen = 0;
	pthread_mutex_init(&irq->lock, NULL);
	vgp_intx_init(&irq->intx, STORM_CALLS, on_storm, irq);
}

void vgq_irq_finish(struct vgq_irq *irq)
{
	vgp_intx_finish(&irq->intx);
	pthread_mutex_destroy(&irq->lock);
}

void vgq_irq_line(struct vgq_irq *irq, unsigned line, bool raised)
{
	if (line >= 64) {
		vgq_log(irq->verbose, VG_LOG_WARN,
			"interrupt on IOAPIC line %u ignored", line);
		return;
	}
	pthread_mutex_lock(&irq->lock);
	if (!(irq->lines_seen >> line & 1)) {
		irq->lines_seen |= 1ull << line;
		/* One device: whatever line it is wired to is ours. */
		vgq_log(irq->verbose, VG_LOG_DEBUG,
			"device interrupt arrives on IOAPIC line %u", line);
	}
	if (raised)
		irq->raised |= 1ull << line;
	else
		irq->raised &= ~(1ull << line);
	bool level = irq->raised != 0;
	pthread_mutex_unlock(&irq->lock);
	/* Only the reader thread drives lines, so levels stay in order. */
	vgp_intx_set_level(&irq->intx, level);
}

void vgq_irq_dead(struct vgq_irq *irq)
{
	vgp_intx_kill(&irq->intx);
}
