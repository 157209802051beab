// SPDX-License-Identifier: MIT
/* Device lifecycle, interrupt handling and the command skeleton. */
#include <string.h>

#include "gpu_internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "viogpu's wire structs assume a little-endian CPU"
#endif

#define WANTED_FEATURES                                                        \
	((1ull << VG_F_VERSION_1) | (1ull << VG_F_EDID) |                      \
	 (1ull << VG_F_RING_INDIRECT_DESC) | (1ull << VG_F_RING_EVENT_IDX))
#define REQUIRED_FEATURES (1ull << VG_F_VERSION_1)

void vg_gpu_log(struct vg_gpu *gpu, enum vg_log_level lvl, const char *fmt, ...)
{
	va_list ap;
	if ((lvl == VG_LOG_INFO && gpu->opt.verbose < 1) ||
	    (lvl == VG_LOG_DEBUG && gpu->opt.verbose < 2))
		return;
	va_start(ap, fmt);
	gpu->os->ops->vlog(gpu->os, lvl, fmt, ap);
	va_end(ap);
}

vg_status vg_gpu_fail(struct vg_gpu *gpu, vg_status st, uint32_t resp_type)
{
	if (st == VG_E_TIMEOUT)
		gpu->hung = true; /* the watchdog's cue */
	if (st != VG_OK) {
		gpu->last_error.status = st;
		gpu->last_error.resp_type = st == VG_E_DEVICE ? resp_type : 0;
	}
	return st;
}

void vg_gpu_isr(void *ctx)
{
	struct vg_gpu *gpu = ctx;
	uint8_t isr = vg_tp_read_isr(&gpu->tp); /* reading acks INTx */

	if (isr == 0)
		return; /* shared line or spurious */
	__atomic_fetch_add(&gpu->interrupts, 1, __ATOMIC_RELAXED);
	if (isr & VG_ISR_CONFIG) {
		/* Display events are read from the device's register when the
		 * caller asks; DEVICE_NEEDS_RESET also arrives this way. */
		if (vg_tp_get_status(&gpu->tp) &
		    (VG_STATUS_NEEDS_RESET | VG_STATUS_FAILED))
			__atomic_store_n(&gpu->needs_reset, 1,
					 __ATOMIC_RELEASE);
	}
	/* Cheap enough to do here; a WDDM port moves this to the DPC. */
	vg_cmdq_process_used(&gpu->ctrl);
	vg_cmdq_process_used(&gpu->cursor);
}

vg_status vg_gpu_exec(struct vg_gpu *gpu, const void *cmd, uint32_t cmd_len,
		      uint32_t expected_resp, void *resp, uint32_t resp_len)
{
	const struct vg_ctrl_hdr *h = cmd;
	uint32_t offer = resp_len ? resp_len : sizeof(struct vg_ctrl_hdr);
	struct vg_req *req = vg_cmd_alloc(&gpu->ctrl, h->type, cmd_len, offer);
	uint32_t type = 0;

	if (!req)
		return vg_gpu_fail(gpu, VG_E_BUSY, 0);
	memcpy(req->cmd + sizeof(*h), (const uint8_t *)cmd + sizeof(*h),
	       cmd_len - sizeof(*h));
	vg_status st = vg_cmd_queue(req, true);
	if (st != VG_OK)
		return vg_gpu_fail(gpu, st, 0);
	vg_cmdq_kick(&gpu->ctrl);
	st = vg_cmd_wait(req, gpu->timeout_ns, expected_resp, offer, resp,
			 resp_len, &type);
	vg_gpu_log(gpu, VG_LOG_DEBUG, "cmd 0x%04x -> %s (%s)", h->type,
		   vg_status_str(st), vg_resp_type_str(type));
	return vg_gpu_fail(gpu, st, type);
}

uint32_t vg_id_alloc(struct vg_gpu *gpu)
{
	for (uint32_t id = 1; id < VG_MAX_RESOURCES; id++)
		if (!gpu->id_used[id]) {
			gpu->id_used[id] = 1;
			return id;
		}
	return 0;
}

void vg_id_free(struct vg_gpu *gpu, uint32_t id)
{
	if (id && id < VG_MAX_RESOURCES)
		gpu->id_used[id] = 0;
}

void vg_quarantine_add(struct vg_gpu *gpu, uint32_t id, struct vg_dma *dma)
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
	if (dma) {
		q->dma = *dma;
		memset(dma, 0, sizeof(*dma));
	}
	q->next = gpu->quarantine;
	gpu->quarantine = q;
}

void vg_quarantine_release(struct vg_gpu *gpu)
{
	while (gpu->quarantine) {
		struct vg_quarantine *q = gpu->quarantine;
		gpu->quarantine = q->next;
		vg_id_free(gpu, q->id);
		if (q->dma.cpu) {
			gpu->live_backing_bytes -= q->dma.size;
			gpu->os->ops->dma_free(gpu->os, &q->dma);
		}
		if (q->id)
			gpu->live_resources--;
		gpu->os->ops->free(gpu->os, q);
	}
}

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
	st = ops->irq_connect(gpu->os, vg_gpu_isr, gpu);
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
	vg_quarantine_release(gpu);
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
	gpu->id_used = os->ops->alloc(os, VG_MAX_RESOURCES);
	if (!gpu->id_used) {
		st = VG_E_NOMEM;
		goto fail;
	}
	st = gpu_start(gpu);
	if (st != VG_OK)
		goto fail;
	*out = gpu;
	return VG_OK;
fail:
	vg_gpu_log(gpu, VG_LOG_ERROR, "device bring-up failed: %s",
		   vg_status_str(st));
	gpu_stop(gpu);
	os->ops->free(os, gpu->id_used);
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
		vg_gpu_forget_device_state(gpu);
		for (uint32_t h = 0; h < gpu->num_scanouts; h++)
			gpu->scanout_fb[h] = NULL;
		gpu->hung = true;
	}
	for (uint32_t h = 0; h < gpu->num_scanouts; h++)
		if (gpu->scanout_fb[h])
			(void)vg_gpu_set_scanout(gpu, h, NULL);
	/* The cursor image and the heads' mode framebuffers are ours (they
	 * are on gpu->fbs too): not a leak. */
	vg_fb_destroy(gpu->cursor_fb);
	for (uint32_t h = 0; h < VG_MAX_SCANOUTS; h++) {
		vg_fb_destroy(gpu->head_fb[h]);
		gpu->head_fb[h] = NULL;
	}
	if (gpu->fbs)
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "destroying framebuffers the caller left behind");
	while (gpu->fbs)
		vg_fb_destroy(gpu->fbs);
	gpu_stop(gpu);
	struct vg_os *os = gpu->os;
	os->ops->free(os, gpu->id_used);
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
	s->live_resources = gpu->live_resources;
	s->resets = gpu->resets;
	s->power_cycles = gpu->power_cycles;
	s->live_backing_bytes = gpu->live_backing_bytes;
}

struct vg_status_detail vg_gpu_last_error(const struct vg_gpu *gpu)
{
	return gpu->last_error;
}
