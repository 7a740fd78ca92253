#!/usr/bin/env bats
# Many ctempfile processes at once in one directory.

load helper

@test "8 processes, 2000 names each, one prefix, a crowded name space" {
	# --random 3 leaves 50653 names for 16000 files: collisions are many,
	# and each must be met by a fresh draw, never a failure.
	local i
	mkdir "$WORK/d"
	for i in 1 2 3 4 5 6 7 8; do
		"$CTEMPFILE_BIN" named-file -n 2000 -r 3 -P same -p "$WORK/d" \
			> "$BATS_TEST_TMPDIR/out.$i" 2> "$BATS_TEST_TMPDIR/err.$i" 3>&- &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/err.* > "$BATS_TEST_TMPDIR/errors"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/errors")" ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/out.* | wc -l)" 16000
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/out.* | sort -u | wc -l)" 16000
	assert_equal "$(find "$WORK/d" -type f | wc -l)" 16000
}

@test "8 processes of the mktemp form, 1000 names each, 3 X's" {
	local i
	mkdir d
	for i in 1 2 3 4 5 6 7 8; do
		"$CTEMPFILE_BIN" -n 1000 -p d sameXXX > "$BATS_TEST_TMPDIR/out.$i" 3>&- &
	done
	local failed=0
	for i in 1 2 3 4 5 6 7 8; do
		wait -n || failed=$((failed + 1))
	done
	assert_equal "$failed" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/out.* | sort -u | wc -l)" 8000
	assert_equal "$(find d -type f | wc -l)" 8000
}

@test "300 concurrent directory -- COMMAND runs all clean up" {
	run bash -c 'seq 300 | xargs -P 50 -I{} "$CTEMPFILE_BIN" directory -p "$1" -- sh -c "touch \"\$CTEMPFILE/f\"; mkdir \"\$CTEMPFILE/d\"" 3>&-' _ "$WORK"
	assert_success
	assert_dir_empty .
}

@test "300 concurrent named-file -- COMMAND runs, half of them failing" {
	run bash -c 'seq 300 | xargs -P 50 -I{} sh -c "\"\$CTEMPFILE_BIN\" named-file -p \"\$1\" -- sh -c \"echo x > \\\"\\\$CTEMPFILE\\\"; exit \$((\$2 % 2))\" ; true" _ "$1" {} 3>&-' _ "$WORK"
	assert_success
	assert_dir_empty .
}
