/* SPDX-License-Identifier: MIT */
/*
 * Every virtio-gpu command the driver sends is built here, over one
 * skeleton (commands.c): take a request, fill the command little-endian,
 * queue it.  Notifying is separate: the vg_q_* builders only queue (the
 * caller rings one doorbell for a batch with vg_cmdq_kick and waits with
 * vg_cmd_wait); the synchronous vg_do_* helpers are queue + kick + wait on
 * the same skeleton and return the command's own status (a device refusal
 * as its VG_E_DEVICE_* code; a timeout also marks the device hung).
 * No other file fills a wire struct.
 *
 * Threading: passive context only (they may wait); callers serialize as
 * for the public calls.
 */
#ifndef VG_COMMANDS_H
#define VG_COMMANDS_H

#include <stdint.h>

#include "viogpu/os.h"
#include "wire.h"

struct vg_gpu;
struct vg_req;

/* ---- queued only (fenced), for batches ---- */
/* VG_E_BUSY when no request or ring slot is free (wait for some, retry). */
vg_status vg_q_transfer_to_host_2d(struct vg_gpu *gpu, uint32_t id,
				   const struct vg_rect *r, uint64_t offset,
				   struct vg_req **out);
vg_status vg_q_resource_flush(struct vg_gpu *gpu, uint32_t id,
			      const struct vg_rect *r, struct vg_req **out);

/* ---- synchronous: queue, kick, wait ---- */
vg_status vg_do_get_display_info(struct vg_gpu *gpu,
				 struct vg_resp_display_info *out);
/* out is large (1 KiB EDID): the caller provides it. */
vg_status vg_do_get_edid(struct vg_gpu *gpu, uint32_t head,
			 struct vg_resp_edid *out);
vg_status vg_do_resource_create_2d(struct vg_gpu *gpu, uint32_t id,
				   uint32_t format, uint32_t width,
				   uint32_t height);
/* Attaches the first bytes of backing as nentries merged entries (from
 * vg_backing_entries). */
vg_status vg_do_attach_backing(struct vg_gpu *gpu, uint32_t id,
			       const struct vg_dma *backing, uint64_t bytes,
			       uint32_t nentries);
vg_status vg_do_detach_backing(struct vg_gpu *gpu, uint32_t id);
vg_status vg_do_resource_unref(struct vg_gpu *gpu, uint32_t id);
/* id 0 disables head; r is the part of the resource shown. */
vg_status vg_do_set_scanout(struct vg_gpu *gpu, uint32_t head, uint32_t id,
			    const struct vg_rect *r);
/* UPDATE_CURSOR or MOVE_CURSOR on the cursor queue (no response: the
 * completion is the answer). */
vg_status vg_do_cursor(struct vg_gpu *gpu, uint32_t type, uint32_t head,
		       uint32_t id, uint32_t hot_x, uint32_t hot_y, uint32_t x,
		       uint32_t y);

/* Merges adjacent segments into mem entries; returns the entry count, or
 * 0 if more than max would be needed.  entries may be NULL (count only). */
uint32_t vg_backing_entries(const struct vg_dma *dma, uint64_t bytes,
			    struct vg_mem_entry *entries, uint32_t max);

#endif
