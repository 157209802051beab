/* SPDX-License-Identifier: MIT */
/*
 * The part of cmocka's API the project's tests use, for the Windows build:
 * Debian ships cmocka for Linux only.  Each failed assertion prints where
 * and why, ends the test (longjmp to the runner, as cmocka does) and makes
 * the group fail; cmocka_run_group_tests returns the number of failed
 * tests.  An assertion failing on a thread other than the runner's ends
 * the program with status 1 (cmocka would crash there too).
 */
#ifndef VG_WIN_CMOCKA_H
#define VG_WIN_CMOCKA_H

#include "viogpu/format.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction setup_func;
	CMFixtureFunction teardown_func;
	void *initial_state;
};

#define cmocka_unit_test(f)                                                    \
	{                                                                      \
#f, f, NULL, NULL, NULL                                        \
	}
#define cmocka_unit_test_setup_teardown(f, s, t)                               \
	{                                                                      \
#f, f, s, t, NULL                                              \
	}

extern _Thread_local jmp_buf *vg_cm_jmp;

static inline __attribute__((noreturn))
VG_PRINTF(3, 4) void vg_cm_fail(const char *file, int line, const char *fmt,
				...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: error: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	if (!vg_cm_jmp)
		exit(1);
	longjmp(*vg_cm_jmp, 1);
}

#define VG_CM_FAIL(...) vg_cm_fail(__FILE__, __LINE__, __VA_ARGS__)

#define assert_true(c)                                                         \
	do {                                                                   \
		if (!(c))                                                      \
			VG_CM_FAIL("%s is not true", #c);                      \
	} while (0)
#define assert_false(c)                                                        \
	do {                                                                   \
		if (c)                                                         \
			VG_CM_FAIL("%s is not false", #c);                     \
	} while (0)
#define assert_int_equal(a, b)                                                 \
	do {                                                                   \
		uintmax_t vg_a_ = (uintmax_t)(a), vg_b_ = (uintmax_t)(b);      \
		if (vg_a_ != vg_b_)                                            \
			VG_CM_FAIL("%#jx (%jd) != %#jx (%jd)", vg_a_,          \
				   (intmax_t)vg_a_, vg_b_, (intmax_t)vg_b_);   \
	} while (0)
#define assert_int_not_equal(a, b)                                             \
	do {                                                                   \
		uintmax_t vg_a_ = (uintmax_t)(a), vg_b_ = (uintmax_t)(b);      \
		if (vg_a_ == vg_b_)                                            \
			VG_CM_FAIL("%#jx (%jd) == %#jx", vg_a_,                \
				   (intmax_t)vg_a_, vg_b_);                    \
	} while (0)
#define assert_ptr_equal(a, b)                                                 \
	do {                                                                   \
		const void *vg_a_ = (a), *vg_b_ = (b);                         \
		if (vg_a_ != vg_b_)                                            \
			VG_CM_FAIL("%p != %p", vg_a_, vg_b_);                  \
	} while (0)
#define assert_non_null(p)                                                     \
	do {                                                                   \
		if ((p) == NULL)                                               \
			VG_CM_FAIL("%s is NULL", #p);                          \
	} while (0)
#define assert_null(p)                                                         \
	do {                                                                   \
		if ((p) != NULL)                                               \
			VG_CM_FAIL("%s is not NULL", #p);                      \
	} while (0)
#define assert_string_equal(a, b)                                              \
	do {                                                                   \
		const char *vg_a_ = (a), *vg_b_ = (b);                         \
		if (strcmp(vg_a_, vg_b_))                                      \
			VG_CM_FAIL("\"%s\" != \"%s\"", vg_a_, vg_b_);          \
	} while (0)
#define assert_string_not_equal(a, b)                                          \
	do {                                                                   \
		const char *vg_a_ = (a), *vg_b_ = (b);                         \
		if (!strcmp(vg_a_, vg_b_))                                     \
			VG_CM_FAIL("\"%s\" == \"%s\"", vg_a_, vg_b_);          \
	} while (0)
#define assert_memory_equal(a, b, n)                                           \
	do {                                                                   \
		if (memcmp((a), (b), (n)))                                     \
			VG_CM_FAIL("%s and %s differ", #a, #b);                \
	} while (0)
#define assert_memory_not_equal(a, b, n)                                       \
	do {                                                                   \
		if (!memcmp((a), (b), (n)))                                    \
			VG_CM_FAIL("%s and %s are equal", #a, #b);             \
	} while (0)
#define fail() VG_CM_FAIL("fail()")
#define fail_msg(...) VG_CM_FAIL(__VA_ARGS__)
#define print_message(...) printf(__VA_ARGS__)
#define print_error(...) fprintf(stderr, __VA_ARGS__)

int vg_cm_run(const char *group, const struct CMUnitTest *t, size_t n,
	      CMFixtureFunction setup, CMFixtureFunction teardown);

/* cmocka's own name for it, which tests picking tests at run time call. */
static inline int _cmocka_run_group_tests(const char *group,
					  const struct CMUnitTest *t, size_t n,
					  CMFixtureFunction setup,
					  CMFixtureFunction teardown)
{
	return vg_cm_run(group, t, n, setup, teardown);
}

#define cmocka_run_group_tests(tests, setup, teardown)                         \
	vg_cm_run(#tests, tests, sizeof(tests) / sizeof((tests)[0]), setup,    \
		  teardown)

#endif
