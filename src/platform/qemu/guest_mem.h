/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM as DMA memory: a page allocator over the shared RAM file, where
 * guest-physical address == file offset, with a contiguous CPU view of each
 * allocation stitched together with mmap(MAP_FIXED).
 *
 * It fragments on purpose: the blocks of one allocation are never laid out
 * so that one continues where the previous ended (it uses a dense set of
 * free blocks but hands them out in a strided order), so the device always
 * sees a real scatter-gather list.  Only the mapping budget (Linux allows
 * ~65530 mappings per process) makes it group blocks into longer runs.
 */
#ifndef VIOGPU_QEMU_GUEST_MEM_H
#define VIOGPU_QEMU_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"

struct vgq_gmem;

/* Takes its own duplicate of fd.  The first reserved bytes (page multiple)
 * are never handed out. */
vg_status vgq_gmem_create(struct vgq_gmem **out, int fd, uint64_t ram_bytes,
			  uint64_t reserved_bytes, int verbose);
/* Accepts NULL.  Outstanding allocations are reported and unmapped. */
void vgq_gmem_destroy(struct vgq_gmem *g);

/* The vg_os_ops dma_alloc/dma_free contracts.  The last block may be
 * shorter than min_block: out->size is size rounded up to pages. */
vg_status vgq_gmem_alloc(struct vgq_gmem *g, size_t size, size_t min_block,
			 struct vg_dma *out);
void vgq_gmem_free(struct vgq_gmem *g, struct vg_dma *dma);

uint64_t vgq_gmem_bytes_in_use(struct vgq_gmem *g);

#endif
