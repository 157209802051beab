// SPDX-License-Identifier: MIT
#include "sim_pci.h"

#include <string.h>

#include "sim_device.h"
#include "sim_internal.h"

#define PCI_VENDOR_REDHAT_QUMRANET 0x1af4
#define PCI_DEVICE_VIRTIO_GPU 0x1050
#define PCI_SUBSYS_VIRTIO_GPU 0x1100
#define PCI_CLASS_DISPLAY_OTHER 0x038000
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_BAR4 0x20
#define PCI_BAR_MEM64_PREFETCH 0x0c
#define PCI_CAP_PTR 0x34
#define PCI_INT_LINE 0x3c
#define PCI_INT_PIN 0x3d
#define BAR4_BASE 0xfe000000ull

/* Config space bits the driver may change (command, BAR 4, int line).
 * BAR 4 is 16 KiB: its bits 0..13 read as 0 (or as the type bits). */
static uint8_t cfg_wmask(uint32_t off)
{
	switch (off) {
	case 0x04:
		return 0x07;
	case 0x05:
		return 0x04;
	case PCI_BAR4 + 1:
		return (uint8_t) ~((SIM_BAR_SIZE - 1) >> 8);
	case PCI_BAR4 + 2:
	case PCI_BAR4 + 3:
	case PCI_BAR4 + 4:
	case PCI_BAR4 + 5:
	case PCI_BAR4 + 6:
	case PCI_BAR4 + 7:
	case PCI_INT_LINE:
		return 0xff;
	}
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get_le(const uint8_t *p, unsigned width)
{
	uint64_t v = 0;
	for (unsigned i = width; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static uint64_t all_ones(unsigned width)
{
	return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

static bool width_ok(uint64_t off, unsigned width)
{
	return (width == 1 || width == 2 || width == 4 || width == 8) &&
	       !(off & (width - 1));
}

/* One virtio vendor capability (struct virtio_pci_cap) at pos. */
static void put_cap(uint8_t *cfg, uint8_t pos, uint8_t next, uint8_t type,
		    uint32_t offset, uint32_t length, uint8_t len)
{
	cfg[pos] = VG_PCI_CAP_VENDOR;
	cfg[pos + 1] = next;
	cfg[pos + 2] = len;
	cfg[pos + 3] = type;
	cfg[pos + 4] = SIM_BAR;
	put32(cfg + pos + 8, offset);
	put32(cfg + pos + 12, length);
}

void sim_pci_init(struct vg_sim *s)
{
	uint8_t *c = s->pci_cfg;

	memset(c, 0, 256);
	put16(c + 0x00, PCI_VENDOR_REDHAT_QUMRANET);
	put16(c + 0x02, PCI_DEVICE_VIRTIO_GPU);
	put16(c + 0x04, 0x0006); /* memory space + bus master, as placed */
	put16(c + 0x06, PCI_STATUS_CAP_LIST);
	c[0x08] = 0x01; /* revision: modern */
	c[0x09] = (uint8_t)PCI_CLASS_DISPLAY_OTHER;
	c[0x0a] = (uint8_t)(PCI_CLASS_DISPLAY_OTHER >> 8);
	c[0x0b] = (uint8_t)(PCI_CLASS_DISPLAY_OTHER >> 16);
	put64(c + PCI_BAR4, BAR4_BASE | PCI_BAR_MEM64_PREFETCH);
	put16(c + 0x2c, PCI_VENDOR_REDHAT_QUMRANET);
	put16(c + 0x2e, PCI_SUBSYS_VIRTIO_GPU);
	c[PCI_CAP_PTR] = 0x40;
	c[PCI_INT_LINE] = 11;
	c[PCI_INT_PIN] = 1; /* INTA */

	put_cap(c, 0x40, 0x50, VG_PCI_CAP_COMMON_CFG, SIM_COMMON_OFF,
		SIM_REGION_LEN, 16);
	put_cap(c, 0x50, 0x64, VG_PCI_CAP_NOTIFY_CFG, SIM_NOTIFY_OFF,
		SIM_REGION_LEN, 20);
	put32(c + 0x50 + 16, SIM_NOTIFY_MULT);
	put_cap(c, 0x64, 0x74, VG_PCI_CAP_ISR_CFG, SIM_ISR_OFF, SIM_REGION_LEN,
		16);
	put_cap(c, 0x74, 0x00, VG_PCI_CAP_DEVICE_CFG, SIM_DEVCFG_OFF,
		SIM_REGION_LEN, 16);

	s->bar4_base = BAR4_BASE;
}

uint32_t sim_cfg_read(struct vg_sim *s, uint32_t off, unsigned width)
{
	if (width > 4 || !width_ok(off, width) || off + width > 256)
		return (uint32_t)all_ones(width > 4 ? 4 : width);
	pthread_mutex_lock(&s->lock);
	uint32_t v = (uint32_t)get_le(s->pci_cfg + off, width);
	pthread_mutex_unlock(&s->lock);
	return v;
}

void sim_cfg_write(struct vg_sim *s, uint32_t off, unsigned width, uint32_t val)
{
	if (width > 4 || !width_ok(off, width) || off + width > 256)
		return;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < width; i++) {
		uint8_t m = cfg_wmask(off + i), b = (uint8_t)(val >> (8 * i));
		s->pci_cfg[off + i] =
			(uint8_t)((s->pci_cfg[off + i] & ~m) | (b & m));
	}
	s->bar4_base = get_le(s->pci_cfg + PCI_BAR4, 8) & ~0xfull;
	pthread_mutex_unlock(&s->lock);
}

/* ---- common configuration ---- */

static void common_snapshot(const struct vg_sim *s, uint8_t *c)
{
	memset(c, 0, 0x40);
	put32(c + VG_COMMON_DFSELECT, s->dfselect);
	if (s->dfselect < 2)
		put32(c + VG_COMMON_DF,
		      (uint32_t)(s->device_features >> (32 * s->dfselect)));
	put32(c + VG_COMMON_GFSELECT, s->gfselect);
	if (s->gfselect < 2)
		put32(c + VG_COMMON_GF,
		      (uint32_t)(s->driver_features >> (32 * s->gfselect)));
	put16(c + VG_COMMON_MSIX, s->config_msix);
	put16(c + VG_COMMON_NUMQ, SIM_NUM_QUEUES);
	c[VG_COMMON_STATUS] = s->status;
	c[VG_COMMON_CFGGENERATION] = 0;
	put16(c + VG_COMMON_Q_SELECT, s->queue_select);
	if (s->queue_select >= SIM_NUM_QUEUES)
		return; /* no such queue: size 0 */
	const struct sim_queue *q = &s->q[s->queue_select];
	put16(c + VG_COMMON_Q_SIZE, q->size);
	put16(c + VG_COMMON_Q_MSIX, q->msix);
	put16(c + VG_COMMON_Q_ENABLE, q->enabled);
	put16(c + VG_COMMON_Q_NOFF, s->queue_select);
	put64(c + VG_COMMON_Q_DESCLO, q->desc);
	put64(c + VG_COMMON_Q_AVAILLO, q->avail);
	put64(c + VG_COMMON_Q_USEDLO, q->used);
}

static void write_status(struct vg_sim *s, uint8_t val)
{
	if (val == 0) {
		sim_device_reset_locked(s);
		return;
	}
	if ((val & VG_STATUS_FEATURES_OK) &&
	    !(s->status & VG_STATUS_FEATURES_OK)) {
		bool subset = !(s->driver_features & ~s->device_features);
		bool v1 = s->driver_features & (1ull << VG_F_VERSION_1);
		if (!subset || !v1) {
			sim_log(s, VG_LOG_DEBUG,
				"FEATURES_OK refused: driver features 0x%llx",
				(unsigned long long)s->driver_features);
			val &= (uint8_t)~VG_STATUS_FEATURES_OK;
		}
	}
	/* NEEDS_RESET belongs to the device. */
	val = (uint8_t)((val & ~VG_STATUS_NEEDS_RESET) |
			(s->status & VG_STATUS_NEEDS_RESET));
	bool go = (val & VG_STATUS_DRIVER_OK) &&
		  !(s->status & VG_STATUS_DRIVER_OK);
	s->status = val;
	if (go)
		sim_device_kick_locked(s);
}

static void set_half(uint64_t *field, bool hi, uint32_t v)
{
	if (hi)
		*field = (*field & 0xffffffffull) | (uint64_t)v << 32;
	else
		*field = (*field & ~0xffffffffull) | v;
}

static void common_write(struct vg_sim *s, uint64_t off, unsigned width,
			 uint64_t val)
{
	struct sim_queue *q = s->queue_select < SIM_NUM_QUEUES
				      ? &s->q[s->queue_select]
				      : NULL;
	uint32_t v = (uint32_t)val;

#define IS(o, w) (off == (o) && width == (w))
	if (IS(VG_COMMON_DFSELECT, 4)) {
		s->dfselect = v;
	} else if (IS(VG_COMMON_GFSELECT, 4)) {
		s->gfselect = v;
	} else if (IS(VG_COMMON_GF, 4)) {
		if (!(s->status & VG_STATUS_FEATURES_OK) && s->gfselect < 2)
			set_half(&s->driver_features, s->gfselect == 1, v);
	} else if (IS(VG_COMMON_MSIX, 2) || IS(VG_COMMON_Q_MSIX, 2)) {
		/* Vectors past the table read back NO_VECTOR (spec
		 * 4.1.5.1.2); without a table all of them do. */
		uint16_t vec = v < s->cfg.msix_vectors ? (uint16_t)v
						       : VG_MSI_NO_VECTOR;
		if (IS(VG_COMMON_MSIX, 2))
			s->config_msix = vec;
		else if (q)
			q->msix = vec;
	} else if (IS(VG_COMMON_STATUS, 1)) {
		write_status(s, (uint8_t)v);
	} else if (IS(VG_COMMON_Q_SELECT, 2)) {
		s->queue_select = (uint16_t)v;
	} else if (!q) {
		sim_log(s, VG_LOG_DEBUG, "write to queue %u ignored",
			s->queue_select);
	} else if (IS(VG_COMMON_Q_SIZE, 2)) {
		if (!q->enabled && v && v <= q->max_size)
			q->size = (uint16_t)v;
	} else if (IS(VG_COMMON_Q_ENABLE, 2)) {
		if (v == 1 && !q->enabled) {
			q->enabled = true;
			sim_log(s, VG_LOG_DEBUG, "queue %u enabled, size %u",
				s->queue_select, q->size);
		}
	} else if (off >= VG_COMMON_Q_DESCLO && off < VG_COMMON_Q_USEDHI + 4 &&
		   (width == 4 || (width == 8 && off % 8 == 0))) {
		uint64_t *f = off < VG_COMMON_Q_AVAILLO	 ? &q->desc
			      : off < VG_COMMON_Q_USEDLO ? &q->avail
							 : &q->used;
		if (q->enabled)
			return;
		if (width == 8)
			*f = val;
		else
			set_half(f, off % 8 == 4, v);
	} else {
		sim_log(s, VG_LOG_DEBUG,
			"common config write 0x%llx/%u ignored",
			(unsigned long long)off, width);
	}
#undef IS
}

/* ---- BAR 4 ---- */

uint64_t sim_bar_read(struct vg_sim *s, unsigned bar, uint64_t off,
		      unsigned width)
{
	uint8_t snap[0x40];
	uint64_t v = 0;

	if (bar != SIM_BAR || !width_ok(off, width) || off >= SIM_BAR_SIZE ||
	    width > SIM_BAR_SIZE - off) {
		sim_log(s, VG_LOG_WARN, "bad BAR read: BAR%u 0x%llx/%u", bar,
			(unsigned long long)off, width);
		return all_ones(width);
	}
	pthread_mutex_lock(&s->lock);
	if (off < SIM_COMMON_OFF + SIM_REGION_LEN) {
		common_snapshot(s, snap);
		if (off + width <= sizeof(snap))
			v = get_le(snap + off, width);
	} else if (off < SIM_ISR_OFF + SIM_REGION_LEN) {
		if (off == SIM_ISR_OFF)
			v = sim_device_read_isr_locked(s);
	} else if (off < SIM_DEVCFG_OFF + SIM_REGION_LEN) {
		uint64_t o = off - SIM_DEVCFG_OFF;
		memset(snap, 0, sizeof(snap));
		put32(snap + offsetof(struct vg_gpu_config, events_read),
		      s->events_read);
		put32(snap + offsetof(struct vg_gpu_config, num_scanouts),
		      s->cfg.num_scanouts);
		if (o + width <= sizeof(struct vg_gpu_config))
			v = get_le(snap + o, width);
	}
	pthread_mutex_unlock(&s->lock);
	return v;
}

void sim_bar_write(struct vg_sim *s, unsigned bar, uint64_t off, unsigned width,
		   uint64_t val)
{
	if (bar != SIM_BAR || !width_ok(off, width) || off >= SIM_BAR_SIZE ||
	    width > SIM_BAR_SIZE - off) {
		sim_log(s, VG_LOG_WARN, "bad BAR write: BAR%u 0x%llx/%u", bar,
			(unsigned long long)off, width);
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (off < SIM_COMMON_OFF + SIM_REGION_LEN) {
		common_write(s, off - SIM_COMMON_OFF, width, val);
	} else if (off < SIM_ISR_OFF + SIM_REGION_LEN) {
		/* read-only */
	} else if (off < SIM_DEVCFG_OFF + SIM_REGION_LEN) {
		if (off - SIM_DEVCFG_OFF ==
			    offsetof(struct vg_gpu_config, events_clear) &&
		    width == 4)
			s->events_read &= ~(uint32_t)val;
	} else {
		uint64_t qidx = (off - SIM_NOTIFY_OFF) / SIM_NOTIFY_MULT;
		if (qidx < SIM_NUM_QUEUES)
			sim_device_notify_locked(s, (unsigned)qidx);
	}
	pthread_mutex_unlock(&s->lock);
}
