// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "image.h"
#include "pattern.h"

static void show_help(void)
{
	printf("usage: viogpu show (--pattern %s | --image FILE.png) "
	       "--mode WxH\n"
	       "                   [--head N] [--out SHOT.png] [--hold "
	       "SECONDS] "
	       "[COMMON OPTIONS]\n\n"
	       "Sets mode WxH on head N (default 0), draws the pattern or the "
	       "image\n(scaled to the mode), presents it, then saves what the "
	       "device scans out\nto SHOT.png (default viogpu-show.png) and "
	       "checks it equals the frame\npixel for pixel (exit 1 if not). "
	       "--hold keeps the display up that\nlong before tearing down.\n\n"
	       "%s",
	       vg_pattern_names(), cli_common_help());
}

int cmd_show(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	const char *pattern = NULL, *image = NULL, *mode = NULL;
	const char *out = "viogpu-show.png";
	unsigned long head = 0, hold = 0;
	enum vg_pattern pat = VG_PATTERN_BARS;
	uint32_t w, h, iw = 0, ih = 0, *img = NULL;
	char err[256];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			show_help();
			return CLI_EXIT_OK;
		}
		const char **dst = !strcmp(a, "--pattern") ? &pattern
				   : !strcmp(a, "--image") ? &image
				   : !strcmp(a, "--mode")  ? &mode
				   : !strcmp(a, "--out")   ? &out
							   : NULL;
		bool num = !strcmp(a, "--hold");
		if ((dst || num) && i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if (dst) {
			*dst = argv[++i];
			continue;
		}
		int hr = cli_head_option(argc, argv, &i, &head);
		if (hr < 0)
			return CLI_EXIT_USAGE;
		if (hr > 0)
			continue;
		if (!strcmp(a, "--hold")) {
			if (!cli_parse_uint(argv[++i], 86400, &hold)) {
				cli_error("--hold wants seconds, not '%s'",
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		int r = cli_common_option(&c, argc, argv, &i);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0) {
			cli_error("show: unknown option '%s'", a);
			return CLI_EXIT_USAGE;
		}
	}
	/* All input is checked before QEMU starts. */
	if (!!pattern == !!image) {
		cli_error("show: give one of --pattern or --image");
		return CLI_EXIT_USAGE;
	}
	if (!mode) {
		cli_error("show: --mode WxH is required");
		return CLI_EXIT_USAGE;
	}
	if (!cli_parse_mode(mode, &w, &h)) {
		cli_error("bad mode '%s' (want WxH, e.g. 1920x1080, each "
			  "1..16384)",
			  mode);
		return CLI_EXIT_USAGE;
	}
	if (pattern && vg_pattern_from_name(pattern, &pat)) {
		cli_error("unknown pattern '%s' (want %s)", pattern,
			  vg_pattern_names());
		return CLI_EXIT_USAGE;
	}
	if (image && vg_png_read(image, &img, &iw, &ih, err, sizeof(err))) {
		cli_error("%s", err);
		return CLI_EXIT_USAGE;
	}

	c.frame_bytes = (uint64_t)w * h * 4;
	int rc = cli_open(&c, &s);
	if (rc) {
		free(img);
		return rc;
	}
	struct vg_fb *fb = NULL;
	if (!cli_check_head(s.gpu, (uint32_t)head)) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	rc = cli_set_mode(&s, (uint32_t)head, w, h, &fb);
	if (rc)
		goto out;
	if (img)
		vg_image_scale_nearest(img, iw, ih, vg_fb_pixels(fb), w, h,
				       vg_fb_stride(fb));
	else
		vg_pattern_draw(pat, vg_fb_pixels(fb), w, h, vg_fb_stride(fb));
	vg_status st = vg_gpu_present(s.gpu, fb, NULL, 0);
	if (st != VG_OK) {
		cli_gpu_error(s.gpu, "present", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	if (hold) {
		printf("head %lu: %ux%u on screen; holding %lu s\n", head, w, h,
		       hold);
		fflush(stdout);
		struct timespec ts = {(time_t)hold, 0};
		while (nanosleep(&ts, &ts))
			;
	}
	uint64_t diff = 0;
	rc = cli_screendump_png(&s, (uint32_t)head, out, fb, &diff);
	if (rc)
		goto out;
	if (diff) {
		cli_error("head %lu: screendump differs from the frame in "
			  "%llu pixels (saved to %s)",
			  head, (unsigned long long)diff, out);
		rc = CLI_EXIT_FAIL;
	} else {
		printf("head %lu: %ux%u, %u backing entries; screendump equals "
		       "the frame; saved %s\n",
		       head, w, h, vg_fb_backing_entries(fb), out);
	}
out:
	vg_fb_destroy(fb);
	cli_close(&s);
	free(img);
	return rc;
}
