// SPDX-License-Identifier: MIT
#include "irq.h"

#include <time.h>

#include "qemu_log.h"

/* ISR calls in a row that left the line high with no new edge before we
 * assume nobody acks it and start pacing the calls. */
#define STORM_CALLS 100000

void vgq_irq_init(struct vgq_irq *irq, int verbose)
{
	*irq = (struct vgq_irq){.verbose = verbose};
	atomic_init(&irq->count, 0);
	pthread_mutex_init(&irq->lock, NULL);
	pthread_cond_init(&irq->changed, NULL);
}

void vgq_irq_finish(struct vgq_irq *irq)
{
	vgq_irq_disconnect(irq);
	pthread_cond_destroy(&irq->changed);
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
	if (raised) {
		irq->raised |= 1ull << line;
		irq->raise_seq++;
	} else {
		irq->raised &= ~(1ull << line);
	}
	pthread_cond_broadcast(&irq->changed);
	pthread_mutex_unlock(&irq->lock);
}

void vgq_irq_dead(struct vgq_irq *irq)
{
	pthread_mutex_lock(&irq->lock);
	irq->dead = true;
	pthread_cond_broadcast(&irq->changed);
	pthread_mutex_unlock(&irq->lock);
}

static void *irq_thread(void *arg)
{
	struct vgq_irq *irq = arg;
	unsigned storm = 0;
	bool warned = false;

	pthread_mutex_lock(&irq->lock);
	while (!irq->stop) {
		if (!irq->raised || irq->dead) {
			pthread_cond_wait(&irq->changed, &irq->lock);
			continue;
		}
		uint64_t seq = irq->raise_seq;
		vg_isr_fn isr = irq->isr;
		void *ctx = irq->ctx;

		/* Counted before the call: the ISR may wake a waiter that
		 * reads the count at once. */
		atomic_fetch_add(&irq->count, 1);
		pthread_mutex_unlock(&irq->lock);
		isr(ctx);
		pthread_mutex_lock(&irq->lock);

		/* Level-triggered: still high means call again.  The ack's
		 * "IRQ lower" precedes the answer to the ISR's read, so the
		 * state is current here. */
		if (!irq->raised || irq->raise_seq != seq) {
			storm = 0;
			continue;
		}
		if (++storm < STORM_CALLS)
			continue;
		if (!warned) {
			vgq_log(irq->verbose, VG_LOG_WARN,
				"interrupt line stays raised after %u ISR "
				"calls; pacing them",
				storm);
			warned = true;
		}
		pthread_mutex_unlock(&irq->lock);
		struct timespec ts = {0, 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&irq->lock);
	}
	pthread_mutex_unlock(&irq->lock);
	return NULL;
}

vg_status vgq_irq_connect(struct vgq_irq *irq, vg_isr_fn isr, void *ctx)
{
	if (!isr)
		return VG_E_INVAL;
	pthread_mutex_lock(&irq->lock);
	if (irq->running) {
		pthread_mutex_unlock(&irq->lock);
		return VG_E_BUSY;
	}
	irq->isr = isr;
	irq->ctx = ctx;
	irq->stop = false;
	irq->running = true;
	if (pthread_create(&irq->thread, NULL, irq_thread, irq) != 0) {
		irq->running = false;
		irq->isr = NULL;
		pthread_mutex_unlock(&irq->lock);
		return VG_E_NOMEM;
	}
	pthread_mutex_unlock(&irq->lock);
	return VG_OK;
}

void vgq_irq_disconnect(struct vgq_irq *irq)
{
	pthread_mutex_lock(&irq->lock);
	if (!irq->running) {
		pthread_mutex_unlock(&irq->lock);
		return;
	}
	irq->stop = true;
	pthread_cond_broadcast(&irq->changed);
	pthread_t t = irq->thread;
	pthread_mutex_unlock(&irq->lock);
	pthread_join(t, NULL); /* the ISR has returned for good */
	pthread_mutex_lock(&irq->lock);
	irq->running = false;
	irq->isr = NULL;
	irq->ctx = NULL;
	pthread_mutex_unlock(&irq->lock);
}
