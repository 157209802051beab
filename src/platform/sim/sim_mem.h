/* SPDX-License-Identifier: MIT */
/*
 * The sim's guest memory: one region of ram_bytes backed by a memfd and
 * mapped once (lazily: untouched pages cost nothing), and a page allocator
 * handing out DMA buffers from it.
 *
 * Device address = SIM_MEM_BASE + offset in the region, so 0 and small
 * numbers are never valid.  Multi-block buffers get their own contiguous
 * CPU view stitched together from the memfd with mmap(MAP_FIXED), the
 * trick the QEMU platform uses for its RAM file.  Like that platform it
 * fragments on purpose: the blocks of one buffer are handed out so that no
 * block starts where the previous one (in CPU order) ended, when memory
 * allows, so the device always sees a real scatter-gather list.
 *
 * The device side reaches memory only through sim_mem_map, which checks
 * that the whole range lies in the region and is currently allocated.
 * Thread-safe.
 */
#ifndef VIOGPU_SIM_MEM_H
#define VIOGPU_SIM_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"

#define SIM_MEM_BASE 0x100000000ull

struct sim_mem;

vg_status sim_mem_create(struct sim_mem **out, uint64_t ram_bytes, int verbose);
/* Accepts NULL.  Outstanding allocations are reported. */
void sim_mem_destroy(struct sim_mem *m);

/* The vg_os_ops dma_alloc / dma_free contracts. */
vg_status sim_mem_alloc(struct sim_mem *m, size_t size, size_t min_block,
			struct vg_dma *out);
void sim_mem_free(struct sim_mem *m, struct vg_dma *dma);

uint64_t sim_mem_bytes_in_use(struct sim_mem *m);

/*
 * The host pointer of device range [addr, addr + len), or NULL unless the
 * whole range (len > 0) is inside the region and allocated.  The pointer
 * stays valid (the region is never unmapped before destroy) but the
 * memory may be freed and reused by the driver later.
 */
void *sim_mem_map(struct sim_mem *m, uint64_t addr, uint64_t len);

#endif
