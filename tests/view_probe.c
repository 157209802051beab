// SPDX-License-Identifier: MIT
/*
 * The viewer tests' (test_viewer.sh) other side: a plain client of
 * viogpud and a few picture tools, none of them sharing code with
 * viogpu-view or src/server/draw.c.
 *
 *   view_probe info SOCK                 head 0's size: "W H"
 *   view_probe front SOCK HEAD OUT.png   GET_BUFFER to a PNG (exit 3:
 *                                        access denied)
 *   view_probe listen SOCK HEAD          subscribes to the head's input;
 *                                        prints "ready", then one line
 *                                        per event ("button X Y B S",
 *                                        "motion X Y", "key X Y K S")
 *                                        until the server goes or a
 *                                        signal ends it
 *   view_probe restrict SOCK HEAD        holds a RESTRICTED_CONTENT
 *                                        primary (cleared to 0x808080,
 *                                        swapped), prints "ready", until
 *                                        a signal ends it
 *   view_probe render OUT.png W H OP...  the plain rules: clear C,
 *                                        fill X Y W H C, clear-pixel X Y,
 *                                        line X1 Y1 X2 Y2 C (the seed's
 *                                        Bresenham, step by step)
 *   view_probe scale IN.png W H OUT.png  nearest: out(x, y) =
 *                                        in(x * IW / W, y * IH / H)
 *   view_probe diff A.png B.png          prints how many pixels differ
 *                                        (and the first); exit 0 if none
 *   view_probe pixel IN.png X Y          prints 0xRRGGBB
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image.h"
#include "viogpu/client.h"

static struct vgp_client *conn(const char *sock)
{
	struct vgp_client *c;
	int err = vgp_client_connect(sock, &c);
	if (err) {
		fprintf(stderr, "view_probe: %s: %s\n", sock, strerror(-err));
		exit(1);
	}
	return c;
}

static int info(const char *sock)
{
	struct vgp_client *c = conn(sock);
	static struct vgp_info in;
	size_t got;
	int st = vgp_client_call(c, VGP_GET_INFO, NULL, 0, -1, &in, sizeof(in),
				 &got, NULL);
	vgp_client_close(c);
	if (st != VGP_OK || got != sizeof(in))
		return 1;
	printf("%u %u\n", in.heads[0].width, in.heads[0].height);
	return 0;
}

static int front(const char *sock, uint32_t head, const char *out)
{
	struct vgp_client *c = conn(sock);
	struct vgp_get_buffer g = {head, 0};
	struct vgp_buffer_reply br;
	size_t got;
	int fd = -1;
	int st = vgp_client_call(c, VGP_GET_BUFFER, &g, sizeof(g), -1, &br,
				 sizeof(br), &got, &fd);
	vgp_client_close(c);
	if (st == VGP_E_ACCESS_DENIED)
		return 3;
	if (st != VGP_OK || fd < 0)
		return 1;
	void *m = mmap(NULL, br.size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 1;
	char err[200];
	int rc = vg_png_write(out, m, br.width, br.height, br.pitch, err,
			      sizeof(err));
	munmap(m, br.size);
	if (rc)
		fprintf(stderr, "view_probe: %s\n", err);
	return rc ? 1 : 0;
}

static int listen_events(const char *sock, uint32_t head)
{
	struct vgp_client *c = conn(sock);
	struct vgp_subscribe_input si = {head, VGP_INPUT_ALL};
	if (vgp_client_call(c, VGP_SUBSCRIBE_INPUT, &si, sizeof(si), -1, NULL,
			    0, NULL, NULL) != VGP_OK)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct vgp_reply_hdr h;
		struct vgp_input_event ev;
		size_t len;
		int fd;
		if (vgp_client_recv(c, &h, &ev, sizeof(ev), &len, &fd))
			break;
		if (fd >= 0)
			close(fd);
		if (h.code != VGP_EVENT_INPUT || len != sizeof(ev))
			continue;
		if (ev.kind == VGP_INPUT_BUTTON)
			printf("button %d %d %u %u\n", ev.x, ev.y, ev.button,
			       ev.state);
		else if (ev.kind == VGP_INPUT_MOTION)
			printf("motion %d %d\n", ev.x, ev.y);
		else
			printf("key %d %d %u %u\n", ev.x, ev.y, ev.button,
			       ev.state);
		fflush(stdout);
	}
	vgp_client_close(c);
	return 0;
}

static int restrict_head(const char *sock, uint32_t head)
{
	struct vgp_client *c = conn(sock);
	struct vgp_create_surface cs = {
		.flags = VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE |
			 VGP_SURFACE_RESTRICTED_CONTENT,
		.source_id = head,
		.format = VGP_FORMAT_XRGB8888,
	};
	struct vgp_surface_reply sr;
	size_t got;
	int fd = -1;
	if (vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), -1, &sr,
			    sizeof(sr), &got, &fd) != VGP_OK)
		return 1;
	if (fd >= 0)
		close(fd);
	struct vgp_clear cl = {sr.handle, 0x808080};
	struct vgp_surface_ref ref = {sr.handle, 0};
	if (vgp_client_call(c, VGP_CLEAR, &cl, sizeof(cl), -1, NULL, 0, NULL,
			    NULL) != VGP_OK ||
	    vgp_client_call(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref), -1, NULL, 0,
			    NULL, NULL) != VGP_OK)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause(); /* the connection goes with the process */
}

struct canvas {
	uint32_t *px;
	uint32_t w, h;
};

static void plot(struct canvas *c, long long x, long long y, uint32_t color)
{
	if (x >= 0 && y >= 0 && x < c->w && y < c->h)
		c->px[y * c->w + x] = color;
}

static long long num(const char *s)
{
	return strtoll(s, NULL, 0);
}

static int render(const char *out, uint32_t w, uint32_t h, char **op, int n)
{
	struct canvas c = {calloc((size_t)w * h, 4), w, h};
	if (!c.px)
		return 1;
	for (int i = 0; i < n;) {
		if (!strcmp(op[i], "clear") && i + 1 < n) {
			for (size_t p = 0; p < (size_t)w * h; p++)
				c.px[p] = (uint32_t)num(op[i + 1]);
			i += 2;
		} else if (!strcmp(op[i], "fill") && i + 5 < n) {
			for (long long y = num(op[i + 2]);
			     y < num(op[i + 2]) + num(op[i + 4]); y++)
				for (long long x = num(op[i + 1]);
				     x < num(op[i + 1]) + num(op[i + 3]); x++)
					plot(&c, x, y,
					     (uint32_t)num(op[i + 5]));
			i += 6;
		} else if (!strcmp(op[i], "clear-pixel") && i + 2 < n) {
			plot(&c, num(op[i + 1]), num(op[i + 2]), 0);
			i += 3;
		} else if (!strcmp(op[i], "line") && i + 5 < n) {
			long long x1 = num(op[i + 1]), y1 = num(op[i + 2]);
			long long x2 = num(op[i + 3]), y2 = num(op[i + 4]);
			long long dx = llabs(x2 - x1), dy = llabs(y2 - y1);
			long long sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
			long long err = dx - dy;
			for (;;) {
				plot(&c, x1, y1, (uint32_t)num(op[i + 5]));
				if (x1 == x2 && y1 == y2)
					break;
				long long e2 = 2 * err;
				if (e2 > -dy) {
					err -= dy;
					x1 += sx;
				}
				if (e2 < dx) {
					err += dx;
					y1 += sy;
				}
			}
			i += 6;
		} else {
			fprintf(stderr, "view_probe: render: bad op '%s'\n",
				op[i]);
			return 2;
		}
	}
	char err[200];
	int rc = vg_png_write(out, c.px, w, h, 4 * w, err, sizeof(err));
	free(c.px);
	if (rc)
		fprintf(stderr, "view_probe: %s\n", err);
	return rc ? 1 : 0;
}

static struct canvas load(const char *path)
{
	struct canvas c = {0};
	char err[200];
	if (vg_png_read(path, &c.px, &c.w, &c.h, err, sizeof(err))) {
		fprintf(stderr, "view_probe: %s\n", err);
		exit(2);
	}
	return c;
}

static int scale(const char *in, uint32_t w, uint32_t h, const char *out)
{
	struct canvas a = load(in);
	uint32_t *px = malloc((size_t)w * h * 4);
	if (!px)
		return 1;
	for (uint64_t y = 0; y < h; y++)
		for (uint64_t x = 0; x < w; x++)
			px[y * w + x] = a.px[(y * a.h / h) * a.w + x * a.w / w];
	char err[200];
	int rc = vg_png_write(out, px, w, h, 4 * w, err, sizeof(err));
	free(px);
	free(a.px);
	return rc ? 1 : 0;
}

static int diff(const char *pa, const char *pb)
{
	struct canvas a = load(pa), b = load(pb);
	if (a.w != b.w || a.h != b.h) {
		printf("size %ux%u vs %ux%u\n", a.w, a.h, b.w, b.h);
		return 2;
	}
	size_t n = 0, first = 0;
	for (size_t p = 0; p < (size_t)a.w * a.h; p++)
		if ((a.px[p] ^ b.px[p]) & 0xffffff) {
			if (!n)
				first = p;
			n++;
		}
	if (n)
		printf("%zu pixels differ, first (%zu,%zu): 0x%06x vs "
		       "0x%06x\n",
		       n, first % a.w, first / a.w, a.px[first] & 0xffffff,
		       b.px[first] & 0xffffff);
	else
		printf("0\n");
	free(a.px);
	free(b.px);
	return n ? 1 : 0;
}

static int pixel(const char *path, uint32_t x, uint32_t y)
{
	struct canvas a = load(path);
	if (x >= a.w || y >= a.h)
		return 2;
	printf("0x%06x\n", a.px[(size_t)y * a.w + x] & 0xffffff);
	free(a.px);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	if (!strcmp(cmd, "info") && argc == 3)
		return info(argv[2]);
	if (!strcmp(cmd, "front") && argc == 5)
		return front(argv[2], (uint32_t)num(argv[3]), argv[4]);
	if (!strcmp(cmd, "listen") && argc == 4)
		return listen_events(argv[2], (uint32_t)num(argv[3]));
	if (!strcmp(cmd, "restrict") && argc == 4)
		return restrict_head(argv[2], (uint32_t)num(argv[3]));
	if (!strcmp(cmd, "render") && argc >= 5)
		return render(argv[2], (uint32_t)num(argv[3]),
			      (uint32_t)num(argv[4]), argv + 5, argc - 5);
	if (!strcmp(cmd, "scale") && argc == 6)
		return scale(argv[2], (uint32_t)num(argv[3]),
			     (uint32_t)num(argv[4]), argv[5]);
	if (!strcmp(cmd, "diff") && argc == 4)
		return diff(argv[2], argv[3]);
	if (!strcmp(cmd, "pixel") && argc == 5)
		return pixel(argv[2], (uint32_t)num(argv[3]),
			     (uint32_t)num(argv[4]));
	fprintf(stderr, "view_probe: bad usage (see the comment on top)\n");
	return 2;
}
