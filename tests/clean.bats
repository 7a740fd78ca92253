#!/usr/bin/env bats
# clean: every rule alone, both ways (the unit that stays, the unit that
# goes), with real processes and real locks.  Ages are made small: the
# units of a test are made first, then one short sleep makes them old.

load helper

setup() {
	common_setup
	D="$BATS_TEST_TMPDIR/d"
	mkdir "$D"
}

# Past an age of 1s for everything made so far.
age_past() {
	sleep 1.2
}

# A unit that would go: a directory with a file, or a file.
unit_dir() {
	mkdir -p "$D/$1/sub"
	echo data >"$D/$1/sub/file"
}

# Start "$@" in the background, its pid in $BG and killed by teardown.
bg() {
	"$@" &
	BG=$!
	BG_PIDS+=("$BG")
}

@test "an old unit goes whole, a new one stays; -v says which and why" {
	unit_dir old
	echo x >"$D/oldfile"
	age_past
	unit_dir new
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/old': removed"
	assert_line "ctempfile: '$D/oldfile': removed"
	assert_line --regexp "^ctempfile: '$D/new': kept: newer than 1s: '$D/new(/sub(/file)?)?' at [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}$"
	assert_not_exist "$D/old"
	assert_not_exist "$D/oldfile"
	assert_file_exist "$D/new/sub/file"
}

@test "without -n and -v nothing is printed; -n removes nothing and prints each unit, -z with NUL" {
	unit_dir a
	unit_dir 'b c'
	mkdir "$D/$(printf 'new\nline')"
	age_past
	run ct clean -n --age=1s "$D"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | LC_ALL=C sort)" "$(printf '%s\n' "$D/a" "$D/b c" "$D/new" line | LC_ALL=C sort)"
	[ -d "$D/a" ] && [ -d "$D/b c" ] && [ -d "$D/$(printf 'new\nline')" ]
	ct clean -n -z --age=1s "$D" | tr '\0' '|' >out
	[ "$(tr '|' '\n' <out | grep -c "^$D/")" -eq 3 ]
	grep -qF "$D/new" out
	[ "$(tr -cd '|' <out)" = '|||' ]
	run ct clean -n -v --age=1s "$D"
	assert_line --partial "'$D/a': would be removed"
	run ct clean --age=1s "$D"
	assert_success
	assert_output ""
	assert_dir_empty "$D"
}

@test "a recent file deep in an old tree keeps all of it; its access time counts, a directory's does not" {
	mkdir -p "$D/deep/a/b/c/d" "$D/read/x" "$D/listed/y"
	echo old >"$D/deep/a/b/c/d/old"
	echo old >"$D/read/x/f"
	age_past
	echo new >"$D/deep/a/b/c/d/new"
	# Reading a file makes it new (its access time); listing a
	# directory does not.
	touch -a "$D/read/x/f"
	before=$(stat -c %X "$D/listed/y")
	ls -R "$D/listed" >/dev/null
	[ "$(stat -c %X "$D/listed/y")" -gt "$before" ] || skip "listing a directory does not update its access time here"
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line --regexp "^ctempfile: '$D/deep': kept: newer than 1s: '$D/deep/a/b/c/d(/new)?' at "
	assert_line --regexp "^ctempfile: '$D/read': kept: newer than 1s: '$D/read/x/f' at "
	assert_line "ctempfile: '$D/listed': removed"
	assert_file_exist "$D/deep/a/b/c/d/old"
	assert_file_exist "$D/read/x/f"
	assert_not_exist "$D/listed"
}

@test "judging a tree does not make it look new: no access time changes" {
	mkdir -p "$D/t/sub"
	echo x >"$D/t/sub/f"
	# Access times older than the modification: a read would move them.
	touch -a -d '2 days ago' "$D/t" "$D/t/sub" "$D/t/sub/f"
	before=$(stat -c '%n %X' "$D/t" "$D/t/sub" "$D/t/sub/f")
	run ct clean -n --age=1h "$D"
	assert_success
	run ct clean -v --age=1h "$D"
	assert_line --partial "kept: newer than 1h"
	assert_equal "$(stat -c '%n %X' "$D/t" "$D/t/sub" "$D/t/sub/f")" "$before"
}

@test "every duration form; a bare number is seconds; 0 is any age" {
	unit_dir u
	sleep 2.2
	for age in 3s 1m 1h 1d 1w 1h30m 1w2d3h4m5s 0m1h 3 10; do
		run ct clean -v --age="$age" "$D"
		assert_success
		assert_output --partial "kept: newer than $age:"
	done
	run ct clean -n --age=2 "$D"
	assert_output "$D/u"
	run ct clean -n --age=1s1s "$D"
	assert_output "$D/u"
	unit_dir fresh
	run ct clean -n --age=0 "$D"
	assert_line "$D/fresh"
	assert_line "$D/u"
}

@test "bad durations: one line naming the value, exit 1, nothing removed" {
	unit_dir u
	for age in '' x 5x h 1h30 -1 +5 1.5 ' 5' '5 ' 5S 1y 99999999999999999999 9999999999999999w; do
		run ct clean --age="$age" "$D"
		assert_failure 1
		assert_equal "${#lines[@]}" 1
		assert_output "ctempfile: invalid age '$age': a number of seconds, or numbers with s, m, h, d or w, like 1h30m"
	done
	run ct clean --age=0 -z "$D"
	assert_failure 1
	assert_output "ctempfile: --zero applies only with --dry-run"
	run ct clean --bogus "$D"
	assert_failure 1
	assert_line "Try 'ctempfile clean --help' for more information."
	assert_file_exist "$D/u/sub/file"
}

@test "the default age is 10 days" {
	unit_dir u
	touch -d '9 days ago' "$D/u/sub/file"
	run ct clean -v "$D"
	assert_success
	assert_output --regexp "^ctempfile: '$D/u': kept: newer than 10d: "
	assert_file_exist "$D/u/sub/file"
	run ct clean --help
	assert_output --partial "(default: 10d)"
}

@test "the default DIR is what gettempdir prints; options may follow DIRs" {
	unit_dir u
	age_past
	mkdir "$BATS_TEST_TMPDIR/other"
	run env TMPDIR="$D" "$CTEMPFILE_BIN" clean --age=1s
	assert_success
	assert_not_exist "$D/u"
	unit_dir v
	age_past
	run ct clean "$D" --age=1s -v
	assert_success
	assert_output "ctempfile: '$D/v': removed"
}

@test "several DIRs, one missing and one a file: each named, the others still cleaned, exit 1" {
	mkdir "$BATS_TEST_TMPDIR/e"
	unit_dir u
	echo x >"$BATS_TEST_TMPDIR/e/f"
	touch "$BATS_TEST_TMPDIR/plain"
	age_past
	run ct clean --age=1s "$BATS_TEST_TMPDIR/missing" "$D" "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/e"
	assert_failure 1
	assert_line "ctempfile: cannot read '$BATS_TEST_TMPDIR/missing': No such file or directory"
	assert_line "ctempfile: cannot read '$BATS_TEST_TMPDIR/plain': Not a directory"
	assert_equal "${#lines[@]}" 2
	assert_not_exist "$D/u"
	assert_not_exist "$BATS_TEST_TMPDIR/e/f"
	assert_file_exist "$BATS_TEST_TMPDIR/plain"
}

@test "the root directory is refused, by any name; the other DIRs still cleaned" {
	unit_dir u
	age_past
	run --separate-stderr ct clean -n --age=0 / "$D" /.
	assert_failure 1
	assert_output "$D/u"
	assert_equal "$stderr" "$(printf '%s\n' "ctempfile: refusing to clean '/': it is the root directory" "ctempfile: refusing to clean '/.': it is the root directory")"
	[ -d /usr ]
}

@test "owner: root's unit goes, one given to uid 65534 stays; --all-users takes both" {
	require_root
	unit_dir mine
	unit_dir theirs
	chown -R 65534:65534 "$D/theirs"
	age_past
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/theirs': kept: not yours (owner 65534)"
	assert_not_exist "$D/mine"
	assert_file_exist "$D/theirs/sub/file"
	run ct clean -v --all-users --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/theirs': removed"
	assert_dir_empty "$D"
}

@test "--all-users is refused to anyone but root; another user cleans only their own" {
	shared_dir
	chmod 1777 "$SHARED"
	mkdir "$SHARED/root-owned"
	as_user mkdir -p "$SHARED/users/sub"
	age_past
	run as_user "$CTEMPFILE_BIN" clean --all-users --age=1s "$SHARED"
	if [ "$(id -u)" -ne 0 ]; then
		skip "needs root to run as another user"
	fi
	assert_failure 1
	assert_output "ctempfile: --all-users is for root only"
	run as_user "$CTEMPFILE_BIN" clean -v --age=1s "$SHARED"
	assert_success
	assert_line "ctempfile: '$SHARED/root-owned': kept: not yours (owner 0)"
	assert_line "ctempfile: '$SHARED/users': removed"
	[ -d "$SHARED/root-owned" ]
}

@test "a mount point, as a unit or anywhere inside one, keeps it whole" {
	require_root
	mkdir -p "$D/top" "$D/inside/a/b" "$D/plain/a/b"
	small_tmpfs "$D/top" size=1m
	small_tmpfs "$D/inside/a/b" size=1m
	echo x >"$D/inside/a/b/f"
	echo x >"$D/inside/a/g"
	age_past
	run ct clean -v --all-users --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/top': kept: mount point '$D/top'"
	assert_line "ctempfile: '$D/inside': kept: mount point '$D/inside/a/b'"
	assert_line "ctempfile: '$D/plain': removed"
	assert_file_exist "$D/inside/a/g"
	assert_file_exist "$D/inside/a/b/f"
}

@test "flock -s and -x on a directory and on a file, by a process /proc does not show: locked; unlocked it goes" {
	require_root
	shared_dir
	chmod 1777 "$SHARED"
	as_user mkdir "$SHARED/dir-s" "$SHARED/dir-x"
	as_user sh -c 'echo x >"$1/file-s" && echo x >"$1/file-x"' _ "$SHARED"
	# Root's processes hold the locks: uid 65534 cannot see their
	# descriptors in /proc, only the locks.
	bg flock -o -s "$SHARED/dir-s" sleep 60
	s1=$BG
	bg flock -o -x "$SHARED/dir-x" sleep 60
	bg flock -o -s "$SHARED/file-s" sleep 60
	bg flock -o -x "$SHARED/file-x" sleep 60
	for u in dir-s dir-x file-s file-x; do
		for i in $(seq 100); do
			flock -n -x "$SHARED/$u" true || break
			sleep 0.05
		done
	done
	age_past
	run as_user "$CTEMPFILE_BIN" clean -v --age=1s "$SHARED"
	assert_success
	for u in dir-s dir-x file-s file-x; do
		assert_line "ctempfile: '$SHARED/$u': kept: locked"
		assert [ -e "$SHARED/$u" ]
	done
	# Root sees the holders: in use by them.
	run ct clean -v --all-users -n --age=1s "$SHARED"
	assert_line --regexp "^ctempfile: '$SHARED/dir-s': kept: in use by process [0-9]+: '$SHARED/dir-s'$"
	kill "$s1"
	wait "$s1" 2>/dev/null || true
	run as_user "$CTEMPFILE_BIN" clean -v --age=1s "$SHARED"
	assert_line "ctempfile: '$SHARED/dir-s': removed"
	assert_not_exist "$SHARED/dir-s"
}

@test "a unit a process holds open is never opened: a lease on it is not broken" {
	echo x >"$D/leased"
	bg python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
open(sys.argv[2], "w").close()
time.sleep(60)
' "$D/leased" "$BATS_TEST_TMPDIR/ready"
	holder=$BG
	wait_for "$BATS_TEST_TMPDIR/ready"
	age_past
	SECONDS=0
	run ct clean -v --age=1s "$D"
	assert_success
	[ "$SECONDS" -lt 5 ] || fail "waited ${SECONDS}s on the lease"
	assert_output "ctempfile: '$D/leased': kept: in use by process $holder: '$D/leased'"
	# Breaking the lease would have sent it SIGIO, which ends it.
	sleep 0.2
	kill -0 "$holder"
}

@test "a read-only file system: each unit that cannot go is named, exit 1, nothing else touched" {
	require_root
	small_tmpfs "$D" size=1m
	unit_dir u
	echo x >"$D/f"
	age_past
	mount -o remount,ro "$D"
	run ct clean --age=1s "$D"
	assert_failure 1
	assert_line --partial "cannot remove '$D/f': Read-only file system"
	assert_line --partial "cannot remove '$D/u/sub/file': Read-only file system"
	mount -o remount,rw "$D"
	assert_file_exist "$D/u/sub/file"
	assert_file_exist "$D/f"
}

@test "descriptors too few for the depth of a unit: kept and named, exit 1" {
	mkdir -p "$D/deep/1/2/3/4/5/6/7/8/9/10/11/12"
	mkdir "$D/shallow"
	age_past
	run with_fd_limit 12 "$CTEMPFILE_BIN" clean --age=1s "$D"
	assert_failure 1
	assert_output --regexp "^ctempfile: '$D/deep': kept: cannot read '$D/deep(/[0-9]+)+': Too many open files$"
	assert_dir_exist "$D/deep/1/2/3/4/5/6/7/8/9/10/11/12"
	assert_not_exist "$D/shallow"
	# Too few to read /proc: nothing removed at all.
	mkdir "$D/shallow"
	sleep 1.2
	run with_fd_limit 5 "$CTEMPFILE_BIN" clean --age=1s "$D"
	assert_failure 1
	assert_output "ctempfile: cannot read what processes use in /proc; nothing removed: Too many open files"
	assert_dir_exist "$D/shallow"
}

@test "a live --pid watcher and a running 'directory -- sleep' keep theirs" {
	bg sleep 60
	watched=$(ct directory --dir="$D" --pid="$BG")
	owner=$BG
	bg "$CTEMPFILE_BIN" directory --dir="$D" --prefix=run -- sleep 60
	wait_for_entries "$D" 2
	age_past
	run ct clean -v --age=1s "$D"
	assert_success
	# The watcher and the guardian hold them open (and locked).
	assert_line --regexp "^ctempfile: '$watched': kept: in use by process [0-9]+: '$watched'$"
	assert_line --regexp "^ctempfile: '$D/run[a-z0-9_]{8}': kept: in use by process [0-9]+: '$D/run[a-z0-9_]{8}'$"
	[ -d "$watched" ]
	[ "$(find "$D" -mindepth 1 -maxdepth 1 | wc -l)" -eq 2 ]
	kill "$owner"
}

@test "an open descriptor, a current directory, a mapped file inside: in use by that process" {
	unit_dir fd
	unit_dir cwd
	unit_dir map
	unit_dir free
	cp /bin/sleep "$D/map/sub/sleeper"
	bg sleep 60 5<"$D/fd/sub/file"
	fd_pid=$BG
	bg sh -c 'cd "$1" && exec sleep 60' _ "$D/cwd/sub"
	cwd_pid=$BG
	# Its binary mapped, and no descriptor of it open.
	bg "$D/map/sub/sleeper" 60
	map_pid=$BG
	age_past
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/fd': kept: in use by process $fd_pid: '$D/fd/sub/file'"
	assert_line "ctempfile: '$D/cwd': kept: in use by process $cwd_pid: '$D/cwd/sub'"
	assert_line "ctempfile: '$D/map': kept: in use by process $map_pid: '$D/map/sub/sleeper'"
	assert_line "ctempfile: '$D/free': removed"
	kill "$fd_pid" "$cwd_pid" "$map_pid"
	wait "$fd_pid" "$cwd_pid" "$map_pid" 2>/dev/null || true
	sleep 1.2
	run ct clean -v --age=1s "$D"
	assert_success
	assert_dir_empty "$D"
}

@test "a listening AF_UNIX socket inside keeps it; a dead one does not" {
	mkdir -p "$D/live/s" "$D/dead/s"
	bg python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen()
time.sleep(60)
' "$D/live/s/sock"
	wait_for "$D/live/s/sock"
	python3 -c '
import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])
' "$D/dead/s/sock"
	[ -S "$D/dead/s/sock" ]
	age_past
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/live': kept: live socket '$D/live/s/sock'"
	assert_line "ctempfile: '$D/dead': removed"
	[ -S "$D/live/s/sock" ]
}

@test "a sticky file keeps its unit; a sticky directory does not" {
	unit_dir sticky
	unit_dir stickydir
	chmod +t "$D/sticky/sub/file" "$D/stickydir/sub"
	echo x >"$D/stickytop"
	chmod 1644 "$D/stickytop"
	age_past
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/sticky': kept: sticky file '$D/sticky/sub/file'"
	assert_line "ctempfile: '$D/stickytop': kept: sticky file '$D/stickytop'"
	assert_line "ctempfile: '$D/stickydir': removed"
	assert_file_exist "$D/sticky/sub/file"
}

@test "--exclude: matched against the unit's name, never a path inside; given twice" {
	unit_dir keep.me
	unit_dir build-1
	unit_dir other
	mkdir "$D/other/keep.me"
	age_past
	run ct clean -v --exclude='*.me' --exclude='build-?' --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/keep.me': kept: excluded"
	assert_line "ctempfile: '$D/build-1': kept: excluded"
	assert_line "ctempfile: '$D/other': removed"
	[ -d "$D/keep.me" ] && [ -d "$D/build-1" ]
}

@test "a FIFO unit and a FIFO inside one: judged, removed, never opened (no hang)" {
	mkfifo "$D/fifo"
	mkdir "$D/withfifo"
	mkfifo "$D/withfifo/p"
	age_past
	run timeout 10 "$CTEMPFILE_BIN" clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/fifo': removed"
	assert_line "ctempfile: '$D/withfifo': removed"
	assert_dir_empty "$D"
}

@test "a link to an outside file goes; the file, and a directory linked from inside, stay untouched" {
	mkdir -p "$BATS_TEST_TMPDIR/outside/dir"
	echo precious >"$BATS_TEST_TMPDIR/outside/file"
	echo precious >"$BATS_TEST_TMPDIR/outside/dir/f"
	ln -s "$BATS_TEST_TMPDIR/outside/file" "$D/link"
	mkdir "$D/u"
	ln -s "$BATS_TEST_TMPDIR/outside/dir" "$D/u/dirlink"
	ln "$BATS_TEST_TMPDIR/outside/file" "$D/u/hardlink" 2>/dev/null || true
	touch -h -d '1 hour ago' "$D/link"
	before=$(stat -c '%n %a %X %Y' "$BATS_TEST_TMPDIR/outside/file" "$BATS_TEST_TMPDIR/outside/dir/f")
	age_past
	run ct clean -v --age=1s "$D"
	assert_success
	assert_line "ctempfile: '$D/link': removed"
	assert_line "ctempfile: '$D/u': removed"
	assert_dir_empty "$D"
	assert_equal "$(stat -c '%n %a %X %Y' "$BATS_TEST_TMPDIR/outside/file" "$BATS_TEST_TMPDIR/outside/dir/f")" "$before"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/outside/file" "$BATS_TEST_TMPDIR/outside/dir/f")" "$(printf 'precious\nprecious')"
}

@test "chmod 000 subdirectories: judged and removed whole, as root and as their owner" {
	shared_dir
	chmod 1777 "$SHARED"
	for who in me user; do
		run_as=()
		[ "$who" = user ] && run_as=(as_user)
		"${run_as[@]}" mkdir -p "$SHARED/$who/a/b"
		"${run_as[@]}" sh -c 'echo x >"$1/a/b/f"' _ "$SHARED/$who"
		"${run_as[@]}" chmod 000 "$SHARED/$who/a/b" "$SHARED/$who/a"
	done
	age_past
	run "$CTEMPFILE_BIN" clean -v --age=1s "$SHARED"
	assert_success
	assert_line "ctempfile: '$SHARED/me': removed"
	run as_user "$CTEMPFILE_BIN" clean -v --age=1s "$SHARED"
	assert_success
	assert_line "ctempfile: '$SHARED/user': removed"
	assert_dir_empty "$SHARED"
}

@test "an immutable file: named, exit 1, the rest removed; -q silences it but not the status" {
	require_root
	unit_dir u
	echo x >"$D/u/stuck"
	chattr +i "$D/u/stuck" 2>/dev/null || skip "no immutable files on this file system"
	unit_dir other
	age_past
	run ct clean --age=1s "$D"
	chattr -i "$D/u/stuck"
	assert_failure 1
	assert_output --partial "cannot remove '$D/u/stuck': Operation not permitted"
	assert_not_exist "$D/other"
	assert_not_exist "$D/u/sub"
	chattr +i "$D/u/stuck"
	run ct clean -q --age=0 "$D"
	chattr -i "$D/u/stuck"
	assert_failure 1
	assert_output ""
}

@test "a unit replaced between judgement and removal is left" {
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot work under ptrace.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	unit_dir u
	age_past
	# The lock is taken after the unit is judged by name: held open
	# there, the unit is swapped for another of the same name.
	strace -f -o /dev/null -e trace=flock -e inject=flock:delay_exit=1500000 \
		"$CTEMPFILE_BIN" clean -v --age=1s "$D" 2>err &
	BG_PIDS+=($!)
	pid=$!
	sleep 0.5
	mv "$D/u" "$BATS_TEST_TMPDIR/moved"
	unit_dir u
	wait "$pid"
	assert_file_exist "$D/u/sub/file"
	assert_file_exist "$BATS_TEST_TMPDIR/moved/sub/file"
	assert_equal "$(cat err)" "ctempfile: '$D/u': kept: replaced or moved while judged"
}

@test "no /proc: nothing removed, exit 1" {
	require_root
	require_no_asan "no /proc"
	unit_dir u
	age_past
	run unshare -m sh -c 'umount -l /proc && exec "$@"' _ "$CTEMPFILE_BIN" clean --age=1s "$D"
	assert_failure 1
	assert_output "ctempfile: cannot read /proc: what processes use cannot be seen; nothing removed"
	assert_file_exist "$D/u/sub/file"
}

@test "2,000 units: all old ones go, the locked and the new stay" {
	python3 -c '
import os, sys
for i in range(2000):
    os.mkdir(os.path.join(sys.argv[1], "u%04d" % i))
    open(os.path.join(sys.argv[1], "u%04d" % i, "f"), "w").close()
' "$D"
	bg flock -o -s "$D/u0007" sleep 60
	age_past
	echo new >"$D/u1999/f"
	run ct clean --age=1s "$D"
	assert_success
	assert_equal "$(ls "$D")" "$(printf 'u0007\nu1999')"
}
