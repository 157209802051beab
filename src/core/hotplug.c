// SPDX-License-Identifier: MIT
/* Display-change events: which heads changed, and following them. */
#include <string.h>

#include "gpu_internal.h"

bool vg_gpu_display_changed(struct vg_gpu *gpu)
{
	/* The register is the truth: the ISR's flag can arrive after the
	 * change it announces was already read and acknowledged. */
	if (vg_gpu_power_state(gpu) != VG_POWER_D0)
		return false;
	return vg_tp_dev_read32(&gpu->tp,
				offsetof(struct vg_gpu_config, events_read)) &
	       VG_EVENT_DISPLAY;
}

static bool head_differs(const struct vg_display *a, const struct vg_display *b)
{
	return a->enabled != b->enabled || a->rect.width != b->rect.width ||
	       a->rect.height != b->rect.height ||
	       a->edid_size != b->edid_size ||
	       memcmp(a->edid, b->edid, a->edid_size) != 0;
}

vg_status vg_displays_update(struct vg_gpu *gpu, uint32_t *changed)
{
	struct vg_display *before;
	vg_status st;

	*changed = 0;
	/* 16 heads with 1 KiB EDIDs: too big for a kernel stack. */
	before = gpu->os->ops->alloc(gpu->os, sizeof(gpu->displays));
	if (!before)
		return VG_E_NOMEM;
	memcpy(before, gpu->displays, sizeof(gpu->displays));
	st = vg_display_refresh(gpu);
	if (st == VG_OK)
		for (uint32_t h = 0; h < gpu->num_scanouts; h++)
			if (head_differs(&before[h], &gpu->displays[h]))
				*changed |= 1u << h;
	gpu->os->ops->free(gpu->os, before);
	if (*changed)
		vg_gpu_log(gpu, VG_LOG_INFO, "display change: heads 0x%x",
			   *changed);
	return st;
}

vg_status vg_displays_follow(struct vg_gpu *gpu, uint32_t mask)
{
	vg_status first = VG_OK;

	for (uint32_t h = 0; h < gpu->num_scanouts; h++) {
		if (!(mask & (1u << h)))
			continue;
		const struct vg_display *d = &gpu->displays[h];
		struct vg_fb *fb = gpu->head_fb[h];
		vg_status st = VG_OK;
		if (!d->enabled || !d->rect.width || !d->rect.height) {
			if (gpu->scanout_fb[h])
				st = vg_scanout_set(gpu, h, NULL);
		} else if (!fb || fb->width != d->rect.width ||
			   fb->height != d->rect.height ||
			   gpu->scanout_fb[h] != fb) {
			st = vg_gpu_check_mode(gpu, h, d->rect.width,
					       d->rect.height);
			if (st == VG_OK)
				st = vg_mode_set(gpu, h, d->rect.width,
						 d->rect.height);
		}
		if (st != VG_OK && first == VG_OK)
			first = st;
	}
	return first;
}
