// SPDX-License-Identifier: MIT
/*
 * hdr-figures: the README's HDR pictures, drawn by the converter itself
 * (src/core) and written with the project's PNG writer:
 *   hdr-tone-curve.png  BT.2390 EETF onto 203 nits for Lw = 1000 and 4000
 *   hdr-naive.png       a PQ test image with its code values shown as if
 *                       they were sRGB (what a driver without HDR does)
 *   hdr-tonemapped.png  the same image through the pipeline (MaxCLL 4000)
 * usage: hdr-figures OUTDIR
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "image.h"
#include "viogpu/color.h"

static double pq_inv(double nits) /* ST 2084 inverse EOTF */
{
	const double m1 = 2610.0 / 16384, m2 = 2523.0 / 32, c1 = 3424.0 / 4096,
		     c2 = 2413.0 / 128, c3 = 2392.0 / 128;
	double y = pow(fmax(nits, 0) / 10000.0, m1);
	return pow((c1 + c2 * y) / (1 + c3 * y), m2);
}

static double pq_eotf(double e) /* ST 2084 EOTF, nits */
{
	const double m1 = 2610.0 / 16384, m2 = 2523.0 / 32, c1 = 3424.0 / 4096,
		     c2 = 2413.0 / 128, c3 = 2392.0 / 128;
	double p = pow(fmax(e, 0), 1 / m2);
	return 10000.0 * pow(fmax(p - c1, 0) / (c2 - c3 * p), 1 / m1);
}

/* BT.2390 EETF as the pipeline uses it (README): nits in, nits out. */
static double eetf(double l, double lw)
{
	if (lw <= 203)
		return fmin(l, lw);
	double e1 = fmin(pq_inv(l) / pq_inv(lw), 1.0);
	double maxl = pq_inv(203) / pq_inv(lw), ks = 1.5 * maxl - 0.5, e2 = e1;
	if (e1 > ks) {
		double t = (e1 - ks) / (1 - ks), t2 = t * t, t3 = t2 * t;
		e2 = (2 * t3 - 3 * t2 + 1) * ks + (t3 - 2 * t2 + t) * (1 - ks) +
		     (-2 * t3 + 3 * t2) * maxl;
	}
	return pq_eotf(e2 * pq_inv(lw));
}

static double srgb_eotf(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static void plot(uint32_t *px, int w, int h, int x, int y, uint32_t c, int r)
{
	for (int dy = -r; dy <= r; dy++)
		for (int dx = -r; dx <= r; dx++)
			if (x + dx >= 0 && x + dx < w && y + dy >= 0 &&
			    y + dy < h)
				px[(y + dy) * w + x + dx] = c;
}

/* x: input nits on the PQ scale from 0 to 10000; y: output nits 0..220.
 * Grid: vertical lines at 1, 10, 100, 203, 1000, 4000 nits; horizontal
 * at 100 and 203 nits.  Lines: Lw = 1000 (orange), 4000 (blue), identity
 * (grey); dots: the converter's own 8-bit output for a grey PQ ramp,
 * decoded back to nits. */
static int tone_curve(const char *dir)
{
	enum { W = 640, H = 360, M = 20 };
	uint32_t *px = malloc((size_t)W * H * 4);
	const double ymax = 220;
	char path[512];

	for (int i = 0; i < W * H; i++)
		px[i] = 0xffffff;
#define X(nits) (M + (int)lround(pq_inv(nits) * (W - 2 * M)))
#define Y(nits) (H - M - (int)lround((nits) / ymax * (H - 2 * M)))
	static const double vx[] = {1, 10, 100, 203, 1000, 4000, 10000};
	for (size_t i = 0; i < sizeof(vx) / sizeof(vx[0]); i++)
		for (int y = M; y < H - M; y++)
			px[y * W + X(vx[i])] =
				vx[i] == 203 ? 0xb0b0b0 : 0xe0e0e0;
	for (int x = M; x < W - M; x++) {
		px[Y(100) * W + x] = 0xe0e0e0;
		px[Y(203) * W + x] = 0xb0b0b0;
		px[Y(0) * W + x] = 0x000000;
	}
	for (int y = M; y < H - M; y++)
		px[y * W + M] = 0x000000;
	for (int x = 0; x <= W - 2 * M; x++) {
		double l = pq_eotf((double)x / (W - 2 * M));
		if (l <= 220)
			plot(px, W, H, M + x, Y(l), 0x909090, 0);
		plot(px, W, H, M + x, Y(eetf(l, 1000)), 0xff8000, 1);
		plot(px, W, H, M + x, Y(eetf(l, 4000)), 0x0060ff, 1);
	}
	/* The converter itself: grey PQ codes, every 8th. */
	void *mem = aligned_alloc(8, (vg_hdr_tables_size() + 7) & ~7ul);
	static const uint16_t lws[2] = {1000, 4000};
	for (int k = 0; k < 2; k++) {
		struct vg_hdr_metadata m = {.max_cll = lws[k]};
		struct vg_converter c;
		if (vg_hdr_converter_init(mem, vg_hdr_tables_size(),
					  VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ,
					  &m, &c) != VG_OK)
			return 1;
		for (uint32_t code = 0; code < 1024; code += 8) {
			uint32_t in = code | code << 10 | code << 20, out;
			c.row(c.ctx, &out, (const uint8_t *)&in, 4, 1);
			double nits = srgb_eotf((out & 0xff) / 255.0) * 203;
			plot(px, W, H,
			     M + (int)lround(code / 1023.0 * (W - 2 * M)),
			     Y(nits), k ? 0x002080 : 0x804000, 2);
		}
	}
	free(mem);
	snprintf(path, sizeof(path), "%s/hdr-tone-curve.png", dir);
	int rc = vg_png_write(path, px, W, H, W * 4, NULL, 0);
	free(px);
	return rc;
}

/* The test image in linear BT.2020 nits: a sky brightening to a 4000-nit
 * sun, three lit boxes (red, green, blue at 1000 nits), a white card at
 * 203 nits, and a grey ramp 0..10000 nits along the bottom. */
static void scene(int x, int y, int w, int h, double c[3])
{
	double fx = (double)x / w, fy = (double)y / h;
	double sky = 40 + 400 * (1 - fy);
	c[0] = sky * 0.55;
	c[1] = sky * 0.75;
	c[2] = sky * 1.0;
	double dx = fx - 0.78, dy = fy - 0.22, d = sqrt(dx * dx + dy * dy);
	double sun = 4000 * exp(-d * d / 0.004);
	for (int k = 0; k < 3; k++)
		c[k] += sun;
	if (fy > 0.45 && fy < 0.75) {
		for (int b = 0; b < 3; b++)
			if (fx > 0.06 + b * 0.15 && fx < 0.18 + b * 0.15) {
				c[0] = c[1] = c[2] = 5;
				c[b] = 1000;
			}
		if (fx > 0.55 && fx < 0.7)
			c[0] = c[1] = c[2] = 203;
	}
	if (fy > 0.85)
		c[0] = c[1] = c[2] = pq_eotf(fx);
}

static int side_by_side(const char *dir)
{
	enum { W = 480, H = 270 };
	uint32_t *src = malloc((size_t)W * H * 4);
	uint32_t *naive = malloc((size_t)W * H * 4);
	uint32_t *ours = malloc((size_t)W * H * 4);
	void *mem = aligned_alloc(8, (vg_hdr_tables_size() + 7) & ~7ul);
	const struct vg_hdr_metadata m = {.max_mastering_luminance = 4000,
					  .max_cll = 4000};
	struct vg_converter c;
	char path[512];
	int rc = 0;

	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double l[3];
			uint32_t v = 3u << 30;
			scene(x, y, W, H, l);
			for (int k = 0; k < 3; k++) {
				uint32_t code =
					(uint32_t)lround(pq_inv(l[k]) * 1023);
				v |= code << (10 * k);
			}
			src[y * W + x] = v;
			/* Naive: the top 8 bits of each code as sRGB. */
			naive[y * W + x] = (v >> 2 & 0xff) << 16 |
					   (v >> 12 & 0xff) << 8 |
					   (v >> 22 & 0xff);
		}
	if (vg_hdr_converter_init(mem, vg_hdr_tables_size(), VG_SRC_R10G10B10A2,
				  VG_CS_BT2020_PQ, &m, &c) != VG_OK)
		return 1;
	for (int y = 0; y < H; y++)
		c.row(c.ctx, ours + y * W, (const uint8_t *)(src + y * W), 4,
		      W);
	snprintf(path, sizeof(path), "%s/hdr-naive.png", dir);
	rc |= vg_png_write(path, naive, W, H, W * 4, NULL, 0);
	snprintf(path, sizeof(path), "%s/hdr-tonemapped.png", dir);
	rc |= vg_png_write(path, ours, W, H, W * 4, NULL, 0);
	free(src);
	free(naive);
	free(ours);
	free(mem);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: hdr-figures OUTDIR\n");
		return 2;
	}
	return tone_curve(argv[1]) || side_by_side(argv[1]) ? 1 : 0;
}
