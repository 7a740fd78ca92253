#!/usr/bin/env bats
# Shell completions: bash by behaviour, zsh and fish by parsing.

load helper

COMPLETIONS="$BATS_TEST_DIRNAME/../completions"

# Offer completions for the words "$@", the last being completed.
complete_words() {
	bash -c '
		if [ -r /usr/share/bash-completion/bash_completion ]; then
			. /usr/share/bash-completion/bash_completion
		fi
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ctempfile ctempfile "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' _ "$COMPLETIONS/ctempfile.bash" ctempfile "$@"
}

@test "bash: the subcommands" {
	run complete_words ""
	assert_line file
	assert_line named-file
	assert_line directory
	assert_line gettempdir
	assert_line clean
	run complete_words named
	assert_output named-file
}

@test "bash: the options of each form" {
	run complete_words --dr
	assert_output --dry-run
	run complete_words directory --c
	assert_line --cd
	assert_line --count=
	run complete_words named-file --c
	assert_output --count=
	run complete_words file --m
	assert_line --memory
	assert_line --mode=
	run complete_words gettempdir -
	assert_line --verbose
	refute_line --prefix=
	run complete_words --pi
	assert_output --pid=
	run complete_words directory --pi
	assert_output --pid=
	run complete_words named-file --pi
	assert_output --pid=
	run complete_words file --pi
	assert_output ""
	run complete_words named-file --out
	assert_output --output=
	run complete_words file --no
	assert_output --no-sync
	run complete_words named-file --al
	assert_output --allow-empty
	run complete_words file --al
	assert_output --allow-empty
	run complete_words directory --al
	assert_output ""
	run complete_words directory --out
	assert_output --output=
	run complete_words directory --no
	assert_output --no-sync
}

@test "bash: clean's options, and directories for its operands, before and after options" {
	mkdir -p adir bdir
	touch afile
	run complete_words clean --a
	assert_line --age=
	assert_line --all-users
	refute_line --prefix=
	run complete_words clean --ex
	assert_output --exclude=
	run complete_words clean -
	assert_line --dry-run
	assert_line --verbose
	refute_line --count=
	run complete_words clean a
	assert_output adir
	run complete_words clean -n a
	assert_output adir
	run complete_words clean adir -v b
	assert_output bdir
	run complete_words clean --age 1h
	assert_output ""
}

@test "bash: --pid offers running processes" {
	run complete_words directory --pid "$$"
	assert_line "$$"
	run complete_words -d "--pid=$$"
	assert_line "--pid=$$"
}

@test "bash: directories for --dir and -p" {
	mkdir -p adir/sub bdir
	touch afile
	run complete_words named-file --dir a
	assert_output adir
	run complete_words -p a
	assert_output adir
	run complete_words directory --tmpdir=b
	assert_output --tmpdir=bdir
	# directory -o replaces a directory; the files' -o takes a file.
	run complete_words directory -o a
	assert_output adir
	run complete_words directory --output=b
	assert_output --output=bdir
	run complete_words named-file -o a
	assert_line afile
	assert_line adir
}

@test "bash: COMMAND after the options is completed as a command" {
	run complete_words named-file -p /tmp -- bas
	assert_line bash
	run complete_words directory -C basen
	assert_line basename
	# ... and its arguments as that command's.
	mkdir -p sub
	run complete_words directory -C ls su
	assert_line --regexp '^sub/?$'
}

@test "zsh: the completion parses" {
	command -v zsh >/dev/null || skip "zsh not installed"
	run zsh -n "$COMPLETIONS/_ctempfile"
	assert_success
	assert_output ""
}

@test "fish: the completion parses" {
	command -v fish >/dev/null || skip "fish not installed"
	run fish --no-execute "$COMPLETIONS/ctempfile.fish"
	assert_success
	assert_output ""
}
