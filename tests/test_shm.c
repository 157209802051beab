// SPDX-License-Identifier: MIT
/*
 * Shared surface memory (src/server/shm.c): size, zero fill, seals that
 * nobody can undo, a second mapping (the client's) seeing the server's
 * writes, refused sizes, and no fd left behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode.h"
#include "shm.h"

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

static void test_shm(void **state)
{
	struct vgp_shm s;
	int before = count_fds();
	(void)state;
	assert_int_equal(vgp_shm_create(&s, 64, 48), VGP_OK);
	assert_int_equal(s.pitch, 256);
	assert_int_equal(s.size, 256 * 48);
	for (size_t i = 0; i < 64 * 48; i++)
		assert_int_equal(s.pixels[i], 0);
	/* what a client gets passes the decoder's memfd check */
	uint64_t size = 0;
	assert_int_equal(vgp_check_memfd(s.fd, &size), VGP_OK);
	assert_int_equal(size, s.size);
	int seals = fcntl(s.fd, F_GET_SEALS);
	assert_true((seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) ==
		    (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL));
	/* nobody can resize it or change the seals */
	assert_int_not_equal(ftruncate(s.fd, 16), 0);
	assert_int_not_equal(ftruncate(s.fd, (off_t)s.size * 2), 0);
	assert_int_not_equal(fcntl(s.fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
	/* the client's mapping sees the server's pixels, and back */
	uint32_t *client =
		mmap(NULL, s.size, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd, 0);
	assert_true(client != MAP_FAILED);
	s.pixels[5 * 64 + 7] = 0xabcdef;
	assert_int_equal(client[5 * 64 + 7], 0xabcdef);
	client[0] = 42;
	assert_int_equal(s.pixels[0], 42);
	munmap(client, s.size);
	vgp_shm_destroy(&s);
	vgp_shm_destroy(&s); /* twice: nothing */
	assert_int_equal(count_fds(), before);

	/* sizes */
	assert_int_equal(vgp_shm_create(&s, 0, 10), VGP_E_OUT_OF_RANGE);
	assert_int_equal(vgp_shm_create(&s, 10, VGP_MAX_DIM + 1),
			 VGP_E_OUT_OF_RANGE);
	assert_int_equal(s.fd, -1);
	vgp_shm_destroy(&s);
	struct vgp_shm zero;
	memset(&zero, 0, sizeof(zero));
	vgp_shm_destroy(&zero); /* must not close fd 0: the count shows */
	assert_int_equal(count_fds(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
