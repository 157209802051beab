// SPDX-License-Identifier: MIT
#include "pagemem.h"
#include "viogpu/format.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>

#define PAGE VG_PAGE_SIZE
/* Blocks or runs this large come from the top of RAM, smaller ones from
 * the bottom, so small allocations don't break up the large free runs. */
#define LARGE_PAGES 256u
/* Mappings all instances may use for DMA views (of vm.max_map_count's
 * 65530, leaving the rest to the process). */
#define VMA_BUDGET 40000

static atomic_long vmas_in_use;

struct vgp_pagemem {
	int fd;
	int verbose;
	char name[32];	   /* log prefix */
	uint64_t dev_base; /* device address of file offset 0 */
	uint8_t *region;   /* the whole file, mapped once */
	bool punch_ok;	   /* freed pages can go back to the kernel */
	uint64_t npages;
	uint64_t first_page; /* below: reserved */
	pthread_mutex_t lock;
	uint64_t *used; /* bitmap, 1 = allocated or reserved */
	uint64_t bytes_in_use;
	uint64_t allocations;
};

VG_PRINTF(2, 3)
static void warn(const struct vgp_pagemem *g, const char *fmt, ...)
{
	va_list ap;
	char line[256];
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: warning: %s\n", g->name, line);
}

static bool page_used(const struct vgp_pagemem *g, uint64_t p)
{
	return g->used[p / 64] >> (p % 64) & 1;
}

static void mark(struct vgp_pagemem *g, uint64_t p, uint64_t n, bool used)
{
	for (; n && p % 64; p++, n--)
		g->used[p / 64] = used ? g->used[p / 64] | 1ull << (p % 64)
				       : g->used[p / 64] & ~(1ull << (p % 64));
	for (; n >= 64; p += 64, n -= 64)
		g->used[p / 64] = used ? ~0ull : 0;
	for (; n; p++, n--)
		g->used[p / 64] = used ? g->used[p / 64] | 1ull << (p % 64)
				       : g->used[p / 64] & ~(1ull << (p % 64));
}

/* Index of the first used page in [p, p + n), or p + n if all are free. */
static uint64_t first_used(const struct vgp_pagemem *g, uint64_t p, uint64_t n)
{
	uint64_t end = p + n;

	while (p < end) {
		if (p % 64 == 0 && end - p >= 64) {
			uint64_t w = g->used[p / 64];
			if (!w) {
				p += 64;
				continue;
			}
			return p + (uint64_t)__builtin_ctzll(w);
		}
		if (page_used(g, p))
			return p;
		p++;
	}
	return end;
}

/* Index of the first free page in [p, p + n), or p + n if all are used. */
static uint64_t first_free(const struct vgp_pagemem *g, uint64_t p, uint64_t n)
{
	uint64_t end = p + n;

	while (p < end) {
		if (p % 64 == 0 && end - p >= 64) {
			uint64_t w = ~g->used[p / 64];
			if (!w) {
				p += 64;
				continue;
			}
			return p + (uint64_t)__builtin_ctzll(w);
		}
		if (!page_used(g, p))
			return p;
		p++;
	}
	return end;
}

vg_status vgp_pagemem_create(const struct vgp_pagemem_config *cfg,
			     struct vgp_pagemem **out)
{
	struct vgp_pagemem *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (!g)
		return VG_E_NOMEM;
	g->verbose = cfg->verbose;
	snprintf(g->name, sizeof(g->name), "%s", cfg->name);
	g->dev_base = cfg->dev_base;
	g->npages = cfg->bytes / PAGE;
	g->first_page = (cfg->reserved_bytes + PAGE - 1) / PAGE;
	g->fd = -1;
	g->region = MAP_FAILED;
	if (g->first_page >= g->npages)
		goto fail;
	g->used = calloc((g->npages + 63) / 64, sizeof(uint64_t));
	g->fd = fcntl(cfg->fd, F_DUPFD_CLOEXEC, 0);
	if (!g->used || g->fd < 0)
		goto fail;
	/* Lazily backed: untouched pages cost nothing. */
	g->region = mmap(NULL, g->npages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_NORESERVE, g->fd, 0);
	if (g->region == MAP_FAILED)
		goto fail;
	/* Freed memory is zeroed by giving it back (tmpfs, memfd); probe
	 * once on a reserved or about-to-be-free page. */
	g->punch_ok =
		!cfg->pinned &&
		fallocate(g->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			  (off_t)((g->npages - 1) * PAGE), PAGE) == 0;
	mark(g, 0, g->first_page, true);
	/* Pages past the end in the last bitmap word never exist. */
	for (uint64_t p = g->npages; p % 64; p++)
		g->used[p / 64] |= 1ull << (p % 64);
	pthread_mutex_init(&g->lock, NULL);
	*out = g;
	return VG_OK;
fail:;
	vg_status st = g->first_page >= g->npages ? VG_E_INVAL : VG_E_NOMEM;
	if (g->region != MAP_FAILED)
		munmap(g->region, g->npages * PAGE);
	if (g->fd >= 0)
		close(g->fd);
	free(g->used);
	free(g);
	return st;
}

void vgp_pagemem_destroy(struct vgp_pagemem *g)
{
	if (!g)
		return;
	if (g->bytes_in_use)
		warn(g,
		     "%" PRIu64 " DMA bytes in %" PRIu64
		     " allocations were never freed",
		     g->bytes_in_use, g->allocations);
	pthread_mutex_destroy(&g->lock);
	munmap(g->region, g->npages * PAGE);
	close(g->fd);
	free(g->used);
	free(g);
}

uint64_t vgp_pagemem_bytes_in_use(struct vgp_pagemem *g)
{
	pthread_mutex_lock(&g->lock);
	uint64_t n = g->bytes_in_use;
	pthread_mutex_unlock(&g->lock);
	return n;
}

/* One contiguous run of n pages; returns its first page or UINT64_MAX. */
static uint64_t find_run(struct vgp_pagemem *g, uint64_t n)
{
	if (n > g->npages - g->first_page)
		return UINT64_MAX;
	if (n < LARGE_PAGES) {
		for (uint64_t p = g->first_page; p + n <= g->npages;) {
			uint64_t u = first_used(g, p, n);
			if (u == p + n)
				return p;
			p = u + 1;
		}
		return UINT64_MAX;
	}
	/* From the top: a run overlapping used page u must end below it. */
	for (uint64_t p = g->npages - n;;) {
		uint64_t u = first_used(g, p, n);
		if (u == p + n)
			return p;
		if (u < g->first_page + n)
			break;
		p = u - n;
	}
	return UINT64_MAX;
}

/*
 * Picks nblocks free, naturally aligned slots of bpages pages (the first
 * ones found) into slots[], ascending.  Returns how many it found.
 */
static uint64_t find_slots(struct vgp_pagemem *g, uint64_t bpages,
			   uint64_t nblocks, uint64_t *slots)
{
	uint64_t lo = (g->first_page + bpages - 1) / bpages * bpages;
	uint64_t nslots = g->npages / bpages;
	uint64_t found = 0;

	if (lo / bpages >= nslots)
		return 0;
	if (bpages < LARGE_PAGES) {
		for (uint64_t s = lo / bpages; s < nslots && found < nblocks;
		     s++)
			if (first_used(g, s * bpages, bpages) ==
			    (s + 1) * bpages)
				slots[found++] = s * bpages;
		return found;
	}
	for (uint64_t s = nslots; s-- > lo / bpages && found < nblocks;)
		if (first_used(g, s * bpages, bpages) == (s + 1) * bpages)
			slots[found++] = s * bpages;
	/* Ascending, like the small case. */
	for (uint64_t i = 0; i < found / 2; i++) {
		uint64_t t = slots[i];
		slots[i] = slots[found - 1 - i];
		slots[found - 1 - i] = t;
	}
	return found;
}

/*
 * Orders ascending slots for the CPU view: groups of `group` slots keep
 * their order (they may merge), the groups go even-indexed first, then
 * odd-indexed (two groups: reversed), so no group starts where the
 * previous one ended.
 */
static void stride_order(const uint64_t *slots, uint64_t n, uint64_t group,
			 uint64_t *order)
{
	uint64_t ngroups = (n + group - 1) / group;
	uint64_t k = 0;

	if (ngroups == 2) {
		for (uint64_t i = group; i < n; i++)
			order[k++] = slots[i];
		for (uint64_t i = 0; i < group; i++)
			order[k++] = slots[i];
		return;
	}
	for (int parity = 0; parity < 2; parity++)
		for (uint64_t gi = (uint64_t)parity; gi < ngroups; gi += 2)
			for (uint64_t i = gi * group;
			     i < n && i < (gi + 1) * group; i++)
				order[k++] = slots[i];
}

static vg_status map_view(struct vgp_pagemem *g, struct vg_dma *out)
{
	if (out->nsegs == 1) {
		/* One run: the region already maps it contiguously. */
		out->cpu = g->region + (out->segs[0].addr - g->dev_base);
		return VG_OK;
	}
	uint8_t *base =
		mmap(NULL, out->size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t off = 0;

	if (base == MAP_FAILED)
		return VG_E_NOMEM;
	for (uint32_t i = 0; i < out->nsegs; i++) {
		void *p = mmap(base + off, out->segs[i].len,
			       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			       g->fd, (off_t)(out->segs[i].addr - g->dev_base));
		if (p == MAP_FAILED) {
			warn(g, "mapping DMA segment %u of %u: %s", i,
			     out->nsegs, strerror(errno));
			munmap(base, out->size);
			return VG_E_NOMEM;
		}
		off += out->segs[i].len;
	}
	out->cpu = base;
	return VG_OK;
}

vg_status vgp_pagemem_alloc(struct vgp_pagemem *g, size_t size,
			    size_t min_block, struct vg_dma *out)
{
	uint64_t *slots = NULL, *order = NULL;
	struct vg_dma_seg *segs = NULL;
	vg_status st = VG_E_NOMEM;

	memset(out, 0, sizeof(*out));
	if (size == 0)
		return VG_E_INVAL;
	/* Lenient: min_block >= size means one run whatever its value;
	 * otherwise round up to a power of two of at least a page. */
	if (min_block < PAGE)
		min_block = PAGE;
	if (min_block < size && (min_block & (min_block - 1)))
		min_block = (size_t)1 << (64 - __builtin_clzll(min_block));
	if (size > (g->npages - g->first_page) * PAGE)
		return VG_E_NOMEM;

	uint64_t pages = (size + PAGE - 1) / PAGE;
	uint64_t bpages = min_block / PAGE;
	bool one_run = min_block >= size;
	uint64_t nblocks = one_run ? 1 : (pages + bpages - 1) / bpages;

	slots = malloc(nblocks * sizeof(*slots));
	order = malloc(nblocks * sizeof(*order));
	segs = malloc(nblocks * sizeof(*segs));
	if (!slots || !order || !segs)
		goto out;

	pthread_mutex_lock(&g->lock);
	if (one_run) {
		uint64_t p = find_run(g, pages);
		if (p == UINT64_MAX) {
			pthread_mutex_unlock(&g->lock);
			goto out;
		}
		order[0] = p;
		bpages = pages;
	} else {
		if (find_slots(g, bpages, nblocks, slots) < nblocks) {
			pthread_mutex_unlock(&g->lock);
			goto out;
		}
		long budget = VMA_BUDGET - atomic_load(&vmas_in_use);
		uint64_t frags = budget > 1 ? (uint64_t)budget : 1;
		uint64_t group = (nblocks + frags - 1) / frags;
		stride_order(slots, nblocks, group, order);
	}
	/* Build merged segments in CPU order; the last block may be short. */
	uint32_t nsegs = 0;
	for (uint64_t i = 0, left = pages; i < nblocks; i++) {
		uint64_t n = left < bpages ? left : bpages;
		uint64_t addr = g->dev_base + order[i] * PAGE;

		mark(g, order[i], n, true);
		left -= n;
		if (nsegs && segs[nsegs - 1].addr + segs[nsegs - 1].len == addr)
			segs[nsegs - 1].len += n * PAGE;
		else
			segs[nsegs++] = (struct vg_dma_seg){addr, n * PAGE};
	}
	g->bytes_in_use += pages * PAGE;
	g->allocations++;
	atomic_fetch_add(&vmas_in_use, (long)nsegs + 1);
	pthread_mutex_unlock(&g->lock);

	out->size = pages * PAGE;
	out->nsegs = nsegs;
	out->segs = segs;
	out->os_private = g;
	st = map_view(g, out);
	if (st) {
		vgp_pagemem_free(g, out);
		segs = NULL;
		goto out;
	}
	segs = NULL; /* owned by out now; zeroed when last freed */
out:
	free(slots);
	free(order);
	free(segs);
	return st;
}

void vgp_pagemem_free(struct vgp_pagemem *g, struct vg_dma *dma)
{
	if (!dma || (!dma->segs && !dma->cpu))
		return;
	if (dma->os_private != g) {
		warn(g, "dma_free of a buffer this platform did not allocate");
		return;
	}
	if (dma->cpu && dma->nsegs > 1)
		munmap(dma->cpu, dma->size);
	/* Zero what the next allocation gets: hand the pages back to the
	 * kernel (they read as zero), or clear them. */
	for (uint32_t i = 0; i < dma->nsegs; i++) {
		uint64_t off = dma->segs[i].addr - g->dev_base;
		if (!g->punch_ok ||
		    fallocate(g->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)off, (off_t)dma->segs[i].len) != 0)
			memset(g->region + off, 0, dma->segs[i].len);
	}
	pthread_mutex_lock(&g->lock);
	for (uint32_t i = 0; i < dma->nsegs; i++)
		mark(g, (dma->segs[i].addr - g->dev_base) / PAGE,
		     dma->segs[i].len / PAGE, false);
	g->bytes_in_use -= dma->size;
	g->allocations--;
	atomic_fetch_sub(&vmas_in_use, (long)dma->nsegs + 1);
	pthread_mutex_unlock(&g->lock);
	free(dma->segs);
	memset(dma, 0, sizeof(*dma));
}

void *vgp_pagemem_device_view(struct vgp_pagemem *g, uint64_t addr,
			      uint64_t len)
{
	uint64_t bytes = g->npages * PAGE;

	if (len == 0 || addr < g->dev_base)
		return NULL;
	uint64_t off = addr - g->dev_base;
	if (off >= bytes || len > bytes - off)
		return NULL;
	uint64_t first = off / PAGE, last = (off + len - 1) / PAGE;
	pthread_mutex_lock(&g->lock);
	bool ok = first_free(g, first, last - first + 1) == last + 1;
	pthread_mutex_unlock(&g->lock);
	return ok ? g->region + off : NULL;
}
