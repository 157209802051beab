/* SPDX-License-Identifier: MIT */
/*
 * The "sim" platform: an in-process virtio-gpu device model.
 *
 * The driver reaches it through the same transport code as QEMU: PCI
 * config space with virtio capabilities, common config, notify, ISR in a
 * memory BAR, rings and buffers in "guest memory" read through device
 * addresses.  The device runs on its own thread and completes
 * asynchronously, like hardware, and raises an INTx-style interrupt that
 * the platform delivers to the core's ISR on an interrupt thread.
 *
 * It follows the virtio spec where QEMU differs (see README), counts what
 * is live so tests can prove nothing leaked, and misbehaves on command
 * (vg_sim_config.faults, the fault language in README "Fault injection").
 */
#ifndef VIOGPU_SIM_H
#define VIOGPU_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/os.h"
#include "viogpu/status.h"

struct vg_sim;

struct vg_sim_config {
	unsigned num_scanouts; /* 1..16; 0: 1 */
	uint32_t xres[16];     /* preferred size per head; head 0 defaults */
	uint32_t yres[16];     /* to 1024x768, other heads start disabled */
	bool no_edid;	       /* do not offer VIRTIO_GPU_F_EDID */
	/* A head's EDID exactly as given (e.g. a real monitor's, up to 1024
	 * bytes; copied at create) instead of a generated one. */
	const uint8_t *edid[16];
	uint32_t edid_size[16];
	uint64_t max_hostmem;	      /* bytes of host resources; 0: 256 MiB */
	uint32_t max_backing_entries; /* per ATTACH_BACKING; 0: 16384 */
	uint64_t ram_bytes; /* guest memory for DMA; 0: 1 GiB (lazy) */
	const char *faults; /* fault spec, NULL for a well-behaved device */
	/* Display events set the event register but raise no interrupt, as
	 * if every config interrupt were lost. */
	bool lose_config_irq;
	/* Offer VIRTIO_F_ACCESS_PLATFORM, as a device behind an IOMMU
	 * does (QEMU's iommu_platform=on). */
	bool access_platform;
	/* An MSI-X table of this many vectors: vectors below it are taken
	 * and read back, others read back NO_VECTOR (as QEMU's); 0: no
	 * MSI-X, every vector reads NO_VECTOR.  Interrupts still come on
	 * INTx: this checks what a driver programs. */
	uint16_t msix_vectors;
	int verbose;
};

/* On failure nothing is left and *out is NULL; a bad fault spec gives
 * VG_E_INVAL with one line on stderr naming the bad term. */
vg_status vg_sim_create(const struct vg_sim_config *cfg, struct vg_sim **out);
void vg_sim_destroy(struct vg_sim *sim); /* accepts NULL */
/* Checks a fault spec without a device: VG_OK, or VG_E_INVAL with one
 * line in why naming the bad term (what vg_sim_create would print). */
vg_status vg_sim_check_faults(const char *spec, char *why, size_t why_len);
struct vg_os *vg_sim_os(struct vg_sim *sim);

/* What head scans out, as 0x00RRGGBB pixels; caller frees *pixels.
 * VG_E_INVAL if the head shows nothing. */
vg_status vg_sim_screendump(struct vg_sim *sim, unsigned head,
			    uint32_t **pixels, uint32_t *width,
			    uint32_t *height);

/* What the device holds right now and what it has seen. */
struct vg_sim_counters {
	uint32_t live_resources;
	uint32_t attached_backings;
	uint64_t hostmem_bytes;
	uint64_t commands;	  /* processed */
	uint64_t error_responses; /* ERR_* sent (real or injected) */
	uint64_t faults_injected;
	uint64_t interrupts; /* raised */
	uint64_t resets;
	uint64_t dma_bytes_in_use; /* guest memory the driver holds */
	long os_allocs_live;	   /* alloc() not yet free()d */
	/* The MSI-X vectors the driver programmed (0xffff: none). */
	uint16_t config_vector;
	uint16_t queue_vector[2]; /* control, cursor */
};
void vg_sim_get_counters(struct vg_sim *sim, struct vg_sim_counters *out);

/* A head's cursor as the device holds it: the last UPDATE_CURSOR's
 * resource and hot spot, the last position, and the resource's pixels
 * (what was transferred to the host) as 0xAARRGGBB, top-left 64 x 64. */
struct vg_sim_cursor {
	bool visible;
	uint32_t resource_id; /* 0: none */
	uint32_t hot_x, hot_y, x, y;
	uint32_t width, height; /* of image; 0 when no resource */
	uint32_t image[64 * 64];
};
/* VG_E_RANGE when head >= 16. */
vg_status vg_sim_get_cursor(struct vg_sim *sim, unsigned head,
			    struct vg_sim_cursor *out);

/* Host-side display change (hot-plug, window resize): updates head and
 * raises VIRTIO_GPU_EVENT_DISPLAY with a config-change interrupt. */
vg_status vg_sim_set_display(struct vg_sim *sim, unsigned head, bool enabled,
			     uint32_t width, uint32_t height);

/* Host-side monitor swap: head's EDID becomes bytes (1..1024, copied;
 * kept across later mode changes, as a configured EDID is) and the
 * display event is raised; the preferred size stays.  For hot-plug tests
 * where only the EDID's content changes. */
vg_status vg_sim_set_edid(struct vg_sim *sim, unsigned head,
			  const uint8_t *bytes, uint32_t len);

/* Between the driver's D3 and D0: lose_state (hibernate) resets the
 * device to power-on state; otherwise (sleep) it keeps its state. */
vg_status vg_sim_power_cycle(struct vg_sim *sim, bool lose_state);

/* Host-side stall, as a stopped QEMU: while paused the device processes
 * no queue and completes nothing (registers still answer); notifies and
 * due completions wait for the resume.  A reset meanwhile drops them. */
void vg_sim_pause(struct vg_sim *sim, bool paused);

/* Another device on the model's shared INTx line interrupted: the driver's
 * ISR is called once with nothing of the device's to find. */
void vg_sim_share_irq(struct vg_sim *sim);

/* Make the Nth os->alloc / dma_alloc call from now fail (1-based; 0 off).
 * For unwinding tests. */
void vg_sim_fail_alloc_at(struct vg_sim *sim, long n);
/* Number of alloc/dma_alloc calls so far. */
long vg_sim_alloc_calls(struct vg_sim *sim);

#endif
