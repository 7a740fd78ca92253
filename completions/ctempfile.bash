# bash completion for ctempfile                            -*- shell-script -*-

_ctempfile()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi

	local sub='' first=1
	case ${words[1]-} in
	file | named-file | directory | gettempdir | clean)
		sub=${words[1]}
		first=2
		;;
	esac

	# Options whose value is the next word.
	local witharg='-p|-P|-s|-r|-m|-n|-I|-e|-o|--dir|--tmpdir|--prefix|--suffix|--random|--mode|--count|--fd|--replace|--env|--pid|--output'
	[ -n "$sub" ] || witharg='-p|-m|-n|--suffix|--mode|--count|--pid'
	[ "$sub" != clean ] || witharg='--age|--exclude'

	# Where COMMAND starts, if it has started: the first operand.
	local j=$first start=''
	while [ "$j" -le "$cword" ]; do
		case ${words[j]} in
		--)
			[ "$j" -lt "$cword" ] || break
			start=$((j + 1))
			break
			;;
		-*)
			[ "$j" -lt "$cword" ] || break
			if [[ ${words[j]} == @($witharg) ]]; then
				j=$((j + 1))
			fi
			;;
		*)
			[ -n "$sub" ] && [ "$sub" != gettempdir ] && [ "$sub" != clean ] && start=$j
			break
			;;
		esac
		j=$((j + 1))
	done
	if [ -n "$start" ] && [ "$start" -le "$cword" ]; then
		if declare -F _comp_command_offset >/dev/null; then
			_comp_command_offset "$start"
		elif declare -F _command_offset >/dev/null; then
			_command_offset "$start"
		else
			mapfile -t COMPREPLY < <(compgen -c -- "$cur")
		fi
		return
	fi

	case $prev in
	-p | --dir | --tmpdir)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	-o | --output)
		if [ "$sub" = directory ]; then
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return
		;;
	--pid)
		mapfile -t COMPREPLY < <(compgen -W "$(ps -eo pid= 2>/dev/null)" -- "$cur")
		return
		;;
	-P | -s | -r | -m | -n | -I | -e | --prefix | --suffix | --random | --mode | --count | --fd | --replace | --env | --age | --exclude)
		# clean's -n takes no value.
		[ "$sub" = clean ] && [ "$prev" = -n ] || return
		;;
	esac
	case $cur in
	--tmpdir=* | --dir=*)
		mapfile -t COMPREPLY < <(compgen -d -P "${cur%%=*}=" -- "${cur#*=}")
		return
		;;
	--output=*)
		if [ "$sub" = directory ]; then
			mapfile -t COMPREPLY < <(compgen -d -P --output= -- "${cur#*=}")
		else
			mapfile -t COMPREPLY < <(compgen -f -P --output= -- "${cur#*=}")
		fi
		return
		;;
	--pid=*)
		mapfile -t COMPREPLY < <(compgen -W "$(ps -eo pid= 2>/dev/null)" -P --pid= -- "${cur#*=}")
		return
		;;
	esac

	local opts
	case $sub in
	'')
		opts='-d --directory -u --dry-run -q --quiet --suffix= -p --tmpdir --tmpdir= -t -m --mode= -n --count= -z --zero --pid= --help --version -V'
		if [ "$cword" -eq 1 ] && [[ $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W 'file named-file directory gettempdir clean' -- "$cur")
			return
		fi
		;;
	gettempdir)
		opts='-q --quiet -v --verbose -z --zero --help'
		;;
	clean)
		opts='--age= --all-users --exclude= -n --dry-run -z --zero -v --verbose -q --quiet --help'
		;;
	*)
		opts='-p --dir= --tmpdir= -P --prefix= -s --suffix= -r --random= -m --mode= -q --quiet -k --keep -K --keep-on-failure -I --replace= -e --env= --help'
		case $sub in
		file) opts+=' --fd= -i --stdin --memory -o --output= --no-sync --allow-empty' ;;
		named-file) opts+=' -n --count= -u --dry-run -z --zero --pid= --fd= -i --stdin -o --output= --no-sync --allow-empty' ;;
		directory) opts+=' -n --count= -u --dry-run -z --zero --pid= -C --cd -o --output= --no-sync' ;;
		esac
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
	elif [ -z "$sub" ]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	elif [ "$sub" = clean ]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
	fi
}
complete -F _ctempfile ctempfile
