#!/bin/sh
# The public headers: none includes the private wire format (src/core/wire.h,
# the core's, its tests' and the device model's), wire.h is not back in
# include/, and every header in include/viogpu is in tests/meson.build's
# public_headers list, so the compiled-alone test covers it.
set -eu
root="$1"
status=0
bad=$(grep -l -E '#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?wire\.h[">]' \
	"$root"/include/viogpu/*.h || true)
if [ -n "$bad" ]; then
	echo "public headers including wire.h:" >&2
	echo "$bad" >&2
	status=1
fi
if [ -e "$root/include/viogpu/wire.h" ]; then
	echo "include/viogpu/wire.h exists: the wire format is private (src/core)" >&2
	status=1
fi
for h in "$root"/include/viogpu/*.h; do
	name=$(basename "$h")
	if ! grep -q "'$name'" "$root/tests/meson.build"; then
		echo "$name is not in tests/meson.build public_headers" >&2
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "public headers: $(ls "$root"/include/viogpu | tr '\n' ' ')"
exit "$status"
