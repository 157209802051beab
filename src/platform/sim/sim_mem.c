// SPDX-License-Identifier: MIT
#include "sim_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE VG_PAGE_SIZE
/* Up to this many blocks an allocation is spread out (no two neighbours
 * adjacent); beyond, blocks are taken densely so adjacent ones merge and
 * the CPU view needs few mappings (Linux allows ~65530 per process). */
#define SPREAD_MAX_BLOCKS 1024u

struct sim_mem {
	int fd;
	int verbose;
	bool punch_ok; /* freed pages are returned to the kernel (read 0) */
	uint8_t *region;
	uint64_t npages;
	pthread_mutex_t lock;
	uint64_t *used; /* bitmap, 1 = allocated */
	uint64_t bytes_in_use;
	uint64_t allocations;
};

static bool page_used(const struct sim_mem *m, uint64_t p)
{
	return m->used[p / 64] >> (p % 64) & 1;
}

static void mark(struct sim_mem *m, uint64_t p, uint64_t n, bool used)
{
	for (; n; p++, n--) {
		if (p % 64 == 0 && n >= 64) {
			m->used[p / 64] = used ? ~0ull : 0;
			p += 63;
			n -= 63;
			continue;
		}
		if (used)
			m->used[p / 64] |= 1ull << (p % 64);
		else
			m->used[p / 64] &= ~(1ull << (p % 64));
	}
}

/* First used page in [p, p + n), or p + n when all are free. */
static uint64_t first_used(const struct sim_mem *m, uint64_t p, uint64_t n)
{
	uint64_t end = p + n;

	while (p < end) {
		if (p % 64 == 0 && end - p >= 64) {
			uint64_t w = m->used[p / 64];
			if (w)
				return p + (uint64_t)__builtin_ctzll(w);
			p += 64;
			continue;
		}
		if (page_used(m, p))
			return p;
		p++;
	}
	return end;
}

/* First free page in [p, p + n), or p + n when all are used. */
static uint64_t first_free(const struct sim_mem *m, uint64_t p, uint64_t n)
{
	uint64_t end = p + n;

	while (p < end) {
		if (p % 64 == 0 && end - p >= 64) {
			uint64_t w = ~m->used[p / 64];
			if (w)
				return p + (uint64_t)__builtin_ctzll(w);
			p += 64;
			continue;
		}
		if (!page_used(m, p))
			return p;
		p++;
	}
	return end;
}

vg_status sim_mem_create(struct sim_mem **out, uint64_t ram_bytes, int verbose)
{
	struct sim_mem *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return VG_E_NOMEM;
	m->verbose = verbose;
	m->fd = -1;
	m->region = MAP_FAILED;
	m->npages = ram_bytes / PAGE;
	if (m->npages == 0)
		goto fail;
	m->used = calloc((m->npages + 63) / 64, sizeof(uint64_t));
	if (!m->used)
		goto fail;
	/* Pages past the end in the last bitmap word never exist. */
	for (uint64_t p = m->npages; p % 64; p++)
		m->used[p / 64] |= 1ull << (p % 64);
	m->fd = memfd_create("viogpu-sim-ram", MFD_CLOEXEC);
	if (m->fd < 0 || ftruncate(m->fd, (off_t)(m->npages * PAGE)) != 0)
		goto fail;
	m->region = mmap(NULL, m->npages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_NORESERVE, m->fd, 0);
	if (m->region == MAP_FAILED)
		goto fail;
	/* Probe once whether freed memory can be handed back. */
	m->punch_ok =
		fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			  PAGE) == 0;
	pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return VG_OK;
fail:
	if (m->region != MAP_FAILED)
		munmap(m->region, m->npages * PAGE);
	if (m->fd >= 0)
		close(m->fd);
	free(m->used);
	free(m);
	return VG_E_NOMEM;
}

void sim_mem_destroy(struct sim_mem *m)
{
	if (!m)
		return;
	if (m->bytes_in_use)
		fprintf(stderr,
			"viogpu-sim: %llu DMA bytes in %llu allocations were "
			"never freed\n",
			(unsigned long long)m->bytes_in_use,
			(unsigned long long)m->allocations);
	munmap(m->region, m->npages * PAGE);
	close(m->fd);
	pthread_mutex_destroy(&m->lock);
	free(m->used);
	free(m);
}

uint64_t sim_mem_bytes_in_use(struct sim_mem *m)
{
	pthread_mutex_lock(&m->lock);
	uint64_t n = m->bytes_in_use;
	pthread_mutex_unlock(&m->lock);
	return n;
}

/* One free run of n pages, first fit; UINT64_MAX if none. */
static uint64_t find_run(const struct sim_mem *m, uint64_t n)
{
	for (uint64_t p = 0; p + n <= m->npages;) {
		uint64_t u = first_used(m, p, n);
		if (u == p + n)
			return p;
		p = first_free(m, u, m->npages - u);
	}
	return UINT64_MAX;
}

/*
 * Up to nblocks free aligned slots of bpages pages, ascending, into
 * slots[].  spread: leave at least one slot between two picks.
 */
static uint64_t find_slots(const struct sim_mem *m, uint64_t bpages,
			   uint64_t nblocks, bool spread, uint64_t *slots)
{
	uint64_t found = 0;

	for (uint64_t s = 0; (s + 1) * bpages <= m->npages && found < nblocks;
	     s++) {
		if (first_used(m, s * bpages, bpages) != (s + 1) * bpages)
			continue;
		slots[found++] = s * bpages;
		if (spread)
			s++;
	}
	return found;
}

static vg_status map_view(struct sim_mem *m, struct vg_dma *out)
{
	if (out->nsegs == 1) {
		/* One run: the region already maps it contiguously. */
		out->cpu = m->region + (out->segs[0].addr - SIM_MEM_BASE);
		return VG_OK;
	}
	uint8_t *base =
		mmap(NULL, out->size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t off = 0;

	if (base == MAP_FAILED)
		return VG_E_NOMEM;
	for (uint32_t i = 0; i < out->nsegs; i++) {
		void *p =
			mmap(base + off, out->segs[i].len,
			     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			     m->fd, (off_t)(out->segs[i].addr - SIM_MEM_BASE));
		if (p == MAP_FAILED) {
			if (m->verbose)
				fprintf(stderr,
					"viogpu-sim: mapping DMA segment %u "
					"of %u: %s\n",
					i, out->nsegs, strerror(errno));
			munmap(base, out->size);
			return VG_E_NOMEM;
		}
		off += out->segs[i].len;
	}
	out->cpu = base;
	return VG_OK;
}

static void release_pages(struct sim_mem *m, const struct vg_dma *dma)
{
	for (uint32_t i = 0; i < dma->nsegs; i++) {
		uint64_t off = dma->segs[i].addr - SIM_MEM_BASE;
		if (!m->punch_ok ||
		    fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)off, (off_t)dma->segs[i].len) != 0)
			memset(m->region + off, 0, dma->segs[i].len);
	}
}

vg_status sim_mem_alloc(struct sim_mem *m, size_t size, size_t min_block,
			struct vg_dma *out)
{
	uint64_t *slots = NULL;
	struct vg_dma_seg *segs = NULL;
	vg_status st = VG_E_NOMEM;

	memset(out, 0, sizeof(*out));
	if (size == 0)
		return VG_E_INVAL;
	/* Lenient, like the QEMU platform: min_block >= size means one run
	 * whatever its value; otherwise round up to a power of two of at
	 * least a page. */
	if (min_block < PAGE)
		min_block = PAGE;
	if (min_block < size && (min_block & (min_block - 1)))
		min_block = (size_t)1 << (64 - __builtin_clzll(min_block));
	if (size > m->npages * PAGE)
		return VG_E_NOMEM;

	uint64_t pages = (size + PAGE - 1) / PAGE;
	uint64_t bpages = min_block / PAGE;
	bool one_run = min_block >= size;
	uint64_t nblocks = one_run ? 1 : (pages + bpages - 1) / bpages;

	slots = malloc(nblocks * sizeof(*slots));
	segs = malloc(nblocks * sizeof(*segs));
	if (!slots || !segs)
		goto out;

	pthread_mutex_lock(&m->lock);
	bool spread = false;
	if (one_run) {
		slots[0] = find_run(m, pages);
		if (slots[0] == UINT64_MAX) {
			pthread_mutex_unlock(&m->lock);
			goto out;
		}
		bpages = pages;
	} else {
		spread = nblocks <= SPREAD_MAX_BLOCKS &&
			 find_slots(m, bpages, nblocks, true, slots) == nblocks;
		if (!spread &&
		    find_slots(m, bpages, nblocks, false, slots) < nblocks) {
			pthread_mutex_unlock(&m->lock);
			goto out;
		}
	}
	/* Segments in CPU order.  Spread blocks go in descending address
	 * order: with gaps between them no block ever continues the
	 * previous one.  The last block may be short. */
	uint32_t nsegs = 0;
	for (uint64_t i = 0, left = pages; i < nblocks; i++) {
		uint64_t slot = spread ? slots[nblocks - 1 - i] : slots[i];
		uint64_t n = left < bpages ? left : bpages;
		uint64_t addr = SIM_MEM_BASE + slot * PAGE;

		mark(m, slot, n, true);
		left -= n;
		if (nsegs && segs[nsegs - 1].addr + segs[nsegs - 1].len == addr)
			segs[nsegs - 1].len += n * PAGE;
		else
			segs[nsegs++] = (struct vg_dma_seg){addr, n * PAGE};
	}
	m->bytes_in_use += pages * PAGE;
	m->allocations++;
	pthread_mutex_unlock(&m->lock);

	out->size = pages * PAGE;
	out->nsegs = nsegs;
	out->segs = segs;
	out->os_private = m;
	segs = NULL; /* owned by out now */
	st = map_view(m, out);
	if (st != VG_OK) {
		out->cpu = NULL;
		sim_mem_free(m, out);
	}
	/* Freed pages were zeroed (or punched) on free: no memset here, so
	 * an untouched framebuffer costs no RAM. */
out:
	free(slots);
	free(segs);
	return st;
}

void sim_mem_free(struct sim_mem *m, struct vg_dma *dma)
{
	if (!dma || (!dma->segs && !dma->cpu))
		return;
	if (dma->os_private != m) {
		fprintf(stderr, "viogpu-sim: dma_free of a buffer this "
				"platform did not allocate\n");
		return;
	}
	if (dma->cpu && dma->nsegs > 1)
		munmap(dma->cpu, dma->size);
	release_pages(m, dma);
	pthread_mutex_lock(&m->lock);
	for (uint32_t i = 0; i < dma->nsegs; i++)
		mark(m, (dma->segs[i].addr - SIM_MEM_BASE) / PAGE,
		     dma->segs[i].len / PAGE, false);
	m->bytes_in_use -= dma->size;
	m->allocations--;
	pthread_mutex_unlock(&m->lock);
	free(dma->segs);
	memset(dma, 0, sizeof(*dma));
}

void *sim_mem_map(struct sim_mem *m, uint64_t addr, uint64_t len)
{
	uint64_t bytes = m->npages * PAGE;

	if (len == 0 || addr < SIM_MEM_BASE)
		return NULL;
	uint64_t off = addr - SIM_MEM_BASE;
	if (off >= bytes || len > bytes - off)
		return NULL;
	uint64_t first = off / PAGE, last = (off + len - 1) / PAGE;
	pthread_mutex_lock(&m->lock);
	bool ok = first_free(m, first, last - first + 1) == last + 1;
	pthread_mutex_unlock(&m->lock);
	return ok ? m->region + off : NULL;
}
