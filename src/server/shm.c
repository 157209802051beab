// SPDX-License-Identifier: MIT
/* Sealed shared surface memory (shm.h). */
#include "shm.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum vgp_status vgp_shm_create(struct vgp_shm *s, uint32_t width,
			       uint32_t height)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (width < 1 || height < 1 || width > VGP_MAX_DIM ||
	    height > VGP_MAX_DIM)
		return VGP_E_OUT_OF_RANGE;
	s->width = width;
	s->height = height;
	s->pitch = 4 * width;
	s->size = (uint64_t)s->pitch * height; /* <= 2^30 */

	s->fd = memfd_create("viogpu-surface", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (s->fd < 0)
		goto fail;
	if (ftruncate(s->fd, (off_t)s->size) != 0)
		goto close_fd;
	if (fcntl(s->fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
		goto close_fd;
	void *p = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd,
		       0);
	if (p == MAP_FAILED)
		goto close_fd;
	s->pixels = p;
	return VGP_OK;

close_fd:
	close(s->fd);
fail:
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	return VGP_E_NO_MEMORY;
}

void vgp_shm_destroy(struct vgp_shm *s)
{
	if (!s->pixels) /* zeroed, failed or destroyed: owns nothing */
		return;
	munmap(s->pixels, s->size);
	close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}
