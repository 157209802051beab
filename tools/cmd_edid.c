// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "viogpu/display.h"

#include "cli.h"
#include "edid_text.h"

int cmd_edid(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	const char *raw = NULL;
	bool decode = false;
	unsigned long head = 0;
	static const char *const once[] = {"--head", "--raw", NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: viogpu edid [--head N] [--raw FILE] "
			       "[--decode] [COMMON OPTIONS]\n\n"
			       "Prints the EDID the device reports for head N "
			       "(default 0) as hex,\n16 bytes a line, or with "
			       "--raw writes the bytes to FILE (for\n"
			       "edid-decode).  Only the base block and the "
			       "extensions it claims are\nprinted or written, "
			       "as far as the device gave them.  --decode "
			       "prints\nwhat the driver decodes instead (with "
			       "--raw: as well).\n\n%s",
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
			if (raw) {
				cli_error("--raw given twice (the second is "
					  "'%s'); give it once",
					  argv[i + 1]);
				return CLI_EXIT_USAGE;
			}
			raw = argv[++i];
			continue;
		}
		if (!strcmp(a, "--decode")) {
			decode = true;
			continue;
		}
		if (cli_other_option(&c, argc, argv, &i, "edid"))
			return CLI_EXIT_USAGE;
	}
	if (raw && !cli_check_out("--raw", raw))
		return CLI_EXIT_USAGE;
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;
	if (!cli_check_head(s.gpu, (uint32_t)head)) {
		cli_close(&s);
		return CLI_EXIT_USAGE;
	}
	struct vg_display d;
	vg_gpu_get_display(s.gpu, (uint32_t)head, &d);
	/* The device may pad (QEMU returns 1024 bytes): keep the blocks the
	 * EDID itself claims. */
	uint32_t size = (uint32_t)vg_edid_length(d.edid, d.edid_size);
	if (d.edid_size == 0) {
		cli_error("head %lu has no EDID (device without the EDID "
			  "feature, or edid=off)",
			  head);
		rc = CLI_EXIT_FAIL;
	} else if (raw) {
		/* Every step checked: a full disk (or /dev/full) fails the
		 * write, the flush or the close. */
		struct stat before;
		bool existed = stat(raw, &before) == 0;
		FILE *f = fopen(raw, "wb");
		int err = f ? 0 : errno;
		if (f && fwrite(d.edid, 1, size, f) != size)
			err = errno ? errno : EIO;
		if (f && fflush(f) != 0 && !err)
			err = errno;
		if (f && fclose(f) != 0 && !err)
			err = errno;
		if (err) {
			cli_error("cannot write '%s': %s", raw, strerror(err));
			/* Only a file this run created; never a device node
			 * or what was there before. */
			if (f && !existed)
				remove(raw);
			rc = CLI_EXIT_FAIL;
		} else {
			printf("wrote %u bytes of EDID to %s\n", size, raw);
		}
	} else if (!decode) {
		for (uint32_t i = 0; i < size; i++)
			printf("%02x%s", d.edid[i],
			       (i % 16 == 15 || i + 1 == size) ? "\n" : " ");
	}
	if (d.edid_size && decode && rc == CLI_EXIT_OK) {
		static struct vg_edid e;
		vg_status st = vg_edid_parse(d.edid, d.edid_size, &e);
		edid_print_text(stdout, &e, st);
	}
	cli_close(&s);
	return rc;
}
