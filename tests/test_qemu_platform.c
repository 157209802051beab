// SPDX-License-Identifier: MIT
/*
 * Self-test of the qemu platform against QEMU's real virtio-gpu-pci:
 * config space, BAR placement, DMA allocation (fragmentation, CPU view vs
 * guest-physical view), one real virtqueue round trip with an INTx
 * interrupt, screendump, clean-up, and a QEMU killed under our feet.
 */
#include <dirent.h>
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

#include "../src/platform/qemu/ppm.h"
#include "../src/platform/qemu/qemu_internal.h"
#include "viogpu/qemu.h"

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			failures++;                                            \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,          \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
		}                                                              \
	} while (0)

#define RAM_MIB 256u
#define PCI_CAP_VENDOR 0x09
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3

/* common cfg offsets */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0c
#define CC_STATUS 0x14
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_ENABLE 0x1c
#define CC_Q_NOFF 0x1e
#define CC_Q_DESC 0x20
#define CC_Q_AVAIL 0x28
#define CC_Q_USED 0x30

struct cap {
	bool found;
	unsigned bar;
	uint32_t off, len, extra;
};

struct env {
	struct vg_qemu *q;
	struct vg_os *os;
	struct cap caps[4];
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t cfg_rd(struct env *e, uint32_t off, unsigned w)
{
	return e->os->ops->cfg_read(e->os, off, w);
}

static uint64_t cc_rd(struct env *e, uint32_t off, unsigned w)
{
	struct cap *c = &e->caps[VIRTIO_PCI_CAP_COMMON_CFG];
	return e->os->ops->bar_read(e->os, c->bar, c->off + off, w);
}

static void cc_wr(struct env *e, uint32_t off, unsigned w, uint64_t v)
{
	struct cap *c = &e->caps[VIRTIO_PCI_CAP_COMMON_CFG];
	e->os->ops->bar_write(e->os, c->bar, c->off + off, w, v);
}

static void test_config(struct env *e)
{
	uint32_t id = cfg_rd(e, 0, 4);
	CHECK(id == 0x10501af4, "id 0x%08x", id);
	CHECK(cfg_rd(e, 0, 2) == 0x1af4, "vendor via width 2");
	CHECK(cfg_rd(e, 2, 2) == 0x1050, "device via width 2 at offset 2");
	CHECK(cfg_rd(e, 1, 1) == 0x1a, "byte at offset 1");
	CHECK((cfg_rd(e, 4, 2) & 6) == 6, "COMMAND memory|master: 0x%x",
	      cfg_rd(e, 4, 2));
	CHECK(!(cfg_rd(e, 4, 2) & 0x400), "INTx enabled");
	CHECK(cfg_rd(e, 0x3d, 1) == 1, "interrupt pin INTA: %u",
	      cfg_rd(e, 0x3d, 1));
	CHECK(cfg_rd(e, 6, 2) & 0x10, "capability list present");

	uint32_t ptr = cfg_rd(e, 0x34, 1) & 0xfc;
	for (int n = 0; ptr >= 0x40 && n < 48; n++) {
		uint32_t id8 = cfg_rd(e, ptr, 1);
		if (id8 == PCI_CAP_VENDOR) {
			unsigned type = cfg_rd(e, ptr + 3, 1);
			if (type >= 1 && type <= 3 && !e->caps[type].found) {
				e->caps[type] = (struct cap){
					.found = true,
					.bar = cfg_rd(e, ptr + 4, 1),
					.off = cfg_rd(e, ptr + 8, 4),
					.len = cfg_rd(e, ptr + 12, 4),
					.extra = type == 2 ? cfg_rd(e, ptr + 16,
								    4)
							   : 0,
				};
			}
		}
		ptr = cfg_rd(e, ptr + 1, 1) & 0xfc;
	}
	CHECK(e->caps[1].found && e->caps[1].bar == 4,
	      "common cfg cap in BAR4 (found %d bar %u)", e->caps[1].found,
	      e->caps[1].bar);
	CHECK(e->caps[2].found && e->caps[3].found, "notify and ISR caps");
	/* The BAR sits above MMCONFIG and is readable back from config. */
	uint32_t bar4 = cfg_rd(e, 0x10 + 4 * 4, 4);
	CHECK((bar4 & ~0xfu) >= 0xC0000000u, "BAR4 at 0x%08x", bar4);
	CHECK(cfg_rd(e, 0x10 + 5 * 4, 4) == 0, "BAR4 high dword 0");

	/* device status: reset, ACKNOWLEDGE, read back, reset */
	cc_wr(e, CC_STATUS, 1, 0);
	CHECK(cc_rd(e, CC_STATUS, 1) == 0, "status after reset");
	cc_wr(e, CC_STATUS, 1, 1);
	CHECK(cc_rd(e, CC_STATUS, 1) == 1, "status ACKNOWLEDGE");
	cc_wr(e, CC_STATUS, 1, 0);
	CHECK(cc_rd(e, CC_STATUS, 1) == 0, "status after second reset");
}

static uint32_t guest_readl(struct env *e, uint64_t addr)
{
	char line[64];
	uint64_t v = ~0ull;
	snprintf(line, sizeof(line), "readl 0x%" PRIx64, addr);
	CHECK(vg_qemu_qtest(e->q, line, &v) == VG_OK, "%s", line);
	return (uint32_t)v;
}

/* Guest-physical address of CPU offset off in d. */
static uint64_t dma_addr(const struct vg_dma *d, size_t off)
{
	for (uint32_t i = 0; i < d->nsegs; i++) {
		if (off < d->segs[i].len)
			return d->segs[i].addr + off;
		off -= d->segs[i].len;
	}
	return ~0ull;
}

static void check_dma(struct env *e, struct vg_dma *d, size_t size,
		      size_t min_block, const struct vg_dma *others,
		      int nothers)
{
	uint64_t total = 0;
	uint64_t ram = (uint64_t)RAM_MIB << 20;

	CHECK(d->cpu != NULL, "cpu view");
	CHECK(d->size == (size + 4095) / 4096 * 4096, "size %zu for %zu",
	      d->size, size);
	for (uint32_t i = 0; i < d->nsegs; i++) {
		const struct vg_dma_seg *s = &d->segs[i];
		CHECK(s->addr % 4096 == 0 && s->len % 4096 == 0 && s->len,
		      "seg %u page aligned", i);
		CHECK(s->addr >= (1u << 20) && s->addr + s->len <= ram,
		      "seg %u 0x%" PRIx64 "+0x%" PRIx64 " within RAM", i,
		      s->addr, s->len);
		if (i + 1 < d->nsegs)
			CHECK(s->len >= min_block, "seg %u at least min_block",
			      i);
		if (i + 1 < d->nsegs)
			CHECK(s->addr + s->len != d->segs[i + 1].addr,
			      "segs %u,%u not merged", i, i + 1);
		for (uint32_t j = 0; j < i; j++) {
			const struct vg_dma_seg *t = &d->segs[j];
			CHECK(s->addr + s->len <= t->addr ||
				      t->addr + t->len <= s->addr,
			      "segs %u,%u overlap", j, i);
		}
		for (int k = 0; k < nothers; k++)
			for (uint32_t j = 0; j < others[k].nsegs; j++) {
				const struct vg_dma_seg *t = &others[k].segs[j];
				CHECK(s->addr + s->len <= t->addr ||
					      t->addr + t->len <= s->addr,
				      "seg overlaps another buffer");
			}
		total += s->len;
	}
	CHECK(total == d->size, "segments cover %" PRIu64 " of %zu", total,
	      d->size);
	if (min_block >= size)
		CHECK(d->nsegs == 1, "one run asked, %u segs", d->nsegs);

	/* zeroed, and CPU writes land at the right guest address */
	uint8_t *p = d->cpu;
	bool zero = true;
	for (size_t i = 0; i < d->size; i += 4096)
		zero &= p[i] == 0 && p[i + 4095] == 0;
	CHECK(zero, "zeroed");
	for (uint32_t i = 0; i < d->nsegs && i < 64; i++) {
		size_t off = 0;
		for (uint32_t j = 0; j < i; j++)
			off += d->segs[j].len;
		size_t probe[2] = {off, off + d->segs[i].len - 4};
		for (int k = 0; k < 2; k++) {
			uint32_t v = 0xa5000000u ^ (uint32_t)probe[k] ^ i;
			memcpy(p + probe[k], &v, 4);
			uint32_t g = guest_readl(e, dma_addr(d, probe[k]));
			CHECK(g == v,
			      "guest readl at cpu+0x%zx: 0x%08x != 0x%08x",
			      probe[k], g, v);
		}
	}
}

static void test_dma(struct env *e)
{
	struct vg_dma d[4];
	const struct {
		size_t size, min_block;
	} req[4] = {
		{64 * 1024, 4096},
		{8u << 20, 2u << 20},
		{100 * 1000, 128 * 1024},
		{(5u << 20) + 123, 2u << 20},
	};

	for (int i = 0; i < 4; i++) {
		vg_status st = e->os->ops->dma_alloc(e->os, req[i].size,
						     req[i].min_block, &d[i]);
		CHECK(st == VG_OK, "dma_alloc %zu/%zu: %d", req[i].size,
		      req[i].min_block, st);
		if (st)
			return;
		check_dma(e, &d[i], req[i].size, req[i].min_block, d, i);
	}
	CHECK(d[0].nsegs == 16, "64 KiB in 4 KiB blocks: %u segs", d[0].nsegs);
	CHECK(d[1].nsegs == 4, "8 MiB in 2 MiB blocks: %u segs", d[1].nsegs);
	CHECK(vg_qemu_dma_bytes_in_use(e->q) > 0, "bytes in use");
	struct vg_dma big;
	CHECK(e->os->ops->dma_alloc(e->os, (size_t)RAM_MIB << 20, 4096, &big) ==
		      VG_E_NOMEM,
	      "too large gives NOMEM");
	for (int i = 0; i < 4; i++)
		e->os->ops->dma_free(e->os, &d[i]);
	struct vg_dma zero = {0};
	e->os->ops->dma_free(e->os, &zero);
	CHECK(vg_qemu_dma_bytes_in_use(e->q) == 0,
	      "bytes in use after free: %" PRIu64,
	      vg_qemu_dma_bytes_in_use(e->q));
}

/* ---- one GET_DISPLAY_INFO through a real split virtqueue ---- */

struct isr_ctx {
	struct env *e;
	struct vg_event *ev;
	atomic_int isr_calls;
	atomic_int queue_bits; /* ISR status seen, for the DPC */
};

/* As os.h wants: read (ack), record, request the DPC. */
static void test_isr(void *arg)
{
	struct isr_ctx *c = arg;
	struct cap *isr = &c->e->caps[VIRTIO_PCI_CAP_ISR_CFG];
	uint64_t v = c->e->os->ops->bar_read(c->e->os, isr->bar, isr->off, 1);
	atomic_fetch_add(&c->isr_calls, 1);
	atomic_fetch_or(&c->queue_bits, (int)(v & 1));
	c->e->os->ops->dpc_request(c->e->os);
}

static void test_dpc(void *arg)
{
	struct isr_ctx *c = arg;
	if (atomic_exchange(&c->queue_bits, 0))
		c->e->os->ops->event_signal(c->e->os, c->ev);
}

static void test_virtqueue(struct env *e)
{
	struct vg_os *os = e->os;
	struct isr_ctx ic = {.e = e};
	struct vg_dma ring = {0}, buf = {0};

	CHECK(os->ops->event_create(os, &ic.ev) == VG_OK, "event_create");
	CHECK(os->ops->irq_connect(os, test_isr, test_dpc, &ic) == VG_OK,
	      "irq_connect");

	cc_wr(e, CC_STATUS, 1, 0);
	cc_wr(e, CC_STATUS, 1, 1 | 2); /* ACKNOWLEDGE | DRIVER */
	cc_wr(e, CC_DFSELECT, 4, 1);
	CHECK(cc_rd(e, CC_DF, 4) & 1, "VIRTIO_F_VERSION_1 offered");
	cc_wr(e, CC_GFSELECT, 4, 0);
	cc_wr(e, CC_GF, 4, 0);
	cc_wr(e, CC_GFSELECT, 4, 1);
	cc_wr(e, CC_GF, 4, 1);
	cc_wr(e, CC_STATUS, 1, 1 | 2 | 8);
	CHECK(cc_rd(e, CC_STATUS, 1) & 8, "FEATURES_OK accepted");

	cc_wr(e, CC_Q_SELECT, 2, 0);
	unsigned qsize = (unsigned)cc_rd(e, CC_Q_SIZE, 2);
	CHECK(qsize && qsize <= 1024, "queue size %u", qsize);
	if (!qsize || qsize > 1024)
		goto out;
	/* desc | avail | used, each page aligned, one contiguous run */
	CHECK(os->ops->dma_alloc(os, 3 * 16384, 65536, &ring) == VG_OK,
	      "ring alloc");
	CHECK(os->ops->dma_alloc(os, 8192, 4096, &buf) == VG_OK, "buf alloc");
	if (!ring.cpu || !buf.cpu)
		goto out;
	uint64_t ring_pa = ring.segs[0].addr;
	uint8_t *desc = ring.cpu;
	uint8_t *avail = desc + 16384;
	volatile uint8_t *used = desc + 32768;
	cc_wr(e, CC_Q_DESC, 8, ring_pa);
	cc_wr(e, CC_Q_AVAIL, 8, ring_pa + 16384);
	cc_wr(e, CC_Q_USED, 8, ring_pa + 32768);
	unsigned noff = (unsigned)cc_rd(e, CC_Q_NOFF, 2);
	cc_wr(e, CC_Q_ENABLE, 2, 1);
	cc_wr(e, CC_STATUS, 1, 1 | 2 | 8 | 4);

	/* request in page 0 of buf, response in page 1: two segments */
	uint8_t *req = buf.cpu;
	uint8_t *resp = (uint8_t *)buf.cpu + 4096;
	uint32_t type = 0x0100; /* VIRTIO_GPU_CMD_GET_DISPLAY_INFO */
	memcpy(req, &type, 4);
	uint64_t a0 = dma_addr(&buf, 0), a1 = dma_addr(&buf, 4096);
	uint32_t l0 = 24, l1 = 24 + 16 * 24;
	uint16_t f0 = 1 /* NEXT */, f1 = 2 /* WRITE */, n0 = 1, n1 = 0;
	memcpy(desc + 0, &a0, 8);
	memcpy(desc + 8, &l0, 4);
	memcpy(desc + 12, &f0, 2);
	memcpy(desc + 14, &n0, 2);
	memcpy(desc + 16, &a1, 8);
	memcpy(desc + 24, &l1, 4);
	memcpy(desc + 28, &f1, 2);
	memcpy(desc + 30, &n1, 2);
	uint16_t head = 0, idx = 1;
	memcpy(avail + 4, &head, 2);
	atomic_thread_fence(memory_order_seq_cst);
	memcpy(avail + 2, &idx, 2);
	atomic_thread_fence(memory_order_seq_cst);

	struct cap *nc = &e->caps[VIRTIO_PCI_CAP_NOTIFY_CFG];
	uint64_t t0 = now_ms();
	os->ops->bar_write(os, nc->bar, nc->off + noff * nc->extra, 2, 0);
	vg_status st = os->ops->event_wait(os, ic.ev, 5000000000ull);
	CHECK(st == VG_OK, "interrupt for GET_DISPLAY_INFO: %d", st);
	fprintf(stderr, "  virtqueue round trip + INTx: %" PRIu64 " ms\n",
		now_ms() - t0);
	uint16_t used_idx;
	memcpy(&used_idx, (const void *)(used + 2), 2);
	CHECK(used_idx == 1, "used idx %u", used_idx);
	uint32_t rtype, w, h, en;
	memcpy(&rtype, resp, 4);
	memcpy(&w, resp + 24 + 8, 4);
	memcpy(&h, resp + 24 + 12, 4);
	memcpy(&en, resp + 24 + 16, 4);
	CHECK(rtype == 0x1101, "OK_DISPLAY_INFO: 0x%x", rtype);
	CHECK(w == 1024 && h == 768 && en, "pmode 0: %ux%u enabled %u", w, h,
	      en);
	CHECK(vg_qemu_irq_count(e->q) >= 1, "irq count %" PRIu64,
	      vg_qemu_irq_count(e->q));
	/* The ack lowered the line: no further ISR storm. */
	usleep(50000);
	int calls = atomic_load(&ic.isr_calls);
	CHECK(calls >= 1 && calls <= 3, "ISR calls %d", calls);
	CHECK(os->ops->event_wait(os, ic.ev, 1000000) == VG_E_TIMEOUT,
	      "auto-reset event");
out:
	cc_wr(e, CC_STATUS, 1, 0); /* the device lets go of our memory */
	os->ops->irq_disconnect(os);
	os->ops->dma_free(os, &ring);
	os->ops->dma_free(os, &buf);
	os->ops->event_destroy(os, ic.ev);
}

static void test_screendump(struct env *e)
{
	uint32_t *px = NULL, w = 0, h = 0;
	uint64_t t0 = now_ms();
	vg_status st = vg_qemu_screendump(e->q, 0, &px, &w, &h);
	fprintf(stderr,
		"  screendump head 0: status %d, %ux%u, %" PRIu64 " ms\n", st,
		w, h, now_ms() - t0);
	CHECK(st == VG_OK && px && w && h, "screendump");
	free(px);
	st = vg_qemu_screendump(e->q, 7, &px, &w, &h);
	CHECK(st == VG_E_IO && !px, "screendump of a missing head: %d", st);
}

static void test_ppm(void)
{
	static const char good[] = "P6\n# made by hand\n2 1 # w h\n255\n"
				   "\x01\x02\x03\xff\x00\x80";
	static const char half[] = "P6 1 1 127\n\x7f\x00\x40";
	uint32_t *px, w, h;

	CHECK(vgq_ppm_parse((const uint8_t *)good, sizeof(good) - 1, &px, &w,
			    &h) == VG_OK &&
		      w == 2 && h == 1 && px[0] == 0x010203 &&
		      px[1] == 0xff0080,
	      "ppm with comments");
	free(px);
	CHECK(vgq_ppm_parse((const uint8_t *)half, sizeof(half) - 1, &px, &w,
			    &h) == VG_OK &&
		      px[0] == 0xff0081,
	      "ppm maxval 127");
	free(px);
	CHECK(vgq_ppm_parse((const uint8_t *)good, sizeof(good) - 2, &px, &w,
			    &h) == VG_E_PROTOCOL &&
		      !px,
	      "truncated ppm");
	CHECK(vgq_ppm_parse((const uint8_t *)"P6 0 1 255\n", 11, &px, &w, &h) ==
		      VG_E_PROTOCOL,
	      "zero width");
	CHECK(vgq_ppm_parse((const uint8_t *)"P6 99999999999 1 255\n", 21, &px,
			    &w, &h) == VG_E_PROTOCOL,
	      "huge width");
	CHECK(vgq_ppm_parse((const uint8_t *)"P3 1 1 255\n", 11, &px, &w, &h) ==
		      VG_E_PROTOCOL,
	      "ascii ppm refused");
	/* QEMU 7.2 pads rows to 4 bytes: 2 pixels = 6 bytes + 2 padding. */
	static const char padded[] = "P6 2 2 255\n"
				     "\x01\x02\x03\x04\x05\x06PP"
				     "\x07\x08\x09\x0a\x0b\x0cPP";
	CHECK(vgq_ppm_parse((const uint8_t *)padded, sizeof(padded) - 1, &px,
			    &w, &h) == VG_OK &&
		      px[1] == 0x040506 && px[2] == 0x070809 &&
		      px[3] == 0x0a0b0c,
	      "ppm with rows padded to 4 bytes");
	free(px);
	CHECK(vgq_ppm_parse((const uint8_t *)padded, sizeof(padded) - 2, &px,
			    &w, &h) == VG_E_PROTOCOL,
	      "ppm neither tight nor padded refused");
}

/* ---- leftovers ---- */

static int count_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], buf[512];
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[len] = 0;
		char *rp = strrchr(buf, ')');
		int ppid;
		char state;
		if (rp && sscanf(rp + 2, "%c %d", &state, &ppid) == 2 &&
		    ppid == getpid())
			n++;
	}
	closedir(d);
	return n;
}

static int count_shm_files(void)
{
	char prefix[64];
	DIR *d = opendir("/dev/shm");
	struct dirent *de;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "viogpu-%ld-", (long)getpid());
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* ---- QEMU killed under our feet ---- */

struct waiter {
	struct vg_os *os;
	struct vg_event *ev;
	vg_status st;
	uint64_t ms;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	uint64_t t0 = now_ms();
	w->st = w->os->ops->event_wait(w->os, w->ev, 60000000000ull);
	w->ms = now_ms() - t0;
	return NULL;
}

static void test_qemu_killed(const struct vg_qemu_config *cfg)
{
	struct vg_qemu *q;
	struct waiter w = {0};
	pthread_t t;

	CHECK(vg_qemu_create(cfg, &q) == VG_OK, "second create");
	if (!q)
		return;
	w.os = vg_qemu_os(q);
	w.os->ops->event_create(w.os, &w.ev);
	pthread_create(&t, NULL, wait_thread, &w);
	usleep(100000);
	fprintf(stderr, "  killing QEMU pid %ld (an error line follows)\n",
		(long)vg_qemu_pid(q));
	kill(vg_qemu_pid(q), SIGKILL);
	pthread_join(t, NULL);
	CHECK(w.st == VG_E_NODEV && w.ms < 2000,
	      "pending event_wait: %d after %" PRIu64 " ms", w.st, w.ms);
	uint64_t t0 = now_ms();
	CHECK(w.os->ops->cfg_read(w.os, 0, 4) == 0xffffffffu,
	      "config read after death");
	CHECK(w.os->ops->event_wait(w.os, w.ev, 10000000000ull) == VG_E_NODEV,
	      "new event_wait after death");
	uint32_t *px, pw, ph;
	CHECK(vg_qemu_screendump(q, 0, &px, &pw, &ph) == VG_E_NODEV,
	      "screendump after death");
	CHECK(now_ms() - t0 < 1000, "calls after death are prompt");
	w.os->ops->event_destroy(w.os, w.ev);
	vg_qemu_destroy(q);
}

int main(void)
{
	struct vg_qemu_config cfg = {
		.ram_mib = RAM_MIB,
		.device_props = "xres=1024,yres=768",
		.verbose = getenv("VIOGPU_VERBOSE")
				   ? atoi(getenv("VIOGPU_VERBOSE"))
				   : 0,
	};
	struct env e = {0};
	uint64_t t0 = now_ms();

	test_ppm();
	vg_status st = vg_qemu_create(&cfg, &e.q);
	if (st) {
		fprintf(stderr, "FAIL: vg_qemu_create: %d\n", st);
		return 1;
	}
	fprintf(stderr, "  create: %" PRIu64 " ms\n", now_ms() - t0);
	e.os = vg_qemu_os(e.q);
	CHECK(count_shm_files() == 0, "RAM file unlinked after create");

	t0 = now_ms();
	for (int i = 0; i < 1000; i++)
		cfg_rd(&e, 0, 2);
	fprintf(stderr, "  config read (2 qtest round trips): %.1f us\n",
		(double)(now_ms() - t0) * 1000 / 1000.0);

	test_config(&e);
	test_dma(&e);
	test_virtqueue(&e);
	test_screendump(&e);
	CHECK(vg_qemu_alloc_count(e.q) == 0, "no live objects");
	CHECK(vg_qemu_dma_bytes_in_use(e.q) == 0, "no DMA bytes in use");
	vg_qemu_destroy(e.q);
	CHECK(count_children() == 0, "no QEMU child left: %d",
	      count_children());
	CHECK(count_shm_files() == 0, "no /dev/shm file left");

	test_qemu_killed(&cfg);
	CHECK(count_children() == 0, "no QEMU child left after kill test");
	CHECK(count_shm_files() == 0, "no /dev/shm file after kill test");

	struct vg_qemu_config bad = cfg;
	bad.qemu_binary = "qemu-system-nonexistent";
	struct vg_qemu *q = (struct vg_qemu *)1;
	fprintf(stderr, "  (an error line about a missing binary follows)\n");
	CHECK(vg_qemu_create(&bad, &q) == VG_E_NODEV && !q, "missing binary");
	bad = cfg;
	bad.device_props = "no_such_property=1";
	fprintf(stderr, "  (QEMU's complaint about a bad property follows)\n");
	CHECK(vg_qemu_create(&bad, &q) == VG_E_NODEV && !q, "bad property");
	CHECK(count_children() == 0 && count_shm_files() == 0,
	      "nothing left after failed starts");

	if (failures) {
		fprintf(stderr, "test_qemu_platform: %d FAILED\n", failures);
		return 1;
	}
	fprintf(stderr, "test_qemu_platform: OK\n");
	return 0;
}
