/* SPDX-License-Identifier: MIT */
/*
 * viogpud: the display server.  Owns one device through the host layer
 * (include/viogpu/host.h) and serves clients on a Unix SOCK_SEQPACKET
 * socket (include/viogpu/protocol.h).
 *
 * One thread: a poll loop over the listening socket, a signalfd for
 * SIGTERM/SIGINT and the clients; every driver call happens on it, which
 * is how the driver's calls are serialized and why requests on a surface
 * apply in arrival order.  Client sockets are non-blocking: a client that
 * stops reading its replies is cut off when the kernel's send buffer for
 * it is full, never waited for.
 *
 * Exit: 0 after a signal, 1 when the device or the socket fails, 2 for bad
 * arguments.  Nothing is left behind: the socket file is removed and the
 * device (QEMU included) stopped.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "activation.h"
#include "follow.h"
#include "image.h"
#include "server.h"
#include "viogpu/client.h"
#include "viogpu/display.h"
#include "viogpu/host.h"
#include "viogpu/status.h"

struct opts {
	const char *device;
	const char *socket;
	const char *faults;
	const char *dump; /* --screendump-on-exit FILE (PNG of head 0) */
	unsigned heads;
	int verbose;
	int follow;		   /* --follow */
	const char *coalesce_text; /* --follow-coalesce, parsed into: */
	struct follow_opts coalesce;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: viogpud [--device qemu|sim[,PROP=VALUE...]] "
		   "[--socket PATH]\n"
		   "               [--heads N] [--faults SPEC] [--verbose]\n"
		   "               [--screendump-on-exit FILE.png] "
		   "[--version]\n"
		   "               [--follow] [--follow-coalesce QUIET[,MAX]]\n"
		   "Serves the viogpu protocol on PATH (default "
		   "$XDG_RUNTIME_DIR/viogpu.sock,\n"
		   "or /run/viogpu/viogpud.sock as root) until SIGTERM or "
		   "SIGINT.\n"
		   "Started with a socket handed over (systemd socket "
		   "activation, LISTEN_FDS),\n"
		   "serves that one instead; --socket is then refused.\n");
	fprintf(f,
		"\n"
		"  --follow   the resolution service: when the host changes a "
		"display (a VM\n"
		"             window resized, a monitor plugged or unplugged), "
		"give each head\n"
		"             the host's preferred size, or switch it off.  A "
		"primary surface\n"
		"             a client holds stays its primary; its frames "
		"show "
		"top-left in\n"
		"             the new mode until it creates one of the new "
		"size.\n"
		"  --follow-coalesce QUIET[,MAX]\n"
		"             a storm of changes (a window being dragged) is "
		"read and applied\n"
		"             QUIET ms after the last change or MAX ms after "
		"the first,\n"
		"             whichever is first (default %u,%u).\n"
		"Display changes are read level-triggered (the current state "
		"after the\n"
		"device's last notification; its event register is polled "
		"every %u ms in\n"
		"case an interrupt is lost) with or without --follow.  Clients "
		"that\n"
		"subscribe with VGP_SUBSCRIBE_DISPLAY (SUBSCRIBE_INPUT's mask) "
		"get a\n"
		"VGP_EVENT_DISPLAY per changed head: head, enabled, mode, the "
		"host's\n"
		"preferred size, and whether the mode followed it (never "
		"without --follow).\n",
		FOLLOW_QUIET_MS, FOLLOW_MAX_MS, FOLLOW_POLL_MS);
}

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			printf("viogpud %s\n", VG_VERSION);
			exit(0);
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o->verbose++;
			continue;
		} else if (!strcmp(a, "--follow")) {
			o->follow = 1;
			continue;
		} else if (!strcmp(a, "--follow-coalesce")) {
			val = &o->coalesce_text;
		} else if (!strcmp(a, "--device"))
			val = &o->device;
		else if (!strcmp(a, "--socket"))
			val = &o->socket;
		else if (!strcmp(a, "--faults"))
			val = &o->faults;
		else if (!strcmp(a, "--screendump-on-exit"))
			val = &o->dump;
		else if (!strcmp(a, "--heads")) {
			char *end;
			if (i + 1 >= argc)
				goto missing;
			unsigned long n = strtoul(argv[++i], &end, 10);
			if (*end || n < 1 || n > VGP_MAX_HEADS) {
				fprintf(stderr,
					"viogpud: --heads: 1..%u, not '%s'\n",
					VGP_MAX_HEADS, argv[i]);
				return -1;
			}
			o->heads = (unsigned)n;
			continue;
		} else {
			fprintf(stderr, "viogpud: unknown option '%s'\n", a);
			return -1;
		}
		if (i + 1 >= argc)
			goto missing;
		if (*val) {
			fprintf(stderr, "viogpud: %s given twice\n", a);
			return -1;
		}
		*val = argv[++i];
		continue;
	missing:
		fprintf(stderr, "viogpud: %s needs a value\n", a);
		return -1;
	}
	return 0;
}

/* Binds path, refusing a live server's socket and removing a stale one
 * (a socket nobody accepts on).  -1 after a message. */
static int listen_on(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "viogpud: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr,
				"viogpud: %s exists and is not a "
				"socket\n",
				path);
			return -1;
		}
		int probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (probe < 0)
			goto sock_fail;
		int live = connect(probe, (struct sockaddr *)&addr,
				   sizeof(addr)) == 0;
		int err = errno;
		close(probe);
		if (live) {
			fprintf(stderr,
				"viogpud: a server is already "
				"listening on %s\n",
				path);
			return -1;
		}
		if (err != ECONNREFUSED) {
			fprintf(stderr, "viogpud: %s: %s\n", path,
				strerror(err));
			return -1;
		}
		unlink(path); /* stale: its server is gone */
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto sock_fail;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(fd, 16) != 0) {
		fprintf(stderr, "viogpud: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
sock_fail:
	fprintf(stderr, "viogpud: socket: %s\n", strerror(errno));
	return -1;
}

static void accept_clients(struct srv *s, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return; /* EAGAIN, or a client gone before accept */
		struct ucred cr;
		socklen_t len = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
			close(fd);
			continue;
		}
		if (!srv_add_conn(s, fd, cr.uid, cr.pid))
			fprintf(stderr,
				"viogpud: too many clients: refused "
				"pid %d\n",
				(int)cr.pid);
	}
}

/* The device's own view of head 0, as a PNG: what the tests compare. */
static int dump_head0(struct vg_host *h, const char *path)
{
	uint32_t *px = NULL, w = 0, hh = 0;

	if (vg_host_screendump(h, 0, &px, &w, &hh) != VG_OK) {
		fprintf(stderr, "viogpud: screendump of head 0 failed\n");
		return -1;
	}
	char err[200];
	int rc = vg_png_write(path, px, w, hh, 4 * w, err, sizeof(err));
	free(px);
	if (rc)
		fprintf(stderr, "viogpud: %s\n", err);
	return rc ? -1 : 0;
}

static int serve(struct srv *s, int lfd, int sfd, struct follow *fol)
{
	int cfds[SRV_MAX_CONNS];
	struct pollfd pfd[SRV_MAX_CONNS + 3];

	for (;;) {
		unsigned n = srv_poll_fds(s, cfds);
		pfd[0] = (struct pollfd){.fd = sfd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = lfd, .events = POLLIN};
		for (unsigned i = 0; i < n; i++)
			pfd[2 + i] = (struct pollfd){.fd = cfds[i],
						     .events = POLLIN};
		/* The display changes' eventfd goes last (follow.h). */
		pfd[2 + n] =
			(struct pollfd){.fd = follow_fd(fol), .events = POLLIN};
		if (poll(pfd, n + 3, follow_timeout_ms(fol)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "viogpud: poll: %s\n", strerror(errno));
			return 1;
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si))
				fprintf(stderr, "viogpud: signal %u: exiting\n",
					si.ssi_signo);
			return 0;
		}
		for (unsigned i = 0; i < n; i++)
			if (pfd[2 + i].revents)
				srv_service(s, pfd[2 + i].fd,
					    pfd[2 + i].revents);
		if (pfd[1].revents)
			accept_clients(s, lfd);
		follow_run(fol);
	}
}

int main(int argc, char **argv)
{
	struct opts o = {.coalesce = {.quiet_ms = FOLLOW_QUIET_MS,
				      .max_ms = FOLLOW_MAX_MS}};
	char defpath[108], msg[256];
	struct vg_host *host = NULL;
	sigset_t sigs;
	int rc = 1, lfd, sfd, handed;

	if (parse(argc, argv, &o))
		return 2;
	if (o.coalesce_text &&
	    follow_parse_coalesce(o.coalesce_text, &o.coalesce))
		return 2;
	/* Socket activation: systemd owns the socket and its file. */
	handed = activation_listen_fd();
	if (handed == -2)
		return 1;
	if (handed >= 0 && o.socket) {
		fprintf(stderr, "viogpud: --socket given, but a socket was "
				"handed over (LISTEN_FDS)\n");
		close(handed);
		return 2;
	}
	if (handed < 0 && !o.socket) {
		if (vgp_client_default_path(defpath, sizeof(defpath))) {
			fprintf(stderr, "viogpud: default socket path too "
					"long; use --socket\n");
			return 2;
		}
		if (!strcmp(defpath, "/run/viogpu/viogpud.sock"))
			mkdir("/run/viogpu", 0755);
		o.socket = defpath;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		fprintf(stderr, "viogpud: signalfd: %s\n", strerror(errno));
		goto close_handed;
	}
	o.coalesce.apply = o.follow;
	o.coalesce.poll_ms = FOLLOW_POLL_MS;
	o.coalesce.verbose = o.verbose;
	struct follow *fol = follow_create(&o.coalesce);
	if (!fol)
		goto close_sfd;
	struct vg_host_request req = {
		.device = o.device ? o.device : "qemu",
		.faults = o.faults,
		.heads = o.heads,
		.verbose = o.verbose > 1 ? o.verbose - 1 : 0,
		/* Following the host may take a head to 4K. */
		.frame_bytes = (o.follow ? 3840ull * 2160 : 1920ull * 1080) * 4,
		.on_display_change = follow_notify,
		.display_change_ctx = fol,
	};
	vg_host_result hr = vg_host_prepare(&req, &host, msg, sizeof(msg));
	if (hr != VG_HOST_OK) {
		fprintf(stderr, "viogpud: %s\n", msg);
		rc = hr == VG_HOST_REFUSED ? 2 : 1;
		goto destroy_follow;
	}
	lfd = handed >= 0 ? handed : listen_on(o.socket);
	if (lfd < 0)
		goto close_host;
	if (vg_host_start(host, msg, sizeof(msg)) != VG_HOST_OK) {
		fprintf(stderr, "viogpud: %s\n", msg);
		goto close_listen;
	}
	/* Every connected head starts at its preferred mode, black, so a
	 * client has a head to draw on. */
	if (vg_gpu_follow_displays(vg_host_gpu(host), 0xffffffffu) != VG_OK)
		fprintf(stderr, "viogpud: some head did not take its preferred "
				"mode\n");
	struct srv *s = srv_create(vg_host_gpu(host), o.verbose);
	if (!s) {
		fprintf(stderr, "viogpud: out of memory\n");
		goto close_listen;
	}
	follow_start(fol, vg_host_gpu(host), s);
	fprintf(stderr, "viogpud: %s device, listening on %s%s\n",
		vg_host_kind(host),
		handed >= 0 ? "the socket handed over" : o.socket,
		o.follow ? ", following the host's display changes" : "");
	activation_ready();
	rc = serve(s, lfd, sfd, fol);
	srv_destroy(s);
	if (o.dump && dump_head0(host, o.dump))
		rc = 1;
close_listen:
	close(lfd);
	if (handed < 0)
		unlink(o.socket);
	handed = -1; /* closed as lfd */
close_host:
	vg_host_close(host);
destroy_follow:
	follow_destroy(fol); /* after the gpu: it may notify until then */
close_sfd:
	close(sfd);
close_handed:
	if (handed >= 0)
		close(handed);
	return rc;
}
