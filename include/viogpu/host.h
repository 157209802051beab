/* SPDX-License-Identifier: MIT */
/*
 * The host layer: one way to get a running virtio-gpu device with the
 * driver on it, whatever kind of device it is.
 *
 * A device is named by the --device text "KIND[,PROP=VALUE...]": "qemu"
 * (QEMU's virtio-gpu-pci, include/viogpu/qemu.h) or "sim" (the device
 * model, include/viogpu/sim.h).  Everything that differs between kinds
 * (which properties exist, how a device starts, screendumps, counters,
 * what happens between D3 and D0) lives behind one ops table per kind in
 * src/host/host_KIND.c; callers (the CLI, the bench, the end-to-end
 * tests, the display server) never ask which kind they have.
 *
 * Two steps, so a caller can refuse bad input before anything starts:
 *   vg_host_prepare  parses and validates the request, reads the files it
 *                    names, checks the machine and the device can hold
 *                    the frames asked for; nothing runs yet.
 *   vg_host_start    starts the device and brings the driver up.
 * vg_host_open does both.  Their messages are one line (no "prog: "
 * prefix, no newline) in the caller's buffer; they name the request's
 * fields by the CLI options they come from (--heads, --ram, --faults),
 * the language the --device text belongs to.
 *
 * Ownership: a vg_host owns its device, its driver (the vg_gpu), and
 * copies of everything in the request (strings and files are not kept).
 * vg_host_close frees all of it.
 *
 * Threading: prepare, start, power_cycle, set_display and close are
 * called by one thread at a time (the one that drives the gpu; close with
 * nothing else running).  screendump may be called from any thread while
 * the gpu is in use: both backends lock inside.  counters reads the
 * driver's stats too, which gpu.h asks callers to serialize with the other
 * calls on that gpu: call it from the thread that drives the gpu (or with
 * that thread idle).  The gpu follows include/viogpu/gpu.h.
 */
#ifndef VIOGPU_HOST_H
#define VIOGPU_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/gpu.h"
#include "viogpu/os.h"
#include "viogpu/status.h"

struct vg_host;

/* What prepare, start and open return. */
typedef enum vg_host_result {
	VG_HOST_OK = 0,
	/* Bad input, conflicting settings, or more than this machine or
	 * device can take (a missing QEMU binary too): refused before
	 * anything started.  The CLI's exit code 2. */
	VG_HOST_REFUSED = -1,
	/* The device or the driver failed to start.  The CLI's exit 1. */
	VG_HOST_FAILED = -2,
} vg_host_result;

/* A request for a device; read by vg_host_prepare, not kept. */
struct vg_host_request {
	const char *device; /* "KIND[,PROP=VALUE...]"; NULL: "qemu" */
	/* Fault spec for kinds that misbehave on command (sim; README "Fault
	 * injection"); NULL: none.  Validated by prepare. */
	const char *faults;
	unsigned heads;	  /* scanouts (1..16); 0: max_outputs= or 1 */
	unsigned ram_mib; /* guest RAM (qemu: 64..2048); 0: sized from the
			     frames */
	/* The largest frame the caller will create, and how many heads show
	 * one at once (0: 1): checked against the device's host memory and
	 * the machine's, and used to size guest RAM. */
	uint64_t frame_bytes;
	unsigned frame_heads;
	/* The driver's command timeout, and the device's per-answer wait
	 * (QEMU gets the larger of this and 10 s to start); 0: defaults. */
	uint32_t timeout_ms;
	int verbose;	   /* device and driver logging: 0, 1 or 2 */
	bool auto_recover; /* vg_gpu_options.auto_recover */
	/* Start the device only: vg_host_gpu is NULL and the caller runs its
	 * own driver on vg_host_os (tests that count what the driver holds
	 * from before it exists). */
	bool no_driver;
	/* The caller will make host-side display changes
	 * (vg_host_set_display): qemu then serves every head over VNC on a
	 * private socket and asks as a VNC viewer does. */
	bool display_control;
	/* vg_gpu_options.on_display_change and its ctx, handed to the
	 * driver as they are (deferred context: gpu.h); NULL: none. */
	void (*on_display_change)(void *display_change_ctx);
	void *display_change_ctx;
};

/* Parses and validates req and checks it fits; nothing starts.  On
 * VG_HOST_REFUSED one line in msg says why and *out is NULL.  On
 * VG_HOST_FAILED (out of memory) too.  msg may be NULL if msg_len is 0. */
vg_host_result vg_host_prepare(const struct vg_host_request *req,
			       struct vg_host **out, char *msg, size_t msg_len);
/* Starts the device and (unless no_driver) the driver with cmd_timeout,
 * verbose, auto_recover and host_mem_limit = vg_host_max_hostmem.  Once
 * per host: a second call gives VG_HOST_FAILED.  On failure one line in
 * msg says why and nothing is left running (a driver that does not come
 * up takes its device down with it); close the host as always. */
vg_host_result vg_host_start(struct vg_host *h, char *msg, size_t msg_len);
/* prepare + start; on failure *out is NULL and nothing is left. */
vg_host_result vg_host_open(const struct vg_host_request *req,
			    struct vg_host **out, char *msg, size_t msg_len);
/* Stops the driver, then the device, frees everything.  Accepts NULL. */
void vg_host_close(struct vg_host *h);

/* The kind as named in --device ("qemu", "sim"). */
const char *vg_host_kind(const struct vg_host *h);
/* The driver, valid until close; NULL before start or with no_driver. */
struct vg_gpu *vg_host_gpu(struct vg_host *h);
/* The OS-services table of the started device (for a caller's own
 * driver); NULL before start.  Valid until close. */
struct vg_os *vg_host_os(struct vg_host *h);
/* Bytes the device gives 2D resources (its max_hostmem), known after
 * prepare. */
uint64_t vg_host_max_hostmem(const struct vg_host *h);

/* What head scans out, as tightly packed 0x00RRGGBB pixels; the caller
 * frees *pixels.  VG_E_INVAL if the head shows nothing or the device is
 * not started. */
vg_status vg_host_screendump(struct vg_host *h, unsigned head,
			     uint32_t **pixels, uint32_t *width,
			     uint32_t *height);

/* Which device counters a backend fills (vg_host_counters.device_has). */
enum {
	/* commands, error_responses, faults_injected, resets: what the
	 * device itself processed and sent */
	VG_HOST_DEV_COMMANDS = 1u << 0,
	/* live_resources, attached_backings, hostmem_bytes: what it holds */
	VG_HOST_DEV_HOLDS = 1u << 1,
	VG_HOST_DEV_INTERRUPTS = 1u << 2, /* interrupts */
	VG_HOST_DEV_DMA = 1u << 3,	  /* dma_bytes_in_use */
	VG_HOST_DEV_OS_OBJECTS = 1u << 4, /* os_objects_live */
};

/* The driver's counters and the device's own, where it has them. */
struct vg_host_counters {
	bool has_driver; /* driver is valid (a driver runs) */
	struct vg_gpu_stats driver;
	const char *device_name; /* static, e.g. "device model" */
	unsigned device_has;	 /* VG_HOST_DEV_* bits; others are 0 */
	struct {
		uint64_t commands;
		uint64_t error_responses; /* ERR_* sent (real or injected) */
		uint64_t faults_injected;
		uint64_t resets; /* every reset seen, bring-up included */
		uint32_t live_resources;
		uint32_t attached_backings;
		uint64_t hostmem_bytes;
		uint64_t interrupts;	   /* raised or delivered to the ISR */
		uint64_t dma_bytes_in_use; /* guest memory the driver holds */
		uint64_t os_objects_live;  /* os->alloc blocks (+ locks, events
					      on qemu) not yet freed */
	} device;
};
/* Fills *out (zeroed first); before start only device_name is set. */
void vg_host_counters(struct vg_host *h, struct vg_host_counters *out);

/* Between the driver's D3 and D0: lose_state (hibernate) puts the device
 * back to its power-on state (QEMU: system_reset); otherwise (sleep) it
 * keeps its state.  Call only while the driver is in D3. */
vg_status vg_host_power_cycle(struct vg_host *h, bool lose_state);

/* Stops the device answering, or lets it go on: qemu stops QEMU's process
 * (SIGSTOP/SIGCONT), and meanwhile the platform posts BAR writes (a
 * notify returns at once, as a posted PCI write does) while reads wait
 * for the resume; sim stops processing queues.  Work queued meanwhile
 * is done after the resume.  Callable from any thread; the caller
 * resumes within the per-answer wait (timeout_ms) or QEMU counts as
 * dead. */
vg_status vg_host_pause(struct vg_host *h, bool paused);

/* Another device on the same shared INTx line interrupted: the driver's
 * ISR runs once with nothing of this device's to find (it must say "not
 * mine" and lose nothing).  Any thread. */
vg_status vg_host_share_irq(struct vg_host *h);

/* A host-side display change (hot-plug, window resize) on head: sim
 * changes its display info at once; qemu (with display_control) asks
 * QEMU's VNC server as a viewer's window resize does, and QEMU reports it
 * a moment later (0x0 disables the head).  VG_E_UNSUPPORTED where the
 * backend cannot (qemu without display_control).  The driver sees it
 * through the device's display event either way. */
vg_status vg_host_set_display(struct vg_host *h, unsigned head, bool enabled,
			      uint32_t width, uint32_t height);

/* "1 byte", "4095 bytes", "1 KiB", "300 MiB", "1.5 GiB" (exact below
 * 1 MiB), as the host's messages write sizes.  Returns buf. */
const char *vg_host_size_str(uint64_t bytes, char *buf, size_t n);

#endif
