#!/bin/sh
# Writes a linker version script exporting exactly the functions the
# given headers declare (public_api.sh) under version node NODE, and
# nothing else.  Generated at build time, so a function added to a public
# header is exported without a second list to keep in step.
# usage: gen_map.sh NODE INCLUDE_DIR HEADER...
set -eu
node=$1
shift
api=$("$(dirname "$0")/public_api.sh" "$@")
[ -n "$api" ] || { echo "gen_map.sh: no functions found" >&2; exit 1; }
printf '%s {\nglobal:\n' "$node"
printf '%s\n' "$api" | sed 's/.*/\t&;/'
printf 'local:\n\t*;\n};\n'
