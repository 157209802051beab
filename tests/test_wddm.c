// SPDX-License-Identifier: MIT
/*
 * The WDDM display-only layer (include/viogpu/dod.h) driven by the OS
 * model (dod/osmodel): every scenario must pass on the device model.
 * Also, directly: the level checker's verdicts, and the pointer DDIs
 * against the model's cursor state (hidden really hides).
 *
 * Arguments: scenario names to run (default: all of them, and the
 * direct tests).  VG_WDDM_DEVICE: a --device text replacing each
 * scenario's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dod_level.h"
#include "osmodel.h"
#include "viogpu/dod.h"
#include "viogpu/sim.h"

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
}

static void run_scenario(void **state)
{
	const struct osm_scenario *sc = *state;
	/* VG_WDDM_DEVICE runs the scenarios on another device (qemu). */
	struct osm_options opt = {.print = print_line,
				  .device = getenv("VG_WDDM_DEVICE")};
	struct osm_report rep;
	int rc = osm_run(sc, &opt, &rep);
	printf("%s: %u checks, %u failed\n", sc->name, rep.checks,
	       rep.failures);
	if (rc != 0)
		fail_msg("%s", rep.first_failure);
	assert_true(rep.checks >= 5);
}

/* ---- the level checker on its own ---- */

static void test_levels(void **state)
{
	(void)state;
	struct dod_levels l;
	memset(&l, 0, sizeof(l));
	/* A present in flight: second and third refused, pointer fine. */
	assert_true(dod_enter_present(&l));
	assert_false(dod_enter_second(&l, "CommitVidPn"));
	assert_false(dod_enter_third(&l, "SetPowerState"));
	assert_true(dod_enter_pointer(&l, "SetPointerPosition"));
	assert_true(dod_enter_present(&l)); /* zero level: reentrant */
	dod_exit_present(&l);
	/* Pointer class: one at a time. */
	assert_false(dod_enter_pointer(&l, "SetPointerShape"));
	dod_exit_pointer(&l);
	dod_exit_present(&l);
	assert_int_equal(l.violations, 3);
	/* Second level: one thread; presents refused while it runs. */
	assert_true(dod_enter_second(&l, "Escape"));
	assert_false(dod_enter_second(&l, "CommitVidPn"));
	assert_false(dod_enter_present(&l));
	assert_true(dod_enter_pointer(&l, "SetPointerPosition"));
	dod_exit_pointer(&l);
	dod_exit_second(&l);
	/* Child I/O: one per child, children independent. */
	assert_true(dod_enter_child(&l, 1, "QueryChildStatus"));
	assert_true(dod_enter_child(&l, 2, "QueryChildStatus"));
	assert_false(dod_enter_child(&l, 1, "QueryDeviceDescriptor"));
	assert_false(dod_enter_third(&l, "QueryChildRelations"));
	dod_exit_child(&l, 1);
	dod_exit_child(&l, 2);
	/* Third level: exclusive. */
	assert_true(dod_enter_third(&l, "StartDevice"));
	assert_false(dod_enter_third(&l, "StopDevice"));
	assert_false(dod_enter_child(&l, 0, "QueryChildStatus"));
	assert_false(dod_enter_pointer(&l, "SetPointerPosition"));
	assert_false(dod_enter_present(&l));
	dod_exit_third(&l);
	assert_int_equal(l.violations, 11);
	/* Zero-level calls that read the device: beside a commit, not
	 * beside a third-level call, and they hold one off. */
	assert_true(dod_enter_second(&l, "CommitVidPn"));
	assert_true(dod_enter_zero(&l, "IsSupportedVidPn"));
	dod_exit_second(&l);
	assert_false(dod_enter_third(&l, "StopDevice"));
	dod_exit_zero(&l);
	assert_true(dod_enter_third(&l, "SetPowerState"));
	assert_false(dod_enter_zero(&l, "EnumVidPnCofuncModality"));
	dod_exit_third(&l);
	assert_int_equal(l.violations, 13);
	/* Refusals leave nothing behind: everything enters again. */
	assert_true(dod_enter_third(&l, "RemoveDevice"));
	dod_exit_third(&l);
	assert_int_equal(atomic_load(&l.presents), 0);
	assert_int_equal(atomic_load(&l.second), 0);
	assert_int_equal(atomic_load(&l.pointer), 0);
	assert_int_equal(atomic_load(&l.zero), 0);
}

/* ---- pointer DDIs against the model's cursor ---- */

static void test_pointer(void **state)
{
	(void)state;
	struct vg_sim_config cfg = {.num_scanouts = 2};
	cfg.xres[1] = 800, cfg.yres[1] = 600;
	struct vg_sim *sim;
	assert_int_equal(vg_sim_create(&cfg, &sim), VG_OK);
	struct vg_dod *d;
	assert_int_equal(vg_dod_add_device(vg_sim_os(sim), &d), VG_NT_SUCCESS);
	uint32_t n = 0;
	assert_int_equal(vg_dod_start_device(d, NULL, &n), VG_NT_SUCCESS);
	assert_int_equal(n, 2);
	struct vg_dod_path p[2] = {{0, 0, 1024, 768, VG_ROTATE_0, true},
				   {1, 1, 800, 600, VG_ROTATE_0, true}};
	assert_int_equal(vg_dod_commit_vidpn(d, p, 2), VG_NT_SUCCESS);

	/* A shape before any position: kept, nothing shown yet. */
	uint32_t color[16 * 16];
	for (int i = 0; i < 256; i++)
		color[i] = 0xff00ff00u;
	struct vg_cursor_shape sh = {VG_CURSOR_COLOR, color, 16, 16, 64, 2, 3};
	assert_int_equal(vg_dod_set_pointer_shape(d, 0, &sh), VG_NT_SUCCESS);
	struct vg_sim_cursor c;
	vg_sim_get_cursor(sim, 0, &c);
	assert_false(c.visible);
	assert_int_equal(vg_dod_set_pointer_position(d, 0, 100, 200, true),
			 VG_NT_SUCCESS);
	vg_sim_get_cursor(sim, 0, &c);
	assert_true(c.visible);
	assert_int_equal(c.x, 100);
	assert_int_equal(c.y, 200);
	assert_int_equal(c.image[0], 0xff00ff00u);

	/* Hidden really hides, and the position is not reset to (0,0). */
	assert_int_equal(vg_dod_set_pointer_position(d, 0, 300, 300, false),
			 VG_NT_SUCCESS);
	vg_sim_get_cursor(sim, 0, &c);
	assert_false(c.visible);
	assert_int_equal(c.x, 100);
	assert_int_equal(c.y, 200);

	/* Monochrome (AND then XOR, each 16 rows) and masked color while
	 * hidden, then shown on source 1: the old head loses it. */
	uint8_t mono[2 * 16 * 2];
	memset(mono, 0, 32);	     /* AND 0 */
	memset(mono + 32, 0xff, 32); /* XOR 1: white */
	struct vg_cursor_shape ms = {
		VG_CURSOR_MONOCHROME, mono, 16, 32, 2, 0, 0};
	assert_int_equal(vg_dod_set_pointer_shape(d, 1, &ms), VG_NT_SUCCESS);
	assert_int_equal(vg_dod_set_pointer_position(d, 1, 50, 60, true),
			 VG_NT_SUCCESS);
	vg_sim_get_cursor(sim, 1, &c);
	assert_true(c.visible);
	assert_int_equal(c.image[0] & 0xffffffu, 0xffffff);
	uint32_t masked[8 * 8];
	for (int i = 0; i < 64; i++)
		masked[i] = i < 32 ? 0x00ff0000u : 0xff000000u;
	struct vg_cursor_shape mk = {
		VG_CURSOR_MASKED_COLOR, masked, 8, 8, 32, 0, 0};
	assert_int_equal(vg_dod_set_pointer_shape(d, 1, &mk), VG_NT_SUCCESS);
	vg_sim_get_cursor(sim, 1, &c);
	assert_int_equal(c.image[0], 0xffff0000u);  /* replace: opaque red */
	assert_int_equal(c.image[4 * 64] >> 24, 0); /* XOR 0: transparent */
	/* Moving to source 0 hides it on 1. */
	assert_int_equal(vg_dod_set_pointer_position(d, 0, 10, 10, true),
			 VG_NT_SUCCESS);
	vg_sim_get_cursor(sim, 1, &c);
	assert_false(c.visible);
	vg_sim_get_cursor(sim, 0, &c);
	assert_true(c.visible);

	/* Too big, and a source that does not exist. */
	sh.width = 65;
	assert_int_equal(vg_dod_set_pointer_shape(d, 0, &sh),
			 VG_NT_INVALID_PARAMETER);
	assert_int_equal(vg_dod_set_pointer_position(d, 5, 0, 0, true),
			 VG_NT_INVALID_PARAMETER);

	assert_int_equal(vg_dod_stop_device(d), VG_NT_SUCCESS);
	assert_int_equal(vg_dod_remove_device(d), VG_NT_SUCCESS);
	struct vg_sim_counters sc;
	vg_sim_get_counters(sim, &sc);
	assert_int_equal(sc.live_resources, 0);
	vg_sim_destroy(sim);
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	const struct osm_scenario *all = osm_scenarios(&n);
	struct CMUnitTest tests[32];
	unsigned k = 0;
	if (argc < 2) {
		tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_levels);
		tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_pointer);
	}
	for (unsigned i = 0; i < n && k < 32; i++) {
		bool want = argc < 2;
		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], all[i].name);
		if (!want)
			continue;
		tests[k++] = (struct CMUnitTest){
			.name = all[i].name,
			.test_func = run_scenario,
			.initial_state = (void *)&all[i],
		};
	}
	return _cmocka_run_group_tests("wddm", tests, k, NULL, NULL);
}
