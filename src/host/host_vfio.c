// SPDX-License-Identifier: MIT
/*
 * --device vfio: a virtio-gpu-pci function this Linux system owns through
 * VFIO and an IOMMU (include/viogpu/vfio.h), e.g. inside a guest whose
 * QEMU puts the device behind an emulated Intel IOMMU.  The picture is
 * seen from outside only (the hypervisor's screendump), so screendump is
 * unsupported here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "viogpu/vfio.h"

/* QEMU's own default when the device's command line does not raise it. */
#define VFIO_DEFAULT_HOSTMEM (256ull << 20)
#define VFIO_MIN_DMA (64ull << 20)

struct host_vfio {
	char addr[32];
	bool intx;
	uint64_t dma_bytes;
	struct vg_vfio *v;
};

static struct host_vfio *be(struct vg_host *h)
{
	return h->be;
}

/* "DDDD:BB:DD.F" in hex digits. */
static bool pci_addr_ok(const char *s, size_t n)
{
	static const char shape[] = "xxxx:xx:xx.x";
	if (n != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			   (c >= 'A' && c <= 'F');
		if (shape[i] == 'x' ? !hex : c != shape[i])
			return false;
	}
	return true;
}

static vg_host_result vfio_prepare(struct vg_host *h,
				   const struct host_props *p, char *msg,
				   size_t len)
{
	const struct vg_host_request *rq = &h->req;
	struct host_vfio *b = calloc(1, sizeof(*b));
	if (!b)
		return host_msg(VG_HOST_FAILED, msg, len, "out of memory");
	h->be = b;
	const struct host_prop *a = host_find_prop(p, "addr");
	if (a) {
		if (!pci_addr_ok(a->val, a->val_len))
			return host_msg(VG_HOST_REFUSED, msg, len,
					"bad addr '%.*s' (want a PCI address "
					"like 0000:00:03.0)",
					(int)a->val_len, a->val);
		memcpy(b->addr, a->val, a->val_len);
	}
	const struct host_prop *irq = host_find_prop(p, "irq");
	if (irq) {
		bool intx = irq->val_len == 4 && !strncmp(irq->val, "intx", 4);
		if (!intx &&
		    !(irq->val_len == 4 && !strncmp(irq->val, "msix", 4)))
			return host_msg(VG_HOST_REFUSED, msg, len,
					"bad irq '%.*s' (want msix or intx)",
					(int)irq->val_len, irq->val);
		b->intx = intx;
	}
	h->max_hostmem = VFIO_DEFAULT_HOSTMEM;
	const struct host_prop *hm = host_find_prop(p, "max_hostmem");
	if (hm)
		host_parse_size(hm, &h->max_hostmem); /* checked */
	if (!host_check_hostmem(h, h->max_hostmem, msg, len))
		return VG_HOST_REFUSED;
	/* The pool is pinned whole: the frames shown, one more for a mode
	 * change, rings and commands. */
	uint64_t shown = rq->frame_heads ? rq->frame_heads : 1;
	b->dma_bytes = rq->frame_bytes * (shown + 1) + VFIO_MIN_DMA;
	const struct host_prop *m = host_find_prop(p, "mem");
	if (m)
		host_parse_size(m, &b->dma_bytes); /* checked */
	if (b->dma_bytes < VFIO_MIN_DMA)
		b->dma_bytes = VFIO_MIN_DMA;
	if (!host_check_machine_memory(b->dma_bytes, msg, len))
		return VG_HOST_REFUSED;
	return VG_HOST_OK;
}

static vg_host_result vfio_start(struct vg_host *h, char *msg, size_t len)
{
	struct host_vfio *b = be(h);
	struct vg_vfio_config vc = {
		.pci_addr = b->addr,
		.dma_bytes = b->dma_bytes,
		.intx = b->intx,
		.verbose = h->req.verbose,
	};
	char why[256];
	vg_status st = vg_vfio_create(&vc, &b->v, why, sizeof(why));
	if (st != VG_OK)
		return host_msg(VG_HOST_FAILED, msg, len,
				"could not open the device through VFIO: %s",
				why[0] ? why : vg_status_str(st));
	return VG_HOST_OK;
}

static struct vg_os *vfio_os(struct vg_host *h)
{
	return vg_vfio_os(be(h)->v);
}

static vg_status vfio_screendump(struct vg_host *h, unsigned head,
				 uint32_t **px, uint32_t *w, uint32_t *hgt)
{
	(void)h, (void)head, (void)px, (void)w, (void)hgt;
	return VG_E_UNSUPPORTED; /* only the hypervisor sees the screen */
}

static void vfio_counters(struct vg_host *h, struct vg_host_counters *out)
{
	struct vg_vfio *v = be(h)->v;
	out->device_has = VG_HOST_DEV_INTERRUPTS | VG_HOST_DEV_DMA;
	out->device.interrupts = vg_vfio_irq_count(v);
	out->device.dma_bytes_in_use = vg_vfio_dma_bytes_in_use(v);
}

static vg_status vfio_power_cycle(struct vg_host *h, bool lose_state)
{
	(void)h, (void)lose_state;
	return VG_E_UNSUPPORTED;
}

static void vfio_destroy(struct vg_host *h)
{
	struct host_vfio *b = be(h);
	if (!b)
		return;
	vg_vfio_destroy(b->v);
	free(b);
	h->be = NULL;
}

static const char *const vfio_keys[] = {"addr", "mem", "max_hostmem", "irq",
					NULL};

const struct host_ops host_vfio_ops = {
	.kind = "vfio",
	.keys = vfio_keys,
	.keys_text = "addr, mem, max_hostmem, irq",
	.file_keys = false,
	.check_faults = NULL,
	.no_faults_why = "a real device misbehaves only by itself",
	.prepare = vfio_prepare,
	.start = vfio_start,
	.os = vfio_os,
	.screendump = vfio_screendump,
	.counters = vfio_counters,
	.power_cycle = vfio_power_cycle,
	.set_display = NULL,
	.destroy = vfio_destroy,
	.device_name = "virtio-gpu-pci through VFIO",
};
