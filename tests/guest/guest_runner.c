// SPDX-License-Identifier: MIT
/*
 * viogpu-guest: the end-to-end scenarios run inside a Linux guest, on the
 * device through --device vfio (include/viogpu/vfio.h), by
 * tests/guest/run_guest.py.
 *
 * It talks to the host over the serial console, one line each:
 *   GUEST-SHOW name head W H pattern [x,y,w,h,rrggbb ...]
 *       the head now shows pattern (tools/pattern.h) of W x H with these
 *       boxes drawn over it, in order; the host takes QEMU's screendump
 *       of that head, checks it against the same description drawn by
 *       the same generator, and answers "ACK name" on the console;
 *   GUEST-RESULT name PASS|FAIL detail
 *       what the guest itself checked (status codes, negotiated features,
 *       counters);
 *   GUEST-DONE passed N failed M
 * A missing ACK (the host is gone) fails the picture after a while.
 *
 * usage: viogpu-guest [--addr PCI] [--irq msix|intx] SCENARIO...
 *        (scenarios[] below)
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/host.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"
#include "viogpu/types.h"

#include "pattern.h"

#define MAX_BOXES 8
#define BIGGEST_FRAME (7680ull * 4320 * 4)

struct box {
	int32_t x, y;
	uint32_t w, h, colour;
};

static const char *pci_addr;
static const char *irq_mode = "msix";
static unsigned passed, failed;
static const char *const pattern_names[] = {"bars", "gradient", "grid"};

static void result(const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void result(const char *name, bool ok, const char *fmt, ...)
{
	char detail[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("GUEST-RESULT %s %s %s\n", name, ok ? "PASS" : "FAIL", detail);
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

/* Tells the host what head shows and waits for its screendump. */
static void show(const char *name, unsigned head, uint32_t w, uint32_t h,
		 enum vg_pattern p, const struct box *b, unsigned nb)
{
	printf("GUEST-SHOW %s %u %u %u %s", name, head, w, h, pattern_names[p]);
	for (unsigned i = 0; i < nb; i++)
		printf(" %d,%d,%u,%u,%06x", b[i].x, b[i].y, b[i].w, b[i].h,
		       b[i].colour);
	printf("\n");
	fflush(stdout);
	char line[256];
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "ACK ", 4) &&
		    !strncmp(line + 4, name, strlen(name)))
			return;
	}
	result(name, false, "no ACK from the host (stdin closed)");
}

/* Draws the description into fb (what show() then announces). */
static void draw(struct vg_fb *fb, enum vg_pattern p, const struct box *b,
		 unsigned nb)
{
	uint32_t w = vg_fb_width(fb), h = vg_fb_height(fb);
	vg_pattern_draw(p, vg_fb_pixels(fb), w, h, vg_fb_stride(fb));
	for (unsigned i = 0; i < nb; i++)
		vg_pattern_draw_box(vg_fb_pixels(fb), w, h, vg_fb_stride(fb),
				    b[i].x, b[i].y, b[i].w, b[i].h,
				    b[i].colour);
}

static struct vg_host *open_device(const char *name, unsigned heads)
{
	char dev[96], msg[512];
	snprintf(dev, sizeof(dev), "vfio%s%s,max_hostmem=1G,irq=%s",
		 pci_addr ? ",addr=" : "", pci_addr ? pci_addr : "", irq_mode);
	struct vg_host_request rq = {
		.device = dev,
		.heads = 0,
		.frame_bytes = BIGGEST_FRAME,
		.frame_heads = 1,
		.timeout_ms = 60000, /* TCG and an emulated IOMMU: slow */
	};
	(void)heads;
	struct vg_host *h = NULL;
	if (vg_host_open(&rq, &h, msg, sizeof(msg)) != VG_HOST_OK) {
		result(name, false, "%s", msg);
		return NULL;
	}
	return h;
}

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define OK(name, call)                                                         \
	do {                                                                   \
		vg_status st_ = (call);                                        \
		if (st_ != VG_OK) {                                            \
			result(name, false, "%s: %s", #call,                   \
			       vg_status_str(st_));                            \
			goto out;                                              \
		}                                                              \
	} while (0)

/* The guest kernel's own count of the function's interrupts per vfio
 * vector ("vfio-msix[N](addr)" or "vfio-intx(addr)" in /proc/interrupts):
 * a witness independent of the platform's counters.  -1: no such line. */
static long long kernel_irqs(const char *what)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[1024];
	long long total = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, what))
			continue;
		char *p = strchr(line, ':');
		long long sum = 0;
		for (char *end; p && *++p;) {
			long long v = strtoll(p, &end, 10);
			if (end == p)
				break;
			sum += v;
			p = end - 1;
		}
		total = total < 0 ? sum : total + sum;
	}
	fclose(f);
	return total;
}

/* bring-up: the device opens through VFIO, ACCESS_PLATFORM is acked and
 * interrupts arrive on the eventfd; one test pattern at 1024x768. */
static void sc_bringup(void)
{
	struct vg_host *host = open_device("bringup", 1);
	if (!host)
		return;
	struct vg_gpu *gpu = vg_host_gpu(host);
	struct vg_gpu_info info;
	vg_gpu_get_info(gpu, &info);
	bool ap = info.driver_features & (1ull << VG_F_ACCESS_PLATFORM);
	result("bringup-access-platform", ap,
	       "device features 0x%llx, driver 0x%llx",
	       (unsigned long long)info.device_features,
	       (unsigned long long)info.driver_features);
	OK("bringup", vg_gpu_set_mode(gpu, 0, 1024, 768));
	struct vg_fb *fb = vg_gpu_head_fb(gpu, 0);
	draw(fb, VG_PATTERN_GRID, NULL, 0);
	OK("bringup", vg_gpu_present(gpu, fb, NULL, 0));
	show("bringup-1024x768", 0, 1024, 768, VG_PATTERN_GRID, NULL, 0);
	struct vg_host_counters c;
	vg_host_counters(host, &c);
	bool msix = !strcmp(irq_mode, "msix");
	/* MSI-X: the control queue's vector (1) carries the completions;
	 * INTx: the one line does. */
	long long k = kernel_irqs(msix ? "vfio-msix[1]" : "vfio-intx");
	result(msix ? "bringup-interrupts-msix" : "bringup-interrupts-intx",
	       c.device.interrupts > 0 && k > 0 && c.driver.timeouts == 0,
	       "%llu eventfd wake-ups, kernel counted %lld on %s, "
	       "%llu ISR calls with work, %llu timeouts",
	       (unsigned long long)c.device.interrupts, k,
	       msix ? "vfio-msix[1]" : "vfio-intx",
	       (unsigned long long)c.driver.interrupts,
	       (unsigned long long)c.driver.timeouts);
out:
	vg_host_close(host);
}

/* Every mode from 1024x768 to 7680x4320, each with a pattern. */
static void sc_modes(void)
{
	static const uint32_t modes[][2] = {
		{1024, 768},  {1280, 720},  {1366, 768},  {1920, 1080},
		{2560, 1440}, {3840, 2160}, {7680, 4320}, {1024, 768},
	};
	struct vg_host *host = open_device("modes", 1);
	if (!host)
		return;
	struct vg_gpu *gpu = vg_host_gpu(host);
	for (unsigned k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
		uint32_t w = modes[k][0], h = modes[k][1];
		char name[48];
		snprintf(name, sizeof(name), "mode-%ux%u-%u", w, h, k);
		double t0 = secs();
		OK(name, vg_gpu_set_mode(gpu, 0, w, h));
		struct vg_fb *fb = vg_gpu_head_fb(gpu, 0);
		enum vg_pattern p = (enum vg_pattern)(k % 3);
		struct box b = {(int32_t)(w / 3), (int32_t)(h / 4), 40, 40,
				0xabcdef};
		draw(fb, p, &b, 1);
		OK(name, vg_gpu_present(gpu, fb, NULL, 0));
		result(name, true, "set_mode+draw+present %.2f s", secs() - t0);
		show(name, 0, w, h, p, &b, 1);
	}
out:
	vg_host_close(host);
}

/* Dirty rectangles: after a full present, boxes are drawn in three
 * rectangles which alone are presented, and one box outside them is
 * drawn but not presented: the screen must have the three, not the
 * fourth (only the dirty rectangles reached the device). */
static void sc_dirty(void)
{
	struct vg_host *host = open_device("dirty", 1);
	if (!host)
		return;
	struct vg_gpu *gpu = vg_host_gpu(host);
	OK("dirty", vg_gpu_set_mode(gpu, 0, 1920, 1080));
	struct vg_fb *fb = vg_gpu_head_fb(gpu, 0);
	draw(fb, VG_PATTERN_GRADIENT, NULL, 0);
	OK("dirty", vg_gpu_present(gpu, fb, NULL, 0));
	struct box b[3] = {{0, 0, 64, 48, 0xff0000},
			   {1000, 500, 333, 17, 0x00ff00},
			   {1856, 1032, 64, 48, 0x0000ff}};
	struct vg_rect r[3];
	for (unsigned i = 0; i < 3; i++) {
		vg_pattern_draw_box(vg_fb_pixels(fb), 1920, 1080,
				    vg_fb_stride(fb), b[i].x, b[i].y, b[i].w,
				    b[i].h, b[i].colour);
		r[i] = (struct vg_rect){(uint32_t)b[i].x, (uint32_t)b[i].y,
					b[i].w, b[i].h};
	}
	vg_pattern_draw_box(vg_fb_pixels(fb), 1920, 1080, vg_fb_stride(fb), 500,
			    500, 100, 100, 0xffffff);
	OK("dirty", vg_gpu_present(gpu, fb, r, 3));
	result("dirty-present", true, "3 rectangles presented");
	show("dirty-rects", 0, 1920, 1080, VG_PATTERN_GRADIENT, b, 3);
out:
	vg_host_close(host);
}

/* The cursor plane: shape, moves, hide.  QEMU's screendump shows the
 * primary plane only, so this checks the device's answers, not pixels. */
static void sc_cursor(void)
{
	static uint32_t arrow[64 * 64];
	struct vg_host *host = open_device("cursor", 1);
	if (!host)
		return;
	struct vg_gpu *gpu = vg_host_gpu(host);
	for (int i = 0; i < 64 * 64; i++)
		arrow[i] = (i % 64) < (i / 64) ? 0xff000000u : 0;
	OK("cursor", vg_gpu_set_mode(gpu, 0, 1024, 768));
	OK("cursor", vg_gpu_cursor_update(gpu, 0, arrow, 0, 0, 100, 100));
	for (uint32_t i = 0; i < 50; i++)
		OK("cursor", vg_gpu_cursor_move(gpu, 0, 100 + i * 7, 100 + i));
	OK("cursor", vg_gpu_cursor_update(gpu, 0, NULL, 0, 0, 0, 0));
	struct vg_gpu_stats s;
	vg_gpu_get_stats(gpu, &s);
	result("cursor", s.device_errors == 0 && s.timeouts == 0,
	       "50 moves; %llu device errors, %llu timeouts",
	       (unsigned long long)s.device_errors,
	       (unsigned long long)s.timeouts);
out:
	vg_host_close(host);
}

/* Every head the device offers at its own mode and pattern. */
static void sc_heads(void)
{
	struct vg_host *host = open_device("heads", 0);
	if (!host)
		return;
	struct vg_gpu *gpu = vg_host_gpu(host);
	struct vg_gpu_info info;
	vg_gpu_get_info(gpu, &info);
	char name[48];
	snprintf(name, sizeof(name), "heads-%u", info.num_scanouts);
	result(name, info.num_scanouts > 1, "%u scanouts", info.num_scanouts);
	for (uint32_t h = 0; h < info.num_scanouts; h++) {
		uint32_t w = 640 + 16 * h, hh = 480 + 8 * h;
		snprintf(name, sizeof(name), "heads-%u-head%u",
			 info.num_scanouts, h);
		OK(name, vg_gpu_set_mode(gpu, h, w, hh));
		struct vg_fb *fb = vg_gpu_head_fb(gpu, h);
		enum vg_pattern p = (enum vg_pattern)(h % 3);
		struct box b = {(int32_t)h * 8, 4, 8, 8, 0xff0000u >> h};
		draw(fb, p, &b, 1);
		OK(name, vg_gpu_present(gpu, fb, NULL, 0));
		show(name, h, w, hh, p, &b, 1);
	}
out:
	vg_host_close(host);
}

/* Reset and rebuild: first in place (vg_gpu_reset: the device is reset,
 * renegotiated with its interrupt vectors programmed again, and the
 * picture rebuilt from guest memory; then a dirty present must complete
 * on interrupts, with no command timing out), then by closing the device
 * (reset, VFIO released) and opening it again, twice. */
static void sc_reset(void)
{
	for (unsigned k = 0; k < 3; k++) {
		char name[32];
		snprintf(name, sizeof(name), "reset-%u", k);
		struct vg_host *host = open_device(name, 1);
		if (!host)
			return;
		struct vg_gpu *gpu = vg_host_gpu(host);
		uint32_t w = 800 + 64 * k, h = 600;
		OK(name, vg_gpu_set_mode(gpu, 0, w, h));
		struct vg_fb *fb = vg_gpu_head_fb(gpu, 0);
		enum vg_pattern p = (enum vg_pattern)((k + 1) % 3);
		draw(fb, p, NULL, 0);
		OK(name, vg_gpu_present(gpu, fb, NULL, 0));
		show(name, 0, w, h, p, NULL, 0);
		if (k == 0) {
			OK("reset-in-place", vg_gpu_reset(gpu));
			show("reset-in-place-rebuilt", 0, w, h, p, NULL, 0);
			struct box b = {100, 100, 50, 30, 0x123456};
			vg_pattern_draw_box(vg_fb_pixels(fb), w, h,
					    vg_fb_stride(fb), b.x, b.y, b.w,
					    b.h, b.colour);
			struct vg_rect r = {100, 100, 50, 30};
			OK("reset-in-place", vg_gpu_present(gpu, fb, &r, 1));
			struct vg_gpu_stats st;
			vg_gpu_get_stats(gpu, &st);
			result("reset-in-place", st.resets == 1 && !st.timeouts,
			       "%llu resets, %llu timeouts",
			       (unsigned long long)st.resets,
			       (unsigned long long)st.timeouts);
			show("reset-in-place-present", 0, w, h, p, &b, 1);
		}
	out:
		vg_host_close(host);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{"bringup", sc_bringup}, {"modes", sc_modes}, {"dirty", sc_dirty},
	{"cursor", sc_cursor},	 {"heads", sc_heads}, {"reset", sc_reset},
};

int main(int argc, char **argv)
{
	int i = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "--addr"))
			pci_addr = argv[i + 1];
		else if (!strcmp(argv[i], "--irq"))
			irq_mode = argv[i + 1];
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr,
			"usage: viogpu-guest [--addr PCI] [--irq msix|intx] "
			"SCENARIO...\n");
		return 2;
	}
	for (; i < argc; i++) {
		size_t k;
		for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++)
			if (!strcmp(argv[i], scenarios[k].name))
				break;
		if (k == sizeof(scenarios) / sizeof(scenarios[0])) {
			result(argv[i], false, "unknown scenario");
			continue;
		}
		double t0 = secs();
		scenarios[k].fn();
		printf("GUEST-TIME %s %.2f s\n", argv[i], secs() - t0);
	}
	printf("GUEST-DONE passed %u failed %u\n", passed, failed);
	return failed ? 1 : 0;
}
