/* SPDX-License-Identifier: MIT */
/* The follow loop (auto-resize) on an open session: shared by
 * `viogpu follow` and the Windows resolution service
 * (win/service/viogpu_service.c), which differ only in how the loop is
 * told to end. */
#ifndef VG_FOLLOW_H
#define VG_FOLLOW_H

#include <stdbool.h>

#include "cli.h"

/* The largest frame a followed head may need (cli_common.frame_bytes):
 * room to grow to 8K. */
#define CLI_FOLLOW_FRAME_BYTES (8192ull * 8192 * 4)

struct cli_follow {
	unsigned long seconds; /* run this long; 0: until stop() says so */
	unsigned long changes; /* end after this many changes; 0: no limit */
	/* Polled every 50 ms from the calling thread; NULL: never stops.
	 * May be read by another thread's writes (the service's control
	 * handler), so it must read its flag atomically. */
	bool (*stop)(void *arg);
	void *arg;
};

/* Sets each enabled head to the size the host asks for, draws a grid
 * there (checked against the device's screendump), then follows the
 * host's display changes the same way until f says to end.  Prints one
 * line per head and change on stdout, errors on stderr.  Returns a
 * CLI_EXIT_* code; s stays open (the caller closes it).  Calling thread
 * only: the session is not shared. */
int cli_follow_run(struct cli_session *s, const struct cli_follow *f);

#endif
