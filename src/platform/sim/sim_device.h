/* SPDX-License-Identifier: MIT */
/*
 * The device thread: it sleeps until a notify (or a held-back completion
 * falls due), pops the available chains of the notified queue, runs each
 * command through the fault matcher and the 2D command set, writes the
 * response, pushes the used entry and raises the interrupt the driver
 * asked for.  Also the device-wide state changes: reset, DEVICE_NEEDS_RESET
 * and the ISR register.  *_locked functions need the device lock.
 */
#ifndef VIOGPU_SIM_DEVICE_H
#define VIOGPU_SIM_DEVICE_H

#include <stdint.h>

#include "viogpu/status.h"

struct vg_sim;

/* Puts queues and registers in their reset state (no counting). */
void sim_device_init(struct vg_sim *s);
vg_status sim_device_start(struct vg_sim *s);
/* Joins the thread; drops held-back completions and every resource. */
void sim_device_stop(struct vg_sim *s);

/* Device status written 0. */
void sim_device_reset_locked(struct vg_sim *s);
/* Wakes the device thread (DRIVER_OK was set). */
void sim_device_kick_locked(struct vg_sim *s);
/* A doorbell for queue qidx. */
void sim_device_notify_locked(struct vg_sim *s, unsigned qidx);
/* Reads and clears the ISR status byte, lowering the line. */
uint8_t sim_device_read_isr_locked(struct vg_sim *s);
/* Sets ISR bits (VG_ISR_QUEUE / VG_ISR_CONFIG) and raises the line. */
void sim_device_raise_locked(struct vg_sim *s, uint8_t bits);
/* events_read |= DISPLAY plus a config interrupt. */
void sim_device_display_event_locked(struct vg_sim *s);

#endif
