#!/usr/bin/env bats
# gettempdir: the directory Python's tempfile.gettempdir() would choose.

load helper

@test "a usable \$TMPDIR wins, and the probe leaves nothing in it" {
	run --separate-stderr ct gettempdir
	assert_success
	assert_output "$TMPDIR"
	assert_equal "$stderr" ""
	assert_dir_empty "$TMPDIR"
}

@test "a relative \$TMPDIR is printed absolute, folded lexically" {
	mkdir -p rel/deep
	ln -s rel/deep link
	TMPDIR=rel run ct gettempdir
	assert_output "$WORK/rel"
	TMPDIR=./rel/../rel//deep/. run ct gettempdir
	assert_output "$WORK/rel/deep"
	# link/.. is the current directory to Python, not rel.
	TMPDIR=link/.. run ct gettempdir
	assert_output "$WORK"
}

@test "falls back past unusable candidates to \$TEMP, \$TMP, then /tmp" {
	mkdir temp tmp
	touch afile
	TMPDIR=/nonexistent TEMP="$WORK/temp" run ct gettempdir
	assert_output "$WORK/temp"
	TMPDIR=afile TEMP= TMP="$WORK/tmp" run ct gettempdir
	assert_output "$WORK/tmp"
	TMPDIR=/nonexistent TEMP=afile TMP=/nonexistent/2 run ct gettempdir
	assert_output /tmp
	unset TMPDIR
	run ct gettempdir
	assert_output /tmp
}

@test "the result matches Python's tempfile.gettempdir()" {
	command -v python3 >/dev/null || skip "no python3"
	local e
	mkdir rel
	touch afile
	for e in "TMPDIR=rel" "TMPDIR=/nonexistent TEMP=rel" "TMPDIR= TEMP= TMP=afile" "TMPDIR=./rel/.."; do
		run env $e "$CTEMPFILE_BIN" gettempdir
		assert_output "$(env $e python3 -c 'import tempfile; print(tempfile.gettempdir())')"
	done
}

@test "-v says why each candidate was passed over" {
	touch afile
	TMPDIR=/nonexistent TEMP=afile TMP= run --separate-stderr ct gettempdir -v
	assert_success
	assert_output /tmp
	assert_equal "$stderr" "ctempfile: \$TMPDIR: '/nonexistent': No such file or directory
ctempfile: \$TEMP: '$WORK/afile': Not a directory
ctempfile: \$TMP: empty
ctempfile: '/tmp': usable"
}

@test "-v: a directory the user may not write to" {
	shared_dir
	mkdir "$SHARED/ro"
	chmod 555 "$SHARED/ro"
	TMPDIR="$SHARED/ro" run --separate-stderr as_user "$CTEMPFILE_BIN" gettempdir -v
	assert_success
	assert_output /tmp
	[[ "$stderr" == *"ctempfile: \$TMPDIR: '$SHARED/ro': Permission denied"* ]]
	[[ "$stderr" == *"ctempfile: \$TEMP: not set"* ]]
}

@test "-v: a read-only file system" {
	small_tmpfs "$WORK/ro" ro,size=64k
	TMPDIR="$WORK/ro" run --separate-stderr ct gettempdir -v
	assert_output /tmp
	[[ "$stderr" == *"ctempfile: \$TMPDIR: '$WORK/ro': Read-only file system"* ]]
}

@test "-v: a full file system (the probe writes)" {
	small_tmpfs "$WORK/full" size=4k
	head -c 4096 /dev/zero > "$WORK/full/filler" 2>/dev/null || true
	TMPDIR="$WORK/full" run --separate-stderr ct gettempdir -v
	assert_output /tmp
	[[ "$stderr" == *"ctempfile: \$TMPDIR: '$WORK/full': No space left on device"* ]]
	assert_equal "$(ls "$WORK/full")" filler
}

@test "no usable directory: every candidate listed, status 1" {
	require_root
	command -v unshare >/dev/null || skip "no unshare"
	mkdir cwd
	# Read-only file systems over the current directory (entered first,
	# as it lies under /tmp, which then hides it from lookups by path) and
	# over every usual directory.  The binary is copied into the current
	# directory, as the build may lie under /tmp too.
	local hide_all='mount --make-rprivate / || exit 99
		mount -t tmpfs -o size=64m none cwd || exit 99
		cp "$CTEMPFILE_BIN" cwd/ctempfile || exit 99
		mount -o remount,ro cwd || exit 99
		cd cwd || exit 99
		for d in /tmp /var/tmp /usr/tmp; do
			[ ! -d "$d" ] || mount -t tmpfs -o ro,size=64k none "$d" || exit 99
		done'
	run --separate-stderr unshare -m sh -c "$hide_all
		TMPDIR=/nonexistent exec ./ctempfile gettempdir"
	[ "$status" -ne 99 ] || skip "cannot mount in a namespace"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "ctempfile: no usable temporary directory found in '/nonexistent', '/tmp', '/var/tmp', '/usr/tmp', '$WORK/cwd'"
	run --separate-stderr unshare -m sh -c "$hide_all
		exec ./ctempfile gettempdir -q"
	assert_failure 1
	assert_equal "$stderr" ""
}

@test "-z ends the output with NUL" {
	ct gettempdir -z > out
	assert_equal "$(od -An -c out | tr -d ' \n')" "$(printf '%s' "$TMPDIR" | od -An -c | tr -d ' \n')\\0"
}

@test "an operand is an error" {
	run --separate-stderr ct gettempdir foo
	assert_failure 1
	assert_equal "$stderr" "ctempfile: extra operand 'foo'
Try 'ctempfile gettempdir --help' for more information."
}

@test "an unknown option is an error" {
	run --separate-stderr ct gettempdir --prefix=x
	assert_failure 1
	assert_equal "$stderr" "ctempfile: unrecognized option '--prefix=x'
Try 'ctempfile gettempdir --help' for more information."
}

@test "--help" {
	run ct gettempdir --help
	assert_success
	assert_line --index 0 "Usage: ctempfile gettempdir [OPTION]..."
	assert_line --regexp "^ +-v, --verbose "
}

@test "standard output that cannot take the name" {
	run --separate-stderr ct_out /dev/full gettempdir
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
}
