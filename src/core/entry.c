// SPDX-License-Identifier: MIT
/*
 * The public calls that talk to the device.  Each checks once at its top
 * (vg_gpu_gate: power state, and with auto_recover the one recovery of
 * this call; then its arguments) and runs internal operations that never
 * check or recover again.  Nothing in the core calls these: a reset, a
 * power-up or an undo uses the internal operations directly.
 */
#include "gpu_internal.h"

static bool head_ok(const struct vg_gpu *gpu, uint32_t head)
{
	return head < gpu->num_scanouts;
}

vg_status vg_fb_create(struct vg_gpu *gpu, uint32_t width, uint32_t height,
		       struct vg_fb **out)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK) {
		*out = NULL;
		return gate;
	}
	return vg_fb_new(gpu, width, height, VG_FORMAT_B8G8R8X8_UNORM, out);
}

vg_status vg_fb_destroy(struct vg_fb *fb)
{
	if (!fb)
		return VG_OK;
	struct vg_gpu *gpu = fb->gpu;
	bool shown = false;

	for (uint32_t h = 0; h < gpu->num_scanouts; h++)
		shown = shown || gpu->scanout_fb[h] == fb;
	/* Only taking fb off a head talks to the device before the unref;
	 * outside D0 it frees driver memory (and quarantines) only. */
	return vg_fb_free(fb, shown && vg_gpu_gate(gpu) == VG_OK);
}

vg_status vg_gpu_set_scanout(struct vg_gpu *gpu, uint32_t head,
			     struct vg_fb *fb)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	if (!head_ok(gpu, head))
		return VG_E_RANGE;
	if (fb && !fb->on_device)
		return VG_E_NEEDS_RESET;
	return vg_scanout_set(gpu, head, fb);
}

vg_status vg_gpu_present(struct vg_gpu *gpu, struct vg_fb *fb,
			 const struct vg_rect *dirty, unsigned n)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	if (!fb->on_device)
		return VG_E_NEEDS_RESET;
	return vg_present_fb(gpu, fb, dirty, n);
}

vg_status vg_gpu_cursor_update(struct vg_gpu *gpu, uint32_t head,
			       const uint32_t *image64, uint32_t hot_x,
			       uint32_t hot_y, uint32_t x, uint32_t y)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	if (!head_ok(gpu, head))
		return VG_E_RANGE;
	if (image64 && (hot_x >= VG_CURSOR_SIZE || hot_y >= VG_CURSOR_SIZE))
		return VG_E_RANGE;
	return vg_cursor_set(gpu, head, image64, hot_x, hot_y, x, y);
}

vg_status vg_gpu_cursor_move(struct vg_gpu *gpu, uint32_t head, uint32_t x,
			     uint32_t y)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	if (!head_ok(gpu, head))
		return VG_E_RANGE;
	return vg_cursor_move_to(gpu, head, x, y);
}

vg_status vg_gpu_refresh_displays(struct vg_gpu *gpu)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	return vg_display_refresh(gpu);
}

vg_status vg_gpu_update_displays(struct vg_gpu *gpu, uint32_t *changed)
{
	*changed = 0;
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	return vg_displays_update(gpu, changed);
}

vg_status vg_gpu_follow_displays(struct vg_gpu *gpu, uint32_t mask)
{
	vg_status gate = vg_gpu_gate(gpu);
	if (gate != VG_OK)
		return gate;
	return vg_displays_follow(gpu, mask);
}

vg_status vg_gpu_set_mode(struct vg_gpu *gpu, uint32_t head, uint32_t width,
			  uint32_t height)
{
	vg_status st = vg_gpu_gate(gpu);
	if (st != VG_OK)
		return vg_gpu_fail(gpu, st);
	/* Refused before anything is torn down. */
	st = vg_gpu_check_mode(gpu, head, width, height);
	if (st != VG_OK)
		return st;
	return vg_mode_set(gpu, head, width, height);
}

vg_status vg_gpu_reset(struct vg_gpu *gpu)
{
	/* The recovery itself: the power check only. */
	if (vg_gpu_power_state(gpu) != VG_POWER_D0)
		return VG_E_POWER;
	if (gpu->taken_back)
		return vg_gpu_restart(gpu);
	return vg_gpu_recover(gpu);
}

vg_status vg_gpu_take_back(struct vg_gpu *gpu)
{
	if (vg_gpu_power_state(gpu) != VG_POWER_D0)
		return VG_E_POWER;
	if (gpu->taken_back)
		return VG_OK;
	vg_gpu_log(gpu, VG_LOG_WARN, "taking the device back (reset)");
	vg_status st = vg_device_take_back(gpu);
	/* A device that never showed the reset still holds what it had:
	 * nothing changes, the caller may try again. */
	if (st == VG_OK)
		gpu->taken_back = true;
	return st;
}

vg_status vg_gpu_restart(struct vg_gpu *gpu)
{
	if (vg_gpu_power_state(gpu) != VG_POWER_D0)
		return VG_E_POWER;
	if (!gpu->taken_back)
		return VG_OK;
	/* Restart and rebuild; on failure the device is marked hung and
	 * stays taken back, so only this call (or vg_gpu_reset) retries. */
	vg_status st = vg_gpu_recover(gpu);
	if (st == VG_OK)
		gpu->taken_back = false;
	return st;
}

vg_status vg_gpu_watchdog(struct vg_gpu *gpu, bool *did_reset)
{
	if (did_reset)
		*did_reset = false;
	/* Taken back: the layer above restarts it. */
	if (gpu->taken_back)
		return VG_E_TAKEN_BACK;
	/* In D3 there is no device to watch. */
	bool hung = vg_gpu_power_state(gpu) == VG_POWER_D0 &&
		    vg_gpu_device_hung(gpu);
	if (did_reset)
		*did_reset = hung;
	return hung ? vg_gpu_recover(gpu) : VG_OK;
}

vg_status vg_gpu_set_power(struct vg_gpu *gpu, enum vg_power_state state,
			   enum vg_power_reason reason)
{
	enum vg_power_state now = vg_gpu_power_state(gpu);

	if (state != VG_POWER_D0 && state != VG_POWER_D3)
		return VG_E_INVAL;
	if (now == VG_POWER_CHANGING)
		return VG_E_POWER;
	if (gpu->taken_back)
		return VG_E_TAKEN_BACK;
	if (now == state)
		return VG_OK;
	return vg_power_set(gpu, state, reason);
}
