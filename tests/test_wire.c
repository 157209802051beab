// SPDX-License-Identifier: MIT
/* Our wire structs must match the kernel's <linux/virtio_gpu.h> byte for
 * byte: every size and every field offset, and every constant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/virtio_gpu.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include "viogpu/types.h"

#include "wire.h"

#define SAME_SIZE(ours, theirs) assert_int_equal(sizeof(ours), sizeof(theirs))
#define SAME_OFF(ours, theirs, fo, ft)                                         \
	assert_int_equal(offsetof(ours, fo), offsetof(theirs, ft))

static void test_headers(void **state)
{
	(void)state;
	SAME_SIZE(struct vg_ctrl_hdr, struct virtio_gpu_ctrl_hdr);
	SAME_OFF(struct vg_ctrl_hdr, struct virtio_gpu_ctrl_hdr, type, type);
	SAME_OFF(struct vg_ctrl_hdr, struct virtio_gpu_ctrl_hdr, flags, flags);
	SAME_OFF(struct vg_ctrl_hdr, struct virtio_gpu_ctrl_hdr, fence_id,
		 fence_id);
	SAME_OFF(struct vg_ctrl_hdr, struct virtio_gpu_ctrl_hdr, ctx_id,
		 ctx_id);
	SAME_OFF(struct vg_ctrl_hdr, struct virtio_gpu_ctrl_hdr, ring_idx,
		 ring_idx);
	SAME_SIZE(struct vg_rect, struct virtio_gpu_rect);
	SAME_OFF(struct vg_rect, struct virtio_gpu_rect, height, height);
}

static void test_display_and_edid(void **state)
{
	(void)state;
	SAME_SIZE(struct vg_resp_display_info,
		  struct virtio_gpu_resp_display_info);
	SAME_OFF(struct vg_resp_display_info,
		 struct virtio_gpu_resp_display_info, pmodes, pmodes);
	SAME_OFF(struct vg_resp_display_info,
		 struct virtio_gpu_resp_display_info, pmodes[3].enabled,
		 pmodes[3].enabled);
	SAME_OFF(struct vg_resp_display_info,
		 struct virtio_gpu_resp_display_info, pmodes[15].flags,
		 pmodes[15].flags);
	SAME_SIZE(struct vg_cmd_get_edid, struct virtio_gpu_cmd_get_edid);
	SAME_OFF(struct vg_cmd_get_edid, struct virtio_gpu_cmd_get_edid,
		 scanout, scanout);
	SAME_SIZE(struct vg_resp_edid, struct virtio_gpu_resp_edid);
	SAME_OFF(struct vg_resp_edid, struct virtio_gpu_resp_edid, size, size);
	SAME_OFF(struct vg_resp_edid, struct virtio_gpu_resp_edid, edid, edid);
	assert_int_equal(VG_MAX_SCANOUTS, VIRTIO_GPU_MAX_SCANOUTS);
}

static void test_resource_commands(void **state)
{
	(void)state;
	SAME_SIZE(struct vg_cmd_resource_create_2d,
		  struct virtio_gpu_resource_create_2d);
	SAME_OFF(struct vg_cmd_resource_create_2d,
		 struct virtio_gpu_resource_create_2d, resource_id,
		 resource_id);
	SAME_OFF(struct vg_cmd_resource_create_2d,
		 struct virtio_gpu_resource_create_2d, format, format);
	SAME_OFF(struct vg_cmd_resource_create_2d,
		 struct virtio_gpu_resource_create_2d, height, height);
	SAME_SIZE(struct vg_cmd_resource_unref,
		  struct virtio_gpu_resource_unref);
	SAME_SIZE(struct vg_cmd_set_scanout, struct virtio_gpu_set_scanout);
	SAME_OFF(struct vg_cmd_set_scanout, struct virtio_gpu_set_scanout,
		 scanout_id, scanout_id);
	SAME_OFF(struct vg_cmd_set_scanout, struct virtio_gpu_set_scanout,
		 resource_id, resource_id);
	SAME_SIZE(struct vg_cmd_resource_flush,
		  struct virtio_gpu_resource_flush);
	SAME_OFF(struct vg_cmd_resource_flush, struct virtio_gpu_resource_flush,
		 resource_id, resource_id);
	SAME_SIZE(struct vg_cmd_transfer_to_host_2d,
		  struct virtio_gpu_transfer_to_host_2d);
	SAME_OFF(struct vg_cmd_transfer_to_host_2d,
		 struct virtio_gpu_transfer_to_host_2d, offset, offset);
	SAME_OFF(struct vg_cmd_transfer_to_host_2d,
		 struct virtio_gpu_transfer_to_host_2d, resource_id,
		 resource_id);
	SAME_SIZE(struct vg_cmd_resource_attach_backing,
		  struct virtio_gpu_resource_attach_backing);
	SAME_OFF(struct vg_cmd_resource_attach_backing,
		 struct virtio_gpu_resource_attach_backing, nr_entries,
		 nr_entries);
	SAME_SIZE(struct vg_mem_entry, struct virtio_gpu_mem_entry);
	SAME_OFF(struct vg_mem_entry, struct virtio_gpu_mem_entry, length,
		 length);
	SAME_SIZE(struct vg_cmd_resource_detach_backing,
		  struct virtio_gpu_resource_detach_backing);
}

static void test_cursor_and_config(void **state)
{
	(void)state;
	SAME_SIZE(struct vg_cursor_pos, struct virtio_gpu_cursor_pos);
	SAME_SIZE(struct vg_cmd_update_cursor, struct virtio_gpu_update_cursor);
	SAME_OFF(struct vg_cmd_update_cursor, struct virtio_gpu_update_cursor,
		 resource_id, resource_id);
	SAME_OFF(struct vg_cmd_update_cursor, struct virtio_gpu_update_cursor,
		 hot_y, hot_y);
	SAME_SIZE(struct vg_gpu_config, struct virtio_gpu_config);
	SAME_OFF(struct vg_gpu_config, struct virtio_gpu_config, num_scanouts,
		 num_scanouts);
	SAME_OFF(struct vg_gpu_config, struct virtio_gpu_config, events_clear,
		 events_clear);
}

static void test_constants(void **state)
{
	(void)state;
	assert_int_equal(VG_CMD_GET_DISPLAY_INFO,
			 VIRTIO_GPU_CMD_GET_DISPLAY_INFO);
	assert_int_equal(VG_CMD_RESOURCE_DETACH_BACKING,
			 VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING);
	assert_int_equal(VG_CMD_GET_EDID, VIRTIO_GPU_CMD_GET_EDID);
	assert_int_equal(VG_CMD_MOVE_CURSOR, VIRTIO_GPU_CMD_MOVE_CURSOR);
	assert_int_equal(VG_RESP_OK_EDID, VIRTIO_GPU_RESP_OK_EDID);
	assert_int_equal(VG_RESP_ERR_INVALID_PARAMETER,
			 VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	assert_int_equal(VG_FLAG_FENCE, VIRTIO_GPU_FLAG_FENCE);
	assert_int_equal(VG_FORMAT_B8G8R8X8_UNORM,
			 VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM);
	assert_int_equal(VG_FORMAT_R8G8B8X8_UNORM,
			 VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM);
	assert_int_equal(VG_F_EDID, VIRTIO_GPU_F_EDID);
	assert_int_equal(VG_F_RING_INDIRECT_DESC, VIRTIO_RING_F_INDIRECT_DESC);
	assert_int_equal(VG_F_RING_EVENT_IDX, VIRTIO_RING_F_EVENT_IDX);
	assert_int_equal(VG_EVENT_DISPLAY, VIRTIO_GPU_EVENT_DISPLAY);
	assert_int_equal(VG_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_CAP_NOTIFY_CFG);
	assert_int_equal(VG_COMMON_Q_USEDHI,
			 offsetof(struct virtio_pci_common_cfg, queue_used_hi));
	assert_int_equal(
		VG_COMMON_Q_NOFF,
		offsetof(struct virtio_pci_common_cfg, queue_notify_off));
	assert_int_equal(VG_COMMON_STATUS,
			 offsetof(struct virtio_pci_common_cfg, device_status));
	assert_int_equal(VG_DESC_F_INDIRECT, VRING_DESC_F_INDIRECT);
	assert_int_equal(sizeof(struct vg_vring_desc),
			 sizeof(struct vring_desc));
	assert_int_equal(sizeof(struct vg_vring_used_elem),
			 sizeof(struct vring_used_elem));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_display_and_edid),
		cmocka_unit_test(test_resource_commands),
		cmocka_unit_test(test_cursor_and_config),
		cmocka_unit_test(test_constants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
