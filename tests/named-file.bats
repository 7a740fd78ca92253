#!/usr/bin/env bats
# named-file without a COMMAND: Python's mkstemp for the shell.

load helper

@test "creates, prints the absolute path, keeps: tmp + 8 of [a-z0-9_]" {
	run --separate-stderr ct named-file
	assert_success
	assert_output --regexp "^$TMPDIR/tmp$PY_RAND{8}$"
	[ -f "$output" ] && [ ! -L "$output" ]
	assert_equal "$(mode_of "$output")" 600
	assert_equal "$stderr" ""
}

@test "the default directory is what gettempdir prints" {
	TMPDIR=/nonexistent TEMP=rel
	mkdir rel
	export TMPDIR TEMP
	run ct named-file
	assert_output --regexp "^$(ct gettempdir)/tmp$PY_RAND{8}$"
	assert_output --regexp "^$WORK/rel/"
	assert_file_exists "$output"
}

@test "-p: a relative directory is made absolute lexically, and used so" {
	mkdir -p a/b
	ln -s a/b link
	run ct named-file -p ./a/../a//b/.
	assert_output --regexp "^$WORK/a/b/tmp$PY_RAND{8}$"
	assert_file_exists "$output"
	# link/.. is the current directory, not a: no link is resolved.
	run ct named-file --dir=link/..
	assert_output --regexp "^$WORK/tmp$PY_RAND{8}$"
	assert_file_exists "$output"
	run ct named-file --tmpdir=a
	assert_output --regexp "^$WORK/a/tmp$PY_RAND{8}$"
}

@test "--prefix, an empty prefix, --suffix" {
	run ct named-file -p . -P log. -s .txt
	assert_output --regexp "^$WORK/log\.$PY_RAND{8}\.txt$"
	assert_file_exists "$output"
	run ct named-file -p . --prefix= --suffix=.d
	assert_output --regexp "^$WORK/$PY_RAND{8}\.d$"
	assert_file_exists "$output"
}

@test "--random: 3 to 64 characters" {
	run ct named-file -p . -r 3
	assert_output --regexp "^$WORK/tmp$PY_RAND{3}$"
	run ct named-file -p . --random=64
	assert_output --regexp "^$WORK/tmp$PY_RAND{64}$"
	assert_file_exists "$output"
}

@test "names use all of Python's alphabet and nothing else" {
	run ct named-file -u -n 2000 -P "" -p .
	assert_success
	local all
	all=$(printf '%s\n' "${lines[@]}" | sed 's|.*/||' | fold -w1 | sort -u | tr -d '\n')
	assert_equal "$all" "0123456789_abcdefghijklmnopqrstuvwxyz"
}

@test "every character is equally likely: no modulo bias" {
	# 37 does not divide 256: a byte taken modulo 37 would make 34 of the
	# characters 17% likelier than the other three.
	ct named-file -u -n 10000 -r 40 -P "" -p . | char_spread > ../spread
	read -r chars ratio < ../spread
	assert_equal "$chars" 37
	awk -v r="$ratio" 'BEGIN { exit !(r < 1.10) }' || fail "max/min $ratio"
}

@test "mode 0600 less the umask; --mode exact whatever the umask" {
	local u
	for u in 000 022 077; do
		umask "$u"
		run ct named-file -p .
		assert_equal "$(mode_of "$output")" 600
		run ct named-file -p . -m 0640
		assert_equal "$(mode_of "$output")" 640
	done
	umask 266
	run ct named-file -p .
	assert_equal "$(mode_of "$output")" 400
	run ct named-file -p . --mode=777
	assert_equal "$(mode_of "$output")" 777
}

@test "--count: N distinct files, printed once all exist" {
	run ct named-file -n 100 -p .
	assert_success
	assert_equal "${#lines[@]}" 100
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" 100
	local f
	for f in "${lines[@]}"; do
		[ -f "$f" ] || fail "$f missing"
	done
	assert_equal "$(find . -type f | wc -l)" 100
}

@test "--count failing halfway leaves nothing and prints nothing" {
	small_tmpfs "$WORK/small" size=1m,nr_inodes=8
	run --separate-stderr ct named-file -n 20 -p "$WORK/small"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/small/tmpXXXXXXXX': No space left on device"
	assert_dir_empty "$WORK/small"
}

@test "--dry-run prints absolute names and creates nothing" {
	run ct named-file -u -n 3 -p .
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp "^$WORK/tmp$PY_RAND{8}$"
	assert_dir_empty .
}

@test "--zero ends each name with NUL" {
	ct named-file -z -n 3 -p . > ../out
	assert_equal "$(tr -cd '\0' < ../out | wc -c)" 3
	assert_equal "$(tr -cd '\n' < ../out | wc -c)" 0
}

@test "a directory that does not exist: the template and the reason" {
	run --separate-stderr ct named-file -p no/such -s .x
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/no/such/tmpXXXXXXXX.x': No such file or directory"
	assert_output ""
	run --separate-stderr ct named-file -q -p no/such
	assert_failure 1
	assert_equal "$stderr" ""
}

@test "a directory the user may not write to" {
	shared_dir
	mkdir "$SHARED/ro"
	chmod 555 "$SHARED/ro"
	run --separate-stderr as_user "$CTEMPFILE_BIN" named-file -p "$SHARED/ro"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$SHARED/ro/tmpXXXXXXXX': Permission denied"
	assert_dir_empty "$SHARED/ro"
}

@test "a read-only file system" {
	small_tmpfs "$WORK/ro" ro,size=64k
	run --separate-stderr ct named-file -p "$WORK/ro"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/ro/tmpXXXXXXXX': Read-only file system"
}

@test "bad values: one line naming the option and the value, status 1" {
	local -a cases=(
		"-m 888|invalid mode '888': not octal 0 to 0777"
		"--mode=-1|invalid mode '-1': not octal 0 to 0777"
		"-m |invalid mode '': not octal 0 to 0777"
		"-n 0|invalid count '0': too small (1 to 1000000)"
		"-n 1000001|invalid count '1000001': too large (1 to 1000000)"
		"-n x|invalid count 'x': invalid (1 to 1000000)"
		"-n 5k|invalid count '5k': invalid (1 to 1000000)"
		"-r 2|invalid random '2': too small (3 to 64)"
		"-r 65|invalid random '65': too large (3 to 64)"
		"--random=|invalid random '': invalid (3 to 64)"
		"-P a/b|invalid prefix 'a/b', contains directory separator"
		"-s /|invalid suffix '/', contains directory separator"
		"--fd=-1|invalid fd '-1': too small (0 to 2147483647)"
		"--fd=x|invalid fd 'x': invalid (0 to 2147483647)"
		"-e A=B|invalid env 'A=B', contains '='"
		"--cd|--cd applies only to 'directory'"
		"--memory|--memory applies only to 'file'"
	)
	local c args
	for c in "${cases[@]}"; do
		read -ra args <<< "${c%%|*}"
		[ "${c%%|*}" != "-m " ] || args=(-m "")
		run --separate-stderr ct named-file "${args[@]}" -p .
		assert_failure 1
		assert_equal "$stderr" "ctempfile: ${c#*|}"
		assert_output ""
	done
	assert_dir_empty .
}

@test "a name longer than 255 bytes" {
	run --separate-stderr ct named-file -p . -P "$(printf 'p%.0s' {1..200})" -s "$(printf 's%.0s' {1..48})"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: prefix, random part and suffix exceed 255 bytes"
	run ct named-file -p . -P "$(printf 'p%.0s' {1..200})" -s "$(printf 's%.0s' {1..47})"
	assert_success
	assert_file_exists "$output"
}

@test "unknown options, and a pointer to the subcommand's --help" {
	run --separate-stderr ct named-file -x
	assert_failure 1
	assert_equal "$stderr" "ctempfile: invalid option -- 'x'
Try 'ctempfile named-file --help' for more information."
	run --separate-stderr ct named-file --bogus
	assert_equal "$stderr" "ctempfile: unrecognized option '--bogus'
Try 'ctempfile named-file --help' for more information."
	assert_dir_empty "$TMPDIR"
}

@test "/dev/full and closed standard output: all removed, status 1" {
	run --separate-stderr ct_out /dev/full named-file -n 5 -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
	assert_dir_empty .
	run --separate-stderr ct_out - named-file -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: Bad file descriptor"
	assert_dir_empty .
}

@test "--stdin without COMMAND: filled, printed, kept" {
	printf 'line one\nline two\n' > ../input
	run ct named-file -i -p . < ../input
	assert_success
	assert_equal "$(cat "$output")" "$(cat ../input)"
	head -c 300000 /dev/urandom > ../big
	run ct named-file --stdin -p . < ../big
	cmp "$output" ../big
}

@test "--stdin goes with a single file that is made" {
	run --separate-stderr ct named-file -i -n 2 -p . < /dev/null
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --stdin cannot be used with --count"
	run --separate-stderr ct named-file -i -u -p . < /dev/null
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --stdin cannot be used with --dry-run"
	assert_dir_empty .
}

@test "--stdin that cannot be read: nothing left" {
	run --separate-stderr bash -c '"$CTEMPFILE_BIN" named-file -i -p . <&-'
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot read standard input: Bad file descriptor"
	assert_dir_empty .
}

@test "--stdin on a full file system: nothing left" {
	small_tmpfs "$WORK/small" size=64k
	run --separate-stderr ct named-file -i -p "$WORK/small" < <(head -c 200000 /dev/zero)
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot write the temporary file: No space left on device"
	assert_output ""
	assert_dir_empty "$WORK/small"
}

@test "--help lists the options of named-file only" {
	run ct named-file --help
	assert_success
	assert_line --index 0 "Usage: ctempfile named-file [OPTION]... [[--] COMMAND [ARG]...]"
	assert_line --regexp "^ +-P, --prefix=PREFIX "
	assert_line --regexp "^ +-i, --stdin "
	refute_line --partial "--cd"
	refute_line --partial "--memory"
}
