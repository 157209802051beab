// SPDX-License-Identifier: MIT
/*
 * The os table the core sees through the miniport layer: everything goes
 * to the platform, except that the core's interrupt pair is kept here and
 * the platform is given the layer's own, so the platform's interrupts
 * arrive at vg_dod_interrupt_routine / vg_dod_dpc_routine as a miniport's
 * do (DxgkDdiInterruptRoutine, DxgkDdiDpcRoutine), which forward to the
 * core.
 */
#include <stdarg.h>

#include "dod_internal.h"

static struct vg_os *P(struct vg_os *os)
{
	return ((struct vg_dod *)os)->plat;
}

static void *w_alloc(struct vg_os *os, size_t n)
{
	return P(os)->ops->alloc(P(os), n);
}
static void w_free(struct vg_os *os, void *p)
{
	P(os)->ops->free(P(os), p);
}
static vg_status w_dma_alloc(struct vg_os *os, size_t size, size_t min_block,
			     struct vg_dma *out)
{
	return P(os)->ops->dma_alloc(P(os), size, min_block, out);
}
static void w_dma_free(struct vg_os *os, struct vg_dma *dma)
{
	P(os)->ops->dma_free(P(os), dma);
}
static uint32_t w_cfg_read(struct vg_os *os, uint32_t off, unsigned width)
{
	return P(os)->ops->cfg_read(P(os), off, width);
}
static void w_cfg_write(struct vg_os *os, uint32_t off, unsigned width,
			uint32_t val)
{
	P(os)->ops->cfg_write(P(os), off, width, val);
}
static uint64_t w_bar_read(struct vg_os *os, unsigned bar, uint64_t off,
			   unsigned width)
{
	return P(os)->ops->bar_read(P(os), bar, off, width);
}
static void w_bar_write(struct vg_os *os, unsigned bar, uint64_t off,
			unsigned width, uint64_t val)
{
	P(os)->ops->bar_write(P(os), bar, off, width, val);
}

static void tramp_isr(void *ctx)
{
	vg_dod_interrupt_routine(ctx, 0);
}
static void tramp_dpc(void *ctx)
{
	vg_dod_dpc_routine(ctx);
}

static vg_status w_irq_connect(struct vg_os *os, vg_isr_fn isr, vg_dpc_fn dpc,
			       void *ctx)
{
	struct vg_dod *d = (struct vg_dod *)os;
	d->core_isr = isr;
	d->core_dpc = dpc;
	d->core_ctx = ctx;
	atomic_store(&d->irq_connected, true);
	vg_status st = P(os)->ops->irq_connect(P(os), tramp_isr, tramp_dpc, d);
	if (st != VG_OK)
		atomic_store(&d->irq_connected, false);
	return st;
}
static void w_irq_disconnect(struct vg_os *os)
{
	struct vg_dod *d = (struct vg_dod *)os;
	P(os)->ops->irq_disconnect(P(os));
	atomic_store(&d->irq_connected, false);
}
static void w_dpc_request(struct vg_os *os)
{
	P(os)->ops->dpc_request(P(os));
}
static vg_status w_lock_create(struct vg_os *os, struct vg_lock **out)
{
	return P(os)->ops->lock_create(P(os), out);
}
static void w_lock_destroy(struct vg_os *os, struct vg_lock *l)
{
	P(os)->ops->lock_destroy(P(os), l);
}
static void w_lock(struct vg_os *os, struct vg_lock *l)
{
	P(os)->ops->lock(P(os), l);
}
static void w_unlock(struct vg_os *os, struct vg_lock *l)
{
	P(os)->ops->unlock(P(os), l);
}
static vg_status w_event_create(struct vg_os *os, struct vg_event **out)
{
	return P(os)->ops->event_create(P(os), out);
}
static void w_event_destroy(struct vg_os *os, struct vg_event *ev)
{
	P(os)->ops->event_destroy(P(os), ev);
}
static void w_event_signal(struct vg_os *os, struct vg_event *ev)
{
	P(os)->ops->event_signal(P(os), ev);
}
static vg_status w_event_wait(struct vg_os *os, struct vg_event *ev,
			      uint64_t ns)
{
	return P(os)->ops->event_wait(P(os), ev, ns);
}
static uint64_t w_now_ns(struct vg_os *os)
{
	return P(os)->ops->now_ns(P(os));
}
static void w_vlog(struct vg_os *os, enum vg_log_level lvl, const char *fmt,
		   va_list ap)
{
	P(os)->ops->vlog(P(os), lvl, fmt, ap);
}

static const struct vg_os_ops wrap_ops = {
	.alloc = w_alloc,
	.free = w_free,
	.dma_alloc = w_dma_alloc,
	.dma_free = w_dma_free,
	.cfg_read = w_cfg_read,
	.cfg_write = w_cfg_write,
	.bar_read = w_bar_read,
	.bar_write = w_bar_write,
	.irq_connect = w_irq_connect,
	.irq_disconnect = w_irq_disconnect,
	.dpc_request = w_dpc_request,
	.lock_create = w_lock_create,
	.lock_destroy = w_lock_destroy,
	.lock = w_lock,
	.unlock = w_unlock,
	.event_create = w_event_create,
	.event_destroy = w_event_destroy,
	.event_signal = w_event_signal,
	.event_wait = w_event_wait,
	.now_ns = w_now_ns,
	.vlog = w_vlog,
};

void dod_wrap_os(struct vg_dod *d, struct vg_os *plat)
{
	d->plat = plat;
	d->os.ops = &wrap_ops;
}

bool vg_dod_interrupt_routine(struct vg_dod *d, uint32_t message_number)
{
	(void)message_number; /* INTx: one line */
	if (!atomic_load(&d->irq_connected) || !d->core_isr)
		return false;
	/* The core's ISR only acknowledges the device and asks for the
	 * DPC; it runs even after a panic so a level-triggered line drops
	 * (at a real bugcheck it does not run at all, which is as good). */
	d->core_isr(d->core_ctx);
	return true;
}

void vg_dod_dpc_routine(struct vg_dod *d)
{
	if (!atomic_load(&d->irq_connected) || !d->core_dpc)
		return;
	/* After a panic the bugcheck path owns the ring and polls it: the
	 * DPC must not collect its completions. */
	if (atomic_load(&d->panicked)) {
		atomic_fetch_add(&d->dpcs_dropped, 1);
		return;
	}
	atomic_fetch_add(&d->dpcs_run, 1);
	d->core_dpc(d->core_ctx);
}
