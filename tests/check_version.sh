#!/bin/sh
# viogpu --version and viogpud --version print the project's version, and
# debian/changelog's newest entry is that version (the packages' version
# is what --version shows after an install or an upgrade).
# usage: check_version.sh VIOGPU VIOGPUD PROJECT_VERSION DEBIAN_CHANGELOG
set -u
viogpu=$1 viogpud=$2 want=$3 changelog=$4
fail=0
for pair in "viogpu:$viogpu" "viogpud:$viogpud"; do
	name=${pair%%:*} exe=${pair#*:}
	got=$("$exe" --version) || { echo "FAIL: $name --version exited $?"; fail=1; }
	if [ "$got" != "$name $want" ]; then
		echo "FAIL: $name --version printed '$got', not '$name $want'"
		fail=1
	else
		echo "ok: $got"
	fi
done
# A version is a native package's: no Debian revision, no epoch.
deb=$(sed -n '1s/^viogpu (\([^)]*\)).*/\1/p' "$changelog")
if [ "$deb" != "$want" ]; then
	echo "FAIL: debian/changelog's newest version is '$deb', meson.build's '$want'"
	fail=1
else
	echo "ok: debian/changelog is at $deb"
fi
exit $fail
