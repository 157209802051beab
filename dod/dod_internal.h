/* SPDX-License-Identifier: MIT */
/*
 * The device context behind struct vg_dod (include/viogpu/dod.h).
 *
 * Ownership: the context owns the gpu (StartDevice .. StopDevice), the
 * core lock, and a copy of the last pointer shape.  It wraps the
 * platform's vg_os: `os` (offset 0) is what the core sees; every op
 * forwards to `plat` except the interrupt trio, which routes the
 * platform's interrupts through vg_dod_interrupt_routine/dpc_routine.
 *
 * Threading: entry points follow the levels (dod.h); core calls hold
 * core_lock; fields written only by third-level calls (started, gpu,
 * children) are read by lower levels without a lock because the levels
 * keep them apart; fields a zero-level call reads beside a third-level
 * one (QueryAdapterInfo) are atomics.
 */
#ifndef VIOGPU_DOD_INTERNAL_H
#define VIOGPU_DOD_INTERNAL_H

#include <stdatomic.h>

#include "dod_level.h"
#include "viogpu/dod.h"

/* Bytes a 64x128 monochrome or a 64x64 32-bpp shape may take. */
#define DOD_SHAPE_BYTES (64u * 64u * 4u)

struct dod_source {
	uint32_t width, height; /* source mode, source orientation; 0: none */
	enum vg_rotation rotation;
	bool visible;
	bool child_d0; /* the target's monitor is on */
};

struct vg_dod {
	struct vg_os os; /* offset 0: the core's view */
	struct vg_os_ops ops;
	struct vg_os *plat;

	struct dod_levels lv;
	struct vg_lock *core_lock;
	struct vg_gpu *gpu;
	bool started;
	bool released; /* post-display ownership handed over */

	/* The core's interrupt pair, set by its irq_connect. */
	vg_isr_fn core_isr;
	vg_dpc_fn core_dpc;
	void *core_ctx;
	atomic_bool irq_connected;

	atomic_uint num_children;    /* cached at start for QueryAdapterInfo */
	atomic_bool reset_requested; /* ResetDevice */
	atomic_bool panicked;	     /* SystemDisplayEnable ran: irqs dropped */
	int32_t panic_target;	     /* prepared target, -1 none */
	struct dod_source src[VG_DOD_MAX_CHILDREN];

	/* Pointer: the last shape (a copy) and where it is. */
	uint8_t shape_bits[DOD_SHAPE_BYTES];
	struct vg_cursor_shape shape;
	bool have_shape, ptr_visible;
	uint32_t ptr_source;
	uint32_t ptr_x, ptr_y; /* framebuffer coordinates of the hot spot */

	/* Resolution event: set (gen > acked) until acknowledged. */
	atomic_uint res_gen, res_acked;
	void (*indicate)(void *ctx, uint32_t child_uid);
	void *indicate_ctx;

	atomic_ullong presents, present_rects, indications, core_errors;
	atomic_ullong dpcs_run, dpcs_dropped;

	/* The layer's TDR (start_info.auto_recover), under core_lock but
	 * tdr_pending, set wherever a core call's status is mapped. */
	bool recover;
	atomic_bool tdr_pending; /* a command timed out: take back */
	bool taken_back;	 /* taken back, not yet restarted */
	atomic_ullong tdr_take_backs, tdr_restarts;
};

vg_ntstatus dod_nt_from_vg(struct vg_dod *d, vg_status st);
void dod_log(struct vg_dod *d, enum vg_log_level lvl, const char *fmt, ...);
void dod_wrap_os(struct vg_dod *d, struct vg_os *plat);

#endif
