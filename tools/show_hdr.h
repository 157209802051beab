/* SPDX-License-Identifier: MIT */
/*
 * viogpu show's HDR path: a 16-bit PNG with its cICP / mDCV / cLLI
 * chunks (or flags overriding each) presented through the head's
 * colorimetry, and the converter's own output as the expected picture.
 * Everything is parsed and validated before the device starts.
 */
#ifndef VG_TOOLS_SHOW_HDR_H
#define VG_TOOLS_SHOW_HDR_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "viogpu/color.h"
#include "viogpu/present.h"

/* The flags as given (NULL: not given). */
struct show_hdr_flags {
	const char *transfer, *primaries, *max_cll, *max_fall, *mastering;
};

struct show_hdr {
	enum vg_colorspace cs;
	struct vg_hdr_metadata meta;
	const char *cs_from, *meta_from; /* where they came from, for print */
	enum vg_pixel_format format;	 /* R10G10B10A2 or FP16 */
	uint32_t w, h;			 /* the image */
	void *px;     /* w x h source words (4 or 8 bytes), malloc'ed */
	void *tables; /* the converter run directly: expected output */
	struct vg_converter conv;
};

/* True if any HDR flag was given. */
bool show_hdr_flags_given(const struct show_hdr_flags *f);
/*
 * Reads path (any PNG, 16 bits kept) and decides the color space and
 * metadata from its chunks and the flags.  Returns CLI_EXIT_OK with *hdr
 * filled when the HDR path applies (an HDR chunk or flag), CLI_EXIT_OK
 * with *is_hdr false when the image is plain SDR (no chunk, no flag), or
 * CLI_EXIT_USAGE after one line on stderr.
 */
int show_hdr_prepare(const char *path, const struct show_hdr_flags *f,
		     struct show_hdr *hdr, bool *is_hdr);
/* One line: the color space and metadata used, and where from. */
void show_hdr_print(const struct show_hdr *hdr, uint32_t head);
/*
 * On a head with a w x h mode: sets the head's colorimetry, presents the
 * image scaled to the mode (nearest) through vg_gpu_present_source, and
 * compares the framebuffer with the converter's own output for the same
 * source.  *mismatch counts differing pixels.  CLI_EXIT_FAIL after one
 * line if the device or the driver fails.
 */
int show_hdr_present(struct cli_session *s, uint32_t head,
		     const struct show_hdr *hdr, uint32_t w, uint32_t h,
		     uint64_t *mismatch);
void show_hdr_free(struct show_hdr *hdr);

#endif
