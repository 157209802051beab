// SPDX-License-Identifier: MIT
/*
 * libFuzzer target over everything a device can write: PCI config space,
 * the virtio registers, the used ring (ids, lengths, indexes, avail_event)
 * and every response byte.  The "device" here is scripted by the input:
 * on each doorbell it completes, drops, duplicates or invents used
 * entries and fills responses with input bytes, may announce a display
 * change, then raises (or loses) the interrupt and runs the deferred
 * routine at once, late (when a waiter sleeps) or spuriously.  Time is
 * virtual, so timeouts cost nothing.  Locks, events, allocations and the
 * display callback abort when called from inside the ISR.
 *
 * The driver must not crash, read or write outside its buffers (ASan),
 * hit undefined behaviour (UBSan), hang, or leak: after vg_gpu_destroy
 * every OS allocation must be back.
 *
 * Built with clang -fsanitize=fuzzer for `make fuzz`; with
 * VG_FUZZ_STANDALONE it is a plain program that replays files or runs
 * seeded pseudo-random inputs (the unit suite does that under gcc).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../mock_os.h"
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"
#include "wire.h"

#define BAR 4
#define COMMON_OFF 0x0000
#define ISR_OFF 0x1000
#define DEVICE_OFF 0x2000
#define NOTIFY_OFF 0x3000
#define NOTIFY_MULT 4

struct fq {
	uint16_t size;
	uint64_t desc, avail, used;
	uint16_t last_avail, used_idx;
};

struct fuzz_dev {
	struct mock_os m; /* memory; must stay first */
	struct vg_os_ops ops;
	const uint8_t *data;
	size_t len, pos;
	uint8_t cfg[256];
	uint32_t dfselect;
	uint64_t dev_features;
	uint8_t status;
	uint16_t qsel, numq;
	struct fq q[2];
	uint16_t qmax[2], noff[2];
	uint8_t isr;
	uint32_t num_scanouts, events;
	uint64_t display_calls; /* on_display_change */
	uint64_t now;
};

static struct fuzz_dev *F(struct vg_os *os)
{
	return (struct fuzz_dev *)os;
}

/* ---- the input as a byte stream: zeros once exhausted ---- */
static uint8_t in8(struct fuzz_dev *f)
{
	return f->pos < f->len ? f->data[f->pos++] : 0;
}

static uint16_t in16(struct fuzz_dev *f)
{
	return (uint16_t)(in8(f) | in8(f) << 8);
}

static uint32_t in32(struct fuzz_dev *f)
{
	return (uint32_t)in16(f) | (uint32_t)in16(f) << 16;
}

static bool exhausted(const struct fuzz_dev *f)
{
	return f->pos >= f->len;
}

/* ---- config space ---- */
static void put_cap(uint8_t *c, uint8_t at, uint8_t next, uint8_t type,
		    uint32_t off, uint32_t len, uint8_t caplen)
{
	c[at] = VG_PCI_CAP_VENDOR;
	c[at + 1] = next;
	c[at + 2] = caplen;
	c[at + 3] = type;
	c[at + 4] = BAR;
	memcpy(c + at + 8, &off, 4);
	memcpy(c + at + 12, &len, 4);
}

static void build_config(struct fuzz_dev *f)
{
	uint8_t *c = f->cfg;
	uint32_t mult = NOTIFY_MULT;
	memset(c, 0, sizeof(f->cfg));
	c[0] = 0xf4, c[1] = 0x1a, c[2] = 0x50, c[3] = 0x10;
	c[6] = 0x10; /* status: capability list */
	c[0x34] = 0x40;
	put_cap(c, 0x40, 0x50, VG_PCI_CAP_COMMON_CFG, COMMON_OFF, 0x1000, 16);
	put_cap(c, 0x50, 0x60, VG_PCI_CAP_ISR_CFG, ISR_OFF, 0x1000, 16);
	put_cap(c, 0x60, 0x70, VG_PCI_CAP_DEVICE_CFG, DEVICE_OFF, 0x1000, 16);
	put_cap(c, 0x70, 0x00, VG_PCI_CAP_NOTIFY_CFG, NOTIFY_OFF, 0x1000, 20);
	memcpy(c + 0x80, &mult, 4);

	uint8_t mode = in8(f);
	if ((mode & 3) == 1) {
		/* Hostile config space, ids kept so the probe goes on. */
		for (unsigned i = 4; i < sizeof(f->cfg); i++)
			c[i] = in8(f);
	} else if ((mode & 3) == 2) {
		for (int k = 0; k < 6; k++)
			c[0x40 + in8(f) % 0x50] = in8(f);
	}
}

static uint32_t f_cfg_read(struct vg_os *os, uint32_t off, unsigned w)
{
	struct fuzz_dev *f = F(os);
	uint32_t v = 0;
	if (off < sizeof(f->cfg) && off + w <= sizeof(f->cfg))
		memcpy(&v, f->cfg + off, w);
	return v;
}

static void f_cfg_write(struct vg_os *os, uint32_t off, unsigned w, uint32_t v)
{
	(void)os, (void)off, (void)w, (void)v;
}

/* ---- guest memory: device addresses are CPU addresses (mock_os) ---- */
static void *gpa(uint64_t a)
{
	return (void *)(uintptr_t)a;
}

static void device_reset(struct fuzz_dev *f)
{
	f->status = 0;
	f->isr = 0;
	memset(f->q, 0, sizeof(f->q));
}

/*
 * The doorbell: the scripted device consumes every new avail entry and,
 * as the input says, completes it (with hostile lengths or ids), drops it,
 * or adds made-up entries; then it raises or loses the interrupt.
 */
static void device_notify(struct fuzz_dev *f, uint16_t qi)
{
	if (qi > 1 || !f->q[qi].size || !f->q[qi].avail)
		return;
	struct fq *q = &f->q[qi];
	uint16_t *avail = gpa(q->avail);
	uint16_t *used = gpa(q->used);
	struct vg_vring_used_elem *ring = (void *)(used + 2);
	struct vg_vring_desc *desc = gpa(q->desc);

	while (q->last_avail != avail[1] && !exhausted(f)) {
		uint16_t head = avail[2 + q->last_avail % q->size];
		q->last_avail++;
		uint8_t action = in8(f);
		if ((action & 7) == 0)
			continue; /* dropped: never completed */

		/* Find the device-writable buffer of the chain, as a device
		 * does: it may only write where the driver allowed. */
		struct vg_vring_desc *t = desc;
		uint16_t i = head % q->size, n = q->size, wlen = 0;
		uint8_t *wbuf = NULL;
		if (t[i].flags & VG_DESC_F_INDIRECT) {
			n = (uint16_t)(t[i].len / sizeof(*t));
			t = gpa(t[i].addr);
			i = 0;
		}
		for (uint16_t steps = 0; steps < n && i < n; steps++) {
			if (t[i].flags & VG_DESC_F_WRITE) {
				wbuf = gpa(t[i].addr);
				wlen = (uint16_t)(t[i].len > 0xffff ? 0xffff
								    : t[i].len);
			}
			if (!(t[i].flags & VG_DESC_F_NEXT))
				break;
			i = t[i].next;
		}
		uint32_t len = wlen;
		if (wbuf && wlen >= sizeof(struct vg_ctrl_hdr)) {
			uint16_t fill = in16(f) % (wlen + 1);
			for (uint16_t k = 0; k < fill; k++)
				wbuf[k] = in8(f);
			if (action & 8) {
				/* A plausible header so deeper code runs. */
				static const uint32_t types[] = {
					VG_RESP_OK_NODATA,
					VG_RESP_OK_DISPLAY_INFO,
					VG_RESP_OK_EDID,
					VG_RESP_ERR_UNSPEC,
					VG_RESP_ERR_OUT_OF_MEMORY,
					VG_RESP_ERR_INVALID_SCANOUT_ID,
				};
				struct vg_ctrl_hdr h;
				memcpy(&h, wbuf, sizeof(h));
				h.type = types[in8(f) % 6];
				memcpy(wbuf, &h, sizeof(h));
			}
		}
		if (action & 16)
			len = in32(f); /* any length at all */
		uint32_t id = head;
		if (action & 32)
			id = in16(f); /* an id that may name nothing */
		ring[q->used_idx % q->size] =
			(struct vg_vring_used_elem){id, len};
		q->used_idx++;
		if (action & 64) { /* a duplicate completion */
			ring[q->used_idx % q->size] =
				(struct vg_vring_used_elem){id, len};
			q->used_idx++;
		}
	}
	uint8_t after = in8(f);
	uint16_t idx = q->used_idx;
	if (after & 1)
		idx = (uint16_t)(idx + in8(f)); /* used idx runs ahead */
	__atomic_store_n(&used[1], idx, __ATOMIC_RELEASE);
	if (after & 2)
		used[2 + 4 * q->size] = in16(f); /* avail_event */
	if (after & 4)
		used[0] = in16(f); /* used flags */
	f->isr |= (after & 8) ? VG_ISR_CONFIG : VG_ISR_QUEUE;
	if (after & 128)
		f->events |= VG_EVENT_DISPLAY; /* a monitor changed */
	if (!(after & 16))
		mock_os_interrupt(&f->m); /* else the interrupt is lost */
	/* The DPC runs now, or late (when a waiter sleeps), or also when
	 * nothing asked for it. */
	if (!(after & 32) || (after & 64))
		(void)mock_os_run_dpc(&f->m, after & 64);
}

static uint64_t common_read(struct fuzz_dev *f, uint32_t off)
{
	struct fq *q = &f->q[f->qsel < 2 ? f->qsel : 0];
	switch (off) {
	case VG_COMMON_DF:
		return f->dfselect ? f->dev_features >> 32
				   : (uint32_t)f->dev_features;
	case VG_COMMON_NUMQ:
		return f->numq;
	case VG_COMMON_STATUS:
		return f->status;
	case VG_COMMON_Q_SIZE:
		return f->qsel < 2 ? (q->size ? q->size : f->qmax[f->qsel]) : 0;
	case VG_COMMON_Q_NOFF:
		return f->qsel < 2 ? f->noff[f->qsel] : 0;
	}
	return 0;
}

static void common_write(struct fuzz_dev *f, uint32_t off, uint64_t v)
{
	struct fq *q = &f->q[f->qsel < 2 ? f->qsel : 0];
	switch (off) {
	case VG_COMMON_DFSELECT:
		f->dfselect = (uint32_t)v;
		break;
	case VG_COMMON_STATUS:
		if (v == 0)
			device_reset(f);
		else
			f->status = (uint8_t)v;
		break;
	case VG_COMMON_Q_SELECT:
		f->qsel = (uint16_t)v;
		break;
	case VG_COMMON_Q_SIZE:
		q->size = (uint16_t)v;
		break;
	case VG_COMMON_Q_DESCLO:
		q->desc = (q->desc & ~0xffffffffull) | (uint32_t)v;
		break;
	case VG_COMMON_Q_DESCHI:
		q->desc = (q->desc & 0xffffffffull) | v << 32;
		break;
	case VG_COMMON_Q_AVAILLO:
		q->avail = (q->avail & ~0xffffffffull) | (uint32_t)v;
		break;
	case VG_COMMON_Q_AVAILHI:
		q->avail = (q->avail & 0xffffffffull) | v << 32;
		break;
	case VG_COMMON_Q_USEDLO:
		q->used = (q->used & ~0xffffffffull) | (uint32_t)v;
		break;
	case VG_COMMON_Q_USEDHI:
		q->used = (q->used & 0xffffffffull) | v << 32;
		break;
	}
}

static uint64_t f_bar_read(struct vg_os *os, unsigned bar, uint64_t off,
			   unsigned w)
{
	struct fuzz_dev *f = F(os);
	(void)w;
	if (bar != BAR)
		return in32(f);
	if (off < ISR_OFF)
		return common_read(f, (uint32_t)off);
	if (off < DEVICE_OFF) {
		uint8_t v = f->isr;
		f->isr = 0;
		return v;
	}
	if (off < NOTIFY_OFF) {
		switch (off - DEVICE_OFF) {
		case 0:
			return f->events;
		case 8:
			return f->num_scanouts;
		}
	}
	return 0;
}

static void f_bar_write(struct vg_os *os, unsigned bar, uint64_t off,
			unsigned w, uint64_t v)
{
	struct fuzz_dev *f = F(os);
	(void)w;
	if (bar != BAR)
		return;
	if (off < ISR_OFF)
		common_write(f, (uint32_t)off, v);
	else if (off == DEVICE_OFF + 4)
		f->events &= ~(uint32_t)v;
	else if (off >= NOTIFY_OFF)
		device_notify(f, (uint16_t)v);
}

/* Single-threaded: locks are tokens, events are flags. */
struct vg_lock {
	int unused;
};
struct vg_event {
	int set;
};

static vg_status f_lock_create(struct vg_os *os, struct vg_lock **out)
{
	*out = os->ops->alloc(os, sizeof(**out));
	return *out ? VG_OK : VG_E_NOMEM;
}

static void f_lock_destroy(struct vg_os *os, struct vg_lock *l)
{
	os->ops->free(os, l);
}

static void f_lock(struct vg_os *os, struct vg_lock *l)
{
	(void)l;
	mock_os_not_in_isr(&F(os)->m, "lock");
}

static vg_status f_event_create(struct vg_os *os, struct vg_event **out)
{
	*out = os->ops->alloc(os, sizeof(**out));
	return *out ? VG_OK : VG_E_NOMEM;
}

static void f_event_destroy(struct vg_os *os, struct vg_event *e)
{
	os->ops->free(os, e);
}

static void f_event_signal(struct vg_os *os, struct vg_event *e)
{
	mock_os_not_in_isr(&F(os)->m, "event_signal");
	e->set = 1;
}

static vg_status f_event_wait(struct vg_os *os, struct vg_event *e,
			      uint64_t timeout_ns)
{
	/* A late DPC gets the CPU while the waiter sleeps. */
	(void)mock_os_run_dpc(&F(os)->m, 0);
	if (e->set) {
		e->set = 0;
		return VG_OK;
	}
	F(os)->now += timeout_ns; /* nothing else can happen: time passes */
	return VG_E_TIMEOUT;
}

/* Each look at the clock costs 100 us of virtual time, about what a
 * register read costs on QEMU: polling loops end after ~10^4 reads. */
static uint64_t f_now(struct vg_os *os)
{
	return F(os)->now += 100000;
}

/* Deferred context only: never from inside the ISR. */
static void on_display_change(void *ctx)
{
	struct fuzz_dev *f = ctx;
	mock_os_not_in_isr(&f->m, "on_display_change");
	f->display_calls++;
}

static void exercise_driver(struct fuzz_dev *f)
{
	struct vg_gpu_options opt = {.cmd_timeout_ms = 50,
				     .auto_recover = in8(f) & 1,
				     .on_display_change = on_display_change,
				     .display_change_ctx = f};
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fbs[2] = {NULL, NULL};
	static uint32_t cursor[64 * 64];

	if (vg_gpu_create(&f->m.os, &opt, &gpu) != VG_OK)
		return;
	unsigned nops = in8(f) % 12;
	for (unsigned k = 0; k < nops; k++) {
		uint8_t op = in8(f);
		struct vg_fb **fb = &fbs[op >> 7];
		switch (op % 10) {
		case 0:
			if (!*fb)
				(void)vg_fb_create(gpu, 1u + in8(f),
						   1u + in8(f), fb);
			break;
		case 1:
			(void)vg_gpu_set_scanout(gpu, in8(f) % 4, *fb);
			break;
		case 2:
			if (*fb) {
				struct vg_rect r[3];
				for (int i = 0; i < 3; i++)
					r[i] = (struct vg_rect){in8(f), in8(f),
								in8(f), in8(f)};
				(void)vg_gpu_present(gpu, *fb, r, in8(f) % 4);
			}
			break;
		case 3:
			(void)vg_gpu_cursor_update(
				gpu, in8(f) % 4, (in8(f) & 1) ? cursor : NULL,
				in8(f) % 70, in8(f) % 70, in8(f), in8(f));
			break;
		case 4:
			(void)vg_gpu_cursor_move(gpu, in8(f) % 4, in8(f),
						 in8(f));
			break;
		case 5:
			(void)vg_gpu_refresh_displays(gpu);
			break;
		case 6:
			vg_fb_destroy(*fb);
			*fb = NULL;
			break;
		case 7:
			(void)vg_gpu_watchdog(gpu, NULL);
			break;
		case 8:
			(void)vg_gpu_reset(gpu);
			break;
		case 9:
			/* Down and up again; the scripted device may fail it.
			 */
			(void)vg_gpu_set_power(gpu, VG_POWER_D3,
					       VG_POWER_HIBERNATE);
			if (in8(f) & 1)
				device_reset(f); /* lost its state */
			(void)vg_gpu_set_power(gpu, VG_POWER_D0,
					       VG_POWER_HIBERNATE);
			break;
		}
	}
	struct vg_gpu_stats st;
	vg_gpu_get_stats(gpu, &st);
	vg_fb_destroy(fbs[0]);
	vg_fb_destroy(fbs[1]);
	vg_gpu_destroy(gpu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_dev f;

	memset(&f, 0, sizeof(f));
	mock_os_init(&f.m);
	f.ops = mock_os_ops;
	f.ops.cfg_read = f_cfg_read;
	f.ops.cfg_write = f_cfg_write;
	f.ops.bar_read = f_bar_read;
	f.ops.bar_write = f_bar_write;
	f.ops.lock_create = f_lock_create;
	f.ops.lock_destroy = f_lock_destroy;
	f.ops.lock = f_lock;
	f.ops.unlock = f_lock;
	f.ops.event_create = f_event_create;
	f.ops.event_destroy = f_event_destroy;
	f.ops.event_signal = f_event_signal;
	f.ops.event_wait = f_event_wait;
	f.ops.now_ns = f_now;
	f.m.os.ops = &f.ops;
	f.data = data;
	f.len = size;

	build_config(&f);
	f.dev_features = (1ull << VG_F_VERSION_1) | in32(&f);
	f.numq = (uint16_t)(2 + (in8(&f) & 1 ? in8(&f) : 0) - (in8(&f) & 1));
	f.qmax[0] = in16(&f);
	f.qmax[1] = in16(&f);
	f.noff[0] = in8(&f) & 0x1f;
	f.noff[1] = in8(&f) & 0x1f;
	f.num_scanouts = in8(&f) & 1 ? in32(&f) : 1u + in8(&f) % 16u;

	exercise_driver(&f);
	if (f.m.live_allocs != 0) {
		fprintf(stderr, "fuzz: %ld OS allocations leaked\n",
			f.m.live_allocs);
		abort();
	}
	return 0;
}

#ifdef VG_FUZZ_STANDALONE
/* Replays files given as arguments, or runs N seeded random inputs. */
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--random")) {
		for (int i = 1; i < argc; i++) {
			FILE *fp = fopen(argv[i], "rb");
			static uint8_t buf[1 << 20];
			size_t n = fp ? fread(buf, 1, sizeof(buf), fp) : 0;
			if (fp)
				fclose(fp);
			LLVMFuzzerTestOneInput(buf, n);
		}
		return 0;
	}
	unsigned long runs = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
	uint64_t s = 0x9e3779b97f4a7c15ull;
	static uint8_t buf[4096];
	for (unsigned long r = 0; r < runs; r++) {
		size_t n = (size_t)(s % sizeof(buf));
		for (size_t i = 0; i < n; i++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			buf[i] = (uint8_t)(s >> 24);
		}
		/* Bias toward a well-formed start so bring-up succeeds. */
		if (n > 0 && (r & 1))
			buf[0] = 0;
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_device: %lu random inputs, no crash, no leak\n", runs);
	return 0;
}
#endif
