// SPDX-License-Identifier: MIT
/*
 * The request decoder (decode.h).  Order of checks, so that a record gets
 * the most specific answer its bytes allow: header present, version,
 * framing (length field against bytes received and the limit), header
 * pad, code, fd count for the code's method, body size for the code,
 * field values, and last the fd's kind (the only system calls).
 */
#include "decode.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#ifndef F_GET_SEALS
#define F_GET_SEALS 1034
#define F_SEAL_SHRINK 0x0002
#endif

struct code_desc {
	uint32_t code;
	uint32_t fixed; /* body bytes before the counted tail */
	uint32_t elem;	/* bytes of one tail element, 0: no tail */
};

static const struct code_desc codes[] = {
	{VGP_GET_INFO, 0, 0},
	{VGP_SET_MODE, sizeof(struct vgp_set_mode), 0},
	{VGP_CREATE_SURFACE, sizeof(struct vgp_create_surface),
	 sizeof(struct vgp_access_entry)},
	{VGP_OPEN_SURFACE, sizeof(struct vgp_open_surface), 0},
	{VGP_CLOSE_SURFACE, sizeof(struct vgp_surface_ref), 0},
	{VGP_DRAW_PIXEL, sizeof(struct vgp_pixel), 0},
	{VGP_CLEAR_PIXEL, sizeof(struct vgp_pixel), 0},
	{VGP_DRAW_LINE, sizeof(struct vgp_line), 0},
	{VGP_DRAW_RECT, sizeof(struct vgp_rect), 0},
	{VGP_FILL_RECT, sizeof(struct vgp_rect), 0},
	{VGP_CLEAR, sizeof(struct vgp_clear), 0},
	{VGP_BLIT, sizeof(struct vgp_blit), 0},
	{VGP_PRESENT_DAMAGE, sizeof(struct vgp_present_damage),
	 sizeof(struct vgp_damage_rect)},
	{VGP_GET_BUFFER, sizeof(struct vgp_get_buffer), 0},
	{VGP_SWAP_BUFFERS, sizeof(struct vgp_surface_ref), 0},
	{VGP_SUBSCRIBE_INPUT, sizeof(struct vgp_subscribe_input), 0},
	{VGP_POST_INPUT, sizeof(struct vgp_post_input), 0},
	{VGP_SUBSCRIBE_PRESENT, sizeof(struct vgp_subscribe_present), 0},
};

static const struct code_desc *find_code(uint32_t code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

long vgp_body_fixed_size(uint32_t code)
{
	const struct code_desc *d = find_code(code);
	return d ? (long)d->fixed : -1;
}

const char *vgp_status_name(uint32_t status)
{
	static const char *const names[VGP_STATUS_COUNT] = {
		[VGP_OK] = "VGP_OK",
		[VGP_E_BAD_REQUEST] = "VGP_E_BAD_REQUEST",
		[VGP_E_UNKNOWN_CODE] = "VGP_E_UNKNOWN_CODE",
		[VGP_E_VERSION_MISMATCH] = "VGP_E_VERSION_MISMATCH",
		[VGP_E_BAD_FD] = "VGP_E_BAD_FD",
		[VGP_E_ACCESS_DENIED] = "VGP_E_ACCESS_DENIED",
		[VGP_E_NO_SUCH_SURFACE] = "VGP_E_NO_SUCH_SURFACE",
		[VGP_E_NO_MEMORY] = "VGP_E_NO_MEMORY",
		[VGP_E_NO_DEVICE_RESOURCES] = "VGP_E_NO_DEVICE_RESOURCES",
		[VGP_E_INVALID_VIDPN_SOURCEID] = "VGP_E_INVALID_VIDPN_SOURCEID",
		[VGP_E_INVALID_DISPLAY_FREQUENCY] =
			"VGP_E_INVALID_DISPLAY_FREQUENCY",
		[VGP_E_INVALID_ALLOCATION_USAGE] =
			"VGP_E_INVALID_ALLOCATION_USAGE",
		[VGP_E_OUT_OF_RANGE] = "VGP_E_OUT_OF_RANGE",
		[VGP_E_LIMIT] = "VGP_E_LIMIT",
		[VGP_E_DEVICE] = "VGP_E_DEVICE",
		[VGP_E_TRUNCATED] = "VGP_E_TRUNCATED",
		[VGP_E_OVERSIZED] = "VGP_E_OVERSIZED",
	};
	if (status < VGP_STATUS_COUNT && names[status])
		return names[status];
	return "VGP_E_(unknown)";
}

enum vgp_status vgp_check_memfd(int fd, uint64_t *size)
{
	struct stat st;

	/* Only shmem files (memfd_create) answer F_GET_SEALS; pipes, sockets,
	 * ttys and ordinary files say EINVAL.  Without F_SEAL_SHRINK the
	 * client could truncate the file under our mapping: SIGBUS. */
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return VGP_E_BAD_FD;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK) || st.st_size < 0)
		return VGP_E_BAD_FD;
	*size = (uint64_t)st.st_size;
	return VGP_OK;
}

static int dim_ok(uint32_t v)
{
	return v >= 1 && v <= VGP_MAX_DIM;
}

static enum vgp_status check_create(struct vgp_request *req,
				    const uint8_t *body, size_t len)
{
	struct vgp_create_surface *s = &req->u.create.s;

	memcpy(s, body, sizeof(*s));
	if (s->naccess > VGP_MAX_ACCESS)
		return VGP_E_OUT_OF_RANGE;
	if (len != sizeof(*s) + s->naccess * sizeof(struct vgp_access_entry))
		return VGP_E_BAD_REQUEST;
	if (s->pad)
		return VGP_E_BAD_REQUEST;
	/* 0 x 0 asks for the head's mode (a PRIMARY only: the rules say). */
	if (!(s->width == 0 && s->height == 0) &&
	    !(dim_ok(s->width) && dim_ok(s->height)))
		return VGP_E_OUT_OF_RANGE;
	if (s->format != VGP_FORMAT_XRGB8888 &&
	    s->format != VGP_FORMAT_ARGB8888)
		return VGP_E_BAD_REQUEST;
	memcpy(req->u.create.access, body + sizeof(*s),
	       s->naccess * sizeof(struct vgp_access_entry));
	for (uint32_t i = 0; i < s->naccess; i++) {
		uint32_t k = req->u.create.access[i].kind;
		if (k != VGP_ACL_UID && k != VGP_ACL_PID)
			return VGP_E_BAD_REQUEST;
	}
	return VGP_OK;
}

static enum vgp_status check_damage(struct vgp_request *req,
				    const uint8_t *body, size_t len)
{
	struct vgp_present_damage *d = &req->u.damage.d;

	memcpy(d, body, sizeof(*d));
	if (d->handle == VGP_HANDLE_NONE)
		return VGP_E_NO_SUCH_SURFACE;
	if (d->nrects < 1 || d->nrects > VGP_MAX_DAMAGE)
		return VGP_E_OUT_OF_RANGE;
	if (len != sizeof(*d) + d->nrects * sizeof(struct vgp_damage_rect))
		return VGP_E_BAD_REQUEST;
	memcpy(req->u.damage.rects, body + sizeof(*d),
	       d->nrects * sizeof(struct vgp_damage_rect));
	for (uint32_t i = 0; i < d->nrects; i++)
		if (req->u.damage.rects[i].width < 0 ||
		    req->u.damage.rects[i].height < 0)
			return VGP_E_BAD_REQUEST;
	return VGP_OK;
}

static enum vgp_status check_blit(struct vgp_request *req, int fd)
{
	const struct vgp_blit *b = &req->u.blit;
	enum vgp_status st;

	if (b->handle == VGP_HANDLE_NONE)
		return VGP_E_NO_SUCH_SURFACE;
	if (!dim_ok(b->width) || !dim_ok(b->height))
		return VGP_E_OUT_OF_RANGE;
	if (b->src_pitch < 4 * b->width)
		return VGP_E_BAD_REQUEST;
	st = vgp_check_memfd(fd, &req->fd_size);
	if (st != VGP_OK)
		return st;
	/* < 2^14 * 2^32 + 2^16: no overflow in 64 bits. */
	uint64_t need =
		(uint64_t)(b->height - 1) * b->src_pitch + 4ull * b->width;
	if (b->src_offset > req->fd_size || need > req->fd_size - b->src_offset)
		return VGP_E_OUT_OF_RANGE;
	req->fd = fd;
	return VGP_OK;
}

/* An input event as the poster describes it (protocol.h, POST_INPUT):
 * exactly one kind, and only the fields that kind has. */
static enum vgp_status check_post_input(const struct vgp_post_input *p)
{
	if (p->state > 1)
		return VGP_E_BAD_REQUEST;
	switch (p->kind) {
	case VGP_INPUT_BUTTON:
		if (p->button < 1 || p->button > 3)
			return VGP_E_BAD_REQUEST;
		break;
	case VGP_INPUT_MOTION:
		if (p->button || p->state)
			return VGP_E_BAD_REQUEST;
		break;
	case VGP_INPUT_KEY:
		break;
	default:
		return VGP_E_BAD_REQUEST;
	}
	if (p->head >= VGP_MAX_HEADS)
		return VGP_E_OUT_OF_RANGE;
	return VGP_OK;
}

/* Field checks of the fixed-size bodies, already copied into req->u. */
static enum vgp_status check_fixed(struct vgp_request *req)
{
	switch (req->code) {
	case VGP_GET_INFO:
		return VGP_OK;
	case VGP_SET_MODE:
		if (req->u.set_mode.head >= VGP_MAX_HEADS ||
		    !dim_ok(req->u.set_mode.width) ||
		    !dim_ok(req->u.set_mode.height))
			return VGP_E_OUT_OF_RANGE;
		return VGP_OK;
	case VGP_OPEN_SURFACE:
		if (req->u.open.pad)
			return VGP_E_BAD_REQUEST;
		if (req->u.open.mode == 0 ||
		    (req->u.open.mode & ~(VGP_OPEN_READ | VGP_OPEN_WRITE)))
			return VGP_E_BAD_REQUEST;
		if (req->u.open.name == 0)
			return VGP_E_NO_SUCH_SURFACE;
		return VGP_OK;
	case VGP_CLOSE_SURFACE:
	case VGP_SWAP_BUFFERS:
		if (req->u.ref.pad)
			return VGP_E_BAD_REQUEST;
		break;
	case VGP_CLEAR_PIXEL:
		if (req->u.pixel.color != 0) /* to black, nothing else */
			return VGP_E_BAD_REQUEST;
		break;
	case VGP_DRAW_PIXEL:
	case VGP_DRAW_LINE:
	case VGP_CLEAR:
		break;
	case VGP_DRAW_RECT:
	case VGP_FILL_RECT:
		if (req->u.rect.width < 0 || req->u.rect.height < 0)
			return VGP_E_BAD_REQUEST;
		break;
	case VGP_GET_BUFFER:
		if (req->u.get_buffer.pad)
			return VGP_E_BAD_REQUEST;
		if (req->u.get_buffer.head >= VGP_MAX_HEADS)
			return VGP_E_OUT_OF_RANGE;
		return VGP_OK;
	case VGP_SUBSCRIBE_INPUT:
		if (req->u.subscribe.mask & ~VGP_SUBSCRIBE_ALL)
			return VGP_E_BAD_REQUEST;
		if (req->u.subscribe.head >= VGP_MAX_HEADS)
			return VGP_E_OUT_OF_RANGE;
		return VGP_OK;
	case VGP_POST_INPUT:
		return check_post_input(&req->u.post_input);
	case VGP_SUBSCRIBE_PRESENT:
		if (req->u.sub_present.enable > 1)
			return VGP_E_BAD_REQUEST;
		if (req->u.sub_present.head >= VGP_MAX_HEADS)
			return VGP_E_OUT_OF_RANGE;
		return VGP_OK;
	default:
		return VGP_E_UNKNOWN_CODE;
	}
	/* Every surface request's body starts with its handle. */
	if (req->u.ref.handle == VGP_HANDLE_NONE)
		return VGP_E_NO_SUCH_SURFACE;
	return VGP_OK;
}

enum vgp_status vgp_decode(const void *buf, size_t n, const int *fds,
			   size_t nfds, struct vgp_request *req)
{
	const uint8_t *p = buf;
	struct vgp_req_hdr h;

	memset(req, 0, sizeof(*req));
	req->fd = -1;
	if (n < sizeof(h))
		return VGP_E_TRUNCATED;
	memcpy(&h, p, sizeof(h));
	req->code = h.code;
	req->serial = h.serial;
	if (h.version != VGP_VERSION_MAJOR)
		return VGP_E_VERSION_MISMATCH;
	if (n > VGP_MAX_REQUEST)
		return VGP_E_OVERSIZED;
	if (h.length < sizeof(h))
		return VGP_E_BAD_REQUEST;
	if (n < h.length)
		return VGP_E_TRUNCATED;
	if (n > h.length)
		return VGP_E_OVERSIZED;
	if (h.pad)
		return VGP_E_BAD_REQUEST;

	const struct code_desc *d = find_code(h.code);
	if (!d)
		return VGP_E_UNKNOWN_CODE;
	size_t want_fds =
		VGP_CTL_METHOD(h.code) == VGP_METHOD_IN_DIRECT ? 1 : 0;
	if (nfds != want_fds)
		return VGP_E_BAD_FD;

	const uint8_t *body = p + sizeof(h);
	size_t len = h.length - sizeof(h);
	if (d->elem) {
		if (len < d->fixed)
			return VGP_E_BAD_REQUEST;
		if (h.code == VGP_CREATE_SURFACE)
			return check_create(req, body, len);
		return check_damage(req, body, len);
	}
	if (len != d->fixed)
		return VGP_E_BAD_REQUEST;
	memcpy(&req->u, body, len);
	if (h.code == VGP_BLIT)
		return check_blit(req, fds[0]);
	return check_fixed(req);
}
