// SPDX-License-Identifier: MIT
/*
 * The function's interrupt through VFIO: INTx signalled on an eventfd.
 * vfio-pci masks the line each time it fires; the interrupt thread runs
 * the core's ISR (which reads the virtio ISR status and so lowers the
 * line) and then unmasks it, so a line still high fires again at once.
 * A second thread runs the DPC whenever the ISR asks for it; requests
 * made while it runs make it run once more.
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

static int set_irqs(struct vfio_irq *irq, uint32_t flags, uint32_t count,
		    int fd)
{
	struct {
		struct vfio_irq_set s;
		int32_t fd;
	} req;
	memset(&req, 0, sizeof(req));
	req.s.argsz =
		sizeof(req.s) + (count && (flags & VFIO_IRQ_SET_DATA_EVENTFD)
					 ? sizeof(int32_t)
					 : 0);
	req.s.flags = flags;
	req.s.index = VFIO_PCI_INTX_IRQ_INDEX;
	req.s.start = 0;
	req.s.count = count;
	req.fd = fd;
	return ioctl(irq->device_fd, VFIO_DEVICE_SET_IRQS, &req) < 0 ? -errno
								     : 0;
}

vg_status vfio_irq_init(struct vfio_irq *irq, int device_fd, int verbose)
{
	memset(irq, 0, sizeof(*irq));
	irq->device_fd = device_fd;
	irq->verbose = verbose;
	irq->efd = -1;
	irq->stop_fd = -1;
	pthread_mutex_init(&irq->lock, NULL);
	vgp_cond_init(&irq->dpc_wake);
	return VG_OK;
}

void vfio_irq_finish(struct vfio_irq *irq)
{
	vfio_irq_disconnect(irq);
	pthread_cond_destroy(&irq->dpc_wake);
	pthread_mutex_destroy(&irq->lock);
}

static void *isr_main(void *arg)
{
	struct vfio_irq *irq = arg;
	struct pollfd pf[2] = {{.fd = irq->efd, .events = POLLIN},
			       {.fd = irq->stop_fd, .events = POLLIN}};
	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			vfio_log(irq->verbose, VG_LOG_ERROR,
				 "interrupt poll: %s", strerror(errno));
			return NULL;
		}
		if (pf[1].revents)
			return NULL;
		uint64_t n;
		if (!(pf[0].revents & POLLIN) ||
		    read(irq->efd, &n, sizeof(n)) != sizeof(n))
			continue;
		atomic_fetch_add(&irq->count, 1);
		irq->isr(irq->ctx);
		int err = set_irqs(irq,
				   VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK,
				   1, -1);
		if (err)
			vfio_log(irq->verbose, VG_LOG_ERROR, "INTx unmask: %s",
				 strerror(-err));
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
	irq->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	irq->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (irq->efd < 0 || irq->stop_fd < 0)
		goto err_fds;
	int err = set_irqs(
		irq, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 1,
		irq->efd);
	if (err) {
		vfio_log(irq->verbose, VG_LOG_ERROR,
			 "VFIO_DEVICE_SET_IRQS(INTx eventfd): %s",
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
	pthread_mutex_lock(&irq->lock);
	irq->dpc_stop = true;
	pthread_cond_signal(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
	pthread_join(irq->dpc_thread, NULL);
err_trigger:
	set_irqs(irq, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0,
		 -1);
err_fds:
	if (irq->efd >= 0)
		close(irq->efd);
	if (irq->stop_fd >= 0)
		close(irq->stop_fd);
	irq->efd = irq->stop_fd = -1;
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
	pthread_mutex_lock(&irq->lock);
	irq->dpc_stop = true;
	pthread_cond_signal(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
	pthread_join(irq->dpc_thread, NULL);
	set_irqs(irq, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0,
		 -1);
	close(irq->efd);
	close(irq->stop_fd);
	irq->efd = irq->stop_fd = -1;
	irq->running = false;
}

void vfio_irq_request_dpc(struct vfio_irq *irq)
{
	pthread_mutex_lock(&irq->lock);
	irq->dpc_pending = true;
	pthread_cond_signal(&irq->dpc_wake);
	pthread_mutex_unlock(&irq->lock);
}
