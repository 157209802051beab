// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the display server's request decoder, and for the
 * drawing and surface rules behind it.
 *
 * Input: byte 0 picks the fds that "arrived" with the record (none, a
 * sealed memfd, an unsealed one, a small sealed one, a pipe, two memfds);
 * byte 1 bit 0 asks for the header to be made plausible (version and
 * length forced, code taken from the known set by byte 2) so the fuzzer
 * reaches the bodies without guessing 32-bit codes; the rest is the
 * record.  The record sits in a heap buffer of exactly its size (ASan
 * sees any overread).  Checked: a record the decoder accepts is consistent
 * with its code (known code, length equal to bytes, fd iff the method
 * says so); accepted drawing requests are then drawn on a small surface
 * (any int32 coordinates: must stay inside and return at once), accepted
 * CREATE_SURFACE requests run through the surface rules; and the fds open
 * before and after the call are the same.
 *
 * Built with clang -fsanitize=fuzzer for `make fuzz`; with
 * VG_FUZZ_STANDALONE it is a plain program that replays files or runs
 * seeded pseudo-random inputs (valid records of every code, mutated):
 *
 *   fuzz_proto_standalone [--random N] [--seed S] [FILE...]
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "draw.h"
#include "surface_rules.h"
#include "../proto_build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FD_SEALED, FD_UNSEALED, FD_SMALL, FD_PIPE_R, FD_PIPE_W, NFIXED };
static int fixed[NFIXED];

#define SURF_W 61
#define SURF_H 37
static uint32_t pixels[SURF_H * (SURF_W + 3)];
static const struct vgp_surface_view surf = {pixels, SURF_W, SURF_H,
					     4 * (SURF_W + 3)};

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (!d)
		abort();
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own fd */
}

static void setup_once(void)
{
	static int done;
	int p[2];
	if (done)
		return;
	done = 1;
	fixed[FD_SEALED] = proto_memfd(1 << 16, 1);
	fixed[FD_UNSEALED] = proto_memfd(1 << 16, 0);
	fixed[FD_SMALL] = proto_memfd(100, 1);
	if (pipe(p) != 0)
		abort();
	fixed[FD_PIPE_R] = p[0];
	fixed[FD_PIPE_W] = p[1];
	for (int i = 0; i < NFIXED; i++)
		if (fixed[i] < 0)
			abort();
}

static void check_accepted(const struct vgp_request *r, const uint8_t *rec,
			   size_t n, const int *fds, size_t nfds)
{
	struct vgp_req_hdr h;
	if (n < sizeof(h))
		abort();
	memcpy(&h, rec, sizeof(h));
	if (vgp_body_fixed_size(h.code) < 0 || h.length != n ||
	    h.version != VGP_VERSION_MAJOR || r->code != h.code ||
	    n > VGP_MAX_REQUEST)
		abort();
	int in = VGP_CTL_METHOD(h.code) == VGP_METHOD_IN_DIRECT;
	if (in ? (nfds != 1 || r->fd != fds[0]) : (nfds != 0 || r->fd != -1))
		abort();
	if (in &&
	    (r->fd_size < r->u.blit.src_offset ||
	     r->fd_size - r->u.blit.src_offset <
		     (uint64_t)(r->u.blit.height - 1) * r->u.blit.src_pitch +
			     4ull * r->u.blit.width))
		abort();

	switch (h.code) {
	case VGP_DRAW_PIXEL:
	case VGP_CLEAR_PIXEL:
		vgp_draw_pixel(&surf, r->u.pixel.x, r->u.pixel.y,
			       r->u.pixel.color);
		break;
	case VGP_DRAW_LINE: {
		uint64_t drawn = vgp_draw_line(&surf, r->u.line.x1,
					       r->u.line.y1, r->u.line.x2,
					       r->u.line.y2, r->u.line.color);
		if (drawn > SURF_W + SURF_H) /* a line visits a row or a
						column at most once */
			abort();
		break;
	}
	case VGP_DRAW_RECT:
	case VGP_FILL_RECT:
		if (r->u.rect.width < 0 || r->u.rect.height < 0)
			abort();
		if (h.code == VGP_DRAW_RECT)
			vgp_draw_rect(&surf, r->u.rect.x, r->u.rect.y,
				      r->u.rect.width, r->u.rect.height,
				      r->u.rect.color);
		else
			vgp_fill_rect(&surf, r->u.rect.x, r->u.rect.y,
				      r->u.rect.width, r->u.rect.height,
				      r->u.rect.color);
		break;
	case VGP_CLEAR:
		vgp_clear(&surf, r->u.clear.color);
		break;
	case VGP_CREATE_SURFACE: {
		static const struct vgp_heads_view heads = {
			2, {{1024, 768}, {640, 480}}};
		uint32_t w = 0, hh = 0;
		if (r->u.create.s.naccess > VGP_MAX_ACCESS)
			abort();
		if (vgp_surface_check_create(&r->u.create.s, r->u.create.access,
					     &heads, &w, &hh) == VGP_OK &&
		    (w == 0 || hh == 0 || w > VGP_MAX_DIM || hh > VGP_MAX_DIM))
			abort();
		break;
	}
	case VGP_PRESENT_DAMAGE:
		if (r->u.damage.d.nrects < 1 ||
		    r->u.damage.d.nrects > VGP_MAX_DAMAGE)
			abort();
		break;
	case VGP_POST_INPUT: {
		/* What the server forwards to subscribers: one kind, and a
		 * MOTION without button or state. */
		const struct vgp_post_input *p = &r->u.post_input;
		if (p->head >= VGP_MAX_HEADS || p->state > 1 ||
		    (p->kind != VGP_INPUT_BUTTON &&
		     p->kind != VGP_INPUT_MOTION && p->kind != VGP_INPUT_KEY) ||
		    (p->kind == VGP_INPUT_BUTTON &&
		     (p->button < 1 || p->button > 3)) ||
		    (p->kind == VGP_INPUT_MOTION && (p->button || p->state)))
			abort();
		break;
	}
	case VGP_SUBSCRIBE_PRESENT:
		if (r->u.sub_present.head >= VGP_MAX_HEADS ||
		    r->u.sub_present.enable > 1)
			abort();
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vgp_request req;
	int fds[2];
	size_t nfds = 0;

	setup_once();
	if (size < 3)
		return 0;
	switch (data[0] % 8) {
	case 1:
		fds[nfds++] = fixed[FD_SEALED];
		break;
	case 2:
		fds[nfds++] = fixed[FD_UNSEALED];
		break;
	case 3:
		fds[nfds++] = fixed[FD_SMALL];
		break;
	case 4:
		fds[nfds++] = fixed[FD_PIPE_R];
		break;
	case 5:
		fds[nfds++] = fixed[FD_SEALED];
		fds[nfds++] = fixed[FD_SEALED];
		break;
	case 6:
		fds[nfds++] = fixed[FD_PIPE_W];
		break;
	default:
		break;
	}
	size_t n = size - 3;
	uint8_t *rec = malloc(n ? n : 1);
	if (!rec)
		abort();
	memcpy(rec, data + 3, n);
	if ((data[1] & 1) && n >= sizeof(struct vgp_req_hdr)) {
		uint32_t code = proto_codes[data[2] % PROTO_NCODES];
		uint32_t len = (uint32_t)n;
		uint16_t ver = VGP_VERSION_MAJOR;
		memcpy(rec, &code, 4);
		memcpy(rec + 4, &len, 4);
		memcpy(rec + 12, &ver, 2);
	}
	/* libFuzzer opens and closes its own files between inputs: compare
	 * within this one. */
	int fds_before = count_fds();
	enum vgp_status st = vgp_decode(rec, n, fds, nfds, &req);
	if (st >= VGP_STATUS_COUNT)
		abort();
	if (st == VGP_OK)
		check_accepted(&req, rec, n, fds, nfds);
	else if (req.fd != -1)
		abort(); /* a refusal hands out no fd */
	free(rec);
	if (count_fds() != fds_before)
		abort();
	return 0;
}

#ifdef VG_FUZZ_STANDALONE
static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

/* Values on the decoder's and the drawing code's boundaries. */
static uint32_t interesting(void)
{
	static const uint32_t v[] = {0,
				     1,
				     2,
				     7,
				     15,
				     16,
				     17,
				     60,
				     63,
				     64,
				     VGP_MAX_HEADS,
				     VGP_MAX_ACCESS + 1,
				     VGP_MAX_DIM,
				     VGP_MAX_DIM + 1,
				     0x7fffffffu,
				     0x80000000u,
				     0x80000001u,
				     0xfffffffeu,
				     0xffffffffu,
				     (uint32_t)-2000000000,
				     2000000000u};
	return v[rnd() % (sizeof(v) / sizeof(v[0]))];
}

#define MAXIN (VGP_MAX_REQUEST + 64)

static size_t make_input(uint8_t *buf)
{
	uint8_t rec[MAXIN];
	uint32_t code = proto_codes[rnd() % PROTO_NCODES];
	size_t n = proto_build(rec, code, rnd());
	unsigned muts = rnd() % 4;

	buf[0] = (uint8_t)(VGP_CTL_METHOD(code) == VGP_METHOD_IN_DIRECT &&
					   rnd() % 2
				   ? 1
				   : rnd());
	buf[1] = (uint8_t)(rnd() % 4 == 0);
	buf[2] = (uint8_t)rnd();
	for (unsigned k = 0; k < muts; k++) {
		switch (rnd() % 6) {
		case 0: /* a 32-bit field gets a boundary value */
			if (n >= 4) {
				uint32_t v = interesting();
				memcpy(rec + 4 * (rnd() % (n / 4)), &v, 4);
			}
			break;
		case 1: /* truncate */
			n = rnd() % (n + 1);
			break;
		case 2: /* grow */
			while (n < MAXIN && rnd() % 16)
				rec[n++] = (uint8_t)rnd();
			break;
		case 3: /* flip a bit */
			if (n)
				rec[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 4: /* a random byte */
			if (n)
				rec[rnd() % n] = (uint8_t)rnd();
			break;
		default: /* fix the length field to the bytes */
			if (n >= 8) {
				uint32_t len = (uint32_t)n;
				memcpy(rec + 4, &len, 4);
			}
			break;
		}
	}
	memcpy(buf + 3, rec, n);
	return n + 3;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 0, seed = 1;
	static uint8_t buf[MAXIN + 3];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--random") && i + 1 < argc) {
			iterations = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoul(argv[++i], NULL, 0);
		} else {
			FILE *f = fopen(argv[i], "rb");
			if (!f) {
				fprintf(stderr,
					"fuzz_proto: cannot open '%s'\n",
					argv[i]);
				return 2;
			}
			size_t n = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			LLVMFuzzerTestOneInput(buf, n);
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	unsigned long accepted = 0;
	for (unsigned long it = 0; it < iterations; it++) {
		size_t n = make_input(buf);
		LLVMFuzzerTestOneInput(buf, n);
		/* count how many reach the drawing and rules code */
		struct vgp_request r;
		int fd = fixed[FD_SEALED];
		if (n >= 3 && vgp_decode(buf + 3, n - 3, &fd, (buf[0] % 8) == 1,
					 &r) == VGP_OK)
			accepted++;
	}
	printf("fuzz_proto: %lu inputs, %lu accepted as sent\n", iterations,
	       accepted);
	/* A generator that never produced valid records tests only the
	 * framing checks: demand a fair share of both. */
	if (iterations >= 10000 &&
	    (accepted < iterations / 20 || accepted > iterations * 19 / 20)) {
		fprintf(stderr, "fuzz_proto: generator out of balance\n");
		return 1;
	}
	return 0;
}
#endif
