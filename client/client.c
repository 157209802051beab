// SPDX-License-Identifier: MIT
/* libviogpu-client's framing layer (include/viogpu/client.h). */
#include "viogpu/client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct vgp_client {
	int sock;
	uint32_t next_serial;
	vgp_event_fn on_event;
	void *event_ctx;
	vgp_present_fn on_present;
	void *present_ctx;
	vgp_display_fn on_display;
	void *display_ctx;
	/* One record, plus one byte to tell an oversized one. */
	uint8_t buf[VGP_MAX_REPLY + 1];
};

int vgp_client_default_path(char *buf, size_t cap)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	int n;

	if (geteuid() == 0 || !dir || !*dir)
		n = snprintf(buf, cap, "/run/viogpu/viogpud.sock");
	else
		n = snprintf(buf, cap, "%s/viogpu.sock", dir);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int vgp_client_adopt(int sock, struct vgp_client **out)
{
	struct vgp_client *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->sock = sock;
	c->next_serial = 1;
	*out = c;
	return 0;
}

int vgp_client_connect(const char *path, struct vgp_client **out)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char def[sizeof(addr.sun_path)];
	int sock, err;

	if (!path) {
		err = vgp_client_default_path(def, sizeof(def));
		if (err)
			return err;
		path = def;
	}
	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		err = -errno;
		goto close_sock;
	}
	err = vgp_client_adopt(sock, out);
	if (err)
		goto close_sock;
	return 0;

close_sock:
	close(sock);
	return err;
}

void vgp_client_close(struct vgp_client *c)
{
	if (!c)
		return;
	close(c->sock);
	free(c);
}

int vgp_client_fd(const struct vgp_client *c)
{
	return c->sock;
}

void vgp_client_set_event_handler(struct vgp_client *c, vgp_event_fn fn,
				  void *ctx)
{
	c->on_event = fn;
	c->event_ctx = ctx;
}

void vgp_client_set_present_handler(struct vgp_client *c, vgp_present_fn fn,
				    void *ctx)
{
	c->on_present = fn;
	c->present_ctx = ctx;
}

int vgp_client_dispatch_event(struct vgp_client *c,
			      const struct vgp_reply_hdr *hdr, const void *body,
			      size_t len)
{
	if (!VGP_IS_EVENT(hdr->code))
		return 0;
	if (hdr->code == VGP_EVENT_INPUT) {
		struct vgp_input_event ev;
		if (len == sizeof(ev) && c->on_event) {
			memcpy(&ev, body, sizeof(ev));
			c->on_event(c->event_ctx, &ev);
		}
	} else if (hdr->code == VGP_EVENT_PRESENT) {
		struct vgp_present_event ev;
		if (len == sizeof(ev) && c->on_present) {
			memcpy(&ev, body, sizeof(ev));
			c->on_present(c->present_ctx, &ev);
		}
	} else if (hdr->code == VGP_EVENT_DISPLAY) {
		struct vgp_display_event ev;
		if (len == sizeof(ev) && c->on_display) {
			memcpy(&ev, body, sizeof(ev));
			c->on_display(c->display_ctx, &ev);
		}
	}
	/* Other event codes: a newer server's; skipped (protocol.h). */
	return 1;
}

void vgp_client_set_display_handler(struct vgp_client *c, vgp_display_fn fn,
				    void *ctx)
{
	c->on_display = fn;
	c->display_ctx = ctx;
}

int vgp_client_send(struct vgp_client *c, uint32_t code, const void *body,
		    size_t len, int fd, uint32_t *serial)
{
	struct vgp_req_hdr h;
	int wants_fd = VGP_CTL_METHOD(code) == VGP_METHOD_IN_DIRECT;

	if (len > VGP_MAX_REQUEST - sizeof(h) || (fd >= 0) != wants_fd)
		return -EINVAL;
	h = (struct vgp_req_hdr){code, (uint32_t)(sizeof(h) + len),
				 c->next_serial, VGP_VERSION_MAJOR, 0};
	memcpy(c->buf, &h, sizeof(h));
	if (len)
		memcpy(c->buf + sizeof(h), body, len);

	struct iovec iov = {c->buf, sizeof(h) + len};
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
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
	ssize_t n;
	do
		n = sendmsg(c->sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != iov.iov_len)
		return -EPROTO; /* a SEQPACKET record goes whole or not */
	if (serial)
		*serial = c->next_serial;
	c->next_serial++;
	return 0;
}

int vgp_client_recv(struct vgp_client *c, struct vgp_reply_hdr *hdr, void *body,
		    size_t cap, size_t *body_len, int *fd)
{
	struct iovec iov = {c->buf, sizeof(c->buf)};
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(2 * sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.space,
			     .msg_controllen = sizeof(ctl.space)};
	int fds[2], nfds = 0, err = 0;
	ssize_t n;

	*fd = -1;
	do
		n = recvmsg(c->sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm;
	     cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int f;
			memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(f));
			if (nfds < 2)
				fds[nfds++] = f;
			else
				close(f);
		}
	}
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC) || nfds > 1 ||
	    (size_t)n < sizeof(*hdr) || (size_t)n > VGP_MAX_REPLY)
		err = -EPROTO;
	if (!err) {
		memcpy(hdr, c->buf, sizeof(*hdr));
		int may_fd =
			VGP_CTL_METHOD(hdr->code) == VGP_METHOD_OUT_DIRECT &&
			hdr->status == VGP_OK && !VGP_IS_EVENT(hdr->code);
		if (hdr->length != (size_t)n || (nfds && !may_fd))
			err = -EPROTO;
	}
	if (err) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		return err;
	}
	size_t len = (size_t)n - sizeof(*hdr);
	if (body && cap)
		memcpy(body, c->buf + sizeof(*hdr), len < cap ? len : cap);
	if (body_len)
		*body_len = len;
	*fd = nfds ? fds[0] : -1;
	return 0;
}

int vgp_client_call(struct vgp_client *c, uint32_t code, const void *body,
		    size_t len, int fd_in, void *reply, size_t reply_cap,
		    size_t *reply_len, int *fd_out)
{
	uint32_t serial;
	int err = vgp_client_send(c, code, body, len, fd_in, &serial);

	if (fd_out)
		*fd_out = -1;
	if (err)
		return err;
	for (;;) {
		struct vgp_reply_hdr h;
		size_t blen;
		int fd;
		err = vgp_client_recv(c, &h, reply, reply_cap, &blen, &fd);
		if (err)
			return err;
		if (VGP_IS_EVENT(h.code)) {
			if (fd >= 0) /* events carry none (recv checked) */
				close(fd);
			vgp_client_dispatch_event(c, &h, c->buf + sizeof(h),
						  blen);
			continue;
		}
		if (h.serial != serial || h.code != code) {
			if (fd >= 0)
				close(fd);
			return -EPROTO;
		}
		if (reply_len)
			*reply_len = blen;
		if (fd_out)
			*fd_out = fd;
		else if (fd >= 0)
			close(fd);
		return (int)h.status;
	}
}
