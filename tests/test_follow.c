// SPDX-License-Identifier: MIT
/*
 * viogpud's resolution service (daemon/follow.c) with the daemon's own
 * server (daemon/server.c), in process on the device model, so the test
 * can make the host's display changes itself (vg_sim_set_display, from
 * another thread while the daemon's loop runs).  The loop here is the
 * daemon's follow part of serve(): poll the eventfd with
 * follow_timeout_ms, then follow_run.  A client talks to the server over
 * a socketpair through libviogpu-client, subscribed to display events.
 *
 * Checked: a storm of hundreds of resizes ends at the last size with few
 * mode sets (counted by the service and, independently, by the driver's
 * command count) and the client's last event saying the final size; a
 * change made while a mode set is under way is applied afterwards; with
 * every config interrupt lost the register poll still follows; a head
 * plugged, unplugged and plugged again; without --follow the mode stays
 * and the client is told the host's size; a primary surface held across
 * resizes keeps working, shown top-left.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "follow.h"
#include "server.h"
#include "sim_env.h"
#include "viogpu/client.h"
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/sim.h"
#include "viogpu/surface.h"

#define MAX_EVENTS 4096

struct t {
	struct env e;
	struct follow *fol;
	struct srv *srv;
	int sfd; /* the server's end of the socketpair */
	struct vgp_client *c;
	unsigned nev;
	struct vgp_display_event ev[MAX_EVENTS];
};

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void record(struct t *t, const struct vgp_display_event *ev)
{
	assert_true(t->nev < MAX_EVENTS);
	t->ev[t->nev++] = *ev;
}

static void up(struct t *t, const struct vg_sim_config *cfg, bool apply,
	       uint32_t poll_ms)
{
	struct follow_opts o = {.apply = apply,
				.quiet_ms = FOLLOW_QUIET_MS,
				.max_ms = FOLLOW_MAX_MS,
				.poll_ms = poll_ms};
	int sv[2];

	memset(t, 0, sizeof(*t));
	t->fol = follow_create(&o);
	assert_non_null(t->fol);
	t->e.on_display_change = follow_notify;
	t->e.display_change_ctx = t->fol;
	env_up(&t->e, cfg, 3000);
	/* As viogpud starts: every connected head at its preferred mode. */
	assert_int_equal(vg_gpu_follow_displays(t->e.gpu, 0xffffffffu), VG_OK);
	t->srv = srv_create(t->e.gpu, 0);
	assert_non_null(t->srv);
	follow_start(t->fol, t->e.gpu, t->srv);
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	assert_true(srv_add_conn(t->srv, sv[0], getuid(), getpid()));
	t->sfd = sv[0];
	assert_int_equal(vgp_client_adopt(sv[1], &t->c), 0);
}

static void down(struct t *t)
{
	vgp_client_close(t->c);
	srv_destroy(t->srv);
	env_down(&t->e);
	follow_destroy(t->fol); /* after the gpu, as viogpud does */
}

/* One request, served in line (the server runs on this thread). */
static int call(struct t *t, uint32_t code, const void *body, size_t len,
		void *reply, size_t cap, int *fd_out)
{
	static uint8_t buf[VGP_MAX_REPLY];
	uint32_t serial;
	assert_int_equal(vgp_client_send(t->c, code, body, len, -1, &serial),
			 0);
	srv_service(t->srv, t->sfd, POLLIN);
	for (;;) {
		struct vgp_reply_hdr h;
		size_t blen;
		int fd;
		assert_int_equal(
			vgp_client_recv(t->c, &h, buf, sizeof(buf), &blen, &fd),
			0);
		if (h.code == VGP_EVENT_DISPLAY) {
			struct vgp_display_event ev;
			assert_int_equal(blen, sizeof(ev));
			memcpy(&ev, buf, sizeof(ev));
			record(t, &ev);
			continue;
		}
		assert_int_equal(h.serial, serial);
		if (reply)
			memcpy(reply, buf, blen < cap ? blen : cap);
		if (fd_out)
			*fd_out = fd;
		else if (fd >= 0)
			close(fd);
		return (int)h.status;
	}
}

static void subscribe(struct t *t, uint32_t head)
{
	struct vgp_subscribe_input si = {head, VGP_SUBSCRIBE_DISPLAY};
	assert_int_equal(
		call(t, VGP_SUBSCRIBE_INPUT, &si, sizeof(si), NULL, 0, NULL),
		VGP_OK);
}

/* Every event the server sent so far. */
static void drain(struct t *t)
{
	struct pollfd p = {.fd = vgp_client_fd(t->c), .events = POLLIN};
	while (poll(&p, 1, 0) == 1) {
		struct vgp_reply_hdr h;
		struct vgp_display_event ev;
		size_t blen;
		int fd;
		assert_int_equal(
			vgp_client_recv(t->c, &h, &ev, sizeof(ev), &blen, &fd),
			0);
		assert_int_equal(fd, -1);
		assert_int_equal(h.code, VGP_EVENT_DISPLAY);
		assert_int_equal(h.serial, 0);
		assert_int_equal(h.status, VGP_OK);
		assert_int_equal(blen, sizeof(ev));
		assert_int_equal(ev.pad, 0);
		record(t, &ev);
	}
}

/* One turn of the daemon's loop, as serve() does it for the service. */
static void turn(struct t *t, int cap_ms)
{
	struct pollfd p = {.fd = follow_fd(t->fol), .events = POLLIN};
	int to = follow_timeout_ms(t->fol);
	if (to < 0 || to > cap_ms)
		to = cap_ms;
	poll(&p, 1, to);
	follow_run(t->fol);
	drain(t);
}

static bool head_is(struct t *t, uint32_t head, uint32_t w, uint32_t h)
{
	struct vg_fb *fb = vg_gpu_head_fb(t->e.gpu, head);
	return fb && vg_fb_width(fb) == w && vg_fb_height(fb) == h;
}

/* Turns until head has w x h, up to ms; the time it took or -1. */
static int64_t run_until_head(struct t *t, uint32_t head, uint32_t w,
			      uint32_t h, uint64_t ms)
{
	uint64_t start = now_ms();
	while (!head_is(t, head, w, h)) {
		if (now_ms() - start > ms)
			return -1;
		turn(t, 20);
	}
	return (int64_t)(now_ms() - start);
}

/* Turns for ms more (lets late events and readings come). */
static void run_for(struct t *t, uint64_t ms)
{
	uint64_t end = now_ms() + ms;
	while (now_ms() < end)
		turn(t, 20);
}

static void assert_dump_size(struct t *t, uint32_t head, uint32_t w, uint32_t h)
{
	uint32_t *px = NULL, dw = 0, dh = 0;
	assert_int_equal(vg_sim_screendump(t->e.sim, head, &px, &dw, &dh),
			 VG_OK);
	free(px);
	assert_int_equal(dw, w);
	assert_int_equal(dh, h);
}

static const struct vgp_display_event *last_event(struct t *t, uint32_t head)
{
	for (unsigned i = t->nev; i-- > 0;)
		if (t->ev[i].head == head)
			return &t->ev[i];
	return NULL;
}

static uint64_t driver_commands(struct t *t)
{
	struct vg_gpu_stats st;
	vg_gpu_get_stats(t->e.gpu, &st);
	return st.commands;
}

/* ---- a storm ------------------------------------------------------- */

#define STORM 400

struct storm {
	struct vg_sim *sim;
	unsigned gap_every; /* a pause after every gap_every changes */
	unsigned gap_ms;
	atomic_int done;
	uint64_t start_ns; /* CLOCK_MONOTONIC at the first change */
	uint64_t ms;	   /* how long it took */
};

static void *storm_thread(void *arg)
{
	struct storm *s = arg;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->start_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	uint64_t start = now_ms();
	for (int i = 0; i < STORM; i++) {
		/* A window dragged: sizes all over the place, then the one
		 * the user let go at. */
		uint32_t w =
			i == STORM - 1 ? 1280 : 640 + (uint32_t)(i * 37) % 1200;
		uint32_t h =
			i == STORM - 1 ? 720 : 480 + (uint32_t)(i * 23) % 600;
		if (vg_sim_set_display(s->sim, 0, true, w, h) != VG_OK)
			abort();
		if (i % s->gap_every == 0)
			sleep_ms(s->gap_ms);
	}
	s->ms = now_ms() - start;
	atomic_store(&s->done, 1);
	return NULL;
}

static void storm(unsigned gap_every, unsigned gap_ms)
{
	struct t *t = calloc(1, sizeof(*t));
	struct storm s = {.gap_every = gap_every, .gap_ms = gap_ms};
	pthread_t th;

	assert_non_null(t);
	up(t, NULL, true, FOLLOW_POLL_MS);
	subscribe(t, 0);
	assert_true(head_is(t, 0, 1024, 768));
	uint64_t cmds = driver_commands(t);
	s.sim = t->e.sim;
	assert_int_equal(pthread_create(&th, NULL, storm_thread, &s), 0);
	while (!atomic_load(&s.done))
		turn(t, 20);
	pthread_join(th, NULL);
	int64_t took = run_until_head(t, 0, 1280, 720, 5000);
	run_for(t, 300); /* nothing more may come */
	struct follow_stats fs;
	follow_get_stats(t->fol, &fs);
	uint64_t used = driver_commands(t) - cmds;
	print_message("storm: %d changes in %llu ms; %llu notifications, "
		      "%llu readings, %llu mode sets, %llu events, %llu "
		      "driver commands; final size %lld ms after the last "
		      "change\n",
		      STORM, (unsigned long long)s.ms,
		      (unsigned long long)fs.notifications,
		      (unsigned long long)fs.readings,
		      (unsigned long long)fs.mode_sets,
		      (unsigned long long)fs.events, (unsigned long long)used,
		      (long long)took);
	/* Within the quiet period of the last change, give or take a loaded
	 * machine. */
	assert_true(took >= 0);
	assert_true(took <= FOLLOW_QUIET_MS + 1000);
	assert_true(head_is(t, 0, 1280, 720));
	assert_dump_size(t, 0, 1280, 720);
	/* Coalesced: one reading per max_ms of storm at most, plus the one
	 * after it (and one the register poll may add). */
	uint64_t bound = 3 + s.ms / FOLLOW_MAX_MS;
	assert_true(fs.notifications >= 1);
	assert_true(fs.readings <= bound);
	assert_true(fs.mode_sets <= bound);
	assert_true(fs.mode_sets >= 1);
	assert_int_equal(fs.failures, 0);
	/* Independently: one reading is GET_DISPLAY_INFO and GET_EDID, one
	 * mode set a handful of commands; following every change would be
	 * thousands. */
	assert_true(used <= 16 * bound);
	/* The client heard of it, coalesced too, ending at the final size. */
	assert_true(t->nev >= 1);
	assert_true(t->nev <= fs.readings);
	const struct vgp_display_event *ev = last_event(t, 0);
	assert_non_null(ev);
	assert_int_equal(ev->enabled, 1);
	assert_int_equal(ev->width, 1280);
	assert_int_equal(ev->height, 720);
	assert_int_equal(ev->pref_width, 1280);
	assert_int_equal(ev->pref_height, 720);
	assert_int_equal(ev->flags, VGP_DISPLAY_FOLLOWED);
	assert_true(ev->time_ns > 0);
	/* A storm longer than max_ms was applied on the way, not only at
	 * its end: the first reading came within max_ms of the first change
	 * (give or take a loaded machine), while the window still moved. */
	if (s.ms > 2 * FOLLOW_MAX_MS + 200) {
		assert_true(fs.readings >= 2);
		assert_true(t->ev[0].time_ns - s.start_ns <=
			    (FOLLOW_MAX_MS + 400) * 1000000ull);
	}
	down(t);
	free(t);
}

/* Hundreds of changes in a burst (about 100 ms). */
static void test_storm_ends_at_the_last_size(void **state)
{
	(void)state;
	storm(4, 1);
}

/* A window dragged for longer than the bound (well over a second). */
static void test_long_drag_applied_within_the_bound(void **state)
{
	(void)state;
	storm(1, 4);
}

/* ---- a change during a mode set -------------------------------------- */

struct late {
	struct vg_sim *sim;
	uint64_t base; /* device commands before the first change */
	atomic_int injected;
};

static uint64_t sim_commands(struct vg_sim *sim)
{
	struct vg_sim_counters c;
	vg_sim_get_counters(sim, &c);
	return c.commands;
}

static void *late_thread(void *arg)
{
	struct late *l = arg;
	uint64_t end = now_ms() + 10000;
	/* GET_DISPLAY_INFO, GET_EDID, RESOURCE_CREATE_2D, ATTACH_BACKING:
	 * the mode set is under way, its SET_SCANOUT held 300 ms. */
	while (sim_commands(l->sim) < l->base + 4 && now_ms() < end)
		sleep_ms(1);
	sleep_ms(30);
	if (vg_sim_set_display(l->sim, 0, true, 1280, 720) != VG_OK)
		abort();
	atomic_store(&l->injected, 1);
	return NULL;
}

/* lost_irq false: the register poll is off, so the notification made
 * while the mode set runs must be the one that brings the change in;
 * true: no notification ever comes, and the register poll must. */
static void change_during_a_mode_set(bool lost_irq)
{
	struct t *t = calloc(1, sizeof(*t));
	struct vg_sim_config cfg = {.faults = "delay:type=SET_SCANOUT@300",
				    .lose_config_irq = lost_irq};
	struct late l = {0};
	pthread_t th;

	assert_non_null(t);
	up(t, &cfg, true, lost_irq ? 200 : 0);
	subscribe(t, 0);
	l.sim = t->e.sim;
	l.base = sim_commands(t->e.sim);
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 800, 600),
			 VG_OK);
	assert_int_equal(pthread_create(&th, NULL, late_thread, &l), 0);
	struct follow_stats fs = {0};
	uint64_t end = now_ms() + 10000;
	while (fs.readings < 1 && now_ms() < end) {
		turn(t, 20);
		follow_get_stats(t->fol, &fs);
	}
	/* The first reading saw 800x600 and applied it; the second change
	 * came while it did. */
	assert_true(head_is(t, 0, 800, 600));
	assert_int_equal(atomic_load(&l.injected), 1);
	pthread_join(th, NULL);
	assert_true(run_until_head(t, 0, 1280, 720, 5000) >= 0);
	run_for(t, 200);
	assert_true(head_is(t, 0, 1280, 720));
	assert_dump_size(t, 0, 1280, 720);
	follow_get_stats(t->fol, &fs);
	assert_int_equal(fs.mode_sets, 2);
	assert_int_equal(t->nev, 2);
	assert_int_equal(t->ev[0].width, 800);
	assert_int_equal(t->ev[1].width, 1280);
	assert_int_equal(t->ev[1].height, 720);
	if (!lost_irq)
		assert_true(fs.notifications >= 2);
	down(t);
	free(t);
}

static void test_change_during_a_mode_set_is_not_lost(void **state)
{
	(void)state;
	change_during_a_mode_set(false);
}

static void test_change_during_a_mode_set_lost_irq(void **state)
{
	(void)state;
	change_during_a_mode_set(true);
}

/* ---- every interrupt lost --------------------------------------------- */

static void test_lost_interrupts_still_followed(void **state)
{
	(void)state;
	struct t *t = calloc(1, sizeof(*t));
	struct vg_sim_config cfg = {.lose_config_irq = true};

	assert_non_null(t);
	up(t, &cfg, true, 200);
	subscribe(t, 0);
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 1600, 900),
			 VG_OK);
	int64_t took = run_until_head(t, 0, 1600, 900, 5000);
	assert_true(took >= 0);
	assert_dump_size(t, 0, 1600, 900);
	run_for(t, 100);
	const struct vgp_display_event *ev = last_event(t, 0);
	assert_non_null(ev);
	assert_int_equal(ev->width, 1600);
	/* A second one, to show the poll goes on after a reading. */
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 800, 600),
			 VG_OK);
	assert_true(run_until_head(t, 0, 800, 600, 5000) >= 0);
	down(t);
	free(t);
}

/* ---- plug, unplug, plug ---------------------------------------------- */

static void test_second_head_plugged_and_unplugged(void **state)
{
	(void)state;
	struct t *t = calloc(1, sizeof(*t));
	struct vg_sim_config cfg = {.num_scanouts = 2};
	uint32_t *px = NULL, w, h;

	assert_non_null(t);
	up(t, &cfg, true, FOLLOW_POLL_MS);
	subscribe(t, 0);
	subscribe(t, 1);
	assert_int_equal(vg_sim_screendump(t->e.sim, 1, &px, &w, &h),
			 VG_E_INVAL);
	assert_int_equal(vg_sim_set_display(t->e.sim, 1, true, 800, 600),
			 VG_OK);
	assert_true(run_until_head(t, 1, 800, 600, 5000) >= 0);
	run_for(t, 50);
	assert_dump_size(t, 1, 800, 600);
	assert_int_equal(t->nev, 1);
	assert_int_equal(t->ev[0].head, 1);
	assert_int_equal(t->ev[0].enabled, 1);
	assert_int_equal(t->ev[0].width, 800);

	assert_int_equal(vg_sim_set_display(t->e.sim, 1, false, 0, 0), VG_OK);
	uint64_t end = now_ms() + 5000;
	while (t->nev < 2 && now_ms() < end)
		turn(t, 20);
	assert_int_equal(t->nev, 2);
	assert_int_equal(t->ev[1].head, 1);
	assert_int_equal(t->ev[1].enabled, 0);
	assert_int_equal(t->ev[1].width, 0);
	assert_int_equal(t->ev[1].height, 0);
	assert_int_equal(t->ev[1].flags, VGP_DISPLAY_FOLLOWED);
	assert_int_equal(vg_sim_screendump(t->e.sim, 1, &px, &w, &h),
			 VG_E_INVAL);
	/* Off for clients too: no mode, no new primary on it. */
	static struct vgp_info in;
	assert_int_equal(call(t, VGP_GET_INFO, NULL, 0, &in, sizeof(in), NULL),
			 VGP_OK);
	assert_int_equal(in.heads[1].connected, 0);
	assert_int_equal(in.heads[1].width, 0);
	assert_int_equal(in.heads[1].height, 0);
	struct vgp_create_surface cs = {.flags = VGP_SURFACE_PRIMARY |
						 VGP_SURFACE_SHARED_RESOURCE,
					.source_id = 1,
					.format = VGP_FORMAT_XRGB8888};
	assert_int_equal(
		call(t, VGP_CREATE_SURFACE, &cs, sizeof(cs), NULL, 0, NULL),
		VGP_E_INVALID_VIDPN_SOURCEID);

	/* Back at the same size: the scanout comes back on. */
	assert_int_equal(vg_sim_set_display(t->e.sim, 1, true, 800, 600),
			 VG_OK);
	end = now_ms() + 5000;
	while (t->nev < 3 && now_ms() < end)
		turn(t, 20);
	assert_int_equal(t->nev, 3);
	assert_int_equal(t->ev[2].enabled, 1);
	assert_int_equal(t->ev[2].width, 800);
	assert_dump_size(t, 1, 800, 600);
	assert_int_equal(call(t, VGP_GET_INFO, NULL, 0, &in, sizeof(in), NULL),
			 VGP_OK);
	assert_int_equal(in.heads[1].connected, 1);
	assert_int_equal(in.heads[1].width, 800);
	assert_int_equal(in.heads[1].height, 600);
	/* Head 0 never changed: never announced. */
	for (unsigned i = 0; i < t->nev; i++)
		assert_int_equal(t->ev[i].head, 1);
	assert_dump_size(t, 0, 1024, 768);
	down(t);
	free(t);
}

/* ---- without --follow ---------------------------------------------- */

static void test_without_follow_only_tells(void **state)
{
	(void)state;
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	up(t, NULL, false, FOLLOW_POLL_MS);
	subscribe(t, 0);
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 1600, 900),
			 VG_OK);
	uint64_t end = now_ms() + 5000;
	while (t->nev < 1 && now_ms() < end)
		turn(t, 20);
	run_for(t, 200);
	assert_int_equal(t->nev, 1);
	assert_int_equal(t->ev[0].enabled, 1);
	assert_int_equal(t->ev[0].pref_width, 1600);
	assert_int_equal(t->ev[0].pref_height, 900);
	assert_int_equal(t->ev[0].width, 1024);
	assert_int_equal(t->ev[0].height, 768);
	assert_int_equal(t->ev[0].flags, 0);
	assert_true(head_is(t, 0, 1024, 768));
	assert_dump_size(t, 0, 1024, 768);
	/* The client may follow it itself. */
	struct vgp_set_mode m = {0, 1600, 900, 0};
	assert_int_equal(call(t, VGP_SET_MODE, &m, sizeof(m), NULL, 0, NULL),
			 VGP_OK);
	assert_dump_size(t, 0, 1600, 900);
	down(t);
	free(t);
}

/* ---- a primary held across resizes ------------------------------------ */

static uint32_t create_primary(struct t *t, struct vgp_surface_reply *r)
{
	struct vgp_create_surface cs = {.flags = VGP_SURFACE_PRIMARY |
						 VGP_SURFACE_SHARED_RESOURCE,
					.format = VGP_FORMAT_XRGB8888};
	int fd = -1;
	assert_int_equal(call(t, VGP_CREATE_SURFACE, &cs, sizeof(cs), r,
			      sizeof(*r), &fd),
			 VGP_OK);
	assert_true(fd >= 0);
	close(fd);
	return r->handle;
}

static void fill_and_swap(struct t *t, uint32_t handle, uint32_t color)
{
	struct vgp_rect rc = {handle, 0, 0, 4096, 4096, color};
	struct vgp_surface_ref ref = {handle, 0};
	assert_int_equal(call(t, VGP_FILL_RECT, &rc, sizeof(rc), NULL, 0, NULL),
			 VGP_OK);
	assert_int_equal(
		call(t, VGP_SWAP_BUFFERS, &ref, sizeof(ref), NULL, 0, NULL),
		VGP_OK);
}

/* The head shows color in [0,cw) x [0,ch) and black elsewhere. */
static void assert_shows_box(struct t *t, uint32_t w, uint32_t h, uint32_t cw,
			     uint32_t ch, uint32_t color)
{
	uint32_t *px = NULL, dw = 0, dh = 0;
	assert_int_equal(vg_sim_screendump(t->e.sim, 0, &px, &dw, &dh), VG_OK);
	assert_int_equal(dw, w);
	assert_int_equal(dh, h);
	size_t bad = 0;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			bad += (px[(size_t)y * w + x] & 0xffffff) !=
			       (x < cw && y < ch ? color : 0);
	free(px);
	assert_int_equal(bad, 0);
}

static void test_primary_kept_across_resizes(void **state)
{
	(void)state;
	struct t *t = calloc(1, sizeof(*t));
	struct vgp_surface_reply r;

	assert_non_null(t);
	up(t, NULL, true, FOLLOW_POLL_MS);
	subscribe(t, 0);
	uint32_t handle = create_primary(t, &r);
	assert_int_equal(r.width, 1024);
	fill_and_swap(t, handle, 0x336699);
	assert_shows_box(t, 1024, 768, 1024, 768, 0x336699);

	/* Smaller: the old picture stays, clipped, without a swap. */
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 640, 480),
			 VG_OK);
	assert_true(run_until_head(t, 0, 640, 480, 5000) >= 0);
	assert_shows_box(t, 640, 480, 640, 480, 0x336699);
	/* The old surface still swaps, clipped to the new mode. */
	fill_and_swap(t, handle, 0xaa5500);
	assert_shows_box(t, 640, 480, 640, 480, 0xaa5500);

	/* Larger: its frames show top-left, the rest black. */
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 1280, 1024),
			 VG_OK);
	assert_true(run_until_head(t, 0, 1280, 1024, 5000) >= 0);
	assert_shows_box(t, 1280, 1024, 640, 480, 0xaa5500);
	fill_and_swap(t, handle, 0x00cc00);
	assert_shows_box(t, 1280, 1024, 1024, 768, 0x00cc00);

	/* Told, it makes a primary of the new size. */
	const struct vgp_display_event *ev = last_event(t, 0);
	assert_non_null(ev);
	assert_int_equal(ev->width, 1280);
	assert_int_equal(ev->height, 1024);
	struct vgp_surface_ref ref = {handle, 0};
	assert_int_equal(
		call(t, VGP_CLOSE_SURFACE, &ref, sizeof(ref), NULL, 0, NULL),
		VGP_OK);
	handle = create_primary(t, &r);
	assert_int_equal(r.width, 1280);
	assert_int_equal(r.height, 1024);
	fill_and_swap(t, handle, 0x123456);
	assert_shows_box(t, 1280, 1024, 1280, 1024, 0x123456);
	down(t);
	free(t);
}

/* ---- a size the device cannot take ----------------------------------------
 */

static void test_refused_size_keeps_the_mode(void **state)
{
	(void)state;
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	up(t, NULL, true, FOLLOW_POLL_MS);
	subscribe(t, 0);
	/* 16000 x 16000 x 4 bytes: far beyond the device's 256 MiB. */
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 16000, 16000),
			 VG_OK);
	uint64_t end = now_ms() + 5000;
	while (t->nev < 1 && now_ms() < end)
		turn(t, 20);
	assert_int_equal(t->nev, 1);
	assert_int_equal(t->ev[0].flags, VGP_DISPLAY_FAILED);
	assert_int_equal(t->ev[0].pref_width, 16000);
	assert_int_equal(t->ev[0].width, 1024);
	assert_int_equal(t->ev[0].height, 768);
	assert_dump_size(t, 0, 1024, 768);
	struct follow_stats fs;
	follow_get_stats(t->fol, &fs);
	assert_int_equal(fs.failures, 1);
	assert_int_equal(fs.mode_sets, 0);
	/* The next size it can take is followed again. */
	assert_int_equal(vg_sim_set_display(t->e.sim, 0, true, 800, 600),
			 VG_OK);
	assert_true(run_until_head(t, 0, 800, 600, 5000) >= 0);
	run_for(t, 50);
	assert_int_equal(t->nev, 2);
	assert_int_equal(t->ev[1].flags, VGP_DISPLAY_FOLLOWED);
	down(t);
	free(t);
}

/* ---- --follow-coalesce ------------------------------------------------ */

static void test_coalesce_option(void **state)
{
	(void)state;
	struct follow_opts o = {.quiet_ms = 1, .max_ms = 2};
	assert_int_equal(follow_parse_coalesce("50,200", &o), 0);
	assert_int_equal(o.quiet_ms, 50);
	assert_int_equal(o.max_ms, 200);
	assert_int_equal(follow_parse_coalesce("0", &o), 0);
	assert_int_equal(o.quiet_ms, 0);
	assert_int_equal(o.max_ms, FOLLOW_MAX_MS);
	assert_int_equal(follow_parse_coalesce("800", &o), 0);
	assert_int_equal(o.max_ms, 800); /* never below QUIET */
	assert_int_equal(follow_parse_coalesce("10000,60000", &o), 0);
	static const char *const bad[] = {
		"",	 "-1",	    "x",
		"100,",	 ",100",    "100,50",
		"10001", "0,60001", "100,200,300",
		" 100",	 "1e3",	    "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = (struct follow_opts){.quiet_ms = 7, .max_ms = 9};
		assert_int_equal(follow_parse_coalesce(bad[i], &o), -1);
		assert_int_equal(o.quiet_ms, 7); /* untouched */
		assert_int_equal(o.max_ms, 9);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_storm_ends_at_the_last_size),
		cmocka_unit_test(test_long_drag_applied_within_the_bound),
		cmocka_unit_test(test_change_during_a_mode_set_is_not_lost),
		cmocka_unit_test(test_change_during_a_mode_set_lost_irq),
		cmocka_unit_test(test_lost_interrupts_still_followed),
		cmocka_unit_test(test_second_head_plugged_and_unplugged),
		cmocka_unit_test(test_without_follow_only_tells),
		cmocka_unit_test(test_primary_kept_across_resizes),
		cmocka_unit_test(test_refused_size_keeps_the_mode),
		cmocka_unit_test(test_coalesce_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
