/* SPDX-License-Identifier: MIT */
/*
 * The OS model: a harness that plays dxgkrnl against the miniport layer
 * (include/viogpu/dod.h) on a device from the host layer (host.h).
 *
 * It drives the layer as Windows does -- PnP start, VidPN commits, a
 * DWM-like present thread, a pointer thread, child status polls, hot-plug
 * indications, sleep and hibernate, timeout recovery, stop and remove --
 * and schedules calls concurrently exactly as far as the synchronization
 * levels allow (a gate: zero-level calls concurrent, first level one per
 * class, second level exclusive of presents, third level exclusive of
 * everything but QueryAdapterInfo).  With break_levels the gate lets
 * everything through, so the layer's own checks must catch the overlap.
 *
 * Each scenario prints one line per check ("ok ..." / "FAIL ...") through
 * the caller's print function and checks the device's screendump against
 * what the model presented, and zero leaks at remove.
 *
 * Threading: osm_run is called by one thread; it starts and joins its own.
 */
#ifndef VIOGPU_OSMODEL_H
#define VIOGPU_OSMODEL_H

#include <stdbool.h>
#include <stdint.h>

struct osm_options {
	const char *device; /* host.h --device text; NULL: the scenario's */
	const char *faults; /* NULL: the scenario's own */
	unsigned frames;    /* DWM frames per source; 0: the scenario's */
	void (*print)(void *ctx, const char *line);
	void *print_ctx;
};

struct osm_report {
	unsigned checks, failures;
	char first_failure[256];
	/* What the layer's level checks caught (break-the-levels). */
	unsigned long long level_violations;
};

struct osm; /* one run's state, osmodel.c */

struct osm_scenario {
	const char *name;
	const char *what;   /* one line */
	const char *device; /* default device text */
	const char *faults; /* default faults, NULL: none */
	void (*run)(struct osm *m);
};

/* The scenarios, in the order `viogpu wddm --list` names them. */
const struct osm_scenario *osm_scenarios(unsigned *count);
const struct osm_scenario *osm_find(const char *name);
/* Runs one; returns 0 when every check passed, 1 otherwise, 2 when the
 * device could not be opened (msg in the report). */
int osm_run(const struct osm_scenario *sc, const struct osm_options *opt,
	    struct osm_report *rep);

#endif
