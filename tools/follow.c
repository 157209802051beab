// SPDX-License-Identifier: MIT
/* The follow loop: see follow.h. */
#include <stdio.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "follow.h"
#include "pattern.h"

static int draw_heads(struct cli_session *s, uint32_t mask, unsigned *shown)
{
	struct vg_gpu_info info;
	vg_gpu_get_info(s->gpu, &info);
	for (uint32_t h = 0; h < info.num_scanouts; h++) {
		struct vg_fb *fb = vg_gpu_head_fb(s->gpu, h);
		struct vg_display d;
		vg_gpu_get_display(s->gpu, h, &d);
		if (!(mask & (1u << h)))
			continue;
		if (!d.enabled || !fb) {
			printf("head %u: off\n", h);
			continue;
		}
		uint32_t w = vg_fb_width(fb), hh = vg_fb_height(fb);
		vg_pattern_draw(VG_PATTERN_GRID, vg_fb_pixels(fb), w, hh,
				vg_fb_stride(fb));
		vg_status st = vg_gpu_present(s->gpu, fb, NULL, 0);
		if (st != VG_OK) {
			cli_gpu_error(s->gpu, "present", st);
			return CLI_EXIT_FAIL;
		}
		uint64_t diff = 0;
		int rc = cli_screendump_png(s, h, NULL, fb, &diff);
		if (rc)
			return rc;
		printf("head %u: %ux%u%s\n", h, w, hh,
		       diff ? " (screendump differs!)"
			    : ", screendump equals "
			      "the frame");
		if (diff)
			return CLI_EXIT_FAIL;
		(*shown)++;
	}
	fflush(stdout);
	return CLI_EXIT_OK;
}

int cli_follow_run(struct cli_session *s, const struct cli_follow *f)
{
	unsigned shown = 0, changes = 0;
	int rc;
	vg_status st = vg_gpu_follow_displays(s->gpu, 0xffff);
	if (st != VG_OK) {
		cli_gpu_error(s->gpu, "setting the preferred modes", st);
		return CLI_EXIT_FAIL;
	}
	rc = draw_heads(s, 0xffff, &shown);
	if (f->seconds)
		printf("following display changes for %lu s\n", f->seconds);
	else
		printf("following display changes until stopped\n");
	fflush(stdout);
	double end = cli_now_ms() + (double)f->seconds * 1000.0;
	while (!rc && (!f->seconds || cli_now_ms() < end) &&
	       (!f->changes || changes < f->changes)) {
		if (f->stop && f->stop(f->arg))
			break;
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
		/* A hung device is reset; a lost one ends the run now. */
		st = vg_gpu_watchdog(s->gpu, NULL);
		if (st == VG_E_NODEV) {
			cli_error("the device was lost after %u display "
				  "change(s)",
				  changes);
			rc = CLI_EXIT_FAIL;
			break;
		}
		if (!vg_gpu_display_changed(s->gpu))
			continue;
		uint32_t mask = 0;
		st = vg_gpu_update_displays(s->gpu, &mask);
		if (st == VG_OK)
			st = vg_gpu_follow_displays(s->gpu, mask);
		if (st != VG_OK) {
			cli_gpu_error(s->gpu, "following a display change", st);
			rc = CLI_EXIT_FAIL;
			break;
		}
		if (!mask)
			continue; /* an event with nothing new */
		changes++;
		printf("display change: heads 0x%x\n", mask);
		rc = draw_heads(s, mask, &shown);
	}
	printf("followed %u display change(s)\n", changes);
	fflush(stdout);
	return rc;
}
