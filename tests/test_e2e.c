// SPDX-License-Identifier: MIT
/*
 * End to end on a device: set a mode, draw, present, and compare the
 * device's screendump with what was drawn, pixel for pixel.  The same
 * scenarios run on QEMU's real virtio-gpu-pci and on the device model.
 *   test_e2e qemu|sim mode WxH    one head at WxH: full and dirty presents
 *   test_e2e qemu|sim two-heads   two heads at different modes at once
 *   test_e2e qemu|sim cursor      cursor upload and moves complete
 *   test_e2e qemu|sim mode-sequence   1920x1080 -> 7680x4320 -> 1920x1080
 *                                     -> 7680x4320 -> 1024x768 on one head
 *   test_e2e qemu|sim sixteen-heads   16 heads, each set, disabled, set
 *   test_e2e same-pixels          both devices show the very same pixels
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "pattern.h"
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/host.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,          \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			failures++;                                            \
		}                                                              \
	} while (0)

#define CHECK_OK(expr)                                                         \
	do {                                                                   \
		vg_status st_ = (expr);                                        \
		CHECK(st_ == VG_OK, "%s", vg_status_str(st_));                 \
		if (st_ != VG_OK)                                              \
			goto out;                                              \
	} while (0)

/* QEMU or the device model, whichever the test was asked for, through
 * the host layer; the tests run their own driver on it (they count what
 * the driver holds from before it exists). */
struct dev {
	struct vg_host *host;
};

static bool use_sim;

static struct vg_os *dev_os(struct dev *d)
{
	return vg_host_os(d->host);
}

static vg_status dev_screendump(struct dev *d, unsigned head, uint32_t **px,
				uint32_t *w, uint32_t *h)
{
	return vg_host_screendump(d->host, head, px, w, h);
}

static uint64_t dev_dma_bytes(struct dev *d)
{
	struct vg_host_counters c;
	vg_host_counters(d->host, &c);
	CHECK(c.device_has & VG_HOST_DEV_DMA, "%s counts no DMA bytes",
	      vg_host_kind(d->host));
	return c.device.dma_bytes_in_use;
}

static void dev_stop(struct dev *d)
{
	vg_host_close(d->host);
	d->host = NULL;
}

/* Heads, preferred size of head 0, host memory: as --device properties;
 * guest RAM for QEMU, and the largest frame (which sizes the model's). */
static bool dev_start(struct dev *d, bool sim, unsigned heads, uint32_t w,
		      uint32_t h, unsigned ram_mib, uint64_t frame_bytes)
{
	char spec[128], msg[512];
	int n = snprintf(spec, sizeof(spec), "%s,max_hostmem=512M",
			 sim ? "sim" : "qemu");
	if (w)
		snprintf(spec + n, sizeof(spec) - (size_t)n, ",xres=%u,yres=%u",
			 w, h);
	struct vg_host_request rq = {
		.device = spec,
		.heads = heads,
		.ram_mib = ram_mib,
		.frame_bytes = frame_bytes,
		.no_driver = true,
	};
	memset(d, 0, sizeof(*d));
	vg_host_result r = vg_host_open(&rq, &d->host, msg, sizeof(msg));
	CHECK(r == VG_HOST_OK, "device start: %s", msg);
	return r == VG_HOST_OK;
}

/* Screendump of head must equal fb exactly. */
static void expect_screen(struct dev *d, unsigned head, const struct vg_fb *fb,
			  const char *what)
{
	uint32_t *px = NULL, w = 0, h = 0, fx = 0, fy = 0;
	vg_status st = dev_screendump(d, head, &px, &w, &h);
	CHECK(st == VG_OK, "%s: screendump: %s", what, vg_status_str(st));
	if (st != VG_OK)
		return;
	CHECK(w == vg_fb_width(fb) && h == vg_fb_height(fb),
	      "%s: screen is %ux%u, frame %ux%u", what, w, h, vg_fb_width(fb),
	      vg_fb_height(fb));
	if (w == vg_fb_width(fb) && h == vg_fb_height(fb)) {
		uint64_t diff =
			vg_pixels_compare(px, w * 4, vg_fb_pixels(fb),
					  vg_fb_stride(fb), w, h, &fx, &fy);
		CHECK(diff == 0,
		      "%s: %llu pixels differ, first at %u,%u: screen "
		      "%06x frame %06x",
		      what, (unsigned long long)diff, fx, fy,
		      px[fy * w + fx] & 0xffffff,
		      vg_fb_pixels(fb)[fy * (vg_fb_stride(fb) / 4) + fx] &
			      0xffffff);
	}
	free(px);
}

/* Draws the test picture: a gradient, then three boxes presented as
 * dirty rectangles (one at each edge case: corner, middle, far corner). */
static vg_status draw_and_present(struct dev *dv, struct vg_gpu *gpu,
				  struct vg_fb *fb, bool check)
{
	uint32_t w = vg_fb_width(fb), h = vg_fb_height(fb);
	vg_status st;

	vg_pattern_draw(VG_PATTERN_GRADIENT, vg_fb_pixels(fb), w, h,
			vg_fb_stride(fb));
	st = vg_gpu_present(gpu, fb, NULL, 0);
	if (st != VG_OK)
		return st;
	if (check)
		expect_screen(dv, 0, fb, "full present");
	/* Dirty rectangles: only they reach the host, and they suffice. */
	struct vg_rect dirty[3] = {
		{0, 0, 17, 9},
		{w / 3, h / 2, w / 4 + 1, h / 5 + 1},
		{w - 5, h - 3, 5, 3},
	};
	for (int i = 0; i < 3; i++)
		vg_pattern_draw_box(vg_fb_pixels(fb), w, h, vg_fb_stride(fb),
				    (int32_t)dirty[i].x, (int32_t)dirty[i].y,
				    dirty[i].width, dirty[i].height,
				    0x00123456u * (uint32_t)(i + 1));
	st = vg_gpu_present(gpu, fb, dirty, 3);
	if (st == VG_OK && check)
		expect_screen(dv, 0, fb, "dirty-rect present");
	return st;
}

static void test_mode(uint32_t w, uint32_t h)
{
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fb = NULL;
	struct vg_gpu_stats stats;
	struct dev dv;

	if (!dev_start(&dv, use_sim, 1, w, h, 1024, (uint64_t)w * h * 4))
		return;
	uint64_t dma_base = dev_dma_bytes(&dv);
	CHECK_OK(vg_gpu_create(dev_os(&dv), NULL, &gpu));

	struct vg_display d;
	CHECK_OK(vg_gpu_get_display(gpu, 0, &d));
	CHECK(d.enabled && d.rect.width == w && d.rect.height == h,
	      "head 0 reports %ux%u enabled=%d", d.rect.width, d.rect.height,
	      d.enabled);

	CHECK_OK(vg_fb_create(gpu, w, h, &fb));
	CHECK(vg_fb_backing_entries(fb) <= 16384, "%u entries",
	      vg_fb_backing_entries(fb));
	CHECK(vg_fb_stride(fb) == w * 4, "stride %u", vg_fb_stride(fb));
	CHECK_OK(vg_gpu_set_scanout(gpu, 0, fb));
	CHECK_OK(draw_and_present(&dv, gpu, fb, true));

	vg_gpu_get_stats(gpu, &stats);
	CHECK(stats.live_resources == 1, "%u live resources",
	      stats.live_resources);
	CHECK(stats.interrupts > 0, "no interrupt was delivered");
	CHECK(stats.bad_responses == 0 && stats.bad_used_entries == 0 &&
		      stats.timeouts == 0,
	      "protocol trouble: %llu bad responses, %llu bad used, %llu "
	      "timeouts",
	      (unsigned long long)stats.bad_responses,
	      (unsigned long long)stats.bad_used_entries,
	      (unsigned long long)stats.timeouts);
	vg_fb_destroy(fb);
	fb = NULL;
	vg_gpu_get_stats(gpu, &stats);
	CHECK(stats.live_resources == 0 && stats.live_backing_bytes == 0,
	      "after destroy: %u resources, %llu backing bytes",
	      stats.live_resources,
	      (unsigned long long)stats.live_backing_bytes);
out:
	vg_fb_destroy(fb);
	vg_gpu_destroy(gpu);
	CHECK(dev_dma_bytes(&dv) == dma_base,
	      "DMA bytes in use %llu, at start %llu",
	      (unsigned long long)dev_dma_bytes(&dv),
	      (unsigned long long)dma_base);
	dev_stop(&dv);
}

static void test_two_heads(void)
{
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fb0 = NULL, *fb1 = NULL;
	struct dev dv;

	if (!dev_start(&dv, use_sim, 2, 0, 0, 512, 1920ull * 1080 * 4))
		return;
	CHECK_OK(vg_gpu_create(dev_os(&dv), NULL, &gpu));
	struct vg_gpu_info info;
	vg_gpu_get_info(gpu, &info);
	CHECK(info.num_scanouts == 2, "%u scanouts", info.num_scanouts);
	CHECK_OK(vg_fb_create(gpu, 1920, 1080, &fb0));
	CHECK_OK(vg_fb_create(gpu, 1366, 768, &fb1));
	vg_pattern_draw(VG_PATTERN_BARS, vg_fb_pixels(fb0), 1920, 1080,
			vg_fb_stride(fb0));
	vg_pattern_draw(VG_PATTERN_GRID, vg_fb_pixels(fb1), 1366, 768,
			vg_fb_stride(fb1));
	CHECK_OK(vg_gpu_set_scanout(gpu, 0, fb0));
	CHECK_OK(vg_gpu_set_scanout(gpu, 1, fb1));
	CHECK_OK(vg_gpu_present(gpu, fb0, NULL, 0));
	CHECK_OK(vg_gpu_present(gpu, fb1, NULL, 0));
	expect_screen(&dv, 0, fb0, "head 0");
	expect_screen(&dv, 1, fb1, "head 1");
out:
	vg_fb_destroy(fb0);
	vg_fb_destroy(fb1);
	vg_gpu_destroy(gpu);
	dev_stop(&dv);
}

static void test_cursor(void)
{
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fb = NULL;
	static uint32_t arrow[64 * 64];
	struct dev dv;

	if (!dev_start(&dv, use_sim, 1, 0, 0, 512, 1024ull * 768 * 4))
		return;
	for (int i = 0; i < 64 * 64; i++)
		arrow[i] = (i % 64) < (i / 64) ? 0xff000000u : 0;
	CHECK_OK(vg_gpu_create(dev_os(&dv), NULL, &gpu));
	CHECK_OK(vg_fb_create(gpu, 1024, 768, &fb));
	CHECK_OK(vg_gpu_set_scanout(gpu, 0, fb));
	CHECK_OK(vg_gpu_cursor_update(gpu, 0, arrow, 0, 0, 100, 100));
	for (uint32_t i = 0; i < 50; i++)
		CHECK_OK(vg_gpu_cursor_move(gpu, 0, 100 + i * 7, 100 + i * 3));
	CHECK_OK(vg_gpu_cursor_update(gpu, 0, NULL, 0, 0, 0, 0));
	CHECK(vg_gpu_cursor_move(gpu, 5, 0, 0) == VG_E_RANGE,
	      "cursor on a missing head accepted");
	struct vg_gpu_stats stats;
	vg_gpu_get_stats(gpu, &stats);
	CHECK(stats.live_resources == 2, "%u live resources (fb + cursor)",
	      stats.live_resources);
out:
	vg_fb_destroy(fb);
	vg_gpu_destroy(gpu);
	dev_stop(&dv);
}

/* The sequence: grow to 8K and back, twice, then shrink. */
static void test_mode_sequence(void)
{
	static const uint32_t seq[][2] = {
		{1920, 1080}, {7680, 4320}, {1920, 1080},
		{7680, 4320}, {1024, 768},
	};
	struct vg_gpu_options opt = {.host_mem_limit = 512ull << 20};
	struct vg_gpu *gpu = NULL;
	struct dev dv;

	if (!dev_start(&dv, use_sim, 1, 1920, 1080, 1024, 7680ull * 4320 * 4))
		return;
	uint64_t dma_base = dev_dma_bytes(&dv);
	CHECK_OK(vg_gpu_create(dev_os(&dv), &opt, &gpu));
	for (unsigned k = 0; k < 5; k++) {
		uint32_t w = seq[k][0], h = seq[k][1];
		CHECK_OK(vg_gpu_set_mode(gpu, 0, w, h));
		struct vg_fb *fb = vg_gpu_head_fb(gpu, 0);
		vg_pattern_draw((enum vg_pattern)(k % 3), vg_fb_pixels(fb), w,
				h, vg_fb_stride(fb));
		vg_pattern_draw_box(vg_fb_pixels(fb), w, h, vg_fb_stride(fb),
				    (int32_t)(10 * k), 10, 40, 40, 0x00abcdefu);
		CHECK_OK(vg_gpu_present(gpu, fb, NULL, 0));
		char what[48];
		snprintf(what, sizeof(what), "step %u: %ux%u", k + 1, w, h);
		expect_screen(&dv, 0, fb, what);
		struct vg_gpu_stats st;
		vg_gpu_get_stats(gpu, &st);
		/* The old framebuffer is gone as soon as the new one shows. */
		CHECK(st.live_resources == 1 &&
			      st.live_backing_bytes ==
				      (((uint64_t)w * h * 4 + 4095) & ~4095ull),
		      "%s: %u resources, %llu backing bytes", what,
		      st.live_resources,
		      (unsigned long long)st.live_backing_bytes);
	}
	/* Refused before anything is torn down: the 1024x768 stays. */
	CHECK(vg_gpu_set_mode(gpu, 0, 16385, 100) == VG_E_RANGE,
	      "16385 wide accepted");
	CHECK(vg_gpu_set_mode(gpu, 0, 16384, 16384) == VG_E_RANGE,
	      "a 1 GiB frame accepted with 512 MiB of host memory");
	expect_screen(&dv, 0, vg_gpu_head_fb(gpu, 0), "after refused modes");
out:
	vg_gpu_destroy(gpu);
	CHECK(dev_dma_bytes(&dv) == dma_base, "DMA bytes %llu, at start %llu",
	      (unsigned long long)dev_dma_bytes(&dv),
	      (unsigned long long)dma_base);
	dev_stop(&dv);
}

/* Every head on its own: set, show, disable, set again. */
static void test_sixteen_heads(void)
{
	struct vg_gpu *gpu = NULL;
	struct dev dv;

	if (!dev_start(&dv, use_sim, 16, 0, 0, 512, 568ull * 320 * 4))
		return;
	CHECK_OK(vg_gpu_create(dev_os(&dv), NULL, &gpu));
	struct vg_gpu_info info;
	vg_gpu_get_info(gpu, &info);
	CHECK(info.num_scanouts == 16, "%u scanouts", info.num_scanouts);
	for (uint32_t round = 0; round < 2; round++)
		for (uint32_t h = 0; h < 16; h++) {
			uint32_t w = 320 + 16 * h + 8 * round, hh = 200 + 8 * h;
			CHECK_OK(vg_gpu_set_mode(gpu, h, w, hh));
			struct vg_fb *fb = vg_gpu_head_fb(gpu, h);
			vg_pattern_draw((enum vg_pattern)((h + round) % 3),
					vg_fb_pixels(fb), w, hh,
					vg_fb_stride(fb));
			vg_pattern_draw_box(vg_fb_pixels(fb), w, hh,
					    vg_fb_stride(fb), (int32_t)h * 8, 4,
					    8, 8, 0x00ff0000u >> h);
			CHECK_OK(vg_gpu_present(gpu, fb, NULL, 0));
			char what[32];
			snprintf(what, sizeof(what), "head %u round %u", h,
				 round);
			expect_screen(&dv, h, fb, what);
			/* Disabling one head leaves the others alone. */
			if (round == 0 && h % 2)
				CHECK_OK(vg_gpu_set_scanout(gpu, h, NULL));
		}
	for (uint32_t h = 0; h < 16; h++) {
		char what[32];
		snprintf(what, sizeof(what), "head %u at the end", h);
		expect_screen(&dv, h, vg_gpu_head_fb(gpu, h), what);
	}
out:
	vg_gpu_destroy(gpu);
	dev_stop(&dv);
}

/* One picture (1366x768: a stride that is no power of two) through both
 * devices; the two screendumps must be identical. */
static void test_same_pixels(void)
{
	uint32_t *shot[2] = {NULL, NULL}, w[2] = {0, 0}, h[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		struct vg_gpu *gpu = NULL;
		struct vg_fb *fb = NULL;
		struct dev dv;
		if (!dev_start(&dv, k == 1, 1, 1366, 768, 512,
			       1366ull * 768 * 4))
			return;
		CHECK_OK(vg_gpu_create(dev_os(&dv), NULL, &gpu));
		CHECK_OK(vg_fb_create(gpu, 1366, 768, &fb));
		CHECK_OK(vg_gpu_set_scanout(gpu, 0, fb));
		CHECK_OK(draw_and_present(&dv, gpu, fb, false));
		CHECK_OK(dev_screendump(&dv, 0, &shot[k], &w[k], &h[k]));
	out:
		vg_fb_destroy(fb);
		vg_gpu_destroy(gpu);
		dev_stop(&dv);
	}
	CHECK(shot[0] && shot[1] && w[0] == w[1] && h[0] == h[1],
	      "screendumps %ux%u and %ux%u", w[0], h[0], w[1], h[1]);
	if (shot[0] && shot[1] && w[0] == w[1] && h[0] == h[1]) {
		uint32_t fx, fy;
		uint64_t diff =
			vg_pixels_compare(shot[0], w[0] * 4, shot[1], w[1] * 4,
					  w[0], h[0], &fx, &fy);
		CHECK(diff == 0, "QEMU and the model differ in %llu pixels",
		      (unsigned long long)diff);
	}
	free(shot[0]);
	free(shot[1]);
}

int main(int argc, char **argv)
{
	uint32_t w, h;
	if (argc == 2 && !strcmp(argv[1], "same-pixels")) {
		test_same_pixels();
	} else if (argc >= 3 &&
		   (!strcmp(argv[1], "qemu") || !strcmp(argv[1], "sim"))) {
		use_sim = !strcmp(argv[1], "sim");
		if (argc == 4 && !strcmp(argv[2], "mode") &&
		    sscanf(argv[3], "%ux%u", &w, &h) == 2)
			test_mode(w, h);
		else if (argc == 3 && !strcmp(argv[2], "two-heads"))
			test_two_heads();
		else if (argc == 3 && !strcmp(argv[2], "cursor"))
			test_cursor();
		else if (argc == 3 && !strcmp(argv[2], "mode-sequence"))
			test_mode_sequence();
		else if (argc == 3 && !strcmp(argv[2], "sixteen-heads"))
			test_sixteen_heads();
		else
			goto usage;
	} else {
		goto usage;
	}
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
usage:
	fprintf(stderr, "usage: test_e2e qemu|sim (mode WxH | two-heads | "
			"cursor | mode-sequence | sixteen-heads) | test_e2e "
			"same-pixels\n");
	return 2;
}
