// SPDX-License-Identifier: MIT
/*
 * Device reset and rebuild, and the watchdog that decides when.
 *
 * After a reset the device owns nothing: every abandoned request and
 * quarantined resource is the driver's again.  What the user saw is
 * rebuilt from the driver's own state: framebuffers keep their pixels in
 * guest memory, the scanout table says which head showed which, and the
 * cursor state says where the cursor was.
 */
#include "gpu_internal.h"

vg_status vg_device_take_back(struct vg_gpu *gpu)
{
	vg_status st = vg_tp_reset(&gpu->tp);

	/* A device that never showed status 0 may still own its buffers:
	 * take nothing back from it. */
	if (st != VG_OK)
		return st;
	vg_cmdq_reset(&gpu->cursor);
	vg_cmdq_reset(&gpu->ctrl);
	vg_res_reclaim(gpu);
	vg_res_forget_device(gpu);
	gpu->hung = false;
	__atomic_store_n(&gpu->needs_reset, 0, __ATOMIC_RELEASE);
	return st;
}

vg_status vg_gpu_restart_device(struct vg_gpu *gpu)
{
	uint64_t had = gpu->tp.driver_features;
	vg_status st;

	st = vg_device_take_back(gpu);
	if (st != VG_OK)
		return st;
	/* The rings were laid out for these features: insist on them. */
	st = vg_tp_negotiate(&gpu->tp, had, had);
	if (st != VG_OK)
		return st;
	st = vg_cmdq_restart(&gpu->ctrl);
	if (st == VG_OK)
		st = vg_cmdq_restart(&gpu->cursor);
	if (st != VG_OK)
		return st;
	vg_tp_add_status(&gpu->tp, VG_STATUS_DRIVER_OK);
	if (vg_tp_get_status(&gpu->tp) & VG_STATUS_NEEDS_RESET)
		return VG_E_NEEDS_RESET;
	return VG_OK;
}

vg_status vg_gpu_rebuild(struct vg_gpu *gpu)
{
	vg_status st = VG_OK, first = VG_OK;

	for (struct vg_fb *fb = gpu->fbs; fb; fb = fb->next) {
		st = vg_fb_to_device(gpu, fb, true);
		if (st != VG_OK && first == VG_OK)
			first = st;
	}
	for (uint32_t h = 0; h < gpu->num_scanouts; h++) {
		struct vg_fb *fb = gpu->scanout_fb[h];
		if (!fb || !fb->on_device)
			continue;
		st = vg_scanout_set(gpu, h, fb);
		if (st == VG_OK)
			st = vg_present_fb(gpu, fb, NULL, 0);
		if (st != VG_OK && first == VG_OK)
			first = st;
	}
	st = vg_cursor_restore(gpu);
	if (st != VG_OK && first == VG_OK)
		first = st;
	/* A monitor may have changed while the device was away. */
	st = vg_display_read_all(gpu);
	return first != VG_OK ? first : st;
}

vg_status vg_gpu_recover(struct vg_gpu *gpu)
{
	vg_gpu_log(gpu, VG_LOG_WARN, "resetting the device%s",
		   gpu->hung ? " (it stopped answering)" : "");
	gpu->resets++;

	vg_status st = vg_gpu_restart_device(gpu);
	if (st == VG_OK)
		st = vg_gpu_rebuild(gpu);
	if (st != VG_OK) {
		/* Try again next time; nothing is lost meanwhile. */
		gpu->hung = true;
		vg_gpu_log(gpu, VG_LOG_ERROR, "device reset failed: %s",
			   vg_status_str(st));
		return vg_gpu_fail(gpu, st);
	}
	vg_gpu_log(gpu, VG_LOG_WARN, "device reset; display restored");
	return VG_OK;
}

bool vg_gpu_device_hung(struct vg_gpu *gpu)
{
	if (gpu->hung || __atomic_load_n(&gpu->needs_reset, __ATOMIC_ACQUIRE))
		return true;
	/* A lost config interrupt must not hide NEEDS_RESET. */
	return vg_tp_get_status(&gpu->tp) &
	       (VG_STATUS_NEEDS_RESET | VG_STATUS_FAILED);
}

vg_status vg_gpu_gate(struct vg_gpu *gpu)
{
	if (__atomic_load_n(&gpu->power, __ATOMIC_ACQUIRE) != VG_POWER_D0)
		return VG_E_POWER;
	/* The layer above restarts it, not auto_recover. */
	if (gpu->taken_back)
		return VG_E_TAKEN_BACK;
	/* Flags only: no register read on the fast path. */
	if (gpu->opt.auto_recover &&
	    (gpu->hung || __atomic_load_n(&gpu->needs_reset, __ATOMIC_ACQUIRE)))
		(void)vg_gpu_recover(gpu);
	return VG_OK;
}
