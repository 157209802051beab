#!/bin/sh
# Builds the viogpu MSI with wixl (Debian's msitools) from the Windows
# build: make-msi.sh OUT.msi VERSION VIOGPU.EXE VIOGPU-SERVICE.EXE README
# (`make msi` runs it; so does the MSI test, for two versions).  wixl takes
# only relative Source paths, so the files are staged, stripped (no debug
# info in what users install), next to the .wxs first.
set -eu
[ $# -eq 5 ] || {
	echo "usage: $0 OUT.msi VERSION VIOGPU.EXE VIOGPU-SERVICE.EXE README" >&2
	exit 2
}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1 version=$2 cli=$3 svc=$4 readme=$5
stage=$(mktemp -d "${out%.msi}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$root/win/msi/viogpu.wxs" "$stage/"
cp "$cli" "$stage/viogpu.exe"
cp "$svc" "$stage/viogpu-service.exe"
cp "$readme" "$stage/README.md"
x86_64-w64-mingw32-strip "$stage/viogpu.exe" "$stage/viogpu-service.exe"
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$stage" && wixl -a x64 -D Version="$version" -D CliExe=viogpu.exe \
	-D ServiceExe=viogpu-service.exe -D Readme=README.md \
	-o "$out_abs" viogpu.wxs)
