// SPDX-License-Identifier: MIT
/*
 * posix_sync.h on Windows, with what Windows itself offers: a vg_lock is
 * an SRW lock, a vg_event an auto-reset event object (as a kernel driver's
 * KEVENT SynchronizationEvent), the clock the performance counter.  A
 * killed set sets every live event of the set; a woken waiter that finds
 * the set dead returns VG_E_NODEV.
 *
 * vgp_cond_init / vgp_cond_timedwait_ns are in win_cond.c, with the
 * device model.
 */
#include "posix_sync.h"

#include <stdlib.h>

void vgp_event_set_init(struct vgp_event_set *set)
{
	InitializeSRWLock(&set->lock);
	set->head = NULL;
	atomic_init(&set->dead, false);
}

void vgp_event_set_finish(struct vgp_event_set *set)
{
	(void)set; /* an SRW lock needs no clean-up */
}

void vgp_event_set_kill(struct vgp_event_set *set)
{
	atomic_store(&set->dead, true);
	AcquireSRWLockExclusive(&set->lock);
	for (struct vg_event *ev = set->head; ev; ev = ev->next)
		SetEvent(ev->h);
	ReleaseSRWLockExclusive(&set->lock);
}

vg_status vgp_lock_create(struct vg_lock **out)
{
	struct vg_lock *l = malloc(sizeof(*l));

	*out = NULL;
	if (!l)
		return VG_E_NOMEM;
	InitializeSRWLock(&l->l);
	*out = l;
	return VG_OK;
}

void vgp_lock_destroy(struct vg_lock *l)
{
	free(l);
}

void vgp_lock(struct vg_os *os, struct vg_lock *l)
{
	(void)os;
	AcquireSRWLockExclusive(&l->l);
}

void vgp_unlock(struct vg_os *os, struct vg_lock *l)
{
	(void)os;
	ReleaseSRWLockExclusive(&l->l);
}

vg_status vgp_event_create(struct vgp_event_set *set, struct vg_event **out)
{
	struct vg_event *ev = calloc(1, sizeof(*ev));

	*out = NULL;
	if (!ev)
		return VG_E_NOMEM;
	/* auto-reset, not signaled */
	ev->h = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (!ev->h) {
		free(ev);
		return VG_E_NOMEM;
	}
	ev->set = set;
	if (set) {
		AcquireSRWLockExclusive(&set->lock);
		ev->next = set->head;
		if (set->head)
			set->head->prev = ev;
		set->head = ev;
		/* Killed before this event existed: it starts set. */
		if (atomic_load(&set->dead))
			SetEvent(ev->h);
		ReleaseSRWLockExclusive(&set->lock);
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
		AcquireSRWLockExclusive(&set->lock);
		if (ev->prev)
			ev->prev->next = ev->next;
		else
			set->head = ev->next;
		if (ev->next)
			ev->next->prev = ev->prev;
		ReleaseSRWLockExclusive(&set->lock);
	}
	CloseHandle(ev->h);
	free(ev);
}

void vgp_event_signal(struct vg_os *os, struct vg_event *ev)
{
	(void)os;
	SetEvent(ev->h);
}

static bool set_dead(const struct vg_event *ev)
{
	return ev->set && atomic_load(&ev->set->dead);
}

vg_status vgp_event_wait(struct vg_os *os, struct vg_event *ev,
			 uint64_t timeout_ns)
{
	(void)os;
	if (set_dead(ev))
		return VG_E_NODEV;
	/* Whole milliseconds, rounded up so a short wait still waits; at
	 * most just below INFINITE (49 days). */
	uint64_t ms = timeout_ns / 1000000u + (timeout_ns % 1000000u != 0);
	if (ms >= INFINITE)
		ms = INFINITE - 1;
	DWORD r = WaitForSingleObject(ev->h, (DWORD)ms);
	/* A kill sets the event too: a dead set wins over the signal. */
	if (set_dead(ev))
		return VG_E_NODEV;
	if (r == WAIT_OBJECT_0)
		return VG_OK;
	return VG_E_TIMEOUT;
}

uint64_t vgp_now_ns(void)
{
	LARGE_INTEGER freq, now; /* the frequency is fixed at boot */
	QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	uint64_t f = (uint64_t)freq.QuadPart, c = (uint64_t)now.QuadPart;
	return c / f * 1000000000u + c % f * 1000000000u / f;
}
