// SPDX-License-Identifier: MIT
/* Response validation and backing entry lists: the pieces of
 * the core that read device data or shape what the device reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "command.h"
#include "gpu_internal.h"

static void test_resp_ok_and_errors(void **state)
{
	(void)state;
	struct vg_ctrl_hdr h = {.type = VG_RESP_OK_NODATA,
				.flags = VG_FLAG_FENCE,
				.fence_id = 42};
	uint32_t t = 0;
	assert_int_equal(vg_resp_check(&h, sizeof(h), VG_RESP_OK_NODATA,
				       sizeof(h), true, 42, &t),
			 VG_OK);
	assert_int_equal(t, VG_RESP_OK_NODATA);
	/* Short, wrong type, wrong fence, missing fence flag. */
	assert_int_equal(vg_resp_check(&h, sizeof(h) - 1, VG_RESP_OK_NODATA,
				       sizeof(h), true, 42, &t),
			 VG_E_PROTOCOL);
	assert_int_equal(vg_resp_check(&h, sizeof(h), VG_RESP_OK_EDID,
				       sizeof(h), true, 42, &t),
			 VG_E_PROTOCOL);
	assert_int_equal(vg_resp_check(&h, sizeof(h), VG_RESP_OK_NODATA,
				       sizeof(h), true, 43, &t),
			 VG_E_PROTOCOL);
	h.flags = 0;
	assert_int_equal(vg_resp_check(&h, sizeof(h), VG_RESP_OK_NODATA,
				       sizeof(h), true, 42, &t),
			 VG_E_PROTOCOL);
	assert_int_equal(vg_resp_check(&h, sizeof(h), VG_RESP_OK_NODATA,
				       sizeof(h), false, 0, &t),
			 VG_OK);
	/* A typed response shorter than its struct. */
	h.type = VG_RESP_OK_DISPLAY_INFO;
	assert_int_equal(vg_resp_check(&h, 100, VG_RESP_OK_DISPLAY_INFO,
				       sizeof(struct vg_resp_display_info),
				       false, 0, &t),
			 VG_E_PROTOCOL);
	/* At the boundary: one byte short is refused, exactly enough is
	 * taken. */
	assert_int_equal(vg_resp_check(&h,
				       sizeof(struct vg_resp_display_info) - 1,
				       VG_RESP_OK_DISPLAY_INFO,
				       sizeof(struct vg_resp_display_info),
				       false, 0, &t),
			 VG_E_PROTOCOL);
	assert_int_equal(vg_resp_check(&h, sizeof(struct vg_resp_display_info),
				       VG_RESP_OK_DISPLAY_INFO,
				       sizeof(struct vg_resp_display_info),
				       false, 0, &t),
			 VG_OK);
	/* Device errors carry their code. */
	h.type = VG_RESP_ERR_OUT_OF_MEMORY;
	assert_int_equal(vg_resp_check(&h, sizeof(h), VG_RESP_OK_NODATA,
				       sizeof(h), false, 0, &t),
			 VG_E_DEVICE_OUT_OF_MEMORY);
	assert_int_equal(t, VG_RESP_ERR_OUT_OF_MEMORY);
	assert_string_equal(vg_resp_type_str(t), "ERR_OUT_OF_MEMORY");
	/* Every ERR_* code maps into the status and back, named. */
	for (uint32_t c = 0x1200; c <= 0x12ff; c++) {
		h.type = c;
		vg_status st = vg_resp_check(&h, sizeof(h), VG_RESP_OK_NODATA,
					     sizeof(h), false, 0, &t);
		assert_true(vg_status_is_device_error(st));
		assert_int_equal(vg_status_resp_code(st), c);
		assert_int_equal(st, vg_status_from_resp(c));
	}
	assert_false(vg_status_is_device_error(VG_E_PROTOCOL));
	assert_false(vg_status_is_device_error(VG_OK));
	assert_int_equal(vg_status_resp_code(VG_E_TIMEOUT), 0);
	assert_int_equal(vg_status_from_resp(VG_RESP_OK_NODATA), VG_E_PROTOCOL);
	assert_int_equal(vg_status_from_resp(0x1300), VG_E_PROTOCOL);
	assert_int_equal(vg_status_from_resp(VG_RESP_ERR_INVALID_SCANOUT_ID),
			 VG_E_DEVICE_INVALID_SCANOUT_ID);
	assert_string_equal(vg_status_str(VG_E_DEVICE_OUT_OF_MEMORY),
			    "device refused the command (ERR_OUT_OF_MEMORY)");
	assert_string_equal(vg_status_str(vg_status_from_resp(0x1234)),
			    "device refused the command (unknown response)");
}

static void test_backing_entries_merge(void **state)
{
	(void)state;
	struct vg_dma_seg segs[5] = {
		{0x100000, 0x1000},  {0x101000, 0x2000}, /* adjacent: merge */
		{0x200000, 0x1000},			 /* gap */
		{0x201000, 0x1000},			 /* adjacent */
		{0x400000, 0x10000},
	};
	struct vg_dma dma = {.nsegs = 5, .segs = segs};
	struct vg_mem_entry e[8];

	memset(e, 0xab, sizeof(e));
	assert_int_equal(vg_backing_entries(&dma, 0x15000, e, 8), 3);
	assert_int_equal(e[0].addr, 0x100000);
	assert_int_equal(e[0].length, 0x3000);
	assert_int_equal(e[1].addr, 0x200000);
	assert_int_equal(e[1].length, 0x2000);
	assert_int_equal(e[2].addr, 0x400000);
	assert_int_equal(e[2].length, 0x10000);
	assert_int_equal(e[2].padding, 0);
	/* Counting without an array gives the same answer. */
	assert_int_equal(vg_backing_entries(&dma, 0x15000, NULL, 8), 3);
	/* Only the bytes asked for: the last run is trimmed. */
	assert_int_equal(vg_backing_entries(&dma, 0x5800, e, 8), 3);
	assert_int_equal(e[2].length, 0x800);
	/* A limit below the need fails instead of truncating. */
	assert_int_equal(vg_backing_entries(&dma, 0x15000, e, 2), 0);
	/* More bytes than the buffer holds fails. */
	assert_int_equal(vg_backing_entries(&dma, 0x16000, e, 8), 0);
}

static void test_backing_entries_8k_frame_in_pages(void **state)
{
	(void)state;
	/* 7680x4320x4 in scattered 4 KiB pages needs 32400 entries: more than
	 * QEMU takes, so the count must come back 0 at the 16384 limit. */
	uint32_t n = 7680u * 4320u * 4u / 4096u;
	struct vg_dma_seg *segs = calloc(n, sizeof(*segs));
	for (uint32_t i = 0; i < n; i++)
		segs[i] = (struct vg_dma_seg){0x1000000ull + 2ull * i * 4096,
					      4096};
	struct vg_dma dma = {.nsegs = n, .segs = segs};
	assert_int_equal(n, 32400);
	assert_int_equal(vg_backing_entries(&dma, (uint64_t)n * 4096, NULL,
					    VG_MAX_BACKING_ENTRIES),
			 0);
	/* The same pages adjacent in pairs fit. */
	for (uint32_t i = 0; i < n; i++)
		segs[i].addr =
			0x1000000ull + (i / 2) * 3 * 4096 + (i % 2) * 4096;
	assert_int_equal(vg_backing_entries(&dma, (uint64_t)n * 4096, NULL,
					    VG_MAX_BACKING_ENTRIES),
			 16200);
	free(segs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resp_ok_and_errors),
		cmocka_unit_test(test_backing_entries_merge),
		cmocka_unit_test(test_backing_entries_8k_frame_in_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
