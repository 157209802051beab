/* SPDX-License-Identifier: MIT */
/*
 * The layer's own check of WDDM's synchronization levels (dod.h).  The
 * OS promises the levels; these counters say whether the promise held at
 * each entry.  Each enter_* either takes its slot and returns true, or
 * logs one "level violation" line, counts it, leaves every counter as it
 * was and returns false: the entry point then fails without touching
 * anything.
 *
 * Threading: any thread; only atomics (no lock, no os call but vlog).
 * Every enter first publishes its own slot and then reads the others
 * (sequentially consistent), so of two overlapping entries that exclude
 * each other at least one sees the other.
 */
#ifndef VIOGPU_DOD_LEVEL_H
#define VIOGPU_DOD_LEVEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/dod.h"
#include "viogpu/os.h"

struct dod_levels {
	struct vg_os *log_os; /* where violations are logged */
	atomic_int presents;  /* zero level: PresentDisplayOnly in flight */
	atomic_int zero;      /* other zero-level calls that touch the gpu */
	atomic_int pointer;   /* first level, pointer class */
	atomic_int child_io[VG_DOD_MAX_CHILDREN]; /* first level, per child */
	atomic_int second;
	atomic_int third;
	atomic_ullong violations;
};

/* Zero-level calls other than present that read the gpu (IsSupportedVidPn,
 * EnumVidPnCofuncModality): only a third-level call excludes them. */
bool dod_enter_zero(struct dod_levels *l, const char *ddi);
void dod_exit_zero(struct dod_levels *l);
bool dod_enter_present(struct dod_levels *l);
void dod_exit_present(struct dod_levels *l);
bool dod_enter_pointer(struct dod_levels *l, const char *ddi);
void dod_exit_pointer(struct dod_levels *l);
bool dod_enter_child(struct dod_levels *l, uint32_t child, const char *ddi);
void dod_exit_child(struct dod_levels *l, uint32_t child);
bool dod_enter_second(struct dod_levels *l, const char *ddi);
void dod_exit_second(struct dod_levels *l);
bool dod_enter_third(struct dod_levels *l, const char *ddi);
void dod_exit_third(struct dod_levels *l);

#endif
