/* SPDX-License-Identifier: MIT */
/*
 * One error type for the whole driver.
 *
 * A failed call returns a negative vg_status.  When the device refused a
 * command (VG_E_DEVICE) the virtio-gpu response code travels next to it in
 * a vg_result, so callers can tell "ERR_OUT_OF_MEMORY" from
 * "ERR_INVALID_SCANOUT_ID" without parsing log text.
 */
#ifndef VIOGPU_STATUS_H
#define VIOGPU_STATUS_H

#include <stdint.h>

typedef enum vg_status {
	VG_OK = 0,
	VG_E_NOMEM = -1,   /* the OS could not give us memory */
	VG_E_INVAL = -2,   /* the caller passed something invalid */
	VG_E_TIMEOUT = -3, /* the device did not answer in time */
	VG_E_DEVICE = -4,  /* the device answered with an error code */
	VG_E_PROTOCOL =
		-5, /* the device broke the protocol (bad length, type, id) */
	VG_E_NODEV = -6,       /* no usable virtio-gpu device / device gone */
	VG_E_UNSUPPORTED = -7, /* the device lacks a feature we need */
	VG_E_BUSY = -8,	       /* no free request slot or descriptors */
	VG_E_IO = -9,	       /* the platform failed to reach the device */
	VG_E_RANGE = -10,      /* a size, head or id is out of range */
	VG_E_NEEDS_RESET =
		-11,	 /* the device set DEVICE_NEEDS_RESET or FAILED */
	VG_E_POWER = -12 /* the device is not in D0 (or is changing state) */
} vg_status;

/* Static string naming the status, never NULL. */
const char *vg_status_str(vg_status st);

/* Static string naming a virtio-gpu response type (0x1100.., 0x1200..). */
const char *vg_resp_type_str(uint32_t type);

#endif
