// SPDX-License-Identifier: MIT
/*
 * End to end on QEMU's real virtio-gpu-pci: set a mode, draw, present,
 * and compare QEMU's screendump with what was drawn, pixel for pixel.
 *   test_e2e_qemu mode WxH      one head at WxH: full and dirty-rect presents
 *   test_e2e_qemu two-heads     two heads at different modes at once
 *   test_e2e_qemu cursor        cursor upload and moves complete
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "pattern.h"
#include "viogpu/gpu.h"
#include "viogpu/qemu.h"

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

/* Screendump of head must equal fb exactly. */
static void expect_screen(struct vg_qemu *q, unsigned head,
			  const struct vg_fb *fb, const char *what)
{
	uint32_t *px = NULL, w = 0, h = 0, fx = 0, fy = 0;
	vg_status st = vg_qemu_screendump(q, head, &px, &w, &h);
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

static struct vg_qemu *start_qemu(const char *props, unsigned ram)
{
	struct vg_qemu_config cfg = {.device_props = props, .ram_mib = ram};
	struct vg_qemu *q = NULL;
	vg_status st = vg_qemu_create(&cfg, &q);
	CHECK(st == VG_OK, "QEMU start: %s", vg_status_str(st));
	return q;
}

static void test_mode(uint32_t w, uint32_t h)
{
	char props[128];
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fb = NULL;
	struct vg_gpu_stats stats;

	snprintf(props, sizeof(props), "xres=%u,yres=%u,max_hostmem=512M", w,
		 h);
	struct vg_qemu *q = start_qemu(props, 1024);
	if (!q)
		return;
	uint64_t dma_base = vg_qemu_dma_bytes_in_use(q);
	CHECK_OK(vg_gpu_create(vg_qemu_os(q), NULL, &gpu));

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
	vg_pattern_draw(VG_PATTERN_GRADIENT, vg_fb_pixels(fb), w, h,
			vg_fb_stride(fb));
	CHECK_OK(vg_gpu_present(gpu, fb, NULL, 0));
	expect_screen(q, 0, fb, "full present");

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
	CHECK_OK(vg_gpu_present(gpu, fb, dirty, 3));
	expect_screen(q, 0, fb, "dirty-rect present");

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
	if (q)
		CHECK(vg_qemu_dma_bytes_in_use(q) == dma_base,
		      "DMA bytes in use %llu, at start %llu",
		      (unsigned long long)vg_qemu_dma_bytes_in_use(q),
		      (unsigned long long)dma_base);
	vg_qemu_destroy(q);
}

static void test_two_heads(void)
{
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fb0 = NULL, *fb1 = NULL;
	struct vg_qemu *q = start_qemu("max_outputs=2,max_hostmem=512M", 512);
	if (!q)
		return;
	CHECK_OK(vg_gpu_create(vg_qemu_os(q), NULL, &gpu));
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
	expect_screen(q, 0, fb0, "head 0");
	expect_screen(q, 1, fb1, "head 1");
out:
	vg_fb_destroy(fb0);
	vg_fb_destroy(fb1);
	vg_gpu_destroy(gpu);
	vg_qemu_destroy(q);
}

static void test_cursor(void)
{
	struct vg_gpu *gpu = NULL;
	struct vg_fb *fb = NULL;
	static uint32_t arrow[64 * 64];
	struct vg_qemu *q = start_qemu(NULL, 512);
	if (!q)
		return;
	for (int i = 0; i < 64 * 64; i++)
		arrow[i] = (i % 64) < (i / 64) ? 0xff000000u : 0;
	CHECK_OK(vg_gpu_create(vg_qemu_os(q), NULL, &gpu));
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
	vg_qemu_destroy(q);
}

int main(int argc, char **argv)
{
	uint32_t w, h;
	if (argc == 3 && !strcmp(argv[1], "mode") &&
	    sscanf(argv[2], "%ux%u", &w, &h) == 2)
		test_mode(w, h);
	else if (argc == 2 && !strcmp(argv[1], "two-heads"))
		test_two_heads();
	else if (argc == 2 && !strcmp(argv[1], "cursor"))
		test_cursor();
	else {
		fprintf(stderr, "usage: test_e2e_qemu mode WxH | two-heads | "
				"cursor\n");
		return 2;
	}
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
