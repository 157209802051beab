// SPDX-License-Identifier: MIT
#include "sim_edid.h"

#include <stdbool.h>
#include <string.h>

#define DTD_MAX 4095u
#define H_BLANK 160u /* CVT reduced blanking: 48 front, 32 sync, 80 back */
#define H_FRONT 48u
#define H_SYNC 32u
#define V_FRONT 3u
#define V_SYNC 5u
#define V_BLANK_MIN 23u
#define CLOCK_MAX_10KHZ 65535u

static void put_descriptor_text(uint8_t *d, uint8_t tag, const char *text)
{
	size_t n = strlen(text);

	memset(d, 0, 18);
	d[3] = tag;
	for (size_t i = 0; i < 13; i++)
		d[5 + i] = i < n ? (uint8_t)text[i] : i == n ? 0x0a : 0x20;
}

static void put_dtd(uint8_t *d, uint32_t w, uint32_t h)
{
	w = w > DTD_MAX ? DTD_MAX : w;
	h = h > DTD_MAX ? DTD_MAX : h;
	uint32_t hblank = H_BLANK;
	/* Vertical blanking of at least 460 us at 60 Hz, as CVT-RB asks. */
	uint32_t vblank = (h * 460u) / (16667u - 460u) + 1u;
	if (vblank < V_BLANK_MIN)
		vblank = V_BLANK_MIN;
	uint64_t total = (uint64_t)(w + hblank) * (h + vblank);
	uint64_t clock = (total * 60u + 5000u) / 10000u; /* 10 kHz units */
	if (clock > CLOCK_MAX_10KHZ)
		clock = CLOCK_MAX_10KHZ; /* refresh drops below 60 Hz */
	if (clock == 0)
		clock = 1;
	/* Physical size at 96 dpi. */
	uint32_t wmm = w * 254u / 960u, hmm = h * 254u / 960u;

	d[0] = (uint8_t)clock;
	d[1] = (uint8_t)(clock >> 8);
	d[2] = (uint8_t)w;
	d[3] = (uint8_t)hblank;
	d[4] = (uint8_t)((w >> 8) << 4 | (hblank >> 8));
	d[5] = (uint8_t)h;
	d[6] = (uint8_t)vblank;
	d[7] = (uint8_t)((h >> 8) << 4 | (vblank >> 8));
	d[8] = (uint8_t)H_FRONT;
	d[9] = (uint8_t)H_SYNC;
	d[10] = (uint8_t)((V_FRONT & 15) << 4 | (V_SYNC & 15));
	d[11] = (uint8_t)((H_FRONT >> 8) << 6 | (H_SYNC >> 8) << 4 |
			  (V_FRONT >> 4) << 2 | (V_SYNC >> 4));
	d[12] = (uint8_t)wmm;
	d[13] = (uint8_t)hmm;
	d[14] = (uint8_t)((wmm >> 8) << 4 | (hmm >> 8));
	d[15] = 0;
	d[16] = 0;
	d[17] = 0x1a; /* digital separate sync, +hsync, -vsync (CVT-RB) */
}

void sim_edid_build(uint8_t edid[128], uint32_t width, uint32_t height,
		    uint32_t serial)
{
	static const uint8_t header[8] = {0x00, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff, 0x00};
	/* sRGB primaries and D65 white point. */
	static const uint8_t chroma[10] = {0xee, 0x91, 0xa3, 0x54, 0x4c,
					   0x99, 0x26, 0x0f, 0x50, 0x54};
	const char mfg[3] = {'V', 'G', 'S'};
	uint16_t id =
		(uint16_t)(((mfg[0] - '@') & 31) << 10 |
			   ((mfg[1] - '@') & 31) << 5 | ((mfg[2] - '@') & 31));
	uint32_t w = width ? width : 1024, h = height ? height : 768;

	/* A detailed timing holds 4095 a side: a larger mode gets no timing
	 * at all rather than a clamped, wrong one (GET_DISPLAY_INFO still
	 * gives the preferred size).  The screen size follows the mode. */
	bool fits = w <= DTD_MAX && h <= DTD_MAX;

	memset(edid, 0, 128);
	memcpy(edid, header, 8);
	edid[8] = (uint8_t)(id >> 8); /* big-endian */
	edid[9] = (uint8_t)id;
	edid[10] = 0x01; /* product code, little-endian */
	edid[11] = 0x00;
	edid[12] = (uint8_t)serial;
	edid[13] = (uint8_t)(serial >> 8);
	edid[14] = (uint8_t)(serial >> 16);
	edid[15] = (uint8_t)(serial >> 24);
	edid[16] = 1; /* week */
	edid[17] = 2024 - 1990;
	edid[18] = 1; /* EDID 1.4 */
	edid[19] = 4;
	edid[20] = 0xa5; /* digital, 8 bits per colour, DisplayPort */
	uint32_t wcm = (uint32_t)(((uint64_t)w * 254u / 960u + 5) / 10),
		 hcm = (uint32_t)(((uint64_t)h * 254u / 960u + 5) / 10);
	edid[21] = (uint8_t)(wcm ? (wcm > 255 ? 255 : wcm) : 1);
	edid[22] = (uint8_t)(hcm ? (hcm > 255 ? 255 : hcm) : 1);
	edid[23] = 120;	 /* gamma 2.2 */
	edid[24] = 0x06; /* RGB 4:4:4, sRGB default, preferred mode native */
	memcpy(edid + 25, chroma, sizeof(chroma));
	/* No established timings; standard timings unused (0x01 0x01). */
	for (int i = 38; i < 54; i++)
		edid[i] = 0x01;
	if (fits) {
		put_dtd(edid + 54, w, h);
	} else {
		edid[54 + 3] = 0x10;	    /* dummy descriptor */
		edid[24] &= (uint8_t)~0x02; /* no preferred timing in a DTD */
	}
	put_descriptor_text(edid + 72, 0xfc, SIM_EDID_MONITOR_NAME);
	/* Range limits: 1-75 Hz vertical, 1-255 kHz horizontal, max clock
	 * 660 MHz, no timing formula (continuous frequency not claimed). */
	uint8_t *r = edid + 90;
	r[3] = 0xfd;
	r[5] = 1;
	r[6] = 75;
	r[7] = 1;
	r[8] = 255;
	r[9] = 66;
	r[10] = 0x01; /* range limits only */
	r[11] = 0x0a;
	for (int i = 12; i < 18; i++)
		r[i] = 0x20;
	put_descriptor_text(edid + 108, 0xff, "VIOGPU-SIM");
	edid[126] = 0; /* no extensions */
	uint8_t sum = 0;
	for (int i = 0; i < 127; i++)
		sum = (uint8_t)(sum + edid[i]);
	edid[127] = (uint8_t)(0x100 - sum);
}
