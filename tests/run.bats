#!/usr/bin/env bats
# Running a COMMAND that holds the temporary object, and removing it
# however the command ends.

load helper

# --- Status -----------------------------------------------------------------

@test "status 0 and 3 are COMMAND's; the file is removed" {
	run ct named-file -p . -- true
	assert_success
	assert_dir_empty .
	run ct named-file -p . -- sh -c 'test -f "$CTEMPFILE" && exit 3'
	assert_failure 3
	assert_dir_empty .
	run ct directory -p . -- sh -c 'touch "$CTEMPFILE/x"; exit 3'
	assert_failure 3
	assert_dir_empty .
}

@test "125: a bad option or value with a COMMAND; COMMAND never starts" {
	run --separate-stderr ct named-file -m 888 -p . -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: invalid mode '888': not octal 0 to 0777"
	run --separate-stderr ct named-file --bogus -p . -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: unrecognized option '--bogus'
Try 'ctempfile named-file --help' for more information."
	run --separate-stderr ct named-file -n 2 -p . -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --count cannot be used with a COMMAND"
	run --separate-stderr ct directory -u -p . -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --dry-run cannot be used with a COMMAND"
	run --separate-stderr ct named-file -C -p . -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --cd applies only to 'directory'"
	assert_file_not_exists ../ran
	assert_dir_empty .
}

@test "125: cannot create; COMMAND never starts" {
	run --separate-stderr ct named-file -p "$WORK/no" -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/no/tmpXXXXXXXX': No such file or directory"
	run --separate-stderr ct file -p "$WORK/no" -- touch ../ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot create a file in '$WORK/no/': No such file or directory"
	assert_file_not_exists ../ran
}

@test "file --help" {
	run --separate-stderr ct file --help
	assert_success
	assert_line --index 0 "Usage: ctempfile file [OPTION]... [--] COMMAND [ARG]..."
	assert_line --regexp "^ +--memory "
	assert_line --regexp "^ +--fd=N "
	refute_line --partial "--count"
	assert_equal "$stderr" ""
}

@test "file without a COMMAND is an error, status 1" {
	run --separate-stderr ct file -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: missing COMMAND
Try 'ctempfile file --help' for more information."
}

@test "126: found but not executable; nothing left" {
	touch notexec
	run --separate-stderr ct named-file -p "$TMPDIR" -- ./notexec
	assert_failure 126
	assert_equal "$stderr" "ctempfile: './notexec': Permission denied"
	run --separate-stderr ct directory -p "$TMPDIR" -- /
	assert_failure 126
	run --separate-stderr ct file -- ./notexec
	assert_failure 126
	run --separate-stderr ct named-file -k -p "$TMPDIR" -- ./notexec
	assert_failure 126
	assert_dir_empty "$TMPDIR"
}

@test "127: not found on PATH; nothing left" {
	run --separate-stderr ct named-file -- no-such-command-here
	assert_failure 127
	assert_equal "$stderr" "ctempfile: 'no-such-command-here': No such file or directory"
	run --separate-stderr ct directory -- no-such-command-here
	assert_failure 127
	run --separate-stderr ct file -- no-such-command-here
	assert_failure 127
	run --separate-stderr ct directory -k -- no-such-command-here
	assert_failure 127
	assert_dir_empty "$TMPDIR"
}

@test "--fd 2 makes the file COMMAND's stderr, not ctempfile's" {
	run --separate-stderr ct file --fd 2 -- no-such-command-here
	assert_failure 127
	assert_equal "$stderr" "ctempfile: 'no-such-command-here': No such file or directory"
	run --separate-stderr ct named-file --fd 2 -p . -- sh -c 'echo to-file >&2; cat {}'
	assert_success
	assert_output to-file
	assert_equal "$stderr" ""
	assert_dir_empty .
}

@test "--cd into a directory made with mode 0: 125, nothing left" {
	[ "$(id -u)" -ne 0 ] || shared_dir
	local dir=${SHARED:-$WORK}/in
	mkdir "$dir"
	chmod 777 "$dir"
	run --separate-stderr as_user "$CTEMPFILE_BIN" directory -m 0 -C -p "$dir" -- touch ran
	assert_failure 125
	[[ "$stderr" =~ ^"ctempfile: cannot enter '$dir/tmp"[a-z0-9_]{8}"': Permission denied"$ ]] ||
		fail "stderr: $stderr"
	assert_dir_empty "$dir"
}

@test "COMMAND is found on PATH as execvp does" {
	mkdir bin
	printf '#!/bin/sh\necho found "$1"\n' > bin/mycmd
	chmod +x bin/mycmd
	PATH="$WORK/bin:$PATH" run ct named-file -- mycmd x
	assert_output "found x"
	# A script without #! is run by the shell, as execvp does.
	printf 'echo by sh\n' > bin/noshebang
	chmod +x bin/noshebang
	PATH="$WORK/bin:$PATH" run ct named-file -- noshebang
	assert_output "by sh"
}

# --- Death by signal ----------------------------------------------------------

@test "COMMAND killed by SIGTERM, SIGKILL, SIGSEGV: the caller sees the same" {
	local s
	for s in TERM KILL SEGV INT; do
		run how_it_ends "$CTEMPFILE_BIN" named-file -p "$WORK" -- sh -c "kill -$s \$\$"
		assert_output "signal $(kill -l "$s")"
		run how_it_ends "$CTEMPFILE_BIN" directory -p "$WORK" -- sh -c "mkdir \"\$CTEMPFILE/d\"; kill -$s \$\$"
		assert_output "signal $(kill -l "$s")"
	done
	assert_dir_empty .
}

@test "dying of COMMAND's signal, ctempfile dumps no core of its own" {
	case $(cat /proc/sys/kernel/core_pattern) in
	"|"*) skip "cores go to a helper program, which decides alone" ;;
	esac
	mkdir cores
	# With cores allowed, COMMAND dumps one; ctempfile, dying of the same
	# SIGSEGV after removing its file, must not.
	run python3 - "$CTEMPFILE_BIN" "$WORK" <<'PY'
import os, resource, subprocess, sys
def allow_cores():
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY,) * 2)
for cmd in ([sys.argv[1], "named-file", "-p", sys.argv[2], "--"], []):
    p = subprocess.Popen(cmd + ["sh", "-c", "kill -SEGV $$"], cwd="cores",
                         preexec_fn=allow_cores)
    _, status = os.waitpid(p.pid, 0)
    print(os.WTERMSIG(status), os.WCOREDUMP(status))
PY
	[ "${lines[1]}" = "11 True" ] || skip "no core can be dumped here"
	assert_line --index 0 "11 False"
	rm -rf cores
	assert_dir_empty .
}

@test "without ctempfile the caller would see the same" {
	run how_it_ends sh -c 'kill -SEGV $$'
	assert_output "signal 11"
	run how_it_ends sh -c 'exit 3'
	assert_output "exit 3"
}

# --- Signals sent to ctempfile ---------------------------------------------

# Start ctempfile in the background with a COMMAND that records the
# signals it gets in ../log and says it is ready in ../ready.
start_recorder() {
	local traps='trap "echo HUP >> ../log; exit 11" HUP
		trap "echo USR1 >> ../log; exit 12" USR1
		trap "echo TERM >> ../log; exit 13" TERM
		trap "echo INT >> ../log; exit 14" INT
		trap "echo USR2 >> ../log; exit 15" USR2
		trap "echo ALRM >> ../log; exit 16" ALRM
		trap "echo QUIT >> ../log; exit 17" QUIT
		: > ../ready
		i=0
		while [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done'
	with_default_signals "$CTEMPFILE_BIN" "$@" -- sh -c "$traps" 3>&- &
	CT_PID=$!
	wait_for ../ready
}

@test "HUP, USR1, TERM, USR2, ALRM sent to ctempfile reach COMMAND; then removal" {
	local s code
	for s in HUP:11 USR1:12 TERM:13 USR2:15 ALRM:16; do
		rm -f ../ready ../log
		start_recorder named-file -p "$WORK"
		kill "-${s%:*}" "$CT_PID"
		code=0
		wait "$CT_PID" || code=$?
		assert_equal "$code" "${s#*:}"
		assert_equal "$(cat ../log)" "${s%:*}"
		assert_dir_empty .
	done
}

@test "kill -INT and -QUIT to ctempfile alone reach COMMAND" {
	local s code
	for s in INT:14 QUIT:17; do
		rm -f ../ready ../log
		start_recorder directory -p "$WORK"
		code=0
		kill "-${s%:*}" "$CT_PID"
		wait "$CT_PID" || code=$?
		assert_equal "$code" "${s#*:}"
		assert_equal "$(cat ../log)" "${s%:*}"
		assert_dir_empty .
	done
}

@test "SIGTERM to ctempfile when COMMAND does not catch it: both die of it" {
	with_default_signals "$CTEMPFILE_BIN" named-file -p "$WORK" -- sh -c ': > ../ready; exec sleep 10' 3>&- &
	local pid=$! code=0
	wait_for ../ready
	kill -TERM "$pid"
	wait "$pid" || code=$?
	assert_equal "$code" 143
	assert_dir_empty .
}

# Type ^C at a terminal where ctempfile runs a COMMAND that counts the
# SIGINTs it gets; $1 "own-group" makes COMMAND leave ctempfile's group.
# Prints the count and ctempfile's status.
ctrl_c() {
	timeout 20 python3 - "$CTEMPFILE_BIN" "$WORK" "${1:-}" <<'PY'
import os, pty, sys, time
ct, work, own = sys.argv[1], sys.argv[2], sys.argv[3]
counter = (
    "import os, signal, sys, time\n"
    + ("os.setpgid(0, 0)\n" if own else "")
    + "n = 0\n"
    "def h(s, f):\n"
    "    global n\n"
    "    n += 1\n"
    "signal.signal(signal.SIGINT, h)\n"
    "open(sys.argv[1] + '/../ready', 'w').close()\n"
    "end = time.time() + 1.5\n"
    "while time.time() < end:\n"
    "    time.sleep(0.05)\n"
    "open(sys.argv[1] + '/../count', 'w').write(str(n))\n"
)
pid, master = pty.fork()
if pid == 0:
    os.execv(ct, [ct, "named-file", "-p", work, "--", sys.executable, "-c", counter, work])
ready = work + "/../ready"
while not os.path.exists(ready):
    time.sleep(0.02)
os.write(master, b"\x03")
while True:
    try:
        os.read(master, 1024)
    except OSError:
        break
_, status = os.waitpid(pid, 0)
print(open(work + "/../count").read(), os.waitstatus_to_exitcode(status))
PY
}

@test "SIGINT from the terminal to the whole group reaches COMMAND once" {
	run ctrl_c
	assert_output "1 0"
	assert_dir_empty .
}

@test "SIGINT from the terminal reaches a COMMAND that left the group" {
	run ctrl_c own-group
	assert_output "1 0"
	assert_dir_empty .
}

@test "a signal ignored at start stays ignored, for ctempfile and COMMAND" {
	run bash -c 'trap "" USR1 HUP; "$CTEMPFILE_BIN" named-file -- python3 -c "
import signal
print(signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN, signal.getsignal(signal.SIGHUP) == signal.SIG_IGN, signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)"'
	assert_output "True True True"
	# Sent to ctempfile, an ignored USR1 neither kills it nor reaches COMMAND.
	bash -c 'trap "" USR1; exec "$CTEMPFILE_BIN" named-file -p "$1" -- sh -c "trap \"echo USR1 >> ../log\" USR1; : > ../ready; sleep 1"' _ "$WORK" 3>&- &
	local pid=$! code=0
	wait_for ../ready
	kill -USR1 "$pid"
	wait "$pid" || code=$?
	assert_equal "$code" 0
	assert_file_not_exists ../log
	assert_dir_empty .
}

# Run ctempfile named-file with signal $1 ignored at start if $2 is "ign",
# and a COMMAND that catches $1 and logs it to ../log: CT_PID is its pid.
start_rt() {
	python3 -c '
import os, signal, sys
if sys.argv[2] == "ign":
    signal.signal(int(sys.argv[1]), signal.SIG_IGN)
os.execv(sys.argv[3], sys.argv[3:])
' "$1" "$2" "$CTEMPFILE_BIN" named-file -p "$WORK" -- python3 -c '
import signal, sys, time
signal.signal(int(sys.argv[1]), lambda s, f: open("../log", "a").write("got\n"))
open("../ready", "w").close()
time.sleep(1)
' "$1" 3>&- &
	CT_PID=$!
	BG_PIDS+=("$CT_PID")
	wait_for ../ready
}

@test "a real-time signal sent to ctempfile reaches COMMAND, unless ignored at start" {
	local rt code
	rt=$(($(kill -l RTMIN) + 3))
	start_rt "$rt" ""
	kill -"$rt" "$CT_PID"
	code=0
	wait "$CT_PID" || code=$?
	assert_equal "$code" 0
	assert_equal "$(cat ../log)" got
	rm -f ../log ../ready
	start_rt "$rt" ign
	kill -"$rt" "$CT_PID"
	code=0
	wait "$CT_PID" || code=$?
	assert_equal "$code" 0
	assert_file_not_exists ../log
	assert_dir_empty .
}

@test "signals during removal wait until it is done; the status is COMMAND's" {
	# COMMAND ignores SIGTERM, leaves 20000 files, and says when it ends.
	with_default_signals "$CTEMPFILE_BIN" directory -p "$WORK" -- python3 -c '
import os, signal
signal.signal(signal.SIGTERM, signal.SIG_IGN)
d = os.environ["CTEMPFILE"]
for i in range(20000):
    open(os.path.join(d, str(i)), "w").close()
open(os.path.join(d, "..", "..", "done"), "w").close()
' 3>&- &
	local pid=$! code=0 sent=0
	# Making the files may be slow on a busy disk.
	wait_for "$BATS_TEST_TMPDIR/done" 120
	while kill -TERM "$pid" 2>/dev/null && [ "$sent" -lt 2000 ]; do
		sent=$((sent + 1))
		sleep 0.001
	done
	wait "$pid" || code=$?
	assert_equal "$code" 0
	[ "$sent" -gt 0 ] || fail "no signal was sent during removal"
	assert_dir_empty .
}

@test "COMMAND gets the signal mask ctempfile was started with" {
	# grep reads its own status: a shell that waits may block signals.
	run ct named-file -- grep -E "^Sig(Blk|Ign)" /proc/self/status
	local direct
	direct=$(grep -E "^Sig(Blk|Ign)" /proc/self/status)
	assert_output "$direct"
	# what was ignored at start (a background job ignores INT and QUIT),
	# and SIGUSR2 besides
	local ign
	ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status)
	run bash -c 'trap "" USR2; "$CTEMPFILE_BIN" directory -- grep -E "^SigIgn" /proc/self/status'
	assert_output "$(printf 'SigIgn:\t%016x' $((0x$ign | 0x800)))"
}

# --- The path, the descriptor, the environment --------------------------------

@test "{} is replaced everywhere in COMMAND and its ARGs; \$CTEMPFILE is set" {
	run ct named-file -p . -- sh -c 'echo "$1|$2|$CTEMPFILE"' sh {} "a{}b{}"
	local p
	p=$(echo "$output" | cut -d'|' -f1)
	assert_output --regexp "^$WORK/tmp$PY_RAND{8}\|a$WORK/tmp$PY_RAND{8}b$WORK/tmp$PY_RAND{8}\|$WORK/tmp$PY_RAND{8}$"
	assert_output "$p|a${p}b$p|$p"
}

@test "-I: another string, never re-scanning the path; empty turns it off" {
	run ct named-file -p . -I t -- echo t tt {}
	assert_output --regexp "^($WORK/t{1}mp$PY_RAND{8}) \1\1 \{\}$"
	run ct named-file -p . --replace= -- echo {} x
	assert_output "{} x"
	# The path itself contains the string: it is not replaced again.
	run ct named-file -p . -P XX -I X -- echo X
	assert_output --regexp "^$WORK/XX$PY_RAND{8}$"
}

@test "--env: another variable; empty turns it off" {
	run ct named-file -p . -e MYPATH -- sh -c 'echo "$MYPATH ${CTEMPFILE-unset}"'
	assert_output --regexp "^$WORK/tmp$PY_RAND{8} unset$"
	run ct named-file -p . --env= -- sh -c 'echo "${CTEMPFILE-unset}"'
	assert_output unset
}

@test "--env TMPDIR: a private temporary directory for COMMAND" {
	run ct directory -p . -e TMPDIR -- sh -c 'f=$(mktemp); echo "$f"; test -f "$f"'
	assert_success
	assert_output --regexp "^$WORK/tmp$PY_RAND{8}/tmp\.$GNU_RAND{10}$"
	assert_dir_empty .
}

@test "--fd: the open file on descriptor N, read and write" {
	run ct named-file -p . --fd 5 -- sh -c 'echo hello >&5; cat "$CTEMPFILE"'
	assert_output hello
	assert_dir_empty .
}

@test "file: an unnamed file on descriptor 3, as /dev/fd/3" {
	run ct file -p . -- sh -c 'echo "$CTEMPFILE {}"; echo data >&3; cat /dev/fd/3'
	assert_line --index 0 "/dev/fd/3 /dev/fd/3"
	assert_line --index 1 data
	run ct file -p . --fd 7 -- sh -c 'echo "$CTEMPFILE"; echo x >&7'
	assert_output /dev/fd/7
	assert_dir_empty .
}

@test "file: an unnamed file is in the chosen directory's file system" {
	run ct file -p . -- sh -c 'readlink /proc/self/fd/3'
	assert_output --regexp "^$WORK/#[0-9]+ \(deleted\)$"
}

@test "file: where O_TMPFILE is refused, a named file unlinked at once" {
	[ "$(uname -m)" = x86_64 ] || skip "the seccomp filter is written for x86_64"
	run "$REFUSE" o_tmpfile "$CTEMPFILE_BIN" file -p . -- sh -c '
		readlink /proc/self/fd/3; ls -A; echo data >&3; cat /dev/fd/3'
	assert_success
	assert_line --index 0 --regexp "^$WORK/tmp$PY_RAND{8} \(deleted\)$"
	assert_line --index 1 data
	assert_equal "${#lines[@]}" 2
	assert_dir_empty .
}

@test "file: no directory entry appears at any moment" {
	run python3 - "$CTEMPFILE_BIN" "$WORK" <<'PY'
import ctypes, os, subprocess, sys
ct, work = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(os.O_NONBLOCK)
# IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM
if fd < 0 or libc.inotify_add_watch(fd, work.encode(), 0x100 | 0x80 | 0x200 | 0x40) < 0:
    sys.exit("inotify")
subprocess.run([ct, "file", "-p", work, "--", "sh", "-c", "echo x >&3"], check=True)
subprocess.run([ct, "named-file", "-p", work, "--", "true"], check=True)
try:
    data = os.read(fd, 65536)
except BlockingIOError:
    data = b""
# Count events: 16-byte header plus name.
n, i = 0, 0
while i < len(data):
    length = int.from_bytes(data[i + 12:i + 16], "little")
    n += 1
    i += 16 + length
print(n)
PY
	# named-file makes two events (create, delete); file none.
	assert_output 2
}

@test "file --memory: in no directory; --mode applies" {
	run ct file --memory -- sh -c 'readlink /proc/self/fd/3; stat -L -c %a /dev/fd/3'
	assert_line --index 0 --regexp "^/memfd:ctempfile \(deleted\)$"
	assert_line --index 1 600
	run ct file --memory -m 640 -- stat -L -c %a /dev/fd/3
	assert_output 640
	# No directory is needed, so none is probed: not even a bad $TMPDIR.
	TMPDIR=/nonexistent run ct file --memory -- sh -c 'echo x >&3'
	assert_success
	TMPDIR=/nonexistent strace -f -e trace=openat,open,mkdir,unlink -o ../trace "$CTEMPFILE_BIN" file --memory -- true
	run grep -cE 'nonexistent|"/tmp' ../trace
	assert_output 0
	run --separate-stderr ct named-file --memory -- true
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --memory applies only to 'file'"
}

@test "--stdin: the file holds standard input, rewound, seekable" {
	printf 'one\ntwo\n' > ../in
	run ct file -i -- sh -c 'cat <&3; cat <&3'
	assert_output ""
	run ct file -i -- sh -c 'cat <&3' < ../in
	assert_output "$(cat ../in)"
	run ct named-file -p . -i -- sh -c 'cat {}; wc -c < {}' < ../in
	assert_line --index 0 one
	assert_line --index 2 8
	run ct file --memory -i -- python3 -c 'import os; os.lseek(3, 4, 0); print(os.read(3, 3).decode())' < ../in
	assert_output two
	assert_dir_empty .
}

@test "--cd: COMMAND runs inside the directory; ctempfile's own is unchanged" {
	run ct directory -p . -C -- sh -c 'pwd; echo "$CTEMPFILE"'
	assert_equal "${lines[0]}" "${lines[1]}"
	assert_output --regexp "^$WORK/tmp$PY_RAND{8}"
	assert_dir_empty .
}

@test "descriptors: inherited ones passed on untouched, none of ctempfile's" {
	local probe='import os; print(" ".join(sorted(os.listdir("/proc/self/fd"), key=int)))'
	local direct via
	direct=$(python3 -c "$probe" 5</dev/null 7>/dev/null)
	via=$(ct named-file -- python3 -c "$probe" 5</dev/null 7>/dev/null)
	assert_equal "$via" "$direct"
	via=$(ct directory -- python3 -c "$probe" 5</dev/null 7>/dev/null)
	assert_equal "$via" "$direct"
	via=$(ct named-file -k -- python3 -c "$probe" 5</dev/null 7>/dev/null)
	assert_equal "$via" "$direct"
	# --fd adds exactly that one.
	via=$(ct named-file --fd 9 -- python3 -c "$probe" 5</dev/null 7>/dev/null)
	assert_equal "$via" "$(python3 -c "$probe" 5</dev/null 7>/dev/null 9</dev/null)"
}

@test "a standard descriptor closed at start is closed for COMMAND too" {
	run bash -c '"$CTEMPFILE_BIN" named-file -- sh -c "echo out; echo err >&2" 2>&-'
	assert_output out
	run bash -c '"$CTEMPFILE_BIN" named-file -- sh -c "read x; echo \$?" <&-'
	assert_output --regexp "[1-9]"
}

# --- --keep, --keep-on-failure ----------------------------------------------

@test "--keep: left in place, and ctempfile becomes COMMAND" {
	run ct named-file -p . -k -- sh -c 'echo "$CTEMPFILE"'
	assert_file_exists "$output"
	run ct directory -p . --keep -- sh -c 'touch "$CTEMPFILE/x"; echo "$CTEMPFILE"'
	assert_file_exists "$output/x"
	"$CTEMPFILE_BIN" named-file -p . -k -- sh -c 'echo $$ > ../pid' 3>&- &
	local pid=$!
	wait "$pid"
	assert_equal "$(cat ../pid)" "$pid"
}

@test "file becomes COMMAND: same pid, COMMAND's own status and signal" {
	"$CTEMPFILE_BIN" file -- sh -c 'echo $$ > ../pid' 3>&- &
	local pid=$!
	wait "$pid"
	assert_equal "$(cat ../pid)" "$pid"
	run how_it_ends "$CTEMPFILE_BIN" file -- sh -c 'kill -TERM $$'
	assert_output "signal 15"
}

@test "--keep-on-failure: kept and told when COMMAND fails, removed otherwise" {
	run --separate-stderr ct named-file -p . -K -- sh -c 'echo "$CTEMPFILE"; exit 4'
	assert_failure 4
	assert_file_exists "$output"
	assert_equal "$stderr" "ctempfile: COMMAND failed; kept '$output'"
	rm "$output"
	run --separate-stderr how_it_ends "$CTEMPFILE_BIN" directory -p "$WORK" -K -- sh -c 'echo "$CTEMPFILE" > ../kept; kill -TERM $$'
	assert_output "signal 15"
	assert_equal "$stderr" "ctempfile: COMMAND failed; kept '$(cat ../kept)'"
	assert_dir_exists "$(cat ../kept)"
	rmdir "$(cat ../kept)"
	run ct directory -p . -K -- sh -c 'touch "$CTEMPFILE/x"'
	assert_success
	assert_dir_empty .
}

# --- Removal by name -------------------------------------------------------

@test "a file replaced by rename (sed -i) is removed too" {
	run ct named-file -p . -- sh -c 'echo x > {}; sed -i s/x/y/ {}; cat {}'
	assert_output y
	assert_dir_empty .
}

@test "a file COMMAND removed itself is no error" {
	run --separate-stderr ct named-file -p . -- sh -c 'rm {}'
	assert_success
	assert_equal "$stderr" ""
}

@test "a directory left at the file's path stays, with a warning: 125" {
	run --separate-stderr ct named-file -p . -- sh -c 'rm {}; mkdir {}; echo {}'
	assert_failure 125
	assert_dir_exists "$output"
	assert_equal "$stderr" "ctempfile: '$output' is now a directory; left in place"
	rmdir "$output"
	run --separate-stderr ct named-file -p . -- sh -c 'rm {}; mkdir {}; exit 5'
	assert_failure 5
}

@test "option parsing stops at the first operand" {
	run ct named-file echo -d
	assert_output -- -d
	run ct named-file -p . echo -p x
	assert_output "-p x"
	run ct directory -- printf '%s\n' --help
	assert_output -- --help
}
