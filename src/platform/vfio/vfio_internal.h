/* SPDX-License-Identifier: MIT */
/*
 * Inside the vfio platform: the state every file shares.
 * vfio_dev.c   finds, binds and opens the function (container, group,
 *              device), its regions and the IOMMU mapping;
 * vfio_irq.c   the interrupt eventfd, its thread and the DPC thread;
 * vfio_os.c    the os.h table and create/destroy.
 */
#ifndef VG_VFIO_INTERNAL_H
#define VG_VFIO_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"
#include "viogpu/vfio.h"

#include "posix_sync.h"

#define VFIO_NUM_BARS 6

struct vfio_region {
	uint64_t size;	 /* 0: absent */
	uint64_t offset; /* in the device fd */
	uint8_t *map;	 /* NULL: not mmappable, pread/pwrite */
};

#define VFIO_MAX_VECTORS 8

/* The interrupt half (vfio_irq.c).  Written by init/connect/disconnect on
 * the passive thread; the two threads read isr/dpc/ctx only while
 * running. */
struct vfio_irq {
	int device_fd;
	bool inited;
	bool msix;     /* else INTx */
	unsigned nvec; /* eventfds: MSI-X vectors in use, or 1 */
	int efd[VFIO_MAX_VECTORS];
	int stop_fd; /* wakes the interrupt thread to stop */
	atomic_uint_least64_t count;
	atomic_uint_least64_t per_vector[VFIO_MAX_VECTORS];
	vg_isr_fn isr;
	vg_dpc_fn dpc;
	void *ctx;
	bool running;
	pthread_t isr_thread, dpc_thread;
	pthread_mutex_t lock; /* dpc_pending, dpc_stop */
	pthread_cond_t dpc_wake;
	bool dpc_pending, dpc_stop;
	int verbose;
};

struct vg_vfio {
	struct vg_os os; /* first: the core's handle */
	int verbose;
	char addr[32];
	int container_fd, group_fd, device_fd;
	struct vfio_region bar[VFIO_NUM_BARS];
	struct vfio_region cfg;
	int mem_fd;   /* the DMA pool's file */
	uint8_t *mem; /* its mapping, pinned by VFIO_IOMMU_MAP_DMA */
	uint64_t mem_bytes;
	uint64_t iova_base;
	bool dma_mapped;
	struct vgp_pagemem *pool;
	struct vfio_irq irq;
	struct vgp_event_set events;
	atomic_long objects;
};

void vfio_log(int verbose, enum vg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* vfio_dev.c: each returns VG_OK or fills msg. */
vg_status vfio_find_addr(char *addr, size_t n, char *msg, size_t len);
vg_status vfio_bind(const char *addr, int verbose, char *msg, size_t len);
vg_status vfio_open(struct vg_vfio *v, char *msg, size_t len);
vg_status vfio_map_dma(struct vg_vfio *v, char *msg, size_t len);
void vfio_close(struct vg_vfio *v); /* undoes map_dma and open */
uint32_t vfio_cfg_read(struct vg_vfio *v, uint32_t off, unsigned width);
void vfio_cfg_write(struct vg_vfio *v, uint32_t off, unsigned width,
		    uint32_t val);
uint64_t vfio_bar_read(struct vg_vfio *v, unsigned bar, uint64_t off,
		       unsigned width);
void vfio_bar_write(struct vg_vfio *v, unsigned bar, uint64_t off,
		    unsigned width, uint64_t val);

/* vfio_irq.c */
vg_status vfio_irq_init(struct vfio_irq *irq, int device_fd, bool msix,
			int verbose);
/* os.h msix_vector: 0 for config, 1 + q for queue q, NONE on INTx. */
uint16_t vfio_irq_vector(const struct vfio_irq *irq, int q);
void vfio_irq_finish(struct vfio_irq *irq); /* disconnects first */
vg_status vfio_irq_connect(struct vfio_irq *irq, vg_isr_fn isr, vg_dpc_fn dpc,
			   void *ctx);
void vfio_irq_disconnect(struct vfio_irq *irq);
void vfio_irq_request_dpc(struct vfio_irq *irq);

#endif
