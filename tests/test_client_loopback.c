// SPDX-License-Identifier: MIT
/*
 * libviogpu-client against the server's decoder over a real socketpair:
 * a toy server thread (test code, not the daemon) receives records with
 * vgp_recv_record, decodes them with vgp_decode and answers.  Checked:
 * request/reply framing and serials, a surface's memfd shared both ways
 * (the server draws, the client sees), a client memfd passed for BLIT,
 * events delivered while a call waits, bad records and fds refused with
 * the right status, and no fd left open afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "viogpu/client.h"
#include "decode.h"
#include "draw.h"
#include "io.h"
#include "proto_build.h"

#define W 64
#define H 48

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

struct toy_server {
	int sock;
	uint32_t *surface; /* shared with the client through the memfd */
	pthread_t thread;
};

static void reply(struct toy_server *s, const struct vgp_request *r,
		  uint32_t st, const void *body, size_t len, int fd)
{
	if (vgp_send_reply(s->sock, r->code, r->serial, st, body, len, fd))
		abort();
}

static void serve_one(struct toy_server *s, const struct vgp_request *r)
{
	struct vgp_surface_view v = {s->surface, W, H, 4 * W};

	if ((r->code == VGP_DRAW_LINE || r->code == VGP_BLIT) && !s->surface) {
		reply(s, r, VGP_E_NO_SUCH_SURFACE, NULL, 0, -1);
		return;
	}
	switch (r->code) {
	case VGP_GET_INFO: {
		static struct vgp_info info;
		memset(&info, 0, sizeof(info));
		info.version_major = VGP_VERSION_MAJOR;
		info.nheads = 1;
		info.heads[0] = (struct vgp_head_info){0, 1, W, H, 0, 0, {{0}}};
		reply(s, r, VGP_OK, &info, sizeof(info), -1);
		break;
	}
	case VGP_CREATE_SURFACE: {
		int fd = proto_memfd(4 * W * H, 1);
		if (fd < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_GROW) != 0)
			abort();
		s->surface = mmap(NULL, 4 * W * H, PROT_READ | PROT_WRITE,
				  MAP_SHARED, fd, 0);
		if (s->surface == MAP_FAILED)
			abort();
		struct vgp_surface_reply sr = {
			0x1234, W,	   H, 4 * W, VGP_FORMAT_XRGB8888,
			0,	4 * W * H, 0};
		reply(s, r, VGP_OK, &sr, sizeof(sr), fd);
		close(fd); /* the mapping and the client's copy remain */
		break;
	}
	case VGP_DRAW_LINE:
		vgp_draw_line(&v, r->u.line.x1, r->u.line.y1, r->u.line.x2,
			      r->u.line.y2, r->u.line.color);
		reply(s, r, VGP_OK, NULL, 0, -1);
		break;
	case VGP_BLIT: {
		const struct vgp_blit *b = &r->u.blit;
		for (uint32_t y = 0; y < b->height; y++)
			for (uint32_t x = 0; x < b->width; x++) {
				uint32_t px;
				if (pread(r->fd, &px, 4,
					  (off_t)(b->src_offset +
						  (uint64_t)y * b->src_pitch +
						  4 * x)) != 4)
					abort();
				vgp_draw_pixel(&v, b->dst_x + (int32_t)x,
					       b->dst_y + (int32_t)y, px);
			}
		reply(s, r, VGP_OK, NULL, 0, -1);
		break;
	}
	case VGP_SUBSCRIBE_INPUT: {
		/* an event first: the client's call must hand it over */
		struct vgp_input_event ev = {0, VGP_INPUT_BUTTON, 5, 6, 1, 1,
					     42};
		if (vgp_send_reply(s->sock, VGP_EVENT_INPUT, 0, VGP_OK, &ev,
				   sizeof(ev), -1))
			abort();
		/* and a display event to a display subscriber */
		struct vgp_display_event dv = {
			0, 1, 640, 480, 640, 480, VGP_DISPLAY_FOLLOWED, 0, 43};
		if ((r->u.subscribe.mask & VGP_SUBSCRIBE_DISPLAY) &&
		    vgp_send_reply(s->sock, VGP_EVENT_DISPLAY, 0, VGP_OK, &dv,
				   sizeof(dv), -1))
			abort();
		reply(s, r, VGP_OK, NULL, 0, -1);
		break;
	}
	case VGP_SUBSCRIBE_PRESENT: {
		/* an event of a code this library does not know (a newer
		 * server's), then a present event, then the reply */
		struct vgp_present_event pe = {0, 0, 3, 4, 5, 6, W, H, 9};
		uint64_t future = 7;
		if (vgp_send_reply(s->sock, VGP_CTL_CODE(0x22, 0xf77, 0, 0), 0,
				   VGP_OK, &future, sizeof(future), -1) ||
		    vgp_send_reply(s->sock, VGP_EVENT_PRESENT, 0, VGP_OK, &pe,
				   sizeof(pe), -1))
			abort();
		reply(s, r, VGP_OK, NULL, 0, -1);
		break;
	}
	default:
		reply(s, r, VGP_OK, NULL, 0, -1);
		break;
	}
}

static void keep_present(void *ctx, const struct vgp_present_event *ev)
{
	*(struct vgp_present_event *)ctx = *ev;
}

static void *server_main(void *arg)
{
	struct toy_server *s = arg;
	static uint8_t buf[VGP_MAX_REQUEST + 1];
	int fds[VGP_RECV_FDS];
	size_t nfds;
	struct vgp_request r;

	for (;;) {
		ssize_t n =
			vgp_recv_record(s->sock, buf, sizeof(buf), fds, &nfds);
		if (n <= 0)
			break;
		enum vgp_status st = vgp_decode(buf, (size_t)n, fds, nfds, &r);
		if (st != VGP_OK) {
			vgp_close_fds(fds, nfds, -1);
			reply(s, &r, st, NULL, 0, -1);
			continue;
		}
		serve_one(s, &r);
		vgp_close_fds(fds, nfds, -1);
	}
	if (s->surface)
		munmap(s->surface, 4 * W * H);
	close(s->sock);
	return NULL;
}

static struct vgp_client *start(struct toy_server *s)
{
	int sv[2];
	struct vgp_client *c;
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	memset(s, 0, sizeof(*s));
	s->sock = sv[1];
	assert_int_equal(vgp_client_adopt(sv[0], &c), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
	return c;
}

static void stop(struct toy_server *s, struct vgp_client *c)
{
	vgp_client_close(c); /* the server sees EOF */
	assert_int_equal(pthread_join(s->thread, NULL), 0);
}

static int events_seen;
static struct vgp_input_event last_event;

static void on_event(void *ctx, const struct vgp_input_event *ev)
{
	(void)ctx;
	events_seen++;
	last_event = *ev;
}

static int displays_seen;
static struct vgp_display_event last_display;

static void on_display(void *ctx, const struct vgp_display_event *ev)
{
	(void)ctx;
	displays_seen++;
	last_display = *ev;
}

static void test_round_trips(void **state)
{
	struct toy_server s;
	int before = count_fds();
	(void)state;
	struct vgp_client *c = start(&s);

	static struct vgp_info info;
	size_t len = 0;
	int fd;
	assert_int_equal(vgp_client_call(c, VGP_GET_INFO, NULL, 0, -1, &info,
					 sizeof(info), &len, &fd),
			 VGP_OK);
	assert_int_equal(len, sizeof(info));
	assert_int_equal(fd, -1);
	assert_int_equal(info.nheads, 1);
	assert_int_equal(info.heads[0].width, W);

	/* a surface: the memfd comes back, and what the server draws shows
	 * in the client's mapping */
	struct {
		struct vgp_create_surface s;
	} cs = {{VGP_SURFACE_SHARED_RESOURCE, 0, W, H, VGP_FORMAT_XRGB8888, 0,
		 0, 0}};
	struct vgp_surface_reply sr;
	assert_int_equal(vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs),
					 -1, &sr, sizeof(sr), &len, &fd),
			 VGP_OK);
	assert_int_equal(len, sizeof(sr));
	assert_true(fd >= 0);
	assert_int_equal(sr.handle, 0x1234);
	uint64_t size = 0;
	assert_int_equal(vgp_check_memfd(fd, &size), VGP_OK);
	assert_int_equal(size, 4 * W * H);
	uint32_t *mine = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(mine != MAP_FAILED);
	close(fd);

	struct vgp_line l = {sr.handle, -1000, -750, 1000, 750, 0xabcdef};
	assert_int_equal(vgp_client_call(c, VGP_DRAW_LINE, &l, sizeof(l), -1,
					 NULL, 0, NULL, NULL),
			 VGP_OK);
	static uint32_t want[W * H];
	struct vgp_surface_view v = {want, W, H, 4 * W};
	uint64_t drawn = vgp_draw_line(&v, -1000, -750, 1000, 750, 0xabcdef);
	assert_true(drawn > 0);
	assert_memory_equal(mine, want, sizeof(want));

	/* BLIT from the client's own sealed memfd */
	int src = proto_memfd(4096, 1);
	assert_true(src >= 0);
	uint32_t px[16];
	for (int i = 0; i < 16; i++)
		px[i] = 0x100 + (uint32_t)i;
	assert_int_equal(pwrite(src, px, sizeof(px), 64), (ssize_t)sizeof(px));
	struct vgp_blit b = {sr.handle, 16, 64, 10, 20, 4, 4};
	assert_int_equal(vgp_client_call(c, VGP_BLIT, &b, sizeof(b), src, NULL,
					 0, NULL, NULL),
			 VGP_OK);
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 4; x++)
			assert_int_equal(mine[(20 + y) * W + 10 + x],
					 0x100 + 4 * y + x);
	close(src);

	/* an event arriving while a call waits */
	vgp_client_set_event_handler(c, on_event, NULL);
	struct vgp_subscribe_input si = {0, VGP_INPUT_ALL};
	assert_int_equal(vgp_client_call(c, VGP_SUBSCRIBE_INPUT, &si,
					 sizeof(si), -1, NULL, 0, NULL, NULL),
			 VGP_OK);
	assert_int_equal(events_seen, 1);
	assert_int_equal(last_event.x, 5);
	assert_int_equal(last_event.time_ns, 42);

	/* events of unknown codes are skipped, present events handed to
	 * their handler, and the call still gets its reply */
	struct vgp_present_event got_pe = {0};
	vgp_client_set_present_handler(c, keep_present, &got_pe);
	struct vgp_subscribe_present sp = {0, 1};
	assert_int_equal(vgp_client_call(c, VGP_SUBSCRIBE_PRESENT, &sp,
					 sizeof(sp), -1, NULL, 0, NULL, NULL),
			 VGP_OK);
	assert_int_equal(got_pe.x, 3);
	assert_int_equal(got_pe.height, 6);
	assert_int_equal(got_pe.seq, 9);
	assert_int_equal(events_seen, 1); /* not an input event */
	/* a display event too, to its own handler */
	vgp_client_set_display_handler(c, on_display, NULL);
	si.mask = VGP_SUBSCRIBE_ALL;
	assert_int_equal(vgp_client_call(c, VGP_SUBSCRIBE_INPUT, &si,
					 sizeof(si), -1, NULL, 0, NULL, NULL),
			 VGP_OK);
	assert_int_equal(events_seen, 2);
	assert_int_equal(displays_seen, 1);
	assert_int_equal(last_display.width, 640);
	assert_int_equal(last_display.flags, VGP_DISPLAY_FOLLOWED);
	assert_int_equal(last_display.time_ns, 43);

	/* the decoder's refusals come back as statuses */
	struct vgp_rect neg = {sr.handle, 0, 0, -1, 5, 0};
	assert_int_equal(vgp_client_call(c, VGP_FILL_RECT, &neg, sizeof(neg),
					 -1, NULL, 0, NULL, NULL),
			 VGP_E_BAD_REQUEST);
	assert_int_equal(vgp_client_call(c, VGP_CREATE_SURFACE, &cs,
					 sizeof(cs) - 4, -1, NULL, 0, NULL,
					 NULL),
			 VGP_E_BAD_REQUEST);
	assert_int_equal(vgp_client_call(c, VGP_CTL_CODE(0x22, 0x8ff, 0, 0),
					 NULL, 0, -1, NULL, 0, NULL, NULL),
			 VGP_E_UNKNOWN_CODE);

	munmap(mine, size);
	stop(&s, c);
	assert_int_equal(count_fds(), before);
}

/* Raw records the client library would never send. */
static void raw_send(int sock, const void *buf, size_t n, const int *fds,
		     size_t nfds)
{
	struct iovec iov = {(void *)buf, n};
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(4 * sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.space;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	assert_int_equal(sendmsg(sock, &msg, MSG_NOSIGNAL), (ssize_t)n);
}

static uint32_t raw_status(struct vgp_client *c, uint32_t serial)
{
	struct vgp_reply_hdr h;
	int fd;
	assert_int_equal(vgp_client_recv(c, &h, NULL, 0, NULL, &fd), 0);
	assert_int_equal(fd, -1);
	assert_int_equal(h.serial, serial);
	return h.status;
}

static void test_bad_records(void **state)
{
	struct toy_server s;
	static uint8_t buf[1024];
	int before = count_fds();
	(void)state;
	struct vgp_client *c = start(&s);
	int sock = vgp_client_fd(c);
	int sealed = proto_memfd(4096, 1), unsealed = proto_memfd(4096, 0);
	int p[2];
	assert_int_equal(pipe(p), 0);

	/* an fd where none belongs */
	size_t n = proto_build(buf, VGP_DRAW_LINE, 11);
	raw_send(sock, buf, n, &sealed, 1);
	assert_int_equal(raw_status(c, 11), VGP_E_BAD_FD);
	/* BLIT: none, the wrong kinds, too many */
	n = proto_build(buf, VGP_BLIT, 12);
	raw_send(sock, buf, n, NULL, 0);
	assert_int_equal(raw_status(c, 12), VGP_E_BAD_FD);
	raw_send(sock, buf, n, &p[0], 1);
	assert_int_equal(raw_status(c, 12), VGP_E_BAD_FD);
	raw_send(sock, buf, n, &unsealed, 1);
	assert_int_equal(raw_status(c, 12), VGP_E_BAD_FD);
	int three[3] = {sealed, sealed, p[1]};
	raw_send(sock, buf, n, three, 3);
	assert_int_equal(raw_status(c, 12), VGP_E_BAD_FD);
	raw_send(sock, buf, n, three, 2);
	assert_int_equal(raw_status(c, 12), VGP_E_BAD_FD);
	/* the right one passes the decoder (the toy server has no surface
	 * yet: the answer comes from its state) */
	raw_send(sock, buf, n, &sealed, 1);
	assert_int_equal(raw_status(c, 12), VGP_E_NO_SUCH_SURFACE);
	/* oversized: beyond the limit, and beyond the length field */
	n = proto_build(buf, VGP_GET_INFO, 13);
	raw_send(sock, buf, 600, NULL, 0);
	assert_int_equal(raw_status(c, 13), VGP_E_OVERSIZED);
	raw_send(sock, buf, n + 8, NULL, 0);
	assert_int_equal(raw_status(c, 13), VGP_E_OVERSIZED);
	/* truncated, short, version */
	n = proto_build(buf, VGP_DRAW_LINE, 14);
	raw_send(sock, buf, n - 4, NULL, 0);
	assert_int_equal(raw_status(c, 14), VGP_E_TRUNCATED);
	raw_send(sock, buf, 7, NULL, 0);
	assert_int_equal(raw_status(c, 0), VGP_E_TRUNCATED);
	buf[12] = 2;
	raw_send(sock, buf, n, NULL, 0);
	assert_int_equal(raw_status(c, 14), VGP_E_VERSION_MISMATCH);

	close(p[0]);
	close(p[1]);
	close(sealed);
	close(unsealed);
	stop(&s, c);
	/* every fd the server received was closed */
	assert_int_equal(count_fds(), before);
}

static void test_client_checks(void **state)
{
	int sv[2], before = count_fds();
	struct vgp_client *c;
	(void)state;
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(vgp_client_adopt(sv[0], &c), 0);
	static uint8_t big[VGP_MAX_REQUEST];
	int memfd = proto_memfd(64, 1);

	/* sends that break the rules never leave the client */
	assert_int_equal(
		vgp_client_send(c, VGP_DRAW_LINE, big, 24, memfd, NULL),
		-EINVAL);
	assert_int_equal(vgp_client_send(c, VGP_BLIT, big, 32, -1, NULL),
			 -EINVAL);
	assert_int_equal(vgp_client_send(c, VGP_PRESENT_DAMAGE, big,
					 VGP_MAX_REQUEST, -1, NULL),
			 -EINVAL);
	/* serials count up from 1 */
	uint32_t s1, s2;
	assert_int_equal(vgp_client_send(c, VGP_GET_INFO, NULL, 0, -1, &s1), 0);
	assert_int_equal(vgp_client_send(c, VGP_GET_INFO, NULL, 0, -1, &s2), 0);
	assert_int_equal(s1, 1);
	assert_int_equal(s2, 2);

	/* replies that break the rules: an fd on a code that carries none,
	 * an fd on a failed reply, a short record, a lying length */
	struct vgp_reply_hdr h;
	int fd;
	assert_int_equal(
		vgp_send_reply(sv[1], VGP_DRAW_LINE, 1, VGP_OK, NULL, 0, memfd),
		0);
	assert_int_equal(vgp_client_recv(c, &h, NULL, 0, NULL, &fd), -EPROTO);
	assert_int_equal(fd, -1);
	assert_int_equal(vgp_send_reply(sv[1], VGP_CREATE_SURFACE, 1,
					VGP_E_NO_MEMORY, NULL, 0, memfd),
			 0);
	assert_int_equal(vgp_client_recv(c, &h, NULL, 0, NULL, &fd), -EPROTO);
	assert_int_equal(send(sv[1], "short", 5, 0), 5);
	assert_int_equal(vgp_client_recv(c, &h, NULL, 0, NULL, &fd), -EPROTO);
	struct vgp_reply_hdr lie = {VGP_GET_INFO, 100, 1, 0};
	assert_int_equal(send(sv[1], &lie, sizeof(lie), 0),
			 (ssize_t)sizeof(lie));
	assert_int_equal(vgp_client_recv(c, &h, NULL, 0, NULL, &fd), -EPROTO);
	/* a reply to another request */
	assert_int_equal(
		vgp_send_reply(sv[1], VGP_GET_INFO, 99, VGP_OK, NULL, 0, -1),
		0);
	assert_int_equal(vgp_client_call(c, VGP_GET_INFO, NULL, 0, -1, NULL, 0,
					 NULL, NULL),
			 -EPROTO);
	/* the server gone */
	close(sv[1]);
	assert_int_equal(vgp_client_recv(c, &h, NULL, 0, NULL, &fd),
			 -ECONNRESET);
	close(memfd);
	vgp_client_close(c);
	assert_int_equal(count_fds(), before);
}

static void test_connect(void **state)
{
	char dir[] = "/tmp/vgp-client-XXXXXX", path[128];
	struct vgp_client *c = NULL;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.sock", dir);
	assert_int_equal(vgp_client_connect(path, &c), -ENOENT);

	int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, path);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(vgp_client_connect(path, &c), 0);
	int srv = accept(l, NULL, NULL);
	assert_true(srv >= 0);
	assert_int_equal(vgp_client_send(c, VGP_GET_INFO, NULL, 0, -1, NULL),
			 0);
	uint8_t buf[VGP_MAX_REQUEST + 1];
	int fds[VGP_RECV_FDS];
	size_t nfds;
	struct vgp_request r;
	ssize_t n = vgp_recv_record(srv, buf, sizeof(buf), fds, &nfds);
	assert_int_equal(n, 16);
	assert_int_equal(vgp_decode(buf, (size_t)n, fds, nfds, &r), VGP_OK);
	assert_int_equal(r.code, VGP_GET_INFO);
	vgp_client_close(c);
	close(srv);
	close(l);
	unlink(path);
	rmdir(dir);

	/* default path */
	char def[256];
	setenv("XDG_RUNTIME_DIR", "/run/user/1234", 1);
	assert_int_equal(vgp_client_default_path(def, sizeof(def)), 0);
	assert_string_equal(def, geteuid() == 0 ? "/run/viogpu/viogpud.sock"
						: "/run/user/1234/viogpu.sock");
	assert_int_equal(vgp_client_default_path(def, 4), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_client_checks),
		cmocka_unit_test(test_connect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
