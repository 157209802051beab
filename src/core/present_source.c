// SPDX-License-Identifier: MIT
/*
 * vg_gpu_present_source and vg_gpu_cursor_set_shape: validation and glue
 * over the pure blit and cursor-shape code.  Public calls: one check at the
 * top (vg_gpu_gate), then internal operations (vg_present_fb per chunk,
 * vg_cursor_set), so a multi-chunk present never recovers half-way.  The
 * head's converter comes from its colorimetry (hdr_head.h).
 */
#include "blit.h"
#include "cursor_shape.h"
#include "gpu_internal.h"
#include "hdr_head.h"

/* Changed rectangles presented at a time: bounds the stack (1 KiB) for
 * any number of moves and dirty rectangles.  Presenting in chunks is
 * correct because a pixel changed again later is in a later chunk. */
#define CHUNK 64

static vg_status gate(struct vg_gpu *gpu, uint32_t head)
{
	/* Checked first so a powered-down gpu's framebuffer is not drawn
	 * into behind the OS's back. */
	vg_status st = vg_gpu_gate(gpu);
	if (st != VG_OK)
		return st;
	return head < gpu->num_scanouts ? VG_OK : VG_E_RANGE;
}

static vg_status present_chunk(struct vg_gpu *gpu, struct vg_fb *fb,
			       const struct vg_rect *rects, unsigned n)
{
	/* n == 0 would mean "the whole frame" to vg_present_fb. */
	return n ? vg_present_fb(gpu, fb, rects, n) : VG_OK;
}

vg_status vg_gpu_present_source(struct vg_gpu *gpu, uint32_t head,
				const struct vg_present_source *src,
				const struct vg_move_rect *moves,
				unsigned nmoves, const struct vg_rect *dirty,
				unsigned ndirty)
{
	struct vg_rect changed[CHUNK];
	struct vg_converter conv;

	vg_status st = gate(gpu, head);
	if (st != VG_OK)
		return st;
	struct vg_fb *fb = vg_gpu_head_fb(gpu, head);
	if (!fb || (ndirty && !dirty))
		return VG_E_INVAL;
	if (!fb->on_device)
		return VG_E_NEEDS_RESET; /* as vg_gpu_present says */
	struct vg_blit_fb bf = {vg_fb_pixels(fb), vg_fb_stride(fb),
				vg_fb_width(fb), vg_fb_height(fb)};
	st = vg_blit_check(&bf, src, moves, nmoves);
	if (st != VG_OK)
		return st;
	/* The head's colorimetry: tables built once by
	 * vg_gpu_set_head_colorimetry, only read here. */
	st = vg_hdr_head_converter(gpu, head, src->format, &conv);
	if (st != VG_OK)
		return st;

	/* WDDM's order: every move, in order, before any dirty copy. */
	for (unsigned i = 0; i < nmoves && st == VG_OK; i += CHUNK) {
		unsigned n = nmoves - i < CHUNK ? nmoves - i : CHUNK;
		unsigned k = vg_blit_moves(&bf, src->rotation, moves + i, n,
					   changed);
		st = present_chunk(gpu, fb, changed, k);
	}
	for (unsigned i = 0; i < ndirty && st == VG_OK; i += CHUNK) {
		unsigned n = ndirty - i < CHUNK ? ndirty - i : CHUNK;
		unsigned k =
			vg_blit_dirty(&bf, src, &conv, dirty + i, n, changed);
		st = present_chunk(gpu, fb, changed, k);
	}
	return st;
}

vg_status vg_gpu_cursor_set_shape(struct vg_gpu *gpu, uint32_t head,
				  const struct vg_cursor_shape *shape,
				  uint32_t x, uint32_t y)
{
	/* 16 KiB: fine on a user thread.  A kernel stack wants this written
	 * straight into the cursor resource's backing once the core's
	 * internal cursor API settles (issue 9's restructuring). */
	uint32_t image[VG_CURSOR_MAX * VG_CURSOR_MAX];

	vg_status st = gate(gpu, head);
	if (st != VG_OK)
		return st;
	st = vg_cursor_shape_to_argb(shape, image);
	if (st != VG_OK)
		return st;
	if (shape->hot_x >= VG_CURSOR_SIZE || shape->hot_y >= VG_CURSOR_SIZE)
		return VG_E_RANGE; /* as vg_gpu_cursor_update says */
	return vg_cursor_set(gpu, head, image, shape->hot_x, shape->hot_y, x,
			     y);
}
