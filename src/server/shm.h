/* SPDX-License-Identifier: MIT */
/*
 * Surface memory shared with clients: a memfd of exactly the surface's
 * size, sealed so that nobody (client or server) can shrink or grow it and
 * the seals themselves cannot change; a mapping of it can therefore never
 * fault.  The server maps it once; clients get the fd (SCM_RIGHTS) and
 * map it themselves.
 *
 * Ownership: the caller owns the returned fd and mapping
 * (vgp_shm_destroy).  Thread-safety: none needed (no shared state).
 */
#ifndef VIOGPU_SERVER_SHM_H
#define VIOGPU_SERVER_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "viogpu/protocol.h"

struct vgp_shm {
	int fd;
	uint32_t *pixels; /* the server's MAP_SHARED mapping */
	uint32_t width;
	uint32_t height;
	uint32_t pitch; /* bytes, 4 * width */
	uint64_t size;
};

/* A width x height 32-bit surface (1..VGP_MAX_DIM each), zero-filled.
 * VGP_OK; VGP_E_OUT_OF_RANGE for sizes; VGP_E_NO_MEMORY when the host
 * refuses (memfd, ftruncate or mmap failing). */
enum vgp_status vgp_shm_create(struct vgp_shm *s, uint32_t width,
			       uint32_t height);

/* Unmaps and closes; on a zeroed, failed or destroyed struct, nothing. */
void vgp_shm_destroy(struct vgp_shm *s);

#endif
