// SPDX-License-Identifier: MIT
/* The main job: moving boxes over a gradient, presented as dirty
 * rectangles, with per-frame timing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

#include "cli.h"
#include "image.h"
#include "pattern.h"

#define DEMO_BOXES 6

struct box {
	int32_t x, y, dx, dy;
	uint32_t w, h, colour;
};

static void copy_rect(uint32_t *dst, const uint32_t *src, uint32_t stride,
		      const struct vg_rect *r)
{
	for (uint32_t y = r->y; y < r->y + r->height; y++)
		memcpy((uint8_t *)dst + (size_t)y * stride + r->x * 4u,
		       (const uint8_t *)src + (size_t)y * stride + r->x * 4u,
		       (size_t)r->width * 4);
}

/* Box i of DEMO_BOXES for a w x h mode: at most half the mode a side, and
 * a step no larger than the room it leaves (0 when there is none), so
 * that box_move keeps it inside for any mode. */
static struct box box_init(int i, uint32_t w, uint32_t h)
{
	struct box b = {.colour =
				0x00ffffffu ^ (0x3f1f7fu * (uint32_t)(i + 1))};
	uint32_t bw = w / 10 + (uint32_t)i * 8, bh = h / 10 + (uint32_t)i * 6;
	b.w = bw > w / 2 ? w / 2 : bw;
	b.h = bh > h / 2 ? h / 2 : bh;
	uint32_t room_x = w - b.w, room_y = h - b.h;
	b.dx = (int32_t)(7u + 3u * (uint32_t)i > room_x
				 ? room_x
				 : 7u + 3u * (uint32_t)i);
	b.dy = (int32_t)(5u + 2u * (uint32_t)i > room_y
				 ? room_y
				 : 5u + 2u * (uint32_t)i);
	b.x = (int32_t)(room_x * (uint32_t)i / DEMO_BOXES);
	b.y = (int32_t)(room_y * (uint32_t)(i % 3) / 3);
	return b;
}

/* One step along an axis of room positions [0, room]: bounce at either
 * end, and never leave it. */
static void axis_step(int32_t *pos, int32_t *step, int32_t room)
{
	if (*pos + *step < 0 || *pos + *step > room)
		*step = -*step;
	*pos += *step;
	if (*pos < 0)
		*pos = 0;
	if (*pos > room)
		*pos = room;
}

static void box_move(struct box *b, uint32_t w, uint32_t h)
{
	axis_step(&b->x, &b->dx, (int32_t)(w - b->w));
	axis_step(&b->y, &b->dy, (int32_t)(h - b->h));
}

static struct vg_rect box_rect(const struct box *b)
{
	return (struct vg_rect){(uint32_t)b->x, (uint32_t)b->y, b->w, b->h};
}

static struct vg_rect rect_union(struct vg_rect a, struct vg_rect b)
{
	uint32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	uint32_t x1 =
		a.x + a.width > b.x + b.width ? a.x + a.width : b.x + b.width;
	uint32_t y1 = a.y + a.height > b.y + b.height ? a.y + a.height
						      : b.y + b.height;
	return (struct vg_rect){x0, y0, x1 - x0, y1 - y0};
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int cmd_demo(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	const char *mode = NULL, *out = NULL;
	unsigned long seconds = 3;
	uint32_t w, h;
	static const char *const once[] = {"--mode", "--out", "--seconds",
					   NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: viogpu demo [--mode WxH] [--seconds N] "
			       "[--out SHOT.png] [COMMON OPTIONS]\n\n"
			       "Brings the device up at WxH (default "
			       "3840x2160), "
			       "moves %d boxes over a\ngradient for N seconds "
			       "(default 3), presenting only the rectangles\n"
			       "that changed, prints each frame's present time "
			       "and a summary, and\nsaves the last frame as "
			       "the "
			       "device shows it to SHOT.png (default\n"
			       "viogpu-demo.png), checked against what was "
			       "drawn.  Each side of WxH is 16..16384.\n\n"
			       "Exit 0 only if the last frame reached the "
			       "screen and equals what was\ndrawn (a failed "
			       "present the driver recovered from is "
			       "counted, not\nfatal); a lost device ends the "
			       "run at once with exit 1.\n\n%s",
			       DEMO_BOXES, cli_common_help());
			return CLI_EXIT_OK;
		}
		if ((!strcmp(a, "--mode") || !strcmp(a, "--out") ||
		     !strcmp(a, "--seconds")) &&
		    i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if ((!strcmp(a, "--mode") && mode) ||
		    (!strcmp(a, "--out") && out)) {
			cli_error("%s given twice (the second is '%s'); give "
				  "it once",
				  a, argv[i + 1]);
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(a, "--mode")) {
			mode = argv[++i];
		} else if (!strcmp(a, "--out")) {
			out = argv[++i];
		} else if (!strcmp(a, "--seconds")) {
			if (!cli_parse_uint(argv[++i], 3600, &seconds) ||
			    !seconds) {
				cli_error("--seconds wants 1..3600, not '%s'",
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
		} else {
			if (cli_other_option(&c, argc, argv, &i, "demo"))
				return CLI_EXIT_USAGE;
		}
	}
	if (!mode)
		mode = "3840x2160";
	if (!out)
		out = "viogpu-demo.png";
	if (!cli_parse_mode(mode, &w, &h)) {
		cli_error("bad mode '%s' (want WxH, each %d..%d)", mode,
			  CLI_MODE_MIN, CLI_MODE_MAX);
		return CLI_EXIT_USAGE;
	}
	if (!cli_check_out("--out", out))
		return CLI_EXIT_USAGE;

	c.frame_bytes = (uint64_t)w * h * 4;
	double t0 = cli_now_ms();
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;
	printf("device up in %.0f ms\n", cli_now_ms() - t0);

	struct vg_fb *fb = NULL;
	double *times = NULL;
	uint32_t *bg = NULL;
	rc = cli_set_mode(&s, 0, w, h, &fb);
	if (rc)
		goto out;
	uint32_t stride = vg_fb_stride(fb);
	uint32_t *px = vg_fb_pixels(fb);
	bg = malloc((size_t)stride * h);
	size_t max_frames = 100000;
	times = malloc(max_frames * sizeof(*times));
	if (!bg || !times) {
		cli_error("out of memory");
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	vg_pattern_draw(VG_PATTERN_GRADIENT, bg, w, h, stride);
	memcpy(px, bg, (size_t)stride * h);
	t0 = cli_now_ms();
	vg_status st = vg_gpu_present(s.gpu, fb, NULL, 0);
	if (st != VG_OK) {
		cli_gpu_error(s.gpu, "first present", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	printf("mode %ux%u set; full-frame present %.2f ms\n", w, h,
	       cli_now_ms() - t0);

	struct box boxes[DEMO_BOXES];
	for (int i = 0; i < DEMO_BOXES; i++)
		boxes[i] = box_init(i, w, h);
	size_t frames = 0, failed = 0, tried = 0;
	bool lost = false;
	uint64_t pixels = 0;
	double start = cli_now_ms(), end = start + (double)seconds * 1000.0;
	while (cli_now_ms() < end && tried < max_frames) {
		struct vg_rect dirty[DEMO_BOXES];
		uint32_t npx = 0;
		for (int i = 0; i < DEMO_BOXES; i++) {
			struct box *b = &boxes[i];
			struct vg_rect old = box_rect(b);
			copy_rect(px, bg, stride, &old);
			box_move(b, w, h);
			dirty[i] = rect_union(old, box_rect(b));
			npx += dirty[i].width * dirty[i].height;
		}
		for (int i = 0; i < DEMO_BOXES; i++)
			vg_pattern_draw_box(px, w, h, stride, boxes[i].x,
					    boxes[i].y, boxes[i].w, boxes[i].h,
					    boxes[i].colour);
		double f0 = cli_now_ms();
		st = vg_gpu_present(s.gpu, fb, dirty, DEMO_BOXES);
		double dt = cli_now_ms() - f0;
		tried++;
		if (st == VG_E_NODEV) {
			/* Nothing comes back from a lost device: stop now. */
			lost = true;
			printf("frame %4zu  present failed: %s; the device is "
			       "gone, stopping\n",
			       tried, vg_status_str(st));
			break;
		}
		if (st != VG_OK) {
			/* The driver resets a hung device on the next call
			 * and rebuilds the picture: keep going. */
			failed++;
			printf("frame %4zu  present failed: %s\n", tried,
			       vg_status_str(st));
			continue;
		}
		times[frames++] = dt;
		pixels += npx;
		printf("frame %4zu  %d rects  %9u px  present %7.2f ms\n",
		       tried, DEMO_BOXES, npx, dt);
	}
	double elapsed = cli_now_ms() - start;
	/* The last frame once more, after any recovery: it must get there. */
	st = lost ? VG_E_NODEV : VG_OK;
	if (!lost && failed)
		st = vg_gpu_present(s.gpu, fb, NULL, 0);
	struct vg_gpu_stats gs;
	vg_gpu_get_stats(s.gpu, &gs);
	if (frames) {
		qsort(times, frames, sizeof(*times), cmp_double);
		printf("summary: %zu of %zu frames presented in %.2f s = %.1f "
		       "frames/s; present median %.2f ms, p95 %.2f ms, max "
		       "%.2f ms; %.1f Mpixel/s of dirty area\n",
		       frames, tried, elapsed / 1000.0,
		       (double)frames * 1000.0 / elapsed, times[frames / 2],
		       times[frames * 95 / 100], times[frames - 1],
		       (double)pixels / elapsed / 1000.0);
	} else {
		printf("summary: 0 of %zu frames presented in %.2f s\n", tried,
		       elapsed / 1000.0);
	}
	if (failed)
		printf("%zu presents failed; the driver reset the device %llu "
		       "time(s) and %s\n",
		       failed, (unsigned long long)gs.resets,
		       st == VG_OK ? "carried on"
				   : "the last frame failed too");
	if (lost) {
		cli_error("the device was lost after %zu frame(s)", frames);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	if (frames == 0 || st != VG_OK) {
		if (frames == 0)
			cli_error("no frame was presented (%zu tried)", tried);
		else
			cli_gpu_error(s.gpu, "the last frame", st);
		rc = CLI_EXIT_FAIL;
		goto out;
	}

	uint64_t diff = 0;
	rc = cli_screendump_png(&s, 0, out, fb, &diff);
	if (rc)
		goto out;
	if (diff) {
		cli_error("last frame: screendump differs in %llu pixels",
			  (unsigned long long)diff);
		rc = CLI_EXIT_FAIL;
	} else {
		printf("last frame: screendump equals what was drawn; saved "
		       "%s\n",
		       out);
	}
out:
	free(times);
	free(bg);
	vg_fb_destroy(fb);
	cli_close(&s);
	return rc;
}
