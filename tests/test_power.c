// SPDX-License-Identifier: MIT
/*
 * D0 <-> D3 on the device model: the picture, the cursor and the mode of
 * every head come back after sleep (device keeps its state) and hibernate
 * (device loses everything); calls in D3 get VG_E_POWER; a device that
 * stops in the middle of a resume, a present or a mode set is reset and
 * the picture restored; nothing leaks, on the driver's side or the
 * device's.
 */
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "sim_env.h"

#define W 320
#define H 200

struct heads2 {
	struct vg_fb *fb[2];
};

static void show_two_heads(struct env *e, struct heads2 *hd)
{
	for (int h = 0; h < 2; h++) {
		assert_int_equal(vg_fb_create(e->gpu, W, H, &hd->fb[h]), VG_OK);
		assert_int_equal(
			vg_gpu_set_scanout(e->gpu, (uint32_t)h, hd->fb[h]),
			VG_OK);
		draw(hd->fb[h], NULL, 10u + (uint32_t)h);
		assert_int_equal(vg_gpu_present(e->gpu, hd->fb[h], NULL, 0),
				 VG_OK);
	}
}

static void expect_heads(struct env *e, struct heads2 *hd)
{
	for (int h = 0; h < 2; h++) {
		assert_shows(e->sim, (unsigned)h, hd->fb[h]);
	}
}

static unsigned device_resources(struct env *e)
{
	struct vg_sim_counters c;
	vg_sim_get_counters(e->sim, &c);
	return c.live_resources;
}

static void cycle(struct env *e, bool hibernate)
{
	enum vg_power_reason why =
		hibernate ? VG_POWER_HIBERNATE : VG_POWER_SLEEP;
	assert_int_equal(vg_gpu_set_power(e->gpu, VG_POWER_D3, why), VG_OK);
	assert_int_equal(vg_gpu_power_state(e->gpu), VG_POWER_D3);
	/* Going down released every host resource. */
	assert_int_equal(device_resources(e), 0);
	assert_int_equal(vg_sim_power_cycle(e->sim, hibernate), VG_OK);
	assert_int_equal(vg_gpu_set_power(e->gpu, VG_POWER_D0, why), VG_OK);
	assert_int_equal(vg_gpu_power_state(e->gpu), VG_POWER_D0);
}

static void run_cycles(bool hibernate)
{
	struct env e = {0};
	struct vg_sim_config cfg = {.num_scanouts = 2};
	struct heads2 hd;
	static uint32_t cur[64 * 64];
	struct vg_gpu_stats st;

	for (int i = 0; i < 64 * 64; i++)
		cur[i] = 0xff000000u | (uint32_t)i * 77u;
	env_up(&e, &cfg, 500);
	show_two_heads(&e, &hd);
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 1, cur, 3, 4, 50, 60),
			 VG_OK);
	for (int n = 0; n < 25; n++) {
		cycle(&e, hibernate);
		expect_heads(&e, &hd);
		/* fbs + cursor, on both sides. */
		assert_int_equal(device_resources(&e), 3);
		vg_gpu_get_stats(e.gpu, &st);
		assert_int_equal(st.live_resources, 3);
	}
	/* The cursor came back too: moving it works and the device knows
	 * its resource. */
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 1, 70, 80), VG_OK);
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.power_cycles, 25);
	assert_int_equal(st.resets, 0);
	vg_fb_destroy(hd.fb[0]);
	vg_fb_destroy(hd.fb[1]);
	env_down(&e);
}

static void test_sleep_cycles(void **state)
{
	(void)state;
	run_cycles(false);
}

static void test_hibernate_cycles(void **state)
{
	(void)state;
	run_cycles(true);
}

static void test_calls_in_d3(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_fb *fb = NULL, *other = NULL;
	bool did = true;

	env_up(&e, NULL, 500);
	assert_int_equal(vg_fb_create(e.gpu, W, H, &fb), VG_OK);
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &other), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_OK);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_OK);
	/* D3 twice is no error. */
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_POWER);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, NULL), VG_E_POWER);
	struct vg_fb *nfb = NULL;
	assert_int_equal(vg_fb_create(e.gpu, 8, 8, &nfb), VG_E_POWER);
	assert_null(nfb);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 1, 1), VG_E_POWER);
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_E_POWER);
	assert_int_equal(vg_gpu_reset(e.gpu), VG_E_POWER);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_false(did);
	/* Driver memory stays usable; destroying works without a device. */
	draw(fb, NULL, 42);
	vg_fb_destroy(other);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_SLEEP),
			 VG_OK);
	/* What was drawn in D3 is on screen after D0. */
	assert_shows(e.sim, 0, fb);
	assert_int_equal(device_resources(&e), 1);
	vg_fb_destroy(fb);
	env_down(&e);
}

/* Command numbers: 1 DISPLAY_INFO, 2 EDID, 3 CREATE, 4 ATTACH,
 * 5 SET_SCANOUT, 6 TRANSFER, 7 FLUSH, 8 UNREF (D3); D0: 9 CREATE,
 * 10 ATTACH, 11 SET_SCANOUT, 12 TRANSFER, 13 FLUSH, 14 DISPLAY_INFO... */
static void test_reset_in_the_middle_of_resume(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.faults = "stall:cmd=12"};
	struct vg_fb *fb = NULL;
	bool did = false;

	env_up(&e, &cfg, 200);
	assert_int_equal(vg_fb_create(e.gpu, W, H, &fb), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_OK);
	draw(fb, NULL, 5);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_int_equal(
		vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_HIBERNATE),
		VG_OK);
	assert_int_equal(vg_sim_power_cycle(e.sim, true), VG_OK);
	/* The device stops while the picture is being rebuilt. */
	assert_int_equal(
		vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_HIBERNATE),
		VG_E_TIMEOUT);
	assert_int_equal(vg_gpu_power_state(e.gpu), VG_POWER_D0);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_true(did);
	assert_shows(e.sim, 0, fb);
	assert_int_equal(device_resources(&e), 1);
	vg_fb_destroy(fb);
	env_down(&e);
}

static void test_reset_in_the_middle_of_a_mode_set(void **state)
{
	(void)state;
	struct env e = {.auto_recover = true};
	/* 8 CREATE and 9 ATTACH of the new mode's fb; 9 stalls. */
	struct vg_sim_config cfg = {.faults = "stall:cmd=9"};
	struct vg_fb *old = NULL, *big = NULL;

	env_up(&e, &cfg, 200);
	assert_int_equal(vg_fb_create(e.gpu, W, H, &old), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, old), VG_OK);
	draw(old, NULL, 6);
	assert_int_equal(vg_gpu_present(e.gpu, old, NULL, 0), VG_OK);
	/* The mode set fails half-way; nothing of it is left behind. */
	assert_int_equal(vg_fb_create(e.gpu, 2 * W, 2 * H, &big), VG_E_TIMEOUT);
	assert_null(big);
	/* The next call recovers the device and the old mode's picture. */
	assert_int_equal(vg_fb_create(e.gpu, 2 * W, 2 * H, &big), VG_OK);
	assert_shows(e.sim, 0, old);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, big), VG_OK);
	draw(big, NULL, 7);
	assert_int_equal(vg_gpu_present(e.gpu, big, NULL, 0), VG_OK);
	assert_shows(e.sim, 0, big);
	vg_fb_destroy(old);
	vg_fb_destroy(big);
	assert_int_equal(device_resources(&e), 0);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sleep_cycles),
		cmocka_unit_test(test_hibernate_cycles),
		cmocka_unit_test(test_calls_in_d3),
		cmocka_unit_test(test_reset_in_the_middle_of_resume),
		cmocka_unit_test(test_reset_in_the_middle_of_a_mode_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
