// SPDX-License-Identifier: MIT
#include "qemu_process.h"
#include "viogpu/format.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu_log.h"
#include "viogpu/qemu.h"

#define DEFAULT_BINARY "qemu-system-x86_64"
#define MAX_ARGS 128

/*
 * Live instances, for the signal handler and the atexit hook.  Fixed size
 * and plain data so the handler stays async-signal-safe: it only calls
 * kill(), unlink(), rmdir(), sigaction() and raise().
 */
#define MAX_LIVE 32
enum { SLOT_FREE, SLOT_FILLING, SLOT_LIVE };
struct live_slot {
	atomic_int state;
	atomic_int pid; /* 0 until forked */
	char files[5][VGQ_PATH_MAX];
	char dir[VGQ_PATH_MAX];
};
static struct live_slot live[MAX_LIVE];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;
static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction old_actions[3];

static void slot_cleanup(struct live_slot *s)
{
	int pid = atomic_load(&s->pid);
	if (pid > 0) {
		kill(-pid, SIGKILL); /* QEMU's process group: a wrapper's */
		kill(pid, SIGKILL);  /* children too */
	}
	for (int i = 0; i < 5; i++)
		if (s->files[i][0])
			unlink(s->files[i]);
	if (s->dir[0])
		rmdir(s->dir);
}

static void on_fatal_signal(int sig)
{
	int saved = errno;

	for (int i = 0; i < MAX_LIVE; i++)
		if (atomic_load(&live[i].state) == SLOT_LIVE)
			slot_cleanup(&live[i]);
	for (int i = 0; i < 3; i++)
		if (caught_signals[i] == sig)
			sigaction(sig, &old_actions[i], NULL);
	errno = saved;
	raise(sig); /* delivered once we return: default action or old one */
}

static atomic_bool exiting;

bool vgq_proc_exiting(void)
{
	return atomic_load(&exiting);
}

static void on_exit_hook(void)
{
	atomic_store(&exiting, true);
	for (int i = 0; i < MAX_LIVE; i++) {
		if (atomic_load(&live[i].state) != SLOT_LIVE)
			continue;
		slot_cleanup(&live[i]);
		int pid = atomic_load(&live[i].pid);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

static void install_cleanup(void)
{
	for (int i = 0; i < 3; i++) {
		struct sigaction sa;

		if (sigaction(caught_signals[i], NULL, &old_actions[i]) != 0)
			continue;
		/* Respect a parent's "ignore" (nohup, background jobs). */
		if (old_actions[i].sa_handler == SIG_IGN &&
		    !(old_actions[i].sa_flags & SA_SIGINFO))
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(caught_signals[i], &sa, NULL);
	}
	atexit(on_exit_hook);
}

static int slot_claim(void)
{
	pthread_mutex_lock(&live_lock);
	for (int i = 0; i < MAX_LIVE; i++) {
		if (atomic_load(&live[i].state) == SLOT_FREE) {
			atomic_store(&live[i].state, SLOT_FILLING);
			pthread_mutex_unlock(&live_lock);
			return i;
		}
	}
	pthread_mutex_unlock(&live_lock);
	return -1;
}

/* Publishes the paths of p to the handler (call after each change). */
static void slot_publish(struct vgq_proc *p)
{
	struct live_slot *s = &live[p->slot];

	atomic_store(&s->state, SLOT_FILLING);
	s->files[0][0] = 0; /* guest RAM and dumps are memfds: no names */
	snprintf(s->files[1], VGQ_PATH_MAX, "%s", p->qtest_path);
	snprintf(s->files[2], VGQ_PATH_MAX, "%s", p->qmp_path);
	snprintf(s->files[3], VGQ_PATH_MAX, "%s", p->err_path);
	s->files[4][0] = 0;
	snprintf(s->dir, VGQ_PATH_MAX, "%s", p->dir);
	atomic_store(&s->pid, (int)p->pid);
	atomic_store(&s->state, SLOT_LIVE);
}

static void slot_release(struct vgq_proc *p)
{
	if (p->slot < 0)
		return;
	struct live_slot *s = &live[p->slot];
	atomic_store(&s->state, SLOT_FILLING);
	atomic_store(&s->pid, 0);
	memset(s->files, 0, sizeof(s->files));
	memset(s->dir, 0, sizeof(s->dir));
	atomic_store(&s->state, SLOT_FREE);
	p->slot = -1;
}

/* Why a candidate cannot be run, or NULL if it can. */
static const char *unusable(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno == ENOENT ? "not found" : strerror(errno);
	if (S_ISDIR(st.st_mode))
		return "a directory, not a program";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if (access(path, X_OK) != 0)
		return "not executable";
	return NULL;
}

/* Finds the binary the way execvp would, so we can exec an absolute path
 * after fork (execvp is not async-signal-safe) and fail early and clearly.
 * On failure why says what is wrong with it. */
static bool resolve_binary(const char *name, char *out, size_t n, char *why,
			   size_t why_len)
{
	if (strchr(name, '/')) {
		const char *bad = unusable(name);
		if (bad) {
			snprintf(why, why_len,
				 "QEMU binary '%s': %s (set VIOGPU_QEMU to "
				 "an executable qemu-system-x86_64)",
				 name, bad);
			return false;
		}
		snprintf(out, n, "%s", name);
		return true;
	}
	const char *path = getenv("PATH");
	const char *first_bad = NULL;
	char first_cand[PATH_MAX] = "";
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		char cand[PATH_MAX];

		if (len == 0)
			snprintf(cand, sizeof(cand), "./%s", name);
		else
			snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, path,
				 name);
		const char *bad = unusable(cand);
		if (!bad) {
			snprintf(out, n, "%s", cand);
			return true;
		}
		if (!first_bad && strcmp(bad, "not found")) {
			first_bad = bad;
			snprintf(first_cand, sizeof(first_cand), "%s", cand);
		}
		path += len;
		if (*path == ':')
			path++;
	}
	if (first_bad)
		snprintf(why, why_len,
			 "QEMU binary '%s' on PATH is %s (set VIOGPU_QEMU to "
			 "an executable one)",
			 first_cand, first_bad);
	else
		snprintf(why, why_len,
			 "QEMU binary '%s' not found on PATH (install "
			 "qemu-system-x86 or set VIOGPU_QEMU)",
			 name);
	return false;
}

static const char *binary_name(const char *name)
{
	if (!name || !*name)
		name = getenv("VIOGPU_QEMU");
	if (!name || !*name)
		name = DEFAULT_BINARY;
	return name;
}

vg_status vg_qemu_find_binary(const char *name, char *why, size_t why_len)
{
	char out[PATH_MAX];
	char buf[512];
	if (!why || !why_len) {
		why = buf;
		why_len = sizeof(buf);
	}
	why[0] = 0;
	return resolve_binary(binary_name(name), out, sizeof(out), why, why_len)
		       ? VG_OK
		       : VG_E_NODEV;
}

/* This process's start time (clock ticks since boot, /proc/PID/stat field
 * 22); with the pid it names a process uniquely.  0 if unknown. */
static unsigned long long start_time(long pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* the name may hold spaces and ')' */
	unsigned long long t = 0;
	/* After ")": state is field 3, starttime field 22. */
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

/* The tag every file of ours carries: "viogpu-PID-START". */
static void name_tag(char *buf, size_t n)
{
	snprintf(buf, n, "viogpu-%ld-%llx", (long)getpid(),
		 start_time((long)getpid()));
}

/*
 * Whether a "viogpu-PID-START-..." entry belongs to a process that is gone
 * (or to a process that reused the pid: its start time differs).  Names
 * without a start time ("viogpu-PID-RAND16", from before) are orphaned only
 * once PID is gone.  Anything else is not ours to judge.
 */
static bool orphaned(const char *name)
{
	char *end;
	if (strncmp(name, "viogpu-", 7) || !isdigit((unsigned char)name[7]))
		return false;
	long pid = strtol(name + 7, &end, 10);
	if (*end != '-' || pid <= 0)
		return false;
	const char *rest = end + 1;
	unsigned long long start = strtoull(rest, &end, 16);
	bool legacy = end - rest == 16; /* the old random suffix */
	if (end == rest || (*end != '-' && !legacy))
		return false;
	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return true;
	if (legacy || start == 0) /* no start time to compare */
		return false;
	unsigned long long now = start_time(pid);
	return now && now != start;
}

/* Removes one orphaned entry of dir (a file, or a directory of files). */
static void remove_orphan(int dfd, const char *name, int verbose)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    st.st_uid != geteuid())
		return;
	if (S_ISDIR(st.st_mode)) {
		int sub =
			openat(dfd, name,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *d = sub >= 0 ? fdopendir(sub) : NULL;
		if (!d) {
			if (sub >= 0)
				close(sub);
			return;
		}
		for (struct dirent *e; (e = readdir(d));)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(sub, e->d_name, 0);
		closedir(d);
		unlinkat(dfd, name, AT_REMOVEDIR);
	} else if (S_ISREG(st.st_mode)) {
		unlinkat(dfd, name, 0);
	} else {
		return;
	}
	vgq_log(verbose, VG_LOG_INFO, "removed %s, left by a killed run", name);
}

/* What runs killed before they could clean up left in dir. */
static void sweep_orphans(const char *dir, int verbose)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (orphaned(e->d_name))
			remove_orphan(dirfd(d), e->d_name, verbose);
	closedir(d);
}

static bool path_is_safe(const char *s)
{
	/* Paths travel inside QEMU option strings and JSON. */
	return !strpbrk(s, ",\"\\\n ");
}

static vg_status make_dir(struct vgq_proc *p)
{
	const char *tmp = getenv("TMPDIR");

	/* sun_path is 108 bytes: leave room for
	 * "/viogpu-PID-START-XXXXXX/qtest.sock" (at most 51). */
	if (!tmp || !*tmp || strlen(tmp) > 56 || !path_is_safe(tmp))
		tmp = "/tmp";
	sweep_orphans(tmp, p->verbose);
	name_tag(p->tag, sizeof(p->tag));
	snprintf(p->dir, sizeof(p->dir), "%s/%s-XXXXXX", tmp, p->tag);
	if (!mkdtemp(p->dir)) {
		vgq_log(p->verbose, VG_LOG_ERROR, "mkdtemp(%s): %s", p->dir,
			strerror(errno));
		p->dir[0] = 0;
		return VG_E_IO;
	}
	snprintf(p->qtest_path, sizeof(p->qtest_path), "%.200s/qtest.sock",
		 p->dir);
	snprintf(p->qmp_path, sizeof(p->qmp_path), "%.200s/qmp.sock", p->dir);
	snprintf(p->err_path, sizeof(p->err_path), "%.200s/qemu.log", p->dir);
	return VG_OK;
}

/*
 * Guest RAM and the screendump target are memfds that QEMU inherits and
 * opens as /proc/self/fd/N (QEMU 7.2 takes that as memory-backend-file's
 * mem-path with share=on, and as screendump's filename): they have no name
 * a SIGKILL could leave behind or another user could open.
 */
static vg_status make_shm(struct vgq_proc *p, unsigned ram_mib)
{
	/* Files of runs killed before this version used names instead. */
	sweep_orphans("/dev/shm", p->verbose);
	p->shm_fd = memfd_create("viogpu-ram", MFD_CLOEXEC);
	p->dump_fd = memfd_create("viogpu-screendump", MFD_CLOEXEC);
	if (p->shm_fd < 0 || p->dump_fd < 0) {
		vgq_log(p->verbose, VG_LOG_ERROR, "memfd_create: %s",
			strerror(errno));
		return VG_E_IO;
	}
	if (ftruncate(p->shm_fd, (off_t)ram_mib << 20) != 0) {
		vgq_log(p->verbose, VG_LOG_ERROR,
			"cannot size guest RAM to %u MiB: %s", ram_mib,
			strerror(errno));
		return VG_E_NOMEM;
	}
	snprintf(p->ram_arg, sizeof(p->ram_arg), "/proc/self/fd/%d", p->shm_fd);
	snprintf(p->dump_path, sizeof(p->dump_path), "/proc/self/fd/%d",
		 p->dump_fd);
	return VG_OK;
}

static int make_listener(struct vgq_proc *p)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(p->qtest_path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, p->qtest_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 1) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void describe_status(int st, char *buf, size_t n)
{
	if (WIFEXITED(st))
		snprintf(buf, n, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(buf, n, "status 0x%x", st);
}

bool vgq_proc_exited(struct vgq_proc *p, unsigned wait_ms, char *buf, size_t n)
{
	bool done;

	pthread_mutex_lock(&p->reap_lock);
	for (unsigned waited = 0; !p->reaped && p->pid > 0;) {
		int st;
		siginfo_t si = {0};
		/* Exited but not yet reaped: its pid (and so its process
		 * group's id) cannot be reused yet, so what a wrapper script
		 * started in the group can be killed safely now. */
		if (waitid(P_PID, (id_t)p->pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == p->pid)
			kill(-p->pid, SIGKILL);
		pid_t r = waitpid(p->pid, &st, WNOHANG);
		if (r == p->pid || (r < 0 && errno == ECHILD)) {
			p->reaped = true;
			p->wstatus = r == p->pid ? st : 0;
			if (p->slot >= 0) /* the pid may be recycled now */
				atomic_store(&live[p->slot].pid, 0);
			break;
		}
		if (waited >= wait_ms)
			break;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		waited += 2;
	}
	done = p->reaped || p->pid <= 0;
	if (buf && n) {
		if (p->reaped)
			describe_status(p->wstatus, buf, n);
		else
			snprintf(buf, n, "%s",
				 done ? "not started" : "running");
	}
	pthread_mutex_unlock(&p->reap_lock);
	return done;
}

void vgq_proc_print_stderr_tail(struct vgq_proc *p, unsigned max_lines)
{
	char buf[4096];
	int fd = p->err_fd;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0)
		return;
	off_t end = st.st_size;
	off_t start =
		end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, start);
	if (n <= 0)
		return;
	buf[n] = 0;
	/* Find the start of the last max_lines lines. */
	char *s = buf + n;
	while (s > buf && s[-1] == '\n')
		*--s = 0;
	unsigned lines = 0;
	char *first = buf;
	for (char *c = s; c > buf; c--) {
		if (c[-1] == '\n' && ++lines == max_lines) {
			first = c;
			break;
		}
	}
	for (char *line = first; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		vgq_log(p->verbose, VG_LOG_ERROR, "QEMU: %s", line);
		line = nl ? nl + 1 : NULL;
	}
}

/* Formats one option into the opts arena; NULL when it is full. */
static char *opt_printf(char **o, size_t *left, const char *fmt, ...)
	VG_PRINTF(3, 4);
static char *opt_printf(char **o, size_t *left, const char *fmt, ...)
{
	char *s = *o;
	va_list ap;

	if (!s)
		return NULL;
	va_start(ap, fmt);
	int len = vsnprintf(s, *left, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= *left) {
		*o = NULL;
		return NULL;
	}
	*o += len + 1;
	*left -= (size_t)len + 1;
	return s;
}

/* Builds argv in storage owned by the caller (opts, args_copy, argv). */
static int build_argv(const struct vgq_proc_args *a, struct vgq_proc *p,
		      const char *binary, char *opts, size_t opts_len,
		      char *args_copy, char **argv)
{
	const char *props = a->device_props ? a->device_props : "";
	char *o = opts;
	size_t left = opts_len;
	int argc = 0;

	while (*props == ',')
		props++;
	argv[argc++] = (char *)binary;
	argv[argc++] = "-nodefaults";
	argv[argc++] = "-display";
	argv[argc++] = "none";
	argv[argc++] = "-accel";
	argv[argc++] = "tcg";
	argv[argc++] = "-S";
	argv[argc++] = "-machine";
	argv[argc++] = "q35,memory-backend=ram";
	argv[argc++] = "-m";
	argv[argc++] = opt_printf(&o, &left, "%uM", a->ram_mib);
	argv[argc++] = "-object";
	argv[argc++] = opt_printf(
		&o, &left,
		"memory-backend-file,id=ram,size=%uM,mem-path=%s,share=on",
		a->ram_mib, p->ram_arg);
	/* A name that tells whose QEMU this is (ps, tests). */
	argv[argc++] = "-name";
	argv[argc++] = opt_printf(&o, &left, "guest=%s", p->tag);
	argv[argc++] = "-qtest";
	argv[argc++] = opt_printf(&o, &left, "unix:%s", p->qtest_path);
	argv[argc++] = "-qtest-log";
	argv[argc++] = "/dev/null";
	argv[argc++] = "-qmp";
	argv[argc++] = opt_printf(&o, &left, "unix:%s,server=on,wait=off",
				  p->qmp_path);
	argv[argc++] = "-device";
	argv[argc++] = opt_printf(&o, &left, "virtio-gpu-pci,id=gpu0%s%s",
				  *props ? "," : "", props);
	for (unsigned h = 0; h < a->vnc_heads; h++) {
		char path[VGQ_PATH_MAX];
		vgq_proc_vnc_path(p, h, path, sizeof(path));
		argv[argc++] = "-vnc";
		argv[argc++] = opt_printf(
			&o, &left, "unix:%s,display=gpu0,head=%u", path, h);
	}
	if (!o)
		return -1;
	if (args_copy) {
		char *save = NULL;
		for (char *t = strtok_r(args_copy, " \t\r\n", &save); t;
		     t = strtok_r(NULL, " \t\r\n", &save)) {
			if (argc >= MAX_ARGS - 1)
				return -1;
			argv[argc++] = t;
		}
	}
	argv[argc] = NULL;
	return argc;
}

static void log_command_line(int verbose, char **argv)
{
	char line[1024];
	size_t len = 0;

	line[0] = 0;
	for (int i = 0; argv[i] && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
					i ? " " : "", argv[i]);
	vgq_log(verbose, VG_LOG_DEBUG, "starting %s", line);
}

/*
 * QEMU is forked by one long-lived helper thread: PR_SET_PDEATHSIG fires
 * when the *thread* that forked exits, so forking from the caller's thread
 * would kill QEMU as soon as a short-lived thread that created it ends.
 */
struct spawn_req {
	char *const *argv;
	int listen_fd, null_fd, err_fd;
	int keep_fd[2]; /* inherited by QEMU (guest RAM, dump target) */
	pid_t pid;	/* set by the spawner */
	int err;	/* errno of a failed fork */
	bool done;
};

static pthread_once_t spawner_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t spawn_cv = PTHREAD_COND_INITIALIZER;
static struct spawn_req *spawn_pending;
static bool spawner_ok;

static pid_t fork_exec(const struct spawn_req *r)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0) {
		/* Child: async-signal-safe calls only. */
		sigset_t none;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127); /* parent already gone */
		/* Our own process group: a terminal's ^C reaches only us,
		 * and our handler (or our death) takes QEMU down. */
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(r->listen_fd);
		for (int k = 0; k < 2; k++)
			fcntl(r->keep_fd[k], F_SETFD, 0); /* no CLOEXEC */
		dup2(r->null_fd, STDIN_FILENO);
		dup2(r->err_fd, STDOUT_FILENO);
		dup2(r->err_fd, STDERR_FILENO);
		execv(r->argv[0], r->argv);
		_exit(127);
	}
	return pid;
}

static void *spawner_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&spawn_lock);
	for (;;) {
		while (!spawn_pending)
			pthread_cond_wait(&spawn_cv, &spawn_lock);
		struct spawn_req *r = spawn_pending;
		pthread_mutex_unlock(&spawn_lock);
		pid_t pid = fork_exec(r);
		int err = errno;
		pthread_mutex_lock(&spawn_lock);
		r->pid = pid;
		r->err = err;
		r->done = true;
		spawn_pending = NULL;
		pthread_cond_broadcast(&spawn_cv);
	}
	return NULL;
}

static void start_spawner(void)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all, old;

	/* Signals are for the application's threads, not this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	spawner_ok = pthread_create(&t, &attr, spawner_main, NULL) == 0;
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static pid_t spawn_on_helper(struct spawn_req *r)
{
	pthread_once(&spawner_once, start_spawner);
	if (!spawner_ok) {
		r->err = EAGAIN;
		return -1;
	}
	pthread_mutex_lock(&spawn_lock);
	while (spawn_pending)
		pthread_cond_wait(&spawn_cv, &spawn_lock);
	spawn_pending = r;
	pthread_cond_broadcast(&spawn_cv);
	while (!r->done)
		pthread_cond_wait(&spawn_cv, &spawn_lock);
	pthread_mutex_unlock(&spawn_lock);
	return r->pid;
}

static vg_status spawn(struct vgq_proc *p, char *const *argv, int listen_fd)
{
	int err_fd =
		open(p->err_path,
		     O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (err_fd < 0 || null_fd < 0) {
		if (err_fd >= 0)
			close(err_fd);
		if (null_fd >= 0)
			close(null_fd);
		vgq_log(p->verbose, VG_LOG_ERROR, "cannot open %s: %s",
			p->err_path, strerror(errno));
		return VG_E_IO;
	}
	struct spawn_req r = {
		.argv = argv,
		.listen_fd = listen_fd,
		.null_fd = null_fd,
		.err_fd = err_fd,
		.keep_fd = {p->shm_fd, p->dump_fd},
	};
	pid_t pid = spawn_on_helper(&r);
	p->err_fd = err_fd; /* read back through the fd: the name goes now */
	unlink(p->err_path);
	p->err_path[0] = 0;
	close(null_fd);
	if (pid < 0) {
		vgq_log(p->verbose, VG_LOG_ERROR, "cannot start QEMU: %s",
			strerror(r.err));
		return VG_E_NOMEM;
	}
	/* Also here, so the group exists before anyone signals it (the
	 * child may not have run yet); fails harmlessly once it has exec'd. */
	setpgid(pid, pid);
	p->pid = pid;
	slot_publish(p);
	return VG_OK;
}

static vg_status wait_connect(struct vgq_proc *p, int listen_fd)
{
	for (unsigned waited = 0; waited < p->start_timeout_ms; waited += 50) {
		struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
		char how[96];

		if (poll(&pfd, 1, 50) > 0) {
			p->qtest_fd =
				accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (p->qtest_fd >= 0)
				return VG_OK;
		}
		if (vgq_proc_exited(p, 0, how, sizeof(how))) {
			vgq_log(p->verbose, VG_LOG_ERROR,
				"QEMU exited during start-up (%s)", how);
			vgq_proc_print_stderr_tail(p, 8);
			return VG_E_NODEV;
		}
	}
	vgq_log(p->verbose, VG_LOG_ERROR,
		"QEMU did not connect to the qtest socket within %u ms",
		p->start_timeout_ms);
	vgq_proc_print_stderr_tail(p, 8);
	return VG_E_TIMEOUT;
}

vg_status vgq_proc_start(struct vgq_proc *p, const struct vgq_proc_args *a)
{
	char binary[PATH_MAX];
	char opts[2048];
	char *argv[MAX_ARGS];
	char *args_copy = NULL;
	const char *name = a->binary;
	const char *extra = a->extra_args;
	int listen_fd = -1;
	vg_status st;

	memset(p, 0, sizeof(*p));
	p->shm_fd = -1;
	p->dump_fd = -1;
	p->qtest_fd = -1;
	p->err_fd = -1;
	p->slot = -1;
	p->verbose = a->verbose;
	p->start_timeout_ms = a->start_timeout_ms ? a->start_timeout_ms : 10000;
	p->vnc_heads = a->vnc_heads;
	pthread_mutex_init(&p->reap_lock, NULL);

	char why[512];
	if (!resolve_binary(binary_name(name), binary, sizeof(binary), why,
			    sizeof(why))) {
		vgq_log(a->verbose, VG_LOG_ERROR, "%s", why);
		return VG_E_NODEV;
	}
	if (!extra)
		extra = getenv("VIOGPU_QEMU_EXTRA_ARGS");
	if (extra && !(args_copy = strdup(extra)))
		return VG_E_NOMEM;

	pthread_once(&cleanup_once, install_cleanup);
	p->slot = slot_claim();
	if (p->slot < 0) {
		vgq_log(p->verbose, VG_LOG_ERROR,
			"too many QEMU instances (at most %d)", MAX_LIVE);
		st = VG_E_NOMEM;
		goto fail;
	}
	st = make_dir(p);
	if (st)
		goto fail;
	st = make_shm(p, a->ram_mib);
	if (st)
		goto fail;
	listen_fd = make_listener(p);
	if (listen_fd < 0) {
		vgq_log(p->verbose, VG_LOG_ERROR, "cannot listen on %s: %s",
			p->qtest_path, strerror(errno));
		st = VG_E_IO;
		goto fail;
	}
	slot_publish(p);
	if (build_argv(a, p, binary, opts, sizeof(opts), args_copy, argv) < 0) {
		vgq_log(p->verbose, VG_LOG_ERROR, "QEMU command line too long");
		st = VG_E_INVAL;
		goto fail;
	}
	log_command_line(p->verbose, argv);
	st = spawn(p, argv, listen_fd);
	if (st)
		goto fail;
	st = wait_connect(p, listen_fd);
	if (st)
		goto fail;
	close(listen_fd);
	unlink(p->qtest_path); /* connected; the name is no longer needed */
	p->qtest_path[0] = 0;
	slot_publish(p);
	free(args_copy);
	return VG_OK;

fail:
	if (listen_fd >= 0)
		close(listen_fd);
	free(args_copy);
	vgq_proc_stop(p, 0);
	return st;
}

void vgq_proc_clear_dump(struct vgq_proc *p)
{
	if (p->dump_fd >= 0 && ftruncate(p->dump_fd, 0) != 0)
		vgq_log(p->verbose, VG_LOG_WARN, "cannot empty the dump: %s",
			strerror(errno));
}

void vgq_proc_unlink_shm(struct vgq_proc *p)
{
	if (!p->shm_path[0])
		return;
	unlink(p->shm_path);
	p->shm_path[0] = 0;
	slot_publish(p);
}

void vgq_proc_vnc_path(const struct vgq_proc *p, unsigned head, char *buf,
		       size_t n)
{
	snprintf(buf, n, "%.200s/vnc%u.sock", p->dir, head);
}

static void unlink_vnc(struct vgq_proc *p)
{
	for (unsigned h = 0; p->dir[0] && h < p->vnc_heads; h++) {
		char path[VGQ_PATH_MAX];
		vgq_proc_vnc_path(p, h, path, sizeof(path));
		unlink(path);
	}
}

void vgq_proc_unlink_sockets(struct vgq_proc *p)
{
	unlink_vnc(p);
	if (p->qmp_path[0])
		unlink(p->qmp_path);
	p->qmp_path[0] = 0;
	if (p->qtest_path[0])
		unlink(p->qtest_path);
	p->qtest_path[0] = 0;
	if (p->dir[0])
		rmdir(p->dir);
	p->dir[0] = 0;
	slot_publish(p);
}

static void remove_file(char *path)
{
	if (path[0])
		unlink(path);
	path[0] = 0;
}

void vgq_proc_stop(struct vgq_proc *p, unsigned grace_ms)
{
	if (p->pid > 0 && !vgq_proc_exited(p, grace_ms, NULL, 0)) {
		/* The whole group (a wrapper's children too); SIGCONT so a
		 * stopped QEMU acts on the SIGTERM.  Not yet reaped, so the
		 * pid is still ours. */
		kill(-p->pid, SIGTERM);
		kill(p->pid, SIGTERM);
		kill(-p->pid, SIGCONT);
		if (!vgq_proc_exited(p, 2000, NULL, 0)) {
			vgq_log(p->verbose, VG_LOG_WARN,
				"QEMU (pid %ld) ignored SIGTERM; killing it",
				(long)p->pid);
			kill(-p->pid, SIGKILL);
			kill(p->pid, SIGKILL);
			vgq_proc_exited(p, 10000, NULL, 0);
		}
	}
	if (p->qtest_fd >= 0)
		close(p->qtest_fd);
	p->qtest_fd = -1;
	if (p->shm_fd >= 0)
		close(p->shm_fd);
	p->shm_fd = -1;
	if (p->dump_fd >= 0)
		close(p->dump_fd);
	p->dump_fd = -1;
	if (p->err_fd >= 0)
		close(p->err_fd);
	p->err_fd = -1;
	remove_file(p->shm_path);
	remove_file(p->qtest_path);
	remove_file(p->qmp_path);
	remove_file(p->err_path);
	unlink_vnc(p);
	p->dump_path[0] = 0;
	if (p->dir[0])
		rmdir(p->dir);
	p->dir[0] = 0;
	slot_release(p);
}
