// SPDX-License-Identifier: MIT
/*
 * posix_intx.h on Windows: the same level-triggered line and the same
 * two threads (interrupt context, deferred context), made with Windows'
 * own CreateThread, SRW lock and condition variables.
 */
#include "posix_intx.h"

static void lock(struct vgp_intx *irq)
{
	AcquireSRWLockExclusive(&irq->lock);
}

static void unlock(struct vgp_intx *irq)
{
	ReleaseSRWLockExclusive(&irq->lock);
}

static void wait(CONDITION_VARIABLE *cv, struct vgp_intx *irq)
{
	SleepConditionVariableSRW(cv, &irq->lock, INFINITE, 0);
}

void vgp_intx_init(struct vgp_intx *irq, unsigned storm_calls,
		   void (*on_storm)(void *storm_ctx, unsigned calls),
		   void *storm_ctx)
{
	*irq = (struct vgp_intx){.storm_calls = storm_calls,
				 .on_storm = on_storm,
				 .storm_ctx = storm_ctx};
	atomic_init(&irq->calls, 0);
	InitializeSRWLock(&irq->lock);
	InitializeConditionVariable(&irq->changed);
	InitializeConditionVariable(&irq->dpc_wake);
}

void vgp_intx_finish(struct vgp_intx *irq)
{
	vgp_intx_disconnect(irq); /* SRW locks and CVs need no clean-up */
}

void vgp_intx_set_level(struct vgp_intx *irq, bool high)
{
	lock(irq);
	if (high && !irq->level)
		irq->raise_seq++;
	irq->level = high;
	WakeAllConditionVariable(&irq->changed);
	unlock(irq);
}

void vgp_intx_share(struct vgp_intx *irq)
{
	lock(irq);
	if (irq->running && !irq->dead) {
		irq->shared++;
		WakeAllConditionVariable(&irq->changed);
	}
	unlock(irq);
}

void vgp_intx_kill(struct vgp_intx *irq)
{
	lock(irq);
	irq->dead = true;
	WakeAllConditionVariable(&irq->changed);
	unlock(irq);
}

static DWORD WINAPI intx_thread(void *arg)
{
	struct vgp_intx *irq = arg;
	unsigned storm = 0;
	bool warned = false;

	lock(irq);
	while (!irq->stop) {
		if (!irq->level && irq->shared && !irq->dead) {
			/* Another device's interrupt on the shared line. */
			irq->shared--;
			vg_isr_fn isr = irq->isr;
			void *ctx = irq->ctx;
			atomic_fetch_add(&irq->calls, 1);
			unlock(irq);
			isr(ctx);
			lock(irq);
			continue;
		}
		if (!irq->level || irq->dead) {
			storm = 0;
			wait(&irq->changed, irq);
			continue;
		}
		uint64_t seq = irq->raise_seq;
		vg_isr_fn isr = irq->isr;
		void *ctx = irq->ctx;

		/* Counted before the call: the ISR may wake a waiter that
		 * reads the count at once. */
		atomic_fetch_add(&irq->calls, 1);
		unlock(irq);
		isr(ctx);
		lock(irq);

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
		unlock(irq);
		Sleep(1);
		lock(irq);
	}
	unlock(irq);
	return 0;
}

void vgp_intx_request_dpc(struct vgp_intx *irq)
{
	lock(irq);
	irq->dpc_pending = true;
	WakeConditionVariable(&irq->dpc_wake);
	unlock(irq);
}

/* Deferred context: one thread, so DPCs never overlap each other; they do
 * overlap the ISR, as on real hardware. */
static DWORD WINAPI dpc_thread(void *arg)
{
	struct vgp_intx *irq = arg;

	lock(irq);
	while (!irq->stop) {
		if (!irq->dpc_pending) {
			wait(&irq->dpc_wake, irq);
			continue;
		}
		irq->dpc_pending = false;
		vg_dpc_fn dpc = irq->dpc;
		void *ctx = irq->ctx;
		unlock(irq);
		dpc(ctx);
		lock(irq);
	}
	unlock(irq);
	return 0;
}

/* Waits for a thread to end and closes its handle. */
static void join(HANDLE t)
{
	WaitForSingleObject(t, INFINITE);
	CloseHandle(t);
}

vg_status vgp_intx_connect(struct vgp_intx *irq, vg_isr_fn isr, vg_dpc_fn dpc,
			   void *ctx)
{
	if (!isr || !dpc)
		return VG_E_INVAL;
	lock(irq);
	if (irq->running) {
		unlock(irq);
		return VG_E_BUSY;
	}
	irq->isr = isr;
	irq->dpc = dpc;
	irq->ctx = ctx;
	irq->stop = false;
	irq->dpc_pending = false;
	irq->dpc_thread = CreateThread(NULL, 0, dpc_thread, irq, 0, NULL);
	if (!irq->dpc_thread)
		goto err_clear;
	irq->thread = CreateThread(NULL, 0, intx_thread, irq, 0, NULL);
	if (!irq->thread)
		goto err_stop_dpc;
	irq->running = true;
	unlock(irq);
	return VG_OK;

err_stop_dpc:
	irq->stop = true;
	WakeAllConditionVariable(&irq->dpc_wake);
	unlock(irq);
	join(irq->dpc_thread);
	lock(irq);
err_clear:
	irq->dpc_thread = NULL;
	irq->isr = NULL;
	irq->dpc = NULL;
	irq->ctx = NULL;
	unlock(irq);
	return VG_E_NOMEM;
}

void vgp_intx_disconnect(struct vgp_intx *irq)
{
	lock(irq);
	if (!irq->running) {
		unlock(irq);
		return;
	}
	irq->stop = true;
	WakeAllConditionVariable(&irq->changed);
	WakeAllConditionVariable(&irq->dpc_wake);
	HANDLE t = irq->thread, d = irq->dpc_thread;
	unlock(irq);
	join(t); /* the ISR has returned for good */
	join(d); /* and so has the DPC */
	lock(irq);
	irq->running = false;
	irq->dpc_pending = false;
	irq->shared = 0;
	irq->thread = irq->dpc_thread = NULL;
	irq->isr = NULL;
	irq->dpc = NULL;
	irq->ctx = NULL;
	unlock(irq);
}
