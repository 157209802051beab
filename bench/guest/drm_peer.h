/* SPDX-License-Identifier: MIT */
/*
 * The peer: the kernel's virtio-gpu DRM driver driven the standard way
 * from user space (dumb buffers, ADDFB2, SETCRTC, DIRTYFB with damage
 * clips, and page flips between two buffers).  Ownership: a drm_peer owns
 * its fd, framebuffers, dumb buffers and mappings; drm_peer_close releases
 * them in reverse.  Threading: one
 * caller at a time.
 */
#ifndef VG_BENCH_GUEST_DRM_PEER_H
#define VG_BENCH_GUEST_DRM_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "damage.h"

struct drm_peer {
	int fd;
	uint32_t crtc, connector;
	uint32_t fb[2], handle[2];
	uint32_t *px[2];
	unsigned front;		       /* the buffer on the CRTC: px[front] */
	uint32_t width, height, pitch; /* pitch in bytes (both buffers) */
	size_t size;
	int mode_listed; /* 1: the connector offered the mode; 0: built */
};

/* Opens card (e.g. /dev/dri/card0) and shows a w x h dumb buffer on the
 * first connected connector.  0, or -1 with msg filled. */
int drm_peer_open(struct drm_peer *p, const char *card, uint32_t w, uint32_t h,
		  char *msg, size_t len);
/* DIRTYFB of the front buffer with d's rectangles as clips.  0 or
 * -errno. */
int drm_peer_dirty(struct drm_peer *p, const struct bg_damage *d);
/* PAGE_FLIP to the back buffer (px[!front]) and waits for its
 * FLIP_COMPLETE event; the back becomes the front.  0 or -errno. */
int drm_peer_flip(struct drm_peer *p);
void drm_peer_close(struct drm_peer *p);

#endif
