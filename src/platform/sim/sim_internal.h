/* SPDX-License-Identifier: MIT */
/*
 * The sim platform's shared state.  One device lock (vg_sim.lock) guards
 * everything the device model owns: registers, queues, resources, heads,
 * pending completions.  BAR accesses take it, the device thread holds it
 * while it works on one command and drops it between commands.
 *
 * Lock order: vg_sim.lock -> vgp_intx.lock; the guest memory has its own
 * leaf lock.
 * The ISR runs on the interrupt thread with no sim lock held.
 */
#ifndef VIOGPU_SIM_INTERNAL_H
#define VIOGPU_SIM_INTERNAL_H

#include "viogpu/format.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim_faults.h"
#include "posix_intx.h"

/* ISR calls with the line left high and no new edge before the interrupt
 * thread paces them (a driver that never acknowledges). */
#define SIM_IRQ_STORM_CALLS 10000
#include "pagemem.h"

/* Device address of guest memory offset 0: 0 and small numbers are
 * never valid DMA addresses. */
#define SIM_MEM_BASE 0x100000000ull
#include "viogpu/sim.h"
#include "wire.h"

#define SIM_NUM_QUEUES 2
#define SIM_CTRLQ 0
#define SIM_CURSORQ 1
#define SIM_CTRLQ_MAX 256
#define SIM_CURSORQ_MAX 16
#define SIM_EDID_BYTES 128

/* One virtqueue: what the driver programmed and where the device is. */
struct sim_queue {
	uint16_t max_size; /* set at create */
	uint16_t size;	   /* set by driver (Q_SIZE), max_size after reset */
	uint16_t msix;
	bool enabled;
	uint64_t desc, avail, used; /* device addresses, set by driver */
	uint16_t last_avail;	    /* next avail entry the device takes */
	uint16_t used_idx;	    /* next used entry the device writes */
	uint16_t signalled_used; /* used_idx at the last interrupt decision */
	bool signalled_valid;
};

/* One guest memory run of a resource's backing. */
struct sim_backing_ent {
	uint64_t addr;
	uint32_t len;
	uint64_t start; /* offset of this run in the backing */
	uint8_t *host;	/* the region never moves: valid while attached */
};

struct sim_resource {
	struct sim_resource *next;
	uint32_t id, format, width, height;
	uint8_t *pixels; /* width * height * 4 bytes, host memory */
	struct sim_backing_ent *ents;
	uint32_t nents;
	uint64_t backing_bytes;
	bool has_backing;
};

struct sim_cursor {
	uint32_t resource_id, hot_x, hot_y, x, y;
	bool visible;
};

struct sim_head {
	bool enabled;
	uint32_t width, height; /* preferred mode */
	uint8_t edid[1024];
	uint32_t edid_size;
	bool edid_given;      /* from the config: kept across mode changes */
	uint32_t resource_id; /* 0: scanout disabled */
	struct vg_rect r;     /* part of the resource shown */
	uint32_t *image;      /* r.width * r.height, 0x00RRGGBB, last flush */
	struct sim_cursor cursor;
};

/* A completion the device holds back (delay@ / late@ faults). */
struct sim_pending {
	struct sim_pending *next;
	uint64_t due_ns;
	unsigned qidx;
	uint16_t head;
	struct sim_seg *wsegs; /* writable buffers, device addresses */
	unsigned nw;
	uint8_t *resp;
	uint32_t resp_len;
	struct sim_fault_action act;
};

struct vg_sim {
	struct vg_os os; /* first: the core's handle */
	struct vg_sim_config cfg;
	int verbose;

	/* ---- platform services (sim_os.c), lock-free counters ---- */
	atomic_long allocs_live;
	atomic_long alloc_calls;
	atomic_long fail_alloc_at; /* absolute call number, 0 off */
	struct vgp_pagemem *mem;   /* guest memory */
	struct vgp_intx irq;
	struct sim_faults faults;

	/* ---- the device, guarded by lock ---- */
	pthread_mutex_t lock;
	pthread_cond_t wake; /* device thread: notify, reset, stop */
	pthread_t thread;
	bool thread_started;
	bool stop;

	uint8_t pci_cfg[256];
	uint64_t bar4_base;

	uint64_t device_features;
	uint64_t driver_features;
	uint32_t dfselect, gfselect;
	uint8_t status;
	uint8_t isr;
	uint16_t queue_select;
	uint16_t config_msix; /* config vector (NO_VECTOR after reset) */
	struct sim_queue q[SIM_NUM_QUEUES];
	unsigned notify_pending; /* bit per queue */
	uint32_t events_read;
	uint64_t generation; /* bumped by every reset */
	bool stalled;	     /* stall fault: nothing moves until reset */
	bool paused;	     /* vg_sim_pause: nothing moves until resumed */
	bool broken;	     /* NEEDS_RESET set */

	struct sim_resource *resources;
	struct sim_head heads[VG_MAX_SCANOUTS];
	struct sim_pending *pending; /* sorted by due_ns */
	uint64_t ctrl_seq;	     /* control commands seen, for cmd=N */

	/* counters (vg_sim_counters) */
	uint32_t live_resources;
	uint32_t attached_backings;
	uint64_t hostmem_bytes;
	uint64_t commands;
	uint64_t error_responses;
	uint64_t faults_injected;
	uint64_t interrupts;
	uint64_t resets;
};

/* Logging, "viogpu-sim: " prefix; INFO needs verbose >= 1, DEBUG >= 2. */
void sim_log(const struct vg_sim *s, enum vg_log_level lvl, const char *fmt,
	     ...) VG_PRINTF(3, 4);

#endif
