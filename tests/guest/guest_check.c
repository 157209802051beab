// SPDX-License-Identifier: MIT
/*
 * guest_check: compares a QEMU screendump (binary PPM) with a picture
 * described as the guest runner announces it (GUEST-SHOW), drawn here by
 * the same generator (tools/pattern.c) the guest drew with.
 *
 * usage: guest_check [--write] FILE.ppm W H PATTERN [x,y,w,h,rrggbb ...]
 * Prints one line ("equal" or what differs); exit 0 equal, 1 differ,
 * 2 bad usage or an unreadable file.  --write writes the described
 * picture to FILE.ppm instead (for the checker's own test).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "ppm.h"

static int write_ppm(const char *path, const uint32_t *px, uint32_t w,
		     uint32_t h)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 2;
	fprintf(f, "P6\n%u %u\n255\n", w, h);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		unsigned char rgb[3] = {(unsigned char)(px[i] >> 16),
					(unsigned char)(px[i] >> 8),
					(unsigned char)px[i]};
		fwrite(rgb, 1, 3, f);
	}
	return fclose(f) ? 2 : 0;
}

int main(int argc, char **argv)
{
	int write = argc > 1 && !strcmp(argv[1], "--write");
	argv += write;
	argc -= write;
	if (argc < 5) {
		fprintf(stderr, "usage: guest_check FILE.ppm W H PATTERN "
				"[x,y,w,h,rrggbb ...]\n");
		return 2;
	}
	uint32_t w = (uint32_t)strtoul(argv[2], NULL, 10);
	uint32_t h = (uint32_t)strtoul(argv[3], NULL, 10);
	enum vg_pattern p;
	if (!w || !h || w > 16384 || h > 16384 ||
	    vg_pattern_from_name(argv[4], &p)) {
		fprintf(stderr, "guest_check: bad size or pattern\n");
		return 2;
	}
	uint32_t *want = malloc((size_t)w * h * 4);
	if (!want)
		return 2;
	vg_pattern_draw(p, want, w, h, w * 4);
	for (int i = 5; i < argc; i++) {
		int x, y;
		unsigned bw, bh, c;
		if (sscanf(argv[i], "%d,%d,%u,%u,%x", &x, &y, &bw, &bh, &c) !=
		    5) {
			fprintf(stderr, "guest_check: bad box '%s'\n", argv[i]);
			free(want);
			return 2;
		}
		vg_pattern_draw_box(want, w, h, w * 4, x, y, bw, bh, c);
	}
	if (write) {
		int r = write_ppm(argv[1], want, w, h);
		free(want);
		return r;
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	uint32_t *got = NULL, gw = 0, gh = 0;
	if (fd < 0 || vgq_ppm_load_fd(fd, &got, &gw, &gh) != VG_OK) {
		printf("cannot read the screendump %s\n", argv[1]);
		free(want);
		return 2;
	}
	close(fd);
	if (gw != w || gh != h) {
		printf("screendump is %ux%u, want %ux%u\n", gw, gh, w, h);
		free(got);
		free(want);
		return 1;
	}
	uint32_t fx, fy;
	uint64_t diff =
		vg_pixels_compare(got, w * 4, want, w * 4, w, h, &fx, &fy);
	if (diff)
		printf("%" PRIu64 " pixels differ, first at (%u,%u): "
		       "0x%06x, want 0x%06x\n",
		       diff, fx, fy, got[(size_t)fy * w + fx] & 0xffffff,
		       want[(size_t)fy * w + fx] & 0xffffff);
	else
		printf("equal (%ux%u)\n", w, h);
	free(got);
	free(want);
	return diff ? 1 : 0;
}
