/* SPDX-License-Identifier: MIT */
/*
 * Records on the server's side of a SOCK_SEQPACKET connection: receive
 * one request with its fds, send one reply or event with an optional fd.
 * Thin wrappers over recvmsg/sendmsg that keep the framing rules in one
 * place; no state.  Thread-safety: as the socket.
 */
#ifndef VIOGPU_SERVER_IO_H
#define VIOGPU_SERVER_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "viogpu/protocol.h"

/* Room for one fd more than a record may carry, to tell "too many". */
#define VGP_RECV_FDS (VGP_MAX_FDS + 1)

/* Receives one record into buf (cap >= VGP_MAX_REQUEST + 1).  Returns the
 * record's real length (more than cap when it was cut: the decoder calls
 * that oversized), 0 at end of stream, or -errno.  fds[] (VGP_RECV_FDS
 * slots) gets the descriptors that came with it, *nfds their number; if
 * more came than fit, the kernel discarded the rest and *nfds is
 * VGP_RECV_FDS (still more than any record may carry; empty slots -1).
 * The caller owns and closes every fd returned (vgp_close_fds); on error
 * none are returned. */
ssize_t vgp_recv_record(int sock, void *buf, size_t cap, int *fds,
			size_t *nfds);

/* Closes fds[0 .. n-1] except `keep` and -1 slots (keep -1: all). */
void vgp_close_fds(const int *fds, size_t n, int keep);

/* Sends one reply (or event) of `len` body bytes, with fd when >= 0 (the
 * caller keeps its copy).  0 or -errno; -EAGAIN on a non-blocking socket
 * whose peer stopped reading. */
int vgp_send_reply(int sock, uint32_t code, uint32_t serial, uint32_t status,
		   const void *body, size_t len, int fd);

#endif
