#!/bin/bash
# The man pages and the bash completion say what --help says: every
# command `viogpu --help` lists, and every option each command's --help
# and `viogpud --help` name, appear in man/viogpu.1.scd / viogpud.8.scd
# (as *--option*) and are offered by completion/viogpu(d).bash; the
# viewer's options (once built) in man/viogpu-view.1.scd.
# usage: check_docs_help.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
bad=0
miss() {
	echo "MISSING: $*" >&2
	bad=1
}

# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion
. "$src/completion/viogpu.bash"
. "$src/completion/viogpud.bash"
# What completion offers for a command line whose last word is the one
# being completed.
offered() {
	local fn=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}"
}
opts_of() { grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }

man1=$src/man/viogpu.1.scd
man8=$src/man/viogpud.8.scd
commands=$("$build/viogpu" --help | awk '/^Commands:/ {c = 1; next}
	c && /^  [a-z]/ {print $1} c && /^$/ {c = 0}')
[ "$(wc -w <<<"$commands")" -ge 5 ] || miss "no commands in viogpu --help"
top=$(offered _viogpu viogpu "")
n=0 v=0
for cmd in $commands; do
	grep -qF "*$cmd*" "$man1" || miss "viogpu.1: command $cmd"
	grep -qx "$cmd" <<<"$top" || miss "completion: command $cmd"
	offers=$(offered _viogpu viogpu "$cmd" --)
	for o in $("$build/viogpu" "$cmd" --help | opts_of); do
		n=$((n + 1))
		grep -qF -- "*$o*" "$man1" || miss "viogpu.1: $cmd $o"
		grep -qx -- "$o" <<<"$offers" || miss "completion: viogpu $cmd $o"
	done
	# An option whose values --help spells out (--pattern bars|grid|...):
	# completion offers exactly those.
	while read -r o vals; do
		[ -n "$o" ] || continue
		v=$((v + 1))
		[ "$(offered _viogpu viogpu "$cmd" "$o" "" | sort | tr '\n' ' ')" = \
			"$(tr '|' '\n' <<<"$vals" | sort | tr '\n' ' ')" ] ||
			miss "completion: viogpu $cmd $o: not $vals"
	done < <("$build/viogpu" "$cmd" --help |
		grep -oE -- '--[a-z-]+ [a-z0-9]+(\|[a-z0-9]+)+' | sort -u)
done
offers=$(offered _viogpud viogpud --)
for o in $("$build/viogpud" --help | opts_of); do
	n=$((n + 1))
	grep -qF -- "*$o*" "$man8" || miss "viogpud.8: $o"
	grep -qx -- "$o" <<<"$offers" || miss "completion: viogpud $o"
done
# The viewer, once the build has it (issue 12): its page only.
if [ -x "$build/viogpu-view" ]; then
	for o in $("$build/viogpu-view" --help | opts_of); do
		n=$((n + 1))
		grep -qF -- "*$o*" "$src/man/viogpu-view.1.scd" ||
			miss "viogpu-view.1: $o"
	done
fi
[ $bad -eq 0 ] || exit 1
echo "$(wc -w <<<"$commands") commands and $n command options of --help:" \
	"all in the man pages and offered by the completion, and the values" \
	"of $v options"
