// SPDX-License-Identifier: MIT
#include "vnc.h"

#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qemu_log.h"

#define EXTENDED_DESKTOP_SIZE (-308)
#define MSG_SET_ENCODINGS 2
#define MSG_SET_DESKTOP_SIZE 251

struct vgq_vnc {
	int fd;
	int verbose;
	unsigned timeout_ms;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reads exactly n bytes before the deadline. */
static bool recv_exact(struct vgq_vnc *v, void *buf, size_t n,
		       uint64_t deadline)
{
	uint8_t *p = buf;
	while (n) {
		uint64_t now = now_ms();
		if (now >= deadline)
			return false;
		struct pollfd pf = {.fd = v->fd, .events = POLLIN};
		int r = poll(&pf, 1, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		ssize_t got = recv(v->fd, p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		p += got;
		n -= (size_t)got;
	}
	return true;
}

static bool send_all(struct vgq_vnc *v, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t put = send(v->fd, p, n, MSG_NOSIGNAL);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return false;
		p += put;
		n -= (size_t)put;
	}
	return true;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16)), put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* RFB 3.8 with security type None, then SetEncodings announcing
 * ExtendedDesktopSize, without which QEMU ignores SetDesktopSize. */
static bool handshake(struct vgq_vnc *v, uint64_t deadline)
{
	uint8_t buf[64];
	if (!recv_exact(v, buf, 12, deadline) || memcmp(buf, "RFB ", 4))
		return false;
	if (!send_all(v, "RFB 003.008\n", 12))
		return false;
	uint8_t n;
	if (!recv_exact(v, &n, 1, deadline) || !n ||
	    !recv_exact(v, buf, n, deadline) || !memchr(buf, 1, n))
		return false;
	uint8_t none = 1, shared = 1;
	if (!send_all(v, &none, 1) || !recv_exact(v, buf, 4, deadline) ||
	    get32(buf) != 0 || !send_all(v, &shared, 1))
		return false;
	/* ServerInit: size (4), pixel format (16), name length and name. */
	if (!recv_exact(v, buf, 24, deadline))
		return false;
	uint32_t name_len = get32(buf + 20);
	while (name_len) {
		uint32_t k = name_len < sizeof(buf) ? name_len : sizeof(buf);
		if (!recv_exact(v, buf, k, deadline))
			return false;
		name_len -= k;
	}
	uint8_t enc[8] = {MSG_SET_ENCODINGS, 0};
	put16(enc + 2, 1);
	put32(enc + 4, (uint32_t)EXTENDED_DESKTOP_SIZE);
	return send_all(v, enc, sizeof(enc));
}

vg_status vgq_vnc_connect(struct vgq_vnc **out, const char *path,
			  unsigned timeout_ms, int verbose)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	uint64_t deadline = now_ms() + timeout_ms;
	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return VG_E_INVAL;
	strcpy(sa.sun_path, path);
	struct vgq_vnc *v = calloc(1, sizeof(*v));
	if (!v)
		return VG_E_NOMEM;
	v->verbose = verbose;
	v->timeout_ms = timeout_ms;
	for (;;) {
		v->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (v->fd < 0)
			goto fail;
		if (connect(v->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		int err = errno;
		close(v->fd);
		v->fd = -1;
		if ((err != ENOENT && err != ECONNREFUSED && err != EINTR) ||
		    now_ms() >= deadline) {
			vgq_log(verbose, VG_LOG_ERROR,
				"cannot connect to VNC at %s: %s", path,
				strerror(err));
			goto fail;
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (!handshake(v, deadline)) {
		vgq_log(verbose, VG_LOG_ERROR, "VNC handshake with %s failed",
			path);
		goto fail;
	}
	*out = v;
	return VG_OK;
fail:
	vgq_vnc_close(v);
	return VG_E_IO;
}

void vgq_vnc_close(struct vgq_vnc *v)
{
	if (!v)
		return;
	if (v->fd >= 0)
		close(v->fd);
	free(v);
}

vg_status vgq_vnc_set_size(struct vgq_vnc *v, uint16_t width, uint16_t height)
{
	/* Drop what QEMU said since the last request (resize notices): the
	 * request below needs no answer, the driver sees its effect. */
	uint8_t junk[4096];
	while (recv(v->fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	/* type, pad, width, height, 1 screen, pad; the screen: id, x, y,
	 * width, height, flags. */
	uint8_t m[24] = {MSG_SET_DESKTOP_SIZE, 0};
	put16(m + 2, width);
	put16(m + 4, height);
	m[6] = 1;
	put16(m + 16, width);
	put16(m + 18, height);
	if (!send_all(v, m, sizeof(m))) {
		vgq_log(v->verbose, VG_LOG_WARN, "VNC: request not sent: %s",
			strerror(errno));
		return VG_E_IO;
	}
	return VG_OK;
}
