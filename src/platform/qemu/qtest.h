/* SPDX-License-Identifier: MIT */
/*
 * The qtest line protocol over a connected socket.
 *
 * One command is outstanding at a time (callers are serialized); a reader
 * thread reads every line: "IRQ raise N" / "IRQ lower N" go to the irq
 * hook, anything else answers the outstanding command.  Hooks run on the
 * reader thread and must not block or issue qtest commands.
 */
#ifndef VIOGPU_QEMU_QTEST_H
#define VIOGPU_QEMU_QTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/status.h"

struct vgq_qtest;

struct vgq_qtest_hooks {
	/* An interrupt line changed level. */
	void (*irq)(void *ctx, unsigned line, bool raised);
	/* The connection is gone (EOF, error, or a command timed out);
	 * called exactly once.  expected: vgq_qtest_expect_eof was called. */
	void (*dead)(void *ctx, bool expected, const char *why);
	void *ctx;
};

/* Takes fd (not its ownership: the caller closes it after stop).  A
 * command not answered within timeout_ms (0: 30000) makes the connection
 * dead: the stream is out of step from then on. */
vg_status vgq_qtest_start(struct vgq_qtest **out, int fd,
			  const struct vgq_qtest_hooks *hooks, int verbose,
			  unsigned timeout_ms);
/* Shuts the socket down, joins the reader, frees.  Accepts NULL. */
void vgq_qtest_stop(struct vgq_qtest *qt);
/* From now on EOF is a normal shutdown (passed to the dead hook). */
void vgq_qtest_expect_eof(struct vgq_qtest *qt);
bool vgq_qtest_is_dead(struct vgq_qtest *qt);

/*
 * Sends one command line (no newline) and waits for its answer.  "OK" and
 * "OK <number>" succeed (*val gets the number or 0; val may be NULL);
 * "FAIL..." is VG_E_IO; a dead connection is VG_E_NODEV.
 */
vg_status vgq_qtest_cmd(struct vgq_qtest *qt, const char *line, uint64_t *val);

/* Guest-physical memory/MMIO access; width 1, 2, 4 or 8. */
vg_status vgq_qtest_read(struct vgq_qtest *qt, uint64_t addr, unsigned width,
			 uint64_t *val);
/* A posted write: sent in order with the other commands, but returns
 * without waiting for QEMU's answer (the reader checks and drops it when
 * it comes).  For a QEMU that is stopped (vg_qemu_pause). */
vg_status vgq_qtest_post_write(struct vgq_qtest *qt, uint64_t addr,
			       unsigned width, uint64_t val);
vg_status vgq_qtest_write(struct vgq_qtest *qt, uint64_t addr, unsigned width,
			  uint64_t val);
/* I/O ports; width 1, 2 or 4. */
vg_status vgq_qtest_in(struct vgq_qtest *qt, uint16_t port, unsigned width,
		       uint32_t *val);
vg_status vgq_qtest_out(struct vgq_qtest *qt, uint16_t port, unsigned width,
			uint32_t val);

#endif
