/* SPDX-License-Identifier: MIT */
/*
 * Built by tests/install/test_install.sh against the installed tree only
 * (pkg-config, the static libviogpu.a): opens the device model, presents
 * a frame and checks the device's own screendump holds exactly it.
 * Exit 0 when it does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <viogpu/display.h>
#include <viogpu/host.h>
#include <viogpu/present.h>
#include <viogpu/surface.h>

#define W 320u
#define H 200u

static uint32_t pattern(uint32_t x, uint32_t y)
{
	return ((x * 7u) << 16 | (y * 3u) << 8 | (x ^ y)) & 0xffffffu;
}

int main(void)
{
	struct vg_host_request req = {.device = "sim",
				      .frame_bytes = W * H * 4};
	struct vg_host *host;
	char msg[256];
	uint32_t *dump = NULL, dw = 0, dh = 0, bad = 0;

	if (vg_host_open(&req, &host, msg, sizeof(msg)) != VG_HOST_OK) {
		fprintf(stderr, "open: %s\n", msg);
		return 1;
	}
	struct vg_gpu *gpu = vg_host_gpu(host);
	vg_status st = vg_gpu_set_mode(gpu, 0, W, H);
	struct vg_fb *fb = st == VG_OK ? vg_gpu_head_fb(gpu, 0) : NULL;
	for (uint32_t y = 0; fb && y < H; y++)
		for (uint32_t x = 0; x < W; x++)
			vg_fb_pixels(fb)[y * vg_fb_stride(fb) / 4 + x] =
				pattern(x, y);
	if (st == VG_OK)
		st = vg_gpu_present(gpu, fb, NULL, 0);
	if (st == VG_OK)
		st = vg_host_screendump(host, 0, &dump, &dw, &dh);
	if (st != VG_OK) {
		fprintf(stderr, "present: %s\n", vg_status_str(st));
		vg_host_close(host);
		return 1;
	}
	for (uint32_t y = 0; y < H && dw == W && dh == H; y++)
		for (uint32_t x = 0; x < W; x++)
			bad += (dump[y * W + x] & 0xffffffu) != pattern(x, y);
	printf("screendump %ux%u, %u pixels differ\n", dw, dh, bad);
	free(dump);
	vg_host_close(host);
	return dw == W && dh == H && bad == 0 ? 0 : 1;
}
