/* SPDX-License-Identifier: MIT */
/*
 * The OS-services boundary.
 *
 * The portable core (src/core) reaches its host only through this table:
 * memory, device access, interrupts, synchronization, time and logging.
 * A platform (QEMU over qtest, the in-process device model, a Windows
 * miniport, ...) fills one vg_os_ops and embeds a struct vg_os at the start
 * of its own state.  The core never calls libc allocation, threads, files
 * or sockets; memcpy/memset/snprintf-like string helpers are allowed since
 * every kernel has them.
 *
 * Unless a comment says otherwise every function may be called from any
 * thread the core runs on (passive or deferred context, see vg_isr_fn), but
 * not from the isr.  event_wait, dma_alloc and dma_free only in passive
 * context.
 */
#ifndef VIOGPU_OS_H
#define VIOGPU_OS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "viogpu/status.h"

#define VG_PAGE_SIZE 4096u

struct vg_os;

/* One physically contiguous run of a DMA buffer, as the device sees it. */
struct vg_dma_seg {
	uint64_t addr; /* device (guest-physical) address */
	uint64_t len;  /* bytes, a multiple of VG_PAGE_SIZE */
};

/*
 * A DMA buffer.  Filled by dma_alloc; valid until dma_free.
 * The CPU view is contiguous even when the device view is not (as a kernel
 * maps an MDL).  segs are in CPU order; adjacent runs may or may not be
 * merged by the platform; the core merges again before handing lists to
 * the device.
 */
struct vg_dma {
	void *cpu;		 /* set by platform: contiguous CPU mapping */
	size_t size;		 /* set by platform: bytes, page multiple */
	uint32_t nsegs;		 /* set by platform */
	struct vg_dma_seg *segs; /* set by platform; owned by the platform */
	void *os_private;	 /* set by platform; the core never looks */
};

enum vg_log_level { VG_LOG_ERROR, VG_LOG_WARN, VG_LOG_INFO, VG_LOG_DEBUG };

/*
 * Interrupts come in two halves, as in a Windows miniport (InterruptRoutine
 * and DpcRoutine) or a Linux top half and workqueue:
 *
 * vg_isr_fn, "interrupt context": called by the platform when the device's
 *   interrupt fires.  It may read and write BARs, use atomics and call
 *   dpc_request; nothing else.  It takes no lock (a waiter may hold one
 *   while the interrupt arrives), signals no event, allocates nothing and
 *   never waits.  Calls of one isr never overlap.
 * vg_dpc_fn, "deferred context": runs on a platform thread (never the
 *   ISR's caller's stack) some time after dpc_request, at least once per
 *   request, possibly once for several requests, never two at a time.  It
 *   may take the core's locks, signal events and read BARs; it never
 *   waits on an event, never allocates and never frees DMA memory.
 * Every other core entry point runs on the caller's thread ("passive
 *   context") and may do all of the above, including waiting.
 */
typedef void (*vg_isr_fn)(void *ctx);
typedef void (*vg_dpc_fn)(void *ctx);

struct vg_lock;	 /* opaque, platform-defined */
struct vg_event; /* opaque, platform-defined */

struct vg_os_ops {
	/* Zeroed driver-private memory.  NULL on failure (tests inject it). */
	void *(*alloc)(struct vg_os *os, size_t size);
	void (*free)(struct vg_os *os, void *ptr); /* accepts NULL */

	/*
	 * DMA memory of at least size bytes, zeroed, made of physically
	 * contiguous blocks of at least min_block bytes each (a power of two,
	 * >= VG_PAGE_SIZE; the last block may be shorter).  min_block >= size
	 * (any value) asks for one contiguous run.
	 * Returns VG_E_NOMEM when it cannot; the caller may retry smaller.
	 */
	vg_status (*dma_alloc)(struct vg_os *os, size_t size, size_t min_block,
			       struct vg_dma *out);
	/* Returns the memory; the caller guarantees the device no longer
	 * owns it.  Accepts a zeroed struct (does nothing). */
	void (*dma_free)(struct vg_os *os, struct vg_dma *dma);

	/* PCI configuration space of the device; width is 1, 2 or 4. */
	uint32_t (*cfg_read)(struct vg_os *os, uint32_t off, unsigned width);
	void (*cfg_write)(struct vg_os *os, uint32_t off, unsigned width,
			  uint32_t val);
	/* Memory BAR access; width is 1, 2, 4 or 8.  The platform, acting as
	 * firmware, has placed and enabled the BARs. */
	uint64_t (*bar_read)(struct vg_os *os, unsigned bar, uint64_t off,
			     unsigned width);
	void (*bar_write)(struct vg_os *os, unsigned bar, uint64_t off,
			  unsigned width, uint64_t val);

	/* Route the device's (INTx) interrupt to isr and its deferred work to
	 * dpc, both called with ctx.  One pair at a time.  After
	 * irq_disconnect returns neither isr nor dpc is running and neither
	 * will run again (a requested dpc that has not run yet is dropped). */
	vg_status (*irq_connect)(struct vg_os *os, vg_isr_fn isr, vg_dpc_fn dpc,
				 void *ctx);
	void (*irq_disconnect)(struct vg_os *os);
	/* Called from the isr (only): asks for the dpc to run soon. */
	void (*dpc_request)(struct vg_os *os);

	/* A non-recursive lock; never taken in the isr. */
	vg_status (*lock_create)(struct vg_os *os, struct vg_lock **out);
	void (*lock_destroy)(struct vg_os *os,
			     struct vg_lock *lock); /* NULL ok */
	void (*lock)(struct vg_os *os, struct vg_lock *lock);
	void (*unlock)(struct vg_os *os, struct vg_lock *lock);

	/* An auto-reset event: signal wakes one wait (or the next one). */
	vg_status (*event_create)(struct vg_os *os, struct vg_event **out);
	void (*event_destroy)(struct vg_os *os,
			      struct vg_event *ev); /* NULL ok */
	void (*event_signal)(struct vg_os *os, struct vg_event *ev);
	/* VG_OK when signalled, VG_E_TIMEOUT after timeout_ns, VG_E_NODEV
	 * when the platform lost the device (QEMU died). */
	vg_status (*event_wait)(struct vg_os *os, struct vg_event *ev,
				uint64_t timeout_ns);

	/* Monotonic nanoseconds. */
	uint64_t (*now_ns)(struct vg_os *os);
	/* One log line, printf-style, without trailing newline. */
	void (*vlog)(struct vg_os *os, enum vg_log_level level, const char *fmt,
		     va_list ap);

	/*
	 * Optional; NULL: the device interrupts on INTx only (qtest, the
	 * model).  The MSI-X vector the device is to signal for queue q
	 * (0, 1, ...) or, for q == VG_MSIX_CONFIG, for configuration
	 * changes; VG_MSIX_NONE for no interrupt.  The core writes these
	 * during bring-up (and every rebuild) and fails it with
	 * VG_E_UNSUPPORTED when the device does not take one.  Such a
	 * platform calls the isr for the config vector (the device sets the
	 * ISR status config bit before it signals, so the isr works as on
	 * INTx) and, for a queue vector, may call dpc_request itself: with
	 * MSI-X the device need not set the queue bit, and the dpc looks at
	 * every queue each time it runs.
	 */
	uint16_t (*msix_vector)(struct vg_os *os, int q);
};

#define VG_MSIX_CONFIG (-1)
#define VG_MSIX_NONE 0xffffu

/* Embedded at offset 0 of every platform's state. */
struct vg_os {
	const struct vg_os_ops *ops; /* set by platform */
};

#endif
