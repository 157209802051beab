// SPDX-License-Identifier: MIT
/* --device sim: the in-process device model (include/viogpu/sim.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "viogpu/sim.h"

struct host_sim {
	struct vg_sim_config sc;
	uint8_t edid[16][1024]; /* edidN=FILE contents; sc.edid points here */
	struct vg_sim *sim;
};

static struct host_sim *be(struct vg_host *h)
{
	return h->be;
}

/* edidN=FILE: 128 to 1024 bytes for head N. */
static vg_host_result read_edid_file(const struct host_prop *p,
				     struct host_sim *b, char *msg, size_t len)
{
	int head = host_edid_file_head(p->key, p->key_len);
	char path[512];
	if (p->val_len >= sizeof(path))
		return host_msg(VG_HOST_REFUSED, msg, len,
				"EDID file name too long");
	memcpy(path, p->val, p->val_len);
	path[p->val_len] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f)
		return host_msg(VG_HOST_REFUSED, msg, len,
				"cannot read EDID file '%s': %s", path,
				strerror(errno));
	size_t n = fread(b->edid[head], 1, sizeof(b->edid[head]), f);
	int err = ferror(f) ? errno : 0;
	bool more = !err && fgetc(f) != EOF;
	fclose(f);
	if (err)
		return host_msg(VG_HOST_REFUSED, msg, len,
				"cannot read EDID file '%s': %s", path,
				strerror(err));
	if (n < 128 || more)
		return host_msg(
			VG_HOST_REFUSED, msg, len,
			"EDID file '%s' must hold 128 to 1024 bytes (it "
			"holds %s%zu)",
			path, more ? "more than " : "", n);
	b->sc.edid[head] = b->edid[head];
	b->sc.edid_size[head] = (uint32_t)n;
	return VG_HOST_OK;
}

static vg_host_result sim_prepare(struct vg_host *h, const struct host_props *p,
				  char *msg, size_t len)
{
	const struct vg_host_request *rq = &h->req;
	struct host_sim *b = calloc(1, sizeof(*b));
	if (!b)
		return host_msg(VG_HOST_FAILED, msg, len, "out of memory");
	h->be = b;
	struct vg_sim_config *sc = &b->sc;
	sc->verbose = rq->verbose;
	sc->num_scanouts = rq->heads ? rq->heads : 1;
	for (int i = 0; i < p->n; i++) {
		const struct host_prop *pr = &p->v[i];
		bool ok = true;
		if (host_prop_is(pr, "xres"))
			ok = host_parse_u32(pr, 16384, &sc->xres[0]);
		else if (host_prop_is(pr, "yres"))
			ok = host_parse_u32(pr, 16384, &sc->yres[0]);
		else if (host_prop_is(pr, "max_outputs"))
			ok = host_parse_u32(pr, 16, &sc->num_scanouts) &&
			     sc->num_scanouts > 0;
		else if (host_prop_is(pr, "max_backing_entries"))
			ok = host_parse_u32(pr, 1u << 20,
					    &sc->max_backing_entries);
		else if (host_prop_is(pr, "max_hostmem"))
			ok = host_parse_size(pr, &sc->max_hostmem);
		else if (host_edid_file_head(pr->key, pr->key_len) >= 0) {
			vg_host_result r = read_edid_file(pr, b, msg, len);
			if (r)
				return r;
		} else if (host_prop_is(pr, "edid")) {
			ok = (pr->val_len == 2 && !strncmp(pr->val, "on", 2)) ||
			     (pr->val_len == 3 && !strncmp(pr->val, "off", 3));
			sc->no_edid = pr->val_len == 3;
		}
		if (!ok)
			return host_msg(VG_HOST_REFUSED, msg, len,
					"bad value in device property "
					"'%.*s=%.*s'",
					(int)pr->key_len, pr->key,
					(int)pr->val_len, pr->val);
	}
	for (unsigned hd = sc->num_scanouts; hd < 16; hd++)
		if (sc->edid_size[hd])
			return host_msg(VG_HOST_REFUSED, msg, len,
					"edid%u= names head %u, but the device "
					"has %u head(s) (use --heads)",
					hd, hd, sc->num_scanouts);
	h->max_hostmem = sc->max_hostmem ? sc->max_hostmem : 256ull << 20;
	if (!host_check_hostmem(h, h->max_hostmem, msg, len))
		return VG_HOST_REFUSED;
	/* Room for the frames asked for and a second one during a change. */
	uint64_t heads = sc->num_scanouts;
	sc->ram_bytes = rq->frame_bytes * (heads + 1) + (256ull << 20);
	/* The driver's frames (and one more during a change) and the
	 * model's copy of each: all of it real memory once drawn. */
	uint64_t shown = rq->frame_heads ? rq->frame_heads : 1;
	if (!host_check_machine_memory(rq->frame_bytes * (2 * shown + 1), msg,
				       len))
		return VG_HOST_REFUSED;
	return VG_HOST_OK;
}

static bool sim_check_faults(const char *spec, char *msg, size_t len)
{
	return vg_sim_check_faults(spec, msg, len) == VG_OK;
}

static vg_host_result sim_start(struct vg_host *h, char *msg, size_t len)
{
	struct host_sim *b = be(h);
	b->sc.faults = h->req.faults;
	vg_status st = vg_sim_create(&b->sc, &b->sim);
	if (st == VG_E_INVAL) /* prepare checked all it knows of */
		return host_msg(VG_HOST_REFUSED, msg, len,
				"the device model refused its configuration");
	if (st != VG_OK)
		return host_msg(VG_HOST_FAILED, msg, len,
				"could not start the device model: %s",
				vg_status_str(st));
	return VG_HOST_OK;
}

static struct vg_os *sim_os(struct vg_host *h)
{
	return vg_sim_os(be(h)->sim);
}

static vg_status sim_screendump(struct vg_host *h, unsigned head, uint32_t **px,
				uint32_t *w, uint32_t *hgt)
{
	return vg_sim_screendump(be(h)->sim, head, px, w, hgt);
}

static void sim_counters(struct vg_host *h, struct vg_host_counters *out)
{
	struct vg_sim_counters c;
	vg_sim_get_counters(be(h)->sim, &c);
	out->device_has = VG_HOST_DEV_COMMANDS | VG_HOST_DEV_HOLDS |
			  VG_HOST_DEV_INTERRUPTS | VG_HOST_DEV_DMA |
			  VG_HOST_DEV_OS_OBJECTS;
	out->device.commands = c.commands;
	out->device.error_responses = c.error_responses;
	out->device.faults_injected = c.faults_injected;
	out->device.resets = c.resets;
	out->device.live_resources = c.live_resources;
	out->device.attached_backings = c.attached_backings;
	out->device.hostmem_bytes = c.hostmem_bytes;
	out->device.interrupts = c.interrupts;
	out->device.dma_bytes_in_use = c.dma_bytes_in_use;
	out->device.os_objects_live =
		c.os_allocs_live > 0 ? (uint64_t)c.os_allocs_live : 0;
}

static vg_status sim_pause(struct vg_host *h, bool paused)
{
	vg_sim_pause(be(h)->sim, paused);
	return VG_OK;
}

static void sim_share_irq(struct vg_host *h)
{
	vg_sim_share_irq(be(h)->sim);
}

static vg_status sim_power_cycle(struct vg_host *h, bool lose_state)
{
	return vg_sim_power_cycle(be(h)->sim, lose_state);
}

static vg_status sim_set_display(struct vg_host *h, unsigned head, bool enabled,
				 uint32_t w, uint32_t hgt)
{
	return vg_sim_set_display(be(h)->sim, head, enabled, w, hgt);
}

static void sim_destroy(struct vg_host *h)
{
	struct host_sim *b = be(h);
	if (!b)
		return;
	vg_sim_destroy(b->sim);
	free(b);
	h->be = NULL;
}

static const char *const sim_keys[] = {"xres",	      "yres",
				       "max_outputs", "edid",
				       "max_hostmem", "max_backing_entries",
				       NULL};

const struct host_ops host_sim_ops = {
	.kind = "sim",
	.keys = sim_keys,
	.keys_text = "xres, yres, max_outputs, edid, max_hostmem, "
		     "max_backing_entries, edidN=FILE",
	.file_keys = true,
	.check_faults = sim_check_faults,
	.prepare = sim_prepare,
	.start = sim_start,
	.os = sim_os,
	.screendump = sim_screendump,
	.counters = sim_counters,
	.power_cycle = sim_power_cycle,
	.pause = sim_pause,
	.share_irq = sim_share_irq,
	.set_display = sim_set_display,
	.destroy = sim_destroy,
	.device_name = "device model",
};
