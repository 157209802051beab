// SPDX-License-Identifier: MIT
/*
 * The function's interrupts through VFIO, signalled on eventfds.
 *
 * MSI-X (the default, as Windows' and Linux's drivers use it): vector 0
 * for configuration changes, vector 1 + q for queue q.  A config vector
 * runs the core's ISR (the device set the ISR status config bit before
 * signalling); a queue vector needs no acknowledgement and asks for the
 * DPC directly (os.h msix_vector).
 * INTx: vfio-pci masks the line each time it fires; the interrupt thread
 * runs the core's ISR (which reads the virtio ISR status and so lowers
 * the line) and then unmasks it, so a line still high fires again.
 * A second thread runs the DPC whenever asked; requests made while it
 * runs make it run once more.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vfio_internal.h"

static int set_irqs(struct vfio_irq *irq, uint32_t index, uint32_t flags,
		    uint32_t count, const int *fds)
{
	/* struct vfio_irq_set ends in a flexible array: the eventfds follow
	 * it in one buffer. */
	_Alignas(8) uint8_t buf[sizeof(struct vfio_irq_set) +
				VFIO_MAX_VECTORS * sizeof(int32_t)];
	struct vfio_irq_set *req = (struct vfio_irq_set *)buf;
	bool with_fds = count && (flags & VFIO_IRQ_SET_DATA_EVENTFD);
	memset(buf, 0, sizeof(buf));
	req->argsz = (uint32_t)(sizeof(*req) +
				(with_fds ? count * sizeof(int32_t) : 0));
	req->flags = flags;
	req->index = index;
	req->start = 0;
	req->count = count;
	for (uint32_t i = 0; with_fds && i < count; i++) {
		int32_t fd = fds[i];
		memcpy(buf + sizeof(*req) + i * sizeof(fd), &fd, sizeof(fd));
	}
	return ioctl(irq->device_fd, VFIO_DEVICE_SET_IRQS, req) < 0 ? -errno
								    : 0;
}

vg_status vfio_irq_init(struct vfio_irq *irq, int device_fd, bool msix,
			int verbose)
{
	memset(irq, 0, sizeof(*irq));
	irq->device_fd = device_fd;
	irq->verbose = verbose;
	irq->stop_fd = -1;
	for (unsigned i = 0; i < VFIO_MAX_VECTORS; i++)
		irq->efd[i] = -1;
	irq->msix = msix;
	irq->nvec = 1;
	if (msix) {
		struct vfio_irq_info ii = {.argsz = sizeof(ii),
					   .index = VFIO_PCI_MSIX_IRQ_INDEX};
		if (ioctl(device_fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) < 0 ||
		    ii.count < 2) {
			vfio_log(verbose, VG_LOG_ERROR,
				 "the function has %u MSI-X vectors (%s)",
				 ii.count, strerror(errno));
			return VG_E_UNSUPPORTED;
		}
		irq->nvec = ii.count < VFIO_MAX_VECTORS ? ii.count
							: VFIO_MAX_VECTORS;
	}
	pthread_mutex_init(&irq->lock, NULL);
	vgp_cond_init(&irq->dpc_wake);
	irq->inited = true;
	return VG_OK;
}

void vfio_irq_finish(struct vfio_irq *irq)
{
	if (!irq->inited)
		return;
	vfio_irq_disconnect(irq);
	pthread_cond_destroy(&irq->dpc_wake);
	pthread_mutex_destroy(&irq->lock);
	irq->inited = false;
}

uint16_t vfio_irq_vector(const struct vfio_irq *irq, int q)
{
	if (!irq->msix)
		return VG_MSIX_NONE;
	if (q == VG_MSIX_CONFIG)
		return 0;
	/* Queues past the vectors share the last one. */
	unsigned v = 1u + (unsigned)q;
	return (uint16_t)(v < irq->nvec ? v : irq->nvec - 1);
}

static uint32_t irq_index(const struct vfio_irq *irq)
{
	return irq->msix ? VFIO_PCI_MSIX_IRQ_INDEX : VFIO_PCI_INTX_IRQ_INDEX;
}

static void *isr_main(void *arg)
{
	struct vfio_irq *irq = arg;
	struct pollfd pf[VFIO_MAX_VECTORS + 1];
	unsigned n = irq->nvec;
	for (unsigned i = 0; i < n; i++)
		pf[i] = (struct pollfd){.fd = irq->efd[i], .events = POLLIN};
	pf[n] = (struct pollfd){.fd = irq->stop_fd, .events = POLLIN};
	for (;;) {
		if (poll(pf, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			vfio_log(irq->verbose, VG_LOG_ERROR,
				 "interrupt poll: %s", strerror(errno));
			return NULL;
		}
		if (pf[n].revents)
			return NULL;
		for (unsigned i = 0; i < n; i++) {
			uint64_t cnt;
			if (!(pf[i].revents & POLLIN) ||
			    read(irq->efd[i], &cnt, sizeof(cnt)) != sizeof(cnt))
				continue;
			atomic_fetch_add(&irq->count, 1);
			atomic_fetch_add(&irq->per_vector[i], 1);
			if (irq->msix && i > 0) {
				vfio_irq_request_dpc(irq);
				continue;
			}
			irq->isr(irq->ctx);
			if (irq->msix)
				continue;
			int err = set_irqs(irq, VFIO_PCI_INTX_IRQ_INDEX,
					   VFIO_IRQ_SET_DATA_NONE |
						   VFIO_IRQ_SET_ACTION_UNMASK,
					   1, NULL);
			if (err)
				vfio_log(irq->verbose, VG_LOG_ERROR,
					 "INTx unmask: %s", strerror(-err));
		}
	}
}

static void *dpc_main(void *arg)
{
	struct vfio_irq *irq = arg;
	pthread_mutex_lock(&irq->lock);
	for (;;) {
		while (!irq->dpc_pending && !irq->dpc_stop)
			pthread_cond_wait(&irq->dpc_wake, &irq->lock);
		if (irq->dpc_stop)
			break;
		irq->dpc_pending = false;
		pthread_mutex_unlock(&irq->lock);
		irq->dpc(irq->ctx);
		pthread_mutex_lock(&irq->lock);
	}
	pthread_mutex_unlock(&irq->lock);
	return NULL;
}

static void close_fds(struct vfio_irq *irq)
{
	for (unsigned i = 0; i < VFIO_MAX_VECTORS; i++) {
		if (irq->efd[i] >= 0)
			close(irq->efd[i]);
		irq->efd[i] = -1;
	}
	if (irq->stop_fd >= 0)
		close(irq->stop_fd);
	irq->stop_fd = -1;
}

static void stop_dpc(struct vfio_irq *irq)
{
	pthread_mutex_lock(&irq->lock);
	irq->dpc_stop = true;
	pthread_cond_signal(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
	pthread_join(irq->dpc_thread, NULL);
}

vg_status vfio_irq_connect(struct vfio_irq *irq, vg_isr_fn isr, vg_dpc_fn dpc,
			   void *ctx)
{
	if (irq->running)
		return VG_E_BUSY;
	irq->isr = isr;
	irq->dpc = dpc;
	irq->ctx = ctx;
	irq->dpc_pending = irq->dpc_stop = false;
	vg_status st = VG_E_NOMEM;
	for (unsigned i = 0; i < irq->nvec; i++)
		if ((irq->efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
			goto err_fds;
	irq->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (irq->stop_fd < 0)
		goto err_fds;
	int err = set_irqs(irq, irq_index(irq),
			   VFIO_IRQ_SET_DATA_EVENTFD |
				   VFIO_IRQ_SET_ACTION_TRIGGER,
			   irq->nvec, irq->efd);
	if (err) {
		vfio_log(irq->verbose, VG_LOG_ERROR,
			 "VFIO_DEVICE_SET_IRQS(%s, %u eventfds): %s",
			 irq->msix ? "MSI-X" : "INTx", irq->nvec,
			 strerror(-err));
		st = VG_E_IO;
		goto err_fds;
	}
	if (pthread_create(&irq->dpc_thread, NULL, dpc_main, irq))
		goto err_trigger;
	if (pthread_create(&irq->isr_thread, NULL, isr_main, irq))
		goto err_dpc;
	irq->running = true;
	return VG_OK;

err_dpc:
	stop_dpc(irq);
err_trigger:
	set_irqs(irq, irq_index(irq),
		 VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, NULL);
err_fds:
	close_fds(irq);
	return st;
}

void vfio_irq_disconnect(struct vfio_irq *irq)
{
	if (!irq->running)
		return;
	uint64_t one = 1;
	if (write(irq->stop_fd, &one, sizeof(one)) != sizeof(one))
		vfio_log(irq->verbose, VG_LOG_ERROR, "interrupt stop: %s",
			 strerror(errno));
	pthread_join(irq->isr_thread, NULL);
	/* No ISR runs now; a requested DPC that has not started is
	 * dropped, one that runs is waited for. */
	stop_dpc(irq);
	set_irqs(irq, irq_index(irq),
		 VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, NULL);
	close_fds(irq);
	irq->running = false;
}

void vfio_irq_request_dpc(struct vfio_irq *irq)
{
	pthread_mutex_lock(&irq->lock);
	irq->dpc_pending = true;
	pthread_cond_signal(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
}
