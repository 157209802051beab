/* SPDX-License-Identifier: MIT */
/* Logging for the qemu platform: one line to stderr, "viogpu: " prefix. */
#ifndef VIOGPU_QEMU_LOG_H
#define VIOGPU_QEMU_LOG_H

#include "viogpu/format.h"
#include <stdarg.h>

#include "viogpu/os.h"

/* Prints when level is within the threshold implied by verbose
 * (0: errors and warnings, 1: + info, 2: + debug). */
void vgq_vlog(int verbose, enum vg_log_level level, const char *fmt, va_list ap)
	VG_PRINTF(3, 0);
void vgq_log(int verbose, enum vg_log_level level, const char *fmt, ...)
	VG_PRINTF(3, 4);

#endif
