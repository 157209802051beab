#!/bin/sh
# The os.h services of the Windows build (locks, events, clock, interrupt
# and DPC threads) use what Windows itself offers: the platform library
# imports no pthread symbol, and imports the Windows primitives.
# usage: check_native_sync.sh NM LIB
set -eu
nm="$1"
lib="$2"
undef=$("$nm" -u "$lib" | awk 'NF {print $NF}' | sed 's/^__imp_//' | sort -u)
bad=$(echo "$undef" | grep -E '^_?pthread_' || true)
if [ -n "$bad" ]; then
	echo "the Windows platform library still imports pthreads:" >&2
	echo "$bad" >&2
	exit 1
fi
for sym in AcquireSRWLockExclusive CreateEventW WaitForSingleObject \
	SetEvent CreateThread SleepConditionVariableSRW \
	QueryPerformanceCounter; do
	echo "$undef" | grep -qx "$sym" || {
		echo "the Windows platform library does not use $sym" >&2
		exit 1
	}
done
echo "platform imports: $(echo "$undef" | grep -E '^[A-Z]' | tr '\n' ' ')"
