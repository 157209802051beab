// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"

#include "cli.h"
#include "edid_text.h"

int cmd_modes(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	unsigned long head = 0;
	bool all_heads = true;
	static const char *const once[] = {"--head", NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: viogpu modes [--head N] [COMMON "
			       "OPTIONS]\n\n"
			       "Lists the modes each head (or head N) can "
			       "show: "
			       "the device's preferred\nsize, the EDID's "
			       "timings and a standard set, without those the "
			       "host's\nmemory for 2D resources cannot hold; "
			       "preferred first, then largest.\n\n%s",
			       cli_common_help());
			return CLI_EXIT_OK;
		}
		int hr = cli_head_option(argc, argv, &i, &head);
		if (hr < 0)
			return CLI_EXIT_USAGE;
		if (hr > 0) {
			all_heads = false;
			continue;
		}
		if (cli_other_option(&c, argc, argv, &i, "modes"))
			return CLI_EXIT_USAGE;
	}
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;
	if (!all_heads && !cli_check_head(s.gpu, (uint32_t)head)) {
		cli_close(&s);
		return CLI_EXIT_USAGE;
	}
	struct vg_gpu_info info;
	vg_gpu_get_info(s.gpu, &info);
	for (uint32_t h = 0; h < info.num_scanouts; h++) {
		if (!all_heads && h != head)
			continue;
		struct vg_mode modes[256];
		unsigned n = 0;
		vg_status st = vg_gpu_list_modes(s.gpu, h, modes, 256, &n);
		if (st != VG_OK) {
			cli_gpu_error(s.gpu, "listing modes", st);
			rc = CLI_EXIT_FAIL;
			break;
		}
		printf("head %u: %u modes\n", h, n);
		struct vg_display d;
		static struct vg_edid e; /* 8 KB */
		vg_gpu_get_display(s.gpu, h, &d);
		if (d.edid_size &&
		    vg_edid_parse(d.edid, d.edid_size, &e) == VG_OK) {
			printf("  hdr: ");
			edid_print_hdr_summary(stdout, &e);
			printf("\n");
		}
		for (unsigned i = 0; i < n && i < 256; i++) {
			const struct vg_mode *m = &modes[i];
			printf("  %5ux%-5u", m->width, m->height);
			if (m->refresh_mhz)
				printf(" @%3u.%03u Hz", m->refresh_mhz / 1000,
				       m->refresh_mhz % 1000);
			else
				printf("            ");
			printf("%s%s%s%s\n",
			       m->flags & VG_MODE_PREFERRED ? "  preferred"
							    : "",
			       m->flags & VG_MODE_FROM_DEVICE ? "  device" : "",
			       m->flags & VG_MODE_FROM_EDID ? "  edid" : "",
			       m->flags & VG_MODE_STANDARD ? "  standard" : "");
		}
	}
	cli_close(&s);
	return rc;
}
