// SPDX-License-Identifier: MIT
/* viogpu-service.exe: the resolution service for Windows.  Run by the
 * Service Control Manager (the MSI's "Service" feature registers it as
 * "viogpu"), it runs the follow loop of `viogpu follow` (tools/follow.c)
 * on the device until the SCM says stop: each enabled head at the size the
 * host asks for, following the host's display changes.  The only device a
 * user-mode Windows build can open is the in-process device model
 * (--device sim): the kernel miniport (dod/) is not packaged, so on a real
 * Windows guest this service does not resize the guest's desktop.
 *
 * --console runs the same loop without the SCM (Ctrl-C or --seconds ends
 * it), for a test or a look at what the service would do.
 *
 * Threads: main() is the SCM's dispatcher thread (it runs control_handler);
 * the SCM starts service_main on a thread of its own, which owns the
 * session.  They share only stop_requested (atomic) and, for the status
 * reports, status_handle and status (written by service_main before the
 * handler can be called, then only through report(), under status_lock). */
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "follow.h"

#define SERVICE_NAME L"viogpu"

static atomic_bool stop_requested;
static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static CRITICAL_SECTION status_lock;

/* What main() parsed, read by service_main (started after it is set). */
static struct cli_common common;
static unsigned long seconds; /* 0: until stopped */

static bool should_stop(void *arg)
{
	(void)arg;
	return atomic_load(&stop_requested);
}

/* Tells the SCM where the service is; exit_code is a CLI_EXIT_* code,
 * reported as a service-specific error when not 0. */
static void report(DWORD state, int exit_code, DWORD wait_hint_ms)
{
	EnterCriticalSection(&status_lock);
	status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	status.dwCurrentState = state;
	status.dwControlsAccepted =
		state == SERVICE_RUNNING
			? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN
			: 0;
	status.dwWin32ExitCode =
		exit_code ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
	status.dwServiceSpecificExitCode = (DWORD)exit_code;
	status.dwWaitHint = wait_hint_ms;
	status.dwCheckPoint =
		state == SERVICE_RUNNING || state == SERVICE_STOPPED
			? 0
			: status.dwCheckPoint + 1;
	SetServiceStatus(status_handle, &status);
	LeaveCriticalSection(&status_lock);
}

static DWORD WINAPI control_handler(DWORD control, DWORD type, LPVOID data,
				    LPVOID ctx)
{
	(void)type;
	(void)data;
	(void)ctx;
	switch (control) {
	case SERVICE_CONTROL_STOP:
	case SERVICE_CONTROL_SHUTDOWN:
		/* The loop sees it within 50 ms; service_main reports
		 * STOPPED once the device is closed. */
		atomic_store(&stop_requested, true);
		report(SERVICE_STOP_PENDING, 0, 5000);
		return NO_ERROR;
	case SERVICE_CONTROL_INTERROGATE:
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

/* The session from start to close; prints what it did. */
static int follow_until_stopped(bool as_service)
{
	struct cli_session s;
	printf("viogpu-service: starting (pid %lu)\n", GetCurrentProcessId());
	fflush(stdout);
	int rc = cli_open(&common, &s);
	if (rc)
		return rc;
	if (as_service)
		report(SERVICE_RUNNING, 0, 0);
	struct cli_follow f = {
		.seconds = seconds, .stop = should_stop, .arg = NULL};
	rc = cli_follow_run(&s, &f);
	if (as_service)
		report(SERVICE_STOP_PENDING, 0, 5000);
	cli_close(&s);
	printf("viogpu-service: stopped (%s)\n",
	       atomic_load(&stop_requested) ? "asked to stop" : "loop ended");
	fflush(stdout);
	return rc;
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
	(void)argc;
	(void)argv; /* StartService's arguments: the options are main's */
	status_handle = RegisterServiceCtrlHandlerExW(SERVICE_NAME,
						      control_handler, NULL);
	if (!status_handle) {
		fprintf(stderr,
			"viogpu-service: RegisterServiceCtrlHandlerExW "
			"failed (error %lu)\n",
			GetLastError());
		return;
	}
	report(SERVICE_START_PENDING, 0, 10000);
	int rc = follow_until_stopped(true);
	report(SERVICE_STOPPED, rc, 0);
}

static BOOL WINAPI console_handler(DWORD type)
{
	if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
		return FALSE;
	atomic_store(&stop_requested, true);
	return TRUE;
}

/* Points the CRT stream f at descriptor fd.  A process the SCM starts has
 * no standard handles, and msvcrt then leaves stdout and stderr with no
 * descriptor at all (_fileno -2; freopen refuses such a stream, and writes
 * go nowhere), so the stream is given fd by hand: msvcrt's FILE is public
 * in mingw's stdio.h (not the UCRT's, which this build does not use). */
static bool stream_to_fd(FILE *f, int fd)
{
	if (_fileno(f) < 0) {
#ifdef _UCRT
		return false;
#else
		f->_file = fd;
		f->_flag = _IOWRT;
#endif
	}
	return _fileno(f) == fd;
}

/* stdout and stderr appended to path (a service has no console): the log's
 * descriptor put at 1 and 2. */
static bool open_log(const char *path)
{
	int fd = _open(path, _O_WRONLY | _O_APPEND | _O_CREAT | _O_TEXT,
		       _S_IREAD | _S_IWRITE);
	if (fd < 0) {
		fprintf(stderr, "viogpu-service: cannot open log '%s'\n", path);
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	bool ok = _dup2(fd, 1) == 0 && _dup2(fd, 2) == 0 &&
		  stream_to_fd(stdout, 1) && stream_to_fd(stderr, 2);
	_close(fd);
	if (!ok)
		return false;
	setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
	setvbuf(stderr, NULL, _IONBF, 0);
	return true;
}

/* The MSI's step that removes the log when the Service component goes
 * (wixl has no RemoveFile), after StopServices and before RemoveFiles.
 * The log may never have been written.  The service holds it open until
 * its process ends, and Wine's StopServices does not wait for the stop
 * (seen: the log and the running .exe then stayed behind), so this waits,
 * up to 10 s, until the file can be deleted: the process is gone and
 * RemoveFiles can delete the .exe too. */
static int remove_log(const char *path)
{
	for (int tries = 0;; tries++) {
		if (DeleteFileA(path))
			return CLI_EXIT_OK;
		DWORD err = GetLastError();
		if (err == ERROR_FILE_NOT_FOUND)
			return CLI_EXIT_OK;
		if ((err != ERROR_SHARING_VIOLATION &&
		     err != ERROR_ACCESS_DENIED) ||
		    tries == 200) {
			cli_error("cannot remove '%s' (error %lu)", path, err);
			return CLI_EXIT_FAIL;
		}
		Sleep(50);
	}
}

static void usage(void)
{
	printf("usage: viogpu-service [--console] [--seconds N] [--log "
	       "FILE] [COMMON OPTIONS]\n"
	       "       viogpu-service --remove-log FILE\n\n"
	       "The resolution service: every enabled head at the size the "
	       "host asks for,\nfollowing the host's display changes "
	       "(`viogpu follow`), until stopped.\nStarted by the Service "
	       "Control Manager (the MSI's Service feature registers\nit "
	       "as \"viogpu\"); --console runs it here instead, until "
	       "Ctrl-C or N seconds.\n--log appends its output to FILE (a "
	       "service has no console); --remove-log\ndeletes it (the MSI's "
	       "uninstall step).\nOn Windows the device is the "
	       "in-process device model (--device sim).\n\n%s",
	       cli_common_help());
}

int main(int argc, char **argv)
{
	static const char *const once[] = {"--seconds", "--log", "--remove-log",
					   NULL};
	bool console = false;
	const char *log = NULL;

	if (!cli_check_repeats(argc, argv, once))
		return CLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			return CLI_EXIT_OK;
		}
		if (!strcmp(a, "--console")) {
			console = true;
			continue;
		}
		if ((!strcmp(a, "--seconds") || !strcmp(a, "--log") ||
		     !strcmp(a, "--remove-log")) &&
		    i + 1 >= argc) {
			cli_error("%s needs a value", a);
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(a, "--seconds")) {
			if (!cli_parse_uint(argv[++i], 86400, &seconds) ||
			    !seconds) {
				cli_error("--seconds wants a number, not '%s'",
					  argv[i]);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		if (!strcmp(a, "--remove-log"))
			return remove_log(argv[++i]);
		if (!strcmp(a, "--log")) {
			log = argv[++i];
			continue;
		}
		if (cli_other_option(&common, argc, argv, &i, "viogpu-service"))
			return CLI_EXIT_USAGE;
	}
	common.frame_bytes = CLI_FOLLOW_FRAME_BYTES;
	if (log && !open_log(log))
		return CLI_EXIT_USAGE;
	InitializeCriticalSection(&status_lock);
	if (console) {
		SetConsoleCtrlHandler(console_handler, TRUE);
		return follow_until_stopped(false);
	}
	static const SERVICE_TABLE_ENTRYW table[] = {
		{(LPWSTR)SERVICE_NAME, service_main}, {NULL, NULL}};
	if (!StartServiceCtrlDispatcherW(table)) {
		DWORD err = GetLastError();
		if (err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
			cli_error("not started by the Service Control Manager: "
				  "install it with the MSI's Service feature, "
				  "or run it here with --console");
		else
			cli_error("StartServiceCtrlDispatcherW failed (error "
				  "%lu)",
				  err);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}
