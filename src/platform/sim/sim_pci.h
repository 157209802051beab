/* SPDX-License-Identifier: MIT */
/*
 * The device's PCI face: configuration space (ids, the capability list
 * with the virtio vendor capabilities, BAR 4, INTA) and the register
 * decode of BAR 4: common config, ISR, device config, notify.
 *
 * BAR 4 layout: 0x0000 common config, 0x1000 ISR, 0x2000 device config
 * (struct vg_gpu_config), 0x3000 notify (queue n at n * 4).
 */
#ifndef VIOGPU_SIM_PCI_H
#define VIOGPU_SIM_PCI_H

#include <stdint.h>

struct vg_sim;

#define SIM_BAR 4
#define SIM_BAR_SIZE 0x4000u
#define SIM_COMMON_OFF 0x0000u
#define SIM_ISR_OFF 0x1000u
#define SIM_DEVCFG_OFF 0x2000u
#define SIM_NOTIFY_OFF 0x3000u
#define SIM_REGION_LEN 0x1000u
#define SIM_NOTIFY_MULT 4u

/* Builds config space (call once at create). */
void sim_pci_init(struct vg_sim *s);

/* The vg_os_ops cfg_* and bar_* contracts; they take the device lock. */
uint32_t sim_cfg_read(struct vg_sim *s, uint32_t off, unsigned width);
void sim_cfg_write(struct vg_sim *s, uint32_t off, unsigned width,
		   uint32_t val);
uint64_t sim_bar_read(struct vg_sim *s, unsigned bar, uint64_t off,
		      unsigned width);
void sim_bar_write(struct vg_sim *s, unsigned bar, uint64_t off, unsigned width,
		   uint64_t val);

#endif
