#!/bin/sh
# guest_check, the guest lane's judge, must be able to say no: a picture
# equals its own description and differs from a changed pattern, box,
# colour or size.  usage: test_guest_check.sh GUEST_CHECK
set -u
C=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$C" --write "$T/a.ppm" 97 61 grid 10,5,8,8,abcdef || fail "--write"
"$C" "$T/a.ppm" 97 61 grid 10,5,8,8,abcdef || fail "own description differs"
expect_differs() {
	"$C" "$T/a.ppm" "$@" >"$T/out"
	[ $? = 1 ] || fail "'$*' not reported as different"
	cat "$T/out"
}
expect_differs 97 61 bars 10,5,8,8,abcdef
expect_differs 97 61 grid
expect_differs 97 61 grid 10,5,8,8,abcdee
expect_differs 97 61 grid 11,5,8,8,abcdef
expect_differs 96 61 grid 10,5,8,8,abcdef
grep -q "screendump is 97x61, want 96x61" "$T/out" || fail "size message"
"$C" "$T/missing.ppm" 97 61 grid >/dev/null
[ $? = 2 ] || fail "a missing screendump is not exit 2"
echo "guest_check: ok"
