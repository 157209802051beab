/* SPDX-License-Identifier: MIT */
/*
 * The "qemu" platform: QEMU's real virtio-gpu-pci device, started by us.
 *
 * qemu-system-x86_64 runs q35 with -accel tcg -S (the guest CPUs never run;
 * we are the guest OS).  Guest RAM is a memfd that QEMU inherits and maps
 * (memory-backend-file,mem-path=/proc/self/fd/N,share=on) and we map too,
 * so rings, commands and framebuffers are plain memory for both sides.  PCI
 * config space and BAR MMIO go over the qtest socket; the device's INTx
 * line is intercepted over qtest and delivered to the core's ISR.
 * Screendumps go over QMP into a second inherited memfd.
 *
 * Clean-up is complete on every exit path: vg_qemu_destroy, a normal
 * exit(), SIGINT/SIGTERM/SIGHUP, and our own death (QEMU gets SIGKILL via
 * PR_SET_PDEATHSIG; QEMU's own children, if VIOGPU_QEMU is a wrapper, are
 * killed with its process group on the other paths).  Guest RAM and
 * screendumps have no name in the file system, so no other user can open
 * them and no SIGKILL can leave them behind.  The one named thing, a 0700
 * temp dir for the sockets and QEMU's log (gone once connected), is named
 * viogpu-PID-STARTTIME-XXXXXX: one a killed run leaves is removed by the
 * next vg_qemu_create once that process is gone (as are /dev/shm files
 * older versions named so).
 */
#ifndef VIOGPU_QEMU_H
#define VIOGPU_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"
#include "viogpu/status.h"

struct vg_qemu;

struct vg_qemu_config {
	/* Binary; NULL: $VIOGPU_QEMU, else "qemu-system-x86_64" on PATH. */
	const char *qemu_binary;
	/* Guest RAM in MiB; 0: 1024.  At most 2048 (all RAM below 4 GiB). */
	unsigned ram_mib;
	/* Extra ",key=value" text appended to "-device virtio-gpu-pci,id=gpu0"
	 * (e.g. "xres=1920,yres=1080,max_outputs=2"); NULL for none. */
	const char *device_props;
	/* Extra arguments (split on blanks) appended to QEMU's command line;
	 * NULL: $VIOGPU_QEMU_EXTRA_ARGS if set. */
	const char *extra_args;
	/* Log threshold for messages the platform prints to stderr. */
	int verbose; /* 0: errors and warnings, 1: info, 2: debug */
	/* Longest wait for any one answer of a running QEMU (a qtest access,
	 * which for a notify includes processing the queue; a QMP command such
	 * as a screendump); after it QEMU counts as dead.  0: 30000. */
	unsigned cmd_timeout_ms;
	/* Longest wait for QEMU to start and connect.  0: 10000. */
	unsigned start_timeout_ms;
	/* Heads 0..vnc_heads-1 (at most VG_QEMU_MAX_VNC) each get a VNC
	 * server, on a unix socket only we connect to, so that
	 * vg_qemu_set_display can ask for display changes as a VNC viewer
	 * does.  0: none. */
	unsigned vnc_heads;
};

#define VG_QEMU_MAX_VNC 16

/*
 * Checks that the QEMU binary create would run (name; NULL: $VIOGPU_QEMU,
 * else "qemu-system-x86_64" on PATH) exists and is executable.  VG_OK, or
 * VG_E_NODEV with one sentence in why saying which and what is wrong
 * ("not found", "is a directory", "is not executable").
 */
vg_status vg_qemu_find_binary(const char *name, char *why, size_t why_len);

/*
 * Starts QEMU and acts as firmware: sizes and places the BARs, enables
 * memory decoding and bus mastering.  On failure nothing is left running
 * and *out is NULL; a missing binary gives VG_E_NODEV with a message on
 * stderr naming the binary.  QEMU dies with this process (whatever thread
 * created it), and SIGINT/SIGTERM/SIGHUP handlers are installed once to
 * kill it and remove its files (unless the signal was ignored).
 */
vg_status vg_qemu_create(const struct vg_qemu_config *cfg,
			 struct vg_qemu **out);
/* Stops QEMU and frees everything.  Accepts NULL. */
void vg_qemu_destroy(struct vg_qemu *q);

/* The OS-services table for the core; valid until vg_qemu_destroy. */
struct vg_os *vg_qemu_os(struct vg_qemu *q);

/*
 * What the device scans out on head, as tightly packed 0x00RRGGBB pixels.
 * *pixels is malloc'ed; the caller frees it.  Goes through QMP screendump
 * (PPM written into a memfd only QEMU and we hold, parsed, emptied).
 */
vg_status vg_qemu_screendump(struct vg_qemu *q, unsigned head,
			     uint32_t **pixels, uint32_t *width,
			     uint32_t *height);

/*
 * What the machine does between the driver's D3 and D0.  lose_state
 * (hibernate): QEMU's system_reset puts the device back to its power-on
 * state, PCI config included, and the firmware places the BARs again;
 * otherwise (sleep) nothing changes.  Call only while the driver is in D3.
 */
vg_status vg_qemu_power_cycle(struct vg_qemu *q, bool lose_state);

/*
 * A host-side display change on head, as a VNC viewer's window resize
 * makes one: QEMU records the size (enabled) or 0x0 (not), and virtio-gpu
 * raises VIRTIO_GPU_EVENT_DISPLAY.  Asynchronous: the driver sees it when
 * QEMU's UI timer fires.  VG_E_UNSUPPORTED for a head without VNC
 * (vg_qemu_config.vnc_heads).  One caller at a time with power_cycle.
 */
vg_status vg_qemu_set_display(struct vg_qemu *q, unsigned head, bool enabled,
			      uint32_t width, uint32_t height);

/*
 * Stops QEMU's process (SIGSTOP to its group) or continues it (SIGCONT),
 * a host that stalls the device.  While stopped, BAR writes are posted
 * (sent without waiting for QEMU's answer, as PCI memory writes are: a
 * notify returns and the driver's own timeout runs), while reads and
 * config accesses wait for the resume, up to cmd_timeout_ms.  QEMU then
 * does the queued writes in order.  Any thread.
 */
vg_status vg_qemu_pause(struct vg_qemu *q, bool paused);

/* Another device on the shared INTx line interrupted: the driver's ISR is
 * called once more, and reads QEMU's real ISR register (nothing new). */
void vg_qemu_share_irq(struct vg_qemu *q);

/* Interrupts the platform delivered to the ISR so far (for tests/stats). */
uint64_t vg_qemu_irq_count(struct vg_qemu *q);

/* Bytes of guest RAM currently handed out by dma_alloc (leak tests). */
uint64_t vg_qemu_dma_bytes_in_use(struct vg_qemu *q);

/* Live objects the core holds: alloc() blocks, locks and events (leak
 * tests). */
uint64_t vg_qemu_alloc_count(struct vg_qemu *q);

#endif
