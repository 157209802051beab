/* SPDX-License-Identifier: MIT */
/* Binary PPM (P6) to 0x00RRGGBB pixels. */
#ifndef VIOGPU_QEMU_PPM_H
#define VIOGPU_QEMU_PPM_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/status.h"

/* Parses an in-memory P6 image (maxval 1..255; comments allowed in the
 * header).  *pixels is malloc'ed for the caller.  Malformed or truncated
 * input is VG_E_PROTOCOL. */
vg_status vgq_ppm_parse(const uint8_t *data, size_t len, uint32_t **pixels,
			uint32_t *width, uint32_t *height);

/* Maps what fd holds (from offset 0, the whole file) and parses it. */
vg_status vgq_ppm_load_fd(int fd, uint32_t **pixels, uint32_t *width,
			  uint32_t *height);

#endif
