#!/bin/sh
# Builds viogpu's Debian binary packages from this tree, in a copy so the
# tree stays clean, and leaves them in OUTDIR with the .changes and
# .buildinfo; then lintian checks them (errors and warnings fail).
#
# usage: make-deb.sh [--version V] [--no-lintian] OUTDIR
#   --version V  build as version V instead: meson.build's project version
#                and a new debian/changelog entry, in the copy only (the
#                upgrade test's "rebuilt package with a higher version").
set -eu
version= lintian=yes
while [ $# -gt 1 ]; do
	case $1 in
	--version) version=$2; shift 2 ;;
	--no-lintian) lintian=no; shift ;;
	*) echo "make-deb.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: make-deb.sh [--version V] [--no-lintian] OUTDIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
work=$out/work
rm -rf "$work" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$work/viogpu"

# The files of the tree: git's list (committed or not, less what
# .gitignore ignores: build directories) when there is one.
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$work/viogpu" -xf -
else
	(cd "$src" && tar --exclude='./build*' -cf - .) | tar -C "$work/viogpu" -xf -
fi

cd "$work/viogpu"
if [ -n "$version" ]; then
	sed -i "0,/version : '[^']*'/s//version : '$version'/" meson.build
	maint=$(sed -n 's/^Maintainer: //p' debian/control)
	{
		printf 'viogpu (%s) unstable; urgency=medium\n\n' "$version"
		printf '  * Rebuilt as %s by scripts/make-deb.sh --version.\n\n' "$version"
		printf ' -- %s  %s\n\n' "$maint" "$(date -R)"
		cat debian/changelog
	} > debian/changelog.new
	mv debian/changelog.new debian/changelog
fi

# nocheck: make check runs the tests; noautodbgsym: no -dbgsym packages.
DEB_BUILD_OPTIONS="nocheck noautodbgsym${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
	dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1 || {
	tail -40 "$out/build.log" >&2
	echo "make-deb.sh: dpkg-buildpackage failed; the log: $out/build.log" >&2
	exit 1
}
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
cd "$out"
rm -rf "$work"
for d in *.deb; do
	printf '%-44s %8s bytes\n' "$d" "$(stat -c %s "$d")"
done
if [ "$lintian" = yes ]; then
	# Not as root when it need not be (lintian says so otherwise): as
	# nobody, when nobody can read the packages here.
	as=
	if [ "$(id -u)" -eq 0 ] && runuser -u nobody -- test -r "$(ls ./*.changes)" 2>/dev/null; then
		as="runuser -u nobody --"
	fi
	echo "lintian (errors and warnings fail; I: lines are information):"
	$as lintian --fail-on error,warning -I ./*.changes
	echo "lintian: no errors, no warnings"
fi
