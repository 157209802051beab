// SPDX-License-Identifier: MIT
/*
 * Promises of gpu.h that planted bugs (tests/mutants, `make mutants`)
 * showed nothing checked, checked on the device model while the driver
 * runs, not only after teardown:
 *   - late completions give their request back: presents keep working
 *     after many more of them than there are requests;
 *   - a failed mode set keeps the old picture on the head, at every step
 *     it can fail (allocation or device error), without presenting again;
 *   - the device gets the cursor's image, hot spot and position, and has
 *     them again after a reset, a sleep and a hibernate;
 *   - a present waits one timeout for its whole batch, not one per
 *     command;
 *   - dirty rectangles are clipped to the framebuffer;
 *   - a monitor swapped for one whose EDID has the same size is reported
 *     changed, and one swapped while asleep is seen after resume;
 *   - an EDID size beyond the response's field is refused.
 */
#include "sim_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint32_t free_requests(struct env *e)
{
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e->gpu, &st);
	return st.free_requests;
}

static uint64_t dma_bytes(struct env *e)
{
	struct vg_sim_counters c;
	vg_sim_get_counters(e->sim, &c);
	return c.dma_bytes_in_use;
}

/* ---- late completions ---- */

/* Twice as many late completions as the driver has control requests. */
#define LATE_N 128

static void test_many_late_completions(void **state)
{
	(void)state;
	struct env e = {0};
	/* Bring-up sends commands 1 (GET_DISPLAY_INFO) and 2 (GET_EDID);
	 * each refresh below sends GET_DISPLAY_INFO, which completes 100 ms
	 * after the driver gave up on it (20 ms), so the refresh ends there.
	 * Command numbers past the refreshes are never reached. */
	static char spec[LATE_N * 24];
	size_t len = 0;
	for (unsigned i = 0; i < LATE_N; i++)
		len += (size_t)snprintf(spec + len, sizeof(spec) - len,
					"%slate:cmd=%u@100", i ? "," : "",
					3 + i);
	struct vg_sim_config cfg = {.faults = spec};
	struct vg_gpu_stats st;

	env_up(&e, &cfg, 20);
	struct vg_fb *fb = NULL;
	uint32_t full = free_requests(&e);
	uint64_t dma = dma_bytes(&e);
	assert_true(full >= 32);

	for (unsigned i = 0; i < LATE_N; i++) {
		/* Never "queue full": the requests of earlier late
		 * completions came back. */
		vg_status s = vg_gpu_refresh_displays(e.gpu);
		if (s != VG_OK)
			assert_int_equal(s, VG_E_TIMEOUT);
		/* Requests in use: at most those whose completion is still
		 * on its way (100 ms / 20 ms, plus slack for a busy machine);
		 * never more, whatever number were late before. */
		assert_true(free_requests(&e) + 16 >= full);
		assert_int_equal(dma_bytes(&e), dma);
	}
	vg_gpu_get_stats(e.gpu, &st);
	assert_true(st.timeouts > LATE_N / 2);

	/* Every held-back completion lands (bounded wait). */
	uint64_t until = now_ms() + 3000;
	do {
		sleep_ms(20);
		vg_gpu_get_stats(e.gpu, &st);
	} while (st.late_completions < st.timeouts && now_ms() < until);
	assert_int_equal(st.late_completions, st.timeouts);

	/* Presents work, and once they are done every request is free. */
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 320, 200), VG_OK);
	fb = vg_gpu_head_fb(e.gpu, 0);
	draw(fb, NULL, 4);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_shows(e.sim, 0, fb);
	assert_int_equal(free_requests(&e), full);

	env_down(&e);
}

/* gpu.h: after a reset "abandoned requests ... become the driver's
 * again": going to D3 resets the device, so there every request is free,
 * also the one whose completion was still on its way. */
static void test_reset_takes_back_abandoned_requests(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.faults = "late:cmd=3@300"};
	struct vg_gpu_stats st;

	env_up(&e, &cfg, 50);
	uint32_t full = free_requests(&e);
	uint64_t dma = dma_bytes(&e);
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_E_TIMEOUT);
	assert_int_equal(free_requests(&e), full - 1); /* the device has it */
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(free_requests(&e), full);
	assert_int_equal(vg_sim_power_cycle(e.sim, false), VG_OK);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_SLEEP),
			 VG_OK);
	sleep_ms(350); /* the reset dropped the held-back completion */
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.late_completions, 0);
	assert_int_equal(free_requests(&e), full);
	assert_int_equal(dma_bytes(&e), dma);
	env_down(&e);
}

/* ---- mode sets ---- */

/* Head 0 shows a 640x480 picture the mode set below must not lose. */
static uint32_t *show_640x480(struct env *e)
{
	assert_int_equal(vg_gpu_set_mode(e->gpu, 0, 640, 480), VG_OK);
	struct vg_fb *fb = vg_gpu_head_fb(e->gpu, 0);
	draw(fb, NULL, 21);
	assert_int_equal(vg_gpu_present(e->gpu, fb, NULL, 0), VG_OK);
	assert_shows(e->sim, 0, fb);
	return fb_copy(fb);
}

/* After a failed 640x480 -> 800x600 switch: the old framebuffer is still
 * the head's and the head still shows its picture, with no present in
 * between, and nothing of the new one is left. */
static void assert_old_mode_kept(struct env *e, struct vg_fb *old,
				 const uint32_t *picture,
				 const struct vg_sim_counters *before)
{
	struct vg_sim_counters c;

	assert_ptr_equal(vg_gpu_head_fb(e->gpu, 0), old);
	assert_screen(e->sim, 0, picture, 640, 480);
	vg_sim_get_counters(e->sim, &c);
	assert_int_equal(c.live_resources, before->live_resources);
	assert_int_equal(c.hostmem_bytes, before->hostmem_bytes);
	assert_int_equal(c.dma_bytes_in_use, before->dma_bytes_in_use);
}

static void test_failed_mode_set_keeps_the_picture_alloc(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_counters before;
	vg_status st = VG_E_NOMEM;
	long n;

	env_up(&e, NULL, 500);
	uint32_t *picture = show_640x480(&e);
	struct vg_fb *old = vg_gpu_head_fb(e.gpu, 0);
	vg_sim_get_counters(e.sim, &before);
	/* Fail the 1st, 2nd, ... allocation of the switch until it passes. */
	for (n = 1; n < 200; n++) {
		vg_sim_fail_alloc_at(e.sim, n);
		st = vg_gpu_set_mode(e.gpu, 0, 800, 600);
		vg_sim_fail_alloc_at(e.sim, 0);
		if (st == VG_OK)
			break;
		assert_old_mode_kept(&e, old, picture, &before);
	}
	assert_int_equal(st, VG_OK);
	/* At least the new fb's own allocation failed (the backing and the
	 * attach's entry list fall back to smaller blocks instead). */
	assert_true(n >= 2);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	assert_int_equal(vg_fb_width(fb), 800);
	assert_shows(e.sim, 0, fb); /* the new one starts black */
	free(picture);
	env_down(&e);
}

/* The same with the device refusing each command of the switch in turn:
 * RESOURCE_CREATE_2D, ATTACH_BACKING, SET_SCANOUT, TRANSFER, FLUSH. */
static void test_failed_mode_set_keeps_the_picture_device(void **state)
{
	(void)state;
	struct vg_sim_counters c;
	uint64_t first_cmd;
	unsigned steps;

	/* Count the switch's commands on a well-behaved device. */
	{
		struct env e = {0};
		env_up(&e, NULL, 500);
		free(show_640x480(&e));
		vg_sim_get_counters(e.sim, &c);
		first_cmd = c.commands + 1;
		assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 800, 600), VG_OK);
		vg_sim_get_counters(e.sim, &c);
		/* create, attach, scanout, transfer, flush; then the old
		 * one's detach and unref */
		steps = (unsigned)(c.commands - first_cmd + 1) - 2;
		assert_int_equal(steps, 5);
		env_down(&e);
	}
	for (unsigned i = 0; i < steps; i++) {
		struct env e = {0};
		char spec[64];
		struct vg_sim_counters before;
		snprintf(spec, sizeof(spec), "error:cmd=%llu@ERR_UNSPEC",
			 (unsigned long long)(first_cmd + i));
		struct vg_sim_config cfg = {.faults = spec};
		env_up(&e, &cfg, 500);
		uint32_t *picture = show_640x480(&e);
		struct vg_fb *old = vg_gpu_head_fb(e.gpu, 0);
		vg_sim_get_counters(e.sim, &before);
		assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 800, 600),
				 VG_E_DEVICE_UNSPEC);
		assert_old_mode_kept(&e, old, picture, &before);
		free(picture);
		env_down(&e);
	}
}

/* ---- the cursor ---- */

static void cursor_image(uint32_t *img, uint32_t seed)
{
	for (uint32_t i = 0; i < 64 * 64; i++)
		img[i] = 0xff000000u | (i * 2654435761u + seed) >> 8;
}

/* The device's cursor on head: image, hot spot and position. */
static void assert_cursor(struct env *e, unsigned head, const uint32_t *img,
			  uint32_t hot_x, uint32_t hot_y, uint32_t x,
			  uint32_t y)
{
	static struct vg_sim_cursor cur;

	assert_int_equal(vg_sim_get_cursor(e->sim, head, &cur), VG_OK);
	assert_true(cur.visible);
	assert_int_equal(cur.hot_x, hot_x);
	assert_int_equal(cur.hot_y, hot_y);
	assert_int_equal(cur.x, x);
	assert_int_equal(cur.y, y);
	assert_memory_equal(cur.image, img, sizeof(cur.image));
}

static void test_cursor_state_reaches_the_device(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.num_scanouts = 2};
	static uint32_t img[64 * 64], img2[64 * 64];
	static struct vg_sim_cursor cur;

	cursor_image(img, 1);
	cursor_image(img2, 2);
	env_up(&e, &cfg, 500);
	assert_int_equal(vg_sim_get_cursor(e.sim, 0, &cur), VG_OK);
	assert_false(cur.visible);

	/* A hot spot whose coordinates differ, away from the corner. */
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 0, img, 5, 17, 100, 200),
			 VG_OK);
	assert_cursor(&e, 0, img, 5, 17, 100, 200);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 300, 400), VG_OK);
	assert_cursor(&e, 0, img, 5, 17, 300, 400);
	/* A new image and hot spot on the other head. */
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 1, img2, 63, 0, 7, 8),
			 VG_OK);
	assert_cursor(&e, 1, img2, 63, 0, 7, 8);
	/* A hot spot outside the 64x64 image is refused, and the device
	 * keeps the cursor it had. */
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 1, img, 64, 0, 7, 8),
			 VG_E_RANGE);
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 1, img, 0, 64, 7, 8),
			 VG_E_RANGE);
	assert_cursor(&e, 1, img2, 63, 0, 7, 8);
	/* Hidden. */
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 1, NULL, 0, 0, 0, 0),
			 VG_OK);
	assert_int_equal(vg_sim_get_cursor(e.sim, 1, &cur), VG_OK);
	assert_false(cur.visible);
	env_down(&e);
}

/* Shows a picture and a cursor (moved after its update), then brings
 * the device back `how`: 0 reset, 1 sleep, 2 hibernate; the device has
 * the same cursor and picture again. */
static void cursor_comes_back(int how)
{
	struct env e = {0};
	static uint32_t img[64 * 64];

	cursor_image(img, 3);
	env_up(&e, NULL, 500);
	free(show_640x480(&e));
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 0, img, 9, 30, 10, 20),
			 VG_OK);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 111, 222), VG_OK);
	assert_cursor(&e, 0, img, 9, 30, 111, 222);
	for (int round = 0; round < 2; round++) {
		if (how == 0) {
			assert_int_equal(vg_gpu_reset(e.gpu), VG_OK);
		} else {
			enum vg_power_reason why =
				how == 2 ? VG_POWER_HIBERNATE : VG_POWER_SLEEP;
			assert_int_equal(
				vg_gpu_set_power(e.gpu, VG_POWER_D3, why),
				VG_OK);
			assert_int_equal(vg_sim_power_cycle(e.sim, how == 2),
					 VG_OK);
			assert_int_equal(
				vg_gpu_set_power(e.gpu, VG_POWER_D0, why),
				VG_OK);
		}
		assert_cursor(&e, 0, img, 9, 30, 111, 222);
		assert_shows(e.sim, 0, vg_gpu_head_fb(e.gpu, 0));
	}
	env_down(&e);
}

static void test_cursor_comes_back_after_reset(void **state)
{
	(void)state;
	cursor_comes_back(0);
}

static void test_cursor_comes_back_after_sleep(void **state)
{
	(void)state;
	cursor_comes_back(1);
}

static void test_cursor_comes_back_after_hibernate(void **state)
{
	(void)state;
	cursor_comes_back(2);
}

/* ---- present ---- */

/* gpu.h: all transfers and the flush are waited for together; a stalled
 * device costs one timeout, not one per rectangle.  A behavioural bound
 * (3 timeouts for 21 commands), not a benchmark. */
static void test_stalled_present_fails_within_one_timeout(void **state)
{
	(void)state;
	struct env e = {0};
	/* 1-2 bring-up, 3-7 the mode set (create, attach, scanout,
	 * transfer, flush): 8 is the present's first transfer. */
	struct vg_sim_config cfg = {.faults = "stall:cmd=8"};
	enum { N = 20, TIMEOUT_MS = 100 };
	struct vg_rect dirty[N];

	env_up(&e, &cfg, TIMEOUT_MS);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 640, 480), VG_OK);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	for (unsigned i = 0; i < N; i++)
		dirty[i] = (struct vg_rect){i * 32, i * 24, 16, 16};
	draw(fb, NULL, 5);
	uint64_t t0 = now_ms();
	assert_int_equal(vg_gpu_present(e.gpu, fb, dirty, N), VG_E_TIMEOUT);
	uint64_t took = now_ms() - t0;
	assert_true(took >= TIMEOUT_MS - 5);
	if (took >= 3 * TIMEOUT_MS)
		fail_msg("a %u-rectangle present on a stalled device took "
			 "%llu ms; the timeout is %u ms",
			 N, (unsigned long long)took, TIMEOUT_MS);
	env_down(&e);
}

/* Rectangles reaching past the right or bottom edge are clipped; ones
 * wholly outside or empty are skipped. */
static void test_dirty_rects_are_clipped(void **state)
{
	(void)state;
	struct env e = {0};
	enum { W = 320, H = 200 };

	env_up(&e, NULL, 500);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, W, H), VG_OK);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	uint32_t *shown = fb_copy(fb); /* black */
	struct vg_rect dirty[] = {
		{300, 10, 100, 5},		      /* past the right edge */
		{10, 190, 7, 1000},		      /* past the bottom */
		{310, 195, 0xffffffffu, 0xffffffffu}, /* both, no wrap */
		{W, 0, 10, 10},			      /* outside */
		{5, 5, 0, 10},			      /* empty */
	};
	draw(fb, NULL, 8);
	assert_int_equal(vg_gpu_present(e.gpu, fb, dirty, 5), VG_OK);
	for (unsigned i = 0; i < 3; i++)
		for (uint32_t y = dirty[i].y;
		     y < H && y - dirty[i].y < dirty[i].height; y++)
			for (uint32_t x = dirty[i].x;
			     x < W && x - dirty[i].x < dirty[i].width; x++)
				shown[y * W + x] = pattern(x, y, 8);
	assert_screen(e.sim, 0, shown, W, H);
	struct vg_gpu_stats st;
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.device_errors, 0);
	free(shown);
	env_down(&e);
}

/* ---- monitors ---- */

static bool wait_change(struct env *e)
{
	for (int i = 0; i < 200; i++) {
		if (vg_gpu_display_changed(e->gpu))
			return true;
		sleep_ms(5);
	}
	return false;
}

/* The head's EDID as the driver has it, with byte `at` changed (and the
 * checksum fixed): another monitor of the same EDID size. */
static void other_monitor(struct env *e, unsigned head, uint8_t *edid,
			  uint32_t *size, unsigned at)
{
	struct vg_display d;
	assert_int_equal(vg_gpu_get_display(e->gpu, head, &d), VG_OK);
	assert_true(d.edid_size >= 128);
	memcpy(edid, d.edid, d.edid_size);
	*size = d.edid_size;
	edid[at] ^= 0x5a;
	uint8_t sum = 0;
	for (int i = 0; i < 127; i++)
		sum = (uint8_t)(sum + edid[i]);
	edid[127] = (uint8_t)-sum;
}

static void test_same_size_edid_change_is_reported(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.num_scanouts = 2};
	static uint8_t edid[1024];
	uint32_t size = 0, changed = 0;
	struct vg_display d;

	cfg.xres[1] = 800;
	cfg.yres[1] = 600;
	env_up(&e, &cfg, 500);
	/* Head 1's monitor is swapped for one differing in its serial
	 * number (bytes 12..15) only. */
	other_monitor(&e, 1, edid, &size, 13);
	assert_int_equal(vg_sim_set_edid(e.sim, 1, edid, size), VG_OK);
	assert_true(wait_change(&e));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 1u << 1);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d), VG_OK);
	assert_int_equal(d.edid_size, size);
	assert_memory_equal(d.edid, edid, size);
	/* The same EDID again: an event, but nothing changed. */
	assert_int_equal(vg_sim_set_edid(e.sim, 1, edid, size), VG_OK);
	assert_true(wait_change(&e));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(vg_sim_set_edid(e.sim, 2, edid, size), VG_E_INVAL);
	assert_int_equal(vg_sim_set_edid(e.sim, 0, edid, 0), VG_E_INVAL);
	env_down(&e);
}

/* gpu.h: coming up, "display info and EDIDs [are] re-read (a monitor may
 * have changed while asleep)". */
static void test_monitor_swapped_while_asleep(void **state)
{
	(void)state;
	struct env e = {0};
	static uint8_t edid[1024];
	uint32_t size = 0;
	struct vg_display d;

	env_up(&e, NULL, 500);
	free(show_640x480(&e));
	other_monitor(&e, 0, edid, &size, 14);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(vg_sim_set_edid(e.sim, 0, edid, size), VG_OK);
	assert_int_equal(vg_sim_power_cycle(e.sim, false), VG_OK);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d), VG_OK);
	assert_int_equal(d.edid_size, size);
	assert_memory_equal(d.edid, edid, size);
	env_down(&e);
}

/* Everything the device writes is untrusted: an EDID size beyond the
 * 1024-byte field the answer has is refused, one that fits is taken. */
static void test_edid_size_beyond_the_field_is_refused(void **state)
{
	(void)state;
	/* 1-2 bring-up; the refresh sends 3 GET_DISPLAY_INFO, 4 GET_EDID. */
	static const struct {
		const char *spec;
		vg_status st;
		uint32_t size; /* when accepted */
	} cases[] = {
		{"edid-size:cmd=4@1025", VG_E_PROTOCOL, 0},
		{"edid-size:cmd=4@1048", VG_E_PROTOCOL, 0},
		{"edid-size:cmd=4@4294967295", VG_E_PROTOCOL, 0},
		{"edid-size:cmd=4@1024", VG_OK, 1024},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct env e = {0};
		struct vg_sim_config cfg = {.faults = cases[i].spec};
		struct vg_display d;
		env_up(&e, &cfg, 500);
		assert_int_equal(vg_gpu_refresh_displays(e.gpu), cases[i].st);
		assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d), VG_OK);
		/* Never more than the field, whatever is kept of the lie. */
		if (cases[i].st == VG_OK)
			assert_int_equal(d.edid_size, cases[i].size);
		else
			assert_true(d.edid_size <= 1024);
		env_down(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_late_completions),
		cmocka_unit_test(test_reset_takes_back_abandoned_requests),
		cmocka_unit_test(test_failed_mode_set_keeps_the_picture_alloc),
		cmocka_unit_test(test_failed_mode_set_keeps_the_picture_device),
		cmocka_unit_test(test_cursor_state_reaches_the_device),
		cmocka_unit_test(test_cursor_comes_back_after_reset),
		cmocka_unit_test(test_cursor_comes_back_after_sleep),
		cmocka_unit_test(test_cursor_comes_back_after_hibernate),
		cmocka_unit_test(test_stalled_present_fails_within_one_timeout),
		cmocka_unit_test(test_dirty_rects_are_clipped),
		cmocka_unit_test(test_same_size_edid_change_is_reported),
		cmocka_unit_test(test_monitor_swapped_while_asleep),
		cmocka_unit_test(test_edid_size_beyond_the_field_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
