// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"

#include "cli.h"
#include "edid_text.h"

static const struct {
	unsigned bit;
	const char *name;
} feature_names[] = {
	{VG_F_VIRGL, "VIRGL"},
	{VG_F_EDID, "EDID"},
	{VG_F_RESOURCE_UUID, "RESOURCE_UUID"},
	{VG_F_RESOURCE_BLOB, "RESOURCE_BLOB"},
	{VG_F_CONTEXT_INIT, "CONTEXT_INIT"},
	{VG_F_RING_INDIRECT_DESC, "RING_INDIRECT_DESC"},
	{VG_F_RING_EVENT_IDX, "RING_EVENT_IDX"},
	{VG_F_VERSION_1, "VERSION_1"},
	{VG_F_ACCESS_PLATFORM, "ACCESS_PLATFORM"},
};

static void print_features(const char *label, uint64_t f)
{
	printf("%-20s0x%016llx", label, (unsigned long long)f);
	for (size_t i = 0; i < sizeof(feature_names) / sizeof(*feature_names);
	     i++)
		if (f & (1ull << feature_names[i].bit))
			printf(" %s", feature_names[i].name);
	printf("\n");
}

int cmd_info(int argc, char **argv)
{
	struct cli_common c = {0};
	struct cli_session s;
	static const char *const once[] = {NULL};

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: viogpu info [COMMON OPTIONS]\n\n"
			       "Brings the device up and prints the features "
			       "it offered and we\nnegotiated, the number of "
			       "scanouts, and each enabled display's\n"
			       "preferred size and EDID monitor name.\n\n%s",
			       cli_common_help());
			return CLI_EXIT_OK;
		}
		if (cli_other_option(&c, argc, argv, &i, "info"))
			return CLI_EXIT_USAGE;
	}
	int rc = cli_open(&c, &s);
	if (rc)
		return rc;

	struct vg_gpu_info info;
	vg_gpu_get_info(s.gpu, &info);
	print_features("device features:", info.device_features);
	print_features("negotiated:", info.driver_features);
	printf("%-20s%u\n", "scanouts:", info.num_scanouts);
	printf("%-20scontrol %u, cursor %u descriptors\n",
	       "queues:", info.ctrlq_size, info.cursorq_size);
	for (uint32_t h = 0; h < info.num_scanouts; h++) {
		struct vg_display d;
		vg_gpu_get_display(s.gpu, h, &d);
		if (!d.enabled) {
			printf("head %u:             disabled\n", h);
			continue;
		}
		printf("head %u:             %ux%u at %u,%u, monitor \"%s\", "
		       "EDID %u bytes\n",
		       h, d.rect.width, d.rect.height, d.rect.x, d.rect.y,
		       d.monitor_name, d.edid_size);
		static struct vg_edid e; /* 8 KB */
		if (d.edid_size &&
		    vg_edid_parse(d.edid, d.edid_size, &e) == VG_OK) {
			printf("head %u hdr:         ", h);
			edid_print_hdr_summary(stdout, &e);
			printf("\n");
		}
	}
	cli_close(&s);
	return CLI_EXIT_OK;
}
