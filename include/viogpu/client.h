/* SPDX-License-Identifier: MIT */
/*
 * libviogpu-client: talking to viogpud.  Depends only on
 * viogpu/protocol.h; the records it sends and receives are those structs.
 *
 * This is the framing layer: connect, send a request (header built here,
 * serials assigned), receive a reply or event (checked against the
 * protocol's framing rules), and file descriptors passed beside records.
 * Typed wrappers per request come on top of it.
 *
 * Ownership: a vgp_client owns its socket.  fds passed to send stay the
 * caller's; fds received are handed to the caller, who closes them.
 * Threading: one thread at a time per vgp_client.
 * Errors: functions return 0 (or a vgp_status >= 0 for calls) or -errno.
 */
#ifndef VIOGPU_CLIENT_H
#define VIOGPU_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vgp_client;

/* Writes the default socket path: $XDG_RUNTIME_DIR/viogpu.sock, or
 * /run/viogpu/viogpud.sock when running as root or without
 * XDG_RUNTIME_DIR.  0, or -ENAMETOOLONG. */
int vgp_client_default_path(char *buf, size_t cap);

/* Connects to the server at path (NULL: the default). */
int vgp_client_connect(const char *path, struct vgp_client **out);

/* Adopts a connected SOCK_SEQPACKET socket (socketpair in tests); on
 * success the client owns it, on failure the caller still does. */
int vgp_client_adopt(int sock, struct vgp_client **out);

/* Closes the socket and frees the client; NULL is a no-op. */
void vgp_client_close(struct vgp_client *c);

/* The socket, for poll(): readable when a reply or event waits. */
int vgp_client_fd(const struct vgp_client *c);

/* Sends one request of `code` with `len` body bytes.  fd >= 0 goes with
 * it and is required exactly for METHOD_IN_DIRECT codes (-EINVAL
 * otherwise, and for len beyond VGP_MAX_REQUEST).  *serial (may be NULL)
 * gets the serial the reply will echo. */
int vgp_client_send(struct vgp_client *c, uint32_t code, const void *body,
		    size_t len, int fd, uint32_t *serial);

/* Receives one record (a reply or an event): its header, up to cap body
 * bytes into body (*body_len gets the body's real length), and the fd
 * that came with it or -1.  -EPROTO for a record that breaks the framing
 * rules (short, length field not the size, an fd where the code carries
 * none, more than one fd); any fd received with it is closed.
 * -ECONNRESET when the server closed. */
int vgp_client_recv(struct vgp_client *c, struct vgp_reply_hdr *hdr, void *body,
		    size_t cap, size_t *body_len, int *fd);

/* VGP_EVENT_INPUT records that arrive while vgp_client_call waits go
 * here (NULL: drop). */
typedef void (*vgp_event_fn)(void *ctx, const struct vgp_input_event *ev);
void vgp_client_set_event_handler(struct vgp_client *c, vgp_event_fn fn,
				  void *ctx);
/* VGP_EVENT_DISPLAY records (SUBSCRIBE_INPUT with VGP_SUBSCRIBE_DISPLAY)
 * that arrive while vgp_client_call waits go here (NULL: drop). */
typedef void (*vgp_display_fn)(void *ctx, const struct vgp_display_event *ev);
void vgp_client_set_display_handler(struct vgp_client *c, vgp_display_fn fn,
				    void *ctx);

/* VGP_EVENT_PRESENT records that arrive while vgp_client_call waits go
 * here (NULL: drop). */
typedef void (*vgp_present_fn)(void *ctx, const struct vgp_present_event *ev);
void vgp_client_set_present_handler(struct vgp_client *c, vgp_present_fn fn,
				    void *ctx);

/* For a caller that receives records itself (vgp_client_recv, e.g. from
 * a poll loop): hands an event record to the handlers above and returns
 * 1, or returns 0 when the record is not an event (VGP_IS_EVENT).  Event
 * codes the library does not know are skipped (still 1). */
int vgp_client_dispatch_event(struct vgp_client *c,
			      const struct vgp_reply_hdr *hdr, const void *body,
			      size_t len);

/* send, then receive until the reply with the request's serial.  Returns
 * the reply's status (VGP_OK, VGP_E_...) or -errno; reply body as in
 * vgp_client_recv; *fd_out (may be NULL: then closed) the fd it carried
 * or -1.  A reply with another serial is a protocol error (-EPROTO):
 * this framing sends one request at a time. */
int vgp_client_call(struct vgp_client *c, uint32_t code, const void *body,
		    size_t len, int fd_in, void *reply, size_t reply_cap,
		    size_t *reply_len, int *fd_out);

#ifdef __cplusplus
}
#endif

#endif
