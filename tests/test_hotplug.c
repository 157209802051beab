// SPDX-License-Identifier: MIT
/*
 * Hot-plug and resize on the device model: the config-change interrupt
 * is noticed, the changed heads are reported exactly, and following them
 * gives each head a mode of the size the host asks for, as when a VM
 * window is resized, with the right picture.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "viogpu/display.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "sim_env.h"

/* Waits (bounded) for the device's display event to reach the driver. */
static bool wait_change(struct env *e)
{
	for (int i = 0; i < 200; i++) {
		if (vg_gpu_display_changed(e->gpu))
			return true;
		sleep_ms(5);
	}
	return false;
}

static void show_head(struct env *e, uint32_t head, uint32_t seed)
{
	struct vg_fb *fb = vg_gpu_head_fb(e->gpu, head);
	assert_non_null(fb);
	draw(fb, NULL, seed);
	assert_int_equal(vg_gpu_present(e->gpu, fb, NULL, 0), VG_OK);
	assert_shows(e->sim, head, fb);
}

/* What the display-change callback saw. */
struct pushed {
	atomic_int calls;
	atomic_int on_caller_thread; /* calls made on the test's thread */
	pthread_t caller;
};

static void on_display_change(void *ctx)
{
	struct pushed *p = ctx;
	if (pthread_equal(pthread_self(), p->caller))
		atomic_fetch_add(&p->on_caller_thread, 1);
	atomic_fetch_add(&p->calls, 1);
}

static bool wait_pushed(struct pushed *p, int min)
{
	for (int i = 0; i < 200 && atomic_load(&p->calls) < min; i++)
		sleep_ms(5);
	return atomic_load(&p->calls) >= min;
}

static void test_display_change_is_pushed(void **state)
{
	(void)state;
	struct pushed p = {.caller = pthread_self()};
	struct env e = {.on_display_change = on_display_change,
			.display_change_ctx = &p};
	uint32_t changed = 0;

	env_up(&e, NULL, 500);
	assert_int_equal(atomic_load(&p.calls), 0);
	assert_int_equal(vg_sim_set_display(e.sim, 0, true, 1600, 900), VG_OK);
	assert_true(wait_pushed(&p, 1));
	/* From the deferred routine, not the caller's thread; the register
	 * agrees until the layer above acknowledges the change. */
	assert_int_equal(atomic_load(&p.on_caller_thread), 0);
	assert_true(vg_gpu_display_changed(e.gpu));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 1);
	assert_false(vg_gpu_display_changed(e.gpu));
	/* Each change is pushed again. */
	assert_int_equal(vg_sim_set_display(e.sim, 0, true, 1280, 720), VG_OK);
	assert_true(wait_pushed(&p, 2));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 1);
	env_down(&e);
}

static void test_lost_config_irq_still_shows(void **state)
{
	(void)state;
	struct pushed p = {.caller = pthread_self()};
	struct env e = {.on_display_change = on_display_change,
			.display_change_ctx = &p};
	struct vg_sim_config cfg = {.lose_config_irq = true};
	uint32_t changed = 0;

	env_up(&e, &cfg, 500);
	assert_int_equal(vg_sim_set_display(e.sim, 0, true, 1600, 900), VG_OK);
	/* No interrupt, so no call; the register still tells. */
	assert_true(wait_change(&e));
	sleep_ms(50);
	assert_int_equal(atomic_load(&p.calls), 0);
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 1);
	assert_false(vg_gpu_display_changed(e.gpu));
	env_down(&e);
}

static void test_window_resize_is_followed(void **state)
{
	(void)state;
	struct env e = {0};
	uint32_t changed = 0;

	env_up(&e, NULL, 500);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 1024, 768), VG_OK);
	show_head(&e, 0, 1);
	assert_false(vg_gpu_display_changed(e.gpu));

	/* The user drags the VM window to 1600x900. */
	assert_int_equal(vg_sim_set_display(e.sim, 0, true, 1600, 900), VG_OK);
	assert_true(wait_change(&e));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 1);
	assert_false(vg_gpu_display_changed(e.gpu)); /* acknowledged */
	struct vg_display d;
	assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d), VG_OK);
	assert_int_equal(d.rect.width, 1600);
	assert_int_equal(d.rect.height, 900);
	assert_int_equal(vg_gpu_follow_displays(e.gpu, changed), VG_OK);
	assert_int_equal(vg_fb_width(vg_gpu_head_fb(e.gpu, 0)), 1600);
	show_head(&e, 0, 2);

	/* Following an unchanged head does nothing. */
	struct vg_fb *same = vg_gpu_head_fb(e.gpu, 0);
	assert_int_equal(vg_gpu_follow_displays(e.gpu, 1), VG_OK);
	assert_ptr_equal(vg_gpu_head_fb(e.gpu, 0), same);
	env_down(&e);
}

static void test_plug_and_unplug_a_second_head(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.num_scanouts = 2};
	uint32_t changed = 0;

	env_up(&e, &cfg, 500);
	struct vg_display d;
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d), VG_OK);
	assert_false(d.enabled);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 800, 600), VG_OK);
	show_head(&e, 0, 3);

	/* A second monitor appears. */
	assert_int_equal(vg_sim_set_display(e.sim, 1, true, 1280, 720), VG_OK);
	assert_true(wait_change(&e));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 2);
	assert_int_equal(vg_gpu_get_display(e.gpu, 1, &d), VG_OK);
	assert_true(d.enabled);
	assert_true(d.edid_size >= 128); /* its EDID was read too */
	assert_int_equal(vg_gpu_follow_displays(e.gpu, changed), VG_OK);
	show_head(&e, 1, 4);
	show_head(&e, 0, 5); /* head 0 untouched */

	/* And goes away again: its scanout is switched off. */
	assert_int_equal(vg_sim_set_display(e.sim, 1, false, 0, 0), VG_OK);
	assert_true(wait_change(&e));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 2);
	assert_int_equal(vg_gpu_follow_displays(e.gpu, changed), VG_OK);
	uint32_t *px = NULL, w = 0, h = 0;
	assert_int_equal(vg_sim_screendump(e.sim, 1, &px, &w, &h), VG_E_INVAL);
	env_down(&e);
}

static void test_event_storm_changes_nothing(void **state)
{
	(void)state;
	struct env e = {0};
	/* 50 display events around the first mode set's transfer. */
	struct vg_sim_config cfg = {.faults = "event-storm:cmd=6@50"};
	uint32_t changed = 123;

	env_up(&e, &cfg, 500);
	assert_int_equal(vg_gpu_set_mode(e.gpu, 0, 640, 480), VG_OK);
	assert_true(wait_change(&e));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 0);
	struct vg_fb *fb = vg_gpu_head_fb(e.gpu, 0);
	assert_int_equal(vg_gpu_follow_displays(e.gpu, changed), VG_OK);
	assert_ptr_equal(vg_gpu_head_fb(e.gpu, 0), fb);
	show_head(&e, 0, 6);
	env_down(&e);
}

/* A change made while the driver reads the display state (its GET_EDID
 * held 200 ms) must still be pending afterwards: the event is
 * acknowledged before the reading, so only what the reading saw is
 * acknowledged.  Every config interrupt is lost here, so the register is
 * all that tells. */
struct injector {
	struct vg_sim *sim;
	uint64_t base;
	atomic_int injected;
};

static uint64_t sim_commands(struct vg_sim *sim)
{
	struct vg_sim_counters c;
	vg_sim_get_counters(sim, &c);
	return c.commands;
}

static void *inject_during_reading(void *arg)
{
	struct injector *in = arg;
	/* GET_DISPLAY_INFO and GET_EDID executed; GET_EDID's completion
	 * held 200 ms, so the driver is still reading. */
	for (int i = 0; i < 5000 && sim_commands(in->sim) < in->base + 2; i++)
		sleep_ms(1);
	sleep_ms(20);
	if (vg_sim_set_display(in->sim, 0, true, 1280, 720) != VG_OK)
		abort();
	atomic_store(&in->injected, 1);
	return NULL;
}

static void test_change_during_the_reading_is_kept(void **state)
{
	(void)state;
	struct env e = {0};
	struct vg_sim_config cfg = {.lose_config_irq = true,
				    .faults = "delay:type=GET_EDID@200"};
	struct injector in = {0};
	uint32_t changed = 0;
	pthread_t th;

	env_up(&e, &cfg, 2000);
	assert_int_equal(vg_sim_set_display(e.sim, 0, true, 1600, 900), VG_OK);
	assert_true(wait_change(&e));
	in.sim = e.sim;
	in.base = sim_commands(e.sim);
	assert_int_equal(pthread_create(&th, NULL, inject_during_reading, &in),
			 0);
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	pthread_join(th, NULL);
	assert_int_equal(atomic_load(&in.injected), 1);
	assert_int_equal(changed, 1);
	/* The second change was not acknowledged with the first. */
	assert_true(vg_gpu_display_changed(e.gpu));
	assert_int_equal(vg_gpu_update_displays(e.gpu, &changed), VG_OK);
	assert_int_equal(changed, 1);
	struct vg_display d;
	assert_int_equal(vg_gpu_get_display(e.gpu, 0, &d), VG_OK);
	assert_int_equal(d.rect.width, 1280);
	assert_int_equal(d.rect.height, 720);
	assert_false(vg_gpu_display_changed(e.gpu));
	env_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_display_change_is_pushed),
		cmocka_unit_test(test_lost_config_irq_still_shows),
		cmocka_unit_test(test_window_resize_is_followed),
		cmocka_unit_test(test_plug_and_unplug_a_second_head),
		cmocka_unit_test(test_event_storm_changes_nothing),
		cmocka_unit_test(test_change_during_the_reading_is_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
