/* SPDX-License-Identifier: MIT */
/*
 * Socket activation: the listening socket systemd (or
 * systemd-socket-activate) hands viogpud, by the LISTEN_FDS/LISTEN_PID
 * protocol (sd_listen_fds(3)).  Called once, on the daemon's one thread,
 * before anything else opens a file descriptor; the socket handed over
 * is the caller's from then on, and systemd, not the daemon, owns its
 * file name (the daemon never unlinks it).
 */
#ifndef VIOGPUD_ACTIVATION_H
#define VIOGPUD_ACTIVATION_H

/* The handed-over listening socket, non-blocking and close-on-exec (QEMU
 * must not inherit it); -1 when none was handed over (LISTEN_FDS unset or
 * meant for another process); -2 after a message on stderr when what was
 * handed over is not one listening Unix SOCK_SEQPACKET socket.  Clears
 * the LISTEN_* variables either way, so no child sees them. */
int activation_listen_fd(void);

/* Tells the service manager the daemon is serving (Type=notify); does
 * nothing when it was not started by one. */
void activation_ready(void);

#endif
