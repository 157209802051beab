/* SPDX-License-Identifier: MIT */
/*
 * The vfio platform: the driver core on a Linux host (or guest) that owns
 * a virtio-gpu-pci function through VFIO and an IOMMU.
 *
 * vg_vfio_create binds the function to vfio-pci (driver_override +
 * drivers_probe; the vfio, vfio_iommu_type1 and vfio-pci modules must be
 * loaded), opens its IOMMU group in a type1 container, maps its memory
 * BARs, pins one DMA pool (an anonymous shared file) and maps it through
 * the IOMMU at IOVAs the platform chooses, enables bus mastering and
 * routes the function's MSI-X vectors (or its INTx) to eventfds.  The pool is
 * carved into scatter-gather buffers by the shared page allocator
 * (src/platform/posix/pagemem.h): the device sees IOVAs, never the
 * physical addresses of the pages.
 *
 * Ownership: a vg_vfio owns its file descriptors, mappings and threads;
 * vg_vfio_destroy releases them (the function stays bound to vfio-pci).
 * Threading: os.h's contract; create and destroy from one thread with no
 * driver running on the os.
 */
#ifndef VIOGPU_VFIO_H
#define VIOGPU_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"
#include "viogpu/status.h"

struct vg_vfio;

struct vg_vfio_config {
	/* "0000:00:03.0"; NULL or "": the first 1af4:1050 function in
	 * /sys/bus/pci/devices. */
	const char *pci_addr;
	uint64_t dma_bytes; /* the pinned DMA pool; 0: 256 MiB */
	uint64_t iova_base; /* the pool's first IOVA; 0: 4 GiB */
	/* Interrupts on INTx instead of MSI-X (vector 0 config changes,
	 * 1 + q queue q). */
	bool intx;
	int verbose; /* 0, 1 or 2 */
};

/* On failure one line in msg (no newline) says which step failed and the
 * error the kernel gave; nothing is left open. */
vg_status vg_vfio_create(const struct vg_vfio_config *cfg, struct vg_vfio **out,
			 char *msg, size_t msg_len);
void vg_vfio_destroy(struct vg_vfio *v); /* accepts NULL */
struct vg_os *vg_vfio_os(struct vg_vfio *v);

/* The function's address ("0000:00:03.0"), valid until destroy. */
const char *vg_vfio_pci_addr(const struct vg_vfio *v);
uint64_t vg_vfio_irq_count(struct vg_vfio *v); /* eventfd wake-ups */
/* Those of one MSI-X vector (INTx: vector 0); 0 past the last. */
uint64_t vg_vfio_vector_count(struct vg_vfio *v, unsigned vector);
bool vg_vfio_uses_msix(const struct vg_vfio *v);
uint64_t vg_vfio_dma_bytes_in_use(struct vg_vfio *v); /* of the pool */
uint64_t vg_vfio_iova_base(const struct vg_vfio *v);

#endif
