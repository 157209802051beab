/* SPDX-License-Identifier: MIT */
/*
 * The damage sequences of the present benchmarks: bench-guest plays them
 * through the kernel's driver and ours, bench-present-strategies sends
 * them per rectangle, as a bounding box and as full frames.  The same
 * pixels written and the same rectangles declared every frame, whoever
 * carries them to the device.
 *   full       the whole frame rewritten
 *   small      one 120x30 rectangle (a clock) in the middle
 *   scattered  a 2x20 caret near the top-left and a 120x30 clock near the
 *              bottom-right: two small rectangles far apart
 *   scroll     a window of 60% x 60% whose contents move up 20 px (a
 *              memmove in the frame, as 2D virtio-gpu has no copy) plus a
 *              fresh 20 px strip: one rectangle, the window
 *   large      one 80% x 80% rectangle (where the strategies should tie)
 * Threading: none; pure functions over the caller's pixels.
 */
#ifndef VG_BENCH_DAMAGE_H
#define VG_BENCH_DAMAGE_H

#include <stdint.h>

enum bg_pattern {
	BG_FULL,
	BG_SMALL,
	BG_SCATTERED,
	BG_SCROLL,
	BG_LARGE,
	BG_PATTERNS
};

extern const char *const bg_pattern_name[BG_PATTERNS];

struct bg_rect {
	uint32_t x, y, w, h;
};

struct bg_damage {
	struct bg_rect r[2];
	unsigned n;
};

/* The rectangles pattern p declares each frame at w x h. */
struct bg_damage bg_damage_of(enum bg_pattern p, uint32_t w, uint32_t h);
/* Writes frame `frame` of p into px (stride in pixels). */
void bg_draw(enum bg_pattern p, const struct bg_damage *d, uint32_t *px,
	     uint32_t stride, uint32_t frame);
/* Sum of the rectangles' areas x 4 bytes. */
uint64_t bg_bytes(const struct bg_damage *d);
/* The rectangles' bounding box, and its area x 4 bytes. */
struct bg_rect bg_bbox(const struct bg_damage *d);
uint64_t bg_bbox_bytes(const struct bg_damage *d);

#endif
