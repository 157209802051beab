#!/bin/bash
# SPDX-License-Identifier: MIT
# viogpu-view end to end: viogpud on the device model or QEMU, a picture
# drawn with `viogpu draw`, the viewer in an Xvfb of its own (a free
# display number, -displayfd), clicks and drags injected with xdotool.
# Checked: (a) the device's own screendump (viogpud --screendump-on-exit)
# equals the picture plus the cleared pixels and the line, rendered by the
# plain rules of view_probe (not the daemon's code); (b) a screenshot of
# the window (xwd | convert) equals the front buffer from GET_BUFFER pixel
# for pixel (nearest-scaled by view_probe under --fit); (c) a subscribed
# client receives the button and motion events in head coordinates.
# Every process started here is stopped by the EXIT trap, whatever fails.
#
#   test_viewer.sh sim|qemu click-drag|fit|restricted|errors
# VIOGPUD, VIOGPU, VIOGPU_VIEW and VIEW_PROBE name the binaries (meson).
set -u
dev=$1
case_=$2
: "${VIOGPUD:?}" "${VIOGPU:?}" "${VIOGPU_VIEW:?}" "${VIEW_PROBE:?}"

tmp=$(mktemp -d /tmp/viogpu-view-test-XXXXXX)
sock=$tmp/s.sock
pids=() # started here, stopped in reverse order by cleanup

cleanup() {
	local i
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill -TERM "${pids[i]}" 2>/dev/null
	done
	# QEMU goes with its daemon: give them time, then insist.
	for _ in $(seq 100); do
		local alive=0
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null && alive=1
		done
		[ $alive = 0 ] && break
		sleep 0.1
	done
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*" >&2
	for f in viogpud.log view.err xvfb.log; do
		[ -s "$tmp/$f" ] && { echo "--- $f" >&2; tail -20 "$tmp/$f" >&2; }
	done
	exit 1
}

# until_ok SECONDS CMD...: runs CMD every 0.1 s until it succeeds.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

start_x() {
	Xvfb -displayfd 9 -screen 0 2048x1536x24 -nolisten tcp \
		9>"$tmp/dpy" 2>"$tmp/xvfb.log" &
	pids+=($!)
	until_ok 20 test -s "$tmp/dpy" || fail "Xvfb did not start"
	export DISPLAY=":$(head -1 "$tmp/dpy")"
	unset WAYLAND_DISPLAY
}

daemon_ready() {
	read -r W H < <("$VIEW_PROBE" info "$sock" 2>/dev/null) && [ -n "$W" ]
}

start_daemon() {
	"$VIOGPUD" --device "$dev" --socket "$sock" \
		--screendump-on-exit "$tmp/dump.png" 2>"$tmp/viogpud.log" &
	dpid=$!
	pids+=($dpid)
	until_ok 60 "$VIEW_PROBE" info "$sock" || fail "viogpud not ready"
	read -r W H < <("$VIEW_PROBE" info "$sock")
	[ "$W" -ge 400 ] && [ "$H" -ge 300 ] || fail "head 0 is ${W}x$H"
}

# The daemon exits 0 on SIGTERM and leaves the device's picture.
stop_daemon() {
	kill -TERM "$dpid"
	wait "$dpid" || fail "viogpud exited $?"
	[ -s "$tmp/dump.png" ] || fail "no screendump"
	[ ! -e "$sock" ] || fail "socket file left behind"
}

# start_view ARGS...: the viewer up, its window found (WIN).
start_view() {
	"$VIOGPU_VIEW" --socket "$sock" "$@" >"$tmp/view.out" \
		2>"$tmp/view.err" &
	vpid=$!
	pids+=($vpid)
	# Up, or gone (then at once, not after the deadline).
	# 60 s: an ASan viewer's SDL start-up on a loaded 2-core machine.
	until_ok 60 bash -c "grep -q '^viogpu-view: head 0' '$tmp/view.out' ||
		! kill -0 $vpid 2>/dev/null"
	grep -q "^viogpu-view: head 0" "$tmp/view.out" ||
		fail "viewer not up ($(kill -0 $vpid 2>/dev/null && echo running ||
			echo gone)): $(cat "$tmp/view.out")"
	WIN=$(timeout 20 xdotool search --sync --onlyvisible \
		--name '^viogpu-view: head 0' | head -1)
	[ -n "$WIN" ] || fail "no viewer window"
}

# stop_view: SIGTERM is a window close for SDL: exit 0.
stop_view() {
	kill -TERM "$vpid"
	wait "$vpid" || fail "viogpu-view exited $? on SIGTERM"
}

shot() {
	xwd -id "$WIN" -silent | convert xwd:- "png:$tmp/shot.png"
}

front() {
	"$VIEW_PROBE" front "$sock" 0 "$tmp/front.png"
}

# (b): the window shows the front buffer, scaled to WWxWH when given.
window_is_front() {
	front || return 1
	shot || return 1
	if [ $# = 2 ]; then
		"$VIEW_PROBE" scale "$tmp/front.png" "$1" "$2" "$tmp/want.png"
		"$VIEW_PROBE" diff "$tmp/shot.png" "$tmp/want.png"
	else
		"$VIEW_PROBE" diff "$tmp/shot.png" "$tmp/front.png"
	fi
}

front_is() {
	front && "$VIEW_PROBE" diff "$tmp/front.png" "$1"
}

listen() {
	"$VIEW_PROBE" listen "$sock" 0 >"$tmp/events" &
	pids+=($!)
	until_ok 10 grep -q ready "$tmp/events" || fail "listener not ready"
}

# (c): the lines given appear in the listener's output, in this order.
events_in_order() {
	awk -v want="$(printf '%s\n' "$@")" '
		BEGIN { n = split(want, w, "\n"); k = 1 }
		k <= n && $0 == w[k] { k++ }
		END { exit k <= n }' "$tmp/events"
}

base=(clear 0x204080 fill 100 100 200 100 0xc0c0c0)

case "$case_" in
click-drag)
	start_x
	start_daemon
	"$VIOGPU" draw --socket "$sock" "${base[@]}" swap ||
		fail "viogpu draw"
	listen
	start_view
	until_ok 10 window_is_front || fail "window != front at start"
	# Live: another client swaps while the viewer runs.
	"$VIOGPU" draw --socket "$sock" fill 300 300 50 50 0xff0000 swap ||
		fail "viogpu draw"
	until_ok 10 window_is_front || fail "window != front after a swap"
	[ "$("$VIEW_PROBE" pixel "$tmp/shot.png" 310 310)" = 0xff0000 ] ||
		fail "the other client's swap is not in the window"
	# Two clicks (one on the grey box) and a drag.
	xdotool mousemove --window "$WIN" 50 60 click 1
	xdotool mousemove --window "$WIN" 150 120 click 1
	xdotool mousemove --window "$WIN" 120 130 mousedown 1 \
		mousemove --window "$WIN" 170 150 \
		mousemove --window "$WIN" 220 170 mouseup 1
	"$VIEW_PROBE" render "$tmp/expect.png" "$W" "$H" "${base[@]}" \
		fill 300 300 50 50 0xff0000 clear-pixel 50 60 \
		clear-pixel 150 120 clear-pixel 120 130 \
		line 120 130 220 170 0x00ff00 || fail "render"
	until_ok 10 front_is "$tmp/expect.png" ||
		fail "front buffer: $("$VIEW_PROBE" diff "$tmp/front.png" \
			"$tmp/expect.png")"
	until_ok 10 window_is_front ||
		fail "window != front: $("$VIEW_PROBE" diff "$tmp/shot.png" \
			"$tmp/front.png")"
	for p in "50 60" "150 120" "120 130" "220 170" "170 150"; do
		[ "$("$VIEW_PROBE" pixel "$tmp/shot.png" $p)" != 0x204080 ] ||
			fail "($p) not drawn in the window"
	done
	until_ok 5 events_in_order "button 50 60 1 1" "button 50 60 1 0" \
		"button 150 120 1 1" "button 150 120 1 0" \
		"button 120 130 1 1" "motion 220 170" "button 220 170 1 0" ||
		fail "events: $(tr '\n' ';' <"$tmp/events")"
	stop_view
	stop_daemon
	"$VIEW_PROBE" diff "$tmp/dump.png" "$tmp/expect.png" >&2 ||
		fail "the device's screendump differs"
	;;
fit)
	start_x
	start_daemon
	"$VIOGPU" draw --socket "$sock" "${base[@]}" swap ||
		fail "viogpu draw"
	listen
	ww=$((W / 2)) wh=$((H / 2))
	start_view --fit --max "${ww}x$wh"
	read -r gw gh < <(xwininfo -id "$WIN" |
		awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w, h }')
	[ "$gw $gh" = "$ww $wh" ] || fail "window ${gw}x$gh, want ${ww}x$wh"
	until_ok 10 window_is_front "$ww" "$wh" || fail "scaled window"
	# Window points, half the head's: (50,60) and (120,130)-(220,170).
	xdotool mousemove --window "$WIN" 25 30 click 1
	xdotool mousemove --window "$WIN" 60 65 mousedown 1 \
		mousemove --window "$WIN" 110 85 mouseup 1
	"$VIEW_PROBE" render "$tmp/expect.png" "$W" "$H" "${base[@]}" \
		clear-pixel 50 60 clear-pixel 120 130 \
		line 120 130 220 170 0x00ff00 || fail "render"
	until_ok 10 front_is "$tmp/expect.png" ||
		fail "front buffer: $("$VIEW_PROBE" diff "$tmp/front.png" \
			"$tmp/expect.png")"
	until_ok 10 window_is_front "$ww" "$wh" ||
		fail "scaled window != front: $("$VIEW_PROBE" diff \
			"$tmp/shot.png" "$tmp/want.png")"
	until_ok 5 events_in_order "button 50 60 1 1" "button 50 60 1 0" \
		"button 120 130 1 1" "motion 220 170" "button 220 170 1 0" ||
		fail "events: $(tr '\n' ';' <"$tmp/events")"
	stop_view
	stop_daemon
	"$VIEW_PROBE" diff "$tmp/dump.png" "$tmp/expect.png" >&2 ||
		fail "the device's screendump differs"
	;;
restricted)
	start_x
	start_daemon
	"$VIOGPU" draw --socket "$sock" "${base[@]}" swap ||
		fail "viogpu draw"
	start_view
	# Restricted content appears on the head: the viewer must stop.
	"$VIEW_PROBE" restrict "$sock" 0 >"$tmp/restrict.out" &
	rpid=$!
	pids+=($rpid)
	until_ok 10 grep -q ready "$tmp/restrict.out" || fail "restrict"
	until_ok 10 bash -c "! kill -0 $vpid 2>/dev/null" ||
		fail "the viewer still runs on restricted content"
	wait "$vpid"
	rc=$?
	[ $rc = 1 ] || fail "viewer exit $rc on restricted content, want 1"
	grep -q "restricted content" "$tmp/view.err" ||
		fail "no message: $(cat "$tmp/view.err")"
	# A viewer started on it refuses at once, before any window.
	"$VIOGPU_VIEW" --socket "$sock" >/dev/null 2>"$tmp/view2.err"
	rc=$?
	[ $rc = 1 ] || fail "viewer exit $rc, want 1"
	grep -q "restricted content" "$tmp/view2.err" || fail "no message"
	# The restricted client goes: the head is readable again.
	kill -TERM "$rpid"
	wait "$rpid" 2>/dev/null
	until_ok 10 front || fail "head not given back"
	start_view
	until_ok 10 window_is_front || fail "window != front"
	[ "$("$VIEW_PROBE" pixel "$tmp/shot.png" 150 150)" = 0xc0c0c0 ] ||
		fail "not the picture drawn before"
	stop_view
	stop_daemon
	;;
errors)
	"$VIOGPU_VIEW" --help >"$tmp/help" || fail "--help exit $?"
	for w in CLEAR_PIXEL DRAW_LINE --fit --max --socket --head \
		SUBSCRIBE_INPUT RESTRICTED_CONTENT; do
		grep -q -- "$w" "$tmp/help" || fail "--help lacks $w"
	done
	for bad in "--head x" "--head 16" "--max 640x480" "--fit --max 0x5" \
		"--fit --max 640" "--color red" "--color 0x1000000" "--bogus" \
		"--socket"; do
		# shellcheck disable=SC2086
		"$VIOGPU_VIEW" $bad >/dev/null 2>"$tmp/err"
		rc=$?
		[ $rc = 2 ] || fail "'$bad': exit $rc, want 2"
		[ -s "$tmp/err" ] || fail "'$bad': no message"
	done
	"$VIOGPU_VIEW" --socket "$tmp/none.sock" 2>"$tmp/err"
	rc=$?
	[ $rc = 1 ] || fail "no daemon: exit $rc, want 1"
	grep -q "cannot reach viogpud at $tmp/none.sock" "$tmp/err" ||
		fail "no daemon: $(cat "$tmp/err")"
	start_daemon
	env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_RUNTIME_DIR \
		"$VIOGPU_VIEW" --socket "$sock" 2>"$tmp/err" >/dev/null
	rc=$?
	[ $rc = 1 ] || fail "no display: exit $rc, want 1"
	grep -q "no display" "$tmp/err" || fail "no display: $(cat "$tmp/err")"
	"$VIOGPU_VIEW" --socket "$sock" --head 1 2>"$tmp/err" >/dev/null
	[ $? = 1 ] && grep -q "no head 1" "$tmp/err" ||
		fail "head 1: $(cat "$tmp/err")"
	# The daemon goes away under a running viewer.
	start_x
	start_view
	kill -TERM "$dpid"
	wait "$dpid"
	until_ok 10 bash -c "! kill -0 $vpid 2>/dev/null" ||
		fail "the viewer outlives its daemon"
	wait "$vpid"
	rc=$?
	[ $rc = 1 ] || fail "daemon gone: exit $rc, want 1"
	grep -q "viogpud went away" "$tmp/view.err" ||
		fail "daemon gone: $(cat "$tmp/view.err")"
	;;
*)
	echo "test_viewer.sh: unknown case '$case_'" >&2
	exit 2
	;;
esac
echo "ok: viewer $dev $case_"
