/* SPDX-License-Identifier: MIT */
/*
 * One error type for the whole driver.
 *
 * A failed call returns a negative vg_status.  When the device refused a
 * command the status itself carries the virtio-gpu response code: one
 * VG_E_DEVICE_* value per ERR_* code (VIRTIO_GPU_RESP_ERR_* 0x1200..0x12ff
 * map to -0x100..-0x1ff), so each call reports its own refusal and callers
 * can tell ERR_OUT_OF_MEMORY from ERR_INVALID_SCANOUT_ID without any
 * per-device "last error" state.
 */
#ifndef VIOGPU_STATUS_H
#define VIOGPU_STATUS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum vg_status {
	VG_OK = 0,
	VG_E_NOMEM = -1,   /* the OS could not give us memory */
	VG_E_INVAL = -2,   /* the caller passed something invalid */
	VG_E_TIMEOUT = -3, /* the device did not answer in time */
	VG_E_PROTOCOL =
		-5, /* the device broke the protocol (bad length, type, id) */
	VG_E_NODEV = -6,       /* no usable virtio-gpu device / device gone */
	VG_E_UNSUPPORTED = -7, /* the device lacks a feature we need */
	VG_E_BUSY = -8,	       /* no free request slot or descriptors */
	VG_E_IO = -9,	       /* the platform failed to reach the device */
	VG_E_RANGE = -10,      /* a size, head or id is out of range */
	VG_E_NEEDS_RESET =
		-11,	  /* the device set DEVICE_NEEDS_RESET or FAILED */
	VG_E_POWER = -12, /* the device is not in D0 (or is changing state) */
	/* vg_gpu_take_back ran and vg_gpu_restart has not (power.h) */
	VG_E_TAKEN_BACK = -13,

	/* The device answered with an ERR_* response: -(0x100 + code -
	 * 0x1200).  Codes without a name here still map into the range. */
	VG_E_DEVICE_UNSPEC = -0x100,		  /* ERR_UNSPEC */
	VG_E_DEVICE_OUT_OF_MEMORY = -0x101,	  /* ERR_OUT_OF_MEMORY */
	VG_E_DEVICE_INVALID_SCANOUT_ID = -0x102,  /* ERR_INVALID_SCANOUT_ID */
	VG_E_DEVICE_INVALID_RESOURCE_ID = -0x103, /* ERR_INVALID_RESOURCE_ID */
	VG_E_DEVICE_INVALID_CONTEXT_ID = -0x104,  /* ERR_INVALID_CONTEXT_ID */
	VG_E_DEVICE_INVALID_PARAMETER = -0x105,	  /* ERR_INVALID_PARAMETER */
	VG_E_DEVICE_LAST = -0x1ff,		  /* ERR code 0x12ff */
} vg_status;

#define VG_RESP_ERR_FIRST 0x1200u
#define VG_RESP_ERR_LAST 0x12ffu

/* True if the device refused the command (any ERR_* response). */
static inline bool vg_status_is_device_error(vg_status st)
{
	return st <= VG_E_DEVICE_UNSPEC && st >= VG_E_DEVICE_LAST;
}

/* The virtio-gpu response code of a device refusal; 0 for other statuses. */
static inline uint32_t vg_status_resp_code(vg_status st)
{
	return vg_status_is_device_error(st)
		       ? VG_RESP_ERR_FIRST +
				 (uint32_t)(VG_E_DEVICE_UNSPEC - (int)st)
		       : 0;
}

/* The status of an ERR_* response code (0x1200..0x12ff); VG_E_PROTOCOL
 * for anything else (not an error code). */
static inline vg_status vg_status_from_resp(uint32_t code)
{
	return code >= VG_RESP_ERR_FIRST && code <= VG_RESP_ERR_LAST
		       ? (vg_status)((int)VG_E_DEVICE_UNSPEC -
				     (int)(code - VG_RESP_ERR_FIRST))
		       : VG_E_PROTOCOL;
}

/* Static string naming the status, never NULL.  A device refusal names its
 * response code: "device refused the command (ERR_OUT_OF_MEMORY)". */
const char *vg_status_str(vg_status st);

/* Static string naming a virtio-gpu response type (0x1100.., 0x1200..). */
const char *vg_resp_type_str(uint32_t type);

#endif
