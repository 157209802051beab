/* SPDX-License-Identifier: MIT */
/*
 * The virtio-gpu 2D command set as the spec describes it: resources,
 * backing, transfers, scanouts with what each head shows (its "image",
 * refreshed by flushes), EDIDs and the cursor.  Every field of a command is
 * validated and refused with the spec's error codes.  Called with the
 * device lock held.
 */
#ifndef VIOGPU_SIM_CMDS_H
#define VIOGPU_SIM_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/sim.h"
#include "viogpu/status.h"
#include "wire.h"

struct vg_sim;

#define SIM_RESP_MAX sizeof(struct vg_resp_edid)

/* Executes one control command (len bytes, as read from the driver) and
 * builds its response in resp[SIM_RESP_MAX]; returns the response length.
 * Fence flags are not handled here. */
uint32_t sim_cmd_execute(struct vg_sim *s, const uint8_t *cmd, size_t len,
			 uint8_t *resp);
/* UPDATE_CURSOR / MOVE_CURSOR; there is no response. */
void sim_cursor_execute(struct vg_sim *s, const uint8_t *cmd, size_t len);

/* Drops every resource and disables every scanout (device reset). */
void sim_cmds_reset(struct vg_sim *s);
/* Sets a head's preferred mode and regenerates its EDID. */
void sim_head_set_mode(struct vg_sim *s, unsigned head, bool enabled,
		       uint32_t width, uint32_t height);
/* Head's EDID becomes bytes (len 1..1024), kept across mode changes. */
void sim_head_set_edid(struct vg_sim *s, unsigned head, const uint8_t *bytes,
		       uint32_t len);
/* Copy of what head shows; the caller frees *pixels. */
vg_status sim_head_screendump(struct vg_sim *s, unsigned head,
			      uint32_t **pixels, uint32_t *width,
			      uint32_t *height);

#endif
