#!/usr/bin/env bats
# directory without a COMMAND: Python's mkdtemp for the shell.

load helper

@test "creates, prints the absolute path, keeps: mode 0700" {
	run --separate-stderr ct directory
	assert_success
	assert_output --regexp "^$TMPDIR/tmp$PY_RAND{8}$"
	assert_dir_exists "$output"
	assert_equal "$(mode_of "$output")" 700
	assert_equal "$stderr" ""
}

@test "the default directory is what gettempdir prints" {
	TMPDIR=/nonexistent TMP="$WORK" run ct directory
	assert_output --regexp "^$WORK/tmp$PY_RAND{8}$"
	assert_dir_exists "$output"
}

@test "mode 0700 less the umask; --mode exact whatever the umask" {
	local u
	for u in 000 022 077; do
		umask "$u"
		run ct directory -p .
		assert_equal "$(mode_of "$output")" 700
		run ct directory -p . -m 0750
		assert_equal "$(mode_of "$output")" 750
	done
	umask 077
	run ct directory -p . -m 0
	assert_equal "$(mode_of "$output")" 0
}

@test "prefix, suffix and random length" {
	run ct directory -p . -P build- -s .d -r 12
	assert_output --regexp "^$WORK/build-$PY_RAND{12}\.d$"
	assert_dir_exists "$output"
}

@test "--count: N directories, all or nothing" {
	run ct directory -n 30 -p .
	assert_equal "$(find . -mindepth 1 -type d | wc -l)" 30
	small_tmpfs "$WORK/small" size=1m,nr_inodes=6
	run --separate-stderr ct directory -n 10 -p "$WORK/small"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/small/tmpXXXXXXXX': No space left on device"
	assert_dir_empty "$WORK/small"
}

@test "--dry-run and --zero" {
	ct directory -u -z -n 2 -p . > ../out
	assert_equal "$(tr -cd '\0' < ../out | wc -c)" 2
	assert_dir_empty .
}

@test "/dev/full: every directory removed" {
	run --separate-stderr ct_out /dev/full directory -n 4 -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
	assert_dir_empty .
}

@test "--stdin is not an option of directory" {
	run --separate-stderr ct directory --stdin
	assert_failure 1
	assert_equal "$stderr" "ctempfile: unrecognized option '--stdin'
Try 'ctempfile directory --help' for more information."
}

@test "--help lists --cd" {
	run ct directory --help
	assert_success
	assert_line --index 0 "Usage: ctempfile directory [OPTION]... [[--] COMMAND [ARG]...]"
	assert_line --regexp "^ +-C, --cd "
	refute_line --partial "--stdin"
}
