// SPDX-License-Identifier: MIT
#include "transport.h"

#include <string.h>

#include "wire.h"

#define PCI_VENDOR_REDHAT_QUMRANET 0x1af4
#define PCI_DEVICE_VIRTIO_GPU 0x1050
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_MAX_WALK 48
#define COMMON_CFG_MIN_LEN 0x38

static uint32_t cfg8(struct vg_transport *tp, uint32_t off)
{
	return tp->os->ops->cfg_read(tp->os, off, 1);
}

static uint32_t cfg32(struct vg_transport *tp, uint32_t off)
{
	return tp->os->ops->cfg_read(tp->os, off, 4);
}

static uint64_t rd(struct vg_transport *tp, const struct vg_cap_loc *c,
		   uint32_t off, unsigned width)
{
	return tp->os->ops->bar_read(tp->os, c->bar, c->offset + off, width);
}

static void wr(struct vg_transport *tp, const struct vg_cap_loc *c,
	       uint32_t off, unsigned width, uint64_t val)
{
	tp->os->ops->bar_write(tp->os, c->bar, c->offset + off, width, val);
}

vg_status vg_tp_probe(struct vg_transport *tp, struct vg_os *os)
{
	memset(tp, 0, sizeof(*tp));
	tp->os = os;

	uint32_t id = cfg32(tp, 0);
	if ((id & 0xffff) != PCI_VENDOR_REDHAT_QUMRANET ||
	    (id >> 16) != PCI_DEVICE_VIRTIO_GPU)
		return VG_E_NODEV;
	if (!((cfg32(tp, 4) >> 16) & PCI_STATUS_CAP_LIST))
		return VG_E_NODEV;

	/* The capability list is device data: bound the walk, insist on
	 * aligned pointers inside the standard config space. */
	uint32_t ptr = cfg8(tp, 0x34) & 0xfc;
	for (int n = 0; ptr >= 0x40 && ptr < 0x100 && n < PCI_CAP_MAX_WALK;
	     n++) {
		uint32_t hdr = cfg32(tp, ptr);
		if ((hdr & 0xff) == VG_PCI_CAP_VENDOR && ptr + 16 <= 0x100) {
			struct vg_cap_loc loc = {
				.bar = (uint8_t)cfg8(tp, ptr + 4),
				.offset = cfg32(tp, ptr + 8),
				.length = cfg32(tp, ptr + 12),
				.present = true,
			};
			uint8_t type = (uint8_t)(hdr >> 24);
			struct vg_cap_loc *dst = NULL;
			if (loc.bar > 5)
				goto next;
			if (type == VG_PCI_CAP_COMMON_CFG)
				dst = &tp->common;
			else if (type == VG_PCI_CAP_NOTIFY_CFG &&
				 ptr + 20 <= 0x100) {
				dst = &tp->notify;
				tp->notify_multiplier = cfg32(tp, ptr + 16);
			} else if (type == VG_PCI_CAP_ISR_CFG)
				dst = &tp->isr;
			else if (type == VG_PCI_CAP_DEVICE_CFG)
				dst = &tp->device;
			/* The spec lets a device offer several of a type;
			 * the first is preferred. */
			if (dst && !dst->present)
				*dst = loc;
		}
	next:
		ptr = (hdr >> 8) & 0xfc;
	}

	if (!tp->common.present || tp->common.length < COMMON_CFG_MIN_LEN ||
	    !tp->notify.present || !tp->isr.present || tp->isr.length < 1 ||
	    !tp->device.present ||
	    tp->device.length < sizeof(struct vg_gpu_config))
		return VG_E_NODEV;
	return VG_OK;
}

uint8_t vg_tp_get_status(struct vg_transport *tp)
{
	return (uint8_t)rd(tp, &tp->common, VG_COMMON_STATUS, 1);
}

void vg_tp_add_status(struct vg_transport *tp, uint8_t bits)
{
	uint8_t st = vg_tp_get_status(tp);
	wr(tp, &tp->common, VG_COMMON_STATUS, 1, st | bits);
}

vg_status vg_tp_reset(struct vg_transport *tp)
{
	const struct vg_os_ops *ops = tp->os->ops;
	uint64_t deadline = ops->now_ns(tp->os) + 1000000000ull;

	wr(tp, &tp->common, VG_COMMON_STATUS, 1, 0);
	for (uint8_t st; (st = vg_tp_get_status(tp)) != 0;) {
		/* All ones is no status a device sets (FAILED with every
		 * other bit): it is a read from a device that is gone, as a
		 * PCI master abort answers.  Waiting cannot help. */
		if (st == 0xff)
			return VG_E_NODEV;
		if (ops->now_ns(tp->os) > deadline)
			return VG_E_TIMEOUT;
	}
	return VG_OK;
}

/* Writes the platform's MSI-X vector for q into the register at off and
 * reads it back: a device out of vectors answers NO_VECTOR (spec
 * 4.1.5.1.2), and a vector it did not take would never fire. */
static vg_status set_vector(struct vg_transport *tp, uint32_t off, int q)
{
	uint16_t want = tp->os->ops->msix_vector
				? tp->os->ops->msix_vector(tp->os, q)
				: VG_MSI_NO_VECTOR;
	wr(tp, &tp->common, off, 2, want);
	if (want != VG_MSI_NO_VECTOR && rd(tp, &tp->common, off, 2) != want)
		return VG_E_UNSUPPORTED;
	return VG_OK;
}

vg_status vg_tp_negotiate(struct vg_transport *tp, uint64_t wanted,
			  uint64_t required)
{
	vg_tp_add_status(tp, VG_STATUS_ACKNOWLEDGE);
	vg_tp_add_status(tp, VG_STATUS_DRIVER);

	uint64_t dev = 0;
	for (uint32_t sel = 0; sel < 2; sel++) {
		wr(tp, &tp->common, VG_COMMON_DFSELECT, 4, sel);
		dev |= rd(tp, &tp->common, VG_COMMON_DF, 4) << (32 * sel);
	}
	tp->device_features = dev;
	if ((dev & required) != required) {
		vg_tp_add_status(tp, VG_STATUS_FAILED);
		return VG_E_UNSUPPORTED;
	}
	uint64_t drv = dev & wanted;
	for (uint32_t sel = 0; sel < 2; sel++) {
		wr(tp, &tp->common, VG_COMMON_GFSELECT, 4, sel);
		wr(tp, &tp->common, VG_COMMON_GF, 4,
		   (uint32_t)(drv >> (32 * sel)));
	}
	tp->driver_features = drv;
	vg_tp_add_status(tp, VG_STATUS_FEATURES_OK);
	if (!(vg_tp_get_status(tp) & VG_STATUS_FEATURES_OK)) {
		vg_tp_add_status(tp, VG_STATUS_FAILED);
		return VG_E_UNSUPPORTED;
	}
	/* A reset cleared the config vector; every bring-up and rebuild
	 * passes here.  Without MSI-X nothing is written (INTx). */
	if (tp->os->ops->msix_vector)
		return set_vector(tp, VG_COMMON_MSIX, VG_MSIX_CONFIG);
	return VG_OK;
}

uint16_t vg_tp_queue_max(struct vg_transport *tp, uint16_t idx)
{
	if (idx >= rd(tp, &tp->common, VG_COMMON_NUMQ, 2))
		return 0;
	wr(tp, &tp->common, VG_COMMON_Q_SELECT, 2, idx);
	return (uint16_t)rd(tp, &tp->common, VG_COMMON_Q_SIZE, 2);
}

static void wr64(struct vg_transport *tp, uint32_t lo, uint64_t v)
{
	/* Spec 4.1.3.1: 64-bit fields are written as two 32-bit halves. */
	wr(tp, &tp->common, lo, 4, (uint32_t)v);
	wr(tp, &tp->common, lo + 4, 4, (uint32_t)(v >> 32));
}

vg_status vg_tp_queue_enable(struct vg_transport *tp, uint16_t idx,
			     uint16_t size, uint64_t desc, uint64_t avail,
			     uint64_t used, uint32_t *notify_off)
{
	wr(tp, &tp->common, VG_COMMON_Q_SELECT, 2, idx);
	wr(tp, &tp->common, VG_COMMON_Q_SIZE, 2, size);
	/* The platform's vector, or NO_VECTOR on INTx. */
	vg_status st = set_vector(tp, VG_COMMON_Q_MSIX, idx);
	if (st != VG_OK)
		return st;
	wr64(tp, VG_COMMON_Q_DESCLO, desc);
	wr64(tp, VG_COMMON_Q_AVAILLO, avail);
	wr64(tp, VG_COMMON_Q_USEDLO, used);
	uint64_t noff = rd(tp, &tp->common, VG_COMMON_Q_NOFF, 2);
	uint64_t off = noff * tp->notify_multiplier;
	if (off + 2 > tp->notify.length)
		return VG_E_PROTOCOL;
	wr(tp, &tp->common, VG_COMMON_Q_ENABLE, 2, 1);
	*notify_off = (uint32_t)off;
	return VG_OK;
}

void vg_tp_notify(struct vg_transport *tp, uint32_t notify_off, uint16_t idx)
{
	wr(tp, &tp->notify, notify_off, 2, idx);
}

uint8_t vg_tp_read_isr(struct vg_transport *tp)
{
	return (uint8_t)rd(tp, &tp->isr, 0, 1);
}

uint32_t vg_tp_dev_read32(struct vg_transport *tp, uint32_t off)
{
	return (uint32_t)rd(tp, &tp->device, off, 4);
}

void vg_tp_dev_write32(struct vg_transport *tp, uint32_t off, uint32_t val)
{
	wr(tp, &tp->device, off, 4, val);
}
