// SPDX-License-Identifier: MIT
/*
 * bench-present: full-frame presents per second at 1920x1080, 3840x2160
 * and 7680x4320 on QEMU's virtio-gpu-pci, next to two references measured
 * in the same run:
 *   device_only  TRANSFER_TO_HOST_2D + RESOURCE_FLUSH of an unchanged frame
 *                (what QEMU absorbs when the CPU draws nothing)
 *   memcpy       one single-core memcpy of a frame (the copy QEMU must do
 *                at least once per present)
 * "present" redraws every pixel of the frame on the CPU, then presents it.
 * Each figure is the median over runs of frames/s; runs alternate between
 * the three so that machine noise hits all of them alike.
 * usage: bench-present [--runs N] [--seconds-per-run S] [--modes WxH,...]
 *                      [--device SPEC]
 * --device takes the CLI's text (default qemu,max_hostmem=1G); the figures
 * above are about QEMU, "sim" gives the device model's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "viogpu/display.h"
#include "viogpu/host.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

static void redraw(uint32_t *px, size_t n, uint32_t frame)
{
	uint32_t v = frame * 0x010203u;
	for (size_t i = 0; i < n; i++)
		px[i] = v + (uint32_t)i;
}

/* Frames per second of one run of fn for about `secs`. */
enum kind { K_PRESENT, K_DEVICE_ONLY, K_MEMCPY };

static double run_once(enum kind k, struct vg_gpu *gpu, struct vg_fb *fb,
		       uint32_t *src, uint32_t *dst, size_t npx, double secs,
		       int *err)
{
	double t0 = bench_now_s(), t;
	uint32_t frames = 0;
	do {
		vg_status st = VG_OK;
		if (k == K_PRESENT) {
			redraw(vg_fb_pixels(fb), npx, frames);
			st = vg_gpu_present(gpu, fb, NULL, 0);
		} else if (k == K_DEVICE_ONLY) {
			st = vg_gpu_present(gpu, fb, NULL, 0);
		} else {
			memcpy(dst, src, npx * 4);
			__asm__ volatile("" ::"r"(dst) : "memory");
		}
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
	int runs = 5;
	double secs = 1.0;
	const char *modes = "1920x1080,3840x2160,7680x4320";
	const char *device = "qemu,max_hostmem=1G";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds-per-run") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "--modes") && i + 1 < argc)
			modes = argv[++i];
		else if (!strcmp(argv[i], "--device") && i + 1 < argc)
			device = argv[++i];
		else {
			fprintf(stderr,
				"usage: bench-present [--runs N] "
				"[--seconds-per-run S] [--modes WxH,...] "
				"[--device SPEC]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 100 || secs <= 0) {
		fprintf(stderr, "bench: bad --runs or --seconds-per-run\n");
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
	printf("{\n  \"benchmark\": \"present\",\n  \"runs\": %d,\n"
	       "  \"seconds_per_run\": %.2f,\n  \"results\": [",
	       runs, secs);
	char *list = strdup(modes);
	int first = 1;
	for (char *tok = strtok(list, ","); tok && !err;
	     tok = strtok(NULL, ",")) {
		uint32_t w, h;
		if (sscanf(tok, "%ux%u", &w, &h) != 2) {
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
		size_t npx = (size_t)w * h;
		uint32_t *src = malloc(npx * 4), *dst = malloc(npx * 4);
		double *r[3];
		for (int k = 0; k < 3; k++)
			r[k] = calloc((size_t)runs, sizeof(double));
		memset(src, 0x5a, npx * 4);
		memset(dst, 0, npx * 4);
		for (int i = 0; i < runs && !err; i++) {
			fprintf(stderr, "bench: %ux%u run %d/%d\n", w, h, i + 1,
				runs);
			for (int k = 0; k < 3 && !err; k++)
				r[k][i] = run_once((enum kind)k, gpu, fb, src,
						   dst, npx, secs, &err);
		}
		if (!err) {
			double p = bench_median(r[K_PRESENT], runs);
			double d = bench_median(r[K_DEVICE_ONLY], runs);
			double m = bench_median(r[K_MEMCPY], runs);
			printf("%s\n    {\"mode\": \"%ux%u\", \"frame_bytes\": "
			       "%zu, \"backing_entries\": %u,\n"
			       "     \"present_fps\": %.2f, "
			       "\"device_only_fps\": %.2f, \"memcpy_fps\": "
			       "%.2f,\n     \"memcpy_gbps\": %.2f, "
			       "\"present_vs_device_only\": %.3f, "
			       "\"present_vs_memcpy\": %.4f}",
			       first ? "" : ",", w, h, npx * 4,
			       vg_fb_backing_entries(fb), p, d, m,
			       m * (double)npx * 4 / 1e9, p / d, p / m);
			first = 0;
		}
		fflush(stdout);
		for (int k = 0; k < 3; k++)
			free(r[k]);
		free(src);
		free(dst);
		vg_fb_destroy(fb);
	}
	printf("\n  ]\n}\n");
	free(list);
	vg_host_close(host);
	return err;
}
