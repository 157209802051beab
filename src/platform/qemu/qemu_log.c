// SPDX-License-Identifier: MIT
#include "qemu_log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int level_threshold(int verbose)
{
	if (verbose >= 2)
		return VG_LOG_DEBUG;
	if (verbose == 1)
		return VG_LOG_INFO;
	return VG_LOG_WARN;
}

void vgq_vlog(int verbose, enum vg_log_level level, const char *fmt, va_list ap)
{
	static const char *const tags[] = {
		[VG_LOG_ERROR] = "error: ",
		[VG_LOG_WARN] = "warning: ",
		[VG_LOG_INFO] = "",
		[VG_LOG_DEBUG] = "debug: ",
	};
	char line[1024];

	if ((int)level > level_threshold(verbose))
		return;
	/* One write() per line so lines from different threads don't mix. */
	int n = snprintf(line, sizeof(line), "viogpu: %s",
			 (unsigned)level <= VG_LOG_DEBUG ? tags[level] : "");
	if (n < 0)
		return;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	size_t len = strlen(line);
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

void vgq_log(int verbose, enum vg_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vgq_vlog(verbose, level, fmt, ap);
	va_end(ap);
}
