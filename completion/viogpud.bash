# bash completion for viogpud(8).  Keep in step with `viogpud --help`
# (tests/install/check_docs_help.sh compares them).
_viogpud()
{
	local cur prev words cword
	_init_completion || return

	case "$prev" in
	--device)
		COMPREPLY=($(compgen -W "qemu sim" -- "$cur"))
		return
		;;
	--socket | --screendump-on-exit)
		_filedir
		return
		;;
	--heads | --faults | --follow-coalesce) return ;;
	esac
	COMPREPLY=($(compgen -W "--device --socket --heads --faults --verbose -v
		--screendump-on-exit --follow --follow-coalesce --help
		--version" -- "$cur"))
} &&
	complete -F _viogpud viogpud
