/* SPDX-License-Identifier: MIT */
/* What the image implementations (image.c, image_win.c, image_common.c)
 * share; not for callers of image.h. */
#ifndef VG_TOOLS_IMAGE_INTERNAL_H
#define VG_TOOLS_IMAGE_INTERNAL_H

#include <stddef.h>

#include "viogpu/format.h"

/* One-line message into err (may be NULL or errlen 0: nothing). */
void vg_image_set_err(char *err, size_t errlen, const char *fmt, ...)
	VG_PRINTF(3, 4);

#endif
