// SPDX-License-Identifier: MIT
/*
 * pagemem.h on Windows.  Windows cannot stitch scattered pages of one
 * file into a contiguous view as mmap(MAP_FIXED) does (short of
 * placeholder views, MapViewOfFile3, not tried), so the two views are kept
 * apart instead: each allocation's CPU view is its own VirtualAlloc
 * (zeroed, contiguous), and its device view is a set of blocks in a
 * "guest-physical" space of cfg->bytes pages, dev_base + page * 4096, laid
 * out so that no block continues where the previous one ended: the device
 * always sees a real scatter-gather list, as with pagemem.c.  A table maps
 * each device page to its CPU page for the device model.  Thread-safe (an
 * SRW lock).  cfg->fd is not used.
 */
#include "pagemem.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

struct vgp_pagemem {
	SRWLOCK lock;
	uint64_t npages; /* device pages */
	uint64_t first;	 /* pages below are reserved_bytes */
	uint8_t **page;	 /* device page -> CPU page, NULL: free */
	uint64_t dev_base;
	uint64_t in_use; /* bytes */
	uint64_t live;	 /* allocations */
	char name[32];
};

vg_status vgp_pagemem_create(const struct vgp_pagemem_config *cfg,
			     struct vgp_pagemem **out)
{
	struct vgp_pagemem *pm;

	*out = NULL;
	if (!cfg->bytes || cfg->bytes % VG_PAGE_SIZE ||
	    cfg->reserved_bytes >= cfg->bytes)
		return VG_E_INVAL;
	pm = calloc(1, sizeof(*pm));
	if (!pm)
		return VG_E_NOMEM;
	InitializeSRWLock(&pm->lock);
	pm->npages = cfg->bytes / VG_PAGE_SIZE;
	pm->first = (cfg->reserved_bytes + VG_PAGE_SIZE - 1) / VG_PAGE_SIZE;
	pm->dev_base = cfg->dev_base;
	snprintf(pm->name, sizeof(pm->name), "%s",
		 cfg->name ? cfg->name : "pagemem");
	pm->page = calloc((size_t)pm->npages, sizeof(*pm->page));
	if (!pm->page) {
		free(pm);
		return VG_E_NOMEM;
	}
	*out = pm;
	return VG_OK;
}

void vgp_pagemem_destroy(struct vgp_pagemem *pm)
{
	if (!pm)
		return;
	if (pm->live)
		fprintf(stderr, "%s: %llu DMA allocations outstanding\n",
			pm->name, (unsigned long long)pm->live);
	free(pm->page);
	free(pm);
}

/* A free run of n device pages starting in [from, to) other than at
 * not_at; npages if none.  The caller holds the lock. */
static uint64_t find_run(const struct vgp_pagemem *pm, uint64_t n,
			 uint64_t from, uint64_t to, uint64_t not_at)
{
	uint64_t run = 0;

	for (uint64_t p = from; p < pm->npages && p + 1 - run <= to; p++) {
		run = pm->page[p] ? 0 : run + 1;
		if (run == n) {
			if (p + 1 - n != not_at)
				return p + 1 - n;
			run--; /* slide past the forbidden start */
		}
	}
	return pm->npages;
}

static void unmap_segs(struct vgp_pagemem *pm, const struct vg_dma_seg *s,
		       uint64_t nsegs)
{
	for (uint64_t i = 0; i < nsegs; i++) {
		uint64_t p = (s[i].addr - pm->dev_base) / VG_PAGE_SIZE;
		memset(pm->page + p, 0,
		       (size_t)(s[i].len / VG_PAGE_SIZE) * sizeof(*pm->page));
	}
}

vg_status vgp_pagemem_alloc(struct vgp_pagemem *pm, size_t size,
			    size_t min_block, struct vg_dma *out)
{
	memset(out, 0, sizeof(*out));
	if (!size)
		return VG_E_INVAL;
	uint64_t bytes = ((uint64_t)size + VG_PAGE_SIZE - 1) / VG_PAGE_SIZE *
			 VG_PAGE_SIZE;
	/* As pagemem.c: min_block >= size asks for one run, whatever its
	 * value; otherwise a power of two of at least a page. */
	if (min_block >= size)
		min_block = (size_t)bytes;
	if (min_block < VG_PAGE_SIZE)
		min_block = VG_PAGE_SIZE;
	while (min_block & (min_block - 1))
		min_block += min_block & -min_block; /* up to a power of two */
	if (bytes > (pm->npages - pm->first) * VG_PAGE_SIZE)
		return VG_E_NOMEM;
	uint64_t nsegs = (bytes + min_block - 1) / min_block;
	struct vg_dma_seg *segs = calloc((size_t)nsegs, sizeof(*segs));
	uint8_t *cpu = VirtualAlloc(NULL, (SIZE_T)bytes,
				    MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	if (!segs || !cpu)
		goto err_mem;

	AcquireSRWLockExclusive(&pm->lock);
	uint64_t next = pm->first, i;
	for (i = 0; i < nsegs; i++) {
		uint64_t off = i * min_block;
		uint64_t len =
			bytes - off < min_block ? bytes - off : min_block;
		uint64_t n = len / VG_PAGE_SIZE;
		/* One page past the previous block, so it never continues
		 * it; from the bottom again if the top is full. */
		uint64_t at = find_run(pm, n, i ? next + 1 : next, pm->npages,
				       pm->npages);
		if (at == pm->npages)
			at = find_run(pm, n, pm->first, pm->npages,
				      i ? next : pm->npages);
		if (at == pm->npages)
			break;
		for (uint64_t k = 0; k < n; k++)
			pm->page[at + k] = cpu + off + k * VG_PAGE_SIZE;
		segs[i].addr = pm->dev_base + at * VG_PAGE_SIZE;
		segs[i].len = len;
		next = at + n;
	}
	if (i < nsegs) {
		unmap_segs(pm, segs, i);
		ReleaseSRWLockExclusive(&pm->lock);
		goto err_mem;
	}
	pm->in_use += bytes;
	pm->live++;
	ReleaseSRWLockExclusive(&pm->lock);

	out->cpu = cpu;
	out->size = (size_t)bytes;
	out->nsegs = (uint32_t)nsegs;
	out->segs = segs;
	return VG_OK;

err_mem:
	if (cpu)
		VirtualFree(cpu, 0, MEM_RELEASE);
	free(segs);
	return VG_E_NOMEM;
}

void vgp_pagemem_free(struct vgp_pagemem *pm, struct vg_dma *dma)
{
	if (!dma->cpu)
		return;
	AcquireSRWLockExclusive(&pm->lock);
	unmap_segs(pm, dma->segs, dma->nsegs);
	pm->in_use -= dma->size;
	pm->live--;
	ReleaseSRWLockExclusive(&pm->lock);
	VirtualFree(dma->cpu, 0, MEM_RELEASE);
	free(dma->segs);
	memset(dma, 0, sizeof(*dma));
}

uint64_t vgp_pagemem_bytes_in_use(struct vgp_pagemem *pm)
{
	AcquireSRWLockShared(&pm->lock);
	uint64_t v = pm->in_use;
	ReleaseSRWLockShared(&pm->lock);
	return v;
}

void *vgp_pagemem_device_view(struct vgp_pagemem *pm, uint64_t addr,
			      uint64_t len)
{
	uint8_t *p = NULL;
	uint64_t span = pm->npages * VG_PAGE_SIZE;

	if (!len || addr < pm->dev_base || addr - pm->dev_base >= span ||
	    len > span - (addr - pm->dev_base))
		return NULL;
	uint64_t off = addr - pm->dev_base;
	uint64_t lo = off / VG_PAGE_SIZE, hi = (off + len - 1) / VG_PAGE_SIZE;

	AcquireSRWLockShared(&pm->lock);
	/* Allocated, and contiguous on the CPU side too. */
	uint64_t pg = lo;
	while (pg <= hi && pm->page[pg] &&
	       (pg == lo || pm->page[pg] == pm->page[pg - 1] + VG_PAGE_SIZE))
		pg++;
	if (pg > hi)
		p = pm->page[lo] + off % VG_PAGE_SIZE;
	ReleaseSRWLockShared(&pm->lock);
	return p;
}
