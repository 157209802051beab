/* SPDX-License-Identifier: MIT */
/*
 * The one owner of resource accounting: resource ids, the host resources
 * the device holds (or may hold), the backing bytes the driver has
 * allocated for them, and the quarantine.  Every change of the counters
 * that vg_gpu_get_stats reports happens in a transition below, and only
 * there.
 *
 * A framebuffer's resource goes through:
 *   id taken (vg_res_id_take) -> backing allocated (vg_res_backing_got)
 *   -> host resource created (vg_res_host_created: CREATE_2D answered, or
 *   may have landed) -> backed (ATTACH_BACKING; fb->on_device) -> shown on
 *   scanouts (the scanout table, no counter) -> one of:
 *     freed: unref confirmed (vg_res_host_gone), backing freed
 *       (vg_res_backing_free), id returned (vg_res_id_put);
 *     quarantined (vg_res_quarantine): the device may still use the id
 *       and/or the backing, so both are kept, still counted, until
 *     reclaimed (vg_res_reclaim) after a device reset: counted off and
 *       freed;
 *     forgotten (vg_res_forget_device): a reset took every host resource
 *       back; the fbs keep their ids and backing for the rebuild.
 * live_resources = host resources the device holds or may hold (fbs on the
 * device, quarantined ids, leaked ids); live_backing_bytes = backing the
 * driver allocated and has not freed (fbs' and quarantined).
 *
 * Threading: passive context, serialized like the public calls.
 */
#ifndef VG_RESOURCES_H
#define VG_RESOURCES_H

#include <stdint.h>

#include "viogpu/os.h"

struct vg_gpu;

/* A host resource or a backing the device may still use after a failed
 * command: kept until the device is reset, never reused before. */
struct vg_quarantine {
	struct vg_quarantine *next;
	uint32_t id; /* 0 if only memory */
	struct vg_dma dma;
};

struct vg_resources {
	uint8_t *id_used; /* VG_MAX_RESOURCES flags, [0] unused */
	struct vg_quarantine *quarantine;
	uint32_t live_resources;
	uint64_t live_backing_bytes;
};

vg_status vg_res_init(struct vg_gpu *gpu);
/* After the device was reset (or never started): reclaims and frees. */
void vg_res_finish(struct vg_gpu *gpu);

/* A free id, or 0 when all VG_MAX_RESOURCES - 1 are taken. */
uint32_t vg_res_id_take(struct vg_gpu *gpu);
void vg_res_id_put(struct vg_gpu *gpu, uint32_t id); /* 0 ok */

/* Backing bytes: counted when allocated, uncounted when freed here. */
void vg_res_backing_got(struct vg_gpu *gpu, const struct vg_dma *dma);
void vg_res_backing_free(struct vg_gpu *gpu, struct vg_dma *dma);

/* The device holds (or may hold) one more / one fewer host resource. */
void vg_res_host_created(struct vg_gpu *gpu);
void vg_res_host_gone(struct vg_gpu *gpu);

/* Keeps id (0: none) and dma (NULL or zeroed: none; taken, *dma zeroed)
 * until the next reset; counted as they were.  Without bookkeeping memory
 * they leak, and stay counted. */
void vg_res_quarantine(struct vg_gpu *gpu, uint32_t id, struct vg_dma *dma);
/* After a reset: every quarantined id and backing is the driver's again. */
void vg_res_reclaim(struct vg_gpu *gpu);
/* After a reset: every fb is off the device (ids and backing kept). */
void vg_res_forget_device(struct vg_gpu *gpu);

#endif
