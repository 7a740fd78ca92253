#!/usr/bin/env bats
# Nothing left behind, whoever ends first: --pid watchers, the guardian of
# a COMMAND when ctempfile itself is killed, and the locks that keep
# cleaners of /tmp away.

load helper

teardown() {
	kill_ours
	common_teardown
}

# Wait up to 5 seconds until none of this test's watchers is left.
wait_no_watcher() {
	local i
	for i in $(seq 100); do
		[ -z "$(ours)" ] && return 0
		sleep 0.05
	done
	fail "a watcher is still running: $(ours)"
}

# A process that lives until killed; its pid in SLEEPER.
start_sleeper() {
	sleep 300 3>&- &
	SLEEPER=$!
	BG_PIDS+=("$SLEEPER")
}

# --- --pid: the caller ends, however ------------------------------------------

@test "a caller killed with SIGKILL: its directory goes, with what it put in it" {
	bash -c 'd=$("$1" -d --pid=$$) || exit 1; echo "$d" > where; touch "$d/x"; mkdir "$d/sub"; kill -KILL $$' _ "$CTEMPFILE_BIN" || true
	local d
	d=$(cat where)
	[[ "$d" =~ ^"$TMPDIR/tmp."[A-Za-z0-9]{10}$ ]] || fail "made: $d"
	wait_gone "$d"
	wait_no_watcher
}

@test "directory --pid and named-file --pid: gone when the caller is killed" {
	bash -c 'd=$("$1" directory --pid=$$) && f=$("$1" named-file --pid=$$) && echo "$d $f" > where && echo data > "$f" && touch "$d/y"; kill -KILL $$' _ "$CTEMPFILE_BIN" || true
	local d f
	read -r d f < where
	[[ "$d" =~ ^"$TMPDIR/tmp"$PY_RAND{8}$ ]] || fail "made: $d"
	wait_gone "$d"
	wait_gone "$f"
	wait_no_watcher
}

@test "a caller that exits normally: gone too" {
	run bash -c 'd=$("$1" -d --pid=$$ -p "$2") && touch "$d/z" && echo "$d"' _ "$CTEMPFILE_BIN" "$WORK"
	assert_success
	wait_gone "$output"
	wait_no_watcher
	assert_dir_empty .
}

@test "-n 3: one watcher for all three" {
	start_sleeper
	run ct -n 3 --pid="$SLEEPER" -p "$WORK" aXXXXXX
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "$(ours | wc -l)" 1
	run ct named-file -n 3 -z --pid="$SLEEPER" -p "$WORK"
	assert_success
	assert_equal "$(ours | wc -l)" 2
	assert_equal "$(ls | wc -l)" 6
	kill "$SLEEPER"
	wait_no_watcher
	assert_dir_empty .
}

@test "nested and chmod 000 directories go; links to outside files stay untouched" {
	mkdir outside
	echo keep > outside/file
	chmod 640 outside/file
	bash -c 'd=$("$1" -d --pid=$$ -p "$2") || exit 1; echo "$d" > where
		mkdir -p "$d/a/b/c" && touch "$d/a/b/c/f" && ln -s "$2/outside/file" "$d/a/link" &&
		ln -s "$2/outside" "$d/dirlink" && chmod 000 "$d/a/b" "$d/a"; kill -KILL $$' _ "$CTEMPFILE_BIN" "$WORK" || true
	[[ "$(cat where)" =~ ^"$WORK/tmp."[A-Za-z0-9]{10}$ ]] || fail "made: $(cat where)"
	wait_gone "$(cat where)"
	assert_equal "$(cat outside/file)" keep
	assert_equal "$(mode_of outside/file)" 640
	wait_no_watcher
}

@test "a template relative to the current directory: removed there, not in /" {
	bash -c 'cd "$2" && d=$("$1" --pid=$$ -d rel.XXXX) && echo "$2/$d" > "$2/where"; kill -KILL $$' _ "$CTEMPFILE_BIN" "$WORK" || true
	[[ "$(cat where)" =~ ^"$WORK/rel."[A-Za-z0-9]{4}$ ]] || fail "made: $(cat where)"
	wait_gone "$(cat where)"
	wait_no_watcher
}

@test "\$(...) and pipes on stdout and stderr end at once" {
	start_sleeper
	run timeout 5 bash -c 'd=$("$1" -d --pid="$2" -p "$3" 2>&1) && echo "$d"' _ "$CTEMPFILE_BIN" "$SLEEPER" "$WORK"
	assert_success
	run timeout 5 bash -c '"$1" directory --pid="$2" -p "$3" 2>&1 | cat; "$1" named-file --pid="$2" -p "$3" 2>&1 >/dev/null | cat' _ "$CTEMPFILE_BIN" "$SLEEPER" "$WORK"
	assert_success
	assert_equal "$(ours | wc -l)" 3
}

@test "the watcher: its own session, in /, no caller's descriptor, no CPU, says what it waits for" {
	# Its descriptors: the standard ones on /dev/null, the directory it
	# works in (twice: once to work, once to be told of removals), the
	# directory it made, the process it waits for.
	start_sleeper
	local d w
	d=$(ct -d --pid="$SLEEPER" -p "$WORK" 4>/dev/null 5>"$WORK/held")
	w=$(ours)
	assert_equal "$(wc -w <<< "$w")" 1
	# Its own session: the session ID is its own pid.
	assert_equal "$(awk '{ print $6 }' "/proc/$w/stat")" "$w"
	assert_equal "$(readlink "/proc/$w/cwd")" /
	local fds want
	fds=$(for f in /proc/"$w"/fd/*; do readlink "$f"; done | sort)
	want=$(printf '%s\n' /dev/null /dev/null /dev/null "$WORK" "$WORK" "$d" "anon_inode:[pidfd]" | sort)
	assert_equal "$fds" "$want"
	assert_equal "$(tr '\0' ' ' < "/proc/$w/cmdline" | sed 's/ *$//')" "ctempfile watcher: removes $d when $SLEEPER ends"
	local t0 t1
	t0=$(awk '{ print $14 + $15 }' "/proc/$w/stat")
	sleep 2
	t1=$(awk '{ print $14 + $15 }' "/proc/$w/stat")
	assert_equal "$t1" "$t0"
}

@test "the watcher's private memory while it waits: at most 256 KiB" {
	require_no_asan "a measure of memory"
	start_sleeper
	ct -d --pid="$SLEEPER" -p "$WORK" >/dev/null
	local w kib i
	w=$(ours)
	# Once it waits: it hands its code pages back only when it gets there,
	# which a loaded machine can delay.
	for i in $(seq 60); do
		kib=$(awk '/^Private_(Clean|Dirty)/ { s += $2 } END { print s }' "/proc/$w/smaps_rollup")
		[ "$kib" -gt 256 ] || break
		sleep 0.05
	done
	[ "$kib" -le 256 ] || fail "watcher uses $kib KiB of private memory"
}

@test "moved away or replaced: left alone, nothing said" {
	start_sleeper
	local d f
	d=$(ct directory --pid="$SLEEPER" -p "$WORK")
	f=$(ct named-file --pid="$SLEEPER" -p "$WORK")
	mv "$d" moved
	touch moved/inside
	mv "$f" moved-file
	local r
	r=$(ct directory --pid="$SLEEPER" -p "$WORK")
	mv "$r" "$WORK/elsewhere"
	mkdir "$r"
	touch "$r/theirs"
	kill "$SLEEPER"
	wait_no_watcher
	assert_file_exists moved/inside
	assert_file_exists moved-file
	assert_file_exists "$r/theirs"
	assert_dir_exists elsewhere
}

@test "SIGTERM to the watcher removes at once; SIGHUP and SIGINT do not stop it" {
	start_sleeper
	local d w
	d=$(ct -d --pid="$SLEEPER" -p "$WORK")
	w=$(ours)
	kill -HUP "$w"
	kill -INT "$w"
	sleep 0.3
	assert_dir_exists "$d"
	kill -0 "$w"
	kill -TERM "$w"
	wait_gone "$d"
	wait_no_watcher
	kill -0 "$SLEEPER"
}

@test "a shared flock on a directory the watcher holds; none on a file, which the caller may lock" {
	start_sleeper
	local d f
	d=$(ct directory --pid="$SLEEPER" -p "$WORK")
	f=$(ct named-file --pid="$SLEEPER" -p "$WORK")
	run flock -n -x "$d" true
	assert_failure 1
	run flock -n -s "$d" true
	assert_success
	run flock -n -x "$f" true
	assert_success
	kill "$SLEEPER"
	wait_no_watcher
	assert_dir_empty .
}

@test "bad PID values: one line naming the value, exit 1, nothing made, no watcher" {
	local row value msg
	for row in \
		"0|invalid pid '0': too small (1 to 2147483647)" \
		"-1|invalid pid '-1': too small (1 to 2147483647)" \
		"abc|invalid pid 'abc': invalid (1 to 2147483647)" \
		"|invalid pid '': invalid (1 to 2147483647)" \
		" 5|invalid pid ' 5': invalid (1 to 2147483647)" \
		"99999999999|invalid pid '99999999999': too large (1 to 2147483647)" \
		"2147483647|cannot watch process 2147483647: No such process"; do
		value=${row%%|*}
		msg=${row#*|}
		run --separate-stderr ct -d --pid="$value" -p "$WORK"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: $msg"
		run --separate-stderr ct directory --pid="$value" -p "$WORK"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: $msg"
		run --separate-stderr ct named-file -n 2 --pid="$value" -p "$WORK"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: $msg"
	done
	# A process that has ended but is not reaped yet (a zombie).
	run --separate-stderr python3 -c '
import os, sys, time
child = os.fork()
if child == 0:
    os._exit(0)
time.sleep(0.3)
os.execv(sys.argv[1], [sys.argv[1], "-d", "--pid=%d" % child, "-p", sys.argv[2]])
' "$CTEMPFILE_BIN" "$WORK"
	assert_failure 1
	[[ "$stderr" =~ ^"ctempfile: cannot watch process "[0-9]+": it has ended"$ ]] || fail "stderr: $stderr"
	assert_dir_empty .
	assert_equal "$(ours)" ""
}

@test "--pid refused with a COMMAND, with --dry-run, by file and gettempdir" {
	run --separate-stderr ct directory --pid=$$ -p "$WORK" -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --pid cannot be used with a COMMAND"
	run --separate-stderr ct named-file --pid=$$ -u -p "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --pid cannot be used with --dry-run"
	run --separate-stderr ct --pid=$$ -u -p "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --pid cannot be used with --dry-run"
	run --separate-stderr ct file --pid=$$ -p "$WORK" -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --pid applies only to 'named-file' and 'directory'"
	run --separate-stderr ct gettempdir --pid=$$
	assert_failure 1
	assert_equal "$stderr" "ctempfile: unrecognized option '--pid=$$'
Try 'ctempfile gettempdir --help' for more information."
	assert_dir_empty .
	assert_equal "$(ours)" ""
}

@test "names that cannot be written: all removed, the watcher stopped" {
	start_sleeper
	run --separate-stderr ct_out /dev/full -d -n 3 --pid="$SLEEPER" -p "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
	run --separate-stderr ct_out /dev/full named-file --pid="$SLEEPER" -p "$WORK"
	assert_failure 1
	assert_dir_empty .
	assert_equal "$(ours)" ""
}

@test "what the watcher cannot remove is reported to the system log" {
	require_root
	start_sleeper
	# A private /dev with a listener of our own at /dev/log.
	run unshare -m bash -c '
		mount --make-rprivate / && mount -t tmpfs dev /dev || exit 99
		mknod -m 666 /dev/null c 1 3 || exit 99
		python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/dev/log\")
open(sys.argv[1], \"w\").close()
s.settimeout(10)
print(s.recv(4096).decode(), flush=True)
" "$2/listening" > "$2/log" &
		while [ ! -e "$2/listening" ]; do sleep 0.05; done
		d=$("$1" -d --pid="$3" -p "$2") || exit 1
		touch "$d/stuck" && chattr +i "$d/stuck" || exit 99
		echo "$d" > "$2/where"
		kill "$3"
		wait' _ "$CTEMPFILE_BIN" "$WORK" "$SLEEPER"
	[ "$status" -ne 99 ] || skip "no private /dev or no immutable files here"
	assert_success
	local d
	d=$(cat where)
	[[ "$(cat log)" =~ ^"<12>".*"ctempfile["[0-9]+"]: cannot remove '$d/stuck': Operation not permitted"$ ]] || fail "log: $(cat log)"
	chattr -i "$d/stuck"
}

# --- The guardian: ctempfile itself killed while COMMAND runs ----------------

# Start ctempfile FORM with a COMMAND that says where it is, waits for
# $WORK/go, then writes $WORK/done.  CT_PID is ctempfile's pid.
start_guarded() {
	"$CTEMPFILE_BIN" "$@" -p "$WORK/made" -- sh -c '
		echo "$CTEMPFILE" > "$0/where"
		while [ ! -e "$0/go" ]; do sleep 0.02; done
		echo finished > "$0/done"' "$WORK" 3>&- &
	CT_PID=$!
	BG_PIDS+=("$CT_PID")
	wait_for "$WORK/where"
}

@test "directory: ctempfile killed while COMMAND runs; removed once COMMAND ends" {
	mkdir made
	start_guarded directory
	local d
	d=$(cat where)
	touch "$d/inside"
	kill -KILL "$CT_PID"
	wait "$CT_PID" || true
	sleep 0.3
	# COMMAND still runs, unsignalled; what it uses is still there.
	assert_dir_exists "$d"
	assert_file_exists "$d/inside"
	touch go
	wait_for done
	assert_equal "$(cat done)" finished
	wait_gone "$d"
	wait_no_watcher
	assert_dir_empty made
}

@test "named-file: the same" {
	mkdir made
	start_guarded named-file
	local f
	f=$(cat where)
	kill -KILL "$CT_PID"
	wait "$CT_PID" || true
	sleep 0.3
	assert_file_exists "$f"
	touch go
	wait_gone "$f"
	wait_no_watcher
}

@test "the whole process group killed at once" {
	mkdir made
	setsid "$CTEMPFILE_BIN" directory -p "$WORK/made" -- sh -c 'echo "$CTEMPFILE" > "$0/where"; sleep 300' "$WORK" 3>&- &
	BG_PIDS+=($!)
	wait_for where
	local d pgid
	d=$(cat where)
	pgid=$(ps -o pgid= -p "${BG_PIDS[-1]}" | tr -d ' ')
	assert_equal "$pgid" "${BG_PIDS[-1]}"
	kill -KILL -- "-$pgid"
	wait_gone "$d"
	wait_no_watcher
	assert_dir_empty made
}

@test "a run that ends normally leaves no process behind; flock held on a directory while COMMAND runs" {
	run ct directory -p "$WORK" -- sh -c 'flock -n -x "$CTEMPFILE" true'
	assert_failure 1
	# A file is not locked: COMMAND may lock it itself.
	run ct named-file -p "$WORK" -- sh -c 'flock -n -x {} true'
	assert_success
	run ct directory -p "$WORK" -- sh -c 'flock -n -s "$CTEMPFILE" true'
	assert_success
	assert_equal "$(ours)" ""
	assert_dir_empty .
	# The guardian has its own session, and is gone once ctempfile is.
	run ct directory -p "$WORK" -- sh -c 'ps -o pid=,sid=,args= --ppid $PPID | grep "[g]uardian"'
	assert_success
	assert_output --regexp "^ *[0-9]+ +[0-9]+ ctempfile guardian: removes $WORK/tmp$PY_RAND{8} once [0-9]+ ends, if ctempfile [0-9]+ is killed$"
	local pid sid
	read -r pid sid _ <<< "$output"
	assert_equal "$sid" "$pid"
	assert_equal "$(ours)" ""
}

# COMMAND for ctempfile: print how many guardians name this test's
# directory while it runs.
COUNT_GUARDIANS='for p in /proc/[0-9]*; do tr "\0" " " 2>/dev/null < "$p/cmdline"; echo; done 2>/dev/null | grep -c "^ctempfile guardian: removes $0"'

@test "--keep and file have no guardian: ctempfile becomes COMMAND" {
	run ct directory -p "$WORK" -- sh -c "$COUNT_GUARDIANS" "$WORK"
	assert_output 1
	run ct directory -k -p "$WORK" -- sh -c "$COUNT_GUARDIANS" "$WORK"
	assert_output 0
	run ct file -p "$WORK" -- sh -c "$COUNT_GUARDIANS" "$WORK"
	assert_output 0
	rm -rf "$WORK"/tmp*
}

# --- Third part: gone when their work is gone, the caller's limits ----------

@test "a watcher leaves once what it made is removed; 20 in a loop leave none" {
	start_sleeper
	local i d f
	for i in $(seq 10); do
		d=$(ct -d --pid="$SLEEPER" -p "$WORK")
		rmdir "$d"
		f=$(ct named-file --pid="$SLEEPER" -p "$WORK")
		rm "$f"
	done
	wait_no_watcher
	kill -0 "$SLEEPER"
	# A new directory at a removed one's name is not touched.
	d=$(ct -d --pid="$SLEEPER" -p "$WORK")
	rmdir "$d"
	mkdir "$d"
	touch "$d/keep"
	wait_no_watcher
	assert_file_exists "$d/keep"
}

@test "a removed --pid file gives its space back at once; the caller may lock it" {
	small_tmpfs "$WORK/small" size=8m
	start_sleeper
	local f
	f=$(ct named-file --pid="$SLEEPER" -p "$WORK/small")
	run flock -n -x "$f" true
	assert_success
	head -c 4000000 /dev/zero > "$f"
	rm "$f"
	assert [ "$(du -sk "$WORK/small" | cut -f1)" -lt 1000 ]
	wait_no_watcher
	run umount "$WORK/small"
	assert_success
}

@test "a caller that ignores SIGTERM: the watcher still removes on SIGTERM" {
	start_sleeper
	local d
	d=$(bash -c "trap '' TERM; exec \"\$1\" -d --pid=\"\$2\" -p \"\$3\"" _ "$CTEMPFILE_BIN" "$SLEEPER" "$WORK")
	kill -TERM "$(ours)"
	wait_gone "$d"
	wait_no_watcher
}

@test "too few descriptors for a watcher: refused before anything is made" {
	start_sleeper
	run --separate-stderr bash -c 'ulimit -n 6; exec "$1" -d --pid="$2" -p "$3"' _ "$CTEMPFILE_BIN" "$SLEEPER" "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --pid needs 10 open files; the limit is 6"
	run --separate-stderr prlimit --nofile=100:100 "$CTEMPFILE_BIN" directory -n 300 --pid="$SLEEPER" -p "$WORK"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --pid needs 309 open files; the limit is 100"
	assert_dir_empty .
	assert_equal "$(ours)" ""
}

@test "COMMAND gets the caller's descriptor limit unchanged" {
	run bash -c 'ulimit -Sn 20; exec "$1" directory -p "$2" -- sh -c "ulimit -Sn"' _ "$CTEMPFILE_BIN" "$WORK"
	assert_success
	assert_output 20
	run bash -c 'ulimit -Sn 20; exec "$1" named-file -p "$2" -- sh -c "ulimit -Sn"' _ "$CTEMPFILE_BIN" "$WORK"
	assert_output 20
	assert_dir_empty .
}

@test "SIGTERM while the names are written: removed, and no watcher is left (held in 0.2.0)" {
	start_sleeper
	mkdir made
	mkfifo out
	"$CTEMPFILE_BIN" -n 100000 --pid="$SLEEPER" -p "$WORK/made" > out 3>&- &
	local pid=$!
	BG_PIDS+=("$pid")
	exec 6< out
	local i
	for i in $(seq 200); do
		[ -n "$(ours)" ] && break
		sleep 0.05
	done
	[ -n "$(ours)" ] || fail "no watcher was started"
	# The names are being written into a pipe nobody reads.
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid" || true
	exec 6<&-
	wait_no_watcher
	assert_dir_empty made
}

@test "a kept file's access time is refreshed, so systemd-tmpfiles --clean leaves it" {
	start_sleeper
	mkdir aged
	local f conf="$BATS_TEST_TMPDIR/aged.conf"
	f=$(CTEMPFILE_TOUCH_INTERVAL=1 ct named-file --pid="$SLEEPER" -p "$WORK/aged")
	# Made at the same time, kept by nobody: aged out.
	echo x > aged/unkept
	touch -a -d '2000-01-01' "$f"
	sleep 3.5
	# tmpreaper's and tmpwatch's rule: the access time.
	assert [ "$(stat -c %X "$f")" -ge "$(($(date +%s) - 2))" ]
	command -v systemd-tmpfiles >/dev/null || skip "systemd-tmpfiles is not installed"
	echo "d $WORK/aged 1777 root root 2s" > "$conf"
	systemd-tmpfiles --clean "$conf"
	assert_file_not_exists aged/unkept
	assert_file_exists "$f"
	# Run mode: the guardian refreshes COMMAND's file the same way.
	run env CTEMPFILE_TOUCH_INTERVAL=1 "$CTEMPFILE_BIN" named-file -p "$WORK/aged" -- \
		sh -c 'touch -a -d 2000-01-01 "$1" && echo x > "$2/unkept" &&
			sleep 3.5 && systemd-tmpfiles --clean "$3" && test -f "$1" &&
			! test -e "$2/unkept"' _ {} "$WORK/aged" "$conf"
	assert_success
}

@test "env -i: the watcher's and the guardian's titles are whole, and they still do their work" {
	start_sleeper
	local d w fds want
	d=$(env -i "$CTEMPFILE_BIN" -d --pid="$SLEEPER" -p "$WORK")
	w=$(ours)
	assert_equal "$(wc -w <<< "$w")" 1
	assert_equal "$(tr '\0' ' ' < "/proc/$w/cmdline" | sed 's/ *$//')" "ctempfile watcher: removes $d when $SLEEPER ends"
	# Nothing more held than by any other watcher.
	fds=$(for f in /proc/"$w"/fd/*; do readlink "$f"; done | sort)
	want=$(printf '%s\n' /dev/null /dev/null /dev/null "$WORK" "$WORK" "$d" "anon_inode:[pidfd]" | sort)
	assert_equal "$fds" "$want"
	run flock -n -x "$d" true
	assert_failure
	local f
	f=$(env -i "$CTEMPFILE_BIN" named-file -n 3 --pid="$SLEEPER" -p "$WORK" | head -n 1)
	run grep -cF "ctempfile watcher: removes $f and 2 more when $SLEEPER ends" /proc/[0-9]*/cmdline
	assert_output --partial ":1"
	kill -KILL "$SLEEPER"
	wait_gone "$d"
	wait_no_watcher
	assert_dir_empty .

	# The guardian: ctempfile killed while COMMAND runs.
	mkfifo ready
	env -i "$CTEMPFILE_BIN" directory -p "$WORK" -- sh -c 'echo "$1" > ready; exec sleep 300' _ {} 3>&- &
	local pid=$! g
	BG_PIDS+=("$pid")
	d=$(cat ready)
	g=$(ours | grep -vx "$pid")
	local cmd
	cmd=$(pgrep -P "$pid" -x sleep)
	BG_PIDS+=("$cmd")
	assert_equal "$(tr '\0' ' ' < "/proc/$g/cmdline" | sed 's/ *$//')" "ctempfile guardian: removes $d once $cmd ends, if ctempfile $pid is killed"
	kill -KILL "$pid"
	kill -KILL "$cmd"
	wait_gone "$d"
	wait_no_watcher
}

@test "a stray CTEMPFILE_WATCHER_STATE is a call like any other" {
	run env CTEMPFILE_WATCHER_STATE=5 "$CTEMPFILE_BIN" -p "$WORK" 5< /dev/null
	assert_success
	assert_file_exists "$output"
	rm "$output"
	run env CTEMPFILE_WATCHER_STATE=x "$CTEMPFILE_BIN" -p "$WORK"
	assert_success
	assert_file_exists "$output"
	rm "$output"
}

@test "ext2 reuses a removed directory's inode: a -m 0 directory made again at its name is left alone" {
	require_root
	command -v mkfs.ext2 >/dev/null || skip "mkfs.ext2 is not installed"
	shared_dir
	local img="/dev/shm/ctempfile-test-ext2.$$" mnt="$SHARED/ext2"
	truncate -s 8M "$img"
	mkfs.ext2 -q -F -m 0 "$img"
	mkdir "$mnt"
	mount -o loop "$img" "$mnt" || { rm -f "$img"; skip "cannot mount a loop device"; }
	MOUNTS+=("$mnt")
	rm -f "$img" # the loop device holds it
	chmod 1777 "$mnt"
	mkdir -m 0333 "$mnt/unreadable"
	start_sleeper

	# Removed and made again until the number repeats: the watcher left
	# when its directory went, and what is there now is another's.
	run as_user bash -c 'd=$("$1" -d -m 0 --pid="$2" -p "$3") || exit 1
		ino=$(stat -c %i "$d")
		for i in $(seq 200); do
			rmdir "$d" && mkdir "$d" || exit 1
			if [ "$(stat -c %i "$d")" = "$ino" ]; then
				touch "$d/keep" && echo "$d" && exit 0
			fi
			sleep 0.01
		done
		exit 2' _ "$CTEMPFILE_BIN" "$SLEEPER" "$mnt"
	assert_success
	local d=$output w
	# Where the watcher cannot be told of removals (its directory cannot
	# be read), it holds the inode: the number never repeats while it
	# waits.
	run as_user bash -c 'd=$("$1" -d -m 0 --pid="$2" -p "$3") || exit 1
		ino=$(stat -c %i "$d")
		for i in $(seq 50); do
			rmdir "$d" && mkdir "$d" || exit 1
			[ "$(stat -c %i "$d")" != "$ino" ] || exit 2
		done
		touch "$d/keep" && echo "$d"' _ "$CTEMPFILE_BIN" "$SLEEPER" "$mnt/unreadable"
	assert_success
	local u=$output
	w=$(watchers_of "$u")
	assert_equal "$(wc -w <<< "$w")" 1
	BG_PIDS+=("$w")
	kill -KILL "$SLEEPER"
	local i
	for i in $(seq 100); do
		[ -z "$(watchers_of "$mnt")" ] && break
		sleep 0.05
	done
	assert_equal "$(watchers_of "$mnt")" ""
	assert_file_exists "$d/keep"
	assert_file_exists "$u/keep"
}
