// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the image reader (tools/image.c): PNG files are
 * what a user hands `viogpu show --image`, so every byte is hostile.  An
 * input is a whole file; it is read through both readers (8-bit and
 * 16-bit with the HDR chunks) from a memfd, and every accepted image must
 * have sane dimensions and a buffer that can be read to its last pixel
 * (ASan sees a short one).  The HDR chunk mapping runs on whatever the
 * 16-bit reader found.
 *
 * With VG_FUZZ_STANDALONE it is a plain program: it writes seed PNGs with
 * the project's own writer (plus hand-made HDR chunks), mutates them and
 * fixes the chunk CRCs so the mutations reach past libpng's CRC check:
 *   fuzz_png_standalone [--random N] [--seed S] [--write-seeds DIR] [FILE...]
 * --write-seeds puts the seed PNGs in DIR, as libFuzzer's starting corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint32_t sink; /* keeps the pixel reads */

static int file_of(const uint8_t *data, size_t size, char *path, size_t n)
{
	int fd = memfd_create("fuzz-png", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	uint32_t *px = NULL, w = 0, h = 0;
	uint16_t *px16 = NULL;
	struct vg_png_hdr hdr;
	int fd = file_of(data, size, path, sizeof(path));

	if (vg_png_read(path, &px, &w, &h, err, sizeof(err)) == 0) {
		if (!w || !h || w > VG_IMAGE_MAX_DIM || h > VG_IMAGE_MAX_DIM)
			abort();
		sink ^= px[0] ^ px[(size_t)w * h - 1];
		if ((px[(size_t)w * h - 1] >> 24) != 0)
			abort(); /* the top byte is promised zero */
		free(px);
	} else if (!err[0]) {
		abort(); /* a failure must say why */
	}
	memset(&hdr, 0, sizeof(hdr));
	if (vg_png_read16(path, &px16, &w, &h, &hdr, err, sizeof(err)) == 0) {
		if (!w || !h || w > VG_IMAGE_MAX_DIM || h > VG_IMAGE_MAX_DIM)
			abort();
		sink ^= px16[0] ^ px16[(size_t)w * h * 4 - 1];
		enum vg_colorspace cs;
		struct vg_hdr_metadata m;
		(void)vg_png_hdr_color(&hdr, &cs, &m, err, sizeof(err));
		uint32_t words[4];
		size_t n = (size_t)w * h < 4 ? (size_t)w * h : 4;
		vg_px16_to_r10g10b10a2(px16, words, n);
		sink ^= words[0];
		free(px16);
	} else if (!err[0]) {
		abort();
	}
	close(fd);
	return 0;
}

#ifdef VG_FUZZ_STANDALONE

#define FUZZ_MAX_INPUT (64 * 1024)
#define NSEEDS 6

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

struct seed {
	uint8_t data[FUZZ_MAX_INPUT];
	size_t len;
};
static struct seed seeds[NSEEDS];

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Recomputes every chunk's CRC that lies inside the buffer, so a mutation
 * is judged by the reader's own checks rather than by libpng's CRC. */
static void fix_crcs(uint8_t *buf, size_t len)
{
	size_t off = 8;
	while (off + 12 <= len) {
		uint32_t clen = get32(buf + off);
		if (clen > len - off - 12)
			return;
		uLong crc = crc32(0, buf + off + 4, 4 + clen);
		put32(buf + off + 8 + clen, (uint32_t)crc);
		off += 12 + clen;
	}
}

/* Inserts a chunk before IEND (the last 12 bytes of a writer's file). */
static size_t add_chunk(uint8_t *buf, size_t len, const char *type,
			const uint8_t *body, uint32_t blen)
{
	if (len < 12 || len + 12 + blen > FUZZ_MAX_INPUT)
		return len;
	uint8_t iend[12];
	memcpy(iend, buf + len - 12, 12);
	size_t at = len - 12;
	put32(buf + at, blen);
	memcpy(buf + at + 4, type, 4);
	memcpy(buf + at + 8, body, blen);
	at += 8 + blen + 4;
	memcpy(buf + at, iend, 12);
	len = at + 12;
	fix_crcs(buf, len);
	return len;
}

static size_t read_whole(int fd, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	lseek(fd, 0, SEEK_SET);
	while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)r;
	return n;
}

static void make_seeds(void)
{
	static const uint32_t dims[NSEEDS][2] = {{1, 1},  {3, 2},  {17, 5},
						 {64, 1}, {1, 40}, {33, 33}};
	for (int s = 0; s < NSEEDS; s++) {
		uint32_t w = dims[s][0], h = dims[s][1];
		uint32_t *px = malloc((size_t)w * h * 4);
		char path[64], err[256];
		if (!px)
			abort();
		for (uint32_t i = 0; i < w * h; i++)
			px[i] = rnd() & 0xffffff;
		int fd = memfd_create("seed", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (vg_png_write(path, px, w, h, w * 4, err, sizeof(err))) {
			fprintf(stderr, "fuzz_png: seed: %s\n", err);
			exit(2);
		}
		seeds[s].len = read_whole(fd, seeds[s].data, FUZZ_MAX_INPUT);
		close(fd);
		free(px);
		if (s % 2) { /* HDR chunks, final and draft spellings */
			static const uint8_t cicp[4] = {9, 16, 0, 1};
			uint8_t mdcv[24], clli[8];
			for (int i = 0; i < 24; i++)
				mdcv[i] = (uint8_t)rnd();
			for (int i = 0; i < 8; i++)
				clli[i] = (uint8_t)rnd();
			size_t l = seeds[s].len;
			l = add_chunk(seeds[s].data, l, "cICP", cicp, 4);
			l = add_chunk(seeds[s].data, l, s % 3 ? "mDCV" : "mDCv",
				      mdcv, 24);
			l = add_chunk(seeds[s].data, l, s % 3 ? "cLLI" : "cLLi",
				      clli, 8);
			seeds[s].len = l;
		}
	}
}

static size_t mutate(uint8_t *buf, size_t len)
{
	unsigned n = 1 + rnd() % 4;
	for (unsigned k = 0; k < n && len; k++) {
		switch (rnd() % 6) {
		case 0: /* truncate */
			len = rnd() % (len + 1);
			break;
		case 1: /* IHDR: width, height, depth, colour type, interlace */
			if (len > 28)
				buf[16 + rnd() % 13] =
					(uint8_t)(rnd() % 3 == 0 ? rnd()
								 : rnd() % 17);
			break;
		case 2: /* a chunk length lies */
			if (len > 40)
				put32(buf + 8 + 4 * (rnd() % 8),
				      rnd() % 2 ? rnd() : rnd() % 64);
			break;
		case 3:
			buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		default:
			buf[rnd() % len] = (uint8_t)rnd();
			break;
		}
	}
	if (rnd() % 4)
		fix_crcs(buf, len);
	return len;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 0, seed = 1;
	static uint8_t buf[FUZZ_MAX_INPUT];
	const char *seed_dir = NULL;
	int files = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--random") && i + 1 < argc) {
			iterations = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--write-seeds") && i + 1 < argc) {
			seed_dir = argv[++i];
		} else {
			FILE *f = fopen(argv[i], "rb");
			if (!f) {
				fprintf(stderr, "fuzz_png: cannot open '%s'\n",
					argv[i]);
				return 2;
			}
			size_t n = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			LLVMFuzzerTestOneInput(buf, n);
			files++;
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	make_seeds();
	for (int k = 0; seed_dir && k < NSEEDS; k++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/seed-%d.png", seed_dir, k);
		FILE *f = fopen(path, "wb");
		if (!f ||
		    fwrite(seeds[k].data, 1, seeds[k].len, f) != seeds[k].len ||
		    fclose(f)) {
			fprintf(stderr, "fuzz_png: cannot write '%s'\n", path);
			return 2;
		}
	}
	unsigned long accepted = 0;
	for (unsigned long it = 0; it < iterations; it++) {
		const struct seed *s = &seeds[rnd() % NSEEDS];
		memcpy(buf, s->data, s->len);
		size_t len = it % 8 ? mutate(buf, s->len) : s->len;
		LLVMFuzzerTestOneInput(buf, len);
		char path[64], err[256];
		uint32_t *px, w, h;
		int fd = file_of(buf, len, path, sizeof(path));
		if (vg_png_read(path, &px, &w, &h, err, sizeof(err)) == 0) {
			accepted++;
			free(px);
		}
		close(fd);
	}
	if (iterations && !accepted) {
		fprintf(stderr, "fuzz_png: no input was a valid PNG: the "
				"seeds are broken\n");
		return 1;
	}
	printf("fuzz_png: %d files, %lu random inputs (seed %lu), %lu read "
	       "as images: no fault\n",
	       files, iterations, seed, accepted);
	return 0;
}
#endif
