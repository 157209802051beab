#!/bin/sh
# viogpu-service.exe outside the Service Control Manager, under Wine:
# --console runs the follow loop on the device model and ends it cleanly;
# started by hand without --console it refuses (exit 2) and says why;
# --remove-log (the MSI's uninstall step) removes the log, and a missing
# one is not an error.  Usage: service_console.sh WINE-RUN.SH SERVICE.EXE
# WORKDIR
set -eu
run=$1 svc=$2 work=$3
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
mkdir -p "$work"
work=$(cd "$work" && pwd)

"$run" "$svc" --console --seconds 1 --device sim </dev/null \
	>"$work/out" 2>&1 || fail "--console: exit $?: $(cat "$work/out")"
grep -q '^head 0: 1024x768, screendump equals the frame' "$work/out" &&
	grep -q '^following display changes for 1 s' "$work/out" &&
	grep -q '^viogpu-service: stopped (loop ended)' "$work/out" ||
	fail "--console output: $(cat "$work/out")"

rc=0
"$run" "$svc" </dev/null >"$work/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "without the SCM: exit $rc, expected 2"
grep -q 'not started by the Service Control Manager' "$work/out" ||
	fail "without the SCM: $(cat "$work/out")"

echo x >"$work/test.log"
win=$(printf 'Z:%s' "$work/test.log" | tr / '\\')
"$run" "$svc" --remove-log "$win" </dev/null || fail "--remove-log: exit $?"
[ ! -e "$work/test.log" ] || fail "--remove-log left the file"
"$run" "$svc" --remove-log "$win" </dev/null ||
	fail "--remove-log of a missing log: exit $?"
echo ok
