// SPDX-License-Identifier: MIT
/* follow: the auto-resize mode.  Each enabled head shows a picture at the
 * size the host asks for, and follows it when the host changes it (a
 * monitor plugged, a VM window or VNC client resized). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "cli.h"
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

int cmd_follow(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	unsigned long seconds = 10, want = 0;
	static const char *const once[] = {"--seconds", "--changes", NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: viogpu follow [--seconds N] [--changes "
			       "K] "
			       "[COMMON OPTIONS]\n\n"
			       "Auto-resize: every enabled head shows a grid "
			       "at "
			       "the size the host\nasks for, and follows the "
			       "host's display changes (hot-plug, a VM\nwindow "
			       "or a VNC client resized) for N seconds "
			       "(default "
			       "10), or\nuntil K changes were followed.  Each "
			       "new size is checked against\nthe device's "
			       "screendump.  On QEMU, add a VNC server with\n"
			       "VIOGPU_QEMU_EXTRA_ARGS='-vnc 127.0.0.1:1' and "
			       "resize from a VNC client\nthat supports "
			       "desktop "
			       "resizing.\n\n%s",
			       cli_common_help());
			return CLI_EXIT_OK;
		}
		if ((!strcmp(a, "--seconds") || !strcmp(a, "--changes")) &&
		    i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(a, "--seconds") || !strcmp(a, "--changes")) {
			unsigned long *dst =
				!strcmp(a, "--seconds") ? &seconds : &want;
			if (!cli_parse_uint(argv[++i], 86400, dst) ||
			    (dst == &seconds && !seconds)) {
				cli_error("%s wants a number, not '%s'", a,
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		if (cli_other_option(&c, argc, argv, &i, "follow"))
			return CLI_EXIT_USAGE;
	}
	c.frame_bytes = 8192ull * 8192 * 4; /* room to grow */
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;
	unsigned shown = 0, changes = 0;
	vg_status st = vg_gpu_follow_displays(s.gpu, 0xffff);
	if (st != VG_OK) {
		cli_gpu_error(s.gpu, "setting the preferred modes", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	rc = draw_heads(&s, 0xffff, &shown);
	printf("following display changes for %lu s\n", seconds);
	fflush(stdout);
	double end = cli_now_ms() + (double)seconds * 1000.0;
	while (!rc && cli_now_ms() < end && (!want || changes < want)) {
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
		/* A hung device is reset; a lost one ends the run now. */
		st = vg_gpu_watchdog(s.gpu, NULL);
		if (st == VG_E_NODEV) {
			cli_error("the device was lost after %u display "
				  "change(s)",
				  changes);
			rc = CLI_EXIT_FAIL;
			break;
		}
		if (!vg_gpu_display_changed(s.gpu))
			continue;
		uint32_t mask = 0;
		st = vg_gpu_update_displays(s.gpu, &mask);
		if (st == VG_OK)
			st = vg_gpu_follow_displays(s.gpu, mask);
		if (st != VG_OK) {
			cli_gpu_error(s.gpu, "following a display change", st);
			rc = CLI_EXIT_FAIL;
			break;
		}
		if (!mask)
			continue; /* an event with nothing new */
		changes++;
		printf("display change: heads 0x%x\n", mask);
		rc = draw_heads(&s, mask, &shown);
	}
	printf("followed %u display change(s)\n", changes);
out:
	cli_close(&s);
	return rc;
}
