// SPDX-License-Identifier: MIT
#include "ppm.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PPM_MAX_DIM 65535u

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Skips whitespace and '#' comments, then reads a decimal number. */
static bool header_number(const uint8_t *d, size_t len, size_t *pos,
			  uint32_t *out)
{
	size_t p = *pos;
	uint64_t v = 0;

	for (;;) {
		if (p >= len)
			return false;
		if (d[p] == '#') {
			while (p < len && d[p] != '\n' && d[p] != '\r')
				p++;
		} else if (is_space(d[p])) {
			p++;
		} else {
			break;
		}
	}
	if (d[p] < '0' || d[p] > '9')
		return false;
	while (p < len && d[p] >= '0' && d[p] <= '9') {
		v = v * 10 + (uint64_t)(d[p++] - '0');
		if (v > 0xffffffffu)
			return false;
	}
	*out = (uint32_t)v;
	*pos = p;
	return true;
}

vg_status vgq_ppm_parse(const uint8_t *data, size_t len, uint32_t **pixels,
			uint32_t *width, uint32_t *height)
{
	uint32_t w, h, maxval;
	size_t pos = 2;

	*pixels = NULL;
	*width = *height = 0;
	if (len < 2 || data[0] != 'P' || data[1] != '6')
		return VG_E_PROTOCOL;
	if (!header_number(data, len, &pos, &w) ||
	    !header_number(data, len, &pos, &h) ||
	    !header_number(data, len, &pos, &maxval))
		return VG_E_PROTOCOL;
	/* Exactly one whitespace byte separates the header from the data. */
	if (pos >= len || !is_space(data[pos]))
		return VG_E_PROTOCOL;
	pos++;
	if (w == 0 || h == 0 || w > PPM_MAX_DIM || h > PPM_MAX_DIM ||
	    maxval == 0 || maxval > 255)
		return VG_E_PROTOCOL;
	uint64_t npix = (uint64_t)w * h;
	uint64_t row = (uint64_t)w * 3, padded = (row + 3) & ~(uint64_t)3;
	uint64_t stride;
	/* QEMU 7.2's screendump writes each row with its line buffer's
	 * 4-byte-aligned stride, so a width whose w*3 is not a multiple of 4
	 * (1366) gives rows with 1-3 bytes of padding.  Accept exactly the
	 * tight layout or exactly that padding, nothing else. */
	if (len - pos == row * h)
		stride = row;
	else if (len - pos == padded * h)
		stride = padded;
	else
		return VG_E_PROTOCOL;

	uint32_t *px = malloc(npix * sizeof(*px));
	if (!px)
		return VG_E_NOMEM;
	for (uint32_t y = 0; y < h; y++) {
		const uint8_t *s = data + pos + y * stride;
		uint32_t *out = px + (uint64_t)y * w;
		for (uint32_t x = 0; x < w; x++, s += 3) {
			uint32_t c[3];
			for (int k = 0; k < 3; k++) {
				uint32_t v = s[k] > maxval ? maxval : s[k];
				c[k] = maxval == 255 ? v
						     : (v * 255 + maxval / 2) /
							       maxval;
			}
			out[x] = c[0] << 16 | c[1] << 8 | c[2];
		}
	}
	*pixels = px;
	*width = w;
	*height = h;
	return VG_OK;
}

vg_status vgq_ppm_load_fd(int fd, uint32_t **pixels, uint32_t *width,
			  uint32_t *height)
{
	struct stat st;
	vg_status ret;

	*pixels = NULL;
	*width = *height = 0;
	if (fstat(fd, &st) != 0 || st.st_size <= 0)
		return VG_E_PROTOCOL;
	void *map =
		mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return VG_E_NOMEM;
	ret = vgq_ppm_parse(map, (size_t)st.st_size, pixels, width, height);
	munmap(map, (size_t)st.st_size);
	return ret;
}
