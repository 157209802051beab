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
	       "  --device sim[,PROP=VALUE...]   the in-process device model; "
	       "PROP is one of\n"
	       "                       xres, yres, max_outputs, edid (on|off), "
	       "max_hostmem,\n"
	       "                       max_backing_entries, edidN=FILE (head N "
	       "shows\n"
	       "                       that EDID, e.g. a real monitor's)\n"
	       "  --faults SPEC        (sim) misbehave on command, e.g. "
	       "'stall:cmd=9' or\n"
	       "                       "
	       "'error:type=RESOURCE_CREATE_2D@ERR_OUT_OF_MEMORY';\n"
	       "                       terms KIND[:SELECTOR][@ARG], see "
	       "README\n"
	       "  --heads N            number of scanouts the device offers "
	       "(1..16)\n"
	       "  --ram MIB            guest RAM for rings and framebuffers\n"
	       "                       (default: enough for the frames asked "
	       "for)\n"
	       "  --timeout MS         give up on a device command after MS "
	       "(default 5000);\n"
	       "                       a hung device is then reset and the "
	       "display rebuilt\n"
	       "  --stats              print the driver's and device's "
	       "counters at the end\n"
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

	if (!strcmp(a, "--verbose")) {
		c->verbose++;
		return 1;
	}
	if (a[0] == '-' && a[1] == 'v' && strspn(a + 1, "v") == strlen(a + 1)) {
		c->verbose += (int)strlen(a + 1); /* -v, -vv, ... */
		return 1;
	}
	if (!strcmp(a, "--stats")) {
		c->stats = true;
		return 1;
	}
	if (strcmp(a, "--device") && strcmp(a, "--heads") &&
	    strcmp(a, "--ram") && strcmp(a, "--faults") &&
	    strcmp(a, "--timeout"))
		return 0;
	if (*i + 1 >= argc) {
		cli_error("%s needs a value", a);
		return -1;
	}
	const char *val = argv[++*i];
	if (!strcmp(a, "--device")) {
		c->device = val;
	} else if (!strcmp(a, "--faults")) {
		c->faults = val;
	} else if (!strcmp(a, "--timeout")) {
		if (!cli_parse_uint(val, 600000, &v) || v == 0) {
			cli_error("--timeout wants milliseconds, not '%s'",
				  val);
			return -1;
		}
		c->timeout_ms = (uint32_t)v;
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

void cli_gpu_error(struct vg_gpu *gpu, const char *what, vg_status st)
{
	/* A device refusal's status names its response code. */
	(void)gpu;
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
	vg_status st = cli_device_screendump(s, head, &px, &w, &h);
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

int cli_other_option(struct cli_common *c, int argc, char **argv, int *i,
		     const char *cmd)
{
	int r = cli_common_option(c, argc, argv, i);
	if (r > 0)
		return CLI_EXIT_OK;
	if (r == 0)
		cli_error("%s: unknown option '%s'", cmd, argv[*i]);
	return CLI_EXIT_USAGE;
}
