// SPDX-License-Identifier: MIT
/*
 * The protocol header's encoding and the request decoder
 * (src/server/decode.c): every code decodes its valid record; every kind
 * of bad input gets its own status; the decoder opens and closes no fd.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "proto_build.h"

static uint8_t buf[VGP_MAX_REQUEST + 64];

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static enum vgp_status dec(size_t n, const int *fds, size_t nfds,
			   struct vgp_request *r)
{
	return vgp_decode(buf, n, fds, nfds, r);
}

/* Sets a body field at byte offset `off` (after the header). */
static void poke32(size_t off, uint32_t v)
{
	memcpy(buf + sizeof(struct vgp_req_hdr) + off, &v, 4);
}

static void test_ctl_codes(void **state)
{
	(void)state;
	/* Windows' CTL_CODE, bit for bit: the seed's IOCTL_CLEAR_PIXEL with
	 * write access, and CTL_CODE(0x22, 0x803, 0, 0) by hand. */
	assert_int_equal(VGP_CTL_CODE(0x22, 0x803, 0, 0), 0x0022200cu);
	assert_int_equal(VGP_CTL_CODE(0xffff, 0xfff, 3, 3), 0xffffffffu);
	assert_int_equal(VGP_CTL_CODE(0x22, 0x802, 0, 2), 0x0022a008u);
	for (size_t i = 0; i < PROTO_NCODES; i++) {
		uint32_t c = proto_codes[i];
		assert_int_equal(VGP_CTL_DEVICE_TYPE(c), VGP_DEVICE_TYPE);
		assert_true(VGP_CTL_FUNCTION(c) >= 0x800);
		assert_true(VGP_CTL_METHOD(c) != VGP_METHOD_NEITHER);
		assert_int_equal(VGP_CTL_CODE(VGP_CTL_DEVICE_TYPE(c),
					      VGP_CTL_FUNCTION(c),
					      VGP_CTL_METHOD(c),
					      VGP_CTL_ACCESS(c)),
				 c);
		for (size_t j = 0; j < i; j++)
			assert_true(VGP_CTL_FUNCTION(proto_codes[j]) !=
				    VGP_CTL_FUNCTION(c));
	}
	/* Methods say which records carry an fd. */
	assert_int_equal(VGP_CTL_METHOD(VGP_BLIT), VGP_METHOD_IN_DIRECT);
	assert_int_equal(VGP_CTL_METHOD(VGP_CREATE_SURFACE),
			 VGP_METHOD_OUT_DIRECT);
	assert_int_equal(VGP_CTL_METHOD(VGP_OPEN_SURFACE),
			 VGP_METHOD_OUT_DIRECT);
	assert_int_equal(VGP_CTL_METHOD(VGP_GET_BUFFER), VGP_METHOD_OUT_DIRECT);
	assert_int_equal(VGP_CTL_ACCESS(VGP_GET_BUFFER), VGP_ACCESS_READ);
	assert_int_equal(VGP_CTL_ACCESS(VGP_DRAW_LINE), VGP_ACCESS_WRITE);
	/* The seed's function numbers. */
	assert_int_equal(VGP_CTL_FUNCTION(VGP_CLEAR_PIXEL), 0x802);
	assert_int_equal(VGP_CTL_FUNCTION(VGP_DRAW_LINE), 0x803);
	assert_int_equal(VGP_CTL_FUNCTION(VGP_SWAP_BUFFERS), 0x804);
}

static void test_status_names(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < VGP_STATUS_COUNT; i++) {
		const char *n = vgp_status_name(i);
		assert_true(strncmp(n, "VGP_", 4) == 0);
		assert_null(strstr(n, "unknown"));
		for (uint32_t j = 0; j < i; j++)
			assert_string_not_equal(n, vgp_status_name(j));
	}
	assert_string_equal(vgp_status_name(VGP_E_INVALID_VIDPN_SOURCEID),
			    "VGP_E_INVALID_VIDPN_SOURCEID");
	assert_non_null(strstr(vgp_status_name(VGP_STATUS_COUNT), "unknown"));
}

static void test_valid_records(void **state)
{
	struct vgp_request r;
	int memfd = proto_memfd(4096, 1);
	(void)state;
	assert_true(memfd >= 0);
	for (size_t i = 0; i < PROTO_NCODES; i++) {
		uint32_t c = proto_codes[i];
		size_t n = proto_build(buf, c, 1000 + (uint32_t)i);
		int in = VGP_CTL_METHOD(c) == VGP_METHOD_IN_DIRECT;
		enum vgp_status st = dec(n, &memfd, in, &r);
		if (st != VGP_OK)
			print_error("code %#x: %s\n", c, vgp_status_name(st));
		assert_int_equal(st, VGP_OK);
		assert_int_equal(r.code, c);
		assert_int_equal(r.serial, 1000 + i);
		assert_int_equal(r.fd, in ? memfd : -1);
		assert_int_equal(n % 8, 0); /* every record: 8-byte multiple */
		/* the body landed in the union as sent */
		assert_memory_equal(&r.u, buf + 16,
				    c == VGP_CREATE_SURFACE ||
						    c == VGP_PRESENT_DAMAGE
					    ? (size_t)vgp_body_fixed_size(c)
					    : n - 16);
	}
	size_t n = proto_build(buf, VGP_CREATE_SURFACE, 1);
	assert_int_equal(dec(n, NULL, 0, &r), VGP_OK);
	assert_int_equal(r.u.create.s.naccess, 2);
	assert_int_equal(r.u.create.access[1].kind, VGP_ACL_PID);
	assert_int_equal(r.u.create.access[1].id, 4242);
	n = proto_build(buf, VGP_PRESENT_DAMAGE, 1);
	assert_int_equal(dec(n, NULL, 0, &r), VGP_OK);
	assert_int_equal(r.u.damage.rects[1].x, -5);
	/* the largest counted tails */
	struct vgp_create_surface cs = {
		VGP_SURFACE_SHARED_RESOURCE |
			VGP_SURFACE_RESTRICT_SHARED_ACCESS,
		0,
		8,
		8,
		VGP_FORMAT_XRGB8888,
		0,
		VGP_MAX_ACCESS,
		0};
	struct vgp_req_hdr h = {
		VGP_CREATE_SURFACE,
		(uint32_t)(16 + sizeof(cs) + 8 * VGP_MAX_ACCESS), 5,
		VGP_VERSION_MAJOR, 0};
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &h, 16);
	memcpy(buf + 16, &cs, sizeof(cs));
	for (uint32_t i = 0; i < VGP_MAX_ACCESS; i++) {
		struct vgp_access_entry e = {VGP_ACL_UID, 100 + i};
		memcpy(buf + 16 + sizeof(cs) + 8 * i, &e, 8);
	}
	assert_int_equal(dec(h.length, NULL, 0, &r), VGP_OK);
	assert_int_equal(r.u.create.access[VGP_MAX_ACCESS - 1].id,
			 100 + VGP_MAX_ACCESS - 1);
	struct vgp_present_damage pd = {3, VGP_MAX_DAMAGE};
	h = (struct vgp_req_hdr){VGP_PRESENT_DAMAGE,
				 (uint32_t)(16 + 8 + 16 * VGP_MAX_DAMAGE), 6,
				 VGP_VERSION_MAJOR, 0};
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &h, 16);
	memcpy(buf + 16, &pd, sizeof(pd));
	assert_int_equal(dec(h.length, NULL, 0, &r), VGP_OK);
	assert_int_equal(r.u.damage.d.nrects, VGP_MAX_DAMAGE);
	n = proto_build(buf, VGP_BLIT, 1);
	assert_int_equal(dec(n, &memfd, 1, &r), VGP_OK);
	assert_int_equal(r.fd_size, 4096);
	close(memfd);
}

static void test_framing(void **state)
{
	struct vgp_request r;
	int memfd = proto_memfd(4096, 1);
	(void)state;
	/* shorter than a header: nothing to echo */
	for (size_t n = 0; n < 16; n++) {
		proto_build(buf, VGP_DRAW_LINE, 77);
		assert_int_equal(dec(n, NULL, 0, &r), VGP_E_TRUNCATED);
		assert_int_equal(r.serial, 0);
		assert_int_equal(r.fd, -1);
	}
	for (size_t i = 0; i < PROTO_NCODES; i++) {
		uint32_t c = proto_codes[i];
		int in = VGP_CTL_METHOD(c) == VGP_METHOD_IN_DIRECT;
		size_t n = proto_build(buf, c, 77);
		/* every truncation */
		for (size_t k = 16; k < n; k++) {
			assert_int_equal(dec(k, &memfd, in, &r),
					 VGP_E_TRUNCATED);
			assert_int_equal(r.serial, 77);
			assert_int_equal(r.code, c);
		}
		/* trailing bytes beyond the length field */
		assert_int_equal(dec(n + 1, &memfd, in, &r), VGP_E_OVERSIZED);
		assert_int_equal(dec(n + 8, &memfd, in, &r), VGP_E_OVERSIZED);
		/* the length field lies both ways (body shorter/longer than
		 * the code takes): a wrong length for the code */
		for (int delta = -8; delta <= 8; delta += 4) {
			if (!delta || (int)n + delta < 16)
				continue;
			proto_build(buf, c, 77);
			uint32_t len = (uint32_t)((int)n + delta);
			memcpy(buf + 4, &len, 4);
			assert_int_equal(dec(len, &memfd, in, &r),
					 VGP_E_BAD_REQUEST);
		}
		/* length below a header */
		proto_build(buf, c, 77);
		uint32_t len = 15;
		memcpy(buf + 4, &len, 4);
		assert_int_equal(dec(n, &memfd, in, &r), VGP_E_BAD_REQUEST);
		/* header pad */
		proto_build(buf, c, 77);
		buf[14] = 1;
		assert_int_equal(dec(n, &memfd, in, &r), VGP_E_BAD_REQUEST);
	}
	/* beyond the request limit, whatever the length field says */
	size_t n = proto_build(buf, VGP_GET_INFO, 1);
	(void)n;
	uint32_t big = VGP_MAX_REQUEST + 1;
	memcpy(buf + 4, &big, 4);
	assert_int_equal(dec(VGP_MAX_REQUEST + 1, NULL, 0, &r),
			 VGP_E_OVERSIZED);
	assert_int_equal(dec(VGP_MAX_REQUEST + 1, NULL, 0, &r),
			 VGP_E_OVERSIZED);
	close(memfd);
}

static void test_version(void **state)
{
	struct vgp_request r;
	static const uint16_t bad[] = {0, 2, 3, 0x100, 0xffff};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = proto_build(buf, VGP_DRAW_PIXEL, 5);
		memcpy(buf + 12, &bad[i], 2);
		assert_int_equal(dec(n, NULL, 0, &r), VGP_E_VERSION_MISMATCH);
		assert_int_equal(r.serial, 5); /* the reply can echo it */
	}
}

static void test_unknown_codes(void **state)
{
	struct vgp_request r;
	(void)state;
	uint32_t odd[] = {
		0,
		0xffffffffu,
		VGP_EVENT_INPUT, /* server -> client only */
		VGP_EVENT_DISPLAY,
		VGP_CTL_CODE(VGP_DEVICE_TYPE, 0x803, 0, 0), /* other access */
		VGP_CTL_CODE(VGP_DEVICE_TYPE, 0x803, 3, 2), /* other method */
		VGP_CTL_CODE(0x23, 0x803, 0, 2),	    /* other device */
		VGP_CTL_CODE(VGP_DEVICE_TYPE, 0x7ff, 0, 2),
		VGP_CTL_CODE(VGP_DEVICE_TYPE, 0x816, 0, 0),
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		size_t n = proto_build(buf, VGP_DRAW_LINE, 9);
		memcpy(buf, &odd[i], 4);
		assert_int_equal(dec(n, NULL, 0, &r), VGP_E_UNKNOWN_CODE);
		assert_int_equal(r.code, odd[i]);
		assert_int_equal(vgp_body_fixed_size(odd[i]), -1);
	}
}

static void test_fds(void **state)
{
	struct vgp_request r;
	int sealed = proto_memfd(4096, 1), unsealed = proto_memfd(4096, 0);
	int small = proto_memfd(4095, 1), p[2];
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	(void)state;
	assert_true(sealed >= 0 && unsealed >= 0 && small >= 0 && devnull >= 0);
	assert_int_equal(pipe(p), 0);
	int before = count_fds();

	/* an fd where none belongs, on every code without one */
	for (size_t i = 0; i < PROTO_NCODES; i++) {
		uint32_t c = proto_codes[i];
		size_t n = proto_build(buf, c, 3);
		if (VGP_CTL_METHOD(c) == VGP_METHOD_IN_DIRECT) {
			assert_int_equal(dec(n, NULL, 0, &r), VGP_E_BAD_FD);
			int two[2] = {sealed, sealed};
			assert_int_equal(dec(n, two, 2, &r), VGP_E_BAD_FD);
		} else {
			assert_int_equal(dec(n, &sealed, 1, &r), VGP_E_BAD_FD);
		}
	}
	/* the wrong kind for BLIT */
	size_t n = proto_build(buf, VGP_BLIT, 3);
	assert_int_equal(dec(n, &p[0], 1, &r), VGP_E_BAD_FD);
	assert_int_equal(dec(n, &devnull, 1, &r), VGP_E_BAD_FD);
	assert_int_equal(dec(n, &unsealed, 1, &r), VGP_E_BAD_FD);
	int closed = 1000;
	assert_int_equal(dec(n, &closed, 1, &r), VGP_E_BAD_FD);
	assert_int_equal(r.fd, -1);
	/* right kind, too small for the rectangle */
	assert_int_equal(dec(n, &small, 1, &r), VGP_E_OUT_OF_RANGE);
	assert_int_equal(dec(n, &sealed, 1, &r), VGP_OK);
	/* offset past the end, and offset + rows overflowing */
	poke32(8, 1);
	assert_int_equal(dec(n, &sealed, 1, &r), VGP_E_OUT_OF_RANGE);
	poke32(8, 0xffffffffu);
	poke32(12, 0xffffffffu);
	assert_int_equal(dec(n, &sealed, 1, &r), VGP_E_OUT_OF_RANGE);

	/* the decoder neither opens nor closes */
	assert_int_equal(count_fds(), before);
	uint64_t size = 0;
	assert_int_equal(vgp_check_memfd(sealed, &size), VGP_OK);
	assert_int_equal(size, 4096);
	assert_int_equal(vgp_check_memfd(-1, &size), VGP_E_BAD_FD);
	close(p[0]);
	close(p[1]);
	close(devnull);
	close(small);
	close(unsealed);
	close(sealed);
}

struct field_case {
	uint32_t code;
	size_t off; /* body offset of a u32 field */
	uint32_t value;
	enum vgp_status want;
};

static void test_field_values(void **state)
{
	struct vgp_request r;
	int memfd = proto_memfd(1 << 20, 1);
	(void)state;
	static const struct field_case cases[] = {
		/* handles: 0 is never one */
		{VGP_CLOSE_SURFACE, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_SWAP_BUFFERS, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_DRAW_PIXEL, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_CLEAR_PIXEL, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_DRAW_LINE, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_DRAW_RECT, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_FILL_RECT, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_CLEAR, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_BLIT, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_PRESENT_DAMAGE, 0, 0, VGP_E_NO_SUCH_SURFACE},
		{VGP_OPEN_SURFACE, 0, 0, VGP_OK}, /* name's low half only */
		/* pads */
		{VGP_CLOSE_SURFACE, 4, 1, VGP_E_BAD_REQUEST},
		{VGP_SWAP_BUFFERS, 4, 1, VGP_E_BAD_REQUEST},
		{VGP_OPEN_SURFACE, 12, 1, VGP_E_BAD_REQUEST},
		{VGP_GET_BUFFER, 4, 1, VGP_E_BAD_REQUEST},
		{VGP_CREATE_SURFACE, 28, 1, VGP_E_BAD_REQUEST},
		/* heads and sizes */
		{VGP_SET_MODE, 0, VGP_MAX_HEADS, VGP_E_OUT_OF_RANGE},
		{VGP_SET_MODE, 0, VGP_MAX_HEADS - 1, VGP_OK},
		{VGP_SET_MODE, 4, 0, VGP_E_OUT_OF_RANGE},
		{VGP_SET_MODE, 8, VGP_MAX_DIM + 1, VGP_E_OUT_OF_RANGE},
		{VGP_SET_MODE, 8, VGP_MAX_DIM, VGP_OK},
		{VGP_GET_BUFFER, 0, VGP_MAX_HEADS, VGP_E_OUT_OF_RANGE},
		{VGP_GET_BUFFER, 0, 0xffffffffu, VGP_E_OUT_OF_RANGE},
		{VGP_SUBSCRIBE_INPUT, 0, VGP_MAX_HEADS, VGP_E_OUT_OF_RANGE},
		{VGP_SUBSCRIBE_INPUT, 4, VGP_INPUT_ALL + 1, VGP_E_BAD_REQUEST},
		{VGP_SUBSCRIBE_INPUT, 4, 0, VGP_OK},
		{VGP_SUBSCRIBE_INPUT, 4, VGP_SUBSCRIBE_DISPLAY, VGP_OK},
		{VGP_SUBSCRIBE_INPUT, 4, VGP_SUBSCRIBE_ALL, VGP_OK},
		{VGP_SUBSCRIBE_INPUT, 4, 1u << 30, VGP_E_BAD_REQUEST},
		{VGP_CREATE_SURFACE, 8, 640, VGP_E_OUT_OF_RANGE}, /* 640x0 */
		{VGP_CREATE_SURFACE, 16, 0, VGP_E_BAD_REQUEST},	  /* format */
		{VGP_CREATE_SURFACE, 16, 3, VGP_E_BAD_REQUEST},
		{VGP_CREATE_SURFACE, 16, VGP_FORMAT_ARGB8888, VGP_OK},
		{VGP_CREATE_SURFACE, 32, 0, VGP_E_BAD_REQUEST}, /* kind */
		{VGP_CREATE_SURFACE, 32, 3, VGP_E_BAD_REQUEST},
		{VGP_CREATE_SURFACE, 24, VGP_MAX_ACCESS + 1,
		 VGP_E_OUT_OF_RANGE},
		{VGP_CREATE_SURFACE, 24, 1, VGP_E_BAD_REQUEST}, /* vs length */
		{VGP_CREATE_SURFACE, 24, 3, VGP_E_BAD_REQUEST},
		/* flags and refresh are the surface rules' to judge */
		{VGP_CREATE_SURFACE, 0, 0xffffffffu, VGP_OK},
		{VGP_CREATE_SURFACE, 20, 60, VGP_OK},
		{VGP_OPEN_SURFACE, 8, 0, VGP_E_BAD_REQUEST}, /* mode */
		{VGP_OPEN_SURFACE, 8, 4, VGP_E_BAD_REQUEST},
		{VGP_OPEN_SURFACE, 8, 3, VGP_OK},
		/* CLEAR_PIXEL is to black only */
		{VGP_CLEAR_PIXEL, 12, 1, VGP_E_BAD_REQUEST},
		/* coordinates are never refused; sizes never negative */
		{VGP_DRAW_PIXEL, 4, 0x80000000u, VGP_OK},
		{VGP_DRAW_LINE, 12, 0x7fffffffu, VGP_OK},
		{VGP_DRAW_RECT, 12, 0xffffffffu, VGP_E_BAD_REQUEST},
		{VGP_FILL_RECT, 16, 0x80000000u, VGP_E_BAD_REQUEST},
		{VGP_FILL_RECT, 12, 0, VGP_OK},
		{VGP_DRAW_RECT, 16, 0x7fffffffu, VGP_OK},
		/* blit: sizes and pitch */
		{VGP_BLIT, 24, 0, VGP_E_OUT_OF_RANGE},
		{VGP_BLIT, 28, VGP_MAX_DIM + 1, VGP_E_OUT_OF_RANGE},
		{VGP_BLIT, 4, 63, VGP_E_BAD_REQUEST}, /* pitch < 4 w */
		/* damage */
		{VGP_PRESENT_DAMAGE, 4, 0, VGP_E_OUT_OF_RANGE},
		{VGP_PRESENT_DAMAGE, 4, VGP_MAX_DAMAGE + 1, VGP_E_OUT_OF_RANGE},
		{VGP_PRESENT_DAMAGE, 4, 1, VGP_E_BAD_REQUEST}, /* vs length */
		{VGP_PRESENT_DAMAGE, 8 + 16 + 8, 0xffffffffu,
		 VGP_E_BAD_REQUEST}, /* width -1 */
		{VGP_PRESENT_DAMAGE, 8 + 16 + 12, 0x80000000u,
		 VGP_E_BAD_REQUEST},
		/* POST_INPUT (a left press at (-7, 9) on head 0): one kind,
		 * buttons 1..3, states 0 and 1, heads below the limit */
		{VGP_POST_INPUT, 4, 0, VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 4, VGP_INPUT_BUTTON | VGP_INPUT_MOTION,
		 VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 4, VGP_INPUT_ALL + 1, VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 4, VGP_INPUT_KEY, VGP_OK},
		{VGP_POST_INPUT, 4, VGP_INPUT_MOTION, VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 16, 0, VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 16, 4, VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 16, 3, VGP_OK},
		{VGP_POST_INPUT, 20, 2, VGP_E_BAD_REQUEST},
		{VGP_POST_INPUT, 20, 0, VGP_OK},
		{VGP_POST_INPUT, 0, VGP_MAX_HEADS, VGP_E_OUT_OF_RANGE},
		{VGP_POST_INPUT, 0, VGP_MAX_HEADS - 1, VGP_OK},
		{VGP_POST_INPUT, 8, 0x80000000u, VGP_OK},
		{VGP_POST_INPUT, 12, 0x7fffffffu, VGP_OK},
		/* SUBSCRIBE_PRESENT: enable is 0 or 1 */
		{VGP_SUBSCRIBE_PRESENT, 4, 2, VGP_E_BAD_REQUEST},
		{VGP_SUBSCRIBE_PRESENT, 4, 0, VGP_OK},
		{VGP_SUBSCRIBE_PRESENT, 0, VGP_MAX_HEADS, VGP_E_OUT_OF_RANGE},
	};
	assert_true(memfd >= 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct field_case *c = &cases[i];
		size_t n = proto_build(buf, c->code, 1);
		poke32(c->off, c->value);
		int in = VGP_CTL_METHOD(c->code) == VGP_METHOD_IN_DIRECT;
		enum vgp_status st = dec(n, &memfd, in, &r);
		if (st != c->want)
			print_error("case %zu (code %#x +%zu = %#x): %s, want "
				    "%s\n",
				    i, c->code, c->off, c->value,
				    vgp_status_name(st),
				    vgp_status_name(c->want));
		assert_int_equal(st, c->want);
	}
	close(memfd);
}

/* A motion is accepted only without a button and a state. */
static void test_post_motion(void **state)
{
	struct vgp_request r;
	(void)state;
	size_t n = proto_build(buf, VGP_POST_INPUT, 1);
	poke32(4, VGP_INPUT_MOTION);
	poke32(16, 0);
	poke32(20, 0);
	assert_int_equal(dec(n, NULL, 0, &r), VGP_OK);
	assert_int_equal(r.u.post_input.kind, VGP_INPUT_MOTION);
	assert_int_equal(r.u.post_input.x, -7);
	poke32(20, 1);
	assert_int_equal(dec(n, NULL, 0, &r), VGP_E_BAD_REQUEST);
	poke32(20, 0);
	poke32(16, 2);
	assert_int_equal(dec(n, NULL, 0, &r), VGP_E_BAD_REQUEST);
	/* events are never requests */
	n = proto_build(buf, VGP_POST_INPUT, 1);
	uint32_t ev = VGP_EVENT_PRESENT;
	memcpy(buf, &ev, 4);
	assert_int_equal(dec(n, NULL, 0, &r), VGP_E_UNKNOWN_CODE);
	assert_true(VGP_IS_EVENT(VGP_EVENT_PRESENT));
	assert_true(VGP_IS_EVENT(VGP_EVENT_INPUT));
	for (size_t i = 0; i < PROTO_NCODES; i++)
		assert_false(VGP_IS_EVENT(proto_codes[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctl_codes),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_valid_records),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_fds),
		cmocka_unit_test(test_field_values),
		cmocka_unit_test(test_post_motion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
