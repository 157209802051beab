/* SPDX-License-Identifier: MIT */
/*
 * The QEMU child process and everything it needs: a private temp dir
 * (sockets, QEMU's stderr), guest RAM and the screendump target as memfds
 * QEMU inherits (no name anywhere: nothing to leave behind, nothing another
 * user could open), and the process-wide clean-up that runs on
 * SIGINT/SIGTERM/SIGHUP and at exit().
 */
#ifndef VIOGPU_QEMU_PROCESS_H
#define VIOGPU_QEMU_PROCESS_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "viogpu/status.h"

#define VGQ_PATH_MAX 256

struct vgq_proc_args {
	const char *binary;	  /* NULL: $VIOGPU_QEMU, else default name */
	unsigned ram_mib;	  /* size of the RAM file and of -m */
	const char *device_props; /* ",k=v" text after -device ...,id=gpu0 */
	const char *extra_args;	  /* NULL: $VIOGPU_QEMU_EXTRA_ARGS */
	int verbose;
	unsigned start_timeout_ms; /* QEMU must connect within this */
	/* Heads 0..vnc_heads-1 each get a VNC server on a unix socket in
	 * the temp dir (vgq_proc_vnc_path), for display-change requests. */
	unsigned vnc_heads;
};

struct vgq_proc {
	pid_t pid;    /* set by vgq_proc_start; 0 when none */
	int shm_fd;   /* set by start: guest RAM (a memfd), read-write */
	int dump_fd;  /* set by start: screendump target (a memfd) */
	int qtest_fd; /* set by start: connected qtest socket */
	int err_fd;   /* set by start: QEMU's stdout+stderr (unlinked) */
	char dir[VGQ_PATH_MAX]; /* private temp dir */
	unsigned vnc_heads;	/* VNC sockets in dir (vgq_proc_args) */
	char qtest_path[VGQ_PATH_MAX];
	char qmp_path[VGQ_PATH_MAX];
	char err_path[VGQ_PATH_MAX];  /* err_fd's name until spawned */
	char shm_path[VGQ_PATH_MAX];  /* unused: RAM has no name now */
	char dump_path[VGQ_PATH_MAX]; /* QEMU's name for dump_fd */
	char ram_arg[64];	      /* QEMU's name for shm_fd */
	char tag[64];		      /* "viogpu-PID-STARTTIME" */
	unsigned start_timeout_ms;
	int verbose;
	/* private */
	int slot;
	pthread_mutex_t reap_lock;
	bool reaped;
	int wstatus;
};

/*
 * Creates the files, spawns QEMU and waits for it to connect to the qtest
 * socket.  On failure everything is undone, with the reason (and QEMU's
 * last stderr lines) printed.  A missing binary gives VG_E_NODEV.
 */
vg_status vgq_proc_start(struct vgq_proc *p, const struct vgq_proc_args *a);
/* Empties dump_fd for the next screendump (QEMU opens dump_path, which is
 * /proc/self/fd/N in QEMU, with O_TRUNC itself; this frees the memory). */
void vgq_proc_clear_dump(struct vgq_proc *p);
/* Unlinks the RAM file (call once QEMU has certainly mapped it). */
void vgq_proc_unlink_shm(struct vgq_proc *p);
/* The VNC socket of head (valid until vgq_proc_unlink_sockets). */
void vgq_proc_vnc_path(const struct vgq_proc *p, unsigned head, char *buf,
		       size_t n);
/* Removes the QMP socket's name and the temp dir (call once connected), so
 * that not even a SIGKILL of this process leaves files behind. */
void vgq_proc_unlink_sockets(struct vgq_proc *p);
/* True once exit() has started killing the instances (atexit hook). */
bool vgq_proc_exiting(void);
/*
 * Waits up to grace_ms for QEMU to exit (the caller may have asked it to
 * quit), then SIGTERM, then SIGKILL; reaps it, closes the fds and removes
 * every file.  Idempotent.
 */
void vgq_proc_stop(struct vgq_proc *p, unsigned grace_ms);
/* Non-blocking (up to wait_ms) check whether QEMU has exited; describes
 * the exit in buf ("exit status 1", "killed by signal 9", "running"). */
bool vgq_proc_exited(struct vgq_proc *p, unsigned wait_ms, char *buf, size_t n);
/* Prints QEMU's last stderr lines at error level. */
void vgq_proc_print_stderr_tail(struct vgq_proc *p, unsigned max_lines);

#endif
