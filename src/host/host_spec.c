// SPDX-License-Identifier: MIT
/* The --device text: splitting, value ranges and conflicts every kind
 * shares, and the memory checks made before anything starts. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

vg_host_result host_msg(vg_host_result r, char *msg, size_t len,
			const char *fmt, ...)
{
	va_list ap;
	if (!msg || !len)
		return r;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return r;
}

bool host_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

const char *vg_host_size_str(uint64_t bytes, char *buf, size_t n)
{
	if (bytes < (1u << 10) || (bytes < (1u << 20) && bytes % 1024))
		snprintf(buf, n, "%llu byte%s", (unsigned long long)bytes,
			 bytes == 1 ? "" : "s");
	else if (bytes < (1u << 20))
		snprintf(buf, n, "%llu KiB", (unsigned long long)bytes >> 10);
	else if (bytes < (1ull << 30) || bytes % (1ull << 30) == 0)
		snprintf(buf, n, bytes < (1ull << 30) ? "%.4g MiB" : "%.4g GiB",
			 bytes < (1ull << 30) ? (double)bytes / (1 << 20)
					      : (double)bytes / (1 << 30));
	else
		snprintf(buf, n, "%.4g GiB", (double)bytes / (1 << 30));
	return buf;
}

bool host_prop_is(const struct host_prop *p, const char *key)
{
	return p->key_len == strlen(key) && !strncmp(p->key, key, p->key_len);
}

const struct host_prop *host_find_prop(const struct host_props *p,
				       const char *key)
{
	for (int i = 0; i < p->n; i++)
		if (host_prop_is(&p->v[i], key))
			return &p->v[i];
	return NULL;
}

int host_edid_file_head(const char *key, size_t len)
{
	unsigned long h;
	char num[4];
	if (len < 5 || len > 6 || strncmp(key, "edid", 4))
		return -1;
	memcpy(num, key + 4, len - 4);
	num[len - 4] = '\0';
	return host_parse_uint(num, 15, &h) ? (int)h : -1;
}

bool host_parse_size(const struct host_prop *p, uint64_t *out)
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
	/* 64 bits: unsigned long is 32 on Windows (LLP64), where
	 * 2^40 bytes would have become a limit of 0.  v <= HOST_MAX_HOSTMEM
	 * / mult: the product cannot overflow. */
	char *end;
	if (!buf[0] || buf[0] == '-' || buf[0] == '+')
		return false;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 10);
	if (errno || *end || v == 0 || v > HOST_MAX_HOSTMEM / mult)
		return false;
	*out = (uint64_t)v * mult;
	return true;
}

bool host_parse_u32(const struct host_prop *p, unsigned long max, uint32_t *out)
{
	char buf[16];
	unsigned long v;
	if (p->val_len >= sizeof(buf))
		return false;
	memcpy(buf, p->val, p->val_len);
	buf[p->val_len] = '\0';
	if (!host_parse_uint(buf, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Splits "kind,k=v,k=v" after the kind; checks keys against the kind's.
 * With file_keys, "edidN=PATH" is allowed too (any characters but ','). */
static vg_host_result split_props(const struct host_ops *ops, const char *spec,
				  struct host_props *props, char *msg,
				  size_t msglen)
{
	size_t name_len = strlen(ops->kind);
	struct host_prop *out = props->v;
	int n = 0;
	const char *p = spec[name_len] ? spec + name_len + 1 : "";
	if (spec[name_len] && spec[strlen(spec) - 1] == ',')
		return host_msg(VG_HOST_REFUSED, msg, msglen,
				"--device '%s' ends in ',' (an empty property; "
				"want PROP=VALUE after each ',')",
				spec);
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		bool known = false;
		bool path = eq && ops->file_keys &&
			    host_edid_file_head(p, (size_t)(eq - p)) >= 0;
		for (size_t k = 0; eq && ops->keys[k]; k++)
			if ((size_t)(eq - p) == strlen(ops->keys[k]) &&
			    !strncmp(p, ops->keys[k], (size_t)(eq - p)))
				known = true;
		known = known || path;
		for (int k = 0; eq && known && k < n; k++)
			if (out[k].key_len == (size_t)(eq - p) &&
			    !strncmp(out[k].key, p, out[k].key_len))
				return host_msg(VG_HOST_REFUSED, msg, msglen,
						"device property '%.*s' given "
						"twice; give each once",
						(int)(eq - p), p);
		if (known && eq && eq != p + len - 1 && n == HOST_MAX_PROPS)
			return host_msg(VG_HOST_REFUSED, msg, msglen,
					"too many device properties (at most "
					"%d, each once)",
					HOST_MAX_PROPS);
		if (!eq || eq == p + len - 1 || !known)
			return host_msg(VG_HOST_REFUSED, msg, msglen,
					"bad device property '%.*s' (want one "
					"of %s as PROP=VALUE)",
					(int)len, p, ops->keys_text);
		/* A PCI address (vfio's addr=0000:00:03.0) has ':' and
		 * '.'; its kind checks the shape. */
		bool pci = (size_t)(eq - p) == 4 && !strncmp(p, "addr", 4);
		for (const char *q = eq + 1; !path && q < p + len; q++)
			if (!((*q >= '0' && *q <= '9') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z') ||
			      (pci && (*q == ':' || *q == '.'))))
				return host_msg(VG_HOST_REFUSED, msg, msglen,
						"bad value in device property "
						"'%.*s'",
						(int)len, p);
		out[n++] = (struct host_prop){p, (size_t)(eq - p), eq + 1,
					      (size_t)(p + len - eq - 1)};
		p = comma ? comma + 1 : p + len;
	}
	props->n = n;
	return VG_HOST_OK;
}

/* The same value ranges on every kind (the device model took 0 as "the
 * default" where QEMU took it literally), and no conflicting pair. */
static vg_host_result check_props(const struct host_props *props, char *msg,
				  size_t msglen)
{
	static const struct {
		const char *key;
		unsigned long min, max;
	} ranges[] = {
		{"xres", HOST_MODE_MIN, HOST_MODE_MAX},
		{"yres", HOST_MODE_MIN, HOST_MODE_MAX},
		{"max_outputs", 1, 16},
		{"max_backing_entries", 1, 1ul << 20},
	};
	bool edid_off = false;
	int edid_file = -1;
	for (int i = 0; i < props->n; i++) {
		const struct host_prop *p = &props->v[i];
		const char *want = NULL;
		char range[64];
		uint64_t size;
		for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]);
		     k++) {
			uint32_t v;
			if (!host_prop_is(p, ranges[k].key))
				continue;
			if (!host_parse_u32(p, ranges[k].max, &v) ||
			    v < ranges[k].min) {
				snprintf(range, sizeof(range), "%lu..%lu",
					 ranges[k].min, ranges[k].max);
				want = range;
			}
		}
		if ((host_prop_is(p, "max_hostmem") ||
		     host_prop_is(p, "mem")) &&
		    !host_parse_size(p, &size))
			want = "1..1T bytes, e.g. 512M or 2G; suffix K, M, G "
			       "or T";
		if (host_prop_is(p, "edid")) {
			if (!(p->val_len == 2 && !strncmp(p->val, "on", 2)) &&
			    !(p->val_len == 3 && !strncmp(p->val, "off", 3)))
				want = "on or off";
			edid_off = p->val_len == 3;
		}
		if (host_edid_file_head(p->key, p->key_len) >= 0)
			edid_file = i;
		if (want)
			return host_msg(VG_HOST_REFUSED, msg, msglen,
					"bad value in device property "
					"'%.*s=%.*s' (want %s)",
					(int)p->key_len, p->key,
					(int)p->val_len, p->val, want);
	}
	if (edid_off && edid_file >= 0)
		return host_msg(VG_HOST_REFUSED, msg, msglen,
				"device properties edid=off and '%.*s=' "
				"conflict (a device without EDID cannot show "
				"one)",
				(int)props->v[edid_file].key_len,
				props->v[edid_file].key);
	return VG_HOST_OK;
}

vg_host_result host_parse_props(const struct host_ops *ops, const char *spec,
				struct host_props *out, char *msg, size_t len)
{
	vg_host_result r = split_props(ops, spec, out, msg, len);
	return r ? r : check_props(out, msg, len);
}

unsigned host_device_heads(const struct vg_host *h, const struct host_props *p)
{
	uint32_t v = 0;
	const struct host_prop *mo = host_find_prop(p, "max_outputs");
	if (mo)
		host_parse_u32(mo, 16, &v);
	return h->req.heads ? h->req.heads : v ? v : 1;
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

/* A configuration this machine cannot hold would grow towards the OOM
 * killer. */
bool host_check_machine_memory(uint64_t need, char *msg, size_t len)
{
	char a[32], b[32];
	uint64_t avail = meminfo_bytes("MemAvailable");
	if (avail && need > avail) {
		host_msg(VG_HOST_REFUSED, msg, len,
			 "this needs about %s of memory, but the machine has "
			 "%s available (use fewer heads or a smaller mode)",
			 vg_host_size_str(need, a, sizeof(a)),
			 vg_host_size_str(avail, b, sizeof(b)));
		return false;
	}
	return true;
}

bool host_check_hostmem(const struct vg_host *h, uint64_t max_hostmem,
			char *msg, size_t len)
{
	char a[32], b[32];
	if (h->req.frame_bytes <= max_hostmem)
		return true;
	host_msg(VG_HOST_REFUSED, msg, len,
		 "a frame of %s is more than max_hostmem=%s the device gives "
		 "2D resources (raise max_hostmem= or use a smaller mode)",
		 vg_host_size_str(h->req.frame_bytes, a, sizeof(a)),
		 vg_host_size_str(max_hostmem, b, sizeof(b)));
	return false;
}
