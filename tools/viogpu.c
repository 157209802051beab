// SPDX-License-Identifier: MIT
/* viogpu: drive a virtio-gpu device through the viogpu driver core. */
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
		"\n"
		"'viogpu COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv)
{
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
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(cmd, "edid"))
		return cmd_edid(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(argc - 1, argv + 1);
	if (!strcmp(cmd, "follow"))
		return cmd_follow(argc - 1, argv + 1);
	if (!strcmp(cmd, "modes"))
		return cmd_modes(argc - 1, argv + 1);
	if (!strcmp(cmd, "power-cycle"))
		return cmd_power_cycle(argc - 1, argv + 1);
	cli_error("unknown command '%s' (try 'viogpu --help')", cmd);
	return CLI_EXIT_USAGE;
}
