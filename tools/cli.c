// SPDX-License-Identifier: MIT
#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/surface.h"

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image.h"
/* Windows (mingw): no ttys, no non-blocking opens, and no exec to leak
 * descriptors into. */
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif
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
	if (!cli_parse_uint(buf, CLI_MODE_MAX, &a) ||
	    !cli_parse_uint(x + 1, CLI_MODE_MAX, &b) || a < CLI_MODE_MIN ||
	    b < CLI_MODE_MIN)
		return false;
	*w = (uint32_t)a;
	*h = (uint32_t)b;
	return true;
}

unsigned cli_parse_mode_list(const char *opt, const char *s, uint32_t *w,
			     uint32_t *h, unsigned max)
{
	unsigned n = 0;
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char one[32];
		if (n == max) {
			cli_error("%s '%s': at most %u modes", opt, s, max);
			return 0;
		}
		if (len >= sizeof(one)) {
			cli_error("%s: bad mode '%.*s' (want WxH, each %d..%d)",
				  opt, (int)(len > 40 ? 40 : len), p,
				  CLI_MODE_MIN, CLI_MODE_MAX);
			return 0;
		}
		memcpy(one, p, len);
		one[len] = '\0';
		if (!cli_parse_mode(one, &w[n], &h[n])) {
			cli_error(
				"%s: bad mode '%s' (want WxH, e.g. 1920x1080, "
				"each %d..%d)",
				opt, one, CLI_MODE_MIN, CLI_MODE_MAX);
			return 0;
		}
		n++;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

uint32_t cli_timeout_ms(const struct cli_common *c)
{
	if (c->timeout_ms)
		return c->timeout_ms;
	uint64_t ms = CLI_TIMEOUT_BASE_MS +
		      (c->frame_bytes >> 20) * CLI_TIMEOUT_MS_PER_MIB;
	return ms > 600000 ? 600000 : (uint32_t)ms;
}

const char *cli_size_str(uint64_t bytes, char *buf, size_t n)
{
	/* One way to write sizes: the host layer's messages use it too. */
	return vg_host_size_str(bytes, buf, n);
}

bool cli_check_out(const char *opt, const char *path)
{
	struct stat st;
	if (!*path) {
		cli_error("%s wants a file name, not ''", opt);
		return false;
	}
	if (strlen(path) >= PATH_MAX) {
		cli_error("%s: the name is %zu characters long (at most %d)",
			  opt, strlen(path), PATH_MAX - 1);
		return false;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		cli_error("%s '%s' is a directory (want a file name)", opt,
			  path);
		return false;
	}
	/* Probe: an existing file is opened for writing but not truncated;
	 * a new one is created and removed again. */
	bool existed = stat(path, &st) == 0;
	int fd = open(path,
		      O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
			      (existed ? 0 : O_CREAT | O_EXCL),
		      0600);
	if (fd < 0) {
		int e = errno;
		cli_error("%s '%.200s%s': cannot write there: %s", opt, path,
			  strlen(path) > 200 ? "..." : "", strerror(e));
		return false;
	}
	close(fd);
	if (!existed)
		unlink(path);
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
	       "                       xres, yres 16..16384, max_outputs "
	       "1..16, max_hostmem\n"
	       "                       1..1T bytes (suffix K, M, G, T); each "
	       "PROP at most once\n"
	       "  --heads N            number of scanouts the device offers "
	       "(1..16)\n"
	       "  --ram MIB            (qemu) guest RAM for rings and "
	       "framebuffers, 64..2048\n"
	       "                       (default: enough for the frames asked "
	       "for)\n"
	       "  --timeout MS         give up on a device command after MS "
	       "(1..600000; default\n"
	       "                       5000 plus 20 per MiB of the largest "
	       "frame); a hung device\n"
	       "                       is then reset and the display rebuilt; "
	       "QEMU itself gets\n"
	       "                       the larger of 10 s and MS to start\n"
	       "  --stats              print the driver's and device's "
	       "counters at the end\n"
	       "  --verbose, -v        log driver activity (twice: every "
	       "command)\n"
	       "Common options may also come before the command.  A mode is "
	       "WxH, each side\n"
	       "16..16384 (QEMU refuses a scanout under 16 pixels).\n"
	       "Environment: VIOGPU_QEMU picks the QEMU binary, "
	       "VIOGPU_QEMU_EXTRA_ARGS\n"
	       "appends arguments to its command line.\n"
	       "Exit codes: 0 the command did what it says; 1 the device or "
	       "the driver\n"
	       "failed, or the picture was wrong; 2 bad input, conflicting "
	       "settings or more\n"
	       "than this machine or device can take, refused before "
	       "anything started.\n";
}

bool cli_check_repeats(int argc, char **argv, const char *const *with_value)
{
	static const char *const common[] = {
		"--device", "--faults", "--timeout", "--heads", "--ram", NULL};
	for (int i = 1; i < argc; i++) {
		bool value = false;
		for (int k = 0; common[k] && !value; k++)
			value = !strcmp(argv[i], common[k]);
		for (int k = 0; with_value && with_value[k] && !value; k++)
			value = !strcmp(argv[i], with_value[k]);
		if (!value)
			continue;
		for (int j = 1; j < i; j++)
			if (!strcmp(argv[j], argv[i]) && i + 1 < argc) {
				cli_error(
					"%s given twice (the second is '%s'); "
					"give it once",
					argv[i], argv[i + 1]);
				return false;
			}
		i++; /* its value */
	}
	return true;
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
	bool again = !strcmp(a, "--device")    ? c->device != NULL
		     : !strcmp(a, "--faults")  ? c->faults != NULL
		     : !strcmp(a, "--timeout") ? c->timeout_ms != 0
		     : !strcmp(a, "--heads")   ? c->heads != 0
					       : c->ram_mib != 0;
	if (again) {
		cli_error("%s given twice (the second is '%s'); give it once",
			  a, val);
		return -1;
	}
	if (!strcmp(a, "--device")) {
		c->device = val;
	} else if (!strcmp(a, "--faults")) {
		if (!*val) {
			cli_error(
				"--faults wants a spec such as 'stall:cmd=9', "
				"not ''");
			return -1;
		}
		c->faults = val;
	} else if (!strcmp(a, "--timeout")) {
		if (!cli_parse_uint(val, 600000, &v) || v == 0) {
			cli_error("--timeout wants milliseconds 1..600000, "
				  "not '%s'",
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
	if (st == VG_E_TIMEOUT)
		cli_error("%s: %s (a slow host needs a larger --timeout)", what,
			  vg_status_str(st));
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
	char size[32];
	vg_status st = vg_gpu_check_mode(s->gpu, head, w, h);
	if (st != VG_OK) {
		cli_error("mode %ux%u is more than head %u can take (each side "
			  "%d..%d, a frame at most %s of host memory)",
			  w, h, head, CLI_MODE_MIN, CLI_MODE_MAX,
			  cli_size_str(s->host_mem, size, sizeof(size)));
		return CLI_EXIT_USAGE;
	}
	st = vg_fb_create(s->gpu, w, h, &fb);
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
	vg_status st = vg_host_screendump(s->host, head, &px, &w, &h);
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

int cli_open(const struct cli_common *c, struct cli_session *s)
{
	struct vg_host_request rq = {
		.device = c->device,
		.faults = c->faults,
		.heads = c->heads,
		.ram_mib = c->ram_mib,
		.frame_bytes = c->frame_bytes,
		.frame_heads = c->frame_heads,
		.timeout_ms = cli_timeout_ms(c),
		.verbose = c->verbose,
		.auto_recover = true,
	};
	char msg[768];

	memset(s, 0, sizeof(*s));
	s->stats = c->stats;
	vg_host_result r = vg_host_prepare(&rq, &s->host, msg, sizeof(msg));
	if (r == VG_HOST_OK) {
		if (c->verbose)
			fprintf(stderr, "viogpu: command timeout %u ms (%s)\n",
				cli_timeout_ms(c),
				c->timeout_ms ? "--timeout"
					      : "default: 5000 + 20 per MiB "
						"of frame");
		r = vg_host_start(s->host, msg, sizeof(msg));
	}
	if (r != VG_HOST_OK) {
		cli_error("%s", msg);
		vg_host_close(s->host);
		memset(s, 0, sizeof(*s));
		return r == VG_HOST_REFUSED ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	s->gpu = vg_host_gpu(s->host);
	s->host_mem = vg_host_max_hostmem(s->host);
	return CLI_EXIT_OK;
}

void cli_print_stats(struct cli_session *s)
{
	struct vg_host_counters hc;
	vg_host_counters(s->host, &hc);
	const struct vg_gpu_stats *g = &hc.driver;
	printf("driver:   %llu commands, %llu doorbells (%llu suppressed), "
	       "%llu interrupts\n",
	       (unsigned long long)g->commands, (unsigned long long)g->notifies,
	       (unsigned long long)g->notifies_suppressed,
	       (unsigned long long)g->interrupts);
	printf("calls that failed:          %llu device refusals (ERR_*), "
	       "%llu timeouts\n",
	       (unsigned long long)g->device_errors,
	       (unsigned long long)g->timeouts);
	printf("device protocol violations: %llu bad responses, %llu bogus "
	       "used-ring entries, %llu late completions\n",
	       (unsigned long long)g->bad_responses,
	       (unsigned long long)g->bad_used_entries,
	       (unsigned long long)g->late_completions);
	printf("recoveries:                 %llu device resets\n",
	       (unsigned long long)g->resets);
	printf("held:     %u resources, %llu bytes of backing\n",
	       g->live_resources, (unsigned long long)g->live_backing_bytes);
	const unsigned all = VG_HOST_DEV_COMMANDS | VG_HOST_DEV_HOLDS |
			     VG_HOST_DEV_INTERRUPTS;
	if ((hc.device_has & all) == all) {
		/* The device counts every reset it sees: the driver's at
		 * bring-up (and at each D0) as well as its recoveries. */
		printf("%s: %llu commands, %llu errors sent, %llu "
		       "faults injected, %llu interrupts, %llu resets "
		       "(bring-up "
		       "included); holds %u resources, %u backings, %llu "
		       "bytes\n",
		       hc.device_name, (unsigned long long)hc.device.commands,
		       (unsigned long long)hc.device.error_responses,
		       (unsigned long long)hc.device.faults_injected,
		       (unsigned long long)hc.device.interrupts,
		       (unsigned long long)hc.device.resets,
		       hc.device.live_resources, hc.device.attached_backings,
		       (unsigned long long)hc.device.hostmem_bytes);
	}
}

void cli_close(struct cli_session *s)
{
	if (s->gpu && s->stats)
		cli_print_stats(s);
	vg_host_close(s->host);
	memset(s, 0, sizeof(*s));
}
