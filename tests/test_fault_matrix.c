// SPDX-License-Identifier: MIT
/*
 * The fault matrix: every fault kind of the device model against every
 * command type the driver sends.  Each cell runs one fixed scenario and
 * asserts its expected outcome (which call fails, with what status and
 * response code, what the counters say, what the head shows, whether the
 * watchdog brings the display back), then that nothing leaked.
 *
 * The scenario on a one-head device, with the healthy control command
 * numbers (cmd=N) in brackets:
 *   bring-up             [1] GET_DISPLAY_INFO [2] GET_EDID
 *   fb_create 160x100    [3] CREATE_2D [4] ATTACH_BACKING
 *   set_scanout          [5] SET_SCANOUT
 *   present (full)       [6] TRANSFER [7] FLUSH
 *   present (2 rects)    [8] [9] TRANSFER [10] FLUSH
 *   cursor_update        [11] CREATE_2D [12] ATTACH [13] TRANSFER,
 *                        UPDATE_CURSOR (cursor queue: no number)
 *   cursor_move          MOVE_CURSOR (cursor queue)
 *   refresh_displays     [14] GET_DISPLAY_INFO [15] GET_EDID
 *   screendump == the frame (or what the cell expects instead)
 *   fb_destroy           [16] SET_SCANOUT(0) [17] DETACH [18] UNREF
 *   vg_gpu_reset         rebuilds the cursor (cmd=N cells and cells of
 *                        harmless faults only: the fault must not recur)
 *   vg_gpu_destroy, then the zero-leak checks.
 *
 * Outcome classes (from src/core and the fault language):
 *   harmless  delay@30 (< the 150 ms timeout), spurious-irq, lost-irq (the
 *             waiter polls the used ring at the deadline), badid (ids
 *             that name no chain are skipped), event-storm, and oversize /
 *             badlen (the used length is clamped to the buffers offered:
 *             counted in bad_used_entries, the response itself is fine).
 *             The response lies do nothing on the cursor queue.
 *   error@X   the call that sends the type fails with the VG_E_DEVICE_*
 *             status of X; calls that do not send it keep working.
 *   short, wrongtype  VG_E_PROTOCOL, counted in bad_responses; the device
 *             did execute the command.
 *   drop, stall, needs-reset, late@400  the call fails with VG_E_TIMEOUT;
 *             late completions are counted; the watchdog resets.  With
 *             cmd=N the fault does not recur: the call is retried and the
 *             scenario goes on to the exact frame.  With type= the
 *             watchdog's rebuild fails when it resends the type, and the
 *             cell ends after checking what the reset brought back.
 *
 * One cmocka test per fault kind loops over the cells; a failure names the
 * cell and step.  FAULT_MATRIX_VERBOSE=1 prints every cell.
 */
#include "sim_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpu_internal.h"

#define W 160
#define H 100
#define TIMEOUT_MS 150
#define DELAY_MS 30
#define LATE_MS 400
#define STORM 32
#define STR_(x) #x
#define STR(x) STR_(x)

enum step {
	ST_UP,
	ST_FB_CREATE,
	ST_SET_SCANOUT,
	ST_PRESENT_FULL,
	ST_PRESENT_RECTS,
	ST_CURSOR_UPDATE,
	ST_CURSOR_MOVE,
	ST_REFRESH,
	ST_SCREEN,
	ST_FB_DESTROY,
	ST_RESET,
	ST_DOWN,
	ST_WATCHDOG, /* only for messages */
};

static const char *const step_names[] = {
	"bring-up",	    "fb_create",     "set_scanout",  "present(full)",
	"present(2 rects)", "cursor_update", "cursor_move",  "refresh_displays",
	"screendump",	    "fb_destroy",    "vg_gpu_reset", "vg_gpu_destroy",
	"vg_gpu_watchdog",
};

enum cls {
	HARMLESS,
	DEVICE_ERROR,
	PROTOCOL,
	HANG,
};

struct kind {
	const char *name;
	const char *arg; /* "@..." or "" */
	enum cls cls;
	bool resp_lie; /* no effect on the cursor queue */
};

static struct kind k_delay = {"delay", "@" STR(DELAY_MS), HARMLESS, false};
static struct kind k_drop = {"drop", "", HANG, false};
static struct kind k_late = {"late", "@" STR(LATE_MS), HANG, false};
static struct kind k_error = {"error", NULL, DEVICE_ERROR, true};
static struct kind k_short = {"short", "", PROTOCOL, true};
static struct kind k_oversize = {"oversize", "", HARMLESS, true};
static struct kind k_wrongtype = {"wrongtype", "", PROTOCOL, true};
static struct kind k_badid = {"badid", "", HARMLESS, false};
static struct kind k_badlen = {"badlen", "", HARMLESS, true};
static struct kind k_spurious = {"spurious-irq", "", HARMLESS, false};
static struct kind k_lost = {"lost-irq", "", HARMLESS, false};
static struct kind k_stall = {"stall", "", HANG, false};
static struct kind k_needs_reset = {"needs-reset", "", HANG, false};
static struct kind k_storm = {"event-storm", "@" STR(STORM), HARMLESS, false};

struct ctype {
	const char *name;
	uint32_t type;
	bool cursorq;
};

static const struct ctype types[] = {
	{"GET_DISPLAY_INFO", VG_CMD_GET_DISPLAY_INFO, false},
	{"GET_EDID", VG_CMD_GET_EDID, false},
	{"RESOURCE_CREATE_2D", VG_CMD_RESOURCE_CREATE_2D, false},
	{"RESOURCE_ATTACH_BACKING", VG_CMD_RESOURCE_ATTACH_BACKING, false},
	{"SET_SCANOUT", VG_CMD_SET_SCANOUT, false},
	{"TRANSFER_TO_HOST_2D", VG_CMD_TRANSFER_TO_HOST_2D, false},
	{"RESOURCE_FLUSH", VG_CMD_RESOURCE_FLUSH, false},
	{"RESOURCE_DETACH_BACKING", VG_CMD_RESOURCE_DETACH_BACKING, false},
	{"RESOURCE_UNREF", VG_CMD_RESOURCE_UNREF, false},
	{"UPDATE_CURSOR", VG_CMD_UPDATE_CURSOR, true},
	{"MOVE_CURSOR", VG_CMD_MOVE_CURSOR, true},
};
#define N_TYPES (sizeof(types) / sizeof(types[0]))

/* cmd=N cells: the Nth control command of the healthy scenario (the
 * cursor queue has no numbers).  GET_DISPLAY_INFO and GET_EDID use their
 * second use, so that bring-up succeeds. */
struct cmdvar {
	unsigned type_idx;
	unsigned n;
	enum step step;
};

static const struct cmdvar cmdvars[] = {
	{0, 14, ST_REFRESH},	 {1, 15, ST_REFRESH},
	{2, 3, ST_FB_CREATE},	 {3, 4, ST_FB_CREATE},
	{4, 5, ST_SET_SCANOUT},	 {5, 6, ST_PRESENT_FULL},
	{6, 7, ST_PRESENT_FULL}, {5, 13, ST_CURSOR_UPDATE},
	{4, 16, ST_FB_DESTROY},	 {7, 17, ST_FB_DESTROY},
	{8, 18, ST_FB_DESTROY},
};
#define N_CMDVARS (sizeof(cmdvars) / sizeof(cmdvars[0]))

static const struct {
	const char *name;
	uint32_t code;
} codes[] = {
	{"ERR_UNSPEC", VG_RESP_ERR_UNSPEC},
	{"ERR_OUT_OF_MEMORY", VG_RESP_ERR_OUT_OF_MEMORY},
	{"ERR_INVALID_SCANOUT_ID", VG_RESP_ERR_INVALID_SCANOUT_ID},
	{"ERR_INVALID_RESOURCE_ID", VG_RESP_ERR_INVALID_RESOURCE_ID},
	{"ERR_INVALID_PARAMETER", VG_RESP_ERR_INVALID_PARAMETER},
};
#define N_CODES (sizeof(codes) / sizeof(codes[0]))

/* What the head shows. */
enum screen {
	SCR_FRAME,     /* exactly the framebuffer */
	SCR_NOT_FRAME, /* a picture, but not the framebuffer's */
	SCR_NONE,      /* nothing (no scanout) */
};

struct run {
	const struct kind *k;
	uint32_t code; /* error@ */
	const struct ctype *t;
	const struct cmdvar *cv; /* NULL: type= selector */
	enum cls cls;		 /* effective: lies do nothing on the cursorq */
	char spec[96];
	struct env e;
	struct vg_fb *fb;
	bool scanout;	/* the driver shows fb on head 0 */
	bool fired;	/* cmd=N: the fault has struck */
	bool ended;	/* a type= hang: stop after the watchdog */
	bool did_reset; /* vg_gpu_reset ran (ST_RESET) */
	enum step step;
};

static struct run *cur;
static unsigned cells_run;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			print_error("cell '%s', step %s: ", cur->spec,         \
				    step_names[cur->step]);                    \
			print_error(__VA_ARGS__);                              \
			print_error(" [%s:%d: %s]\n", __FILE__, __LINE__,      \
				    #cond);                                    \
			fail();                                                \
		}                                                              \
	} while (0)

static bool verbose(void)
{
	const char *v = getenv("FAULT_MATRIX_VERBOSE");
	return v && *v && *v != '0';
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- the model: which step sends what ---- */

static bool sends(const struct run *r, enum step s, uint32_t t)
{
	const struct vg_gpu *g = r->e.gpu;

	switch (s) {
	case ST_UP:
	case ST_REFRESH:
		return t == VG_CMD_GET_DISPLAY_INFO || t == VG_CMD_GET_EDID;
	case ST_FB_CREATE:
		return t == VG_CMD_RESOURCE_CREATE_2D ||
		       t == VG_CMD_RESOURCE_ATTACH_BACKING;
	case ST_SET_SCANOUT:
		return t == VG_CMD_SET_SCANOUT;
	case ST_PRESENT_FULL:
	case ST_PRESENT_RECTS:
		return t == VG_CMD_TRANSFER_TO_HOST_2D ||
		       t == VG_CMD_RESOURCE_FLUSH;
	case ST_CURSOR_UPDATE:
		return t == VG_CMD_TRANSFER_TO_HOST_2D ||
		       t == VG_CMD_UPDATE_CURSOR ||
		       (!g->cursor_fb && (t == VG_CMD_RESOURCE_CREATE_2D ||
					  t == VG_CMD_RESOURCE_ATTACH_BACKING));
	case ST_CURSOR_MOVE:
		return t == VG_CMD_MOVE_CURSOR;
	case ST_FB_DESTROY:
		return t == VG_CMD_RESOURCE_DETACH_BACKING ||
		       t == VG_CMD_RESOURCE_UNREF ||
		       (r->scanout && t == VG_CMD_SET_SCANOUT);
	default:
		return false;
	}
}

/* Does the watchdog's rebuild (recover.c) send t, given what exists? */
static bool rebuild_sends(const struct run *r, uint32_t t)
{
	const struct vg_gpu *g = r->e.gpu;
	bool any_fb = r->fb || g->cursor_fb;
	bool cursor = g->cursor_fb && g->cursor_state.visible;

	if (t == VG_CMD_GET_DISPLAY_INFO || t == VG_CMD_GET_EDID)
		return true;
	if (any_fb && (t == VG_CMD_RESOURCE_CREATE_2D ||
		       t == VG_CMD_RESOURCE_ATTACH_BACKING))
		return true;
	if (r->fb && r->scanout &&
	    (t == VG_CMD_SET_SCANOUT || t == VG_CMD_TRANSFER_TO_HOST_2D ||
	     t == VG_CMD_RESOURCE_FLUSH))
		return true;
	return cursor &&
	       (t == VG_CMD_TRANSFER_TO_HOST_2D || t == VG_CMD_UPDATE_CURSOR);
}

static bool hits(struct run *r, enum step s)
{
	if (r->cv) {
		if (r->fired || s != r->cv->step)
			return false;
		r->fired = true;
		return true;
	}
	return sends(r, s, r->t->type);
}

/* The status a step that the fault strikes returns. */
static vg_status expected_status(const struct run *r)
{
	switch (r->cls) {
	case HARMLESS:
		return VG_OK;
	case DEVICE_ERROR:
		/* set_scanout(NULL) on head 0 takes ERR_INVALID_SCANOUT_ID as
		 * done (QEMU's quirk, display.c) and leaves no error behind. */
		if (r->step == ST_FB_DESTROY &&
		    r->code == VG_RESP_ERR_INVALID_SCANOUT_ID &&
		    r->t->type == VG_CMD_SET_SCANOUT)
			return VG_OK;
		return vg_status_from_resp(r->code);
	case PROTOCOL:
		return VG_E_PROTOCOL;
	case HANG:
		return VG_E_TIMEOUT;
	}
	return VG_OK;
}

/* What head 0 shows at the screendump step, for cells that get there. */
static enum screen expected_screen(const struct run *r)
{
	if (!r->fb)
		return SCR_NONE;
	if (r->cv || r->cls == HARMLESS)
		return SCR_FRAME; /* retried, or never failed */
	uint32_t t = r->t->type;
	if (r->cls == DEVICE_ERROR) {
		if (t == VG_CMD_SET_SCANOUT)
			return SCR_NONE;
		/* Without transfers the resource stays black; without
		 * flushes the head keeps what SET_SCANOUT showed: black. */
		if (t == VG_CMD_TRANSFER_TO_HOST_2D ||
		    t == VG_CMD_RESOURCE_FLUSH)
			return SCR_NOT_FRAME;
	}
	/* A garbled answer (short, wrongtype) comes after the device did
	 * the work: the head shows the frame although the calls failed. */
	return SCR_FRAME;
}

/* ---- checks ---- */

static void check_screen(struct run *r, enum screen want)
{
	uint32_t *dump = NULL, w = 0, h = 0;
	vg_status st = vg_sim_screendump(r->e.sim, 0, &dump, &w, &h);

	if (want == SCR_NONE) {
		free(dump);
		CHECK(st == VG_E_INVAL,
		      "head 0 shows a picture, want none (%s)",
		      vg_status_str(st));
		return;
	}
	CHECK(st == VG_OK, "screendump: %s", vg_status_str(st));
	CHECK(w == W && h == H, "head shows %ux%u", w, h);
	const uint32_t *px = vg_fb_pixels(r->fb);
	uint32_t pitch = vg_fb_stride(r->fb) / 4, bad = 0, first = 0;
	for (uint32_t i = 0; i < W * H; i++)
		if (dump[i] != (px[(i / W) * pitch + i % W] & 0xffffff)) {
			if (!bad++)
				first = i;
		}
	uint32_t got = bad ? dump[first] : 0;
	uint32_t exp = bad ? px[(first / W) * pitch + first % W] : 0;
	free(dump);
	if (want == SCR_FRAME)
		CHECK(bad == 0,
		      "%u pixels differ from the frame, first (%u,%u): "
		      "0x%06x != 0x%06x",
		      bad, first % W, first / W, got, exp);
	else
		CHECK(bad != 0,
		      "the head shows the frame, want something else");
}

static void check_no_leaks(struct run *r)
{
	struct vg_sim_counters c;

	vg_sim_get_counters(r->e.sim, &c);
	CHECK(c.os_allocs_live == 0, "%ld os allocations live",
	      c.os_allocs_live);
	CHECK(c.dma_bytes_in_use == 0, "%llu DMA bytes in use",
	      (unsigned long long)c.dma_bytes_in_use);
	CHECK(c.live_resources == 0, "%u device resources live",
	      c.live_resources);
	CHECK(c.hostmem_bytes == 0, "%llu host bytes live",
	      (unsigned long long)c.hostmem_bytes);
	CHECK(c.attached_backings == 0, "%u backings attached",
	      c.attached_backings);
}

static uint64_t polled(struct vg_gpu *g, struct vg_cmdq *q)
{
	g->os->ops->lock(g->os, q->lock);
	uint64_t n = q->stats.polled_completions;
	g->os->ops->unlock(g->os, q->lock);
	return n;
}

/* Counters before teardown, by outcome class. */
static void check_counters(struct run *r)
{
	struct vg_gpu_stats st;
	struct vg_sim_counters c;
	const char *kn = r->k->name;

	vg_gpu_get_stats(r->e.gpu, &st);
	vg_sim_get_counters(r->e.sim, &c);
	if (r->cv)
		CHECK(c.faults_injected == 1, "faults_injected %llu, want 1",
		      (unsigned long long)c.faults_injected);
	else
		CHECK(c.faults_injected >= 1, "the fault never struck");

	switch (r->cls) {
	case HARMLESS:
		CHECK(st.timeouts == 0, "%llu timeouts",
		      (unsigned long long)st.timeouts);
		CHECK(st.device_errors == 0 && c.error_responses == 0,
		      "device errors: driver %llu, device %llu",
		      (unsigned long long)st.device_errors,
		      (unsigned long long)c.error_responses);
		CHECK(st.bad_responses == 0, "%llu bad responses",
		      (unsigned long long)st.bad_responses);
		CHECK(st.resets == (r->did_reset ? 1u : 0u), "%llu resets",
		      (unsigned long long)st.resets);
		if (r->k == &k_badid ||
		    ((r->k == &k_oversize || r->k == &k_badlen) &&
		     !r->t->cursorq))
			CHECK(st.bad_used_entries >= 1,
			      "%s not counted in bad_used_entries", kn);
		else
			CHECK(st.bad_used_entries == 0, "%llu bad used entries",
			      (unsigned long long)st.bad_used_entries);
		/* A lost completion is found by polling at the deadline,
		 * unless a later completion's interrupt collects it first:
		 * FLUSH always follows a TRANSFER in one batch, so only the
		 * other types have a call that must poll. */
		if (r->k == &k_lost && !r->cv &&
		    r->t->type != VG_CMD_RESOURCE_FLUSH) {
			struct vg_gpu *g = r->e.gpu;
			uint64_t n = polled(g, r->t->cursorq ? &g->cursor
							     : &g->ctrl);
			CHECK(n >= 1, "no completion found by polling");
		}
		break;
	case DEVICE_ERROR:
		CHECK(st.device_errors >= 1 && c.error_responses >= 1,
		      "device errors: driver %llu, device %llu",
		      (unsigned long long)st.device_errors,
		      (unsigned long long)c.error_responses);
		CHECK(st.timeouts == 0 && st.bad_responses == 0,
		      "timeouts %llu, bad responses %llu",
		      (unsigned long long)st.timeouts,
		      (unsigned long long)st.bad_responses);
		break;
	case PROTOCOL:
		CHECK(st.bad_responses >= 1, "bad_responses not counted");
		CHECK(st.timeouts == 0 && st.device_errors == 0,
		      "timeouts %llu, device errors %llu",
		      (unsigned long long)st.timeouts,
		      (unsigned long long)st.device_errors);
		break;
	case HANG:
		CHECK(st.timeouts >= 1, "no timeout counted");
		CHECK(st.resets >= 1, "no reset counted");
		if (r->k == &k_late)
			CHECK(st.late_completions >= 1,
			      "no late completion counted");
		break;
	}
}

/* ---- the scenario ---- */

static uint32_t cursor_img[64 * 64];

static const struct vg_rect rects[2] = {{5, 7, 40, 30}, {100, 50, 60, 50}};

/* Runs step s; returns the call's own status. */
static vg_status do_step(struct run *r, enum step s)
{
	struct vg_gpu *g = r->e.gpu;
	vg_status st = VG_OK;

	switch (s) {
	case ST_FB_CREATE:
		r->fb = (struct vg_fb *)1; /* must be overwritten */
		st = vg_fb_create(g, W, H, &r->fb);
		if (st == VG_OK) {
			CHECK(r->fb != NULL, "no fb");
			draw(r->fb, NULL, 1);
		} else {
			CHECK(r->fb == NULL, "fb left behind on failure");
		}
		break;
	case ST_SET_SCANOUT:
		st = vg_gpu_set_scanout(g, 0, r->fb);
		r->scanout = st == VG_OK;
		break;
	case ST_PRESENT_FULL:
		st = vg_gpu_present(g, r->fb, NULL, 0);
		break;
	case ST_PRESENT_RECTS:
		draw(r->fb, &rects[0], 2);
		draw(r->fb, &rects[1], 3);
		st = vg_gpu_present(g, r->fb, rects, 2);
		break;
	case ST_CURSOR_UPDATE:
		st = vg_gpu_cursor_update(g, 0, cursor_img, 1, 2, 30, 40);
		break;
	case ST_CURSOR_MOVE:
		st = vg_gpu_cursor_move(g, 0, 50, 60);
		break;
	case ST_REFRESH:
		st = vg_gpu_refresh_displays(g);
		break;
	case ST_FB_DESTROY:
		st = vg_fb_destroy(r->fb);
		r->fb = NULL;
		r->scanout = false;
		break;
	case ST_RESET:
		st = vg_gpu_reset(g);
		r->did_reset = true;
		break;
	default:
		break;
	}
	return st;
}

static bool needs_fb(enum step s)
{
	return s == ST_SET_SCANOUT || s == ST_PRESENT_FULL ||
	       s == ST_PRESENT_RECTS || s == ST_FB_DESTROY;
}

/* A hang: the call timed out.  Late completions land, the watchdog
 * resets, and the display comes back. */
static void recover(struct run *r, enum step s)
{
	struct vg_gpu_stats st;
	bool did = false;

	if (r->k == &k_late) {
		/* Completions are LATE_MS after submission; the call gave up
		 * after TIMEOUT_MS.  Allow a loaded machine some slack. */
		uint64_t until = now_ms() + LATE_MS + 2000;
		do {
			sleep_ms(20);
			vg_gpu_get_stats(r->e.gpu, &st);
		} while (st.late_completions == 0 && now_ms() < until);
		CHECK(st.late_completions >= 1,
		      "the late completion was not counted");
	}
	bool resend = !r->cv && rebuild_sends(r, r->t->type);
	vg_status want = resend ? VG_E_TIMEOUT : VG_OK;
	vg_status got = vg_gpu_watchdog(r->e.gpu, &did);
	r->step = ST_WATCHDOG;
	CHECK(did, "after %s timed out the watchdog did not reset",
	      step_names[s]);
	CHECK(got == want, "watchdog returned %s, want %s", vg_status_str(got),
	      vg_status_str(want));
	r->step = s;

	if (r->cv) {
		/* The fault does not recur: the call works again. */
		if (s != ST_FB_DESTROY) {
			vg_status again = do_step(r, s);
			CHECK(again == VG_OK, "retry after reset: %s",
			      vg_status_str(again));
		}
		return;
	}
	/* type=: every command of the type hangs, so stop here, after
	 * checking what the reset brought back and that the driver works
	 * for the other types. */
	r->ended = true;
	if (got != VG_OK)
		return;
	check_screen(r, r->fb && r->scanout ? SCR_FRAME : SCR_NONE);
	vg_status ref = vg_gpu_refresh_displays(r->e.gpu);
	CHECK(ref == VG_OK, "refresh after reset: %s", vg_status_str(ref));
}

static void run_cell(struct run *r)
{
	struct vg_sim_config cfg = {.faults = r->spec};
	struct vg_gpu_options opt = {.cmd_timeout_ms = TIMEOUT_MS};
	uint64_t t0 = now_ms();
	vg_status st;

	cur = r;
	r->cls = r->t->cursorq && r->k->resp_lie ? HARMLESS : r->k->cls;
	if (verbose())
		print_message("  cell %s\n", r->spec);

	r->step = ST_UP;
	CHECK(vg_sim_create(&cfg, &r->e.sim) == VG_OK, "bad fault spec");
	st = vg_gpu_create(vg_sim_os(r->e.sim), &opt, &r->e.gpu);
	vg_status want = hits(r, ST_UP) ? expected_status(r) : VG_OK;
	CHECK(st == want, "vg_gpu_create returned %s, want %s",
	      vg_status_str(st), vg_status_str(want));
	if (st != VG_OK) {
		/* Allowed only for the bring-up types: nothing may stay. */
		CHECK(r->e.gpu == NULL, "gpu left behind");
		struct vg_sim_counters c;
		vg_sim_get_counters(r->e.sim, &c);
		CHECK(c.faults_injected >= 1, "the fault never struck");
		check_no_leaks(r);
		vg_sim_destroy(r->e.sim);
		cells_run++;
		return;
	}

	for (enum step s = ST_FB_CREATE; s <= ST_RESET && !r->ended; s++) {
		r->step = s;
		if (needs_fb(s) && !r->fb)
			continue;
		if (s == ST_SCREEN) {
			check_screen(r, expected_screen(r));
			continue;
		}
		if (s == ST_RESET && !r->cv && r->cls != HARMLESS)
			continue; /* the fault would strike the rebuild */
		bool hit = s != ST_RESET && hits(r, s);
		want = hit ? expected_status(r) : VG_OK;
		st = do_step(r, s);
		CHECK(st == want, "returned %s, want %s%s", vg_status_str(st),
		      vg_status_str(want), hit ? "" : " (not hit)");
		if (s == ST_RESET) {
			/* Only the cursor is left, and no scanout. */
			struct vg_gpu_stats gs;
			struct vg_sim_counters c;
			vg_gpu_get_stats(r->e.gpu, &gs);
			vg_sim_get_counters(r->e.sim, &c);
			CHECK(gs.live_resources == 1 && c.live_resources == 1,
			      "live resources after reset: driver %u, "
			      "device %u, want 1",
			      gs.live_resources, c.live_resources);
			check_screen(r, SCR_NONE);
		}
		if (st == VG_OK)
			continue;
		/* The call's own status carries the device's code. */
		if (r->cls == DEVICE_ERROR)
			CHECK(vg_status_resp_code(st) == r->code,
			      "resp_type %s, want %s",
			      vg_resp_type_str(vg_status_resp_code(st)),
			      vg_resp_type_str(r->code));
		else
			CHECK(!vg_status_is_device_error(st),
			      "device error %s in a %s cell", vg_status_str(st),
			      "non-error");
		if (r->cls == HANG) {
			recover(r, s);
		} else if (r->cv && s != ST_FB_DESTROY) {
			vg_status again = do_step(r, s);
			CHECK(again == VG_OK, "retry: %s",
			      vg_status_str(again));
		}
	}

	r->step = ST_DOWN;
	check_counters(r);
	vg_fb_destroy(r->fb); /* cells that ended early */
	r->fb = NULL;
	vg_gpu_destroy(r->e.gpu);
	r->e.gpu = NULL;
	check_no_leaks(r);
	vg_sim_destroy(r->e.sim);
	r->e.sim = NULL;
	cells_run++;
	if (verbose())
		print_message("  cell %s: ok (%llu ms)\n", r->spec,
			      (unsigned long long)(now_ms() - t0));
}

/* Every command type with type=, then the cmd=N cells. */
static void run_kind(const struct kind *k, uint32_t code, const char *arg)
{
	uint64_t t0 = now_ms();
	unsigned before = cells_run;

	for (unsigned i = 0; i < N_TYPES + N_CMDVARS; i++) {
		struct run r = {.k = k, .code = code};
		if (i < N_TYPES) {
			r.t = &types[i];
			snprintf(r.spec, sizeof(r.spec), "%s:type=%s%s",
				 k->name, r.t->name, arg);
		} else {
			r.cv = &cmdvars[i - N_TYPES];
			r.t = &types[r.cv->type_idx];
			snprintf(r.spec, sizeof(r.spec), "%s:cmd=%u%s", k->name,
				 r.cv->n, arg);
		}
		run_cell(&r);
	}
	print_message("  %s%s: %u cells ok in %llu ms\n", k->name, arg,
		      cells_run - before, (unsigned long long)(now_ms() - t0));
}

static void test_kind(void **state)
{
	const struct kind *k = *state;
	run_kind(k, 0, k->arg);
}

static void test_error(void **state)
{
	char arg[40];
	(void)state;
	for (unsigned i = 0; i < N_CODES; i++) {
		snprintf(arg, sizeof(arg), "@%s", codes[i].name);
		run_kind(&k_error, codes[i].code, arg);
	}
}

/* The scenario's command numbers, which the cmd=N cells rely on. */
static void test_healthy_numbering(void **state)
{
	static const struct {
		enum step step;
		uint64_t commands; /* both queues, after the step */
	} want[] = {
		{ST_FB_CREATE, 4},	{ST_SET_SCANOUT, 5},
		{ST_PRESENT_FULL, 7},	{ST_PRESENT_RECTS, 10},
		{ST_CURSOR_UPDATE, 14}, {ST_CURSOR_MOVE, 15},
		{ST_REFRESH, 17},	{ST_FB_DESTROY, 20},
	};
	struct run r = {.k = &k_delay, .t = &types[0]};
	struct vg_sim_counters c;

	(void)state;
	cur = &r;
	snprintf(r.spec, sizeof(r.spec), "(no fault)");
	env_up(&r.e, NULL, TIMEOUT_MS);
	vg_sim_get_counters(r.e.sim, &c);
	CHECK(c.commands == 2, "bring-up sent %llu commands",
	      (unsigned long long)c.commands);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (want[i].step == ST_FB_DESTROY) {
			r.step = ST_SCREEN;
			check_screen(&r, SCR_FRAME);
		}
		r.step = want[i].step;
		CHECK(do_step(&r, want[i].step) == VG_OK, "failed");
		vg_sim_get_counters(r.e.sim, &c);
		CHECK(c.commands == want[i].commands,
		      "%llu commands so far, want %llu",
		      (unsigned long long)c.commands,
		      (unsigned long long)want[i].commands);
	}
	env_down(&r.e);
}

int main(void)
{
	for (unsigned i = 0; i < 64 * 64; i++)
		cursor_img[i] = 0xff000000u | i * 2654435761u >> 8;
#define KIND_TEST(k)                                                           \
	{                                                                      \
		.name = "fault " #k, .test_func = test_kind,                   \
		.initial_state = &k_##k                                        \
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy_numbering),
		KIND_TEST(delay),
		KIND_TEST(drop),
		KIND_TEST(late),
		{.name = "fault error", .test_func = test_error},
		KIND_TEST(short),
		KIND_TEST(oversize),
		KIND_TEST(wrongtype),
		KIND_TEST(badid),
		KIND_TEST(badlen),
		KIND_TEST(spurious),
		KIND_TEST(lost),
		KIND_TEST(stall),
		KIND_TEST(needs_reset),
		KIND_TEST(storm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
