// SPDX-License-Identifier: MIT
/* viogpu: drive a virtio-gpu device through the viogpu driver core. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: viogpu COMMAND [OPTIONS]\n"
		"\n"
		"Drives a virtio-gpu device through the viogpu driver core "
		"from "
		"user space:\nQEMU's virtio-gpu-pci (the default; QEMU runs in "
		"qtest mode, no guest OS)\nor the built-in device model "
		"(--device sim, which can misbehave on command).\n"
		"\n"
		"Commands:\n"
		"  info    negotiated features, scanouts, each display's size "
		"and monitor\n"
		"  edid    a head's EDID, as hex, raw bytes or decoded\n"
		"  modes   the modes each head can show, preferred first\n"
		"  follow  auto-resize: follow the host's display changes\n"
		"  show    set a mode, draw a pattern or an image, save what "
		"the device shows\n"
		"  demo    moving content presented as dirty rectangles, with "
		"timing\n"
		"  power-cycle  D0 -> D3 -> D0 cycles, checking the picture "
		"after each\n"
		"  wddm    the WDDM display-only layer driven as Windows "
		"drives it\n"
#ifndef _WIN32
		"  draw    pixels, lines and rectangles through the display "
		"server (viogpud)\n"
#endif
		"\n"
		"'viogpu COMMAND --help' describes each command and the "
		"common options\n(--device, --faults, --heads, --ram, "
		"--timeout, --stats, -v), which may\nalso come before "
		"COMMAND.\n"
		"'viogpu --version' prints the version.\n"
		"\n"
		"Exit codes: 0 the command did what it says; 1 the device or "
		"the driver\nfailed, or the picture was wrong; 2 bad input, "
		"conflicting settings or\nmore than this machine or device "
		"can take, refused before anything started.\n");
}

/* Common options before the command: "viogpu --device sim info".  Returns
 * the index of the command, 0 if none follows, -1 for an option that is not
 * a common one (after printing why). */
static int find_command(int argc, char **argv)
{
	static const char *const with_value[] = {
		"--device", "--faults", "--timeout", "--heads", "--ram", NULL};
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h") ||
		    !strcmp(a, "--version"))
			return i;
		bool value = false,
		     known = !strcmp(a, "--stats") || !strcmp(a, "--verbose") ||
			     (a[1] == 'v' &&
			      strspn(a + 1, "v") == strlen(a + 1));
		for (int k = 0; with_value[k]; k++)
			if (!strcmp(a, with_value[k]))
				known = value = true;
		if (!known) {
			cli_error("unknown option '%s' before the command "
				  "(only common options may come first; try "
				  "'viogpu --help')",
				  a);
			return -1;
		}
		i += value ? 2 : 1;
	}
	return i < argc ? i : 0;
}

int main(int argc, char **argv)
{
	int at = argc >= 2 ? find_command(argc, argv) : 0;
	if (at < 0)
		return CLI_EXIT_USAGE;
	if (at > 1) {
		/* Move the command first; the options keep their order. */
		char *cmd = argv[at];
		memmove(argv + 2, argv + 1, (size_t)(at - 1) * sizeof(*argv));
		argv[1] = cmd;
	} else if (argc >= 2 && at == 0) {
		cli_error("options but no command (try 'viogpu --help')");
		return CLI_EXIT_USAGE;
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("viogpu %s\n", VG_VERSION);
		return CLI_EXIT_OK;
	}
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(cmd, "edid"))
		return cmd_edid(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(argc - 1, argv + 1);
#ifndef _WIN32 /* the display server is Linux-only (Unix sockets) */
	if (!strcmp(cmd, "draw"))
		return cmd_draw(argc - 1, argv + 1);
#endif
	if (!strcmp(cmd, "follow"))
		return cmd_follow(argc - 1, argv + 1);
	if (!strcmp(cmd, "modes"))
		return cmd_modes(argc - 1, argv + 1);
	if (!strcmp(cmd, "power-cycle"))
		return cmd_power_cycle(argc - 1, argv + 1);
	if (!strcmp(cmd, "wddm"))
		return cmd_wddm(argc - 1, argv + 1);
	cli_error("unknown command '%s' (try 'viogpu --help')", cmd);
	return CLI_EXIT_USAGE;
}
