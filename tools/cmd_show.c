// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viogpu/display.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "cli.h"
#include "image.h"
#include "pattern.h"
#include "show_hdr.h"

static void show_help(void)
{
	printf("usage: viogpu show (--pattern %s | --image FILE.png)\n"
	       "                   (--mode WxH | --modes WxH,WxH,...)\n"
	       "                   [--head N] [--out SHOT.png] [--hold "
	       "SECONDS] "
	       "[COMMON OPTIONS]\n"
	       "                   [--transfer pq|hlg|srgb|linear] "
	       "[--primaries bt709|bt2020]\n"
	       "                   [--max-cll NITS] [--max-fall NITS] "
	       "[--mastering M]\n\n"
	       "Sets mode WxH on head N (default 0), draws the pattern or the "
	       "image\n(scaled to the mode), presents it, and checks that "
	       "what the device\nscans out equals the frame pixel for pixel "
	       "(exit 1 if not).  With\n--modes it does so for each mode in "
	       "turn, switching without losing\nthe picture: the new "
	       "framebuffer is on screen before the old one is\nreleased.  "
	       "The last mode's screendump is saved to SHOT.png (default\n"
	       "viogpu-show.png); --hold keeps it up that long before tearing "
	       "down.\nEach side of a mode is 16..16384 (QEMU refuses a "
	       "scanout under 16\npixels, so the driver does on every "
	       "device); --modes takes up to 32.\nA mode larger than the "
	       "device's host memory (max_hostmem) is refused\n(exit 2) "
	       "before the device starts.  --mode and --modes\n"
	       "cannot be combined; SHOT.png is checked before the device "
	       "starts.\n\n"
	       "HDR: a PNG with a cICP, mDCV or cLLI chunk (PNG 3rd edition; "
	       "the draft\nspellings mDCv, cLLi too), or any of the flags "
	       "below, is read with 16\nbits kept and presented as a 10-bit "
	       "source (FP16 scRGB for linear)\nthrough the head's "
	       "colorimetry: tone-mapped onto the 8-bit sRGB scanout\n"
	       "(README \"HDR\"); the check is then against the converter's "
	       "own output.\nEach flag overrides its chunk: --transfer and "
	       "--primaries cICP's (pq\nand hlg go with bt2020, srgb and "
	       "linear with bt709; linear: 65535 is\n10000 nits), "
	       "--max-cll and --max-fall cLLI's (whole nits), --mastering\n"
	       "mDCV's as Rx,Ry,Gx,Gy,Bx,By,Wx,Wy,MIN,MAX (CIE x, y; MIN "
	       "and MAX in\nnits), e.g. "
	       "0.708,0.292,0.170,0.797,0.131,0.046,0.3127,0.3290,0.005,1000"
	       ".\nInvalid metadata (x + y > 1, min >= max, MaxFALL > "
	       "MaxCLL) exits 2.\nThe color space and metadata used are "
	       "printed.\n\n"
	       "%s",
	       vg_pattern_names(), cli_common_help());
}

#define MAX_STEPS 32

/* One mode of the list: set it (the new framebuffer replaces the old one
 * only once it is on screen), draw, present, compare the screendump. */
static int show_step(struct cli_session *s, uint32_t head, uint32_t w,
		     uint32_t h, const uint32_t *img, uint32_t iw, uint32_t ih,
		     const struct show_hdr *hdr, enum vg_pattern pat,
		     unsigned long hold, const char *out)
{
	char size[32];
	vg_status st = vg_gpu_check_mode(s->gpu, head, w, h);
	if (st != VG_OK) {
		cli_error("mode %ux%u is more than head %u can take (each side "
			  "%d..%d, a frame at most %s of host memory)",
			  w, h, head, CLI_MODE_MIN, CLI_MODE_MAX,
			  cli_size_str(s->host_mem, size, sizeof(size)));
		return CLI_EXIT_USAGE;
	}
	st = vg_gpu_set_mode(s->gpu, head, w, h);
	if (st != VG_OK) {
		cli_gpu_error(s->gpu, "mode set", st);
		return CLI_EXIT_FAIL;
	}
	struct vg_fb *fb = vg_gpu_head_fb(s->gpu, head);
	uint64_t hdr_diff = 0;
	if (hdr) {
		/* Through the head's colorimetry; the framebuffer must be
		 * what the converter itself makes of the source. */
		int r = show_hdr_present(s, head, hdr, w, h, &hdr_diff);
		if (r)
			return r;
	} else {
		if (img)
			vg_image_scale_nearest(img, iw, ih, vg_fb_pixels(fb), w,
					       h, vg_fb_stride(fb));
		else
			vg_pattern_draw(pat, vg_fb_pixels(fb), w, h,
					vg_fb_stride(fb));
		st = vg_gpu_present(s->gpu, fb, NULL, 0);
		if (st != VG_OK) {
			cli_gpu_error(s->gpu, "present", st);
			return CLI_EXIT_FAIL;
		}
	}
	if (hold) {
		printf("head %u: %ux%u on screen; holding %lu s\n", head, w, h,
		       hold);
		fflush(stdout);
		struct timespec ts = {(time_t)hold, 0};
		while (nanosleep(&ts, &ts))
			;
	}
	uint64_t diff = 0;
	int rc = cli_screendump_png(s, head, out, fb, &diff);
	if (rc)
		return rc;
	if (hdr_diff) {
		cli_error("head %u: %ux%u: the framebuffer differs from the "
			  "HDR converter's output in %llu pixels",
			  head, w, h, (unsigned long long)hdr_diff);
		return CLI_EXIT_FAIL;
	}
	if (diff) {
		cli_error("head %u: %ux%u: screendump differs from the frame "
			  "in %llu pixels",
			  head, w, h, (unsigned long long)diff);
		return CLI_EXIT_FAIL;
	}
	printf("head %u: %ux%u, %u backing entries; screendump equals the "
	       "%s%s%s\n",
	       head, w, h, vg_fb_backing_entries(fb),
	       hdr ? "converter's SDR output" : "frame", out ? "; saved " : "",
	       out ? out : "");
	return CLI_EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	const char *pattern = NULL, *image = NULL, *mode = NULL, *modes = NULL;
	const char *out = NULL;
	unsigned long head = 0, hold = 0;
	enum vg_pattern pat = VG_PATTERN_BARS;
	uint32_t iw = 0, ih = 0, *img = NULL;
	char err[256];
	struct show_hdr_flags hf = {0};
	struct show_hdr hdr;
	bool is_hdr = false;
	static const char *const once[] = {
		"--pattern",   "--image",   "--mode",	  "--modes",
		"--out",       "--head",    "--hold",	  "--transfer",
		"--primaries", "--max-cll", "--max-fall", "--mastering",
		NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			show_help();
			return CLI_EXIT_OK;
		}
		const char **dst = !strcmp(a, "--pattern")     ? &pattern
				   : !strcmp(a, "--image")     ? &image
				   : !strcmp(a, "--mode")      ? &mode
				   : !strcmp(a, "--modes")     ? &modes
				   : !strcmp(a, "--out")       ? &out
				   : !strcmp(a, "--transfer")  ? &hf.transfer
				   : !strcmp(a, "--primaries") ? &hf.primaries
				   : !strcmp(a, "--max-cll")   ? &hf.max_cll
				   : !strcmp(a, "--max-fall")  ? &hf.max_fall
				   : !strcmp(a, "--mastering") ? &hf.mastering
							       : NULL;
		bool num = !strcmp(a, "--hold");
		if ((dst || num) && i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if (dst) {
			if (*dst) {
				cli_error("%s given twice (the second is "
					  "'%s'); give it once",
					  a, argv[i + 1]);
				return CLI_EXIT_USAGE;
			}
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
		if (cli_other_option(&c, argc, argv, &i, "show"))
			return CLI_EXIT_USAGE;
	}
	/* All input is checked before QEMU starts. */
	if (!!pattern == !!image) {
		cli_error("show: give one of --pattern or --image");
		return CLI_EXIT_USAGE;
	}
	if (mode && modes) {
		cli_error("show: --mode and --modes conflict (give one mode "
			  "with --mode or a list with --modes)");
		return CLI_EXIT_USAGE;
	}
	if (!mode && !modes) {
		cli_error("show: --mode WxH (or --modes WxH,WxH,...) is "
			  "required");
		return CLI_EXIT_USAGE;
	}
	if (mode && strchr(mode, ',')) {
		cli_error("--mode takes one WxH, not '%s' (a list goes with "
			  "--modes)",
			  mode);
		return CLI_EXIT_USAGE;
	}
	/* Every mode of the list is checked before QEMU starts. */
	uint32_t mw[MAX_STEPS], mh[MAX_STEPS];
	unsigned nmodes =
		mode ? cli_parse_mode_list("--mode", mode, mw, mh, 1)
		     : cli_parse_mode_list("--modes", modes, mw, mh, MAX_STEPS);
	if (!nmodes)
		return CLI_EXIT_USAGE;
	for (unsigned k = 0; k < nmodes; k++)
		if ((uint64_t)mw[k] * mh[k] * 4 > c.frame_bytes)
			c.frame_bytes = (uint64_t)mw[k] * mh[k] * 4;
	if (!out)
		out = "viogpu-show.png";
	if (!cli_check_out("--out", out))
		return CLI_EXIT_USAGE;
	if (pattern && vg_pattern_from_name(pattern, &pat)) {
		cli_error("unknown pattern '%s' (want %s)", pattern,
			  vg_pattern_names());
		return CLI_EXIT_USAGE;
	}
	if (show_hdr_flags_given(&hf) && !image) {
		cli_error(
			"show: --transfer, --primaries, --max-cll, --max-fall "
			"and --mastering go with --image");
		return CLI_EXIT_USAGE;
	}
	if (image) {
		int r = show_hdr_prepare(image, &hf, &hdr, &is_hdr);
		if (r)
			return r;
	}
	if (image && !is_hdr &&
	    vg_png_read(image, &img, &iw, &ih, err, sizeof(err))) {
		cli_error("%s", err);
		return CLI_EXIT_USAGE;
	}

	int rc = cli_open(&c, &s);
	if (rc) {
		free(img);
		if (is_hdr)
			show_hdr_free(&hdr);
		return rc;
	}
	if (!cli_check_head(s.gpu, (uint32_t)head)) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (is_hdr)
		show_hdr_print(&hdr, (uint32_t)head);
	for (unsigned k = 0; k < nmodes && !rc; k++)
		rc = show_step(&s, (uint32_t)head, mw[k], mh[k], img, iw, ih,
			       is_hdr ? &hdr : NULL, pat,
			       k + 1 == nmodes ? hold : 0,
			       k + 1 == nmodes ? out : NULL);
out:
	cli_close(&s);
	free(img);
	if (is_hdr)
		show_hdr_free(&hdr);
	return rc;
}
