/* SPDX-License-Identifier: MIT */
/* A minimal QMP client: connect, negotiate, run one command at a time. */
#ifndef VIOGPU_QEMU_QMP_H
#define VIOGPU_QEMU_QMP_H

#include "viogpu/status.h"

struct vgq_qmp;

/* Connects (retrying while QEMU creates the socket), reads the greeting and
 * negotiates capabilities. */
vg_status vgq_qmp_connect(struct vgq_qmp **out, const char *path,
			  unsigned timeout_ms, int verbose);
void vgq_qmp_close(struct vgq_qmp *m); /* accepts NULL */

/*
 * Sends one JSON command and waits for its reply, skipping events.
 * {"return":...} is VG_OK; {"error":...} is VG_E_IO (QEMU's description is
 * logged as a warning); EOF is VG_E_NODEV.  Thread-safe.
 */
vg_status vgq_qmp_execute(struct vgq_qmp *m, const char *json,
			  unsigned timeout_ms);

#endif
