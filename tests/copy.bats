#!/usr/bin/env bats
# How --stdin copies, and how --output copies an unnamed file: each path
# (copy_file_range, sendfile, read and write), forced where needed by
# refusing the faster system calls with seccomp, checked with strace for
# the path taken and with cmp for the bytes.

load helper

setup_file() {
	command -v strace >/dev/null || return 0
	head -c 3000000 /dev/urandom > "$BATS_FILE_TMPDIR/src"
	tail -c +1001 "$BATS_FILE_TMPDIR/src" > "$BATS_FILE_TMPDIR/tail"
}

setup() {
	command -v strace >/dev/null || skip "strace is not installed"
	# LeakSanitizer cannot run under strace.
	export ASAN_OPTIONS=detect_leaks=0
	SRC=$BATS_FILE_TMPDIR/src
	TAIL=$BATS_FILE_TMPDIR/tail
	common_setup
}

# Run "$@" (after an optional "refuse WHAT") traced, with standard input
# the source file opened at offset 1000, so the copy must start there.
traced_from_offset() {
	python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.lseek(fd, 1000, os.SEEK_SET)
os.dup2(fd, 0)
os.execvp(sys.argv[2], sys.argv[2:])
' "$SRC" strace -f -o ../trace -e trace=copy_file_range,sendfile,read,pread64 "$@"
}

# How many traced calls that match $1 moved bytes.
moved() {
	grep -E "$1" ../trace | grep -cE '= [1-9][0-9]*$' || true
}

@test "a regular file: copy_file_range, from standard input's offset" {
	run traced_from_offset "$CTEMPFILE_BIN" named-file --stdin -p .
	assert_success
	cmp "$(tail -n 1 <<<"$output")" "$TAIL"
	[ "$(moved '^[0-9]+ +copy_file_range\(0, NULL')" -ge 1 ]
	[ "$(moved '^[0-9]+ +read\(0,')" -eq 0 ]
}

@test "copy_file_range refused (another file system): sendfile" {
	run traced_from_offset "$REFUSE" copy_file_range "$CTEMPFILE_BIN" named-file --stdin -p .
	assert_success
	cmp "$(tail -n 1 <<<"$output")" "$TAIL"
	grep -qE 'copy_file_range\(0, .*= -1 EXDEV' ../trace
	[ "$(moved '^[0-9]+ +sendfile\([0-9]+, 0, NULL')" -ge 1 ]
	[ "$(moved '^[0-9]+ +read\(0,')" -eq 0 ]
}

@test "copy_file_range and sendfile refused: read and write" {
	run traced_from_offset "$REFUSE" copy_file_range,sendfile "$CTEMPFILE_BIN" named-file --stdin -p .
	assert_success
	cmp "$(tail -n 1 <<<"$output")" "$TAIL"
	grep -qE 'sendfile\([0-9]+, 0, .*= -1 EINVAL' ../trace
	[ "$(moved '^[0-9]+ +read\(0,')" -ge 1 ]
}

@test "a real second file system: the bytes arrive whichever path is taken" {
	small_tmpfs "$WORK/t" size=8m
	run ct named-file --stdin -p "$WORK/t" < "$SRC"
	assert_success
	cmp "$output" "$SRC"
}

@test "a pipe: read and write, no faster path tried" {
	run bash -c 'cat "$1" | strace -f -o ../trace -e trace=copy_file_range,sendfile,read "$2" named-file --stdin -p .' - "$SRC" "$CTEMPFILE_BIN"
	assert_success
	cmp "$output" "$SRC"
	[ "$(grep -c 'copy_file_range\|sendfile' ../trace)" -eq 0 ]
	[ "$(moved '^[0-9]+ +read\(0,')" -ge 1 ]
}

@test "a file whose size says nothing (/proc, /sys) is read to its end" {
	[ "$(stat -c %s /proc/sys/kernel/ostype)" = 0 ] || skip "/proc reports a size here"
	run ct named-file --stdin -- cat {} < /proc/sys/kernel/ostype
	assert_success
	assert_output "$(cat /proc/sys/kernel/ostype)"
}

@test "no space, on every path: the write side is named, nothing left" {
	small_tmpfs "$WORK/small" size=64k
	local r
	for r in none copy_file_range copy_file_range,sendfile; do
		if [ "$r" = none ]; then
			run --separate-stderr ct named-file -i -p "$WORK/small" < "$SRC"
		else
			run --separate-stderr "$REFUSE" "$r" "$CTEMPFILE_BIN" named-file -i -p "$WORK/small" < "$SRC"
		fi
		assert_failure 1
		assert_equal "$stderr" "ctempfile: cannot write the temporary file: No space left on device"
		assert_output ""
		assert_dir_empty "$WORK/small"
	done
}

@test "--output copies an unnamed file that has no link, on every path" {
	local r
	for r in o_tmpfile o_tmpfile,copy_file_range o_tmpfile,copy_file_range,sendfile; do
		echo old > f
		run "$REFUSE" "$r" "$CTEMPFILE_BIN" file -o f -- sh -c 'cat "$1" >&3' - "$SRC"
		assert_success
		cmp f "$SRC"
		assert_equal "$(ls -A)" f
	done
}
