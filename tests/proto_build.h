/* SPDX-License-Identifier: MIT */
/*
 * Building protocol records in tests and fuzz targets: one valid body per
 * request code, and helpers for the fds a record can carry.  Header-only;
 * test code, not part of any library.
 */
#ifndef VIOGPU_TESTS_PROTO_BUILD_H
#define VIOGPU_TESTS_PROTO_BUILD_H

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#include "viogpu/protocol.h"

static const uint32_t proto_codes[] = {
	VGP_GET_INFO,	     VGP_SET_MODE,	VGP_CREATE_SURFACE,
	VGP_OPEN_SURFACE,    VGP_CLOSE_SURFACE, VGP_DRAW_PIXEL,
	VGP_CLEAR_PIXEL,     VGP_DRAW_LINE,	VGP_DRAW_RECT,
	VGP_FILL_RECT,	     VGP_CLEAR,		VGP_BLIT,
	VGP_PRESENT_DAMAGE,  VGP_GET_BUFFER,	VGP_SWAP_BUFFERS,
	VGP_SUBSCRIBE_INPUT, VGP_POST_INPUT,	VGP_SUBSCRIBE_PRESENT,
};
#define PROTO_NCODES (sizeof(proto_codes) / sizeof(proto_codes[0]))

/* Writes a valid record for `code` into buf (>= VGP_MAX_REQUEST bytes);
 * returns its length.  A BLIT needs a sealed memfd of >= 4096 bytes. */
static inline size_t proto_build(uint8_t *buf, uint32_t code, uint32_t serial)
{
	uint8_t *b = buf + sizeof(struct vgp_req_hdr);
	size_t len = 0;

	memset(buf, 0, VGP_MAX_REQUEST);
	switch (code) {
	case VGP_SET_MODE: {
		struct vgp_set_mode m = {1, 1024, 768, 0};
		memcpy(b, &m, len = sizeof(m));
		break;
	}
	case VGP_CREATE_SURFACE: {
		struct vgp_create_surface s = {
			VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE |
				VGP_SURFACE_RESTRICT_SHARED_ACCESS,
			0,
			0,
			0,
			VGP_FORMAT_XRGB8888,
			0,
			2,
			0};
		struct vgp_access_entry e[2] = {{VGP_ACL_UID, 1000},
						{VGP_ACL_PID, 4242}};
		memcpy(b, &s, sizeof(s));
		memcpy(b + sizeof(s), e, sizeof(e));
		len = sizeof(s) + sizeof(e);
		break;
	}
	case VGP_OPEN_SURFACE: {
		struct vgp_open_surface o = {0x1234567890abcdefull,
					     VGP_OPEN_READ, 0};
		memcpy(b, &o, len = sizeof(o));
		break;
	}
	case VGP_CLOSE_SURFACE:
	case VGP_SWAP_BUFFERS: {
		struct vgp_surface_ref r = {7, 0};
		memcpy(b, &r, len = sizeof(r));
		break;
	}
	case VGP_DRAW_PIXEL:
	case VGP_CLEAR_PIXEL: {
		struct vgp_pixel p = {7, -3, 5,
				      code == VGP_DRAW_PIXEL ? 0xff0000u : 0};
		memcpy(b, &p, len = sizeof(p));
		break;
	}
	case VGP_DRAW_LINE: {
		struct vgp_line l = {7, -2000000000, 5, 2000000000, 7, 0xff00};
		memcpy(b, &l, len = sizeof(l));
		break;
	}
	case VGP_DRAW_RECT:
	case VGP_FILL_RECT: {
		struct vgp_rect r = {7, -5, 10, 40, 20, 0xff};
		memcpy(b, &r, len = sizeof(r));
		break;
	}
	case VGP_CLEAR: {
		struct vgp_clear c = {7, 0x123456};
		memcpy(b, &c, len = sizeof(c));
		break;
	}
	case VGP_BLIT: {
		struct vgp_blit bl = {7, 64, 0, 3, 4, 16, 64};
		memcpy(b, &bl, len = sizeof(bl));
		break;
	}
	case VGP_PRESENT_DAMAGE: {
		struct vgp_present_damage d = {7, 2};
		struct vgp_damage_rect r[2] = {{0, 0, 10, 10}, {-5, 3, 0, 7}};
		memcpy(b, &d, sizeof(d));
		memcpy(b + sizeof(d), r, sizeof(r));
		len = sizeof(d) + sizeof(r);
		break;
	}
	case VGP_GET_BUFFER: {
		struct vgp_get_buffer g = {0, 0};
		memcpy(b, &g, len = sizeof(g));
		break;
	}
	case VGP_SUBSCRIBE_INPUT: {
		struct vgp_subscribe_input s = {0, VGP_INPUT_ALL};
		memcpy(b, &s, len = sizeof(s));
		break;
	}
	case VGP_POST_INPUT: {
		struct vgp_post_input p = {0, VGP_INPUT_BUTTON, -7, 9, 1, 1};
		memcpy(b, &p, len = sizeof(p));
		break;
	}
	case VGP_SUBSCRIBE_PRESENT: {
		struct vgp_subscribe_present s = {0, 1};
		memcpy(b, &s, len = sizeof(s));
		break;
	}
	default:
		break;
	}
	struct vgp_req_hdr h = {code, (uint32_t)(sizeof(h) + len), serial,
				VGP_VERSION_MAJOR, 0};
	memcpy(buf, &h, sizeof(h));
	return sizeof(h) + len;
}

/* A memfd of `size` bytes, sealed against shrinking when `sealed`. */
static inline int proto_memfd(size_t size, int sealed)
{
	int fd = memfd_create("proto-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) != 0 ||
	    (sealed && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) != 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif
