// SPDX-License-Identifier: MIT
/*
 * The page allocator under an IOMMU mapping (vfio): pages are pinned, so
 * freed memory must be cleared in place, never punched out of the file
 * (a punched page comes back as a new page the device's IOVA no longer
 * points at).  Unpinned, the allocator gives pages back as before.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pagemem.h"

#define POOL (4u << 20)

static long blocks(int fd)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	return (long)st.st_blocks;
}

/* Fills the whole file (as VFIO_IOMMU_MAP_DMA's pinning does), allocates,
 * writes, frees; returns the file's blocks after the free. */
static long after_free(bool pinned, int *fd_out, struct vgp_pagemem **pm)
{
	int fd = memfd_create("pagemem-test", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, POOL), 0);
	uint8_t *all =
		mmap(NULL, POOL, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(all != MAP_FAILED);
	memset(all, 0, POOL); /* every page present */
	munmap(all, POOL);
	long full = blocks(fd);
	struct vgp_pagemem_config cfg = {.fd = fd,
					 .bytes = POOL,
					 .dev_base = 1ull << 32,
					 .name = "test",
					 .pinned = pinned};
	assert_int_equal(vgp_pagemem_create(&cfg, pm), VG_OK);
	struct vg_dma d;
	assert_int_equal(vgp_pagemem_alloc(*pm, 1u << 20, 1u << 20, &d), VG_OK);
	memset(d.cpu, 0xab, d.size);
	uint64_t addr = d.segs[0].addr;
	vgp_pagemem_free(*pm, &d);
	/* Freed memory reads zero either way. */
	const uint8_t *view = vgp_pagemem_device_view(*pm, addr, 1);
	assert_null(view); /* not allocated any more */
	struct vg_dma again;
	assert_int_equal(vgp_pagemem_alloc(*pm, 1u << 20, 1u << 20, &again),
			 VG_OK);
	for (size_t i = 0; i < again.size; i++)
		if (((uint8_t *)again.cpu)[i])
			fail_msg("byte %zu of a new allocation is not zero", i);
	vgp_pagemem_free(*pm, &again);
	*fd_out = fd;
	return full - blocks(fd);
}

static void test_pinned_pages_stay(void **state)
{
	(void)state;
	int fd;
	struct vgp_pagemem *pm;
	assert_int_equal(after_free(true, &fd, &pm), 0);
	vgp_pagemem_destroy(pm);
	close(fd);
}

static void test_unpinned_pages_go_back(void **state)
{
	(void)state;
	int fd;
	struct vgp_pagemem *pm;
	assert_true(after_free(false, &fd, &pm) > 0);
	vgp_pagemem_destroy(pm);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinned_pages_stay),
		cmocka_unit_test(test_unpinned_pages_go_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
