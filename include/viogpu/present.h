/* SPDX-License-Identifier: MIT */
/*
 * Present from a source image, and cursor shapes: what WDDM's
 * DxgkDdiPresentDisplayOnly and DxgkDdiSetPointerShape hand a display-only
 * driver, in the driver's own terms.
 *
 * Coordinates of moves and dirty rectangles are in SOURCE orientation (the
 * desktop as the OS draws it, width x height of the source).  The head's
 * framebuffer is the mode (B8G8R8X8); the source is that mode turned by the
 * path's rotation, so for 90 and 270 the source is height x width of the
 * mode.  The mapping from a source pixel (sx, sy) to the framebuffer
 * (fb width FW, height FH) is the one WDDM's display-only sample uses:
 *     0:   (sx,          sy)
 *     90:  (sy,          FH - 1 - sx)
 *     180: (FW - 1 - sx, FH - 1 - sy)
 *     270: (FW - 1 - sy, sx)
 *
 * Threading: as every vg_gpu call, serialized by the caller.  The source
 * pixels and the shape bits are read during the call only (not kept).
 */
#ifndef VIOGPU_PRESENT_H
#define VIOGPU_PRESENT_H

#include <stdint.h>

#include "viogpu/status.h"
#include "viogpu/wire.h" /* struct vg_rect */

struct vg_gpu;

/* The path's rotation, as D3DKMDT_VPPR_IDENTITY / ROTATE90 / 180 / 270,
 * with the mapping above. */
enum vg_rotation {
	VG_ROTATE_0 = 0,
	VG_ROTATE_90 = 1,
	VG_ROTATE_180 = 2,
	VG_ROTATE_270 = 3,
};

/*
 * Source pixel formats, named by their bytes in memory (byte 0 first), as
 * DXGI names them: B8G8R8A8 is D3DDDIFMT_A8R8G8B8 (0xAARRGGBB read as a
 * little-endian uint32_t).  Alpha and X are ignored: the scanout is opaque.
 * 32 bits per pixel for now; 10-bit and FP16 (HDR) plug in at the
 * converter (src/core/convert.h).  0 is no format so a zeroed struct is
 * refused.
 */
enum vg_pixel_format {
	VG_PIXEL_B8G8R8X8 = 1,
	VG_PIXEL_B8G8R8A8 = 2,
	VG_PIXEL_R8G8B8X8 = 3,
	VG_PIXEL_R8G8B8A8 = 4,
};

/* A source image; the caller owns the pixels. */
struct vg_present_source {
	const void *pixels; /* top-left pixel, source orientation */
	uint32_t pitch;	    /* bytes from a row to the next, >= width * 4 */
	enum vg_pixel_format format;
	uint32_t width, height; /* source orientation */
	enum vg_rotation rotation;
};

/*
 * D3DKMT_MOVE_RECT: the framebuffer's pixels of the rectangle at (src_x,
 * src_y) of dst's size are copied to dst, both in source orientation, as
 * if through a temporary (source and destination may overlap).  Moves
 * read and write the framebuffer (what the previous present left), not
 * the source image.
 */
struct vg_move_rect {
	uint32_t src_x, src_y;
	struct vg_rect dst;
};

/*
 * Shows src on head: the moves first, in order, then the dirty rectangles
 * copied from src (converted to B8G8R8X8 and rotated), then one present of
 * exactly the framebuffer rectangles that changed.  Nothing changed (no
 * moves, every dirty rectangle empty after clipping) sends nothing.
 *
 * Dirty rectangles are clipped to the source; moves whose source or
 * destination leave the source are refused (VG_E_RANGE) because clipping
 * one side would silently change what the other means.  Validation comes
 * first: a refused call leaves the framebuffer untouched.
 *
 * VG_E_RANGE: head >= num_scanouts, source size not the mode (transposed
 * for 90/270), a move out of range.  VG_E_INVAL: no mode set on head, NULL
 * pixels, unknown format or rotation, pitch < width * 4, NULL arrays with
 * a count.  VG_E_POWER when not in D0 (nothing touched).  Otherwise what
 * vg_gpu_present returns; when the device fails the framebuffer already
 * holds the new picture, and the rebuild after a reset presents it whole.
 */
vg_status vg_gpu_present_source(struct vg_gpu *gpu, uint32_t head,
				const struct vg_present_source *src,
				const struct vg_move_rect *moves,
				unsigned nmoves, const struct vg_rect *dirty,
				unsigned ndirty);

/* ---- cursor shapes, as DXGK_POINTERFLAGS ---- */

#define VG_CURSOR_MAX 64 /* the virtio-gpu cursor is 64 x 64 */

/*
 * MONOCHROME: a 1 bpp AND mask followed by a 1 bpp XOR mask, each
 *   width x height/2, rows top-down, most significant bit leftmost, pitch
 *   bytes per row; `height` counts the rows of both masks, as
 *   DxgkDdiSetPointerShape passes it, so it must be even.
 * COLOR: 32 bpp 0xAARRGGBB (little-endian uint32_t), straight alpha.
 * MASKED_COLOR: 32 bpp 0xMMRRGGBB whose top byte is a mask: 0x00 the color
 *   replaces the screen, 0xFF the color is XORed onto the screen; other
 *   mask values are refused.
 *
 * The virtio-gpu cursor can only blend ARGB, so XOR cannot be shown
 * exactly.  Pixels are mapped to how they look over a WHITE screen (the
 * usual background under a text cursor), except that XOR with 0 stays
 * transparent (exact):
 *   mono AND=0 XOR=0 -> opaque black      (exact)
 *   mono AND=0 XOR=1 -> opaque white      (exact)
 *   mono AND=1 XOR=0 -> transparent       (exact)
 *   mono AND=1 XOR=1 -> opaque black      (invert: white XOR 1 = black)
 *   masked 0x00 rgb  -> opaque rgb        (exact)
 *   masked 0xFF 0    -> transparent       (exact)
 *   masked 0xFF rgb  -> opaque ~rgb       (white XOR rgb)
 */
#define VG_CURSOR_MONOCHROME (1u << 0)
#define VG_CURSOR_COLOR (1u << 1)
#define VG_CURSOR_MASKED_COLOR (1u << 2)

struct vg_cursor_shape {
	uint32_t flags;	  /* exactly one VG_CURSOR_* kind */
	const void *bits; /* owned by the caller, read during the call */
	uint32_t width;	  /* 1..64 pixels */
	uint32_t height;  /* 1..64 rows; MONOCHROME: 2..128, even (see above) */
	uint32_t pitch;	  /* bytes per row, >= (width + 7) / 8 or width * 4 */
	uint32_t hot_x, hot_y; /* inside the cursor */
};

/*
 * Sets head's cursor to shape at (x, y) (the hot spot's position on the
 * head).  VG_E_INVAL for a malformed shape (no or several kinds, NULL
 * bits, pitch too small, odd monochrome height, a masked-color mask other
 * than 0x00/0xFF); VG_E_RANGE for a size of 0 or above 64, a hot spot
 * outside the cursor, or head out of range; nothing is sent then.
 * Otherwise what vg_gpu_cursor_update returns.  To hide the cursor use
 * vg_gpu_cursor_update(.., NULL, ..).
 */
vg_status vg_gpu_cursor_set_shape(struct vg_gpu *gpu, uint32_t head,
				  const struct vg_cursor_shape *shape,
				  uint32_t x, uint32_t y);

#endif
