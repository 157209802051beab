#!/bin/sh
# src/core may reach the world only through os.h: the only libc symbols it
# may import are the string routines every kernel has.  Sanitizer hooks
# are added by the compiler and allowed.
set -eu
lib="$1"
bad=$(nm -u "$lib" | grep -v -e ':$' -e '^$' | awk '{print $NF}' | sort -u |
	grep -v -E '^(vg_|memcpy$|memset$|memmove$|memcmp$|__(asan|ubsan|tsan|sanitizer|stack_chk)|_GLOBAL_OFFSET_TABLE_$)' || true)
if [ -n "$bad" ]; then
	echo "src/core imports symbols outside os.h:" >&2
	echo "$bad" >&2
	exit 1
fi
echo "core imports only: $(nm -u "$lib" | grep -v -e ':$' -e '^$' | awk '{print $NF}' | grep -v -E '^(vg_|__)' | sort -u | tr '\n' ' ')"
