// SPDX-License-Identifier: MIT
/* Server-side record I/O (io.h). */
#include "io.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

ssize_t vgp_recv_record(int sock, void *buf, size_t cap, int *fds, size_t *nfds)
{
	struct iovec iov = {buf, cap};
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(VGP_RECV_FDS * sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.space,
			     .msg_controllen = sizeof(ctl.space)};
	ssize_t n;

	*nfds = 0;
	/* MSG_TRUNC: a SEQPACKET recv returns the record's real length. */
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm;
	     cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int f;
			memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(f));
			if (*nfds < VGP_RECV_FDS)
				fds[(*nfds)++] = f;
			else
				close(f);
		}
	}
	if (msg.msg_flags & MSG_CTRUNC) { /* more than fit: all bad */
		while (*nfds < VGP_RECV_FDS)
			fds[(*nfds)++] = -1;
	}
	return n;
}

void vgp_close_fds(const int *fds, size_t n, int keep)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0 && fds[i] != keep)
			close(fds[i]);
}

int vgp_send_reply(int sock, uint32_t code, uint32_t serial, uint32_t status,
		   const void *body, size_t len, int fd)
{
	struct vgp_reply_hdr h;
	struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)body, len}};
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	ssize_t n;

	if (len > VGP_MAX_REPLY - sizeof(h))
		return -EINVAL;
	h = (struct vgp_reply_hdr){code, (uint32_t)(sizeof(h) + len), serial,
				   status};
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.space;
		msg.msg_controllen = sizeof(ctl.space);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == sizeof(h) + len ? 0 : -EPROTO;
}
