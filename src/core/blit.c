// SPDX-License-Identifier: MIT
/*
 * Source image -> framebuffer.  Rotation is an isometry: a rectangle of
 * the source maps to a rectangle of the framebuffer, and a translation in
 * source orientation stays a translation there.  So a move is a plain
 * rectangle copy inside the framebuffer, and a dirty rectangle is copied
 * one framebuffer row at a time, the converter walking the source with a
 * step of +-pixel size (0, 180) or +-pitch (90, 270).
 */
#include "blit.h"

#include <string.h>

static bool rot_known(enum vg_rotation rot)
{
	return rot == VG_ROTATE_0 || rot == VG_ROTATE_90 ||
	       rot == VG_ROTATE_180 || rot == VG_ROTATE_270;
}

static bool transposed(enum vg_rotation rot)
{
	return rot == VG_ROTATE_90 || rot == VG_ROTATE_270;
}

struct vg_rect vg_blit_map_rect(enum vg_rotation rot, uint32_t fb_w,
				uint32_t fb_h, const struct vg_rect *r)
{
	switch (rot) {
	case VG_ROTATE_90: /* (sx, sy) -> (sy, FH - 1 - sx) */
		return (struct vg_rect){r->y, fb_h - r->x - r->width, r->height,
					r->width};
	case VG_ROTATE_180: /* -> (FW - 1 - sx, FH - 1 - sy) */
		return (struct vg_rect){fb_w - r->x - r->width,
					fb_h - r->y - r->height, r->width,
					r->height};
	case VG_ROTATE_270: /* -> (FW - 1 - sy, sx) */
		return (struct vg_rect){fb_w - r->y - r->height, r->x,
					r->height, r->width};
	case VG_ROTATE_0:
		break;
	}
	return *r;
}

/* The source pixel shown at framebuffer (fx, fy), and the byte step in
 * the source from it to the one shown at (fx + 1, fy). */
static const uint8_t *src_at(const struct vg_blit_fb *fb,
			     const struct vg_present_source *src, uint32_t fx,
			     uint32_t fy, ptrdiff_t *step)
{
	uint32_t sx = fx, sy = fy;
	ptrdiff_t pitch = (ptrdiff_t)src->pitch;
	ptrdiff_t bpp = (ptrdiff_t)vg_format_bytes(src->format);

	switch (src->rotation) {
	case VG_ROTATE_90:
		sx = fb->height - 1 - fy;
		sy = fx;
		*step = pitch;
		break;
	case VG_ROTATE_180:
		sx = fb->width - 1 - fx;
		sy = fb->height - 1 - fy;
		*step = -bpp;
		break;
	case VG_ROTATE_270:
		sx = fy;
		sy = fb->width - 1 - fx;
		*step = -pitch;
		break;
	case VG_ROTATE_0:
		*step = bpp;
		break;
	}
	return (const uint8_t *)src->pixels + (size_t)sy * src->pitch +
	       (size_t)sx * (size_t)bpp;
}

/* Inside a w x h area, without overflow. */
static bool inside(uint32_t x, uint32_t y, uint32_t rw, uint32_t rh, uint32_t w,
		   uint32_t h)
{
	return (uint64_t)x + rw <= w && (uint64_t)y + rh <= h;
}

vg_status vg_blit_check(const struct vg_blit_fb *fb,
			const struct vg_present_source *src,
			const struct vg_move_rect *moves, unsigned nmoves)
{
	if (!src || !src->pixels || !rot_known(src->rotation) ||
	    !vg_format_bytes(src->format) || (nmoves && !moves))
		return VG_E_INVAL;
	if ((uint64_t)src->width * vg_format_bytes(src->format) > src->pitch)
		return VG_E_INVAL;
	uint32_t w = transposed(src->rotation) ? fb->height : fb->width;
	uint32_t h = transposed(src->rotation) ? fb->width : fb->height;
	if (src->width != w || src->height != h)
		return VG_E_RANGE;
	for (unsigned i = 0; i < nmoves; i++) {
		const struct vg_move_rect *m = &moves[i];
		if (!inside(m->dst.x, m->dst.y, m->dst.width, m->dst.height, w,
			    h) ||
		    !inside(m->src_x, m->src_y, m->dst.width, m->dst.height, w,
			    h))
			return VG_E_RANGE;
	}
	return VG_OK;
}

/* Copies the w x h block at (sx, sy) to (dx, dy) inside fb as if through
 * a temporary: rows run away from the side they overlap on, and memmove
 * handles the overlap within a row. */
static void copy_block(const struct vg_blit_fb *fb, uint32_t sx, uint32_t sy,
		       uint32_t dx, uint32_t dy, uint32_t w, uint32_t h)
{
	uint8_t *base = (uint8_t *)fb->pixels;
	size_t bytes = (size_t)w * 4;

	for (uint32_t i = 0; i < h; i++) {
		/* Moving down: bottom row first, so no source row is
		 * overwritten before it is read. */
		uint32_t row = dy > sy ? h - 1 - i : i;
		memmove(base + (size_t)(dy + row) * fb->stride + (size_t)dx * 4,
			base + (size_t)(sy + row) * fb->stride + (size_t)sx * 4,
			bytes);
	}
}

unsigned vg_blit_moves(const struct vg_blit_fb *fb, enum vg_rotation rot,
		       const struct vg_move_rect *moves, unsigned n,
		       struct vg_rect *out)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct vg_move_rect *m = &moves[i];
		if (!m->dst.width || !m->dst.height)
			continue;
		struct vg_rect s = {m->src_x, m->src_y, m->dst.width,
				    m->dst.height};
		struct vg_rect fs =
			vg_blit_map_rect(rot, fb->width, fb->height, &s);
		struct vg_rect fd =
			vg_blit_map_rect(rot, fb->width, fb->height, &m->dst);
		copy_block(fb, fs.x, fs.y, fd.x, fd.y, fd.width, fd.height);
		out[k++] = fd;
	}
	return k;
}

/* r clipped to w x h; false if nothing is left. */
static bool clip(const struct vg_rect *r, uint32_t w, uint32_t h,
		 struct vg_rect *out)
{
	if (r->x >= w || r->y >= h || !r->width || !r->height)
		return false;
	*out = *r;
	if (out->width > w - out->x)
		out->width = w - out->x;
	if (out->height > h - out->y)
		out->height = h - out->y;
	return true;
}

unsigned vg_blit_dirty(const struct vg_blit_fb *fb,
		       const struct vg_present_source *src,
		       const struct vg_converter *conv,
		       const struct vg_rect *dirty, unsigned n,
		       struct vg_rect *out)
{
	unsigned k = 0;
	struct vg_rect r;

	for (unsigned i = 0; i < n; i++) {
		if (!clip(&dirty[i], src->width, src->height, &r))
			continue;
		struct vg_rect f = vg_blit_map_rect(src->rotation, fb->width,
						    fb->height, &r);
		for (uint32_t fy = f.y; fy < f.y + f.height; fy++) {
			ptrdiff_t step =
				0; /* set by src_at (gcc -O3 cannot see it) */
			const uint8_t *s = src_at(fb, src, f.x, fy, &step);
			uint32_t *d = (uint32_t *)((uint8_t *)fb->pixels +
						   (size_t)fy * fb->stride) +
				      f.x;
			conv->row(conv->ctx, d, s, step, f.width);
		}
		out[k++] = f;
	}
	return k;
}

vg_status vg_blit_present(const struct vg_blit_fb *fb,
			  const struct vg_present_source *src,
			  const struct vg_move_rect *moves, unsigned nmoves,
			  const struct vg_rect *dirty, unsigned ndirty,
			  struct vg_rect *out, unsigned *nout)
{
	struct vg_converter conv;

	*nout = 0;
	vg_status st = vg_blit_check(fb, src, moves, nmoves);
	if (st != VG_OK)
		return st;
	if (ndirty && !dirty)
		return VG_E_INVAL;
	if (!vg_converter_for_format(src->format, &conv))
		return VG_E_UNSUPPORTED; /* FP16 needs a head's tables */
	unsigned k = vg_blit_moves(fb, src->rotation, moves, nmoves, out);
	k += vg_blit_dirty(fb, src, &conv, dirty, ndirty, out + k);
	*nout = k;
	return VG_OK;
}
