// SPDX-License-Identifier: MIT
/*
 * bench-server: what going through viogpud costs, in one run, on the
 * device model or QEMU.  The daemon runs as a child on a private socket
 * (the real path: a process, a socket, the client library), started with
 * the --viogpud binary (default: ../viogpud next to this program).
 *
 * (a) lines: N random lines (fixed seed, each within --max-len of its
 *     start) on head 0's primary at 1920x1080, three ways: N DRAW_LINE
 *     requests; the very pixels of those lines (the seed's Bresenham,
 *     clipped) as one DRAW_PIXEL request each; and drawn by the client
 *     into the surface's shared memory.  Each batch ends with the frame
 *     on the head (SWAP_BUFFERS for the first two, one PRESENT_DAMAGE of
 *     the lines' bounding box for the third: the same damage).  Wall ms
 *     per batch, medians over --runs, the ratios, and a check that the
 *     three leave the same back buffer.
 * (b) swap: per mode (--modes) and damage (the full frame, a 64x64
 *     rectangle), frames/s of FILL_RECT + SWAP_BUFFERS, of the client
 *     filling the rectangle in shared memory + PRESENT_DAMAGE, and of the
 *     core doing the same without the daemon (fill the rectangle in a
 *     vg_fb, vg_gpu_present of it, as bench/present.c) on a second device
 *     of the same kind opened in this process; runs alternate between the
 *     three.  core_vs_swap is the daemon's overhead as a factor.
 * (c) rtt: round trips of GET_INFO (a 16 KiB reply) and of a DRAW_PIXEL
 *     that lands outside the surface (decoded, clipped, answered: the
 *     cheapest request), one at a time: median and p99 in microseconds.
 *
 * JSON goes to stdout (or --json FILE), a summary to stderr.
 * usage: bench-server [--device sim|qemu[,...]] [--runs N] [--lines N]
 *          [--max-len L] [--seconds-per-run S] [--modes WxH,...]
 *          [--rtt-samples N] [--viogpud PATH] [--json FILE]
 * Exit: 0, 1 when something failed (said on stderr), 2 for bad arguments.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "viogpu/client.h"
#include "viogpu/display.h"
#include "viogpu/host.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

struct opts {
	const char *device;
	const char *viogpud;
	const char *json;
	const char *modes;
	int runs;
	int lines;
	int max_len;
	double secs;
	int rtt;
};

/* ---- the daemon ---------------------------------------------------------
 */

struct daemon {
	char dir[64];
	char sock[96];
	pid_t pid;
};

static int daemon_start(struct daemon *d, const struct opts *o)
{
	strcpy(d->dir, "/tmp/bench-server-XXXXXX");
	if (!mkdtemp(d->dir)) {
		perror("bench-server: mkdtemp");
		return -1;
	}
	snprintf(d->sock, sizeof(d->sock), "%s/s.sock", d->dir);
	d->pid = fork();
	if (d->pid < 0)
		return -1;
	if (d->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the bench */
		execl(o->viogpud, o->viogpud, "--device", o->device, "--socket",
		      d->sock, (char *)NULL);
		fprintf(stderr, "bench-server: %s: %s\n", o->viogpud,
			strerror(errno));
		_exit(127);
	}
	/* Ready when it accepts; QEMU may take a while on a busy machine. */
	double end = bench_now_s() + 120;
	struct vgp_client *c = NULL;
	while (vgp_client_connect(d->sock, &c) != 0) {
		if (bench_now_s() > end || waitpid(d->pid, NULL, WNOHANG)) {
			fprintf(stderr, "bench-server: viogpud did not come "
					"up\n");
			return -1;
		}
		poll(NULL, 0, 20);
	}
	vgp_client_close(c);
	return 0;
}

/* SIGTERM and wait; 0 when it exited 0 (socket removed, device gone). */
static int daemon_stop(struct daemon *d)
{
	int st = 0, rc = 0;
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		if (waitpid(d->pid, &st, 0) != d->pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			rc = -1;
	}
	d->pid = 0;
	unlink(d->sock);
	rmdir(d->dir);
	return rc;
}

/* ---- requests ---------------------------------------------------------- */

static int call(struct vgp_client *c, uint32_t code, const void *b, size_t n)
{
	return vgp_client_call(c, code, b, n, -1, NULL, 0, NULL, NULL);
}

struct primary {
	uint32_t handle, w, h, pitch;
	uint32_t *map;
	size_t size;
};

static void primary_close(struct vgp_client *c, struct primary *p)
{
	struct vgp_surface_ref ref = {p->handle, 0};
	if (p->map)
		munmap(p->map, p->size);
	if (p->handle)
		call(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref));
	*p = (struct primary){0};
}

/* Head 0 at w x h, and a primary on it mapped read-write. */
static int primary_open(struct vgp_client *c, uint32_t w, uint32_t h,
			struct primary *p)
{
	struct vgp_set_mode sm = {0, w, h, 0};
	int st = call(c, VGP_SET_MODE, &sm, sizeof(sm));
	if (st != VGP_OK) {
		fprintf(stderr, "bench-server: SET_MODE %ux%u: status %d\n", w,
			h, st);
		return -1;
	}
	struct vgp_create_surface cs = {VGP_SURFACE_PRIMARY |
						VGP_SURFACE_SHARED_RESOURCE,
					0,
					0,
					0,
					VGP_FORMAT_XRGB8888,
					0,
					0,
					0};
	struct vgp_surface_reply sr;
	size_t got;
	int fd = -1;
	st = vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), -1, &sr,
			     sizeof(sr), &got, &fd);
	if (st != VGP_OK || fd < 0 || sr.width != w || sr.height != h) {
		fprintf(stderr, "bench-server: primary at %ux%u: status %d\n",
			w, h, st);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	void *m =
		mmap(NULL, sr.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	*p = (struct primary){sr.handle, w, h, sr.pitch, NULL, sr.size};
	if (m == MAP_FAILED) {
		perror("bench-server: mmap");
		primary_close(c, p);
		return -1;
	}
	p->map = m;
	return 0;
}

/* ---- (a) lines --------------------------------------------------------- */

struct line {
	int32_t x1, y1, x2, y2;
};

struct point {
	int32_t x, y;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void) /* xorshift64*: the same lines every run */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static int32_t rng_in(int32_t lo, int32_t hi) /* [lo, hi] */
{
	return lo + (int32_t)(rng() % (uint32_t)(hi - lo + 1));
}

/* The seed's Bresenham (err = dx - dy; e2 = 2 err; step x when e2 > -dy,
 * step y when e2 < dx; both ends), keeping the pixels inside w x h. */
static size_t bresenham(const struct line *l, uint32_t w, uint32_t h,
			struct point *out)
{
	int64_t x = l->x1, y = l->y1;
	int64_t dx = llabs((int64_t)l->x2 - x), dy = llabs((int64_t)l->y2 - y);
	int64_t sx = x < l->x2 ? 1 : -1, sy = y < l->y2 ? 1 : -1;
	int64_t err = dx - dy;
	size_t n = 0;
	for (;;) {
		if (x >= 0 && y >= 0 && x < w && y < h)
			out[n++] = (struct point){(int32_t)x, (int32_t)y};
		if (x == l->x2 && y == l->y2)
			return n;
		int64_t e2 = 2 * err;
		if (e2 > -dy) {
			err -= dy;
			x += sx;
		}
		if (e2 < dx) {
			err += dx;
			y += sy;
		}
	}
}

enum way { W_LINE, W_PIXEL, W_SHM, W_COUNT };
static const char *const way_name[W_COUNT] = {"draw_line", "draw_pixel",
					      "shm_present_damage"};

struct line_job {
	struct line *lines;
	int nlines;
	struct point *px;
	size_t npx;
	struct vgp_damage_rect bbox; /* of the pixels drawn */
};

/* One batch, the frame on the head at its end; ms, or -1.  *draw_ms gets
 * the part before the final SWAP_BUFFERS or PRESENT_DAMAGE. */
static double line_batch(struct vgp_client *c, const struct primary *p,
			 const struct line_job *j, enum way w, uint32_t color,
			 double *draw_ms)
{
	int st = VGP_OK;
	double t0 = bench_now_s();
	if (w == W_LINE) {
		for (int i = 0; i < j->nlines && st == VGP_OK; i++) {
			const struct line *l = &j->lines[i];
			struct vgp_line rq = {p->handle, l->x1, l->y1,
					      l->x2,	 l->y2, color};
			st = call(c, VGP_DRAW_LINE, &rq, sizeof(rq));
		}
	} else if (w == W_PIXEL) {
		for (size_t i = 0; i < j->npx && st == VGP_OK; i++) {
			struct vgp_pixel rq = {p->handle, j->px[i].x,
					       j->px[i].y, color};
			st = call(c, VGP_DRAW_PIXEL, &rq, sizeof(rq));
		}
	} else {
		uint32_t stride = p->pitch / 4;
		for (size_t i = 0; i < j->npx; i++)
			p->map[(size_t)j->px[i].y * stride + j->px[i].x] =
				color;
	}
	*draw_ms = (bench_now_s() - t0) * 1e3;
	if (st == VGP_OK && w == W_SHM) {
		struct {
			struct vgp_present_damage d;
			struct vgp_damage_rect r;
		} pd = {{p->handle, 1}, j->bbox};
		st = call(c, VGP_PRESENT_DAMAGE, &pd, sizeof(pd));
	} else if (st == VGP_OK) {
		struct vgp_surface_ref ref = {p->handle, 0};
		st = call(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref));
	}
	double ms = (bench_now_s() - t0) * 1e3;
	if (st != VGP_OK) {
		fprintf(stderr, "bench-server: %s batch: status %d\n",
			way_name[w], st);
		return -1;
	}
	return ms;
}

/* Back to black on both buffers (outside the timing). */
static int clear_both(struct vgp_client *c, const struct primary *p)
{
	struct vgp_clear cl = {p->handle, 0};
	struct vgp_surface_ref ref = {p->handle, 0};
	return call(c, VGP_CLEAR, &cl, sizeof(cl)) != VGP_OK ||
			       call(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref)) !=
				       VGP_OK
		       ? -1
		       : 0;
}

struct line_result {
	size_t npx;
	double ms[W_COUNT];	 /* the batch, frame shown */
	double draw_ms[W_COUNT]; /* its drawing, before the final request */
	bool same;
};

static int bench_lines(struct vgp_client *c, const struct opts *o,
		       struct line_result *res)
{
	const uint32_t w = 1920, h = 1080;
	struct primary p;
	if (primary_open(c, w, h, &p))
		return -1;
	struct line_job j = {calloc((size_t)o->lines, sizeof(struct line)),
			     o->lines,
			     NULL,
			     0,
			     {0, 0, 0, 0}};
	size_t cap = (size_t)o->lines * (2 * (size_t)o->max_len + 1);
	j.px = calloc(cap, sizeof(struct point));
	double *t[W_COUNT], *td[W_COUNT];
	for (int k = 0; k < W_COUNT; k++) {
		t[k] = calloc((size_t)o->runs, sizeof(double));
		td[k] = calloc((size_t)o->runs, sizeof(double));
	}
	uint32_t *want = calloc((size_t)w * h, 4);
	int rc = -1;
	for (int k = 0; k < W_COUNT; k++)
		if (!t[k] || !td[k])
			goto out;
	if (!j.lines || !j.px || !want)
		goto out;
	int32_t bx0 = INT32_MAX, by0 = INT32_MAX, bx1 = -1, by1 = -1;
	for (int i = 0; i < o->lines; i++) {
		struct line *l = &j.lines[i];
		l->x1 = rng_in(0, (int32_t)w - 1);
		l->y1 = rng_in(0, (int32_t)h - 1);
		l->x2 = l->x1 + rng_in(-o->max_len, o->max_len);
		l->y2 = l->y1 + rng_in(-o->max_len, o->max_len);
		size_t n = bresenham(l, w, h, j.px + j.npx);
		for (size_t k = j.npx; k < j.npx + n; k++) {
			struct point q = j.px[k];
			bx0 = q.x < bx0 ? q.x : bx0,
			by0 = q.y < by0 ? q.y : by0;
			bx1 = q.x > bx1 ? q.x : bx1,
			by1 = q.y > by1 ? q.y : by1;
		}
		j.npx += n;
	}
	j.bbox = (struct vgp_damage_rect){bx0, by0, bx1 - bx0 + 1,
					  by1 - by0 + 1};
	res->npx = j.npx;
	res->same = true;
	for (int r = 0; r < o->runs; r++) {
		uint32_t color = 0x00ff8000u ^ (uint32_t)r;
		if (r == 0) { /* the picture all three must leave */
			for (size_t k = 0; k < j.npx; k++)
				want[(size_t)j.px[k].y * w + j.px[k].x] = color;
		}
		fprintf(stderr, "bench-server: lines run %d/%d\n", r + 1,
			o->runs);
		for (int k = 0; k < W_COUNT; k++) {
			if (clear_both(c, &p))
				goto out;
			t[k][r] = line_batch(c, &p, &j, (enum way)k, color,
					     &td[k][r]);
			if (t[k][r] < 0)
				goto out;
			for (uint32_t y = 0; r == 0 && y < h; y++)
				if (memcmp((char *)p.map + (size_t)y * p.pitch,
					   want + (size_t)y * w, 4 * w))
					res->same = false;
		}
	}
	for (int k = 0; k < W_COUNT; k++) {
		res->ms[k] = bench_median(t[k], o->runs);
		res->draw_ms[k] = bench_median(td[k], o->runs);
	}
	rc = 0;
out:
	for (int k = 0; k < W_COUNT; k++) {
		free(t[k]);
		free(td[k]);
	}
	free(want);
	free(j.px);
	free(j.lines);
	primary_close(c, &p);
	return rc;
}

/* ---- (b) swap against the core's present --------------------------------
 */

enum fway { F_SWAP, F_SHM, F_CORE, F_COUNT };

struct frame_ctx {
	struct vgp_client *c;
	const struct primary *p;
	struct vg_gpu *gpu;
	struct vg_fb *fb;
	struct vgp_damage_rect r;
};

static void fill(uint32_t *px, size_t stride, const struct vgp_damage_rect *r,
		 uint32_t color)
{
	for (int32_t y = r->y; y < r->y + r->height; y++)
		for (int32_t x = r->x; x < r->x + r->width; x++)
			px[(size_t)y * stride + (size_t)x] = color;
}

/* One frame of way w in color; 0 or -1. */
static int frame(const struct frame_ctx *f, enum fway w, uint32_t color)
{
	if (w == F_CORE) {
		fill(vg_fb_pixels(f->fb), vg_fb_stride(f->fb) / 4, &f->r,
		     color);
		struct vg_rect vr = {(uint32_t)f->r.x, (uint32_t)f->r.y,
				     (uint32_t)f->r.width,
				     (uint32_t)f->r.height};
		return vg_gpu_present(f->gpu, f->fb, &vr, 1) == VG_OK ? 0 : -1;
	}
	if (w == F_SHM) {
		fill(f->p->map, f->p->pitch / 4, &f->r, color);
		struct {
			struct vgp_present_damage d;
			struct vgp_damage_rect r;
		} pd = {{f->p->handle, 1}, f->r};
		return call(f->c, VGP_PRESENT_DAMAGE, &pd, sizeof(pd)) ? -1 : 0;
	}
	struct vgp_rect fr = {f->p->handle, f->r.x,	 f->r.y,
			      f->r.width,   f->r.height, color};
	struct vgp_surface_ref ref = {f->p->handle, 0};
	return call(f->c, VGP_FILL_RECT, &fr, sizeof(fr)) ||
			       call(f->c, VGP_SWAP_BUFFERS, &ref, sizeof(ref))
		       ? -1
		       : 0;
}

static double frames_per_s(const struct frame_ctx *f, enum fway w, double secs)
{
	double t0 = bench_now_s(), t;
	uint32_t n = 0;
	do {
		if (frame(f, w, 0x010203u * (n + 1)))
			return -1;
		n++;
		t = bench_now_s() - t0;
	} while (t < secs || n < 3);
	return n / t;
}

struct swap_result {
	uint32_t w, h;
	const char *damage;
	struct vgp_damage_rect r;
	double fps[F_COUNT];
};

static const char *const fway_name[F_COUNT] = {
	"swap_fps", "shm_present_damage_fps", "core_present_fps"};

/* One mode, both damages; appends to res (room for 2). */
static int bench_swap(struct vgp_client *c, struct vg_gpu *gpu, uint32_t w,
		      uint32_t h, const struct opts *o, struct swap_result *res)
{
	struct primary p;
	struct vg_fb *fb = NULL;
	double *t[F_COUNT] = {0};
	int rc = -1;
	if (primary_open(c, w, h, &p))
		return -1;
	if (vg_fb_create(gpu, w, h, &fb) != VG_OK ||
	    vg_gpu_set_scanout(gpu, 0, fb) != VG_OK) {
		fprintf(stderr, "bench-server: core: cannot set %ux%u\n", w, h);
		goto out;
	}
	for (int k = 0; k < F_COUNT; k++)
		if (!(t[k] = calloc((size_t)o->runs, sizeof(double))))
			goto out;
	for (int d = 0; d < 2; d++) {
		struct swap_result *s = &res[d];
		s->w = w, s->h = h;
		s->damage = d == 0 ? "full" : "64x64";
		s->r = d == 0 ? (struct vgp_damage_rect){0, 0, (int32_t)w,
							 (int32_t)h}
			      : (struct vgp_damage_rect){(int32_t)w / 2 - 32,
							 (int32_t)h / 2 - 32,
							 64, 64};
		struct frame_ctx f = {c, &p, gpu, fb, s->r};
		for (int r = 0; r < o->runs; r++) {
			fprintf(stderr, "bench-server: %ux%u %s run %d/%d\n", w,
				h, s->damage, r + 1, o->runs);
			for (int k = 0; k < F_COUNT; k++)
				if ((t[k][r] = frames_per_s(&f, (enum fway)k,
							    o->secs)) < 0) {
					fprintf(stderr,
						"bench-server: %s failed\n",
						fway_name[k]);
					goto out;
				}
		}
		for (int k = 0; k < F_COUNT; k++)
			s->fps[k] = bench_median(t[k], o->runs);
	}
	rc = 0;
out:
	for (int k = 0; k < F_COUNT; k++)
		free(t[k]);
	vg_fb_destroy(fb);
	primary_close(c, &p);
	return rc;
}

/* ---- (c) round trips ---------------------------------------------------
 */

struct rtt {
	double median_us, p99_us;
};

static int bench_rtt(struct vgp_client *c, int n, struct rtt *info,
		     struct rtt *pixel)
{
	struct primary p;
	double *v = calloc((size_t)n, sizeof(double));
	if (!v || primary_open(c, 1920, 1080, &p)) {
		free(v);
		return -1;
	}
	for (int k = 0; k < 2; k++) {
		struct rtt *out = k ? pixel : info;
		struct vgp_pixel px = {p.handle, -1, -1, 0xffffff};
		struct vgp_info in;
		size_t got;
		for (int i = 0; i < n; i++) {
			double t0 = bench_now_s();
			int st = k ? call(c, VGP_DRAW_PIXEL, &px, sizeof(px))
				   : vgp_client_call(c, VGP_GET_INFO, NULL, 0,
						     -1, &in, sizeof(in), &got,
						     NULL);
			v[i] = (bench_now_s() - t0) * 1e6;
			if (st != VGP_OK) {
				fprintf(stderr,
					"bench-server: rtt: status %d\n", st);
				free(v);
				primary_close(c, &p);
				return -1;
			}
		}
		out->median_us = bench_median(v, n); /* sorts v */
		out->p99_us = v[(int)ceil(0.99 * n) - 1];
	}
	free(v);
	primary_close(c, &p);
	return 0;
}

/* ---- main ----------------------------------------------------------------
 */

static void usage(void)
{
	fprintf(stderr,
		"usage: bench-server [--device sim|qemu[,...]] [--runs N] "
		"[--lines N]\n"
		"         [--max-len L] [--seconds-per-run S] [--modes "
		"WxH,...]\n"
		"         [--rtt-samples N] [--viogpud PATH] [--json FILE]\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			usage();
			return -1;
		}
		i++;
		if (!strcmp(a, "--device"))
			o->device = v;
		else if (!strcmp(a, "--viogpud"))
			o->viogpud = v;
		else if (!strcmp(a, "--json"))
			o->json = v;
		else if (!strcmp(a, "--modes"))
			o->modes = v;
		else if (!strcmp(a, "--runs"))
			o->runs = atoi(v);
		else if (!strcmp(a, "--lines"))
			o->lines = atoi(v);
		else if (!strcmp(a, "--max-len"))
			o->max_len = atoi(v);
		else if (!strcmp(a, "--seconds-per-run"))
			o->secs = atof(v);
		else if (!strcmp(a, "--rtt-samples"))
			o->rtt = atoi(v);
		else {
			usage();
			return -1;
		}
	}
	if (o->runs < 1 || o->runs > 100 || o->lines < 1 || o->lines > 100000 ||
	    o->max_len < 0 || o->max_len > 4000 || o->secs <= 0 || o->rtt < 1 ||
	    o->rtt > 10000000) {
		fprintf(stderr, "bench-server: a value is out of range\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {.device = "sim",
			 .modes = "1920x1080,3840x2160",
			 .runs = 5,
			 .lines = 1000,
			 .max_len = 100,
			 .secs = 1.0,
			 .rtt = 20000};
	static char self_viogpud[PATH_MAX];
	if (parse(argc, argv, &o))
		return 2;
	if (!o.viogpud) { /* build/bench/bench-server -> build/viogpud */
		ssize_t n = readlink("/proc/self/exe", self_viogpud,
				     sizeof(self_viogpud) - 32);
		if (n <= 0)
			return 1;
		self_viogpud[n] = 0;
		char *slash = strrchr(self_viogpud, '/');
		strcpy(slash, "/../viogpud");
		o.viogpud = self_viogpud;
	}
	/* QEMU as bench-present runs it (room for 4K and 8K frames). */
	const char *device =
		!strcmp(o.device, "qemu") ? "qemu,max_hostmem=1G" : o.device;
	o.device = device;
	signal(SIGPIPE, SIG_IGN);

	struct daemon d = {0};
	struct vg_host *host = NULL;
	struct vgp_client *c = NULL;
	struct line_result lr = {0};
	struct swap_result sw[2 * 8];
	int nsw = 0, rc = 1;
	struct rtt ri, rp;
	char msg[512];

	if (daemon_start(&d, &o))
		goto stop;
	if (vgp_client_connect(d.sock, &c)) {
		fprintf(stderr, "bench-server: cannot connect\n");
		goto stop;
	}
	struct vg_host_request rq = {.device = device,
				     .frame_bytes = 3840ull * 2160 * 4};
	if (vg_host_open(&rq, &host, msg, sizeof(msg)) != VG_HOST_OK) {
		fprintf(stderr, "bench-server: core's device: %s\n", msg);
		goto stop;
	}
	if (bench_lines(c, &o, &lr))
		goto stop;
	if (bench_rtt(c, o.rtt, &ri, &rp))
		goto stop;
	char *list = strdup(o.modes);
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		uint32_t w, h;
		if (sscanf(tok, "%ux%u", &w, &h) != 2 || nsw + 2 > 16 ||
		    bench_swap(c, vg_host_gpu(host), w, h, &o, &sw[nsw])) {
			fprintf(stderr, "bench-server: mode '%s' failed\n",
				tok);
			free(list);
			goto stop;
		}
		nsw += 2;
	}
	free(list);
	rc = 0;
stop:
	vgp_client_close(c);
	vg_host_close(host);
	if (daemon_stop(&d)) {
		fprintf(stderr, "bench-server: viogpud did not exit cleanly\n");
		rc = 1;
	}
	if (rc)
		return rc;

	FILE *out = o.json ? fopen(o.json, "w") : stdout;
	if (!out) {
		perror(o.json);
		return 1;
	}
	fprintf(out,
		"{\n  \"benchmark\": \"server\",\n  \"device\": \"%s\",\n"
		"  \"runs\": %d,\n  \"seconds_per_run\": %.3f,\n",
		device, o.runs, o.secs);
	fprintf(out,
		"  \"lines\": {\"mode\": \"1920x1080\", \"lines\": %d, "
		"\"max_len\": %d, \"pixels\": %zu,\n"
		"    \"draw_line_ms\": %.3f, \"draw_pixel_ms\": %.3f, "
		"\"shm_present_damage_ms\": %.3f,\n"
		"    \"pixel_vs_line\": %.2f, \"line_vs_shm\": %.2f, "
		"\"pixel_vs_shm\": %.2f,\n"
		"    \"draw_line_draw_only_ms\": %.3f, "
		"\"draw_pixel_draw_only_ms\": %.3f, "
		"\"shm_draw_only_ms\": %.3f,\n"
		"    \"pixel_vs_line_draw_only\": %.2f, "
		"\"line_vs_shm_draw_only\": %.2f,\n"
		"    \"draw_pixel_us_per_request\": %.3f, "
		"\"draw_line_us_per_request\": %.3f, \"pictures_equal\": "
		"%s},\n",
		o.lines, o.max_len, lr.npx, lr.ms[W_LINE], lr.ms[W_PIXEL],
		lr.ms[W_SHM], lr.ms[W_PIXEL] / lr.ms[W_LINE],
		lr.ms[W_LINE] / lr.ms[W_SHM], lr.ms[W_PIXEL] / lr.ms[W_SHM],
		lr.draw_ms[W_LINE], lr.draw_ms[W_PIXEL], lr.draw_ms[W_SHM],
		lr.draw_ms[W_PIXEL] / lr.draw_ms[W_LINE],
		lr.draw_ms[W_LINE] / lr.draw_ms[W_SHM],
		lr.draw_ms[W_PIXEL] * 1e3 / (double)lr.npx,
		lr.draw_ms[W_LINE] * 1e3 / o.lines, lr.same ? "true" : "false");
	fprintf(out, "  \"swap\": [");
	for (int i = 0; i < nsw; i++) {
		struct swap_result *s = &sw[i];
		fprintf(out,
			"%s\n    {\"mode\": \"%ux%u\", \"damage\": \"%s\", "
			"\"damage_pixels\": %lld,\n     \"swap_fps\": %.2f, "
			"\"shm_present_damage_fps\": %.2f, "
			"\"core_present_fps\": %.2f,\n"
			"     \"core_vs_swap\": %.3f, \"core_vs_shm\": %.3f}",
			i ? "," : "", s->w, s->h, s->damage,
			(long long)s->r.width * s->r.height, s->fps[F_SWAP],
			s->fps[F_SHM], s->fps[F_CORE],
			s->fps[F_CORE] / s->fps[F_SWAP],
			s->fps[F_CORE] / s->fps[F_SHM]);
	}
	fprintf(out,
		"\n  ],\n  \"rtt\": {\"samples\": %d,\n"
		"    \"get_info_median_us\": %.2f, \"get_info_p99_us\": %.2f,\n"
		"    \"noop_pixel_median_us\": %.2f, "
		"\"noop_pixel_p99_us\": %.2f}\n}\n",
		o.rtt, ri.median_us, ri.p99_us, rp.median_us, rp.p99_us);
	if (out != stdout && fclose(out)) {
		perror(o.json);
		return 1;
	}

	fprintf(stderr,
		"\nbench-server on %s, medians of %d runs:\n"
		"  %d lines (%zu pixels) at 1920x1080, ms per batch ending on "
		"the head (drawing only):\n"
		"    %d DRAW_LINE + SWAP_BUFFERS    %9.2f (%9.2f)\n"
		"    %zu DRAW_PIXEL + SWAP_BUFFERS  %9.2f (%9.2f): %.1fx "
		"(%.1fx) the lines\n"
		"    shared memory + PRESENT_DAMAGE %9.2f (%9.2f): the lines "
		"%.1fx (%.1fx) it\n"
		"    the three pictures are %s\n",
		device, o.runs, o.lines, lr.npx, o.lines, lr.ms[W_LINE],
		lr.draw_ms[W_LINE], lr.npx, lr.ms[W_PIXEL], lr.draw_ms[W_PIXEL],
		lr.ms[W_PIXEL] / lr.ms[W_LINE],
		lr.draw_ms[W_PIXEL] / lr.draw_ms[W_LINE], lr.ms[W_SHM],
		lr.draw_ms[W_SHM], lr.ms[W_LINE] / lr.ms[W_SHM],
		lr.draw_ms[W_LINE] / lr.draw_ms[W_SHM],
		lr.same ? "equal" : "NOT EQUAL");
	for (int i = 0; i < nsw; i++)
		fprintf(stderr,
			"  %ux%u %-5s: FILL_RECT+SWAP %8.1f fps, shm+"
			"PRESENT_DAMAGE %8.1f fps, core present %8.1f fps "
			"(core/swap %.2f)\n",
			sw[i].w, sw[i].h, sw[i].damage, sw[i].fps[F_SWAP],
			sw[i].fps[F_SHM], sw[i].fps[F_CORE],
			sw[i].fps[F_CORE] / sw[i].fps[F_SWAP]);
	fprintf(stderr,
		"  round trip: GET_INFO %.1f us (p99 %.1f), no-op DRAW_PIXEL "
		"%.1f us (p99 %.1f)\n",
		ri.median_us, ri.p99_us, rp.median_us, rp.p99_us);
	return lr.same ? 0 : 1;
}
