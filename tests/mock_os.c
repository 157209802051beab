// SPDX-License-Identifier: MIT
#include "mock_os.h"
#include "viogpu/format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct mock_os *M(struct vg_os *os)
{
	return (struct mock_os *)os;
}

void mock_os_not_in_isr(struct mock_os *m, const char *what)
{
	if (m->in_isr) {
		fprintf(stderr, "mock_os: %s called in interrupt context\n",
			what);
		abort();
	}
}

static int should_fail(struct mock_os *m)
{
	mock_os_not_in_isr(m, "alloc");
	pthread_mutex_lock(&m->mu);
	long n = ++m->total_allocs;
	int fail = m->fail_at && n == m->fail_at;
	if (!fail)
		m->live_allocs++;
	pthread_mutex_unlock(&m->mu);
	return fail;
}

static void dec_live(struct mock_os *m)
{
	pthread_mutex_lock(&m->mu);
	m->live_allocs--;
	pthread_mutex_unlock(&m->mu);
}

static void *m_alloc(struct vg_os *os, size_t size)
{
	if (should_fail(M(os)))
		return NULL;
	void *p = calloc(1, size ? size : 1);
	if (!p)
		dec_live(M(os));
	return p;
}

static void m_free(struct vg_os *os, void *p)
{
	if (p) {
		free(p);
		dec_live(M(os));
	}
}

/* Page-aligned memory: posix_memalign, or _aligned_malloc on Windows
 * (whose blocks need _aligned_free). */
static void *page_alloc(size_t sz)
{
#ifdef _WIN32
	return _aligned_malloc(sz, VG_PAGE_SIZE);
#else
	void *p = NULL;
	return posix_memalign(&p, VG_PAGE_SIZE, sz) ? NULL : p;
#endif
}

static void page_free(void *p)
{
#ifdef _WIN32
	_aligned_free(p);
#else
	free(p);
#endif
}

static vg_status m_dma_alloc(struct vg_os *os, size_t size, size_t min_block,
			     struct vg_dma *out)
{
	struct mock_os *m = M(os);
	size_t sz = (size + VG_PAGE_SIZE - 1) & ~(size_t)(VG_PAGE_SIZE - 1);
	size_t blk =
		m->dma_block && m->dma_block >= min_block ? m->dma_block : sz;
	if (should_fail(m))
		return VG_E_NOMEM;
	memset(out, 0, sizeof(*out));
	void *p = page_alloc(sz);
	if (!p) {
		dec_live(m);
		return VG_E_NOMEM;
	}
	memset(p, 0, sz);
	uint32_t n = (uint32_t)((sz + blk - 1) / blk);
	out->segs = calloc(n, sizeof(*out->segs));
	if (!out->segs) {
		page_free(p);
		dec_live(m);
		return VG_E_NOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t off = (size_t)i * blk;
		out->segs[i].addr = (uint64_t)(uintptr_t)p + off;
		out->segs[i].len = sz - off < blk ? sz - off : blk;
	}
	out->nsegs = n;
	out->cpu = p;
	out->size = sz;
	return VG_OK;
}

static void m_dma_free(struct vg_os *os, struct vg_dma *d)
{
	if (!d->cpu)
		return;
	page_free(d->cpu);
	free(d->segs);
	memset(d, 0, sizeof(*d));
	dec_live(M(os));
}

static uint32_t m_cfg_read(struct vg_os *os, uint32_t off, unsigned w)
{
	(void)os, (void)off, (void)w;
	return 0xffffffffu;
}

static void m_cfg_write(struct vg_os *os, uint32_t off, unsigned w, uint32_t v)
{
	(void)os, (void)off, (void)w, (void)v;
}

static uint64_t m_bar_read(struct vg_os *os, unsigned bar, uint64_t off,
			   unsigned w)
{
	(void)os, (void)bar, (void)off, (void)w;
	return 0;
}

static void m_bar_write(struct vg_os *os, unsigned bar, uint64_t off,
			unsigned w, uint64_t v)
{
	(void)os, (void)bar, (void)off, (void)w, (void)v;
}

static vg_status m_irq_connect(struct vg_os *os, vg_isr_fn isr, vg_dpc_fn dpc,
			       void *ctx)
{
	struct mock_os *m = M(os);
	if (!isr || !dpc || m->isr)
		return VG_E_INVAL;
	m->isr = isr;
	m->dpc = dpc;
	m->irq_ctx = ctx;
	m->dpc_pending = 0;
	return VG_OK;
}

static void m_irq_disconnect(struct vg_os *os)
{
	struct mock_os *m = M(os);
	m->isr = NULL;
	m->dpc = NULL;
	m->irq_ctx = NULL;
	m->dpc_pending = 0; /* a requested DPC is dropped */
}

static void m_dpc_request(struct vg_os *os)
{
	struct mock_os *m = M(os);
	if (!m->in_isr) {
		fprintf(stderr, "mock_os: dpc_request outside the ISR\n");
		abort();
	}
	m->dpc_pending++;
}

void mock_os_interrupt(struct mock_os *m)
{
	if (!m->isr)
		return;
	m->in_isr = 1;
	m->isr(m->irq_ctx);
	m->in_isr = 0;
}

int mock_os_run_dpc(struct mock_os *m, int spurious)
{
	if (!m->dpc || (!m->dpc_pending && !spurious))
		return 0;
	m->dpc_pending = 0; /* several requests, one run */
	m->dpc(m->irq_ctx);
	return 1;
}

struct vg_lock {
	pthread_mutex_t mu;
};

static vg_status m_lock_create(struct vg_os *os, struct vg_lock **out)
{
	*out = m_alloc(os, sizeof(**out));
	if (!*out)
		return VG_E_NOMEM;
	pthread_mutex_init(&(*out)->mu, NULL);
	return VG_OK;
}

static void m_lock_destroy(struct vg_os *os, struct vg_lock *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	m_free(os, l);
}

static void m_lock(struct vg_os *os, struct vg_lock *l)
{
	mock_os_not_in_isr(M(os), "lock");
	pthread_mutex_lock(&l->mu);
}

static void m_unlock(struct vg_os *os, struct vg_lock *l)
{
	(void)os;
	pthread_mutex_unlock(&l->mu);
}

struct vg_event {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int set;
};

static vg_status m_event_create(struct vg_os *os, struct vg_event **out)
{
	*out = m_alloc(os, sizeof(**out));
	if (!*out)
		return VG_E_NOMEM;
	pthread_mutex_init(&(*out)->mu, NULL);
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&(*out)->cv, &a);
	pthread_condattr_destroy(&a);
	return VG_OK;
}

static void m_event_destroy(struct vg_os *os, struct vg_event *e)
{
	if (!e)
		return;
	pthread_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
	m_free(os, e);
}

static void m_event_signal(struct vg_os *os, struct vg_event *e)
{
	mock_os_not_in_isr(M(os), "event_signal");
	pthread_mutex_lock(&e->mu);
	e->set = 1;
	pthread_cond_signal(&e->cv);
	pthread_mutex_unlock(&e->mu);
}

static vg_status m_event_wait(struct vg_os *os, struct vg_event *e,
			      uint64_t timeout_ns)
{
	(void)os;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t t = (uint64_t)ts.tv_sec * 1000000000ull +
		     (uint64_t)ts.tv_nsec + timeout_ns;
	ts.tv_sec = (time_t)(t / 1000000000ull);
	ts.tv_nsec = (long)(t % 1000000000ull);
	pthread_mutex_lock(&e->mu);
	int rc = 0;
	while (!e->set && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&e->cv, &e->mu, &ts);
	int got = e->set;
	e->set = 0;
	pthread_mutex_unlock(&e->mu);
	return got ? VG_OK : VG_E_TIMEOUT;
}

static uint64_t m_now(struct vg_os *os)
{
	(void)os;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

VG_PRINTF(3, 0)
static void m_vlog(struct vg_os *os, enum vg_log_level l, const char *fmt,
		   va_list ap)
{
	(void)os, (void)l;
	if (getenv("MOCK_OS_LOG")) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
}

const struct vg_os_ops mock_os_ops = {
	.alloc = m_alloc,
	.free = m_free,
	.dma_alloc = m_dma_alloc,
	.dma_free = m_dma_free,
	.cfg_read = m_cfg_read,
	.cfg_write = m_cfg_write,
	.bar_read = m_bar_read,
	.bar_write = m_bar_write,
	.irq_connect = m_irq_connect,
	.irq_disconnect = m_irq_disconnect,
	.dpc_request = m_dpc_request,
	.lock_create = m_lock_create,
	.lock_destroy = m_lock_destroy,
	.lock = m_lock,
	.unlock = m_unlock,
	.event_create = m_event_create,
	.event_destroy = m_event_destroy,
	.event_signal = m_event_signal,
	.event_wait = m_event_wait,
	.now_ns = m_now,
	.vlog = m_vlog,
};

void mock_os_init(struct mock_os *m)
{
	memset(m, 0, sizeof(*m));
	m->os.ops = &mock_os_ops;
	pthread_mutex_init(&m->mu, NULL);
}
