// SPDX-License-Identifier: MIT
/* Device lifecycle: bring-up, teardown, info and stats. */
#include <string.h>

#include "gpu_internal.h"
#include "hdr_head.h"

/* ACCESS_PLATFORM: every platform gives the device the addresses its
 * dma_alloc returns (IOVAs behind an IOMMU, physical addresses without
 * one), which is what acking it promises; a device offers it when it sits
 * behind an IOMMU and then would bypass the translation unless acked. */
#define WANTED_FEATURES                                                        \
	((1ull << VG_F_VERSION_1) | (1ull << VG_F_EDID) |                      \
	 (1ull << VG_F_RING_INDIRECT_DESC) | (1ull << VG_F_RING_EVENT_IDX) |   \
	 (1ull << VG_F_ACCESS_PLATFORM))
#define REQUIRED_FEATURES (1ull << VG_F_VERSION_1)

static vg_status gpu_start(struct vg_gpu *gpu)
{
	vg_status st;
	const struct vg_os_ops *ops = gpu->os->ops;

	st = vg_tp_probe(&gpu->tp, gpu->os);
	if (st != VG_OK)
		return st;
	st = vg_tp_reset(&gpu->tp);
	if (st != VG_OK)
		return st;
	st = vg_tp_negotiate(&gpu->tp, WANTED_FEATURES, REQUIRED_FEATURES);
	if (st != VG_OK)
		return st;
	st = vg_cmdq_init(&gpu->ctrl, gpu->os, &gpu->tp, VG_CTRLQ, 256,
			  VG_CTRL_REQS, true, gpu->opt.verbose);
	if (st != VG_OK)
		return st;
	st = vg_cmdq_init(&gpu->cursor, gpu->os, &gpu->tp, VG_CURSORQ, 64,
			  VG_CURSOR_REQS, false, gpu->opt.verbose);
	if (st != VG_OK)
		return st;
	st = ops->irq_connect(gpu->os, vg_gpu_isr, vg_gpu_dpc, gpu);
	if (st != VG_OK)
		return st;
	gpu->irq_connected = true;
	vg_tp_add_status(&gpu->tp, VG_STATUS_DRIVER_OK);
	gpu->driver_ok = true;
	if (vg_tp_get_status(&gpu->tp) & VG_STATUS_NEEDS_RESET)
		return VG_E_NEEDS_RESET;

	uint32_t n = vg_tp_dev_read32(
		&gpu->tp, offsetof(struct vg_gpu_config, num_scanouts));
	if (n == 0 || n > VG_MAX_SCANOUTS) {
		vg_gpu_log(gpu, VG_LOG_ERROR,
			   "device reports %u scanouts (1..%u allowed)", n,
			   VG_MAX_SCANOUTS);
		return VG_E_PROTOCOL;
	}
	gpu->num_scanouts = n;
	return vg_display_read_all(gpu);
}

/* Undoes gpu_start in reverse, whatever point it reached.  The reset comes
 * first: after it the device owns no buffer, so everything can go. */
static void gpu_stop(struct vg_gpu *gpu)
{
	if (gpu->tp.os)
		(void)vg_tp_reset(&gpu->tp);
	if (gpu->irq_connected)
		gpu->os->ops->irq_disconnect(gpu->os);
	gpu->irq_connected = false;
	gpu->driver_ok = false;
	if (gpu->cursor.os)
		vg_cmdq_reset(&gpu->cursor);
	if (gpu->ctrl.os)
		vg_cmdq_reset(&gpu->ctrl);
	vg_res_reclaim(gpu);
	vg_cmdq_finish(&gpu->cursor);
	vg_cmdq_finish(&gpu->ctrl);
}

vg_status vg_gpu_create(struct vg_os *os, const struct vg_gpu_options *opt,
			struct vg_gpu **out)
{
	struct vg_gpu *gpu;
	vg_status st;

	*out = NULL;
	gpu = os->ops->alloc(os, sizeof(*gpu));
	if (!gpu)
		return VG_E_NOMEM;
	gpu->os = os;
	if (opt)
		gpu->opt = *opt;
	if (!gpu->opt.cmd_timeout_ms)
		gpu->opt.cmd_timeout_ms = 5000;
	if (!gpu->opt.host_mem_limit)
		gpu->opt.host_mem_limit = 256ull << 20;
	gpu->timeout_ns = (uint64_t)gpu->opt.cmd_timeout_ms * 1000000ull;
	st = vg_res_init(gpu);
	if (st != VG_OK)
		goto fail;
	st = gpu_start(gpu);
	if (st != VG_OK)
		goto fail;
	*out = gpu;
	return VG_OK;
fail:
	vg_gpu_log(gpu, VG_LOG_ERROR, "device bring-up failed: %s",
		   vg_status_str(st));
	gpu_stop(gpu);
	vg_res_finish(gpu);
	os->ops->free(os, gpu);
	return st;
}

void vg_gpu_destroy(struct vg_gpu *gpu)
{
	if (!gpu)
		return;
	if (gpu->hung || __atomic_load_n(&gpu->needs_reset, __ATOMIC_ACQUIRE)) {
		/* No point waiting on a hung device for every unref: forget
		 * what it holds; gpu_stop's reset takes it all back. */
		vg_res_forget_device(gpu);
		for (uint32_t h = 0; h < gpu->num_scanouts; h++)
			gpu->scanout_fb[h] = NULL;
		gpu->hung = true;
	}
	/* Outside D0 or taken back the device is not told anything (it was
	 * reset); internal operations only, so nothing here resets. */
	bool d0 = vg_gpu_power_state(gpu) == VG_POWER_D0 && !gpu->taken_back;
	for (uint32_t h = 0; d0 && h < gpu->num_scanouts; h++)
		if (gpu->scanout_fb[h])
			(void)vg_scanout_set(gpu, h, NULL);
	/* The cursor image and the heads' mode framebuffers are ours (they
	 * are on gpu->fbs too): not a leak. */
	if (gpu->cursor_fb)
		(void)vg_fb_free(gpu->cursor_fb, d0);
	for (uint32_t h = 0; h < VG_MAX_SCANOUTS; h++) {
		if (gpu->head_fb[h])
			(void)vg_fb_free(gpu->head_fb[h], d0);
		gpu->head_fb[h] = NULL;
	}
	if (gpu->fbs)
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "destroying framebuffers the caller left behind");
	while (gpu->fbs)
		(void)vg_fb_free(gpu->fbs, d0);
	gpu_stop(gpu);
	vg_panic_free(gpu);
	vg_hdr_heads_free(gpu);
	struct vg_os *os = gpu->os;
	vg_res_finish(gpu);
	os->ops->free(os, gpu);
}

void vg_gpu_get_info(const struct vg_gpu *gpu, struct vg_gpu_info *info)
{
	uint64_t f = gpu->tp.driver_features;
	memset(info, 0, sizeof(*info));
	info->device_features = gpu->tp.device_features;
	info->driver_features = f;
	info->edid = f & (1ull << VG_F_EDID);
	info->indirect_desc = f & (1ull << VG_F_RING_INDIRECT_DESC);
	info->event_idx = f & (1ull << VG_F_RING_EVENT_IDX);
	info->num_scanouts = gpu->num_scanouts;
	info->ctrlq_size = gpu->ctrl.vq.size;
	info->cursorq_size = gpu->cursor.vq.size;
	info->max_backing_entries = VG_MAX_BACKING_ENTRIES;
}

void vg_gpu_get_stats(const struct vg_gpu *gpu, struct vg_gpu_stats *s)
{
	const struct vg_cmdq *q[2] = {&gpu->ctrl, &gpu->cursor};
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 2; i++) {
		if (!q[i]->lock)
			continue;
		/* The ISR updates these under the queue's lock. */
		gpu->os->ops->lock(gpu->os, q[i]->lock);
		s->commands += q[i]->stats.commands;
		s->timeouts += q[i]->stats.timeouts;
		s->late_completions += q[i]->stats.late_completions;
		s->bad_responses += q[i]->stats.bad_responses;
		s->device_errors += q[i]->stats.device_errors;
		s->notifies += q[i]->vq.stats.notifies;
		s->notifies_suppressed += q[i]->vq.stats.notifies_suppressed;
		s->bad_used_entries += q[i]->vq.stats.bad_used_id +
				       q[i]->vq.stats.bad_used_len +
				       q[i]->vq.stats.bad_used_idx;
		if (q[i] == &gpu->ctrl)
			for (const struct vg_req *r = q[i]->free_list; r;
			     r = r->next)
				s->free_requests++;
		gpu->os->ops->unlock(gpu->os, q[i]->lock);
	}
	s->interrupts = __atomic_load_n(&gpu->interrupts, __ATOMIC_RELAXED);
	s->live_resources = gpu->res.live_resources;
	s->resets = gpu->resets;
	s->power_cycles = gpu->power_cycles;
	s->live_backing_bytes = gpu->res.live_backing_bytes;
}
