// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the EDID decoder.  Each input is decoded as given
 * and, when it is long enough, once more with a valid header forced in
 * (so the fuzzer need not find the 8 magic bytes to reach the blocks).
 * Both run on heap buffers of exactly the input's size: ASan reports any
 * read past the end.  The decoded struct is checked for sanity (counts
 * within bounds, strings terminated, timings non-empty).
 *
 * Built with clang -fsanitize=fuzzer for `make fuzz`; with
 * VG_FUZZ_STANDALONE it is a plain program that replays files, or runs
 * seeded pseudo-random inputs and mutations of the corpus EDIDs:
 *
 *   fuzz_edid_standalone [--random N] [--seed S] [--corpus DIR] [FILE...]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viogpu/edid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static void check(const struct vg_edid *e, vg_status st, size_t size)
{
	if (e->ntimings > VG_EDID_MAX_TIMINGS ||
	    e->ndiags > VG_EDID_MAX_DIAGS || e->nvics > VG_EDID_MAX_VICS)
		abort();
	for (unsigned i = 0; i < e->ndiags; i++)
		check_string(e->diags[i].text, sizeof(e->diags[i].text));
	if (st != VG_OK) {
		if (e->ndiags == 0 || e->ntimings)
			abort(); /* a refusal says why and decodes nothing */
		return;
	}
	if (size < 128)
		abort();
	check_string(e->vendor, sizeof(e->vendor));
	check_string(e->name, sizeof(e->name));
	check_string(e->serial_text, sizeof(e->serial_text));
	check_string(e->text, sizeof(e->text));
	if ((size_t)e->extensions_decoded * 128 + 128 > size)
		abort();
	for (unsigned i = 0; i < e->ntimings; i++) {
		const struct vg_edid_timing *t = &e->timings[i];
		if (!t->width || !t->height ||
		    !(t->sources & VG_TIMING_SOURCE_BIT(t->source)))
			abort();
		/* ordered by source rank */
		static const unsigned rank[] = {4, 3, 0, 1, 2};
		if (i && rank[e->timings[i - 1].source] > rank[t->source])
			abort();
	}
}

static struct vg_edid decoded; /* 8 KB: not on the stack */

static void run(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	vg_status st = vg_edid_parse(copy, size, &decoded);
	check(&decoded, st, size);
	size_t len = vg_edid_length(copy, size);
	if (len > size)
		abort();
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t header[8] = {0,	0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff, 0};
	run(data, size);
	if (size >= 128 && memcmp(data, header, 8)) {
		uint8_t *forced = malloc(size);
		if (!forced)
			abort();
		memcpy(forced, data, size);
		memcpy(forced, header, 8);
		run(forced, size);
		free(forced);
	}
	return 0;
}

#ifdef VG_FUZZ_STANDALONE
#include <dirent.h>

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

#define FUZZ_MAX_INPUT 2048
#define FUZZ_MAX_SEEDS 64

struct seed {
	uint8_t data[FUZZ_MAX_INPUT];
	size_t len;
};

static struct seed seeds[FUZZ_MAX_SEEDS];
static unsigned nseeds;

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_edid: cannot open '%s'\n", path);
		exit(2);
	}
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void load_corpus(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];

	if (!d) {
		fprintf(stderr, "fuzz_edid: cannot open '%s'\n", dir);
		exit(2);
	}
	while ((de = readdir(d)) && nseeds < FUZZ_MAX_SEEDS) {
		size_t n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 4, ".bin"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		seeds[nseeds].len =
			read_file(path, seeds[nseeds].data, FUZZ_MAX_INPUT);
		nseeds++;
	}
	closedir(d);
}

/* Values that sit on the decoder's boundaries. */
static uint8_t interesting(void)
{
	static const uint8_t v[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
				    0x0e, 0x1f, 0x20, 0x22, 0x70, 0x78, 0x79,
				    0x7e, 0x7f, 0x80, 0x81, 0xc0, 0xe0, 0xfa,
				    0xfc, 0xfd, 0xfe, 0xff};
	return v[rnd() % sizeof(v)];
}

static size_t mutate(uint8_t *buf, size_t len)
{
	unsigned n = 1 + rnd() % 8;
	for (unsigned k = 0; k < n; k++) {
		switch (rnd() % 8) {
		case 0: /* truncate anywhere */
			len = rnd() % (len + 1);
			break;
		case 1: /* the extension count lies */
			if (len > 126)
				buf[126] =
					(uint8_t)(rnd() % 5 == 0 ? rnd()
								 : rnd() % 8);
			break;
		case 2: /* a structural byte of an extension: tag, revision,
			   DTD offset / section length, first block header */
			if (len >= 256) {
				size_t b = 128 * (1 + rnd() % (len / 128 - 1));
				buf[b + rnd() % 8] = interesting();
			}
			break;
		case 3:
			if (len)
				buf[rnd() % len] ^=
					(uint8_t)(1u << (rnd() % 8));
			break;
		case 4:
			if (len)
				buf[rnd() % len] = interesting();
			break;
		case 5: /* grow with random bytes */
			while (len < FUZZ_MAX_INPUT && rnd() % 64)
				buf[len++] = (uint8_t)rnd();
			break;
		case 6: /* splice another seed's block in */
			if (nseeds && len >= 128) {
				const struct seed *s = &seeds[rnd() % nseeds];
				if (s->len >= 128) {
					size_t from =
						128 * (rnd() % (s->len / 128));
					size_t to = 128 * (rnd() % (len / 128));
					memcpy(buf + to, s->data + from, 128);
				}
			}
			break;
		default:
			if (len)
				buf[rnd() % len] = (uint8_t)rnd();
			break;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 0, seed = 1;
	int files = 0;
	static uint8_t buf[FUZZ_MAX_INPUT];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--random") && i + 1 < argc) {
			iterations = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--corpus") && i + 1 < argc) {
			load_corpus(argv[++i]);
		} else {
			size_t n = read_file(argv[i], buf, sizeof(buf));
			LLVMFuzzerTestOneInput(buf, n);
			files++;
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	for (unsigned long it = 0; it < iterations; it++) {
		size_t len;
		if (nseeds && it % 4 != 0) {
			const struct seed *s = &seeds[rnd() % nseeds];
			memcpy(buf, s->data, s->len);
			len = mutate(buf, s->len);
		} else {
			len = rnd() % (3 * 128 + 64);
			for (size_t k = 0; k < len; k++)
				buf[k] = (uint8_t)rnd();
			if (len > 126 && rnd() % 2)
				buf[126] = (uint8_t)(rnd() % 4);
			for (size_t b = 128; b + 4 < len; b += 128)
				if (rnd() % 2)
					buf[b] = rnd() % 2 ? 0x02 : 0x70;
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz_edid: %d files, %lu random inputs (seed %lu, %u corpus "
	       "seeds): no fault\n",
	       files, iterations, seed, nseeds);
	return 0;
}
#endif
