// SPDX-License-Identifier: MIT
/*
 * The device interrupt in two halves (os.h's contract): the ISR reads and
 * thereby acknowledges the ISR status and requests the DPC; the DPC does
 * the work.  A waiter whose deadline passed looks at the used ring itself
 * (vg_cmd_wait), so a lost interrupt costs time, never a completion; a
 * screen with interrupts off can poll the same way.
 */
#include <stddef.h>

#include "gpu_internal.h"

void vg_gpu_isr(void *ctx)
{
	struct vg_gpu *gpu = ctx;
	uint8_t isr = vg_tp_read_isr(&gpu->tp); /* reading acks INTx */

	if (isr == 0)
		return; /* shared line or spurious */
	__atomic_fetch_add(&gpu->interrupts, 1, __ATOMIC_RELAXED);
	/* Everything else is deferred work: no lock, no event here. */
	__atomic_fetch_or(&gpu->isr_pending, isr, __ATOMIC_RELEASE);
	gpu->os->ops->dpc_request(gpu->os);
}

void vg_gpu_dpc(void *ctx)
{
	struct vg_gpu *gpu = ctx;
	uint32_t bits =
		__atomic_exchange_n(&gpu->isr_pending, 0, __ATOMIC_ACQ_REL);

	if (bits & VG_ISR_CONFIG) {
		/* Display events and DEVICE_NEEDS_RESET arrive this way. */
		if (vg_tp_get_status(&gpu->tp) &
		    (VG_STATUS_NEEDS_RESET | VG_STATUS_FAILED))
			__atomic_store_n(&gpu->needs_reset, 1,
					 __ATOMIC_RELEASE);
		/* Pushed up to the layer above; the register stays set
		 * until vg_gpu_update_displays acknowledges it. */
		if (gpu->opt.on_display_change &&
		    (vg_tp_dev_read32(&gpu->tp, offsetof(struct vg_gpu_config,
							 events_read)) &
		     VG_EVENT_DISPLAY))
			gpu->opt.on_display_change(gpu->opt.display_change_ctx);
	}
	/* Also without queue bits: a spurious DPC costs two empty looks.
	 * Both queues are collected before anyone is woken. */
	struct vg_event *wake[VG_CTRL_REQS + VG_CURSOR_REQS];
	unsigned n = vg_cmdq_collect(&gpu->ctrl, wake, VG_CTRL_REQS);
	n += vg_cmdq_collect(&gpu->cursor, wake + n, VG_CURSOR_REQS);
	vg_cmdq_wake(gpu->os, wake, n);
}
