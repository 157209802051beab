// SPDX-License-Identifier: MIT
/*
 * A device that stalls, asks for a reset or completes after the driver
 * gave up: the watchdog (or auto-recovery) resets it, the picture comes
 * back exactly, and nothing leaks or is touched after it was freed.
 *
 * Command numbers on a one-head device: 1 GET_DISPLAY_INFO, 2 GET_EDID,
 * 3 CREATE_2D, 4 ATTACH_BACKING, 5 SET_SCANOUT, 6 TRANSFER, 7 FLUSH (the
 * first present), 8 TRANSFER, 9 FLUSH (the second).
 */
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "sim_env.h"

#define W 320
#define H 200

/* Mode set and a first present that the device completes. */
static struct vg_fb *show_first_frame(struct env *e)
{
	struct vg_fb *fb = NULL;
	assert_int_equal(vg_fb_create(e->gpu, W, H, &fb), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e->gpu, 0, fb), VG_OK);
	draw(fb, NULL, 1);
	assert_int_equal(vg_gpu_present(e->gpu, fb, NULL, 0), VG_OK);
	return fb;
}

static void test_stall_mid_present_watchdog_resets(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.faults = "stall:cmd=9"};
	struct vg_gpu_stats st;
	bool did = false;

	env_up(&e, &cfg, 200);
	struct vg_fb *fb = show_first_frame(&e);
	/* Healthy device: the watchdog does nothing. */
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_false(did);

	draw(fb, NULL, 2);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TIMEOUT);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_true(did);
	/* The frame drawn before the stall is what the reset shows. */
	assert_shows(e.sim, 0, fb);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.resets, 1);
	assert_int_equal(st.live_resources, 1);
	assert_true(st.timeouts >= 1);
	/* And the driver keeps working. */
	draw(fb, NULL, 3);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_shows(e.sim, 0, fb);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_needs_reset_is_noticed(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.faults = "needs-reset:cmd=8"};
	bool did = false;

	env_up(&e, &cfg, 200);
	struct vg_fb *fb = show_first_frame(&e);
	draw(fb, NULL, 4);
	assert_int_not_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_true(did);
	assert_shows(e.sim, 0, fb);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_auto_recover_without_the_callers_help(void **state)
{
	(void)state;
	struct env e = {.auto_recover = true};
	struct vg_sim_config cfg = {.faults = "stall:cmd=9"};
	struct vg_gpu_stats st;

	env_up(&e, &cfg, 200);
	struct vg_fb *fb = show_first_frame(&e);
	draw(fb, NULL, 5);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TIMEOUT);
	/* The next call resets first, then presents. */
	draw(fb, NULL, 6);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_shows(e.sim, 0, fb);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.resets, 1);
	vg_fb_destroy(fb);
	env_down(&e);
}

/* With auto_recover, a mode set that fails by a timeout undoes itself with
 * internal operations: the undo never resets the device (the next call
 * does, once). */
static void test_set_mode_undo_never_resets(void **state)
{
	(void)state;
	struct env e = {.auto_recover = true};
	/* 1-2 bring-up; 640x480 is 3-7, its present 8-9; 800x600:
	 * 10 CREATE, 11 ATTACH, 12 SET_SCANOUT, 13 TRANSFER (dropped), 14
	 * FLUSH. */
	struct vg_sim_config cfg = {.faults = "drop:cmd=13"};
	struct vg_gpu_stats st;

	env_up(&e, &cfg, 100);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 640, 480), VG_OK);
	struct vg_fb *old = vg_gpu_head_fb(e.gpu, 0);
	draw(old, NULL, 9);
	assert_int_equal(vg_gpu_present(e.gpu, old, NULL, 0), VG_OK);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 800, 600), VG_E_TIMEOUT);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.resets, 0);
	assert_ptr_equal(vg_gpu_head_fb(e.gpu, 0), old);
	assert_shows(e.sim, 0, old); /* the undo put the old mode back */
	/* The next call recovers first, then presents. */
	assert_int_equal(vg_gpu_present(e.gpu, old, NULL, 0), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.resets, 1);
	assert_shows(e.sim, 0, old);
	env_down(&e);
}

static void test_late_completion_across_reset(void **state)
{
	(void)state;
	struct env e = {0};
	/* The second present's transfer completes 400 ms late: after the
	 * driver gave up (100 ms) and after the reset. */
	struct vg_sim_config cfg = {.faults = "late:cmd=8@400"};
	bool did = false;

	env_up(&e, &cfg, 100);
	struct vg_fb *fb = show_first_frame(&e);
	draw(fb, NULL, 7);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TIMEOUT);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_true(did);
	sleep_ms(500); /* past the late completion's time */
	draw(fb, NULL, 8);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_shows(e.sim, 0, fb);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_cursor_survives_reset(void **state)
{
	(void)state;
	struct env e = {0};
	/* 6,7 present; 8 cursor CREATE, 9 ATTACH, 10 TRANSFER, then the
	 * cursor queue; 11 is the next present's transfer. */
	struct vg_sim_config cfg = {.faults = "stall:cmd=11"};
	static uint32_t img[64 * 64];
	struct vg_gpu_stats st;

	for (int i = 0; i < 64 * 64; i++)
		img[i] = 0xff000000u | (uint32_t)i;
	env_up(&e, &cfg, 200);
	struct vg_fb *fb = show_first_frame(&e);
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 0, img, 1, 2, 30, 40),
			 VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TIMEOUT);
	assert_int_equal(vg_gpu_watchdog(e.gpu, NULL), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	/* fb and cursor rebuilt on the device. */
	assert_int_equal(st.live_resources, 2);
	struct vg_sim_counters c;
	vg_sim_get_counters(e.sim, &c);
	assert_int_equal(c.live_resources, 2);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 50, 60), VG_OK);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_destroy_while_hung_leaks_nothing(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.faults = "stall:cmd=8"};

	env_up(&e, &cfg, 100);
	struct vg_fb *fb = show_first_frame(&e);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TIMEOUT);
	/* No watchdog: destroy a hung device with a live framebuffer. */
	vg_fb_destroy(fb);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall_mid_present_watchdog_resets),
		cmocka_unit_test(test_needs_reset_is_noticed),
		cmocka_unit_test(test_auto_recover_without_the_callers_help),
		cmocka_unit_test(test_set_mode_undo_never_resets),
		cmocka_unit_test(test_late_completion_across_reset),
		cmocka_unit_test(test_cursor_survives_reset),
		cmocka_unit_test(test_destroy_while_hung_leaks_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
