#!/usr/bin/env bats
# Removing the directory tree COMMAND left: everything inside goes, nothing
# outside is touched in any way.

load helper

# Something outside the tree that must survive: a directory with a file.
precious() {
	mkdir -p "$1/inner"
	echo keep > "$1/inner/file"
	echo keep > "$1/file"
	chmod 644 "$1/file"
}

assert_precious() {
	assert_equal "$(cat "$1/inner/file")" keep
	assert_equal "$(cat "$1/file")" keep
	assert_equal "$(mode_of "$1/file")" 644
	assert_equal "$(mode_of "$1/inner")" 755
}

@test "everything COMMAND left is removed: files, dirs, dotfiles, links" {
	run ct directory -p . -- sh -c '
		cd "$CTEMPFILE" && mkdir -p a/b/c .hidden && touch a/f a/b/c/g .dot .hidden/x &&
		ln -s nowhere dangling && ln -s /etc etc && ln a/f hardlink'
	assert_success
	assert_dir_empty .
}

@test "a symbolic link to a precious directory: the link goes, not the target" {
	precious ../precious
	run ct directory -p . -- sh -c '
		ln -s "$PWD/../precious" "$CTEMPFILE/link" &&
		mkdir "$CTEMPFILE/d" && ln -s "$PWD/../precious/inner" "$CTEMPFILE/d/l2" &&
		ln -s ../../precious/file "$CTEMPFILE/d/l3"'
	assert_success
	assert_dir_empty .
	assert_precious ../precious
}

@test "the top replaced by a link: the link goes, status as if removed" {
	precious ../precious
	run --separate-stderr ct directory -p . -- sh -c 'rmdir "$CTEMPFILE" && ln -s "$PWD/../precious" "$CTEMPFILE"'
	assert_success
	assert_equal "$stderr" ""
	assert_dir_empty .
	assert_precious ../precious
}

@test "the top replaced by a file, or removed: no error" {
	run --separate-stderr ct directory -p . -- sh -c 'rmdir "$CTEMPFILE" && touch "$CTEMPFILE"'
	assert_success
	assert_dir_empty .
	run --separate-stderr ct directory -p . -- sh -c 'rmdir "$CTEMPFILE"'
	assert_success
	assert_equal "$stderr" ""
}

@test "a FIFO, a socket, a device: unlinked, never opened" {
	local dev=""
	[ "$(id -u)" -ne 0 ] || dev='mknod "$CTEMPFILE/null" c 1 3 &&'
	run timeout 20 "$CTEMPFILE_BIN" directory -p . -- sh -c "
		mkfifo \"\$CTEMPFILE/fifo\" && $dev
		python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \"\$CTEMPFILE/sock\""
	assert_success
	assert_dir_empty .
}

@test "unreadable, unsearchable, read-only directories deep down, the top too" {
	shared_dir
	mkdir "$SHARED/in"
	chmod 777 "$SHARED/in"
	run --separate-stderr as_user "$CTEMPFILE_BIN" directory -p "$SHARED/in" -- sh -c '
		cd "$CTEMPFILE" && mkdir -p a/b/c/d e/f/g h && touch a/b/c/d/x e/f/g/y h/z &&
		chmod 000 a/b/c/d && chmod a-w e/f/g && chmod 300 e/f && chmod 100 h && chmod 500 a/b &&
		chmod 000 "$CTEMPFILE"'
	assert_success
	assert_equal "$stderr" ""
	assert_dir_empty "$SHARED/in"
}

@test "a link to an outside file beside a directory to fix: the file's mode stays" {
	shared_dir
	mkdir "$SHARED/in" "$SHARED/out"
	chmod 777 "$SHARED/in"
	echo keep > "$SHARED/out/file"
	chmod 600 "$SHARED/out/file"
	chown 65534 "$SHARED/out/file"
	run --separate-stderr as_user "$CTEMPFILE_BIN" directory -p "$SHARED/in" -- sh -c '
		cd "$CTEMPFILE" && mkdir sub && ln -s "$1" sub/link && ln -s "$1" top-link && chmod 000 sub' _ "$SHARED/out/file"
	assert_success
	assert_dir_empty "$SHARED/in"
	assert_equal "$(mode_of "$SHARED/out/file")" 600
	assert_equal "$(cat "$SHARED/out/file")" keep
}

@test "a hard link to an outside read-only file: its mode stays" {
	shared_dir
	mkdir "$SHARED/in" "$SHARED/out"
	chmod 777 "$SHARED/in"
	echo keep > "$SHARED/out/ro"
	chown 65534 "$SHARED/out/ro"
	chmod 444 "$SHARED/out/ro"
	run --separate-stderr as_user "$CTEMPFILE_BIN" directory -p "$SHARED/in" -- sh -c '
		cd "$CTEMPFILE" && mkdir -p locked/deeper && ln "$1" locked/hard && ln "$1" hard &&
		chmod a-w locked/deeper && chmod 000 locked' _ "$SHARED/out/ro"
	assert_success
	assert_dir_empty "$SHARED/in"
	assert_equal "$(mode_of "$SHARED/out/ro")" 444
	assert_equal "$(stat -c %h "$SHARED/out/ro")" 1
}

@test "a tmpfs mounted inside: left with a warning, the rest removed, 125" {
	require_root
	run --separate-stderr unshare -m sh -c '
		mount --make-rprivate / || exit 99
		exec "$CTEMPFILE_BIN" directory -p "$1" -- sh -c "
			mkdir -p \"\$CTEMPFILE/m/mnt\" \"\$CTEMPFILE/other\" && touch \"\$CTEMPFILE/other/f\" \"\$CTEMPFILE/top\" &&
			mount -t tmpfs none \"\$CTEMPFILE/m/mnt\" && echo keep > \"\$CTEMPFILE/m/mnt/data\" &&
			echo \"\$CTEMPFILE\" > ../top; cat /proc/self/mountinfo | grep -c \" \$CTEMPFILE/m/mnt \" > ../mounted"' _ "$WORK"
	[ "$status" -ne 99 ] || skip "cannot mount in a namespace"
	assert_failure 125
	local top
	top=$(cat ../top)
	assert_equal "$(cat ../mounted)" 1
	assert_equal "$stderr" "ctempfile: '$top/m/mnt' is a mount point; left in place"
	# The mount point and its parents stay; everything else went.
	assert_equal "$(cd "$top" && find . | sort | tr '\n' ' ')" ". ./m ./m/mnt "
}

@test "a bind mount of the same file system inside: never entered" {
	require_root
	precious "$WORK/precious"
	run --separate-stderr unshare -m sh -c '
		mount --make-rprivate / || exit 99
		exec "$CTEMPFILE_BIN" directory -p "$1" -- sh -c "
			mkdir \"\$CTEMPFILE/bind\" && mount --bind \"\$1/precious\" \"\$CTEMPFILE/bind\" &&
			echo \"\$CTEMPFILE\" > \"\$1/top\"; exit 3" _ "$1"' _ "$WORK"
	[ "$status" -ne 99 ] || skip "cannot mount in a namespace"
	assert_failure 3
	assert_equal "$stderr" "ctempfile: '$(cat top)/bind' is a mount point; left in place"
	assert_precious precious
}

@test "3000 nested levels, paths far beyond PATH_MAX" {
	run ct directory -p . -- python3 -c '
import os
os.chdir(os.environ["CTEMPFILE"])
for i in range(3000):
    os.mkdir("level-with-a-long-name-%04d" % i)
    os.chdir("level-with-a-long-name-%04d" % i)
open("deepest", "w").close()
print(len(os.getcwd()))'
	assert_success
	[ "$output" -gt 4096 ] || fail "path only $output bytes long"
	assert_dir_empty .
}

@test "500 levels under ulimit -n 64, a file and a directory at each" {
	run with_fd_limit 64 "$CTEMPFILE_BIN" directory -p . -- python3 -c '
import os
os.chdir(os.environ["CTEMPFILE"])
for i in range(500):
    os.mkdir("d")
    open("f", "w").close()
    os.mkdir("e")
    os.chdir("d")
'
	assert_success
	assert_dir_empty .
}

@test "a directory that stays deep down under ulimit -n 64: told once" {
	require_root
	run --separate-stderr unshare -m bash -c '
		mount --make-rprivate / || exit 99
		ulimit -n 64
		exec "$CTEMPFILE_BIN" directory -p "$1" -- python3 -c "
import os, subprocess
top = os.environ[\"CTEMPFILE\"]
os.chdir(top)
path = []
for i in range(200):
    os.mkdir(\"d\")
    open(\"f\", \"w\").close()
    if i == 150:
        os.mkdir(\"mnt\")
        subprocess.run([\"mount\", \"-t\", \"tmpfs\", \"none\", \"mnt\"], check=True)
        mnt = os.getcwd()[len(top):] + \"/mnt\"
    os.chdir(\"d\")
open(os.path.join(top, \"..\", \"where\"), \"w\").write(top + mnt)
"' _ "$WORK"
	[ "$status" -ne 99 ] || skip "cannot mount in a namespace"
	assert_failure 125
	assert_equal "$stderr" "ctempfile: '$(cat where)' is a mount point; left in place"
	# Only the mount point and its parents stay.
	local top
	top=$(cat where)
	top=${top%%/d/*}
	assert_equal "$(find "$top" -type f | wc -l)" 0
	assert_equal "$(find "$top" -mindepth 1 -type d | wc -l)" 151
}

@test "20,000 files in one directory" {
	run ct directory -p . -- python3 -c '
import os
d = os.environ["CTEMPFILE"]
for i in range(20000):
    open(os.path.join(d, "file%05d" % i), "w").close()
print(len(os.listdir(d)))'
	assert_output 20000
	assert_dir_empty .
}

@test "removal does not depend on the current directory" {
	mkdir gone
	cd gone
	run --separate-stderr ct directory -p "$WORK" -- sh -c 'rmdir "$1"; touch "$CTEMPFILE/x"' _ "$WORK/gone"
	assert_success
	assert_equal "$stderr" ""
	cd "$WORK"
	assert_dir_empty .
}

@test "--cd changes COMMAND's directory only, never ctempfile's" {
	run ct directory -p . -C -- sh -c 'readlink /proc/$PPID/cwd; pwd'
	assert_line --index 0 "$WORK"
	assert_line --index 1 --regexp "^$WORK/tmp$PY_RAND{8}$"
	assert_dir_empty .
}

# As an unprivileged user, run a COMMAND that makes sub/f in its directory
# and waits while root gives sub away to root with mode $1.  Sets TOP,
# CODE (ctempfile's status) and ERR (its standard error).
removal_of_taken_sub() {
	shared_dir
	mkdir "$SHARED/in"
	chmod 777 "$SHARED/in"
	as_user "$CTEMPFILE_BIN" directory -p "$SHARED/in" -- sh -c '
		mkdir "$CTEMPFILE/sub" && touch "$CTEMPFILE/sub/f" && echo "$CTEMPFILE" > "$1/path"
		i=0; while [ ! -e "$1/go" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done' _ "$SHARED/in" 3>&- 2> "$WORK/err" &
	local pid=$!
	wait_for "$SHARED/in/path"
	TOP=$(cat "$SHARED/in/path")
	chown root "$TOP/sub"
	chmod "$1" "$TOP/sub"
	touch "$SHARED/in/go"
	CODE=0
	wait "$pid" || CODE=$?
	ERR=$(cat "$WORK/err")
	rm "$SHARED/in/path" "$SHARED/in/go"
}

@test "what cannot be removed is told, and the status is 125" {
	require_root
	removal_of_taken_sub 555
	assert_equal "$CODE" 125
	assert_equal "$ERR" "ctempfile: cannot remove '$TOP/sub/f': Permission denied"
	assert_file_exists "$TOP/sub/f"
}

@test "another's directory is not chmod-ed, and goes if others may empty it" {
	require_root
	# Owner bits none, others rwx: a chmod would fail, and is not needed.
	removal_of_taken_sub 077
	assert_equal "$ERR" ""
	assert_equal "$CODE" 0
	assert_dir_empty "$SHARED/in"
}
