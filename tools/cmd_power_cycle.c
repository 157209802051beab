// SPDX-License-Identifier: MIT
/* power-cycle: N D0 -> D3 -> D0 cycles with a picture on every head,
 * checking after each that the device shows exactly what it showed
 * before, and that nothing is held that should not be. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viogpu/gpu.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "cli.h"
#include "image.h"
#include "pattern.h"

#define MAX_HEADS 16

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void help(void)
{
	printf("usage: viogpu power-cycle [--cycles N] [--mode WxH] [--heads "
	       "K]\n"
	       "                          [--hibernate | --sleep] "
	       "[COMMON OPTIONS]\n\n"
	       "Shows a different picture on each of K heads (default 1) at "
	       "WxH\n(default 1024x768) with a cursor on head 0, then runs N "
	       "cycles\n(default 10) of D0 -> D3 -> D0.  --hibernate (the "
	       "default) makes the\ndevice lose all its state while off "
	       "(QEMU: system_reset); --sleep\nlets it keep it.  After each "
	       "cycle every head's screendump must equal\nthe picture before, "
	       "and the driver must hold exactly its framebuffers\nand the "
	       "cursor.  Prints progress, a summary with time per cycle, and\n"
	       "exits 1 at the first mismatch.  --hibernate and --sleep "
	       "cannot be combined;\neach side of WxH is 64..16384.\n\n%s",
	       cli_common_help());
}

/* Every head shows what its framebuffer holds, and the driver and the
 * device hold exactly what they should. */
static int check_cycle(struct cli_session *s, struct vg_fb **fbs,
		       unsigned heads, unsigned long cycle)
{
	for (unsigned h = 0; h < heads; h++) {
		uint32_t *px = NULL, w = 0, hh = 0, fx = 0, fy = 0;
		vg_status st = vg_host_screendump(s->host, h, &px, &w, &hh);
		if (st != VG_OK) {
			cli_error("cycle %lu: screendump of head %u: %s", cycle,
				  h, vg_status_str(st));
			return CLI_EXIT_FAIL;
		}
		uint64_t diff =
			(w != vg_fb_width(fbs[h]) || hh != vg_fb_height(fbs[h]))
				? (uint64_t)w * hh + 1
				: vg_pixels_compare(px, w * 4,
						    vg_fb_pixels(fbs[h]),
						    vg_fb_stride(fbs[h]), w, hh,
						    &fx, &fy);
		free(px);
		if (diff) {
			cli_error("cycle %lu: head %u shows a different "
				  "picture (%llu pixels differ, first at "
				  "%u,%u)",
				  cycle, h, (unsigned long long)diff, fx, fy);
			return CLI_EXIT_FAIL;
		}
	}
	struct vg_gpu_stats gs;
	vg_gpu_get_stats(s->gpu, &gs);
	if (gs.live_resources != heads + 1) {
		cli_error("cycle %lu: the driver holds %u resources, expected "
			  "%u",
			  cycle, gs.live_resources, heads + 1);
		return CLI_EXIT_FAIL;
	}
	struct vg_host_counters hc;
	vg_host_counters(s->host, &hc);
	if ((hc.device_has & VG_HOST_DEV_HOLDS) &&
	    hc.device.live_resources != heads + 1) {
		cli_error("cycle %lu: the device holds %u resources, expected "
			  "%u",
			  cycle, hc.device.live_resources, heads + 1);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cmd_power_cycle(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	unsigned long cycles = 10;
	const char *mode = "1024x768";
	bool mode_given = false;
	bool hibernate = true;
	const char *power_opt = NULL;
	uint32_t w, h;
	static const char *const once[] = {"--cycles", "--mode", NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help();
			return CLI_EXIT_OK;
		}
		if (!strcmp(a, "--hibernate") || !strcmp(a, "--sleep")) {
			if (power_opt && strcmp(power_opt, a)) {
				cli_error("%s and %s conflict; give one",
					  power_opt, a);
				return CLI_EXIT_USAGE;
			}
			power_opt = a;
			hibernate = !strcmp(a, "--hibernate");
			continue;
		}
		if ((!strcmp(a, "--cycles") || !strcmp(a, "--mode")) &&
		    i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(a, "--cycles")) {
			if (!cli_parse_uint(argv[++i], 1000000, &cycles) ||
			    !cycles) {
				cli_error("--cycles wants 1..1000000, not '%s'",
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		if (!strcmp(a, "--mode")) {
			if (mode_given) {
				cli_error("--mode given twice (the second is "
					  "'%s'); give it once",
					  argv[i + 1]);
				return CLI_EXIT_USAGE;
			}
			mode_given = true;
			mode = argv[++i];
			continue;
		}
		if (cli_other_option(&c, argc, argv, &i, "power-cycle"))
			return CLI_EXIT_USAGE;
	}
	if (!cli_parse_mode(mode, &w, &h) || w < 64 || h < 64) {
		cli_error("bad mode '%s' (want WxH, 64..16384 each)", mode);
		return CLI_EXIT_USAGE;
	}
	unsigned heads = c.heads ? c.heads : 1;
	/* One frame: the device layer multiplies by the heads. */
	c.frame_bytes = (uint64_t)w * h * 4;
	c.frame_heads = heads;
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;

	struct vg_fb *fbs[MAX_HEADS] = {NULL};
	double *times = calloc(cycles, sizeof(double));
	static uint32_t cursor[64 * 64];
	if (!times) {
		cli_error("out of memory");
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	for (unsigned hd = 0; hd < heads && !rc; hd++) {
		rc = cli_set_mode(&s, hd, w, h, &fbs[hd]);
		if (rc)
			break;
		uint32_t *px = vg_fb_pixels(fbs[hd]);
		vg_pattern_draw((enum vg_pattern)(hd % 3), px, w, h,
				vg_fb_stride(fbs[hd]));
		/* A mark per head, so a head showing another's frame shows. */
		vg_pattern_draw_box(px, w, h, vg_fb_stride(fbs[hd]),
				    (int32_t)(16 + 24 * hd), 16, 16, 16,
				    0x00ff00ffu ^ (hd * 0x151515u));
		vg_status st = vg_gpu_present(s.gpu, fbs[hd], NULL, 0);
		if (st != VG_OK) {
			cli_gpu_error(s.gpu, "present", st);
			rc = CLI_EXIT_FAIL;
		}
	}
	if (rc)
		goto out;
	for (int i = 0; i < 64 * 64; i++)
		cursor[i] = (i % 64 + i / 64) < 64 ? 0xffffffffu : 0;
	vg_status st = vg_gpu_cursor_update(s.gpu, 0, cursor, 0, 0, 40, 30);
	if (st != VG_OK) {
		cli_gpu_error(s.gpu, "cursor", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	rc = check_cycle(&s, fbs, heads, 0);
	if (rc)
		goto out;
	printf("%u head(s) at %ux%u; %lu %s cycles\n", heads, w, h, cycles,
	       hibernate ? "hibernate" : "sleep");
	fflush(stdout);

	enum vg_power_reason why =
		hibernate ? VG_POWER_HIBERNATE : VG_POWER_SLEEP;
	unsigned long every = cycles >= 20 ? cycles / 20 : 1;
	double start = cli_now_ms();
	for (unsigned long n = 1; n <= cycles; n++) {
		double t0 = cli_now_ms();
		st = vg_gpu_set_power(s.gpu, VG_POWER_D3, why);
		if (st == VG_OK)
			st = vg_host_power_cycle(s.host, hibernate);
		if (st == VG_OK)
			st = vg_gpu_set_power(s.gpu, VG_POWER_D0, why);
		times[n - 1] = cli_now_ms() - t0;
		if (st != VG_OK) {
			char what[64];
			snprintf(what, sizeof(what), "cycle %lu", n);
			cli_gpu_error(s.gpu, what, st);
			rc = CLI_EXIT_FAIL;
			goto out;
		}
		rc = check_cycle(&s, fbs, heads, n);
		if (rc)
			goto out;
		if (n % every == 0 || n == cycles) {
			printf("cycle %lu/%lu ok (%.1f ms down+up)\n", n,
			       cycles, times[n - 1]);
			fflush(stdout);
		}
	}
	double total = cli_now_ms() - start;
	qsort(times, cycles, sizeof(double), cmp_double);
	struct vg_gpu_stats gs;
	vg_gpu_get_stats(s.gpu, &gs);
	printf("summary: %lu cycles in %.1f s, %.1f ms per cycle with the "
	       "checks; D3+D0 median %.1f ms, p95 %.1f ms; %llu resets; "
	       "every picture restored\n",
	       cycles, total / 1000.0, total / (double)cycles,
	       times[cycles / 2], times[cycles * 95 / 100],
	       (unsigned long long)gs.resets);
out:
	free(times);
	for (unsigned hd = 0; hd < heads; hd++)
		vg_fb_destroy(fbs[hd]);
	cli_close(&s);
	return rc;
}
