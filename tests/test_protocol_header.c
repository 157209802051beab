// SPDX-License-Identifier: MIT
/*
 * The protocol header as clients meet it: built here with -pedantic (and
 * as C++ in protocol_header_cxx.cpp when a C++ compiler is present), and
 * its structs compared byte for byte with wire images written by hand in
 * little-endian order, so "the struct is the wire format" is checked, not
 * assumed.
 */
#include <stdio.h>
#include <string.h>

#include "viogpu/client.h"
#include "viogpu/protocol.h"

static int failures;

static void expect(const char *what, const void *got, const void *want,
		   size_t n)
{
	if (memcmp(got, want, n)) {
		fprintf(stderr, "%s: struct bytes differ from the wire image\n",
			what);
		failures++;
	}
}

int main(void)
{
	struct vgp_req_hdr h = {VGP_DRAW_LINE, 40, 0x01020304u,
				VGP_VERSION_MAJOR, 0};
	static const unsigned char h_wire[16] = {
		0x0c, 0xa0, 0x22, 0x00, /* code 0x0022a00c */
		40,   0,    0,	  0,	/* length */
		0x04, 0x03, 0x02, 0x01, /* serial */
		1,    0,    0,	  0};	/* version 1, pad */
	expect("request header", &h, h_wire, sizeof(h_wire));

	struct vgp_line l = {7, -2, 3, -2000000000, 5, 0xaabbccddu};
	static const unsigned char l_wire[24] = {
		7, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, /* -2 */
		3, 0, 0, 0, 0x00, 0x6c, 0xca, 0x88, /* -2e9 */
		5, 0, 0, 0, 0xdd, 0xcc, 0xbb, 0xaa};
	expect("DRAW_LINE body", &l, l_wire, sizeof(l_wire));

	struct vgp_reply_hdr r = {VGP_CREATE_SURFACE, 56, 9,
				  VGP_E_INVALID_DISPLAY_FREQUENCY};
	static const unsigned char r_wire[16] = {
		0x4a, 0x20, 0x22, 0x00, 56, 0, 0, 0, 9, 0, 0, 0, 10, 0, 0, 0};
	expect("reply header", &r, r_wire, sizeof(r_wire));

	struct vgp_blit b = {1, 256, 0x0102030405060708ull, -1, 2, 3, 4};
	static const unsigned char b_wire[32] = {
		1,    0,    0,	  0,	0,    1,    0,	  0,
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
		0xff, 0xff, 0xff, 0xff, 2,    0,    0,	  0,
		3,    0,    0,	  0,	4,    0,    0,	  0};
	expect("BLIT body", &b, b_wire, sizeof(b_wire));

	struct vgp_reply_hdr e = {VGP_EVENT_DISPLAY, 56, 0, VGP_OK};
	static const unsigned char e_wire[16] = {
		0x04, 0x3c, 0x22, 0x00, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	expect("display event header", &e, e_wire, sizeof(e_wire));

	struct vgp_display_event d = {1,
				      1,
				      1600,
				      900,
				      1600,
				      900,
				      VGP_DISPLAY_FOLLOWED,
				      0,
				      0x0102030405060708ull};
	static const unsigned char d_wire[40] = {
		1,    0,    0,	  0,	1,    0,    0,	  0,	0x40, 0x06,
		0,    0,    0x84, 0x03, 0,    0,    0x40, 0x06, 0,    0,
		0x84, 0x03, 0,	  0,	1,    0,    0,	  0,	0,    0,
		0,    0,    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
	expect("display event body", &d, d_wire, sizeof(d_wire));

	struct vgp_subscribe_input si = {2, VGP_SUBSCRIBE_DISPLAY |
						    VGP_INPUT_BUTTON};
	static const unsigned char si_wire[8] = {2, 0, 0, 0, 1, 0, 0, 0x80};
	expect("SUBSCRIBE_INPUT with the display bit", &si, si_wire,
	       sizeof(si_wire));

	if (failures)
		return 1;
	printf("protocol structs match their wire images\n");
	return 0;
}
