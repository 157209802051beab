/* SPDX-License-Identifier: MIT */
/* The canonical text of a decoded EDID: `viogpu edid --decode` and the
 * golden tests (tests/edid_dump.c) print the same lines. */
#ifndef VG_EDID_TEXT_H
#define VG_EDID_TEXT_H

#include <stdio.h>

#include "viogpu/edid.h"

/* Prints e as "key: value" lines; st is what vg_edid_parse returned (on
 * failure only the diagnostics mean anything). */
void edid_print_text(FILE *f, const struct vg_edid *e, vg_status st);

/*
 * One line, no newline: the display's HDR capability from the CTA HDR
 * static metadata block, as `viogpu info` and `viogpu modes` show it:
 * "sdr pq hlg, desired max 672.7, frame-average 282.8, min 0.106 cd/m2"
 * (CTA-861.3 coding), or "none" without the block.
 */
void edid_print_hdr_summary(FILE *f, const struct vg_edid *e);

#endif
