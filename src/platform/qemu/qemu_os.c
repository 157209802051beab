// SPDX-License-Identifier: MIT
/*
 * The qemu platform's vg_os: the OS-services table over QEMU's real
 * virtio-gpu-pci (qtest for config space, BARs and INTx; the shared RAM
 * file for DMA; QMP for screendumps), and vg_qemu_create/destroy which
 * bring the pieces up and down in order.
 */
#include "viogpu/qemu.h"
#include "viogpu/format.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "irq.h"
#include "pci_fw.h"
#include "ppm.h"
#include "pagemem.h"
#include "posix_sync.h"
#include "qemu_internal.h"
#include "qemu_log.h"
#include "qemu_process.h"
#include "qmp.h"
#include "qtest.h"
#include "vnc.h"

#define DEFAULT_RAM_MIB 1024u
#define MIN_RAM_MIB 16u
#define MAX_RAM_MIB 2048u /* all RAM below q35's 2 GiB PCI hole start */
#define RESERVED_LOW_BYTES (1u << 20)
#define GPU_PCI_DEV 1 /* bus 0, device 1, function 0 on q35 */
#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_DEVICE_VIRTIO_GPU 0x1050
#define DEFAULT_CMD_TIMEOUT_MS 30000u
#define DEFAULT_START_TIMEOUT_MS 10000u

struct vg_qemu {
	struct vg_os os; /* first: the core's handle */
	int verbose;
	unsigned cmd_timeout_ms; /* any one qtest or QMP answer */
	unsigned ram_mib;
	struct vgq_proc proc;
	bool proc_started;
	struct vgq_qtest *qt;
	struct vgq_qmp *qmp;
	struct vgp_pagemem *gmem; /* guest RAM as DMA memory */
	struct vgq_pci pci;
	struct vgq_irq irq;
	atomic_bool up;		     /* vg_qemu_create succeeded */
	atomic_bool paused;	     /* vg_qemu_pause: BAR writes posted */
	atomic_bool dead;	     /* QEMU is gone; everything fails NODEV */
	atomic_long objects;	     /* live alloc() blocks, locks and events */
	struct vgp_event_set events; /* killed when QEMU dies */
	pthread_mutex_t dump_lock;
	/* Display-change requests per head (cfg->vnc_heads), as a VNC
	 * viewer makes them; vnc_lock serializes them. */
	unsigned vnc_heads;
	struct vgq_vnc *vnc[VG_QEMU_MAX_VNC];
	pthread_mutex_t vnc_lock;
};

static struct vg_qemu *to_qemu(struct vg_os *os)
{
	return (struct vg_qemu *)os; /* os is the first member */
}

/* ---- death of QEMU ---- */

/* QEMU did not answer QMP within the command timeout: like a qtest
 * time-out, it counts as gone (calls fail at once, teardown does not wait
 * for it). */
static void qmp_timed_out(struct vg_qemu *q, const char *what)
{
	if (atomic_exchange(&q->dead, true))
		return;
	vgq_irq_dead(&q->irq);
	vgp_event_set_kill(&q->events);
	vgq_log(q->verbose, VG_LOG_ERROR,
		"QEMU (pid %ld) did not answer %s within %u ms: the device is "
		"gone, every further call fails with VG_E_NODEV",
		(long)q->proc.pid, what, q->cmd_timeout_ms);
}

/* qtest reader thread, once. */
static void on_qtest_dead(void *ctx, bool expected, const char *why)
{
	struct vg_qemu *q = ctx;
	char how[96];

	atomic_store(&q->dead, true);
	vgq_irq_dead(&q->irq);
	vgp_event_set_kill(&q->events);
	if (expected || vgq_proc_exiting())
		return;
	vgq_proc_exited(&q->proc, 300, how, sizeof(how));
	if (!atomic_load(&q->up))
		vgq_log(q->verbose, VG_LOG_ERROR,
			"QEMU (pid %ld) exited during start-up (%s)",
			(long)q->proc.pid, how);
	else
		vgq_log(q->verbose, VG_LOG_ERROR,
			"lost QEMU (pid %ld, %s; qtest: %s): the device is "
			"gone, "
			"every further call fails with VG_E_NODEV",
			(long)q->proc.pid, how, why);
	if (strncmp(how, "exit status", 11) == 0)
		vgq_proc_print_stderr_tail(&q->proc, 8);
}

static void on_qtest_irq(void *ctx, unsigned line, bool raised)
{
	struct vg_qemu *q = ctx;

	vgq_irq_line(&q->irq, line, raised);
}

/* ---- memory ---- */

static void *os_alloc(struct vg_os *os, size_t size)
{
	struct vg_qemu *q = to_qemu(os);
	void *p = calloc(1, size ? size : 1);

	if (p)
		atomic_fetch_add(&q->objects, 1);
	return p;
}

static void os_free(struct vg_os *os, void *ptr)
{
	if (!ptr)
		return;
	atomic_fetch_sub(&to_qemu(os)->objects, 1);
	free(ptr);
}

static vg_status os_dma_alloc(struct vg_os *os, size_t size, size_t min_block,
			      struct vg_dma *out)
{
	struct vg_qemu *q = to_qemu(os);

	if (atomic_load(&q->dead)) {
		memset(out, 0, sizeof(*out));
		return VG_E_NODEV;
	}
	return vgp_pagemem_alloc(q->gmem, size, min_block, out);
}

static void os_dma_free(struct vg_os *os, struct vg_dma *dma)
{
	vgp_pagemem_free(to_qemu(os)->gmem, dma);
}

/* ---- device access ---- */

static uint64_t all_ones(unsigned width)
{
	return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

static uint32_t os_cfg_read(struct vg_os *os, uint32_t off, unsigned width)
{
	struct vg_qemu *q = to_qemu(os);
	uint32_t v;

	vgq_pci_cfg_read(&q->pci, off, width, &v);
	return v;
}

static void os_cfg_write(struct vg_os *os, uint32_t off, unsigned width,
			 uint32_t val)
{
	vgq_pci_cfg_write(&to_qemu(os)->pci, off, width, val);
}

static bool bar_access_ok(struct vg_qemu *q, unsigned bar, uint64_t off,
			  unsigned width)
{
	if (bar < VGQ_PCI_NUM_BARS && q->pci.bar_size[bar] &&
	    (width == 1 || width == 2 || width == 4 || width == 8) &&
	    off < q->pci.bar_size[bar] && width <= q->pci.bar_size[bar] - off &&
	    !(off & (width - 1)))
		return true;
	vgq_log(q->verbose, VG_LOG_ERROR,
		"bad BAR access: BAR%u offset 0x%" PRIx64 " width %u", bar, off,
		width);
	return false;
}

static uint64_t os_bar_read(struct vg_os *os, unsigned bar, uint64_t off,
			    unsigned width)
{
	struct vg_qemu *q = to_qemu(os);
	uint64_t v;

	if (atomic_load(&q->dead) || !bar_access_ok(q, bar, off, width))
		return all_ones(width); /* gone: like a master abort */
	if (vgq_qtest_read(q->qt, q->pci.bar_base[bar] + off, width, &v))
		return all_ones(width); /* like a master abort */
	return v;
}

static void os_bar_write(struct vg_os *os, unsigned bar, uint64_t off,
			 unsigned width, uint64_t val)
{
	struct vg_qemu *q = to_qemu(os);

	if (atomic_load(&q->dead) || !bar_access_ok(q, bar, off, width))
		return;
	if (atomic_load(&q->paused))
		vgq_qtest_post_write(q->qt, q->pci.bar_base[bar] + off, width,
				     val);
	else
		vgq_qtest_write(q->qt, q->pci.bar_base[bar] + off, width, val);
}

static vg_status os_irq_connect(struct vg_os *os, vg_isr_fn isr, vg_dpc_fn dpc,
				void *ctx)
{
	return vgp_intx_connect(&to_qemu(os)->irq.intx, isr, dpc, ctx);
}

static void os_irq_disconnect(struct vg_os *os)
{
	vgp_intx_disconnect(&to_qemu(os)->irq.intx);
}

static void os_dpc_request(struct vg_os *os)
{
	vgp_intx_request_dpc(&to_qemu(os)->irq.intx);
}

/* ---- locks and events ---- */

static vg_status os_lock_create(struct vg_os *os, struct vg_lock **out)
{
	vg_status st = vgp_lock_create(out);
	if (st == VG_OK)
		atomic_fetch_add(&to_qemu(os)->objects, 1);
	return st;
}

static void os_lock_destroy(struct vg_os *os, struct vg_lock *l)
{
	if (!l)
		return;
	vgp_lock_destroy(l);
	atomic_fetch_sub(&to_qemu(os)->objects, 1);
}

static vg_status os_event_create(struct vg_os *os, struct vg_event **out)
{
	vg_status st = vgp_event_create(&to_qemu(os)->events, out);
	if (st == VG_OK)
		atomic_fetch_add(&to_qemu(os)->objects, 1);
	return st;
}

static void os_event_destroy(struct vg_os *os, struct vg_event *ev)
{
	if (!ev)
		return;
	vgp_event_destroy(ev);
	atomic_fetch_sub(&to_qemu(os)->objects, 1);
}

/* ---- time and log ---- */

static uint64_t os_now_ns(struct vg_os *os)
{
	(void)os;
	return vgp_now_ns();
}

VG_PRINTF(3, 0)
static void os_vlog(struct vg_os *os, enum vg_log_level level, const char *fmt,
		    va_list ap)
{
	vgq_vlog(to_qemu(os)->verbose, level, fmt, ap);
}

static const struct vg_os_ops qemu_os_ops = {
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

/* ---- create / destroy ---- */

static vg_status check_device(struct vg_qemu *q)
{
	uint32_t id;
	vg_status st = vgq_pci_cfg_read(&q->pci, 0, 4, &id);

	if (st)
		return st;
	if ((id & 0xffff) != PCI_VENDOR_VIRTIO ||
	    id >> 16 != PCI_DEVICE_VIRTIO_GPU) {
		vgq_log(q->verbose, VG_LOG_ERROR,
			"no virtio-gpu at 00:%02x.0 (found id %04x:%04x)",
			GPU_PCI_DEV, id & 0xffff, id >> 16);
		return VG_E_NODEV;
	}
	return VG_OK;
}

vg_status vg_qemu_create(const struct vg_qemu_config *cfg, struct vg_qemu **out)
{
	static const struct vg_qemu_config defaults;
	struct vg_qemu *q;
	vg_status st;

	*out = NULL;
	if (!cfg)
		cfg = &defaults;
	unsigned ram_mib = cfg->ram_mib ? cfg->ram_mib : DEFAULT_RAM_MIB;
	if (ram_mib < MIN_RAM_MIB || ram_mib > MAX_RAM_MIB) {
		vgq_log(cfg->verbose, VG_LOG_ERROR,
			"ram_mib %u out of range (%u..%u)", ram_mib,
			MIN_RAM_MIB, MAX_RAM_MIB);
		return VG_E_INVAL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return VG_E_NOMEM;
	q->os.ops = &qemu_os_ops;
	q->verbose = cfg->verbose;
	q->ram_mib = ram_mib;
	q->cmd_timeout_ms = cfg->cmd_timeout_ms ? cfg->cmd_timeout_ms
						: DEFAULT_CMD_TIMEOUT_MS;
	unsigned start_ms = cfg->start_timeout_ms ? cfg->start_timeout_ms
						  : DEFAULT_START_TIMEOUT_MS;
	vgp_event_set_init(&q->events);
	pthread_mutex_init(&q->dump_lock, NULL);
	pthread_mutex_init(&q->vnc_lock, NULL);
	q->vnc_heads = cfg->vnc_heads < VG_QEMU_MAX_VNC ? cfg->vnc_heads
							: VG_QEMU_MAX_VNC;
	vgq_irq_init(&q->irq, q->verbose);

	struct vgq_proc_args args = {
		.binary = cfg->qemu_binary,
		.ram_mib = ram_mib,
		.device_props = cfg->device_props,
		.extra_args = cfg->extra_args,
		.verbose = cfg->verbose,
		.start_timeout_ms = start_ms,
		.vnc_heads = q->vnc_heads,
	};
	st = vgq_proc_start(&q->proc, &args);
	if (st)
		goto fail;
	q->proc_started = true;

	struct vgq_qtest_hooks hooks = {
		.irq = on_qtest_irq,
		.dead = on_qtest_dead,
		.ctx = q,
	};
	st = vgq_qtest_start(&q->qt, q->proc.qtest_fd, &hooks, q->verbose,
			     q->cmd_timeout_ms);
	if (st)
		goto fail;
	vgq_pci_init(&q->pci, q->qt, 0, GPU_PCI_DEV, 0, q->verbose);
	/* QEMU answers only once the machine exists, so after this the RAM
	 * file is mapped on its side and its name can go. */
	st = vgq_qtest_cmd(q->qt, "irq_intercept_in ioapic", NULL);
	if (st)
		goto fail;
	vgq_proc_unlink_shm(&q->proc);
	/* Guest-physical address == file offset: RAM is all below 4 GiB. */
	struct vgp_pagemem_config mc = {
		.fd = q->proc.shm_fd,
		.bytes = (uint64_t)ram_mib << 20,
		.reserved_bytes = RESERVED_LOW_BYTES,
		.dev_base = 0,
		.name = "viogpu",
		.verbose = q->verbose,
	};
	st = vgp_pagemem_create(&mc, &q->gmem);
	if (st)
		goto fail;
	st = check_device(q);
	if (st)
		goto fail;
	st = vgq_pci_assign_bars(&q->pci);
	if (st)
		goto fail;
	st = vgq_qmp_connect(&q->qmp, q->proc.qmp_path, start_ms, q->verbose);
	if (st)
		goto fail;
	/* QMP answers once QEMU is initialized: the VNC sockets exist. */
	for (unsigned h = 0; h < q->vnc_heads; h++) {
		char path[VGQ_PATH_MAX];
		vgq_proc_vnc_path(&q->proc, h, path, sizeof(path));
		st = vgq_vnc_connect(&q->vnc[h], path, start_ms, q->verbose);
		if (st)
			goto fail;
	}
	vgq_proc_unlink_sockets(&q->proc);
	vgq_log(q->verbose, VG_LOG_INFO,
		"QEMU pid %ld up: %u MiB guest RAM, virtio-gpu at 00:%02x.0",
		(long)q->proc.pid, ram_mib, GPU_PCI_DEV);
	atomic_store(&q->up, true);
	*out = q;
	return VG_OK;

fail:
	if (st == VG_OK)
		st = VG_E_IO;
	if (atomic_load(&q->dead))
		st = VG_E_NODEV;
	vg_qemu_destroy(q);
	return st;
}

void vg_qemu_destroy(struct vg_qemu *q)
{
	if (!q)
		return;
	vgp_intx_disconnect(&q->irq.intx);
	if (q->qt)
		vgq_qtest_expect_eof(q->qt);
	if (q->qmp && !atomic_load(&q->dead))
		vgq_qmp_execute(q->qmp, "{\"execute\":\"quit\"}", 2000);
	vgq_qmp_close(q->qmp);
	q->qmp = NULL;
	for (unsigned h = 0; h < q->vnc_heads; h++) {
		vgq_vnc_close(q->vnc[h]);
		q->vnc[h] = NULL;
	}
	if (q->qt) {
		/* QEMU closes the socket on quit; the reader sees EOF. */
		vgq_qtest_stop(q->qt);
		q->qt = NULL;
		vgq_pci_finish(&q->pci);
	}
	/* A dead or stopped QEMU is killed at once, not waited for. */
	if (q->proc_started)
		vgq_proc_stop(&q->proc, atomic_load(&q->dead) ? 0 : 3000);
	vgp_pagemem_destroy(q->gmem);
	vgq_irq_finish(&q->irq);
	long live = atomic_load(&q->objects);
	if (live)
		vgq_log(q->verbose, VG_LOG_WARN,
			"%ld allocations, locks or events were never freed",
			live);
	pthread_mutex_destroy(&q->dump_lock);
	pthread_mutex_destroy(&q->vnc_lock);
	vgp_event_set_finish(&q->events);
	free(q);
}

struct vg_os *vg_qemu_os(struct vg_qemu *q)
{
	return &q->os;
}

uint64_t vg_qemu_irq_count(struct vg_qemu *q)
{
	return atomic_load(&q->irq.intx.calls);
}

uint64_t vg_qemu_dma_bytes_in_use(struct vg_qemu *q)
{
	return q->gmem ? vgp_pagemem_bytes_in_use(q->gmem) : 0;
}

uint64_t vg_qemu_alloc_count(struct vg_qemu *q)
{
	long n = atomic_load(&q->objects);
	return n > 0 ? (uint64_t)n : 0;
}

vg_status vg_qemu_screendump(struct vg_qemu *q, unsigned head,
			     uint32_t **pixels, uint32_t *width,
			     uint32_t *height)
{
	char json[512];
	vg_status st;

	*pixels = NULL;
	*width = *height = 0;
	if (atomic_load(&q->dead))
		return VG_E_NODEV;
	snprintf(json, sizeof(json),
		 "{\"execute\":\"screendump\",\"arguments\":{\"filename\":"
		 "\"%s\",\"device\":\"gpu0\",\"head\":%u}}",
		 q->proc.dump_path, head);
	pthread_mutex_lock(&q->dump_lock);
	/* dump_path is /proc/self/fd/N in QEMU: our memfd, which QEMU opens
	 * with O_TRUNC.  The screen never has a name in the file system. */
	st = vgq_qmp_execute(q->qmp, json, q->cmd_timeout_ms);
	if (st == VG_E_TIMEOUT)
		qmp_timed_out(q, "a screendump");
	if (st == VG_OK)
		st = vgq_ppm_load_fd(q->proc.dump_fd, pixels, width, height);
	vgq_proc_clear_dump(&q->proc);
	pthread_mutex_unlock(&q->dump_lock);
	if (st && atomic_load(&q->dead))
		st = VG_E_NODEV;
	return st;
}

pid_t vg_qemu_pid(struct vg_qemu *q)
{
	return q->proc.pid;
}

vg_status vg_qemu_qtest(struct vg_qemu *q, const char *line, uint64_t *val)
{
	return vgq_qtest_cmd(q->qt, line, val);
}

vg_status vg_qemu_set_display(struct vg_qemu *q, unsigned head, bool enabled,
			      uint32_t width, uint32_t height)
{
	if (head >= q->vnc_heads || !q->vnc[head])
		return VG_E_UNSUPPORTED;
	if (enabled && (!width || !height || width > 0xffff || height > 0xffff))
		return VG_E_INVAL;
	if (atomic_load(&q->dead))
		return VG_E_NODEV;
	pthread_mutex_lock(&q->vnc_lock);
	vg_status st =
		vgq_vnc_set_size(q->vnc[head], enabled ? (uint16_t)width : 0,
				 enabled ? (uint16_t)height : 0);
	pthread_mutex_unlock(&q->vnc_lock);
	return st;
}

void vg_qemu_share_irq(struct vg_qemu *q)
{
	vgp_intx_share(&q->irq.intx);
}

vg_status vg_qemu_pause(struct vg_qemu *q, bool paused)
{
	if (atomic_load(&q->dead) || q->proc.pid <= 0)
		return VG_E_NODEV;
	/* Writes are posted from before the stop until after the resume:
	 * a synchronous write must not be the one that meets the stop. */
	if (paused)
		atomic_store(&q->paused, true);
	if (kill(-q->proc.pid, paused ? SIGSTOP : SIGCONT) != 0 &&
	    kill(q->proc.pid, paused ? SIGSTOP : SIGCONT) != 0)
		return VG_E_IO;
	if (!paused)
		atomic_store(&q->paused, false);
	return VG_OK;
}

vg_status vg_qemu_power_cycle(struct vg_qemu *q, bool lose_state)
{
	if (!lose_state)
		return VG_OK; /* sleep: the device and its BARs stay as they are
			       */
	/* Hibernate: every device goes back to its power-on state, config
	 * space included; the firmware then places the BARs again, as a
	 * BIOS does on resume from S4.  Guest RAM (our driver memory) stays. */
	vg_status st = vgq_qmp_execute(q->qmp, "{\"execute\":\"system_reset\"}",
				       q->cmd_timeout_ms);
	if (st == VG_E_TIMEOUT)
		qmp_timed_out(q, "system_reset");
	if (st != VG_OK)
		return st;
	return vgq_pci_assign_bars(&q->pci);
}
