/* SPDX-License-Identifier: MIT */
/*
 * The os.h locks, events and clock, shared by the user-space platforms
 * (QEMU and the device model): on pthreads (posix_sync.c), and on Windows
 * with what Windows itself offers (src/platform/win32/win_sync.c: an SRW
 * lock, an auto-reset event object, the performance counter).  An event
 * may belong to an event set: a platform that loses its device kills the
 * set, which wakes every waiter with VG_E_NODEV instead of letting it
 * sleep out its timeout.
 */
#ifndef VIOGPU_POSIX_SYNC_H
#define VIOGPU_POSIX_SYNC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

struct vgp_event_set {
	SRWLOCK lock;
	struct vg_event *head; /* live events of the set */
	atomic_bool dead;
};

struct vg_lock {
	SRWLOCK l;
};

struct vg_event {
	HANDLE h;		   /* an auto-reset event object */
	struct vgp_event_set *set; /* NULL: none */
	struct vg_event *prev, *next;
};
#else
struct vgp_event_set {
	pthread_mutex_t lock;
	struct vg_event *head; /* live events of the set */
	atomic_bool dead;
};

struct vg_lock {
	pthread_mutex_t m;
};

struct vg_event {
	pthread_mutex_t m;
	pthread_cond_t cv;
	bool signaled;
	struct vgp_event_set *set; /* NULL: none */
	struct vg_event *prev, *next;
};
#endif

void vgp_event_set_init(struct vgp_event_set *set);
void vgp_event_set_finish(struct vgp_event_set *set); /* set is empty */
/* From now on every wait on the set's events returns VG_E_NODEV. */
void vgp_event_set_kill(struct vgp_event_set *set);

vg_status vgp_lock_create(struct vg_lock **out);
void vgp_lock_destroy(struct vg_lock *lock); /* accepts NULL */
/* These two have the os.h signatures; os is not used. */
void vgp_lock(struct vg_os *os, struct vg_lock *lock);
void vgp_unlock(struct vg_os *os, struct vg_lock *lock);

/* set may be NULL. */
vg_status vgp_event_create(struct vgp_event_set *set, struct vg_event **out);
void vgp_event_destroy(struct vg_event *ev); /* accepts NULL */
void vgp_event_signal(struct vg_os *os, struct vg_event *ev);
vg_status vgp_event_wait(struct vg_os *os, struct vg_event *ev,
			 uint64_t timeout_ns);

uint64_t vgp_now_ns(void);

/*
 * For the device model's own threads, which stay on pthreads on both
 * systems (the device is not the OS; winpthreads on Windows):
 * pthread_cond_timedwait until vgp_now_ns() reaches deadline_ns, for a cv
 * made with vgp_cond_init.  mingw's winpthreads refuses CLOCK_MONOTONIC
 * for condition variables and measures deadlines on the wall clock, so on
 * Windows (src/platform/win32/win_cond.c) the monotonic deadline becomes
 * a wall-clock one.
 */
void vgp_cond_init(pthread_cond_t *cv);
int vgp_cond_timedwait_ns(pthread_cond_t *cv, pthread_mutex_t *m,
			  uint64_t deadline_ns);

#endif
