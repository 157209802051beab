/* SPDX-License-Identifier: MIT */
/*
 * DMA memory for the user-space platforms: a page allocator over a file
 * (QEMU's guest-RAM file, the device model's memfd) with device address =
 * dev_base + file offset, and a contiguous CPU view of each allocation
 * stitched together with mmap(MAP_FIXED), as a kernel maps an MDL.
 *
 * It fragments on purpose: the blocks of one allocation are never laid out
 * so that one continues where the previous ended (it uses a dense set of
 * free blocks but hands them out in a strided order), so the device always
 * sees a real scatter-gather list.  Only the mapping budget (Linux allows
 * ~65530 mappings per process) makes it group blocks into longer runs.
 * Small allocations come from the bottom, large ones from the top.  Freed
 * memory is zeroed by handing the pages back to the kernel.  Thread-safe.
 */
#ifndef VIOGPU_POSIX_PAGEMEM_H
#define VIOGPU_POSIX_PAGEMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"

struct vgp_pagemem;

struct vgp_pagemem_config {
	int fd;			 /* the file; the allocator keeps a duplicate */
	uint64_t bytes;		 /* its size */
	uint64_t reserved_bytes; /* from offset 0, never handed out */
	uint64_t dev_base;	 /* device address of offset 0 */
	const char *name;	 /* prefix of log lines, e.g. "viogpu" */
	int verbose;
	/* The file's pages are pinned by an IOMMU mapping (vfio): freed
	 * memory is cleared in place, never handed back to the kernel,
	 * which would leave the device a page the CPU no longer sees. */
	bool pinned;
};

vg_status vgp_pagemem_create(const struct vgp_pagemem_config *cfg,
			     struct vgp_pagemem **out);
/* Accepts NULL.  Outstanding allocations are reported. */
void vgp_pagemem_destroy(struct vgp_pagemem *pm);

/* The vg_os_ops dma_alloc / dma_free contracts.  The last block may be
 * shorter than min_block: out->size is size rounded up to pages. */
vg_status vgp_pagemem_alloc(struct vgp_pagemem *pm, size_t size,
			    size_t min_block, struct vg_dma *out);
void vgp_pagemem_free(struct vgp_pagemem *pm, struct vg_dma *dma);

uint64_t vgp_pagemem_bytes_in_use(struct vgp_pagemem *pm);

/*
 * The device's view: the host pointer of device range [addr, addr + len),
 * or NULL unless the whole range (len > 0) lies in the file and is
 * currently allocated.  Valid until destroy, though the driver may free
 * and reuse the memory meanwhile.
 */
void *vgp_pagemem_device_view(struct vgp_pagemem *pm, uint64_t addr,
			      uint64_t len);

#endif
