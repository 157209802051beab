// SPDX-License-Identifier: MIT
/*
 * The OS model's scenarios: each plays one stretch of a Windows session
 * against the miniport layer and checks what the device shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osm_internal.h"

static unsigned frames(struct osm *m, unsigned dflt)
{
	return m->opt->frames ? m->opt->frames : dflt;
}

static void caps_ok(struct osm *m, const char *when)
{
	struct vg_dod_driver_caps c;
	vg_ntstatus nt =
		vg_dod_query_adapter_info(m->dod, VG_DOD_QAI_DRIVERCAPS, &c);
	osm_check(m,
		  nt == VG_NT_SUCCESS && c.max_pointer_width == 64 &&
			  c.max_pointer_height == 64 && c.pointer_monochrome &&
			  c.pointer_color && c.pointer_masked_color &&
			  c.supported_rotations == 0xf &&
			  c.number_of_children == m->heads,
		  "%s: QueryAdapterInfo caps: 64x64 pointer, mono/color/"
		  "masked, 4 rotations, %u children",
		  when, c.number_of_children);
}

/* ---- pnp: start, children, EDID, modes, commit, present, remove ---- */

static void sc_pnp(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	caps_ok(m, "after start");
	struct vg_dod_child ch[VG_DOD_MAX_CHILDREN];
	uint32_t n = 0;
	osm_gate_enter(m, OSM_THIRD, 0);
	vg_ntstatus nt = vg_dod_query_child_relations(m->dod, ch, 1, &n);
	osm_check(m, m->heads < 2 || nt == VG_NT_BUFFER_TOO_SMALL,
		  "QueryChildRelations with too small an array says so");
	nt = vg_dod_query_child_relations(m->dod, ch, VG_DOD_MAX_CHILDREN, &n);
	osm_gate_exit(m, OSM_THIRD, 0);
	osm_check(m,
		  nt == VG_NT_SUCCESS && n == m->heads && ch[0].connected &&
			  ch[0].hpd_aware_interrupt,
		  "QueryChildRelations: one child per scanout (%u), child 0 "
		  "connected, hot-plug aware",
		  n);
	bool conn = false;
	nt = osm_child_status(m, 0, &conn);
	osm_check(m, nt == VG_NT_SUCCESS && conn,
		  "QueryChildStatus(0): connected");

	/* The whole EDID in 128-byte blocks, then one at an odd offset. */
	struct vg_display disp;
	vg_gpu_get_display(vg_dod_gpu(m->dod), 0, &disp);
	uint8_t edid[1024];
	uint32_t off = 0, got = 0;
	osm_gate_enter(m, OSM_CHILD, 0);
	for (;;) {
		nt = vg_dod_query_device_descriptor(m->dod, 0, off, 128,
						    edid + off, &got);
		if (nt != VG_NT_SUCCESS || off + got > sizeof(edid))
			break;
		off += got;
	}
	osm_check(m,
		  nt == VG_NT_MONITOR_NO_MORE_DESCRIPTOR_DATA &&
			  off == disp.edid_size && off >= 128 &&
			  !memcmp(edid, disp.edid, off),
		  "QueryDeviceDescriptor: %u EDID bytes in 128-byte blocks "
		  "equal the device's, then no more data",
		  off);
	uint8_t mid[128];
	nt = vg_dod_query_device_descriptor(m->dod, 0, 64, 128, mid, &got);
	osm_check(m,
		  nt == VG_NT_SUCCESS &&
			  got == (disp.edid_size - 64 < 128
					  ? disp.edid_size - 64
					  : 128) &&
			  !memcmp(mid, disp.edid + 64, got),
		  "QueryDeviceDescriptor at offset 64: %u bytes", got);
	osm_gate_exit(m, OSM_CHILD, 0);

	struct vg_mode modes[64];
	unsigned nm = 0;
	osm_gate_enter(m, OSM_SECOND, 0);
	nt = vg_dod_recommend_monitor_modes(m->dod, 0, modes, 64, &nm);
	osm_gate_exit(m, OSM_SECOND, 0);
	osm_check(m,
		  nt == VG_NT_SUCCESS && nm > 0 &&
			  (modes[0].flags & VG_MODE_PREFERRED),
		  "RecommendMonitorModes: %u modes, preferred %ux%u first", nm,
		  nm ? modes[0].width : 0, nm ? modes[0].height : 0);

	bool sup = false;
	struct vg_dod_path good = {0, 0, 1024, 768, VG_ROTATE_0, true};
	struct vg_dod_path bad = {0, 0, 20000, 768, VG_ROTATE_0, true};
	struct vg_dod_path cross = {0, 1, 1024, 768, VG_ROTATE_0, true};
	osm_gate_enter(m, OSM_ZERO, 0);
	vg_dod_is_supported_vidpn(m->dod, &good, 1, &sup);
	bool s1 = sup;
	vg_dod_is_supported_vidpn(m->dod, &bad, 1, &sup);
	bool s2 = sup;
	vg_dod_is_supported_vidpn(m->dod, &cross, 1, &sup);
	bool s3 = sup;
	struct vg_mode pin = {1024, 768, 0, 0}, out[4];
	unsigned nc = 0;
	nt = vg_dod_enum_cofunc_modality(m->dod, 0, &pin, out, 4, &nc);
	osm_gate_exit(m, OSM_ZERO, 0);
	osm_check(m, s1 && !s2 && !s3,
		  "IsSupportedVidPn: 1024x768 yes, 20000 wide no, source 0 "
		  "on target 1 no");
	osm_check(m, nt == VG_NT_SUCCESS && nc == 1 && out[0].width == 1024,
		  "EnumVidPnCofuncModality with a pinned mode keeps it");

	nt = osm_commit(m, 0, 1024, 768, VG_ROTATE_0);
	osm_check(m, nt == VG_NT_SUCCESS, "CommitVidPn 1024x768 (0x%08x)",
		  (unsigned)nt);
	bad.powered = false;
	osm_gate_enter(m, OSM_SECOND, 0);
	nt = vg_dod_commit_vidpn(m->dod, &bad, 1);
	osm_gate_exit(m, OSM_SECOND, 0);
	osm_check(m, nt == VG_NT_GRAPHICS_INVALID_VIDPN,
		  "CommitVidPn of an unsupported mode is refused");
	for (unsigned f = 0; f < frames(m, 20); f++)
		if (osm_dwm_frame(m, 0, f) != VG_NT_SUCCESS)
			break;
	osm_check_screens(m, "after 20 frames");

	struct vg_dod_escape e = {.code = VG_DOD_ESC_GET_DEVICE_ID};
	nt = osm_escape(m, &e);
	osm_check(m,
		  nt == VG_NT_SUCCESS && e.vendor_id == 0x1af4 &&
			  e.device_id == 0x1050,
		  "Escape GET_DEVICE_ID: %04x:%04x", e.vendor_id, e.device_id);
	osm_stop_remove(m);
}

/* ---- desktop: everything at once, as far as the levels allow ---- */

struct desk_run {
	struct osm *m;
	atomic_bool stop;
	atomic_uint present_fail, pointer_fail, child_fail, qai;
	unsigned nframes;
	bool stalls; /* the host stalls the device now and then */
	unsigned stalled, stall_fail, shared;
};

/* A busy host: the device stops for 5 ms every 20 ms (QEMU: SIGSTOP and
 * SIGCONT), so answers come late and interrupts bunch up; and another
 * device on the shared interrupt line interrupts twice a round. */
static void *stall_thread(void *arg)
{
	struct desk_run *r = arg;
	while (!atomic_load(&r->stop)) {
		osm_sleep_ms(15);
		for (int i = 0; i < 2; i++) {
			if (vg_host_share_irq(r->m->host) == VG_OK)
				r->shared++;
			else
				r->stall_fail++;
		}
		if (vg_host_pause(r->m->host, true) != VG_OK) {
			r->stall_fail++;
			continue;
		}
		osm_sleep_ms(5);
		r->stall_fail += vg_host_pause(r->m->host, false) != VG_OK;
		r->stalled++;
	}
	return NULL;
}

static void *dwm_thread(void *arg)
{
	struct desk_run *r = arg;
	for (unsigned f = 0; f < r->nframes; f++)
		for (uint32_t s = 0; s < r->m->heads; s++)
			if (osm_dwm_frame(r->m, s, f) != VG_NT_SUCCESS)
				atomic_fetch_add(&r->present_fail, 1);
	atomic_store(&r->stop, true);
	return NULL;
}

static void arrow(uint32_t *img, unsigned salt)
{
	for (unsigned y = 0; y < 32; y++)
		for (unsigned x = 0; x < 32; x++)
			img[y * 32 + x] =
				x <= y ? 0xff000000u | (salt * 0x10101u) : 0;
}

static void *pointer_thread(void *arg)
{
	struct desk_run *r = arg;
	struct osm *m = r->m;
	uint32_t img[32 * 32];
	unsigned i = 0;
	while (!atomic_load(&r->stop)) {
		osm_gate_enter(m, OSM_POINTER, 0);
		vg_ntstatus nt = VG_NT_SUCCESS;
		uint32_t s = i % m->heads;
		if (i % 40 == 0) {
			arrow(img, i & 0xff);
			struct vg_cursor_shape sh = {
				VG_CURSOR_COLOR, img, 32, 32, 128, 0, 0};
			nt = vg_dod_set_pointer_shape(m->dod, s, &sh);
		} else {
			nt = vg_dod_set_pointer_position(
				m->dod, s, (int32_t)(i * 7 % 500),
				(int32_t)(i * 3 % 400), i % 13 != 0);
		}
		osm_gate_exit(m, OSM_POINTER, 0);
		if (nt != VG_NT_SUCCESS)
			atomic_fetch_add(&r->pointer_fail, 1);
		i++;
		osm_sleep_ms(1);
	}
	return NULL;
}

static void *child_thread(void *arg)
{
	struct desk_run *r = arg;
	struct osm *m = r->m;
	uint8_t buf[128];
	unsigned i = 0;
	while (!atomic_load(&r->stop)) {
		uint32_t c = i++ % m->heads, got;
		bool conn;
		if (osm_child_status(m, c, &conn) != VG_NT_SUCCESS)
			atomic_fetch_add(&r->child_fail, 1);
		osm_gate_enter(m, OSM_CHILD, c);
		vg_ntstatus nt = vg_dod_query_device_descriptor(m->dod, c, 0,
								128, buf, &got);
		osm_gate_exit(m, OSM_CHILD, c);
		if (conn && nt != VG_NT_SUCCESS)
			atomic_fetch_add(&r->child_fail, 1);
		struct vg_dod_driver_caps caps;
		if (vg_dod_query_adapter_info(m->dod, VG_DOD_QAI_DRIVERCAPS,
					      &caps) == VG_NT_SUCCESS &&
		    caps.number_of_children == m->heads)
			atomic_fetch_add(&r->qai, 1);
		osm_sleep_ms(2);
	}
	return NULL;
}

static void desktop(struct osm *m, bool stalls)
{
	if (!osm_pnp_start(m))
		return;
	for (uint32_t s = 0; s < m->heads; s++)
		osm_check(m,
			  osm_commit(m, s, 1024, 768, VG_ROTATE_0) ==
				  VG_NT_SUCCESS,
			  "CommitVidPn source %u 1024x768", s);
	struct desk_run r = {
		.m = m, .nframes = frames(m, 120), .stalls = stalls};
	pthread_t t[4];
	int nt = stalls ? 4 : 3;
	pthread_create(&t[0], NULL, dwm_thread, &r);
	pthread_create(&t[1], NULL, pointer_thread, &r);
	pthread_create(&t[2], NULL, child_thread, &r);
	if (stalls)
		pthread_create(&t[3], NULL, stall_thread, &r);
	/* The session's own thread: a mode change on the last source in the
	 * middle, and escapes, between the presents. */
	unsigned commits = 0, escapes = 0;
	for (unsigned i = 0; !atomic_load(&r.stop); i++) {
		if (i == 20) {
			uint32_t s = m->heads - 1;
			commits += osm_commit(m, s, 1280, 720, VG_ROTATE_0) ==
				   VG_NT_SUCCESS;
		}
		struct vg_dod_escape e = {.code = VG_DOD_ESC_QUERY_RESOLUTION};
		escapes += osm_escape(m, &e) == VG_NT_SUCCESS;
		osm_sleep_ms(5);
	}
	for (int i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	if (stalls)
		osm_check(
			m, r.stalled > 0 && r.shared > 0 && !r.stall_fail,
			"the host stalled the %s %u times for 5 ms meanwhile, "
			"and another device interrupted %u times on the "
			"shared line (%u failed)",
			vg_host_kind(m->host), r.stalled, r.shared,
			r.stall_fail);
	osm_check(m, !atomic_load(&r.present_fail),
		  "%u frames on %u sources, every PresentDisplayOnly "
		  "succeeded (%u failed)",
		  r.nframes, m->heads, atomic_load(&r.present_fail));
	osm_check(m, !atomic_load(&r.pointer_fail),
		  "pointer thread: every shape/position call succeeded");
	osm_check(m, !atomic_load(&r.child_fail),
		  "child polls: every status and descriptor call succeeded");
	osm_check(m, atomic_load(&r.qai) > 0,
		  "QueryAdapterInfo beside everything: %u answers",
		  atomic_load(&r.qai));
	osm_check(m, commits == 1 && escapes > 0,
		  "a mode change mid-run (1280x720) and %u escapes between "
		  "presents",
		  escapes);
	/* The last frame after a mode change may still be full; one more. */
	for (uint32_t s = 0; s < m->heads; s++)
		osm_dwm_frame(m, s, r.nframes);
	osm_check_screens(m, "after the session");
	struct vg_dod_counters dc;
	vg_dod_get_counters(m->dod, &dc);
	osm_check(m, dc.level_violations == 0,
		  "the layer saw no level violation with the gate on");
	osm_stop_remove(m);
}

static void sc_desktop(struct osm *m)
{
	desktop(m, false);
}

/* On a device that misbehaves: the host stalls it (any device), and the
 * device model adds its faults (the scenario's default --faults). */
static void sc_desktop_faults(struct osm *m)
{
	desktop(m, true);
}

/* ---- rotation ---- */

static void sc_rotation(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	static const enum vg_rotation rots[] = {VG_ROTATE_90, VG_ROTATE_180,
						VG_ROTATE_270};
	for (unsigned i = 0; i < 3; i++) {
		bool t = rots[i] != VG_ROTATE_180;
		uint32_t w = t ? 600 : 800, h = t ? 800 : 600;
		vg_ntstatus nt = osm_commit(m, 0, w, h, rots[i]);
		osm_check(m, nt == VG_NT_SUCCESS,
			  "CommitVidPn %ux%u rotated %u", w, h,
			  (unsigned)rots[i] * 90);
		for (unsigned f = 0; f < frames(m, 12); f++)
			osm_dwm_frame(m, 0, f);
		char when[48];
		snprintf(when, sizeof(when), "rotation %u",
			 (unsigned)rots[i] * 90);
		osm_check_screens(m, when);
	}
	/* 270 -> 90 keeps the mode's shape: UpdateActiveVidPnPresentPath. */
	struct vg_dod_path p = {0, 0, 600, 800, VG_ROTATE_90, true};
	osm_gate_enter(m, OSM_SECOND, 0);
	vg_ntstatus nt = vg_dod_update_active_path(m->dod, &p);
	osm_gate_exit(m, OSM_SECOND, 0);
	m->src[0].rot = VG_ROTATE_90;
	osm_check(m, nt == VG_NT_SUCCESS,
		  "UpdateActiveVidPnPresentPath 270 -> 90");
	osm_present_full(m, 0);
	osm_check_screens(m, "after UpdateActiveVidPnPresentPath");
	osm_stop_remove(m);
}

/* ---- hot-plug and the level-triggered resolution event ---- */

static void sc_hotplug(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	if (!osm_check(m, m->heads >= 2, "the device has 2 heads (%u)",
		       m->heads))
		return;
	bool conn = true;
	osm_child_status(m, 1, &conn);
	osm_check(m, !conn, "child 1 starts disconnected");
	struct vg_dod_escape e = {.code = VG_DOD_ESC_QUERY_RESOLUTION};
	osm_escape(m, &e);
	uint32_t g0 = e.generation;
	e = (struct vg_dod_escape){.code = VG_DOD_ESC_ACK_RESOLUTION,
				   .generation = g0};
	osm_escape(m, &e);

	unsigned seen = atomic_load(&m->indications);
	/* sim changes its display info; QEMU hears a VNC viewer resize. */
	vg_status st = vg_host_set_display(m->host, 1, true, 800, 600);
	if (!osm_check(m, st == VG_OK,
		       "plug: the %s made a display change (%s)",
		       vg_host_kind(m->host), vg_status_str(st))) {
		osm_stop_remove(m);
		return;
	}
	osm_check(m, osm_wait_indication(m, seen, 2000),
		  "plug: the layer indicated a child status change");
	osm_child_status(m, 1, &conn);
	osm_check(m, conn, "plug: QueryChildStatus(1) connected");
	e = (struct vg_dod_escape){.code = VG_DOD_ESC_QUERY_RESOLUTION};
	osm_escape(m, &e);
	uint32_t g1 = e.generation;
	osm_check(m,
		  e.resolution_pending && e.head_enabled[1] &&
			  e.head_width[1] == 800 && e.head_height[1] == 600,
		  "resolution event set, head 1 800x600 (gen %u)", g1);
	/* A second change before the listener acknowledges the first: the
	 * event must stay set after the acknowledgement of the first. */
	seen = atomic_load(&m->indications);
	vg_host_set_display(m->host, 1, true, 1280, 720);
	osm_wait_indication(m, seen, 2000);
	e = (struct vg_dod_escape){.code = VG_DOD_ESC_ACK_RESOLUTION,
				   .generation = g1};
	osm_escape(m, &e);
	e = (struct vg_dod_escape){.code = VG_DOD_ESC_QUERY_RESOLUTION};
	osm_escape(m, &e);
	osm_check(m,
		  e.resolution_pending && e.generation != g1 &&
			  e.head_width[1] == 1280,
		  "a resize after the query stays pending after the ack "
		  "(level-triggered, nothing lost): 1280x%u gen %u",
		  e.head_height[1], e.generation);
	uint32_t g2 = e.generation;
	e = (struct vg_dod_escape){.code = VG_DOD_ESC_ACK_RESOLUTION,
				   .generation = g2};
	osm_escape(m, &e);
	e = (struct vg_dod_escape){.code = VG_DOD_ESC_QUERY_RESOLUTION};
	osm_escape(m, &e);
	osm_check(m, !e.resolution_pending, "after the last ack it is clear");

	osm_check(m,
		  osm_commit(m, 0, 1024, 768, VG_ROTATE_0) == VG_NT_SUCCESS &&
			  osm_commit(m, 1, 1280, 720, VG_ROTATE_0) ==
				  VG_NT_SUCCESS,
		  "CommitVidPn both sources");
	for (unsigned f = 0; f < frames(m, 10); f++)
		for (uint32_t s = 0; s < 2; s++)
			osm_dwm_frame(m, s, f);
	osm_check_screens(m, "two heads after plug");

	seen = atomic_load(&m->indications);
	vg_host_set_display(m->host, 1, false, 0, 0);
	osm_wait_indication(m, seen, 2000);
	struct vg_dod_child ch[VG_DOD_MAX_CHILDREN];
	uint32_t n = 0;
	osm_gate_enter(m, OSM_THIRD, 0);
	vg_dod_query_child_relations(m->dod, ch, VG_DOD_MAX_CHILDREN, &n);
	osm_gate_exit(m, OSM_THIRD, 0);
	osm_check(m, n >= 2 && ch[0].connected && !ch[1].connected,
		  "unplug: QueryChildRelations shows child 1 disconnected");
	osm_stop_remove(m);
}

/* ---- sleep and hibernate, QueryAdapterInfo beside SetPowerState ---- */

struct qai_run {
	struct osm *m;
	atomic_bool stop;
	atomic_uint good, bad;
};

static void *qai_thread(void *arg)
{
	struct qai_run *r = arg;
	while (!atomic_load(&r->stop)) {
		struct vg_dod_driver_caps c;
		vg_ntstatus nt = vg_dod_query_adapter_info(
			r->m->dod, VG_DOD_QAI_DRIVERCAPS, &c);
		if (nt == VG_NT_SUCCESS &&
		    c.number_of_children == r->m->heads &&
		    c.max_pointer_width == 64)
			atomic_fetch_add(&r->good, 1);
		else
			atomic_fetch_add(&r->bad, 1);
	}
	return NULL;
}

static void power_cycle(struct osm *m, enum vg_power_reason why)
{
	const char *name = why == VG_POWER_SLEEP ? "sleep" : "hibernate";
	struct qai_run r = {.m = m};
	pthread_t t;
	pthread_create(&t, NULL, qai_thread, &r);
	vg_ntstatus a = osm_set_power(m, 0, VG_POWER_D3, why);
	vg_ntstatus b =
		osm_set_power(m, VG_DOD_POWER_ADAPTER, VG_POWER_D3, why);
	osm_check(m, a == VG_NT_SUCCESS && b == VG_NT_SUCCESS,
		  "%s: SetPowerState child 0 and adapter to D3", name);
	vg_status st = vg_host_power_cycle(m->host, why == VG_POWER_HIBERNATE);
	osm_check(m, st == VG_OK, "%s: the device power-cycled (%s state)",
		  name, why == VG_POWER_HIBERNATE ? "lost" : "kept");
	a = osm_set_power(m, VG_DOD_POWER_ADAPTER, VG_POWER_D0, why);
	b = osm_set_power(m, 0, VG_POWER_D0, why);
	atomic_store(&r.stop, true);
	pthread_join(t, NULL);
	osm_check(m, a == VG_NT_SUCCESS && b == VG_NT_SUCCESS,
		  "%s: adapter and child 0 back to D0", name);
	osm_check(m, atomic_load(&r.good) > 0 && !atomic_load(&r.bad),
		  "%s: QueryAdapterInfo beside SetPowerState answered right "
		  "%u times, wrong %u",
		  name, atomic_load(&r.good), atomic_load(&r.bad));
	char when[32];
	snprintf(when, sizeof(when), "after %s", name);
	osm_check_screens(m, when);
	for (unsigned f = 0; f < 5; f++)
		osm_dwm_frame(m, 0, 100 + f);
	snprintf(when, sizeof(when), "presents after %s", name);
	osm_check_screens(m, when);
}

static void sc_power(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	osm_commit(m, 0, 1024, 768, VG_ROTATE_0);
	for (unsigned f = 0; f < frames(m, 10); f++)
		osm_dwm_frame(m, 0, f);
	osm_check_screens(m, "before sleep");
	power_cycle(m, VG_POWER_SLEEP);
	power_cycle(m, VG_POWER_HIBERNATE);
	osm_stop_remove(m);
}

/* ---- a device that stops answering: timeout, then recovery ---- */

/* The host lets the device go on after ms (a stopped QEMU continued). */
struct resume_after {
	struct osm *m;
	unsigned ms;
	vg_status st;
};

static void *resume_thread(void *arg)
{
	struct resume_after *r = arg;
	osm_sleep_ms(r->ms);
	r->st = vg_host_pause(r->m->host, false);
	return NULL;
}

static void sc_timeout(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	osm_commit(m, 0, 1024, 768, VG_ROTATE_0);
	/* The host stalls the device for 2.5 s (QEMU: SIGSTOP, then SIGCONT),
	 * longer than the layer's 1 s command timeout, under a present: it
	 * times out; after the resume the device completes the command late,
	 * into a driver that gave up on it (ASan watches that); the next
	 * frames recover the device and show the desktop again. */
	unsigned fails = 0, ok_after = 0, total = frames(m, 40);
	struct resume_after r = {.m = m, .ms = 2500};
	for (unsigned f = 0; f < total; f++) {
		bool stall = f == total / 4;
		pthread_t t;
		if (stall) {
			vg_status st = vg_host_pause(m->host, true);
			stall = osm_check(m, st == VG_OK,
					  "the host stalls the %s for %u ms "
					  "(%s)",
					  vg_host_kind(m->host), r.ms,
					  vg_status_str(st));
			if (stall)
				pthread_create(&t, NULL, resume_thread, &r);
		}
		vg_ntstatus nt = osm_dwm_frame(m, 0, f);
		if (nt != VG_NT_SUCCESS) {
			fails++;
			osm_note(m, "frame %u failed (0x%08x)", f,
				 (unsigned)nt);
		} else if (fails) {
			ok_after++;
		}
		if (stall) {
			/* DWM's next frame comes after the stall. */
			pthread_join(t, NULL);
			osm_check(m, r.st == VG_OK && nt == VG_NT_IO_TIMEOUT,
				  "the present under the stall timed out "
				  "(0x%08x); the device went on (%s)",
				  (unsigned)nt, vg_status_str(r.st));
			struct vg_gpu_stats gs;
			unsigned waited = 0;
			do {
				osm_sleep_ms(50);
				vg_gpu_get_stats(vg_dod_gpu(m->dod), &gs);
			} while (!gs.late_completions && (waited += 50) < 2000);
			osm_check(m,
				  gs.timeouts >= 1 && gs.late_completions >= 1,
				  "%llu request(s) abandoned, %llu completed "
				  "late after the resume and were taken back",
				  (unsigned long long)gs.timeouts,
				  (unsigned long long)gs.late_completions);
		}
	}
	struct vg_gpu_stats gs;
	vg_gpu_get_stats(vg_dod_gpu(m->dod), &gs);
	osm_check(m, fails >= 1 && ok_after > 0 && gs.resets >= 1,
		  "the stall timed out %u present(s); the device was reset "
		  "(%llu) and %u later presents succeeded",
		  fails, (unsigned long long)gs.resets, ok_after);
	struct vg_dod_counters dc;
	vg_dod_get_counters(m->dod, &dc);
	osm_check(m, dc.tdr_take_backs >= 1 && dc.tdr_restarts >= 1,
		  "the layer's TDR took the device back %llu time(s) and "
		  "restarted it %llu time(s) (vg_gpu_take_back, "
		  "vg_gpu_restart)",
		  (unsigned long long)dc.tdr_take_backs,
		  (unsigned long long)dc.tdr_restarts);
	osm_check_screens(m, "after recovery");

	/* A second stall under a DWM that keeps presenting: the call after
	 * the timeout may take the device back while it is still stopped,
	 * and a restart that fails is retried by the call after that. */
	struct vg_dod_counters dc0;
	vg_dod_get_counters(m->dod, &dc0);
	unsigned fails2 = 0, ok2 = 0;
	struct resume_after r2 = {.m = m, .ms = 2500};
	vg_status pst = vg_host_pause(m->host, true);
	pthread_t t2;
	if (pst == VG_OK)
		pthread_create(&t2, NULL, resume_thread, &r2);
	for (unsigned f = 0; f < 12; f++) {
		vg_ntstatus nt = osm_dwm_frame(m, 0, 100 + f);
		if (nt != VG_NT_SUCCESS) {
			fails2++;
			osm_note(m, "busy frame %u failed (0x%08x)", f,
				 (unsigned)nt);
		} else if (fails2) {
			ok2++;
		}
	}
	if (pst == VG_OK)
		pthread_join(t2, NULL);
	vg_dod_get_counters(m->dod, &dc);
	osm_check(m,
		  pst == VG_OK && r2.st == VG_OK && fails2 >= 1 && ok2 > 0 &&
			  dc.tdr_take_backs > dc0.tdr_take_backs &&
			  dc.tdr_restarts > dc0.tdr_restarts,
		  "a stall under a busy DWM: %u present(s) failed, %u after "
		  "succeeded; %llu take-back(s), %llu restart(s) more",
		  fails2, ok2,
		  (unsigned long long)(dc.tdr_take_backs - dc0.tdr_take_backs),
		  (unsigned long long)(dc.tdr_restarts - dc0.tdr_restarts));
	osm_check_screens(m, "after the busy stall");
	/* ResetDevice is at any IRQL and waits for nothing. */
	osm_gate_enter(m, OSM_ZERO, 0);
	vg_dod_reset_device(m->dod);
	osm_gate_exit(m, OSM_ZERO, 0);
	osm_check_screens(m, "ResetDevice keeps the frame");
	for (unsigned f = 0; f < 3; f++)
		osm_check(m, osm_dwm_frame(m, 0, 200 + f) == VG_NT_SUCCESS,
			  "a present after ResetDevice (%u)", f);
	osm_check_screens(m, "presents after ResetDevice");
	osm_stop_remove(m);
}

/* ---- the next owner gets the frame ---- */

static void sc_post_display(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	osm_commit(m, 0, 1024, 768, VG_ROTATE_0);
	for (unsigned f = 0; f < frames(m, 10); f++)
		osm_dwm_frame(m, 0, f);
	struct vg_dod_display_info di;
	osm_gate_enter(m, OSM_THIRD, 0);
	vg_ntstatus nt = vg_dod_stop_and_release_post_display(m->dod, 0, &di);
	osm_gate_exit(m, OSM_THIRD, 0);
	bool same = nt == VG_NT_SUCCESS && di.width == 1024 &&
		    di.height == 768 && di.format == VG_PIXEL_B8G8R8X8;
	for (uint32_t y = 0; same && y < 768; y++)
		for (uint32_t x = 0; x < 1024; x++)
			if ((di.pixels[(size_t)y * di.pitch / 4 + x] ^
			     m->src[0].desk[(size_t)y * 1024 + x]) &
			    0xffffff) {
				same = false;
				break;
			}
	osm_check(m, same,
		  "StopDeviceAndReleasePostDisplayOwnership hands over "
		  "1024x768, pitch %u, the presented pixels",
		  di.pitch);
	osm_check_screens(m, "the frame stays on screen for the next owner");
	vg_ntstatus p = osm_dwm_frame(m, 0, 99);
	osm_check(m, p == VG_NT_INVALID_DEVICE_STATE,
		  "no present after ownership is released");
	/* The model's desktop moved on with the refused frame: nothing
	 * else to compare. */
	m->src[0].w = 0;
	osm_stop_remove(m);
}

/* ---- a bugcheck: the blue screen by polling, interrupts off ---- */

/* One bugcheck on a path rotated by rot: the OS draws in the source's
 * orientation (portrait for 90 and 270) and the device must show it
 * turned, as it shows presents. */
static void bugcheck_on(struct osm *m, enum vg_rotation rot)
{
	bool t = rot == VG_ROTATE_90 || rot == VG_ROTATE_270;
	uint32_t sw = t ? 768 : 1024, sh = t ? 1024 : 768;
	unsigned deg = (unsigned)rot * 90;
	if (!osm_pnp_start(m))
		return;
	osm_commit(m, 0, sw, sh, rot);
	for (unsigned f = 0; f < frames(m, 10); f++)
		osm_dwm_frame(m, 0, f);
	char when[64];
	snprintf(when, sizeof(when), "before the bugcheck (rotation %u)", deg);
	osm_check_screens(m, when);
	struct vg_host_counters before, after;
	struct vg_dod_counters dc0, dc1;
	vg_host_counters(m->host, &before);
	vg_dod_get_counters(m->dod, &dc0);

	/* What dxgkrnl does at KeBugCheck: ResetDevice, then the system
	 * display on the primary target, then writes. */
	vg_dod_reset_device(m->dod);
	uint32_t w = 0, h = 0;
	enum vg_pixel_format fmt = 0;
	vg_ntstatus nt = vg_dod_system_display_enable(m->dod, 0, &w, &h, &fmt);
	bool ok = osm_check(m,
			    nt == VG_NT_SUCCESS && w == sw && h == sh &&
				    fmt == VG_PIXEL_B8G8R8X8,
			    "SystemDisplayEnable on a %u-degree path: %ux%u "
			    "(the source's orientation) B8G8R8X8 (0x%08x)",
			    deg, w, h, (unsigned)nt);
	if (!ok) {
		osm_stop_remove(m);
		return;
	}
	struct osm_source *s = &m->src[0];
	uint32_t *img = malloc((size_t)w * h * 4);
	if (!img)
		abort();
	for (size_t i = 0; i < (size_t)w * h; i++)
		img[i] = 0x000078d7u; /* the blue of the stop screen */
	vg_dod_system_display_write(m->dod, img, w, h, w * 4, 0, 0);
	for (size_t i = 0; i < (size_t)w * h; i++)
		s->desk[i] = img[i];
	/* A text block, and a QR-code-like block half off the bottom-left
	 * corner (clipped). */
	for (size_t i = 0; i < (size_t)200 * 40; i++)
		img[i] = (i % 7) ? 0x00ffffffu : 0x000078d7u;
	vg_dod_system_display_write(m->dod, img, 200, 40, 200 * 4, 100, 100);
	for (uint32_t y = 0; y < 40; y++)
		for (uint32_t x = 0; x < 200; x++)
			s->desk[(size_t)(100 + y) * w + 100 + x] =
				img[(size_t)y * 200 + x];
	for (size_t i = 0; i < (size_t)64 * 64; i++)
		img[i] = (uint32_t)(i * 2654435761u) & 0xffffff;
	vg_dod_system_display_write(m->dod, img, 64, 64, 64 * 4, -10,
				    (int32_t)h - 28);
	for (uint32_t y = 0; y < 28; y++)
		for (uint32_t x = 10; x < 64; x++)
			s->desk[(size_t)(h - 28 + y) * w + x - 10] =
				img[(size_t)y * 64 + x];
	free(img);
	vg_host_counters(m->host, &after);
	vg_dod_get_counters(m->dod, &dc1);
	snprintf(when, sizeof(when), "the bugcheck screen (rotation %u)", deg);
	osm_check_screens(m, when);
	osm_check(m, dc1.dpcs_run == dc0.dpcs_run,
		  "no DPC ran during the bugcheck (%llu dropped): every "
		  "completion was polled",
		  (unsigned long long)(dc1.dpcs_dropped - dc0.dpcs_dropped));
	if (after.device_has & VG_HOST_DEV_OS_OBJECTS)
		osm_check(m,
			  after.device.os_objects_live ==
					  before.device.os_objects_live &&
				  after.device.dma_bytes_in_use ==
					  before.device.dma_bytes_in_use,
			  "nothing allocated during the bugcheck (%llu os "
			  "objects, %llu DMA bytes, as before)",
			  (unsigned long long)after.device.os_objects_live,
			  (unsigned long long)after.device.dma_bytes_in_use);
	osm_stop_remove(m);
}

/* A bugcheck per rotation, each on a fresh start of the layer (a real
 * bugcheck never returns; the tests stop and remove after each). */
static void sc_bugcheck(struct osm *m)
{
	static const enum vg_rotation rots[] = {VG_ROTATE_0, VG_ROTATE_90,
						VG_ROTATE_180, VG_ROTATE_270};
	for (unsigned i = 0; i < 4; i++)
		bugcheck_on(m, rots[i]);
}

/* ---- break the levels on purpose: the layer must catch it ---- */

struct slow_call {
	struct osm *m;
	atomic_bool started, done;
	int kind; /* 0: present, 1: SetPowerState(child 0, D0) */
	vg_ntstatus nt;
	vg_status pause_st; /* the host's stall; resumed: paused false */
	bool paused;
};

static void *slow_thread(void *arg)
{
	struct slow_call *c = arg;
	atomic_store(&c->started, true);
	if (c->kind == 0) {
		struct osm_source *s = &c->m->src[0];
		struct vg_present_source ps = {
			s->desk, s->w * 4, VG_PIXEL_B8G8R8A8,
			s->w,	 s->h,	   VG_ROTATE_0};
		struct vg_rect all = {0, 0, s->w, s->h};
		c->nt = vg_dod_present_display_only(c->m->dod, 0, &ps, NULL, 0,
						    &all, 1);
	} else {
		c->nt = vg_dod_set_power_state(c->m->dod, 0, VG_POWER_D0,
					       VG_POWER_SLEEP);
	}
	atomic_store(&c->done, true);
	return NULL;
}

/* The host stalls the device, then the slow call starts and is held in
 * flight until slow_resume lets the device go on: 300 ms, well within
 * the layer's 1 s command timeout. */
static void slow_start(struct slow_call *c, pthread_t *t)
{
	c->pause_st = vg_host_pause(c->m->host, true);
	c->paused = c->pause_st == VG_OK;
	pthread_create(t, NULL, slow_thread, c);
	while (!atomic_load(&c->started))
		osm_sleep_ms(1);
	osm_sleep_ms(50);
}

/* Called every 20 ms of overlapping calls: after 12 (50 + 240 ms). */
static void slow_resume(struct slow_call *c, unsigned i)
{
	if (c->paused && i >= 12) {
		vg_status st = vg_host_pause(c->m->host, false);
		if (c->pause_st == VG_OK)
			c->pause_st = st;
		c->paused = false;
	}
}

struct refusals {
	const char *ddi;
	unsigned refused, tried;
};

/* One round of calls made while a slow call held its level: nt[i] is
 * r[i]'s answer. */
static void tally_refusals(struct refusals *r, const vg_ntstatus *nt, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		r[i].tried++;
		r[i].refused += nt[i] == VG_NT_INVALID_DEVICE_STATE;
	}
}

/* Each call must have been refused at least once during `during`. */
static void check_refusals(struct osm *m, const struct refusals *r, size_t n,
			   const char *during)
{
	for (size_t i = 0; i < n; i++)
		osm_check(m, r[i].refused > 0,
			  "%s during %s: refused %u of %u (level violation "
			  "logged)",
			  r[i].ddi, during, r[i].refused, r[i].tried);
}

static void sc_break_levels(struct osm *m)
{
	if (!osm_pnp_start(m))
		return;
	osm_commit(m, 0, 1024, 768, VG_ROTATE_0);
	osm_present_full(m, 0);
	m->break_levels = true;
	osm_note(m, "gate off: the model now overlaps what the levels keep "
		    "apart (the host stalls the device for 300 ms under "
		    "each slow call)");

	/* 1: second- and third-level calls while a present is in flight. */
	struct refusals r1[] = {{"CommitVidPn", 0, 0},
				{"Escape", 0, 0},
				{"QueryChildRelations", 0, 0},
				{"SetPowerState", 0, 0}};
	struct slow_call c = {.m = m, .kind = 0};
	pthread_t t;
	slow_start(&c, &t);
	for (unsigned k = 0; !atomic_load(&c.done); k++) {
		slow_resume(&c, k);
		struct vg_dod_path p = {0, 0, 1024, 768, VG_ROTATE_0, true};
		struct vg_dod_escape e = {.code = VG_DOD_ESC_GET_DEVICE_ID};
		struct vg_dod_child ch[VG_DOD_MAX_CHILDREN];
		uint32_t n;
		vg_ntstatus nt[4] = {
			vg_dod_commit_vidpn(m->dod, &p, 1),
			vg_dod_escape(m->dod, &e),
			vg_dod_query_child_relations(m->dod, ch,
						     VG_DOD_MAX_CHILDREN, &n),
			atomic_load(&c.done)
				? VG_NT_SUCCESS
				: vg_dod_set_power_state(
					  m->dod, VG_DOD_POWER_ADAPTER,
					  VG_POWER_D0, VG_POWER_SLEEP),
		};
		tally_refusals(r1, nt, 4);
		osm_sleep_ms(20);
	}
	pthread_join(t, NULL);
	osm_check(m, c.nt == VG_NT_SUCCESS && c.pause_st == VG_OK,
		  "the slow present itself completed (stall: %s)",
		  vg_status_str(c.pause_st));
	check_refusals(m, r1, 4, "a PresentDisplayOnly");

	/* 2: lower levels while a third-level call (SetPowerState of a
	 * child, which re-presents the head) is in flight. */
	struct refusals r2[] = {
		{"PresentDisplayOnly", 0, 0}, {"SetPointerPosition", 0, 0},
		{"QueryChildStatus", 0, 0},   {"CommitVidPn", 0, 0},
		{"StartDevice", 0, 0},	      {"IsSupportedVidPn", 0, 0}};
	c = (struct slow_call){.m = m, .kind = 1};
	slow_start(&c, &t);
	for (unsigned k = 0; !atomic_load(&c.done); k++) {
		slow_resume(&c, k);
		struct osm_source *s = &m->src[0];
		struct vg_present_source ps = {
			s->desk, s->w * 4, VG_PIXEL_B8G8R8A8,
			s->w,	 s->h,	   VG_ROTATE_0};
		struct vg_rect one = {0, 0, 8, 8};
		struct vg_dod_path p = {0, 0, 1024, 768, VG_ROTATE_0, true};
		bool conn, sup;
		vg_ntstatus nt[6] = {
			vg_dod_present_display_only(m->dod, 0, &ps, NULL, 0,
						    &one, 1),
			vg_dod_set_pointer_position(m->dod, 0, 10, 10, false),
			vg_dod_query_child_status(
				m->dod, 0, VG_DOD_STATUS_CONNECTION, &conn),
			vg_dod_commit_vidpn(m->dod, &p, 1),
			vg_dod_start_device(m->dod, NULL, NULL),
			vg_dod_is_supported_vidpn(m->dod, &p, 1, &sup),
		};
		tally_refusals(r2, nt, 6);
		osm_sleep_ms(20);
	}
	pthread_join(t, NULL);
	osm_check(m, c.nt == VG_NT_SUCCESS && c.pause_st == VG_OK,
		  "the slow SetPowerState itself completed (stall: %s)",
		  vg_status_str(c.pause_st));
	check_refusals(m, r2, 6, "SetPowerState");

	m->break_levels = false;
	struct vg_dod_counters dc;
	vg_dod_get_counters(m->dod, &dc);
	unsigned sum = 0;
	for (int i = 0; i < 4; i++)
		sum += r1[i].refused;
	for (int i = 0; i < 6; i++)
		sum += r2[i].refused;
	osm_check(m, dc.level_violations == sum,
		  "the layer counted %llu violations, one per refused call "
		  "(%u)",
		  (unsigned long long)dc.level_violations, sum);
	for (unsigned f = 0; f < frames(m, 4); f++)
		osm_dwm_frame(m, 0, f);
	osm_check_screens(m, "no corruption after the broken levels");
	osm_stop_remove(m);
}

static const struct osm_scenario scenarios[] = {
	{"pnp",
	 "PnP start, children, whole EDID, modes, commit, present, "
	 "remove",
	 "sim,max_outputs=2", NULL, sc_pnp},
	{"desktop",
	 "DWM presents on 2 sources, pointer, child polls, a mode change, "
	 "escapes, concurrently",
	 "sim,max_outputs=2", NULL, sc_desktop},
	{"desktop-faults",
	 "the desktop while the host stalls the device and a shared "
	 "interrupt line fires; on sim the device also invents interrupts "
	 "and used entries and answers late",
	 "sim,max_outputs=2",
	 "badid:every=25,spurious-irq:every=11,delay:every=13@5",
	 sc_desktop_faults},
	{"rotation", "commits rotated 90/180/270 and a path update", "sim",
	 NULL, sc_rotation},
	{"hotplug", "plug, resize twice, unplug; level-triggered event",
	 "sim,max_outputs=2", NULL, sc_hotplug},
	{"power", "sleep and hibernate with QueryAdapterInfo beside", "sim",
	 NULL, sc_power},
	{"timeout",
	 "the host stalls the device past the command timeout: timeout, "
	 "late completion, reset, recovery",
	 "sim", NULL, sc_timeout},
	{"post-display", "StopDeviceAndReleasePostDisplayOwnership", "sim",
	 NULL, sc_post_display},
	{"bugcheck",
	 "ResetDevice, SystemDisplayEnable/Write by polling, nothing "
	 "allocated, on paths rotated 0/90/180/270",
	 "sim", NULL, sc_bugcheck},
	{"break-levels",
	 "the gate off: the layer's own checks refuse overlapping calls", "sim",
	 NULL, sc_break_levels},
};

const struct osm_scenario *osm_scenarios(unsigned *count)
{
	*count = sizeof(scenarios) / sizeof(scenarios[0]);
	return scenarios;
}

const struct osm_scenario *osm_find(const char *name)
{
	unsigned n;
	const struct osm_scenario *s = osm_scenarios(&n);
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}
