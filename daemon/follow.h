/* SPDX-License-Identifier: MIT */
/*
 * viogpud's resolution service: watches the device's display changes (a
 * VM window resized, a monitor plugged or unplugged), gives each head the
 * host's preferred size when asked to (viogpud --follow), and tells the
 * subscribed clients (VGP_EVENT_DISPLAY, protocol.h).
 *
 * Level-triggered: the device's notification (vg_gpu_options'
 * on_display_change, follow_notify here) only makes an eventfd readable;
 * the daemon's thread then reads the current display state
 * (vg_gpu_update_displays) and compares every head with what it shows.
 * Nothing counts notifications: a change that arrives while the daemon is
 * busy (in a mode set, reading the state) leaves the eventfd readable and
 * the device's event register set, so it is read on a later turn.  The
 * register is also polled every poll_ms while nothing is pending, so a
 * lost interrupt delays a change but never loses it.
 *
 * Coalescing: a notification opens a window; the state is read and
 * applied quiet_ms after the last notification or max_ms after the first,
 * whichever comes first, so a window being dragged costs one mode set
 * per max_ms at most and ends at the last size.
 *
 * Threading: follow_notify runs on the driver's deferred thread (it writes
 * the eventfd and nothing else); every other function on the daemon's
 * thread, which serializes them with the server's driver calls.
 * Ownership: a follow owns its eventfd; it borrows the gpu and the server
 * from follow_start on.  Destroy it after the gpu (the driver may call
 * follow_notify until vg_gpu_destroy returns).
 */
#ifndef VIOGPUD_FOLLOW_H
#define VIOGPUD_FOLLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/gpu.h"

struct srv;

#define FOLLOW_QUIET_MS 100u
#define FOLLOW_MAX_MS 500u
#define FOLLOW_POLL_MS 1000u

struct follow_opts {
	bool apply;	   /* --follow: set modes; false: only tell */
	uint32_t quiet_ms; /* after the last notification */
	uint32_t max_ms;   /* after the first; >= quiet_ms */
	uint32_t poll_ms;  /* event register poll; 0: never */
	int verbose;
};

struct follow_stats {
	uint64_t notifications; /* turns that saw a notification */
	uint64_t readings;	/* vg_gpu_update_displays calls */
	uint64_t mode_sets;	/* heads given a new mode or switched off */
	uint64_t failures;	/* readings or mode sets that failed */
	uint64_t events;	/* VGP_EVENT_DISPLAY posted (one per head) */
};

/* NULL (after a message) when the eventfd cannot be made. */
struct follow *follow_create(const struct follow_opts *o);
/* Frees it; accepts NULL.  After vg_gpu_destroy. */
void follow_destroy(struct follow *f);

/* vg_gpu_options.on_display_change, with the follow as its ctx. */
void follow_notify(void *follow);

/* Starts watching: records what each head shows now (announced as
 * nothing changed) and notes a change the device holds already. */
void follow_start(struct follow *f, struct vg_gpu *gpu, struct srv *s);

/* The eventfd to poll for POLLIN. */
int follow_fd(const struct follow *f);
/* How long the poll loop may sleep before follow_run is due: ms, or -1
 * for no limit. */
int follow_timeout_ms(const struct follow *f);
/* One turn, after every poll: notes notifications, and reads and applies
 * the display state when the coalescing window closes. */
void follow_run(struct follow *f);

void follow_get_stats(const struct follow *f, struct follow_stats *out);

/* Parses "QUIET[,MAX]" in ms (--follow-coalesce) into o; MAX defaults to
 * max(QUIET, 500).  -1 after a message on stderr. */
int follow_parse_coalesce(const char *text, struct follow_opts *o);

#endif
