// SPDX-License-Identifier: MIT
#include "posix_intx.h"

#include <time.h>

void vgp_intx_init(struct vgp_intx *irq, unsigned storm_calls,
		   void (*on_storm)(void *storm_ctx, unsigned calls),
		   void *storm_ctx)
{
	*irq = (struct vgp_intx){.storm_calls = storm_calls,
				 .on_storm = on_storm,
				 .storm_ctx = storm_ctx};
	atomic_init(&irq->calls, 0);
	pthread_mutex_init(&irq->lock, NULL);
	pthread_cond_init(&irq->changed, NULL);
	pthread_cond_init(&irq->dpc_wake, NULL);
}

void vgp_intx_finish(struct vgp_intx *irq)
{
	vgp_intx_disconnect(irq);
	pthread_cond_destroy(&irq->dpc_wake);
	pthread_cond_destroy(&irq->changed);
	pthread_mutex_destroy(&irq->lock);
}

void vgp_intx_set_level(struct vgp_intx *irq, bool high)
{
	pthread_mutex_lock(&irq->lock);
	if (high && !irq->level)
		irq->raise_seq++;
	irq->level = high;
	pthread_cond_broadcast(&irq->changed);
	pthread_mutex_unlock(&irq->lock);
}

void vgp_intx_share(struct vgp_intx *irq)
{
	pthread_mutex_lock(&irq->lock);
	if (irq->running && !irq->dead) {
		irq->shared++;
		pthread_cond_broadcast(&irq->changed);
	}
	pthread_mutex_unlock(&irq->lock);
}

void vgp_intx_kill(struct vgp_intx *irq)
{
	pthread_mutex_lock(&irq->lock);
	irq->dead = true;
	pthread_cond_broadcast(&irq->changed);
	pthread_mutex_unlock(&irq->lock);
}

static void *intx_thread(void *arg)
{
	struct vgp_intx *irq = arg;
	unsigned storm = 0;
	bool warned = false;

	pthread_mutex_lock(&irq->lock);
	while (!irq->stop) {
		if (!irq->level && irq->shared && !irq->dead) {
			/* Another device's interrupt on the shared line. */
			irq->shared--;
			vg_isr_fn isr = irq->isr;
			void *ctx = irq->ctx;
			atomic_fetch_add(&irq->calls, 1);
			pthread_mutex_unlock(&irq->lock);
			isr(ctx);
			pthread_mutex_lock(&irq->lock);
			continue;
		}
		if (!irq->level || irq->dead) {
			storm = 0;
			pthread_cond_wait(&irq->changed, &irq->lock);
			continue;
		}
		uint64_t seq = irq->raise_seq;
		vg_isr_fn isr = irq->isr;
		void *ctx = irq->ctx;

		/* Counted before the call: the ISR may wake a waiter that
		 * reads the count at once. */
		atomic_fetch_add(&irq->calls, 1);
		pthread_mutex_unlock(&irq->lock);
		isr(ctx);
		pthread_mutex_lock(&irq->lock);

		/* Level-triggered: still high with no new edge means the ISR
		 * did not acknowledge; call again, paced after a while. */
		if (!irq->level || irq->raise_seq != seq) {
			storm = 0;
			continue;
		}
		if (++storm < irq->storm_calls)
			continue;
		if (!warned && irq->on_storm) {
			irq->on_storm(irq->storm_ctx, storm);
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

void vgp_intx_request_dpc(struct vgp_intx *irq)
{
	pthread_mutex_lock(&irq->lock);
	irq->dpc_pending = true;
	pthread_cond_signal(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
}

/* Deferred context: one thread, so DPCs never overlap each other; they do
 * overlap the ISR, as on real hardware. */
static void *dpc_thread(void *arg)
{
	struct vgp_intx *irq = arg;

	pthread_mutex_lock(&irq->lock);
	while (!irq->stop) {
		if (!irq->dpc_pending) {
			pthread_cond_wait(&irq->dpc_wake, &irq->lock);
			continue;
		}
		irq->dpc_pending = false;
		vg_dpc_fn dpc = irq->dpc;
		void *ctx = irq->ctx;
		pthread_mutex_unlock(&irq->lock);
		dpc(ctx);
		pthread_mutex_lock(&irq->lock);
	}
	pthread_mutex_unlock(&irq->lock);
	return NULL;
}

vg_status vgp_intx_connect(struct vgp_intx *irq, vg_isr_fn isr, vg_dpc_fn dpc,
			   void *ctx)
{
	if (!isr || !dpc)
		return VG_E_INVAL;
	pthread_mutex_lock(&irq->lock);
	if (irq->running) {
		pthread_mutex_unlock(&irq->lock);
		return VG_E_BUSY;
	}
	irq->isr = isr;
	irq->dpc = dpc;
	irq->ctx = ctx;
	irq->stop = false;
	irq->dpc_pending = false;
	if (pthread_create(&irq->dpc_thread, NULL, dpc_thread, irq) != 0)
		goto err_clear;
	if (pthread_create(&irq->thread, NULL, intx_thread, irq) != 0)
		goto err_stop_dpc;
	irq->running = true;
	pthread_mutex_unlock(&irq->lock);
	return VG_OK;

err_stop_dpc:
	irq->stop = true;
	pthread_cond_broadcast(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
	pthread_join(irq->dpc_thread, NULL);
	pthread_mutex_lock(&irq->lock);
err_clear:
	irq->isr = NULL;
	irq->dpc = NULL;
	irq->ctx = NULL;
	pthread_mutex_unlock(&irq->lock);
	return VG_E_NOMEM;
}

void vgp_intx_disconnect(struct vgp_intx *irq)
{
	pthread_mutex_lock(&irq->lock);
	if (!irq->running) {
		pthread_mutex_unlock(&irq->lock);
		return;
	}
	irq->stop = true;
	pthread_cond_broadcast(&irq->changed);
	pthread_cond_broadcast(&irq->dpc_wake);
	pthread_t t = irq->thread, d = irq->dpc_thread;
	pthread_mutex_unlock(&irq->lock);
	pthread_join(t, NULL); /* the ISR has returned for good */
	pthread_join(d, NULL); /* and so has the DPC */
	pthread_mutex_lock(&irq->lock);
	irq->running = false;
	irq->dpc_pending = false;
	irq->shared = 0;
	irq->isr = NULL;
	irq->dpc = NULL;
	irq->ctx = NULL;
	pthread_mutex_unlock(&irq->lock);
}
