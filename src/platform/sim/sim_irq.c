// SPDX-License-Identifier: MIT
#include "sim_irq.h"

#include <time.h>

/* ISR calls in a row that leave the line high with no new edge before the
 * thread starts pacing them (a driver that never acknowledges). */
#define STORM_CALLS 10000

void sim_irq_init(struct sim_irq *irq)
{
	*irq = (struct sim_irq){.level = false};
	pthread_mutex_init(&irq->lock, NULL);
	pthread_cond_init(&irq->changed, NULL);
}

void sim_irq_finish(struct sim_irq *irq)
{
	sim_irq_disconnect(irq);
	pthread_cond_destroy(&irq->changed);
	pthread_mutex_destroy(&irq->lock);
}

void sim_irq_set_level(struct sim_irq *irq, bool high)
{
	pthread_mutex_lock(&irq->lock);
	if (high && !irq->level)
		irq->raise_seq++;
	irq->level = high;
	pthread_cond_broadcast(&irq->changed);
	pthread_mutex_unlock(&irq->lock);
}

static void *irq_thread(void *arg)
{
	struct sim_irq *irq = arg;
	unsigned storm = 0;

	pthread_mutex_lock(&irq->lock);
	while (!irq->stop) {
		if (!irq->level) {
			storm = 0;
			pthread_cond_wait(&irq->changed, &irq->lock);
			continue;
		}
		uint64_t seq = irq->raise_seq;
		vg_isr_fn isr = irq->isr;
		void *ctx = irq->ctx;

		pthread_mutex_unlock(&irq->lock);
		isr(ctx);
		pthread_mutex_lock(&irq->lock);
		irq->isr_calls++;
		if (!irq->level || irq->raise_seq != seq ||
		    ++storm < STORM_CALLS)
			continue;
		pthread_mutex_unlock(&irq->lock);
		struct timespec ts = {0, 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&irq->lock);
	}
	pthread_mutex_unlock(&irq->lock);
	return NULL;
}

vg_status sim_irq_connect(struct sim_irq *irq, vg_isr_fn isr, void *ctx)
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
		irq->ctx = NULL;
		pthread_mutex_unlock(&irq->lock);
		return VG_E_NOMEM;
	}
	pthread_mutex_unlock(&irq->lock);
	return VG_OK;
}

void sim_irq_disconnect(struct sim_irq *irq)
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
