// SPDX-License-Identifier: MIT
/*
 * The peer of bench-guest (drm_peer.h): plain DRM ioctls on the kernel's
 * uapi headers.  Not libdrm's functions: the guest's programs link
 * static, and these few ioctls (what libdrm's drmModeGetResources,
 * drmModeAddFB2, drmModeSetCrtc and drmModeDirtyFB wrap one to one) need
 * no library in the initramfs.  Only libdrm's copy of the uapi headers is
 * used (the meson dependency is headers only).
 */
#include "drm_peer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>

/* drm_mode_get_connector.connection: 1 connected, 2 disconnected, 3
 * unknown (drm_mode.h's comment; the name is libdrm's, not uapi's). */
#define PEER_CONNECTED 1

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;
	do
		r = ioctl(fd, req, arg);
	while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r < 0 ? -errno : 0;
}

#define FAIL(...)                                                              \
	do {                                                                   \
		snprintf(msg, len, __VA_ARGS__);                               \
		goto fail;                                                     \
	} while (0)

/* A 60 Hz mode with blanking that passes drm_mode_validate_basic; the
 * virtio-gpu device ignores timings, only the size matters. */
static struct drm_mode_modeinfo built_mode(uint32_t w, uint32_t h)
{
	struct drm_mode_modeinfo m = {0};
	m.hdisplay = (uint16_t)w;
	m.hsync_start = (uint16_t)(w + 48);
	m.hsync_end = (uint16_t)(w + 80);
	m.htotal = (uint16_t)(w + 160);
	m.vdisplay = (uint16_t)h;
	m.vsync_start = (uint16_t)(h + 3);
	m.vsync_end = (uint16_t)(h + 8);
	m.vtotal = (uint16_t)(h + 30);
	m.clock = (uint32_t)((uint64_t)m.htotal * m.vtotal * 60 / 1000);
	m.vrefresh = 60;
	m.type = DRM_MODE_TYPE_USERDEF;
	snprintf(m.name, sizeof(m.name), "%ux%u", w, h);
	return m;
}

int drm_peer_open(struct drm_peer *p, const char *card, uint32_t w, uint32_t h,
		  char *msg, size_t len)
{
	uint32_t *crtcs = NULL, *conns = NULL;
	struct drm_mode_modeinfo *modes = NULL, mode;
	int r;

	memset(p, 0, sizeof(*p));
	p->fd = open(card, O_RDWR | O_CLOEXEC);
	if (p->fd < 0)
		FAIL("open %s: %s", card, strerror(errno));

	struct drm_mode_card_res res = {0};
	if ((r = xioctl(p->fd, DRM_IOCTL_MODE_GETRESOURCES, &res)) < 0)
		FAIL("GETRESOURCES: %s", strerror(-r));
	if (!res.count_crtcs || !res.count_connectors)
		FAIL("no CRTC or connector");
	crtcs = calloc(res.count_crtcs, sizeof(*crtcs));
	conns = calloc(res.count_connectors, sizeof(*conns));
	res.count_fbs = res.count_encoders = 0;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.connector_id_ptr = (uintptr_t)conns;
	if ((r = xioctl(p->fd, DRM_IOCTL_MODE_GETRESOURCES, &res)) < 0)
		FAIL("GETRESOURCES: %s", strerror(-r));

	/* The first connected connector and its modes. */
	struct drm_mode_get_connector c = {0};
	for (uint32_t i = 0; i < res.count_connectors && !p->connector; i++) {
		memset(&c, 0, sizeof(c));
		c.connector_id = conns[i];
		if ((r = xioctl(p->fd, DRM_IOCTL_MODE_GETCONNECTOR, &c)) < 0)
			FAIL("GETCONNECTOR: %s", strerror(-r));
		if (c.connection != PEER_CONNECTED)
			continue;
		free(modes);
		modes = calloc(c.count_modes + 1, sizeof(*modes));
		c.modes_ptr = (uintptr_t)modes;
		c.count_props = c.count_encoders = 0;
		if ((r = xioctl(p->fd, DRM_IOCTL_MODE_GETCONNECTOR, &c)) < 0)
			FAIL("GETCONNECTOR: %s", strerror(-r));
		p->connector = conns[i];
	}
	if (!p->connector)
		FAIL("no connected connector");
	p->crtc = crtcs[0];
	if (c.encoder_id) {
		struct drm_mode_get_encoder e = {.encoder_id = c.encoder_id};
		if (xioctl(p->fd, DRM_IOCTL_MODE_GETENCODER, &e) == 0 &&
		    e.crtc_id)
			p->crtc = e.crtc_id;
	}
	mode = built_mode(w, h);
	for (uint32_t i = 0; i < c.count_modes; i++)
		if (modes[i].hdisplay == w && modes[i].vdisplay == h) {
			mode = modes[i];
			p->mode_listed = 1;
			break;
		}

	p->width = w;
	p->height = h;
	for (unsigned b = 0; b < 2; b++) {
		struct drm_mode_create_dumb cd = {
			.width = w, .height = h, .bpp = 32};
		if ((r = xioctl(p->fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd)) < 0)
			FAIL("CREATE_DUMB %ux%u: %s", w, h, strerror(-r));
		p->handle[b] = cd.handle;
		p->pitch = cd.pitch;
		p->size = cd.size;

		struct drm_mode_fb_cmd2 fb = {.width = w,
					      .height = h,
					      .pixel_format =
						      DRM_FORMAT_XRGB8888};
		fb.handles[0] = p->handle[b];
		fb.pitches[0] = p->pitch;
		if ((r = xioctl(p->fd, DRM_IOCTL_MODE_ADDFB2, &fb)) < 0)
			FAIL("ADDFB2: %s", strerror(-r));
		p->fb[b] = fb.fb_id;

		struct drm_mode_map_dumb md = {.handle = p->handle[b]};
		if ((r = xioctl(p->fd, DRM_IOCTL_MODE_MAP_DUMB, &md)) < 0)
			FAIL("MAP_DUMB: %s", strerror(-r));
		void *map = mmap(NULL, p->size, PROT_READ | PROT_WRITE,
				 MAP_SHARED, p->fd, (off_t)md.offset);
		if (map == MAP_FAILED)
			FAIL("mmap dumb: %s", strerror(errno));
		p->px[b] = map;
		memset(p->px[b], 0x40, p->size);
	}

	struct drm_mode_crtc sc = {.crtc_id = p->crtc,
				   .fb_id = p->fb[0],
				   .set_connectors_ptr =
					   (uintptr_t)&p->connector,
				   .count_connectors = 1,
				   .mode_valid = 1,
				   .mode = mode};
	if ((r = xioctl(p->fd, DRM_IOCTL_MODE_SETCRTC, &sc)) < 0)
		FAIL("SETCRTC %ux%u (%s): %s", w, h,
		     p->mode_listed ? "listed" : "built", strerror(-r));
	free(modes);
	free(conns);
	free(crtcs);
	return 0;
fail:
	free(modes);
	free(conns);
	free(crtcs);
	drm_peer_close(p);
	return -1;
}

int drm_peer_dirty(struct drm_peer *p, const struct bg_damage *d)
{
	struct drm_clip_rect clips[2];
	for (unsigned i = 0; i < d->n; i++)
		clips[i] = (struct drm_clip_rect){
			(unsigned short)d->r[i].x, (unsigned short)d->r[i].y,
			(unsigned short)(d->r[i].x + d->r[i].w),
			(unsigned short)(d->r[i].y + d->r[i].h)};
	struct drm_mode_fb_dirty_cmd dc = {.fb_id = p->fb[p->front],
					   .num_clips = d->n,
					   .clips_ptr = (uintptr_t)clips};
	return xioctl(p->fd, DRM_IOCTL_MODE_DIRTYFB, &dc);
}

int drm_peer_flip(struct drm_peer *p)
{
	unsigned back = !p->front;
	struct drm_mode_crtc_page_flip pf = {.crtc_id = p->crtc,
					     .fb_id = p->fb[back],
					     .flags = DRM_MODE_PAGE_FLIP_EVENT,
					     .user_data = back};
	int r = xioctl(p->fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf);
	if (r < 0)
		return r;
	/* The event arrives on the fd once the new buffer is shown. */
	for (;;) {
		char buf[256];
		ssize_t n = read(p->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < (ssize_t)sizeof(struct drm_event))
			return n < 0 ? -errno : -EIO;
		for (ssize_t at = 0;
		     at + (ssize_t)sizeof(struct drm_event) <= n;) {
			struct drm_event e;
			memcpy(&e, buf + at, sizeof(e));
			if (e.type == DRM_EVENT_FLIP_COMPLETE) {
				p->front = back;
				return 0;
			}
			if (e.length < sizeof(e))
				return -EIO;
			at += e.length;
		}
	}
}

void drm_peer_close(struct drm_peer *p)
{
	for (int b = 1; b >= 0; b--) {
		if (p->px[b])
			munmap(p->px[b], p->size);
		if (p->fb[b])
			xioctl(p->fd, DRM_IOCTL_MODE_RMFB, &p->fb[b]);
		if (p->handle[b]) {
			struct drm_mode_destroy_dumb dd = {
				.handle = p->handle[b]};
			xioctl(p->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
		}
	}
	if (p->fd > 0)
		close(p->fd);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}
