/* SPDX-License-Identifier: MIT */
/* Test hooks into the qemu platform (not part of the public API). */
#ifndef VIOGPU_QEMU_INTERNAL_H
#define VIOGPU_QEMU_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "viogpu/qemu.h"

/* The QEMU child's pid (e.g. to kill it in a test). */
pid_t vg_qemu_pid(struct vg_qemu *q);

/* One raw qtest command, e.g. "readl 0x100000"; *val gets the number of an
 * "OK <number>" answer.  VG_E_NODEV once QEMU is gone. */
vg_status vg_qemu_qtest(struct vg_qemu *q, const char *line, uint64_t *val);

#endif
