#!/bin/sh
# Prints, one per line and sorted, the functions with external linkage that
# the given headers declare: what a library built from them must export,
# no more and no less.  GCC's -aux-info writes every declaration it sees
# with the file and line it came from (GCC only: $GCC, default gcc);
# static inline helpers are left out.
# usage: public_api.sh INCLUDE_DIR HEADER...   (HEADER as in #include)
set -eu
dir=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in "$@"; do
	printf '#include "%s"\n' "$h"
done >"$tmp/all.c"
${GCC:-gcc} -std=c11 -I"$dir" -aux-info "$tmp/aux" -fsyntax-only "$tmp/all.c"
# A line: /* DIR/viogpu/gpu.h:52:NC */ extern vg_status vg_gpu_create (...);
grep -F "/* $dir/" "$tmp/aux" | grep -v '\*/ static ' |
	sed -E 's|^/\*[^*]*\*/ [^(]*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*|\1|' | sort -u
