/* SPDX-License-Identifier: MIT */
/* viogpud's resolution service (follow.h). */
#include "follow.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "server.h"
#include "viogpu/display.h"
#include "viogpu/present.h"
#include "viogpu/protocol.h"
#include "viogpu/surface.h"

struct follow {
	struct follow_opts o;
	int efd;
	struct vg_gpu *gpu;
	struct srv *srv;
	bool pending;	    /* a notification not read yet */
	uint64_t first_ms;  /* the window's first notification */
	uint64_t last_ms;   /* and its last */
	uint64_t next_poll; /* the next register poll */
	/* What follow knows each head shows: scanout on (its mode is the
	 * head's fb), and whether the last attempt to follow it failed. */
	bool on[VGP_MAX_HEADS];
	bool failed[VGP_MAX_HEADS];
	struct vgp_display_event told[VGP_MAX_HEADS]; /* last announced */
	struct follow_stats stats;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t now_ms(void)
{
	return now_ns() / 1000000u;
}

struct follow *follow_create(const struct follow_opts *o)
{
	struct follow *f = calloc(1, sizeof(*f));

	if (!f) {
		fprintf(stderr, "viogpud: out of memory\n");
		return NULL;
	}
	f->o = *o;
	f->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (f->efd < 0) {
		fprintf(stderr, "viogpud: eventfd: %s\n", strerror(errno));
		free(f);
		return NULL;
	}
	return f;
}

void follow_destroy(struct follow *f)
{
	if (!f)
		return;
	close(f->efd);
	free(f);
}

void follow_notify(void *follow)
{
	struct follow *f = follow;
	uint64_t one = 1;
	/* Never blocks (EFD_NONBLOCK); a full counter is still readable. */
	ssize_t n = write(f->efd, &one, sizeof(one));
	(void)n;
}

int follow_fd(const struct follow *f)
{
	return f->efd;
}

static uint32_t num_heads(const struct follow *f)
{
	struct vg_gpu_info info;

	vg_gpu_get_info(f->gpu, &info);
	return info.num_scanouts < VGP_MAX_HEADS ? info.num_scanouts
						 : VGP_MAX_HEADS;
}

/* The head as a client should see it now. */
static struct vgp_display_event head_state(const struct follow *f, uint32_t h)
{
	struct vgp_display_event ev = {.head = h};
	struct vg_display d;
	struct vg_fb *fb = vg_gpu_head_fb(f->gpu, h);

	if (vg_gpu_get_display(f->gpu, h, &d) == VG_OK && d.enabled) {
		ev.enabled = 1;
		ev.pref_width = d.rect.width;
		ev.pref_height = d.rect.height;
	}
	/* Without --follow the scanout stays as it was set at start. */
	if (fb && (!f->o.apply || f->on[h])) {
		ev.width = vg_fb_width(fb);
		ev.height = vg_fb_height(fb);
	}
	if (f->o.apply)
		ev.flags = f->failed[h] ? VGP_DISPLAY_FAILED
					: VGP_DISPLAY_FOLLOWED;
	return ev;
}

static bool same_state(const struct vgp_display_event *a,
		       const struct vgp_display_event *b)
{
	return a->enabled == b->enabled && a->width == b->width &&
	       a->height == b->height && a->pref_width == b->pref_width &&
	       a->pref_height == b->pref_height && a->flags == b->flags;
}

void follow_start(struct follow *f, struct vg_gpu *gpu, struct srv *s)
{
	f->gpu = gpu;
	f->srv = s;
	for (uint32_t h = 0; h < num_heads(f); h++) {
		struct vg_display d;
		f->on[h] = vg_gpu_get_display(gpu, h, &d) == VG_OK &&
			   d.enabled && vg_gpu_head_fb(gpu, h);
		f->told[h] = head_state(f, h);
	}
	f->next_poll = now_ms() + f->o.poll_ms;
	/* A change between bring-up and now: the register still holds it. */
	if (vg_gpu_display_changed(gpu)) {
		f->pending = true;
		f->first_ms = f->last_ms = now_ms();
	}
}

static uint64_t due_ms(const struct follow *f)
{
	uint64_t quiet = f->last_ms + f->o.quiet_ms;
	uint64_t bound = f->first_ms + f->o.max_ms;

	return quiet < bound ? quiet : bound;
}

int follow_timeout_ms(const struct follow *f)
{
	uint64_t t = UINT64_MAX, now = now_ms();

	if (f->pending)
		t = due_ms(f);
	else if (f->o.poll_ms)
		t = f->next_poll;
	if (t == UINT64_MAX)
		return -1;
	if (t <= now)
		return 0;
	return t - now > INT_MAX ? INT_MAX : (int)(t - now);
}

/* Copies the overlap of a w x h picture (tightly packed) into fb's top
 * left and shows it: the head keeps its picture across a mode set. */
static void show_overlap(struct follow *f, struct vg_fb *fb, const uint32_t *px,
			 uint32_t w, uint32_t h)
{
	uint32_t cw = w < vg_fb_width(fb) ? w : vg_fb_width(fb);
	uint32_t ch = h < vg_fb_height(fb) ? h : vg_fb_height(fb);
	char *dst = (char *)vg_fb_pixels(fb);

	if (!cw || !ch)
		return;
	for (uint32_t y = 0; y < ch; y++)
		memcpy(dst + (size_t)y * vg_fb_stride(fb), px + (size_t)y * w,
		       4 * (size_t)cw);
	struct vg_rect r = {0, 0, cw, ch};
	if (vg_gpu_present(f->gpu, fb, &r, 1) != VG_OK)
		fprintf(stderr, "viogpud: head: showing the old picture "
				"in the new mode failed\n");
}

/* Gives head h the host's preferred size, or switches it off. */
static void follow_head(struct follow *f, uint32_t h)
{
	struct vg_display d;
	struct vg_fb *fb = vg_gpu_head_fb(f->gpu, h);
	uint32_t *snap = NULL, sw = 0, sh = 0;

	if (vg_gpu_get_display(f->gpu, h, &d) != VG_OK)
		return;
	bool want_on = d.enabled && d.rect.width && d.rect.height;
	/* What vg_gpu_follow_displays will do: a new framebuffer when the
	 * size differs or the scanout was off, off when disabled. */
	bool new_mode = want_on &&
			(!fb || !f->on[h] || vg_fb_width(fb) != d.rect.width ||
			 vg_fb_height(fb) != d.rect.height);
	bool switch_off = !want_on && f->on[h];
	if (!new_mode && !switch_off) {
		f->failed[h] = false;
		return;
	}
	if (new_mode && fb) {
		/* The new framebuffer starts black: keep the old picture (the
		 * front, never a half-drawn back buffer) to copy into it. */
		sw = vg_fb_width(fb), sh = vg_fb_height(fb);
		snap = malloc(4 * (size_t)sw * sh);
		for (uint32_t y = 0; snap && y < sh; y++)
			memcpy(snap + (size_t)y * sw,
			       (const char *)vg_fb_pixels(fb) +
				       (size_t)y * vg_fb_stride(fb),
			       4 * (size_t)sw);
	}
	vg_status st = vg_gpu_follow_displays(f->gpu, 1u << h);
	if (st != VG_OK) {
		f->failed[h] = true;
		f->stats.failures++;
		fprintf(stderr,
			"viogpud: head %u: following the host to %ux%u%s "
			"failed: %s\n",
			h, d.rect.width, d.rect.height, want_on ? "" : " (off)",
			vg_status_str(st));
		free(snap);
		return;
	}
	f->failed[h] = false;
	f->on[h] = want_on;
	srv_set_head_off(f->srv, h, !want_on);
	f->stats.mode_sets++;
	fb = vg_gpu_head_fb(f->gpu, h);
	if (snap && fb)
		show_overlap(f, fb, snap, sw, sh);
	free(snap);
	if (want_on)
		srv_head_shown(f->srv, h); /* a new front buffer, whole */
	if (f->o.verbose)
		fprintf(stderr, "viogpud: head %u: %s\n", h,
			want_on ? "followed the host's size" : "switched off");
}

/* Reads the display state once and applies it. */
static void apply(struct follow *f)
{
	uint32_t changed = 0;

	f->pending = false;
	f->stats.readings++;
	vg_status st = vg_gpu_update_displays(f->gpu, &changed);
	if (st != VG_OK) {
		/* The event was acknowledged with the reading: try again in
		 * a while, whatever the device says meanwhile. */
		f->stats.failures++;
		fprintf(stderr,
			"viogpud: reading the display state failed: "
			"%s; trying again in 1 s\n",
			vg_status_str(st));
		f->pending = true;
		f->first_ms = f->last_ms = now_ms() + 1000;
		return;
	}
	uint64_t t = now_ns();
	for (uint32_t h = 0; h < num_heads(f); h++) {
		if (f->o.apply)
			follow_head(f, h);
		struct vgp_display_event ev = head_state(f, h);
		if (same_state(&ev, &f->told[h]))
			continue;
		ev.time_ns = t;
		f->told[h] = ev;
		f->stats.events++;
		if (f->o.verbose)
			fprintf(stderr,
				"viogpud: head %u: host %s %ux%u, mode "
				"%ux%u\n",
				h, ev.enabled ? "asks" : "disabled it",
				ev.pref_width, ev.pref_height, ev.width,
				ev.height);
		srv_post_display(f->srv, &ev);
	}
	/* A change during the reading or a mode set whose interrupt was
	 * lost: the register says so now, no need to wait for the poll. */
	if (f->o.poll_ms && vg_gpu_display_changed(f->gpu)) {
		f->stats.notifications++;
		f->pending = true;
		f->first_ms = f->last_ms = now_ms();
	}
}

void follow_run(struct follow *f)
{
	uint64_t n, now = now_ms();
	bool noted = read(f->efd, &n, sizeof(n)) == (ssize_t)sizeof(n);

	/* The interrupt may have been lost; the register is the truth.
	 * Not while a window is open: the reading is coming anyway. */
	if (!f->pending && f->o.poll_ms && now >= f->next_poll) {
		f->next_poll = now + f->o.poll_ms;
		if (!noted && vg_gpu_display_changed(f->gpu))
			noted = true;
	}
	if (noted) {
		f->stats.notifications++;
		if (!f->pending)
			f->first_ms = now;
		f->pending = true;
		f->last_ms = now;
	}
	if (f->pending && now >= due_ms(f))
		apply(f);
}

void follow_get_stats(const struct follow *f, struct follow_stats *out)
{
	*out = f->stats;
}

static int parse_ms(const char *s, char **end, uint32_t limit, uint32_t *out)
{
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, end, 10);
	if (errno || v > limit)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int follow_parse_coalesce(const char *text, struct follow_opts *o)
{
	char *end;
	uint32_t quiet, max;

	if (parse_ms(text, &end, 10000, &quiet))
		goto bad;
	max = quiet > FOLLOW_MAX_MS ? quiet : FOLLOW_MAX_MS;
	if (*end == ',' && parse_ms(end + 1, &end, 60000, &max))
		goto bad;
	if (*end || max < quiet)
		goto bad;
	o->quiet_ms = quiet;
	o->max_ms = max;
	return 0;
bad:
	fprintf(stderr,
		"viogpud: --follow-coalesce: QUIET[,MAX] in ms (QUIET "
		"0..10000, MAX QUIET..60000), not '%s'\n",
		text);
	return -1;
}
