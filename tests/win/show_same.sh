#!/bin/sh
# show_same.sh LINUX_VIOGPU WINE_RUN VIOGPU_EXE: `viogpu show --device sim
# --pattern bars --mode 1366x768` on Linux (libpng) and as a Windows
# program under Wine (WIC) must write PNGs with the same pixels.
set -eu
lin=$1 wine_run=$2 exe=$3
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$lin" ]; then
	echo "show_same: no Linux build at $lin (run make build first)" >&2
	exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
args="show --device sim --pattern bars --mode 1366x768 --out"
# shellcheck disable=SC2086
"$lin" $args linux.png
# shellcheck disable=SC2086
"$wine_run" "$exe" $args windows.png
python3 "$here/png_same.py" linux.png windows.png
