/* SPDX-License-Identifier: MIT */
/*
 * Inside the host layer: the ops table each kind of device fills, the
 * parsed --device properties, and the checks every kind shares.
 * Adding a kind: one host_KIND.c defining a struct host_ops, one entry in
 * host.c's table, one line in meson.build.
 */
#ifndef VG_HOST_INTERNAL_H
#define VG_HOST_INTERNAL_H

#include "viogpu/format.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/host.h"

/* Every key at most once: 6 plain keys and edid0..edid15. */
#define HOST_MAX_PROPS 22
/* max_hostmem: 1 byte .. 1 TiB. */
#define HOST_MAX_HOSTMEM (1ull << 40)
/* Each side of a mode: QEMU refuses a scanout under 16 pixels. */
#define HOST_MODE_MIN 16
#define HOST_MODE_MAX 16384
/* QEMU gets the larger of this and the timeout to start and connect. */
#define HOST_QEMU_START_MS 10000u

/* One PROP=VALUE of the --device text; points into the request's text,
 * valid during prepare only. */
struct host_prop {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
};

struct host_props {
	struct host_prop v[HOST_MAX_PROPS];
	int n;
};

struct host_ops {
	const char *kind; /* as in --device */
	/* Properties it takes (NULL terminated) and the same as text for
	 * messages; file_keys: also edidN=FILE. */
	const char *const *keys;
	const char *keys_text;
	bool file_keys;
	/* Faults: NULL when the kind cannot misbehave on command; then
	 * no_faults_why says why (for the message). */
	bool (*check_faults)(const char *spec, char *msg, size_t len);
	const char *no_faults_why;
	/* Kind-specific validation after the shared checks; allocates
	 * h->be and sets h->max_hostmem.  Nothing may start here. */
	vg_host_result (*prepare)(struct vg_host *h, const struct host_props *p,
				  char *msg, size_t len);
	/* Starts the device from h->be. */
	vg_host_result (*start)(struct vg_host *h, char *msg, size_t len);
	struct vg_os *(*os)(struct vg_host *h);
	vg_status (*screendump)(struct vg_host *h, unsigned head, uint32_t **px,
				uint32_t *w, uint32_t *hgt);
	void (*counters)(struct vg_host *h, struct vg_host_counters *out);
	vg_status (*power_cycle)(struct vg_host *h, bool lose_state);
	vg_status (*pause)(struct vg_host *h, bool paused); /* NULL: cannot */
	void (*share_irq)(struct vg_host *h);
	/* NULL: no host-side display changes. */
	vg_status (*set_display)(struct vg_host *h, unsigned head, bool enabled,
				 uint32_t w, uint32_t hgt);
	/* Stops the device (if started) and frees h->be; NULL-safe on be. */
	void (*destroy)(struct vg_host *h);
	const char *device_name; /* vg_host_counters.device_name */
};

struct vg_host {
	const struct host_ops *ops;
	struct vg_host_request req; /* device and faults point to copies */
	char *device_copy, *faults_copy;
	uint64_t max_hostmem;
	bool start_tried; /* vg_host_start runs once */
	bool started;
	struct vg_gpu *gpu;
	void *be; /* the backend's own state */
};

extern const struct host_ops host_qemu_ops;
extern const struct host_ops host_sim_ops;
extern const struct host_ops host_vfio_ops;

/* host_spec.c: the shared parsing and checks. */
bool host_parse_uint(const char *s, unsigned long max, unsigned long *out);
bool host_prop_is(const struct host_prop *p, const char *key);
const struct host_prop *host_find_prop(const struct host_props *p,
				       const char *key);
/* The head of an "edidN" key (N = 0..15), or -1. */
int host_edid_file_head(const char *key, size_t len);
/* "1T", "1G", "512M", "64K" or bytes: 1 .. HOST_MAX_HOSTMEM. */
bool host_parse_size(const struct host_prop *p, uint64_t *out);
bool host_parse_u32(const struct host_prop *p, unsigned long max,
		    uint32_t *out);
/* Splits and checks the properties after the kind's name. */
vg_host_result host_parse_props(const struct host_ops *ops, const char *spec,
				struct host_props *out, char *msg, size_t len);
/* The heads the device will offer: heads, max_outputs= or 1. */
unsigned host_device_heads(const struct vg_host *h, const struct host_props *p);
/* The largest frame fits max_hostmem? */
bool host_check_hostmem(const struct vg_host *h, uint64_t max_hostmem,
			char *msg, size_t len);
/* The machine has need bytes available?  Unknown limits pass. */
bool host_check_machine_memory(uint64_t need, char *msg, size_t len);
/* snprintf into msg (NULL-safe); returns r for "return host_msg(...)". */
vg_host_result host_msg(vg_host_result r, char *msg, size_t len,
			const char *fmt, ...) VG_PRINTF(4, 5);

#endif
