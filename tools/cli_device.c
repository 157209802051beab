// SPDX-License-Identifier: MIT
/* --device text to a running device (QEMU or the device model) with the
 * driver on top, and what only the device can tell: screendumps, stats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Every key at most once: 6 plain keys and edid0..edid15. */
#define MAX_PROPS 22
/* max_hostmem: 1 byte .. 1 TiB. */
#define MAX_HOSTMEM (1ull << 40)

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
	if (spec[name_len] && spec[strlen(spec) - 1] == ',') {
		cli_error("--device '%s' ends in ',' (an empty property; want "
			  "PROP=VALUE after each ',')",
			  spec);
		return -1;
	}
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
		for (int k = 0; eq && known && k < n; k++)
			if (out[k].key_len == (size_t)(eq - p) &&
			    !strncmp(out[k].key, p, out[k].key_len)) {
				cli_error("device property '%.*s' given twice; "
					  "give each once",
					  (int)(eq - p), p);
				return -1;
			}
		if (known && eq && eq != p + len - 1 && n == MAX_PROPS) {
			cli_error("too many device properties (at most %d, "
				  "each once)",
				  MAX_PROPS);
			return -1;
		}
		if (!eq || eq == p + len - 1 || !known) {
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

/* "1T", "1G", "512M", "64K" or bytes: 1 .. MAX_HOSTMEM. */
static bool parse_size(const struct prop *p, uint64_t *out)
{
	char buf[32];
	uint64_t mult = 1;
	size_t n = p->val_len;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, p->val, n);
	buf[n] = '\0';
	static const char suffix[] = "KkMmGgTt";
	const char *sx = strchr(suffix, buf[n - 1]);
	if (sx && buf[n - 1]) {
		mult = 1ull << (10 * (1 + (sx - suffix) / 2));
		buf[n - 1] = '\0';
	}
	unsigned long v;
	/* v <= MAX_HOSTMEM / mult: the product cannot overflow. */
	if (!cli_parse_uint(buf, (unsigned long)(MAX_HOSTMEM / mult), &v) ||
	    v == 0)
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

/* The same value ranges on both devices (the device model took 0 as "the
 * default" where QEMU took it literally), and no conflicting pair. */
static bool check_props(const struct prop *props, int n)
{
	static const struct {
		const char *key;
		unsigned long min, max;
	} ranges[] = {
		{"xres", CLI_MODE_MIN, CLI_MODE_MAX},
		{"yres", CLI_MODE_MIN, CLI_MODE_MAX},
		{"max_outputs", 1, 16},
		{"max_backing_entries", 1, 1ul << 20},
	};
	bool edid_off = false;
	int edid_file = -1;
	for (int i = 0; i < n; i++) {
		const struct prop *p = &props[i];
		const char *want = NULL;
		char range[64];
		uint64_t size;
		for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]);
		     k++) {
			uint32_t v;
			if (!prop_is(p, ranges[k].key))
				continue;
			if (!parse_u32(p, ranges[k].max, &v) ||
			    v < ranges[k].min) {
				snprintf(range, sizeof(range), "%lu..%lu",
					 ranges[k].min, ranges[k].max);
				want = range;
			}
		}
		if (prop_is(p, "max_hostmem") && !parse_size(p, &size))
			want = "1..1T bytes, e.g. 512M or 2G; suffix K, M, G "
			       "or "
			       "T";
		if (prop_is(p, "edid")) {
			if (!(p->val_len == 2 && !strncmp(p->val, "on", 2)) &&
			    !(p->val_len == 3 && !strncmp(p->val, "off", 3)))
				want = "on or off";
			edid_off = p->val_len == 3;
		}
		if (edid_file_head(p->key, p->key_len) >= 0)
			edid_file = i;
		if (want) {
			cli_error("bad value in device property '%.*s=%.*s' "
				  "(want %s)",
				  (int)p->key_len, p->key, (int)p->val_len,
				  p->val, want);
			return false;
		}
	}
	if (edid_off && edid_file >= 0) {
		cli_error("device properties edid=off and '%.*s=' conflict (a "
			  "device without EDID cannot show one)",
			  (int)props[edid_file].key_len, props[edid_file].key);
		return false;
	}
	return true;
}

/* The heads the device will offer: --heads, max_outputs= or 1. */
static uint64_t device_heads(const struct cli_common *c,
			     const struct prop *props, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		if (prop_is(&props[i], "max_outputs"))
			parse_u32(&props[i], 16, &v);
	return c->heads ? c->heads : v ? v : 1;
}

/* A value of "Key:   N kB" in /proc/meminfo, in bytes; 0 if unknown. */
static uint64_t meminfo_bytes(const char *key)
{
	char line[128];
	unsigned long long kb = 0;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%llu", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb << 10;
}

/* Refuses a configuration this machine cannot hold (need bytes of memory
 * in all): it would grow towards the OOM killer.  Unknown limits pass. */
static bool check_machine_memory(uint64_t need)
{
	char a[32], b[32];
	uint64_t avail = meminfo_bytes("MemAvailable");
	if (avail && need > avail) {
		cli_error("this needs about %s of memory, but the machine has "
			  "%s available (use fewer heads or a smaller mode)",
			  cli_size_str(need, a, sizeof(a)),
			  cli_size_str(avail, b, sizeof(b)));
		return false;
	}
	return true;
}

/* The largest frame against what the device gives 2D resources, before
 * the device starts. */
static bool check_host_mem(const struct cli_common *c, uint64_t host_mem)
{
	char a[32], b[32];
	if (c->frame_bytes <= host_mem)
		return true;
	cli_error("a frame of %s is more than max_hostmem=%s the device gives "
		  "2D resources (raise max_hostmem= or use a smaller mode)",
		  cli_size_str(c->frame_bytes, a, sizeof(a)),
		  cli_size_str(host_mem, b, sizeof(b)));
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
		if (prop_is(&props[i], "max_hostmem"))
			parse_size(&props[i], &s->host_mem); /* checked */
	if (!has_prop(props, n, "max_hostmem"))
		snprintf(text + used, sizeof(text) - used, "%smax_hostmem=1G",
			 used ? "," : "");
	if (!check_host_mem(c, s->host_mem))
		return CLI_EXIT_USAGE;

	/* Frames per head, plus room for a second frame during a mode
	 * change, plus rings and commands; at least the frames. */
	uint64_t heads = device_heads(c, props, n);
	uint64_t shown = c->frame_heads ? c->frame_heads : 1;
	uint64_t need_mib = (c->frame_bytes * shown >> 20) + 64;
	unsigned ram = c->ram_mib;
	if (!ram) {
		uint64_t want = ((c->frame_bytes * (heads + 1)) >> 20) + 64;
		ram = want < 512 ? 512 : want > 2048 ? 2048 : (unsigned)want;
	}
	char size[32];
	if (need_mib > ram) {
		cli_error("%llu head(s) of %s frames need %llu MiB of guest "
			  "RAM; %s %u MiB (use fewer heads or a smaller mode)",
			  (unsigned long long)shown,
			  cli_size_str(c->frame_bytes, size, sizeof(size)),
			  (unsigned long long)need_mib,
			  c->ram_mib ? "--ram gives" : "QEMU's is at most",
			  ram);
		return CLI_EXIT_USAGE;
	}
	/* QEMU keeps its own copy of each head's frame besides guest RAM. */
	if (!check_machine_memory(((uint64_t)ram << 20) +
				  c->frame_bytes * shown))
		return CLI_EXIT_USAGE;
	char why[512];
	if (vg_qemu_find_binary(NULL, why, sizeof(why)) != VG_OK) {
		cli_error("%s", why);
		return CLI_EXIT_USAGE;
	}
	uint32_t timeout = cli_timeout_ms(c);
	struct vg_qemu_config qc = {
		.ram_mib = ram,
		.device_props = text,
		.verbose = c->verbose,
		.cmd_timeout_ms = timeout,
		.start_timeout_ms = timeout > CLI_QEMU_START_MS
					    ? timeout
					    : CLI_QEMU_START_MS,
	};
	vg_status st = vg_qemu_create(&qc, &s->qemu);
	if (st != VG_OK) {
		cli_error("could not start the QEMU device: %s",
			  vg_status_str(st));
		return CLI_EXIT_FAIL;
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
		cli_error("cannot read EDID file '%s': %s", path,
			  strerror(errno));
		return false;
	}
	size_t n = fread(s->edid[head], 1, sizeof(s->edid[head]), f);
	int err = ferror(f) ? errno : 0;
	bool more = !err && fgetc(f) != EOF;
	fclose(f);
	if (err) {
		cli_error("cannot read EDID file '%s': %s", path,
			  strerror(err));
		return false;
	}
	if (n < 128 || more) {
		cli_error("EDID file '%s' must hold 128 to 1024 bytes (it "
			  "holds %s%zu)",
			  path, more ? "more than " : "", n);
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
	if (!check_host_mem(c, s->host_mem))
		return CLI_EXIT_USAGE;
	/* Room for the frames asked for and a second one during a change. */
	uint64_t heads = sc.num_scanouts;
	sc.ram_bytes = c->frame_bytes * (heads + 1) + (256ull << 20);
	/* The driver's frames (and one more during a change) and the
	 * model's copy of each: all of it real memory once drawn. */
	uint64_t shown = c->frame_heads ? c->frame_heads : 1;
	if (!check_machine_memory(c->frame_bytes * (2 * shown + 1)))
		return CLI_EXIT_USAGE;
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
	if (n < 0 || !check_props(props, n))
		return CLI_EXIT_USAGE;
	if (c->heads && has_prop(props, n, "max_outputs")) {
		cli_error("give the number of heads once: --heads or "
			  "max_outputs=, not both");
		return CLI_EXIT_USAGE;
	}
	rc = is_sim ? open_sim(c, s, props, n) : open_qemu(c, s, props, n);
	if (rc)
		return rc;

	if (c->verbose)
		fprintf(stderr, "viogpu: command timeout %u ms (%s)\n",
			cli_timeout_ms(c),
			c->timeout_ms ? "--timeout"
				      : "default: 5000 + 20 per MiB of frame");
	struct vg_os *os = s->sim ? vg_sim_os(s->sim) : vg_qemu_os(s->qemu);
	struct vg_gpu_options go = {
		.verbose = c->verbose,
		.cmd_timeout_ms = cli_timeout_ms(c),
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
		/* The model counts every reset it sees: the driver's at
		 * bring-up (and at each D0) as well as its recoveries. */
		printf("device model: %llu commands, %llu errors sent, %llu "
		       "faults injected, %llu interrupts, %llu resets "
		       "(bring-up "
		       "included); holds %u resources, %u backings, %llu "
		       "bytes\n",
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
