/* SPDX-License-Identifier: MIT */
/*
 * Virtio 1.x modern PCI transport: finds the vendor capabilities in config
 * space, runs the status handshake, negotiates features and programs
 * queues.  Knows nothing about GPUs.  Config space and BAR contents come
 * from the device and are checked before use.
 */
#ifndef VG_TRANSPORT_H
#define VG_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"

struct vg_cap_loc {
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
	bool present;
};

struct vg_transport {
	struct vg_os *os;	    /* set by probe */
	struct vg_cap_loc common;   /* set by probe */
	struct vg_cap_loc notify;   /* set by probe */
	struct vg_cap_loc isr;	    /* set by probe */
	struct vg_cap_loc device;   /* set by probe */
	uint32_t notify_multiplier; /* set by probe */
	uint64_t device_features;   /* set by negotiate */
	uint64_t driver_features;   /* set by negotiate */
};

/* Checks the PCI ids and locates the capabilities. */
vg_status vg_tp_probe(struct vg_transport *tp, struct vg_os *os);
/* Writes 0 to device status and waits for the device to read back 0. */
vg_status vg_tp_reset(struct vg_transport *tp);
uint8_t vg_tp_get_status(struct vg_transport *tp);
void vg_tp_add_status(struct vg_transport *tp, uint8_t bits);
/*
 * ACKNOWLEDGE, DRIVER, features = device & wanted (required must all be
 * there), FEATURES_OK, and reads FEATURES_OK back; then, on a platform
 * with MSI-X (os msix_vector), the config vector, read back too.
 */
vg_status vg_tp_negotiate(struct vg_transport *tp, uint64_t wanted,
			  uint64_t required);
/* The device's maximum size for queue idx (0 = no such queue). */
uint16_t vg_tp_queue_max(struct vg_transport *tp, uint16_t idx);
/* Programs and enables queue idx; returns its notify offset in BAR. */
vg_status vg_tp_queue_enable(struct vg_transport *tp, uint16_t idx,
			     uint16_t size, uint64_t desc, uint64_t avail,
			     uint64_t used, uint32_t *notify_off);
void vg_tp_notify(struct vg_transport *tp, uint32_t notify_off, uint16_t idx);
/* Reads (and thereby acknowledges) the ISR status byte. */
uint8_t vg_tp_read_isr(struct vg_transport *tp);
uint32_t vg_tp_dev_read32(struct vg_transport *tp, uint32_t off);
void vg_tp_dev_write32(struct vg_transport *tp, uint32_t off, uint32_t val);

#endif
