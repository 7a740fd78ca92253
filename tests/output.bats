#!/usr/bin/env bats
# --output: the temporary replaces FILE atomically and durably when COMMAND
# succeeds (or --stdin has been read); FILE is untouched otherwise.  After
# every test the directory holds FILE and nothing else.

load helper

@test "named-file -o: COMMAND writes {}, FILE is replaced, nothing else left" {
	printf 'b\na\nb\n' > data.csv
	run --separate-stderr ct named-file -o data.csv -- sh -c 'case {} in */.data.csv.*) ;; *) exit 9;; esac; sort -u data.csv > {}'
	assert_success
	assert_output ""
	assert_equal "$(cat data.csv)" "a
b"
	assert_only . data.csv
}

@test "file -o: COMMAND writes descriptor 3" {
	echo old > config
	run ct file -o config -- sh -c 'tr a-z A-Z < config >&3'
	assert_success
	assert_equal "$(cat config)" OLD
	assert_only . config
}

@test "--stdin without COMMAND, like sponge, for both forms" {
	printf 'b\na\n' > f
	sort f | ct named-file --stdin -o f
	assert_equal "$(cat f)" "a
b"
	printf 'x\n' | ct file --stdin -o g
	assert_equal "$(cat g)" x
	assert_only . f g
}

@test "COMMAND fails or dies: FILE untouched, status or signal passed back, temporary gone" {
	echo keep > f
	run ct named-file -o f -- sh -c 'echo partial > {}; exit 4'
	assert_failure 4
	run ct file -o f -- sh -c 'echo partial >&3; exit 5'
	assert_failure 5
	run how_it_ends "$CTEMPFILE_BIN" named-file -o f -- sh -c 'echo partial > {}; kill -TERM $$'
	assert_output "signal 15"
	assert_equal "$(cat f)" keep
	assert_only . f
}

@test "-K keeps the temporary of a failed COMMAND and names it, FILE untouched" {
	echo keep > f
	run --separate-stderr ct named-file -K -o f -- sh -c 'echo partial > {}; exit 4'
	assert_failure 4
	[[ "$stderr" =~ ^"ctempfile: COMMAND failed; kept '$WORK/.f."$PY_RAND{8}"'"$ ]] || fail "stderr: $stderr"
	run --separate-stderr ct file -K -o f -- sh -c 'echo partial2 >&3; exit 4'
	assert_failure 4
	[[ "$stderr" =~ ^"ctempfile: COMMAND failed; kept '$WORK/.f."$PY_RAND{8}"'"$ ]] || fail "stderr: $stderr"
	assert_equal "$(cat f)" keep
	assert_equal "$(cat .f.* | sort | tr '\n' ' ')" "partial partial2 "
}

@test "the mode: FILE's, 0666 less the umask for a new FILE, -m exactly" {
	echo a > f
	chmod 640 f
	ct named-file -o f -- sh -c 'echo b > {}'
	assert_equal "$(mode_of f)" 640
	umask 022
	ct named-file -o new1 -- sh -c 'echo b > {}'
	assert_equal "$(mode_of new1)" 644
	umask 077
	ct file -o new2 -- sh -c 'echo b >&3'
	assert_equal "$(mode_of new2)" 600
	ct named-file -m 604 -o f -- sh -c 'echo c > {}'
	assert_equal "$(mode_of f)" 604
}

@test "the owner and group are kept where permitted" {
	require_root
	echo a > f
	chown 65534:65534 f
	chmod 664 f
	ct named-file -o f -- sh -c 'echo b > {}'
	assert_equal "$(stat -c '%u:%g %a' f)" "65534:65534 664"
	assert_equal "$(cat f)" b
}

@test "a symbolic link: its final target is replaced, the links stay" {
	mkdir real
	echo old > real/target
	ln -s real/target link1
	ln -s link1 link2
	ct named-file -o link2 -- sh -c 'echo new > {}'
	assert [ -L link1 ]
	assert [ -L link2 ]
	assert_equal "$(cat real/target)" new
	assert_only real target
	# A dangling link: the file is made where it points.
	ln -s real/fresh dangling
	ct file -o dangling -- sh -c 'echo made >&3'
	assert_equal "$(cat real/fresh)" made
	assert [ -L dangling ]
}

@test "hard links: FILE gets the new content, other links keep the old (as sed -i)" {
	echo old > f
	ln f other
	ct named-file -o f -- sh -c 'echo new > {}'
	assert_equal "$(cat f)" new
	assert_equal "$(cat other)" old
}

@test "refused before COMMAND starts: a directory, a missing or unwritable directory" {
	mkdir d
	run --separate-stderr ct named-file -o d -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot write to 'd': Is a directory"
	run --separate-stderr ct named-file -o no/such/f -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot create '$WORK/no/such/.f.XXXXXXXX': No such file or directory"
	run --separate-stderr bash -c 'printf x | "$1" named-file --stdin -o d' _ "$CTEMPFILE_BIN"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot write to 'd': Is a directory"
	assert_file_not_exists ran
	shared_dir
	mkdir "$SHARED/closed"
	chmod 755 "$SHARED/closed"
	echo keep > "$SHARED/closed/f"
	run --separate-stderr as_user "$CTEMPFILE_BIN" named-file -o "$SHARED/closed/f" -- touch "$SHARED/ran"
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot create '$SHARED/closed/.f.XXXXXXXX': Permission denied"
	assert_file_not_exists "$SHARED/ran"
	assert_equal "$(cat "$SHARED/closed/f")" keep
}

@test "refused combinations, 1 or 125" {
	local o
	for o in "-n 2" -u -k "--pid=$$" --memory "-p $WORK"; do
		# shellcheck disable=SC2086
		run --separate-stderr ct named-file $o -o f -- touch ran
		[ "$o" != --memory ] || continue
		assert_failure 125
		assert_equal "$stderr" "ctempfile: --output cannot be used with --$(case $o in -n*) echo count;; -u) echo dry-run;; -k) echo keep;; --pid*) echo pid;; -p*) echo dir;; esac)"
	done
	run --separate-stderr ct file --memory -o f -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --output cannot be used with --memory"
	run --separate-stderr ct named-file -o f
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --output needs a COMMAND or --stdin"
	# directory -o replaces a directory (replace.bats), never a file.
	echo data > f
	run --separate-stderr ct directory -o f -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot replace 'f': Not a directory"
	rm f
	run --separate-stderr ct named-file --no-sync -- touch ran
	assert_failure 125
	assert_equal "$stderr" "ctempfile: --no-sync applies only with --output"
	assert_file_not_exists ran
	assert_only .
}

@test "the replace step fails (an immutable FILE): untouched, temporary removed, 125" {
	require_root
	echo keep > f
	chattr +i f || skip "no immutable files here"
	run --separate-stderr ct named-file -o f -- sh -c 'echo new > {}'
	chattr -i f
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot replace 'f': Operation not permitted"
	assert_equal "$(cat f)" keep
	assert_only . f
}

@test "no space for --stdin: FILE untouched, nothing left, 1" {
	small_tmpfs "$WORK/small" size=64k
	echo keep > small/f
	run --separate-stderr ct named-file --stdin -o small/f < <(head -c 1000000 /dev/zero)
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot write the temporary file: No space left on device"
	assert_equal "$(cat small/f)" keep
	assert_only small f
	run --separate-stderr ct file --stdin -o small/f < <(head -c 1000000 /dev/zero)
	assert_failure 1
	assert_only small f
}

@test "durable: two flushes, none with --no-sync" {
	command -v strace >/dev/null || skip "strace is not installed"
	# LeakSanitizer cannot work under ptrace; the rest of ASan can.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	run strace -f -e trace=fsync,fdatasync "$CTEMPFILE_BIN" named-file -o f -- sh -c 'echo a > {}'
	assert_success
	assert_equal "$(grep -c '^\(\[pid  *[0-9]*\] \)\?fsync(' <<< "$output")" 2
	run strace -f -e trace=fsync,fdatasync "$CTEMPFILE_BIN" file -o f -- sh -c 'echo a >&3'
	assert_equal "$(grep -c '^\(\[pid  *[0-9]*\] \)\?fsync(' <<< "$output")" 2
	run strace -f -e trace=fsync,fdatasync "$CTEMPFILE_BIN" named-file --no-sync -o f -- sh -c 'echo a > {}'
	assert_success
	assert_equal "$(grep -c 'fsync(' <<< "$output")" 0
	assert_only . f
}

@test "O_TMPFILE refused: file -o falls back to a named temporary" {
	echo old > f
	run "$REFUSE" o_tmpfile "$CTEMPFILE_BIN" file -o f -- sh -c 'echo new >&3'
	assert_success
	assert_equal "$(cat f)" new
	assert_only . f
}

@test "atomic: a reader never sees anything but a whole version; two writers leave one" {
	python3 -c 'open("f", "w").write("A" * 100000)'
	# The reader checks every version it reads: one letter, and the
	# length that letter is written with.
	python3 -c '
import os, sys, time
lengths = {"A": 100000, "B": 200000, "C": 300000, "D": 400000}
seen = set()
end = time.time() + 60
while not os.path.exists("stop") and time.time() < end:
    with open("f") as fh:
        data = fh.read()
    if len(set(data)) != 1 or lengths.get(data[:1]) != len(data):
        print("torn:", len(data), sorted(set(data)))
        sys.exit(1)
    seen.add(data[:1])
print("whole", len(seen))
' > seen 3>&- &
	local reader=$! i
	BG_PIDS+=("$reader")
	for i in $(seq 50); do
		ct named-file --no-sync -o f -- python3 -c 'import sys; open(sys.argv[1], "w").write("B" * 200000)' {}
		ct file --no-sync -o f -- python3 -c 'import os; os.write(3, b"A" * 100000)'
	done
	# Two writers at once.
	ct named-file -o f -- python3 -c 'import sys; open(sys.argv[1], "w").write("C" * 300000)' {} 3>&- &
	local other=$!
	ct named-file -o f -- python3 -c 'import sys; open(sys.argv[1], "w").write("D" * 400000)' {}
	wait "$other"
	touch stop
	wait "$reader"
	run cat seen
	assert_output --regexp "^whole [2-4]$"
	run python3 -c 'd = open("f").read(); print(d[:1], len(d), len(set(d)))'
	assert_output --regexp "^(C 300000|D 400000) 1$"
	rm stop seen
	assert_only . f
}

@test "--help lists --output for each form as it takes it, --allow-empty for files only" {
	run ct named-file --help
	assert_line --regexp "^  -o, --output=FILE +on success, replace FILE with it, atomically$"
	assert_line --regexp "^      --no-sync +with --output: do not flush it to stable storage$"
	assert_line --regexp "^      --allow-empty +with --stdin and -o: let empty input replace FILE$"
	run ct file --help
	assert_line --regexp "^  -o, --output=FILE "
	assert_line --regexp "^      --allow-empty "
	run ct directory --help
	assert_line --regexp "^  -o, --output=DIR +on success, replace DIR with it, atomically$"
	assert_line --regexp "^      --no-sync +with --output: do not flush it to stable storage$"
	refute_line --partial "--allow-empty"
}
