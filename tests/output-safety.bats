#!/usr/bin/env bats
# --output, second part: never the wrong file, never a device, never a
# hang, nothing left behind.  Each test here failed on 0.2.0 unless its
# name says it held there.

load helper

teardown() {
	kill_ours
	common_teardown
}

# Temporaries of FILE "$1" left anywhere under this test's directory.
leftovers() {
	find "$BATS_TEST_TMPDIR" -name ".$1.*" -print
}

# Wait up to 5 seconds until no temporary of FILE "$1" is left.
wait_no_leftovers() {
	local i
	for i in $(seq 100); do
		[ -z "$(leftovers "$1")" ] && return 0
		sleep 0.05
	done
	fail "still there after 5 seconds: $(leftovers "$1")"
}

# The pid of the process that strace's log "$1" shows entering fsync;
# waits up to 10 seconds for it.
pid_in_fsync() {
	local i pid
	for i in $(seq 200); do
		pid=$(grep -m1 'fsync(' "$1" 2>/dev/null | cut -d' ' -f1)
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		sleep 0.05
	done
	fail "nothing entered fsync: $(cat "$1")"
}

# Run ctempfile "$@" under strace with every fsync held for 3 seconds, in
# the background, standard input from ./input: strace's pid in TRACER, its
# log in ./trace.
traced_slow_fsync() {
	command -v strace >/dev/null || skip "strace is not installed"
	# LeakSanitizer cannot work under ptrace; the rest of ASan can.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	strace -f -o trace -e trace=fsync -e inject=fsync:delay_enter=3000000 \
		"$CTEMPFILE_BIN" "$@" < input 3>&- &
	TRACER=$!
	BG_PIDS+=("$TRACER")
}

# --- FILE is what a redirection would write -------------------------------

@test "a relative link reached through a linked directory is followed from the link's own directory" {
	mkdir -p real/sub out
	echo old-real > real/T
	echo old-out > out/T
	ln -s ../T real/sub/link
	ln -s "$WORK/real/sub" out/sublink
	run ct named-file -o out/sublink/link -- sh -c 'echo new > {}'
	assert_success
	assert_equal "$(cat real/T)" new
	assert_equal "$(cat out/T)" old-out
	assert [ -L real/sub/link ]
	# What the shell's "> out/sublink/link" writes is the same file.
	echo shell > out/sublink/link
	assert_equal "$(cat real/T)" shell
	assert_equal "$(leftovers T)" ""
}

@test "LINKDIR/../NAME is the NAME beside the directory LINKDIR points to" {
	mkdir -p a/b
	ln -s a/b L
	echo here > T
	echo beside > a/T
	run ct file -o L/../T -- sh -c 'echo new >&3'
	assert_success
	assert_equal "$(cat a/T)" new
	assert_equal "$(cat T)" here
	run --separate-stderr ct named-file -o L/../T -- sh -c 'case {} in '"$WORK"'/a/.T.*) echo again > {};; *) exit 9;; esac'
	assert_success
	assert_equal "$(cat a/T)" again
	assert_equal "$(leftovers T)" ""
}

@test "a trailing slash is refused as a redirection refuses it, before COMMAND" {
	echo keep > f
	mkdir d
	ln -s nowhere/ slashlink
	local file
	for file in new/ f/ d/ slashlink; do
		run --separate-stderr ct named-file -o "$file" -- touch ran
		assert_failure 125
		assert_equal "$stderr" "ctempfile: cannot write to '$file': Is a directory"
		run --separate-stderr bash -c 'echo x | "$1" file --stdin -o "$2"' _ "$CTEMPFILE_BIN" "$file"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: cannot write to '$file': Is a directory"
	done
	assert_file_not_exists ran
	assert_equal "$(cat f)" keep
	assert_only . d f slashlink
	assert_only d
}

# --- FILE that is not a regular file ---------------------------------------

@test "a FIFO, a socket or a device as FILE is refused before COMMAND, and stays what it was" {
	mkfifo fifo
	python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")'
	local files=(fifo sock) file
	if [ "$(id -u)" -eq 0 ]; then
		mknod null c 1 3
		files+=(null)
	fi
	for file in "${files[@]}"; do
		local before
		before=$(stat -c '%F %t:%T %a' "$file")
		run --separate-stderr ct named-file -o "$file" -- touch ran
		assert_failure 125
		assert_equal "$stderr" "ctempfile: cannot write to '$file': not a regular file"
		run --separate-stderr ct file -o "$file" -- touch ran
		assert_failure 125
		run --separate-stderr bash -c 'echo x | "$1" named-file --stdin -o "$2"' _ "$CTEMPFILE_BIN" "$file"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: cannot write to '$file': not a regular file"
		assert_equal "$(stat -c '%F %t:%T %a' "$file")" "$before"
	done
	assert_file_not_exists ran
	assert_equal "$(leftovers '*')" ""
}

# --- What COMMAND leaves at {} ---------------------------------------------

@test "a hard link at {} is not published, and the other file's mode and owner stay" {
	echo keep > f
	chmod 664 f
	echo secret > secret
	chmod 600 secret
	if [ "$(id -u)" -eq 0 ]; then
		chown 65534:65534 f
	fi
	local before
	before=$(stat -c '%u:%g %a %h' secret)
	run --separate-stderr ct named-file -o f -- sh -c 'ln -f secret {}'
	assert_failure 125
	[[ "$stderr" =~ ^"ctempfile: cannot replace 'f': '$WORK/.f."$PY_RAND{8}"' has other hard links"$ ]] || fail "stderr: $stderr"
	assert_equal "$(stat -c '%u:%g %a %h' secret)" "$before"
	assert_equal "$(cat f)" keep
	assert_equal "$(cat secret)" secret
	assert_only . f secret
}

@test "a FIFO at {} never hangs ctempfile and is not published" {
	echo keep > f
	run --separate-stderr timeout -s KILL 10 "$CTEMPFILE_BIN" named-file -o f -- sh -c 'rm {}; mkfifo {}'
	assert_failure 125
	[[ "$stderr" =~ ^"ctempfile: cannot replace 'f': '$WORK/.f."$PY_RAND{8}"' is not a regular file"$ ]] || fail "stderr: $stderr"
	assert_equal "$(cat f)" keep
	assert_only . f
}

@test "a symbolic link at {} is not followed, published or left" {
	echo keep > f
	echo secret > secret
	chmod 600 secret
	run --separate-stderr ct named-file -o f -- sh -c 'rm {}; ln -s secret {}'
	assert_failure 125
	[[ "$stderr" =~ "is not a regular file"$ ]] || fail "stderr: $stderr"
	assert [ ! -L f ]
	assert_equal "$(cat f)" keep
	assert_equal "$(mode_of secret)" 600
	assert_only . f secret
}

@test "a directory at {} is not published nor chmod-ed; it stays, named" {
	run --separate-stderr ct named-file -o new -- sh -c 'rm {}; mkdir {}'
	assert_failure 125
	[[ "$stderr" =~ ^"ctempfile: cannot replace 'new': '$WORK/.new."$PY_RAND{8}"' is a directory; left in place"$ ]] || fail "stderr: $stderr"
	assert_file_not_exists new
	assert_equal "$(mode_of .new.*)" 755
	rmdir .new.*
	echo keep > f
	chmod 600 f
	run --separate-stderr ct named-file -o f -- sh -c 'rm {}; mkdir {}'
	assert_failure 125
	assert_equal "$(mode_of .f.*)" 755
	assert_equal "$(cat f)" keep
}

@test "-m is the mode FILE ends with; COMMAND can write {} whatever -m and the umask" {
	shared_dir
	# A directory the user may write in.
	[ "$(id -u)" -ne 0 ] || chown 65534:65534 "$SHARED"
	echo old > "$SHARED/ro"
	chmod 666 "$SHARED/ro"
	run as_user "$CTEMPFILE_BIN" named-file -m 444 -o "$SHARED/ro" -- sh -c 'echo new > {}'
	assert_success
	assert_equal "$(mode_of "$SHARED/ro")" 444
	assert_equal "$(cat "$SHARED/ro")" new
	run as_user sh -c 'umask 277; exec "$1" named-file -o "$2/fresh" -- sh -c "echo made > {}"' _ "$CTEMPFILE_BIN" "$SHARED"
	assert_success
	assert_equal "$(mode_of "$SHARED/fresh")" 400
	assert_equal "$(cat "$SHARED/fresh")" made
}

@test "a FILE name of NAME_MAX bytes is replaced; the temporary's name is cut to fit, never inside a character" {
	local long e
	long=$(printf 'n%.0s' $(seq 255))
	echo old > "$long"
	run ct named-file -o "$long" -- sh -c 'echo "${1##*/}" > "$1"' _ {}
	assert_success
	local tmpname
	tmpname=$(cat "$long")
	assert_equal "${#tmpname}" 255
	[[ "$tmpname" =~ ^\.n+\.$PY_RAND{8}$ ]] || fail "temporary: $tmpname"
	run ct file -o "$long" -- sh -c 'echo second >&3'
	assert_success
	assert_equal "$(cat "$long")" second
	# Two-byte characters: the cut falls before one, not inside.
	e=$(printf 'é%.0s' $(seq 127))x
	run ct named-file -o "$e" -- sh -c 'printf %s "${1##*/}" > "$1"' _ {}
	assert_success
	iconv -f UTF-8 -t UTF-8 < "$e" > /dev/null || fail "not UTF-8: $(od -c < "$e" | tail -3)"
	assert_only . "$long" "$e"
}

# --- Signals and SIGKILL at every moment -----------------------------------

@test "SIGTERM while file --stdin -o flushes: nothing named is left" {
	echo old > F
	echo new > input
	traced_slow_fsync file --stdin -o F
	kill -TERM "$(pid_in_fsync trace)"
	wait "$TRACER" || true
	assert_equal "$(cat F)" old
	assert_equal "$(leftovers F)" ""
}

@test "SIGKILL while file -o flushes, with a COMMAND: nothing named is left" {
	echo old > F
	: > input
	traced_slow_fsync file -o F -- sh -c 'echo new >&3'
	kill -KILL "$(pid_in_fsync trace)"
	wait "$TRACER" || true
	assert_equal "$(cat F)" old
	assert_equal "$(leftovers F)" ""
}

@test "SIGTERM while named-file --stdin -o flushes: nothing is left (held in 0.2.0)" {
	echo old > F
	echo new > input
	traced_slow_fsync named-file --stdin -o F
	kill -TERM "$(pid_in_fsync trace)"
	wait "$TRACER" || true
	assert_equal "$(cat F)" old
	assert_equal "$(leftovers F)" ""
}

@test "SIGKILL while named-file --stdin -o flushes: the guardian removes the temporary" {
	echo old > F
	echo new > input
	traced_slow_fsync named-file --stdin -o F
	kill -KILL "$(pid_in_fsync trace)"
	wait "$TRACER" || true
	wait_no_leftovers F
	assert_equal "$(cat F)" old
	assert_equal "$(leftovers F)" ""
}

@test "SIGKILL while named-file -o flushes after COMMAND: the guardian removes it (held in 0.2.0)" {
	echo old > F
	: > input
	traced_slow_fsync named-file -o F -- sh -c 'echo new > {}'
	kill -KILL "$(pid_in_fsync trace)"
	wait "$TRACER" || true
	wait_no_leftovers F
	assert_equal "$(cat F)" old
	assert_equal "$(leftovers F)" ""
}

# ctempfile "${@:3}" reading standard input from a FIFO that stays open;
# once the directory holds $2 entries (the FIFO among them), signal $1;
# then the writer closes.  How ctempfile ended in ENDED.
signal_while_reading() {
	local sig=$1 entries=$2 pid
	shift 2
	mkfifo in
	"$CTEMPFILE_BIN" "$@" < in 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	exec 5> in
	echo part >&5
	wait_for_entries . "$entries"
	kill "-$sig" "$pid"
	ENDED=0
	wait "$pid" || ENDED=$?
	exec 5>&-
	rm in
}

# Wait up to 5 seconds until the directory holds only F.
wait_only_f() {
	local i
	for i in $(seq 100); do
		[ "$(ls -A | wc -l)" -eq 1 ] && break
		sleep 0.05
	done
	assert_only . F
}

@test "SIGKILL while --stdin is read, without a COMMAND: the guardian removes the temporary" {
	echo old > F
	signal_while_reading KILL 3 named-file --stdin -o F
	wait_no_leftovers F
	assert_equal "$(cat F)" old
	assert_only . F
	signal_while_reading KILL 3 named-file --stdin -p "$WORK"
	wait_only_f
}

@test "SIGKILL while --stdin is read for a COMMAND: the guardian removes it, COMMAND never starts" {
	echo old > F
	signal_while_reading KILL 3 named-file --stdin -o F -- sh -c 'touch ran; cat {}'
	wait_no_leftovers F
	signal_while_reading KILL 3 named-file --stdin -p "$WORK" -- sh -c 'touch ran; cat {}'
	wait_only_f
	assert_file_not_exists ran
	assert_equal "$(cat F)" old
}

@test "SIGTERM while --stdin is read for a COMMAND: removed, COMMAND never starts (held in 0.2.0)" {
	signal_while_reading TERM 2 named-file --stdin -o F -- sh -c 'touch ran'
	assert_equal "$ENDED" $((128 + 15))
	assert_file_not_exists ran
	assert_only .
}

# --- FILE's directory while COMMAND runs -----------------------------------

@test "FILE's directory moved while COMMAND runs: the temporary goes where it now is" {
	mkdir d
	echo old > d/f
	run ct named-file -o d/f -- sh -c 'mv d moved; exit 3'
	assert_failure 3
	assert_only moved f
	run ct named-file -o moved/f -- sh -c 'echo new > {}; mv moved again'
	assert_success
	assert_only again f
	assert_equal "$(cat again/f)" new
	run ct named-file -K -o again/f -- sh -c 'mv again last; exit 4'
	assert_failure 4
	assert_equal "$(cat last/f)" new
}

@test "an append-only directory: the temporary that cannot be removed is named" {
	require_root
	mkdir ap
	echo old > ap/f
	chattr +a ap 2>/dev/null || skip "no append-only directories here"
	run --separate-stderr ct named-file -o ap/f -- sh -c 'exit 2'
	local left=("$WORK"/ap/.f.*)
	chattr -a ap
	assert_failure 2
	assert_equal "$stderr" "ctempfile: cannot remove '${left[0]}': Operation not permitted"
	rm ap/.f.*
	chattr +a ap
	run --separate-stderr ct named-file -o ap/f -- sh -c 'echo new > {}'
	left=("$WORK"/ap/.f.*)
	chattr -a ap
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot replace 'ap/f': Operation not permitted
ctempfile: cannot remove '${left[0]}': Operation not permitted"
	assert_equal "$(cat ap/f)" old
}

# --- What FILE keeps -------------------------------------------------------

@test "POSIX ACLs of FILE are kept, as sed -i keeps them; -m sets the mode alone" {
	command -v setfacl >/dev/null || skip "setfacl is not installed (package acl)"
	echo a > f
	setfacl -m u:65534:rw,g:65534:r f 2>/dev/null || skip "no POSIX ACLs on this file system"
	local before
	before=$(getfacl -c f)
	run ct named-file -o f -- sh -c 'echo b > {}'
	assert_success
	assert_equal "$(getfacl -c f)" "$before"
	run ct file -o f -- sh -c 'echo c >&3'
	assert_success
	assert_equal "$(getfacl -c f)" "$before"
	printf 'd\n' | ct named-file --stdin -o f
	assert_equal "$(getfacl -c f)" "$before"
	assert_equal "$(cat f)" d
	run ct named-file -m 640 -o f -- sh -c 'echo e > {}'
	assert_success
	run getfacl -c f
	refute_output --partial "user:nobody"
	assert_equal "$(mode_of f)" 640
	assert_only . f
}

# --- An empty standard input ------------------------------------------------

@test "--stdin -o without COMMAND: an empty input keeps a non-empty FILE, unless --allow-empty" {
	echo keep > f
	local form
	for form in named-file file; do
		run --separate-stderr ct "$form" --stdin -o f < /dev/null
		assert_failure 1
		assert_equal "$stderr" "ctempfile: standard input is empty; 'f' kept as it was"
		assert_equal "$(cat f)" keep
		assert_only . f
	done
	: > empty
	run ct named-file --stdin -o empty < /dev/null
	assert_success
	run ct named-file --stdin -o absent < /dev/null
	assert_success
	assert_file_empty absent
	run ct file --stdin --allow-empty -o f < /dev/null
	assert_success
	assert_file_empty f
	assert_only . absent empty f
}

@test "--allow-empty is refused where it means nothing" {
	run --separate-stderr ct named-file --allow-empty -o f -- true
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --allow-empty cannot be used with a COMMAND"
	run --separate-stderr ct named-file --allow-empty --stdin < /dev/null
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --allow-empty applies only with --stdin and --output"
	run --separate-stderr ct named-file --allow-empty
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --allow-empty applies only with --stdin and --output"
	run --separate-stderr ct --allow-empty
	assert_failure 1
	assert_only .
}
