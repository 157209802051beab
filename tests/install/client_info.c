/* SPDX-License-Identifier: MIT */
/*
 * Built by tests/install/test_install.sh against the installed
 * libviogpu-client only: connects to viogpud at argv[1], asks GET_INFO
 * and prints the protocol version and head 0's mode.  Exit 0 when the
 * server answered VGP_OK with at least one head showing a mode.
 */
#include <stdio.h>
#include <string.h>
#include <viogpu/client.h>

int main(int argc, char **argv)
{
	struct vgp_client *c;
	struct vgp_info info;
	size_t len = 0;

	int rc = vgp_client_connect(argc > 1 ? argv[1] : NULL, &c);
	if (rc < 0) {
		fprintf(stderr, "connect: %s\n", strerror(-rc));
		return 1;
	}
	memset(&info, 0, sizeof(info));
	rc = vgp_client_call(c, VGP_GET_INFO, NULL, 0, -1, &info, sizeof(info),
			     &len, NULL);
	vgp_client_close(c);
	if (rc != VGP_OK || len != sizeof(info) || info.nheads < 1) {
		fprintf(stderr, "GET_INFO: status %d, %zu bytes\n", rc, len);
		return 1;
	}
	printf("protocol %u.%u, %u heads, head 0 %ux%u\n", info.version_major,
	       info.version_minor, info.nheads, info.heads[0].width,
	       info.heads[0].height);
	return info.heads[0].width ? 0 : 1;
}
