// SPDX-License-Identifier: MIT
/* The core's log and the one place a timeout marks the device hung. */
#include "gpu_internal.h"

void vg_gpu_log(struct vg_gpu *gpu, enum vg_log_level lvl, const char *fmt, ...)
{
	va_list ap;
	if ((lvl == VG_LOG_INFO && gpu->opt.verbose < 1) ||
	    (lvl == VG_LOG_DEBUG && gpu->opt.verbose < 2))
		return;
	va_start(ap, fmt);
	gpu->os->ops->vlog(gpu->os, lvl, fmt, ap);
	va_end(ap);
}

vg_status vg_gpu_fail(struct vg_gpu *gpu, vg_status st)
{
	if (st == VG_E_TIMEOUT)
		gpu->hung = true; /* the watchdog's cue */
	return st;
}
