// SPDX-License-Identifier: MIT
/*
 * viogpu draw: drawing operations on a head's primary surface through the
 * display server (viogpud), from the arguments or one per line on stdin.
 * Every operation is parsed and checked before anything is sent.
 *
 * The surface is created PRIMARY|SHARED_RESOURCE at the head's mode and
 * starts as what the head shows; `swap` makes what was drawn visible.  The
 * surface is closed cleanly at the end, which leaves the last swapped
 * frame on the head (a client that dies instead gives the head back its
 * previous content).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "viogpu/client.h"

#define DRAW_MAX_OPS 65536

struct op {
	uint32_t code;
	int32_t a[4];
	uint32_t color;
};

static const struct {
	const char *name;
	uint32_t code;
	int ncoords;
	int has_color;
} ops[] = {
	{"pixel", VGP_DRAW_PIXEL, 2, 1},
	{"clear-pixel", VGP_CLEAR_PIXEL, 2, 0},
	{"line", VGP_DRAW_LINE, 4, 1},
	{"rect", VGP_DRAW_RECT, 4, 1},
	{"fill", VGP_FILL_RECT, 4, 1},
	{"clear", VGP_CLEAR, 0, 1},
	{"swap", VGP_SWAP_BUFFERS, 0, 0},
};

static void draw_usage(FILE *f)
{
	fprintf(f, "usage: viogpu draw [--socket PATH] [--head N] [OP ...]\n"
		   "Draws on head N's primary surface through viogpud; "
		   "without OPs, reads one\nOP per line from standard input. "
		   "OPs:\n"
		   "  pixel X Y 0xRRGGBB       clear-pixel X Y\n"
		   "  line X1 Y1 X2 Y2 0xRRGGBB\n"
		   "  rect X Y W H 0xRRGGBB    (outline)\n"
		   "  fill X Y W H 0xRRGGBB    clear 0xRRGGBB    swap\n"
		   "Coordinates are any int32; W and H >= 0.  Nothing is sent "
		   "unless every OP\nis valid.  Exit: 0 done, 1 the server "
		   "refused or failed, 2 bad input.\n");
}

static int parse_int(const char *t, int32_t *v)
{
	char *end;
	errno = 0;
	long long n = strtoll(t, &end, 0);
	if (!*t || *end || errno || n < INT32_MIN || n > INT32_MAX)
		return -1;
	*v = (int32_t)n;
	return 0;
}

static int parse_color(const char *t, uint32_t *c)
{
	char *end;
	if (strncmp(t, "0x", 2) || strlen(t) != 8)
		return -1;
	unsigned long v = strtoul(t + 2, &end, 16);
	if (*end)
		return -1;
	*c = (uint32_t)v;
	return 0;
}

/* Parses one op from tok[0..n-1]; returns tokens used or -1 with why. */
static int parse_op(char **tok, int n, struct op *op, const char **why)
{
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		if (strcmp(tok[0], ops[k].name))
			continue;
		int need = 1 + ops[k].ncoords + ops[k].has_color;
		if (n < need) {
			*why = "too few arguments";
			return -1;
		}
		memset(op, 0, sizeof(*op));
		op->code = ops[k].code;
		for (int i = 0; i < ops[k].ncoords; i++)
			if (parse_int(tok[1 + i], &op->a[i])) {
				*why = "not an int32 coordinate";
				return -1;
			}
		if (ops[k].has_color &&
		    parse_color(tok[need - 1], &op->color)) {
			*why = "color is not 0xRRGGBB";
			return -1;
		}
		if ((op->code == VGP_DRAW_RECT || op->code == VGP_FILL_RECT) &&
		    (op->a[2] < 0 || op->a[3] < 0)) {
			*why = "negative width or height";
			return -1;
		}
		return need;
	}
	*why = "unknown operation";
	return -1;
}

static int send_op(struct vgp_client *c, uint32_t handle, const struct op *op)
{
	union {
		struct vgp_pixel px;
		struct vgp_line ln;
		struct vgp_rect rc;
		struct vgp_clear cl;
		struct vgp_surface_ref ref;
	} b;
	size_t len;

	memset(&b, 0, sizeof(b));
	switch (op->code) {
	case VGP_DRAW_PIXEL:
	case VGP_CLEAR_PIXEL:
		b.px = (struct vgp_pixel){handle, op->a[0], op->a[1],
					  op->color};
		len = sizeof(b.px);
		break;
	case VGP_DRAW_LINE:
		b.ln = (struct vgp_line){handle,   op->a[0], op->a[1],
					 op->a[2], op->a[3], op->color};
		len = sizeof(b.ln);
		break;
	case VGP_DRAW_RECT:
	case VGP_FILL_RECT:
		b.rc = (struct vgp_rect){handle,   op->a[0], op->a[1],
					 op->a[2], op->a[3], op->color};
		len = sizeof(b.rc);
		break;
	case VGP_CLEAR:
		b.cl = (struct vgp_clear){handle, op->color};
		len = sizeof(b.cl);
		break;
	default:
		b.ref = (struct vgp_surface_ref){handle, 0};
		len = sizeof(b.ref);
	}
	return vgp_client_call(c, op->code, &b, len, -1, NULL, 0, NULL, NULL);
}

static const char *status_str(int st)
{
	static char buf[64];
	if (st < 0)
		snprintf(buf, sizeof(buf), "%s", strerror(-st));
	else
		snprintf(buf, sizeof(buf), "status %d", st);
	return buf;
}

int cmd_draw(int argc, char **argv)
{
	const char *sock = NULL;
	uint32_t head = 0;
	struct op *list = calloc(DRAW_MAX_OPS, sizeof(*list));
	int nops = 0, rc = CLI_EXIT_USAGE, i = 1;

	if (!list)
		return CLI_EXIT_FAIL;
	for (; i < argc && !strncmp(argv[i], "-", 1) && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			draw_usage(stdout);
			rc = CLI_EXIT_OK;
			goto free_list;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "viogpu draw: %s needs a value\n",
				argv[i]);
			goto free_list;
		}
		if (!strcmp(argv[i], "--socket"))
			sock = argv[++i];
		else if (!strcmp(argv[i], "--head")) {
			int32_t h;
			if (parse_int(argv[++i], &h) || h < 0 ||
			    h >= (int32_t)VGP_MAX_HEADS) {
				fprintf(stderr,
					"viogpu draw: --head: 0..%u, not "
					"'%s'\n",
					VGP_MAX_HEADS - 1, argv[i]);
				goto free_list;
			}
			head = (uint32_t)h;
		} else {
			fprintf(stderr, "viogpu draw: unknown option '%s'\n",
				argv[i]);
			goto free_list;
		}
	}
	const char *why;
	int first = i;
	if (i < argc) {
		while (i < argc) {
			int used =
				parse_op(argv + i, argc - i, &list[nops], &why);
			if (used < 0) {
				fprintf(stderr,
					"viogpu draw: operation %d ('%s' at "
					"argument %d): %s\n",
					nops + 1, argv[i], i - first + 1, why);
				goto free_list;
			}
			if (++nops == DRAW_MAX_OPS) {
				fprintf(stderr,
					"viogpu draw: more than %d "
					"operations\n",
					DRAW_MAX_OPS);
				goto free_list;
			}
			i += used;
		}
	} else {
		char line[512];
		for (int ln = 1; fgets(line, sizeof(line), stdin); ln++) {
			char *tok[8], *save = NULL;
			int n = 0;
			for (char *t = strtok_r(line, " \t\r\n", &save);
			     t && n < 8; t = strtok_r(NULL, " \t\r\n", &save))
				tok[n++] = t;
			if (!n || tok[0][0] == '#')
				continue;
			int used = parse_op(tok, n, &list[nops], &why);
			if (used >= 0 && used != n) {
				used = -1;
				why = "too many arguments";
			}
			if (used < 0) {
				fprintf(stderr, "viogpu draw: line %d: %s\n",
					ln, why);
				goto free_list;
			}
			if (++nops == DRAW_MAX_OPS) {
				fprintf(stderr,
					"viogpu draw: more than %d "
					"operations\n",
					DRAW_MAX_OPS);
				goto free_list;
			}
		}
	}

	struct vgp_client *c;
	int err = vgp_client_connect(sock, &c);
	rc = CLI_EXIT_FAIL;
	if (err) {
		fprintf(stderr, "viogpu draw: cannot reach viogpud: %s\n",
			strerror(-err));
		goto free_list;
	}
	struct vgp_create_surface cs = {
		.flags = VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE,
		.source_id = head,
		.format = VGP_FORMAT_XRGB8888,
	};
	struct vgp_surface_reply sr;
	size_t got;
	int fd = -1;
	int st = vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), -1,
				 &sr, sizeof(sr), &got, &fd);
	if (st != VGP_OK || got != sizeof(sr)) {
		fprintf(stderr,
			"viogpu draw: head %u: no primary surface: %s\n", head,
			status_str(st));
		goto close_client;
	}
	if (fd >= 0)
		close(fd); /* drawing goes through requests */
	for (int k = 0; k < nops; k++) {
		st = send_op(c, sr.handle, &list[k]);
		if (st != VGP_OK) {
			fprintf(stderr, "viogpu draw: operation %d: %s\n",
				k + 1, status_str(st));
			goto close_client;
		}
	}
	struct vgp_surface_ref ref = {sr.handle, 0};
	st = vgp_client_call(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref), -1, NULL,
			     0, NULL, NULL);
	if (st != VGP_OK) {
		fprintf(stderr, "viogpu draw: close: %s\n", status_str(st));
		goto close_client;
	}
	rc = CLI_EXIT_OK;
close_client:
	vgp_client_close(c);
free_list:
	free(list);
	return rc;
}
