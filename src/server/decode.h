/* SPDX-License-Identifier: MIT */
/*
 * The request decoder: one received record (its bytes and the fds that
 * came with it) to a validated request, or the reason it is refused.
 *
 * Pure but for the fd check (fstat and fcntl(F_GET_SEALS) on the received
 * descriptors, nothing else): no allocation, no global state, so it can be
 * fuzzed.  It checks what can be checked without the server's state:
 * framing, version, code, length per code, pad fields, value ranges and the
 * fds.  Handles, share names and head existence are the server's to check.
 *
 * Ownership: the decoder never closes, dups or keeps an fd.  On VGP_OK a
 * request whose code takes an fd has it in req->fd (one of fds[]); every
 * received fd, that one included, stays the caller's to close.
 * Thread-safety: reentrant.
 */
#ifndef VIOGPU_SERVER_DECODE_H
#define VIOGPU_SERVER_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/protocol.h"

struct vgp_request {
	/* Set as soon as the record holds a whole header, even when the
	 * request is then refused, so the reply can echo them; else 0. */
	uint32_t code;
	uint32_t serial;
	int fd;		  /* the fd of a METHOD_IN_DIRECT request, else -1 */
	uint64_t fd_size; /* its size in bytes (fstat) */
	union {
		struct vgp_set_mode set_mode;
		struct {
			struct vgp_create_surface s;
			struct vgp_access_entry access[VGP_MAX_ACCESS];
		} create;
		struct vgp_open_surface open;
		struct vgp_surface_ref ref; /* CLOSE_SURFACE, SWAP_BUFFERS */
		struct vgp_pixel pixel;	    /* DRAW_PIXEL, CLEAR_PIXEL */
		struct vgp_line line;
		struct vgp_rect rect; /* DRAW_RECT, FILL_RECT */
		struct vgp_clear clear;
		struct vgp_blit blit;
		struct {
			struct vgp_present_damage d;
			struct vgp_damage_rect rects[VGP_MAX_DAMAGE];
		} damage;
		struct vgp_get_buffer get_buffer;
		struct vgp_subscribe_input subscribe;
		struct vgp_post_input post_input;
		struct vgp_subscribe_present sub_present;
	} u;
};

/* Decodes one record of n bytes with nfds descriptors.  Returns VGP_OK and
 * fills *req, or the status to reply with (req->code / req->serial set
 * when the header was whole).  n may exceed VGP_MAX_REQUEST (the caller
 * reads one byte more than the limit to tell oversized records). */
enum vgp_status vgp_decode(const void *buf, size_t n, const int *fds,
			   size_t nfds, struct vgp_request *req);

/* Whether fd is a memfd sealed against shrinking (so a mapping of it
 * cannot fault), and its size.  VGP_OK or VGP_E_BAD_FD. */
enum vgp_status vgp_check_memfd(int fd, uint64_t *size);

/* Static name of a status ("VGP_E_BAD_FD"), never NULL. */
const char *vgp_status_name(uint32_t status);

/* Body bytes a code takes beyond the header: its fixed part (the whole
 * body unless the code has a counted tail).  -1 for an unknown code. */
long vgp_body_fixed_size(uint32_t code);

#endif
