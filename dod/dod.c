// SPDX-License-Identifier: MIT
/*
 * The DxgkDdi entry points of a display-only miniport over the core
 * (include/viogpu/dod.h).  Each entry checks its synchronization level
 * first (dod_level.c), then its arguments, then calls the core under
 * core_lock.
 */
#include <stdarg.h>
#include <string.h>

#include "dod_internal.h"
#include "viogpu/display.h"
#include "viogpu/panic.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

void dod_log(struct vg_dod *d, enum vg_log_level lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	d->plat->ops->vlog(d->plat, lvl, fmt, ap);
	va_end(ap);
}

vg_ntstatus dod_nt_from_vg(struct vg_dod *d, vg_status st)
{
	if (st == VG_OK)
		return VG_NT_SUCCESS;
	atomic_fetch_add(&d->core_errors, 1);
	if (st == VG_E_TIMEOUT && d->recover)
		atomic_store(&d->tdr_pending, true);
	switch (st) {
	case VG_E_NOMEM:
		return VG_NT_NO_MEMORY;
	case VG_E_INVAL:
	case VG_E_RANGE:
		return VG_NT_INVALID_PARAMETER;
	case VG_E_TIMEOUT:
		return VG_NT_IO_TIMEOUT;
	case VG_E_POWER:
		return VG_NT_DEVICE_POWERED_OFF;
	case VG_E_UNSUPPORTED:
		return VG_NT_NOT_SUPPORTED;
	default:
		return VG_NT_UNSUCCESSFUL;
	}
}

/* The layer's TDR, before the core call that follows: a device that
 * timed out is taken back (reset; whatever it still held, requests it may
 * yet complete included, is the driver's again) and restarted (rebuilt,
 * every head presented again).  A take-back that fails stays pending; a
 * restart that fails leaves the device taken back, and the core refuses
 * calls until the next call's restart succeeds. */
static void tdr_locked(struct vg_dod *d)
{
	if (!d->gpu || atomic_load(&d->panicked) ||
	    vg_gpu_power_state(d->gpu) != VG_POWER_D0)
		return;
	if (atomic_exchange(&d->tdr_pending, false)) {
		vg_status st = vg_gpu_take_back(d->gpu);
		if (st != VG_OK) {
			dod_log(d, VG_LOG_ERROR, "TDR: take-back failed: %s",
				vg_status_str(st));
			atomic_store(&d->tdr_pending, true);
			return;
		}
		d->taken_back = true;
		atomic_fetch_add(&d->tdr_take_backs, 1);
	}
	if (d->taken_back) {
		vg_status st = vg_gpu_restart(d->gpu);
		if (st != VG_OK) {
			dod_log(d, VG_LOG_ERROR, "TDR: restart failed: %s",
				vg_status_str(st));
			return;
		}
		d->taken_back = false;
		atomic_fetch_add(&d->tdr_restarts, 1);
	}
}

static void core_lock(struct vg_dod *d)
{
	d->plat->ops->lock(d->plat, d->core_lock);
	if (d->taken_back || atomic_load(&d->tdr_pending))
		tdr_locked(d);
}
static void core_unlock(struct vg_dod *d)
{
	d->plat->ops->unlock(d->plat, d->core_lock);
}

static bool valid_child(struct vg_dod *d, uint32_t uid)
{
	return d->started && uid < atomic_load(&d->num_children);
}

/* The framebuffer size of a source mode turned by rotation. */
static void mode_of(uint32_t sw, uint32_t sh, enum vg_rotation r, uint32_t *fw,
		    uint32_t *fh)
{
	bool t = r == VG_ROTATE_90 || r == VG_ROTATE_270;
	*fw = t ? sh : sw;
	*fh = t ? sw : sh;
}

/* Shows a source's framebuffer on its target, or nothing, as visibility
 * and the monitor's power say.  Under core_lock. */
static vg_status apply_scanout(struct vg_dod *d, uint32_t s)
{
	struct vg_fb *fb = vg_gpu_head_fb(d->gpu, s);
	if (!fb)
		return VG_OK;
	bool on = d->src[s].visible && d->src[s].child_d0;
	vg_status st = vg_gpu_set_scanout(d->gpu, s, on ? fb : NULL);
	if (st == VG_OK && on)
		st = vg_gpu_present(d->gpu, fb, NULL, 0);
	return st;
}

/* In deferred context: note the change and tell the OS (the OS model then
 * polls QueryChildStatus, which reads the device). */
static void on_display_change(void *ctx)
{
	struct vg_dod *d = ctx;
	atomic_fetch_add(&d->indications, 1);
	if (d->indicate)
		d->indicate(d->indicate_ctx, UINT32_MAX);
}

/* ---------------- third level ---------------- */

vg_ntstatus vg_dod_add_device(struct vg_os *os, struct vg_dod **out)
{
	if (!os || !out)
		return VG_NT_INVALID_PARAMETER;
	*out = NULL;
	struct vg_dod *d = os->ops->alloc(os, sizeof(*d));
	if (!d)
		return VG_NT_NO_MEMORY;
	dod_wrap_os(d, os);
	d->lv.log_os = os;
	if (os->ops->lock_create(os, &d->core_lock) != VG_OK) {
		os->ops->free(os, d);
		return VG_NT_NO_MEMORY;
	}
	for (unsigned i = 0; i < VG_DOD_MAX_CHILDREN; i++)
		d->src[i].child_d0 = true;
	*out = d;
	return VG_NT_SUCCESS;
}

vg_ntstatus vg_dod_start_device(struct vg_dod *d,
				const struct vg_dod_start_info *si,
				uint32_t *number_of_children)
{
	if (!dod_enter_third(&d->lv, "StartDevice"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (d->started) {
		nt = VG_NT_INVALID_DEVICE_STATE;
		goto out;
	}
	d->indicate = si ? si->indicate_child_status : NULL;
	d->indicate_ctx = si ? si->indicate_ctx : NULL;
	struct vg_gpu_options opt = {
		.cmd_timeout_ms = si ? si->cmd_timeout_ms : 0,
		.auto_recover = si ? si->auto_recover : true,
		.host_mem_limit = si ? si->host_mem_limit : 0,
		.on_display_change = on_display_change,
		.display_change_ctx = d,
	};
	d->recover = opt.auto_recover;
	atomic_store(&d->tdr_pending, false);
	d->taken_back = false;
	vg_status st = vg_gpu_create(&d->os, &opt, &d->gpu);
	if (st != VG_OK) {
		d->gpu = NULL;
		nt = dod_nt_from_vg(d, st);
		goto out;
	}
	struct vg_gpu_info info;
	vg_gpu_get_info(d->gpu, &info);
	uint32_t n = info.num_scanouts < VG_DOD_MAX_CHILDREN
			     ? info.num_scanouts
			     : VG_DOD_MAX_CHILDREN;
	atomic_store(&d->num_children, n);
	for (unsigned i = 0; i < VG_DOD_MAX_CHILDREN; i++)
		d->src[i] =
			(struct dod_source){.visible = true, .child_d0 = true};
	d->started = true;
	d->released = false;
	d->panic_target = -1;
	if (number_of_children)
		*number_of_children = n;
out:
	dod_exit_third(&d->lv);
	return nt;
}

static void stop_locked(struct vg_dod *d)
{
	/* After a panic (tests only) the core's waits need interrupts. */
	atomic_store(&d->panicked, false);
	/* The core disables scanouts, releases resources, resets. */
	vg_gpu_destroy(d->gpu);
	d->gpu = NULL;
	d->started = false;
	d->have_shape = d->ptr_visible = false;
	atomic_store(&d->num_children, 0);
}

vg_ntstatus vg_dod_stop_device(struct vg_dod *d)
{
	if (!dod_enter_third(&d->lv, "StopDevice"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!d->started)
		nt = VG_NT_INVALID_DEVICE_STATE;
	else
		stop_locked(d);
	dod_exit_third(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_remove_device(struct vg_dod *d)
{
	if (!d)
		return VG_NT_SUCCESS;
	if (!dod_enter_third(&d->lv, "RemoveDevice"))
		return VG_NT_INVALID_DEVICE_STATE;
	if (d->started)
		stop_locked(d);
	struct vg_os *os = d->plat;
	os->ops->lock_destroy(os, d->core_lock);
	os->ops->free(os, d);
	return VG_NT_SUCCESS;
}

void vg_dod_unload(void)
{
	/* No driver-global state: every context is freed by RemoveDevice. */
}

vg_ntstatus vg_dod_query_child_relations(struct vg_dod *d,
					 struct vg_dod_child *children,
					 uint32_t max, uint32_t *count)
{
	if (!dod_enter_third(&d->lv, "QueryChildRelations"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	uint32_t n = atomic_load(&d->num_children);
	if (!d->started) {
		nt = VG_NT_INVALID_DEVICE_STATE;
		goto out;
	}
	if (count)
		*count = n;
	if (!children || max < n) {
		nt = VG_NT_BUFFER_TOO_SMALL;
		goto out;
	}
	core_lock(d);
	/* Hot-plug aware: a pending change is read now, so the relations
	 * carry the connection state as of this call. */
	if (vg_gpu_power_state(d->gpu) == VG_POWER_D0 &&
	    vg_gpu_display_changed(d->gpu)) {
		uint32_t changed = 0;
		if (vg_gpu_update_displays(d->gpu, &changed) == VG_OK &&
		    changed)
			atomic_fetch_add(&d->res_gen, 1);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct vg_display disp;
		bool on = vg_gpu_get_display(d->gpu, i, &disp) == VG_OK &&
			  disp.enabled;
		children[i] = (struct vg_dod_child){.child_uid = i,
						    .hpd_aware_interrupt = true,
						    .connected = on};
	}
	core_unlock(d);
out:
	dod_exit_third(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_set_power_state(struct vg_dod *d, uint32_t device_uid,
				   enum vg_power_state state,
				   enum vg_power_reason reason)
{
	if (!dod_enter_third(&d->lv, "SetPowerState"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!d->started || (state != VG_POWER_D0 && state != VG_POWER_D3)) {
		nt = d->started ? VG_NT_INVALID_PARAMETER
				: VG_NT_INVALID_DEVICE_STATE;
		goto out;
	}
	core_lock(d);
	if (device_uid == VG_DOD_POWER_ADAPTER) {
		/* The core keeps each head's frame and cursor over D3 and
		 * rebuilds them at D0 whether the device kept its state
		 * (sleep) or lost it (hibernate). */
		nt = dod_nt_from_vg(d, vg_gpu_set_power(d->gpu, state, reason));
	} else if (device_uid < atomic_load(&d->num_children)) {
		d->src[device_uid].child_d0 = state == VG_POWER_D0;
		if (vg_gpu_power_state(d->gpu) == VG_POWER_D0)
			nt = dod_nt_from_vg(d, apply_scanout(d, device_uid));
	} else {
		nt = VG_NT_INVALID_PARAMETER;
	}
	core_unlock(d);
out:
	dod_exit_third(&d->lv);
	return nt;
}

vg_ntstatus
vg_dod_stop_and_release_post_display(struct vg_dod *d, uint32_t target_id,
				     struct vg_dod_display_info *info)
{
	if (!dod_enter_third(&d->lv,
			     "StopDeviceAndReleasePostDisplayOwnership"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!info || !valid_child(d, target_id)) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	struct vg_fb *fb = vg_gpu_head_fb(d->gpu, target_id);
	if (!fb) {
		nt = VG_NT_UNSUCCESSFUL;
		goto out;
	}
	/* The frame stays on the scanout and in memory for the next owner
	 * (the basic display driver); the layer presents nothing more. */
	*info = (struct vg_dod_display_info){
		.width = vg_fb_width(fb),
		.height = vg_fb_height(fb),
		.pitch = vg_fb_stride(fb),
		.format = VG_PIXEL_B8G8R8X8,
		.pixels = vg_fb_pixels(fb),
		.target_id = target_id,
	};
	d->released = true;
out:
	dod_exit_third(&d->lv);
	return nt;
}

/* ---------------- zero level ---------------- */

vg_ntstatus vg_dod_query_adapter_info(struct vg_dod *d,
				      enum vg_dod_qai_type type,
				      struct vg_dod_driver_caps *caps)
{
	/* May run beside SetPowerState and QueryChildRelations: reads only
	 * what StartDevice cached, never the device, so it neither waits
	 * for nor wakes a device in D3. */
	if (type != VG_DOD_QAI_DRIVERCAPS || !caps)
		return VG_NT_INVALID_PARAMETER;
	*caps = (struct vg_dod_driver_caps){
		.max_pointer_width = VG_CURSOR_MAX,
		.max_pointer_height = VG_CURSOR_MAX,
		.pointer_monochrome = true,
		.pointer_color = true,
		.pointer_masked_color = true,
		.supported_rotations = 0xf,
		.support_non_vga = true,
		.number_of_children = atomic_load(&d->num_children),
	};
	return VG_NT_SUCCESS;
}

static bool path_ok(struct vg_dod *d, const struct vg_dod_path *p)
{
	if (p->source_id != p->target_id || !valid_child(d, p->target_id) ||
	    (unsigned)p->rotation > VG_ROTATE_270)
		return false;
	uint32_t fw, fh;
	mode_of(p->width, p->height, p->rotation, &fw, &fh);
	core_lock(d);
	bool ok = vg_gpu_check_mode(d->gpu, p->target_id, fw, fh) == VG_OK;
	core_unlock(d);
	return ok;
}

vg_ntstatus vg_dod_is_supported_vidpn(struct vg_dod *d,
				      const struct vg_dod_path *paths,
				      unsigned n, bool *supported)
{
	if (!supported || (n && !paths))
		return VG_NT_INVALID_PARAMETER;
	if (!dod_enter_zero(&d->lv, "IsSupportedVidPn"))
		return VG_NT_INVALID_DEVICE_STATE;
	uint32_t seen = 0;
	*supported = true;
	for (unsigned i = 0; i < n && *supported; i++) {
		/* One source per target, one path per target. */
		if (!path_ok(d, &paths[i]) ||
		    (seen & (1u << paths[i].target_id)))
			*supported = false;
		else
			seen |= 1u << paths[i].target_id;
	}
	dod_exit_zero(&d->lv);
	return VG_NT_SUCCESS;
}

vg_ntstatus vg_dod_enum_cofunc_modality(struct vg_dod *d, uint32_t target_id,
					const struct vg_mode *pinned,
					struct vg_mode *modes, unsigned max,
					unsigned *count)
{
	if (!dod_enter_zero(&d->lv, "EnumVidPnCofuncModality"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!count || !valid_child(d, target_id) || (max && !modes)) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	core_lock(d);
	if (pinned) {
		bool ok = vg_gpu_check_mode(d->gpu, target_id, pinned->width,
					    pinned->height) == VG_OK;
		*count = ok;
		if (ok && max)
			modes[0] = *pinned;
	} else {
		nt = dod_nt_from_vg(d, vg_gpu_list_modes(d->gpu, target_id,
							 modes, max, count));
	}
	core_unlock(d);
out:
	dod_exit_zero(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_present_display_only(struct vg_dod *d, uint32_t source_id,
					const struct vg_present_source *src,
					const struct vg_move_rect *moves,
					unsigned nmoves,
					const struct vg_rect *dirty,
					unsigned ndirty)
{
	if (!dod_enter_present(&d->lv))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt;
	if (!d->started || d->released) {
		nt = VG_NT_INVALID_DEVICE_STATE;
		goto out;
	}
	if (!src || !valid_child(d, source_id) || !d->src[source_id].width) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	/* Rotation is the committed path's, whatever the caller says. */
	struct vg_present_source s = *src;
	s.rotation = d->src[source_id].rotation;
	core_lock(d);
	/* The core copies moves then dirty rectangles into the framebuffer
	 * and sends one transfer per changed rectangle, all behind one
	 * notification, then the flushes. */
	nt = dod_nt_from_vg(d,
			    vg_gpu_present_source(d->gpu, source_id, &s, moves,
						  nmoves, dirty, ndirty));
	core_unlock(d);
	atomic_fetch_add(&d->presents, 1);
	atomic_fetch_add(&d->present_rects, (uint64_t)nmoves + ndirty);
out:
	dod_exit_present(&d->lv);
	return nt;
}

void vg_dod_reset_device(struct vg_dod *d)
{
	/* Called at any IRQL on the way to a bugcheck or shutdown: nothing
	 * here may wait or take the core lock.  The frame stays scanned
	 * out; SystemDisplayEnable takes it from there. */
	atomic_store(&d->reset_requested, true);
}

/* ---------------- first level ---------------- */

static bool shape_fits(const struct vg_cursor_shape *sh)
{
	if (!sh->bits || !sh->width || !sh->height)
		return false;
	uint64_t bytes = (uint64_t)sh->pitch * sh->height;
	return bytes <= DOD_SHAPE_BYTES;
}

/* Source coordinates to framebuffer coordinates, as present.h maps them. */
static void rotate_point(const struct dod_source *s, uint32_t x, uint32_t y,
			 uint32_t *fx, uint32_t *fy)
{
	uint32_t fw, fh;
	mode_of(s->width, s->height, s->rotation, &fw, &fh);
	if (x >= s->width)
		x = s->width ? s->width - 1 : 0;
	if (y >= s->height)
		y = s->height ? s->height - 1 : 0;
	switch (s->rotation) {
	case VG_ROTATE_90:
		*fx = y, *fy = fh - 1 - x;
		break;
	case VG_ROTATE_180:
		*fx = fw - 1 - x, *fy = fh - 1 - y;
		break;
	case VG_ROTATE_270:
		*fx = fw - 1 - y, *fy = x;
		break;
	default:
		*fx = x, *fy = y;
	}
}

vg_ntstatus vg_dod_set_pointer_shape(struct vg_dod *d, uint32_t source_id,
				     const struct vg_cursor_shape *shape)
{
	if (!dod_enter_pointer(&d->lv, "SetPointerShape"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!shape || !valid_child(d, source_id) || !shape_fits(shape)) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	if (d->ptr_visible && d->ptr_source == source_id) {
		core_lock(d);
		nt = dod_nt_from_vg(
			d, vg_gpu_cursor_set_shape(d->gpu, source_id, shape,
						   d->ptr_x, d->ptr_y));
		core_unlock(d);
		if (nt != VG_NT_SUCCESS)
			goto out;
	}
	/* Kept so a later SetPointerPosition(visible) can show it. */
	memcpy(d->shape_bits, shape->bits,
	       (size_t)shape->pitch * shape->height);
	d->shape = *shape;
	d->shape.bits = d->shape_bits;
	d->have_shape = true;
out:
	dod_exit_pointer(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_set_pointer_position(struct vg_dod *d, uint32_t source_id,
					int32_t x, int32_t y, bool visible)
{
	if (!dod_enter_pointer(&d->lv, "SetPointerPosition"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!valid_child(d, source_id)) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	core_lock(d);
	vg_status st = VG_OK;
	/* Hidden really hides (the cursor plane is turned off): the pointer
	 * is never parked at (0,0). */
	if (d->ptr_visible && (!visible || d->ptr_source != source_id)) {
		st = vg_gpu_cursor_update(d->gpu, d->ptr_source, NULL, 0, 0,
					  d->ptr_x, d->ptr_y);
		if (st == VG_OK)
			d->ptr_visible = false;
	}
	if (st == VG_OK && visible && d->src[source_id].width) {
		uint32_t fx, fy;
		rotate_point(&d->src[source_id], x < 0 ? 0 : (uint32_t)x,
			     y < 0 ? 0 : (uint32_t)y, &fx, &fy);
		if (d->ptr_visible) {
			st = vg_gpu_cursor_move(d->gpu, source_id, fx, fy);
		} else if (d->have_shape) {
			st = vg_gpu_cursor_set_shape(d->gpu, source_id,
						     &d->shape, fx, fy);
			if (st == VG_OK)
				d->ptr_visible = true;
		}
		if (st == VG_OK) {
			d->ptr_source = source_id;
			d->ptr_x = fx;
			d->ptr_y = fy;
		}
	}
	core_unlock(d);
	nt = dod_nt_from_vg(d, st);
out:
	dod_exit_pointer(&d->lv);
	return nt;
}

/* Reads a pending display change from the device.  Under core_lock. */
static void refresh_if_changed(struct vg_dod *d)
{
	if (vg_gpu_power_state(d->gpu) != VG_POWER_D0 ||
	    !vg_gpu_display_changed(d->gpu))
		return;
	uint32_t changed = 0;
	if (vg_gpu_update_displays(d->gpu, &changed) == VG_OK && changed)
		atomic_fetch_add(&d->res_gen, 1);
}

vg_ntstatus vg_dod_query_child_status(struct vg_dod *d, uint32_t child_uid,
				      enum vg_dod_child_status_type type,
				      bool *connected)
{
	if (!dod_enter_child(&d->lv, child_uid, "QueryChildStatus"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (type != VG_DOD_STATUS_CONNECTION || !connected ||
	    !valid_child(d, child_uid)) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	core_lock(d);
	refresh_if_changed(d);
	struct vg_display disp;
	*connected = vg_gpu_get_display(d->gpu, child_uid, &disp) == VG_OK &&
		     disp.enabled;
	core_unlock(d);
out:
	dod_exit_child(&d->lv, child_uid);
	return nt;
}

vg_ntstatus vg_dod_query_device_descriptor(struct vg_dod *d, uint32_t child_uid,
					   uint32_t offset, uint32_t length,
					   void *buf, uint32_t *copied)
{
	if (!dod_enter_child(&d->lv, child_uid, "QueryDeviceDescriptor"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!buf || !copied || !valid_child(d, child_uid)) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	*copied = 0;
	struct vg_display disp;
	core_lock(d);
	vg_status st = vg_gpu_get_display(d->gpu, child_uid, &disp);
	core_unlock(d);
	if (st != VG_OK) {
		nt = dod_nt_from_vg(d, st);
	} else if (!disp.edid_size) {
		nt = VG_NT_MONITOR_NO_DESCRIPTOR;
	} else if (offset >= disp.edid_size) {
		nt = VG_NT_MONITOR_NO_MORE_DESCRIPTOR_DATA;
	} else {
		uint32_t n = disp.edid_size - offset;
		if (n > length)
			n = length;
		memcpy(buf, disp.edid + offset, n);
		*copied = n;
	}
out:
	dod_exit_child(&d->lv, child_uid);
	return nt;
}

/* ---------------- second level ---------------- */

vg_ntstatus vg_dod_recommend_monitor_modes(struct vg_dod *d, uint32_t target_id,
					   struct vg_mode *modes, unsigned max,
					   unsigned *count)
{
	if (!dod_enter_second(&d->lv, "RecommendMonitorModes"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt;
	if (!count || !valid_child(d, target_id) || (max && !modes)) {
		nt = VG_NT_INVALID_PARAMETER;
	} else {
		core_lock(d);
		nt = dod_nt_from_vg(d, vg_gpu_list_modes(d->gpu, target_id,
							 modes, max, count));
		core_unlock(d);
	}
	dod_exit_second(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_commit_vidpn(struct vg_dod *d,
				const struct vg_dod_path *paths, unsigned n)
{
	if (!dod_enter_second(&d->lv, "CommitVidPn"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	bool ok = false;
	if (!d->started || d->released) {
		nt = VG_NT_INVALID_DEVICE_STATE;
		goto out;
	}
	if ((n && !paths) ||
	    vg_dod_is_supported_vidpn(d, paths, n, &ok) != VG_NT_SUCCESS ||
	    !ok) {
		nt = VG_NT_GRAPHICS_INVALID_VIDPN;
		goto out;
	}
	core_lock(d);
	for (unsigned i = 0; i < n && nt == VG_NT_SUCCESS; i++) {
		const struct vg_dod_path *p = &paths[i];
		struct dod_source *s = &d->src[p->source_id];
		/* An unpowered path (its monitor off) keeps what it had. */
		if (!p->powered)
			continue;
		uint32_t fw, fh;
		mode_of(p->width, p->height, p->rotation, &fw, &fh);
		struct vg_fb *fb = vg_gpu_head_fb(d->gpu, p->target_id);
		if (!fb || vg_fb_width(fb) != fw || vg_fb_height(fb) != fh) {
			vg_status st =
				vg_gpu_set_mode(d->gpu, p->target_id, fw, fh);
			nt = dod_nt_from_vg(d, st);
			if (st != VG_OK)
				break;
		}
		s->width = p->width;
		s->height = p->height;
		s->rotation = p->rotation;
		s->visible = true;
		/* The bugcheck screen goes to the first committed target;
		 * its memory is prepared now, while allocating is allowed.
		 * Without it the rest still works: logged, not fatal. */
		if (i == 0) {
			vg_status ps =
				vg_gpu_panic_prepare(d->gpu, p->target_id);
			d->panic_target =
				ps == VG_OK ? (int32_t)p->target_id : -1;
			if (ps != VG_OK)
				dod_log(d, VG_LOG_WARN,
					"no bugcheck screen on target %u: %s",
					p->target_id, vg_status_str(ps));
		}
	}
	core_unlock(d);
out:
	dod_exit_second(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_set_source_visibility(struct vg_dod *d, uint32_t source_id,
					 bool visible)
{
	if (!dod_enter_second(&d->lv, "SetVidPnSourceVisibility"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt;
	if (!valid_child(d, source_id)) {
		nt = VG_NT_INVALID_PARAMETER;
	} else {
		core_lock(d);
		d->src[source_id].visible = visible;
		nt = dod_nt_from_vg(d, apply_scanout(d, source_id));
		core_unlock(d);
	}
	dod_exit_second(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_update_active_path(struct vg_dod *d,
				      const struct vg_dod_path *path)
{
	if (!dod_enter_second(&d->lv, "UpdateActiveVidPnPresentPath"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!path || !valid_child(d, path->source_id) ||
	    path->source_id != path->target_id ||
	    (unsigned)path->rotation > VG_ROTATE_270) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	struct dod_source *s = &d->src[path->source_id];
	uint32_t ow, oh, nw, nh;
	mode_of(s->width, s->height, s->rotation, &ow, &oh);
	mode_of(s->width, s->height, path->rotation, &nw, &nh);
	/* Only the rotation changes here; a turn by 90 needs a mode of the
	 * other shape, which is a commit. */
	if (ow != nw || oh != nh) {
		nt = VG_NT_GRAPHICS_INVALID_VIDPN;
		goto out;
	}
	s->rotation = path->rotation;
out:
	dod_exit_second(&d->lv);
	return nt;
}

vg_ntstatus vg_dod_escape(struct vg_dod *d, struct vg_dod_escape *esc)
{
	if (!dod_enter_second(&d->lv, "Escape"))
		return VG_NT_INVALID_DEVICE_STATE;
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!esc || !d->started) {
		nt = VG_NT_INVALID_PARAMETER;
		goto out;
	}
	switch (esc->code) {
	case VG_DOD_ESC_GET_DEVICE_ID: {
		struct vg_os *os = d->plat;
		esc->vendor_id = (uint16_t)os->ops->cfg_read(os, 0x00, 2);
		esc->device_id = (uint16_t)os->ops->cfg_read(os, 0x02, 2);
		esc->subsys_vendor_id =
			(uint16_t)os->ops->cfg_read(os, 0x2c, 2);
		esc->subsys_id = (uint16_t)os->ops->cfg_read(os, 0x2e, 2);
		break;
	}
	case VG_DOD_ESC_QUERY_RESOLUTION: {
		core_lock(d);
		refresh_if_changed(d);
		uint32_t n = atomic_load(&d->num_children);
		for (uint32_t i = 0; i < n; i++) {
			struct vg_display disp;
			if (vg_gpu_get_display(d->gpu, i, &disp) != VG_OK)
				continue;
			esc->head_enabled[i] = disp.enabled;
			esc->head_width[i] = disp.rect.width;
			esc->head_height[i] = disp.rect.height;
		}
		core_unlock(d);
		esc->generation = atomic_load(&d->res_gen);
		esc->resolution_pending =
			esc->generation != atomic_load(&d->res_acked);
		break;
	}
	case VG_DOD_ESC_ACK_RESOLUTION:
		/* Only the generation the listener saw is acknowledged: a
		 * change after its query stays pending. */
		if (esc->generation - atomic_load(&d->res_acked) >
		    atomic_load(&d->res_gen) - atomic_load(&d->res_acked))
			nt = VG_NT_INVALID_PARAMETER;
		else
			atomic_store(&d->res_acked, esc->generation);
		break;
	default:
		nt = VG_NT_NOT_SUPPORTED;
	}
out:
	dod_exit_second(&d->lv);
	return nt;
}

/* ---------------- the bugcheck screen ---------------- */

vg_ntstatus vg_dod_system_display_enable(struct vg_dod *d, uint32_t target_id,
					 uint32_t *width, uint32_t *height,
					 enum vg_pixel_format *format)
{
	if (!d->started || d->panic_target < 0 ||
	    (uint32_t)d->panic_target != target_id)
		return VG_NT_NOT_SUPPORTED;
	atomic_store(&d->panicked, true);
	vg_status st = vg_gpu_panic_enter(d->gpu);
	if (st != VG_OK)
		return dod_nt_from_vg(d, st);
	/* The OS draws in the source's orientation (a portrait desktop on a
	 * 90-degree path is taller than wide); Write turns it. */
	const struct dod_source *s = &d->src[target_id];
	struct vg_fb *fb = vg_gpu_head_fb(d->gpu, target_id);
	*width = s->width ? s->width : vg_fb_width(fb);
	*height = s->height ? s->height : vg_fb_height(fb);
	*format = VG_PIXEL_B8G8R8X8;
	return VG_NT_SUCCESS;
}

/* Source rectangle [x0, x1) x [y0, y1) to the framebuffer rectangle it
 * lands on under the source's rotation (fw x fh: the framebuffer). */
static struct vg_rect rotate_rect(enum vg_rotation rot, int64_t x0, int64_t y0,
				  int64_t x1, int64_t y1, int64_t fw,
				  int64_t fh)
{
	int64_t rx0 = x0, ry0 = y0, rx1 = x1, ry1 = y1;
	switch (rot) {
	case VG_ROTATE_90:
		rx0 = y0, rx1 = y1, ry0 = fh - x1, ry1 = fh - x0;
		break;
	case VG_ROTATE_180:
		rx0 = fw - x1, rx1 = fw - x0, ry0 = fh - y1, ry1 = fh - y0;
		break;
	case VG_ROTATE_270:
		rx0 = fw - y1, rx1 = fw - y0, ry0 = x0, ry1 = x1;
		break;
	default:
		break;
	}
	return (struct vg_rect){(uint32_t)rx0, (uint32_t)ry0,
				(uint32_t)(rx1 - rx0), (uint32_t)(ry1 - ry0)};
}

void vg_dod_system_display_write(struct vg_dod *d, const void *source,
				 uint32_t width, uint32_t height,
				 uint32_t stride, int32_t x, int32_t y)
{
	if (!atomic_load(&d->panicked) || d->panic_target < 0 || !source)
		return;
	const struct dod_source *s = &d->src[d->panic_target];
	struct vg_fb *fb = vg_gpu_head_fb(d->gpu, (uint32_t)d->panic_target);
	int64_t fw = vg_fb_width(fb), fh = vg_fb_height(fb);
	/* Clipped in source coordinates (what Enable reported). */
	enum vg_rotation rot = s->width ? s->rotation : VG_ROTATE_0;
	bool t = rot == VG_ROTATE_90 || rot == VG_ROTATE_270;
	int64_t sw = t ? fh : fw, sh = t ? fw : fh;
	int64_t x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	int64_t x1 = (int64_t)x + width, y1 = (int64_t)y + height;
	if (x1 > sw)
		x1 = sw;
	if (y1 > sh)
		y1 = sh;
	if (x0 >= x1 || y0 >= y1)
		return;
	uint8_t *dst = (uint8_t *)vg_fb_pixels(fb);
	size_t pitch = vg_fb_stride(fb);
	const uint8_t *src = source;
	if (rot == VG_ROTATE_0) {
		for (int64_t row = y0; row < y1; row++)
			memcpy(dst + row * pitch + x0 * 4,
			       src + (row - y) * stride + (x0 - x) * 4,
			       (size_t)(x1 - x0) * 4);
	} else {
		/* Pixel by pixel through the path's rotation, as presents
		 * are turned: source (sx, sy) to framebuffer (fx, fy). */
		for (int64_t sy = y0; sy < y1; sy++)
			for (int64_t sx = x0; sx < x1; sx++) {
				int64_t fx, fy;
				switch (rot) {
				case VG_ROTATE_90:
					fx = sy, fy = fh - 1 - sx;
					break;
				case VG_ROTATE_180:
					fx = fw - 1 - sx, fy = fh - 1 - sy;
					break;
				default: /* 270 */
					fx = fw - 1 - sy, fy = sx;
					break;
				}
				memcpy(dst + fy * pitch + fx * 4,
				       src + (sy - y) * stride + (sx - x) * 4,
				       4);
			}
	}
	struct vg_rect r = rotate_rect(rot, x0, y0, x1, y1, fw, fh);
	/* Nobody to tell if it fails: the machine is going down. */
	(void)vg_gpu_panic_flush(d->gpu, &r);
}

/* ---------------- test hooks ---------------- */

void vg_dod_get_counters(struct vg_dod *d, struct vg_dod_counters *out)
{
	*out = (struct vg_dod_counters){
		.level_violations = atomic_load(&d->lv.violations),
		.presents = atomic_load(&d->presents),
		.present_rects = atomic_load(&d->present_rects),
		.child_status_indications = atomic_load(&d->indications),
		.core_errors = atomic_load(&d->core_errors),
		.dpcs_run = atomic_load(&d->dpcs_run),
		.dpcs_dropped = atomic_load(&d->dpcs_dropped),
		.tdr_take_backs = atomic_load(&d->tdr_take_backs),
		.tdr_restarts = atomic_load(&d->tdr_restarts),
	};
}

struct vg_gpu *vg_dod_gpu(struct vg_dod *d)
{
	return d->gpu;
}
