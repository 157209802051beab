// SPDX-License-Identifier: MIT
#include <math.h>

#include "edid_text.h"

void edid_print_hdr_summary(FILE *f, const struct vg_edid *e)
{
	static const char *const eotf[] = {"sdr", "hdr", "pq", "hlg"};
	const char *sep = "";

	if (!e->hdr_static_metadata) {
		fprintf(f, "none");
		return;
	}
	for (unsigned i = 0; i < 4; i++)
		if (e->hdr_eotfs & (1u << i)) {
			fprintf(f, "%s%s", sep, eotf[i]);
			sep = " ";
		}
	if (!*sep)
		fprintf(f, "no EOTF");
	/* CTA-861.3: max and frame-average 50 * 2^(CV/32) cd/m2, min
	 * max * (CV/255)^2 / 100. */
	double max = 50.0 * exp2(e->hdr_max_luminance / 32.0);
	if (e->hdr_luminance_bytes >= 1)
		fprintf(f, ", desired max %.1f", max);
	if (e->hdr_luminance_bytes >= 2)
		fprintf(f, ", frame-average %.1f",
			50.0 * exp2(e->hdr_max_frame_avg / 32.0));
	if (e->hdr_luminance_bytes >= 3)
		fprintf(f, ", min %.3f",
			max * pow(e->hdr_min_luminance / 255.0, 2) / 100.0);
	if (e->hdr_luminance_bytes >= 1)
		fprintf(f, " cd/m2");
}

static void print_refresh(FILE *f, uint32_t mhz)
{
	fprintf(f, "%u.%03u", mhz / 1000, mhz % 1000);
}

static void print_timing(FILE *f, const struct vg_edid_timing *t)
{
	fprintf(f, "timing: %ux%u%s@", t->width, t->height,
		t->interlaced ? "i" : "");
	print_refresh(f, t->refresh_mhz);
	fprintf(f, " pclk-khz %u source %s%s", t->pixel_clock_khz,
		vg_timing_source_str(t->source),
		t->preferred ? " preferred" : "");
	if (t->vic)
		fprintf(f, " vic %u", t->vic);
	fprintf(f, " sources");
	const char *sep = " ";
	for (int s = VG_TIMING_ESTABLISHED; s <= VG_TIMING_DISPLAYID; s++) {
		if (t->sources & VG_TIMING_SOURCE_BIT(s)) {
			fprintf(f, "%s%s", sep,
				vg_timing_source_str((enum vg_timing_source)s));
			sep = ",";
		}
	}
	fprintf(f, "\n");
}

static void print_hdr(FILE *f, const struct vg_edid *e)
{
	static const char *const eotf[] = {"sdr", "hdr", "pq", "hlg"};
	fprintf(f, "hdr-eotfs:");
	for (unsigned i = 0; i < 4; i++)
		if (e->hdr_eotfs & (1u << i))
			fprintf(f, " %s", eotf[i]);
	if (e->hdr_eotfs & 0xf0)
		fprintf(f, " reserved-0x%02x", e->hdr_eotfs & 0xf0);
	fprintf(f, "\nhdr-metadata-types: 0x%02x\n", e->hdr_metadata_types);
	fprintf(f, "hdr-luminance:");
	const uint8_t lum[3] = {e->hdr_max_luminance, e->hdr_max_frame_avg,
				e->hdr_min_luminance};
	for (unsigned i = 0; i < e->hdr_luminance_bytes; i++)
		fprintf(f, " %u", lum[i]);
	fprintf(f, "\n");
}

static void print_colorimetry(FILE *f, uint16_t c)
{
	static const char *const bits[16] = {
		"xvYCC601",   "xvYCC709",   "sYCC601",	 "opYCC601",
		"opRGB",      "BT2020cYCC", "BT2020YCC", "BT2020RGB",
		"MD0",	      NULL,	    NULL,	 NULL,
		"defaultRGB", "sRGB",	    "ICtCp",	 "ST2113RGB"};
	fprintf(f, "colorimetry: 0x%04x", c);
	for (unsigned i = 0; i < 16; i++)
		if ((c & (1u << i)) && bits[i])
			fprintf(f, " %s", bits[i]);
	fprintf(f, "\n");
}

void edid_print_text(FILE *f, const struct vg_edid *e, vg_status st)
{
	if (st != VG_OK) {
		fprintf(f, "error: not an EDID (%s)\n", vg_status_str(st));
		for (unsigned i = 0; i < e->ndiags; i++)
			fprintf(f, "diag: %s\n", e->diags[i].text);
		fprintf(f, "diags: %u%s\n", e->ndiags,
			e->diags_truncated ? "+" : "");
		return;
	}
	fprintf(f, "edid: %u.%u\n", e->version, e->revision);
	fprintf(f, "vendor: %s\n", e->vendor);
	fprintf(f, "product: %u\n", e->product);
	fprintf(f, "serial: %u\n", e->serial);
	if (e->week == 255)
		fprintf(f, "made: model year %u\n", e->year);
	else if (e->week)
		fprintf(f, "made: week %u of %u\n", e->week, e->year);
	else
		fprintf(f, "made: %u\n", e->year);
	fprintf(f, "name: %s\n", e->name);
	fprintf(f, "serial-text: %s\n", e->serial_text);
	fprintf(f, "text: %s\n", e->text);
	fprintf(f, "input: %s\n", e->digital ? "digital" : "analog");
	fprintf(f, "size-cm: %ux%u\n", e->width_cm, e->height_cm);
	if (e->has_range_limits)
		fprintf(f,
			"range: %u-%u Hz V, %u-%u kHz H, max %u MHz, "
			"support 0x%02x\n",
			e->min_vfreq_hz, e->max_vfreq_hz, e->min_hfreq_khz,
			e->max_hfreq_khz, e->max_pixel_clock_mhz,
			e->range_support);
	fprintf(f, "extensions: %u claimed, %u decoded\n",
		e->extensions_claimed, e->extensions_decoded);
	if (e->hf_eeodb_extensions)
		fprintf(f, "hf-eeodb: %u\n", e->hf_eeodb_extensions);
	fprintf(f, "bad-checksums:");
	if (!e->bad_checksums)
		fprintf(f, " none");
	for (unsigned b = 0; b < 32; b++)
		if (e->bad_checksums & (1u << b))
			fprintf(f, " %u", b);
	fprintf(f, "\n");
	if (e->has_cta) {
		fprintf(f, "cta: revision %u\n", e->cta_revision);
		for (unsigned i = 0; i < e->nvics; i++)
			fprintf(f, "vic: %u%s%s\n", e->vics[i].vic,
				e->vics[i].native ? " native" : "",
				e->vics[i].ycbcr420_only ? " ycbcr420-only"
							 : "");
		if (e->hdr_static_metadata)
			print_hdr(f, e);
		if (e->colorimetry_block)
			print_colorimetry(f, e->colorimetry);
	}
	if (e->has_displayid)
		fprintf(f, "displayid: version %x.%x, checksum %s\n",
			e->displayid_version >> 4, e->displayid_version & 15,
			e->displayid_bad_checksum ? "bad" : "ok");
	for (unsigned i = 0; i < e->ntimings; i++)
		print_timing(f, &e->timings[i]);
	for (unsigned i = 0; i < e->ndiags; i++)
		fprintf(f, "diag: %s\n", e->diags[i].text);
	fprintf(f, "diags: %u%s\n", e->ndiags, e->diags_truncated ? "+" : "");
}
