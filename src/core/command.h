/* SPDX-License-Identifier: MIT */
/*
 * Request lifetime on one virtqueue.
 *
 * A request owns one DMA page (command | response | indirect table) of
 * its queue's page pool, and optionally an extra DMA buffer (e.g.
 * ATTACH_BACKING's entry list).
 * States: FREE -> BUILDING (vg_cmd_alloc) -> IN_FLIGHT (vg_cmd_queue) ->
 * DONE (completion) -> FREE (vg_cmd_wait).  A waiter that gives up moves
 * an in-flight request to ABANDONED: it still belongs to the device, and
 * only its completion (or a device reset) moves it to RECLAIM, where the
 * next allocation frees its extra memory.  Nothing a device holds is ever
 * freed under it.
 */
#ifndef VG_COMMAND_H
#define VG_COMMAND_H

#include <stdbool.h>
#include <stdint.h>

#include "transport.h"
#include "virtqueue.h"
#include "viogpu/os.h"

#define VG_REQ_CMD_MAX 256u
#define VG_REQ_RESP_MAX 1280u
#define VG_REQ_MAX_EXTRA_SEGS 12u

enum vg_req_state {
	VG_REQ_FREE,
	VG_REQ_BUILDING,
	VG_REQ_IN_FLIGHT,
	VG_REQ_DONE,
	VG_REQ_ABANDONED,
	VG_REQ_RECLAIM,
};

struct vg_cmdq;

struct vg_req {
	struct vg_cmdq *q;
	struct vg_req *next; /* free / reclaim list */
	uint8_t *cmd;
	uint8_t *resp;
	uint64_t cmd_addr, resp_addr;
	struct vg_indirect ind;
	uint32_t cmd_len;
	uint32_t resp_len; /* writable bytes offered for this command */
	struct vg_dma extra;
	uint32_t extra_len;
	struct vg_event *ev;
	enum vg_req_state state; /* guarded by q->lock */
	uint32_t used_len;
	uint64_t fence_id;
	bool fenced;
};

struct vg_cmdq_stats {
	uint64_t commands;
	uint64_t timeouts;
	uint64_t late_completions;
	uint64_t bad_responses;
	uint64_t device_errors;
	uint64_t polled_completions; /* found by a waiter, not an interrupt */
};

struct vg_cmdq {
	struct vg_os *os;
	struct vg_transport *tp;
	struct vg_vq vq;
	uint32_t notify_off;
	bool has_responses; /* false for the cursor queue */
	struct vg_lock *lock;
	struct vg_req *reqs;
	unsigned nreqs;
	struct vg_dma pages;	     /* one page per request */
	struct vg_req *free_list;    /* guarded by lock */
	struct vg_req *reclaim_list; /* guarded by lock */
	uint64_t next_fence;	     /* guarded by lock */
	struct vg_cmdq_stats stats;  /* guarded by lock */
	int verbose;
};

vg_status vg_cmdq_init(struct vg_cmdq *q, struct vg_os *os,
		       struct vg_transport *tp, uint16_t index,
		       uint16_t max_size, unsigned nreqs, bool has_responses,
		       int verbose);
/* The device must be reset (it owns nothing) before this.  Accepts a
 * zeroed or failed-init queue. */
void vg_cmdq_finish(struct vg_cmdq *q);

/* A request with a zeroed command of cmd_len bytes whose header type is
 * set; NULL when every request is in use.  resp_len 0 for none. */
struct vg_req *vg_cmd_alloc(struct vg_cmdq *q, uint32_t type, uint32_t cmd_len,
			    uint32_t resp_len);
/* Gives the request an extra device-readable buffer sent after the
 * command; returns its CPU view or NULL. */
void *vg_cmd_extra(struct vg_req *req, uint32_t len);
/* Puts the request on the ring (no doorbell).  On failure the request is
 * returned to the pool. */
vg_status vg_cmd_queue(struct vg_req *req, bool fenced);
/* Returns a request that was never queued to the pool. */
void vg_cmd_discard(struct vg_req *req);
/* Rings the doorbell if the device wants one. */
void vg_cmdq_kick(struct vg_cmdq *q);
/*
 * Waits for the request, validates the response (type, length, fence) and
 * copies up to copy_len bytes of it to copy.  The request is always gone
 * afterwards: freed, or on VG_E_TIMEOUT abandoned to the device.
 * *resp_type receives the response type when there was one.
 */
vg_status vg_cmd_wait(struct vg_req *req, uint64_t timeout_ns,
		      uint32_t expected_type, uint32_t min_len, void *copy,
		      uint32_t copy_len, uint32_t *resp_type);
/* Collects completions and wakes their waiters; called by the DPC and by
 * a waiter whose deadline passed (the polling path).  Never waits. */
void vg_cmdq_process_used(struct vg_cmdq *q);
/*
 * vg_cmdq_process_used in two steps, so the DPC can collect every queue
 * before it wakes anybody (a woken waiter's next command is then never
 * collected by the DPC that woke it): marks completions DONE and stores up
 * to max of their events in wake (beyond max it signals at once); returns
 * how many it stored.  A stored event may belong to a request its waiter
 * has already taken (it found DONE on its own): the extra signal only
 * makes a later wait look again, which every wait loop does.
 */
#define VG_CMDQ_WAKE_MAX 64u
unsigned vg_cmdq_collect(struct vg_cmdq *q, struct vg_event **wake,
			 unsigned max);
void vg_cmdq_wake(struct vg_os *os, struct vg_event **wake, unsigned n);
/* After a device reset: every in-flight or abandoned request is the
 * driver's again. */
void vg_cmdq_reset(struct vg_cmdq *q);
/* Programs the (reset) queue into the device again. */
vg_status vg_cmdq_restart(struct vg_cmdq *q);

/*
 * Checks a response the device wrote.  Pure function (fuzzed).  Returns
 * VG_OK, the VG_E_DEVICE_* of an ERR_* type (also in *resp_type) or
 * VG_E_PROTOCOL.
 */
vg_status vg_resp_check(const void *resp, uint32_t used_len,
			uint32_t expected_type, uint32_t min_len, bool fenced,
			uint64_t fence_id, uint32_t *resp_type);

#endif
