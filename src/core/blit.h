/* SPDX-License-Identifier: MIT */
/*
 * Present from a source image into a framebuffer held in memory: rotation
 * between source and framebuffer coordinates, move rectangles, dirty
 * rectangles through a converter, and the list of framebuffer rectangles
 * that changed (what the device must be told).  The rotation mapping is
 * written in include/viogpu/present.h.
 *
 * Pure: no device, no os.h; the caller owns every buffer and serializes
 * calls on one framebuffer.
 */
#ifndef VG_CORE_BLIT_H
#define VG_CORE_BLIT_H

#include <stdbool.h>
#include <stdint.h>

#include "convert.h"
#include "viogpu/present.h"

/* The destination: B8G8R8X8, stride bytes per row (a multiple of 4). */
struct vg_blit_fb {
	uint32_t *pixels;
	uint32_t stride;
	uint32_t width, height;
};

/* r (source orientation, inside the source) in framebuffer coordinates. */
struct vg_rect vg_blit_map_rect(enum vg_rotation rot, uint32_t fb_w,
				uint32_t fb_h, const struct vg_rect *r);

/*
 * Checks src against fb (rotation known, format known, pixels set, pitch
 * >= width * vg_format_bytes, size the fb's, transposed for 90/270) and that
 * every move's source and destination lie inside the source.  VG_E_INVAL or
 * VG_E_RANGE as vg_gpu_present_source documents.
 */
vg_status vg_blit_check(const struct vg_blit_fb *fb,
			const struct vg_present_source *src,
			const struct vg_move_rect *moves, unsigned nmoves);

/*
 * Applies checked moves in order, each as if through a temporary; writes
 * each non-empty move's destination in fb coordinates to out (room for n)
 * and returns how many.
 */
unsigned vg_blit_moves(const struct vg_blit_fb *fb, enum vg_rotation rot,
		       const struct vg_move_rect *moves, unsigned n,
		       struct vg_rect *out);

/*
 * Copies the dirty rectangles of a checked src, clipped to it, through
 * conv into fb; writes each non-empty one in fb coordinates to out (room
 * for n) and returns how many.
 */
unsigned vg_blit_dirty(const struct vg_blit_fb *fb,
		       const struct vg_present_source *src,
		       const struct vg_converter *conv,
		       const struct vg_rect *dirty, unsigned n,
		       struct vg_rect *out);

/*
 * All of it: check, moves, dirty with src's format's sRGB converter
 * (vg_converter_for_format; VG_E_UNSUPPORTED for FP16).  out has room for
 * nmoves + ndirty; *nout is how many rectangles changed.  On failure fb
 * is untouched and *nout is 0.
 */
vg_status vg_blit_present(const struct vg_blit_fb *fb,
			  const struct vg_present_source *src,
			  const struct vg_move_rect *moves, unsigned nmoves,
			  const struct vg_rect *dirty, unsigned ndirty,
			  struct vg_rect *out, unsigned *nout);

#endif
