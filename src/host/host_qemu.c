// SPDX-License-Identifier: MIT
/* --device qemu: QEMU's virtio-gpu-pci (include/viogpu/qemu.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "viogpu/qemu.h"

struct host_qemu {
	char props[512]; /* -device virtio-gpu-pci properties */
	unsigned ram_mib;
	unsigned vnc_heads; /* request.display_control: every head */
	struct vg_qemu *q;
};

static struct host_qemu *be(struct vg_host *h)
{
	return h->be;
}

static vg_host_result qemu_prepare(struct vg_host *h,
				   const struct host_props *p, char *msg,
				   size_t len)
{
	const struct vg_host_request *rq = &h->req;
	struct host_qemu *b = calloc(1, sizeof(*b));
	if (!b)
		return host_msg(VG_HOST_FAILED, msg, len, "out of memory");
	h->be = b;
	char *text = b->props;
	size_t used = 0, size = sizeof(b->props);
	for (int i = 0; i < p->n; i++)
		used += (size_t)snprintf(text + used, size - used,
					 "%s%.*s=%.*s", used ? "," : "",
					 (int)p->v[i].key_len, p->v[i].key,
					 (int)p->v[i].val_len, p->v[i].val);
	if (rq->heads)
		used += (size_t)snprintf(text + used, size - used,
					 "%smax_outputs=%u", used ? "," : "",
					 rq->heads);
	/* QEMU's default 256 MiB host limit cannot hold two 8K frames at
	 * once, which a mode change needs; raise it unless told. */
	h->max_hostmem = 1ull << 30;
	const struct host_prop *hm = host_find_prop(p, "max_hostmem");
	if (hm)
		host_parse_size(hm, &h->max_hostmem); /* checked */
	else
		snprintf(text + used, size - used, "%smax_hostmem=1G",
			 used ? "," : "");
	if (!host_check_hostmem(h, h->max_hostmem, msg, len))
		return VG_HOST_REFUSED;

	/* Frames per head, plus room for a second frame during a mode
	 * change, plus rings and commands; at least the frames. */
	uint64_t heads = host_device_heads(h, p);
	if (rq->display_control)
		b->vnc_heads = (unsigned)heads;
	uint64_t shown = rq->frame_heads ? rq->frame_heads : 1;
	uint64_t need_mib = (rq->frame_bytes * shown >> 20) + 64;
	unsigned ram = rq->ram_mib;
	if (!ram) {
		uint64_t want = ((rq->frame_bytes * (heads + 1)) >> 20) + 64;
		ram = want < 512 ? 512 : want > 2048 ? 2048 : (unsigned)want;
	}
	char sz[32];
	if (need_mib > ram)
		return host_msg(
			VG_HOST_REFUSED, msg, len,
			"%llu head(s) of %s frames need %llu MiB of "
			"guest RAM; %s %u MiB (use fewer heads or a "
			"smaller mode)",
			(unsigned long long)shown,
			vg_host_size_str(rq->frame_bytes, sz, sizeof(sz)),
			(unsigned long long)need_mib,
			rq->ram_mib ? "--ram gives" : "QEMU's is at most", ram);
	b->ram_mib = ram;
	/* QEMU keeps its own copy of each head's frame besides guest RAM. */
	if (!host_check_machine_memory(
		    ((uint64_t)ram << 20) + rq->frame_bytes * shown, msg, len))
		return VG_HOST_REFUSED;
	if (vg_qemu_find_binary(NULL, msg, len) != VG_OK)
		return VG_HOST_REFUSED; /* msg says which and why */
	return VG_HOST_OK;
}

static vg_host_result qemu_start(struct vg_host *h, char *msg, size_t len)
{
	struct host_qemu *b = be(h);
	uint32_t t = h->req.timeout_ms;
	struct vg_qemu_config qc = {
		.ram_mib = b->ram_mib,
		.device_props = b->props,
		.verbose = h->req.verbose,
		.cmd_timeout_ms = t,
		.vnc_heads = b->vnc_heads,
		.start_timeout_ms = !t ? 0
				    : t > HOST_QEMU_START_MS
					    ? t
					    : HOST_QEMU_START_MS,
	};
	vg_status st = vg_qemu_create(&qc, &b->q);
	if (st != VG_OK)
		return host_msg(VG_HOST_FAILED, msg, len,
				"could not start the QEMU device: %s",
				vg_status_str(st));
	return VG_HOST_OK;
}

static struct vg_os *qemu_os(struct vg_host *h)
{
	return vg_qemu_os(be(h)->q);
}

static vg_status qemu_screendump(struct vg_host *h, unsigned head,
				 uint32_t **px, uint32_t *w, uint32_t *hgt)
{
	return vg_qemu_screendump(be(h)->q, head, px, w, hgt);
}

/* QEMU does not count commands or what it holds; the platform knows what
 * it delivered and what the driver holds of guest RAM. */
static void qemu_counters(struct vg_host *h, struct vg_host_counters *out)
{
	struct vg_qemu *q = be(h)->q;
	out->device_has = VG_HOST_DEV_INTERRUPTS | VG_HOST_DEV_DMA |
			  VG_HOST_DEV_OS_OBJECTS;
	out->device.interrupts = vg_qemu_irq_count(q);
	out->device.dma_bytes_in_use = vg_qemu_dma_bytes_in_use(q);
	out->device.os_objects_live = vg_qemu_alloc_count(q);
}

static vg_status qemu_power_cycle(struct vg_host *h, bool lose_state)
{
	return vg_qemu_power_cycle(be(h)->q, lose_state);
}

/* A VNC viewer's resize request (display_control). */
static vg_status qemu_set_display(struct vg_host *h, unsigned head,
				  bool enabled, uint32_t w, uint32_t hgt)
{
	return vg_qemu_set_display(be(h)->q, head, enabled, w, hgt);
}

static vg_status qemu_pause(struct vg_host *h, bool paused)
{
	return vg_qemu_pause(be(h)->q, paused);
}

static void qemu_share_irq(struct vg_host *h)
{
	vg_qemu_share_irq(be(h)->q);
}

static void qemu_destroy(struct vg_host *h)
{
	struct host_qemu *b = be(h);
	if (!b)
		return;
	vg_qemu_destroy(b->q);
	free(b);
	h->be = NULL;
}

static const char *const qemu_keys[] = {"xres", "yres",	       "max_outputs",
					"edid", "max_hostmem", NULL};

const struct host_ops host_qemu_ops = {
	.kind = "qemu",
	.keys = qemu_keys,
	.keys_text = "xres, yres, max_outputs, edid, max_hostmem",
	.file_keys = false,
	.check_faults = NULL,
	.no_faults_why = "QEMU behaves too well",
	.prepare = qemu_prepare,
	.start = qemu_start,
	.os = qemu_os,
	.screendump = qemu_screendump,
	.counters = qemu_counters,
	.power_cycle = qemu_power_cycle,
	.pause = qemu_pause,
	.share_irq = qemu_share_irq,
	.set_display = qemu_set_display,
	.destroy = qemu_destroy,
	.device_name = "QEMU's virtio-gpu-pci",
};
