/* SPDX-License-Identifier: MIT */
/*
 * A WDDM display-only miniport layer over the core: one entry point per
 * DxgkDdi callback a display-only driver registers in
 * KMDDOD_INITIALIZATION_DATA, with the arguments reduced to what the logic
 * needs and named as Windows names them (source id, target id, child uid,
 * VidPN path, D3DKMT_MOVE_RECT).  Status codes are NTSTATUS values.
 *
 * Synchronization levels (Microsoft's "Threading and Synchronization
 * Model of Display Miniport Driver"): the OS guarantees them, the layer
 * relies on them and checks them itself at every second- and third-level
 * entry, at PresentDisplayOnly (which must never overlap those) and at
 * the zero-level calls that read the device (not during third level).  A
 * violation is logged (VG_LOG_ERROR, "level violation: ...") and the call
 * fails with VG_NT_INVALID_DEVICE_STATE before touching anything.
 *   zero:   PresentDisplayOnly, IsSupportedVidPn, EnumVidPnCofuncModality,
 *           QueryAdapterInfo, ResetDevice, InterruptRoutine, DpcRoutine
 *   first:  pointer class (SetPointerShape, SetPointerPosition); child I/O
 *           per child (QueryChildStatus, QueryDeviceDescriptor)
 *   second: CommitVidPn, RecommendMonitorModes, SetVidPnSourceVisibility,
 *           UpdateActiveVidPnPresentPath, Escape -- one thread, no present
 *   third:  AddDevice, StartDevice, StopDevice, RemoveDevice,
 *           SetPowerState, QueryChildRelations, Unload -- exclusive, device
 *           idle; QueryAdapterInfo may run beside SetPowerState and
 *           QueryChildRelations and answers from state cached at start
 *           without touching the device.
 * The core itself is called under one os.h lock the layer owns (the core
 * wants its calls serialized; the levels allow a present beside a pointer
 * update).  The checks use the layer's own atomics, never that lock, so a
 * broken level is seen even when the lock would have hidden it.
 */
#ifndef VIOGPU_DOD_H
#define VIOGPU_DOD_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/os.h"
#include "viogpu/power.h"
#include "viogpu/present.h"

/* NTSTATUS values the layer returns. */
typedef int32_t vg_ntstatus;
#define VG_NT_SUCCESS ((vg_ntstatus)0x00000000)
#define VG_NT_UNSUCCESSFUL ((vg_ntstatus)0xC0000001u)
#define VG_NT_INVALID_PARAMETER ((vg_ntstatus)0xC000000Du)
#define VG_NT_NO_MEMORY ((vg_ntstatus)0xC0000017u)
#define VG_NT_BUFFER_TOO_SMALL ((vg_ntstatus)0xC0000023u)
#define VG_NT_NOT_SUPPORTED ((vg_ntstatus)0xC00000BBu)
#define VG_NT_INVALID_DEVICE_STATE ((vg_ntstatus)0xC0000184u)
#define VG_NT_DEVICE_POWERED_OFF ((vg_ntstatus)0xC000028Fu)
#define VG_NT_IO_TIMEOUT ((vg_ntstatus)0xC00000B5u)
#define VG_NT_MONITOR_NO_DESCRIPTOR ((vg_ntstatus)0xC01D0001u)
#define VG_NT_MONITOR_NO_MORE_DESCRIPTOR_DATA ((vg_ntstatus)0xC01D0008u)
#define VG_NT_GRAPHICS_INVALID_VIDPN ((vg_ntstatus)0xC01E0303u)

#define VG_DOD_MAX_CHILDREN 16

/* The miniport's device context (MiniportDeviceContext). */
struct vg_dod;

/* What the OS gives AddDevice/StartDevice, reduced (DXGKRNL_INTERFACE).
 * indicate_child_status is DxgkCbIndicateChildStatus: called in deferred
 * context when the device announces a display change; it must only note
 * it (the OS model then polls QueryChildStatus / QueryChildRelations). */
struct vg_dod_start_info {
	struct vg_os *os; /* the platform (its irq pair is wrapped) */
	uint32_t cmd_timeout_ms;
	/* Recovery, the layer's own TDR: after a command timed out, the next
	 * call takes the device back (vg_gpu_take_back: reset, the device
	 * owns nothing) and restarts it (vg_gpu_restart: rebuilt, frames
	 * presented again); a failed restart is retried by the call after.
	 * DEVICE_NEEDS_RESET is left to the core's auto_recover, also set. */
	bool auto_recover;
	uint64_t host_mem_limit;
	void (*indicate_child_status)(void *ctx, uint32_t child_uid);
	void *indicate_ctx;
};

/* ---- third level ---- */
vg_ntstatus vg_dod_add_device(struct vg_os *os, struct vg_dod **out);
vg_ntstatus vg_dod_start_device(struct vg_dod *d,
				const struct vg_dod_start_info *si,
				uint32_t *number_of_children);
vg_ntstatus vg_dod_stop_device(struct vg_dod *d);
vg_ntstatus vg_dod_remove_device(struct vg_dod *d); /* frees d */
void vg_dod_unload(void);

/* DXGK_CHILD_DESCRIPTOR, reduced. */
struct vg_dod_child {
	uint32_t child_uid; /* = target id = scanout */
	bool hpd_aware_interrupt;
	bool connected;
};
vg_ntstatus vg_dod_query_child_relations(struct vg_dod *d,
					 struct vg_dod_child *children,
					 uint32_t max, uint32_t *count);

enum vg_dod_power_device { VG_DOD_POWER_ADAPTER = 0xffffffffu };
/* device_uid: VG_DOD_POWER_ADAPTER or a child uid. */
vg_ntstatus vg_dod_set_power_state(struct vg_dod *d, uint32_t device_uid,
				   enum vg_power_state state,
				   enum vg_power_reason reason);

/* ---- zero level ---- */
/* DXGK_DRIVERCAPS, reduced. */
struct vg_dod_driver_caps {
	uint32_t max_pointer_width, max_pointer_height;
	bool pointer_monochrome, pointer_color, pointer_masked_color;
	uint32_t supported_rotations; /* bit per vg_rotation */
	bool support_non_vga;	      /* POST-less device */
	uint32_t number_of_children;
};
enum vg_dod_qai_type { VG_DOD_QAI_DRIVERCAPS = 1 };
vg_ntstatus vg_dod_query_adapter_info(struct vg_dod *d,
				      enum vg_dod_qai_type type,
				      struct vg_dod_driver_caps *caps);

/* A VidPN present path (D3DKMDT_VIDPN_PRESENT_PATH + its source mode). */
struct vg_dod_path {
	uint32_t source_id, target_id;
	uint32_t width, height; /* source mode (source orientation) */
	enum vg_rotation rotation;
	bool powered; /* the target's monitor is on */
};
vg_ntstatus vg_dod_is_supported_vidpn(struct vg_dod *d,
				      const struct vg_dod_path *paths,
				      unsigned n, bool *supported);
/* Modes the target can take given the pinned ones: with a pinned source
 * mode, only it if supported; otherwise the target's modes. */
vg_ntstatus vg_dod_enum_cofunc_modality(struct vg_dod *d, uint32_t target_id,
					const struct vg_mode *pinned,
					struct vg_mode *modes, unsigned max,
					unsigned *count);
vg_ntstatus vg_dod_present_display_only(struct vg_dod *d, uint32_t source_id,
					const struct vg_present_source *src,
					const struct vg_move_rect *moves,
					unsigned nmoves,
					const struct vg_rect *dirty,
					unsigned ndirty);
/* DxgkDdiResetDevice: any IRQL, must not wait; notes the request only
 * (the device keeps showing the last frame, which is the bugcheck path's
 * starting point). */
void vg_dod_reset_device(struct vg_dod *d);
/* DxgkDdiInterruptRoutine / DxgkDdiDpcRoutine: forward to the pair the
 * core registered through os.h irq_connect (the layer wraps the
 * platform's irq_connect so the platform delivers through these). */
bool vg_dod_interrupt_routine(struct vg_dod *d, uint32_t message_number);
void vg_dod_dpc_routine(struct vg_dod *d);

/* ---- first level ---- */
vg_ntstatus vg_dod_set_pointer_shape(struct vg_dod *d, uint32_t source_id,
				     const struct vg_cursor_shape *shape);
vg_ntstatus vg_dod_set_pointer_position(struct vg_dod *d, uint32_t source_id,
					int32_t x, int32_t y, bool visible);
enum vg_dod_child_status_type { VG_DOD_STATUS_CONNECTION = 1 };
vg_ntstatus vg_dod_query_child_status(struct vg_dod *d, uint32_t child_uid,
				      enum vg_dod_child_status_type type,
				      bool *connected);
/* Copies up to length bytes of the child's EDID from offset. */
vg_ntstatus vg_dod_query_device_descriptor(struct vg_dod *d, uint32_t child_uid,
					   uint32_t offset, uint32_t length,
					   void *buf, uint32_t *copied);

/* ---- second level ---- */
vg_ntstatus vg_dod_recommend_monitor_modes(struct vg_dod *d, uint32_t target_id,
					   struct vg_mode *modes, unsigned max,
					   unsigned *count);
vg_ntstatus vg_dod_commit_vidpn(struct vg_dod *d,
				const struct vg_dod_path *paths, unsigned n);
vg_ntstatus vg_dod_set_source_visibility(struct vg_dod *d, uint32_t source_id,
					 bool visible);
vg_ntstatus vg_dod_update_active_path(struct vg_dod *d,
				      const struct vg_dod_path *path);

/* DxgkDdiEscape.  The resolution event is level-triggered: a change sets
 * it (with a generation) until a listener acknowledges that generation, so
 * a listener that was not waiting still sees it. */
enum vg_dod_escape_code {
	VG_DOD_ESC_GET_DEVICE_ID = 1,	 /* PCI vendor/device/subsystem */
	VG_DOD_ESC_QUERY_RESOLUTION = 2, /* the event and each head's size */
	VG_DOD_ESC_ACK_RESOLUTION = 3,	 /* in: generation */
};
struct vg_dod_escape {
	enum vg_dod_escape_code code;
	uint32_t generation;	 /* ACK in; QUERY out */
	bool resolution_pending; /* QUERY out */
	uint16_t vendor_id, device_id, subsys_vendor_id, subsys_id;
	uint32_t head_width[VG_DOD_MAX_CHILDREN];
	uint32_t head_height[VG_DOD_MAX_CHILDREN];
	bool head_enabled[VG_DOD_MAX_CHILDREN];
};
vg_ntstatus vg_dod_escape(struct vg_dod *d, struct vg_dod_escape *esc);

/* DxgkDdiStopDeviceAndReleasePostDisplayOwnership: the frame the next
 * owner shows.  pixels stay valid until RemoveDevice. */
struct vg_dod_display_info {
	uint32_t width, height, pitch;
	enum vg_pixel_format format;
	const uint32_t *pixels;
	uint32_t target_id;
};
vg_ntstatus
vg_dod_stop_and_release_post_display(struct vg_dod *d, uint32_t target_id,
				     struct vg_dod_display_info *info);

/* DxgkDdiSystemDisplayEnable / DxgkDdiSystemDisplayWrite: the bugcheck
 * screen.  Any IRQL, interrupts off, no level (the OS is going down): no
 * lock, no event, no allocation.  Enable resets the device and shows
 * target's framebuffer again by polling (viogpu/panic.h; prepared at
 * CommitVidPn for the first committed path's target), and from then on
 * the layer drops DPCs (the ISR still acknowledges the device); it reports the
 * source's size (the committed mode, in the source's orientation: portrait
 * on a 90- or 270-degree path) and format (B8G8R8X8).  Write copies a
 * B8G8R8X8 image to (x, y) of the source, clipped, turned by the path's
 * rotation into the framebuffer, and flushes that rectangle, polling.  A
 * StopDevice after a panic (only tests: a real bugcheck never returns) forwards
 * interrupts again first. */
vg_ntstatus vg_dod_system_display_enable(struct vg_dod *d, uint32_t target_id,
					 uint32_t *width, uint32_t *height,
					 enum vg_pixel_format *format);
void vg_dod_system_display_write(struct vg_dod *d, const void *source,
				 uint32_t width, uint32_t height,
				 uint32_t stride, int32_t x, int32_t y);

/* Test hooks: how many level violations each entry caught. */
struct vg_dod_counters {
	uint64_t level_violations;
	uint64_t presents, present_rects;
	uint64_t child_status_indications;
	uint64_t core_errors;
	uint64_t dpcs_run, dpcs_dropped; /* DpcRoutine: forwarded, dropped */
	uint64_t tdr_take_backs, tdr_restarts; /* auto_recover: done */
};
void vg_dod_get_counters(struct vg_dod *d, struct vg_dod_counters *out);
struct vg_gpu *vg_dod_gpu(struct vg_dod *d); /* for tests; NULL if stopped */

#endif
