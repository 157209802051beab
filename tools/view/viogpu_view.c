// SPDX-License-Identifier: MIT
/*
 * viogpu-view: a window that shows a head's front buffer, live, and turns
 * the mouse into driver requests (issue 12, after seed 002's display
 * window).
 *
 * - It shows only complete front buffers: what it copies comes from
 *   GET_BUFFER snapshots taken after present events, which the daemon
 *   sends once a swap is whole (view_client.h says why events and not
 *   polling).  Only the damaged rectangle is copied and redrawn.
 * - 1:1 by default; --fit scales down (nearest pixel, view_map.h) to fit
 *   --max WxH or the display's usable area.
 * - A left press clears the pixel under the pointer to black (the seed's
 *   WM_LBUTTONDOWN -> IOCTL_CLEAR_PIXEL); releasing it somewhere else
 *   draws a line from the press point to the release point (DRAW_LINE,
 *   both ends drawn, in --color).  One line per drag, press to release:
 *   lines from the press to every motion point would fan out, and
 *   segments between motion points would depend on how fast the pointer
 *   moved.  Both are drawn through the head's primary and swapped, so
 *   they show on the device and come back to the window as present
 *   events (view_client.h).
 * - Every button, motion and key inside the window is posted (POST_INPUT)
 *   for clients subscribed to the head's input, in head coordinates.
 *
 * One thread.  SDL's event queue and the daemon's socket are both
 * watched: SDL waits at most 10 ms for an event, then the socket is
 * drained without blocking.  Exit: 0 when the window is closed (or
 * SIGINT/SIGTERM), 1 when the daemon, the display or a request fails or
 * the head shows restricted content, 2 for bad arguments.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "view_client.h"
#include "view_map.h"
#include "viogpu/client.h"

#define EXIT_USAGE 2

struct opts {
	const char *socket;
	uint32_t head;
	bool fit;
	uint32_t max_w, max_h; /* 0: the display's usable area */
	uint32_t color;
	int verbose;
};

struct view {
	struct opts o;
	struct vgp_client *c;
	struct view_front front;
	SDL_Window *win;
	SDL_Surface *scaled; /* the window's picture, XRGB8888 */
	struct view_map map;
	bool pressed; /* left button down inside the window */
	int32_t press_x, press_y;
	int32_t last_x, last_y; /* last motion posted, head coords */
};

#if defined(__SANITIZE_ADDRESS__)
#define VIEW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIEW_ASAN 1
#endif
#endif
#ifdef VIEW_ASAN
/* LeakSanitizer and the display libraries: SDL's X11 and D-Bus back ends
 * keep allocations until exit on purpose, and SDL_Quit dlcloses the
 * libraries it loaded, after which a leak report cannot even name them.
 * So the libraries loaded by then are pinned (never unloaded), and leaks
 * that go through them are suppressed by name; the viewer's own
 * allocations are still checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libdbus-1.so\n"
	       "leak:libSDL2\n"
	       "leak:libX11.so\n"
	       "leak:libX11-xcb\n"
	       "leak:libxcb\n"
	       "leak:libXcursor\n"
	       "leak:libXext\n"
	       "leak:libXfixes\n"
	       "leak:libXi.so\n"
	       "leak:libXrandr\n"
	       "leak:libXrender\n"
	       "leak:libXss\n"
	       "leak:libxkbcommon\n"
	       "leak:libwayland\n"
	       "leak:libdecor\n";
}

/* ...quietly: the statistics of suppressed leaks are not the user's. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static int pin_one(struct dl_phdr_info *info, size_t size, void *ctx)
{
	(void)size;
	(void)ctx;
	if (info->dlpi_name && *info->dlpi_name)
		dlopen(info->dlpi_name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
	return 0;
}

static void pin_libraries(void)
{
	dl_iterate_phdr(pin_one, NULL);
}
#else
static void pin_libraries(void)
{
}
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: viogpu-view [--socket PATH] [--head N] [--fit [--max "
		"WxH]]\n"
		"                   [--color 0xRRGGBB] [--verbose]\n"
		"Shows head N's front buffer (default head 0) from viogpud "
		"(default socket\n"
		"$XDG_RUNTIME_DIR/viogpu.sock, or /run/viogpu/viogpud.sock "
		"as root), updated\n"
		"as clients swap, at 1:1; --fit scales it down to fit WxH or "
		"the display.\n"
		"\n"
		"Left click: clears the pixel under the pointer to black "
		"(CLEAR_PIXEL).\n"
		"Left drag:  draws a line from the press to the release point "
		"(DRAW_LINE,\n"
		"            --color, default 0x00ff00).\n"
		"Both are swapped to the head's front buffer, so the device "
		"shows them; they\n"
		"are not drawn while another client holds the head's primary "
		"surface.\n"
		"Every button, motion and key in the window also goes to "
		"clients subscribed\n"
		"to the head's input (SUBSCRIBE_INPUT), in head "
		"coordinates.\n"
		"\n"
		"A head showing restricted content (RESTRICTED_CONTENT) may "
		"not be read:\n"
		"the viewer says so and exits 1 (the host still sees the "
		"scanout).\n"
		"Exit: 0 window closed, 1 no daemon, no display, refused or "
		"failed, 2 bad\narguments.\n");
}

static int parse_u32(const char *s, unsigned long max, uint32_t *v)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(s, &end, 0);
	if (!*s || *s == '-' || *end || errno || n > max)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	bool have_max = false;

	o->color = 0x00ff00;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(a, "--fit")) {
			o->fit = true;
			continue;
		}
		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o->verbose++;
			continue;
		}
		if (strcmp(a, "--socket") && strcmp(a, "--head") &&
		    strcmp(a, "--max") && strcmp(a, "--color")) {
			fprintf(stderr,
				"viogpu-view: unknown option '%s' (see "
				"--help)\n",
				a);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "viogpu-view: %s needs a value\n", a);
			return -1;
		}
		const char *v = argv[++i];
		if (!strcmp(a, "--socket")) {
			o->socket = v;
		} else if (!strcmp(a, "--head")) {
			if (parse_u32(v, VGP_MAX_HEADS - 1, &o->head)) {
				fprintf(stderr,
					"viogpu-view: --head: 0..%u, not "
					"'%s'\n",
					VGP_MAX_HEADS - 1, v);
				return -1;
			}
		} else if (!strcmp(a, "--max")) {
			if (view_parse_size(v, &o->max_w, &o->max_h)) {
				fprintf(stderr,
					"viogpu-view: --max: WxH, each "
					"1..16384, not '%s'\n",
					v);
				return -1;
			}
			have_max = true;
		} else {
			if (strncmp(v, "0x", 2) || strlen(v) != 8 ||
			    parse_u32(v, 0xffffff, &o->color)) {
				fprintf(stderr,
					"viogpu-view: --color: 0xRRGGBB, not "
					"'%s'\n",
					v);
				return -1;
			}
		}
	}
	if (have_max && !o->fit) {
		fprintf(stderr, "viogpu-view: --max applies to --fit only\n");
		return -1;
	}
	return 0;
}

/* Fails the viewer with a message; returns 1 (the exit status). */
static int fail(const char *what, int st)
{
	fprintf(stderr, "viogpu-view: %s: %s\n", what, view_status_text(st));
	return 1;
}

static int restricted(const struct view *v)
{
	fprintf(stderr,
		"viogpu-view: head %u shows restricted content "
		"(RESTRICTED_CONTENT): this client may not read it\n",
		v->o.head);
	return 1;
}

/* Sizes the window for the head (again after a mode change) and redraws
 * all of it. */
static int layout(struct view *v)
{
	uint32_t mw = 0, mh = 0;
	SDL_Rect usable;

	if (v->o.fit) {
		mw = v->o.max_w;
		mh = v->o.max_h;
		if (!mw && SDL_GetDisplayUsableBounds(0, &usable) == 0) {
			mw = (uint32_t)usable.w;
			mh = (uint32_t)usable.h;
		}
	}
	v->map.head_w = v->front.w;
	v->map.head_h = v->front.h;
	view_fit(v->front.w, v->front.h, mw, mh, &v->map.win_w, &v->map.win_h);
	char title[96];
	snprintf(title, sizeof(title), "viogpu-view: head %u (%ux%u)",
		 v->o.head, v->front.w, v->front.h);
	if (!v->win) {
		v->win = SDL_CreateWindow(
			title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
			(int)v->map.win_w, (int)v->map.win_h, 0);
		if (!v->win) {
			fprintf(stderr, "viogpu-view: no window: %s\n",
				SDL_GetError());
			return -1;
		}
	} else {
		SDL_SetWindowTitle(v->win, title);
		SDL_SetWindowSize(v->win, (int)v->map.win_w, (int)v->map.win_h);
	}
	SDL_FreeSurface(v->scaled);
	v->scaled = SDL_CreateRGBSurfaceWithFormat(0, (int)v->map.win_w,
						   (int)v->map.win_h, 32,
						   SDL_PIXELFORMAT_RGB888);
	if (!v->scaled) {
		fprintf(stderr, "viogpu-view: %s\n", SDL_GetError());
		return -1;
	}
	view_scale(&v->map, v->front.px, 4 * (size_t)v->front.w,
		   v->scaled->pixels, (size_t)v->scaled->pitch,
		   (struct view_rect){0, 0, v->map.win_w, v->map.win_h});
	return 0;
}

/* Puts window rectangle r of the picture on the screen. */
static int show(struct view *v, struct view_rect r)
{
	SDL_Surface *ws = SDL_GetWindowSurface(v->win);
	SDL_Rect sr = {(int)r.x0, (int)r.y0, (int)(r.x1 - r.x0),
		       (int)(r.y1 - r.y0)};

	if (!ws) {
		fprintf(stderr, "viogpu-view: %s\n", SDL_GetError());
		return -1;
	}
	if (sr.w <= 0 || sr.h <= 0)
		return 0;
	SDL_Rect dr = sr;
	if (SDL_BlitSurface(v->scaled, &sr, ws, &dr) != 0 ||
	    SDL_UpdateWindowSurfaceRects(v->win, &sr, 1) != 0) {
		fprintf(stderr, "viogpu-view: %s\n", SDL_GetError());
		return -1;
	}
	return 0;
}

static struct view_rect whole(const struct view *v)
{
	return (struct view_rect){0, 0, v->map.win_w, v->map.win_h};
}

/* Brings the window up to date with the present events seen so far. */
static int refresh(struct view *v)
{
	struct view_rect r;
	bool resized;
	int st = view_front_refresh(&v->front, &r, &resized);

	if (st == VGP_E_ACCESS_DENIED)
		return restricted(v);
	if (st != VGP_OK)
		return fail("reading the front buffer", st);
	if (resized) {
		if (layout(v))
			return 1;
		return show(v, whole(v)) ? 1 : 0;
	}
	struct view_rect w = view_head_to_win(&v->map, r);
	if (w.x0 >= w.x1 || w.y0 >= w.y1)
		return 0;
	view_scale(&v->map, v->front.px, 4 * (size_t)v->front.w,
		   v->scaled->pixels, (size_t)v->scaled->pitch, w);
	return show(v, w) ? 1 : 0;
}

static void post(struct view *v, uint32_t kind, int32_t x, int32_t y,
		 uint32_t button, uint32_t state)
{
	int st = view_post_input(v->c, v->o.head, kind, x, y, button, state);
	if (st != VGP_OK)
		fprintf(stderr, "viogpu-view: posting input: %s\n",
			view_status_text(st));
}

static void draw(struct view *v, const struct view_op *op)
{
	int st = view_draw(v->c, v->o.head, op, 1);
	if (st == VGP_E_ACCESS_DENIED)
		fprintf(stderr,
			"viogpu-view: head %u is held by another client: "
			"not drawn (posted as input only)\n",
			v->o.head);
	else if (st != VGP_OK)
		fprintf(stderr, "viogpu-view: drawing: %s\n",
			view_status_text(st));
	else if (v->o.verbose)
		fprintf(stderr, "viogpu-view: %s (%d,%d)-(%d,%d)\n",
			op->code == VGP_CLEAR_PIXEL ? "clear-pixel" : "line",
			op->x1, op->y1, op->x2, op->y2);
}

static uint32_t vgp_button(uint8_t b)
{
	switch (b) {
	case SDL_BUTTON_LEFT:
		return 1;
	case SDL_BUTTON_MIDDLE:
		return 2;
	case SDL_BUTTON_RIGHT:
		return 3;
	default:
		return 0; /* X1, X2: the protocol has no number for them */
	}
}

/* One SDL event; returns false when the viewer should stop. */
static bool handle(struct view *v, const SDL_Event *e, int *rc)
{
	int32_t x, y;

	switch (e->type) {
	case SDL_QUIT:
		*rc = 0;
		return false;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
		    e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			if (show(v, whole(v))) {
				*rc = 1;
				return false;
			}
		}
		return true;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP: {
		uint32_t b = vgp_button(e->button.button);
		bool down = e->type == SDL_MOUSEBUTTONDOWN;
		if (!b || e->button.which == SDL_TOUCH_MOUSEID)
			return true;
		view_to_head(&v->map, e->button.x, e->button.y, &x, &y);
		post(v, VGP_INPUT_BUTTON, x, y, b, down);
		if (b != 1)
			return true;
		if (down) {
			struct view_op op = {VGP_CLEAR_PIXEL, x, y, x, y, 0};
			v->pressed = true;
			v->press_x = x, v->press_y = y;
			draw(v, &op);
		} else if (v->pressed) {
			v->pressed = false;
			if (x == v->press_x && y == v->press_y)
				return true; /* a click, already drawn */
			struct view_op op = {
				VGP_DRAW_LINE, v->press_x, v->press_y, x, y,
				v->o.color};
			draw(v, &op);
		}
		return true;
	}
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID)
			return true;
		view_to_head(&v->map, e->motion.x, e->motion.y, &x, &y);
		/* Several window pixels show one head pixel when scaled:
		 * one event per head pixel. */
		if (x != v->last_x || y != v->last_y)
			post(v, VGP_INPUT_MOTION, x, y, 0, 0);
		v->last_x = x, v->last_y = y;
		return true;
	case SDL_KEYDOWN:
	case SDL_KEYUP:
		/* The key code is SDL's scancode, a USB HID usage id. */
		post(v, VGP_INPUT_KEY, v->last_x, v->last_y,
		     (uint32_t)e->key.keysym.scancode, e->type == SDL_KEYDOWN);
		return true;
	default:
		return true;
	}
}

static int run(struct view *v)
{
	int rc = 1;
	if (layout(v) || show(v, whole(v)))
		return 1;
	pin_libraries();
	printf("viogpu-view: head %u, %ux%u, window %ux%u\n", v->o.head,
	       v->front.w, v->front.h, v->map.win_w, v->map.win_h);
	fflush(stdout);
	for (;;) {
		SDL_Event e;
		int got = SDL_WaitEventTimeout(&e, 10);
		while (got) {
			if (!handle(v, &e, &rc))
				return rc;
			got = SDL_PollEvent(&e);
		}
		int err = view_front_pump(&v->front);
		if (err == -ECONNRESET) {
			fprintf(stderr, "viogpu-view: viogpud went away\n");
			return 1;
		}
		if (err)
			return fail("reading from viogpud", err);
		if (v->front.pending && (rc = refresh(v)) != 0)
			return rc;
	}
}

/* SDL falls back to windowless drivers (offscreen, dummy) when no display
 * answers: a viewer nobody can see would run forever, so those count as
 * no display unless the user asked for one by SDL_VIDEODRIVER. */
static bool real_display(void)
{
	const char *d = SDL_GetCurrentVideoDriver();
	const char *asked = SDL_getenv("SDL_VIDEODRIVER");

	if (!d)
		return false;
	if (strcmp(d, "offscreen") && strcmp(d, "dummy"))
		return true;
	return asked && !strcmp(asked, d);
}

int main(int argc, char **argv)
{
	struct view v = {0};
	char path[108];
	int rc = 1, st;

	if (parse(argc, argv, &v.o))
		return EXIT_USAGE;
	if (!v.o.socket) {
		if (vgp_client_default_path(path, sizeof(path))) {
			fprintf(stderr, "viogpu-view: default socket path too "
					"long; use --socket\n");
			return EXIT_USAGE;
		}
		v.o.socket = path;
	}
	st = vgp_client_connect(v.o.socket, &v.c);
	if (st) {
		fprintf(stderr,
			"viogpu-view: cannot reach viogpud at %s: %s (is it "
			"running? see --socket)\n",
			v.o.socket, strerror(-st));
		return 1;
	}
	struct vgp_info info;
	size_t got;
	st = vgp_client_call(v.c, VGP_GET_INFO, NULL, 0, -1, &info,
			     sizeof(info), &got, NULL);
	if (st != VGP_OK || got != sizeof(info)) {
		rc = fail("GET_INFO", st == VGP_OK ? -EPROTO : st);
		goto close_client;
	}
	if (v.o.head >= info.nheads) {
		fprintf(stderr, "viogpu-view: no head %u: the device has %u\n",
			v.o.head, info.nheads);
		goto close_client;
	}
	st = view_front_open(&v.front, v.c, v.o.head);
	if (st == VGP_E_ACCESS_DENIED) {
		rc = restricted(&v);
		goto close_front;
	}
	if (st != VGP_OK) {
		rc = fail("following the head", st);
		goto close_front;
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr,
			"viogpu-view: no display: %s (set DISPLAY or "
			"WAYLAND_DISPLAY)\n",
			SDL_GetError());
		goto close_front;
	}
	if (!real_display()) {
		fprintf(stderr, "viogpu-view: no display (set DISPLAY or "
				"WAYLAND_DISPLAY)\n");
		goto quit_sdl;
	}
	if (v.o.verbose)
		fprintf(stderr, "viogpu-view: SDL video driver %s\n",
			SDL_GetCurrentVideoDriver());
	rc = run(&v);
	SDL_FreeSurface(v.scaled);
	if (v.win)
		SDL_DestroyWindow(v.win);
quit_sdl:
	SDL_Quit();
close_front:
	view_front_close(&v.front);
close_client:
	vgp_client_close(v.c);
	return rc;
}
