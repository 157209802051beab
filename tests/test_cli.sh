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
# Pids of the viogpu processes this test ran: their QEMU (-name
# guest=viogpu-PID-START) and files are named after them (other runs on the
# machine are none of our business).
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
		if pgrep -f "guest=viogpu-$p-" >/dev/null; then
			fail "a QEMU process of viogpu $p was left running"
		fi
		if ls /dev/shm/viogpu-"$p"-* >/dev/null 2>&1; then
			fail "files left in /dev/shm: $(ls /dev/shm/viogpu-"$p"-*)"
		fi
	done
}

# refused PATTERN ARGS...: bad input is refused before anything starts:
# exit 2, one stderr line matching PATTERN, and QEMU never run (a spy
# stands in for it and would leave a mark).
refused() {
	local pattern="$1"
	shift
	printf '#!/bin/sh\ntouch "%s/qemu-ran"\nexit 1\n' "$T" >"$T/qemu-spy"
	chmod +x "$T/qemu-spy"
	rm -f "$T/qemu-ran"
	VIOGPU_QEMU="$T/qemu-spy" one_line_error "$pattern" "$@"
	[ ! -e "$T/qemu-ran" ] || fail "viogpu $* started QEMU before refusing"
}

# The pid of the QEMU a viogpu process started (waits up to 10 s).
qemu_of() {
	local q=""
	for _ in $(seq 100); do
		q=$(pgrep -f "guest=viogpu-$1-" | head -1)
		[ -n "$q" ] && break
		sleep 0.1
	done
	echo "$q"
}

# Waits up to 10 s for a line matching $2 in file $1.
wait_for() {
	for _ in $(seq 100); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "never saw '$2' in $1"
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
show-hdr-png)
	# A 16-bit PQ PNG with cICP/mDCV/cLLI (written here with zlib only):
	# presented through the head's colorimetry on the model; viogpu
	# checks the screendump against the converter's own output, and the
	# anchors below are independent of it: 10000 nits clips to white,
	# 0 stays black, and PQ 0.5 (92 nits) under MaxCLL 1000 is 180 (a
	# driver showing code values as sRGB would give 128).
	png="$(dirname "$0")/hdr_png.py"
	python3 "$png" write "$T/hdr.png" || fail "cannot write the test PNG"
	run 0 show --device sim --image "$T/hdr.png" --mode 320x180 --out "$T/s.png"
	grep -q "^head 0: color space bt2020-pq (HDR10) (from cICP); metadata (mDCV/cLLI): MaxCLL 1000, MaxFALL 400, mastering 0.0050..1000 nits, R 0.7080,0.2920 G 0.1700,0.7970 B 0.1310,0.0460 W 0.3127,0.3290; tone-mapped from Lw 1000 nits onto 203$" \
		"$T/out" || fail "no color space / metadata line"
	grep -q "screendump equals the converter's SDR output" "$T/out" || fail "no match line"
	[ "$(python3 "$png" probe "$T/s.png" 40 90)" = "180 180 180" ] || fail "PQ 0.5 not 180"
	[ "$(python3 "$png" probe "$T/s.png" 300 40)" = "255 255 255" ] || fail "10000 nits not white"
	[ "$(python3 "$png" probe "$T/s.png" 300 150)" = "0 0 0" ] || fail "0 not black"
	# The draft spellings mDCv / cLLi are read the same.
	python3 "$png" write "$T/draft.png" --draft
	run 0 show --device sim --image "$T/draft.png" --mode 160x90 --out "$T/d.png"
	grep -q "metadata (mDCV/cLLI): MaxCLL 1000, MaxFALL 400" "$T/out" || fail "draft chunks not read"
	# Flags override each chunk: a higher MaxCLL darkens the mid grey.
	run 0 show --device sim --image "$T/hdr.png" --mode 320x180 --out "$T/s2.png" \
		--max-cll 4000 --max-fall 500 \
		--mastering 0.708,0.292,0.170,0.797,0.131,0.046,0.3127,0.3290,0.001,4000
	grep -q "metadata (file+flags): MaxCLL 4000, MaxFALL 500, mastering 0.0010..4000 nits" "$T/out" ||
		fail "overrides not used"
	[ "$(python3 "$png" probe "$T/s2.png" 40 90)" = "170 170 170" ] || fail "MaxCLL 4000: PQ 0.5 not 170"
	run 0 show --device sim --image "$T/hdr.png" --mode 160x90 --out "$T/s3.png" --transfer hlg
	grep -q "color space bt2020-hlg (from flags)" "$T/out" || fail "--transfer hlg not used"
	# Without any chunk or flag a 16-bit PNG is plain SDR, as before.
	python3 "$png" write "$T/sdr.png" --no-chunks
	run 0 show --device sim --image "$T/sdr.png" --mode 160x90 --out "$T/s4.png"
	grep -q "screendump equals the frame" "$T/out" || fail "SDR path"
	grep -q "color space" "$T/out" && fail "SDR image printed a color space"
	[ "$(python3 "$png" probe "$T/s4.png" 40 45)" = "128 128 128" ] || fail "SDR 0.5 not 128"
	;;
show-hdr-bad)
	# Checked before anything starts: exit 2, one line.
	png="$(dirname "$0")/hdr_png.py"
	python3 "$png" write "$T/hdr.png"
	S="show --device sim --image $T/hdr.png --mode 160x90 --out $T/x.png"
	one_line_error "transfer wants pq, hlg, srgb or linear, not 'foo'" $S --transfer foo
	one_line_error "primaries wants bt709 or bt2020, not 'bt601'" $S --primaries bt601
	one_line_error "transfer pq with primaries bt709 has no conversion" $S --primaries bt709
	one_line_error "max-cll wants whole nits 0..65535, not '-1'" $S --max-cll -1
	one_line_error "max-fall wants whole nits 0..65535, not '70000'" $S --max-fall 70000
	one_line_error "HDR metadata (file+flags): MaxFALL above MaxCLL" $S --max-cll 300
	one_line_error "HDR metadata (file+flags): chromaticity out of range" $S \
		--mastering 0.8,0.3,0.170,0.797,0.131,0.046,0.3127,0.3290,0.005,1000
	one_line_error "HDR metadata (file+flags): min mastering luminance not below the max" $S \
		--mastering 0.708,0.292,0.170,0.797,0.131,0.046,0.3127,0.3290,1000,1000
	one_line_error "mastering wants Rx,Ry,Gx,Gy,Bx,By,Wx,Wy,MIN,MAX" $S --mastering 0.7,0.3
	one_line_error "mastering wants" $S --mastering 0.708,0.292,0.170,0.797,0.131,0.046,0.3127,0.3290,0.005,1000,
	one_line_error "max-cll given twice" $S --max-cll 1 --max-cll 2
	one_line_error "go with --image" show --device sim --pattern bars --mode 160x90 --transfer pq
	[ -e "$T/x.png" ] && fail "a refused show wrote its output"
	;;
show-hdr-qemu)
	# The same 16-bit PQ PNG on QEMU's virtio-gpu: the screendump is the
	# converter's SDR output.
	png="$(dirname "$0")/hdr_png.py"
	python3 "$png" write "$T/hdr.png"
	run 0 show --image "$T/hdr.png" --mode 640x360 --out "$T/q.png"
	grep -q "color space bt2020-pq (HDR10) (from cICP); metadata (mDCV/cLLI): MaxCLL 1000" "$T/out" ||
		fail "no color space line"
	grep -q "screendump equals the converter's SDR output" "$T/out" || fail "no match line"
	[ "$(python3 "$png" probe "$T/q.png" 80 180)" = "180 180 180" ] || fail "PQ 0.5 not 180 on QEMU"
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
# ---- issue 8: the tools under a careless or hostile user, row by row ----
demo-small-modes)
	# Row 1: boxes wider than the room their step leaves bounced to a
	# negative x (ASan SEGV in copy_rect).  Every small mode, down to the
	# minimum, runs and shows exactly what was drawn.
	for m in 64x64 66x64 70x64 72x64 64x100 16x16 17x16 16x17 16x200 \
		200x16 31x31 40x40 63x64 100x64 99x17 130x20; do
		run 0 demo --device sim --mode "$m" --seconds 1 --out "$T/d.png"
		grep -q "screendump equals what was drawn" "$T/out" ||
			fail "demo at $m: picture not as drawn"
	done
	run 0 demo --device qemu --mode 64x64 --seconds 1 --out "$T/d.png"
	grep -q "screendump equals what was drawn" "$T/out" || fail "demo 64x64 on QEMU"
	refused "bad mode '15x64' (want WxH, each 16..16384)" demo --mode 15x64
	no_leftovers
	;;
qemu-stopped)
	# Row 2: a stopped QEMU held one present for the qtest channel's own
	# 30 s.  Now every wait follows --timeout and a QEMU that does not
	# answer counts as gone: demo ends at once, exit 1.
	"$VIOGPU" demo --device qemu --mode 640x480 --seconds 60 --timeout 500 \
		--out "$T/d.png" >"$T/out" 2>"$T/err" &
	pid=$!
	PIDS="$PIDS $pid"
	wait_for "$T/out" "^frame"
	q=$(qemu_of "$pid")
	[ -n "$q" ] || fail "no QEMU found"
	start=$(date +%s%N)
	kill -STOP "$q"
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	kill -CONT "$q" 2>/dev/null
	[ "$rc" = 1 ] || fail "demo exited $rc after QEMU stopped, expected 1"
	[ "$ms" -lt 4000 ] || fail "demo took $ms ms to give up on a stopped QEMU (--timeout 500)"
	grep -q "did not answer .* within 500 ms" "$T/err" || fail "the qtest limit is not --timeout"
	grep -q "the device was lost after" "$T/err" || fail "no honest end"
	echo "gave up $ms ms after SIGSTOP"
	# A screendump (QMP) had its own 60 s: stopped during --hold, show
	# gives up 500 ms after the hold ends.
	"$VIOGPU" show --pattern bars --mode 640x480 --hold 2 --timeout 500 \
		--out "$T/s.png" >"$T/out" 2>"$T/err" &
	pid=$!
	PIDS="$PIDS $pid"
	wait_for "$T/out" "holding"
	q=$(qemu_of "$pid")
	[ -n "$q" ] || fail "no QEMU found"
	start=$(date +%s%N)
	kill -STOP "$q"
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	kill -CONT "$q" 2>/dev/null
	[ "$rc" = 1 ] || fail "show exited $rc after QEMU stopped, expected 1"
	[ "$ms" -lt 5000 ] || fail "show took $ms ms (2 s hold + 500 ms) to give up"
	grep -q "did not answer a screendump within 500 ms" "$T/err" ||
		fail "the screendump limit is not --timeout"
	echo "screendump gave up $ms ms after SIGSTOP (2 s of it --hold)"
	no_leftovers
	;;
qemu-never-starts)
	# Row 3: a QEMU that never connects was waited for 20 s, and only the
	# direct child was killed: a wrapper's own child stayed behind.  Now
	# QEMU gets 10 s (or --timeout, if larger) and its whole process group
	# is killed.
	mark="37.$$"
	printf '#!/bin/sh\nsleep %s\n' "$mark" >"$T/slow-qemu"
	chmod +x "$T/slow-qemu"
	start=$(date +%s)
	VIOGPU_QEMU="$T/slow-qemu" run 1 info
	took=$(($(date +%s) - start))
	[ "$took" -le 13 ] || fail "took $took s to give up on a QEMU that never connects"
	grep -q "did not connect to the qtest socket within 10000 ms" "$T/err" ||
		fail "no clear time-out message"
	sleep 0.3
	if orphan=$(pgrep -f "sleep $mark"); then
		kill "$orphan"
		fail "the wrapper's child (sleep, pid $orphan) was left running"
	fi
	no_leftovers
	;;
qemu-binary)
	# Row 15 (VIOGPU_QEMU): what is wrong with the binary, in one line,
	# before anything starts.
	echo "not a program" >"$T/plain"
	VIOGPU_QEMU="$T/plain" one_line_error "'$T/plain': not executable" info
	VIOGPU_QEMU="$T" one_line_error "a directory, not a program" info
	VIOGPU_QEMU="$T/none" one_line_error "'$T/none': not found" info
	VIOGPU_QEMU=qemu-system-none-such one_line_error \
		"'qemu-system-none-such' not found on PATH" info
	no_leftovers
	;;
empty-modes)
	# Row 4: an empty mode list showed nothing and exited 0 (after
	# starting QEMU); --mode and --modes overwrote each other.
	refused "bad mode '' (want WxH" show --pattern bars --mode ''
	refused "bad mode '' (want WxH" show --pattern bars --modes ''
	refused "bad mode '' (want WxH" show --pattern bars --modes 100x100,
	refused "bad mode '' (want WxH" show --pattern bars --modes 100x100,,200x200
	refused "takes one WxH, not '100x100,'" show --pattern bars --mode 100x100,
	refused "--mode and --modes conflict" show --pattern bars --mode 100x100 --modes 200x200
	refused "--mode given twice" show --pattern bars --mode 100x100 --mode 200x200
	refused "--mode given twice" demo --mode 100x100 --mode 200x200
	refused "at most 32 modes" show --pattern bars --modes "$(printf '100x100,%.0s' $(seq 32))100x100"
	# Other lists share the cause: an empty fault spec, a trailing ','.
	refused "--faults wants a spec such as 'stall:cmd=9', not ''" info --device sim --faults ''
	refused "--device 'sim,' ends in ','" info --device sim,
	refused "--device 'qemu,xres=640,' ends in ','" info --device qemu,xres=640,
	no_leftovers
	;;
bad-out)
	# Row 5: a bad --out was found only after the whole run.  Now it is
	# refused up front, with nothing started and no file left.
	mkdir "$T/dir"
	long=$(printf 'a%.0s' $(seq 5000))
	for cmd in "demo --seconds 3600" "show --pattern bars --mode 64x64"; do
		# shellcheck disable=SC2086
		refused "--out '$T/dir' is a directory" $cmd --out "$T/dir"
		# shellcheck disable=SC2086
		refused "--out '$T/none/x.png': cannot write there: No such file or directory" \
			$cmd --out "$T/none/x.png"
		# shellcheck disable=SC2086
		refused "--out wants a file name, not ''" $cmd --out ''
		# shellcheck disable=SC2086
		refused "the name is 5000 characters long (at most 4095)" $cmd --out "$long"
		# shellcheck disable=SC2086
		refused "--out given twice" $cmd --out "$T/a.png" --out "$T/b.png"
	done
	if [ "$(id -u)" = 0 ]; then
		unwritable=/proc/viogpu-test.png # even root cannot create it
	else
		mkdir "$T/ro" && chmod 555 "$T/ro"
		unwritable="$T/ro/x.png"
	fi
	refused "--out '$unwritable': cannot write there" show --pattern bars --mode 64x64 --out "$unwritable"
	refused "--raw '$T/dir' is a directory" edid --raw "$T/dir"
	[ -z "$(ls "$T/dir")" ] && [ ! -e "$T/a.png" ] && [ ! -e "$T/b.png" ] ||
		fail "a refused run left a file"
	no_leftovers
	;;
min-mode)
	# Row 6: QEMU 7.2 refuses a scanout under 16 pixels a side, the model
	# took it: the driver now refuses it on both, the same way, and the
	# help says the range.
	for d in qemu sim; do
		refused "bad mode '15x100' (want WxH, e.g. 1920x1080, each 16..16384)" \
			show --device $d --pattern bars --mode 15x100
		refused "bad mode '1x1'" show --device $d --pattern bars --mode 1x1
		refused "bad mode '100x15'" show --device $d --pattern bars --modes 640x480,100x15
		refused "bad mode '15x64'" power-cycle --device $d --mode 15x64
		run 0 show --device $d --pattern grid --mode 16x16 --out "$T/s.png"
		grep -q "head 0: 16x16, .* screendump equals the frame" "$T/out" ||
			fail "16x16 not shown on $d"
	done
	run 0 show --help
	grep -q "16\.\.16384" "$T/out" || fail "show --help does not give the range"
	run 0 demo --help
	grep -q "16\.\.16384" "$T/out" || fail "demo --help does not give the range"
	no_leftovers
	;;
default-timeout)
	# Row 7: the default timeout fits the work (5 s + 20 ms per MiB of the
	# largest frame: a 16K frame gets 25.5 s) and a time-out names the
	# option to raise.
	run 0 info --device sim -v
	grep -q "command timeout 5000 ms (default" "$T/err" || fail "small default"
	run 0 show --device sim --pattern bars --mode 7680x4320 -v --out "$T/s.png"
	grep -q "command timeout 7520 ms (default" "$T/err" || fail "8K default"
	run 0 info --device sim --timeout 300 -v
	grep -q "command timeout 300 ms (--timeout)" "$T/err" || fail "--timeout not used"
	run 1 show --device sim --pattern bars --mode 640x480 --timeout 100 \
		--faults "stall:type=RESOURCE_FLUSH"
	grep -q ": device timed out (a slow host needs a larger --timeout)" "$T/err" ||
		fail "the time-out does not name --timeout"
	run 0 --help
	run 0 show --help
	grep -q "20 per MiB" "$T/out" || fail "--help does not give the default timeout"
	;;
machine-memory)
	# Row 8: nothing compared the configuration with the machine; it grew
	# towards the OOM killer.  Now it is refused before it starts.
	avail_gib=$(($(awk '/^MemAvailable:/ {print $2}' /proc/meminfo) / 1048576))
	if [ "$avail_gib" -lt 33 ]; then
		refused "this needs about 33 GiB of memory, but the machine has .* available" \
			power-cycle --device sim,max_hostmem=30G --heads 16 --mode 16384x16384
	else
		echo "skipped the 33 GiB case: $avail_gib GiB available"
	fi
	# QEMU's guest RAM is at most 2 GiB, or what --ram says.
	refused "2 head(s) of 1 GiB frames need 2112 MiB of guest RAM; QEMU's is at most 2048 MiB" \
		power-cycle --device qemu --heads 2 --mode 16384x16384
	refused "need 1088 MiB of guest RAM; --ram gives 512 MiB" \
		show --pattern bars --mode 16384x16384 --ram 512
	no_leftovers
	;;
qemu-killed)
	# Row 9: a killed QEMU left demo looping for its full time (24,468
	# failure lines, a summary counting them as frames).  Now the first
	# "no device" ends the run, exit 1, and the summary counts only frames
	# that were presented.
	"$VIOGPU" demo --device qemu --mode 640x480 --seconds 60 \
		--out "$T/d.png" >"$T/out" 2>"$T/err" &
	pid=$!
	PIDS="$PIDS $pid"
	wait_for "$T/out" "^frame"
	q=$(qemu_of "$pid")
	[ -n "$q" ] || fail "no QEMU found"
	start=$(date +%s%N)
	kill -KILL "$q"
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$rc" = 1 ] || fail "demo exited $rc after QEMU died, expected 1"
	[ "$ms" -lt 2000 ] || fail "demo took $ms ms to stop after QEMU died"
	nfail=$(grep -c "present failed" "$T/out")
	[ "$nfail" -le 2 ] || fail "$nfail failure lines for one dead device"
	grep -q "the device is gone, stopping" "$T/out" || fail "no stop line"
	grep -Eq "^summary: [0-9]+ of [0-9]+ frames presented" "$T/out" || fail "summary"
	grep -q "the device was lost after" "$T/err" || fail "no error line"
	echo "stopped $ms ms after kill -9"
	# follow, the other long command, watched a dead device for its
	# whole --seconds and exited 0.
	"$VIOGPU" follow --seconds 60 >"$T/out" 2>"$T/err" &
	pid=$!
	PIDS="$PIDS $pid"
	wait_for "$T/out" "following display changes"
	q=$(qemu_of "$pid")
	[ -n "$q" ] || fail "no QEMU found"
	start=$(date +%s%N)
	kill -KILL "$q"
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$rc" = 1 ] || fail "follow exited $rc after QEMU died, expected 1"
	[ "$ms" -lt 2000 ] || fail "follow took $ms ms to stop after QEMU died"
	grep -q "the device was lost after 0 display change" "$T/err" || fail "follow: no error line"
	no_leftovers
	;;
orphans)
	# Row 10: a SIGKILL before the RAM file was unlinked left it in
	# /dev/shm (with the temp dir) for ever.  Guest RAM is a memfd now
	# (no name to leave); the temp dir's name carries the pid and its
	# start time, and the next run removes what a gone process left.
	printf '#!/bin/sh\nexec sleep 30\n' >"$T/slow-qemu"
	chmod +x "$T/slow-qemu"
	VIOGPU_QEMU="$T/slow-qemu" "$VIOGPU" info >"$T/out" 2>"$T/err" &
	pid=$!
	tmp=${TMPDIR:-/tmp}
	for _ in $(seq 100); do
		ls -d "$tmp"/viogpu-"$pid"-* >/dev/null 2>&1 && break
		sleep 0.05
	done
	sleep 0.2
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	dir=$(ls -d "$tmp"/viogpu-"$pid"-* 2>/dev/null)
	[ -n "$dir" ] || fail "the killed run left no temp dir to clean"
	! ls /dev/shm/viogpu-"$pid"-* >/dev/null 2>&1 ||
		fail "guest RAM has a name in /dev/shm: $(ls /dev/shm/viogpu-"$pid"-*)"
	# Files named by older versions: a gone pid's, and a live pid's that
	# started at another time (a reused pid), are orphans; our own
	# shell's, with its true start time, is not.
	me_start=$(printf '%x' "$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)")
	touch "/dev/shm/viogpu-$$-1-0123456789abcdef" \
		"/dev/shm/viogpu-$$-$me_start-0123456789abcdef"
	run 0 info
	for f in $dir "/dev/shm/viogpu-$$-1-0123456789abcdef"; do
		[ ! -e "$f" ] || fail "the next run left $f"
	done
	[ -e "/dev/shm/viogpu-$$-$me_start-0123456789abcdef" ] ||
		fail "the next run removed a live process's file"
	rm -f "/dev/shm/viogpu-$$-$me_start-0123456789abcdef"
	no_leftovers
	;;
screendump-private)
	# Row 11: the 8K screendump went through /dev/shm/viogpu-PID-*.ppm,
	# mode 0644 (anyone could read the screen), left behind by a SIGKILL.
	# It goes into a memfd QEMU inherits now: no name at any moment.
	"$VIOGPU" show --pattern bars --mode 7680x4320 --out "$T/s.png" \
		>"$T/out" 2>"$T/err" &
	pid=$!
	PIDS="$PIDS $pid"
	seen=""
	while kill -0 "$pid" 2>/dev/null; do
		seen="$seen$(ls /dev/shm/viogpu-"$pid"-* 2>/dev/null)"
		sleep 0.01
	done
	wait "$pid" || fail "the 8K show failed"
	grep -q "screendump equals the frame" "$T/out" || fail "screendump not checked"
	[ -z "$seen" ] || fail "a named file held the screen or RAM: $seen"
	no_leftovers
	;;
edid-write-errors)
	# Row 12: a write error went unnoticed (and a failed write removed
	# what --raw named, even a device node).
	if [ "$(id -u)" = 0 ]; then
		mknod "$T/full" c 1 7 # /dev/full, without risking the real one
		full="$T/full"
	else
		full=/dev/full
	fi
	run 1 edid --device sim --raw "$full"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "expected one stderr line"
	grep -q "cannot write '$full': No space left on device" "$T/err" || fail "no reason given"
	grep -q "wrote" "$T/out" && fail "claims to have written"
	[ -c "$full" ] || fail "$full was removed"
	# The PNG writer shared the cause: the error was caught, but the
	# "clean-up" removed whatever --out named.
	run 1 show --device sim --pattern bars --mode 64x64 --out "$full"
	grep -q "cannot write '$full': No space left on device" "$T/err" || fail "show: no reason"
	[ -c "$full" ] || fail "show removed $full"
	mkdir "$T/dir"
	refused "--raw '$T/dir' is a directory" edid --device sim --raw "$T/dir"
	refused "--raw '$T/none/e.bin': cannot write there: No such file or directory" \
		edid --device sim --raw "$T/none/e.bin"
	;;
hostmem-values)
	# Row 13 (and max_hostmem=1 of row 15): the size overflowed to 0 and
	# was taken as the default; a tiny one printed "0 MiB".
	for d in sim qemu; do
		refused "bad value in device property 'max_hostmem=17179869184G' (want 1..1T bytes" \
			info --device $d,max_hostmem=17179869184G
		refused "bad value in device property 'max_hostmem=2T' (want 1..1T" \
			info --device $d,max_hostmem=2T
		refused "bad value in device property 'max_hostmem=0' (want 1..1T" \
			info --device $d,max_hostmem=0
		refused "a frame of 1 KiB is more than max_hostmem=1 byte" \
			show --device $d,max_hostmem=1 --pattern bars --mode 16x16
	done
	grep -q "0 MiB" "$T/err" && fail "still says 0 MiB"
	run 0 info --device sim,max_hostmem=1T
	;;
exit-codes)
	# Row 14: every present failed and demo exited 0; resets were 10 in
	# the stats, 9 in the summary (printed before the last present's
	# reset) and 11 in the model (which also counts the bring-up reset).
	run 1 demo --device sim --mode 320x200 --seconds 1 --timeout 100 \
		--faults stall:every=10 --stats --out "$T/d.png"
	grep -q "no frame was presented" "$T/err" || fail "no honest error"
	grep -Eq "^summary: 0 of [0-9]+ frames presented" "$T/out" || fail "summary"
	summary=$(sed -n 's/.*the driver reset the device \([0-9]*\) time.*/\1/p' "$T/out")
	stats=$(sed -n 's/^recoveries: *\([0-9]*\) device resets.*/\1/p' "$T/out")
	model=$(sed -n 's/.* \([0-9]*\) resets (bring-up included).*/\1/p' "$T/out")
	[ -n "$summary" ] && [ "$summary" = "$stats" ] ||
		fail "resets: summary '$summary', stats '$stats'"
	[ "$model" = $((stats + 1)) ] || fail "model counts $model resets, driver $stats + bring-up"
	echo "resets: summary $summary, stats $stats, model $model (bring-up included)"
	# Each code is documented.
	run 0 --help
	grep -q "Exit codes: 0 the command did what it says; 1" "$T/out" || fail "--help: exit codes"
	run 0 demo --help
	grep -q "Exit codes:" "$T/out" || fail "demo --help: exit codes"
	grep -q "^## Exit codes" "$(dirname "$0")/../README.md" || fail "README: exit codes"
	;;
messages)
	# Row 15: messages that named the wrong problem or none.
	refused "bad fault term 'stall:cmd=1:cmd=2': one selector per term" \
		info --device sim --faults stall:cmd=1:cmd=2
	refused "bad fault term 'event-storm@1000:cmd=1': the selector goes before the argument" \
		info --device sim --faults event-storm@1000:cmd=1
	refused "device property 'xres' given twice" info --device sim,xres=100,yres=100,xres=100
	refused "cannot read EDID file '$T/none.bin': No such file or directory" \
		info --device sim,edid0="$T/none.bin"
	refused "cannot read EDID file '$T': Is a directory" info --device sim,edid0="$T"
	head -c 100 /dev/zero >"$T/short.bin"
	refused "must hold 128 to 1024 bytes (it holds 100)" info --device sim,edid0="$T/short.bin"
	# Every key once is not too many: 6 plain keys and edid0..edid15.
	data=$(dirname "$0")/data/edid/cta-hdr.bin
	spec="sim,xres=640,yres=480,edid=on,max_hostmem=1G,max_backing_entries=4096"
	for h in $(seq 0 15); do spec="$spec,edid$h=$data"; done
	run 0 info --heads 16 --device "$spec"
	grep -q "^scanouts: *16" "$T/out" || fail "16 EDIDs not taken"
	;;
conflicts)
	# Row 16: conflicting settings were resolved silently (the last won);
	# 0 meant "default" on the model and 0 on QEMU.
	refused "--hibernate and --sleep conflict" power-cycle --hibernate --sleep
	refused "--sleep and --hibernate conflict" power-cycle --device sim --sleep --hibernate
	refused "edid=off and 'edid0=' conflict" \
		info --device sim,edid=off,edid0="$(dirname "$0")/data/edid/cta-hdr.bin"
	refused "device property 'xres' given twice" info --device qemu,xres=640,xres=800
	refused "--device given twice" info --device sim --device qemu
	refused "--timeout given twice" info --timeout 100 --timeout 200
	refused "--raw given twice" edid --raw "$T/a" --raw "$T/b"
	refused "--head given twice (the second is '1')" show --pattern bars --mode 64x64 --head 0 --head 1
	refused "--hold given twice" show --pattern bars --mode 64x64 --hold 1 --hold 2
	refused "--seconds given twice" demo --seconds 1 --seconds 2
	refused "--seconds given twice" follow --seconds 1 --seconds 2
	refused "--cycles given twice" power-cycle --cycles 1 --cycles 2
	refused "--head given twice" modes --head 0 --head 1
	for d in sim qemu; do
		refused "bad value in device property 'xres=0' (want 16..16384)" info --device $d,xres=0
		refused "bad value in device property 'yres=0' (want 16..16384)" info --device $d,yres=0
		refused "bad value in device property 'edid=maybe' (want on or off)" info --device $d,edid=maybe
	done
	;;
options-first)
	# Row 17: common options before the command were "unknown command".
	run 0 --device sim info
	grep -q "^scanouts: *1" "$T/out" || fail "--device sim info"
	run 0 --device sim --heads 3 -v info
	grep -q "^scanouts: *3" "$T/out" || fail "--heads before the command"
	run 0 --stats --device sim show --pattern bars --mode 64x64 --out "$T/s.png"
	grep -q "^recoveries:" "$T/out" || fail "--stats before the command"
	refused "unknown option '--mode' before the command" --mode 64x64 show
	refused "options but no command" --device sim
	refused "--device given twice" --device sim info --device sim
	;;
wddm)
	# The OS model's scenarios through the CLI: names, a run, refusals.
	run 0 wddm --list
	[ "$(wc -l <"$T/out")" = 10 ] || fail "--list should name 10 scenarios"
	grep -q "^break-levels " "$T/out" || fail "--list lacks break-levels"
	run 0 wddm --scenario rotation --frames 4
	grep -q "rotation: passed" "$T/out" || fail "rotation did not pass"
	grep -q "screendump equals the presented desktop (rotation 90" "$T/out" ||
		fail "no rotated screendump check"
	run 0 --device sim,max_outputs=2 wddm --scenario hotplug
	grep -q "level-triggered" "$T/out" || fail "hotplug lacks the event check"
	one_line_error "unknown scenario 'nope'" wddm --scenario nope
	one_line_error "unknown device 'uio'" wddm --scenario pnp --device uio
	one_line_error "bad fault term 'bogus'" wddm --scenario pnp --faults bogus
	one_line_error "--frames wants" wddm --frames 0
	;;
wddm-qemu-leaks)
	# QEMU counts nothing the driver holds, but it traces every command:
	# in each scenario that does not reset the device, every resource
	# the layer created on QEMU was unreferenced and every backing
	# detached by RemoveDevice (the sim's "holds nothing" check).
	for s in pnp desktop desktop-faults rotation hotplug post-display \
		break-levels; do
		VIOGPU_QEMU_EXTRA_ARGS="-trace virtio_gpu_cmd_res_create_2d -trace virtio_gpu_cmd_res_unref -trace virtio_gpu_cmd_res_back_attach -trace virtio_gpu_cmd_res_back_detach -D $T/$s.log" \
			run 0 wddm --scenario "$s" --device qemu,max_outputs=2
		grep -q "$s: passed" "$T/out" || fail "$s did not pass"
		c=$(grep -c res_create_2d "$T/$s.log")
		u=$(grep -c res_unref "$T/$s.log")
		a=$(grep -c res_back_attach "$T/$s.log")
		d=$(grep -c res_back_detach "$T/$s.log")
		[ "$c" -ge 1 ] || fail "$s: QEMU saw no RESOURCE_CREATE_2D"
		[ "$u" = "$c" ] || fail "$s: QEMU saw $c creates, $u unrefs"
		[ "$d" = "$a" ] || fail "$s: QEMU saw $a attaches, $d detaches"
		echo "$s: QEMU saw $c creates = $u unrefs, $a attaches = $d detaches"
	done
	no_leftovers
	;;
*)
	fail "unknown case"
	;;
esac
echo "ok [$CASE]"
