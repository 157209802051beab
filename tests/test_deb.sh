#!/bin/bash
# The Debian packages end to end (issue 13 item 3), in a throwaway Debian
# root made from Debian's packages:
#   1. build the packages (scripts/make-deb.sh: lintian clean), and again
#      as the next version (the "rebuilt package with a higher version");
#   2. make the root (mmdebstrap, minbase, plus the packages' dependencies;
#      the tarball is cached in CACHEDIR, keyed by what it holds);
#   3. install the libraries, the -dev package and the tools, without the
#      daemon; run viogpu there (info and show on the device model); build
#      a client against the installed -dev package through pkg-config;
#   4. add the daemon package to that install (units installed, neither
#      enabled nor started);
#   5. start viogpud with a client connected and drawing; upgrade every
#      package to the next version under them; the old daemon keeps
#      serving the same connection from its unlinked binary; restart it
#      as `systemctl try-restart` would (there is no systemd in a chroot)
#      and see the running daemon is the new version;
#   6. purge everything: the root holds exactly the files it held before.
#
# usage: test_deb.sh SRCDIR WORKDIR CACHEDIR
# Needs root (chroot, mounts); skips (77) without.  Runs itself in private
# mount and PID namespaces: the root's /proc goes away with the test, and
# so does any process it started, whatever happens.
set -euo pipefail
src=$1 work=$2 cache=$3

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (chroot, mount)"
	exit 77
fi
if [ -z "${VG_DEB_INNER:-}" ]; then
	exec env VG_DEB_INNER=1 unshare --mount --pid --fork --kill-child --mount-proc \
		--propagation private "$0" "$@"
fi

fails=0
step() { echo; echo "== $*"; }
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "FAIL: $*"; exit 1; }
# expect WHAT WANT GOT
expect() { if [ "$3" = "$2" ]; then ok "$1: $3"; else fail "$1: '$3', expected '$2'"; fi; }

ours="libviogpu0 libviogpu-client0 libviogpu-dev viogpu-tools viogpud"
# VG_DEB_REUSE=1 keeps the packages of the last run (while working on
# this script); otherwise everything is built afresh.
if [ "${VG_DEB_REUSE:-}" = 1 ] && ls "$work"/v2/viogpud_*.deb >/dev/null 2>&1; then
	find "$work" -mindepth 1 -maxdepth 1 ! -name v1 ! -name v2 -exec rm -rf {} +
	reuse=1
else
	rm -rf "$work"
	reuse=0
fi
mkdir -p "$work" "$cache"
root=$work/root
sock=/run/viogpud-test.sock

step "build the packages (scripts/make-deb.sh, lintian must be clean)"
t0=$SECONDS
[ $reuse = 1 ] || "$src/scripts/make-deb.sh" "$work/v1" || die "make-deb.sh failed"
v1=$(dpkg-deb -f "$work"/v1/viogpud_*.deb Version)
# The next version: the patch number plus one, in meson.build and in a new
# changelog entry of the copy make-deb.sh builds from.
v2=$(echo "$v1" | awk -F. -v OFS=. '{ $NF = $NF + 1; print }')
[ $reuse = 1 ] || "$src/scripts/make-deb.sh" --version "$v2" --no-lintian "$work/v2" ||
	die "make-deb.sh --version $v2 failed"
expect "rebuilt version" "$v2" "$(dpkg-deb -f "$work"/v2/viogpud_*.deb Version)"
dpkg --compare-versions "$v2" gt "$v1" && ok "$v2 > $v1" || fail "$v2 is not > $v1"
echo "built in $((SECONDS - t0)) s"

step "the daemon is optional: nothing depends on it, nothing recommends it"
for d in "$work"/v1/*.deb; do
	rel=$(dpkg-deb -f "$d" Depends Pre-Depends Recommends)
	if echo "$rel" | grep -qw viogpud; then
		fail "$(basename "$d") depends on or recommends viogpud: $rel"
	fi
done
expect "viogpud's Priority" optional "$(dpkg-deb -f "$work"/v1/viogpud_*.deb Priority)"

step "the Debian root (mmdebstrap, cached)"
t0=$SECONDS
# Its packages: minbase and the packages' own dependencies (first of any
# alternatives), so dpkg -i installs ours with no network.
deps=$(for d in "$work"/v1/*.deb; do dpkg-deb -f "$d" Depends Pre-Depends; done |
	sed 's/^[A-Za-z-]*: //' | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/:any//; s/ //g' |
	grep -v '^$' | sort -u | grep -vxF -f <(tr ' ' '\n' <<<"$ours") | paste -sd, -)
. /etc/os-release
sources=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$sources" ] || die "no apt sources on this machine"
key=$( (echo "$VERSION_CODENAME minbase $deps"; cat $sources) | sha256sum | cut -c1-16)
tarball=$cache/root-$VERSION_CODENAME-$key.tar
if [ ! -f "$tarball" ]; then
	echo "mmdebstrap $VERSION_CODENAME minbase + $deps"
	# shellcheck disable=SC2086  # one argument per sources file
	mmdebstrap --quiet --variant=minbase --mode=root --include="$deps" \
		"$VERSION_CODENAME" "$cache/partial.tar" $sources </dev/null ||
		die "mmdebstrap failed (does this machine reach its apt sources?)"
	mv "$cache/partial.tar" "$tarball"
	# Roots for other package sets are stale now: keep one (~160 MB).
	find "$cache" -maxdepth 1 -name 'root-*.tar' ! -path "$tarball" -delete
else
	echo "cached: $tarball"
fi
mkdir "$root"
tar -C "$root" -xf "$tarball"
mount -t proc proc "$root/proc"
echo "root ready in $((SECONDS - t0)) s ($(du -sh "$tarball" | cut -f1) tarball)"
in_root() { chroot "$root" "$@"; }
# Every path in the root but the kernel's and the scratch ones, and but
# two files the first package operation of any package creates and no
# package owns: dpkg's log and ldconfig's auxiliary cache (mmdebstrap
# deletes both when it finishes a root).
list_files() {
	(cd "$root" && find . \( -path ./proc -o -path ./dev -o -path ./tmp \
		-o -path ./run -o -path ./sys \) -prune -o \
		! -path ./var/log/dpkg.log ! -path ./var/cache/ldconfig/aux-cache \
		-print | sort)
}
list_files >"$work/files-before"

step "install the libraries, the -dev package and the tools (no daemon)"
deb() { ls "$work/$1/$2"_*.deb; }
mkdir "$root/tmp/debs"
cp "$work"/v1/*.deb "$work"/v2/*.deb "$root/tmp/debs/"
in_deb() { echo "/tmp/debs/$(basename "$(deb "$1" "$2")")"; }
in_root dpkg -i "$(in_deb v1 libviogpu0)" "$(in_deb v1 libviogpu-client0)" \
	"$(in_deb v1 libviogpu-dev)" "$(in_deb v1 viogpu-tools)" >"$work/dpkg-install.log" 2>&1 ||
	{ cat "$work/dpkg-install.log"; die "dpkg -i of the tools failed"; }
ok "dpkg -i libviogpu0 libviogpu-client0 libviogpu-dev viogpu-tools"
expect "viogpud not installed" "" \
	"$(in_root dpkg-query -W -f '${Status}' viogpud 2>/dev/null | grep ' installed' || true)"
expect "viogpu --version" "viogpu $v1" "$(in_root viogpu --version)"
if out=$(in_root viogpu info --device sim 2>&1) && echo "$out" | grep -q '^head 0: .*1024x768'; then
	ok "viogpu info --device sim: $(echo "$out" | grep '^head 0:')"
else
	fail "viogpu info --device sim: $out"
fi
if out=$(in_root viogpu show --device sim --pattern bars --mode 800x600 \
	--out /tmp/shown.png 2>&1) && [ -s "$root/tmp/shown.png" ]; then
	ok "viogpu show --device sim --pattern bars --mode 800x600 (screendump $(stat -c %s "$root/tmp/shown.png") bytes)"
else
	fail "viogpu show --device sim: $out"
fi
# The viewer, when this tree builds it (issue 12): its help needs no display.
if [ -e "$root/usr/bin/viogpu-view" ]; then
	in_root viogpu-view --help >/dev/null 2>&1 && ok "viogpu-view --help" ||
		fail "viogpu-view --help in the root"
fi
for f in $(dpkg-deb -c "$(deb v1 viogpu-tools)" | awk '/^-/ {print $6}' | grep '/man/'); do
	[ -s "$root/${f#./}" ] && ok "manual page ${f#./usr/share/man/}" || fail "missing ${f#.}"
done

step "a client built against the installed libviogpu-dev (pkg-config)"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
pc() {
	PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/$multiarch/pkgconfig \
		pkg-config "$@"
}
expect "pkg-config --modversion viogpu-client" "$v1" "$(pc --modversion viogpu-client)"
expect "pkg-config --modversion viogpu" "$v1" "$(pc --modversion viogpu)"
# Linked to the shared library as a program would be; it runs in the root
# with the root's libviogpu-client.so.0.
# shellcheck disable=SC2046
${CC:-cc} -o "$root/tmp/hold_client" "$src/tests/deb/hold_client.c" \
	$(pc --cflags --libs viogpu-client) ||
	die "the client does not build against libviogpu-dev"
needed=$(readelf -d "$root/tmp/hold_client" | sed -n 's/.*NEEDED.*\[\(libviogpu.*\)\]/\1/p')
expect "the client's libviogpu NEEDED" "libviogpu-client.so.0" "$needed"

step "add the daemon package to that install"
in_root dpkg -i "$(in_deb v1 viogpud)" >"$work/dpkg-daemon.log" 2>&1 ||
	{ cat "$work/dpkg-daemon.log"; die "dpkg -i viogpud failed"; }
ok "dpkg -i viogpud"
for u in viogpud.service viogpud.socket; do
	f=$(dpkg-deb -c "$(deb v1 viogpud)" | awk '/^-/ {print $6}' | grep "/$u\$" || true)
	[ -n "$f" ] && [ -s "$root/${f#./}" ] && ok "unit ${f#.}" || fail "no $u"
	# Off by default: no [Install] symlink; systemd (the machine's
	# systemctl, on the root as a directory) sees the unit disabled.
	links=$(find "$root/etc/systemd" -name "$u" 2>/dev/null || true)
	expect "$u's [Install] symlinks" "" "$links"
done
expect "systemctl --root is-enabled viogpud.socket" disabled \
	"$(systemctl --root="$root" is-enabled viogpud.socket 2>&1 || true)"
expect "viogpud --version" "viogpud $v1" "$(in_root viogpud --version)"

step "viogpud running with a client connected"
start_daemon() {
	# chroot itself in the background (not in_root, a function: $! would
	# be the subshell running it), so $! is viogpud's pid.
	chroot "$root" viogpud --device sim --socket "$sock" >>"$work/daemon.log" 2>&1 &
	dpid=$!
	for _ in $(seq 200); do [ -S "$root$sock" ] && return 0; sleep 0.05; done
	die "viogpud did not listen on $sock: $(cat "$work/daemon.log")"
}
# wait_line FILE TEXT: until FILE has the line TEXT (10 s).
wait_line() {
	for _ in $(seq 200); do grep -qx "$2" "$1" && return 0; sleep 0.05; done
	fail "no line '$2' in $1: $(cat "$1")"
	return 1
}
start_daemon
old=$dpid
echo "clear 0x204060" | in_root viogpu draw --socket "$sock" &&
	ok "viogpu draw through the daemon" || fail "viogpu draw"
mkfifo "$root/tmp/ctl"
chroot "$root" /tmp/hold_client "$sock" <"$root/tmp/ctl" >"$work/client.out" 2>&1 &
cpid=$!
exec 3>"$root/tmp/ctl"
wait_line "$work/client.out" ready && ok "client connected, surface created, first frame swapped"
echo >&3
wait_line "$work/client.out" "drew 1" && ok "client drew before the upgrade"

step "upgrade every package to $v2 while the daemon and the client run"
in_root dpkg -i $(cd "$root" && ls tmp/debs/*_"$v2"_*.deb | sed 's|^|/|') >"$work/dpkg-upgrade.log" 2>&1 &&
	ok "dpkg -i of the five $v2 packages: exit 0" ||
	{ cat "$work/dpkg-upgrade.log"; fail "the upgrade failed"; }
for p in $ours; do
	expect "$p installed version" "$v2" "$(in_root dpkg-query -W -f '${Version}' "$p")"
done
kill -0 "$old" 2>/dev/null && ok "the old viogpud (pid $old) still runs" || fail "viogpud died in the upgrade"
exe=$(readlink "/proc/$old/exe")
[[ $exe == *" (deleted)" ]] && ok "it runs its unlinked binary: $exe" || fail "its binary: $exe"
expect "the running daemon's binary says" "viogpud $v1" "$("/proc/$old/exe" --version)"
echo >&3
wait_line "$work/client.out" "drew 2" && ok "the same connection drew after the upgrade"
exec 3>&-
wait "$cpid" && ok "client closed its surface and exited 0" || fail "client exited $?: $(cat "$work/client.out")"
echo "clear 0x406080" | in_root viogpu draw --socket "$sock" &&
	ok "viogpu $v2 draws through the old daemon" || fail "viogpu $v2 draw on the old daemon"
# What the maintainer script did about the running daemon: under systemd
# deb-systemd-invoke would try-restart the units; here there is no
# systemd (no /run/systemd/system), so it is a no-op.
postinst=$root/var/lib/dpkg/info/viogpud.postinst
grep -q '_dh_action=restart' "$postinst" &&
	grep -q "deb-systemd-invoke \$_dh_action 'viogpud.service' 'viogpud.socket'" "$postinst" &&
	ok "viogpud.postinst restarts the units after an upgrade when systemd runs ([ -d /run/systemd/system ])" ||
	fail "viogpud.postinst does not restart the units after an upgrade"
[ ! -e "$root/run/systemd/system" ] && ok "no systemd in the root: deb-systemd-invoke did nothing"

step "restart the daemon as systemctl try-restart would: it is $v2 now"
kill -TERM "$old"
wait "$old" && ok "the old daemon exited 0 on SIGTERM" || fail "the old daemon exited $?"
[ ! -e "$root$sock" ] && ok "and removed its socket" || fail "its socket stayed"
start_daemon
exe=$(readlink "/proc/$dpid/exe")
[[ $exe != *" (deleted)" ]] && ok "the new daemon (pid $dpid) runs $exe" || fail "its binary: $exe"
expect "the running daemon's binary says" "viogpud $v2" "$("/proc/$dpid/exe" --version)"
echo x | in_root /tmp/hold_client "$sock" >"$work/client2.out" 2>&1 &&
	ok "a client on the new daemon: $(paste -sd' ' "$work/client2.out")" ||
	fail "client on the new daemon: $(cat "$work/client2.out")"
kill -TERM "$dpid"
wait "$dpid" && ok "the new daemon exited 0 on SIGTERM" || fail "the new daemon exited $?"

step "purge everything: the root holds exactly what it held before"
# shellcheck disable=SC2086
in_root dpkg --purge $ours >"$work/dpkg-purge.log" 2>&1 && ok "dpkg --purge $ours" ||
	{ cat "$work/dpkg-purge.log"; fail "the purge failed"; }
for p in $ours; do
	st=$(in_root dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ -z "$st" ] || [ "$st" = "un " ] || fail "$p left in state '$st'"
done
list_files >"$work/files-after"
left=$(grep -rlI viogpu "$root" --exclude-dir=proc --exclude-dir=dev \
	--exclude-dir=tmp --exclude-dir=run --exclude=dpkg.log --exclude=status-old || true)
# (dpkg's log and status-old, its database before the last operation, name
# what dpkg did; the database itself, status, must not.)
expect "text files naming viogpu after the purge" "" "$left"
expect "libraries ldconfig still knows" "" "$(in_root ldconfig -p | grep viogpu || true)"
if diff -u "$work/files-before" "$work/files-after" >"$work/files.diff"; then
	ok "no file left behind ($(wc -l <"$work/files-after") paths, same as before install)"
else
	fail "the root's files differ after purge:"
	cat "$work/files.diff"
fi

echo
umount "$root/proc"
if [ "$fails" -ne 0 ]; then
	echo "test_deb: $fails failures"
	exit 1
fi
rm -rf "$root"
echo "test_deb: all good"
