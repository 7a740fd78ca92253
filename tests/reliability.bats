#!/usr/bin/env bats
# What must hold however the world around ctempfile behaves: callers that
# ignore SIGCHLD, file systems that disagree with themselves, signals and
# limits that hit halfway, diagnostics nobody reads, tight limits.

load helper

# --- A caller that ignores SIGCHLD ---------------------------------------

@test "a bash caller that ignores SIGCHLD: COMMAND's status, nothing left" {
	run timeout -s KILL 10 bash -c "trap '' CHLD; exec \"\$1\" directory -p \"\$2\" -- sh -c 'exit 7'" _ "$CTEMPFILE_BIN" "$WORK"
	assert_failure 7
	assert_dir_empty .
	run timeout -s KILL 10 bash -c "trap '' CHLD; exec \"\$1\" named-file -p \"\$2\" -- true" _ "$CTEMPFILE_BIN" "$WORK"
	assert_success
	assert_dir_empty .
	run how_it_ends timeout -s KILL 10 bash -c "trap '' CHLD; exec \"\$1\" named-file -p \"\$2\" -- sh -c 'kill -USR1 \$\$'" _ "$CTEMPFILE_BIN" "$WORK"
	assert_output "signal $(kill -l USR1)"
	assert_dir_empty .
}

@test "a Perl caller that ignores SIGCHLD: status kept; COMMAND still finds it ignored" {
	run timeout -s KILL 10 perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die' \
		"$CTEMPFILE_BIN" directory -p "$WORK" -- python3 -c '
import signal, sys
sys.exit(3 if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN else 4)'
	assert_failure 3
	assert_dir_empty .
}

# --- File systems whose readdir and stat disagree --------------------------

@test "overlayfs with xino=off, a mount point deep down: told once, the walk ends" {
	require_root
	run --separate-stderr timeout -s KILL 30 unshare -m bash -c '
		mount --make-rprivate / || exit 99
		b=$1
		mkdir -p "$b/l" "$b/u" "$b/m" || exit 99
		mount -t tmpfs l "$b/l" && mount -t tmpfs u "$b/u" || exit 99
		mkdir -p "$b/l/lower" "$b/u/upper" "$b/u/work"
		mount -t overlay ov -o "lowerdir=$b/l/lower,upperdir=$b/u/upper,workdir=$b/u/work,xino=off" "$b/m" || exit 99
		ulimit -n 64
		"$CTEMPFILE_BIN" directory -p "$b/m" -- python3 -c "
import os, subprocess
top = os.environ[\"CTEMPFILE\"]
os.chdir(top)
for i in range(80):
    os.mkdir(\"d\")
    open(\"f\", \"w\").close()
    if i == 60:
        os.mkdir(\"mnt\")
        subprocess.run([\"mount\", \"-t\", \"tmpfs\", \"none\", \"mnt\"], check=True)
        mnt = os.getcwd() + \"/mnt\"
    os.chdir(\"d\")
open(\"$b/where\", \"w\").write(mnt)
"
		status=$?
		# What stays, seen from inside the namespace.
		find "$b/m" -mindepth 1 -type f | wc -l > "$b/files"
		find "$b/m" -mindepth 1 -type d | wc -l > "$b/dirs"
		exit $status' _ "$WORK"
	[ "$status" -ne 99 ] || skip "cannot mount an overlay here"
	assert_failure 125
	assert_equal "$stderr" "ctempfile: '$(cat where)' is a mount point; left in place"
	assert_equal "$(cat files)" 0
	# The top, the 60 levels above the mount point, and the mount point.
	assert_equal "$(cat dirs)" 62
}

# --- Signals and limits that hit halfway -----------------------------------

# Start "$@" in the background with SIGINT and SIGQUIT at their defaults,
# its output in $WORK/out and $WORK/err; CT_PID is its pid.
start_bg() {
	# An explicit <&0: a background job would otherwise read /dev/null.
	with_default_signals "$@" <&0 > "$WORK/out" 2> "$WORK/err" 3>&- &
	CT_PID=$!
	BG_PIDS+=("$CT_PID")
}

@test "SIGTERM or SIGHUP during -n 1000000, both forms: nothing left, nothing printed" {
	local sig form
	mkdir made
	for sig in TERM HUP; do
		for form in named-file mktemp; do
			if [ "$form" = mktemp ]; then
				start_bg "$CTEMPFILE_BIN" -n 1000000 -p "$WORK/made"
			else
				start_bg "$CTEMPFILE_BIN" named-file -n 1000000 -p "$WORK/made"
			fi
			wait_for_entries made 2000
			kill -"$sig" "$CT_PID"
			local code=0
			wait "$CT_PID" || code=$?
			assert_equal "$code" $((128 + $(kill -l "$sig")))
			assert_dir_empty made
			assert_equal "$(wc -c < out)" 0
		done
	done
}

# Run ctempfile "$@" in the background under strace, every write held for
# 2 seconds as it starts, standard output in ./out: its pid in CT_PID (the
# tracer's in TRACER).  Waits until the write is held.
held_write() {
	command -v strace >/dev/null || skip "strace is not installed"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	: > trace
	with_default_signals strace -o trace -e trace=write \
		-e inject=write:delay_enter=2000000 "$CTEMPFILE_BIN" "$@" > out 3>&- &
	TRACER=$!
	BG_PIDS+=("$TRACER")
	local i
	for i in $(seq 100); do
		CT_PID=$(pgrep -P "$TRACER") || true
		[ -n "$CT_PID" ] && [ -n "$(ls made)" ] && break
		sleep 0.05
	done
	[ -n "$(ls made)" ] || fail "nothing was made"
	BG_PIDS+=("$CT_PID")
	sleep 0.3
}

@test "a signal while one name is printed: removed, and the call dies of it, every form" {
	local sig args
	mkdir made
	for sig in TERM INT HUP; do
		for args in "-p $WORK/made" "-d -p $WORK/made" "named-file -p $WORK/made" "directory -p $WORK/made"; do
			# shellcheck disable=SC2086
			held_write $args
			kill -"$sig" "$CT_PID"
			local code=0
			wait "$TRACER" || code=$?
			assert_equal "$code" $((128 + $(kill -l "$sig")))
			assert_dir_empty made
		done
	done
}

@test "a signal the caller ignores, while one name is printed: the call goes on" {
	mkdir made
	local code=0 f
	command -v strace >/dev/null || skip "strace is not installed"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	bash -c "trap '' TERM; exec strace -o trace -e trace=write -e inject=write:delay_enter=2000000 \"\$1\" -p \"\$2\"" _ "$CTEMPFILE_BIN" "$WORK/made" > out 3>&- &
	TRACER=$!
	BG_PIDS+=("$TRACER")
	wait_for_entries made 1
	sleep 0.3
	kill -TERM "$(pgrep -P "$TRACER")"
	wait "$TRACER" || code=$?
	assert_equal "$code" 0
	f=$(cat out)
	assert_file_exists "$f"
	assert_equal "$(ls made)" "${f##*/}"
}

@test "printing into a full pipe: a signal still ends the call at once, nothing left" {
	local form code
	mkdir made
	mkfifo pipe
	for form in "" named-file; do
		exec 6<> pipe
		# Fill the pipe, which nobody reads.
		python3 -c 'import fcntl, os; fcntl.fcntl(1, fcntl.F_SETFL, os.O_NONBLOCK)
try:
    while True: os.write(1, b"x" * 4096)
except BlockingIOError: pass
fcntl.fcntl(1, fcntl.F_SETFL, 0)' >&6
		# shellcheck disable=SC2086
		with_default_signals "$CTEMPFILE_BIN" $form -p "$WORK/made" >&6 3>&- &
		CT_PID=$!
		BG_PIDS+=("$CT_PID")
		wait_for_entries made 1
		sleep 0.3
		kill -0 "$CT_PID"
		kill -TERM "$CT_PID"
		code=0
		timeout 5 tail --pid="$CT_PID" -f /dev/null || fail "SIGTERM did not end a call blocked writing"
		wait "$CT_PID" || code=$?
		assert_equal "$code" 143
		assert_dir_empty made
		exec 6<&-
	done
}

@test "SIGINT or SIGTERM while --stdin is read: the partial file goes, COMMAND never runs" {
	local sig args
	mkdir made
	mkfifo in
	for sig in INT TERM; do
		for args in "" "-- touch $WORK/ran"; do
			# Read-write, so that opening it never waits for a reader.
			exec 7<> in
			# shellcheck disable=SC2086
			start_bg "$CTEMPFILE_BIN" named-file -i -p "$WORK/made" $args < in
			printf partial >&7
			wait_for_entries made 1
			local f
			f=$(find made -type f)
			for _ in $(seq 100); do [ "$(wc -c < "$f")" -eq 7 ] && break; sleep 0.05; done
			kill -"$sig" "$CT_PID"
			local code=0
			wait "$CT_PID" || code=$?
			exec 7>&-
			assert_equal "$code" $((128 + $(kill -l "$sig")))
			assert_dir_empty made
			assert_file_not_exists ran
		done
	done
}

@test "a file size limit (SIGXFSZ): a clear error, not a death; nothing left" {
	run --separate-stderr prlimit --fsize=1000 "$CTEMPFILE_BIN" named-file -i -p . < <(head -c 100000 /dev/zero)
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot write the temporary file: File too large"
	assert_dir_empty .
	run --separate-stderr prlimit --fsize=1000 "$CTEMPFILE_BIN" named-file -i -p . -- touch ../ran < <(head -c 100000 /dev/zero)
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot write the temporary file: File too large"
	assert_file_not_exists ../ran
	assert_dir_empty .
}

@test "COMMAND still gets SIGXFSZ at its default, and its death is passed back" {
	run how_it_ends prlimit --fsize=1000 "$CTEMPFILE_BIN" named-file -p "$WORK" -- sh -c 'exec head -c 5000 /dev/zero > {}'
	assert_output "signal $(kill -l XFSZ)"
	assert_dir_empty .
}

@test "gettempdir's probe under a zero file size limit leaves nothing" {
	# Diagnostics through a pipe: the limit forbids writing them to a file.
	run bash -c 'prlimit --fsize=0 "$1" gettempdir -v 2>&1 >/dev/null | head -n 1; exit "${PIPESTATUS[0]}"' _ "$CTEMPFILE_BIN"
	assert_failure 1
	assert_output "ctempfile: \$TMPDIR: '$TMPDIR': File too large"
	assert_dir_empty "$TMPDIR"
	run --separate-stderr prlimit --fsize=0 "$CTEMPFILE_BIN" directory -- true
	assert_failure 125
	assert_dir_empty "$TMPDIR"
}

@test "out of memory during -n: everything made is removed, exit 1" {
	require_no_asan "an address space limit"
	run --separate-stderr prlimit --as=12000000 "$CTEMPFILE_BIN" named-file -n 1000000 -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: Cannot allocate memory"
	assert_output ""
	assert_dir_empty .
	run --separate-stderr prlimit --as=12000000 "$CTEMPFILE_BIN" -n 1000000 -p .
	assert_failure 1
	assert_dir_empty .
}

@test "out of memory during removal: COMMAND's status, what stays is named" {
	require_no_asan "an address space limit"
	mkdir made
	start_bg "$CTEMPFILE_BIN" directory -p "$WORK/made" -- python3 -c '
import os, time
top = os.environ["CTEMPFILE"]
for i in range(500):
    open(os.path.join(top, "f%d" % i), "w").close()
d = top
for i in range(300):
    d = os.path.join(d, "d")
    os.mkdir(d)
open(os.path.join(top, "..", "..", "ready"), "w").close()
while not os.path.exists(os.path.join(top, "..", "..", "go")):
    time.sleep(0.02)
os._exit(3)'
	wait_for ready
	# ctempfile alone, not COMMAND: a little more than it has now.
	local vm
	vm=$(awk '/^VmSize/ { print $2 }' "/proc/$CT_PID/status")
	prlimit --pid "$CT_PID" --as=$(((vm + 512) * 1024))
	touch go
	local code=0
	wait "$CT_PID" || code=$?
	assert_equal "$code" 3
	run cat "$WORK/err"
	assert_line --regexp "^ctempfile: cannot remove '$WORK/made/tmp$PY_RAND{8}(/d)+': Cannot allocate memory$"
	# The files went; only the chain down to what could not be entered stays.
	assert_equal "$(find made -type f | wc -l)" 0
	local named
	named=$(sed -n "s/^ctempfile: cannot remove '\(.*\)': Cannot allocate memory$/\1/p" err | head -n 1)
	assert_dir_exists "$named"
}

# --- Diagnostics nobody reads ------------------------------------------------

@test "a closed standard error does not stop the removal halfway" {
	require_root
	run with_dead_stderr "$CTEMPFILE_BIN" directory -p "$WORK" -- sh -c '
		cd "$CTEMPFILE" && for i in 1 2 3 4; do touch "keep$i" && chattr +i "keep$i" || exit 99; done &&
		mkdir sub && for i in $(seq 300); do touch "f$i" "sub/g$i"; done'
	[ "$status" -ne 99 ] || skip "no immutable files here"
	assert_failure 125
	# Only the four immutable files stay.
	assert_equal "$(find . -mindepth 2 | wc -l)" 4
	find . -mindepth 2 -exec chattr -i {} +
}

# --- Permissions: another's directory, a system without /proc --------------

@test "with CAP_FOWNER but no DAC override, another's directory keeps its mode" {
	require_root
	run --separate-stderr setpriv --bounding-set=-dac_override,-dac_read_search -- \
		"$CTEMPFILE_BIN" directory -p "$WORK" -- sh -c '
			mkdir "$CTEMPFILE/theirs" && chown 65534 "$CTEMPFILE/theirs" && chmod 000 "$CTEMPFILE/theirs" &&
			echo "$CTEMPFILE" > ../top'
	assert_failure 125
	local top
	top=$(cat ../top)
	assert_equal "$stderr" "ctempfile: cannot remove '$top/theirs': Permission denied"
	assert_equal "$(mode_of "$top/theirs")" 0
}

# Run ctempfile as an unprivileged user in a mount namespace without /proc,
# with a COMMAND that makes a chmod 000 directory; $1 is a wrapper (or "").
removal_without_proc() {
	shared_dir
	mkdir "$SHARED/in"
	chmod 777 "$SHARED/in"
	run --separate-stderr unshare -m sh -c '
		mount --make-rprivate / && umount -l /proc || exit 99
		[ ! -e /proc/self ] || exit 99
		exec setpriv --reuid=65534 --regid=65534 --clear-groups -- $1 "$CTEMPFILE_BIN" directory -p "$2" -- sh -c "
			mkdir -p \"\$CTEMPFILE/a/b\" && touch \"\$CTEMPFILE/a/b/f\" && chmod 000 \"\$CTEMPFILE/a\" && echo \"\$CTEMPFILE\" > \"$2/top\""' _ "$1" "$SHARED/in"
	[ "$status" -ne 99 ] || skip "cannot unmount /proc in a namespace"
}

@test "without /proc, one's own chmod 000 directories go (fchmodat2)" {
	require_root
	require_no_asan "no /proc"
	removal_without_proc ""
	assert_success
	assert_equal "$stderr" ""
	rm "$SHARED/in/top"
	assert_dir_empty "$SHARED/in"
}

@test "without /proc and without fchmodat2: told exactly why, 125" {
	require_root
	require_no_asan "no /proc"
	removal_without_proc "$REFUSE fchmodat2"
	assert_failure 125
	local top
	top=$(cat "$SHARED/in/top")
	assert_equal "$stderr" "ctempfile: cannot remove '$top/a': its mode can be given back only with fchmodat2 (Linux 6.6) or with /proc mounted"
}

@test "without fchmodat2, /proc does it" {
	shared_dir
	mkdir "$SHARED/in"
	chmod 777 "$SHARED/in"
	run --separate-stderr as_user "$REFUSE" fchmodat2 "$CTEMPFILE_BIN" directory -p "$SHARED/in" -- sh -c '
		mkdir -p "$CTEMPFILE/a/b" && touch "$CTEMPFILE/a/b/f" && chmod 000 "$CTEMPFILE/a"'
	assert_success
	assert_equal "$stderr" ""
	assert_dir_empty "$SHARED/in"
}

# --- Tight limits -------------------------------------------------------------

@test "RLIMIT_NOFILE 5: two free descriptors remove any depth; no guardian, said" {
	run --separate-stderr with_fd_limit 5 "$CTEMPFILE_BIN" directory -p . -- sh -c '
		cd "$CTEMPFILE" && mkdir -p a/b/c/d/e/f/g && touch a/f a/b/c/f a/b/c/d/e/f/g/f && mkdir -p x/y'
	[[ "$stderr" =~ ^"ctempfile: no guardian for '$WORK/tmp"$PY_RAND{8}"': Too many open files"$ ]] || fail "stderr: $stderr"
	assert_success
	assert_dir_empty .
}

@test "RLIMIT_NOFILE 4: one free descriptor cannot walk a tree; said, 125" {
	run --separate-stderr with_fd_limit 4 "$CTEMPFILE_BIN" directory -p . -- sh -c 'mkdir -p "$CTEMPFILE/a/b"'
	assert_failure 125
	[[ "${stderr_lines[-1]}" =~ ^"ctempfile: cannot remove '$WORK/tmp"$PY_RAND{8}"'"(/a)?": Too many open files"$ ]] || fail "stderr: $stderr"
}

@test "a low soft limit is raised to the hard one for removal" {
	run --separate-stderr python3 -c '
import resource, subprocess, sys
def limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (4, 64))
sys.exit(subprocess.run(sys.argv[1:], close_fds=True, preexec_fn=limit).returncode)
' "$CTEMPFILE_BIN" directory -p . -- sh -c 'mkdir -p "$CTEMPFILE/a/b/c"'
	assert_success
	assert_dir_empty .
}

@test "many entries that stay beside levels read again: not quadratic" {
	require_root
	# 60,000 immutable files at the top, and 100 chains deeper than the
	# descriptor window under ulimit -n 64, each of which makes the top be
	# reopened.  Remembering what stays in a list made the removal take
	# about a minute; it takes about a second.  The tree is made first, so
	# that the limit below is on the removal alone.
	mkdir made
	python3 -c '
import os, subprocess, sys
top = sys.argv[1]
os.mkdir(top)
names = [os.path.join(top, "keep%05d" % i) for i in range(60000)]
for n in names:
    open(n, "w").close()
for i in range(0, len(names), 2000):
    if subprocess.run(["chattr", "+i"] + names[i:i + 2000]).returncode:
        sys.exit(99)
for c in range(100):
    os.makedirs(os.path.join(top, "c%03d" % c, *["d"] * 40))
' "$WORK/tree" || skip "no immutable files here"
	run --separate-stderr timeout -s KILL 20 bash -c '
		ulimit -n 64
		exec "$1" directory -p "$2" -- mv "$3" "{}/tree"' _ "$CTEMPFILE_BIN" "$WORK/made" "$WORK/tree"
	assert_failure 125
	assert_equal "${#stderr_lines[@]}" 60000
	assert_equal "$(find made -mindepth 2 -type d | wc -l)" 1
	find made -type f -exec chattr -i {} +
}

# --- --dry-run --count ----------------------------------------------------------

@test "--dry-run --count gives distinct names in both forms" {
	run ct named-file -u -n 1000 -r 3 -p .
	assert_success
	assert_equal "$(printf '%s\n' "$output" | sort -u | wc -l)" 1000
	run ct -u -n 2000 aXXX
	assert_success
	assert_equal "$(printf '%s\n' "$output" | sort -u | wc -l)" 2000
	# Every one of the 37^3 names, and then no more.
	run ct named-file -u -n 50653 -r 3 -P '' -p .
	assert_success
	assert_equal "$(printf '%s\n' "$output" | sort -u | wc -l)" 50653
	run --separate-stderr ct named-file -u -n 50654 -r 3 -P '' -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/XXX': File exists"
	assert_output ""
	assert_dir_empty .
}
