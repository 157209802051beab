/* SPDX-License-Identifier: MIT */
/*
 * A minimal VNC (RFB 3.8) client that asks QEMU to change a head's
 * display, as a VNC viewer does when its window is resized: QEMU turns a
 * SetDesktopSize into a UI-info change that virtio-gpu reports to the
 * driver as VIRTIO_GPU_EVENT_DISPLAY (a size enables the head, 0x0
 * disables it).  One connection per head, kept open; the client never
 * asks for pixels, so QEMU sends only small resize notices, which are
 * read and dropped before each request.
 *
 * Threading: one vgq_vnc is used by one thread at a time.
 */
#ifndef VIOGPU_QEMU_VNC_H
#define VIOGPU_QEMU_VNC_H

#include <stdint.h>

#include "viogpu/status.h"

struct vgq_vnc;

/* Connects to QEMU's VNC server on the unix socket path and does the
 * handshake (no authentication); VG_E_IO with a logged reason if QEMU
 * does not serve it within timeout_ms. */
vg_status vgq_vnc_connect(struct vgq_vnc **out, const char *path,
			  unsigned timeout_ms, int verbose);
void vgq_vnc_close(struct vgq_vnc *v); /* accepts NULL */

/* Asks for a width x height desktop; 0x0 asks QEMU to disable the head. */
vg_status vgq_vnc_set_size(struct vgq_vnc *v, uint16_t width, uint16_t height);

#endif
