#!/bin/sh
# Installs the Debian packages the build and the tests need, when run as
# root; otherwise prints exactly what to install and fails.
set -eu
PKGS="gcc make pkg-config python3 meson ninja-build linux-libc-dev \
libcmocka-dev libpng-dev qemu-system-x86 clang llvm libclang-rt-14-dev clang-format \
edid-decode libplacebo-dev mingw-w64 wine wine64 \
libsystemd-dev scdoc bash-completion systemd \
libsdl2-dev xvfb xdotool imagemagick x11-apps x11-utils"
# The MSI: wixl builds it (make msi), msiinfo checks it in its test.
PKGS="$PKGS wixl msitools"
# make deb and the deb suite (issue 13): the package build, lintian, the
# throwaway Debian root.
PKGS="$PKGS build-essential dpkg-dev debhelper lintian mmdebstrap"
# bench-guest (make bench-guest): libdrm's copy of the DRM uapi headers.
PKGS="$PKGS libdrm-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "viogpu: missing packages:$missing" >&2
	echo "viogpu: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "viogpu: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
