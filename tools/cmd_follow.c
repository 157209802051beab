// SPDX-License-Identifier: MIT
/* follow: the auto-resize mode.  Each enabled head shows a picture at the
 * size the host asks for, and follows it when the host changes it (a
 * monitor plugged, a VM window or VNC client resized). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "follow.h"

int cmd_follow(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	unsigned long seconds = 10, want = 0;
	static const char *const once[] = {"--seconds", "--changes", NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: viogpu follow [--seconds N] [--changes "
			       "K] "
			       "[COMMON OPTIONS]\n\n"
			       "Auto-resize: every enabled head shows a grid "
			       "at "
			       "the size the host\nasks for, and follows the "
			       "host's display changes (hot-plug, a VM\nwindow "
			       "or a VNC client resized) for N seconds "
			       "(default "
			       "10), or\nuntil K changes were followed.  Each "
			       "new size is checked against\nthe device's "
			       "screendump.  On QEMU, add a VNC server with\n"
			       "VIOGPU_QEMU_EXTRA_ARGS='-vnc 127.0.0.1:1' and "
			       "resize from a VNC client\nthat supports "
			       "desktop "
			       "resizing.\n\n%s",
			       cli_common_help());
			return CLI_EXIT_OK;
		}
		if ((!strcmp(a, "--seconds") || !strcmp(a, "--changes")) &&
		    i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(a, "--seconds") || !strcmp(a, "--changes")) {
			unsigned long *dst =
				!strcmp(a, "--seconds") ? &seconds : &want;
			if (!cli_parse_uint(argv[++i], 86400, dst) ||
			    (dst == &seconds && !seconds)) {
				cli_error("%s wants a number, not '%s'", a,
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		if (cli_other_option(&c, argc, argv, &i, "follow"))
			return CLI_EXIT_USAGE;
	}
	c.frame_bytes = CLI_FOLLOW_FRAME_BYTES;
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;
	struct cli_follow f = {.seconds = seconds, .changes = want};
	rc = cli_follow_run(&s, &f);
	cli_close(&s);
	return rc;
}
