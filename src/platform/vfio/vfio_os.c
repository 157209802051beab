// SPDX-License-Identifier: MIT
/*
 * The vfio platform's vg_os (include/viogpu/vfio.h): config space and
 * BARs through the VFIO device, DMA memory from a pool pinned and mapped
 * through the IOMMU, INTx on an eventfd, and the shared pthread locks,
 * events and clock.
 */
#include "viogpu/vfio.h"
#include "viogpu/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagemem.h"
#include "vfio_internal.h"

#define DEFAULT_DMA_BYTES (256ull << 20)
#define DEFAULT_IOVA_BASE (4ull << 30)

void vfio_log(int verbose, enum vg_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warning", "info",
					    "debug"};
	if ((level == VG_LOG_INFO && verbose < 1) ||
	    (level == VG_LOG_DEBUG && verbose < 2))
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vfio: %s: %s\n", names[level], line);
}

static struct vg_vfio *to_vfio(struct vg_os *os)
{
	return (struct vg_vfio *)os; /* os is the first member */
}

static void *os_alloc(struct vg_os *os, size_t size)
{
	void *p = calloc(1, size ? size : 1);
	if (p)
		atomic_fetch_add(&to_vfio(os)->objects, 1);
	return p;
}

static void os_free(struct vg_os *os, void *ptr)
{
	if (!ptr)
		return;
	atomic_fetch_sub(&to_vfio(os)->objects, 1);
	free(ptr);
}

static vg_status os_dma_alloc(struct vg_os *os, size_t size, size_t min_block,
			      struct vg_dma *out)
{
	return vgp_pagemem_alloc(to_vfio(os)->pool, size, min_block, out);
}

static void os_dma_free(struct vg_os *os, struct vg_dma *dma)
{
	vgp_pagemem_free(to_vfio(os)->pool, dma);
}

static uint32_t os_cfg_read(struct vg_os *os, uint32_t off, unsigned width)
{
	return vfio_cfg_read(to_vfio(os), off, width);
}

static void os_cfg_write(struct vg_os *os, uint32_t off, unsigned width,
			 uint32_t val)
{
	vfio_cfg_write(to_vfio(os), off, width, val);
}

static uint64_t os_bar_read(struct vg_os *os, unsigned bar, uint64_t off,
			    unsigned width)
{
	return vfio_bar_read(to_vfio(os), bar, off, width);
}

static void os_bar_write(struct vg_os *os, unsigned bar, uint64_t off,
			 unsigned width, uint64_t val)
{
	vfio_bar_write(to_vfio(os), bar, off, width, val);
}

static vg_status os_irq_connect(struct vg_os *os, vg_isr_fn isr, vg_dpc_fn dpc,
				void *ctx)
{
	return vfio_irq_connect(&to_vfio(os)->irq, isr, dpc, ctx);
}

static void os_irq_disconnect(struct vg_os *os)
{
	vfio_irq_disconnect(&to_vfio(os)->irq);
}

static void os_dpc_request(struct vg_os *os)
{
	vfio_irq_request_dpc(&to_vfio(os)->irq);
}

static vg_status os_lock_create(struct vg_os *os, struct vg_lock **out)
{
	vg_status st = vgp_lock_create(out);
	if (st == VG_OK)
		atomic_fetch_add(&to_vfio(os)->objects, 1);
	return st;
}

static void os_lock_destroy(struct vg_os *os, struct vg_lock *lock)
{
	if (!lock)
		return;
	atomic_fetch_sub(&to_vfio(os)->objects, 1);
	vgp_lock_destroy(lock);
}

static vg_status os_event_create(struct vg_os *os, struct vg_event **out)
{
	struct vg_vfio *v = to_vfio(os);
	vg_status st = vgp_event_create(&v->events, out);
	if (st == VG_OK)
		atomic_fetch_add(&v->objects, 1);
	return st;
}

static void os_event_destroy(struct vg_os *os, struct vg_event *ev)
{
	if (!ev)
		return;
	atomic_fetch_sub(&to_vfio(os)->objects, 1);
	vgp_event_destroy(ev);
}

static uint64_t os_now_ns(struct vg_os *os)
{
	(void)os;
	return vgp_now_ns();
}

VG_PRINTF(3, 0)
static void os_vlog(struct vg_os *os, enum vg_log_level level, const char *fmt,
		    va_list ap)
{
	struct vg_vfio *v = to_vfio(os);
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	vfio_log(v->verbose, level, "%s", line);
}

static uint16_t os_msix_vector(struct vg_os *os, int q)
{
	return vfio_irq_vector(&to_vfio(os)->irq, q);
}

static const struct vg_os_ops vfio_ops = {
	.alloc = os_alloc,
	.free = os_free,
	.dma_alloc = os_dma_alloc,
	.dma_free = os_dma_free,
	.cfg_read = os_cfg_read,
	.cfg_write = os_cfg_write,
	.bar_read = os_bar_read,
	.bar_write = os_bar_write,
	.irq_connect = os_irq_connect,
	.irq_disconnect = os_irq_disconnect,
	.dpc_request = os_dpc_request,
	.lock_create = os_lock_create,
	.lock_destroy = os_lock_destroy,
	.lock = vgp_lock,
	.unlock = vgp_unlock,
	.event_create = os_event_create,
	.event_destroy = os_event_destroy,
	.event_signal = vgp_event_signal,
	.event_wait = vgp_event_wait,
	.now_ns = os_now_ns,
	.vlog = os_vlog,
	.msix_vector = os_msix_vector,
};

/* INTx: the same table without MSI-X vectors. */
static const struct vg_os_ops vfio_intx_ops = {
	.alloc = os_alloc,
	.free = os_free,
	.dma_alloc = os_dma_alloc,
	.dma_free = os_dma_free,
	.cfg_read = os_cfg_read,
	.cfg_write = os_cfg_write,
	.bar_read = os_bar_read,
	.bar_write = os_bar_write,
	.irq_connect = os_irq_connect,
	.irq_disconnect = os_irq_disconnect,
	.dpc_request = os_dpc_request,
	.lock_create = os_lock_create,
	.lock_destroy = os_lock_destroy,
	.lock = vgp_lock,
	.unlock = vgp_unlock,
	.event_create = os_event_create,
	.event_destroy = os_event_destroy,
	.event_signal = vgp_event_signal,
	.event_wait = vgp_event_wait,
	.now_ns = os_now_ns,
	.vlog = os_vlog,
	.msix_vector = NULL,
};

vg_status vg_vfio_create(const struct vg_vfio_config *cfg, struct vg_vfio **out,
			 char *msg, size_t msg_len)
{
	struct vg_vfio *v = calloc(1, sizeof(*v));
	vg_status st;

	*out = NULL;
	if (msg && msg_len)
		msg[0] = '\0';
	if (!v)
		return VG_E_NOMEM;
	v->os.ops = cfg->intx ? &vfio_intx_ops : &vfio_ops;
	v->verbose = cfg->verbose;
	v->container_fd = v->group_fd = v->device_fd = v->mem_fd = -1;
	v->mem_bytes = cfg->dma_bytes ? cfg->dma_bytes : DEFAULT_DMA_BYTES;
	v->mem_bytes = (v->mem_bytes + VG_PAGE_SIZE - 1) &
		       ~(uint64_t)(VG_PAGE_SIZE - 1);
	v->iova_base = cfg->iova_base ? cfg->iova_base : DEFAULT_IOVA_BASE;
	if (cfg->pci_addr && cfg->pci_addr[0])
		snprintf(v->addr, sizeof(v->addr), "%s", cfg->pci_addr);
	else if ((st = vfio_find_addr(v->addr, sizeof(v->addr), msg,
				      msg_len)) != VG_OK)
		goto err_free;
	st = vfio_bind(v->addr, v->verbose, msg, msg_len);
	if (st != VG_OK)
		goto err_free;
	st = vfio_open(v, msg, msg_len);
	if (st != VG_OK)
		goto err_close;
	st = vfio_map_dma(v, msg, msg_len);
	if (st != VG_OK)
		goto err_close;
	struct vgp_pagemem_config pc = {
		.fd = v->mem_fd,
		.bytes = v->mem_bytes,
		.reserved_bytes = 0,
		.dev_base = v->iova_base,
		.name = "vfio",
		.verbose = v->verbose,
		.pinned = true,
	};
	st = vgp_pagemem_create(&pc, &v->pool);
	if (st != VG_OK) {
		snprintf(msg, msg_len, "DMA pool allocator: %s",
			 vg_status_str(st));
		goto err_close;
	}
	st = vfio_irq_init(&v->irq, v->device_fd, !cfg->intx, v->verbose);
	if (st != VG_OK) {
		snprintf(msg, msg_len,
			 "%s has no usable MSI-X (use the INTx mode)", v->addr);
		goto err_pool;
	}
	vgp_event_set_init(&v->events);
	*out = v;
	return VG_OK;

err_pool:
	vgp_pagemem_destroy(v->pool);
err_close:
	vfio_close(v);
err_free:
	free(v);
	return st;
}

void vg_vfio_destroy(struct vg_vfio *v)
{
	if (!v)
		return;
	vfio_irq_finish(&v->irq);
	vgp_event_set_finish(&v->events);
	vgp_pagemem_destroy(v->pool);
	vfio_close(v);
	free(v);
}

struct vg_os *vg_vfio_os(struct vg_vfio *v)
{
	return &v->os;
}

const char *vg_vfio_pci_addr(const struct vg_vfio *v)
{
	return v->addr;
}

uint64_t vg_vfio_irq_count(struct vg_vfio *v)
{
	return atomic_load(&v->irq.count);
}

uint64_t vg_vfio_vector_count(struct vg_vfio *v, unsigned vector)
{
	return vector < v->irq.nvec ? atomic_load(&v->irq.per_vector[vector])
				    : 0;
}

bool vg_vfio_uses_msix(const struct vg_vfio *v)
{
	return v->irq.msix;
}

uint64_t vg_vfio_dma_bytes_in_use(struct vg_vfio *v)
{
	return vgp_pagemem_bytes_in_use(v->pool);
}

uint64_t vg_vfio_iova_base(const struct vg_vfio *v)
{
	return v->iova_base;
}
