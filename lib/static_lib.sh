#!/bin/sh
# Makes a static library whose only global symbols are the public API, as
# the shared library's version script does: the input archives' objects
# are linked into one relocatable object (ld -r), every defined symbol
# not in SYMS is made local (objcopy --keep-global-symbols), and that
# object is archived.  A program linking the .a then cannot clash with
# the driver's internal names (host_*, vgq_*, sim_*, ...).
# usage: static_lib.sh OUT.a SYMS IN.a...
set -eu
out=$1 syms=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
obj=$tmp/$(basename "$out" .a).o
${LD:-ld} -r -o "$obj" --whole-archive "$@" --no-whole-archive
${OBJCOPY:-objcopy} --keep-global-symbols="$syms" "$obj"
rm -f "$out"
${AR:-ar} rcsD "$out" "$obj"
