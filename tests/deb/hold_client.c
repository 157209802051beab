// SPDX-License-Identifier: MIT
/*
 * hold_client: a viogpud client that stays connected while the package
 * test upgrades the daemon under it.  Built by tests/test_deb.sh against
 * the installed libviogpu-dev (pkg-config in the Debian root) and run in
 * that root, so it also proves the -dev package links and the client
 * library package loads.
 *
 * Connects, creates head 0's primary surface, fills it and swaps, prints
 * "ready"; then for each line on stdin fills and swaps again and prints
 * "drew N"; at end of input closes the surface cleanly and prints
 * "closed".  Exit 0 only if every call returned VGP_OK; 1 otherwise,
 * after a line saying which call failed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <viogpu/client.h>

static int fill_and_swap(struct vgp_client *c, uint32_t handle, uint32_t rgb)
{
	struct vgp_clear cl = {handle, rgb};
	int st = vgp_client_call(c, VGP_CLEAR, &cl, sizeof(cl), -1, NULL, 0,
				 NULL, NULL);
	if (st != VGP_OK) {
		printf("clear failed: %d\n", st);
		return -1;
	}
	struct vgp_surface_ref ref = {handle, 0};
	st = vgp_client_call(c, VGP_SWAP_BUFFERS, &ref, sizeof(ref), -1, NULL,
			     0, NULL, NULL);
	if (st != VGP_OK) {
		printf("swap failed: %d\n", st);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vgp_client *c;
	char line[64];
	int rc = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: hold_client SOCKET\n");
		return 2;
	}
	int err = vgp_client_connect(argv[1], &c);
	if (err) {
		printf("connect failed: %s\n", strerror(-err));
		return 1;
	}
	struct vgp_create_surface cs = {
		.flags = VGP_SURFACE_PRIMARY | VGP_SURFACE_SHARED_RESOURCE,
		.source_id = 0,
		.format = VGP_FORMAT_XRGB8888,
	};
	struct vgp_surface_reply sr;
	size_t got;
	int fd = -1;
	int st = vgp_client_call(c, VGP_CREATE_SURFACE, &cs, sizeof(cs), -1,
				 &sr, sizeof(sr), &got, &fd);
	if (fd >= 0)
		close(fd); /* drawing goes through requests */
	if (st != VGP_OK || got != sizeof(sr)) {
		printf("create surface failed: %d\n", st);
		goto close_client;
	}
	if (fill_and_swap(c, sr.handle, 0x203040))
		goto close_client;
	printf("ready\n");
	for (unsigned n = 1; fgets(line, sizeof(line), stdin); n++) {
		if (fill_and_swap(c, sr.handle, 0x102030u * n))
			goto close_client;
		printf("drew %u\n", n);
	}
	struct vgp_surface_ref ref = {sr.handle, 0};
	st = vgp_client_call(c, VGP_CLOSE_SURFACE, &ref, sizeof(ref), -1, NULL,
			     0, NULL, NULL);
	if (st != VGP_OK) {
		printf("close surface failed: %d\n", st);
		goto close_client;
	}
	printf("closed\n");
	rc = 0;
close_client:
	vgp_client_close(c);
	return rc;
}
