// SPDX-License-Identifier: MIT
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image.h"
#include "pattern.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("viogpu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

double cli_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool cli_parse_uint(const char *s, unsigned long max, unsigned long *out)
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

int cli_head_option(int argc, char **argv, int *i, unsigned long *head)
{
	if (strcmp(argv[*i], "--head"))
		return 0;
	if (*i + 1 >= argc) {
		cli_error("--head needs a value");
		return -1;
	}
	if (!cli_parse_uint(argv[++*i], 15, head)) {
		cli_error("--head wants 0..15, not '%s'", argv[*i]);
		return -1;
	}
	return 1;
}

bool cli_parse_mode(const char *s, uint32_t *w, uint32_t *h)
{
	char buf[32];
	unsigned long a, b;
	const char *x = s ? strchr(s, 'x') : NULL;
	if (!x || (size_t)(x - s) >= sizeof(buf))
		return false;
	memcpy(buf, s, (size_t)(x - s));
	buf[x - s] = '\0';
	if (!cli_parse_uint(buf, 16384, &a) ||
	    !cli_parse_uint(x + 1, 16384, &b) || a == 0 || b == 0)
		return false;
	*w = (uint32_t)a;
	*h = (uint32_t)b;
	return true;
}

const char *cli_common_help(void)
{
	return "Common options:\n"
	       "  --device qemu[,PROP=VALUE...]  QEMU's virtio-gpu-pci; PROP "
	       "is one of\n"
	       "                       xres, yres, max_outputs, edid (on|off), "
	       "max_hostmem\n"
	       "                       (e.g. "
	       "qemu,xres=7680,yres=4320,max_hostmem=1G)\n"
	       "  --heads N            number of scanouts the device offers "
	       "(1..16)\n"
	       "  --ram MIB            guest RAM for rings and framebuffers\n"
	       "                       (default: enough for the frames asked "
	       "for)\n"
	       "  --verbose, -v        log driver activity (twice: every "
	       "command)\n"
	       "Environment: VIOGPU_QEMU picks the QEMU binary, "
	       "VIOGPU_QEMU_EXTRA_ARGS\n"
	       "appends arguments to its command line.\n";
}

int cli_common_option(struct cli_common *c, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	unsigned long v;

	if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
		c->verbose++;
		return 1;
	}
	if (strcmp(a, "--device") && strcmp(a, "--heads") && strcmp(a, "--ram"))
		return 0;
	if (*i + 1 >= argc) {
		cli_error("%s needs a value", a);
		return -1;
	}
	const char *val = argv[++*i];
	if (!strcmp(a, "--device")) {
		c->device = val;
	} else if (!strcmp(a, "--heads")) {
		if (!cli_parse_uint(val, 16, &v) || v == 0) {
			cli_error(
				"--heads wants a number from 1 to 16, not '%s'",
				val);
			return -1;
		}
		c->heads = (unsigned)v;
	} else {
		if (!cli_parse_uint(val, 2048, &v) || v < 64) {
			cli_error("--ram wants MiB from 64 to 2048, not '%s'",
				  val);
			return -1;
		}
		c->ram_mib = (unsigned)v;
	}
	return 1;
}

static const char *const device_props[] = {
	"xres", "yres", "max_outputs", "edid", "max_hostmem",
};

/* Turns "qemu,a=b,c=d" into "a=b,c=d" after checking each property. */
static bool device_spec_props(const struct cli_common *c, char *out,
			      size_t outlen)
{
	const char *spec = c->device ? c->device : "qemu";
	bool have_outputs = false, have_hostmem = false;
	size_t used = 0;

	out[0] = '\0';
	if (strncmp(spec, "qemu", 4) || (spec[4] && spec[4] != ',')) {
		cli_error("unknown device '%s' (the only device is 'qemu')",
			  spec);
		return false;
	}
	const char *p = spec[4] ? spec + 5 : "";
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		bool known = false;
		for (size_t k = 0; eq && k < 5; k++)
			if ((size_t)(eq - p) == strlen(device_props[k]) &&
			    !strncmp(p, device_props[k], (size_t)(eq - p)))
				known = true;
		if (!eq || eq == p + len - 1 || !known) {
			cli_error("bad device property '%.*s' (want one of "
				  "xres, yres, max_outputs, edid, max_hostmem "
				  "as PROP=VALUE)",
				  (int)len, p);
			return false;
		}
		for (const char *q = eq + 1; q < p + len; q++)
			if (!((*q >= '0' && *q <= '9') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z'))) {
				cli_error("bad value in device property '%.*s'",
					  (int)len, p);
				return false;
			}
		if (!strncmp(p, "max_outputs=", 12))
			have_outputs = true;
		if (!strncmp(p, "max_hostmem=", 12))
			have_hostmem = true;
		if (used + len + 2 >= outlen) {
			cli_error("device properties too long");
			return false;
		}
		used += (size_t)snprintf(out + used, outlen - used, "%s%.*s",
					 used ? "," : "", (int)len, p);
		p = comma ? comma + 1 : p + len;
	}
	if (c->heads && have_outputs) {
		cli_error("give the number of heads once: --heads or "
			  "max_outputs=, not both");
		return false;
	}
	if (c->heads)
		used += (size_t)snprintf(out + used, outlen - used,
					 "%smax_outputs=%u", used ? "," : "",
					 c->heads);
	/* QEMU's default 256 MiB host limit cannot hold two 8K frames at
	 * once, which a mode change needs; raise it unless told. */
	if (!have_hostmem)
		snprintf(out + used, outlen - used, "%smax_hostmem=1G",
			 used ? "," : "");
	return true;
}

int cli_open(const struct cli_common *c, struct cli_session *s)
{
	char props[512];
	vg_status st;

	memset(s, 0, sizeof(*s));
	if (!device_spec_props(c, props, sizeof(props)))
		return CLI_EXIT_USAGE;
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
		.device_props = props,
		.verbose = c->verbose,
	};
	st = vg_qemu_create(&qc, &s->qemu);
	if (st != VG_OK) {
		cli_error("could not start the QEMU device: %s",
			  vg_status_str(st));
		return st == VG_E_NODEV ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	struct vg_gpu_options go = {.verbose = c->verbose};
	st = vg_gpu_create(vg_qemu_os(s->qemu), &go, &s->gpu);
	if (st != VG_OK) {
		cli_error("driver bring-up failed: %s", vg_status_str(st));
		vg_qemu_destroy(s->qemu);
		s->qemu = NULL;
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

void cli_close(struct cli_session *s)
{
	vg_gpu_destroy(s->gpu);
	vg_qemu_destroy(s->qemu);
	memset(s, 0, sizeof(*s));
}

void cli_gpu_error(struct vg_gpu *gpu, const char *what, vg_status st)
{
	struct vg_status_detail d = vg_gpu_last_error(gpu);
	if (st == VG_E_DEVICE)
		cli_error("%s: %s (%s)", what, vg_status_str(st),
			  vg_resp_type_str(d.resp_type));
	else
		cli_error("%s: %s", what, vg_status_str(st));
}

bool cli_check_head(struct vg_gpu *gpu, uint32_t head)
{
	struct vg_gpu_info info;
	vg_gpu_get_info(gpu, &info);
	if (head < info.num_scanouts)
		return true;
	cli_error("head %u is beyond the device's %u scanout(s) "
		  "(use --heads to offer more)",
		  head, info.num_scanouts);
	return false;
}

int cli_set_mode(struct cli_session *s, uint32_t head, uint32_t w, uint32_t h,
		 struct vg_fb **out)
{
	struct vg_fb *fb;
	vg_status st = vg_fb_create(s->gpu, w, h, &fb);
	if (st != VG_OK) {
		cli_gpu_error(s->gpu, "creating the framebuffer", st);
		return CLI_EXIT_FAIL;
	}
	st = vg_gpu_set_scanout(s->gpu, head, fb);
	if (st != VG_OK) {
		cli_gpu_error(s->gpu, "setting the scanout", st);
		vg_fb_destroy(fb);
		return CLI_EXIT_FAIL;
	}
	*out = fb;
	return CLI_EXIT_OK;
}

int cli_screendump_png(struct cli_session *s, uint32_t head, const char *path,
		       const struct vg_fb *expect, uint64_t *mismatches)
{
	uint32_t *px = NULL, w = 0, h = 0;
	char err[256];
	vg_status st = vg_qemu_screendump(s->qemu, head, &px, &w, &h);
	if (st != VG_OK) {
		cli_error("screendump of head %u failed: %s", head,
			  vg_status_str(st));
		return CLI_EXIT_FAIL;
	}
	if (expect && mismatches) {
		uint32_t fx = 0, fy = 0;
		if (w != vg_fb_width(expect) || h != vg_fb_height(expect))
			*mismatches = (uint64_t)w * h + 1;
		else
			*mismatches = vg_pixels_compare(
				px, w * 4, vg_fb_pixels(expect),
				vg_fb_stride(expect), w, h, &fx, &fy);
	}
	int rc = CLI_EXIT_OK;
	if (path && vg_png_write(path, px, w, h, w * 4, err, sizeof(err))) {
		cli_error("%s", err);
		rc = CLI_EXIT_FAIL;
	}
	free(px);
	return rc;
}
