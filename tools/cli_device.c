// SPDX-License-Identifier: MIT
/* --device text to a running device (QEMU or the device model) with the
 * driver on top, and what only the device can tell: screendumps, stats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_PROPS 16

struct prop {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
};

static bool prop_is(const struct prop *p, const char *key)
{
	return p->key_len == strlen(key) && !strncmp(p->key, key, p->key_len);
}

/* The head of an "edidN" key (N = 0..15), or -1. */
static int edid_file_head(const char *key, size_t len)
{
	unsigned long h;
	char num[4];
	if (len < 5 || len > 6 || strncmp(key, "edid", 4))
		return -1;
	memcpy(num, key + 4, len - 4);
	num[len - 4] = '\0';
	return cli_parse_uint(num, 15, &h) ? (int)h : -1;
}

/* Splits "name,k=v,k=v" after name; checks keys against allowed.  With
 * file_keys, "edidN=PATH" is allowed too (any characters but ','). */
static int split_props(const char *spec, size_t name_len,
		       const char *const *allowed, const char *allowed_text,
		       bool file_keys, struct prop *out)
{
	int n = 0;
	const char *p = spec[name_len] ? spec + name_len + 1 : "";
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		bool known = false;
		bool path = eq && file_keys &&
			    edid_file_head(p, (size_t)(eq - p)) >= 0;
		for (size_t k = 0; eq && allowed[k]; k++)
			if ((size_t)(eq - p) == strlen(allowed[k]) &&
			    !strncmp(p, allowed[k], (size_t)(eq - p)))
				known = true;
		known = known || path;
		if (!eq || eq == p + len - 1 || !known || n == MAX_PROPS) {
			cli_error("bad device property '%.*s' (want one of "
				  "%s as PROP=VALUE)",
				  (int)len, p, allowed_text);
			return -1;
		}
		for (const char *q = eq + 1; !path && q < p + len; q++)
			if (!((*q >= '0' && *q <= '9') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z'))) {
				cli_error("bad value in device property '%.*s'",
					  (int)len, p);
				return -1;
			}
		out[n++] = (struct prop){p, (size_t)(eq - p), eq + 1,
					 (size_t)(p + len - eq - 1)};
		p = comma ? comma + 1 : p + len;
	}
	return n;
}

/* "1G", "512M", "64K" or bytes. */
static bool parse_size(const struct prop *p, uint64_t *out)
{
	char buf[32];
	uint64_t mult = 1;
	size_t n = p->val_len;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, p->val, n);
	buf[n] = '\0';
	char last = buf[n - 1];
	if (last == 'K' || last == 'k' || last == 'M' || last == 'm' ||
	    last == 'G' || last == 'g') {
		mult = (last == 'K' || last == 'k')   ? 1ull << 10
		       : (last == 'M' || last == 'm') ? 1ull << 20
						      : 1ull << 30;
		buf[n - 1] = '\0';
	}
	unsigned long v;
	if (!cli_parse_uint(buf, 1ul << 40, &v))
		return false;
	*out = (uint64_t)v * mult;
	return true;
}

static bool parse_u32(const struct prop *p, unsigned long max, uint32_t *out)
{
	char buf[16];
	unsigned long v;
	if (p->val_len >= sizeof(buf))
		return false;
	memcpy(buf, p->val, p->val_len);
	buf[p->val_len] = '\0';
	if (!cli_parse_uint(buf, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool has_prop(const struct prop *props, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (prop_is(&props[i], key))
			return true;
	return false;
}

static int open_qemu(const struct cli_common *c, struct cli_session *s,
		     const struct prop *props, int n)
{
	char text[512];
	size_t used = 0;
	text[0] = '\0';
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "%s%.*s=%.*s", used ? "," : "",
					 (int)props[i].key_len, props[i].key,
					 (int)props[i].val_len, props[i].val);
	if (c->heads)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "%smax_outputs=%u", used ? "," : "",
					 c->heads);
	/* QEMU's default 256 MiB host limit cannot hold two 8K frames at
	 * once, which a mode change needs; raise it unless told. */
	s->host_mem = 1ull << 30;
	for (int i = 0; i < n; i++)
		if (prop_is(&props[i], "max_hostmem") &&
		    !parse_size(&props[i], &s->host_mem)) {
			cli_error("bad value in device property "
				  "'max_hostmem=%.*s'",
				  (int)props[i].val_len, props[i].val);
			return CLI_EXIT_USAGE;
		}
	if (!has_prop(props, n, "max_hostmem"))
		snprintf(text + used, sizeof(text) - used, "%smax_hostmem=1G",
			 used ? "," : "");

	unsigned ram = c->ram_mib;
	if (!ram) {
		/* Frames per head, plus room for a second frame during a mode
		 * change, plus rings and commands. */
		uint64_t heads = c->heads ? c->heads : 1;
		uint64_t need = c->frame_bytes * (heads + 1) + (64ull << 20);
		ram = (unsigned)((need >> 20) < 512 ? 512 : (need >> 20) + 64);
		if (ram > 2048)
			ram = 2048;
	}
	struct vg_qemu_config qc = {
		.ram_mib = ram,
		.device_props = text,
		.verbose = c->verbose,
	};
	vg_status st = vg_qemu_create(&qc, &s->qemu);
	if (st != VG_OK) {
		cli_error("could not start the QEMU device: %s",
			  vg_status_str(st));
		return st == VG_E_NODEV ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

/* edidN=FILE: up to 1024 bytes for head N, kept in the session. */
static bool read_edid_file(const struct prop *p, struct vg_sim_config *sc,
			   struct cli_session *s)
{
	int head = edid_file_head(p->key, p->key_len);
	char path[512];
	if (p->val_len >= sizeof(path)) {
		cli_error("EDID file name too long");
		return false;
	}
	memcpy(path, p->val, p->val_len);
	path[p->val_len] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_error("cannot read EDID file '%s'", path);
		return false;
	}
	size_t n = fread(s->edid[head], 1, sizeof(s->edid[head]), f);
	bool more = fgetc(f) != EOF;
	fclose(f);
	if (n < 128 || more) {
		cli_error("EDID file '%s' must hold 128 to 1024 bytes", path);
		return false;
	}
	sc->edid[head] = s->edid[head];
	sc->edid_size[head] = (uint32_t)n;
	return true;
}

static int open_sim(const struct cli_common *c, struct cli_session *s,
		    const struct prop *props, int n)
{
	struct vg_sim_config sc = {.faults = c->faults, .verbose = c->verbose};
	sc.num_scanouts = c->heads ? c->heads : 1;
	for (int i = 0; i < n; i++) {
		const struct prop *p = &props[i];
		bool ok = true;
		if (prop_is(p, "xres"))
			ok = parse_u32(p, 16384, &sc.xres[0]);
		else if (prop_is(p, "yres"))
			ok = parse_u32(p, 16384, &sc.yres[0]);
		else if (prop_is(p, "max_outputs"))
			ok = parse_u32(p, 16, &sc.num_scanouts) &&
			     sc.num_scanouts > 0;
		else if (prop_is(p, "max_backing_entries"))
			ok = parse_u32(p, 1u << 20, &sc.max_backing_entries);
		else if (prop_is(p, "max_hostmem"))
			ok = parse_size(p, &sc.max_hostmem);
		else if (edid_file_head(p->key, p->key_len) >= 0) {
			if (!read_edid_file(p, &sc, s))
				return CLI_EXIT_USAGE; /* it said why */
		} else if (prop_is(p, "edid")) {
			ok = (p->val_len == 2 && !strncmp(p->val, "on", 2)) ||
			     (p->val_len == 3 && !strncmp(p->val, "off", 3));
			sc.no_edid = p->val_len == 3;
		}
		if (!ok) {
			cli_error("bad value in device property '%.*s=%.*s'",
				  (int)p->key_len, p->key, (int)p->val_len,
				  p->val);
			return CLI_EXIT_USAGE;
		}
	}
	for (unsigned h = sc.num_scanouts; h < 16; h++)
		if (sc.edid_size[h]) {
			cli_error(
				"edid%u= names head %u, but the device has %u "
				"head(s) (use --heads)",
				h, h, sc.num_scanouts);
			return CLI_EXIT_USAGE;
		}
	s->host_mem = sc.max_hostmem ? sc.max_hostmem : 256ull << 20;
	/* Room for the frames asked for and a second one during a change. */
	uint64_t heads = sc.num_scanouts;
	sc.ram_bytes = c->frame_bytes * (heads + 1) + (256ull << 20);
	vg_status st = vg_sim_create(&sc, &s->sim);
	if (st != VG_OK) {
		if (st != VG_E_INVAL) /* the model printed its own line */
			cli_error("could not start the device model: %s",
				  vg_status_str(st));
		return st == VG_E_INVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cli_open(const struct cli_common *c, struct cli_session *s)
{
	static const char *const qemu_keys[] = {
		"xres", "yres", "max_outputs", "edid", "max_hostmem", NULL};
	static const char *const sim_keys[] = {
		"xres", "yres",	       "max_outputs",
		"edid", "max_hostmem", "max_backing_entries",
		NULL};
	const char *spec = c->device ? c->device : "qemu";
	struct prop props[MAX_PROPS];
	bool is_sim = !strncmp(spec, "sim", 3) && (!spec[3] || spec[3] == ',');
	bool is_qemu =
		!strncmp(spec, "qemu", 4) && (!spec[4] || spec[4] == ',');
	int n, rc;

	memset(s, 0, sizeof(*s));
	s->stats = c->stats;
	if (!is_sim && !is_qemu) {
		cli_error("unknown device '%s' (want 'qemu' or 'sim')", spec);
		return CLI_EXIT_USAGE;
	}
	if (c->faults && !is_sim) {
		cli_error(
			"--faults needs --device sim (QEMU behaves too well)");
		return CLI_EXIT_USAGE;
	}
	if (is_sim)
		n = split_props(spec, 3, sim_keys,
				"xres, yres, max_outputs, edid, max_hostmem, "
				"max_backing_entries, edidN=FILE",
				true, props);
	else
		n = split_props(spec, 4, qemu_keys,
				"xres, yres, max_outputs, edid, max_hostmem",
				false, props);
	if (n < 0)
		return CLI_EXIT_USAGE;
	if (c->heads && has_prop(props, n, "max_outputs")) {
		cli_error("give the number of heads once: --heads or "
			  "max_outputs=, not both");
		return CLI_EXIT_USAGE;
	}
	rc = is_sim ? open_sim(c, s, props, n) : open_qemu(c, s, props, n);
	if (rc)
		return rc;

	struct vg_os *os = s->sim ? vg_sim_os(s->sim) : vg_qemu_os(s->qemu);
	struct vg_gpu_options go = {
		.verbose = c->verbose,
		.cmd_timeout_ms = c->timeout_ms,
		.auto_recover = true,
		.host_mem_limit = s->host_mem,
	};
	vg_status st = vg_gpu_create(os, &go, &s->gpu);
	if (st != VG_OK) {
		cli_error("driver bring-up failed: %s", vg_status_str(st));
		cli_close(s);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

void cli_print_stats(struct cli_session *s)
{
	struct vg_gpu_stats g;
	vg_gpu_get_stats(s->gpu, &g);
	printf("driver:   %llu commands, %llu doorbells (%llu suppressed), "
	       "%llu interrupts\n",
	       (unsigned long long)g.commands, (unsigned long long)g.notifies,
	       (unsigned long long)g.notifies_suppressed,
	       (unsigned long long)g.interrupts);
	printf("calls that failed:          %llu device refusals (ERR_*), "
	       "%llu timeouts\n",
	       (unsigned long long)g.device_errors,
	       (unsigned long long)g.timeouts);
	printf("device protocol violations: %llu bad responses, %llu bogus "
	       "used-ring entries, %llu late completions\n",
	       (unsigned long long)g.bad_responses,
	       (unsigned long long)g.bad_used_entries,
	       (unsigned long long)g.late_completions);
	printf("recoveries:                 %llu device resets\n",
	       (unsigned long long)g.resets);
	printf("held:     %u resources, %llu bytes of backing\n",
	       g.live_resources, (unsigned long long)g.live_backing_bytes);
	if (s->sim) {
		struct vg_sim_counters c;
		vg_sim_get_counters(s->sim, &c);
		printf("device model: %llu commands, %llu errors sent, %llu "
		       "faults injected, %llu interrupts, %llu resets; holds "
		       "%u resources, %u backings, %llu bytes\n",
		       (unsigned long long)c.commands,
		       (unsigned long long)c.error_responses,
		       (unsigned long long)c.faults_injected,
		       (unsigned long long)c.interrupts,
		       (unsigned long long)c.resets, c.live_resources,
		       c.attached_backings,
		       (unsigned long long)c.hostmem_bytes);
	}
}

void cli_close(struct cli_session *s)
{
	if (s->gpu && s->stats)
		cli_print_stats(s);
	vg_gpu_destroy(s->gpu);
	vg_qemu_destroy(s->qemu);
	vg_sim_destroy(s->sim);
	memset(s, 0, sizeof(*s));
}

vg_status cli_device_screendump(struct cli_session *s, uint32_t head,
				uint32_t **px, uint32_t *w, uint32_t *h)
{
	if (s->sim)
		return vg_sim_screendump(s->sim, head, px, w, h);
	return vg_qemu_screendump(s->qemu, head, px, w, h);
}
