// SPDX-License-Identifier: MIT
/*
 * Per-connection surface handles (src/server/handles.c): lookup, stale
 * handles, handles from another connection, and the per-client limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "handles.h"

static struct vgp_handles a, b; /* big: not on the stack */
static int objs[VGP_HANDLES_MAX];

static void test_add_get_remove(void **state)
{
	uint32_t h[VGP_HANDLES_MAX];
	(void)state;
	vgp_handles_init(&a, 0x12345678, VGP_HANDLES_MAX, UINT64_MAX);
	for (uint32_t i = 0; i < VGP_HANDLES_MAX; i++) {
		assert_int_equal(vgp_handles_add(&a, &objs[i], 1, &h[i]),
				 VGP_OK);
		assert_int_not_equal(h[i], VGP_HANDLE_NONE);
		for (uint32_t j = 0; j < i; j++)
			assert_int_not_equal(h[i], h[j]);
	}
	for (uint32_t i = 0; i < VGP_HANDLES_MAX; i++)
		assert_ptr_equal(vgp_handles_get(&a, h[i]), &objs[i]);
	assert_null(vgp_handles_get(&a, VGP_HANDLE_NONE));
	/* remove: gone, and only it */
	assert_ptr_equal(vgp_handles_remove(&a, h[7]), &objs[7]);
	assert_null(vgp_handles_get(&a, h[7]));
	assert_null(vgp_handles_remove(&a, h[7]));
	assert_ptr_equal(vgp_handles_get(&a, h[8]), &objs[8]);
	assert_int_equal(a.count, VGP_HANDLES_MAX - 1);
	/* the slot is reused with a new handle; the old one stays dead */
	uint32_t again;
	assert_int_equal(vgp_handles_add(&a, &objs[7], 1, &again), VGP_OK);
	assert_int_not_equal(again, h[7]);
	assert_null(vgp_handles_get(&a, h[7]));
	assert_ptr_equal(vgp_handles_get(&a, again), &objs[7]);
	/* teardown returns every object once */
	int seen[VGP_HANDLES_MAX] = {0};
	void *o;
	while ((o = vgp_handles_pop(&a)))
		seen[(int *)o - objs]++;
	for (uint32_t i = 0; i < VGP_HANDLES_MAX; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(a.count, 0);
	assert_int_equal(a.bytes, 0);
}

/* A slot closed and reopened many times never hands out a handle twice
 * within its 2^16 generations, and never 0. */
static void test_generations(void **state)
{
	uint32_t prev = 0, h;
	(void)state;
	vgp_handles_init(&a, 0, 1, UINT64_MAX);
	for (int i = 0; i < 70000; i++) {
		assert_int_equal(vgp_handles_add(&a, &objs[0], 0, &h), VGP_OK);
		assert_int_not_equal(h, VGP_HANDLE_NONE);
		assert_int_not_equal(h, prev);
		if (prev)
			assert_null(vgp_handles_get(&a, prev));
		assert_non_null(vgp_handles_remove(&a, h));
		prev = h;
	}
}

/* Two connections: the same history gives unrelated handles, and one's
 * handles do not resolve in the other; random guesses resolve nothing. */
static void test_across_connections(void **state)
{
	uint32_t ha[64], hb[64];
	(void)state;
	vgp_handles_init(&a, 0x9e3779b9, 64, UINT64_MAX);
	vgp_handles_init(&b, 0x7f4a7c15, 64, UINT64_MAX);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(vgp_handles_add(&a, &objs[i], 0, &ha[i]),
				 VGP_OK);
		assert_int_equal(vgp_handles_add(&b, &objs[i], 0, &hb[i]),
				 VGP_OK);
	}
	for (int i = 0; i < 64; i++) {
		assert_int_not_equal(ha[i], hb[i]);
		assert_null(vgp_handles_get(&b, ha[i]));
		assert_null(vgp_handles_get(&a, hb[i]));
	}
	/* No simple structure: consecutive handles differ in many bits. */
	int low_distance = 0;
	for (int i = 1; i < 64; i++)
		low_distance += __builtin_popcount(ha[i] ^ ha[i - 1]) < 6;
	assert_true(low_distance < 8);
	uint64_t rng = 88172645463325252ull;
	int hits = 0;
	for (int i = 0; i < 1000000; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		hits += vgp_handles_get(&a, (uint32_t)rng) != NULL;
	}
	/* 64 live handles out of 2^32: expect 0.015 hits */
	assert_int_equal(hits, 0);
}

static void test_limits(void **state)
{
	uint32_t h[4];
	(void)state;
	/* surface count */
	vgp_handles_init(&a, 1, 3, UINT64_MAX);
	for (int i = 0; i < 3; i++)
		assert_int_equal(vgp_handles_add(&a, &objs[i], 10, &h[i]),
				 VGP_OK);
	assert_int_equal(vgp_handles_add(&a, &objs[3], 10, &h[3]), VGP_E_LIMIT);
	vgp_handles_remove(&a, h[0]);
	assert_int_equal(vgp_handles_add(&a, &objs[3], 10, &h[3]), VGP_OK);
	/* the ceiling */
	vgp_handles_init(&a, 1, 100000, UINT64_MAX);
	assert_int_equal(a.max_surfaces, VGP_HANDLES_MAX);
	/* bytes, exactly at the edge, and without overflow */
	vgp_handles_init(&a, 1, 16, 1000);
	assert_int_equal(vgp_handles_add(&a, &objs[0], 600, &h[0]), VGP_OK);
	assert_int_equal(vgp_handles_add(&a, &objs[1], 401, &h[1]),
			 VGP_E_NO_MEMORY);
	assert_int_equal(vgp_handles_add(&a, &objs[1], UINT64_MAX, &h[1]),
			 VGP_E_NO_MEMORY);
	assert_int_equal(vgp_handles_add(&a, &objs[1], 400, &h[1]), VGP_OK);
	assert_int_equal(a.bytes, 1000);
	vgp_handles_remove(&a, h[0]);
	assert_int_equal(a.bytes, 400);
	assert_int_equal(vgp_handles_add(&a, &objs[0], 600, &h[0]), VGP_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get_remove),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_across_connections),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
