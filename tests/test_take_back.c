// SPDX-License-Identifier: MIT
/*
 * Recovery in two halves, as Windows runs it (power.h): vg_gpu_take_back
 * resets the device and leaves it owning nothing, every call that would
 * talk to it is refused with VG_E_TAKEN_BACK and sends nothing, and
 * vg_gpu_restart brings back exactly what was shown: the framebuffer on
 * its head and the cursor.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "sim_env.h"

#define W 320
#define H 200

static uint32_t cursor_img[64 * 64];

/* A caller's framebuffer on head 0 with a picture, and a cursor. */
static struct vg_fb *show_picture(struct env *e)
{
	struct vg_fb *fb = NULL;
	assert_int_equal(vg_fb_create(e->gpu, W, H, &fb), VG_OK);
	assert_int_equal(vg_gpu_set_scanout(e->gpu, 0, fb), VG_OK);
	draw(fb, NULL, 7);
	assert_int_equal(vg_gpu_present(e->gpu, fb, NULL, 0), VG_OK);
	for (int i = 0; i < 64 * 64; i++)
		cursor_img[i] = 0xff000000u | (uint32_t)i * 3u;
	assert_int_equal(
		vg_gpu_cursor_update(e->gpu, 0, cursor_img, 5, 9, 30, 40),
		VG_OK);
	return fb;
}

static uint32_t *screendump(struct vg_sim *sim, uint32_t *w, uint32_t *h)
{
	uint32_t *px = NULL;
	assert_int_equal(vg_sim_screendump(sim, 0, &px, w, h), VG_OK);
	return px;
}

/* The device holds no resource, backing, host memory, scanout or cursor. */
static void assert_device_holds_nothing(struct vg_sim *sim)
{
	struct vg_sim_counters c;
	struct vg_sim_cursor cur;
	uint32_t *px = NULL, w = 0, h = 0;

	vg_sim_get_counters(sim, &c);
	assert_int_equal(c.live_resources, 0);
	assert_int_equal(c.attached_backings, 0);
	assert_int_equal(c.hostmem_bytes, 0);
	assert_int_equal(vg_sim_screendump(sim, 0, &px, &w, &h), VG_E_INVAL);
	assert_null(px);
	assert_int_equal(vg_sim_get_cursor(sim, 0, &cur), VG_OK);
	assert_false(cur.visible);
	assert_int_equal(cur.resource_id, 0);
}

static void test_take_back_refuses_then_restart_restores(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_counters c0, c1;
	struct vg_gpu_stats st;
	struct vg_sim_cursor cur;
	uint32_t bw = 0, bh = 0, aw = 0, ah = 0;
	bool did = true;

	env_up(&e, NULL, 500);
	struct vg_fb *fb = show_picture(&e);
	uint32_t *before = screendump(e.sim, &bw, &bh);

	assert_int_equal(vg_gpu_take_back(e.gpu), VG_OK);
	assert_device_holds_nothing(e.sim);

	/* Refused, at once and without a word to the device. */
	vg_sim_get_counters(e.sim, &c0);
	struct vg_fb *fb2 = (struct vg_fb *)&e; /* must be cleared */
	assert_int_equal(vg_fb_create(e.gpu, 64, 64, &fb2), VG_E_TAKEN_BACK);
	assert_null(fb2);
	assert_int_equal(vg_gpu_set_scanout(e.gpu, 0, fb), VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_cursor_move(e.gpu, 0, 1, 2), VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_cursor_update(e.gpu, 0, cursor_img, 0, 0, 0, 0),
			 VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_refresh_displays(e.gpu), VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 640, 480), VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_E_TAKEN_BACK);
	assert_int_equal(vg_gpu_power_state(e.gpu), VG_POWER_D0);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_E_TAKEN_BACK);
	assert_false(did);
	/* A second take-back has nothing to do. */
	assert_int_equal(vg_gpu_take_back(e.gpu), VG_OK);
	vg_sim_get_counters(e.sim, &c1);
	assert_int_equal(c1.commands, c0.commands);
	assert_int_equal(c1.resets, c0.resets);
	assert_device_holds_nothing(e.sim);
	/* The getters still answer. */
	struct vg_gpu_info info;
	vg_gpu_get_info(e.gpu, &info);
	assert_int_equal(info.num_scanouts, 1);
	assert_non_null(vg_fb_pixels(fb));

	assert_int_equal(vg_gpu_restart(e.gpu), VG_OK);
	uint32_t *after = screendump(e.sim, &aw, &ah);
	assert_int_equal(aw, bw);
	assert_int_equal(ah, bh);
	assert_memory_equal(after, before, (size_t)bw * bh * 4);
	assert_int_equal(vg_sim_get_cursor(e.sim, 0, &cur), VG_OK);
	assert_true(cur.visible);
	assert_int_equal(cur.hot_x, 5);
	assert_int_equal(cur.hot_y, 9);
	assert_int_equal(cur.x, 30);
	assert_int_equal(cur.y, 40);
	assert_memory_equal(cur.image, cursor_img, sizeof(cursor_img));
	vg_gpu_get_stats(e.gpu, &st);
	assert_int_equal(st.resets, 1);
	assert_int_equal(st.live_resources, 2); /* fb and the cursor */

	/* Calls work again; a restart with nothing taken back does nothing. */
	vg_sim_get_counters(e.sim, &c0);
	assert_int_equal(vg_gpu_restart(e.gpu), VG_OK);
	vg_sim_get_counters(e.sim, &c1);
	assert_int_equal(c1.commands, c0.commands);
	draw(fb, NULL, 8);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	assert_shows(e.sim, 0, fb);
	assert_int_equal(vg_gpu_watchdog(e.gpu, &did), VG_OK);
	assert_false(did);

	free(before);
	free(after);
	vg_fb_destroy(fb);
	env_down(&e);
}

/* vg_gpu_reset after a take-back is the restart. */
static void test_reset_after_take_back_restarts(void **state)
{
	(void)state;
	struct env e = {0};

	env_up(&e, NULL, 500);
	struct vg_fb *fb = show_picture(&e);
	assert_int_equal(vg_gpu_take_back(e.gpu), VG_OK);
	assert_device_holds_nothing(e.sim);
	assert_int_equal(vg_gpu_reset(e.gpu), VG_OK);
	assert_shows(e.sim, 0, fb);
	assert_int_equal(vg_gpu_present(e.gpu, fb, NULL, 0), VG_OK);
	vg_fb_destroy(fb);
	env_down(&e);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Framebuffers and the gpu destroyed while taken back: nothing is sent to
 * the reset device (which would leave it unanswered until the command
 * timeout) and nothing leaks (env_down checks). */
static void test_destroy_while_taken_back(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_counters c0, c1;

	env_up(&e, NULL, 3000);
	struct vg_fb *fb = show_picture(&e);
	/* The mode framebuffer replaces fb on head 0. */
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 640, 480), VG_OK);
	assert_int_equal(vg_gpu_take_back(e.gpu), VG_OK);
	vg_sim_get_counters(e.sim, &c0);
	assert_int_equal(vg_fb_destroy(fb), VG_OK);
	vg_sim_get_counters(e.sim, &c1);
	assert_int_equal(c1.commands, c0.commands);
	/* Left: head 0's mode framebuffer, on the head, and the cursor. */
	double t0 = now_ms();
	vg_gpu_destroy(e.gpu);
	e.gpu = NULL;
	assert_true(now_ms() - t0 < 1500);
	env_down(&e);
}

/* Outside D0 both halves are refused like every other device call. */
static void test_take_back_in_d3_is_refused(void **state)
{
	(void)state;
	struct env e = {0};

	env_up(&e, NULL, 500);
	struct vg_fb *fb = show_picture(&e);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D3, VG_POWER_SLEEP),
			 VG_OK);
	assert_int_equal(vg_gpu_take_back(e.gpu), VG_E_POWER);
	assert_int_equal(vg_gpu_restart(e.gpu), VG_E_POWER);
	assert_int_equal(vg_gpu_set_power(e.gpu, VG_POWER_D0, VG_POWER_SLEEP),
			 VG_OK);
	assert_shows(e.sim, 0, fb);
	vg_fb_destroy(fb);
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_back_refuses_then_restart_restores),
		cmocka_unit_test(test_reset_after_take_back_restarts),
		cmocka_unit_test(test_destroy_while_taken_back),
		cmocka_unit_test(test_take_back_in_d3_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
