/* SPDX-License-Identifier: MIT */
#include "activation.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>

int activation_listen_fd(void)
{
	/* 1: unset LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES, so QEMU, started
	 * later, is not told it was activated. */
	int n = sd_listen_fds(1);
	if (n < 0) {
		fprintf(stderr, "viogpud: LISTEN_FDS: %s\n", strerror(-n));
		return -2;
	}
	if (n == 0)
		return -1;
	if (n != 1) {
		fprintf(stderr,
			"viogpud: %d sockets handed over; the unit must "
			"listen on exactly one\n",
			n);
		return -2;
	}
	int fd = SD_LISTEN_FDS_START;
	/* Listening, Unix, SOCK_SEQPACKET: what clients speak (protocol.h);
	 * a ListenStream= unit would accept connections that cannot work. */
	if (sd_is_socket_unix(fd, SOCK_SEQPACKET, 1, NULL, 0) <= 0) {
		fprintf(stderr, "viogpud: the socket handed over is not a "
				"listening Unix SOCK_SEQPACKET socket "
				"(ListenSequentialPacket=)\n");
		return -2;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "viogpud: handed socket: %s\n",
			strerror(errno));
		return -2;
	}
	return fd;
}

void activation_ready(void)
{
	sd_notify(0, "READY=1");
}
