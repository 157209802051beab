// SPDX-License-Identifier: MIT
/* Resource accounting: the transitions of resources.h. */
#include "resources.h"

#include <string.h>

#include "gpu_internal.h"

vg_status vg_res_init(struct vg_gpu *gpu)
{
	gpu->res.id_used = gpu->os->ops->alloc(gpu->os, VG_MAX_RESOURCES);
	return gpu->res.id_used ? VG_OK : VG_E_NOMEM;
}

void vg_res_finish(struct vg_gpu *gpu)
{
	vg_res_reclaim(gpu);
	gpu->os->ops->free(gpu->os, gpu->res.id_used);
	gpu->res.id_used = NULL;
}

uint32_t vg_res_id_take(struct vg_gpu *gpu)
{
	for (uint32_t id = 1; id < VG_MAX_RESOURCES; id++)
		if (!gpu->res.id_used[id]) {
			gpu->res.id_used[id] = 1;
			return id;
		}
	return 0;
}

void vg_res_id_put(struct vg_gpu *gpu, uint32_t id)
{
	if (id && id < VG_MAX_RESOURCES)
		gpu->res.id_used[id] = 0;
}

void vg_res_backing_got(struct vg_gpu *gpu, const struct vg_dma *dma)
{
	gpu->res.live_backing_bytes += dma->size;
}

void vg_res_backing_free(struct vg_gpu *gpu, struct vg_dma *dma)
{
	if (!dma->cpu)
		return;
	gpu->res.live_backing_bytes -= dma->size;
	gpu->os->ops->dma_free(gpu->os, dma);
	memset(dma, 0, sizeof(*dma));
}

void vg_res_host_created(struct vg_gpu *gpu)
{
	gpu->res.live_resources++;
}

void vg_res_host_gone(struct vg_gpu *gpu)
{
	gpu->res.live_resources--;
}

void vg_res_quarantine(struct vg_gpu *gpu, uint32_t id, struct vg_dma *dma)
{
	struct vg_quarantine *q = gpu->os->ops->alloc(gpu->os, sizeof(*q));
	if (!q) {
		/* Without bookkeeping memory the safe choice is to leak:
		 * freeing under the device is worse. */
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "leaking resource %u held by the device", id);
		return;
	}
	q->id = id;
	if (dma && dma->cpu) {
		q->dma = *dma;
		memset(dma, 0, sizeof(*dma));
	}
	q->next = gpu->res.quarantine;
	gpu->res.quarantine = q;
}

void vg_res_reclaim(struct vg_gpu *gpu)
{
	while (gpu->res.quarantine) {
		struct vg_quarantine *q = gpu->res.quarantine;
		gpu->res.quarantine = q->next;
		vg_res_id_put(gpu, q->id);
		vg_res_backing_free(gpu, &q->dma);
		if (q->id)
			vg_res_host_gone(gpu);
		gpu->os->ops->free(gpu->os, q);
	}
}

void vg_res_forget_device(struct vg_gpu *gpu)
{
	for (struct vg_fb *fb = gpu->fbs; fb; fb = fb->next) {
		if (fb->on_device)
			vg_res_host_gone(gpu);
		fb->on_device = false;
	}
}
