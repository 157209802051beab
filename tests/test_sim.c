// SPDX-License-Identifier: MIT
/*
 * Scenario tests on the sim device, driven through the real driver core
 * (include/viogpu/gpu.h over vg_sim_os): bring-up, EDID, present and
 * screendump, two heads, hot-plug, cursor, leak accounting, unwinding under
 * allocation failures, and the fault language.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/sim.h"
#include "viogpu/surface.h"

#include "sim_env.h"
#include "wire.h" /* the device model is driven on the wire here */

/* ---- bring-up and displays ---- */

/* A platform with MSI-X (os msix_vector) gets its vectors programmed:
 * config and both queues (in negotiate and queue enable, which a rebuild
 * runs too); a device that does not take a vector fails bring-up (a
 * vector never taken never fires).  Without msix_vector the device's
 * vectors stay NO_VECTOR, as a reset left them. */
static uint16_t msix_base;
static uint16_t test_msix_vector(struct vg_os *os, int q)
{
	(void)os;
	return (uint16_t)(msix_base + (q == VG_MSIX_CONFIG ? 0 : 1 + q));
}

static void test_msix_vectors_programmed(void **state)
{
	struct vg_sim_config cfg = {.msix_vectors = 3};
	struct vg_sim *sim;
	struct vg_gpu *gpu;
	struct vg_sim_counters c;
	(void)state;

	assert_int_equal(vg_sim_create(&cfg, &sim), VG_OK);
	struct vg_os *os = vg_sim_os(sim);
	const struct vg_os_ops *sim_ops = os->ops;
	struct vg_os_ops ops = *sim_ops;
	ops.msix_vector = test_msix_vector;
	os->ops = &ops;
	msix_base = 0;
	assert_int_equal(vg_gpu_create(os, NULL, &gpu), VG_OK);
	vg_sim_get_counters(sim, &c);
	assert_int_equal(c.config_vector, 0);
	assert_int_equal(c.queue_vector[0], 1);
	assert_int_equal(c.queue_vector[1], 2);
	vg_gpu_destroy(gpu);

	/* Vector 3 is past the table: refused, and bring-up says so. */
	msix_base = 1;
	assert_int_equal(vg_gpu_create(os, NULL, &gpu), VG_E_UNSUPPORTED);

	/* INTx: the vectors are left alone (NO_VECTOR). */
	os->ops = sim_ops;
	assert_int_equal(vg_gpu_create(os, NULL, &gpu), VG_OK);
	vg_sim_get_counters(sim, &c);
	assert_int_equal(c.config_vector, 0xffff);
	assert_int_equal(c.queue_vector[0], 0xffff);
	vg_gpu_destroy(gpu);
	vg_sim_destroy(sim);
}

/* A device behind an IOMMU offers ACCESS_PLATFORM and must get it acked
 * (else it would bypass the translation); one that does not offer it is
 * not sent it. */
static void test_access_platform_acked_when_offered(void **state)
{
	struct vg_sim_config cfg = {.access_platform = true};
	struct env e = {0};
	struct vg_gpu_info info;
	const uint64_t ap = 1ull << VG_F_ACCESS_PLATFORM;

	(void)state;
	env_up(&e, &cfg, 0);
	vg_gpu_get_info(e.gpu, &info);
	assert_true(info.device_features & ap);
	assert_true(info.driver_features & ap);
	env_down(&e);

	struct env plain = {0};
	env_up(&plain, NULL, 0);
	vg_gpu_get_info(plain.gpu, &info);
	assert_false(info.device_features & ap);
	assert_false(info.driver_features & ap);
	env_down(&plain);
}

static void test_bringup_info(void **state)
{
	struct env e = {0};
	struct vg_gpu_info info;
	struct vg_display d;

	(void)state;
	env_up(&e, NULL, 0);
	vg_gpu_get_info(e.gpu, &info);
	assert_int_equal(info.num_scanouts, 1);
	assert_true(info.edid);
	assert_true(info.indirect_desc);
	assert_true(info.event_idx);
	assert_int_equal(info.ctrlq_size, 256);
	assert_int_equal(info.cursorq_size, 16);
	assert_true(info.device_features & (1ull << VG_F_VERSION_1));

	assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d), VG_OK);
	assert_true(d.enabled);
	assert_int_equal(d.rect.width, 1024);
	assert_int_equal(d.rect.height, 768);
	assert_int_equal(d.edid_size, 128);
	assert_string_equal(d.monitor_name, "viogpu sim");
	/* A valid EDID 1.4 base block whose preferred mode is the head's. */
	static const uint8_t hdr[8] = {0,    0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0};
	assert_memory_equal(d.edid, hdr, 8);
	assert_int_equal(d.edid[18], 1);
	assert_int_equal(d.edid[19], 4);
	uint8_t sum = 0;
	for (int i = 0; i < 128; i++)
		sum = (uint8_t)(sum + d.edid[i]);
	assert_int_equal(sum, 0);
	const uint8_t *dtd = d.edid + 54;
	assert_int_equal(dtd[2] | (dtd[4] >> 4) << 8, 1024);
	assert_int_equal(dtd[5] | (dtd[7] >> 4) << 8, 768);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d), VG_E_RANGE);

	struct vg_sim_counters c;
	vg_sim_get_counters(e.sim, &c);
	assert_true(c.commands >= 2); /* DISPLAY_INFO + EDID */
	assert_true(c.interrupts >= 2);
	assert_int_equal(c.error_responses, 0);
	env_down(&e);
}

static void test_no_edid(void **state)
{
	struct vg_sim_config cfg = {.no_edid = true};
	struct env e = {0};
	struct vg_gpu_info info;
	struct vg_display d;

	(void)state;
	env_up(&e, &cfg, 0);
	vg_gpu_get_info(e.gpu, &info);
	assert_false(info.edid);
	assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d), VG_OK);
	assert_int_equal(d.edid_size, 0);
	assert_string_equal(d.monitor_name, "");
	env_down(&e);
}

/* ---- present and screendump ---- */

static void test_present_screendump(void **state)
{
	struct env e = {0};
	struct vg_fb *a = NULL, *b = NULL;
	struct vg_sim_counters c;

	(void)state;
	env_up(&e, NULL, 0);
	assert_int_equal(vg_fb_create(e.gpu, 1024, 768, &a), VG_OK);
	assert_int_equal(vg_fb_create(e.gpu, 1366, 768, &b), VG_OK);
	/* The sim hands out scattered blocks: real scatter-gather. */
	assert_true(vg_fb_backing_entries(a) >= 2);
	vg_sim_get_counters(e.sim, &c);
	assert_int_equal(c.live_resources, 2);
	assert_int_equal(c.attached_backings, 2);
	assert_int_equal(c.hostmem_bytes, (1024 + 1366) * 768 * 4ull);

	/* Nothing shown yet. */
	uint32_t *dump = NULL, w, h;
	assert_int_equal(vg_sim_screendump(e.sim, 0, &dump, &w, &h),
			 VG_E_INVAL);

	/* Full present. */
	draw(a, NULL, 1);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, a), VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, a, NULL, 0), VG_OK);
	uint32_t *shown = fb_copy(a);
	assert_screen(e.sim, 0, shown, 1024, 768);

	/* Dirty rectangles: only what was presented reaches the screen. */
	struct vg_rect dirty[3] = {
		{0, 0, 17, 5}, {1000, 700, 24, 68}, {300, 200, 333, 111}};
	for (int i = 0; i < 3; i++)
		draw(a, &dirty[i], 2 + (uint32_t)i);
	struct vg_rect hidden = {500, 10, 50, 50};
	draw(a, &hidden, 9); /* drawn, never presented */
	assert_int_equal(vg_gpu_present(e.gpu, a, dirty, 3), VG_OK);
	for (int i = 0; i < 3; i++)
		for (uint32_t y = dirty[i].y; y < dirty[i].y + dirty[i].height;
		     y++)
			for (uint32_t x = dirty[i].x;
			     x < dirty[i].x + dirty[i].width; x++)
				shown[y * 1024 + x] = pattern(x, y, 2 + i);
	assert_screen(e.sim, 0, shown, 1024, 768);
	free(shown);

	/* Another size on the same head. */
	draw(b, NULL, 5);
	assert_int_equal(vg_gpu_present(e.gpu, b, NULL, 0), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, b), VG_OK);
	shown = fb_copy(b);
	assert_screen(e.sim, 0, shown, 1366, 768);
	free(shown);

	/* Disabling scanout 0 is allowed by the spec (not by QEMU). */
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, NULL), VG_OK);
	assert_int_equal(vg_sim_screendump(e.sim, 0, &dump, &w, &h),
			 VG_E_INVAL);

	vg_fb_destroy(a);
	vg_fb_destroy(b);
	vg_sim_get_counters(e.sim, &c);
	assert_int_equal(c.live_resources, 0);
	assert_int_equal(c.hostmem_bytes, 0);
	assert_int_equal(c.attached_backings, 0);
	assert_int_equal(c.error_responses, 0);
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.live_resources, 0);
	assert_int_equal(st.bad_used_entries, 0);
	assert_int_equal(st.bad_responses, 0);
	assert_int_equal(st.device_errors, 0);
	env_down(&e);
}

static void test_two_heads(void **state)
{
	struct vg_sim_config cfg = {
		.num_scanouts = 2, .xres = {1024, 1280}, .yres = {768, 720}};
	struct env e = {0};
	struct vg_display d0, d1;
	struct vg_fb *f0 = NULL, *f1 = NULL;

	(void)state;
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d0), VG_OK);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d1), VG_OK);
	assert_true(d0.enabled && d1.enabled);
	assert_int_equal(d1.rect.width, 1280);
	assert_int_equal(d1.rect.height, 720);
	assert_int_equal(d1.edid[54 + 2] | (d1.edid[54 + 4] >> 4) << 8, 1280);
	assert_string_equal(d1.monitor_name, "viogpu sim");
	assert_memory_not_equal(d0.edid, d1.edid, 128);

	assert_int_equal(
		vg_fb_create(e.gpu, d0.rect.width, d0.rect.height, &f0), VG_OK);
	assert_int_equal(
		vg_fb_create(e.gpu, d1.rect.width, d1.rect.height, &f1), VG_OK);
	draw(f0, NULL, 11);
	draw(f1, NULL, 12);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, f0), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 1, f1), VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, f0, NULL, 0), VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, f1, NULL, 0), VG_OK);
	uint32_t *s0 = fb_copy(f0), *s1 = fb_copy(f1);
	assert_screen(e.sim, 0, s0, 1024, 768);
	assert_screen(e.sim, 1, s1, 1280, 720);
	free(s0);
	free(s1);

	/* Hot-plug: the host changes head 1; the driver re-reads. */
	struct vg_sim_counters before, after;
	vg_sim_get_counters(e.sim, &before);
	assert_int_equal(vg_sim_set_display(e.sim, 1, true, 1920, 1080), VG_OK);
	vg_sim_get_counters(e.sim, &after);
	assert_true(after.interrupts > before.interrupts);
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_OK);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d1), VG_OK);
	assert_int_equal(d1.rect.width, 1920);
	assert_int_equal(d1.rect.height, 1080);
	assert_int_equal(d1.edid[54 + 2] | (d1.edid[54 + 4] >> 4) << 8, 1920);
	assert_int_equal(vg_sim_set_display(e.sim, 2, true, 800, 600),
			 VG_E_INVAL);

	vg_fb_destroy(f0);
	vg_fb_destroy(f1);
	env_down(&e);
}

static void test_second_head_starts_disabled(void **state)
{
	struct vg_sim_config cfg = {.num_scanouts = 2};
	struct env e = {0};
	struct vg_display d1;

	(void)state;
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d1), VG_OK);
	assert_false(d1.enabled);
	assert_int_equal(vg_sim_set_display(e.sim, 1, true, 800, 600), VG_OK);
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_OK);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d1), VG_OK);
	assert_true(d1.enabled);
	assert_int_equal(d1.rect.width, 800);
	env_down(&e);
}

static void test_cursor(void **state)
{
	struct env e = {0};
	uint32_t img[64 * 64];
	struct vg_sim_counters c0, c1;

	(void)state;
	for (int i = 0; i < 64 * 64; i++)
		img[i] = 0xff000000u | (uint32_t)i;
	env_up(&e, NULL, 0);
	vg_sim_get_counters(e.sim, &c0);
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 0, img, 3, 4, 100, 200),
			 VG_OK);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 300, 400), VG_OK);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 301, 401), VG_OK);
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 0, NULL, 0, 0, 0, 0),
			 VG_OK);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 1, 0, 0), VG_E_RANGE);
	vg_sim_get_counters(e.sim, &c1);
	/* create + attach + transfer + 4 cursor commands */
	assert_int_equal(c1.commands - c0.commands, 7);
	assert_int_equal(c1.live_resources, 1); /* the cursor image */
	assert_int_equal(c1.error_responses, 0);
	env_down(&e);
}

/* ---- unwinding and leaks ---- */

static void test_alloc_failures_unwind(void **state)
{
	struct vg_sim *sim = NULL;
	struct vg_sim_config cfg = {0};
	struct vg_sim_counters c;
	struct vg_gpu *gpu = NULL;
	vg_status st = VG_E_NOMEM;
	long n;

	(void)state;
	assert_int_equal(vg_sim_create(&cfg, &sim), VG_OK);
	/* Fail the 1st, 2nd, ... allocation of bring-up until it passes. */
	for (n = 1; n < 1000; n++) {
		vg_sim_fail_alloc_at(sim, n);
		st = vg_gpu_create(vg_sim_os(sim), NULL, &gpu);
		if (st == VG_OK)
			break;
		assert_null(gpu);
		vg_sim_get_counters(sim, &c);
		assert_int_equal(c.os_allocs_live, 0);
		assert_int_equal(c.dma_bytes_in_use, 0);
	}
	assert_int_equal(st, VG_OK);
	assert_true(n > 10);
	vg_sim_fail_alloc_at(sim, 0);

	/* The same for framebuffer creation. */
	vg_sim_get_counters(sim, &c);
	long base_allocs = c.os_allocs_live;
	uint64_t base_dma = c.dma_bytes_in_use;
	struct vg_fb *fb = NULL;
	for (n = 1; n < 100; n++) {
		vg_sim_fail_alloc_at(sim, n);
		st = vg_fb_create(gpu, 640, 480, &fb);
		if (st == VG_OK)
			break;
		vg_sim_get_counters(sim, &c);
		assert_int_equal(c.os_allocs_live, base_allocs);
		assert_int_equal(c.dma_bytes_in_use, base_dma);
		assert_int_equal(c.live_resources, 0);
	}
	assert_int_equal(st, VG_OK);
	vg_sim_fail_alloc_at(sim, 0);
	vg_fb_destroy(fb);
	vg_gpu_destroy(gpu);
	vg_sim_get_counters(sim, &c);
	assert_int_equal(c.os_allocs_live, 0);
	assert_int_equal(c.dma_bytes_in_use, 0);
	vg_sim_destroy(sim);
}

/* ---- faults ---- */

static void test_fault_error_oom_by_type(void **state)
{
	struct vg_sim_config cfg = {
		.faults = "error:type=RESOURCE_CREATE_2D@ERR_OUT_OF_MEMORY"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_sim_counters c;

	(void)state;
	env_up(&e, &cfg, 0);
	vg_status got = vg_fb_create(e.gpu, 1024, 768, &fb);
	assert_int_equal(got, VG_E_DEVICE_OUT_OF_MEMORY);
	assert_null(fb);
	assert_true(vg_status_is_device_error(got));
	assert_int_equal(vg_status_resp_code(got), VG_RESP_ERR_OUT_OF_MEMORY);
	vg_sim_get_counters(e.sim, &c);
	assert_int_equal(c.faults_injected, 1);
	assert_int_equal(c.error_responses, 1);
	assert_int_equal(c.live_resources, 0);
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.device_errors, 1);
	assert_int_equal(st.live_resources, 0);
	assert_int_equal(st.live_backing_bytes, 0);
	env_down(&e);
}

/* A failed attach reports the attach's code, never the code of the unref
 * that cleans up after it (the unref fails too, differently). */
static void test_fault_attach_error_not_cleanup_error(void **state)
{
	struct vg_sim_config cfg = {
		.faults =
			"error:type=RESOURCE_ATTACH_BACKING@ERR_OUT_OF_MEMORY,"
			"error:type=RESOURCE_UNREF@ERR_INVALID_RESOURCE_ID"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_sim_counters c;

	(void)state;
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb),
			 VG_E_DEVICE_OUT_OF_MEMORY);
	assert_null(fb);
	vg_sim_get_counters(e.sim, &c);
	assert_int_equal(c.error_responses, 2); /* attach and unref */
	env_down(&e);
}

static void test_fault_error_once_then_usable(void **state)
{
	/* Bring-up is commands 1 (DISPLAY_INFO) and 2 (EDID). */
	struct vg_sim_config cfg = {.faults = "error:cmd=3@ERR_OUT_OF_MEMORY"};
	struct env e = {0};
	struct vg_fb *fb = NULL;

	(void)state;
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_fb_create(e.gpu, 1024, 768, &fb),
			 VG_E_DEVICE_OUT_OF_MEMORY);
	assert_int_equal(vg_fb_create(e.gpu, 1024, 768, &fb), VG_OK);
	draw(fb, NULL, 3);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	uint32_t *shown = fb_copy(fb);
	assert_screen(e.sim, 0, shown, 1024, 768);
	free(shown);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_fault_drop_times_out(void **state)
{
	struct vg_sim_config cfg = {.faults = "drop:cmd=3"};
	struct env e = {0};
	struct vg_fb *fb = NULL;

	(void)state;
	env_up(&e, &cfg, 200);
	assert_int_equal(vg_fb_create(e.gpu, 1024, 768, &fb), VG_E_TIMEOUT);
	assert_null(fb);
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.timeouts, 1);
	/* Still usable: the next commands are not dropped. */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	vg_fb_destroy(fb);
	env_down(&e); /* the abandoned request is reclaimed by the reset */
}

static void test_fault_drop_present(void **state)
{
	struct vg_sim_config cfg = {.faults = "drop:type=RESOURCE_FLUSH"};
	struct env e = {0};
	struct vg_fb *fb = NULL;

	(void)state;
	env_up(&e, &cfg, 200);
	assert_int_equal(vg_fb_create(e.gpu, 320, 200, &fb), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TIMEOUT);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_fault_late_completion(void **state)
{
	struct vg_sim_config cfg = {.faults = "late:cmd=3@400"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_gpu_stats st;

	(void)state;
	env_up(&e, &cfg, 200);
	assert_int_equal(vg_fb_create(e.gpu, 1024, 768, &fb), VG_E_TIMEOUT);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.timeouts, 1);
	assert_int_equal(st.late_completions, 0);
	sleep_ms(300); /* the completion lands ~400 ms after submission */
	/* Another command makes sure completions were processed. */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	/* On a loaded machine give it a little longer. */
	for (int i = 0; i < 40 && st.late_completions == 0; i++) {
		sleep_ms(50);
		assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 1, 1), VG_OK);
		vg_gpu_get_stats(e.gpu, &st);
	}
	assert_int_equal(st.late_completions, 1);
	assert_int_equal(st.timeouts, 1);
	vg_fb_destroy(fb);
	env_down(&e);
}

/* A reset cancels a held-back completion: it never lands afterwards. */
static void test_reset_cancels_late_completion(void **state)
{
	struct vg_sim_config cfg = {.faults = "late:cmd=3@300"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_sim_counters before, after;

	(void)state;
	env_up(&e, &cfg, 100);
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_E_TIMEOUT);
	vg_gpu_destroy(e.gpu); /* resets the device, frees the rings */
	e.gpu = NULL;
	vg_sim_get_counters(e.sim, &before);
	sleep_ms(400);
	vg_sim_get_counters(e.sim, &after);
	assert_int_equal(after.interrupts, before.interrupts);
	assert_int_equal(after.os_allocs_live, 0);
	assert_int_equal(after.dma_bytes_in_use, 0);
	vg_sim_destroy(e.sim);
}

static void test_fault_delay_within_timeout(void **state)
{
	struct vg_sim_config cfg = {.faults = "delay:every=2@30"};
	struct env e = {0};
	struct vg_fb *fb = NULL;

	(void)state;
	env_up(&e, &cfg, 1000);
	assert_int_equal(vg_fb_create(e.gpu, 256, 256, &fb), VG_OK);
	draw(fb, NULL, 4);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_OK);
	/* Out-of-order completions inside one present batch. */
	struct vg_rect r[4] = {{0, 0, 10, 10},
			       {10, 10, 10, 10},
			       {20, 20, 10, 10},
			       {0, 0, 256, 256}};
	assert_int_equal(vg_gpu_present(e.gpu, fb, r, 4), VG_OK);
	uint32_t *shown = fb_copy(fb);
	assert_screen(e.sim, 0, shown, 256, 256);
	free(shown);
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.timeouts, 0);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_fault_badid_badlen(void **state)
{
	struct vg_sim_config cfg = {.faults = "badid:cmd=3"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_gpu_stats st;

	(void)state;
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	assert_true(st.bad_used_entries >= 1);
	vg_fb_destroy(fb);
	env_down(&e);

	cfg.faults = "badlen:cmd=3";
	env_up(&e, &cfg, 0);
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.bad_used_entries, 1);
	vg_fb_destroy(fb);
	env_down(&e);

	cfg.faults = "oversize:type=GET_EDID";
	env_up(&e, &cfg, 0);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.bad_used_entries, 1);
	env_down(&e);
}

static void test_fault_bad_responses(void **state)
{
	struct vg_sim_config cfg = {.faults = "short:cmd=3,wrongtype:cmd=4"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_gpu_stats st;

	(void)state;
	env_up(&e, &cfg, 200);
	/* cmd 3: CREATE_2D answered with 8 bytes. */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_E_PROTOCOL);
	/* cmd 4: the next CREATE_2D answered OK_DISPLAY_INFO. */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_E_PROTOCOL);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.bad_responses, 2);
	/* Usable afterwards. */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_OK);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_fault_interrupts(void **state)
{
	struct vg_sim_config cfg = {.faults =
					    "spurious-irq:cmd=3,lost-irq:cmd=4,"
					    "event-storm:cmd=5@20"};
	struct env e = {0};
	struct vg_fb *fb = NULL;
	struct vg_sim_counters c;

	(void)state;
	env_up(&e, &cfg, 200);
	/* cmds 3 and 4: the lost interrupt costs one timeout's worth of
	 * waiting, then the driver finds the completion by polling. */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb), VG_OK);
	/* cmd 5 (SET_SCANOUT) comes with 20 display events. */
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_OK);
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_OK);
	vg_sim_get_counters(e.sim, &c);
	assert_int_equal(c.faults_injected, 3);
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.timeouts, 0);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_fault_stall_and_needs_reset(void **state)
{
	static const char *const specs[] = {"stall:cmd=3", "needs-reset:cmd=3"};

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct vg_sim_config cfg = {.faults = specs[i]};
		struct env e = {0};
		struct vg_fb *fb = NULL;
		env_up(&e, &cfg, 100);
		assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb),
				 VG_E_TIMEOUT);
		/* Nothing moves until the reset in destroy. */
		assert_int_not_equal(vg_gpu_refresh_displays(e.gpu), VG_OK);
		env_down(&e);
	}
}

static void test_bad_fault_specs(void **state)
{
	static const char *const bad[] = {
		"bogus",	  "delay",	  "drop@5",
		"error@ERR_NOPE", "error@0x1100", "delay:cmd=0@5",
		"drop:type=NOPE", "drop:foo=1",	  "drop:cmd",
		"drop,,stall",	  "drop,",	  "event-storm@0",
		"late@-5",
	};
	static const char *const good[] = {
		"",
		"delay@5",
		" drop:cmd=7 , stall:every=100",
		"error:type=0x0101@ERR_UNSPEC",
		"error:type=VIRTIO_GPU_CMD_SET_SCANOUT@0x1205",
		"event-storm:every=3@2,spurious-irq,lost-irq:type=MOVE_CURSOR",
		"short,oversize,wrongtype,badid,badlen,needs-reset:cmd=9",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vg_sim_config cfg = {.faults = bad[i]};
		struct vg_sim *sim = (struct vg_sim *)&cfg; /* not NULL */
		assert_int_equal(vg_sim_create(&cfg, &sim), VG_E_INVAL);
		assert_null(sim);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct vg_sim_config cfg = {.faults = good[i]};
		struct vg_sim *sim = NULL;
		assert_int_equal(vg_sim_create(&cfg, &sim), VG_OK);
		vg_sim_destroy(sim);
	}
	vg_sim_destroy(NULL);
}

/* ---- transport-level behaviour, straight through vg_os ---- */

static void test_features_ok_rules(void **state)
{
	struct vg_sim *sim = NULL;
	struct vg_sim_config cfg = {0};

	(void)state;
	assert_int_equal(vg_sim_create(&cfg, &sim), VG_OK);
	struct vg_os *os = vg_sim_os(sim);
	const struct vg_os_ops *o = os->ops;
	/* status at 0x14, driver feature select 0x08, features 0x0c */
	o->bar_write(os, 4, 0x14, 1, 1 | 2);
	o->bar_write(os, 4, 0x08, 4, 0);
	o->bar_write(os, 4, 0x0c, 4, 1u << 5); /* never offered */
	o->bar_write(os, 4, 0x08, 4, 1);
	o->bar_write(os, 4, 0x0c, 4, 1); /* VERSION_1 */
	o->bar_write(os, 4, 0x14, 1, 1 | 2 | 8);
	assert_int_equal(o->bar_read(os, 4, 0x14, 1) & 8, 0);
	o->bar_write(os, 4, 0x14, 1, 0); /* reset */
	assert_int_equal(o->bar_read(os, 4, 0x14, 1), 0);
	o->bar_write(os, 4, 0x14, 1, 1 | 2);
	o->bar_write(os, 4, 0x08, 4, 0);
	o->bar_write(os, 4, 0x0c, 4, 0); /* no VERSION_1 */
	o->bar_write(os, 4, 0x14, 1, 1 | 2 | 8);
	assert_int_equal(o->bar_read(os, 4, 0x14, 1) & 8, 0);
	o->bar_write(os, 4, 0x08, 4, 1);
	o->bar_write(os, 4, 0x0c, 4, 1);
	o->bar_write(os, 4, 0x14, 1, 1 | 2 | 8);
	assert_int_equal(o->bar_read(os, 4, 0x14, 1) & 8, 8);
	/* ISR is clear-on-read; a display event sets bit 1. */
	assert_int_equal(vg_sim_set_display(sim, 0, true, 800, 600), VG_OK);
	assert_int_equal(o->bar_read(os, 4, 0x1000, 1), 2);
	assert_int_equal(o->bar_read(os, 4, 0x1000, 1), 0);
	/* events_read, write-1-to-clear events_clear, num_scanouts */
	assert_int_equal(o->bar_read(os, 4, 0x2000, 4), 1);
	o->bar_write(os, 4, 0x2004, 4, 1);
	assert_int_equal(o->bar_read(os, 4, 0x2000, 4), 0);
	assert_int_equal(o->bar_read(os, 4, 0x2008, 4), 1);
	/* Config space: ids, INTA, BAR sizing. */
	assert_int_equal(o->cfg_read(os, 0, 4), 0x10501af4);
	assert_int_equal(o->cfg_read(os, 0x3d, 1), 1);
	uint32_t bar = o->cfg_read(os, 0x20, 4);
	o->cfg_write(os, 0x20, 4, 0xffffffff);
	assert_int_equal(o->cfg_read(os, 0x20, 4), 0xffffc00c);
	o->cfg_write(os, 0x20, 4, bar);
	vg_sim_destroy(sim);
}

/* A driver that breaks the ring rules gets errors, never a crash. */
static uint16_t wait_used(struct vg_os *os, volatile uint16_t *used_idx,
			  uint16_t want)
{
	uint64_t end = os->ops->now_ns(os) + 2000000000ull;
	uint16_t v;
	while ((v = __atomic_load_n(used_idx, __ATOMIC_ACQUIRE)) != want &&
	       os->ops->now_ns(os) < end)
		sleep_ms(1);
	return v;
}

static void test_hostile_driver(void **state)
{
	struct vg_sim *sim = NULL;
	struct vg_sim_config cfg = {0};
	struct vg_dma ring, buf;

	(void)state;
	assert_int_equal(vg_sim_create(&cfg, &sim), VG_OK);
	struct vg_os *os = vg_sim_os(sim);
	const struct vg_os_ops *o = os->ops;
	assert_int_equal(o->dma_alloc(os, 3 * 4096, 3 * 4096, &ring), VG_OK);
	assert_int_equal(o->dma_alloc(os, 4096, 4096, &buf), VG_OK);
	uint64_t rd = ring.segs[0].addr, bd = buf.segs[0].addr;
	struct vg_vring_desc *desc = ring.cpu;
	uint16_t *avail = (uint16_t *)((uint8_t *)ring.cpu + 4096);
	uint16_t *used = (uint16_t *)((uint8_t *)ring.cpu + 8192);
	struct vg_vring_used_elem *ue = (void *)(used + 2);

	o->bar_write(os, 4, 0x14, 1, 1 | 2);
	o->bar_write(os, 4, 0x08, 4, 1);
	o->bar_write(os, 4, 0x0c, 4, 1); /* VERSION_1 only */
	o->bar_write(os, 4, 0x14, 1, 1 | 2 | 8);
	o->bar_write(os, 4, 0x16, 2, 0);
	o->bar_write(os, 4, 0x18, 2, 16);
	o->bar_write(os, 4, 0x20, 8, rd);
	o->bar_write(os, 4, 0x28, 8, rd + 4096);
	o->bar_write(os, 4, 0x30, 8, rd + 8192);
	o->bar_write(os, 4, 0x1c, 2, 1);
	o->bar_write(os, 4, 0x14, 1, 1 | 2 | 8 | 4);

	/* 1: a descriptor that chains to itself. */
	desc[0] = (struct vg_vring_desc){bd, 24, VG_DESC_F_NEXT, 0};
	avail[2] = 0;
	__atomic_store_n(&avail[1], 1, __ATOMIC_RELEASE);
	o->bar_write(os, 4, 0x3000, 2, 0);
	assert_int_equal(wait_used(os, &used[1], 1), 1);
	assert_int_equal(ue[0].id, 0);
	assert_int_equal(ue[0].len, 0);

	/* 2: a command buffer outside guest memory: ERR_UNSPEC. */
	desc[1] = (struct vg_vring_desc){0xdead0000, 24, VG_DESC_F_NEXT, 2};
	desc[2] = (struct vg_vring_desc){bd + 256, 64, VG_DESC_F_WRITE, 0};
	avail[3] = 1;
	__atomic_store_n(&avail[1], 2, __ATOMIC_RELEASE);
	o->bar_write(os, 4, 0x3000, 2, 0);
	assert_int_equal(wait_used(os, &used[1], 2), 2);
	assert_int_equal(ue[1].id, 1);
	assert_int_equal(ue[1].len, sizeof(struct vg_ctrl_hdr));
	struct vg_ctrl_hdr h;
	memcpy(&h, (uint8_t *)buf.cpu + 256, sizeof(h));
	assert_int_equal(h.type, VG_RESP_ERR_UNSPEC);

	/* 3: a head that names no descriptor: DEVICE_NEEDS_RESET. */
	avail[4] = 99;
	__atomic_store_n(&avail[1], 3, __ATOMIC_RELEASE);
	o->bar_write(os, 4, 0x3000, 2, 0);
	uint64_t end = o->now_ns(os) + 2000000000ull;
	while (!(o->bar_read(os, 4, 0x14, 1) & VG_STATUS_NEEDS_RESET) &&
	       o->now_ns(os) < end)
		sleep_ms(1);
	assert_true(o->bar_read(os, 4, 0x14, 1) & VG_STATUS_NEEDS_RESET);
	assert_int_equal(o->bar_read(os, 4, 0x1000, 1) & 2, 2);
	o->bar_write(os, 4, 0x14, 1, 0);
	assert_int_equal(o->bar_read(os, 4, 0x14, 1), 0);

	o->dma_free(os, &ring);
	o->dma_free(os, &buf);
	vg_sim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bringup_info),
		cmocka_unit_test(test_access_platform_acked_when_offered),
		cmocka_unit_test(test_msix_vectors_programmed),
		cmocka_unit_test(test_no_edid),
		cmocka_unit_test(test_present_screendump),
		cmocka_unit_test(test_two_heads),
		cmocka_unit_test(test_second_head_starts_disabled),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_alloc_failures_unwind),
		cmocka_unit_test(test_fault_error_oom_by_type),
		cmocka_unit_test(test_fault_error_once_then_usable),
		cmocka_unit_test(test_fault_attach_error_not_cleanup_error),
		cmocka_unit_test(test_fault_drop_times_out),
		cmocka_unit_test(test_fault_drop_present),
		cmocka_unit_test(test_fault_late_completion),
		cmocka_unit_test(test_reset_cancels_late_completion),
		cmocka_unit_test(test_fault_delay_within_timeout),
		cmocka_unit_test(test_fault_badid_badlen),
		cmocka_unit_test(test_fault_bad_responses),
		cmocka_unit_test(test_fault_interrupts),
		cmocka_unit_test(test_fault_stall_and_needs_reset),
		cmocka_unit_test(test_bad_fault_specs),
		cmocka_unit_test(test_features_ok_rules),
		cmocka_unit_test(test_hostile_driver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
