#!/bin/bash
# pkg-config output is split into words on purpose, as in a shell line.
# shellcheck disable=SC2046
# The install suite: `meson install --destdir` of this (release) build
# into a fresh directory, then one CASE checked against what landed there:
#
#   files       the exact file list; SONAMEs and symlinks; .pc versions;
#               libviogpu.a holds the core, the host layer, the platforms
#   exports     each library (shared: nm -D; static: nm -g) exports
#               exactly the functions its installed headers declare
#               (lib/public_api.sh)
#   link        README's "Linking the library" example, compiled with
#               exactly its pkg-config line and run (shared); a program
#               checking the device's screendump, linked statically; a
#               libviogpu-client program against the installed viogpud
#   units       systemd-analyze verify on the installed units, clean;
#               the service's systemd-analyze security exposure <= 3.0
#   activation  the installed viogpud started by systemd-socket-activate
#               (LISTEN_FDS) serves clients on the socket it was handed
#
# usage: test_install.sh CASE   with, from tests/meson.build, the build
# and source dirs and the install paths in VG_* variables.  Skipped (77)
# on a sanitizer build: installing is for --buildtype=release
# -Db_sanitize=none (make check runs this suite in build-release).
set -euo pipefail
case=$1
: "${VG_BUILD:?}" "${VG_SRC:?}" "${VG_SANITIZE:?}" "${VG_VERSION:?}"
: "${VG_PREFIX:?}" "${VG_BINDIR:?}" "${VG_LIBDIR:?}" "${VG_INCLUDEDIR:?}"
: "${VG_MANDIR:?}" "${VG_UNITDIR:?}" "${VG_BASHCOMPDIR:?}" "${VG_MAN:?}"
if [ "$VG_SANITIZE" != none ]; then
	echo "SKIP: a b_sanitize=$VG_SANITIZE build; the install suite runs on" \
		"a release build (make check: build-release)"
	exit 77
fi

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
D=$(mktemp -d /tmp/viogpu-install.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$D"
}
trap cleanup EXIT

meson install -C "$VG_BUILD" --destdir "$D/root" --no-rebuild --quiet >/dev/null ||
	fail "meson install (is everything built? ninja -C $VG_BUILD)"
R=$D/root
LIB=$R$VG_LIBDIR
export PKG_CONFIG_PATH=$LIB/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R
export PKG_CONFIG_LIBDIR=$LIB/pkgconfig # not the system's viogpu, if any

case_files() {
	local so v=$VG_VERSION
	# Everything installed, relative to the prefix's root, one per line.
	local want=(
		"$VG_BINDIR/viogpu" "$VG_BINDIR/viogpud"
		"$VG_LIBDIR/libviogpu.so.$v" "$VG_LIBDIR/libviogpu.so.0"
		"$VG_LIBDIR/libviogpu.so" "$VG_LIBDIR/libviogpu.a"
		"$VG_LIBDIR/libviogpu-client.so.$v"
		"$VG_LIBDIR/libviogpu-client.so.0"
		"$VG_LIBDIR/libviogpu-client.so" "$VG_LIBDIR/libviogpu-client.a"
		"$VG_LIBDIR/pkgconfig/viogpu.pc"
		"$VG_LIBDIR/pkgconfig/viogpu-client.pc"
	)
	# Each of these can be turned off (-Dman, -Dbashcompletiondir=no,
	# -Dsystemdsystemunitdir=no); then it must be absent.
	[ "$VG_MAN" = no ] ||
		want+=("$VG_MANDIR/man1/viogpu.1" "$VG_MANDIR/man8/viogpud.8")
	[ "$VG_BASHCOMPDIR" = no ] ||
		want+=("$VG_BASHCOMPDIR/viogpu" "$VG_BASHCOMPDIR/viogpud")
	[ "$VG_UNITDIR" = no ] ||
		want+=("$VG_UNITDIR/viogpud.service" "$VG_UNITDIR/viogpud.socket")
	for h in types status os gpu surface display present power color edid \
		panic host qemu sim protocol client; do
		want+=("$VG_INCLUDEDIR/viogpu/$h.h")
	done
	# The viewer, once the build installs it (issue 12): its binary and
	# its man page join the list here.
	if [ -e "$VG_BUILD/viogpu-view" ]; then
		want+=("$VG_BINDIR/viogpu-view")
		[ "$VG_MAN" = no ] || want+=("$VG_MANDIR/man1/viogpu-view.1")
	fi
	diff -u <(printf '%s\n' "${want[@]}" | sort) \
		<(cd "$R" && find . ! -type d | sed 's|^\.||' | sort) ||
		fail "installed files differ from the list (- expected, + installed)"

	for so in libviogpu libviogpu-client; do
		[ "$(readlink "$LIB/$so.so")" = "$so.so.0" ] ||
			fail "$so.so does not point to $so.so.0"
		[ "$(readlink "$LIB/$so.so.0")" = "$so.so.$v" ] ||
			fail "$so.so.0 does not point to $so.so.$v"
		readelf -d "$LIB/$so.so.$v" | grep -q "Library soname: \[$so.so.0\]" ||
			fail "$so.so.$v: SONAME is not $so.so.0"
	done
	for pc in viogpu viogpu-client; do
		[ "$(pkg-config --modversion $pc)" = "$v" ] ||
			fail "$pc.pc: version is not $v"
	done
	[ "$(pkg-config --variable=prefix viogpu)" = "$R$VG_PREFIX" ] ||
		fail "viogpu.pc: prefix $(pkg-config --variable=prefix viogpu)"
	# The static library holds the core, the host layer, both platforms
	# and their POSIX part (their internal functions, made local).
	local syms
	syms=$(nm "$LIB/libviogpu.a")
	for f in 'T vg_gpu_create' 't vg_vq_init' 'T vg_host_open' \
		't host_parse_props' 'T vg_qemu_create' 't vgq_proc_start' \
		'T vg_sim_create' 't vgp_event_create'; do
		grep -q " $f\$" <<<"$syms" || fail "libviogpu.a lacks $f"
	done
	grep -qx client.c.o <<<"$(ar t "$LIB/libviogpu-client.a")" ||
		fail "libviogpu-client.a lacks client.c.o"
	# Man pages are roff, units name the installed daemon.
	[ "$VG_MAN" = no ] || head -c 200 "$R$VG_MANDIR/man8/viogpud.8" |
		grep -q '^\.TH' || fail "viogpud.8 is not a man page"
	[ "$VG_UNITDIR" = no ] ||
		grep -qx "ExecStart=$VG_BINDIR/viogpud \$VIOGPUD_ARGS" \
			"$R$VG_UNITDIR/viogpud.service" ||
		fail "viogpud.service does not start $VG_BINDIR/viogpud"
	echo "files: ${#want[@]} installed as listed; SONAMEs libviogpu.so.0," \
		"libviogpu-client.so.0; version $v"
}

case_exports() {
	local inc=$R$VG_INCLUDEDIR core=() h
	for h in types status os gpu surface display present power color edid \
		panic host qemu sim; do
		core+=("viogpu/$h.h")
	done
	check_lib() { # SO NODE HEADER...
		local so=$1 node=$2
		shift 2
		local api got
		api=$("$VG_SRC/lib/public_api.sh" "$inc" "$@")
		[ "$(wc -l <<<"$api")" -gt 5 ] || fail "$so: no API found"
		got=$(nm -D --defined-only "$LIB/$so" | awk '$2 != "A" {print $3}' |
			sed 's/@.*//' | sort -u)
		diff -u <(echo "$api") <(echo "$got") ||
			fail "$so exports (+) other than its headers declare (-)"
		# Not nm | grep -q: under pipefail, grep leaving at the first
		# match kills nm with SIGPIPE once its output passes one
		# stdio buffer (4 KiB; libviogpu's is past it).
		local dyn
		dyn=$(nm -D --defined-only "$LIB/$so")
		grep -q "@@$node\$" <<<"$dyn" ||
			fail "$so: symbols not versioned $node"
		echo "exports: $so: $(wc -l <<<"$got") functions, exactly the" \
			"headers' declarations, version $node"
		# The static library: the same names global, no other.
		local a=${so%%.so.*}.a
		got=$(nm -g --defined-only "$LIB/$a" | awk 'NF == 3 {print $3}' |
			sort -u)
		diff -u <(echo "$api") <(echo "$got") ||
			fail "$a defines globally (+) other than its headers declare (-)"
		echo "exports: $a: the same $(wc -l <<<"$got") global, the rest local"
	}
	check_lib "libviogpu.so.$VG_VERSION" VIOGPU_0 "${core[@]}"
	check_lib "libviogpu-client.so.$VG_VERSION" VIOGPU_CLIENT_0 \
		viogpu/protocol.h viogpu/client.h
}

# The README's example: the ```c block of its "Linking the library".
readme_example() {
	awk '/^#+ Linking the library/ {s = 1} s && /^```c$/ {p = 1; next}
	     p && /^```$/ {exit} p {print}' "$VG_SRC/README.md"
}

case_link() {
	cd "$D"
	readme_example >prog.c
	[ "$(wc -l <prog.c)" -gt 5 ] || fail "no example in README"
	# Exactly the README's command line.
	cc prog.c $(pkg-config --cflags --libs viogpu) -o prog ||
		fail "the README example does not build"
	readelf -d prog | grep -q 'NEEDED.*\[libviogpu.so.0\]' ||
		fail "prog does not link libviogpu.so.0"
	local out
	out=$(LD_LIBRARY_PATH=$LIB ./prog) || fail "prog failed: $out"
	[ "$out" = "640x480 presented: ok" ] || fail "prog printed: $out"
	echo "link: README example (shared): $out"

	cc -Wall -Wextra -Werror "$VG_SRC/tests/install/present_check.c" \
		$(pkg-config --cflags viogpu) -o present_check \
		-Wl,-Bstatic $(pkg-config --libs --static viogpu) -Wl,-Bdynamic ||
		fail "present_check does not link libviogpu.a"
	! readelf -d present_check | grep -q 'NEEDED.*libviogpu' ||
		fail "present_check is not static in libviogpu"
	out=$(./present_check) || fail "present_check: $out"
	echo "link: static present_check: $out"

	cc -Wall -Wextra -Werror "$VG_SRC/tests/install/client_info.c" \
		$(pkg-config --cflags --libs viogpu-client) -o client_info ||
		fail "client_info does not build against viogpu-client"
	readelf -d client_info | grep -q 'NEEDED.*\[libviogpu-client.so.0\]' ||
		fail "client_info does not link libviogpu-client.so.0"
	# Against the installed daemon, as it starts without systemd.
	local sock=$D/plain.sock
	"$R$VG_BINDIR/viogpud" --device sim --socket "$sock" 2>"$D/d.log" &
	pids+=($!)
	for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
	out=$(LD_LIBRARY_PATH=$LIB timeout 20 ./client_info "$sock") ||
		fail "client_info: $out; $(cat "$D/d.log")"
	echo "link: client_info (libviogpu-client.so.0) against viogpud: $out"
	kill "${pids[0]}"
	wait "${pids[0]}" || fail "viogpud did not exit 0 on SIGTERM"
}

case_units() {
	if [ "$VG_UNITDIR" = no ]; then
		echo "SKIP: built with -Dsystemdsystemunitdir=no"
		exit 77
	fi
	local man=--man=yes
	[ "$VG_MAN" = yes ] || man=--man=no # no pages to find
	# Verify in a root made of this install and the machine's own units
	# (sysinit.target and the like), so ExecStart= and Documentation=
	# are looked up in the install, not on this machine.
	local V=$D/verify
	mkdir -p "$V/usr/lib/systemd"
	cp -a "$R/." "$V/"
	cp -a /usr/lib/systemd/system "$V/usr/lib/systemd/"
	[ -e "$V/lib" ] || ln -s usr/lib "$V/lib"
	local out
	out=$(MANPATH=$V$VG_MANDIR systemd-analyze verify $man --root="$V" \
		"$V$VG_UNITDIR/viogpud.socket" "$V$VG_UNITDIR/viogpud.service" 2>&1) ||
		fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify is not clean: $out"
	echo "units: systemd-analyze verify: clean"
	# The sandbox: systemd's own exposure score (0 best, 10 worst; the
	# unit without its sandboxing lines scores 9.6) must stay at or below
	# 3.0 ("OK").
	out=$(systemd-analyze security --offline=yes --threshold=30 \
		"$V$VG_UNITDIR/viogpud.service" 2>&1) ||
		fail "viogpud.service exposure above 3.0: $(tail -1 <<<"$out")"
	echo "units: systemd-analyze security: exposure $(tail -1 <<<"$out" |
		grep -oE '[0-9]+\.[0-9]+ [A-Z]+')"
}

# Starts the installed viogpud under systemd-socket-activate on $1 with
# socket type $2 (--seqpacket or nothing) and more daemon arguments.
activate() {
	local sock=$1 type=$2
	shift 2
	systemd-socket-activate $type -l "$sock" -E LD_LIBRARY_PATH="$LIB" \
		"$R$VG_BINDIR/viogpud" --device sim "$@" 2>>"$D/a.log" &
	pids+=($!)
	for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
	[ -S "$sock" ] || fail "systemd-socket-activate did not listen"
}

case_activation() {
	cd "$D"
	cc "$VG_SRC/tests/install/client_info.c" \
		$(pkg-config --cflags --libs viogpu-client) -o client_info
	local sock=$D/act.sock out pid rc
	activate "$sock" --seqpacket
	pid=${pids[-1]}
	# The first connection makes systemd-socket-activate exec viogpud in
	# its place (same pid), which must accept on the handed socket.
	out=$(LD_LIBRARY_PATH=$LIB timeout 20 ./client_info "$sock") ||
		fail "first client: $out; $(cat "$D/a.log")"
	grep -q "listening on the socket handed over" "$D/a.log" ||
		fail "viogpud did not take the handed socket: $(cat "$D/a.log")"
	out=$(LD_LIBRARY_PATH=$LIB timeout 20 ./client_info "$sock") ||
		fail "second client: $out"
	echo "activation: two clients served on the handed socket: $out"
	kill "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ $rc -eq 0 ] || fail "viogpud exit $rc on SIGTERM: $(cat "$D/a.log")"
	# The socket file is systemd's: the daemon leaves it.
	[ -S "$sock" ] || fail "viogpud removed the socket file it was handed"
	rm -f "$sock"

	# A stream socket is refused (exit 1), and so is --socket beside a
	# handed socket (exit 2).
	: >"$D/a.log"
	activate "$D/stream.sock" ""
	pid=${pids[-1]}
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' \
		"$D/stream.sock"
	rc=0
	timeout 20 tail --pid="$pid" -f /dev/null || true
	wait "$pid" || rc=$?
	[ $rc -eq 1 ] || fail "a stream socket: exit $rc, not 1"
	grep -q "not a listening Unix SOCK_SEQPACKET" "$D/a.log" ||
		fail "stream socket: $(cat "$D/a.log")"
	activate "$D/both.sock" --seqpacket --socket "$D/other.sock"
	pid=${pids[-1]}
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.connect(sys.argv[1])' \
		"$D/both.sock"
	rc=0
	wait "$pid" || rc=$?
	[ $rc -eq 2 ] || fail "--socket with a handed socket: exit $rc, not 2"
	echo "activation: a stream socket refused (exit 1), --socket beside a" \
		"handed socket refused (exit 2)"
}

"case_$case"
