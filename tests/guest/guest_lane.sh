#!/bin/sh
# The meson test 'guest-lane': builds what the guest needs (once; later
# runs reuse build-guest/ and rebuild the static programs) and runs every
# boot of tests/guest/run_guest.py.
# usage: guest_lane.sh SRCDIR GUEST_CHECK
set -eu
SRC=$1
CHECK=$2
"$SRC/scripts/guest-build.sh"
exec python3 "$SRC/tests/guest/run_guest.py" \
	--guest-dir "${GUEST_BUILD:-$SRC/build-guest}" --check "$CHECK"
