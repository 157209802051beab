/* SPDX-License-Identifier: MIT */
/* Shared pieces of the viogpu command-line tool. */
#ifndef VG_CLI_H
#define VG_CLI_H

#include "viogpu/format.h"
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/host.h"

/* Exit codes: 0 the job did what it says, 1 the device or driver failed
 * (or the picture was wrong), 2 bad input or a setting this machine or
 * device cannot take, refused before anything started. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

struct cli_common {
	const char *device;  /* "qemu|sim[,PROP=VALUE...]" */
	const char *faults;  /* sim fault spec */
	uint32_t timeout_ms; /* 0: the driver's default */
	bool stats;	     /* print counters at the end */
	unsigned heads;	     /* 0: device default */
	int verbose;
	unsigned ram_mib;     /* guest RAM; 0: sized from the largest frame */
	uint64_t frame_bytes; /* largest frame the command will create */
	unsigned frame_heads; /* heads showing such a frame at once; 0: 1 */
};

/* Each side of a mode: QEMU 7.2 refuses a scanout under 16 pixels a side
 * (the core's vg_gpu_check_mode does too), 16384 is virtio-gpu's limit. */
#define CLI_MODE_MIN 16
#define CLI_MODE_MAX 16384
/* The driver's command timeout when --timeout is not given: 5 s plus 20 ms
 * per MiB of the largest frame (a 16K frame on QEMU/TCG needs ~15 s). */
#define CLI_TIMEOUT_BASE_MS 5000u
#define CLI_TIMEOUT_MS_PER_MIB 20u
/* A device with the driver on it, through the host layer
 * (include/viogpu/host.h): no command asks which kind it is. */
struct cli_session {
	struct vg_host *host;
	struct vg_gpu *gpu; /* vg_host_gpu(host) */
	bool stats;
	uint64_t host_mem; /* what the device gives 2D resources */
};

/* Parses a common option at argv[*i]; returns 1 if consumed (advancing
 * *i past its value), 0 if not common, -1 after printing an error. */
int cli_common_option(struct cli_common *c, int argc, char **argv, int *i);
/* The last option a command knows: a common one (consumed, returns 0),
 * or else one line "CMD: unknown option" and CLI_EXIT_USAGE. */
int cli_other_option(struct cli_common *c, int argc, char **argv, int *i,
		     const char *cmd);
/* Refuses an option given twice (the last silently winning is worse):
 * with_value lists the command's own options that take a value (NULL
 * terminated); the common ones are known.  Prints one line and returns
 * false on a repeat. */
bool cli_check_repeats(int argc, char **argv, const char *const *with_value);
/* The help text of the common options. */
const char *cli_common_help(void);

/* Starts the device and the driver through the host layer.  Prints one
 * line and returns CLI_EXIT_USAGE for bad --device/--faults text or a
 * missing QEMU (VG_HOST_REFUSED), CLI_EXIT_FAIL otherwise. */
int cli_open(const struct cli_common *c, struct cli_session *s);
/* Prints the counters if --stats, stops the driver and the device. */
void cli_close(struct cli_session *s);
/* The driver's counters, and the device's own where it has them. */
void cli_print_stats(struct cli_session *s);

/* The command timeout in effect: --timeout, or the default for the
 * largest frame the command will create. */
uint32_t cli_timeout_ms(const struct cli_common *c);
/* Checks an output file name before anything starts: not empty, not too
 * long, not a directory, in an existing directory we can create files in
 * (probed with open(), a new file removed again).  Prints one line naming
 * opt and returns false if not. */
bool cli_check_out(const char *opt, const char *path);
/* "1 byte", "4095 bytes", "1 KiB", "300 MiB", "1.5 GiB": exact below
 * 1 MiB. */
const char *cli_size_str(uint64_t bytes, char *buf, size_t n);
/* Parses "WxH" (CLI_MODE_MIN..CLI_MODE_MAX each). */
bool cli_parse_mode(const char *s, uint32_t *w, uint32_t *h);
/* Parses "WxH[,WxH...]" (at most max, none empty) into w[], h[]; prints
 * one line naming opt and returns 0 on bad input, else the count. */
unsigned cli_parse_mode_list(const char *opt, const char *s, uint32_t *w,
			     uint32_t *h, unsigned max);
bool cli_parse_uint(const char *s, unsigned long max, unsigned long *out);
/* If argv[*i] is "--head", parses its value into *head: returns 1 when
 * consumed, 0 when argv[*i] is something else, -1 after printing an
 * error. */
int cli_head_option(int argc, char **argv, int *i, unsigned long *head);
/* One "viogpu: ..." line on stderr. */
void cli_error(const char *fmt, ...) VG_PRINTF(1, 2);
/* Reports a failed driver call with the device's response code. */
void cli_gpu_error(struct vg_gpu *gpu, const char *what, vg_status st);
/* Checks head against the device; prints and returns false if beyond. */
bool cli_check_head(struct vg_gpu *gpu, uint32_t head);
double cli_now_ms(void);

/* Sets a mode on head: a framebuffer of w x h shown there. */
int cli_set_mode(struct cli_session *s, uint32_t head, uint32_t w, uint32_t h,
		 struct vg_fb **out);
/* Screendumps head into a PNG; optionally compares with fb first. */
int cli_screendump_png(struct cli_session *s, uint32_t head, const char *path,
		       const struct vg_fb *expect, uint64_t *mismatches);

int cmd_info(int argc, char **argv);
int cmd_edid(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_power_cycle(int argc, char **argv);
int cmd_modes(int argc, char **argv);
int cmd_follow(int argc, char **argv);
int cmd_wddm(int argc, char **argv);
int cmd_draw(int argc, char **argv);

#endif
