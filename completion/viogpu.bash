# bash completion for viogpu(1): commands, each command's options and the
# values the options take.  Keep in step with `viogpu COMMAND --help`
# (tests/install/check_docs_help.sh compares them).

_viogpu_common="--device --faults --heads --ram --timeout --stats --verbose -v --help"

_viogpu()
{
	local cur prev words cword
	_init_completion || return

	local commands="info edid modes follow show demo power-cycle wddm draw"
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case "${words[i]}" in
		--device | --faults | --heads | --ram | --timeout) ((i++)) ;;
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done

	case "$prev" in
	--device)
		COMPREPLY=($(compgen -W "qemu sim" -- "$cur"))
		return
		;;
	--pattern)
		COMPREPLY=($(compgen -W "bars gradient grid" -- "$cur"))
		return
		;;
	--transfer)
		COMPREPLY=($(compgen -W "pq hlg srgb linear" -- "$cur"))
		return
		;;
	--primaries)
		COMPREPLY=($(compgen -W "bt709 bt2020" -- "$cur"))
		return
		;;
	--image | --out | --raw)
		_filedir
		return
		;;
	--socket)
		_filedir
		return
		;;
	--scenario)
		COMPREPLY=($(compgen -W "all $(viogpu wddm --list 2>/dev/null |
			awk '{print $1}')" -- "$cur"))
		return
		;;
	--faults | --heads | --ram | --timeout | --head | --mode | --modes | \
		--seconds | --changes | --cycles | --hold | --max-cll | \
		--max-fall | --mastering | --frames)
		return # a value of the user's
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_viogpu_common --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local opts
	case "$cmd" in
	info) opts="" ;;
	edid) opts="--head --raw --decode" ;;
	modes) opts="--head" ;;
	follow) opts="--seconds --changes" ;;
	show) opts="--pattern --image --mode --modes --head --out --hold
		--transfer --primaries --max-cll --max-fall --mastering" ;;
	demo) opts="--mode --seconds --out" ;;
	power-cycle) opts="--cycles --mode --heads --hibernate --sleep" ;;
	wddm)
		COMPREPLY=($(compgen -W "--scenario --list --device --faults
			--frames --help" -- "$cur"))
		return
		;;
	draw)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--socket --head --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "pixel clear-pixel line rect fill
				clear swap" -- "$cur"))
		fi
		return
		;;
	*) return ;;
	esac
	COMPREPLY=($(compgen -W "$opts $_viogpu_common" -- "$cur"))
} &&
	complete -F _viogpu viogpu
