/* SPDX-License-Identifier: MIT */
/*
 * The OS model's state and helpers (osmodel.h).
 *
 * The gate: the synchronization levels as dxgkrnl enforces them, a
 * mutex and a condition variable over counts of what runs.  A waiting
 * second- or third-level call blocks new presents, so a busy DWM thread
 * cannot starve a commit.
 *
 * The desktop: per source, what the model last presented (B8G8R8A8,
 * source orientation, tightly packed); the device's screendump must equal
 * it turned by the path's rotation.
 */
#ifndef VIOGPU_OSM_INTERNAL_H
#define VIOGPU_OSM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/format.h"
#include "osmodel.h"
#include "viogpu/dod.h"
#include "viogpu/host.h"

enum osm_class {
	OSM_QAI,     /* QueryAdapterInfo: beside anything */
	OSM_ZERO,    /* other zero-level calls: not during third level */
	OSM_PRESENT, /* zero level, but not during second or third */
	OSM_POINTER, /* first level, pointer class */
	OSM_CHILD,   /* first level, per child */
	OSM_SECOND,
	OSM_THIRD,
};

struct osm_source {
	uint32_t w, h; /* source mode; 0: not committed */
	enum vg_rotation rot;
	uint32_t *desk; /* w * h, what was presented */
	bool full_next; /* the next present sends the whole source */
};

struct osm {
	const struct osm_scenario *sc;
	const struct osm_options *opt;
	struct osm_report *rep;
	struct vg_host *host;
	struct vg_dod *dod;
	unsigned heads;
	bool break_levels; /* the gate lets everything through */

	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n_zero, n_present, n_pointer, n_child[VG_DOD_MAX_CHILDREN];
	int n_second, n_third, waiting_exclusive;

	pthread_mutex_t report_mu;
	atomic_uint indications;
	struct osm_source src[VG_DOD_MAX_CHILDREN];
	uint64_t dma_base, objs_base;
};

void osm_gate_enter(struct osm *m, enum osm_class c, uint32_t child);
void osm_gate_exit(struct osm *m, enum osm_class c, uint32_t child);

/* One check: prints "ok WHAT" or "FAIL WHAT" and counts it. */
bool osm_check(struct osm *m, bool ok, const char *fmt, ...) VG_PRINTF(3, 4);
void osm_note(struct osm *m, const char *fmt, ...) VG_PRINTF(2, 3);

/* PnP: AddDevice + StartDevice + child relations; false on failure. */
bool osm_pnp_start(struct osm *m);
/* StopDevice + RemoveDevice, then the device must hold nothing. */
void osm_stop_remove(struct osm *m);
/* Commits source s at w x h with rot (gate SECOND); the desktop is
 * repainted and presented whole. */
vg_ntstatus osm_commit(struct osm *m, uint32_t s, uint32_t w, uint32_t h,
		       enum vg_rotation rot);
/* One DWM frame on source s: typing, a clock, a scrolling window, video. */
vg_ntstatus osm_dwm_frame(struct osm *m, uint32_t s, unsigned frame);
/* A whole-source present of the desktop. */
vg_ntstatus osm_present_full(struct osm *m, uint32_t s);
/* Compares every committed source's screendump with its desktop. */
void osm_check_screens(struct osm *m, const char *when);
void osm_sleep_ms(unsigned ms);
/* Waits up to ms for the indication count to pass `seen`. */
bool osm_wait_indication(struct osm *m, unsigned seen, unsigned ms);

/* Gated calls (the gate, then the DDI). */
vg_ntstatus osm_set_power(struct osm *m, uint32_t uid, enum vg_power_state st,
			  enum vg_power_reason why);
vg_ntstatus osm_child_status(struct osm *m, uint32_t uid, bool *connected);
vg_ntstatus osm_escape(struct osm *m, struct vg_dod_escape *e);

#endif
