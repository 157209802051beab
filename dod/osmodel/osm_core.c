// SPDX-License-Identifier: MIT
/* The OS model's machinery: the level gate, the desktop, checks, PnP. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viogpu/format.h"
#include "osm_internal.h"

/* ---------------- the gate ---------------- */

static bool allowed(struct osm *m, enum osm_class c, uint32_t child)
{
	switch (c) {
	case OSM_QAI:
		return true;
	case OSM_ZERO:
		return !m->n_third;
	case OSM_PRESENT:
		return !m->n_third && !m->n_second && !m->waiting_exclusive;
	case OSM_POINTER:
		return !m->n_third && !m->n_pointer;
	case OSM_CHILD:
		return !m->n_third && !m->n_child[child];
	case OSM_SECOND:
		return !m->n_third && !m->n_second && !m->n_present;
	case OSM_THIRD: {
		int busy = m->n_zero + m->n_present + m->n_pointer +
			   m->n_second + m->n_third;
		for (unsigned i = 0; i < VG_DOD_MAX_CHILDREN; i++)
			busy += m->n_child[i];
		return !busy;
	}
	}
	return false;
}

static int *count_of(struct osm *m, enum osm_class c, uint32_t child)
{
	switch (c) {
	case OSM_ZERO:
		return &m->n_zero;
	case OSM_PRESENT:
		return &m->n_present;
	case OSM_POINTER:
		return &m->n_pointer;
	case OSM_CHILD:
		return &m->n_child[child % VG_DOD_MAX_CHILDREN];
	case OSM_SECOND:
		return &m->n_second;
	case OSM_THIRD:
		return &m->n_third;
	default:
		return NULL;
	}
}

void osm_gate_enter(struct osm *m, enum osm_class c, uint32_t child)
{
	if (m->break_levels || c == OSM_QAI)
		return;
	child %= VG_DOD_MAX_CHILDREN;
	pthread_mutex_lock(&m->mu);
	bool excl = c == OSM_SECOND || c == OSM_THIRD;
	if (excl)
		m->waiting_exclusive++;
	while (!allowed(m, c, child))
		pthread_cond_wait(&m->cv, &m->mu);
	if (excl)
		m->waiting_exclusive--;
	(*count_of(m, c, child))++;
	pthread_mutex_unlock(&m->mu);
}

void osm_gate_exit(struct osm *m, enum osm_class c, uint32_t child)
{
	if (m->break_levels || c == OSM_QAI)
		return;
	pthread_mutex_lock(&m->mu);
	(*count_of(m, c, child % VG_DOD_MAX_CHILDREN))--;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
}

/* ---------------- reporting ---------------- */

VG_PRINTF(3, 0)
static void emit(struct osm *m, const char *prefix, const char *fmt, va_list ap)
{
	char line[320];
	int n = snprintf(line, sizeof(line), "%s: %s", m->sc->name, prefix);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m->opt->print)
		m->opt->print(m->opt->print_ctx, line);
	if (!strncmp(prefix, "FAIL", 4) && !m->rep->first_failure[0])
		snprintf(m->rep->first_failure, sizeof(m->rep->first_failure),
			 "%.200s", line);
}

bool osm_check(struct osm *m, bool ok, const char *fmt, ...)
{
	pthread_mutex_lock(&m->report_mu);
	m->rep->checks++;
	if (!ok)
		m->rep->failures++;
	va_list ap;
	va_start(ap, fmt);
	emit(m, ok ? "ok    " : "FAIL  ", fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&m->report_mu);
	return ok;
}

void osm_note(struct osm *m, const char *fmt, ...)
{
	pthread_mutex_lock(&m->report_mu);
	va_list ap;
	va_start(ap, fmt);
	emit(m, "      ", fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&m->report_mu);
}

void osm_sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

bool osm_wait_indication(struct osm *m, unsigned seen, unsigned ms)
{
	for (unsigned t = 0; t < ms; t += 5) {
		if (atomic_load(&m->indications) > seen)
			return true;
		osm_sleep_ms(5);
	}
	return atomic_load(&m->indications) > seen;
}

/* ---------------- the desktop ---------------- */

static uint32_t paint(unsigned frame, uint32_t x, uint32_t y, unsigned salt)
{
	uint32_t v = (x * 73856093u) ^ (y * 19349663u) ^
		     ((frame + 1) * 83492791u) ^ (salt * 2654435761u);
	return 0xff000000u | (v & 0xffffff);
}

static void fill(struct osm_source *s, struct vg_rect r, unsigned frame,
		 unsigned salt)
{
	for (uint32_t y = r.y; y < r.y + r.height && y < s->h; y++)
		for (uint32_t x = r.x; x < r.x + r.width && x < s->w; x++)
			s->desk[(size_t)y * s->w + x] =
				paint(frame, x, y, salt);
}

/* The move as the layer does it: through a temporary. */
static void move(struct osm_source *s, const struct vg_move_rect *mv)
{
	uint32_t w = mv->dst.width, h = mv->dst.height;
	uint32_t *tmp = malloc((size_t)w * h * 4);
	if (!tmp)
		abort();
	for (uint32_t y = 0; y < h; y++)
		memcpy(tmp + (size_t)y * w,
		       s->desk + (size_t)(mv->src_y + y) * s->w + mv->src_x,
		       (size_t)w * 4);
	for (uint32_t y = 0; y < h; y++)
		memcpy(s->desk + (size_t)(mv->dst.y + y) * s->w + mv->dst.x,
		       tmp + (size_t)y * w, (size_t)w * 4);
	free(tmp);
}

static vg_ntstatus present(struct osm *m, uint32_t sid,
			   const struct vg_move_rect *mv, unsigned nmv,
			   const struct vg_rect *dirty, unsigned nd)
{
	struct osm_source *s = &m->src[sid];
	struct vg_present_source ps = {
		.pixels = s->desk,
		.pitch = s->w * 4,
		.format = VG_PIXEL_B8G8R8A8,
		.width = s->w,
		.height = s->h,
		.rotation = s->rot,
	};
	return vg_dod_present_display_only(m->dod, sid, &ps, mv, nmv, dirty,
					   nd);
}

vg_ntstatus osm_present_full(struct osm *m, uint32_t sid)
{
	osm_gate_enter(m, OSM_PRESENT, 0);
	struct osm_source *s = &m->src[sid];
	struct vg_rect all = {0, 0, s->w, s->h};
	vg_ntstatus nt = present(m, sid, NULL, 0, &all, 1);
	s->full_next = nt != VG_NT_SUCCESS;
	osm_gate_exit(m, OSM_PRESENT, 0);
	return nt;
}

vg_ntstatus osm_dwm_frame(struct osm *m, uint32_t sid, unsigned f)
{
	osm_gate_enter(m, OSM_PRESENT, 0);
	struct osm_source *s = &m->src[sid];
	vg_ntstatus nt = VG_NT_SUCCESS;
	if (!s->w)
		goto out;
	struct vg_move_rect mv[1];
	struct vg_rect d[4];
	unsigned nmv = 0, nd = 0;
	if (s->full_next) {
		d[nd++] = (struct vg_rect){0, 0, s->w, s->h};
		fill(s, d[0], f, sid);
	} else {
		/* Typing: one 8x16 cell a frame along a line. */
		uint32_t cols = s->w / 2 / 8, line = (f / cols) % 8;
		d[nd] = (struct vg_rect){8 + (f % cols) * 8, 40 + line * 16, 8,
					 16};
		fill(s, d[nd++], f, 1);
		/* A clock in the opposite corner, every 10th frame. */
		if (f % 10 == 0) {
			d[nd] = (struct vg_rect){s->w - 88, s->h - 24, 80, 16};
			fill(s, d[nd++], f, 2);
		}
		/* A scrolling window: up by 16 rows, new rows at the
		 * bottom.  Moves come first, then the dirty rectangles. */
		uint32_t wx = s->w / 2, wy = s->h / 4, ww = s->w / 2 - 16,
			 wh = s->h / 2;
		mv[nmv] = (struct vg_move_rect){
			wx, wy + 16, {wx, wy, ww, wh - 16}};
		move(s, &mv[nmv++]);
		d[nd] = (struct vg_rect){wx, wy + wh - 16, ww, 16};
		fill(s, d[nd++], f, 3);
		/* Full-screen-ish video every 4th frame. */
		if (f % 4 == 0) {
			d[nd] = (struct vg_rect){16, s->h / 2, s->w / 3,
						 s->h / 3};
			fill(s, d[nd++], f, 4);
		}
	}
	nt = present(m, sid, mv, nmv, d, nd);
	/* A failed present's damage is not lost: as dxgkrnl keeps the
	 * dirty region, the next frame presents the whole source. */
	s->full_next = nt != VG_NT_SUCCESS;
out:
	osm_gate_exit(m, OSM_PRESENT, 0);
	return nt;
}

vg_ntstatus osm_commit(struct osm *m, uint32_t sid, uint32_t w, uint32_t h,
		       enum vg_rotation rot)
{
	osm_gate_enter(m, OSM_SECOND, 0);
	struct vg_dod_path p = {.source_id = sid,
				.target_id = sid,
				.width = w,
				.height = h,
				.rotation = rot,
				.powered = true};
	vg_ntstatus nt = vg_dod_commit_vidpn(m->dod, &p, 1);
	if (nt == VG_NT_SUCCESS) {
		struct osm_source *s = &m->src[sid];
		if (s->w != w || s->h != h) {
			free(s->desk);
			s->desk = calloc((size_t)w * h, 4);
			if (!s->desk)
				abort();
		}
		s->w = w, s->h = h, s->rot = rot;
		s->full_next = true;
	}
	osm_gate_exit(m, OSM_SECOND, 0);
	return nt;
}

void osm_check_screens(struct osm *m, const char *when)
{
	for (uint32_t sid = 0; sid < m->heads; sid++) {
		struct osm_source *s = &m->src[sid];
		if (!s->w)
			continue;
		uint32_t *px = NULL, w = 0, h = 0;
		vg_status st = vg_host_screendump(m->host, sid, &px, &w, &h);
		bool t = s->rot == VG_ROTATE_90 || s->rot == VG_ROTATE_270;
		uint32_t fw = t ? s->h : s->w, fh = t ? s->w : s->h;
		if (!osm_check(m, st == VG_OK && w == fw && h == fh,
			       "%s: head %u scans out %ux%u (want %ux%u)", when,
			       sid, w, h, fw, fh)) {
			free(px);
			continue;
		}
		size_t bad = 0, first = SIZE_MAX;
		for (uint32_t y = 0; y < s->h; y++)
			for (uint32_t x = 0; x < s->w; x++) {
				uint32_t X, Y;
				switch (s->rot) {
				case VG_ROTATE_90:
					X = y, Y = fh - 1 - x;
					break;
				case VG_ROTATE_180:
					X = fw - 1 - x, Y = fh - 1 - y;
					break;
				case VG_ROTATE_270:
					X = fw - 1 - y, Y = x;
					break;
				default:
					X = x, Y = y;
				}
				uint32_t want = s->desk[(size_t)y * s->w + x] &
						0xffffff;
				if ((px[(size_t)Y * fw + X] & 0xffffff) !=
				    want) {
					if (!bad)
						first = (size_t)y * s->w + x;
					bad++;
				}
			}
		osm_check(m, bad == 0,
			  "%s: head %u screendump equals the presented "
			  "desktop (rotation %u; %zu pixels differ, first at "
			  "source %zu)",
			  when, sid, (unsigned)s->rot * 90, bad,
			  bad ? first : 0);
		free(px);
	}
}

/* ---------------- PnP ---------------- */

static void indicate(void *ctx, uint32_t child)
{
	(void)child;
	struct osm *m = ctx;
	atomic_fetch_add(&m->indications, 1);
}

bool osm_pnp_start(struct osm *m)
{
	struct vg_host_counters c;
	vg_host_counters(m->host, &c);
	m->dma_base = c.device.dma_bytes_in_use;
	m->objs_base = c.device.os_objects_live;
	osm_gate_enter(m, OSM_THIRD, 0);
	vg_ntstatus nt = vg_dod_add_device(vg_host_os(m->host), &m->dod);
	osm_check(m, nt == VG_NT_SUCCESS, "AddDevice (0x%08x)", (unsigned)nt);
	uint32_t n = 0;
	if (nt == VG_NT_SUCCESS) {
		struct vg_dod_start_info si = {
			.os = vg_host_os(m->host),
			.cmd_timeout_ms = 1000,
			.auto_recover = true,
			.host_mem_limit = vg_host_max_hostmem(m->host),
			.indicate_child_status = indicate,
			.indicate_ctx = m,
		};
		nt = vg_dod_start_device(m->dod, &si, &n);
		if (!m->heads)
			m->heads = n;
		osm_check(m, nt == VG_NT_SUCCESS && n == m->heads,
			  "StartDevice: %u children (want %u) (0x%08x)", n,
			  m->heads, (unsigned)nt);
	}
	osm_gate_exit(m, OSM_THIRD, 0);
	return nt == VG_NT_SUCCESS;
}

void osm_stop_remove(struct osm *m)
{
	osm_gate_enter(m, OSM_THIRD, 0);
	vg_ntstatus nt = vg_dod_stop_device(m->dod);
	osm_check(m, nt == VG_NT_SUCCESS, "StopDevice (0x%08x)", (unsigned)nt);
	struct vg_dod_counters dc;
	vg_dod_get_counters(m->dod, &dc);
	m->rep->level_violations = dc.level_violations;
	nt = vg_dod_remove_device(m->dod);
	m->dod = NULL;
	osm_check(m, nt == VG_NT_SUCCESS, "RemoveDevice (0x%08x)",
		  (unsigned)nt);
	osm_gate_exit(m, OSM_THIRD, 0);
	struct vg_host_counters c;
	vg_host_counters(m->host, &c);
	if (c.device_has & VG_HOST_DEV_HOLDS)
		osm_check(m,
			  c.device.live_resources == 0 &&
				  c.device.attached_backings == 0 &&
				  c.device.hostmem_bytes == 0,
			  "after remove the device holds nothing (%u "
			  "resources, %u backings, %llu bytes)",
			  c.device.live_resources, c.device.attached_backings,
			  (unsigned long long)c.device.hostmem_bytes);
	if (c.device_has & VG_HOST_DEV_DMA)
		osm_check(m, c.device.dma_bytes_in_use == m->dma_base,
			  "after remove no guest DMA memory is held (%llu "
			  "bytes, %llu before AddDevice)",
			  (unsigned long long)c.device.dma_bytes_in_use,
			  (unsigned long long)m->dma_base);
	if (c.device_has & VG_HOST_DEV_OS_OBJECTS)
		osm_check(m, c.device.os_objects_live == m->objs_base,
			  "after remove no os allocation is live (%llu, %llu "
			  "before AddDevice)",
			  (unsigned long long)c.device.os_objects_live,
			  (unsigned long long)m->objs_base);
}

/* ---------------- gated calls ---------------- */

vg_ntstatus osm_set_power(struct osm *m, uint32_t uid, enum vg_power_state st,
			  enum vg_power_reason why)
{
	osm_gate_enter(m, OSM_THIRD, 0);
	vg_ntstatus nt = vg_dod_set_power_state(m->dod, uid, st, why);
	osm_gate_exit(m, OSM_THIRD, 0);
	return nt;
}

vg_ntstatus osm_child_status(struct osm *m, uint32_t uid, bool *connected)
{
	osm_gate_enter(m, OSM_CHILD, uid);
	vg_ntstatus nt = vg_dod_query_child_status(
		m->dod, uid, VG_DOD_STATUS_CONNECTION, connected);
	osm_gate_exit(m, OSM_CHILD, uid);
	return nt;
}

vg_ntstatus osm_escape(struct osm *m, struct vg_dod_escape *e)
{
	osm_gate_enter(m, OSM_SECOND, 0);
	vg_ntstatus nt = vg_dod_escape(m->dod, e);
	osm_gate_exit(m, OSM_SECOND, 0);
	return nt;
}

/* ---------------- running ---------------- */

int osm_run(const struct osm_scenario *sc, const struct osm_options *opt,
	    struct osm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	struct osm *m = calloc(1, sizeof(*m));
	if (!m)
		return 2;
	m->sc = sc;
	m->opt = opt;
	m->rep = rep;
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	pthread_mutex_init(&m->report_mu, NULL);
	char msg[256] = "";
	/* A scenario's own faults are the device model's: on another kind
	 * (qemu) it runs with what that device really does, unless --faults
	 * says otherwise. */
	const char *dev = opt->device ? opt->device : sc->device;
	bool model = !strncmp(dev, "sim", 3) && (!dev[3] || dev[3] == ',');
	struct vg_host_request rq = {
		.device = dev,
		.faults = opt->faults ? opt->faults
			  : model     ? sc->faults
				      : NULL,
		.no_driver = true,
		/* QEMU's per-answer wait: longer than a scenario's
		 * vg_host_pause, after which QEMU would count as dead; the
		 * layer's own command timeout is StartDevice's. */
		.timeout_ms = 10000,
		.display_control = true,
	};
	int rc = 2;
	if (vg_host_open(&rq, &m->host, msg, sizeof(msg)) != VG_HOST_OK) {
		snprintf(rep->first_failure, sizeof(rep->first_failure),
			 "%.30s: cannot open device: %.180s", sc->name, msg);
		goto out;
	}
	/* heads: what StartDevice reports (osm_pnp_start). */
	sc->run(m);
	if (m->dod) {
		/* A scenario that returned early still removes. */
		osm_stop_remove(m);
	}
	rc = rep->failures ? 1 : 0;
out:
	vg_host_close(m->host);
	for (unsigned i = 0; i < VG_DOD_MAX_CHILDREN; i++)
		free(m->src[i].desk);
	pthread_mutex_destroy(&m->report_mu);
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
	free(m);
	return rc;
}
