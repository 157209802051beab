// SPDX-License-Identifier: MIT
#include "qtest.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "qemu_log.h"

/* The default: a notify write makes QEMU process a whole virtqueue (an 8K
 * resource flush) before it answers.  Callers pass the driver's timeout. */
#define DEFAULT_TIMEOUT_MS 30000u
#define RESP_MAX 256

struct vgq_qtest {
	int fd;
	int verbose;
	unsigned timeout_ms;
	struct vgq_qtest_hooks hooks;
	pthread_t reader;

	pthread_mutex_t cmd_lock; /* one outstanding command */

	pthread_mutex_t lock; /* protects the fields below */
	pthread_cond_t answered;
	bool waiting;	/* a command awaits its answer */
	bool have_resp; /* resp holds that answer */
	/* Answers still due to posted writes; they come before any later
	 * command's answer, so the reader drops that many first. */
	unsigned posted;
	char resp[RESP_MAX];

	atomic_bool dead;
	atomic_bool dead_reported;
	atomic_bool expect_eof;

	/* reader-thread only */
	char rbuf[16384];
	size_t rlen;
	bool discarding; /* inside an over-long line */
};

static void report_dead(struct vgq_qtest *qt, const char *why)
{
	pthread_mutex_lock(&qt->lock);
	atomic_store(&qt->dead, true);
	pthread_cond_broadcast(&qt->answered);
	pthread_mutex_unlock(&qt->lock);
	if (!atomic_exchange(&qt->dead_reported, true) && qt->hooks.dead)
		qt->hooks.dead(qt->hooks.ctx, atomic_load(&qt->expect_eof),
			       why);
}

static void handle_line(struct vgq_qtest *qt, char *line)
{
	unsigned irq;

	if (strncmp(line, "IRQ ", 4) == 0) {
		if (sscanf(line, "IRQ raise %u", &irq) == 1) {
			if (qt->hooks.irq)
				qt->hooks.irq(qt->hooks.ctx, irq, true);
		} else if (sscanf(line, "IRQ lower %u", &irq) == 1) {
			if (qt->hooks.irq)
				qt->hooks.irq(qt->hooks.ctx, irq, false);
		} else {
			vgq_log(qt->verbose, VG_LOG_WARN,
				"qtest: odd line '%s'", line);
		}
		return;
	}
	pthread_mutex_lock(&qt->lock);
	if (qt->posted) {
		qt->posted--;
		pthread_mutex_unlock(&qt->lock);
		if (strncmp(line, "OK", 2) != 0)
			vgq_log(qt->verbose, VG_LOG_WARN,
				"qtest: a posted write answered '%s'", line);
		return;
	}
	if (qt->waiting && !qt->have_resp) {
		snprintf(qt->resp, sizeof(qt->resp), "%.255s", line);
		qt->have_resp = true;
		pthread_cond_signal(&qt->answered);
		pthread_mutex_unlock(&qt->lock);
		return;
	}
	pthread_mutex_unlock(&qt->lock);
	vgq_log(qt->verbose, VG_LOG_DEBUG, "qtest: unexpected line '%s'", line);
}

static void *reader_main(void *arg)
{
	struct vgq_qtest *qt = arg;
	const char *why = "EOF";

	for (;;) {
		ssize_t n = read(qt->fd, qt->rbuf + qt->rlen,
				 sizeof(qt->rbuf) - qt->rlen);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			why = strerror(errno);
			break;
		}
		qt->rlen += (size_t)n;
		char *start = qt->rbuf;
		char *end = qt->rbuf + qt->rlen;
		char *nl;
		while ((nl = memchr(start, '\n', (size_t)(end - start)))) {
			*nl = 0;
			if (nl > start && nl[-1] == '\r')
				nl[-1] = 0;
			if (!qt->discarding)
				handle_line(qt, start);
			qt->discarding = false;
			start = nl + 1;
		}
		qt->rlen = (size_t)(end - start);
		if (qt->rlen == sizeof(qt->rbuf)) {
			/* No newline in a full buffer: drop the line. */
			qt->discarding = true;
			qt->rlen = 0;
		} else if (start != qt->rbuf && qt->rlen) {
			memmove(qt->rbuf, start, qt->rlen);
		}
	}
	report_dead(qt, why);
	return NULL;
}

vg_status vgq_qtest_start(struct vgq_qtest **out, int fd,
			  const struct vgq_qtest_hooks *hooks, int verbose,
			  unsigned timeout_ms)
{
	struct vgq_qtest *qt = calloc(1, sizeof(*qt));
	pthread_condattr_t ca;

	*out = NULL;
	if (!qt)
		return VG_E_NOMEM;
	qt->fd = fd;
	qt->verbose = verbose;
	qt->timeout_ms = timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;
	if (hooks)
		qt->hooks = *hooks;
	pthread_mutex_init(&qt->cmd_lock, NULL);
	pthread_mutex_init(&qt->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&qt->answered, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&qt->reader, NULL, reader_main, qt) != 0) {
		pthread_cond_destroy(&qt->answered);
		pthread_mutex_destroy(&qt->lock);
		pthread_mutex_destroy(&qt->cmd_lock);
		free(qt);
		return VG_E_NOMEM;
	}
	*out = qt;
	return VG_OK;
}

void vgq_qtest_stop(struct vgq_qtest *qt)
{
	if (!qt)
		return;
	atomic_store(&qt->expect_eof, true);
	shutdown(qt->fd, SHUT_RDWR); /* wakes the reader with EOF */
	pthread_join(qt->reader, NULL);
	pthread_cond_destroy(&qt->answered);
	pthread_mutex_destroy(&qt->lock);
	pthread_mutex_destroy(&qt->cmd_lock);
	free(qt);
}

void vgq_qtest_expect_eof(struct vgq_qtest *qt)
{
	atomic_store(&qt->expect_eof, true);
}

bool vgq_qtest_is_dead(struct vgq_qtest *qt)
{
	return atomic_load(&qt->dead);
}

static bool send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static vg_status parse_answer(struct vgq_qtest *qt, const char *line,
			      const char *resp, uint64_t *val)
{
	if (val)
		*val = 0;
	if (strncmp(resp, "OK", 2) == 0 && (resp[2] == 0 || resp[2] == ' ')) {
		if (val && resp[2] == ' ') {
			char *end;
			errno = 0;
			*val = strtoull(resp + 3, &end, 0);
			if (errno || end == resp + 3) {
				vgq_log(qt->verbose, VG_LOG_WARN,
					"qtest: '%s' answered '%s'", line,
					resp);
				return VG_E_IO;
			}
		}
		return VG_OK;
	}
	vgq_log(qt->verbose, VG_LOG_WARN, "qtest: '%s' answered '%s'", line,
		resp);
	return VG_E_IO;
}

vg_status vgq_qtest_cmd(struct vgq_qtest *qt, const char *line, uint64_t *val)
{
	char buf[RESP_MAX];
	char resp[RESP_MAX];
	struct timespec deadline;
	size_t len = strlen(line);
	vg_status st = VG_OK;

	if (len + 1 >= sizeof(buf))
		return VG_E_INVAL;
	memcpy(buf, line, len);
	buf[len++] = '\n';

	pthread_mutex_lock(&qt->cmd_lock);
	if (atomic_load(&qt->dead)) {
		pthread_mutex_unlock(&qt->cmd_lock);
		return VG_E_NODEV;
	}
	pthread_mutex_lock(&qt->lock);
	qt->waiting = true;
	qt->have_resp = false;
	pthread_mutex_unlock(&qt->lock);

	if (!send_all(qt->fd, buf, len)) {
		pthread_mutex_lock(&qt->lock);
		qt->waiting = false;
		pthread_mutex_unlock(&qt->lock);
		pthread_mutex_unlock(&qt->cmd_lock);
		report_dead(qt, "write failed");
		return VG_E_NODEV;
	}

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += qt->timeout_ms / 1000;
	deadline.tv_nsec += (long)(qt->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&qt->lock);
	while (!qt->have_resp && !atomic_load(&qt->dead)) {
		if (pthread_cond_timedwait(&qt->answered, &qt->lock,
					   &deadline) == ETIMEDOUT &&
		    !qt->have_resp) {
			st = VG_E_TIMEOUT;
			break;
		}
	}
	if (qt->have_resp)
		memcpy(resp, qt->resp, sizeof(resp));
	else if (!st)
		st = VG_E_NODEV;
	qt->waiting = false;
	qt->have_resp = false;
	pthread_mutex_unlock(&qt->lock);
	pthread_mutex_unlock(&qt->cmd_lock);

	if (st == VG_E_TIMEOUT) {
		/* The stream is out of step now: give up on this QEMU. */
		char why[300];
		snprintf(why, sizeof(why),
			 "QEMU did not answer '%.200s' within %u ms", line,
			 qt->timeout_ms);
		report_dead(qt, why);
		return VG_E_TIMEOUT;
	}
	if (st)
		return st;
	return parse_answer(qt, line, resp, val);
}

static char width_char(unsigned width)
{
	switch (width) {
	case 1:
		return 'b';
	case 2:
		return 'w';
	case 4:
		return 'l';
	case 8:
		return 'q';
	default:
		return 0;
	}
}

vg_status vgq_qtest_read(struct vgq_qtest *qt, uint64_t addr, unsigned width,
			 uint64_t *val)
{
	char line[64];
	char w = width_char(width);

	if (!w)
		return VG_E_INVAL;
	snprintf(line, sizeof(line), "read%c 0x%" PRIx64, w, addr);
	return vgq_qtest_cmd(qt, line, val);
}

vg_status vgq_qtest_write(struct vgq_qtest *qt, uint64_t addr, unsigned width,
			  uint64_t val)
{
	char line[80];
	char w = width_char(width);

	if (!w)
		return VG_E_INVAL;
	snprintf(line, sizeof(line), "write%c 0x%" PRIx64 " 0x%" PRIx64, w,
		 addr, val);
	return vgq_qtest_cmd(qt, line, NULL);
}

vg_status vgq_qtest_post_write(struct vgq_qtest *qt, uint64_t addr,
			       unsigned width, uint64_t val)
{
	char line[80];
	char w = width_char(width);

	if (!w)
		return VG_E_INVAL;
	int len =
		snprintf(line, sizeof(line),
			 "write%c 0x%" PRIx64 " 0x%" PRIx64 "\n", w, addr, val);
	pthread_mutex_lock(&qt->cmd_lock);
	if (atomic_load(&qt->dead)) {
		pthread_mutex_unlock(&qt->cmd_lock);
		return VG_E_NODEV;
	}
	/* Counted before it is sent: the answer may come at once. */
	pthread_mutex_lock(&qt->lock);
	qt->posted++;
	pthread_mutex_unlock(&qt->lock);
	bool sent = send_all(qt->fd, line, (size_t)len);
	pthread_mutex_unlock(&qt->cmd_lock);
	if (!sent) {
		report_dead(qt, "write failed");
		return VG_E_NODEV;
	}
	return VG_OK;
}

vg_status vgq_qtest_in(struct vgq_qtest *qt, uint16_t port, unsigned width,
		       uint32_t *val)
{
	char line[32];
	char w = width_char(width);
	uint64_t v = 0;

	if (!w || width == 8)
		return VG_E_INVAL;
	snprintf(line, sizeof(line), "in%c 0x%x", w, port);
	vg_status st = vgq_qtest_cmd(qt, line, &v);
	*val = (uint32_t)v;
	return st;
}

vg_status vgq_qtest_out(struct vgq_qtest *qt, uint16_t port, unsigned width,
			uint32_t val)
{
	char line[48];
	char w = width_char(width);

	if (!w || width == 8)
		return VG_E_INVAL;
	snprintf(line, sizeof(line), "out%c 0x%x 0x%x", w, port, val);
	return vgq_qtest_cmd(qt, line, NULL);
}
