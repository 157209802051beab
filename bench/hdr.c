// SPDX-License-Identifier: MIT
/*
 * bench-hdr: the HDR converter on full frames, one core, next to two
 * references on the same frame in the same run:
 *   memcpy  one single-core memcpy of the source bytes (the least any
 *           conversion must do: read the frame once)
 *   ffmpeg  FFmpeg's own CPU path for the same job, one thread, pinned to
 *           one CPU: zscale to linear light, its tonemap filter, zscale to
 *           BT.709 sRGB, 8-bit BGR0 (the chains are printed in the JSON).
 *           Its per-frame time is (t(1 + L frames) - t(1 frame)) / L, so
 *           process start-up and file set-up cancel.
 * Jobs: HDR10 (DXGI R10G10B10A2, BT.2020 PQ, MaxCLL 1000) and scRGB
 * (R16G16B16A16_FLOAT, linear BT.709, 1.0 = 80 nits, MaxCLL 1000) to the
 * 8-bit sRGB scanout, at 3840x2160 and 7680x4320.  Each figure is the
 * median of --runs runs (after one warm-up); GB/s are of SOURCE bytes.
 *
 * FFmpeg 5.1 (Debian 12) has no FP16 pixel format (rgbaf16 came in 6.0),
 * so its scRGB job reads the same picture as planar float (gbrpf32le,
 * 12 bytes a pixel instead of 8): the nearest input it has.
 *
 * usage: bench-hdr [--runs N] [--modes WxH,...] [--ffmpeg PATH|none]
 *                  [--ffmpeg-frames L] [--jobs hdr10,scrgb]
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "convert.h"
#include "viogpu/color.h"

/* binary16 of a float (round to nearest; the picture has no subnormals
 * that matter). */
static uint16_t to_half(float f)
{
	uint32_t b;
	memcpy(&b, &f, 4);
	uint32_t sign = b >> 16 & 0x8000;
	int32_t e = (int32_t)(b >> 23 & 0xff) - 127 + 15;
	uint32_t m = b & 0x7fffff;
	if (e <= 0)
		return (uint16_t)sign;
	if (e >= 31)
		return (uint16_t)(sign | 0x7c00);
	uint32_t h = sign | (uint32_t)e << 10 | m >> 13;
	if (m & 0x1000)
		h++; /* round half up: fine for a test picture */
	return (uint16_t)h;
}

/* The test picture, in linear BT.709 nits: a luminance ramp 0..2000
 * nits across, hue turning down the frame, a saturated band, fine
 * texture (so no two neighbours are equal). */
static void picture(uint32_t x, uint32_t y, uint32_t w, uint32_t h,
		    float rgb[3])
{
	float l = 2000.0f * (float)x / (float)w;
	float a = 6.2831853f * (float)y / (float)h;
	float t = (float)((x * 7 + y * 13) % 17) / 17.0f;

	rgb[0] = l * (0.6f + 0.4f * cosf(a)) + t;
	rgb[1] = l * (0.6f + 0.4f * cosf(a - 2.094f)) + t;
	rgb[2] = l * (0.6f + 0.4f * cosf(a + 2.094f)) + t;
	if (y % 64 < 8) { /* saturated: pure primaries, some negative */
		rgb[(y / 64) % 3] *= 1.5f;
		rgb[(y / 64 + 1) % 3] = -2.0f;
	}
}

/* PQ inverse EOTF (ST 2084), nits -> [0, 1]. */
static double pq_oetf(double nits)
{
	const double m1 = 2610.0 / 16384, m2 = 2523.0 / 32, c1 = 3424.0 / 4096,
		     c2 = 2413.0 / 128, c3 = 2392.0 / 128;
	double y = pow(nits < 0 ? 0 : nits / 10000.0, m1);
	return pow((c1 + c2 * y) / (1 + c3 * y), m2);
}

enum job { JOB_HDR10, JOB_SCRGB };

/* Our source frame, and FFmpeg's input file for the same picture (the
 * same bytes for HDR10; planar float G, B, R for scRGB). */
static uint8_t *make_frame(enum job j, uint32_t w, uint32_t h, size_t *bytes,
			   const char *ffpath)
{
	size_t bpp = j == JOB_HDR10 ? 4 : 8;
	uint8_t *buf = aligned_alloc(64, (size_t)w * h * bpp);

	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			float c[3];
			picture(x, y, w, h, c);
			if (j == JOB_HDR10) {
				/* BT.709 -> BT.2020 (BT.2087), then PQ. */
				double r = 0.6274 * c[0] + 0.3293 * c[1] +
					   0.0433 * c[2];
				double g = 0.0691 * c[0] + 0.9195 * c[1] +
					   0.0114 * c[2];
				double b = 0.0164 * c[0] + 0.0880 * c[1] +
					   0.8956 * c[2];
				uint32_t v =
					(uint32_t)lround(pq_oetf(r) * 1023) |
					(uint32_t)lround(pq_oetf(g) * 1023)
						<< 10 |
					(uint32_t)lround(pq_oetf(b) * 1023)
						<< 20 |
					3u << 30;
				memcpy(buf + ((size_t)y * w + x) * 4, &v, 4);
			} else {
				uint16_t hv[4] = {
					to_half(c[0] / 80), to_half(c[1] / 80),
					to_half(c[2] / 80), to_half(1.0f)};
				memcpy(buf + ((size_t)y * w + x) * 8, hv, 8);
			}
		}
	}
	*bytes = (size_t)w * h * bpp;
	if (!ffpath)
		return buf;
	FILE *f = fopen(ffpath, "wb");
	if (j == JOB_HDR10) {
		(void)fwrite(buf, 1, *bytes, f);
	} else {
		float *row = malloc((size_t)w * sizeof(float));
		for (int k = 0; k < 3; k++) /* gbrpf32le: G, B, R planes */
			for (uint32_t y = 0; y < h; y++) {
				for (uint32_t x = 0; x < w; x++) {
					float c[3];
					picture(x, y, w, h, c);
					row[x] = c[(k + 1) % 3] / 80;
				}
				(void)fwrite(row, sizeof(float), w, f);
			}
		free(row);
	}
	fclose(f);
	return buf;
}

static double time_ours(const struct vg_converter *c, const uint8_t *src,
			uint32_t *dst, uint32_t w, uint32_t h, size_t bpp)
{
	double t0 = bench_now_s();
	for (uint32_t y = 0; y < h; y++)
		c->row(c->ctx, dst + (size_t)y * w, src + (size_t)y * w * bpp,
		       (ptrdiff_t)bpp, w);
	return bench_now_s() - t0;
}

static double time_memcpy(uint8_t *dst, const uint8_t *src, size_t n)
{
	double t0 = bench_now_s();
	memcpy(dst, src, n);
	/* Keep the copy observable. */
	__asm__ volatile("" : : "r"(dst) : "memory");
	return bench_now_s() - t0;
}

static const char *ff_chain(enum job j)
{
	/* Linear light 1.0 = 203 nits (BT.2408 reference white) for HDR10,
	 * so tonemap's peak is Lw / 203; scRGB stays 1.0 = 80 nits. */
	return j == JOB_HDR10
		       ? "zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:rin="
			 "full:"
			 "t=linear:npl=203,format=gbrpf32le,zscale=p=bt709,"
			 "tonemap=tonemap=mobius:desat=0:peak=4.926,"
			 "zscale=t=iec61966-2-1:m=bt709:r=full,format=bgr0"
		       : "tonemap=tonemap=mobius:desat=0:peak=12.5,"
			 "zscale=tin=linear:pin=bt709:min=bt709:rin=full:"
			 "t=iec61966-2-1:p=bt709:m=bt709:r=full,format=bgr0";
}

/* Seconds of one ffmpeg run over 1 + loops frames; < 0 on failure. */
static double run_ffmpeg(const char *ff, enum job j, const char *in, uint32_t w,
			 uint32_t h, int loops)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
		 "taskset -c 0 %s -nostdin -hide_banner -loglevel error "
		 "-threads 1 -filter_threads 1 -stream_loop %d -f rawvideo "
		 "-pix_fmt %s -s %ux%u %s -i %s -vf '%s' -f null - </dev/null",
		 ff, loops, j == JOB_HDR10 ? "x2bgr10le" : "gbrpf32le", w, h,
		 j == JOB_HDR10
			 ? "-color_primaries bt2020 -color_trc smpte2084 "
			   "-colorspace bt2020nc -color_range pc"
			 : "-color_primaries bt709 -color_trc linear "
			   "-colorspace rgb -color_range pc",
		 in, ff_chain(j));
	double t0 = bench_now_s();
	int rc = system(cmd);
	double t = bench_now_s() - t0;
	return rc == 0 ? t : -1;
}

static void report(const char *name, double secs, size_t bytes, int last)
{
	printf("      \"%s\": {\"ms\": %.3f, \"fps\": %.2f, \"src_gbps\": "
	       "%.3f}%s\n",
	       name, secs * 1e3, 1 / secs, (double)bytes / secs / 1e9,
	       last ? "" : ",");
}

int main(int argc, char **argv)
{
	int runs = 7, ffloops = 3;
	const char *modes = "3840x2160,7680x4320", *ff = "ffmpeg";
	const char *jobs = "hdr10,scrgb";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--modes") && i + 1 < argc)
			modes = argv[++i];
		else if (!strcmp(argv[i], "--ffmpeg") && i + 1 < argc)
			ff = argv[++i];
		else if (!strcmp(argv[i], "--ffmpeg-frames") && i + 1 < argc)
			ffloops = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
			jobs = argv[++i];
		else {
			fprintf(stderr, "usage: bench-hdr [--runs N] [--modes "
					"WxH,...] [--ffmpeg PATH|none] "
					"[--ffmpeg-frames L] [--jobs "
					"hdr10,scrgb]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 1000 || ffloops < 1 || ffloops > 100) {
		fprintf(stderr, "bench-hdr: bad --runs or --ffmpeg-frames\n");
		return 2;
	}
	int use_ff = strcmp(ff, "none") != 0;
	if (use_ff) {
		char probe[512];
		snprintf(
			probe, sizeof(probe),
			"%s -hide_banner -filters 2>/dev/null | grep -q zscale",
			ff);
		if (system(probe) != 0) {
			fprintf(stderr,
				"bench-hdr: no '%s' with the zscale filter "
				"(Debian: apt-get install ffmpeg); "
				"the FFmpeg column is left out (--ffmpeg "
				"none to silence this)\n",
				ff);
			use_ff = 0;
		}
	}
	const struct vg_hdr_metadata meta = {.max_cll = 1000, .max_fall = 400};
	void *tables = aligned_alloc(64, (vg_hdr_tables_size() + 63) & ~63ul);

	printf("{\n  \"benchmark\": \"hdr\",\n  \"runs\": %d,\n"
	       "  \"ffmpeg_chains\": {\"hdr10\": \"%s\", \"scrgb\": \"%s\"},\n"
	       "  \"results\": [\n",
	       runs, ff_chain(JOB_HDR10), ff_chain(JOB_SCRGB));
	char *mcopy = strdup(modes);
	int first = 1;
	for (char *tok = strtok(mcopy, ","); tok; tok = strtok(NULL, ",")) {
		uint32_t w, h;
		if (sscanf(tok, "%ux%u", &w, &h) != 2 || !w || !h ||
		    w > 16384 || h > 16384) {
			fprintf(stderr, "bench-hdr: bad mode '%s'\n", tok);
			return 2;
		}
		for (int j = JOB_HDR10; j <= JOB_SCRGB; j++) {
			const char *jname = j == JOB_HDR10 ? "hdr10" : "scrgb";
			if (!strstr(jobs, jname))
				continue;
			char ffin[] = "/tmp/bench-hdr-XXXXXX";
			int fd = use_ff ? mkstemp(ffin) : -1;
			if (fd >= 0)
				close(fd);
			size_t bytes, bpp = j == JOB_HDR10 ? 4 : 8;
			uint8_t *src = make_frame((enum job)j, w, h, &bytes,
						  fd >= 0 ? ffin : NULL);
			uint8_t *copy = aligned_alloc(64, bytes);
			uint32_t *dst = aligned_alloc(64, (size_t)w * h * 4);
			memset(copy, 1, bytes);
			memset(dst, 1, (size_t)w * h * 4);
			struct vg_converter c;
			if (vg_hdr_converter_init(
				    tables, vg_hdr_tables_size(),
				    j == JOB_HDR10 ? VG_SRC_R10G10B10A2
						   : VG_SRC_RGBA16F,
				    j == JOB_HDR10 ? VG_CS_BT2020_PQ
						   : VG_CS_SCRGB,
				    &meta, &c) != VG_OK) {
				fprintf(stderr, "bench-hdr: converter init\n");
				return 1;
			}
			double *to = calloc((size_t)runs, sizeof(double));
			double *tm = calloc((size_t)runs, sizeof(double));
			time_ours(&c, src, dst, w, h, bpp); /* warm-up */
			time_memcpy(copy, src, bytes);
			for (int r = 0; r < runs; r++) { /* interleaved */
				to[r] = time_ours(&c, src, dst, w, h, bpp);
				tm[r] = time_memcpy(copy, src, bytes);
			}
			double ours = bench_median(to, runs),
			       mc = bench_median(tm, runs);
			double ffs = -1;
			if (fd >= 0) {
				int fr = runs < 3 ? runs : 3;
				double *tf = calloc((size_t)fr, sizeof(double));
				for (int r = 0; r < fr && ffs != -2; r++) {
					double one = run_ffmpeg(ff, (enum job)j,
								ffin, w, h, 0);
					double more =
						run_ffmpeg(ff, (enum job)j,
							   ffin, w, h, ffloops);
					if (one < 0 || more < 0)
						ffs = -2;
					else
						tf[r] = (more - one) / ffloops;
				}
				if (ffs != -2)
					ffs = bench_median(tf, fr);
				else
					fprintf(stderr, "bench-hdr: ffmpeg "
							"failed\n");
				free(tf);
				unlink(ffin);
			}
			printf("%s    {\n      \"mode\": \"%ux%u\", \"job\": "
			       "\"%s\", \"src_bytes\": %zu,\n",
			       first ? "" : ",\n", w, h, jname, bytes);
			first = 0;
			report("ours", ours, bytes, 0);
			report("memcpy", mc, bytes, 0);
			if (ffs > 0)
				report("ffmpeg", ffs, bytes, 0);
			else
				printf("      \"ffmpeg\": null,\n");
			printf("      \"ours_over_memcpy_bandwidth\": %.3f,\n"
			       "      \"ours_speedup_over_ffmpeg\": ",
			       mc / ours);
			if (ffs > 0)
				printf("%.2f\n    }", ffs / ours);
			else
				printf("null\n    }");
			fflush(stdout);
			fprintf(stderr,
				"%ux%u %-5s ours %7.2f ms (%6.1f fps, %5.2f "
				"GB/s)  memcpy %6.2f ms (%5.2f GB/s)  "
				"ours/memcpy %.2f",
				w, h, jname, ours * 1e3, 1 / ours,
				(double)bytes / ours / 1e9, mc * 1e3,
				(double)bytes / mc / 1e9, mc / ours);
			if (ffs > 0)
				fprintf(stderr,
					"  ffmpeg %8.1f ms (%5.2f fps)  "
					"ours %.0fx faster",
					ffs * 1e3, 1 / ffs, ffs / ours);
			fprintf(stderr, "\n");
			free(to);
			free(tm);
			free(src);
			free(copy);
			free(dst);
		}
	}
	printf("\n  ]\n}\n");
	free(mcopy);
	free(tables);
	return 0;
}
