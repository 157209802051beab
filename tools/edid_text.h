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

#endif
