/* SPDX-License-Identifier: MIT */
/*
 * The virtio-gpu 2D wire protocol (virtio 1.x, section "GPU Device"), and
 * the virtio PCI / split-ring layouts the core uses.  Our own definitions:
 * tests/test_wire.c checks every size and offset against the kernel's
 * <linux/virtio_gpu.h>.  All fields are little-endian on the wire; the
 * core runs on little-endian hosts only (x86, arm64) and says so at
 * compile time.
 *
 * Private to the core, its tests and the device model (which speaks the
 * device's side of this format): public headers never include it.  The
 * shared public pieces (struct vg_rect, VG_MAX_SCANOUTS, the VG_F_*
 * feature bits) are in include/viogpu/types.h.
 */
#ifndef VG_CORE_WIRE_H
#define VG_CORE_WIRE_H

#include <stdint.h>

#include "viogpu/types.h"

/* ---- command and response types ------------------------------------------ */
enum vg_cmd_type {
	VG_CMD_GET_DISPLAY_INFO = 0x0100,
	VG_CMD_RESOURCE_CREATE_2D,
	VG_CMD_RESOURCE_UNREF,
	VG_CMD_SET_SCANOUT,
	VG_CMD_RESOURCE_FLUSH,
	VG_CMD_TRANSFER_TO_HOST_2D,
	VG_CMD_RESOURCE_ATTACH_BACKING,
	VG_CMD_RESOURCE_DETACH_BACKING,
	VG_CMD_GET_CAPSET_INFO,
	VG_CMD_GET_CAPSET,
	VG_CMD_GET_EDID,

	VG_CMD_UPDATE_CURSOR = 0x0300,
	VG_CMD_MOVE_CURSOR,

	VG_RESP_OK_NODATA = 0x1100,
	VG_RESP_OK_DISPLAY_INFO,
	VG_RESP_OK_CAPSET_INFO,
	VG_RESP_OK_CAPSET,
	VG_RESP_OK_EDID,

	VG_RESP_ERR_UNSPEC = 0x1200,
	VG_RESP_ERR_OUT_OF_MEMORY,
	VG_RESP_ERR_INVALID_SCANOUT_ID,
	VG_RESP_ERR_INVALID_RESOURCE_ID,
	VG_RESP_ERR_INVALID_CONTEXT_ID,
	VG_RESP_ERR_INVALID_PARAMETER,
};

#define VG_FLAG_FENCE (1u << 0)

/* Formats (only the 32-bit 2D ones). */
enum vg_format {
	VG_FORMAT_B8G8R8A8_UNORM = 1,
	VG_FORMAT_B8G8R8X8_UNORM = 2,
	VG_FORMAT_A8R8G8B8_UNORM = 3,
	VG_FORMAT_X8R8G8B8_UNORM = 4,
	VG_FORMAT_R8G8B8A8_UNORM = 67,
	VG_FORMAT_X8B8G8R8_UNORM = 68,
	VG_FORMAT_A8B8G8R8_UNORM = 121,
	VG_FORMAT_R8G8B8X8_UNORM = 134,
};

struct vg_ctrl_hdr {
	uint32_t type;
	uint32_t flags;
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx;
	uint8_t padding[3];
};

struct vg_resp_display_info {
	struct vg_ctrl_hdr hdr;
	struct vg_display_one {
		struct vg_rect r;
		uint32_t enabled;
		uint32_t flags;
	} pmodes[VG_MAX_SCANOUTS];
};

struct vg_cmd_get_edid {
	struct vg_ctrl_hdr hdr;
	uint32_t scanout;
	uint32_t padding;
};

struct vg_resp_edid {
	struct vg_ctrl_hdr hdr;
	uint32_t size;
	uint32_t padding;
	uint8_t edid[1024];
};

struct vg_cmd_resource_create_2d {
	struct vg_ctrl_hdr hdr;
	uint32_t resource_id;
	uint32_t format;
	uint32_t width;
	uint32_t height;
};

struct vg_cmd_resource_unref {
	struct vg_ctrl_hdr hdr;
	uint32_t resource_id;
	uint32_t padding;
};

struct vg_cmd_set_scanout {
	struct vg_ctrl_hdr hdr;
	struct vg_rect r;
	uint32_t scanout_id;
	uint32_t resource_id;
};

struct vg_cmd_resource_flush {
	struct vg_ctrl_hdr hdr;
	struct vg_rect r;
	uint32_t resource_id;
	uint32_t padding;
};

struct vg_cmd_transfer_to_host_2d {
	struct vg_ctrl_hdr hdr;
	struct vg_rect r;
	uint64_t offset;
	uint32_t resource_id;
	uint32_t padding;
};

struct vg_mem_entry {
	uint64_t addr;
	uint32_t length;
	uint32_t padding;
};

/* Followed on the wire by nr_entries struct vg_mem_entry. */
struct vg_cmd_resource_attach_backing {
	struct vg_ctrl_hdr hdr;
	uint32_t resource_id;
	uint32_t nr_entries;
};

struct vg_cmd_resource_detach_backing {
	struct vg_ctrl_hdr hdr;
	uint32_t resource_id;
	uint32_t padding;
};

struct vg_cursor_pos {
	uint32_t scanout_id;
	uint32_t x;
	uint32_t y;
	uint32_t padding;
};

struct vg_cmd_update_cursor {
	struct vg_ctrl_hdr hdr;
	struct vg_cursor_pos pos;
	uint32_t resource_id;
	uint32_t hot_x;
	uint32_t hot_y;
	uint32_t padding;
};

/* Device configuration (device-specific cap). */
struct vg_gpu_config {
	uint32_t events_read;
	uint32_t events_clear;
	uint32_t num_scanouts;
	uint32_t num_capsets;
};
#define VG_EVENT_DISPLAY (1u << 0)

/* ---- virtio PCI modern ----------------------------------------------------
 */
#define VG_PCI_CAP_VENDOR 0x09
#define VG_PCI_CAP_MSIX 0x11
enum vg_pci_cap_type {
	VG_PCI_CAP_COMMON_CFG = 1,
	VG_PCI_CAP_NOTIFY_CFG = 2,
	VG_PCI_CAP_ISR_CFG = 3,
	VG_PCI_CAP_DEVICE_CFG = 4,
	VG_PCI_CAP_PCI_CFG = 5,
};

/* Offsets in the common configuration structure. */
enum vg_common_cfg_off {
	VG_COMMON_DFSELECT = 0x00,
	VG_COMMON_DF = 0x04,
	VG_COMMON_GFSELECT = 0x08,
	VG_COMMON_GF = 0x0c,
	VG_COMMON_MSIX = 0x10,
	VG_COMMON_NUMQ = 0x12,
	VG_COMMON_STATUS = 0x14,
	VG_COMMON_CFGGENERATION = 0x15,
	VG_COMMON_Q_SELECT = 0x16,
	VG_COMMON_Q_SIZE = 0x18,
	VG_COMMON_Q_MSIX = 0x1a,
	VG_COMMON_Q_ENABLE = 0x1c,
	VG_COMMON_Q_NOFF = 0x1e,
	VG_COMMON_Q_DESCLO = 0x20,
	VG_COMMON_Q_DESCHI = 0x24,
	VG_COMMON_Q_AVAILLO = 0x28,
	VG_COMMON_Q_AVAILHI = 0x2c,
	VG_COMMON_Q_USEDLO = 0x30,
	VG_COMMON_Q_USEDHI = 0x34,
};

#define VG_STATUS_ACKNOWLEDGE 1u
#define VG_STATUS_DRIVER 2u
#define VG_STATUS_DRIVER_OK 4u
#define VG_STATUS_FEATURES_OK 8u
#define VG_STATUS_NEEDS_RESET 0x40u
#define VG_STATUS_FAILED 0x80u

#define VG_ISR_QUEUE 1u
#define VG_ISR_CONFIG 2u
#define VG_MSI_NO_VECTOR 0xffffu

/* ---- split virtqueue --------------------------------------------------------
 */
#define VG_DESC_F_NEXT 1u
#define VG_DESC_F_WRITE 2u
#define VG_DESC_F_INDIRECT 4u
#define VG_AVAIL_F_NO_INTERRUPT 1u
#define VG_USED_F_NO_NOTIFY 1u

struct vg_vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vg_vring_used_elem {
	uint32_t id;
	uint32_t len;
};

#endif
