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
#include "viogpu/display.h"
#include "viogpu/host.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

enum pattern { P_SCATTERED, P_SCROLL, P_LARGE, P_COUNT };
enum strategy { S_PER_RECT, S_BBOX, S_FULL, S_COUNT };

static const char *const pattern_name[P_COUNT] = {"scattered", "scroll",
						  "large"};
static const char *const strategy_name[S_COUNT] = {"per_rect", "bbox", "full"};

/* The damage of one pattern: the same rectangles every frame. */
struct damage {
	struct vg_rect r[2];
	unsigned n;
};

static struct damage damage_of(enum pattern p, uint32_t w, uint32_t h)
{
	struct damage d = {.n = 1};
	switch (p) {
	case P_SCATTERED:
		d.r[0] = (struct vg_rect){w / 20, h / 20, 2, 20};
		d.r[1] = (struct vg_rect){w - w / 20 - 120, h - h / 20 - 30,
					  120, 30};
		d.n = 2;
		break;
	case P_SCROLL:
		d.r[0] = (struct vg_rect){w / 5, h / 5, w * 3 / 5, h * 3 / 5};
		break;
	default:
		d.r[0] = (struct vg_rect){w / 10, h / 10, w * 8 / 10,
					  h * 8 / 10};
		break;
	}
	return d;
}

static struct vg_rect bbox_of(const struct damage *d)
{
	uint32_t x0 = d->r[0].x, y0 = d->r[0].y;
	uint32_t x1 = x0 + d->r[0].width, y1 = y0 + d->r[0].height;
	for (unsigned i = 1; i < d->n; i++) {
		const struct vg_rect *r = &d->r[i];
		x0 = r->x < x0 ? r->x : x0;
		y0 = r->y < y0 ? r->y : y0;
		x1 = r->x + r->width > x1 ? r->x + r->width : x1;
		y1 = r->y + r->height > y1 ? r->y + r->height : y1;
	}
	return (struct vg_rect){x0, y0, x1 - x0, y1 - y0};
}

static uint64_t area(const struct vg_rect *r)
{
	return (uint64_t)r->width * r->height;
}

static void fill(uint32_t *px, uint32_t stride, const struct vg_rect *r,
		 uint32_t v)
{
	for (uint32_t y = r->y; y < r->y + r->height; y++)
		for (uint32_t x = r->x; x < r->x + r->width; x++)
			px[(size_t)y * stride + x] = v + x;
}

/* Frame `frame` of pattern p: rewrites the damaged pixels only. */
static void draw(enum pattern p, const struct damage *d, uint32_t *px,
		 uint32_t stride, uint32_t frame)
{
	if (p == P_SCATTERED) {
		/* The caret blinks; the clock's digits change. */
		fill(px, stride, &d->r[0], (frame & 1) ? 0xffffffu : 0);
		fill(px, stride, &d->r[1], frame * 0x010101u);
	} else if (p == P_SCROLL) {
		const struct vg_rect *r = &d->r[0];
		uint32_t step = 20;
		for (uint32_t y = r->y; y + step < r->y + r->height; y++)
			memmove(&px[(size_t)y * stride + r->x],
				&px[(size_t)(y + step) * stride + r->x],
				(size_t)r->width * 4);
		struct vg_rect fresh = {r->x, r->y + r->height - step, r->width,
					step};
		fill(px, stride, &fresh, frame * 0x030201u);
	} else {
		fill(px, stride, &d->r[0], frame * 0x010203u);
	}
}

/* Frames per second of one round of about `secs`; frames start at 0 so
 * every strategy presents the same sequence. */
static double run_round(enum pattern p, enum strategy s, const struct damage *d,
			struct vg_gpu *gpu, struct vg_fb *fb, uint32_t stride,
			double secs, int *err)
{
	struct vg_rect box = bbox_of(d);
	double t0 = bench_now_s(), t;
	uint32_t frames = 0;
	do {
		draw(p, d, vg_fb_pixels(fb), stride, frames);
		vg_status st;
		if (s == S_PER_RECT)
			st = vg_gpu_present(gpu, fb, d->r, d->n);
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
		for (int p = 0; p < P_COUNT && !err; p++) {
			struct damage d = damage_of((enum pattern)p, w, h);
			struct vg_rect box = bbox_of(&d);
			uint64_t bytes[S_COUNT] = {0, area(&box) * 4,
						   (uint64_t)w * h * 4};
			for (unsigned i = 0; i < d.n; i++)
				bytes[S_PER_RECT] += area(&d.r[i]) * 4;
			double *r[S_COUNT];
			for (int s = 0; s < S_COUNT; s++)
				r[s] = calloc((size_t)rounds, sizeof(double));
			for (int i = 0; i < rounds && !err; i++) {
				fprintf(stderr, "bench: %ux%u %s round %d/%d\n",
					w, h, pattern_name[p], i + 1, rounds);
				for (int s = 0; s < S_COUNT && !err; s++)
					r[s][i] = run_round(
						(enum pattern)p,
						(enum strategy)s, &d, gpu, fb,
						vg_fb_stride(fb) / 4, secs,
						&err);
			}
			if (!err) {
				double fps[S_COUNT];
				for (int s = 0; s < S_COUNT; s++)
					fps[s] = bench_median(r[s], rounds);
				printf("%s\n    {\"mode\": \"%ux%u\", "
				       "\"pattern\": \"%s\", \"rects\": %u,",
				       first ? "" : ",", w, h, pattern_name[p],
				       d.n);
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
