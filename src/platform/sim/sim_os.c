// SPDX-License-Identifier: MIT
/*
 * The sim platform's vg_os (memory with failure injection and counters,
 * pthread locks, auto-reset events, the interrupt thread, the clock, the
 * log) and the public vg_sim_* API.
 */
#include "viogpu/format.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef _WIN32
#include <sys/mman.h>
#include <unistd.h>
#endif
#include "pagemem.h"
#include "posix_sync.h"
#include "sim_cmds.h"
#include "sim_device.h"
#include "sim_internal.h"
#include "sim_pci.h"

#define DEFAULT_HOSTMEM (256ull << 20)
#define DEFAULT_BACKING_ENTRIES 16384u
#define DEFAULT_RAM (1ull << 30)
#define MIN_RAM (16ull << 20)

static struct vg_sim *to_sim(struct vg_os *os)
{
	return (struct vg_sim *)os; /* os is the first member */
}

/* ---- log and time ---- */

static void sim_vlog_level(int verbose, enum vg_log_level lvl, const char *fmt,
			   va_list ap) VG_PRINTF(3, 0);

static void sim_vlog_level(int verbose, enum vg_log_level lvl, const char *fmt,
			   va_list ap)
{
	static const char *const names[] = {"error", "warning", "info",
					    "debug"};
	char line[512];

	if ((lvl == VG_LOG_INFO && verbose < 1) ||
	    (lvl == VG_LOG_DEBUG && verbose < 2))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "viogpu-sim: %s: %s\n", names[lvl & 3], line);
}

void sim_log(const struct vg_sim *s, enum vg_log_level lvl, const char *fmt,
	     ...)
{
	va_list ap;
	va_start(ap, fmt);
	sim_vlog_level(s->verbose, lvl, fmt, ap);
	va_end(ap);
}

static uint64_t os_now_ns(struct vg_os *os)
{
	(void)os;
	return vgp_now_ns();
}

static void os_vlog(struct vg_os *os, enum vg_log_level level, const char *fmt,
		    va_list ap) VG_PRINTF(3, 0);

static void os_vlog(struct vg_os *os, enum vg_log_level level, const char *fmt,
		    va_list ap)
{
	sim_vlog_level(to_sim(os)->verbose, level, fmt, ap);
}

/* ---- memory ---- */

/* Counts the call; true if this one is to fail. */
static bool alloc_should_fail(struct vg_sim *s)
{
	long n = atomic_fetch_add(&s->alloc_calls, 1) + 1;
	long at = atomic_load(&s->fail_alloc_at);
	return at && n == at &&
	       atomic_compare_exchange_strong(&s->fail_alloc_at, &at, 0);
}

static void *os_alloc(struct vg_os *os, size_t size)
{
	struct vg_sim *s = to_sim(os);

	if (alloc_should_fail(s))
		return NULL;
	void *p = calloc(1, size ? size : 1);
	if (p)
		atomic_fetch_add(&s->allocs_live, 1);
	return p;
}

static void os_free(struct vg_os *os, void *ptr)
{
	if (!ptr)
		return;
	atomic_fetch_sub(&to_sim(os)->allocs_live, 1);
	free(ptr);
}

static vg_status os_dma_alloc(struct vg_os *os, size_t size, size_t min_block,
			      struct vg_dma *out)
{
	struct vg_sim *s = to_sim(os);

	if (alloc_should_fail(s)) {
		memset(out, 0, sizeof(*out));
		return VG_E_NOMEM;
	}
	return vgp_pagemem_alloc(s->mem, size, min_block, out);
}

static void os_dma_free(struct vg_os *os, struct vg_dma *dma)
{
	vgp_pagemem_free(to_sim(os)->mem, dma);
}

/* ---- device access ---- */

static uint32_t os_cfg_read(struct vg_os *os, uint32_t off, unsigned width)
{
	return sim_cfg_read(to_sim(os), off, width);
}

static void os_cfg_write(struct vg_os *os, uint32_t off, unsigned width,
			 uint32_t val)
{
	sim_cfg_write(to_sim(os), off, width, val);
}

static uint64_t os_bar_read(struct vg_os *os, unsigned bar, uint64_t off,
			    unsigned width)
{
	return sim_bar_read(to_sim(os), bar, off, width);
}

static void os_bar_write(struct vg_os *os, unsigned bar, uint64_t off,
			 unsigned width, uint64_t val)
{
	sim_bar_write(to_sim(os), bar, off, width, val);
}

static vg_status os_irq_connect(struct vg_os *os, vg_isr_fn isr, vg_dpc_fn dpc,
				void *ctx)
{
	return vgp_intx_connect(&to_sim(os)->irq, isr, dpc, ctx);
}

static void os_irq_disconnect(struct vg_os *os)
{
	vgp_intx_disconnect(&to_sim(os)->irq);
}

static void os_dpc_request(struct vg_os *os)
{
	vgp_intx_request_dpc(&to_sim(os)->irq);
}

/* ---- locks and events ---- */

static vg_status os_lock_create(struct vg_os *os, struct vg_lock **out)
{
	(void)os;
	return vgp_lock_create(out);
}

static void os_lock_destroy(struct vg_os *os, struct vg_lock *l)
{
	(void)os;
	vgp_lock_destroy(l);
}

static vg_status os_event_create(struct vg_os *os, struct vg_event **out)
{
	(void)os;
	return vgp_event_create(NULL, out);
}

static void os_event_destroy(struct vg_os *os, struct vg_event *ev)
{
	(void)os;
	vgp_event_destroy(ev);
}

/* Guest memory: a memfd, lazily backed, carved up by the shared
 * allocator; device address = SIM_MEM_BASE + offset, so 0 and small
 * numbers are never valid. */
static vg_status create_memory(struct vg_sim *s)
{
	uint64_t bytes = s->cfg.ram_bytes / VG_PAGE_SIZE * VG_PAGE_SIZE;
#ifdef _WIN32
	int fd = -1; /* pagemem_win32.c reserves the memory itself */
	bool have_file = true;
#else
	int fd = memfd_create("viogpu-sim-ram", MFD_CLOEXEC);
	bool have_file = fd >= 0 && bytes && ftruncate(fd, (off_t)bytes) == 0;
#endif
	vg_status st = VG_E_NOMEM;

	if (have_file && bytes) {
		struct vgp_pagemem_config mc = {
			.fd = fd,
			.bytes = bytes,
			.dev_base = SIM_MEM_BASE,
			.name = "viogpu-sim",
			.verbose = s->verbose,
		};
		st = vgp_pagemem_create(&mc, &s->mem);
	}
#ifndef _WIN32
	if (fd >= 0)
		close(fd);
#endif
	return st;
}

static const struct vg_os_ops sim_os_ops = {
	.alloc = os_alloc,
	.free = os_free,
	.dma_alloc = os_dma_alloc,
	.dma_free = os_dma_free,
	.cfg_read = os_cfg_read,
	.cfg_write = os_cfg_write,
	.bar_read = os_bar_read,
	.bar_write = os_bar_write,
	.irq_connect = os_irq_connect,
	.irq_disconnect = os_irq_disconnect,
	.dpc_request = os_dpc_request,
	.lock_create = os_lock_create,
	.lock_destroy = os_lock_destroy,
	.lock = vgp_lock,
	.unlock = vgp_unlock,
	.event_create = os_event_create,
	.event_destroy = os_event_destroy,
	.event_signal = vgp_event_signal,
	.event_wait = vgp_event_wait,
	.now_ns = os_now_ns,
	.vlog = os_vlog,
};

/* ---- public API ---- */

static vg_status check_config(const struct vg_sim_config *in,
			      struct vg_sim_config *c)
{
	*c = *in;
	c->faults = NULL; /* parsed at create; the string is not kept */
	if (c->num_scanouts == 0)
		c->num_scanouts = 1;
	if (c->num_scanouts > VG_MAX_SCANOUTS)
		return VG_E_INVAL;
	if (c->max_hostmem == 0)
		c->max_hostmem = DEFAULT_HOSTMEM;
	if (c->max_backing_entries == 0)
		c->max_backing_entries = DEFAULT_BACKING_ENTRIES;
	if (c->max_backing_entries > (1u << 24))
		return VG_E_INVAL;
	if (c->ram_bytes == 0)
		c->ram_bytes = DEFAULT_RAM;
	if (c->ram_bytes < MIN_RAM)
		return VG_E_INVAL;
	for (unsigned h = 0; h < c->num_scanouts; h++)
		if (c->xres[h] > 16384 || c->yres[h] > 16384)
			return VG_E_INVAL;
	for (unsigned h = 0; h < VG_MAX_SCANOUTS; h++)
		if (c->edid_size[h] > 1024 ||
		    (c->edid_size[h] && !c->edid[h]) ||
		    (c->edid_size[h] && h >= c->num_scanouts))
			return VG_E_INVAL;
	return VG_OK;
}

vg_status vg_sim_create(const struct vg_sim_config *cfg, struct vg_sim **out)
{
	static const struct vg_sim_config defaults;
	struct vg_sim *s;
	vg_status st;

	*out = NULL;
	if (!cfg)
		cfg = &defaults;
	s = calloc(1, sizeof(*s));
	if (!s)
		return VG_E_NOMEM;
	s->os.ops = &sim_os_ops;
	s->verbose = cfg->verbose;
	st = check_config(cfg, &s->cfg);
	if (st != VG_OK) {
		fprintf(stderr, "viogpu-sim: invalid configuration\n");
		free(s);
		return st;
	}
	st = sim_faults_parse(cfg->faults, &s->faults);
	if (st != VG_OK) {
		free(s);
		return st;
	}
	st = create_memory(s);
	if (st != VG_OK)
		goto err_faults;

	vgp_cond_init(&s->wake);
	pthread_mutex_init(&s->lock, NULL);
	vgp_intx_init(&s->irq, SIM_IRQ_STORM_CALLS, NULL, NULL);
	sim_pci_init(s);

	s->device_features = (1ull << VG_F_VERSION_1) |
			     (1ull << VG_F_RING_INDIRECT_DESC) |
			     (1ull << VG_F_RING_EVENT_IDX);
	if (!s->cfg.no_edid)
		s->device_features |= 1ull << VG_F_EDID;
	if (s->cfg.access_platform)
		s->device_features |= 1ull << VG_F_ACCESS_PLATFORM;
	sim_device_init(s);
	for (unsigned h = 0; h < s->cfg.num_scanouts; h++) {
		struct sim_head *hd = &s->heads[h];
		if (cfg->edid_size[h]) {
			memcpy(hd->edid, cfg->edid[h], cfg->edid_size[h]);
			hd->edid_size = cfg->edid_size[h];
			hd->edid_given = true;
		}
		/* The caller's pointers are not kept. */
		s->cfg.edid[h] = NULL;
	}
	for (unsigned h = 0; h < s->cfg.num_scanouts; h++)
		sim_head_set_mode(s, h,
				  h == 0 || (s->cfg.xres[h] && s->cfg.yres[h]),
				  s->cfg.xres[h], s->cfg.yres[h]);

	st = sim_device_start(s);
	if (st != VG_OK)
		goto err_sync;
	*out = s;
	return VG_OK;

err_sync:
	vgp_intx_finish(&s->irq);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	vgp_pagemem_destroy(s->mem);
err_faults:
	sim_faults_free(&s->faults);
	free(s);
	return st;
}

void vg_sim_destroy(struct vg_sim *sim)
{
	if (!sim)
		return;
	/* The ISR may still touch the device: stop it first. */
	vgp_intx_finish(&sim->irq);
	sim_device_stop(sim);
	long live = atomic_load(&sim->allocs_live);
	if (live)
		fprintf(stderr,
			"viogpu-sim: %ld os allocations were never freed\n",
			live);
	pthread_mutex_destroy(&sim->lock);
	pthread_cond_destroy(&sim->wake);
	vgp_pagemem_destroy(sim->mem);
	sim_faults_free(&sim->faults);
	free(sim);
}

struct vg_os *vg_sim_os(struct vg_sim *sim)
{
	return &sim->os;
}

vg_status vg_sim_screendump(struct vg_sim *sim, unsigned head,
			    uint32_t **pixels, uint32_t *width,
			    uint32_t *height)
{
	pthread_mutex_lock(&sim->lock);
	vg_status st = sim_head_screendump(sim, head, pixels, width, height);
	pthread_mutex_unlock(&sim->lock);
	return st;
}

void vg_sim_get_counters(struct vg_sim *sim, struct vg_sim_counters *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&sim->lock);
	out->live_resources = sim->live_resources;
	out->attached_backings = sim->attached_backings;
	out->hostmem_bytes = sim->hostmem_bytes;
	out->commands = sim->commands;
	out->error_responses = sim->error_responses;
	out->faults_injected = sim->faults_injected;
	out->interrupts = sim->interrupts;
	out->resets = sim->resets;
	out->config_vector = sim->config_msix;
	out->queue_vector[0] = sim->q[SIM_CTRLQ].msix;
	out->queue_vector[1] = sim->q[SIM_CURSORQ].msix;
	pthread_mutex_unlock(&sim->lock);
	out->dma_bytes_in_use = vgp_pagemem_bytes_in_use(sim->mem);
	out->os_allocs_live = atomic_load(&sim->allocs_live);
}

vg_status vg_sim_set_display(struct vg_sim *sim, unsigned head, bool enabled,
			     uint32_t width, uint32_t height)
{
	if (head >= sim->cfg.num_scanouts || width > 16384 || height > 16384 ||
	    (enabled && (!width || !height)))
		return VG_E_INVAL;
	pthread_mutex_lock(&sim->lock);
	sim_head_set_mode(sim, head, enabled, width, height);
	sim_device_display_event_locked(sim);
	pthread_mutex_unlock(&sim->lock);
	return VG_OK;
}

void vg_sim_pause(struct vg_sim *sim, bool paused)
{
	pthread_mutex_lock(&sim->lock);
	sim->paused = paused;
	/* A pause can stop a queue half done: a resumed device looks at
	 * every ring again, as QEMU's continued main loop does. */
	if (!paused)
		sim->notify_pending = (1u << SIM_NUM_QUEUES) - 1;
	sim_device_kick_locked(sim);
	pthread_mutex_unlock(&sim->lock);
}

void vg_sim_share_irq(struct vg_sim *sim)
{
	vgp_intx_share(&sim->irq);
}

vg_status vg_sim_set_edid(struct vg_sim *sim, unsigned head,
			  const uint8_t *bytes, uint32_t len)
{
	if (head >= sim->cfg.num_scanouts || !bytes || len == 0 || len > 1024)
		return VG_E_INVAL;
	pthread_mutex_lock(&sim->lock);
	sim_head_set_edid(sim, head, bytes, len);
	sim_device_display_event_locked(sim);
	pthread_mutex_unlock(&sim->lock);
	return VG_OK;
}

void vg_sim_fail_alloc_at(struct vg_sim *sim, long n)
{
	atomic_store(&sim->fail_alloc_at,
		     n > 0 ? atomic_load(&sim->alloc_calls) + n : 0);
}

long vg_sim_alloc_calls(struct vg_sim *sim)
{
	return atomic_load(&sim->alloc_calls);
}

vg_status vg_sim_power_cycle(struct vg_sim *sim, bool lose_state)
{
	if (!lose_state)
		return VG_OK; /* sleep: the device keeps what it had */
	/* Hibernate: power is lost, so the device forgets everything. */
	pthread_mutex_lock(&sim->lock);
	sim_device_reset_locked(sim);
	pthread_mutex_unlock(&sim->lock);
	return VG_OK;
}
