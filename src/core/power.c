// SPDX-License-Identifier: MIT
/* The D0 <-> D3 state machine (see vg_gpu_set_power in power.h). */
#include "gpu_internal.h"

const char *vg_power_reason_str(enum vg_power_reason reason)
{
	switch (reason) {
	case VG_POWER_SLEEP:
		return "sleep";
	case VG_POWER_HIBERNATE:
		return "hibernate";
	case VG_POWER_SHUTDOWN:
		return "shutdown";
	}
	return "unknown";
}

enum vg_power_state vg_gpu_power_state(const struct vg_gpu *gpu)
{
	return (enum vg_power_state)__atomic_load_n(&gpu->power,
						    __ATOMIC_ACQUIRE);
}

static void set_state(struct vg_gpu *gpu, enum vg_power_state st)
{
	__atomic_store_n(&gpu->power, (uint32_t)st, __ATOMIC_RELEASE);
}

/* Asks the device to drop each resource; what it does not confirm goes
 * with the reset that follows. */
static void release_host_resources(struct vg_gpu *gpu)
{
	for (struct vg_fb *fb = gpu->fbs; fb && !gpu->hung; fb = fb->next) {
		if (!fb->on_device)
			continue;
		if (vg_do_resource_unref(gpu, fb->id) == VG_OK) {
			fb->on_device = false;
			vg_res_host_gone(gpu);
		}
	}
}

static vg_status power_down(struct vg_gpu *gpu, enum vg_power_reason reason)
{
	/* From here on every device call gets VG_E_POWER; ours pass. */
	set_state(gpu, VG_POWER_CHANGING);
	release_host_resources(gpu);

	/* The device owns nothing now: abandoned requests and quarantined
	 * resources are ours again. */
	(void)vg_device_take_back(gpu);
	if (gpu->irq_connected)
		gpu->os->ops->irq_disconnect(gpu->os);
	gpu->irq_connected = false;
	gpu->power_reason = reason;
	set_state(gpu, VG_POWER_D3);
	vg_gpu_log(gpu, VG_LOG_INFO, "D3 (%s)", vg_power_reason_str(reason));
	return VG_OK;
}

static vg_status power_up(struct vg_gpu *gpu)
{
	vg_status st;

	set_state(gpu, VG_POWER_CHANGING);
	st = gpu->os->ops->irq_connect(gpu->os, vg_gpu_isr, vg_gpu_dpc, gpu);
	if (st == VG_OK) {
		gpu->irq_connected = true;
		st = vg_gpu_restart_device(gpu);
	}
	if (st == VG_OK)
		st = vg_gpu_rebuild(gpu);
	/* Powered, even if unhealthy: the watchdog takes it from here. */
	set_state(gpu, VG_POWER_D0);
	if (st != VG_OK) {
		gpu->hung = true;
		vg_gpu_log(gpu, VG_LOG_ERROR,
			   "D0: the device did not come back: %s",
			   vg_status_str(st));
		return vg_gpu_fail(gpu, st);
	}
	gpu->power_cycles++;
	vg_gpu_log(gpu, VG_LOG_INFO, "D0: display restored");
	return VG_OK;
}

vg_status vg_power_set(struct vg_gpu *gpu, enum vg_power_state state,
		       enum vg_power_reason reason)
{
	return state == VG_POWER_D3 ? power_down(gpu, reason) : power_up(gpu);
}
