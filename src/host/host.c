// SPDX-License-Identifier: MIT
/* The host layer's front: which kind a --device text names, the checks
 * every kind shares, and the calls that hand over to the kind's ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viogpu/gpu.h"

#include "host_internal.h"

/* Every kind of device; the first one is the default.  QEMU is driven
 * over qtest on Unix sockets and fork/exec: Linux only. */
static const struct host_ops *const kinds[] = {
#ifndef _WIN32
	&host_qemu_ops,
#endif
	&host_sim_ops,
#ifdef __linux__
	&host_vfio_ops, /* VFIO: Linux only */
#endif
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct host_ops *find_kind(const char *spec)
{
	for (size_t k = 0; k < NKINDS; k++) {
		size_t n = strlen(kinds[k]->kind);
		if (!strncmp(spec, kinds[k]->kind, n) &&
		    (!spec[n] || spec[n] == ','))
			return kinds[k];
	}
	return NULL;
}

/* "'qemu' or 'sim'" for messages. */
static const char *kind_list(char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < NKINDS && used < n; k++)
		used += (size_t)snprintf(buf + used, n - used, "%s'%s'",
					 k == 0		  ? ""
					 : k + 1 < NKINDS ? ", "
							  : " or ",
					 kinds[k]->kind);
	return buf;
}

/* The first kind that takes a fault spec, for the message naming it. */
static const char *faults_kind(void)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (kinds[k]->check_faults)
			return kinds[k]->kind;
	return "?";
}

static vg_host_result check_request(struct vg_host *h, const char *spec,
				    char *msg, size_t len)
{
	const struct host_ops *ops = find_kind(spec);
	struct host_props props;
	char list[64];
	vg_host_result r;

	if (!ops)
		return host_msg(VG_HOST_REFUSED, msg, len,
				"unknown device '%s' (want %s)", spec,
				kind_list(list, sizeof(list)));
	h->ops = ops;
	if (h->req.faults && !ops->check_faults)
		return host_msg(VG_HOST_REFUSED, msg, len,
				"--faults needs --device %s (%s)",
				faults_kind(), ops->no_faults_why);
	r = host_parse_props(ops, spec, &props, msg, len);
	if (r)
		return r;
	if (h->req.heads && host_find_prop(&props, "max_outputs"))
		return host_msg(VG_HOST_REFUSED, msg, len,
				"give the number of heads once: --heads or "
				"max_outputs=, not both");
	r = ops->prepare(h, &props, msg, len);
	if (r)
		return r;
	if (h->req.faults && !ops->check_faults(h->req.faults, msg, len))
		return VG_HOST_REFUSED;
	return VG_HOST_OK;
}

vg_host_result vg_host_prepare(const struct vg_host_request *req,
			       struct vg_host **out, char *msg, size_t msg_len)
{
	const char *spec = req->device ? req->device : kinds[0]->kind;
	struct vg_host *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (msg && msg_len)
		msg[0] = '\0';
	if (!h)
		return host_msg(VG_HOST_FAILED, msg, msg_len, "out of memory");
	h->req = *req;
	h->device_copy = strdup(spec);
	h->faults_copy = req->faults ? strdup(req->faults) : NULL;
	if (!h->device_copy || (req->faults && !h->faults_copy)) {
		vg_host_close(h);
		return host_msg(VG_HOST_FAILED, msg, msg_len, "out of memory");
	}
	h->req.device = h->device_copy;
	h->req.faults = h->faults_copy;
	vg_host_result r = check_request(h, h->device_copy, msg, msg_len);
	if (r) {
		vg_host_close(h);
		return r;
	}
	*out = h;
	return VG_HOST_OK;
}

vg_host_result vg_host_start(struct vg_host *h, char *msg, size_t msg_len)
{
	if (msg && msg_len)
		msg[0] = '\0';
	if (h->start_tried)
		return host_msg(VG_HOST_FAILED, msg, msg_len,
				"the device was started already");
	h->start_tried = true;
	vg_host_result r = h->ops->start(h, msg, msg_len);
	if (r)
		return r;
	h->started = true;
	if (h->req.no_driver)
		return VG_HOST_OK;
	struct vg_gpu_options go = {
		.verbose = h->req.verbose,
		.cmd_timeout_ms = h->req.timeout_ms,
		.auto_recover = h->req.auto_recover,
		.host_mem_limit = h->max_hostmem,
		.on_display_change = h->req.on_display_change,
		.display_change_ctx = h->req.display_change_ctx,
	};
	vg_status st = vg_gpu_create(h->ops->os(h), &go, &h->gpu);
	if (st != VG_OK) {
		/* Nothing left running: the device goes with the driver. */
		h->ops->destroy(h);
		h->started = false;
		return host_msg(VG_HOST_FAILED, msg, msg_len,
				"driver bring-up failed: %s",
				vg_status_str(st));
	}
	return VG_HOST_OK;
}

vg_host_result vg_host_open(const struct vg_host_request *req,
			    struct vg_host **out, char *msg, size_t msg_len)
{
	struct vg_host *h;
	vg_host_result r = vg_host_prepare(req, &h, msg, msg_len);
	if (r)
		return r;
	r = vg_host_start(h, msg, msg_len);
	if (r) {
		vg_host_close(h);
		return r;
	}
	*out = h;
	return VG_HOST_OK;
}

void vg_host_close(struct vg_host *h)
{
	if (!h)
		return;
	vg_gpu_destroy(h->gpu);
	if (h->ops)
		h->ops->destroy(h);
	free(h->device_copy);
	free(h->faults_copy);
	free(h);
}

const char *vg_host_kind(const struct vg_host *h)
{
	return h->ops->kind;
}

struct vg_gpu *vg_host_gpu(struct vg_host *h)
{
	return h->gpu;
}

struct vg_os *vg_host_os(struct vg_host *h)
{
	return h->started ? h->ops->os(h) : NULL;
}

uint64_t vg_host_max_hostmem(const struct vg_host *h)
{
	return h->max_hostmem;
}

vg_status vg_host_screendump(struct vg_host *h, unsigned head,
			     uint32_t **pixels, uint32_t *width,
			     uint32_t *height)
{
	if (!h->started)
		return VG_E_INVAL;
	return h->ops->screendump(h, head, pixels, width, height);
}

void vg_host_counters(struct vg_host *h, struct vg_host_counters *out)
{
	memset(out, 0, sizeof(*out));
	out->device_name = h->ops->device_name;
	if (h->gpu) {
		out->has_driver = true;
		vg_gpu_get_stats(h->gpu, &out->driver);
	}
	if (h->started)
		h->ops->counters(h, out);
}

vg_status vg_host_power_cycle(struct vg_host *h, bool lose_state)
{
	if (!h->started)
		return VG_E_INVAL;
	return h->ops->power_cycle(h, lose_state);
}

vg_status vg_host_pause(struct vg_host *h, bool paused)
{
	if (!h->started)
		return VG_E_INVAL;
	if (!h->ops->pause)
		return VG_E_UNSUPPORTED;
	return h->ops->pause(h, paused);
}

vg_status vg_host_share_irq(struct vg_host *h)
{
	if (!h->started)
		return VG_E_INVAL;
	if (!h->ops->share_irq)
		return VG_E_UNSUPPORTED;
	h->ops->share_irq(h);
	return VG_OK;
}

vg_status vg_host_set_display(struct vg_host *h, unsigned head, bool enabled,
			      uint32_t width, uint32_t height)
{
	if (!h->started)
		return VG_E_INVAL;
	if (!h->ops->set_display)
		return VG_E_UNSUPPORTED;
	return h->ops->set_display(h, head, enabled, width, height);
}
