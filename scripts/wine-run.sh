#!/bin/sh
# Runs a cross-built Windows program under Wine, headless (no X display is
# needed for console programs), in a private prefix under build-win/ that
# is created on first use (wineboot -i, a few seconds once).  Meson's
# exe_wrapper for the Windows build (cross/x86_64-w64-mingw32.txt).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
: "${WINEPREFIX:=$root/build-win/wineprefix}"
export WINEPREFIX
export WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	mkdir -p "$WINEPREFIX"
	# Serialise first-time creation across parallel tests.
	flock -o "$WINEPREFIX/.init.lock" sh -c \
		'[ -f "$WINEPREFIX/system.reg" ] ||
		{ wine wineboot -i </dev/null >/dev/null 2>&1; wineserver -k; }'
fi
# A server that outlives each program by 10 s: the one wine starts by
# itself exits the moment its last program does, and a test starting in
# that moment dies with "wine client error: recvmsg: Connection reset by
# peer" (seen here).  When this starts it (exit 0; 2: one already runs),
# wineboot starts Wine's own background processes too, with stdio on
# /dev/null: started by a test, they would hold its output pipes open
# until the server exits (meson then waits for them).
flock -o "$WINEPREFIX/.init.lock" sh -c \
	'if wineserver -p10 </dev/null >/dev/null 2>&1; then
		wine wineboot </dev/null >/dev/null 2>&1
	fi' || true
exec wine "$@"
