// SPDX-License-Identifier: MIT
/*
 * Fault injection language (vg_sim_config.faults).
 *
 *   spec     := term { "," term }
 *   term     := KIND [ ":" selector ] [ "@" ARG ]
 *   selector := "cmd=" N      the Nth control command since vg_sim_create
 *                             (1-based; device resets do not restart the
 *                             count; bring-up sends GET_DISPLAY_INFO = 1,
 *                             then one GET_EDID per head)
 *             | "type=" NAME  every command of that type, on either queue;
 *                             NAME is RESOURCE_CREATE_2D, MOVE_CURSOR, ...
 *                             (a VIRTIO_GPU_CMD_ prefix is allowed) or the
 *                             value in hex (0x0101)
 *             | "every=" N    control commands N, 2N, 3N, ...
 *   Without a selector a term applies to every control command.
 *   Whitespace around terms is ignored; names are case-insensitive.
 *
 *   KIND            ARG   effect on a matching command
 *   delay@MS        ms    executed at once, completed MS milliseconds later
 *   late@MS         ms    the same; meant for MS > the driver's timeout, so
 *                         the completion arrives after the driver gave up
 *   drop            -     neither executed nor ever completed
 *   error@CODE      code  not executed; answered with CODE: ERR_UNSPEC,
 *                         ERR_OUT_OF_MEMORY, ERR_INVALID_SCANOUT_ID,
 *                         ERR_INVALID_RESOURCE_ID, ERR_INVALID_PARAMETER
 *                         (VIRTIO_GPU_RESP_ prefix allowed) or hex 0x12NN
 *   short           -     used len 8: less than a response header
 *   oversize        -     used len 0xffffffff: far beyond any buffer
 *   wrongtype       -     answered with an OK type that does not fit the
 *                         command (OK_DISPLAY_INFO for a NODATA command,
 *                         OK_NODATA otherwise)
 *   badid           -     an extra used entry whose id is no chain head is
 *                         pushed before the real completion
 *   badlen          -     used len one more than the writable buffers
 *   spurious-irq    -     an interrupt (ISR bit 0) with nothing new, raised
 *                         before the command is processed
 *   lost-irq        -     completed without raising the interrupt
 *   stall           -     the device stops processing anything (this
 *                         command included) until a reset
 *   needs-reset     -     the device sets DEVICE_NEEDS_RESET, raises a
 *                         config interrupt and stops until a reset
 *   event-storm@N   count N display-change events (events_read |=
 *                         DISPLAY, config interrupt), then the command
 *                         runs normally
 *   edid-size@N     bytes a GET_EDID answer claims an EDID of N bytes (the
 *                         1024-byte field holds the real one): a size
 *                         beyond the field is a lie the driver must
 *                         refuse; other commands run normally
 *
 * Several terms may match one command: the effects combine (the longest
 * delay, the first error code, the first response lie).  Each matching
 * term counts once in faults_injected.  The cursor queue has no responses,
 * so error/short/oversize/wrongtype/badlen do nothing there (but still
 * count).  A reset clears stall and needs-reset and drops every pending
 * delayed completion (it is never written after the reset).
 */
#include "sim_faults.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "viogpu/sim.h"
#include "wire.h"

struct name_val {
	const char *name;
	uint32_t val;
};

static const struct name_val kinds[] = {
	{"delay", SIM_FAULT_DELAY},
	{"drop", SIM_FAULT_DROP},
	{"late", SIM_FAULT_LATE},
	{"error", SIM_FAULT_ERROR},
	{"short", SIM_FAULT_SHORT},
	{"oversize", SIM_FAULT_OVERSIZE},
	{"wrongtype", SIM_FAULT_WRONGTYPE},
	{"badid", SIM_FAULT_BADID},
	{"badlen", SIM_FAULT_BADLEN},
	{"spurious-irq", SIM_FAULT_SPURIOUS_IRQ},
	{"lost-irq", SIM_FAULT_LOST_IRQ},
	{"stall", SIM_FAULT_STALL},
	{"needs-reset", SIM_FAULT_NEEDS_RESET},
	{"event-storm", SIM_FAULT_EVENT_STORM},
	{"edid-size", SIM_FAULT_EDID_SIZE},
};

static const struct name_val cmd_types[] = {
	{"GET_DISPLAY_INFO", VG_CMD_GET_DISPLAY_INFO},
	{"RESOURCE_CREATE_2D", VG_CMD_RESOURCE_CREATE_2D},
	{"RESOURCE_UNREF", VG_CMD_RESOURCE_UNREF},
	{"SET_SCANOUT", VG_CMD_SET_SCANOUT},
	{"RESOURCE_FLUSH", VG_CMD_RESOURCE_FLUSH},
	{"TRANSFER_TO_HOST_2D", VG_CMD_TRANSFER_TO_HOST_2D},
	{"RESOURCE_ATTACH_BACKING", VG_CMD_RESOURCE_ATTACH_BACKING},
	{"RESOURCE_DETACH_BACKING", VG_CMD_RESOURCE_DETACH_BACKING},
	{"GET_CAPSET_INFO", VG_CMD_GET_CAPSET_INFO},
	{"GET_CAPSET", VG_CMD_GET_CAPSET},
	{"GET_EDID", VG_CMD_GET_EDID},
	{"UPDATE_CURSOR", VG_CMD_UPDATE_CURSOR},
	{"MOVE_CURSOR", VG_CMD_MOVE_CURSOR},
};

static const struct name_val err_codes[] = {
	{"ERR_UNSPEC", VG_RESP_ERR_UNSPEC},
	{"ERR_OUT_OF_MEMORY", VG_RESP_ERR_OUT_OF_MEMORY},
	{"ERR_INVALID_SCANOUT_ID", VG_RESP_ERR_INVALID_SCANOUT_ID},
	{"ERR_INVALID_RESOURCE_ID", VG_RESP_ERR_INVALID_RESOURCE_ID},
	{"ERR_INVALID_PARAMETER", VG_RESP_ERR_INVALID_PARAMETER},
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Looks s (len bytes) up, after an optional prefix; -1 if unknown. */
static long lookup(const struct name_val *tab, size_t n, const char *prefix,
		   const char *s, size_t len)
{
	size_t pl = prefix ? strlen(prefix) : 0;
	if (pl && len > pl && strncasecmp(s, prefix, pl) == 0) {
		s += pl;
		len -= pl;
	}
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].name) == len &&
		    strncasecmp(s, tab[i].name, len) == 0)
			return (long)tab[i].val;
	return -1;
}

/* A decimal (or 0x hex) number filling s[0..len), > 0 and <= max. */
static bool parse_num(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	char buf[32];
	char *end;

	if (len == 0 || len >= sizeof(buf) || s[0] == '-' || s[0] == '+')
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 0);
	if (errno || *end || v == 0 || v > max)
		return false;
	*out = v;
	return true;
}

static bool kind_has_arg(enum sim_fault_kind k)
{
	return k == SIM_FAULT_DELAY || k == SIM_FAULT_LATE ||
	       k == SIM_FAULT_ERROR || k == SIM_FAULT_EVENT_STORM ||
	       k == SIM_FAULT_EDID_SIZE;
}

/* Parses one term s[0..len); on error returns a reason. */
static const char *parse_term(const char *s, size_t len, struct sim_fault *f)
{
	const char *at = memchr(s, '@', len);
	size_t head_len = at ? (size_t)(at - s) : len;
	const char *colon = memchr(s, ':', head_len);
	size_t kind_len = colon ? (size_t)(colon - s) : head_len;
	uint64_t v;

	memset(f, 0, sizeof(*f));
	/* KIND[:SELECTOR][@ARG]: one selector, and it comes before '@'. */
	if (at && memchr(at + 1, ':', len - head_len - 1))
		return "the selector goes before the argument "
		       "(KIND:SELECTOR@ARG)";
	if (at && memchr(at + 1, '@', len - head_len - 1))
		return "one @argument per term";
	if (colon && memchr(colon + 1, ':', head_len - kind_len - 1))
		return "one selector per term (cmd=N, type=NAME or every=N); "
		       "give two terms for two";
	long k = lookup(kinds, N_ELEMS(kinds), NULL, s, kind_len);
	if (k < 0)
		return "unknown fault kind";
	f->kind = (enum sim_fault_kind)k;

	if (colon) {
		const char *sel = colon + 1;
		size_t sl = head_len - kind_len - 1;
		const char *eq = memchr(sel, '=', sl);
		if (!eq)
			return "selector must be cmd=N, type=NAME or every=N";
		size_t nl = (size_t)(eq - sel), vl = sl - nl - 1;
		const char *val = eq + 1;
		if (nl == 3 && strncasecmp(sel, "cmd", 3) == 0) {
			f->sel = SIM_SEL_CMD;
			if (!parse_num(val, vl, UINT64_MAX, &f->sel_arg))
				return "cmd= needs a number 1..2^64-1";
		} else if (nl == 5 && strncasecmp(sel, "every", 5) == 0) {
			f->sel = SIM_SEL_EVERY;
			if (!parse_num(val, vl, UINT64_MAX, &f->sel_arg))
				return "every= needs a number 1..2^64-1";
		} else if (nl == 4 && strncasecmp(sel, "type", 4) == 0) {
			f->sel = SIM_SEL_TYPE;
			long t = lookup(cmd_types, N_ELEMS(cmd_types),
					"VIRTIO_GPU_CMD_", val, vl);
			if (t >= 0)
				f->sel_arg = (uint64_t)t;
			else if (vl > 2 && val[0] == '0' &&
				 (val[1] == 'x' || val[1] == 'X') &&
				 parse_num(val, vl, 0xffffffffu, &v))
				f->sel_arg = v;
			else
				return "unknown command type";
		} else {
			return "selector must be cmd=N, type=NAME or every=N";
		}
	}

	if (!kind_has_arg(f->kind)) {
		if (at)
			return "this kind takes no @argument";
		return NULL;
	}
	if (!at)
		return "this kind needs an @argument";
	const char *arg = at + 1;
	size_t al = len - head_len - 1;
	if (f->kind == SIM_FAULT_ERROR) {
		long e = lookup(err_codes, N_ELEMS(err_codes),
				"VIRTIO_GPU_RESP_", arg, al);
		if (e < 0 && parse_num(arg, al, 0xffffffffu, &v) &&
		    v >= VG_RESP_ERR_UNSPEC && v <= 0x12ff)
			e = (long)v;
		if (e < 0)
			return "unknown error code";
		f->arg = (uint32_t)e;
	} else if (f->kind == SIM_FAULT_EVENT_STORM) {
		if (!parse_num(arg, al, 100000, &v))
			return "event-storm needs a count 1..100000";
		f->arg = (uint32_t)v;
	} else if (f->kind == SIM_FAULT_EDID_SIZE) {
		if (!parse_num(arg, al, 0xffffffffu, &v))
			return "edid-size needs bytes 1..4294967295";
		f->arg = (uint32_t)v;
	} else {
		if (!parse_num(arg, al, 3600000, &v))
			return "needs milliseconds 1..3600000";
		f->arg = (uint32_t)v;
	}
	return NULL;
}

/* Parses spec into out; on a bad term one line naming it goes into why
 * (NULL: stderr). */
static vg_status parse_spec(const char *spec, struct sim_faults *out,
			    char *why_buf, size_t why_len)
{
	memset(out, 0, sizeof(*out));
	if (!spec || !*spec)
		return VG_OK;

	unsigned cap = 1;
	for (const char *p = spec; *p; p++)
		cap += *p == ',';
	out->v = calloc(cap, sizeof(*out->v));
	if (!out->v)
		return VG_E_NOMEM;

	const char *p = spec;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *t = p;
		while (len && isspace((unsigned char)*t)) {
			t++;
			len--;
		}
		while (len && isspace((unsigned char)t[len - 1]))
			len--;
		const char *why = len ? parse_term(t, len, &out->v[out->n])
				      : "empty term";
		if (why) {
			if (why_buf)
				snprintf(why_buf, why_len,
					 "bad fault term '%.*s': %s", (int)len,
					 t, why);
			else
				fprintf(stderr,
					"viogpu-sim: bad fault term '%.*s': "
					"%s\n",
					(int)len, t, why);
			sim_faults_free(out);
			return VG_E_INVAL;
		}
		out->n++;
		if (!end)
			break;
		p = end + 1;
	}
	return VG_OK;
}

vg_status sim_faults_parse(const char *spec, struct sim_faults *out)
{
	return parse_spec(spec, out, NULL, 0);
}

vg_status vg_sim_check_faults(const char *spec, char *why, size_t why_len)
{
	struct sim_faults f;
	vg_status st = parse_spec(spec, &f, why, why_len);
	if (st == VG_E_NOMEM && why && why_len)
		snprintf(why, why_len, "out of memory");
	sim_faults_free(&f);
	return st;
}

void sim_faults_free(struct sim_faults *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static bool term_matches(const struct sim_fault *f, uint64_t ctrl_seq,
			 uint32_t type)
{
	switch (f->sel) {
	case SIM_SEL_ALL:
		return ctrl_seq != 0;
	case SIM_SEL_CMD:
		return ctrl_seq == f->sel_arg;
	case SIM_SEL_EVERY:
		return ctrl_seq != 0 && ctrl_seq % f->sel_arg == 0;
	case SIM_SEL_TYPE:
		return type == f->sel_arg;
	}
	return false;
}

void sim_faults_match(const struct sim_faults *f, uint64_t ctrl_seq,
		      uint32_t type, struct sim_fault_action *act)
{
	memset(act, 0, sizeof(*act));
	for (unsigned i = 0; i < f->n; i++) {
		const struct sim_fault *t = &f->v[i];
		if (!term_matches(t, ctrl_seq, type))
			continue;
		act->matched++;
		switch (t->kind) {
		case SIM_FAULT_DELAY:
		case SIM_FAULT_LATE:
			if (t->arg > act->delay_ms)
				act->delay_ms = t->arg;
			break;
		case SIM_FAULT_DROP:
			act->drop = true;
			break;
		case SIM_FAULT_ERROR:
			if (!act->error)
				act->error = t->arg;
			break;
		case SIM_FAULT_SHORT:
		case SIM_FAULT_OVERSIZE:
		case SIM_FAULT_WRONGTYPE:
		case SIM_FAULT_BADLEN:
			if (act->lie == SIM_LIE_NONE)
				act->lie = t->kind == SIM_FAULT_SHORT
						   ? SIM_LIE_SHORT
					   : t->kind == SIM_FAULT_OVERSIZE
						   ? SIM_LIE_OVERSIZE
					   : t->kind == SIM_FAULT_WRONGTYPE
						   ? SIM_LIE_WRONGTYPE
						   : SIM_LIE_BADLEN;
			break;
		case SIM_FAULT_BADID:
			act->badid = true;
			break;
		case SIM_FAULT_SPURIOUS_IRQ:
			act->spurious_irq = true;
			break;
		case SIM_FAULT_LOST_IRQ:
			act->lost_irq = true;
			break;
		case SIM_FAULT_STALL:
			act->stall = true;
			break;
		case SIM_FAULT_NEEDS_RESET:
			act->needs_reset = true;
			break;
		case SIM_FAULT_EVENT_STORM:
			act->storm += t->arg;
			break;
		case SIM_FAULT_EDID_SIZE:
			if (!act->edid_size)
				act->edid_size = t->arg;
			break;
		}
	}
}
