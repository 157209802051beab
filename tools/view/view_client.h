/* SPDX-License-Identifier: MIT */
/*
 * viogpu-view's requests to viogpud: following a head's front buffer,
 * drawing the user's clicks and drags on it, and posting input events.
 *
 * How the viewer learns what changed: it subscribes to the head's present
 * events (SUBSCRIBE_PRESENT) rather than polling.  Each event carries the
 * rectangle a swap changed and is sent once the front buffer is whole, so
 * one GET_BUFFER after any number of events shows a complete front buffer
 * that contains all of them; the viewer copies only the union of their
 * rectangles (view_front).  Polling a "generation" would cost a round trip
 * per tick even when nothing changes and would not say where.  A
 * GET_BUFFER costs one copy of the whole front into a fresh memfd in the
 * daemon (w * h * 4 bytes: 3 MiB at 1024x768), once per batch of events.
 *
 * How a click becomes visible: the viewer takes the head's primary surface
 * for the stroke (CREATE_SURFACE PRIMARY|SHARED_RESOURCE, which starts as
 * what the head shows), draws (CLEAR_PIXEL, DRAW_LINE), SWAP_BUFFERS and
 * closes it cleanly (which leaves the frame on the head).  When another
 * client holds the head the daemon refuses (one primary per head): the
 * click is then only posted as input, for that client to act on.
 *
 * Ownership: the caller owns the vgp_client; nothing here keeps state but
 * struct view_front.  Threading: the caller's one thread.
 */
#ifndef VIOGPU_VIEW_CLIENT_H
#define VIOGPU_VIEW_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view_map.h"
#include "viogpu/client.h"

/* The head as the viewer last saw it, and what changed since. */
struct view_front {
	struct vgp_client *c;
	uint32_t head;
	uint32_t *px; /* w x h, tightly packed; malloc'ed */
	uint32_t w, h;
	bool pending;		 /* present events since the last refresh */
	struct view_rect damage; /* their union, in head pixels */
};

/* Subscribes to head's present events (installing the client's present
 * handler) and reads the front buffer once.  VGP_OK, a VGP_E_ status
 * (VGP_E_ACCESS_DENIED: restricted content) or -errno. */
int view_front_open(struct view_front *f, struct vgp_client *c, uint32_t head);

/* After pending present events: one GET_BUFFER, and the union of the
 * events' rectangles copied into f->px (all of it when the head's size
 * changed, which *resized says).  *changed gets what to redraw.  Same
 * returns as view_front_open. */
int view_front_refresh(struct view_front *f, struct view_rect *changed,
		       bool *resized);

void view_front_close(struct view_front *f);

/* Receives and handles every record waiting on the socket without
 * blocking: events update f.  0, or -errno / -EPROTO (a reply nobody
 * asked for, the server gone: -ECONNRESET). */
int view_front_pump(struct view_front *f);

/* One drawing operation of a stroke. */
struct view_op {
	uint32_t code; /* VGP_CLEAR_PIXEL or VGP_DRAW_LINE */
	int32_t x1, y1, x2, y2;
	uint32_t color;
};

/* Draws ops on the head and swaps, through a primary surface held for
 * this call only.  VGP_OK, VGP_E_ACCESS_DENIED when another client holds
 * the head, another status or -errno. */
int view_draw(struct vgp_client *c, uint32_t head, const struct view_op *ops,
	      size_t n);

/* POST_INPUT.  VGP_OK, a status or -errno. */
int view_post_input(struct vgp_client *c, uint32_t head, uint32_t kind,
		    int32_t x, int32_t y, uint32_t button, uint32_t state);

/* A status or -errno as text, for messages. */
const char *view_status_text(int st);

#endif
