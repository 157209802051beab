#!/bin/bash
# The viogpu CLI as a user meets it.  usage: test_cli.sh VIOGPU CASE
set -u
VIOGPU="$1"
CASE="$2"
T=$(mktemp -d /tmp/viogpu-cli-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [$CASE]: $*" >&2
	[ -f "$T/err" ] && { echo "--- stderr:" >&2; cat "$T/err" >&2; }
	exit 1
}

# run EXPECTED_RC ARGS...: runs viogpu, checks the exit code.
# Pids of the viogpu processes this test ran: their QEMU and RAM file are
# named after them (other runs on the machine are none of our business).
PIDS=""

run() {
	local want="$1"
	shift
	"$VIOGPU" "$@" >"$T/out" 2>"$T/err" &
	local pid=$!
	PIDS="$PIDS $pid"
	wait "$pid"
	local rc=$?
	[ "$rc" = "$want" ] || fail "viogpu $* exited $rc, expected $want"
}

# Bad input: exit 2 and exactly one line on stderr, naming the problem.
one_line_error() {
	local pattern="$1"
	shift
	run 2 "$@"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "expected one stderr line"
	grep -q -- "$pattern" "$T/err" || fail "stderr lacks '$pattern'"
}

# No QEMU started by this test may survive it, nor its RAM file.
no_leftovers() {
	sleep 0.3
	for p in $PIDS; do
		if pgrep -f "mem-path=/dev/shm/viogpu-$p-" >/dev/null; then
			fail "a QEMU process of viogpu $p was left running"
		fi
		if ls /dev/shm/viogpu-"$p"-* >/dev/null 2>&1; then
			fail "files left in /dev/shm: $(ls /dev/shm/viogpu-"$p"-*)"
		fi
	done
}

case "$CASE" in
help)
	run 0 --help
	grep -q "show" "$T/out" || fail "--help lists no commands"
	for c in info edid show demo; do
		run 0 "$c" --help
		grep -q "usage: viogpu $c" "$T/out" || fail "$c --help"
		grep -q -- "--device" "$T/out" || fail "$c --help lacks --device"
	done
	grep -q -- "--hold" <("$VIOGPU" show --help) || fail "show --help lacks --hold"
	one_line_error "unknown command" frobnicate
	run 2
	;;
bad-mode)
	one_line_error "bad mode '1920by1080'" show --pattern bars --mode 1920by1080
	one_line_error "bad mode '0x768'" show --pattern bars --mode 0x768
	one_line_error "bad mode '99999x10'" show --pattern bars --mode 99999x10
	one_line_error "bad mode 'x'" demo --mode x
	one_line_error "requires\|required" show --pattern bars
	no_leftovers
	;;
bad-pattern)
	one_line_error "unknown pattern 'stripes'" show --pattern stripes --mode 640x480
	one_line_error "one of --pattern or --image" show --mode 640x480
	no_leftovers
	;;
bad-image)
	one_line_error "$T/missing.png" show --image "$T/missing.png" --mode 640x480
	echo "not a png" >"$T/text.png"
	one_line_error "text.png" show --image "$T/text.png" --mode 640x480
	no_leftovers
	;;
bad-device)
	one_line_error "unknown device 'vmware'" info --device vmware
	one_line_error "bad device property 'colour=red'" info --device qemu,colour=red
	one_line_error "--heads wants" info --heads 17
	one_line_error "not both" info --heads 2 --device qemu,max_outputs=2
	no_leftovers
	;;
no-qemu)
	VIOGPU_QEMU=/nonexistent/qemu-system-x86_64 \
		"$VIOGPU" info >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = 2 ] || fail "missing QEMU exited $rc, expected 2"
	grep -q "/nonexistent/qemu-system-x86_64" "$T/err" ||
		fail "error does not name the binary"
	no_leftovers
	;;
head-beyond)
	run 2 show --pattern bars --mode 640x480 --head 1
	grep -q "head 1 is beyond the device's 1 scanout" "$T/err" ||
		fail "no clear message for a head beyond the scanouts"
	no_leftovers
	;;
info)
	run 0 info --heads 2 --device qemu,xres=1366,yres=768
	grep -q "^scanouts: *2" "$T/out" || fail "info does not show 2 scanouts"
	grep -q "negotiated:.*VERSION_1" "$T/out" || fail "no VERSION_1"
	grep -q "negotiated:.*EDID" "$T/out" || fail "EDID not negotiated"
	grep -q "head 0: *1366x768" "$T/out" || fail "head 0 size"
	grep -q 'monitor "QEMU Monitor"' "$T/out" || fail "monitor name"
	no_leftovers
	;;
edid)
	run 0 edid --raw "$T/edid.bin"
	[ "$(head -c 8 "$T/edid.bin" | od -An -tx1 | tr -d ' \n')" = 00ffffffffffff00 ] ||
		fail "raw EDID lacks the header"
	# Only the blocks the EDID claims, not QEMU's 1024 padded bytes.
	ext=$(od -An -tu1 -j126 -N1 "$T/edid.bin" | tr -d ' ')
	[ "$(stat -c %s "$T/edid.bin")" = $((128 * (1 + ext))) ] ||
		fail "raw EDID is not 128 * (1 + $ext) bytes"
	run 0 edid
	head -1 "$T/out" | grep -q "^00 ff ff ff ff ff ff 00" || fail "hex EDID"
	[ "$(wc -l <"$T/out")" = $((8 * (1 + ext))) ] || fail "hex EDID length"
	run 0 edid --decode
	grep -q "^name: QEMU Monitor$" "$T/out" || fail "decoded name"
	grep -q "^timing: .* preferred" "$T/out" || fail "no preferred timing"
	grep -q "^diags: " "$T/out" || fail "decoded text incomplete"
	no_leftovers
	;;
show-png)
	run 0 show --pattern grid --mode 1366x768 --out "$T/shot.png"
	grep -q "screendump equals the frame" "$T/out" || fail "no match line"
	[ -s "$T/shot.png" ] || fail "no PNG written"
	[ "$(head -c 8 "$T/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail "output is not a PNG"
	no_leftovers
	;;
show-image)
	# The screenshot of one show is a valid input image for the next.
	run 0 show --pattern bars --mode 320x200 --out "$T/in.png"
	run 0 show --image "$T/in.png" --mode 640x400 --out "$T/out.png"
	grep -q "screendump equals the frame" "$T/out" || fail "no match line"
	no_leftovers
	;;
sim-device)
	run 0 show --device sim,xres=1366,yres=768 --pattern grid --mode 1366x768 --out "$T/s.png"
	grep -q "screendump equals the frame" "$T/out" || fail "sim show"
	run 0 info --device sim --heads 3
	grep -q "^scanouts: *3" "$T/out" || fail "sim heads"
	grep -q 'monitor "viogpu sim"' "$T/out" || fail "sim monitor name"
	one_line_error "bad device property 'colour=red'" info --device sim,colour=red
	one_line_error "bad value in device property 'max_hostmem=lots'" info --device sim,max_hostmem=lots
	;;
sim-edid-file)
	# A real monitor's EDID on a head of the model: edid returns it byte
	# for byte, modes lists its timings.
	data=$(dirname "$0")/data/edid
	run 0 edid --raw "$T/e.bin" --device sim,edid0="$data/cta-hdr.bin"
	cmp -s "$T/e.bin" "$data/cta-hdr.bin" || fail "EDID not returned as given"
	run 0 modes --device sim,edid0="$data/cta-hdr.bin"
	grep -q "7680x4320  @ 24.000 Hz  edid" "$T/out" || fail "the EDID's 8K VIC is not listed"
	# HF-EEODB: byte 126 says 1 extension, the override block 3; the
	# timings of blocks 2 and 3 are listed and all 512 bytes returned.
	run 0 modes --device sim,edid0="$data/cta-hf-eeodb.bin"
	for m in "2560x1080  @ 60.021 Hz  edid" "3840x1080  @ 60.000 Hz  edid" \
		"3840x1600  @ 60.000 Hz  edid"; do
		grep -q "$m" "$T/out" || fail "HF-EEODB block timing '$m' not listed"
	done
	# ... and the head's HDR capability from its CTA HDR block
	grep -q "^  hdr: sdr pq hlg, desired max 672.7, frame-average 282.8, min 0.106 cd/m2$" \
		"$T/out" || fail "modes: no HDR capability line"
	run 0 info --device sim,edid0="$data/cta-hf-eeodb.bin"
	grep -q "EDID 512 bytes" "$T/out" || fail "info: HF-EEODB EDID not 512 bytes"
	grep -q "^head 0 hdr: *sdr pq hlg, desired max 672.7" "$T/out" ||
		fail "info: no HDR capability line"
	run 0 info --device sim
	grep -q "^head 0 hdr: *none$" "$T/out" || fail "info: sim EDID has no HDR"
	run 0 edid --raw "$T/e.bin" --device sim,edid0="$data/cta-hf-eeodb.bin"
	cmp -s "$T/e.bin" "$data/cta-hf-eeodb.bin" || fail "HF-EEODB EDID not returned whole"
	run 0 edid --decode --heads 2 --head 1 --device sim,edid1="$data/v13-analog.bin"
	grep -q "^edid: 1.3" "$T/out" || fail "head 1 does not show the given EDID"
	one_line_error "cannot read EDID file" info --device sim,edid0="$T/none.bin"
	one_line_error "names head 3" info --device sim,edid3="$data/cta-hdr.bin"
	no_leftovers
	;;
faults)
	# A stall in the middle of the demo: the frame fails, the driver
	# resets the device, the picture comes back and the run succeeds.
	run 0 demo --device sim --mode 640x480 --seconds 1 --timeout 200 \
		--faults "stall:cmd=40,badid:every=25" --stats --out "$T/d.png"
	grep -q "present failed: device timed out" "$T/out" || fail "no failed frame"
	grep -q "reset the device 1 time" "$T/out" || fail "no reset reported"
	grep -q "screendump equals what was drawn" "$T/out" || fail "picture not restored"
	grep -q "recoveries: *1 device resets" "$T/out" || fail "stats: resets"
	grep -Eq "protocol violations: 0 bad responses, [1-9][0-9]* bogus used-ring" "$T/out" ||
		fail "stats: bogus used entries not counted"
	# A device refusal is a failed call with its response code.
	run 1 show --device sim --pattern bars --mode 640x480 \
		--faults "error:type=RESOURCE_CREATE_2D@ERR_OUT_OF_MEMORY"
	grep -q "ERR_OUT_OF_MEMORY" "$T/err" || fail "response code not shown"
	one_line_error "bad fault term 'frobnicate'" info --device sim --faults frobnicate
	one_line_error "needs --device sim" info --faults drop
	;;
power-cycle-bad-input)
	one_line_error "--cycles wants" power-cycle --cycles 0
	one_line_error "bad mode" power-cycle --mode 10x10
	run 0 power-cycle --help
	grep -q -- "--hibernate" "$T/out" || fail "help lacks --hibernate"
	;;
power-cycle-sim-4k)
	# The issue's bar: 1000 cycles at 3840x2160 on 2 heads on the model.
	# After every cycle power-cycle itself checks each head's picture and
	# that the driver and the model hold exactly 2 framebuffers + cursor.
	run 0 power-cycle --device sim --heads 2 --mode 3840x2160 --cycles 1000
	grep -q "1000 cycles in" "$T/out" || fail "no summary"
	grep -q "every picture restored" "$T/out" || fail "not restored"
	grep summary "$T/out"
	;;
power-cycle-qemu-8k)
	# 200 hibernate cycles at 7680x4320 on QEMU.  QEMU's own trace is
	# the independent count: every RESOURCE_CREATE_2D is matched by a
	# RESOURCE_UNREF.  max_hostmem=300M holds one 8K frame and the cursor
	# but not two frames: a leaked frame would make QEMU refuse the next.
	VIOGPU_QEMU_EXTRA_ARGS="-trace virtio_gpu_cmd_res_create_2d -trace virtio_gpu_cmd_res_unref -D $T/trace.log" \
		run 0 power-cycle --device qemu,max_hostmem=300M --mode 7680x4320 --cycles 200
	grep -q "every picture restored" "$T/out" || fail "not restored"
	creates=$(grep -c "virtio_gpu_cmd_res_create_2d" "$T/trace.log")
	unrefs=$(grep -c "virtio_gpu_cmd_res_unref" "$T/trace.log")
	# fb + cursor, created at start and after each of 200 cycles.
	[ "$creates" = 402 ] || fail "QEMU saw $creates creates, expected 402"
	[ "$unrefs" = "$creates" ] || fail "QEMU saw $creates creates but $unrefs unrefs"
	grep summary "$T/out"
	echo "QEMU trace: $creates RESOURCE_CREATE_2D, $unrefs RESOURCE_UNREF"
	no_leftovers
	;;
follow-vnc)
	# Hot-plug on QEMU's real device: a VNC client asks QEMU to resize
	# the desktop; virtio-gpu reports a display change; follow resizes
	# the head and checks the screendump at each new size.
	here=$(dirname "$0")
	disp=$((40 + $$ % 50))
	VIOGPU_QEMU_EXTRA_ARGS="-vnc 127.0.0.1:$disp" \
		"$VIOGPU" follow --seconds 40 --changes 2 >"$T/out" 2>"$T/err" &
	pid=$!
	PIDS="$PIDS $pid"
	python3 "$here/vnc_resize.py" 127.0.0.1 $((5900 + disp)) 1600 900 1280 1024 \
		>"$T/vnc" 2>&1 || { kill "$pid"; cat "$T/vnc"; fail "VNC client failed"; }
	wait "$pid" || fail "follow failed"
	grep -q "head 0: 1600x900, screendump equals the frame" "$T/out" ||
		fail "the 1600x900 request was not followed"
	grep -q "head 0: 1280x1024, screendump equals the frame" "$T/out" ||
		fail "the 1280x1024 request was not followed"
	grep -q "followed 2 display change" "$T/out" || fail "no summary"
	cat "$T/out"
	no_leftovers
	;;
sigint-cleanup)
	# A non-interactive shell starts background jobs with SIGINT ignored;
	# job control (set -m) gives the job default signal dispositions, as
	# a user's Ctrl-C in a terminal would meet them.
	set -m
	for sig in INT TERM; do
		# A fresh output file per run: the last run's "holding" must
		# not let this one be signalled before it is up.
		out="$T/out-$sig"
		"$VIOGPU" show --pattern bars --mode 640x480 --hold 60 \
			--out "$T/x.png" >"$out" 2>"$T/err" &
		pid=$!
		PIDS="$PIDS $pid"
		for _ in $(seq 100); do
			grep -q holding "$out" 2>/dev/null && break
			sleep 0.1
		done
		grep -q holding "$out" || fail "show never reached --hold"
		start=$(date +%s)
		kill -"$sig" "$pid"
		wait "$pid"
		rc=$?
		[ "$rc" != 0 ] || fail "show exited 0 after SIG$sig"
		[ $(($(date +%s) - start)) -lt 10 ] || fail "SIG$sig took too long"
		no_leftovers
	done
	;;
*)
	fail "unknown case"
	;;
esac
echo "ok [$CASE]"
