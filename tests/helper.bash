# Loaded by every .bats file: each test runs in a directory of its own,
# with its own $TMPDIR, the C locale and a known umask.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

: "${CTEMPFILE_BIN:?set CTEMPFILE_BIN to the ctempfile binary}"

# The usual name pattern of each form.
GNU_RAND='[A-Za-z0-9]'
PY_RAND='[a-z0-9_]'

setup() {
	common_setup
}

# The setup of every test; a file with a setup of its own calls this too.
common_setup() {
	export LC_ALL=C
	unset TEMP TMP POSIXLY_CORRECT CTEMPFILE LANGUAGE
	umask 022
	WORK="$BATS_TEST_TMPDIR/work"
	export TMPDIR="$BATS_TEST_TMPDIR/tmp"
	mkdir -p "$WORK" "$TMPDIR"
	cd "$WORK" || return 1
	# A test that needs it fills this with mounts to undo, and with
	# processes it started in the background, to kill by pid.
	MOUNTS=()
	BG_PIDS=()
}

teardown() {
	common_teardown
}

# Kill what the test started in the background (by pid), undo its
# mounts, remove its shared directory.  A file with a teardown of its own
# calls this too.
common_teardown() {
	cd / || true
	local m p
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	for m in "${MOUNTS[@]}"; do
		umount -l "$m" 2>/dev/null || true
	done
	if [ -n "${SHARED:-}" ]; then
		chmod -R u+rwx "$SHARED" 2>/dev/null || true
		rm -rf "$SHARED"
	fi
}

ct() {
	"$CTEMPFILE_BIN" "$@"
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# A directory that an unprivileged user can reach, for permission tests.
shared_dir() {
	local bin
	if [ "$(id -u)" -eq 0 ]; then
		for bin in "$CTEMPFILE_BIN" ${REFUSE:+"$REFUSE"}; do
			setpriv --reuid=65534 --regid=65534 --clear-groups -- \
				test -x "$bin" ||
				skip "uid 65534 cannot run $bin (a private directory on its path)"
		done
	fi
	SHARED=$(mktemp -d /tmp/ctempfile-test.XXXXXXXX)
	chmod 755 "$SHARED"
}

# Run "$@" as an unprivileged user when root (root ignores permissions).
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	else
		"$@"
	fi
}

# A small tmpfs at DIR (root only), unmounted by teardown.
small_tmpfs() {
	local dir=$1 opts=$2
	require_root
	mkdir -p "$dir"
	mount -t tmpfs -o "$opts" ctempfile-test "$dir" || skip "cannot mount tmpfs"
	MOUNTS+=("$dir")
}

# Nothing at all in DIR.
assert_dir_empty() {
	local left
	left=$(find "$1" -mindepth 1 -print)
	[ -z "$left" ] || fail "left in $1: $left"
}

# Octal permission bits of a path.
mode_of() {
	stat -c %a "$1"
}

# ctempfile with its standard output sent to $1, or closed if $1 is "-".
ct_out() {
	local to=$1
	shift
	if [ "$to" = - ]; then
		"$CTEMPFILE_BIN" "$@" >&-
	else
		"$CTEMPFILE_BIN" "$@" >"$to"
	fi
}

# Run "$@" and print how it ended, as a parent sees it: "exit N" or
# "signal N".
how_it_ends() {
	python3 -c '
import subprocess, sys
r = subprocess.run(sys.argv[1:]).returncode
print(f"signal {-r}" if r < 0 else f"exit {r}")
' "$@"
}

# Exec "$@" with SIGINT and SIGQUIT at their defaults, which a background
# job of a non-interactive shell does not have.  It replaces the shell it
# runs in, so that $! of "with_default_signals ... &" is the command's pid.
with_default_signals() {
	exec python3 -c '
import os, signal, sys
for s in (signal.SIGINT, signal.SIGQUIT):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])
' "$@"
}

# Wait up to $2 seconds (default 5) for a path to exist.
wait_for() {
	local i
	for i in $(seq $((${2:-5} * 20))); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	fail "waited in vain for $1"
}

# Run "$@" with only the standard descriptors open, and at most $1 of them.
with_fd_limit() {
	python3 -c '
import resource, subprocess, sys
n = int(sys.argv[1])
def limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
sys.exit(subprocess.run(sys.argv[2:], close_fds=True, preexec_fn=limit).returncode)
' "$@"
}

# Read names on standard input; print how many distinct characters their
# last components use, and the ratio of the most to the least frequent.
char_spread() {
	sed 's|.*/||' | fold -w1 | sort | uniq -c | awk '
		{ n[$2] = $1 } END {
			min = 1e9; max = 0
			for (c in n) { if (n[c] < min) min = n[c]; if (n[c] > max) max = n[c] }
			printf "%d %.3f\n", length(n), max / min
		}'
}

# Some conditions cannot be tested under AddressSanitizer: address space
# limits (it reserves terabytes of shadow memory at start), a system
# without /proc (it reads /proc/self/maps at start).  $1 says which.
require_no_asan() {
	if ldd "$CTEMPFILE_BIN" 2>/dev/null | grep -q libasan; then
		skip "AddressSanitizer cannot run with $1"
	fi
}

# Run "$@" with its standard error a pipe whose reader has gone: its first
# diagnostic meets EPIPE (and SIGPIPE, at the default disposition).
with_dead_stderr() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
rc = subprocess.run(sys.argv[1:], stderr=w).returncode
sys.exit(128 - rc if rc < 0 else rc)
' "$@"
}

# Wait up to $3 seconds (default 10) until directory $1 holds at least $2
# entries.
wait_for_entries() {
	local i
	for i in $(seq $((${3:-10} * 20))); do
		[ "$(find "$1" -mindepth 1 -maxdepth 1 | head -n "$2" | wc -l)" -ge "$2" ] && return 0
		sleep 0.05
	done
	fail "waited in vain for $2 entries in $1"
}

# The pids of ctempfile processes (watchers, guardians) whose command line
# names $1.
watchers_of() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$CTEMPFILE_BIN" ] || continue
		tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF "$1" || continue
		echo "${p#/proc/}"
	done
}

# The same for something under this test's directory.
ours() {
	watchers_of "$BATS_TEST_TMPDIR"
}

# Kill, by pid, every watcher and guardian the test left.
kill_ours() {
	local p
	for p in $(ours); do
		kill -KILL "$p" 2>/dev/null || true
	done
}

# Wait up to 5 seconds for a path to be gone.
wait_gone() {
	local i
	[ -n "$1" ] || fail "wait_gone: no path"
	for i in $(seq 100); do
		[ ! -e "$1" ] && [ ! -L "$1" ] && return 0
		sleep 0.05
	done
	fail "still there after 5 seconds: $1"
}

# Exactly the names $2... (none: nothing at all) in directory $1.
assert_only() {
	local dir=$1 want=""
	shift
	[ $# -eq 0 ] || want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	assert_equal "$(cd "$dir" && ls -A | sort | tr '\n' ' ')" "$want"
}
