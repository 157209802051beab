// SPDX-License-Identifier: MIT
/*
 * The bugcheck path (viogpu/panic.h): commands built in memory prepared
 * beforehand, put on the control ring without the queue's lock, completed
 * by polling the used ring.  Values are written as the host stores them:
 * little-endian hosts only, as commands.c.
 */
#include <string.h>

#include "gpu_internal.h"
#include "viogpu/panic.h"

/* Layout of the prepared block: one slot per command, then the entries. */
#define PANIC_SLOT 128u /* command (<= 64 bytes) + response at +96 */
#define PANIC_RESP_OFF 96u
#define PANIC_SLOTS 8u
#define PANIC_ENTRIES_OFF (PANIC_SLOT * PANIC_SLOTS)
#define PANIC_BUDGET_NS 2000000000ull

struct vg_panic {
	struct vg_dma dma;
	uint32_t head, id, format, width, height, stride, nentries;
	unsigned next_slot;
	bool entered;
};

void vg_panic_free(struct vg_gpu *gpu)
{
	if (!gpu->panic)
		return;
	gpu->os->ops->dma_free(gpu->os, &gpu->panic->dma);
	gpu->os->ops->free(gpu->os, gpu->panic);
	gpu->panic = NULL;
}

vg_status vg_gpu_panic_prepare(struct vg_gpu *gpu, uint32_t head)
{
	if (head >= gpu->num_scanouts || !gpu->head_fb[head])
		return VG_E_INVAL;
	struct vg_fb *fb = gpu->head_fb[head];
	uint32_t n = vg_backing_entries(&fb->backing,
					(uint64_t)fb->stride * fb->height, NULL,
					VG_MAX_BACKING_ENTRIES);
	if (!n)
		return VG_E_RANGE;
	vg_panic_free(gpu);
	struct vg_panic *p = gpu->os->ops->alloc(gpu->os, sizeof(*p));
	if (!p)
		return VG_E_NOMEM;
	size_t bytes =
		PANIC_ENTRIES_OFF + (size_t)n * sizeof(struct vg_mem_entry);
	bytes = (bytes + VG_PAGE_SIZE - 1) & ~(size_t)(VG_PAGE_SIZE - 1);
	/* One contiguous run: each buffer below is one descriptor. */
	vg_status st = gpu->os->ops->dma_alloc(gpu->os, bytes, bytes, &p->dma);
	if (st != VG_OK) {
		gpu->os->ops->free(gpu->os, p);
		return st;
	}
	vg_backing_entries(&fb->backing, (uint64_t)fb->stride * fb->height,
			   (struct vg_mem_entry *)((uint8_t *)p->dma.cpu +
						   PANIC_ENTRIES_OFF),
			   n);
	p->head = head;
	p->id = fb->id;
	p->format = fb->format;
	p->width = fb->width;
	p->height = fb->height;
	p->stride = fb->stride;
	p->nentries = n;
	gpu->panic = p;
	return VG_OK;
}

/* The device address of a CPU pointer into the prepared block. */
static uint64_t addr_of(const struct vg_panic *p, const void *cpu)
{
	return p->dma.segs[0].addr +
	       (uint64_t)((const uint8_t *)cpu - (const uint8_t *)p->dma.cpu);
}

/* Sends one command (and the entry list for ATTACH_BACKING) and polls for
 * its completion within the budget. */
static vg_status send_polled(struct vg_gpu *gpu, const void *cmd, uint32_t len,
			     bool with_entries)
{
	struct vg_panic *p = gpu->panic;
	struct vg_os *os = gpu->os;
	uint8_t *slot = (uint8_t *)p->dma.cpu +
			(p->next_slot++ % PANIC_SLOTS) * PANIC_SLOT;
	memcpy(slot, cmd, len);
	struct vg_ctrl_hdr *resp =
		(struct vg_ctrl_hdr *)(slot + PANIC_RESP_OFF);
	memset(resp, 0, sizeof(*resp));
	struct vg_sg sg[3];
	unsigned n_out = 0;
	sg[n_out++] = (struct vg_sg){addr_of(p, slot), len};
	if (with_entries)
		sg[n_out++] = (struct vg_sg){
			addr_of(p, (uint8_t *)p->dma.cpu + PANIC_ENTRIES_OFF),
			p->nentries * (uint32_t)sizeof(struct vg_mem_entry)};
	sg[n_out] = (struct vg_sg){addr_of(p, resp), sizeof(*resp)};
	vg_status st = vg_vq_add(&gpu->ctrl.vq, sg, n_out, 1, NULL, slot);
	if (st != VG_OK)
		return st;
	if (vg_vq_kick_prepare(&gpu->ctrl.vq))
		vg_tp_notify(&gpu->tp, gpu->ctrl.notify_off, VG_CTRLQ);
	uint64_t deadline = os->ops->now_ns(os) + PANIC_BUDGET_NS;
	for (;;) {
		void *cookie;
		uint32_t used;
		if (vg_vq_get_used(&gpu->ctrl.vq, &cookie, &used) &&
		    cookie == slot) {
			/* Untrusted: the type decides, read once. */
			uint32_t type =
				__atomic_load_n(&resp->type, __ATOMIC_ACQUIRE);
			if (used < sizeof(*resp))
				return VG_E_PROTOCOL;
			return type == VG_RESP_OK_NODATA
				       ? VG_OK
				       : vg_status_from_resp(type);
		}
		if (os->ops->now_ns(os) > deadline)
			return VG_E_TIMEOUT;
	}
}

static void forget(void *cookie, void *ctx)
{
	(void)cookie;
	(void)ctx;
}

vg_status vg_gpu_panic_enter(struct vg_gpu *gpu)
{
	struct vg_panic *p = gpu->panic;
	if (!p)
		return VG_E_INVAL;
	/* Whatever was on the ring is forgotten with the device's state;
	 * the memory stays allocated (nothing is freed at a bugcheck). */
	vg_status st = vg_tp_reset(&gpu->tp);
	if (st != VG_OK)
		return st;
	vg_vq_reset(&gpu->ctrl.vq, forget, NULL);
	uint64_t had = gpu->tp.driver_features;
	st = vg_tp_negotiate(&gpu->tp, had, had);
	if (st == VG_OK)
		st = vg_cmdq_restart(&gpu->ctrl);
	if (st != VG_OK)
		return st;
	vg_tp_add_status(&gpu->tp, VG_STATUS_DRIVER_OK);
	p->entered = true;

	struct vg_cmd_resource_create_2d c = {
		.hdr.type = VG_CMD_RESOURCE_CREATE_2D,
		.resource_id = p->id,
		.format = p->format,
		.width = p->width,
		.height = p->height,
	};
	st = send_polled(gpu, &c, sizeof(c), false);
	if (st != VG_OK)
		return st;
	struct vg_cmd_resource_attach_backing a = {
		.hdr.type = VG_CMD_RESOURCE_ATTACH_BACKING,
		.resource_id = p->id,
		.nr_entries = p->nentries,
	};
	st = send_polled(gpu, &a, sizeof(a), true);
	if (st != VG_OK)
		return st;
	struct vg_cmd_set_scanout s = {
		.hdr.type = VG_CMD_SET_SCANOUT,
		.r = {0, 0, p->width, p->height},
		.scanout_id = p->head,
		.resource_id = p->id,
	};
	return send_polled(gpu, &s, sizeof(s), false);
}

vg_status vg_gpu_panic_flush(struct vg_gpu *gpu, const struct vg_rect *r)
{
	struct vg_panic *p = gpu->panic;
	if (!p || !p->entered || !r || r->x >= p->width || r->y >= p->height ||
	    r->width > p->width - r->x || r->height > p->height - r->y)
		return VG_E_INVAL;
	struct vg_cmd_transfer_to_host_2d t = {
		.hdr.type = VG_CMD_TRANSFER_TO_HOST_2D,
		.r = *r,
		.offset = (uint64_t)r->y * p->stride + (uint64_t)r->x * 4,
		.resource_id = p->id,
	};
	vg_status st = send_polled(gpu, &t, sizeof(t), false);
	if (st != VG_OK)
		return st;
	struct vg_cmd_resource_flush f = {
		.hdr.type = VG_CMD_RESOURCE_FLUSH,
		.r = *r,
		.resource_id = p->id,
	};
	return send_polled(gpu, &f, sizeof(f), false);
}
