#!/bin/sh
# The display server's parts and the client library stand on the protocol
# header alone: neither may import a driver-core symbol (vg_*), and the
# client library may not import the server's (vgp_*) either.
#   check_layering.sh SERVER_LIB CLIENT_LIB
set -eu
imports() {
	nm -u "$1" | grep -v -e ':$' -e '^$' | awk '{print $NF}' | sort -u
}
bad=$(imports "$1" | grep -E '^vg_' || true)
if [ -n "$bad" ]; then
	echo "the server library imports driver-core symbols:" >&2
	echo "$bad" >&2
	exit 1
fi
bad=$(imports "$2" | grep -E '^vgp?_' || true)
if [ -n "$bad" ]; then
	echo "the client library imports project symbols:" >&2
	echo "$bad" >&2
	exit 1
fi
# And no source includes a core header by path.
src=$(dirname "$0")/..
if grep -rn -E '#include *"(\.\./)*(src/)?core/' "$src/src/server" "$src/client"; then
	echo "server or client sources include src/core" >&2
	exit 1
fi
echo "server imports: $(imports "$1" | grep -v -E '^__' | tr '\n' ' ')"
echo "client imports: $(imports "$2" | grep -v -E '^__' | tr '\n' ' ')"
