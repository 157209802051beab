// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_edid(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	const char *raw = NULL;
	unsigned long head = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: viogpu edid [--head N] [--raw FILE] "
			       "[COMMON OPTIONS]\n\n"
			       "Prints the EDID the device reports for head N "
			       "(default 0) as hex,\n16 bytes a line, or with "
			       "--raw writes the bytes to FILE (for\n"
			       "edid-decode).\n\n%s",
			       cli_common_help());
			return CLI_EXIT_OK;
		}
		int hr = cli_head_option(argc, argv, &i, &head);
		if (hr < 0)
			return CLI_EXIT_USAGE;
		if (hr > 0)
			continue;
		if (!strcmp(a, "--raw") && i + 1 >= argc) {
			cli_error("--raw needs a value");
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(a, "--raw")) {
			raw = argv[++i];
			continue;
		}
		int r = cli_common_option(&c, argc, argv, &i);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0) {
			cli_error("edid: unknown option '%s'", a);
			return CLI_EXIT_USAGE;
		}
	}
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;
	if (!cli_check_head(s.gpu, (uint32_t)head)) {
		cli_close(&s);
		return CLI_EXIT_USAGE;
	}
	struct vg_display d;
	vg_gpu_get_display(s.gpu, (uint32_t)head, &d);
	if (d.edid_size == 0) {
		cli_error("head %lu has no EDID (device without the EDID "
			  "feature, or edid=off)",
			  head);
		rc = CLI_EXIT_FAIL;
	} else if (raw) {
		FILE *f = fopen(raw, "wb");
		bool ok = f && fwrite(d.edid, 1, d.edid_size, f) == d.edid_size;
		if (f && fclose(f))
			ok = false;
		if (!ok) {
			cli_error("cannot write '%s'", raw);
			if (f)
				remove(raw);
			rc = CLI_EXIT_FAIL;
		} else {
			printf("wrote %u bytes of EDID to %s\n", d.edid_size,
			       raw);
		}
	} else {
		for (uint32_t i = 0; i < d.edid_size; i++)
			printf("%02x%s", d.edid[i],
			       (i % 16 == 15 || i + 1 == d.edid_size) ? "\n"
								      : " ");
	}
	cli_close(&s);
	return rc;
}
