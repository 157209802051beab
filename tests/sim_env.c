// SPDX-License-Identifier: MIT
#include "viogpu/gpu.h"
#include "viogpu/surface.h"

#include "sim_env.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

void env_up(struct env *e, const struct vg_sim_config *cfg, uint32_t timeout_ms)
{
	struct vg_gpu_options opt = {
		.cmd_timeout_ms = timeout_ms,
		.auto_recover = e->auto_recover,
		.on_display_change = e->on_display_change,
		.display_change_ctx = e->display_change_ctx,
	};
	struct vg_sim_config dflt = {0};

	assert_int_equal(vg_sim_create(cfg ? cfg : &dflt, &e->sim), VG_OK);
	assert_non_null(e->sim);
	assert_int_equal(vg_gpu_create(vg_sim_os(e->sim), &opt, &e->gpu),
			 VG_OK);
}

/* Destroys the driver and checks that nothing is left behind. */
void env_down(struct env *e)
{
	struct vg_sim_counters c;

	vg_gpu_destroy(e->gpu);
	e->gpu = NULL;
	vg_sim_get_counters(e->sim, &c);
	assert_int_equal(c.os_allocs_live, 0);
	assert_int_equal(c.dma_bytes_in_use, 0);
	assert_int_equal(c.live_resources, 0);
	assert_int_equal(c.hostmem_bytes, 0);
	assert_int_equal(c.attached_backings, 0);
	vg_sim_destroy(e->sim);
	e->sim = NULL;
}

uint32_t pattern(uint32_t x, uint32_t y, uint32_t seed)
{
	return ((x * 7 + y * 13 + seed) & 0xff) << 16 |
	       ((x ^ y ^ seed) & 0xff) << 8 | ((seed * 31 + x + 3 * y) & 0xff);
}

void draw(struct vg_fb *fb, const struct vg_rect *r, uint32_t seed)
{
	uint32_t *px = vg_fb_pixels(fb);
	uint32_t pitch = vg_fb_stride(fb) / 4;
	struct vg_rect all = {0, 0, vg_fb_width(fb), vg_fb_height(fb)};

	if (!r)
		r = &all;
	for (uint32_t y = r->y; y < r->y + r->height; y++)
		for (uint32_t x = r->x; x < r->x + r->width; x++)
			px[y * pitch + x] = pattern(x, y, seed);
}

/* The head shows exactly `expect` (w x h, tightly packed). */
void assert_screen(struct vg_sim *sim, unsigned head, const uint32_t *expect,
		   uint32_t w, uint32_t h)
{
	uint32_t *dump = NULL, dw = 0, dh = 0;

	assert_int_equal(vg_sim_screendump(sim, head, &dump, &dw, &dh), VG_OK);
	assert_int_equal(dw, w);
	assert_int_equal(dh, h);
	for (uint32_t i = 0; i < w * h; i++)
		if (dump[i] != (expect[i] & 0xffffff)) {
			print_error("head %u pixel (%u,%u): 0x%08x != 0x%08x\n",
				    head, i % w, i / w, dump[i], expect[i]);
			free(dump);
			fail();
		}
	free(dump);
}

uint32_t *fb_copy(struct vg_fb *fb)
{
	size_t n = (size_t)vg_fb_width(fb) * vg_fb_height(fb);
	uint32_t *c = malloc(n * 4);
	assert_non_null(c);
	memcpy(c, vg_fb_pixels(fb), n * 4);
	return c;
}

void assert_shows(struct vg_sim *sim, unsigned head, struct vg_fb *fb)
{
	uint32_t *want = fb_copy(fb);
	assert_screen(sim, head, want, vg_fb_width(fb), vg_fb_height(fb));
	free(want);
}
