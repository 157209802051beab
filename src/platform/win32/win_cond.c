// SPDX-License-Identifier: MIT
/*
 * posix_sync.h's condition-variable helpers on Windows.  They serve the
 * device model's own threads (src/platform/sim), which stay on pthreads
 * (winpthreads): the device is not the OS services a driver gets, which
 * win_sync.c and win_intx.c make with Windows' own primitives.
 */
#include "posix_sync.h"

#include <time.h>

void vgp_cond_init(pthread_cond_t *cv)
{
	pthread_cond_init(cv, NULL);
}

int vgp_cond_timedwait_ns(pthread_cond_t *cv, pthread_mutex_t *m,
			  uint64_t deadline_ns)
{
	/* winpthreads measures deadlines on the wall clock: the monotonic
	 * deadline becomes a wall-clock one. */
	struct timespec ts;
	uint64_t now = vgp_now_ns();
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t at = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec +
		      (deadline_ns > now ? deadline_ns - now : 0);
	ts.tv_sec = (time_t)(at / 1000000000u);
	ts.tv_nsec = (long)(at % 1000000000u);
	return pthread_cond_timedwait(cv, m, &ts);
}
