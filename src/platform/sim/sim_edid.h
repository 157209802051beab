/* SPDX-License-Identifier: MIT */
/* A 128-byte EDID 1.4 base block for one simulated monitor. */
#ifndef VIOGPU_SIM_EDID_H
#define VIOGPU_SIM_EDID_H

#include <stdint.h>

#define SIM_EDID_MONITOR_NAME "viogpu sim"

/*
 * Fills edid[128]: the preferred mode width x height (about 60 Hz, reduced
 * blanking) as the first detailed timing, a monitor name descriptor
 * SIM_EDID_MONITOR_NAME, range limits, and the checksum.  A detailed
 * timing holds at most 4095x4095: larger modes are clamped there (a real
 * monitor would add a DisplayID extension).  serial tells heads apart.
 */
void sim_edid_build(uint8_t edid[128], uint32_t width, uint32_t height,
		    uint32_t serial);

#endif
