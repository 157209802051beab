// SPDX-License-Identifier: MIT
/* wddm: runs the OS model's scenarios (dod/osmodel) against the WDDM
 * display-only layer on a device, printing what each checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "osmodel.h"

static void help(void)
{
	printf("usage: viogpu wddm [--scenario NAME|all] [--list] "
	       "[--device SPEC]\n"
	       "                   [--faults SPEC] [--frames N]\n\n"
	       "Plays Windows (dxgkrnl) against the WDDM display-only "
	       "miniport layer:\nPnP start, VidPN commits, a DWM-like present "
	       "thread, the pointer, child\npolls, hot-plug, sleep and "
	       "hibernate, a timeout recovery, handing the\nframe over, and "
	       "calls that break the synchronization levels on purpose.\n"
	       "Each scenario prints one line per check and compares the "
	       "device's\nscreendump with what it presented.  --list names "
	       "the scenarios;\n--device and --faults replace a scenario's "
	       "own (see 'viogpu --help'\nand README \"Fault injection\"); "
	       "--frames sets DWM frames per source.\nExit 0 when every "
	       "check passed, 1 when one failed, 2 for bad input.\n");
}

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
	fflush(stdout);
}

int cmd_wddm(int argc, char **argv)
{
	const char *name = "all", *device = NULL, *faults = NULL;
	unsigned long nframes = 0;
	bool list = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool value = i + 1 < argc;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help();
			return CLI_EXIT_OK;
		} else if (!strcmp(a, "--list")) {
			list = true;
		} else if (!strcmp(a, "--scenario") && value) {
			name = argv[++i];
		} else if (!strcmp(a, "--device") && value) {
			device = argv[++i];
		} else if (!strcmp(a, "--faults") && value) {
			faults = argv[++i];
		} else if (!strcmp(a, "--frames") && value) {
			if (!cli_parse_uint(argv[++i], 100000, &nframes) ||
			    !nframes) {
				cli_error("--frames wants 1..100000, not '%s'",
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
		} else {
			cli_error("wddm: unknown option or missing value '%s' "
				  "(try 'viogpu wddm --help')",
				  a);
			return CLI_EXIT_USAGE;
		}
	}
	unsigned n = 0;
	const struct osm_scenario *all = osm_scenarios(&n);
	if (list) {
		for (unsigned i = 0; i < n; i++)
			printf("%-14s %s\n", all[i].name, all[i].what);
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "all") && !osm_find(name)) {
		cli_error("unknown scenario '%s' (try 'viogpu wddm --list')",
			  name);
		return CLI_EXIT_USAGE;
	}
	struct osm_options opt = {.device = device,
				  .faults = faults,
				  .frames = (unsigned)nframes,
				  .print = print_line};
	unsigned ran = 0, failed = 0, checks = 0;
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(name, "all") && strcmp(name, all[i].name))
			continue;
		struct osm_report rep;
		int rc = osm_run(&all[i], &opt, &rep);
		if (rc == 2) {
			cli_error("%s", rep.first_failure);
			return CLI_EXIT_USAGE;
		}
		ran++;
		checks += rep.checks;
		failed += rc != 0;
		printf("%s: %s (%u checks, %u failed)\n", all[i].name,
		       rc ? "FAILED" : "passed", rep.checks, rep.failures);
	}
	printf("wddm: %u scenario(s), %u checks, %u scenario(s) failed\n", ran,
	       checks, failed);
	return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
