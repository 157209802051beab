// SPDX-License-Identifier: MIT
#include "qmp.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qemu_log.h"

struct vgq_qmp {
	int fd;
	int verbose;
	pthread_mutex_t lock;
	char buf[65536];
	size_t len;	 /* bytes in buf */
	size_t consumed; /* bytes of buf already returned as lines */
	bool dead;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Next line (NUL-terminated, in buf) or NULL on timeout/EOF (st says). */
static char *read_line(struct vgq_qmp *m, uint64_t deadline, vg_status *st)
{
	for (;;) {
		char *start = m->buf + m->consumed;
		char *nl = memchr(start, '\n', m->len - m->consumed);
		if (nl) {
			*nl = 0;
			m->consumed = (size_t)(nl + 1 - m->buf);
			return start;
		}
		if (m->consumed) {
			memmove(m->buf, start, m->len - m->consumed);
			m->len -= m->consumed;
			m->consumed = 0;
		}
		if (m->len == sizeof(m->buf) - 1) {
			m->len = 0; /* absurdly long line: drop it */
			vgq_log(m->verbose, VG_LOG_WARN,
				"QMP: dropped an over-long line");
		}
		uint64_t now = now_ms();
		if (now >= deadline) {
			*st = VG_E_TIMEOUT;
			return NULL;
		}
		struct pollfd pfd = {.fd = m->fd, .events = POLLIN};
		int r = poll(&pfd, 1, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;
		ssize_t n = r < 0 ? -1
				  : read(m->fd, m->buf + m->len,
					 sizeof(m->buf) - 1 - m->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			m->dead = true;
			*st = VG_E_NODEV;
			return NULL;
		}
		m->len += (size_t)n;
	}
}

/* The first key of a JSON object line: "return", "error", "event"... */
static bool first_key_is(const char *line, const char *key)
{
	size_t klen = strlen(key);

	while (*line == ' ' || *line == '\t' || *line == '{')
		line++;
	return *line == '"' && strncmp(line + 1, key, klen) == 0 &&
	       line[1 + klen] == '"';
}

static void log_error_reply(struct vgq_qmp *m, const char *json,
			    const char *line)
{
	const char *desc = strstr(line, "\"desc\"");
	char msg[512];
	size_t n = 0;

	if (desc && (desc = strchr(desc + 6, '"'))) {
		for (desc++; *desc && *desc != '"' && n < sizeof(msg) - 1;
		     desc++) {
			if (*desc == '\\' && desc[1])
				desc++;
			msg[n++] = *desc;
		}
	}
	msg[n] = 0;
	vgq_log(m->verbose, VG_LOG_WARN, "QMP %s failed: %s", json,
		n ? msg : line);
}

static vg_status send_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return VG_E_NODEV;
		s += n;
		len -= (size_t)n;
	}
	return VG_OK;
}

static vg_status execute_locked(struct vgq_qmp *m, const char *json,
				unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	vg_status st;

	if (m->dead)
		return VG_E_NODEV;
	st = send_all(m->fd, json, strlen(json));
	if (!st)
		st = send_all(m->fd, "\n", 1);
	if (st) {
		m->dead = true;
		return st;
	}
	for (;;) {
		char *line = read_line(m, deadline, &st);
		if (!line) {
			/* A reply may still come and would answer the next
			 * command: the stream is out of step for good. */
			m->dead = true;
			if (st == VG_E_TIMEOUT)
				vgq_log(m->verbose, VG_LOG_WARN,
					"QMP %s: no reply within %u ms", json,
					timeout_ms);
			return st;
		}
		if (first_key_is(line, "return"))
			return VG_OK;
		if (first_key_is(line, "error")) {
			log_error_reply(m, json, line);
			return VG_E_IO;
		}
		vgq_log(m->verbose, VG_LOG_DEBUG, "QMP: %s", line);
	}
}

vg_status vgq_qmp_execute(struct vgq_qmp *m, const char *json,
			  unsigned timeout_ms)
{
	pthread_mutex_lock(&m->lock);
	vg_status st = execute_locked(m, json, timeout_ms);
	pthread_mutex_unlock(&m->lock);
	return st;
}

vg_status vgq_qmp_connect(struct vgq_qmp **out, const char *path,
			  unsigned timeout_ms, int verbose)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	uint64_t deadline = now_ms() + timeout_ms;
	struct vgq_qmp *m;
	vg_status st;
	char *line;

	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return VG_E_INVAL;
	strcpy(sa.sun_path, path);
	m = calloc(1, sizeof(*m));
	if (!m)
		return VG_E_NOMEM;
	m->verbose = verbose;
	pthread_mutex_init(&m->lock, NULL);
	for (;;) {
		m->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (m->fd < 0) {
			st = VG_E_IO;
			goto fail;
		}
		if (connect(m->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		int err = errno;
		close(m->fd);
		m->fd = -1;
		if ((err != ENOENT && err != ECONNREFUSED && err != EINTR) ||
		    now_ms() >= deadline) {
			vgq_log(verbose, VG_LOG_ERROR,
				"cannot connect to QMP at %s: %s", path,
				strerror(err));
			st = VG_E_IO;
			goto fail;
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	line = read_line(m, deadline, &st);
	if (!line || !first_key_is(line, "QMP")) {
		vgq_log(verbose, VG_LOG_ERROR, "QMP: no greeting from QEMU");
		st = line ? VG_E_PROTOCOL : st;
		goto fail;
	}
	st = vgq_qmp_execute(m, "{\"execute\":\"qmp_capabilities\"}",
			     timeout_ms);
	if (st)
		goto fail;
	*out = m;
	return VG_OK;
fail:
	vgq_qmp_close(m);
	return st;
}

void vgq_qmp_close(struct vgq_qmp *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
