/* SPDX-License-Identifier: MIT */
/*
 * Present and cursor: a framebuffer's dirty rectangles to the host
 * (vg_gpu_present), a source image with moves and dirty rectangles
 * (vg_gpu_present_source) and cursor shapes: what WDDM's
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
 * Ownership: the caller owns everything it passes; the source pixels, the
 * rectangles, the cursor image and the shape bits are read during the
 * call only (not kept).  The cursor is remembered by the driver (its own
 * copy on the device) and shown again after a reset or power-up.
 *
 * Threading: as every vg_gpu call, serialized by the caller (gpu.h).
 * Outside D0 these return VG_E_POWER at once, and VG_E_TAKEN_BACK after
 * vg_gpu_take_back (power.h); they never wait for a power transition.
 */
#ifndef VIOGPU_PRESENT_H
#define VIOGPU_PRESENT_H

#include <stdint.h>

#include "viogpu/status.h"
#include "viogpu/types.h"

/*
 * Copies the dirty rectangles of fb to the host and flushes them to every
 * head showing fb.  All transfers and flushes are queued behind one
 * notification; returns when the device has completed the last (fenced)
 * flush.  n == 0 presents the whole frame.
 */
vg_status vg_gpu_present(struct vg_gpu *gpu, struct vg_fb *fb,
			 const struct vg_rect *dirty, unsigned n);

/* Cursor: image is 64x64 0xAARRGGBB; NULL hides the cursor. */
vg_status vg_gpu_cursor_update(struct vg_gpu *gpu, uint32_t head,
			       const uint32_t *image64, uint32_t hot_x,
			       uint32_t hot_y, uint32_t x, uint32_t y);
vg_status vg_gpu_cursor_move(struct vg_gpu *gpu, uint32_t head, uint32_t x,
			     uint32_t y);

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
 * 0 is no format so a zeroed struct is refused.
 *
 * The 10-bit and FP16 formats are what an IddCx 1.10 swap chain hands an
 * HDR-capable indirect display driver; they are converted through the
 * head's colorimetry (viogpu/color.h, vg_gpu_set_head_colorimetry):
 *   R10G10B10A2: DXGI_FORMAT_R10G10B10A2_UNORM, R in bits 0-9 of a
 *     little-endian uint32_t, G 10-19, B 20-29, alpha 30-31 (D3D9 calls
 *     this layout A2B10G10R10; the HDR issue's "A2R10G10B10 in DXGI
 *     R10G10B10A2 order").  R10G10B10X2: the same, top bits ignored.
 *     B10G10R10A2: D3D9's D3DFMT_A2R10G10B10 (B in bits 0-9).  On a head
 *     in sRGB they are SDR (rounded to 8 bits); in BT.2020 PQ or HLG they
 *     are HDR10 / HLG.
 *   R16G16B16A16_FLOAT: DXGI_FORMAT_R16G16B16A16_FLOAT, four IEEE binary16
 *     (R first), scRGB: linear BT.709, 1.0 = 80 nits.  Needs a head in
 *     VG_CS_SCRGB (it has no other meaning in DXGI).
 */
enum vg_pixel_format {
	VG_PIXEL_B8G8R8X8 = 1,
	VG_PIXEL_B8G8R8A8 = 2,
	VG_PIXEL_R8G8B8X8 = 3,
	VG_PIXEL_R8G8B8A8 = 4,
	VG_PIXEL_R10G10B10A2 = 5,
	VG_PIXEL_R10G10B10X2 = 6,
	VG_PIXEL_B10G10R10A2 = 7,
	VG_PIXEL_R16G16B16A16_FLOAT = 8, /* 8 bytes per pixel */
};

/* A source image; the caller owns the pixels. */
struct vg_present_source {
	const void *pixels; /* top-left pixel, source orientation */
	uint32_t pitch;	    /* bytes from a row to the next, >= width * bpp */
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
 * Dirty rectangles go through the head's converter (its colorimetry,
 * viogpu/color.h): only the pixels inside them are converted.
 *
 * VG_E_RANGE: head >= num_scanouts, source size not the mode (transposed
 * for 90/270), a move out of range.  VG_E_INVAL: no mode set on head, NULL
 * pixels, unknown format or rotation, pitch < width * bytes per pixel,
 * NULL arrays with a count.  VG_E_UNSUPPORTED: a 10-bit or FP16 format
 * the head's color space cannot take (FP16 needs VG_CS_SCRGB; 10-bit
 * needs sRGB, PQ or HLG), nothing touched.  VG_E_POWER when not in D0 (nothing
 * touched).  Otherwise what vg_gpu_present returns; when the device fails the
 * framebuffer already holds the new picture, and the rebuild after a reset
 * presents it whole.
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
