// SPDX-License-Identifier: MIT
/*
 * bench-present-strategies: the same damage sequences presented three
 * ways on QEMU's virtio-gpu-pci, at 1920x1080, 3840x2160 and 7680x4320:
 *   per_rect  each damaged rectangle on its own (this driver)
 *   bbox      one bounding box of all of them (viogpu's and Linux
 *             virtio_gpu's strategy)
 *   full      the whole frame
 * Damage patterns (the CPU rewrites the damaged pixels every frame):
 *   scattered  a 2x20 caret blinking near the top-left and a 120x30 clock
 *              near the bottom-right: two small rectangles far apart
 *   scroll     a window of 60% x 60% of the screen whose contents move up
 *              by 20 px each frame: one rectangle, the window
 *   large      one rectangle of 80% x 80%: the strategies should tie
 * Figures are medians of frames/s over rounds that alternate the
 * strategies (A B C A B C ...) so machine noise hits all of them alike;
 * bytes per frame are what the strategy asks the host to copy (sum of
 * the areas of the rectangles it sends x 4).
 * usage: bench-present-strategies [--rounds N] [--seconds-per-round S]
 *                                 [--modes WxH,...] [--device SPEC]
 * --device takes the CLI's text (default qemu,max_hostmem=1G).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "damage.h"
#include "viogpu/display.h"
#include "viogpu/host.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

enum strategy { S_PER_RECT, S_BBOX, S_FULL, S_COUNT };

/* Of damage.h's sequences: two small rectangles far apart, a scrolling
 * window, one large rectangle. */
static const enum bg_pattern patterns[] = {BG_SCATTERED, BG_SCROLL, BG_LARGE};
static const char *const strategy_name[S_COUNT] = {"per_rect", "bbox", "full"};

static struct vg_rect to_vg(struct bg_rect r)
{
	return (struct vg_rect){r.x, r.y, r.w, r.h};
}

/* Frames per second of one round of about `secs`; frames start at 0 so
 * every strategy presents the same sequence. */
static double run_round(enum bg_pattern p, enum strategy s,
			const struct bg_damage *d, struct vg_gpu *gpu,
			struct vg_fb *fb, uint32_t stride, double secs,
			int *err)
{
	struct vg_rect box = to_vg(bg_bbox(d));
	struct vg_rect rects[2];
	for (unsigned i = 0; i < d->n; i++)
		rects[i] = to_vg(d->r[i]);
	double t0 = bench_now_s(), t;
	uint32_t frames = 0;
	do {
		bg_draw(p, d, vg_fb_pixels(fb), stride, frames);
		vg_status st;
		if (s == S_PER_RECT)
			st = vg_gpu_present(gpu, fb, rects, d->n);
		else if (s == S_BBOX)
			st = vg_gpu_present(gpu, fb, &box, 1);
		else
			st = vg_gpu_present(gpu, fb, NULL, 0);
		if (st != VG_OK) {
			fprintf(stderr, "bench: present failed: %s\n",
				vg_status_str(st));
			*err = 1;
			return 0;
		}
		frames++;
		t = bench_now_s() - t0;
	} while (t < secs || frames < 3);
	return frames / t;
}

int main(int argc, char **argv)
{
	int rounds = 5;
	double secs = 0.4;
	const char *modes = "1920x1080,3840x2160,7680x4320";
	const char *device = "qemu,max_hostmem=1G";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds-per-round") &&
			 i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "--modes") && i + 1 < argc)
			modes = argv[++i];
		else if (!strcmp(argv[i], "--device") && i + 1 < argc)
			device = argv[++i];
		else {
			fprintf(stderr,
				"usage: bench-present-strategies [--rounds N] "
				"[--seconds-per-round S] [--modes WxH,...] "
				"[--device SPEC]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > 100 || secs <= 0) {
		fprintf(stderr, "bench: bad --rounds or --seconds-per-round\n");
		return 2;
	}

	struct vg_host_request rq = {.device = device, .ram_mib = 1024};
	struct vg_host *host = NULL;
	char msg[512];
	vg_host_result hr = vg_host_open(&rq, &host, msg, sizeof(msg));
	if (hr != VG_HOST_OK) {
		fprintf(stderr, "bench: cannot bring up the device: %s\n", msg);
		return hr == VG_HOST_REFUSED ? 2 : 1;
	}
	struct vg_gpu *gpu = vg_host_gpu(host);

	int err = 0;
	printf("{\n  \"benchmark\": \"present-strategies\",\n"
	       "  \"rounds\": %d,\n  \"seconds_per_round\": %.2f,\n"
	       "  \"results\": [",
	       rounds, secs);
	char *list = strdup(modes);
	int first = 1;
	for (char *tok = strtok(list, ","); tok && !err;
	     tok = strtok(NULL, ",")) {
		uint32_t w, h;
		if (sscanf(tok, "%ux%u", &w, &h) != 2 || w < 400 || h < 200) {
			fprintf(stderr, "bench: bad mode '%s'\n", tok);
			err = 1;
			break;
		}
		struct vg_fb *fb = NULL;
		if (vg_fb_create(gpu, w, h, &fb) != VG_OK ||
		    vg_gpu_set_scanout(gpu, 0, fb) != VG_OK) {
			fprintf(stderr, "bench: cannot set %ux%u\n", w, h);
			vg_fb_destroy(fb);
			err = 1;
			break;
		}
		memset(vg_fb_pixels(fb), 0x40, (size_t)vg_fb_stride(fb) * h);
		for (size_t pi = 0;
		     pi < sizeof(patterns) / sizeof(patterns[0]) && !err;
		     pi++) {
			enum bg_pattern p = patterns[pi];
			struct bg_damage d = bg_damage_of(p, w, h);
			uint64_t bytes[S_COUNT] = {bg_bytes(&d),
						   bg_bbox_bytes(&d),
						   (uint64_t)w * h * 4};
			double *r[S_COUNT];
			for (int s = 0; s < S_COUNT; s++)
				r[s] = calloc((size_t)rounds, sizeof(double));
			for (int i = 0; i < rounds && !err; i++) {
				fprintf(stderr, "bench: %ux%u %s round %d/%d\n",
					w, h, bg_pattern_name[p], i + 1,
					rounds);
				for (int s = 0; s < S_COUNT && !err; s++)
					r[s][i] = run_round(
						p, (enum strategy)s, &d, gpu,
						fb, vg_fb_stride(fb) / 4, secs,
						&err);
			}
			if (!err) {
				double fps[S_COUNT];
				for (int s = 0; s < S_COUNT; s++)
					fps[s] = bench_median(r[s], rounds);
				printf("%s\n    {\"mode\": \"%ux%u\", "
				       "\"pattern\": \"%s\", \"rects\": %u,",
				       first ? "" : ",", w, h,
				       bg_pattern_name[p], d.n);
				for (int s = 0; s < S_COUNT; s++)
					printf("\n     \"%s\": {\"fps\": %.2f, "
					       "\"bytes_per_frame\": %llu},",
					       strategy_name[s], fps[s],
					       (unsigned long long)bytes[s]);
				printf("\n     \"fps_per_rect_vs_bbox\": %.3f, "
				       "\"fps_per_rect_vs_full\": %.3f}",
				       fps[S_PER_RECT] / fps[S_BBOX],
				       fps[S_PER_RECT] / fps[S_FULL]);
				first = 0;
			}
			fflush(stdout);
			for (int s = 0; s < S_COUNT; s++)
				free(r[s]);
		}
		vg_fb_destroy(fb);
	}
	printf("\n  ]\n}\n");
	free(list);
	vg_host_close(host);
	return err;
}
