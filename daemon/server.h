/* SPDX-License-Identifier: MIT */
/*
 * viogpud's state: the device, the connections, the surfaces, and the
 * handling of one request.
 *
 * Threading: everything here runs on the daemon's one thread (the poll
 * loop in viogpud.c), which is what serializes the driver calls (gpu.h
 * asks the caller to).  Nothing is locked.
 *
 * Ownership: the server owns every connection (its socket, its handle
 * table) and every surface (its memfd and mapping).  A surface lives
 * while its creator holds it or anyone has it open; when its creator
 * closes it or goes away it is "released": its share name is withdrawn,
 * the head it held is given back, and handles others hold on it answer
 * VGP_E_NO_SUCH_SURFACE from then on.
 */
#ifndef VIOGPUD_SERVER_H
#define VIOGPUD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "viogpu/gpu.h"

#define SRV_MAX_CONNS 64u
#define SRV_MAX_SURFACES_PER_CONN 64u
#define SRV_MAX_BYTES_PER_CONN (512ull << 20)

struct srv;

/* The server over a started driver; NULL when out of memory. */
struct srv *srv_create(struct vg_gpu *gpu, int verbose);
/* Releases every connection and surface (heads get their previous
 * content back) and frees the server; the gpu stays the caller's. */
void srv_destroy(struct srv *s);

/* Takes an accepted connection (non-blocking SOCK_SEQPACKET) with its
 * SO_PEERCRED; false (fd closed) when the server is full. */
bool srv_add_conn(struct srv *s, int fd, uid_t uid, pid_t pid);

/* The poll set: fills fds[] (room for SRV_MAX_CONNS) with every live
 * connection's socket; returns how many. */
unsigned srv_poll_fds(const struct srv *s, int *fds);
/* The connection on fd is readable or hung up: serve one request, or
 * drop it. */
void srv_service(struct srv *s, int fd, short revents);

/* Sends an input event to every subscriber of ev->head (the viewer's
 * clicks, later); a subscriber that does not read is cut off. */
struct vgp_input_event;
void srv_post_input(struct srv *s, const struct vgp_input_event *ev);
/* Sends a display-change event to every connection subscribed to
 * VGP_SUBSCRIBE_DISPLAY on ev->head; one that does not read is cut off. */
struct vgp_display_event;
void srv_post_display(struct srv *s, const struct vgp_display_event *ev);
/* The resolution service switched head's scanout off (or on again): while
 * off, GET_INFO says 0 x 0 and a new PRIMARY on it is refused, as for a
 * head without a mode; surfaces already on it stay. */
void srv_set_head_off(struct srv *s, uint32_t head, bool off);
/* The resolution service gave head a new mode and picture: tells
 * SUBSCRIBE_PRESENT's subscribers the whole head changed. */
void srv_head_shown(struct srv *s, uint32_t head);

#endif
