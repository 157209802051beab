// SPDX-License-Identifier: MIT
/* Heads: display info, EDIDs and scanout assignment. */
#include <string.h>

#include "gpu_internal.h"
#include "viogpu/edid.h"

/* The monitor's name from the EDID; what the monitor got wrong is logged
 * (the EDID is the host's, untrusted, and never fails the read). */
static void describe_edid(struct vg_gpu *gpu, uint32_t head,
			  struct vg_display *d, struct vg_edid *e)
{
	vg_status st = vg_edid_parse(d->edid, d->edid_size, e);

	if (st == VG_OK)
		memcpy(d->monitor_name, e->name, sizeof(d->monitor_name));
	for (unsigned i = 0; i < e->ndiags; i++)
		vg_gpu_log(gpu, VG_LOG_DEBUG, "head %u: EDID: %s", head,
			   e->diags[i].text);
}

static vg_status read_edid(struct vg_gpu *gpu, uint32_t head)
{
	/* Too big for a kernel stack; borrow OS memory. */
	struct edid_scratch {
		struct vg_resp_edid resp;
		struct vg_edid decoded;
	} * s;
	struct vg_resp_edid *resp;
	struct vg_display *d = &gpu->displays[head];
	vg_status st;

	s = gpu->os->ops->alloc(gpu->os, sizeof(*s));
	if (!s)
		return VG_E_NOMEM;
	resp = &s->resp;
	st = vg_do_get_edid(gpu, head, resp);
	if (st == VG_OK) {
		if (resp->size > sizeof(resp->edid)) {
			vg_gpu_log(gpu, VG_LOG_WARN,
				   "head %u: EDID size %u > 1024 ignored", head,
				   resp->size);
			st = VG_E_PROTOCOL;
		} else {
			d->edid_size = resp->size;
			memcpy(d->edid, resp->edid, resp->size);
			describe_edid(gpu, head, d, &s->decoded);
		}
	}
	gpu->os->ops->free(gpu->os, s);
	return st;
}

vg_status vg_display_read_all(struct vg_gpu *gpu)
{
	struct vg_resp_display_info info;
	vg_status st;

	memset(&info, 0, sizeof(info));
	st = vg_do_get_display_info(gpu, &info);
	if (st != VG_OK)
		return st;
	for (uint32_t h = 0; h < gpu->num_scanouts; h++) {
		struct vg_display *d = &gpu->displays[h];
		memset(d, 0, sizeof(*d));
		d->enabled = info.pmodes[h].enabled != 0;
		d->rect = info.pmodes[h].r;
		if (!(gpu->tp.driver_features & (1ull << VG_F_EDID)))
			continue;
		st = read_edid(gpu, h);
		if (st != VG_OK)
			return st;
	}
	return VG_OK;
}

vg_status vg_display_refresh(struct vg_gpu *gpu)
{
	/* Acknowledge the display event before reading the state, never
	 * after: a change the device makes while the reading runs then sets
	 * the event again and is read next time, where acknowledging
	 * afterwards would clear it unread (the register is the truth for
	 * whoever polls it: display.h). */
	vg_tp_dev_write32(&gpu->tp,
			  offsetof(struct vg_gpu_config, events_clear),
			  VG_EVENT_DISPLAY);
	return vg_display_read_all(gpu);
}

vg_status vg_gpu_get_display(const struct vg_gpu *gpu, uint32_t head,
			     struct vg_display *out)
{
	if (head >= gpu->num_scanouts)
		return VG_E_RANGE;
	*out = gpu->displays[head];
	return VG_OK;
}

vg_status vg_scanout_set(struct vg_gpu *gpu, uint32_t head, struct vg_fb *fb)
{
	struct vg_rect r = {0, 0, 0, 0};
	vg_status st;

	if (fb)
		r = (struct vg_rect){0, 0, fb->width, fb->height};
	st = vg_do_set_scanout(gpu, head, fb ? fb->id : 0, &r);
	if (st == VG_E_DEVICE_INVALID_SCANOUT_ID && !fb && head == 0) {
		/* QEMU refuses to disable scanout 0 although the spec allows
		 * it; the head keeps showing the resource until unref. */
		vg_gpu_log(gpu, VG_LOG_DEBUG,
			   "device would not disable head 0 (QEMU quirk)");
		st = VG_OK;
	}
	if (st == VG_OK)
		gpu->scanout_fb[head] = fb;
	return st;
}
