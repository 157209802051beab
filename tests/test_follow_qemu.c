// SPDX-License-Identifier: MIT
/*
 * viogpud --follow on QEMU, end to end: the daemon runs QEMU with a VNC
 * server; a client holds head 0's primary surface and subscribes to its
 * display changes; a VNC client (vnc_resize.py) asks QEMU for a desktop
 * resize, which virtio-gpu reports as VIRTIO_GPU_EVENT_DISPLAY.  The
 * daemon must switch the head to the new size, tell the client, keep the
 * client's old primary working, and QEMU's own screendump (written by
 * the daemon at exit) must have the new size.  Teardown stops the daemon
 * (SIGTERM: exit 0, no socket file, its QEMU gone) even after a failed
 * assertion, and kills a VNC client left behind.
 *
 * VIOGPUD and VNC_RESIZE (the environment, set by meson) name the daemon
 * and the VNC script.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "image.h"
#include "viogpu/client.h"

struct daemon {
	char dir[64];
	char sock[128];
	char dump[128];
	pid_t pid;
	pid_t vnc; /* the VNC client, while it runs */
	int port;
};

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int wait_for(pid_t pid, uint64_t ms)
{
	uint64_t end = now_ms() + ms;
	int st;
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		if (now_ms() > end)
			return -1;
		poll(NULL, 0, 20);
	}
}

/* The daemon's children (its QEMU). */
static int children(pid_t pid, pid_t *kids, int max)
{
	char path[300];
	int n = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *tasks = opendir(path);
	struct dirent *t;
	while (tasks && (t = readdir(tasks))) {
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children",
			 (int)pid, t->d_name);
		FILE *f = fopen(path, "r");
		while (f && n < max && fscanf(f, "%d", &kids[n]) == 1)
			n++;
		if (f)
			fclose(f);
	}
	if (tasks)
		closedir(tasks);
	return n;
}

static int start(void **state)
{
	struct daemon *d = calloc(1, sizeof(*d));
	const char *bin = getenv("VIOGPUD");
	char extra[64];

	assert_non_null(d);
	assert_non_null(bin);
	*state = d;
	strcpy(d->dir, "/tmp/viogpud-follow-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->sock, sizeof(d->sock), "%s/s.sock", d->dir);
	snprintf(d->dump, sizeof(d->dump), "%s/dump.png", d->dir);
	/* A display number of its own: cli-follow-vnc uses 40..89. */
	int disp = 200 + (int)(getpid() % 100);
	d->port = 5900 + disp;
	snprintf(extra, sizeof(extra), "-vnc 127.0.0.1:%d", disp);
	setenv("VIOGPU_QEMU_EXTRA_ARGS", extra, 1);
	char *argv[] = {(char *)bin,
			"--device",
			"qemu",
			"--follow",
			"--socket",
			d->sock,
			"--screendump-on-exit",
			d->dump,
			NULL};
	d->pid = spawn(argv);
	assert_true(d->pid > 0);
	return 0;
}

/* SIGTERM: the daemon exits 0, removes its socket, and its QEMU goes.
 * 0 if all of that happened (teardowns must not assert). */
static int stop_daemon(struct daemon *d)
{
	int rc = 0;

	if (d->vnc > 0) {
		kill(d->vnc, SIGKILL);
		waitpid(d->vnc, NULL, 0);
	}
	if (d->pid > 0) {
		pid_t kids[16];
		int n = children(d->pid, kids, 16);
		if (!n)
			rc = -1; /* QEMU was expected */
		kill(d->pid, SIGTERM);
		int st = wait_for(d->pid, 20000);
		if (st == -1) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, NULL, 0);
			rc = -1;
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			rc = -1;
		}
		d->pid = 0;
		uint64_t end = now_ms() + 10000;
		for (int k = 0; k < n; k++)
			while (kill(kids[k], 0) == 0) {
				if (now_ms() > end) {
					kill(kids[k], SIGKILL);
					rc = -1;
					break;
				}
				poll(NULL, 0, 20);
			}
	}
	if (access(d->sock, F_OK) == 0)
		rc = -1;
	return rc;
}

static int stop(void **state)
{
	struct daemon *d = *state;
	int rc = stop_daemon(d);
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", d->dir);
	if (system(cmd) != 0)
		rc = -1;
	free(d);
	return rc;
}

static struct vgp_client *connect_to(struct daemon *d)
{
	struct vgp_client *c = NULL;
	uint64_t end = now_ms() + 60000; /* QEMU starting on a busy machine */
	while (vgp_client_connect(d->sock, &c) != 0) {
		assert_true(now_ms() < end);
		assert_int_equal(waitpid(d->pid, NULL, WNOHANG), 0);
		poll(NULL, 0, 50);
	}
	return c;
}

static int call(struct vgp_client *c, uint32_t code, const void *body,
		size_t len, void *reply, size_t cap, int *fd)
{
	return vgp_client_call(c, code, body, len, -1, reply, cap, NULL, fd);
}

/* The events that came while calls waited, and those that come after. */
struct seen {
	unsigned n;
	struct vgp_display_event last;
};

static void on_display(void *ctx, const struct vgp_display_event *ev)
{
	struct seen *s = ctx;
	s->n++;
	s->last = *ev;
}

/* Waits up to ms for a display event saying head 0 is w x h. */
static bool wait_event(struct vgp_client *c, struct seen *s, uint32_t w,
		       uint32_t h, uint64_t ms)
{
	uint64_t end = now_ms() + ms;
	while (!(s->n && s->last.width == w && s->last.height == h)) {
		struct pollfd p = {.fd = vgp_client_fd(c), .events = POLLIN};
		uint64_t now = now_ms();
		if (now >= end)
			return false;
		if (poll(&p, 1, (int)(end - now)) != 1)
			continue;
		struct vgp_reply_hdr hdr;
		struct vgp_display_event ev;
		size_t blen;
		int fd;
		assert_int_equal(
			vgp_client_recv(c, &hdr, &ev, sizeof(ev), &blen, &fd),
			0);
		assert_int_equal(fd, -1);
		assert_int_equal(hdr.code, VGP_EVENT_DISPLAY);
		assert_int_equal(blen, sizeof(ev));
		on_display(s, &ev);
		print_message("event: head %u %s %ux%u (host %ux%u) flags "
			      "%u\n",
			      ev.head, ev.enabled ? "on" : "off", ev.width,
			      ev.height, ev.pref_width, ev.pref_height,
			      ev.flags);
	}
	return true;
}

/* sizes: "W", "H", ... as vnc_resize.py takes them (up to 3 sizes). */
#define MAX_SIZES 64

/* Runs vnc_resize.py [--gap gap] with sizes ("W", "H", ...); returns how
 * long it ran, in ms. */
static uint64_t resize_gap(struct daemon *d, const char *gap,
			   const char *const *sizes, int n)
{
	const char *script = getenv("VNC_RESIZE");
	char port[16];
	char *argv[8 + 2 * MAX_SIZES] = {"/usr/bin/python3"};
	int k = 1;
	assert_non_null(script);
	assert_true(n >= 2 && n <= 2 * MAX_SIZES && n % 2 == 0);
	snprintf(port, sizeof(port), "%d", d->port);
	argv[k++] = (char *)script;
	if (gap) {
		argv[k++] = "--gap";
		argv[k++] = (char *)gap;
	}
	argv[k++] = "127.0.0.1";
	argv[k++] = port;
	for (int i = 0; i < n; i++)
		argv[k++] = (char *)sizes[i];
	uint64_t start = now_ms();
	d->vnc = spawn(argv);
	assert_true(d->vnc > 0);
	int st = wait_for(d->vnc, 60000);
	d->vnc = 0;
	assert_true(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return now_ms() - start;
}

static void resize(struct daemon *d, const char *const *sizes, int n)
{
	resize_gap(d, NULL, sizes, n);
}

static void fill_and_swap(struct vgp_client *c, uint32_t handle, uint32_t color)
{
	struct vgp_rect rc = {handle, 0, 0, 4096, 4096, color};
	struct vgp_surface_ref ref = {handle, 0};
	assert_int_equal(call(c, VGP_FILL_RECT, &rc, sizeof(rc), NULL, 0, NULL),
			 VGP_OK);
	assert_int_equal(
		call(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref), NULL, 0, NULL),
		VGP_OK);
}

static void test_vnc_resize_is_followed(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *c = connect_to(d);
	struct seen s = {0};
	static struct vgp_info in;

	vgp_client_set_display_handler(c, on_display, &s);
	assert_int_equal(call(c, VGP_GET_INFO, NULL, 0, &in, sizeof(in), NULL),
			 VGP_OK);
	assert_true(in.version_minor >= 1);
	uint32_t w0 = in.heads[0].width, h0 = in.heads[0].height;
	print_message("head 0 starts at %ux%u\n", w0, h0);
	assert_true(w0 != 1600 || h0 != 900);
	struct vgp_subscribe_input si = {0, VGP_SUBSCRIBE_DISPLAY};
	assert_int_equal(
		call(c, VGP_SUBSCRIBE_INPUT, &si, sizeof(si), NULL, 0, NULL),
		VGP_OK);
	struct vgp_create_surface cs = {.flags = VGP_SURFACE_PRIMARY |
						 VGP_SURFACE_SHARED_RESOURCE,
					.format = VGP_FORMAT_XRGB8888};
	struct vgp_surface_reply sr;
	int fd = -1;
	assert_int_equal(call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), &sr,
			      sizeof(sr), &fd),
			 VGP_OK);
	close(fd);
	fill_and_swap(c, sr.handle, 0x2060a0);

	/* The VNC viewer's window becomes 1600x900. */
	static const char *const to_1600[] = {"1600", "900"};
	resize(d, to_1600, 2);
	assert_true(wait_event(c, &s, 1600, 900, 20000));
	assert_int_equal(s.last.head, 0);
	assert_int_equal(s.last.enabled, 1);
	assert_int_equal(s.last.pref_width, 1600);
	assert_int_equal(s.last.pref_height, 900);
	assert_int_equal(s.last.flags, VGP_DISPLAY_FOLLOWED);
	assert_int_equal(call(c, VGP_GET_INFO, NULL, 0, &in, sizeof(in), NULL),
			 VGP_OK);
	assert_int_equal(in.heads[0].width, 1600);
	assert_int_equal(in.heads[0].height, 900);
	/* The old primary still swaps, shown top-left. */
	fill_and_swap(c, sr.handle, 0x40a020);
	struct vgp_get_buffer gb = {0, 0};
	struct vgp_buffer_reply br;
	assert_int_equal(
		call(c, VGP_GET_BUFFER, &gb, sizeof(gb), &br, sizeof(br), &fd),
		VGP_OK);
	close(fd);
	assert_int_equal(br.width, 1600);
	assert_int_equal(br.height, 900);

	/* Two more, the last one wins. */
	static const char *const to_1440[] = {"1024", "768", "1440", "900"};
	resize(d, to_1440, 4);
	assert_true(wait_event(c, &s, 1440, 900, 20000));
	assert_int_equal(s.last.flags, VGP_DISPLAY_FOLLOWED);
	/* A primary of the new size. */
	struct vgp_surface_ref ref = {sr.handle, 0};
	assert_int_equal(
		call(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref), NULL, 0, NULL),
		VGP_OK);
	assert_int_equal(call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), &sr,
			      sizeof(sr), &fd),
			 VGP_OK);
	close(fd);
	assert_int_equal(sr.width, 1440);
	assert_int_equal(sr.height, 900);
	fill_and_swap(c, sr.handle, 0xc08040);
	/* Closed cleanly, its last frame stays on the head (a client that
	 * just went away would get the head's previous content back). */
	ref.handle = sr.handle;
	assert_int_equal(
		call(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref), NULL, 0, NULL),
		VGP_OK);
	vgp_client_close(c);

	/* QEMU's own screendump of head 0, at the daemon's exit. */
	assert_int_equal(stop_daemon(d), 0);
	uint32_t *px = NULL, dw = 0, dh = 0;
	char err[200];
	assert_int_equal(vg_png_read(d->dump, &px, &dw, &dh, err, sizeof(err)),
			 0);
	uint32_t first = px[0] & 0xffffff;
	uint32_t last = px[(size_t)dh * dw - 1] & 0xffffff;
	free(px);
	print_message("QEMU's screendump: %ux%u, pixels 0x%06x .. 0x%06x\n", dw,
		      dh, first, last);
	assert_int_equal(dw, 1440);
	assert_int_equal(dh, 900);
	assert_int_equal(first, 0xc08040);
	assert_int_equal(last, 0xc08040);
}

/* A VNC viewer's window dragged: 40 sizes 20 ms apart.  The head ends at
 * the last one, and the client hears of a few, not 40. */
static void test_vnc_drag_is_coalesced(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *c = connect_to(d);
	struct seen s = {0};
	static struct vgp_info in;
	static char text[MAX_SIZES][2][8];
	const char *sizes[2 * MAX_SIZES];
	int n = 40;

	vgp_client_set_display_handler(c, on_display, &s);
	struct vgp_subscribe_input si = {0, VGP_SUBSCRIBE_DISPLAY};
	assert_int_equal(
		call(c, VGP_SUBSCRIBE_INPUT, &si, sizeof(si), NULL, 0, NULL),
		VGP_OK);
	for (int i = 0; i < n; i++) {
		unsigned w = i == n - 1 ? 1280 : 800 + 16 * (unsigned)i;
		unsigned h = i == n - 1 ? 720 : 600 + 8 * (unsigned)i;
		snprintf(text[i][0], sizeof(text[i][0]), "%u", w);
		snprintf(text[i][1], sizeof(text[i][1]), "%u", h);
		sizes[2 * i] = text[i][0];
		sizes[2 * i + 1] = text[i][1];
	}
	uint64_t ms = resize_gap(d, "0.02", sizes, 2 * n);
	assert_true(wait_event(c, &s, 1280, 720, 20000));
	/* Nothing after the last size. */
	assert_false(wait_event(c, &s, 0, 1, 1500));
	print_message("%d sizes over %llu ms (VNC client run): %u events\n", n,
		      (unsigned long long)ms, s.n);
	assert_int_equal(s.last.width, 1280);
	assert_int_equal(s.last.height, 720);
	assert_int_equal(s.last.flags, VGP_DISPLAY_FOLLOWED);
	assert_true(s.n >= 1);
	assert_true(s.n <= 3 + ms / 500);
	assert_int_equal(call(c, VGP_GET_INFO, NULL, 0, &in, sizeof(in), NULL),
			 VGP_OK);
	assert_int_equal(in.heads[0].width, 1280);
	assert_int_equal(in.heads[0].height, 720);
	vgp_client_close(c);
	assert_int_equal(stop_daemon(d), 0);
	uint32_t *px = NULL, dw = 0, dh = 0;
	char err[200];
	assert_int_equal(vg_png_read(d->dump, &px, &dw, &dh, err, sizeof(err)),
			 0);
	free(px);
	assert_int_equal(dw, 1280);
	assert_int_equal(dh, 720);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vnc_resize_is_followed,
						start, stop),
		cmocka_unit_test_setup_teardown(test_vnc_drag_is_coalesced,
						start, stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
