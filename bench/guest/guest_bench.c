// SPDX-License-Identifier: MIT
/*
 * bench-guest: inside the guest lane's Linux guest (README "The guest
 * lane"), the same damage sequences (damage.h) through the kernel's
 * virtio-gpu DRM driver (drm_peer.c: dumb buffer, SETCRTC, DIRTYFB with
 * clips) and then through this driver on the same device through VFIO
 * (vg_gpu_present), in one boot.  The kernel goes first: the device
 * starts bound to virtio-pci with virtio-gpu on top; opening it through
 * VFIO then unbinds virtio-pci (src/platform/vfio) and binds vfio-pci.
 * Same device, same properties, same guest: the ratio is fair even though
 * TCG makes the absolute figures slow.
 * Figures: medians over rounds of frames/s; bytes per frame are the
 * rectangles' areas x 4 for ours (the core sends one TRANSFER_TO_HOST_2D
 * per rectangle, src/core/present.c) and, for the kernel, the clips'
 * areas x 4 (a lower bound; its plane update merges the clips into one
 * box, so kernel_bbox_bytes is given too).
 * Output: the JSON document, every line prefixed "GUEST-JSON " for the
 * serial console, then "GUEST-RESULT bench PASS|FAIL ...".
 * usage: bench-guest [--rounds N] [--seconds-per-round S] [--modes WxH,..]
 *                    [--card PATH] [--device SPEC]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "damage.h"
#include "drm_peer.h"
#include "viogpu/display.h"
#include "viogpu/host.h"
#include "viogpu/present.h"
#include "viogpu/status.h"
#include "viogpu/surface.h"

#define MAX_MODES 4
enum { KERNEL, OURS, DRIVERS };
static const char *const driver_name[DRIVERS] = {"kernel", "ours"};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The figures: fps[driver][mode][pattern]; 0 when not measured.
 * flip_fps: the kernel with a page flip per frame instead of DIRTYFB. */
/* The guest runs full, small, scattered and scroll; large is
 * bench-present-strategies' own. */
#define GUEST_PATTERNS BG_LARGE

static double fps[DRIVERS][MAX_MODES][BG_PATTERNS];
static double flip_fps[MAX_MODES][BG_PATTERNS];
static char errors[DRIVERS][256];
static char flip_error[256];

/* One frame through a driver: 0 or an error already written. */
typedef int (*present_fn)(void *ctx, const struct bg_damage *d);
/* Where the next frame is drawn. */
typedef uint32_t *(*pixels_fn)(void *ctx);

struct ours_ctx {
	struct vg_gpu *gpu;
	struct vg_fb *fb;
};

static uint32_t *ours_pixels(void *ctx)
{
	return vg_fb_pixels(((struct ours_ctx *)ctx)->fb);
}

static int ours_present(void *ctx, const struct bg_damage *d)
{
	struct ours_ctx *o = ctx;
	struct vg_rect r[2];
	for (unsigned i = 0; i < d->n; i++)
		r[i] = (struct vg_rect){d->r[i].x, d->r[i].y, d->r[i].w,
					d->r[i].h};
	vg_status st = vg_gpu_present(o->gpu, o->fb, r, d->n);
	if (st != VG_OK)
		snprintf(errors[OURS], sizeof(errors[OURS]),
			 "vg_gpu_present: %s", vg_status_str(st));
	return st == VG_OK ? 0 : -1;
}

static int kernel_present(void *ctx, const struct bg_damage *d)
{
	int r = drm_peer_dirty(ctx, d);
	if (r < 0)
		snprintf(errors[KERNEL], sizeof(errors[KERNEL]), "DIRTYFB: %s",
			 strerror(-r));
	return r;
}

static uint32_t *kernel_front(void *ctx)
{
	struct drm_peer *p = ctx;
	return p->px[p->front];
}

static uint32_t *kernel_back(void *ctx)
{
	struct drm_peer *p = ctx;
	return p->px[!p->front];
}

/* A page flip carries no damage clips: the plane is updated whole. */
static int kernel_flip(void *ctx, const struct bg_damage *d)
{
	(void)d;
	int r = drm_peer_flip(ctx);
	if (r < 0)
		snprintf(flip_error, sizeof(flip_error), "PAGE_FLIP: %s",
			 strerror(-r));
	return r;
}

/* Medians over `rounds` rounds of about `secs` each (3 frames at least);
 * frames count from 0 in every round so every round is the same
 * sequence. */
static int run_pattern(enum bg_pattern p, uint32_t w, uint32_t h, pixels_fn px,
		       uint32_t stride, present_fn fn, void *ctx, int rounds,
		       double secs, double *out)
{
	struct bg_damage d = bg_damage_of(p, w, h);
	double v[64];
	for (int i = 0; i < rounds; i++) {
		double t0 = now_s(), t;
		uint32_t frames = 0;
		do {
			bg_draw(p, &d, px(ctx), stride, frames);
			if (fn(ctx, &d) < 0)
				return -1;
			frames++;
			t = now_s() - t0;
		} while (t < secs || frames < 3);
		v[i] = frames / t;
	}
	*out = median(v, rounds);
	return 0;
}

static void run_kernel(const char *card, const uint32_t (*modes)[2], int nmodes,
		       int rounds, double secs)
{
	for (int m = 0; m < nmodes; m++) {
		struct drm_peer peer;
		uint32_t w = modes[m][0], h = modes[m][1];
		if (drm_peer_open(&peer, card, w, h, errors[KERNEL],
				  sizeof(errors[KERNEL])) < 0)
			return;
		fprintf(stderr, "bench-guest: kernel %ux%u (mode %s)\n", w, h,
			peer.mode_listed ? "listed" : "built");
		for (int p = 0; p < GUEST_PATTERNS; p++)
			if (run_pattern((enum bg_pattern)p, w, h, kernel_front,
					peer.pitch / 4, kernel_present, &peer,
					rounds, secs, &fps[KERNEL][m][p]) < 0)
				break;
		/* The variant: the frame drawn into the back buffer and
		 * flipped to.  A failure here is reported, not fatal. */
		for (int p = 0;
		     p < GUEST_PATTERNS && !errors[KERNEL][0] && !flip_error[0];
		     p++)
			run_pattern((enum bg_pattern)p, w, h, kernel_back,
				    peer.pitch / 4, kernel_flip, &peer, rounds,
				    secs, &flip_fps[m][p]);
		drm_peer_close(&peer);
		if (errors[KERNEL][0])
			return;
	}
}

static void run_ours(const char *device, const uint32_t (*modes)[2], int nmodes,
		     int rounds, double secs)
{
	uint64_t biggest = 0;
	for (int m = 0; m < nmodes; m++)
		if ((uint64_t)modes[m][0] * modes[m][1] * 4 > biggest)
			biggest = (uint64_t)modes[m][0] * modes[m][1] * 4;
	struct vg_host_request rq = {
		.device = device,
		.frame_bytes = biggest,
		.frame_heads = 1,
		.timeout_ms = 60000, /* TCG and an emulated IOMMU: slow */
	};
	struct vg_host *host = NULL;
	if (vg_host_open(&rq, &host, errors[OURS], sizeof(errors[OURS])) !=
	    VG_HOST_OK)
		return;
	struct ours_ctx o = {.gpu = vg_host_gpu(host)};
	for (int m = 0; m < nmodes && !errors[OURS][0]; m++) {
		uint32_t w = modes[m][0], h = modes[m][1];
		vg_status st = vg_fb_create(o.gpu, w, h, &o.fb);
		if (st == VG_OK)
			st = vg_gpu_set_scanout(o.gpu, 0, o.fb);
		if (st != VG_OK) {
			snprintf(errors[OURS], sizeof(errors[OURS]),
				 "%ux%u: %s", w, h, vg_status_str(st));
			vg_fb_destroy(o.fb);
			break;
		}
		fprintf(stderr, "bench-guest: ours %ux%u\n", w, h);
		memset(vg_fb_pixels(o.fb), 0x40,
		       (size_t)vg_fb_stride(o.fb) * h);
		for (int p = 0; p < GUEST_PATTERNS; p++)
			if (run_pattern((enum bg_pattern)p, w, h, ours_pixels,
					vg_fb_stride(o.fb) / 4, ours_present,
					&o, rounds, secs, &fps[OURS][m][p]) < 0)
				break;
		vg_gpu_set_scanout(o.gpu, 0, NULL);
		vg_fb_destroy(o.fb);
		o.fb = NULL;
	}
	vg_host_close(host);
}

/* Errors go into JSON strings: no quotes, backslashes or controls. */
static const char *json_safe(char *s)
{
	for (char *c = s; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			*c = '\'';
	return s;
}

static void print_json(const uint32_t (*modes)[2], int nmodes, int rounds,
		       double secs)
{
	const char *pre = "GUEST-JSON ";
	printf("%s{\"benchmark\": \"guest\", \"rounds\": %d, "
	       "\"seconds_per_round\": %.2f,\n",
	       pre, rounds, secs);
	for (int k = 0; k < DRIVERS; k++)
		printf("%s \"%s_error\": \"%s\",\n", pre, driver_name[k],
		       json_safe(errors[k]));
	printf("%s \"kernel_flip_error\": \"%s\",\n", pre,
	       json_safe(flip_error));
	printf("%s \"results\": [\n", pre);
	for (int m = 0; m < nmodes; m++)
		for (int p = 0; p < GUEST_PATTERNS; p++) {
			uint32_t w = modes[m][0], h = modes[m][1];
			struct bg_damage d =
				bg_damage_of((enum bg_pattern)p, w, h);
			double k = fps[KERNEL][m][p], o = fps[OURS][m][p];
			printf("%s  {\"mode\": \"%ux%u\", \"pattern\": \"%s\", "
			       "\"rects\": %u, "
			       "\"ours\": {\"fps\": %.2f, \"bytes_per_frame\": "
			       "%llu}, "
			       "\"kernel\": {\"fps\": %.2f, "
			       "\"bytes_per_frame\": %llu, "
			       "\"bbox_bytes_per_frame\": %llu}, "
			       "\"kernel_flip\": {\"fps\": %.2f, "
			       "\"bytes_per_frame\": %llu}, "
			       "\"fps_ours_vs_kernel\": %.3f}%s\n",
			       pre, w, h, bg_pattern_name[p], d.n, o,
			       (unsigned long long)bg_bytes(&d), k,
			       (unsigned long long)bg_bytes(&d),
			       (unsigned long long)bg_bbox_bytes(&d),
			       flip_fps[m][p], (unsigned long long)w * h * 4,
			       k > 0 ? o / k : 0.0,
			       m == nmodes - 1 && p == GUEST_PATTERNS - 1
				       ? ""
				       : ",");
		}
	printf("%s ]}\n", pre);
}

int main(int argc, char **argv)
{
	int rounds = 3;
	double secs = 0.5;
	const char *modes_arg = "1920x1080,3840x2160";
	const char *card = "/dev/dri/card0";
	const char *device = "vfio,max_hostmem=1G,irq=msix";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds-per-round") &&
			 i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "--modes") && i + 1 < argc)
			modes_arg = argv[++i];
		else if (!strcmp(argv[i], "--card") && i + 1 < argc)
			card = argv[++i];
		else if (!strcmp(argv[i], "--device") && i + 1 < argc)
			device = argv[++i];
		else {
			fprintf(stderr, "usage: bench-guest [--rounds N] "
					"[--seconds-per-round S] "
					"[--modes WxH,...] [--card PATH] "
					"[--device SPEC]\n");
			return 2;
		}
	}
	uint32_t modes[MAX_MODES][2];
	int nmodes = 0;
	for (const char *s = modes_arg; s && *s && nmodes < MAX_MODES;) {
		if (sscanf(s, "%ux%u", &modes[nmodes][0], &modes[nmodes][1]) !=
			    2 ||
		    modes[nmodes][0] < 400 || modes[nmodes][1] < 200 ||
		    modes[nmodes][0] > 8192 || modes[nmodes][1] > 8192) {
			fprintf(stderr, "bench-guest: bad mode '%s'\n", s);
			return 2;
		}
		nmodes++;
		s = strchr(s, ',');
		s = s ? s + 1 : NULL;
	}
	if (rounds < 1 || rounds > 64 || secs <= 0 || !nmodes) {
		fprintf(stderr, "bench-guest: bad --rounds, "
				"--seconds-per-round or --modes\n");
		return 2;
	}
	run_kernel(card, (const uint32_t(*)[2])modes, nmodes, rounds, secs);
	run_ours(device, (const uint32_t(*)[2])modes, nmodes, rounds, secs);
	print_json((const uint32_t(*)[2])modes, nmodes, rounds, secs);
	int ok = !errors[KERNEL][0] && !errors[OURS][0];
	printf("GUEST-RESULT bench %s kernel: %s; ours: %s\n",
	       ok ? "PASS" : "FAIL", errors[KERNEL][0] ? errors[KERNEL] : "ok",
	       errors[OURS][0] ? errors[OURS] : "ok");
	fflush(stdout);
	return ok ? 0 : 1;
}
