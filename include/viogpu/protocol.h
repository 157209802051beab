/* SPDX-License-Identifier: MIT */
/*
 * The viogpud wire protocol: the only thing the display server and its
 * clients share.
 *
 * Transport: a Unix SOCK_SEQPACKET socket.  One datagram is one record:
 * a request (client -> server), a reply (server -> client, one per request,
 * in order) or an event (server -> client, unsolicited, after
 * SUBSCRIBE_INPUT or SUBSCRIBE_PRESENT, and display changes after
 * SUBSCRIBE_INPUT with VGP_SUBSCRIBE_DISPLAY; VGP_IS_EVENT tells one from
 * a reply, and a client skips event codes it does not know).  File
 * descriptors travel beside a record as SCM_RIGHTS ancillary data; which
 * records carry one is fixed by the record's code (below, "fd in" / "fd
 * out").
 *
 * Encoding: every field is a fixed-width little-endian integer; no
 * pointers, no bools, no implicit padding (every pad field is named and
 * must be zero), every record a multiple of 8 bytes.  The structs below
 * are the exact byte layout on little-endian hosts, which is all viogpu
 * supports (asserted at compile time); _Static_asserts pin every size and
 * offset so a compiler or an edit cannot move a field silently.
 *
 * Versioning: every request header carries VGP_VERSION_MAJOR; the server
 * refuses any other major with VGP_E_VERSION_MISMATCH (the minor is
 * informational: a minor bump only adds request codes, event codes or
 * subscription bits, and an older server answers those with
 * VGP_E_UNKNOWN_CODE or VGP_E_BAD_REQUEST).  Minor 2 added
 * VGP_EVENT_DISPLAY and VGP_SUBSCRIBE_DISPLAY.
 *
 * Request codes are IOCTL-style, built exactly like Windows' CTL_CODE, so
 * a code says by itself how its data moves (METHOD_*) and what it needs
 * (access): METHOD_BUFFERED records carry everything inline;
 * METHOD_IN_DIRECT requests carry exactly one fd in (the client's shared
 * memory); METHOD_OUT_DIRECT replies carry exactly one fd out (a surface's
 * or a snapshot's shared memory) when their status is VGP_OK and their
 * size field is not 0 (see OPEN_SURFACE).  Every other record has none.
 */
#ifndef VIOGPU_PROTOCOL_H
#define VIOGPU_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the viogpu protocol structs are little-endian layouts"
#endif

#define VGP_VERSION_MAJOR 1u
/* Minor 1: POST_INPUT, SUBSCRIBE_PRESENT; 2: EVENT_DISPLAY,
 * SUBSCRIBE_DISPLAY. */
#define VGP_VERSION_MINOR 2u

/* ---- IOCTL-style codes (Windows CTL_CODE, bit for bit) -------------------
 *   bits 31..16 device type, 15..14 required access, 13..2 function,
 *   1..0 transfer method. */
#define VGP_CTL_CODE(device_type, function, method, access)                    \
	(((uint32_t)(device_type) << 16) | ((uint32_t)(access) << 14) |        \
	 ((uint32_t)(function) << 2) | (uint32_t)(method))
#define VGP_CTL_DEVICE_TYPE(code) (((uint32_t)(code) >> 16) & 0xffffu)
#define VGP_CTL_ACCESS(code) (((uint32_t)(code) >> 14) & 0x3u)
#define VGP_CTL_FUNCTION(code) (((uint32_t)(code) >> 2) & 0xfffu)
#define VGP_CTL_METHOD(code) ((uint32_t)(code)&0x3u)

/* FILE_DEVICE_UNKNOWN, as the seed's driver uses. */
#define VGP_DEVICE_TYPE 0x0022u
/* Transfer methods (METHOD_BUFFERED .. METHOD_NEITHER). */
#define VGP_METHOD_BUFFERED 0u	 /* inline data only, no fd */
#define VGP_METHOD_IN_DIRECT 1u	 /* request carries one fd in */
#define VGP_METHOD_OUT_DIRECT 2u /* a VGP_OK reply carries one fd out */
#define VGP_METHOD_NEITHER 3u	 /* unused: refused */
/* Required access (FILE_ANY_ACCESS, FILE_READ_ACCESS, FILE_WRITE_ACCESS):
 * a WRITE code on a surface needs it opened with VGP_OPEN_WRITE, a READ
 * code VGP_OPEN_READ (a surface's creator holds both); else the server
 * answers VGP_E_ACCESS_DENIED. */
#define VGP_ACCESS_ANY 0u
#define VGP_ACCESS_READ 1u
#define VGP_ACCESS_WRITE 2u

/* Functions 0x800 and up are the vendor range; the seed's own IOCTLs keep
 * their numbers (0x800 pixel, 0x802 clear pixel, 0x803 line, 0x804 swap). */
#define VGP_CODE(fn, method, access)                                           \
	VGP_CTL_CODE(VGP_DEVICE_TYPE, (fn), VGP_METHOD_##method,               \
		     VGP_ACCESS_##access)
enum vgp_code {
	VGP_DRAW_PIXEL = VGP_CODE(0x800, BUFFERED, WRITE),
	VGP_GET_BUFFER = VGP_CODE(0x801, OUT_DIRECT, READ),
	VGP_CLEAR_PIXEL = VGP_CODE(0x802, BUFFERED, WRITE),
	VGP_DRAW_LINE = VGP_CODE(0x803, BUFFERED, WRITE),
	VGP_SWAP_BUFFERS = VGP_CODE(0x804, BUFFERED, WRITE),
	VGP_DRAW_RECT = VGP_CODE(0x805, BUFFERED, WRITE),
	VGP_FILL_RECT = VGP_CODE(0x806, BUFFERED, WRITE),
	VGP_CLEAR = VGP_CODE(0x807, BUFFERED, WRITE),
	VGP_BLIT = VGP_CODE(0x808, IN_DIRECT, WRITE),
	VGP_PRESENT_DAMAGE = VGP_CODE(0x809, BUFFERED, WRITE),
	VGP_GET_INFO = VGP_CODE(0x810, BUFFERED, ANY),
	VGP_SET_MODE = VGP_CODE(0x811, BUFFERED, WRITE),
	VGP_CREATE_SURFACE = VGP_CODE(0x812, OUT_DIRECT, ANY),
	VGP_OPEN_SURFACE = VGP_CODE(0x813, OUT_DIRECT, ANY),
	VGP_CLOSE_SURFACE = VGP_CODE(0x814, BUFFERED, ANY),
	VGP_SUBSCRIBE_INPUT = VGP_CODE(0x815, BUFFERED, READ),
	/* Minor 1 (the viewer, viogpu-view). */
	VGP_POST_INPUT = VGP_CODE(0x820, BUFFERED, WRITE),
	VGP_SUBSCRIBE_PRESENT = VGP_CODE(0x821, BUFFERED, READ),
	/* Server -> client only, in an event record; never a request. */
	VGP_EVENT_INPUT = VGP_CODE(0xf00, BUFFERED, ANY),
	VGP_EVENT_PRESENT = VGP_CODE(0xf10, BUFFERED, ANY),
	VGP_EVENT_DISPLAY = VGP_CODE(0xf01, BUFFERED, ANY), /* minor 2 */
};
/* Functions 0xf00..0xfff are events (server -> client), never requests. */
#define VGP_IS_EVENT(code)                                                     \
	(VGP_CTL_DEVICE_TYPE(code) == VGP_DEVICE_TYPE &&                       \
	 VGP_CTL_FUNCTION(code) >= 0xf00u)

/* ---- reply status ----------------------------------------------------------
 * 0 is success; every failure has its own code.  The three seed-004 names
 * keep their Windows meaning (STATUS_GRAPHICS_*). */
enum vgp_status {
	VGP_OK = 0,
	VGP_E_BAD_REQUEST = 1,	    /* malformed: length, pad, field value */
	VGP_E_UNKNOWN_CODE = 2,	    /* no such request code */
	VGP_E_VERSION_MISMATCH = 3, /* header major != VGP_VERSION_MAJOR */
	VGP_E_BAD_FD = 4,	 /* fd missing, extra, or not a sealed memfd */
	VGP_E_ACCESS_DENIED = 5, /* the surface's rules refuse this client */
	VGP_E_NO_SUCH_SURFACE = 6, /* handle or share name names nothing */
	VGP_E_NO_MEMORY = 7,	   /* host memory, or the client's byte limit */
	VGP_E_NO_DEVICE_RESOURCES = 8,	      /* the device ran out (seed 004's
						 INSUFFICIENT_DMA_BUFFER) */
	VGP_E_INVALID_VIDPN_SOURCEID = 9,     /* no such head */
	VGP_E_INVALID_DISPLAY_FREQUENCY = 10, /* refresh rate not 0 */
	VGP_E_INVALID_ALLOCATION_USAGE = 11,  /* unsupported flag combination */
	VGP_E_OUT_OF_RANGE = 12, /* an id, size or count beyond its limit */
	VGP_E_LIMIT = 13,	 /* the client's surface-count limit */
	VGP_E_DEVICE = 14,	 /* the device failed the operation */
	VGP_E_TRUNCATED = 15,	 /* fewer bytes than the header says */
	VGP_E_OVERSIZED = 16,	 /* more bytes than the header says or
				    than VGP_MAX_REQUEST */
};
#define VGP_STATUS_COUNT 17

/* ---- limits ------------------------------------------------------------- */
#define VGP_MAX_REQUEST 512u /* bytes in one request record */
#define VGP_MAX_REPLY 16384u /* bytes in one reply or event record */
#define VGP_MAX_FDS 1u	     /* fds beside one record */
#define VGP_MAX_HEADS 16u
#define VGP_MAX_MODES 32u /* per head, in GET_INFO */
#define VGP_MAX_DIM 16384u
#define VGP_MAX_ACCESS 16u /* entries in a RESTRICT_SHARED_ACCESS list */
#define VGP_MAX_DAMAGE 16u /* rectangles in one PRESENT_DAMAGE */
#define VGP_HANDLE_NONE 0u /* never a valid handle */

/* Pixel formats: 32 bits per pixel, little-endian words. */
enum vgp_format {
	VGP_FORMAT_XRGB8888 = 1, /* word 0x00RRGGBB (B first in memory) */
	VGP_FORMAT_ARGB8888 = 2, /* word 0xAARRGGBB */
};

/* ---- headers --------------------------------------------------------------
 */
struct vgp_req_hdr {
	uint32_t code;	  /* enum vgp_code */
	uint32_t length;  /* bytes of the whole record, header included */
	uint32_t serial;  /* chosen by the client, echoed in the reply */
	uint16_t version; /* VGP_VERSION_MAJOR */
	uint16_t pad;	  /* 0 */
};

/* Replies and events share this header.  A reply echoes the request's
 * code and serial (0 and 0 when the request was too short to have them);
 * an event has an event code (VGP_IS_EVENT), serial 0, status VGP_OK.
 * Events may arrive between a request and its reply. */
struct vgp_reply_hdr {
	uint32_t code;
	uint32_t length; /* bytes of the whole record, header included */
	uint32_t serial;
	uint32_t status; /* enum vgp_status */
};

/* ---- request bodies (after the header) ----------------------------------- */

/* GET_INFO: empty body.  Reply: struct vgp_info. */

/* SET_MODE: reply body empty. */
struct vgp_set_mode {
	uint32_t head;
	uint32_t width;
	uint32_t height;
	uint32_t refresh_mhz; /* 0: the mode's preferred rate */
};

/* Surface creation flags (seed 004's D3DDDI_RESOURCE_FLAG_* set). */
#define VGP_SURFACE_PRIMARY (1u << 0)	      /* a head scans it out */
#define VGP_SURFACE_SHARED_RESOURCE (1u << 1) /* others may open it */
#define VGP_SURFACE_RENDER_TARGET (1u << 2)
#define VGP_SURFACE_TEXTURE (1u << 3)
#define VGP_SURFACE_DECODE_RENDER_TARGET (1u << 4)
#define VGP_SURFACE_RESTRICTED_CONTENT (1u << 5)     /* no one else reads it */
#define VGP_SURFACE_RESTRICT_SHARED_ACCESS (1u << 6) /* access list applies */
#define VGP_SURFACE_ALL_FLAGS 0x7fu

enum vgp_access_kind {
	VGP_ACL_UID = 1, /* the opener's user id (SO_PEERCRED) */
	VGP_ACL_PID = 2, /* the opener's process id (SO_PEERCRED) */
};
struct vgp_access_entry {
	uint32_t kind; /* enum vgp_access_kind */
	uint32_t id;
};

/* CREATE_SURFACE (fd out): the body is this struct followed by exactly
 * naccess access entries; length = header + 32 + 8 * naccess.
 * Reply: struct vgp_surface_reply and the surface's memfd (sealed against
 * shrinking and growing, mapped shared by the server and the client). */
struct vgp_create_surface {
	uint32_t flags;	    /* VGP_SURFACE_* */
	uint32_t source_id; /* the head of a PRIMARY surface; 0 otherwise */
	uint32_t width;	    /* 1..VGP_MAX_DIM; 0 and 0 on a PRIMARY: the
			       head's current mode */
	uint32_t height;
	uint32_t format;       /* enum vgp_format */
	uint32_t refresh_rate; /* must be 0: the head's own */
	uint32_t naccess;      /* 0..VGP_MAX_ACCESS */
	uint32_t pad;
	/* struct vgp_access_entry access[naccess]; */
};

/* OPEN_SURFACE (fd out): open another client's shared surface by the
 * share name its creator received.  Reply: struct vgp_surface_reply.
 * A RESTRICTED_CONTENT surface opens for others write-only, and that reply
 * carries no fd and says size 0: a mapping would be readable, so such an
 * opener draws through requests only. */
#define VGP_OPEN_READ (1u << 0)
#define VGP_OPEN_WRITE (1u << 1)
struct vgp_open_surface {
	uint64_t name; /* vgp_surface_reply.name of the creator */
	uint32_t mode; /* VGP_OPEN_READ | VGP_OPEN_WRITE, not 0 */
	uint32_t pad;
};

/* Reply body of CREATE_SURFACE and OPEN_SURFACE. */
struct vgp_surface_reply {
	uint32_t handle; /* valid on this connection only */
	uint32_t width;
	uint32_t height;
	uint32_t pitch; /* bytes per row */
	uint32_t format;
	uint32_t flags;
	uint64_t size; /* bytes of the memfd */
	uint64_t name; /* share name (0 unless SHARED_RESOURCE) */
};

/* CLOSE_SURFACE, SWAP_BUFFERS: reply body empty. */
struct vgp_surface_ref {
	uint32_t handle;
	uint32_t pad;
};

/* DRAW_PIXEL (color used), CLEAR_PIXEL (color must be 0: to black). */
struct vgp_pixel {
	uint32_t handle;
	int32_t x;
	int32_t y;
	uint32_t color; /* 0xAARRGGBB */
};

/* DRAW_LINE: the seed's Bresenham from (x1,y1) to (x2,y2), both ends
 * drawn, anywhere in int32; only the pixels inside the surface land. */
struct vgp_line {
	uint32_t handle;
	int32_t x1;
	int32_t y1;
	int32_t x2;
	int32_t y2;
	uint32_t color;
};

/* DRAW_RECT (outline), FILL_RECT: the width x height box whose top-left
 * pixel is (x, y).  width or height 0 draws nothing; negative is refused
 * (VGP_E_BAD_REQUEST). */
struct vgp_rect {
	uint32_t handle;
	int32_t x;
	int32_t y;
	int32_t width;
	int32_t height;
	uint32_t color;
};

/* CLEAR: the whole surface. */
struct vgp_clear {
	uint32_t handle;
	uint32_t color;
};

/* BLIT (fd in): copy width x height pixels from the client's memfd (which
 * must be sealed with F_SEAL_SHRINK and large enough) at src_offset, rows
 * src_pitch bytes apart, to (dst_x, dst_y) of the surface, clipped. */
struct vgp_blit {
	uint32_t handle;
	uint32_t src_pitch; /* >= 4 * width */
	uint64_t src_offset;
	int32_t dst_x;
	int32_t dst_y;
	uint32_t width;	 /* 1..VGP_MAX_DIM */
	uint32_t height; /* 1..VGP_MAX_DIM */
};

/* PRESENT_DAMAGE: the client drew into the surface's shared memory; these
 * rectangles changed.  Body: this struct then nrects rectangles. */
struct vgp_damage_rect {
	int32_t x;
	int32_t y;
	int32_t width; /* >= 0 */
	int32_t height;
};
struct vgp_present_damage {
	uint32_t handle;
	uint32_t nrects; /* 1..VGP_MAX_DAMAGE */
			 /* struct vgp_damage_rect rects[nrects]; */
};

/* GET_BUFFER (fd out): a read-only snapshot of the head's front buffer,
 * as the seed's IOCTL_GET_BUFFER.  Reply: struct vgp_buffer_reply. */
struct vgp_get_buffer {
	uint32_t head;
	uint32_t pad;
};
struct vgp_buffer_reply {
	uint32_t width;
	uint32_t height;
	uint32_t pitch;
	uint32_t format;
	uint64_t size;
};

/* SUBSCRIBE_INPUT: events of these kinds on this head (mask 0 stops; each
 * request replaces the head's mask).  Input kinds grow from bit 0 up;
 * other event classes take bits from 31 down. */
#define VGP_INPUT_BUTTON (1u << 0)
#define VGP_INPUT_MOTION (1u << 1)
#define VGP_INPUT_KEY (1u << 2)
#define VGP_INPUT_ALL 0x7u
/* Display changes of this head: VGP_EVENT_DISPLAY records (below). */
#define VGP_SUBSCRIBE_DISPLAY (1u << 31)
#define VGP_SUBSCRIBE_ALL (VGP_INPUT_ALL | VGP_SUBSCRIBE_DISPLAY)
struct vgp_subscribe_input {
	uint32_t head;
	uint32_t mask;
};

/* POST_INPUT: an input event for SUBSCRIBE_INPUT's subscribers of `head`
 * (the viewer's clicks and motion).  The server stamps the time and sends
 * it as a struct vgp_input_event to every subscriber whose mask has
 * `kind`, the poster included, before the reply.  Refused: a kind that is
 * not exactly one VGP_INPUT_* bit, a state not 0 or 1, a BUTTON not 1..3,
 * a MOTION with a button or state (VGP_E_BAD_REQUEST); a head
 * beyond VGP_MAX_HEADS (VGP_E_OUT_OF_RANGE) or beyond the device's
 * (VGP_E_INVALID_VIDPN_SOURCEID).  Coordinates are any int32. */
struct vgp_post_input {
	uint32_t head;
	uint32_t kind; /* one VGP_INPUT_* bit */
	int32_t x;     /* surface coordinates */
	int32_t y;
	uint32_t button; /* as struct vgp_input_event */
	uint32_t state;
};

/* SUBSCRIBE_PRESENT: after every change of `head`'s front buffer (a
 * SWAP_BUFFERS or PRESENT_DAMAGE that showed something, a mode set, a
 * head given back its previous content) the subscriber gets a
 * VGP_EVENT_PRESENT with the rectangle that changed, sent once the front
 * buffer is whole again (so a GET_BUFFER after it never sees half a
 * frame).  enable 1 subscribes, 0 stops; a subscriber that may not read
 * the head's primary (RESTRICTED_CONTENT) gets the whole head as the
 * rectangle, never the real one, and GET_BUFFER refuses it. */
struct vgp_subscribe_present {
	uint32_t head;
	uint32_t enable; /* 0 or 1 */
};

/* ---- reply bodies ------------------------------------------------------- */
struct vgp_mode {
	uint32_t width;
	uint32_t height;
	uint32_t refresh_mhz;
	uint32_t pad;
};
struct vgp_head_info {
	uint32_t id;
	uint32_t connected; /* 0 or 1 */
	uint32_t width;	    /* current mode, 0x0 when disabled */
	uint32_t height;
	uint32_t nmodes;
	uint32_t pad;
	struct vgp_mode modes[VGP_MAX_MODES];
};
struct vgp_info {
	uint16_t version_major;
	uint16_t version_minor;
	uint32_t nheads;
	uint32_t formats; /* bit (1 << enum vgp_format) per supported format */
	uint32_t pad;
	struct vgp_head_info heads[VGP_MAX_HEADS];
};

/* ---- events (server -> client) ------------------------------------------- */
struct vgp_input_event {
	uint32_t head;
	uint32_t kind; /* one VGP_INPUT_* bit */
	int32_t x;     /* surface coordinates */
	int32_t y;
	uint32_t button;  /* 1 left, 2 middle, 3 right; key code for KEY */
	uint32_t state;	  /* 1 pressed, 0 released (0 for MOTION) */
	uint64_t time_ns; /* CLOCK_MONOTONIC */
};

/* VGP_EVENT_PRESENT: [x, x + width) x [y, y + height) of the head's front
 * buffer changed; width x height is the head's size after the change
 * (which a mode set changes). */
struct vgp_present_event {
	uint32_t head;
	uint32_t pad;
	int32_t x;
	int32_t y;
	int32_t width;
	int32_t height;
	uint32_t head_width;
	uint32_t head_height;
	uint64_t seq; /* counts the head's front-buffer changes, from 1 */
};

/*
 * VGP_EVENT_DISPLAY: the host changed this head (a VM window resized, a
 * monitor plugged or unplugged) and viogpud has read the new state.  The
 * daemon reads the device's display state after the device's last
 * notification, never counts them, and coalesces a storm (a window being
 * dragged) into one reading: by default at most 500 ms after the first
 * change, or 100 ms after the last one, whichever is first (viogpud
 * --follow-coalesce).  One event per head whose state differs from the
 * last one announced, so a storm gives few events and the last one
 * always carries the final state.
 *
 * Under viogpud --follow the head has already been given the host's
 * preferred size when the event is sent (flags has VGP_DISPLAY_FOLLOWED):
 * width x height is then pref_width x pref_height, or 0 x 0 when the host
 * disabled the head (its scanout is off; GET_INFO says 0 x 0 too and a new
 * PRIMARY on it is refused, INVALID_VIDPN_SOURCEID, until the host enables
 * it again or a client SET_MODEs it).  A PRIMARY surface held on the
 * head is kept, handle and memfd unchanged, and stays the head's primary:
 * its swaps show its pixels at the top-left of the new mode, clipped, the
 * rest black, and what the head showed before the change is copied the
 * same way so the screen does not go blank.  To fill the new size the
 * client closes it and creates a new PRIMARY of size 0 x 0 (the head's
 * mode).  Restoring a dead client's "previous content" happens only if
 * the mode is still the one it was taken at.
 *
 * Without --follow the modes never change behind a client: the event
 * still tells the host's preferred size (pref_*) while width x height
 * stays the head's mode and VGP_DISPLAY_FOLLOWED is clear; a client may
 * then SET_MODE itself (refused while a primary is held, as always).
 */
/* flags: the daemon follows the host (--follow) and the head has its
 * preferred size (or is off); FAILED instead when it tried and the device
 * refused (width x height is the old mode). */
#define VGP_DISPLAY_FOLLOWED (1u << 0)
#define VGP_DISPLAY_FAILED (1u << 1)
struct vgp_display_event {
	uint32_t head;
	uint32_t enabled; /* 1: the host shows this head */
	uint32_t width;	  /* the head's mode now; 0 x 0 when off */
	uint32_t height;
	uint32_t pref_width; /* the size the host asks for (0 x 0: none) */
	uint32_t pref_height;
	uint32_t flags;	  /* VGP_DISPLAY_* */
	uint32_t pad;	  /* 0 */
	uint64_t time_ns; /* CLOCK_MONOTONIC, when the state was read */
};

/* ---- the layout, pinned ----------------------------------------------- */
#ifdef __cplusplus /* clients may be C++ */
#define VGP_STATIC_ASSERT static_assert
#else
#define VGP_STATIC_ASSERT _Static_assert
#endif
#define VGP_ASSERT_SIZE(t, n)                                                  \
	VGP_STATIC_ASSERT(sizeof(struct t) == (n), #t " size")
#define VGP_ASSERT_OFF(t, f, n)                                                \
	VGP_STATIC_ASSERT(offsetof(struct t, f) == (n), #t "." #f " offset")
VGP_ASSERT_SIZE(vgp_req_hdr, 16);
VGP_ASSERT_OFF(vgp_req_hdr, length, 4);
VGP_ASSERT_OFF(vgp_req_hdr, serial, 8);
VGP_ASSERT_OFF(vgp_req_hdr, version, 12);
VGP_ASSERT_SIZE(vgp_reply_hdr, 16);
VGP_ASSERT_OFF(vgp_reply_hdr, status, 12);
VGP_ASSERT_SIZE(vgp_set_mode, 16);
VGP_ASSERT_SIZE(vgp_access_entry, 8);
VGP_ASSERT_SIZE(vgp_create_surface, 32);
VGP_ASSERT_OFF(vgp_create_surface, refresh_rate, 20);
VGP_ASSERT_OFF(vgp_create_surface, naccess, 24);
VGP_ASSERT_SIZE(vgp_open_surface, 16);
VGP_ASSERT_OFF(vgp_open_surface, mode, 8);
VGP_ASSERT_SIZE(vgp_surface_reply, 40);
VGP_ASSERT_OFF(vgp_surface_reply, size, 24);
VGP_ASSERT_OFF(vgp_surface_reply, name, 32);
VGP_ASSERT_SIZE(vgp_surface_ref, 8);
VGP_ASSERT_SIZE(vgp_pixel, 16);
VGP_ASSERT_SIZE(vgp_line, 24);
VGP_ASSERT_OFF(vgp_line, color, 20);
VGP_ASSERT_SIZE(vgp_rect, 24);
VGP_ASSERT_OFF(vgp_rect, width, 12);
VGP_ASSERT_SIZE(vgp_clear, 8);
VGP_ASSERT_SIZE(vgp_blit, 32);
VGP_ASSERT_OFF(vgp_blit, src_offset, 8);
VGP_ASSERT_OFF(vgp_blit, dst_x, 16);
VGP_ASSERT_OFF(vgp_blit, height, 28);
VGP_ASSERT_SIZE(vgp_damage_rect, 16);
VGP_ASSERT_SIZE(vgp_present_damage, 8);
VGP_ASSERT_SIZE(vgp_get_buffer, 8);
VGP_ASSERT_SIZE(vgp_buffer_reply, 24);
VGP_ASSERT_OFF(vgp_buffer_reply, size, 16);
VGP_ASSERT_SIZE(vgp_subscribe_input, 8);
VGP_ASSERT_SIZE(vgp_mode, 16);
VGP_ASSERT_SIZE(vgp_head_info, 24 + 16 * VGP_MAX_MODES);
VGP_ASSERT_OFF(vgp_head_info, modes, 24);
VGP_ASSERT_SIZE(vgp_info, 16 + (24 + 16 * VGP_MAX_MODES) * VGP_MAX_HEADS);
VGP_ASSERT_OFF(vgp_info, heads, 16);
VGP_ASSERT_SIZE(vgp_input_event, 32);
VGP_ASSERT_OFF(vgp_input_event, time_ns, 24);
VGP_ASSERT_SIZE(vgp_post_input, 24);
VGP_ASSERT_OFF(vgp_post_input, state, 20);
VGP_ASSERT_SIZE(vgp_subscribe_present, 8);
VGP_ASSERT_SIZE(vgp_present_event, 40);
VGP_ASSERT_OFF(vgp_present_event, head_width, 24);
VGP_ASSERT_OFF(vgp_present_event, seq, 32);
VGP_ASSERT_SIZE(vgp_display_event, 40);
VGP_ASSERT_OFF(vgp_display_event, pref_width, 16);
VGP_ASSERT_OFF(vgp_display_event, flags, 24);
VGP_ASSERT_OFF(vgp_display_event, time_ns, 32);
VGP_STATIC_ASSERT(sizeof(struct vgp_reply_hdr) + sizeof(struct vgp_info) <=
			  VGP_MAX_REPLY,
		  "GET_INFO fits one reply");
VGP_STATIC_ASSERT(sizeof(struct vgp_req_hdr) +
				  sizeof(struct vgp_create_surface) +
				  VGP_MAX_ACCESS *
					  sizeof(struct vgp_access_entry) <=
			  VGP_MAX_REQUEST,
		  "the largest CREATE_SURFACE fits one request");
VGP_STATIC_ASSERT(sizeof(struct vgp_req_hdr) +
				  sizeof(struct vgp_present_damage) +
				  VGP_MAX_DAMAGE *
					  sizeof(struct vgp_damage_rect) <=
			  VGP_MAX_REQUEST,
		  "the largest PRESENT_DAMAGE fits one request");
/* The seed's numbers survive the encoding. */
VGP_STATIC_ASSERT(VGP_CLEAR_PIXEL == 0x0022a008u,
		  "CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, "
		  "FILE_WRITE_ACCESS)");

#endif
