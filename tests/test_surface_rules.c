// SPDX-License-Identifier: MIT
/*
 * The surface creation and access rules (src/server/surface_rules.c),
 * table-driven: every rule broken alone, with the status it must name,
 * and the combinations that are allowed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "surface_rules.h"

#define P VGP_SURFACE_PRIMARY
#define S VGP_SURFACE_SHARED_RESOURCE
#define RT VGP_SURFACE_RENDER_TARGET
#define TX VGP_SURFACE_TEXTURE
#define DRT VGP_SURFACE_DECODE_RENDER_TARGET
#define RC VGP_SURFACE_RESTRICTED_CONTENT
#define RSA VGP_SURFACE_RESTRICT_SHARED_ACCESS

/* Heads 0 (1920x1080) and 1 (1024x768) exist; head 2 exists but is
 * disabled; there are 3. */
static const struct vgp_heads_view heads = {
	3, {{1920, 1080}, {1024, 768}, {0, 0}}};

struct create_case {
	const char *what;
	uint32_t flags, source, width, height, refresh, naccess;
	enum vgp_status want;
	uint32_t want_w, want_h;
};

static const struct create_case create_cases[] = {
	/* allowed */
	{"scanout of head 0, its mode", P | S, 0, 0, 0, 0, 0, VGP_OK, 1920,
	 1080},
	{"scanout of head 1, size given", P | S, 1, 1024, 768, 0, 0, VGP_OK,
	 1024, 768},
	{"scanout + every optional flag", P | S | RT | TX | DRT | RC | RSA, 0,
	 0, 0, 0, 1, VGP_OK, 1920, 1080},
	{"scanout render target", P | S | RT, 0, 0, 0, 0, 0, VGP_OK, 1920,
	 1080},
	{"off-screen private", 0, 0, 64, 32, 0, 0, VGP_OK, 64, 32},
	{"off-screen shared texture", S | TX, 0, 64, 32, 0, 0, VGP_OK, 64, 32},
	{"off-screen restricted", RC, 0, 8, 8, 0, 0, VGP_OK, 8, 8},
	{"decode target with restricted content", DRT | RC, 0, 8, 8, 0, 0,
	 VGP_OK, 8, 8},
	{"shared with access list", S | RSA, 0, 8, 8, 0, 16, VGP_OK, 8, 8},
	/* rule 1: unknown flags */
	{"unknown flag bit 7", S | (1u << 7), 0, 8, 8, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	{"unknown flag bit 31", P | S | (1u << 31), 0, 0, 0, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	/* rule 2: PRIMARY needs SHARED_RESOURCE */
	{"primary alone", P, 0, 0, 0, 0, 0, VGP_E_INVALID_ALLOCATION_USAGE, 0,
	 0},
	{"primary render target, not shared", P | RT, 0, 0, 0, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	/* rule 3: DECODE_RENDER_TARGET needs RESTRICTED_CONTENT */
	{"decode target unrestricted", P | S | DRT, 0, 0, 0, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	{"off-screen decode target", DRT, 0, 8, 8, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	/* rule 4: RESTRICT_SHARED_ACCESS and the access list */
	{"restricted sharing, empty list", P | S | RSA, 0, 0, 0, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	{"restricted sharing, not shared", RSA, 0, 8, 8, 0, 1,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	{"list without restricted sharing", P | S, 0, 0, 0, 0, 1,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	/* rule 5: source id */
	{"head 3 of 3", P | S, 3, 0, 0, 0, 0, VGP_E_INVALID_VIDPN_SOURCEID, 0,
	 0},
	{"head beyond the protocol", P | S, VGP_MAX_HEADS, 0, 0, 0, 0,
	 VGP_E_INVALID_VIDPN_SOURCEID, 0, 0},
	{"head id 0xffffffff", P | S, 0xffffffffu, 0, 0, 0, 0,
	 VGP_E_INVALID_VIDPN_SOURCEID, 0, 0},
	{"disabled head", P | S, 2, 0, 0, 0, 0, VGP_E_INVALID_VIDPN_SOURCEID, 0,
	 0},
	{"off-screen naming a head", S, 1, 8, 8, 0, 0,
	 VGP_E_INVALID_VIDPN_SOURCEID, 0, 0},
	/* rule 6: refresh rate 0 */
	{"scanout at 60", P | S, 0, 0, 0, 60, 0,
	 VGP_E_INVALID_DISPLAY_FREQUENCY, 0, 0},
	{"scanout at 60000 mHz", P | S, 1, 1024, 768, 60000, 0,
	 VGP_E_INVALID_DISPLAY_FREQUENCY, 0, 0},
	{"off-screen with a rate", 0, 0, 8, 8, 1, 0,
	 VGP_E_INVALID_DISPLAY_FREQUENCY, 0, 0},
	/* rule 7: sizes */
	{"scanout not the head's size", P | S, 0, 1024, 768, 0, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
	{"off-screen 0x0", S, 0, 0, 0, 0, 0, VGP_E_INVALID_ALLOCATION_USAGE, 0,
	 0},
	/* order: the first broken rule names the status */
	{"bad head and rate: head first", P | S, 9, 0, 0, 60, 0,
	 VGP_E_INVALID_VIDPN_SOURCEID, 0, 0},
	{"not shared and bad head: usage first", P, 9, 0, 0, 60, 0,
	 VGP_E_INVALID_ALLOCATION_USAGE, 0, 0},
};

static void test_create_rules(void **state)
{
	struct vgp_access_entry list[VGP_MAX_ACCESS];
	(void)state;
	for (size_t i = 0; i < VGP_MAX_ACCESS; i++)
		list[i] = (struct vgp_access_entry){VGP_ACL_UID,
						    1000 + (uint32_t)i};
	for (size_t i = 0; i < sizeof(create_cases) / sizeof(create_cases[0]);
	     i++) {
		const struct create_case *c = &create_cases[i];
		struct vgp_create_surface req = {c->flags,
						 c->source,
						 c->width,
						 c->height,
						 VGP_FORMAT_XRGB8888,
						 c->refresh,
						 c->naccess,
						 0};
		uint32_t w = 0xdead, h = 0xbeef;
		enum vgp_status st =
			vgp_surface_check_create(&req, list, &heads, &w, &h);
		if (st != c->want)
			print_error("%s: got %u, want %u\n", c->what, st,
				    c->want);
		assert_int_equal(st, c->want);
		if (st == VGP_OK) {
			assert_int_equal(w, c->want_w);
			assert_int_equal(h, c->want_h);
		}
	}
}

/* Every one of the 128 flag sets, on a valid scanout request otherwise:
 * allowed exactly when the three flag rules say so. */
static void test_create_every_flag_set(void **state)
{
	struct vgp_access_entry one = {VGP_ACL_PID, 1};
	(void)state;
	for (uint32_t f = 0; f <= VGP_SURFACE_ALL_FLAGS; f++) {
		int primary = !!(f & P);
		struct vgp_create_surface req = {f,
						 0,
						 primary ? 0 : 16,
						 primary ? 0 : 16,
						 VGP_FORMAT_XRGB8888,
						 0,
						 (f & RSA) ? 1 : 0,
						 0};
		int ok = !(primary && !(f & S)) && !((f & DRT) && !(f & RC)) &&
			 !((f & RSA) && !(f & S));
		uint32_t w, h;
		assert_int_equal(
			vgp_surface_check_create(&req, &one, &heads, &w, &h),
			ok ? VGP_OK : VGP_E_INVALID_ALLOCATION_USAGE);
	}
}

struct open_case {
	const char *what;
	uint32_t flags;
	uint64_t conn;
	uint32_t uid, pid, mode;
	enum vgp_status want;
};

/* The owner is connection 1, uid 1000, pid 100; the list (when the flag
 * is set) holds uid 2000 and pid 300. */
static const struct open_case open_cases[] = {
	{"owner, private", 0, 1, 1000, 100, VGP_OPEN_READ | VGP_OPEN_WRITE,
	 VGP_OK},
	{"owner, restricted content", RC, 1, 1000, 100, VGP_OPEN_READ, VGP_OK},
	{"same uid, other connection, private", 0, 2, 1000, 100, VGP_OPEN_READ,
	 VGP_E_ACCESS_DENIED},
	{"other, shared", S, 2, 1, 2, VGP_OPEN_READ | VGP_OPEN_WRITE, VGP_OK},
	{"other, shared scanout", P | S, 2, 1, 2, VGP_OPEN_READ, VGP_OK},
	{"other, not shared", RT, 2, 1, 2, VGP_OPEN_WRITE, VGP_E_ACCESS_DENIED},
	{"listed uid", S | RSA, 2, 2000, 2, VGP_OPEN_READ, VGP_OK},
	{"listed pid", S | RSA, 2, 1, 300, VGP_OPEN_WRITE, VGP_OK},
	{"unlisted", S | RSA, 2, 1, 2, VGP_OPEN_READ, VGP_E_ACCESS_DENIED},
	{"uid equal to a listed pid", S | RSA, 2, 300, 2, VGP_OPEN_READ,
	 VGP_E_ACCESS_DENIED},
	{"root unlisted", S | RSA, 2, 0, 1, VGP_OPEN_READ, VGP_E_ACCESS_DENIED},
	{"restricted content, read", S | RC, 2, 1, 2, VGP_OPEN_READ,
	 VGP_E_ACCESS_DENIED},
	{"restricted content, read+write", S | RC, 2, 1, 2,
	 VGP_OPEN_READ | VGP_OPEN_WRITE, VGP_E_ACCESS_DENIED},
	{"restricted content, write only", S | RC, 2, 1, 2, VGP_OPEN_WRITE,
	 VGP_OK},
	{"restricted content, listed, read", S | RC | RSA, 2, 2000, 2,
	 VGP_OPEN_READ, VGP_E_ACCESS_DENIED},
	{"bad mode 0", S, 2, 1, 2, 0, VGP_E_BAD_REQUEST},
	{"bad mode 4", S, 1, 1000, 100, 4, VGP_E_BAD_REQUEST},
};

static void test_open_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(open_cases) / sizeof(open_cases[0]);
	     i++) {
		const struct open_case *c = &open_cases[i];
		struct vgp_surface_acl s;
		memset(&s, 0, sizeof(s));
		s.owner = (struct vgp_client_id){1, 1000, 100};
		s.flags = c->flags;
		if (c->flags & RSA) {
			s.naccess = 2;
			s.access[0] =
				(struct vgp_access_entry){VGP_ACL_UID, 2000};
			s.access[1] =
				(struct vgp_access_entry){VGP_ACL_PID, 300};
		}
		struct vgp_client_id who = {c->conn, c->uid, c->pid};
		enum vgp_status st = vgp_surface_check_open(&s, &who, c->mode);
		if (st != c->want)
			print_error("%s: got %u, want %u\n", c->what, st,
				    c->want);
		assert_int_equal(st, c->want);
		if (c->mode == VGP_OPEN_READ)
			assert_int_equal(vgp_surface_check_read(&s, &who),
					 c->want);
	}
}

static void test_code_access(void **state)
{
	static const struct {
		uint32_t code, mode;
		enum vgp_status want;
	} cases[] = {
		{VGP_DRAW_LINE, VGP_OPEN_WRITE, VGP_OK},
		{VGP_DRAW_LINE, VGP_OPEN_READ, VGP_E_ACCESS_DENIED},
		{VGP_CLEAR_PIXEL, VGP_OPEN_READ, VGP_E_ACCESS_DENIED},
		{VGP_SWAP_BUFFERS, VGP_OPEN_WRITE, VGP_OK},
		{VGP_BLIT, VGP_OPEN_READ | VGP_OPEN_WRITE, VGP_OK},
		{VGP_PRESENT_DAMAGE, VGP_OPEN_READ, VGP_E_ACCESS_DENIED},
		{VGP_CLOSE_SURFACE, VGP_OPEN_READ, VGP_OK}, /* ANY */
		{VGP_CLOSE_SURFACE, VGP_OPEN_WRITE, VGP_OK},
		{VGP_GET_BUFFER, VGP_OPEN_WRITE, VGP_E_ACCESS_DENIED},
		{VGP_GET_BUFFER, VGP_OPEN_READ, VGP_OK},
		/* both bits (FILE_READ_ACCESS | FILE_WRITE_ACCESS) need both */
		{VGP_CTL_CODE(0x22, 0x900, 0, 3), VGP_OPEN_WRITE,
		 VGP_E_ACCESS_DENIED},
		{VGP_CTL_CODE(0x22, 0x900, 0, 3),
		 VGP_OPEN_READ | VGP_OPEN_WRITE, VGP_OK},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
			vgp_surface_check_code(cases[i].code, cases[i].mode),
			cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_rules),
		cmocka_unit_test(test_create_every_flag_set),
		cmocka_unit_test(test_open_rules),
		cmocka_unit_test(test_code_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
