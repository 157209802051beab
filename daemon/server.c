/* SPDX-License-Identifier: MIT */
/* viogpud's requests over the server library (src/server) and the driver. */
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "draw.h"
#include "handles.h"
#include "io.h"
#include "shm.h"
#include "surface_rules.h"
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/present.h"
#include "viogpu/protocol.h"
#include "viogpu/status.h"
#include "viogpu/surface.h"
#include "viogpu/types.h"

/* A surface: its back buffer is the memfd shared with its clients. */
struct surface {
	struct surface *next; /* srv.surfaces */
	struct vgp_shm shm;
	struct vgp_surface_acl acl;
	uint32_t format;
	int head;      /* the head a PRIMARY surface holds, else -1 */
	uint64_t name; /* share name, 0 when not shared or released */
	unsigned refs; /* handles on it, the creator's included */
	bool released; /* its creator closed it or went away */
	bool damaged;  /* damage since the last swap: [x0,x1) x [y0,y1) */
	uint32_t x0, y0, x1, y1;
	uint32_t *prev; /* a PRIMARY's head content from before it held it */
	uint32_t prev_w, prev_h;
};

/* One handle of a connection: a surface and how it was opened. */
struct opening {
	struct surface *sf;
	uint32_t mode; /* VGP_OPEN_* */
	bool creator;  /* the handle CREATE_SURFACE gave: dropping it
			  releases the surface */
};

struct conn {
	int fd; /* -1: free slot */
	struct vgp_client_id id;
	uint32_t sub_mask[VGP_MAX_HEADS]; /* SUBSCRIBE_INPUT */
	uint32_t present_heads;		  /* SUBSCRIBE_PRESENT: bit per head */
	struct vgp_handles handles;
};

struct srv {
	struct vg_gpu *gpu;
	int verbose;
	uint64_t next_conn;
	struct conn conns[SRV_MAX_CONNS];
	struct surface *surfaces;
	struct surface *held[VGP_MAX_HEADS]; /* primary on each head */
	uint64_t present_seq[VGP_MAX_HEADS]; /* front-buffer changes */
	bool off[VGP_MAX_HEADS]; /* switched off by the resolution service */
};

static uint64_t random64(void)
{
	uint64_t v = 0;

	while (getrandom(&v, sizeof(v), 0) != sizeof(v))
		;
	return v;
}

static uint32_t num_heads(const struct srv *s)
{
	struct vg_gpu_info info;

	vg_gpu_get_info(s->gpu, &info);
	return info.num_scanouts < VGP_MAX_HEADS ? info.num_scanouts
						 : VGP_MAX_HEADS;
}

struct srv *srv_create(struct vg_gpu *gpu, int verbose)
{
	struct srv *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->gpu = gpu;
	s->verbose = verbose;
	for (unsigned i = 0; i < SRV_MAX_CONNS; i++)
		s->conns[i].fd = -1;
	return s;
}

static struct conn *conn_of_fd(struct srv *s, int fd)
{
	for (unsigned i = 0; i < SRV_MAX_CONNS; i++)
		if (s->conns[i].fd == fd)
			return &s->conns[i];
	return NULL;
}

/* ---- surfaces ---------------------------------------------------------- */

static void damage_add(struct surface *sf, int64_t x, int64_t y, int64_t w,
		       int64_t h)
{
	int64_t x1 = x + w, y1 = y + h;

	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x1 > sf->shm.width)
		x1 = sf->shm.width;
	if (y1 > sf->shm.height)
		y1 = sf->shm.height;
	if (x >= x1 || y >= y1)
		return;
	if (!sf->damaged) {
		sf->x0 = (uint32_t)x, sf->y0 = (uint32_t)y;
		sf->x1 = (uint32_t)x1, sf->y1 = (uint32_t)y1;
		sf->damaged = true;
		return;
	}
	if (x < sf->x0)
		sf->x0 = (uint32_t)x;
	if (y < sf->y0)
		sf->y0 = (uint32_t)y;
	if (x1 > sf->x1)
		sf->x1 = (uint32_t)x1;
	if (y1 > sf->y1)
		sf->y1 = (uint32_t)y1;
}

static void post_present(struct srv *s, uint32_t head, uint32_t x0, uint32_t y0,
			 uint32_t x1, uint32_t y1);

/* Copies rows [y0,y1) x [x0,x1) of src (pitch sp) to dst (pitch dp). */
static void copy_rect(uint32_t *dst, size_t dp, const uint32_t *src, size_t sp,
		      uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
	for (uint32_t y = y0; y < y1; y++)
		memcpy((char *)dst + y * dp + 4 * (size_t)x0,
		       (const char *)src + y * sp + 4 * (size_t)x0,
		       4 * (size_t)(x1 - x0));
}

/* Shows [x0,x1) x [y0,y1) of a primary's back buffer on its head: the
 * rows are copied into the head's framebuffer (guest memory the device
 * reads only on a transfer), then one present transfers and flushes
 * them, so the scanout changes from the old frame to the new in one
 * flush.  After a followed display change (viogpud --follow) the head's
 * mode may differ from the surface's size: the overlap shows, top-left
 * (protocol.h, VGP_EVENT_DISPLAY). */
static enum vgp_status show_rect(struct srv *s, struct surface *sf, uint32_t x0,
				 uint32_t y0, uint32_t x1, uint32_t y1)
{
	struct vg_fb *fb = vg_gpu_head_fb(s->gpu, (uint32_t)sf->head);

	if (!fb)
		return VGP_E_DEVICE;
	if (x1 > vg_fb_width(fb))
		x1 = vg_fb_width(fb);
	if (y1 > vg_fb_height(fb))
		y1 = vg_fb_height(fb);
	if (x0 >= x1 || y0 >= y1)
		return VGP_OK; /* all of it is outside the head's mode */
	copy_rect(vg_fb_pixels(fb), vg_fb_stride(fb), sf->shm.pixels,
		  sf->shm.pitch, x0, y0, x1, y1);
	struct vg_rect r = {x0, y0, x1 - x0, y1 - y0};
	return vg_gpu_present(s->gpu, fb, &r, 1) == VG_OK ? VGP_OK
							  : VGP_E_DEVICE;
}

/* The creator let go: withdraw the name, give the head back (restoring
 * what it showed before when `restore`). */
static void surface_release(struct srv *s, struct surface *sf, bool restore)
{
	if (sf->released)
		return;
	sf->released = true;
	sf->name = 0;
	/* Restricted content left on a head nobody holds would be anyone's
	 * to read (GET_BUFFER, the viewer): it never outlives its holder. */
	if (sf->acl.flags & VGP_SURFACE_RESTRICTED_CONTENT)
		restore = true;
	if (sf->head >= 0 && s->held[sf->head] == sf) {
		struct vg_fb *fb = vg_gpu_head_fb(s->gpu, (uint32_t)sf->head);
		if (restore && sf->prev && fb &&
		    vg_fb_width(fb) == sf->prev_w &&
		    vg_fb_height(fb) == sf->prev_h) {
			copy_rect(vg_fb_pixels(fb), vg_fb_stride(fb), sf->prev,
				  4 * (size_t)sf->prev_w, 0, 0, sf->prev_w,
				  sf->prev_h);
			if (vg_gpu_present(s->gpu, fb, NULL, 0) != VG_OK)
				fprintf(stderr,
					"viogpud: head %d: restoring its "
					"previous content failed\n",
					sf->head);
			s->held[sf->head] = NULL;
			post_present(s, (uint32_t)sf->head, 0, 0, sf->prev_w,
				     sf->prev_h);
		}
		s->held[sf->head] = NULL;
	}
	free(sf->prev);
	sf->prev = NULL;
}

static void surface_unref(struct srv *s, struct surface *sf)
{
	if (--sf->refs)
		return;
	for (struct surface **p = &s->surfaces; *p; p = &(*p)->next)
		if (*p == sf) {
			*p = sf->next;
			break;
		}
	vgp_shm_destroy(&sf->shm);
	free(sf);
}

/* Drops one handle's opening; the creator's drop releases the surface. */
static void opening_drop(struct srv *s, struct opening *o, bool restore)
{
	struct surface *sf = o->sf;

	if (o->creator)
		surface_release(s, sf, restore);
	free(o);
	surface_unref(s, sf);
}

static void heads_view(struct srv *s, struct vgp_heads_view *v)
{
	memset(v, 0, sizeof(*v));
	v->count = num_heads(s);
	for (uint32_t h = 0; h < v->count; h++) {
		struct vg_fb *fb = vg_gpu_head_fb(s->gpu, h);
		if (fb && !s->off[h]) {
			v->head[h].width = vg_fb_width(fb);
			v->head[h].height = vg_fb_height(fb);
		}
	}
}

/* ---- connections ------------------------------------------------------- */

bool srv_add_conn(struct srv *s, int fd, uid_t uid, pid_t pid)
{
	struct conn *c = conn_of_fd(s, -1);

	if (!c) {
		close(fd);
		return false;
	}
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->id.conn = ++s->next_conn;
	c->id.uid = (uint32_t)uid;
	c->id.pid = (uint32_t)pid;
	vgp_handles_init(&c->handles, (uint32_t)random64(),
			 SRV_MAX_SURFACES_PER_CONN, SRV_MAX_BYTES_PER_CONN);
	if (s->verbose)
		fprintf(stderr,
			"viogpud: client %llu (uid %u pid %u) connected\n",
			(unsigned long long)c->id.conn, c->id.uid, c->id.pid);
	return true;
}

/* A client that left, broke the framing or stopped reading: its surfaces
 * are released (heads restored) and its socket closed. */
static void conn_drop(struct srv *s, struct conn *c, const char *why)
{
	struct opening *o;

	/* A leaving client gets no more events (its surfaces' release below
	 * posts some). */
	c->present_heads = 0;
	memset(c->sub_mask, 0, sizeof(c->sub_mask));
	if (s->verbose || why)
		fprintf(stderr, "viogpud: client %llu (pid %u) %s\n",
			(unsigned long long)c->id.conn, c->id.pid,
			why ? why : "left");
	while ((o = vgp_handles_pop(&c->handles)))
		opening_drop(s, o, true);
	close(c->fd);
	c->fd = -1;
}

unsigned srv_poll_fds(const struct srv *s, int *fds)
{
	unsigned n = 0;

	for (unsigned i = 0; i < SRV_MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			fds[n++] = s->conns[i].fd;
	return n;
}

void srv_destroy(struct srv *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < SRV_MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_drop(s, &s->conns[i], NULL);
	free(s);
}

/* ---- requests ---------------------------------------------------------- */

/* What one request answers: status, body, fd (owned by the reply). */
struct reply {
	uint32_t status;
	size_t len;
	int fd;
	union {
		struct vgp_info info;
		struct vgp_surface_reply surface;
		struct vgp_buffer_reply buffer;
	} u;
};

static enum vgp_status do_get_info(struct srv *s, struct reply *r)
{
	struct vgp_info *in = &r->u.info;
	struct vg_mode modes[VGP_MAX_MODES];

	memset(in, 0, sizeof(*in));
	in->version_major = VGP_VERSION_MAJOR;
	in->version_minor = VGP_VERSION_MINOR;
	in->nheads = num_heads(s);
	in->formats = (1u << VGP_FORMAT_XRGB8888) | (1u << VGP_FORMAT_ARGB8888);
	for (uint32_t h = 0; h < in->nheads; h++) {
		struct vgp_head_info *hi = &in->heads[h];
		struct vg_display d;
		struct vg_fb *fb = vg_gpu_head_fb(s->gpu, h);
		unsigned count = 0;

		hi->id = h;
		if (vg_gpu_get_display(s->gpu, h, &d) == VG_OK)
			hi->connected = d.enabled ? 1 : 0;
		if (fb && !s->off[h]) {
			hi->width = vg_fb_width(fb);
			hi->height = vg_fb_height(fb);
		}
		if (vg_gpu_list_modes(s->gpu, h, modes, VGP_MAX_MODES,
				      &count) != VG_OK)
			count = 0;
		if (count > VGP_MAX_MODES)
			count = VGP_MAX_MODES;
		hi->nmodes = count;
		for (unsigned m = 0; m < count; m++)
			hi->modes[m] = (struct vgp_mode){
				modes[m].width, modes[m].height,
				modes[m].refresh_mhz, 0};
	}
	r->len = sizeof(*in);
	return VGP_OK;
}

static enum vgp_status do_set_mode(struct srv *s, const struct vgp_set_mode *m)
{
	if (m->head >= num_heads(s))
		return VGP_E_INVALID_VIDPN_SOURCEID;
	/* A primary surface has the head's size; it would no longer fit. */
	if (s->held[m->head])
		return VGP_E_ACCESS_DENIED;
	if (vg_gpu_check_mode(s->gpu, m->head, m->width, m->height) != VG_OK)
		return VGP_E_OUT_OF_RANGE;
	if (vg_gpu_set_mode(s->gpu, m->head, m->width, m->height) != VG_OK)
		return VGP_E_DEVICE;
	post_present(s, m->head, 0, 0, m->width, m->height);
	s->off[m->head] = false; /* the client's mode is on screen */
	return VGP_OK;
}

static enum vgp_status surface_reply(struct reply *r, const struct surface *sf,
				     uint32_t handle, bool with_fd)
{
	r->u.surface = (struct vgp_surface_reply){
		.handle = handle,
		.width = sf->shm.width,
		.height = sf->shm.height,
		.pitch = sf->shm.pitch,
		.format = sf->format,
		.flags = sf->acl.flags,
		.size = with_fd ? sf->shm.size : 0,
		.name = sf->name,
	};
	r->len = sizeof(r->u.surface);
	r->fd = with_fd ? sf->shm.fd : -1;
	return VGP_OK;
}

static enum vgp_status do_create(struct srv *s, struct conn *c,
				 const struct vgp_request *q, struct reply *r)
{
	const struct vgp_create_surface *cs = &q->u.create.s;
	struct vgp_heads_view hv;
	uint32_t w, h, handle;
	enum vgp_status st;

	heads_view(s, &hv);
	st = vgp_surface_check_create(cs, q->u.create.access, &hv, &w, &h);
	if (st != VGP_OK)
		return st;
	bool primary = cs->flags & VGP_SURFACE_PRIMARY;
	/* One primary per head: the head shows one client's frames. */
	if (primary && s->held[cs->source_id])
		return VGP_E_ACCESS_DENIED;
	struct surface *sf = calloc(1, sizeof(*sf));
	struct opening *o = calloc(1, sizeof(*o));
	if (!sf || !o) {
		st = VGP_E_NO_MEMORY;
		goto free_objs;
	}
	st = vgp_shm_create(&sf->shm, w, h);
	if (st != VGP_OK)
		goto free_objs;
	sf->acl.owner = c->id;
	sf->acl.flags = cs->flags;
	sf->acl.naccess = cs->naccess;
	memcpy(sf->acl.access, q->u.create.access,
	       cs->naccess * sizeof(sf->acl.access[0]));
	sf->format = cs->format;
	sf->head = -1;
	sf->refs = 1;
	if (primary) {
		/* The back buffer starts as what the head shows; that is also
		 * what the head gets back when its holder dies. */
		struct vg_fb *fb = vg_gpu_head_fb(s->gpu, cs->source_id);
		sf->prev = malloc(sf->shm.size);
		if (!fb || !sf->prev) {
			st = fb ? VGP_E_NO_MEMORY
				: VGP_E_INVALID_VIDPN_SOURCEID;
			goto destroy_shm;
		}
		sf->prev_w = w, sf->prev_h = h;
		copy_rect(sf->prev, 4 * (size_t)w, vg_fb_pixels(fb),
			  vg_fb_stride(fb), 0, 0, w, h);
		memcpy(sf->shm.pixels, sf->prev, sf->shm.size);
	}
	o->sf = sf;
	o->mode = VGP_OPEN_READ | VGP_OPEN_WRITE;
	o->creator = true;
	st = vgp_handles_add(&c->handles, o, sf->shm.size, &handle);
	if (st != VGP_OK)
		goto destroy_shm;
	if (cs->flags & VGP_SURFACE_SHARED_RESOURCE)
		while (!sf->name)
			sf->name = random64();
	if (primary) {
		sf->head = (int)cs->source_id;
		s->held[cs->source_id] = sf;
	}
	sf->next = s->surfaces;
	s->surfaces = sf;
	return surface_reply(r, sf, handle, true);

destroy_shm:
	free(sf->prev);
	vgp_shm_destroy(&sf->shm);
free_objs:
	free(o);
	free(sf);
	return st;
}

static enum vgp_status do_open(struct srv *s, struct conn *c,
			       const struct vgp_open_surface *op,
			       struct reply *r)
{
	struct surface *sf;
	uint32_t handle;
	enum vgp_status st;

	for (sf = s->surfaces; sf; sf = sf->next)
		if (sf->name && sf->name == op->name)
			break;
	if (!sf)
		return VGP_E_NO_SUCH_SURFACE;
	st = vgp_surface_check_open(&sf->acl, &c->id, op->mode);
	if (st != VGP_OK)
		return st;
	struct opening *o = calloc(1, sizeof(*o));
	if (!o)
		return VGP_E_NO_MEMORY;
	o->sf = sf;
	o->mode = op->mode;
	/* The creator's allowance pays for the memory; an opener's, nothing. */
	st = vgp_handles_add(&c->handles, o, 0, &handle);
	if (st != VGP_OK) {
		free(o);
		return st;
	}
	sf->refs++;
	/* A mapping would be readable: write-only openers of restricted
	 * content draw through requests only (protocol.h). */
	bool with_fd = !(sf->acl.flags & VGP_SURFACE_RESTRICTED_CONTENT) ||
		       sf->acl.owner.conn == c->id.conn;
	return surface_reply(r, sf, handle, with_fd);
}

static enum vgp_status do_get_buffer(struct srv *s, struct conn *c,
				     const struct vgp_get_buffer *g,
				     struct reply *r)
{
	struct vgp_shm snap;
	struct vg_fb *fb;
	enum vgp_status st;

	if (g->head >= num_heads(s))
		return VGP_E_INVALID_VIDPN_SOURCEID;
	fb = vg_gpu_head_fb(s->gpu, g->head);
	if (!fb)
		return VGP_E_INVALID_VIDPN_SOURCEID;
	if (s->held[g->head]) {
		st = vgp_surface_check_read(&s->held[g->head]->acl, &c->id);
		if (st != VGP_OK)
			return st;
	}
	st = vgp_shm_create(&snap, vg_fb_width(fb), vg_fb_height(fb));
	if (st != VGP_OK)
		return st;
	copy_rect(snap.pixels, snap.pitch, vg_fb_pixels(fb), vg_fb_stride(fb),
		  0, 0, snap.width, snap.height);
	r->u.buffer =
		(struct vgp_buffer_reply){snap.width, snap.height, snap.pitch,
					  VGP_FORMAT_XRGB8888, snap.size};
	r->len = sizeof(r->u.buffer);
	/* The reply sends a copy of the fd; ours goes with the mapping. */
	r->fd = dup(snap.fd);
	vgp_shm_destroy(&snap);
	if (r->fd < 0) {
		r->len = 0;
		return VGP_E_NO_MEMORY;
	}
	return VGP_OK;
}

static void do_blit(struct surface *sf, const struct vgp_request *q)
{
	const struct vgp_blit *b = &q->u.blit;
	/* The decoder checked the memfd is sealed against shrinking and
	 * holds the whole source, so this mapping cannot fault. */
	void *map = mmap(NULL, q->fd_size, PROT_READ, MAP_SHARED, q->fd, 0);

	if (map == MAP_FAILED)
		return;
	for (uint32_t row = 0; row < b->height; row++) {
		int64_t y = (int64_t)b->dst_y + row;
		if (y < 0 || y >= sf->shm.height)
			continue;
		const uint32_t *src =
			(const uint32_t *)((const char *)map + b->src_offset +
					   (uint64_t)row * b->src_pitch);
		for (uint32_t col = 0; col < b->width; col++) {
			int64_t x = (int64_t)b->dst_x + col;
			if (x >= 0 && x < sf->shm.width)
				sf->shm.pixels[(size_t)y * (sf->shm.pitch / 4) +
					       (size_t)x] = src[col];
		}
	}
	munmap(map, q->fd_size);
	damage_add(sf, b->dst_x, b->dst_y, b->width, b->height);
}

static enum vgp_status swap(struct srv *s, struct surface *sf)
{
	if (sf->head < 0)
		return VGP_E_BAD_REQUEST; /* only a primary has a front */
	if (!sf->damaged)
		return VGP_OK;
	enum vgp_status st = show_rect(s, sf, sf->x0, sf->y0, sf->x1, sf->y1);
	if (st == VGP_OK) {
		sf->damaged = false;
		post_present(s, (uint32_t)sf->head, sf->x0, sf->y0, sf->x1,
			     sf->y1);
	}
	return st;
}

/* Requests on a surface: looked up in this connection's handles only. */
static enum vgp_status do_surface_op(struct srv *s, struct conn *c,
				     const struct vgp_request *q)
{
	uint32_t handle;

	memcpy(&handle, &q->u, sizeof(handle)); /* every body starts with it */
	struct opening *o = vgp_handles_get(&c->handles, handle);
	if (!o)
		return VGP_E_NO_SUCH_SURFACE;
	struct surface *sf = o->sf;
	if (q->code == VGP_CLOSE_SURFACE) {
		vgp_handles_remove(&c->handles, handle);
		/* A creator that closes cleanly leaves its last swapped frame
		 * on the head; only one that goes away restores. */
		opening_drop(s, o, false);
		return VGP_OK;
	}
	if (sf->released)
		return VGP_E_NO_SUCH_SURFACE;
	enum vgp_status st = vgp_surface_check_code(q->code, o->mode);
	if (st != VGP_OK)
		return st;
	struct vgp_surface_view v = {sf->shm.pixels, sf->shm.width,
				     sf->shm.height, sf->shm.pitch};
	switch (q->code) {
	case VGP_DRAW_PIXEL:
	case VGP_CLEAR_PIXEL:
		vgp_draw_pixel(&v, q->u.pixel.x, q->u.pixel.y,
			       q->code == VGP_CLEAR_PIXEL ? 0
							  : q->u.pixel.color);
		damage_add(sf, q->u.pixel.x, q->u.pixel.y, 1, 1);
		return VGP_OK;
	case VGP_DRAW_LINE: {
		const struct vgp_line *l = &q->u.line;
		if (vgp_draw_line(&v, l->x1, l->y1, l->x2, l->y2, l->color)) {
			int64_t lx = l->x1 < l->x2 ? l->x1 : l->x2;
			int64_t ly = l->y1 < l->y2 ? l->y1 : l->y2;
			damage_add(sf, lx, ly,
				   llabs((int64_t)l->x2 - l->x1) + 1,
				   llabs((int64_t)l->y2 - l->y1) + 1);
		}
		return VGP_OK;
	}
	case VGP_DRAW_RECT:
	case VGP_FILL_RECT: {
		const struct vgp_rect *rc = &q->u.rect;
		(q->code == VGP_DRAW_RECT ? vgp_draw_rect : vgp_fill_rect)(
			&v, rc->x, rc->y, rc->width, rc->height, rc->color);
		damage_add(sf, rc->x, rc->y, rc->width, rc->height);
		return VGP_OK;
	}
	case VGP_CLEAR:
		vgp_clear(&v, q->u.clear.color);
		damage_add(sf, 0, 0, sf->shm.width, sf->shm.height);
		return VGP_OK;
	case VGP_BLIT:
		do_blit(sf, q);
		return VGP_OK;
	case VGP_PRESENT_DAMAGE:
		for (uint32_t i = 0; i < q->u.damage.d.nrects; i++) {
			const struct vgp_damage_rect *d = &q->u.damage.rects[i];
			damage_add(sf, d->x, d->y, d->width, d->height);
		}
		/* On a head it is a swap of what the client drew itself. */
		return sf->head >= 0 ? swap(s, sf) : VGP_OK;
	case VGP_SWAP_BUFFERS:
		return swap(s, sf);
	default:
		return VGP_E_UNKNOWN_CODE;
	}
}

/* The viewer's input, stamped here and sent to the head's subscribers. */
static enum vgp_status do_post_input(struct srv *s,
				     const struct vgp_post_input *p)
{
	struct timespec now;

	if (p->head >= num_heads(s))
		return VGP_E_INVALID_VIDPN_SOURCEID;
	clock_gettime(CLOCK_MONOTONIC, &now);
	struct vgp_input_event ev = {
		.head = p->head,
		.kind = p->kind,
		.x = p->x,
		.y = p->y,
		.button = p->button,
		.state = p->state,
		.time_ns = (uint64_t)now.tv_sec * 1000000000u +
			   (uint64_t)now.tv_nsec,
	};
	srv_post_input(s, &ev);
	return VGP_OK;
}

static enum vgp_status dispatch(struct srv *s, struct conn *c,
				const struct vgp_request *q, struct reply *r)
{
	switch (q->code) {
	case VGP_GET_INFO:
		return do_get_info(s, r);
	case VGP_SET_MODE:
		return do_set_mode(s, &q->u.set_mode);
	case VGP_CREATE_SURFACE:
		return do_create(s, c, q, r);
	case VGP_OPEN_SURFACE:
		return do_open(s, c, &q->u.open, r);
	case VGP_GET_BUFFER:
		return do_get_buffer(s, c, &q->u.get_buffer, r);
	case VGP_SUBSCRIBE_INPUT:
		if (q->u.subscribe.head >= num_heads(s))
			return VGP_E_INVALID_VIDPN_SOURCEID;
		c->sub_mask[q->u.subscribe.head] = q->u.subscribe.mask;
		return VGP_OK;
	case VGP_POST_INPUT:
		return do_post_input(s, &q->u.post_input);
	case VGP_SUBSCRIBE_PRESENT:
		if (q->u.sub_present.head >= num_heads(s))
			return VGP_E_INVALID_VIDPN_SOURCEID;
		if (q->u.sub_present.enable)
			c->present_heads |= 1u << q->u.sub_present.head;
		else
			c->present_heads &= ~(1u << q->u.sub_present.head);
		return VGP_OK;
	default:
		return do_surface_op(s, c, q);
	}
}

void srv_service(struct srv *s, int fd, short revents)
{
	struct conn *c = conn_of_fd(s, fd);
	unsigned char buf[VGP_MAX_REQUEST + 1];
	int fds[VGP_RECV_FDS];
	size_t nfds = 0;
	struct vgp_request q;
	struct reply r;
	ssize_t n;

	memset(&q, 0, sizeof(q));
	if (!c)
		return;
	n = vgp_recv_record(fd, buf, sizeof(buf), fds, &nfds);
	if (n == -EAGAIN || n == -EINTR)
		return;
	if (n <= 0) {
		conn_drop(s, c,
			  n == 0 || (revents & POLLHUP) ? NULL : "read error");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.fd = -1;
	r.status = vgp_decode(buf, (size_t)n, fds, nfds, &q);
	if (r.status == VGP_OK)
		r.status = dispatch(s, c, &q, &r);
	else if (s->verbose)
		fprintf(stderr, "viogpud: client %llu: request refused: %s\n",
			(unsigned long long)c->id.conn,
			vgp_status_name(r.status));
	vgp_close_fds(fds, nfds, -1);
	if (c->fd < 0) { /* cut off while posting it its own event */
		if (q.code == VGP_GET_BUFFER && r.fd >= 0)
			close(r.fd);
		return;
	}
	if (r.status != VGP_OK)
		r.len = 0;
	int err = vgp_send_reply(fd, q.code, q.serial, r.status, &r.u, r.len,
				 r.status == VGP_OK ? r.fd : -1);
	/* A surface's fd stays the surface's; a snapshot's was ours. */
	if (q.code == VGP_GET_BUFFER && r.fd >= 0)
		close(r.fd);
	if (err == -EAGAIN)
		conn_drop(s, c, "stopped reading its replies: cut off");
	else if (err)
		conn_drop(s, c, NULL);
}

void srv_post_input(struct srv *s, const struct vgp_input_event *ev)
{
	if (ev->head >= VGP_MAX_HEADS)
		return;
	for (unsigned i = 0; i < SRV_MAX_CONNS; i++) {
		struct conn *c = &s->conns[i];
		if (c->fd < 0 || !(c->sub_mask[ev->head] & ev->kind))
			continue;
		if (vgp_send_reply(c->fd, VGP_EVENT_INPUT, 0, VGP_OK, ev,
				   sizeof(*ev), -1) != 0)
			conn_drop(s, c, "stopped reading its events: cut off");
	}
}

/* Tells SUBSCRIBE_PRESENT's subscribers of `head` that [x0,x1) x [y0,y1)
 * of its front buffer changed.  Called after the change is whole (after
 * the present), so a GET_BUFFER that follows the event sees it all: this
 * is what lets the viewer show only complete front buffers.  A subscriber
 * that may not read the head's primary gets the whole head instead of the
 * rectangle (where a restricted client draws is not its to know); one
 * that does not read its events is cut off. */
static void post_present(struct srv *s, uint32_t head, uint32_t x0, uint32_t y0,
			 uint32_t x1, uint32_t y1)
{
	struct vg_fb *fb = vg_gpu_head_fb(s->gpu, head);
	uint32_t hw = fb ? vg_fb_width(fb) : 0, hh = fb ? vg_fb_height(fb) : 0;

	if (head >= VGP_MAX_HEADS)
		return;
	/* A primary larger than the head (after a followed display change)
	 * shows only its overlap; nothing outside it changed. */
	if (x1 > hw)
		x1 = hw;
	if (y1 > hh)
		y1 = hh;
	if (x0 >= x1 || y0 >= y1)
		return;
	s->present_seq[head]++;
	for (unsigned i = 0; i < SRV_MAX_CONNS; i++) {
		struct conn *c = &s->conns[i];
		if (c->fd < 0 || !(c->present_heads & (1u << head)))
			continue;
		struct vgp_present_event ev = {
			.head = head,
			.x = (int32_t)x0,
			.y = (int32_t)y0,
			.width = (int32_t)(x1 - x0),
			.height = (int32_t)(y1 - y0),
			.head_width = hw,
			.head_height = hh,
			.seq = s->present_seq[head],
		};
		if (s->held[head] && vgp_surface_check_read(&s->held[head]->acl,
							    &c->id) != VGP_OK)
			ev.x = 0, ev.y = 0, ev.width = (int32_t)hw,
			ev.height = (int32_t)hh;
		if (vgp_send_reply(c->fd, VGP_EVENT_PRESENT, 0, VGP_OK, &ev,
				   sizeof(ev), -1) != 0)
			conn_drop(s, c, "stopped reading its events: cut off");
	}
}

void srv_post_display(struct srv *s, const struct vgp_display_event *ev)
{
	if (ev->head >= VGP_MAX_HEADS)
		return;
	for (unsigned i = 0; i < SRV_MAX_CONNS; i++) {
		struct conn *c = &s->conns[i];
		if (c->fd < 0 ||
		    !(c->sub_mask[ev->head] & VGP_SUBSCRIBE_DISPLAY))
			continue;
		if (vgp_send_reply(c->fd, VGP_EVENT_DISPLAY, 0, VGP_OK, ev,
				   sizeof(*ev), -1) != 0)
			conn_drop(s, c, "stopped reading its events: cut off");
	}
}

void srv_set_head_off(struct srv *s, uint32_t head, bool off)
{
	if (head < VGP_MAX_HEADS)
		s->off[head] = off;
}

void srv_head_shown(struct srv *s, uint32_t head)
{
	struct vg_fb *fb = vg_gpu_head_fb(s->gpu, head);

	if (head < VGP_MAX_HEADS && fb)
		post_present(s, head, 0, 0, vg_fb_width(fb), vg_fb_height(fb));
}
