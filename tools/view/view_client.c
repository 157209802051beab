// SPDX-License-Identifier: MIT
/* viogpu-view's requests to viogpud (view_client.h). */
#include "view_client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void on_present(void *ctx, const struct vgp_present_event *ev)
{
	struct view_front *f = ctx;
	struct view_rect r = {ev->x, ev->y, (int64_t)ev->x + ev->width,
			      (int64_t)ev->y + ev->height};

	if (ev->head != f->head)
		return;
	if (ev->head_width != f->w || ev->head_height != f->h)
		r = (struct view_rect){0, 0, ev->head_width, ev->head_height};
	if (!f->pending) {
		f->damage = r;
		f->pending = true;
		return;
	}
	if (r.x0 < f->damage.x0)
		f->damage.x0 = r.x0;
	if (r.y0 < f->damage.y0)
		f->damage.y0 = r.y0;
	if (r.x1 > f->damage.x1)
		f->damage.x1 = r.x1;
	if (r.y1 > f->damage.y1)
		f->damage.y1 = r.y1;
}

/* GET_BUFFER, with the reply checked (the daemon is trusted no more than
 * it must be: a size that does not match the fd would fault the copy). */
static int get_front(struct view_front *f, const uint32_t **px, size_t *size,
		     struct vgp_buffer_reply *br)
{
	struct vgp_get_buffer g = {f->head, 0};
	struct stat st;
	size_t got;
	int fd = -1;
	int rc = vgp_client_call(f->c, VGP_GET_BUFFER, &g, sizeof(g), -1, br,
				 sizeof(*br), &got, &fd);

	if (rc != VGP_OK) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (got != sizeof(*br) || fd < 0 || br->width < 1 || br->height < 1 ||
	    br->width > VGP_MAX_DIM || br->height > VGP_MAX_DIM ||
	    br->pitch != 4 * br->width ||
	    br->size < (uint64_t)br->pitch * br->height ||
	    br->format != VGP_FORMAT_XRGB8888 || fstat(fd, &st) != 0 ||
	    (uint64_t)st.st_size < br->size) {
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	void *m = mmap(NULL, br->size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -errno;
	*px = m;
	*size = br->size;
	return VGP_OK;
}

int view_front_refresh(struct view_front *f, struct view_rect *changed,
		       bool *resized)
{
	struct vgp_buffer_reply br;
	const uint32_t *snap = NULL;
	size_t size = 0;
	/* Every event that arrives before the reply was sent before the
	 * snapshot was taken (the daemon is one thread, its records
	 * ordered): the snapshot holds all of them, so the damage taken
	 * after the call is what to copy. */
	int rc = get_front(f, &snap, &size, &br);

	*resized = false;
	if (rc != VGP_OK)
		return rc;
	struct view_rect r = f->damage;
	if (br.width != f->w || br.height != f->h || !f->px) {
		uint32_t *px = malloc((size_t)br.width * br.height * 4);
		if (!px) {
			munmap((void *)snap, size);
			return -ENOMEM;
		}
		free(f->px);
		f->px = px;
		f->w = br.width;
		f->h = br.height;
		r = (struct view_rect){0, 0, f->w, f->h};
		*resized = true;
	}
	f->pending = false;
	if (r.x0 < 0)
		r.x0 = 0;
	if (r.y0 < 0)
		r.y0 = 0;
	if (r.x1 > f->w)
		r.x1 = f->w;
	if (r.y1 > f->h)
		r.y1 = f->h;
	for (int64_t y = r.y0; y < r.y1; y++)
		memcpy(f->px + (size_t)y * f->w + r.x0,
		       snap + (size_t)y * (br.pitch / 4) + r.x0,
		       4 * (size_t)(r.x1 - r.x0));
	munmap((void *)snap, size);
	*changed = r;
	return VGP_OK;
}

int view_front_open(struct view_front *f, struct vgp_client *c, uint32_t head)
{
	struct vgp_subscribe_present sp = {head, 1};
	struct view_rect r;
	bool resized;
	int rc;

	memset(f, 0, sizeof(*f));
	f->c = c;
	f->head = head;
	vgp_client_set_present_handler(c, on_present, f);
	/* Subscribed before the first read: no change falls between. */
	rc = vgp_client_call(c, VGP_SUBSCRIBE_PRESENT, &sp, sizeof(sp), -1,
			     NULL, 0, NULL, NULL);
	if (rc != VGP_OK)
		return rc;
	return view_front_refresh(f, &r, &resized);
}

void view_front_close(struct view_front *f)
{
	if (f->c)
		vgp_client_set_present_handler(f->c, NULL, NULL);
	free(f->px);
	memset(f, 0, sizeof(*f));
}

int view_front_pump(struct view_front *f)
{
	for (;;) {
		struct pollfd p = {vgp_client_fd(f->c), POLLIN, 0};
		int n = poll(&p, 1, 0);
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		if (n == 0)
			return 0;
		struct vgp_reply_hdr h;
		uint8_t body[VGP_MAX_REPLY];
		size_t len;
		int fd;
		int rc = vgp_client_recv(f->c, &h, body, sizeof(body), &len,
					 &fd);
		if (rc)
			return rc;
		if (fd >= 0)
			close(fd);
		/* Between calls only events may come. */
		if (!vgp_client_dispatch_event(f->c, &h, body, len))
			return -EPROTO;
	}
}

int view_draw(struct vgp_client *c, uint32_t head, const struct view_op *ops,
	      size_t n)
{
	struct vgp_create_surface cs = {
		.flags = VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE,
		.source_id = head,
		.format = VGP_FORMAT_XRGB8888,
	};
	struct vgp_surface_reply sr;
	size_t got;
	int fd = -1;
	int rc = vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), -1,
				 &sr, sizeof(sr), &got, &fd);

	if (fd >= 0)
		close(fd); /* drawing goes through requests */
	if (rc != VGP_OK)
		return rc;
	if (got != sizeof(sr))
		return -EPROTO;
	for (size_t i = 0; i < n && rc == VGP_OK; i++) {
		if (ops[i].code == VGP_CLEAR_PIXEL) {
			struct vgp_pixel p = {sr.handle, ops[i].x1, ops[i].y1,
					      0};
			rc = vgp_client_call(c, VGP_CLEAR_PIXEL, &p, sizeof(p),
					     -1, NULL, 0, NULL, NULL);
		} else {
			struct vgp_line l = {sr.handle, ops[i].x1,
					     ops[i].y1, ops[i].x2,
					     ops[i].y2, ops[i].color};
			rc = vgp_client_call(c, VGP_DRAW_LINE, &l, sizeof(l),
					     -1, NULL, 0, NULL, NULL);
		}
	}
	struct vgp_surface_ref ref = {sr.handle, 0};
	if (rc == VGP_OK)
		rc = vgp_client_call(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref), -1,
				     NULL, 0, NULL, NULL);
	/* Closed cleanly even after a failure: the head is free again, and
	 * keeps the last swapped frame. */
	int rc2 = vgp_client_call(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref), -1,
				  NULL, 0, NULL, NULL);
	return rc != VGP_OK ? rc : rc2;
}

int view_post_input(struct vgp_client *c, uint32_t head, uint32_t kind,
		    int32_t x, int32_t y, uint32_t button, uint32_t state)
{
	struct vgp_post_input p = {head, kind, x, y, button, state};

	return vgp_client_call(c, VGP_POST_INPUT, &p, sizeof(p), -1, NULL, 0,
			       NULL, NULL);
}

const char *view_status_text(int st)
{
	static const char *const names[VGP_STATUS_COUNT] = {
		[VGP_OK] = "done",
		[VGP_E_BAD_REQUEST] = "malformed request",
		[VGP_E_UNKNOWN_CODE] = "unknown request (viogpud < 1.1?)",
		[VGP_E_VERSION_MISMATCH] = "protocol version mismatch",
		[VGP_E_BAD_FD] = "bad file descriptor",
		[VGP_E_ACCESS_DENIED] = "access denied",
		[VGP_E_NO_SUCH_SURFACE] = "no such surface",
		[VGP_E_NO_MEMORY] = "out of memory",
		[VGP_E_NO_DEVICE_RESOURCES] = "out of device resources",
		[VGP_E_INVALID_VIDPN_SOURCEID] = "no such head",
		[VGP_E_INVALID_DISPLAY_FREQUENCY] = "bad refresh rate",
		[VGP_E_INVALID_ALLOCATION_USAGE] = "bad surface flags",
		[VGP_E_OUT_OF_RANGE] = "out of range",
		[VGP_E_LIMIT] = "limit reached",
		[VGP_E_DEVICE] = "the device failed",
		[VGP_E_TRUNCATED] = "truncated request",
		[VGP_E_OVERSIZED] = "oversized request",
	};
	static char buf[96];

	if (st < 0)
		return strerror(-st);
	if (st < VGP_STATUS_COUNT && names[st])
		return names[st];
	snprintf(buf, sizeof(buf), "status %d", st);
	return buf;
}
