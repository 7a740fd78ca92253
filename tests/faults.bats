#!/usr/bin/env bats
# Real faults: full and read-only file systems, no descriptors, names
# too long, a name space used up.  Each: the message, the status, and
# nothing left behind.

load helper

@test "ENOSPC: a full file system, files and directories" {
	small_tmpfs "$WORK/full" size=4k,nr_inodes=2
	touch "$WORK/full/only"
	run --separate-stderr ct -p "$WORK/full"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template '$WORK/full/tmp.XXXXXXXXXX': No space left on device"
	run --separate-stderr ct directory -p "$WORK/full" -- true
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/full/tmpXXXXXXXX': No space left on device"
	assert_equal "$(ls "$WORK/full")" only
}

@test "ENOSPC while --stdin fills the file of a COMMAND: nothing left, 125" {
	small_tmpfs "$WORK/small" size=64k
	run --separate-stderr ct named-file -i -p "$WORK/small" -- touch ../ran < <(head -c 1000000 /dev/zero)
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot write the temporary file: No space left on device"
	assert_file_not_exists ../ran
	assert_dir_empty "$WORK/small"
	run --separate-stderr ct file -i -p "$WORK/small" -- touch ../ran < <(head -c 1000000 /dev/zero)
	assert_failure 125
	assert_file_not_exists ../ran
	assert_dir_empty "$WORK/small"
}

@test "EROFS: a read-only mount, every form" {
	small_tmpfs "$WORK/ro" ro,size=64k
	run --separate-stderr ct -p "$WORK/ro"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template '$WORK/ro/tmp.XXXXXXXXXX': Read-only file system"
	run --separate-stderr ct -d -p "$WORK/ro"
	assert_equal "$stderr" "ctempfile: failed to create directory via template '$WORK/ro/tmp.XXXXXXXXXX': Read-only file system"
	run --separate-stderr ct directory -p "$WORK/ro"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/ro/tmpXXXXXXXX': Read-only file system"
	run --separate-stderr ct file -p "$WORK/ro" -- true
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot create a file in '$WORK/ro/': Read-only file system"
}

@test "EMFILE: no descriptor left" {
	# Four descriptors: the standard three, and the directory a batch
	# opens once, so that the first file finds none.
	run --separate-stderr with_fd_limit 4 "$CTEMPFILE_BIN" -n 2 -p "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template '$WORK/tmp.XXXXXXXXXX': Too many open files"
	run --separate-stderr with_fd_limit 4 "$CTEMPFILE_BIN" named-file -n 3 -p "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/tmpXXXXXXXX': Too many open files"
	assert_dir_empty .
}

@test "a directory that does not exist, is a file, cannot be searched" {
	touch afile
	run --separate-stderr ct named-file -p afile
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/afile/tmpXXXXXXXX': Not a directory"
	run --separate-stderr ct -p afile
	assert_equal "$stderr" "ctempfile: failed to create file via template 'afile/tmp.XXXXXXXXXX': Not a directory"
	run --separate-stderr ct -n 5 -p afile
	assert_equal "$stderr" "ctempfile: failed to create file via template 'afile/tmp.XXXXXXXXXX': Not a directory"
	shared_dir
	mkdir "$SHARED/closed"
	chmod 700 "$SHARED/closed"
	run --separate-stderr as_user "$CTEMPFILE_BIN" directory -p "$SHARED/closed/sub"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$SHARED/closed/sub/tmpXXXXXXXX': Permission denied"
	run --separate-stderr as_user "$CTEMPFILE_BIN" named-file -n 3 -p "$SHARED/closed"
	assert_equal "$stderr" "ctempfile: cannot create '$SHARED/closed/tmpXXXXXXXX': Permission denied"
	assert_dir_empty "$SHARED/closed"
}

@test "a name longer than NAME_MAX" {
	local long
	long=$(printf 'a%.0s' {1..300})
	run --separate-stderr ct -p . "${long}XXX"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template './${long}XXX': File name too long"
	run --separate-stderr ct -u -p . "${long}XXX"
	assert_failure 1
	assert_dir_empty .
}

@test "every name taken: File exists after 238328 tries" {
	# --random 3 gives 37^3 = 50653 names; take them all first.
	python3 -c '
import itertools, os
a = "abcdefghijklmnopqrstuvwxyz0123456789_"
for t in itertools.product(a, repeat=3):
    n = "".join(t)
    if not os.path.exists(n):
        open(n, "w").close()'
	assert_equal "$(ls | wc -l)" 50653
	run --separate-stderr ct named-file -r 3 -P '' -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/XXX': File exists"
	run --separate-stderr ct directory -r 3 -P '' -p . -- true
	assert_failure 125
	assert_equal "$(ls | wc -l)" 50653
}
