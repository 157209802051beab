/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration access through ports 0xcf8/0xcfc, and the firmware's
 * job for one device: size its memory BARs, place them, enable decoding
 * and bus mastering.
 */
#ifndef VIOGPU_QEMU_PCI_FW_H
#define VIOGPU_QEMU_PCI_FW_H

#include <pthread.h>
#include <stdint.h>

#include "qtest.h"
#include "viogpu/status.h"

#define VGQ_PCI_NUM_BARS 6

struct vgq_pci {
	struct vgq_qtest *qt;
	uint32_t cfg_addr; /* 0x80000000 | bus/dev/fn bits */
	int verbose;
	pthread_mutex_t cfg_lock; /* the 0xcf8 + 0xcfc pair is one access */
	/* set by vgq_pci_assign_bars; size 0: absent, I/O or upper half */
	uint64_t bar_base[VGQ_PCI_NUM_BARS];
	uint64_t bar_size[VGQ_PCI_NUM_BARS];
};

void vgq_pci_init(struct vgq_pci *pci, struct vgq_qtest *qt, unsigned bus,
		  unsigned dev, unsigned fn, int verbose);
void vgq_pci_finish(struct vgq_pci *pci);

/* off < 256, naturally aligned for width 1, 2 or 4. */
vg_status vgq_pci_cfg_read(struct vgq_pci *pci, uint32_t off, unsigned width,
			   uint32_t *val);
vg_status vgq_pci_cfg_write(struct vgq_pci *pci, uint32_t off, unsigned width,
			    uint32_t val);

/* Places every memory BAR naturally aligned from 0xC0000000 upward and
 * sets COMMAND to memory space + bus master (INTx enabled). */
vg_status vgq_pci_assign_bars(struct vgq_pci *pci);

#endif
