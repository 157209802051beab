// SPDX-License-Identifier: MIT
#include "posix_sync.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

void vgp_event_set_init(struct vgp_event_set *set)
{
	pthread_mutex_init(&set->lock, NULL);
	set->head = NULL;
	atomic_init(&set->dead, false);
}

void vgp_event_set_finish(struct vgp_event_set *set)
{
	pthread_mutex_destroy(&set->lock);
}

void vgp_event_set_kill(struct vgp_event_set *set)
{
	atomic_store(&set->dead, true);
	pthread_mutex_lock(&set->lock);
	for (struct vg_event *ev = set->head; ev; ev = ev->next) {
		pthread_mutex_lock(&ev->m);
		pthread_cond_broadcast(&ev->cv);
		pthread_mutex_unlock(&ev->m);
	}
	pthread_mutex_unlock(&set->lock);
}

vg_status vgp_lock_create(struct vg_lock **out)
{
	struct vg_lock *l = malloc(sizeof(*l));

	*out = NULL;
	if (!l)
		return VG_E_NOMEM;
	pthread_mutex_init(&l->m, NULL);
	*out = l;
	return VG_OK;
}

void vgp_lock_destroy(struct vg_lock *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->m);
	free(l);
}

void vgp_lock(struct vg_os *os, struct vg_lock *l)
{
	(void)os;
	pthread_mutex_lock(&l->m);
}

void vgp_unlock(struct vg_os *os, struct vg_lock *l)
{
	(void)os;
	pthread_mutex_unlock(&l->m);
}

vg_status vgp_event_create(struct vgp_event_set *set, struct vg_event **out)
{
	struct vg_event *ev = calloc(1, sizeof(*ev));

	*out = NULL;
	if (!ev)
		return VG_E_NOMEM;
	pthread_mutex_init(&ev->m, NULL);
	vgp_cond_init(&ev->cv);
	ev->set = set;
	if (set) {
		pthread_mutex_lock(&set->lock);
		ev->next = set->head;
		if (set->head)
			set->head->prev = ev;
		set->head = ev;
		pthread_mutex_unlock(&set->lock);
	}
	*out = ev;
	return VG_OK;
}

void vgp_event_destroy(struct vg_event *ev)
{
	if (!ev)
		return;
	struct vgp_event_set *set = ev->set;
	if (set) {
		pthread_mutex_lock(&set->lock);
		if (ev->prev)
			ev->prev->next = ev->next;
		else
			set->head = ev->next;
		if (ev->next)
			ev->next->prev = ev->prev;
		pthread_mutex_unlock(&set->lock);
	}
	pthread_cond_destroy(&ev->cv);
	pthread_mutex_destroy(&ev->m);
	free(ev);
}

void vgp_event_signal(struct vg_os *os, struct vg_event *ev)
{
	(void)os;
	pthread_mutex_lock(&ev->m);
	ev->signaled = true;
	pthread_cond_signal(&ev->cv);
	pthread_mutex_unlock(&ev->m);
}

static bool set_dead(const struct vg_event *ev)
{
	return ev->set && atomic_load(&ev->set->dead);
}

vg_status vgp_event_wait(struct vg_os *os, struct vg_event *ev,
			 uint64_t timeout_ns)
{
	vg_status st = VG_OK;

	(void)os;
	/* clamp instead of overflowing (2^62 ns is 146 years) */
	if (timeout_ns > (uint64_t)1 << 62)
		timeout_ns = (uint64_t)1 << 62;
	uint64_t deadline = vgp_now_ns() + timeout_ns;

	pthread_mutex_lock(&ev->m);
	while (!ev->signaled) {
		if (set_dead(ev)) {
			st = VG_E_NODEV;
			break;
		}
		if (vgp_cond_timedwait_ns(&ev->cv, &ev->m, deadline) ==
			    ETIMEDOUT &&
		    !ev->signaled) {
			st = set_dead(ev) ? VG_E_NODEV : VG_E_TIMEOUT;
			break;
		}
	}
	if (st == VG_OK)
		ev->signaled = false; /* auto-reset */
	pthread_mutex_unlock(&ev->m);
	return st;
}

uint64_t vgp_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void vgp_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &ca);
	pthread_condattr_destroy(&ca);
}

int vgp_cond_timedwait_ns(pthread_cond_t *cv, pthread_mutex_t *m,
			  uint64_t deadline_ns)
{
	struct timespec ts;
	uint64_t at = deadline_ns;

	ts.tv_sec = (time_t)(at / 1000000000u);
	ts.tv_nsec = (long)(at % 1000000000u);
	return pthread_cond_timedwait(cv, m, &ts);
}
