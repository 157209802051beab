/* SPDX-License-Identifier: MIT */
/*
 * The peer: the kernel's virtio-gpu DRM driver driven the standard way
 * from user space (dumb buffer, ADDFB2, SETCRTC, DIRTYFB with damage
 * clips).  Ownership: a drm_peer owns its fd, framebuffer, dumb buffer
 * and mapping; drm_peer_close releases them in reverse.  Threading: one
 * caller at a time.
 */
#ifndef VG_BENCH_GUEST_DRM_PEER_H
#define VG_BENCH_GUEST_DRM_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "damage.h"

struct drm_peer {
	int fd;
	uint32_t crtc, connector, fb, handle;
	uint32_t width, height, pitch; /* pitch in bytes */
	uint32_t *px;
	size_t size;
	int mode_listed; /* 1: the connector offered the mode; 0: built */
};

/* Opens card (e.g. /dev/dri/card0) and shows a w x h dumb buffer on the
 * first connected connector.  0, or -1 with msg filled. */
int drm_peer_open(struct drm_peer *p, const char *card, uint32_t w, uint32_t h,
		  char *msg, size_t len);
/* DIRTYFB with d's rectangles as clips.  0 or -errno. */
int drm_peer_dirty(struct drm_peer *p, const struct bg_damage *d);
void drm_peer_close(struct drm_peer *p);

#endif
