#!/bin/sh
# The MSI under Wine's msiexec, in a fresh private prefix under the build
# directory: install (tools only, the service NOT registered), modify (add
# the service: registered and running; stopped and started again through
# the SCM), upgrade to a higher version while the service runs, refuse a
# downgrade, modify (remove the service), and uninstall (no file, service
# or process left).  Usage: msi_test.sh SOURCE_ROOT VIOGPU.EXE
# VIOGPU-SERVICE.EXE VERSION WORKDIR
set -eu
root=$1 cli=$2 svc=$3 version=$4 work=$5

mkdir -p "$work"
work=$(cd "$work" && pwd)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY
# Everything this prefix runs ends with its server, pass or fail, and the
# server is gone before the next run makes a prefix at the same path (a
# dying server found there failed wineboot -i, exit 53).
stop_server() {
	[ -d "$WINEPREFIX" ] || return 0
	wineserver -k 2>/dev/null || true
	wineserver -w 2>/dev/null || true
}
stop_server
rm -rf "$work"
mkdir -p "$work"
trap stop_server EXIT

fail() {
	echo "FAIL: $*" >&2
	echo "service processes: $(service_processes | tr '\n' ' ')" >&2
	exit 1
}
step() { echo "== $*"; }
# One line of a file or a listing, for a failure message.
line() { tr '\n' '|'; }
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# Two packages of the same build: VERSION and one patch level above it
# (its README marked, to tell whose files are installed).
high=$(echo "$version" | awk -F. '{ $NF = $NF + 1; print }' OFS=.)
cp "$root/README.md" "$work/README-high.md"
echo "msi-test-marker $high" >>"$work/README-high.md"
"$root/scripts/make-msi.sh" "$work/low.msi" "$version" "$cli" "$svc" \
	"$root/README.md"
"$root/scripts/make-msi.sh" "$work/high.msi" "$high" "$cli" "$svc" \
	"$work/README-high.md"
echo "built $version ($(wc -c <"$work/low.msi") bytes) and $high"

# The package itself: the service feature is off by default (its level
# above INSTALLLEVEL, 1), the tools on.
msiinfo export "$work/low.msi" Feature >"$work/features"
awk -F'\t' '$1 == "Tools" && $6 == 1 { t = 1 }
	$1 == "Service" && $6 > 1 { s = 1 } END { exit !(t && s) }' \
	"$work/features" || fail "feature levels: $(line <"$work/features")"

# A prefix made in the same server session as its services.exe loses
# services created later (StartServices then fails with 1060 and msiexec
# rolls back, exit 91: seen here every time), so the prefix is made, its
# server ended, and one persistent server (ended by the trap) started.
wine wineboot -i </dev/null >/dev/null 2>&1 || fail "wineboot -i: exit $?"
stop_server # the one that made the prefix (it may have ended already)
wineserver -p || fail "wineserver -p: exit $?"
wine wineboot </dev/null >/dev/null 2>&1 || fail "wineboot: exit $?"

dir="$WINEPREFIX/drive_c/Program Files/viogpu"
log="$dir/viogpu-service.log"
n=0
msiexec() {
	n=$((n + 1))
	wine msiexec "$@" /qn /l*v "$(winpath "$work/msiexec-$n.log")" \
		</dev/null >/dev/null 2>&1
}
state() {
	wine sc query viogpu </dev/null 2>/dev/null | tr -d '\r' |
		awk '$1 == "STATE" { print $4 }'
}
wait_state() {
	i=0
	while [ "$(state)" != "$1" ]; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "service not $1 after 10 s: '$(state)'"
		sleep 0.2
	done
}
wait_log() {
	i=0
	while ! grep -q "$1" "$log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "no '$1' in the service log after 10 s"
		sleep 0.2
	done
}
registered() {
	wine reg query 'HKLM\System\CurrentControlSet\Services\viogpu' \
		</dev/null >/dev/null 2>&1
}
versions() {
	wine reg query \
		'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s \
		</dev/null 2>/dev/null | tr -d '\r' |
		awk 'function flush() {
				if (name == "viogpu") print ver
				name = ver = ""
			}
			/^HKEY/ { flush() }
			$1 == "DisplayName" { name = $3 }
			$1 == "DisplayVersion" { ver = $3 }
			END { flush() }'
}
# Wine shows a process's Windows command line: the service's starts with
# its path (this script's own arguments do not).
service_processes() {
	for p in $(pgrep -f '^C:.*\\viogpu-service\.exe' || true); do
		{ tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null |
			grep -qx "WINEPREFIX=$WINEPREFIX" && echo "$p"
	done
	true
}

step "msiexec /i low.msi: the tools only"
msiexec /i "$(winpath "$work/low.msi")" || fail "install: exit $?"
[ -f "$dir/viogpu.exe" ] && [ -f "$dir/README.md" ] ||
	fail "tools not installed: $(ls "$dir" 2>&1 | line)"
[ ! -e "$dir/viogpu-service.exe" ] || fail "service installed by default"
! registered || fail "service registered by default"
wine "$dir/viogpu.exe" info --device sim </dev/null >"$work/info" 2>&1 ||
	fail "installed viogpu.exe info: $(line <"$work/info")"
grep -q '^head 0: *1024x768' "$work/info" || fail "info: $(line <"$work/info")"
[ "$(versions)" = "$version" ] || fail "installed versions: $(versions)"
echo "ok: $(ls "$dir" | line)"

step "msiexec /i low.msi ADDLOCAL=Service: the service added"
msiexec /i "$(winpath "$work/low.msi")" ADDLOCAL=Service ||
	fail "modify (add the service): exit $?"
[ -f "$dir/viogpu-service.exe" ] && [ -f "$dir/viogpu.exe" ] ||
	fail "files after modify: $(ls "$dir" 2>&1 | line)"
registered || fail "service not registered"
wait_state RUNNING
wait_log 'following display changes until stopped'
grep -q '^head 0: 1024x768, screendump equals the frame' "$log" ||
	fail "service log: $(line <"$log")"
# What later steps check is gone must be seen here first.
[ -n "$(service_processes)" ] || fail "no service process found"
echo "ok: running, log: $(line <"$log")"

step "sc stop / sc start"
wine sc stop viogpu </dev/null >/dev/null 2>&1 || fail "sc stop: exit $?"
wait_state STOPPED
wait_log 'stopped (asked to stop)'
[ -z "$(service_processes)" ] || fail "service process left after stop"
wine sc start viogpu </dev/null >/dev/null 2>&1 || fail "sc start: exit $?"
wait_state RUNNING
echo "ok: stopped cleanly, running again"

step "msiexec /i high.msi ADDLOCAL=ALL: upgrade while the service runs"
msiexec /i "$(winpath "$work/high.msi")" ADDLOCAL=ALL ||
	fail "upgrade: exit $?"
[ "$(versions)" = "$high" ] || fail "versions after upgrade: $(versions)"
grep -q "msi-test-marker $high" "$dir/README.md" ||
	fail "the upgrade left the old files"
wait_state RUNNING
wait_log 'following display changes until stopped'
# The old product's removal stopped its service and removed its log; the
# new service wrote this one.
[ "$(grep -c 'starting (pid' "$log")" -eq 1 ] ||
	fail "log after upgrade: $(line <"$log")"
echo "ok: only $high installed, service running"

step "msiexec /i low.msi: a downgrade is refused"
rc=0
msiexec /i "$(winpath "$work/low.msi")" || rc=$?
[ "$rc" != 0 ] || fail "the lower version installed over the higher one"
[ "$(versions)" = "$high" ] || fail "versions after downgrade: $(versions)"
[ "$(state)" = RUNNING ] || fail "service after refused downgrade: $(state)"
echo "ok: refused (exit $rc), $high still installed and running"

step "msiexec /i high.msi REMOVE=Service: the service removed, tools kept"
msiexec /i "$(winpath "$work/high.msi")" REMOVE=Service ||
	fail "modify (remove the service): exit $?"
! registered || fail "service still registered"
[ ! -e "$dir/viogpu-service.exe" ] && [ ! -e "$log" ] ||
	fail "service files left: $(ls "$dir" | line)"
[ -f "$dir/viogpu.exe" ] || fail "the tools went with the service"
[ -z "$(service_processes)" ] || fail "service process left"
echo "ok: $(ls "$dir" | line)"

step "msiexec /x high.msi with the service running: uninstall"
msiexec /i "$(winpath "$work/high.msi")" ADDLOCAL=Service ||
	fail "modify (add the service again): exit $?"
wait_state RUNNING
msiexec /x "$(winpath "$work/high.msi")" || fail "uninstall: exit $?"
[ ! -e "$dir" ] || fail "left under Program Files: $(ls -A "$dir" | line)"
! registered || fail "service key left"
[ -z "$(versions)" ] || fail "still listed as installed: $(versions)"
i=0
while [ -n "$(service_processes)" ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "service process left after uninstall"
	sleep 0.2
done
echo "ok: no files, no service, no process"

# The prefix (about 700 MB) is kept only when a step failed, to look into.
stop_server
rm -rf "$WINEPREFIX"
