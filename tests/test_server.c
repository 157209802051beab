// SPDX-License-Identifier: MIT
/*
 * viogpud end to end on the device model (--device sim): each test starts
 * its own daemon on a private socket and stops it in its teardown (which
 * cmocka runs even when the test failed), checking that SIGTERM leaves no
 * socket file and a zero exit.  Pictures are checked two ways: the front
 * buffer through GET_BUFFER, and the device's own screendump, which the
 * daemon writes at exit (--screendump-on-exit), against a rendering of
 * the same operations by the plain rules below (not src/server/draw.c).
 * Readiness is polled with deadlines; nothing sleeps a fixed time.
 *
 * VIOGPUD and VIOGPU (the environment, set by meson) name the binaries.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
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
	uint32_t w, h; /* head 0's mode */
};

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Waits up to 20 ms (a poll on nothing: readiness loops' pacing). */
static void tick(void)
{
	poll(NULL, 0, 20);
}

static pid_t spawn(char *const argv[], int in_fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		/* Whatever becomes of the test (a sanitizer abort skips the
		 * teardown), its daemon goes too. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (in_fd >= 0)
			dup2(in_fd, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits for pid up to ms; returns its wait status or -1 on timeout. */
static int wait_for(pid_t pid, uint64_t ms)
{
	uint64_t end = now_ms() + ms;
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (now_ms() > end)
			return -1;
		tick();
	}
}

static struct vgp_client *connect_to(const struct daemon *d)
{
	struct vgp_client *c = NULL;
	assert_int_equal(vgp_client_connect(d->sock, &c), 0);
	return c;
}

static void get_info(struct vgp_client *c, struct vgp_info *in)
{
	size_t got;
	assert_int_equal(vgp_client_call(c, VGP_GET_INFO, NULL, 0, -1, in,
					 sizeof(*in), &got, NULL),
			 VGP_OK);
	assert_int_equal(got, sizeof(*in));
}

static int start_daemon(void **state)
{
	struct daemon *d = calloc(1, sizeof(*d));
	const char *bin = getenv("VIOGPUD");
	assert_non_null(d);
	assert_non_null(bin);
	strcpy(d->dir, "/tmp/viogpud-test-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	chmod(d->dir, 0755); /* the second-uid test connects from nobody */
	snprintf(d->sock, sizeof(d->sock), "%s/s.sock", d->dir);
	snprintf(d->dump, sizeof(d->dump), "%s/dump.png", d->dir);
	const char *dev = getenv("VIOGPUD_DEVICE");
	char *argv[] = {(char *)bin, "--device", (char *)(dev ? dev : "sim"),
			"--socket",  d->sock,	 "--screendump-on-exit",
			d->dump,     NULL};
	d->pid = spawn(argv, -1);
	assert_true(d->pid > 0);
	*state = d;
	/* Ready when it accepts a connection; 20 s for a loaded machine. */
	uint64_t end = now_ms() + 20000;
	struct vgp_client *c = NULL;
	while (vgp_client_connect(d->sock, &c) != 0) {
		assert_true(now_ms() < end);
		assert_int_equal(waitpid(d->pid, NULL, WNOHANG), 0);
		tick();
	}
	struct vgp_info in;
	get_info(c, &in);
	vgp_client_close(c);
	assert_true(in.nheads >= 1);
	d->w = in.heads[0].width;
	d->h = in.heads[0].height;
	assert_true(d->w >= 64 && d->h >= 64);
	return 0;
}

/* SIGTERM; the daemon must exit 0 and leave no socket file.  Returns 0
 * if it did (teardowns must not fail after a failed test's assert). */
static int stop(struct daemon *d)
{
	int ok = 0;
	if (d->pid > 0) {
		/* Its children (QEMU on --device qemu) must go with it. */
		pid_t kids[16];
		int nkids = 0;
		char path[300];
		snprintf(path, sizeof(path), "/proc/%d/task", (int)d->pid);
		DIR *tasks = opendir(path);
		struct dirent *t;
		while (tasks && (t = readdir(tasks))) {
			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path),
				 "/proc/%d/task/%s/children", (int)d->pid,
				 t->d_name);
			FILE *f = fopen(path, "r");
			while (f && nkids < 16 &&
			       fscanf(f, "%d", &kids[nkids]) == 1)
				nkids++;
			if (f)
				fclose(f);
		}
		if (tasks)
			closedir(tasks);
		if (getenv("VIOGPUD_DEVICE") && !nkids)
			ok = -1; /* QEMU was expected */
		kill(d->pid, SIGTERM);
		int st = wait_for(d->pid, 20000);
		if (st == -1) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, NULL, 0);
			ok = -1;
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			ok = -1;
		}
		d->pid = 0;
		uint64_t end = now_ms() + 10000;
		for (int k = 0; k < nkids; k++)
			while (kill(kids[k], 0) == 0) {
				if (now_ms() > end) {
					ok = -1;
					break;
				}
				tick();
			}
	}
	if (access(d->sock, F_OK) == 0)
		ok = -1;
	return ok;
}

static int stop_daemon(void **state)
{
	struct daemon *d = *state;
	int rc = stop(d);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d->dir);
	if (system(cmd) != 0)
		rc = -1;
	free(d);
	return rc;
}

/* ---- the plain rules ------------------------------------------------ */

struct canvas {
	uint32_t *px;
	uint32_t w, h;
};

static void plot(struct canvas *c, int64_t x, int64_t y, uint32_t color)
{
	if (x >= 0 && y >= 0 && x < c->w && y < c->h)
		c->px[y * c->w + x] = color;
}

/* The seed's Bresenham, step by step. */
static void ref_line(struct canvas *c, int64_t x1, int64_t y1, int64_t x2,
		     int64_t y2, uint32_t color)
{
	int64_t dx = llabs(x2 - x1), dy = llabs(y2 - y1);
	int64_t sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
	int64_t err = dx - dy;
	for (;;) {
		plot(c, x1, y1, color);
		if (x1 == x2 && y1 == y2)
			break;
		int64_t e2 = 2 * err;
		if (e2 > -dy) {
			err -= dy;
			x1 += sx;
		}
		if (e2 < dx) {
			err += dx;
			y1 += sy;
		}
	}
}

static void ref_rect(struct canvas *c, int64_t x, int64_t y, int64_t w,
		     int64_t h, uint32_t color, int fill)
{
	for (int64_t j = y; j < y + h; j++)
		for (int64_t i = x; i < x + w; i++)
			if (fill || j == y || j == y + h - 1 || i == x ||
			    i == x + w - 1)
				plot(c, i, j, color);
}

/* One scripted scene: ops as `viogpu draw` takes them, applied to the
 * back buffer by the plain rules; `swap` copies back to front. */
static const char *const scene[] = {
	"clear",
	"0x102030",
	"line",
	"-50",
	"-20",
	"300",
	"200",
	"0xff0000",
	"line",
	"5",
	"400",
	"60",
	"-3",
	"0x00ff00",
	"rect",
	"-4",
	"10",
	"30",
	"20",
	"0x0000ff",
	"fill",
	"40",
	"40",
	"7",
	"5",
	"0xffff00",
	"pixel",
	"3",
	"3",
	"0xffffff",
	"clear-pixel",
	"41",
	"41",
	"line",
	"-300000",
	"5",
	"300000",
	"7",
	"0xff00ff",
	"swap",
	/* drawn after the last swap: must not show */
	"fill",
	"0",
	"0",
	"20",
	"20",
	"0xabcdef",
};

static void ref_scene(struct canvas *front, struct canvas *back)
{
	size_t n = sizeof(scene) / sizeof(scene[0]);
	for (size_t i = 0; i < n;) {
		const char *op = scene[i];
#define A(k) strtoll(scene[i + (k)], NULL, 0)
		if (!strcmp(op, "clear")) {
			for (size_t p = 0; p < (size_t)back->w * back->h; p++)
				back->px[p] = (uint32_t)A(1);
			i += 2;
		} else if (!strcmp(op, "line")) {
			ref_line(back, A(1), A(2), A(3), A(4), (uint32_t)A(5));
			i += 6;
		} else if (!strcmp(op, "rect") || !strcmp(op, "fill")) {
			ref_rect(back, A(1), A(2), A(3), A(4), (uint32_t)A(5),
				 op[0] == 'f');
			i += 6;
		} else if (!strcmp(op, "pixel")) {
			plot(back, A(1), A(2), (uint32_t)A(3));
			i += 4;
		} else if (!strcmp(op, "clear-pixel")) {
			plot(back, A(1), A(2), 0);
			i += 3;
		} else {
			assert_string_equal(op, "swap");
			memcpy(front->px, back->px,
			       (size_t)back->w * back->h * 4);
			i += 1;
		}
#undef A
	}
}

static struct canvas canvas_new(uint32_t w, uint32_t h)
{
	struct canvas c = {calloc((size_t)w * h, 4), w, h};
	assert_non_null(c.px);
	return c;
}

/* A head's front buffer through GET_BUFFER. */
static struct canvas get_buffer_of(struct vgp_client *c, uint32_t head,
				   int *status)
{
	struct vgp_get_buffer g = {head, 0};
	struct vgp_buffer_reply br;
	struct canvas out = {0};
	size_t got;
	int fd = -1;
	*status = vgp_client_call(c, VGP_GET_BUFFER, &g, sizeof(g), -1, &br,
				  sizeof(br), &got, &fd);
	if (*status != VGP_OK)
		return out;
	assert_int_equal(got, sizeof(br));
	assert_true(fd >= 0);
	assert_int_equal(br.pitch, 4 * br.width);
	void *m = mmap(NULL, br.size, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(m != MAP_FAILED);
	out = canvas_new(br.width, br.height);
	memcpy(out.px, m, (size_t)br.width * br.height * 4);
	munmap(m, br.size);
	close(fd);
	return out;
}

static struct canvas get_buffer(struct vgp_client *c, int *status)
{
	return get_buffer_of(c, 0, status);
}

static void assert_same(const struct canvas *a, const struct canvas *b)
{
	assert_int_equal(a->w, b->w);
	assert_int_equal(a->h, b->h);
	for (size_t p = 0; p < (size_t)a->w * a->h; p++)
		if ((a->px[p] & 0xffffff) != (b->px[p] & 0xffffff)) {
			print_error(
				"pixel (%zu,%zu): 0x%06x, expected 0x%06x\n",
				p % a->w, p / a->w, a->px[p] & 0xffffff,
				b->px[p] & 0xffffff);
			fail();
		}
}

/* Stops the daemon and compares the device's own screendump with want. */
static void assert_screendump(struct daemon *d, const struct canvas *want)
{
	assert_int_equal(stop(d), 0);
	struct canvas got;
	char err[200];
	assert_int_equal(
		vg_png_read(d->dump, &got.px, &got.w, &got.h, err, sizeof(err)),
		0);
	assert_same(&got, want);
	free(got.px);
}

static int run_draw(const struct daemon *d, const char *const *ops, size_t n,
		    int in_fd)
{
	const char *argv[64] = {getenv("VIOGPU"), "draw", "--socket", d->sock};
	size_t k = 4;
	assert_non_null(argv[0]);
	assert_true(k + n < 64);
	for (size_t i = 0; i < n; i++)
		argv[k++] = ops[i];
	argv[k] = NULL;
	pid_t pid = spawn((char *const *)argv, in_fd);
	int st = wait_for(pid, 30000);
	assert_true(st != -1);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* viogpu draw's operations, checked on the device's screendump and by
 * GET_BUFFER, equal the plain rules' rendering; what was drawn after the
 * last swap does not show. */
static void test_draw_cli_matches_rules(void **state)
{
	struct daemon *d = *state;
	size_t n = sizeof(scene) / sizeof(scene[0]);
	struct canvas front = canvas_new(d->w, d->h),
		      back = canvas_new(d->w, d->h);

	ref_scene(&front, &back);
	assert_int_equal(run_draw(d, scene, n, -1), 0);
	struct vgp_client *c = connect_to(d);
	int st;
	struct canvas got = get_buffer(c, &st);
	assert_int_equal(st, VGP_OK);
	assert_same(&got, &front);
	free(got.px);
	vgp_client_close(c);
	assert_screendump(d, &front);
	free(front.px);
	free(back.px);
}

/* The same operations one per line on stdin, and bad ones refused with
 * their position before anything is sent (exit 2, picture untouched). */
static void test_draw_cli_stdin_and_refusals(void **state)
{
	struct daemon *d = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/ops.txt", d->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "clear 0x112233\n# comment\n\nline 0 0 40 9 0x00ff00\n"
		   "swap\n");
	fclose(f);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(run_draw(d, NULL, 0, fd), 0);
	close(fd);

	/* The third op is bad: the first two must not reach the head. */
	static const char *const bad[] = {
		"clear", "0xffffff", "swap", "line", "1", "2", "3", "0x00ff00"};
	assert_int_equal(run_draw(d, bad, 8, -1), 2);
	static const char *const bad2[] = {"pixel", "1", "x", "0x000000"};
	assert_int_equal(run_draw(d, bad2, 4, -1), 2);
	static const char *const bad3[] = {"fill", "0", "0",
					   "-1",   "1", "0xff0000"};
	assert_int_equal(run_draw(d, bad3, 6, -1), 2);
	static const char *const bad4[] = {"pixel", "0", "0", "0xff00001"};
	assert_int_equal(run_draw(d, bad4, 4, -1), 2);
	static const char *const bad5[] = {"blit"};
	assert_int_equal(run_draw(d, bad5, 1, -1), 2);

	struct canvas want = canvas_new(d->w, d->h),
		      back = canvas_new(d->w, d->h);
	for (size_t p = 0; p < (size_t)d->w * d->h; p++)
		back.px[p] = 0x112233;
	ref_line(&back, 0, 0, 40, 9, 0x00ff00);
	memcpy(want.px, back.px, (size_t)d->w * d->h * 4);
	assert_screendump(d, &want);
	free(want.px);
	free(back.px);
}

static uint32_t create(struct vgp_client *c, uint32_t flags, uint32_t head,
		       uint32_t w, uint32_t h,
		       const struct vgp_access_entry *acl, uint32_t nacl,
		       struct vgp_surface_reply *sr, int *fd, int *status)
{
	struct {
		struct vgp_create_surface s;
		struct vgp_access_entry a[VGP_MAX_ACCESS];
	} req = {{flags, head, w, h, VGP_FORMAT_XRGB8888, 0, nacl, 0}, {{0}}};
	size_t got;
	if (nacl)
		memcpy(req.a, acl, nacl * sizeof(*acl));
	*fd = -1;
	*status = vgp_client_call(c, VGP_CREATE_SURFACE, &req,
				  sizeof(req.s) + nacl * sizeof(*acl), -1, sr,
				  sizeof(*sr), &got, fd);
	return *status == VGP_OK ? sr->handle : 0;
}

static int call_simple(struct vgp_client *c, uint32_t code, const void *b,
		       size_t len)
{
	return vgp_client_call(c, code, b, len, -1, NULL, 0, NULL, NULL);
}

/* Through the library: requests into the back buffer (seen in the
 * shared mapping), the front unchanged until SWAP_BUFFERS, the back kept
 * after it (copy semantics), BLIT from a client memfd, and the client's
 * own drawing in shared memory shown by PRESENT_DAMAGE. */
static void test_client_library(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *c = connect_to(d);
	struct vgp_surface_reply sr;
	int fd, st;
	uint32_t hd =
		create(c, VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE, 0,
		       0, 0, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_OK);
	assert_int_equal(sr.width, d->w);
	assert_true(fd >= 0);
	uint32_t *map =
		mmap(NULL, sr.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(map != MAP_FAILED);
	struct canvas front = canvas_new(d->w, d->h),
		      back = canvas_new(d->w, d->h);

	struct vgp_line l = {hd, 3, 7, 90, 50, 0xff8000};
	assert_int_equal(call_simple(c, VGP_DRAW_LINE, &l, sizeof(l)), VGP_OK);
	ref_line(&back, 3, 7, 90, 50, 0xff8000);
	assert_int_equal(map[7 * (sr.pitch / 4) + 3], 0xff8000);
	struct canvas got = get_buffer(c, &st);
	assert_int_equal(st, VGP_OK);
	assert_same(&got, &front); /* not swapped yet: still black */
	free(got.px);
	struct vgp_surface_ref ref = {hd, 0};
	assert_int_equal(call_simple(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref)),
			 VGP_OK);
	memcpy(front.px, back.px, (size_t)d->w * d->h * 4);
	/* Copy semantics: the back buffer keeps the line. */
	assert_int_equal(map[7 * (sr.pitch / 4) + 3], 0xff8000);

	/* BLIT a 4x3 block from a sealed memfd, partly off the left edge. */
	int src = memfd_create("src", MFD_ALLOW_SEALING);
	assert_true(src >= 0);
	uint32_t blk[12];
	for (int i = 0; i < 12; i++)
		blk[i] = 0x010101u * (uint32_t)(i + 1);
	assert_int_equal(write(src, blk, sizeof(blk)), sizeof(blk));
	assert_int_equal(fcntl(src, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	struct vgp_blit b = {hd, 16, 0, -1, 20, 4, 3};
	assert_int_equal(vgp_client_call(c, VGP_BLIT, &b, sizeof(b), src, NULL,
					 0, NULL, NULL),
			 VGP_OK);
	close(src);
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 4; x++)
			plot(&back, x - 1, 20 + y, blk[y * 4 + x]);
	/* The client draws into shared memory itself. */
	for (int x = 60; x < 70; x++)
		map[30 * (sr.pitch / 4) + x] = 0x00ffee;
	ref_rect(&back, 60, 30, 10, 1, 0x00ffee, 1);
	struct {
		struct vgp_present_damage d;
		struct vgp_damage_rect r;
	} pd = {{hd, 1}, {60, 30, 10, 1}};
	assert_int_equal(call_simple(c, VGP_PRESENT_DAMAGE, &pd, sizeof(pd)),
			 VGP_OK);
	/* PRESENT_DAMAGE on a head shows the damage: the blit too. */
	memcpy(front.px, back.px, (size_t)d->w * d->h * 4);
	got = get_buffer(c, &st);
	assert_int_equal(st, VGP_OK);
	assert_same(&got, &front);
	free(got.px);
	/* A non-primary has no front: swap refused. */
	uint32_t off = create(c, 0, 0, 8, 8, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	ref.handle = off;
	assert_int_equal(call_simple(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref)),
			 VGP_E_BAD_REQUEST);
	ref.handle = hd;
	assert_int_equal(call_simple(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref)),
			 VGP_OK);
	/* A closed handle stays dead. */
	assert_int_equal(call_simple(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref)),
			 VGP_E_NO_SUCH_SURFACE);
	munmap(map, (size_t)d->w * d->h * 4);
	vgp_client_close(c);
	assert_screendump(d, &front);
	free(front.px);
	free(back.px);
}

/* Two clients: private surfaces and handles are invisible to the other;
 * shared ones open by name under the rules; a primary's head is one
 * client's; restricted content is not readable by the other. */
static void test_two_clients(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *a = connect_to(d), *b = connect_to(d);
	struct vgp_surface_reply sa, sb;
	int fd, st;

	uint32_t priv = create(a, 0, 0, 16, 16, NULL, 0, &sa, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	assert_int_equal(sa.name, 0); /* nothing to open it by */
	/* B names A's handle: nothing on B's connection. */
	struct vgp_pixel px = {priv, 1, 1, 0xffffff};
	assert_int_equal(call_simple(b, VGP_DRAW_PIXEL, &px, sizeof(px)),
			 VGP_E_NO_SUCH_SURFACE);
	struct vgp_open_surface op = {0, VGP_OPEN_READ, 0};
	size_t got;
	assert_int_equal(vgp_client_call(b, VGP_OPEN_SURFACE, &op, sizeof(op),
					 -1, &sb, sizeof(sb), &got, NULL),
			 VGP_E_NO_SUCH_SURFACE);

	/* Shared: B opens it, draws, A sees it in its mapping. */
	create(a, VGP_SURFACE_SHARED_RESOURCE, 0, 16, 16, NULL, 0, &sa, &fd,
	       &st);
	assert_int_equal(st, VGP_OK);
	uint32_t *amap = mmap(NULL, sa.size, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(amap != MAP_FAILED);
	close(fd);
	assert_true(sa.name != 0);
	op = (struct vgp_open_surface){sa.name, VGP_OPEN_WRITE, 0};
	fd = -1;
	assert_int_equal(vgp_client_call(b, VGP_OPEN_SURFACE, &op, sizeof(op),
					 -1, &sb, sizeof(sb), &got, &fd),
			 VGP_OK);
	if (fd >= 0)
		close(fd);
	px = (struct vgp_pixel){sb.handle, 2, 3, 0x123456};
	assert_int_equal(call_simple(b, VGP_DRAW_PIXEL, &px, sizeof(px)),
			 VGP_OK);
	assert_int_equal(amap[3 * 16 + 2], 0x123456);
	munmap(amap, sa.size);
	/* The creator opens its own surface a second time and closes that
	 * handle: the surface stays (only the creating handle releases). */
	struct vgp_surface_reply sa2;
	op.mode = VGP_OPEN_READ;
	fd = -1;
	assert_int_equal(vgp_client_call(a, VGP_OPEN_SURFACE, &op, sizeof(op),
					 -1, &sa2, sizeof(sa2), &got, &fd),
			 VGP_OK);
	if (fd >= 0)
		close(fd);
	struct vgp_surface_ref r2 = {sa2.handle, 0};
	assert_int_equal(call_simple(a, VGP_CLOSE_SURFACE, &r2, sizeof(r2)),
			 VGP_OK);
	assert_int_equal(call_simple(b, VGP_DRAW_PIXEL, &px, sizeof(px)),
			 VGP_OK);
	/* The creator closes it: B's handle names nothing any more. */
	r2.handle = sa.handle;
	assert_int_equal(call_simple(a, VGP_CLOSE_SURFACE, &r2, sizeof(r2)),
			 VGP_OK);
	assert_int_equal(call_simple(b, VGP_DRAW_PIXEL, &px, sizeof(px)),
			 VGP_E_NO_SUCH_SURFACE);

	/* Restricted content on the head: B cannot read the front. */
	uint32_t prim =
		create(a,
		       VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE |
			       VGP_SURFACE_RESTRICTED_CONTENT,
		       0, 0, 0, NULL, 0, &sa, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	struct canvas c = get_buffer(b, &st);
	assert_int_equal(st, VGP_E_ACCESS_DENIED);
	c = get_buffer(a, &st);
	assert_int_equal(st, VGP_OK);
	free(c.px);
	op = (struct vgp_open_surface){sa.name, VGP_OPEN_READ, 0};
	assert_int_equal(vgp_client_call(b, VGP_OPEN_SURFACE, &op, sizeof(op),
					 -1, &sb, sizeof(sb), &got, NULL),
			 VGP_E_ACCESS_DENIED);
	/* Write-only opens are allowed, without a mapping. */
	op.mode = VGP_OPEN_WRITE;
	fd = -1;
	assert_int_equal(vgp_client_call(b, VGP_OPEN_SURFACE, &op, sizeof(op),
					 -1, &sb, sizeof(sb), &got, &fd),
			 VGP_OK);
	assert_int_equal(fd, -1);
	assert_int_equal(sb.size, 0);
	/* The head is A's: B gets no primary on it, nor a mode change. */
	create(b, VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE, 0, 0, 0,
	       NULL, 0, &sb, &fd, &st);
	assert_int_equal(st, VGP_E_ACCESS_DENIED);
	struct vgp_set_mode sm = {0, 640, 480, 0};
	assert_int_equal(call_simple(b, VGP_SET_MODE, &sm, sizeof(sm)),
			 VGP_E_ACCESS_DENIED);
	/* Seed 004's rules come back with their names. */
	create(b, VGP_SURFACE_PRIMARY, 0, 0, 0, NULL, 0, &sb, &fd, &st);
	assert_int_equal(st, VGP_E_INVALID_ALLOCATION_USAGE);
	create(b, VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE, 9, 0, 0,
	       NULL, 0, &sb, &fd, &st);
	assert_int_equal(st, VGP_E_INVALID_VIDPN_SOURCEID);
	(void)prim;
	vgp_client_close(b);
	vgp_client_close(a);
}

/* A client that dies holding a head gives it back its previous content:
 * here what `viogpu draw` left there. */
static void test_dying_client_restores_head(void **state)
{
	struct daemon *d = *state;
	static const char *const ops[] = {"fill", "5",	      "5",   "30",
					  "20",	  "0x00ff00", "swap"};
	assert_int_equal(run_draw(d, ops, 7, -1), 0);
	struct canvas want = canvas_new(d->w, d->h);
	ref_rect(&want, 5, 5, 30, 20, 0x00ff00, 1);

	pid_t pid = fork();
	if (pid == 0) {
		struct vgp_client *c;
		struct vgp_surface_reply sr;
		int fd, st;
		if (vgp_client_connect(d->sock, &c))
			_exit(3);
		uint32_t h = create(
			c, VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE, 0,
			0, 0, NULL, 0, &sr, &fd, &st);
		struct vgp_clear cl = {h, 0xff0000};
		struct vgp_surface_ref ref = {h, 0};
		if (st != VGP_OK ||
		    call_simple(c, VGP_CLEAR, &cl, sizeof(cl)) != VGP_OK ||
		    call_simple(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref)) !=
			    VGP_OK)
			_exit(4);
		/* Wait to be killed, holding the head. */
		if (write(1, "", 0) < 0)
			_exit(5);
		for (;;)
			pause();
	}
	/* Until it has swapped, the front is ours; poll for red. */
	struct vgp_client *c = connect_to(d);
	uint64_t end = now_ms() + 20000;
	int st;
	for (;;) {
		struct canvas got = get_buffer(c, &st);
		assert_int_equal(st, VGP_OK);
		uint32_t p = got.px[0];
		free(got.px);
		if (p == 0xff0000)
			break;
		assert_true(now_ms() < end);
		assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
		tick();
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* The daemon sees the hang-up; poll until the head is given back. */
	end = now_ms() + 20000;
	for (;;) {
		struct canvas got = get_buffer(c, &st);
		if (st == VGP_OK && got.px[0] == 0) {
			assert_same(&got, &want);
			free(got.px);
			break;
		}
		free(got.px);
		assert_true(now_ms() < end);
		tick();
	}
	vgp_client_close(c);
	assert_screendump(d, &want);
	free(want.px);
}

static int count_fds(pid_t pid)
{
	char path[64];
	int n = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *dir = opendir(path);
	struct dirent *e;
	assert_non_null(dir);
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* Surface memory the daemon maps: its memfd mappings. */
static int count_surface_maps(pid_t pid)
{
	char path[64], line[512];
	int n = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "memfd:viogpu-surface") != NULL;
	fclose(f);
	return n;
}

/* Sockets the daemon holds: its listening socket and one per client. */
static int count_sockets(pid_t pid)
{
	char path[64], fdp[600], link[64];
	int n = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *dir = opendir(path);
	struct dirent *e;
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		snprintf(fdp, sizeof(fdp), "%s/%s", path, e->d_name);
		ssize_t k = readlink(fdp, link, sizeof(link) - 1);
		n += k > 0 && !strncmp(link, "socket:", 7);
	}
	closedir(dir);
	return n;
}

/* ---- several clients at once (also the concurrency suite, under TSan) --
 * Threads never call cmocka's asserts (they longjmp on the main thread's
 * stack): each counts its failures and says the first; main asserts. */
#define MC_THREADS 4
#define MC_ROUNDS 256
#define MC_SIDE 64
#define MC_SWAP_EVERY 8 /* rounds between thread 0's swaps */

struct mc_shared {
	const struct daemon *d;
	pthread_barrier_t published, drawn;
	pthread_mutex_t lock;	   /* guards shared and names */
	struct vgp_client *shared; /* one client, handed between threads */
	uint64_t names[MC_THREADS];
	uint32_t head_w, head_h;
};

struct mc_thread {
	struct mc_shared *sh;
	int idx;
	int errors;
	char what[160];
	pthread_t tid;
};

static void mc_fail(struct mc_thread *t, const char *what, int v)
{
	if (!t->errors++)
		snprintf(t->what, sizeof(t->what), "thread %d: %s (%d)", t->idx,
			 what, v);
}

/* Surface i's rows [0,32) are drawn by its owner, rows [32,64) by thread
 * i-1 through a handle opened by name; pixel r of a thread goes to
 * (r % 64, r / 64) of its half, colored by thread and round. */
static uint32_t mc_color(int thread, int r)
{
	return 0x010000u * (uint32_t)(thread + 1) + (uint32_t)r + 1;
}

static int mc_pixel(struct vgp_client *c, uint32_t h, int x, int y,
		    uint32_t color)
{
	struct vgp_pixel px = {h, x, y, color};
	return vgp_client_call(c, VGP_DRAW_PIXEL, &px, sizeof(px), -1, NULL, 0,
			       NULL, NULL);
}

static void *mc_run(void *arg)
{
	struct mc_thread *t = arg;
	struct mc_shared *sh = t->sh;
	struct vgp_client *c = NULL;
	int fd = -1, st;
	size_t got;

	if ((st = vgp_client_connect(sh->d->sock, &c)) != 0) {
		mc_fail(t, "connect", st);
		pthread_barrier_wait(&sh->published);
		pthread_barrier_wait(&sh->drawn);
		return NULL;
	}
	struct vgp_create_surface cs = {
		VGP_SURFACE_SHARED_RESOURCE, 0, MC_SIDE, MC_SIDE,
		VGP_FORMAT_XRGB8888,	     0, 0,	 0};
	struct vgp_surface_reply mine = {0}, theirs = {0};
	st = vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), -1, &mine,
			     sizeof(mine), &got, &fd);
	uint32_t *map = MAP_FAILED;
	if (st != VGP_OK || fd < 0)
		mc_fail(t, "create", st);
	else
		map = mmap(NULL, mine.size, PROT_READ, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	pthread_mutex_lock(&sh->lock);
	sh->names[t->idx] = mine.name;
	pthread_mutex_unlock(&sh->lock);
	pthread_barrier_wait(&sh->published);

	/* The next thread's surface, by the name it published. */
	int next = (t->idx + 1) % MC_THREADS;
	pthread_mutex_lock(&sh->lock);
	struct vgp_open_surface op = {sh->names[next], VGP_OPEN_WRITE, 0};
	pthread_mutex_unlock(&sh->lock);
	fd = -1;
	st = vgp_client_call(c, VGP_OPEN_SURFACE, &op, sizeof(op), -1, &theirs,
			     sizeof(theirs), &got, &fd);
	if (st != VGP_OK)
		mc_fail(t, "open the next thread's surface", st);
	if (fd >= 0)
		close(fd);

	/* Thread 0 also holds head 0 and swaps whole frames of one color;
	 * the others read the front meanwhile: never two colors in it. */
	uint32_t prim = 0;
	if (t->idx == 0) {
		struct vgp_create_surface pc = {
			VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE,
			0,
			0,
			0,
			VGP_FORMAT_XRGB8888,
			0,
			0,
			0};
		struct vgp_surface_reply pr;
		fd = -1;
		st = vgp_client_call(c, VGP_CREATE_SURFACE, &pc, sizeof(pc), -1,
				     &pr, sizeof(pr), &got, &fd);
		if (st != VGP_OK)
			mc_fail(t, "create the primary", st);
		if (fd >= 0)
			close(fd);
		prim = pr.handle;
	}

	for (int r = 0; r < MC_ROUNDS; r++) {
		int x = r % MC_SIDE, y = r / MC_SIDE;
		if ((st = mc_pixel(c, mine.handle, x, y, mc_color(t->idx, r))))
			mc_fail(t, "own pixel", st);
		if ((st = mc_pixel(c, theirs.handle, x, 32 + y,
				   mc_color(t->idx, r))))
			mc_fail(t, "next thread's pixel", st);
		/* Arrival order: the last of many writes to one pixel. */
		if ((st = mc_pixel(c, mine.handle, MC_SIDE - 1, 31,
				   mc_color(t->idx, r))))
			mc_fail(t, "order pixel", st);
		if (r % 8 == 0) {
			struct vgp_line l = {mine.handle, 0,
					     8 + r % 16,  63,
					     8 + r % 16,  mc_color(t->idx, r)};
			st = vgp_client_call(c, VGP_DRAW_LINE, &l, sizeof(l),
					     -1, NULL, 0, NULL, NULL);
			if (st)
				mc_fail(t, "line", st);
			/* one client, many threads, one at a time */
			struct vgp_info in;
			pthread_mutex_lock(&sh->lock);
			st = vgp_client_call(sh->shared, VGP_GET_INFO, NULL, 0,
					     -1, &in, sizeof(in), &got, NULL);
			pthread_mutex_unlock(&sh->lock);
			if (st != VGP_OK || in.nheads < 1)
				mc_fail(t, "GET_INFO on the shared client", st);
		}
		if (t->idx == 0 && r % MC_SWAP_EVERY == 0) {
			struct vgp_clear cl = {prim, mc_color(0, r)};
			struct vgp_surface_ref ref = {prim, 0};
			if ((st = vgp_client_call(c, VGP_CLEAR, &cl, sizeof(cl),
						  -1, NULL, 0, NULL, NULL)) ||
			    (st = vgp_client_call(c, VGP_SWAP_BUFFERS, &ref,
						  sizeof(ref), -1, NULL, 0,
						  NULL, NULL)))
				mc_fail(t, "clear and swap", st);
		} else if (t->idx != 0 && r % 64 == 0) {
			struct vgp_get_buffer g = {0, 0};
			struct vgp_buffer_reply br;
			fd = -1;
			st = vgp_client_call(c, VGP_GET_BUFFER, &g, sizeof(g),
					     -1, &br, sizeof(br), &got, &fd);
			if (st != VGP_OK || fd < 0) {
				mc_fail(t, "GET_BUFFER", st);
			} else {
				uint32_t *f = mmap(NULL, br.size, PROT_READ,
						   MAP_SHARED, fd, 0);
				size_t n = (size_t)br.width * br.height;
				for (size_t p = 1; f != MAP_FAILED && p < n;
				     p++)
					if (f[p] != f[0]) {
						mc_fail(t, "torn front",
							(int)p);
						break;
					}
				if (f != MAP_FAILED)
					munmap(f, br.size);
			}
			if (fd >= 0)
				close(fd);
		}
	}
	/* Every thread is done drawing: check our own surface. */
	pthread_barrier_wait(&sh->drawn);
	int prev = (t->idx + MC_THREADS - 1) % MC_THREADS;
	for (int r = 0; map != MAP_FAILED && r < MC_ROUNDS; r++) {
		int x = r % MC_SIDE, y = r / MC_SIDE;
		uint32_t own = map[y * MC_SIDE + x];
		uint32_t other = map[(32 + y) * MC_SIDE + x];
		if (own != mc_color(t->idx, r))
			mc_fail(t, "own pixel lost", r);
		if (other != mc_color(prev, r))
			mc_fail(t, "previous thread's pixel lost", r);
	}
	if (map != MAP_FAILED &&
	    map[31 * MC_SIDE + MC_SIDE - 1] != mc_color(t->idx, MC_ROUNDS - 1))
		mc_fail(t, "requests applied out of order", 0);
	if (map != MAP_FAILED)
		munmap(map, mine.size);
	if (t->idx == 0) {
		/* Its last frame is on the head until it goes away. */
		uint32_t last = (MC_ROUNDS - 1) / MC_SWAP_EVERY * MC_SWAP_EVERY;
		struct vgp_get_buffer g = {0, 0};
		struct vgp_buffer_reply br;
		fd = -1;
		st = vgp_client_call(c, VGP_GET_BUFFER, &g, sizeof(g), -1, &br,
				     sizeof(br), &got, &fd);
		uint32_t *f = st == VGP_OK && fd >= 0
				      ? mmap(NULL, br.size, PROT_READ,
					     MAP_SHARED, fd, 0)
				      : MAP_FAILED;
		if (f == MAP_FAILED || f[0] != mc_color(0, (int)last))
			mc_fail(t, "last frame not on the head", st);
		if (f != MAP_FAILED)
			munmap(f, br.size);
		if (fd >= 0)
			close(fd);
	}
	vgp_client_close(c);
	return NULL;
}

/* Four clients on four threads at once: each draws into its own shared
 * surface and, by name, into the next one's; one holds the head and
 * swaps while the others read the front; one more client is passed
 * between the threads under a lock.  Every pixel lands, each client's
 * requests apply in its order, no front is torn, and the daemon's fds
 * come back to their count. */
static void test_many_clients_threads(void **state)
{
	struct daemon *d = *state;
	struct mc_shared sh = {.d = d};
	struct mc_thread t[MC_THREADS];
	/* The baseline: the daemon's fds with no client connected, taken
	 * once the fixture's probe is hung up (only the listening socket
	 * left) and no request of it holds a memfd; under load either can
	 * still be in flight, and a baseline taken then is off by one. */
	uint64_t settle = now_ms() + 20000;
	while (count_sockets(d->pid) != 1 || count_surface_maps(d->pid) != 0) {
		assert_true(now_ms() < settle);
		tick();
	}
	int before = count_fds(d->pid);

	sh.shared = connect_to(d);
	pthread_mutex_init(&sh.lock, NULL);
	pthread_barrier_init(&sh.published, NULL, MC_THREADS);
	pthread_barrier_init(&sh.drawn, NULL, MC_THREADS);
	for (int i = 0; i < MC_THREADS; i++) {
		t[i] = (struct mc_thread){.sh = &sh, .idx = i};
		assert_int_equal(pthread_create(&t[i].tid, NULL, mc_run, &t[i]),
				 0);
	}
	int errors = 0;
	for (int i = 0; i < MC_THREADS; i++) {
		pthread_join(t[i].tid, NULL);
		if (t[i].errors)
			print_error("%s; %d failures\n", t[i].what,
				    t[i].errors);
		errors += t[i].errors;
	}
	pthread_barrier_destroy(&sh.drawn);
	pthread_barrier_destroy(&sh.published);
	pthread_mutex_destroy(&sh.lock);
	vgp_client_close(sh.shared);
	assert_int_equal(errors, 0);
	/* Thread 0's connection went away holding the head: the head gets
	 * its previous content (black) back. */
	struct vgp_client *c = connect_to(d);
	uint64_t end = now_ms() + 20000;
	for (;;) {
		int st;
		struct canvas front = get_buffer(c, &st);
		uint32_t p = st == VGP_OK ? front.px[0] : ~0u;
		free(front.px);
		if (p == 0)
			break;
		assert_true(now_ms() < end);
		tick();
	}
	vgp_client_close(c);
	end = now_ms() + 20000;
	while (count_fds(d->pid) != before || count_surface_maps(d->pid) != 0) {
		assert_true(now_ms() < end);
		tick();
	}
}

static int raw_connect(const struct daemon *d)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	strcpy(a.sun_path, d->sock);
	assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	return s;
}

/* Sends raw bytes (and an fd when fd >= 0); returns the reply's status,
 * or -1 when the server closed the connection instead. */
static int raw_call_fds(int s, const void *buf, size_t n, const int *fds,
			size_t nfds);
static int raw_call(int s, const void *buf, size_t n, int fd)
{
	return raw_call_fds(s, buf, n, &fd, fd >= 0 ? 1 : 0);
}

static int raw_call_fds(int s, const void *buf, size_t n, const int *fds,
			size_t nfds)
{
	struct iovec iov = {(void *)buf, n};
	union {
		struct cmsghdr al;
		char sp[CMSG_SPACE(2 * sizeof(int))];
	} ctl;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds) {
		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.sp;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	if (sendmsg(s, &m, MSG_NOSIGNAL) != (ssize_t)n)
		return -1;
	struct vgp_reply_hdr h;
	ssize_t r = recv(s, &h, sizeof(h), 0);
	if (r != (ssize_t)sizeof(h))
		return -1;
	return (int)h.status;
}

/* Bad records get an error reply or a closed connection; another client
 * keeps working throughout; the daemon's fds come back to their count. */
static void test_bad_input(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *good = connect_to(d);
	struct vgp_surface_reply sr;
	int fd, st;
	uint32_t h = create(good, 0, 0, 8, 8, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	struct vgp_pixel px = {h, 1, 1, 0xff};
	int before = count_fds(d->pid);
	int maps_before = count_surface_maps(d->pid);
	assert_true(maps_before >= 1);

	for (int round = 0; round < 3; round++) {
		int s = raw_connect(d);
		unsigned char buf[700];
		memset(buf, 0, sizeof(buf));
		struct vgp_req_hdr hd = {VGP_DRAW_PIXEL, 8, 1,
					 VGP_VERSION_MAJOR, 0};
		/* short: less than a header */
		memcpy(buf, &hd, sizeof(hd));
		st = raw_call(s, buf, 8, -1);
		assert_true(st == -1 || st == VGP_E_TRUNCATED ||
			    st == VGP_E_BAD_REQUEST);
		if (st == -1) {
			close(s);
			s = raw_connect(d);
		}
		/* oversized: more than VGP_MAX_REQUEST */
		hd.length = sizeof(buf);
		memcpy(buf, &hd, sizeof(hd));
		st = raw_call(s, buf, sizeof(buf), -1);
		assert_true(st == -1 || st == VGP_E_OVERSIZED);
		if (st == -1) {
			close(s);
			s = raw_connect(d);
		}
		/* wrong version */
		hd = (struct vgp_req_hdr){VGP_GET_INFO, 16, 2, 99, 0};
		st = raw_call(s, &hd, sizeof(hd), -1);
		assert_true(st == -1 || st == VGP_E_VERSION_MISMATCH);
		if (st == -1) {
			close(s);
			s = raw_connect(d);
		}
		/* an fd where none belongs */
		struct {
			struct vgp_req_hdr h;
			struct vgp_pixel p;
		} rq = {{VGP_DRAW_PIXEL, 32, 3, VGP_VERSION_MAJOR, 0},
			{1, 0, 0, 0}};
		int pipefd[2];
		assert_int_equal(pipe(pipefd), 0);
		st = raw_call(s, &rq, sizeof(rq), pipefd[0]);
		close(pipefd[0]);
		close(pipefd[1]);
		assert_true(st == -1 || st == VGP_E_BAD_FD);
		/* two sealed memfds on a BLIT: one too many */
		if (st != -1) {
			int mf[2];
			for (int k = 0; k < 2; k++) {
				mf[k] = memfd_create("x", MFD_ALLOW_SEALING);
				assert_true(mf[k] >= 0);
				assert_int_equal(ftruncate(mf[k], 4096), 0);
				assert_int_equal(fcntl(mf[k], F_ADD_SEALS,
						       F_SEAL_SHRINK),
						 0);
			}
			struct {
				struct vgp_req_hdr h;
				struct vgp_blit b;
			} bl = {{VGP_BLIT, 48, 5, VGP_VERSION_MAJOR, 0},
				{1, 16, 0, 0, 0, 4, 4}};
			st = raw_call_fds(s, &bl, sizeof(bl), mf, 2);
			close(mf[0]);
			close(mf[1]);
			assert_true(st == -1 || st == VGP_E_BAD_FD);
		}
		/* unknown code */
		hd = (struct vgp_req_hdr){0x0022fffc, 16, 4, VGP_VERSION_MAJOR,
					  0};
		if (st != -1) {
			st = raw_call(s, &hd, sizeof(hd), -1);
			assert_true(st == -1 || st == VGP_E_UNKNOWN_CODE);
		}
		/* the other client is undisturbed */
		assert_int_equal(
			call_simple(good, VGP_DRAW_PIXEL, &px, sizeof(px)),
			VGP_OK);
		/* a bad client that also holds a surface */
		struct vgp_client *bad;
		assert_int_equal(vgp_client_adopt(s, &bad), 0);
		create(bad, VGP_SURFACE_SHARED_RESOURCE, 0, 64, 64, NULL, 0,
		       &sr, &fd, &st);
		assert_int_equal(st, VGP_OK);
		close(fd);
		vgp_client_close(bad);
	}
	/* The hang-ups are seen in the daemon's next poll: wait for the
	 * count (deadline), it must come back exactly. */
	/* Random records: any length up to past the limit, the header
	 * half the time valid in version, codes near the real ones. */
	srand(12);
	int s = raw_connect(d);
	for (int k = 0; k < 2000; k++) {
		unsigned char buf[600];
		size_t n = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)rand();
		if (n >= 16) {
			struct vgp_req_hdr hd = {
				0x00220000u | ((uint32_t)rand() & 0xffffu),
				(uint32_t)(rand() % 3 ? n : (size_t)rand()),
				(uint32_t)k,
				(uint16_t)(rand() % 2 ? VGP_VERSION_MAJOR
						      : (unsigned)rand()),
				0};
			memcpy(buf, &hd, sizeof(hd));
		}
		if (raw_call(s, buf, n, -1) == -1) {
			close(s);
			s = raw_connect(d);
		}
	}
	close(s);
	assert_int_equal(call_simple(good, VGP_DRAW_PIXEL, &px, sizeof(px)),
			 VGP_OK);
	uint64_t end = now_ms() + 20000;
	while (count_fds(d->pid) != before ||
	       count_surface_maps(d->pid) != maps_before) {
		assert_true(now_ms() < end);
		tick();
	}
	assert_int_equal(call_simple(good, VGP_DRAW_PIXEL, &px, sizeof(px)),
			 VGP_OK);
	vgp_client_close(good);
}

/* Per-connection limits: 64 surfaces, 512 MiB of surface memory; a
 * refused create leaves the client working. */
static void test_client_limits(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *c = connect_to(d);
	struct vgp_surface_reply sr;
	int fd, st, made = 0;
	for (;;) {
		create(c, 0, 0, 16, 16, NULL, 0, &sr, &fd, &st);
		if (st != VGP_OK)
			break;
		close(fd);
		assert_true(++made <= 64);
	}
	assert_int_equal(st, VGP_E_LIMIT);
	assert_int_equal(made, 64);
	vgp_client_close(c);
	/* Bytes: two 256 MiB surfaces fit (memfds stay sparse), a third
	 * does not. */
	c = connect_to(d);
	for (int k = 0; k < 2; k++) {
		create(c, 0, 0, 8192, 8192, NULL, 0, &sr, &fd, &st);
		assert_int_equal(st, VGP_OK);
		close(fd);
	}
	create(c, 0, 0, 8192, 8192, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_E_NO_MEMORY);
	/* The allowance is spent exactly: even 1 KiB more is refused, and
	 * the connection still answers. */
	create(c, 0, 0, 16, 16, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_E_NO_MEMORY);
	struct vgp_info in;
	get_info(c, &in);
	vgp_client_close(c);
}

/* A client that sends requests and never reads the replies is cut off;
 * the other client is answered all along. */
static void test_non_reader_cut_off(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *good = connect_to(d);
	/* A daemon that waited on the non-reader would leave this one
	 * unanswered: fail in 10 s rather than hang. */
	struct timeval tv = {10, 0};
	assert_int_equal(setsockopt(vgp_client_fd(good), SOL_SOCKET,
				    SO_RCVTIMEO, &tv, sizeof(tv)),
			 0);
	int s = raw_connect(d);
	struct vgp_req_hdr hd = {VGP_GET_INFO, 16, 1, VGP_VERSION_MAJOR, 0};
	struct vgp_info in;
	int sent = 0;
	uint64_t end = now_ms() + 30000;
	/* GET_INFO replies are ~16 KiB: the daemon's send buffer for this
	 * socket fills after a few dozen. */
	for (;;) {
		ssize_t r =
			send(s, &hd, sizeof(hd), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r < 0 && errno != EAGAIN)
			break; /* cut off: EPIPE / ECONNRESET */
		if (r > 0)
			sent++;
		else {
			get_info(good, &in);
			tick();
		}
		if (sent % 16 == 0)
			get_info(good, &in);
		/* cut off shows as POLLHUP on our side */
		struct pollfd p = {s, 0, 0};
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP))
			break;
		assert_true(now_ms() < end);
	}
	assert_true(sent > 1);
	get_info(good, &in);
	close(s);
	vgp_client_close(good);
}

/* SET_MODE on a two-head model's second head, then viogpu draw --head 1
 * draws there and only there. */
static void test_draw_second_head(void **state)
{
	struct daemon *d = *state;
	char sock[160];
	snprintf(sock, sizeof(sock), "%s/two.sock", d->dir);
	char *argv[] = {getenv("VIOGPUD"), "--device", "sim", "--heads", "2",
			"--socket",	   sock,       NULL};
	pid_t pid = spawn(argv, -1);
	struct vgp_client *c = NULL;
	uint64_t end = now_ms() + 20000;
	while (vgp_client_connect(sock, &c) != 0) {
		assert_true(now_ms() < end);
		tick();
	}
	struct vgp_info in;
	get_info(c, &in);
	assert_int_equal(in.nheads, 2);
	/* The model's second head starts without a mode: give it one. */
	struct vgp_set_mode sm = {1, 640, 480, 0};
	assert_int_equal(call_simple(c, VGP_SET_MODE, &sm, sizeof(sm)), VGP_OK);
	get_info(c, &in);
	assert_int_equal(in.heads[1].width, 640);
	assert_int_equal(in.heads[1].height, 480);
	sm.head = 2;
	assert_int_equal(call_simple(c, VGP_SET_MODE, &sm, sizeof(sm)),
			 VGP_E_INVALID_VIDPN_SOURCEID);
	char *draw[] = {getenv("VIOGPU"),
			"draw",
			"--socket",
			sock,
			"--head",
			"1",
			"fill",
			"0",
			"0",
			"10",
			"10",
			"0x00ff00",
			"swap",
			NULL};
	int st = wait_for(spawn(draw, -1), 30000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	struct canvas h1 = get_buffer_of(c, 1, &st);
	assert_int_equal(st, VGP_OK);
	struct canvas want = canvas_new(in.heads[1].width, in.heads[1].height);
	ref_rect(&want, 0, 0, 10, 10, 0x00ff00, 1);
	assert_same(&h1, &want);
	free(h1.px);
	free(want.px);
	struct canvas h0 = get_buffer_of(c, 0, &st);
	assert_int_equal(st, VGP_OK);
	assert_int_equal(h0.px[0], 0); /* head 0 untouched */
	free(h0.px);
	vgp_client_close(c);
	kill(pid, SIGTERM);
	st = wait_for(pid, 20000);
	assert_true(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(access(sock, F_OK), -1);
}

/* A second daemon on a live socket is refused and the first keeps
 * serving; a stale socket file (nobody listening) is replaced. */
static void test_socket_live_and_stale(void **state)
{
	struct daemon *d = *state;
	char *argv[] = {getenv("VIOGPUD"), "--device", "sim",
			"--socket",	   d->sock,    NULL};
	pid_t pid = spawn(argv, -1);
	int st = wait_for(pid, 20000);
	assert_true(st != -1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 0);
	struct vgp_client *c = connect_to(d);
	struct vgp_info in;
	get_info(c, &in);
	vgp_client_close(c);

	char stale[160];
	snprintf(stale, sizeof(stale), "%s/stale.sock", d->dir);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, stale);
	int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	close(s); /* the file stays, nobody listens */
	char *argv2[] = {getenv("VIOGPUD"), "--device", "sim",
			 "--socket",	    stale,	NULL};
	pid = spawn(argv2, -1);
	uint64_t end = now_ms() + 20000;
	while (vgp_client_connect(stale, &c) != 0) {
		assert_true(now_ms() < end);
		tick();
	}
	get_info(c, &in);
	vgp_client_close(c);
	kill(pid, SIGTERM);
	st = wait_for(pid, 20000);
	assert_true(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(access(stale, F_OK), -1);
}

/* A second user id (nobody): opens a plain shared surface, but not one
 * whose access list names only root's uid, and cannot read a restricted
 * head.  Needs root to switch ids; skipped otherwise. */
static void test_second_uid(void **state)
{
	struct daemon *d = *state;
	if (geteuid() != 0)
		skip();
	chmod(d->sock, 0777);
	struct vgp_client *a = connect_to(d);
	struct vgp_surface_reply plain, acl, prim;
	int fd, st;
	create(a, VGP_SURFACE_SHARED_RESOURCE, 0, 8, 8, NULL, 0, &plain, &fd,
	       &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	struct vgp_access_entry root_only = {VGP_ACL_UID, 0};
	create(a,
	       VGP_SURFACE_SHARED_RESOURCE | VGP_SURFACE_RESTRICT_SHARED_ACCESS,
	       0, 8, 8, &root_only, 1, &acl, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	create(a,
	       VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE |
		       VGP_SURFACE_RESTRICTED_CONTENT,
	       0, 0, 0, NULL, 0, &prim, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		struct vgp_client *b;
		struct vgp_surface_reply r;
		size_t got;
		int code = 0;
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		if (vgp_client_connect(d->sock, &b))
			_exit(11);
		struct vgp_open_surface op = {plain.name, VGP_OPEN_READ, 0};
		int fd2 = -1;
		if (vgp_client_call(b, VGP_OPEN_SURFACE, &op, sizeof(op), -1,
				    &r, sizeof(r), &got, &fd2) != VGP_OK)
			code |= 1;
		if (fd2 >= 0)
			close(fd2);
		op.name = acl.name;
		if (vgp_client_call(b, VGP_OPEN_SURFACE, &op, sizeof(op), -1,
				    &r, sizeof(r), &got,
				    NULL) != VGP_E_ACCESS_DENIED)
			code |= 2;
		int s2;
		struct canvas cv = get_buffer(b, &s2);
		free(cv.px);
		if (s2 != VGP_E_ACCESS_DENIED)
			code |= 4;
		vgp_client_close(b);
		_exit(code);
	}
	int wst = wait_for(pid, 20000);
	assert_true(wst != -1 && WIFEXITED(wst));
	assert_int_equal(WEXITSTATUS(wst), 0);
	vgp_client_close(a);
}

/* ---- the default socket path ------------------------------------------ */

/* Runs argv as uid (-1: ours) with XDG_RUNTIME_DIR set to xdg (NULL:
 * unset), stdin from in_fd when >= 0. */
static pid_t spawn_env(char *const argv[], int uid, const char *xdg)
{
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (uid >= 0 && (setgroups(0, NULL) || setgid((gid_t)uid) ||
				 setuid((uid_t)uid)))
			_exit(126);
		if (xdg)
			setenv("XDG_RUNTIME_DIR", xdg, 1);
		else
			unsetenv("XDG_RUNTIME_DIR");
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits until path accepts a connection (pid must stay alive). */
static bool wait_socket(const char *path, pid_t pid)
{
	uint64_t end = now_ms() + 20000;
	struct vgp_client *c = NULL;
	while (vgp_client_connect(path, &c) != 0) {
		if (now_ms() > end || waitpid(pid, NULL, WNOHANG) != 0)
			return false;
		tick();
	}
	vgp_client_close(c);
	return true;
}

/* `viogpu draw` without --socket, as uid with xdg; its exit code. */
static int draw_default(int uid, const char *xdg, const char *color)
{
	char *argv[] = {getenv("VIOGPU"), "draw", "fill", "0", "0", "8", "8",
			(char *)color,	  "swap", NULL};
	int st = wait_for(spawn_env(argv, uid, xdg), 30000);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* SIGTERM; true when it exits 0. */
static bool stop_pid(pid_t pid)
{
	kill(pid, SIGTERM);
	int st = wait_for(pid, 20000);
	if (st == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return false;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Front pixel (0,0) of head 0 of the server at path, or ~0u.  No cmocka
 * asserts: the root test calls it in a forked child. */
static uint32_t front_pixel0(const char *path)
{
	struct vgp_client *c = NULL;
	struct vgp_get_buffer g = {0, 0};
	struct vgp_buffer_reply br;
	uint32_t p = ~0u;
	size_t got;
	int fd = -1;
	if (vgp_client_connect(path, &c) != 0)
		return p;
	if (vgp_client_call(c, VGP_GET_BUFFER, &g, sizeof(g), -1, &br,
			    sizeof(br), &got, &fd) == VGP_OK &&
	    fd >= 0 && got == sizeof(br) && br.size >= 4) {
		uint32_t *m = mmap(NULL, br.size, PROT_READ, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED) {
			p = m[0] & 0xffffff;
			munmap(m, br.size);
		}
	}
	if (fd >= 0)
		close(fd);
	vgp_client_close(c);
	return p;
}

/* Without --socket, viogpud listens on $XDG_RUNTIME_DIR/viogpu.sock and
 * `viogpu draw` without --socket finds it there; pointed at another
 * directory, draw finds nothing.  The default for root is /run (the next
 * test), so as root both run as nobody. */
static void test_default_socket_xdg(void **state)
{
	struct daemon *d = *state;
	int uid = geteuid() == 0 ? 65534 : -1;
	char xdg[128], other[128], sock[160];
	snprintf(xdg, sizeof(xdg), "%s/xdg", d->dir);
	snprintf(other, sizeof(other), "%s/other", d->dir);
	snprintf(sock, sizeof(sock), "%s/viogpu.sock", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(other, 0700), 0);
	if (uid >= 0) {
		assert_int_equal(chown(xdg, (uid_t)uid, (gid_t)uid), 0);
		assert_int_equal(chown(other, (uid_t)uid, (gid_t)uid), 0);
	}
	char *argv[] = {getenv("VIOGPUD"), "--device", "sim", NULL};
	pid_t pid = spawn_env(argv, uid, xdg);
	assert_true(pid > 0);
	bool up = wait_socket(sock, pid);
	if (!up)
		stop_pid(pid);
	assert_true(up);
	assert_int_equal(draw_default(uid, xdg, "0x00ff00"), 0);
	assert_int_equal(front_pixel0(sock), 0x00ff00);
	/* Another XDG_RUNTIME_DIR: no server there, draw fails. */
	assert_int_not_equal(draw_default(uid, other, "0xff0000"), 0);
	assert_int_equal(front_pixel0(sock), 0x00ff00);
	assert_true(stop_pid(pid));
	assert_int_equal(access(sock, F_OK), -1);
}

/* As root the default is /run/viogpu/viogpud.sock whatever
 * XDG_RUNTIME_DIR says (and when it is unset).  Tested in a private
 * mount namespace with a tmpfs over /run, so the host's /run is never
 * touched; skipped when not root or when namespaces are refused.  The
 * child reports by exit code: 0 ok, 77 skip, else the failed step. */
static int root_default_child(const char *xdg)
{
	if (unshare(CLONE_NEWNS) != 0)
		return 77;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("viogpu-test", "/run", "tmpfs", 0, "size=1m,mode=0755") != 0)
		return 77;
	const char *sock = "/run/viogpu/viogpud.sock";
	char xsock[160];
	snprintf(xsock, sizeof(xsock), "%s/viogpu.sock", xdg);
	/* XDG_RUNTIME_DIR set, then unset: /run both times. */
	for (int round = 0; round < 2; round++) {
		const char *env = round == 0 ? xdg : NULL;
		char *argv[] = {getenv("VIOGPUD"), "--device", "sim", NULL};
		pid_t pid = spawn_env(argv, -1, env);
		if (pid <= 0)
			return 10;
		if (!wait_socket(sock, pid)) {
			stop_pid(pid);
			return 11;
		}
		if (access(xsock, F_OK) == 0) {
			stop_pid(pid);
			return 12;
		}
		const char *color = round == 0 ? "0x0000ff" : "0x00ffff";
		if (draw_default(-1, env, color) != 0) {
			stop_pid(pid);
			return 13;
		}
		if (front_pixel0(sock) != strtoul(color, NULL, 16)) {
			stop_pid(pid);
			return 14;
		}
		if (!stop_pid(pid))
			return 15;
		if (access(sock, F_OK) == 0)
			return 16;
	}
	return 0;
}

static void test_default_socket_root(void **state)
{
	struct daemon *d = *state;
	if (geteuid() != 0)
		skip();
	char xdg[128];
	snprintf(xdg, sizeof(xdg), "%s/xdg", d->dir);
	assert_int_equal(mkdir(xdg, 0700), 0);
	struct stat before;
	bool had_dir = stat("/run/viogpu", &before) == 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(root_default_child(xdg));
	int st = wait_for(pid, 120000);
	assert_true(st != -1 && WIFEXITED(st));
	/* The host's /run saw nothing. */
	if (!had_dir)
		assert_int_equal(access("/run/viogpu", F_OK), -1);
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* The next record on c within ms: an event (its code and body) or 0 when
 * none came. */
static uint32_t next_event(struct vgp_client *c, int ms, void *body, size_t cap)
{
	struct pollfd p = {vgp_client_fd(c), POLLIN, 0};
	if (poll(&p, 1, ms) != 1)
		return 0;
	struct vgp_reply_hdr h;
	size_t len;
	int fd;
	assert_int_equal(vgp_client_recv(c, &h, body, cap, &len, &fd), 0);
	assert_int_equal(fd, -1);
	assert_true(VGP_IS_EVENT(h.code));
	assert_int_equal(h.serial, 0);
	assert_int_equal(h.status, VGP_OK);
	assert_int_equal(len, cap);
	return h.code;
}

static void keep_present(void *ctx, const struct vgp_present_event *ev)
{
	*(struct vgp_present_event *)ctx = *ev;
}

static struct vgp_present_event next_present(struct vgp_client *c)
{
	struct vgp_present_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(next_event(c, 10000, &ev, sizeof(ev)),
			 VGP_EVENT_PRESENT);
	return ev;
}

/* What viogpu-view stands on: SUBSCRIBE_PRESENT tells a subscriber the
 * rectangle each swap changed (after the front is whole: a GET_BUFFER
 * then sees all of it), a restricted head's changes only as the whole
 * head, a head given back as the whole head; POST_INPUT reaches the input
 * subscribers of its head, stamped by the server. */
static void test_present_and_input_events(void **state)
{
	struct daemon *d = *state;
	struct vgp_client *v = connect_to(d), *a = connect_to(d);
	struct vgp_subscribe_present sp = {0, 1};
	assert_int_equal(call_simple(v, VGP_SUBSCRIBE_PRESENT, &sp, sizeof(sp)),
			 VGP_OK);
	struct vgp_subscribe_input si = {0,
					 VGP_INPUT_BUTTON | VGP_INPUT_MOTION};
	assert_int_equal(call_simple(v, VGP_SUBSCRIBE_INPUT, &si, sizeof(si)),
			 VGP_OK);
	sp.head = 1; /* one head on this daemon */
	assert_int_equal(call_simple(v, VGP_SUBSCRIBE_PRESENT, &sp, sizeof(sp)),
			 VGP_E_INVALID_VIDPN_SOURCEID);

	/* viogpu draw: a fill, a swap, a line, a swap: two events. */
	static const char *const ops[] = {
		"fill", "10",  "20", "30", "40", "0xff0000", "swap",
		"line", "100", "7",  "90", "12", "0x00ff00", "swap"};
	assert_int_equal(run_draw(d, ops, 14, -1), 0);
	struct vgp_present_event ev = next_present(v);
	assert_int_equal(ev.head, 0);
	assert_int_equal(ev.x, 10);
	assert_int_equal(ev.y, 20);
	assert_int_equal(ev.width, 30);
	assert_int_equal(ev.height, 40);
	assert_int_equal(ev.head_width, d->w);
	assert_int_equal(ev.head_height, d->h);
	uint64_t seq = ev.seq;
	assert_true(seq >= 1);
	ev = next_present(v);
	/* copy semantics: the damage since the last swap is the line's */
	assert_int_equal(ev.x, 90);
	assert_int_equal(ev.y, 7);
	assert_int_equal(ev.width, 11);
	assert_int_equal(ev.height, 6);
	assert_int_equal(ev.seq, seq + 1);
	int st;
	struct canvas f = get_buffer(v, &st);
	assert_int_equal(st, VGP_OK);
	assert_int_equal(f.px[7 * f.w + 100] & 0xffffff, 0x00ff00);
	assert_int_equal(f.px[20 * f.w + 10] & 0xffffff, 0xff0000);
	free(f.px);

	/* POST_INPUT: to the subscriber, stamped; refusals. */
	struct vgp_post_input pi = {0, VGP_INPUT_BUTTON, 33, -4, 1, 1};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(call_simple(a, VGP_POST_INPUT, &pi, sizeof(pi)),
			 VGP_OK);
	struct vgp_input_event ie;
	assert_int_equal(next_event(v, 10000, &ie, sizeof(ie)),
			 VGP_EVENT_INPUT);
	assert_int_equal(ie.head, 0);
	assert_int_equal(ie.kind, VGP_INPUT_BUTTON);
	assert_int_equal(ie.x, 33);
	assert_int_equal(ie.y, -4);
	assert_int_equal(ie.button, 1);
	assert_int_equal(ie.state, 1);
	assert_true(ie.time_ns >=
		    (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec);
	pi = (struct vgp_post_input){0, VGP_INPUT_MOTION, 40, 41, 0, 0};
	assert_int_equal(call_simple(a, VGP_POST_INPUT, &pi, sizeof(pi)),
			 VGP_OK);
	assert_int_equal(next_event(v, 10000, &ie, sizeof(ie)),
			 VGP_EVENT_INPUT);
	assert_int_equal(ie.kind, VGP_INPUT_MOTION);
	assert_int_equal(ie.x, 40);
	/* a kind v did not subscribe to: nothing */
	pi = (struct vgp_post_input){0, VGP_INPUT_KEY, 0, 0, 30, 1};
	assert_int_equal(call_simple(a, VGP_POST_INPUT, &pi, sizeof(pi)),
			 VGP_OK);
	pi.head = 1;
	assert_int_equal(call_simple(a, VGP_POST_INPUT, &pi, sizeof(pi)),
			 VGP_E_INVALID_VIDPN_SOURCEID);
	pi = (struct vgp_post_input){0, VGP_INPUT_BUTTON, 0, 0, 0, 1};
	assert_int_equal(call_simple(a, VGP_POST_INPUT, &pi, sizeof(pi)),
			 VGP_E_BAD_REQUEST);
	assert_int_equal(next_event(v, 200, &ie, sizeof(ie)), 0);

	/* Restricted content: the whole head, never where it drew. */
	struct vgp_surface_reply sr;
	int fd;
	uint32_t prim =
		create(a,
		       VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE |
			       VGP_SURFACE_RESTRICTED_CONTENT,
		       0, 0, 0, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	struct vgp_rect rc = {prim, 200, 100, 5, 5, 0xffffff};
	assert_int_equal(call_simple(a, VGP_FILL_RECT, &rc, sizeof(rc)),
			 VGP_OK);
	struct vgp_surface_ref ref = {prim, 0};
	assert_int_equal(call_simple(a, VGP_SWAP_BUFFERS, &ref, sizeof(ref)),
			 VGP_OK);
	ev = next_present(v);
	assert_int_equal(ev.x, 0);
	assert_int_equal(ev.y, 0);
	assert_int_equal(ev.width, (int32_t)d->w);
	assert_int_equal(ev.height, (int32_t)d->h);
	f = get_buffer(v, &st);
	assert_int_equal(st, VGP_E_ACCESS_DENIED);
	/* ...while its owner, subscribed, gets the real rectangle. */
	sp.head = 0;
	struct vgp_present_event own = {0};
	vgp_client_set_present_handler(a, keep_present, &own);
	assert_int_equal(call_simple(a, VGP_SUBSCRIBE_PRESENT, &sp, sizeof(sp)),
			 VGP_OK);
	rc.x = 300;
	assert_int_equal(call_simple(a, VGP_FILL_RECT, &rc, sizeof(rc)),
			 VGP_OK);
	assert_int_equal(call_simple(a, VGP_SWAP_BUFFERS, &ref, sizeof(ref)),
			 VGP_OK);
	/* The owner's own event came before its reply: the library handed
	 * it to the present handler while it waited. */
	assert_int_equal(own.x, 300);
	assert_int_equal(own.width, 5);
	assert_int_equal(own.head_width, d->w);
	ev = next_present(v);
	assert_int_equal(ev.x, 0);
	/* The owner dies: the head gets back what draw left, all of it. */
	vgp_client_close(a);
	ev = next_present(v);
	assert_int_equal(ev.x, 0);
	assert_int_equal(ev.width, (int32_t)d->w);
	f = get_buffer(v, &st);
	assert_int_equal(st, VGP_OK);
	assert_int_equal(f.px[7 * f.w + 100] & 0xffffff, 0x00ff00);
	free(f.px);

	/* A restricted primary closed cleanly does not leave its frame for
	 * others to read: the head gets back what it showed before. */
	a = connect_to(d);
	prim = create(a,
		      VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE |
			      VGP_SURFACE_RESTRICTED_CONTENT,
		      0, 0, 0, NULL, 0, &sr, &fd, &st);
	assert_int_equal(st, VGP_OK);
	close(fd);
	struct vgp_clear cl = {prim, 0xabcdef};
	assert_int_equal(call_simple(a, VGP_CLEAR, &cl, sizeof(cl)), VGP_OK);
	ref.handle = prim;
	assert_int_equal(call_simple(a, VGP_SWAP_BUFFERS, &ref, sizeof(ref)),
			 VGP_OK);
	ev = next_present(v);
	assert_int_equal(call_simple(a, VGP_CLOSE_SURFACE, &ref, sizeof(ref)),
			 VGP_OK);
	ev = next_present(v);
	assert_int_equal(ev.width, (int32_t)d->w);
	f = get_buffer(v, &st);
	assert_int_equal(st, VGP_OK);
	assert_int_equal(f.px[0] & 0xffffff, 0);
	assert_int_equal(f.px[7 * f.w + 100] & 0xffffff, 0x00ff00);
	free(f.px);
	vgp_client_close(a);

	/* Unsubscribed: a swap sends nothing. */
	sp.enable = 0;
	assert_int_equal(call_simple(v, VGP_SUBSCRIBE_PRESENT, &sp, sizeof(sp)),
			 VGP_OK);
	static const char *const ops2[] = {"pixel", "1", "1", "0xffffff",
					   "swap"};
	assert_int_equal(run_draw(d, ops2, 5, -1), 0);
	struct vgp_present_event none;
	assert_int_equal(next_event(v, 300, &none, sizeof(none)), 0);
	vgp_client_close(v);
}

/* With arguments, only the tests of those names run (the concurrency
 * suite picks the multi-client ones). */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, start_daemon, stop_daemon)
		T(test_draw_cli_matches_rules),
		T(test_draw_cli_stdin_and_refusals),
		T(test_client_library),
		T(test_two_clients),
		T(test_dying_client_restores_head),
		T(test_bad_input),
		T(test_client_limits),
		T(test_non_reader_cut_off),
		T(test_socket_live_and_stale),
		T(test_draw_second_head),
		T(test_second_uid),
		T(test_many_clients_threads),
		T(test_default_socket_xdg),
		T(test_default_socket_root),
		T(test_present_and_input_events),
#undef T
	};
	/* On QEMU (VIOGPUD_DEVICE=qemu): the pictures only; the rest is the
	 * daemon's own logic, the same on every device. */
	const struct CMUnitTest qemu_tests[] = {tests[0], tests[2], tests[4]};
	const char *dev = getenv("VIOGPUD_DEVICE");
	signal(SIGPIPE, SIG_IGN);
	if (dev && !strncmp(dev, "qemu", 4))
		return cmocka_run_group_tests(qemu_tests, NULL, NULL);
	if (argc > 1) {
		struct CMUnitTest some[sizeof(tests) / sizeof(tests[0])];
		size_t n = 0;
		for (int a = 1; a < argc; a++) {
			size_t before = n;
			for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]);
			     i++)
				if (!strcmp(argv[a], tests[i].name))
					some[n++] = tests[i];
			if (n == before) {
				fprintf(stderr, "test_server: no test '%s'\n",
					argv[a]);
				return 2;
			}
		}
		return _cmocka_run_group_tests("server-daemon", some, n, NULL,
					       NULL);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
