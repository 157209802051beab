/* SPDX-License-Identifier: MIT */
/* A device model plus the driver on top, for tests (cmocka asserts). */
#ifndef VG_TEST_SIM_ENV_H
#define VG_TEST_SIM_ENV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "viogpu/sim.h"
#include "viogpu/types.h"

struct env {
	struct vg_sim *sim;
	struct vg_gpu *gpu;
	bool auto_recover; /* set before env_up */
	/* vg_gpu_options.on_display_change and its ctx; set before env_up */
	void (*on_display_change)(void *ctx);
	void *display_change_ctx;
};

void sleep_ms(unsigned ms);
/* Starts the device model (cfg NULL: defaults) and the driver. */
void env_up(struct env *e, const struct vg_sim_config *cfg,
	    uint32_t timeout_ms);
/* Destroys the driver and checks that nothing is left behind. */
void env_down(struct env *e);
uint32_t pattern(uint32_t x, uint32_t y, uint32_t seed);
/* Fills r (NULL: all) of fb with pattern(seed). */
void draw(struct vg_fb *fb, const struct vg_rect *r, uint32_t seed);
/* The head shows exactly `expect` (w x h, tightly packed). */
void assert_screen(struct vg_sim *sim, unsigned head, const uint32_t *expect,
		   uint32_t w, uint32_t h);
/* The head shows exactly what fb holds. */
void assert_shows(struct vg_sim *sim, unsigned head, struct vg_fb *fb);
/* A malloc'ed tightly packed copy of fb's pixels. */
uint32_t *fb_copy(struct vg_fb *fb);

#endif
