// SPDX-License-Identifier: MIT
#include "posix_sync.h"
#include "sim_device.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_cmds.h"
#include "sim_internal.h"
#include "sim_vring.h"

#define STORM_GAP_NS 100000 /* between two events of an event storm */

static bool running(const struct vg_sim *s)
{
	return (s->status & VG_STATUS_DRIVER_OK) && !s->stalled && !s->paused &&
	       !s->broken && !s->stop;
}

void sim_device_raise_locked(struct vg_sim *s, uint8_t bits)
{
	s->isr |= bits;
	s->interrupts++;
	vgp_intx_set_level(&s->irq, true);
}

uint8_t sim_device_read_isr_locked(struct vg_sim *s)
{
	uint8_t v = s->isr;
	s->isr = 0;
	vgp_intx_set_level(&s->irq, false);
	return v;
}

void sim_device_display_event_locked(struct vg_sim *s)
{
	s->events_read |= VG_EVENT_DISPLAY;
	if (!s->cfg.lose_config_irq)
		sim_device_raise_locked(s, VG_ISR_CONFIG);
}

void sim_device_kick_locked(struct vg_sim *s)
{
	pthread_cond_broadcast(&s->wake);
}

void sim_device_notify_locked(struct vg_sim *s, unsigned qidx)
{
	s->notify_pending |= 1u << qidx;
	pthread_cond_broadcast(&s->wake);
}

/* Like QEMU's virtio_error: the device stops until the driver resets. */
static void device_break(struct vg_sim *s, const char *why)
{
	sim_log(s, VG_LOG_WARN, "device needs reset: %s", why);
	s->broken = true;
	s->status |= VG_STATUS_NEEDS_RESET;
	sim_device_raise_locked(s, VG_ISR_CONFIG);
}

static void free_pending(struct sim_pending *p)
{
	free(p->wsegs);
	free(p->resp);
	free(p);
}

static void drop_pending(struct vg_sim *s)
{
	while (s->pending) {
		struct sim_pending *p = s->pending;
		s->pending = p->next;
		free_pending(p);
	}
}

void sim_device_init(struct vg_sim *s)
{
	const uint16_t max[SIM_NUM_QUEUES] = {SIM_CTRLQ_MAX, SIM_CURSORQ_MAX};

	s->status = 0;
	s->driver_features = 0;
	s->dfselect = 0;
	s->gfselect = 0;
	s->queue_select = 0;
	s->config_msix = VG_MSI_NO_VECTOR;
	for (unsigned i = 0; i < SIM_NUM_QUEUES; i++)
		s->q[i] = (struct sim_queue){
			.max_size = max[i],
			.size = max[i],
			.msix = VG_MSI_NO_VECTOR,
		};
	s->notify_pending = 0;
	s->stalled = false;
	s->broken = false;
	s->isr = 0;
	vgp_intx_set_level(&s->irq, false);
}

void sim_device_reset_locked(struct vg_sim *s)
{
	/* Held-back completions die with the rings: they must never write
	 * into memory the driver owns again after the reset. */
	drop_pending(s);
	sim_cmds_reset(s);
	sim_device_init(s);
	s->generation++;
	s->resets++;
	pthread_cond_broadcast(&s->wake);
}

/* ---- completion ---- */

static void complete(struct vg_sim *s, unsigned qidx, uint16_t head,
		     const struct sim_seg *wsegs, unsigned nw,
		     const uint8_t *resp, uint32_t resp_len,
		     const struct sim_fault_action *act)
{
	struct sim_queue *q = &s->q[qidx];
	uint64_t in_len = 0;

	for (unsigned i = 0; i < nw; i++)
		in_len += wsegs[i].len;
	uint32_t used_len =
		resp_len ? sim_segs_write(s, wsegs, nw, resp, resp_len) : 0;
	if (qidx == SIM_CTRLQ) {
		switch (act->lie) {
		case SIM_LIE_SHORT:
			used_len = used_len < 8 ? used_len : 8;
			break;
		case SIM_LIE_OVERSIZE:
			used_len = UINT32_MAX;
			break;
		case SIM_LIE_BADLEN:
			used_len = in_len >= UINT32_MAX ? UINT32_MAX
							: (uint32_t)in_len + 1;
			break;
		default:
			break;
		}
	}
	/* An id >= queue size can never be a chain head. */
	if (act->badid && !sim_vring_push(s, qidx, (uint32_t)q->size + head, 0))
		goto broken;
	if (!sim_vring_push(s, qidx, head, used_len))
		goto broken;
	if (!act->lost_irq && sim_vring_need_interrupt(s, qidx))
		sim_device_raise_locked(s, VG_ISR_QUEUE);
	return;
broken:
	device_break(s, "used ring is not guest memory");
}

static void defer(struct vg_sim *s, unsigned qidx, const struct sim_chain *ch,
		  const uint8_t *resp, uint32_t resp_len,
		  const struct sim_fault_action *act)
{
	unsigned nw = ch->n - ch->n_out;
	struct sim_pending *p = calloc(1, sizeof(*p));

	if (p) {
		p->wsegs = calloc(nw ? nw : 1, sizeof(*p->wsegs));
		p->resp = malloc(resp_len ? resp_len : 1);
	}
	if (!p || !p->wsegs || !p->resp) {
		if (p)
			free_pending(p);
		complete(s, qidx, ch->head, ch->segs + ch->n_out, nw, resp,
			 resp_len, act);
		return;
	}
	p->due_ns = vgp_now_ns() + (uint64_t)act->delay_ms * 1000000u;
	p->qidx = qidx;
	p->head = ch->head;
	memcpy(p->wsegs, ch->segs + ch->n_out, nw * sizeof(*p->wsegs));
	p->nw = nw;
	memcpy(p->resp, resp, resp_len);
	p->resp_len = resp_len;
	p->act = *act;
	struct sim_pending **pp = &s->pending;
	while (*pp && (*pp)->due_ns <= p->due_ns)
		pp = &(*pp)->next;
	p->next = *pp;
	*pp = p;
}

/* Completes the first held-back completion if it is due. */
static bool complete_due(struct vg_sim *s)
{
	struct sim_pending *p = s->pending;

	if (!p || p->due_ns > vgp_now_ns())
		return false;
	s->pending = p->next;
	complete(s, p->qidx, p->head, p->wsegs, p->nw, p->resp, p->resp_len,
		 &p->act);
	free_pending(p);
	return true;
}

/* ---- one command ---- */

static uint32_t cmd_capacity(const struct vg_sim *s, unsigned qidx)
{
	if (qidx == SIM_CURSORQ)
		return sizeof(struct vg_cmd_update_cursor);
	return (uint32_t)sizeof(struct vg_cmd_resource_attach_backing) +
	       s->cfg.max_backing_entries *
		       (uint32_t)sizeof(struct vg_mem_entry);
}

/* The OK type that does not fit cmd_type (wrongtype fault). */
static uint32_t wrong_type(uint32_t cmd_type)
{
	return cmd_type == VG_CMD_GET_DISPLAY_INFO ||
			       cmd_type == VG_CMD_GET_EDID
		       ? VG_RESP_OK_NODATA
		       : VG_RESP_OK_DISPLAY_INFO;
}

/* Raises n display events, letting the driver run in between.  Returns
 * false if the device was reset or stopped meanwhile. */
static bool event_storm(struct vg_sim *s, uint32_t n)
{
	uint64_t gen = s->generation;
	for (uint32_t i = 0; i < n; i++) {
		sim_device_display_event_locked(s);
		pthread_mutex_unlock(&s->lock);
		struct timespec ts = {0, STORM_GAP_NS};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&s->lock);
		if (s->generation != gen || s->stop)
			return false;
	}
	return true;
}

static void handle_chain(struct vg_sim *s, unsigned qidx, uint16_t head)
{
	struct sim_chain ch;
	const char *why = sim_vring_chain(s, qidx, head, &ch);
	bool ctrl = qidx == SIM_CTRLQ;

	if (why) {
		/* Nothing to answer into: give the head back empty. */
		sim_log(s, VG_LOG_WARN, "queue %u, chain %u: %s", qidx, head,
			why);
		struct sim_fault_action none = {0};
		if (head < s->q[qidx].size)
			complete(s, qidx, head, NULL, 0, NULL, 0, &none);
		else
			device_break(s, "available ring names no descriptor");
		return;
	}

	uint64_t cap = cmd_capacity(s, qidx);
	size_t len = (size_t)(ch.out_len < cap ? ch.out_len : cap);
	uint8_t *cmd = malloc(len ? len : 1);
	bool readable = cmd && sim_chain_read(s, &ch, cmd, len);
	struct vg_ctrl_hdr h = {0};
	if (readable && len >= sizeof(h))
		memcpy(&h, cmd, sizeof(h));
	if (!readable)
		sim_log(s, VG_LOG_DEBUG,
			"queue %u, chain %u: command is not guest memory", qidx,
			head);

	s->commands++;
	uint64_t seq = ctrl ? ++s->ctrl_seq : 0;
	struct sim_fault_action act;
	sim_faults_match(&s->faults, seq, h.type, &act);
	s->faults_injected += act.matched;
	if (act.matched)
		sim_log(s, VG_LOG_DEBUG,
			"queue %u command #%llu (0x%04x): %u fault term(s)",
			qidx, (unsigned long long)seq, h.type, act.matched);

	if (act.spurious_irq)
		sim_device_raise_locked(s, VG_ISR_QUEUE);
	if (act.stall) {
		s->stalled = true;
		goto out;
	}
	if (act.needs_reset) {
		device_break(s, "needs-reset fault");
		goto out;
	}
	if (act.drop)
		goto out;
	if (act.storm && !event_storm(s, act.storm))
		goto out;

	uint8_t resp[SIM_RESP_MAX];
	uint32_t resp_len = 0;
	if (ctrl) {
		struct vg_ctrl_hdr r = {.type = VG_RESP_ERR_UNSPEC};
		if (act.error || !readable) {
			r.type = act.error ? act.error : VG_RESP_ERR_UNSPEC;
			resp_len = sizeof(r);
		} else {
			resp_len = sim_cmd_execute(s, cmd, len, resp);
			memcpy(&r, resp, sizeof(r));
			if (act.edid_size && r.type == VG_RESP_OK_EDID &&
			    resp_len >= sizeof(struct vg_resp_edid)) {
				struct vg_resp_edid e;
				memcpy(&e, resp, sizeof(e));
				e.size = act.edid_size;
				memcpy(resp, &e, sizeof(e));
			}
		}
		if (r.type >= VG_RESP_ERR_UNSPEC)
			s->error_responses++;
		if (h.flags & VG_FLAG_FENCE) {
			r.flags |= VG_FLAG_FENCE;
			r.fence_id = h.fence_id;
			r.ctx_id = h.ctx_id;
		}
		if (act.lie == SIM_LIE_WRONGTYPE)
			r.type = wrong_type(h.type);
		memcpy(resp, &r, sizeof(r));
	} else if (readable) {
		sim_cursor_execute(s, cmd, len);
	}

	if (act.delay_ms)
		defer(s, qidx, &ch, resp, resp_len, &act);
	else
		complete(s, qidx, head, ch.segs + ch.n_out, ch.n - ch.n_out,
			 resp, resp_len, &act);
out:
	free(cmd);
	sim_chain_free(&ch);
}

static void process_queue(struct vg_sim *s, unsigned qidx)
{
	uint64_t gen = s->generation;
	struct sim_queue *q = &s->q[qidx];

	while (running(s) && s->generation == gen && q->enabled && q->size) {
		uint16_t head;
		int r = sim_vring_pop(s, qidx, &head);
		if (r < 0) {
			device_break(s, "available ring is unusable");
			return;
		}
		if (r == 0)
			return;
		handle_chain(s, qidx, head);
		/* Let register accesses (a reset) in between commands. */
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_lock(&s->lock);
	}
}

static void *device_thread(void *arg)
{
	struct vg_sim *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		if (running(s)) {
			if (s->notify_pending) {
				unsigned bits = s->notify_pending;
				s->notify_pending = 0;
				for (unsigned i = 0; i < SIM_NUM_QUEUES; i++)
					if (bits >> i & 1)
						process_queue(s, i);
				continue;
			}
			if (complete_due(s))
				continue;
		}
		if (running(s) && s->pending) {
			vgp_cond_timedwait_ns(&s->wake, &s->lock,
					      s->pending->due_ns);
		} else {
			pthread_cond_wait(&s->wake, &s->lock);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

vg_status sim_device_start(struct vg_sim *s)
{
	if (pthread_create(&s->thread, NULL, device_thread, s) != 0)
		return VG_E_NOMEM;
	s->thread_started = true;
	return VG_OK;
}

void sim_device_stop(struct vg_sim *s)
{
	if (s->thread_started) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_broadcast(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
		s->thread_started = false;
	}
	pthread_mutex_lock(&s->lock);
	drop_pending(s);
	sim_cmds_reset(s);
	pthread_mutex_unlock(&s->lock);
}
