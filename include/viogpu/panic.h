/* SPDX-License-Identifier: MIT */
/*
 * The bugcheck path: showing a picture when the OS is going down
 * (WDDM's DxgkDdiSystemDisplayEnable / DxgkDdiSystemDisplayWrite).
 *
 * Then interrupts are off, other processors are stopped wherever they
 * were (perhaps holding the core's locks, perhaps with commands on the
 * ring), and nothing may wait on an event or allocate.  So the panic
 * path takes no lock and trusts no driver state it did not set up
 * itself: it resets the device, reprograms the control queue on its
 * existing ring, and sends its commands from memory prepared beforehand,
 * polling the used ring with a time budget (os->now_ns) instead of
 * waiting for an interrupt.  After vg_gpu_panic_enter the gpu is only
 * good for more panic flushes and vg_gpu_destroy.
 *
 * Threading: vg_gpu_panic_prepare like any vg_gpu call (passive context,
 * serialized by the caller).  enter and flush are called by the one
 * thread still running; the caller must make sure the core's ISR and DPC
 * no longer run (the miniport layer drops them once it panics).
 */
#ifndef VIOGPU_PANIC_H
#define VIOGPU_PANIC_H

#include <stdint.h>

#include "viogpu/status.h"
#include "viogpu/types.h"

struct vg_gpu;

/* Prepares the panic path for head's mode framebuffer (vg_gpu_set_mode):
 * one DMA block for the commands, their responses and the backing entry
 * list, built now.  Call again after each mode change on head; freed by
 * vg_gpu_destroy.  VG_E_INVAL when head has no mode. */
vg_status vg_gpu_panic_prepare(struct vg_gpu *gpu, uint32_t head);

/* Resets the device and shows the prepared framebuffer on its head again
 * (create, attach backing, set scanout), polling.  No lock, no event, no
 * allocation.  VG_E_INVAL if nothing was prepared, VG_E_TIMEOUT when the
 * device does not answer within the budget. */
vg_status vg_gpu_panic_enter(struct vg_gpu *gpu);

/* Transfers and flushes r of the prepared framebuffer (its pixels were
 * written by the caller), polling.  Only after vg_gpu_panic_enter. */
vg_status vg_gpu_panic_flush(struct vg_gpu *gpu, const struct vg_rect *r);

#endif
