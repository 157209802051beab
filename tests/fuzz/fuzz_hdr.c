// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the HDR converter (src/core/hdr*.c).  An input is
 *   byte 0      format (VG_SRC_*, any value)
 *   byte 1      color space (VG_CS_*, any value)
 *   byte 2      step: bit 7 negative, bit 6 a pitch of 3 pixels
 *   bytes 3-30  struct vg_hdr_metadata (any bytes: valid or not)
 *   the rest    pixels, as many whole ones as there are
 * The converter is built into exactly vg_hdr_tables_size() heap bytes and
 * the pixels are read from a heap copy of exactly their size, so ASan
 * sees any read outside; every output must have its top byte clear.
 *
 * With VG_FUZZ_STANDALONE it is a plain program running seeded
 * pseudo-random inputs (biased to valid combinations):
 *   fuzz_hdr_standalone [--random N] [--seed S]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "viogpu/color.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define META_BYTES 28
#define HEAD (3 + META_BYTES)

static void *tables;
static unsigned long converted; /* inputs that got a converter */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_hdr_metadata m;
	struct vg_converter cv = {0};
	unsigned bpp, n, pitch;
	uint8_t *px;
	uint32_t *out;
	ptrdiff_t step;

	_Static_assert(sizeof(m) == META_BYTES, "metadata layout");
	if (size < HEAD)
		return 0;
	if (!tables) {
		tables = aligned_alloc(8, (vg_hdr_tables_size() + 7) & ~7ul);
		if (!tables)
			abort();
	}
	memcpy(&m, data + 3, sizeof(m));
	if (vg_hdr_converter_init(
		    tables, vg_hdr_tables_size(), (enum vg_src_format)data[0],
		    (enum vg_colorspace)data[1], &m, &cv) != VG_OK)
		return 0;
	converted++;
	bpp = vg_src_format_bpp((enum vg_src_format)data[0]);
	if (!bpp || !cv.row)
		abort();
	pitch = data[2] & 0x40 ? 3 : 1;
	n = (unsigned)((size - HEAD) / bpp);
	n = n ? (n - 1) / pitch + 1 : 0; /* pixels reachable at that pitch */
	px = malloc(size - HEAD ? size - HEAD : 1);
	out = malloc(n ? n * sizeof(*out) : 1);
	if (!px || !out)
		abort();
	memcpy(px, data + HEAD, size - HEAD);
	step = (ptrdiff_t)(bpp * pitch);
	if (n && data[2] & 0x80)
		cv.row(cv.ctx, out, px + (size_t)(n - 1) * bpp * pitch, -step,
		       n);
	else
		cv.row(cv.ctx, out, px, step, n);
	for (unsigned i = 0; i < n; i++)
		if (out[i] >> 24)
			abort();
	free(px);
	free(out);
	return 0;
}

#ifdef VG_FUZZ_STANDALONE
static uint64_t rng_state = 1;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

int main(int argc, char **argv)
{
	unsigned long runs = 2000;
	uint8_t buf[HEAD + 64 * 8];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--random") && i + 1 < argc)
			runs = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 0) | 1;
		else {
			fprintf(stderr, "usage: fuzz_hdr_standalone "
					"[--random N] [--seed S]\n");
			return 2;
		}
	}
	for (unsigned long r = 0; r < runs; r++) {
		size_t len = HEAD + rnd() % (sizeof(buf) - HEAD + 1);

		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd();
		if (rnd() % 4) { /* mostly a valid pair */
			static const uint8_t pairs[][2] = {
				{VG_SRC_B8G8R8A8, VG_CS_SRGB},
				{VG_SRC_R8G8B8X8, VG_CS_SRGB},
				{VG_SRC_R10G10B10A2, VG_CS_SRGB},
				{VG_SRC_R10G10B10A2, VG_CS_BT2020_PQ},
				{VG_SRC_B10G10R10A2, VG_CS_BT2020_HLG},
				{VG_SRC_R10G10B10X2, VG_CS_BT2020_HLG},
				{VG_SRC_RGBA16F, VG_CS_SCRGB},
			};
			unsigned k = rnd() % 7;

			buf[0] = pairs[k][0];
			buf[1] = pairs[k][1];
		}
		if (rnd() % 4) { /* mostly plausible metadata */
			struct vg_hdr_metadata m = {0};

			m.max_mastering_luminance = rnd() % 11000;
			m.min_mastering_luminance = rnd() % 100000;
			m.max_cll =
				(uint16_t)(rnd() % 3 ? rnd() % 12000 : rnd());
			m.max_fall =
				(uint16_t)(m.max_cll ? rnd() % m.max_cll : 0);
			if (rnd() % 2) { /* BT.2020, D65 */
				const uint16_t p[4][2] = {{35400, 14600},
							  {8500, 39850},
							  {6550, 2300},
							  {15635, 16450}};
				memcpy(m.primaries, p, sizeof(m.primaries));
				memcpy(m.white_point, p[3],
				       sizeof(m.white_point));
			}
			memcpy(buf + 3, &m, sizeof(m));
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz_hdr: %lu inputs, %lu converted, no fault\n", runs,
	       converted);
	if (converted < runs / 20)
		return 1; /* the bias is broken: nothing was tested */
	free(tables);
	return 0;
}
#endif
