// SPDX-License-Identifier: MIT
/*
 * Prints the canonical text of an EDID file (tools/edid_text.c) for the
 * golden comparison with edid-decode (tests/edid_golden.py).  The file is
 * read into a heap buffer of exactly its size, so ASan catches any read
 * past the end.  Exit 0 when decoded, 1 when vg_edid_parse refused it,
 * 2 for a usage or file error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "edid_text.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: edid_dump FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "edid_dump: cannot open '%s'\n", argv[1]);
		return 2;
	}
	size_t cap = 65536, len;
	uint8_t *tmp = malloc(cap);
	len = tmp ? fread(tmp, 1, cap, f) : 0;
	fclose(f);
	if (!tmp)
		return 2;
	uint8_t *data = malloc(len ? len : 1);
	if (!data) {
		free(tmp);
		return 2;
	}
	for (size_t i = 0; i < len; i++)
		data[i] = tmp[i];
	free(tmp);

	static struct vg_edid e;
	vg_status st = vg_edid_parse(data, len, &e);
	edid_print_text(stdout, &e, st);
	free(data);
	return st == VG_OK ? 0 : 1;
}
