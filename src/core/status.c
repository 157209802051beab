// SPDX-License-Identifier: MIT
#include "viogpu/status.h"
#include "wire.h"

const char *vg_status_str(vg_status st)
{
	switch (st) {
	case VG_OK:
		return "ok";
	case VG_E_NOMEM:
		return "out of memory";
	case VG_E_INVAL:
		return "invalid argument";
	case VG_E_TIMEOUT:
		return "device timed out";
	case VG_E_PROTOCOL:
		return "device violated the protocol";
	case VG_E_NODEV:
		return "no device";
	case VG_E_UNSUPPORTED:
		return "not supported by the device";
	case VG_E_BUSY:
		return "device queue full";
	case VG_E_IO:
		return "platform I/O error";
	case VG_E_RANGE:
		return "out of range";
	case VG_E_NEEDS_RESET:
		return "device needs reset";
	case VG_E_POWER:
		return "device is powered down (not in D0)";
	case VG_E_TAKEN_BACK:
		return "device taken back, not restarted (vg_gpu_restart)";
	case VG_E_DEVICE_UNSPEC:
		return "device refused the command (ERR_UNSPEC)";
	case VG_E_DEVICE_OUT_OF_MEMORY:
		return "device refused the command (ERR_OUT_OF_MEMORY)";
	case VG_E_DEVICE_INVALID_SCANOUT_ID:
		return "device refused the command (ERR_INVALID_SCANOUT_ID)";
	case VG_E_DEVICE_INVALID_RESOURCE_ID:
		return "device refused the command (ERR_INVALID_RESOURCE_ID)";
	case VG_E_DEVICE_INVALID_CONTEXT_ID:
		return "device refused the command (ERR_INVALID_CONTEXT_ID)";
	case VG_E_DEVICE_INVALID_PARAMETER:
		return "device refused the command (ERR_INVALID_PARAMETER)";
	default:
		break;
	}
	if (vg_status_is_device_error(st))
		return "device refused the command (unknown response)";
	return "unknown status";
}

const char *vg_resp_type_str(uint32_t type)
{
	switch (type) {
	case VG_RESP_OK_NODATA:
		return "OK_NODATA";
	case VG_RESP_OK_DISPLAY_INFO:
		return "OK_DISPLAY_INFO";
	case VG_RESP_OK_CAPSET_INFO:
		return "OK_CAPSET_INFO";
	case VG_RESP_OK_CAPSET:
		return "OK_CAPSET";
	case VG_RESP_OK_EDID:
		return "OK_EDID";
	case VG_RESP_ERR_UNSPEC:
		return "ERR_UNSPEC";
	case VG_RESP_ERR_OUT_OF_MEMORY:
		return "ERR_OUT_OF_MEMORY";
	case VG_RESP_ERR_INVALID_SCANOUT_ID:
		return "ERR_INVALID_SCANOUT_ID";
	case VG_RESP_ERR_INVALID_RESOURCE_ID:
		return "ERR_INVALID_RESOURCE_ID";
	case VG_RESP_ERR_INVALID_CONTEXT_ID:
		return "ERR_INVALID_CONTEXT_ID";
	case VG_RESP_ERR_INVALID_PARAMETER:
		return "ERR_INVALID_PARAMETER";
	}
	return "unknown response";
}
