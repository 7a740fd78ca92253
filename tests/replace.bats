#!/usr/bin/env bats
# directory -o DIR: the tree COMMAND builds beside DIR takes its place in
# one step (RENAME_EXCHANGE), the old tree is removed; DIR is untouched
# whenever anything fails before that.  After every test the parent holds
# DIR (and what the test made) and no temporary.

load helper

teardown() {
	kill_ours
	common_teardown
}

# No temporary of directory -o left in directory $1 (default .).
assert_no_temporary() {
	local left
	left=$(find "${1:-.}" -mindepth 1 -maxdepth 1 -name '.*.*' -print)
	[ -z "$left" ] || fail "temporaries left: $left"
}

# A tree in directory $1 whose two files carry the stamp $2.
make_tree() {
	mkdir -p "$1/sub"
	echo "$2" > "$1/a"
	echo "$2" > "$1/sub/b"
}

@test "COMMAND builds the new tree in the temporary; it replaces DIR, the old tree goes" {
	make_tree site 1
	touch site/old-only
	run --separate-stderr ct directory -o site -- sh -c 'cp -a site/. {} && rm {}/old-only && echo 2 > {}/a && echo 2 > {}/sub/b'
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(cat site/a site/sub/b)" "2
2"
	assert_file_not_exists site/old-only
	assert_only . site
}

@test "{}, \$CTEMPFILE and --cd are the temporary beside DIR, never DIR" {
	make_tree site 1
	run ct directory -o site --cd -- sh -c 'echo "$PWD|$CTEMPFILE|$1"; touch here' _ {}
	assert_success
	local pwd env arg
	IFS='|' read -r pwd env arg <<< "$output"
	[[ "$pwd" =~ ^"$WORK/.site."$PY_RAND{8}$ ]] || fail "cwd: $pwd"
	assert_equal "$env" "$pwd"
	assert_equal "$arg" "$pwd"
	assert_file_exists site/here
	assert_file_not_exists site/a
	assert_only . site
}

@test "the new top takes DIR's mode; a new DIR is made with 0777 less the umask; -m exactly" {
	make_tree site 1
	chmod 0751 site
	run ct directory -o site -- true
	assert_success
	assert_equal "$(mode_of site)" 751
	umask 027
	run ct directory -o fresh -- sh -c 'echo 1 > {}/a'
	assert_success
	assert_equal "$(mode_of fresh)" 750
	assert_equal "$(cat fresh/a)" 1
	run ct directory -m 0700 -o site -- true
	assert_success
	assert_equal "$(mode_of site)" 700
	assert_only . site fresh
}

@test "root: the new top takes DIR's owner and group" {
	require_root
	make_tree site 1
	chown 65534:65534 site
	chmod 0750 site
	run ct directory -o site -- sh -c 'echo 2 > {}/a'
	assert_success
	assert_equal "$(stat -c '%u:%g %a' site)" "65534:65534 750"
	assert_equal "$(cat site/a)" 2
	assert_only . site
}

@test "every file and directory of the new tree is flushed, then the parent; none with --no-sync" {
	command -v strace >/dev/null || skip "strace is not installed"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	make_tree site 1
	# Three files and two directories under the top, a link and a FIFO
	# that are not opened.
	local build='mkdir -p {}/d/e && touch {}/f {}/d/g {}/d/e/h && ln -s /dev/zero {}/l && mkfifo {}/p'
	strace -f -o trace -e trace=fsync,syncfs,openat "$CTEMPFILE_BIN" directory -o site -- sh -c "$build"
	assert_equal "$(grep -c 'fsync(' trace)" 7
	refute grep -q 'syncfs(' trace
	refute grep -qE 'openat\(.*"(l|p)"' trace
	assert [ -p site/p ]
	strace -f -o trace -e trace=fsync,syncfs "$CTEMPFILE_BIN" directory --no-sync -o site -- sh -c "$build"
	refute grep -qE 'fsync\(|syncfs\(' trace
	rm trace
	assert_only . site
}

@test "DIR through a symbolic link: the directory it names is replaced, the link stays" {
	mkdir real
	make_tree real/site 1
	ln -s real/site link
	run ct directory -o link -- sh -c 'case {} in '"$WORK"'/real/.site.*) ;; *) exit 9;; esac; echo 2 > {}/a'
	assert_success
	assert [ -L link ]
	assert_equal "$(readlink link)" real/site
	assert_equal "$(cat real/site/a)" 2
	assert_only . real link
	assert_only real site
}

@test "DIR with a trailing slash is DIR" {
	make_tree site 1
	run ct directory -o site/ -- sh -c 'echo 2 > {}/a'
	assert_success
	assert_equal "$(cat site/a)" 2
	assert_only . site
}

# --- Refused before COMMAND runs ---------------------------------------------

@test "refused before COMMAND runs: not a directory, a name of no parent, a missing parent" {
	echo data > file
	mkfifo fifo
	ln -s nowhere/at/all dangling
	local d
	for d in file fifo . .. / missing/sub; do
		run --separate-stderr ct directory -o "$d" -- touch "$WORK/ran"
		assert_failure 125
		assert_file_not_exists ran
		assert_equal "$(wc -l <<< "$stderr")" 1
	done
	run --separate-stderr ct directory -o file -- touch "$WORK/ran"
	assert_equal "$stderr" "ctempfile: cannot replace 'file': Not a directory"
	run --separate-stderr ct directory -o missing/sub -- touch "$WORK/ran"
	[[ "$stderr" =~ ^"ctempfile: cannot create '$WORK/missing/.sub."X{8}"': No such file or directory"$ ]] || fail "stderr: $stderr"
	run --separate-stderr ct directory -o dangling -- touch "$WORK/ran"
	assert_failure 125
	assert_file_not_exists ran
	assert_equal "$(cat file)" data
	assert_only . file fifo dangling
}

@test "refused before COMMAND runs: with --pid, --count, --dry-run, --keep, --dir, --memory, or no COMMAND" {
	make_tree site 1
	local opt
	for opt in --pid=$$ --count=2 --dry-run --keep "--dir=$WORK" --memory; do
		# shellcheck disable=SC2086
		run --separate-stderr ct directory -o site $opt -- touch "$WORK/ran"
		assert_failure 125
		assert_file_not_exists ran
		assert_equal "$(wc -l <<< "$stderr")" 1
	done
	run --separate-stderr ct directory -o site --keep -- touch "$WORK/ran"
	assert_equal "$stderr" "ctempfile: --output cannot be used with --keep"
	run --separate-stderr ct directory -o site
	assert_failure 1
	assert_equal "$stderr" "ctempfile: --output needs a COMMAND"
	assert_equal "$(cat site/a)" 1
	assert_only . site
}

@test "refused before COMMAND runs: DIR is a mount point; its parent is not writable" {
	require_root
	make_tree site 1
	mkdir mnt
	small_tmpfs "$WORK/mnt" size=1m
	touch mnt/inside
	run --separate-stderr ct directory -o mnt -- touch "$WORK/ran"
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot replace 'mnt': it is a mount point"
	assert_file_exists mnt/inside
	umount mnt
	shared_dir
	mkdir "$SHARED/site"
	chmod 755 "$SHARED"
	run --separate-stderr as_user "$CTEMPFILE_BIN" directory -o "$SHARED/site" -- touch "$SHARED/ran"
	assert_failure 125
	[[ "$stderr" =~ ^"ctempfile: cannot create '$SHARED/.site."X{8}"': Permission denied"$ ]] || fail "stderr: $stderr"
	assert_only "$SHARED" site
	assert_file_not_exists ran
}

# --- COMMAND fails; the exchange fails; the old tree stays -------------------

@test "COMMAND fails or is killed: DIR untouched, temporary removed, status or signal passed back" {
	make_tree site 1
	run ct directory -o site -- sh -c 'echo 2 > {}/a; exit 4'
	assert_failure 4
	run how_it_ends "$CTEMPFILE_BIN" directory -o site -- sh -c 'echo 2 > {}/a; kill -TERM $$'
	assert_output "signal 15"
	assert_equal "$(cat site/a site/sub/b)" "1
1"
	assert_only . site
}

@test "COMMAND leaves a link, a file or a FIFO at the temporary's name: DIR untouched, that removed unfollowed, 125" {
	make_tree site 1
	mkdir outside
	touch outside/keep
	local c
	for c in 'ln -s "$1" {}' 'echo x > {}' 'mkfifo {}'; do
		run --separate-stderr ct directory -o site -- sh -c "rm -rf {} && $c" _ "$WORK/outside"
		assert_failure 125
		[[ "$stderr" =~ ^"ctempfile: cannot replace 'site' with '$WORK/.site."$PY_RAND{8}"': Not a directory"$ ]] || fail "stderr: $stderr"
		assert_equal "$(cat site/a)" 1
		assert_only . site outside
	done
	assert_only outside keep
}

@test "-K keeps the temporary of a failed COMMAND and names it, DIR untouched" {
	make_tree site 1
	run --separate-stderr ct directory -K -o site -- sh -c 'echo 2 > {}/a; exit 4'
	assert_failure 4
	[[ "$stderr" =~ ^"ctempfile: COMMAND failed; kept '$WORK/.site."$PY_RAND{8}"'"$ ]] || fail "stderr: $stderr"
	assert_equal "$(cat site/a)" 1
	assert_equal "$(cat .site.*/a)" 2
	rm -rf .site.*
}

@test "the exchange fails (the parent made immutable while COMMAND runs): DIR untouched, 125" {
	require_root
	mkdir parent
	make_tree parent/site 1
	run --separate-stderr ct directory -o parent/site -- sh -c 'echo 2 > {}/a && chattr +i "$1"' _ "$WORK/parent"
	local code=$status
	chattr -i parent 2>/dev/null || true
	[ "$code" -ne 0 ] || skip "no immutable directories here"
	assert_equal "$code" 125
	assert_equal "$(sed -n 1p <<< "$stderr")" "ctempfile: cannot replace 'parent/site': Operation not permitted"
	# The temporary could not be removed either, from an immutable parent:
	# it is named, and goes once the parent can be written again.
	[[ "$(sed -n 2p <<< "$stderr")" =~ ^"ctempfile: cannot remove '$WORK/parent/.site."$PY_RAND{8}"'" ]] || fail "stderr: $stderr"
	assert_equal "$(cat parent/site/a)" 1
	rm -rf parent/.site.*
	assert_only parent site
}

@test "a file system without RENAME_EXCHANGE (FUSE without rename2): named, DIR untouched, nothing left, 125" {
	require_root
	command -v bindfs >/dev/null || skip "bindfs is not installed"
	mkdir src fs
	bindfs src fs 2>/dev/null || skip "cannot mount a FUSE file system here"
	MOUNTS+=("$WORK/fs")
	make_tree fs/site 1
	run --separate-stderr ct directory -o fs/site -- sh -c 'echo 2 > {}/a'
	assert_failure 125
	assert_equal "$stderr" "ctempfile: cannot replace 'fs/site': its file system (fuse) cannot exchange two names in one step (RENAME_EXCHANGE)"
	assert_equal "$(cat fs/site/a)" 1
	assert_only fs site
	# A new DIR needs no exchange: a plain rename makes it.
	run ct directory -o fs/fresh -- sh -c 'echo 1 > {}/a'
	assert_success
	assert_equal "$(cat fs/fresh/a)" 1
	assert_only fs site fresh
}

@test "an old tree that cannot be fully removed: DIR is new, what stays is named, 125" {
	require_root
	make_tree site 1
	touch site/sub/stuck
	chattr +i site/sub/stuck || skip "no immutable files here"
	run --separate-stderr ct directory -o site -- sh -c 'echo 2 > {}/a'
	local code=$status
	local old
	old=$(find . -maxdepth 1 -name '.site.*')
	[ -n "$old" ] && chattr -i "$old/sub/stuck"
	assert_equal "$code" 125
	assert_equal "$(cat site/a)" 2
	[[ "$stderr" =~ "cannot remove '$WORK/.site."$PY_RAND{8}"/sub/stuck': Operation not permitted" ]] || fail "stderr: $stderr"
	rm -rf "$old"
	assert_only . site
}

@test "five descriptors in all: no guardian, said, and still nothing left" {
	make_tree site 1
	run --separate-stderr with_fd_limit 5 "$CTEMPFILE_BIN" directory -o site -- sh -c 'mkdir -p {}/a/b/c/d && touch {}/a/b/c/d/f'
	assert_success
	[[ "$stderr" =~ ^"ctempfile: no guardian for '$WORK/.site."$PY_RAND{8}"': Too many open files"$ ]] || fail "stderr: $stderr"
	assert_file_exists site/a/b/c/d/f
	assert_file_not_exists site/sub
	run with_fd_limit 5 "$CTEMPFILE_BIN" directory -o site -- sh -c 'mkdir -p {}/x/y && false'
	assert_failure 1
	assert_only . site
}

# --- Readers, concurrent runs, a killed ctempfile ----------------------------

@test "a reader resolving DIR during 50 replacements never finds it missing or mixed" {
	make_tree site 0
	python3 -c '
import os, sys, time
stop, seen, mixed, missing = sys.argv[1], 0, 0, 0
while not os.path.exists(stop):
    try:
        fd = os.open("site", os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        missing += 1
        continue
    try:
        a = open("a", opener=lambda p, f: os.open(p, f, dir_fd=fd)).read()
        b = open("sub/b", opener=lambda p, f: os.open(p, f, dir_fd=fd)).read()
    except FileNotFoundError:
        continue  # the old tree, being removed after the exchange
    finally:
        os.close(fd)
    seen += 1
    mixed += a != b
print(seen, mixed, missing)
' "$WORK/stop" > reader.out &
	local reader=$!
	BG_PIDS+=("$reader")
	local i
	for i in $(seq 1 50); do
		ct directory --no-sync -o site -- sh -c 'mkdir {}/sub && echo "$1" > {}/a && echo "$1" > {}/sub/b' _ "$i"
	done
	touch stop
	wait "$reader"
	local seen mixed missing
	read -r seen mixed missing < reader.out
	[ "$seen" -gt 50 ] || fail "the reader saw only $seen trees"
	assert_equal "$mixed $missing" "0 0"
	assert_equal "$(cat site/a site/sub/b)" "50
50"
	assert_only . site stop reader.out
}

@test "two runs replacing the same DIR at once: always one whole tree, nothing left" {
	local r pids=()
	for r in 1 2; do
		(for i in $(seq 20); do
			"$CTEMPFILE_BIN" directory --no-sync -o site -- sh -c 'mkdir {}/sub && echo "$1" > {}/a && echo "$1" > {}/sub/b' _ "$r.$i" || exit 1
		done) &
		pids+=($!)
		BG_PIDS+=($!)
	done
	for r in "${pids[@]}"; do
		wait "$r"
	done
	local a b
	a=$(cat site/a)
	b=$(cat site/sub/b)
	assert_equal "$a" "$b"
	[[ "$a" =~ ^[12]\.20$ ]] || fail "the last tree: $a"
	assert_only . site
}

# Run directory -o site as uid $1 (or the caller, if empty) under strace,
# every unlinkat held 3 seconds once the exchange is done, in the
# background: ctempfile's pid in CT_PID.  Waits until the old tree's
# removal has begun.
start_held_removal() {
	command -v strace >/dev/null || skip "strace is not installed"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	local who=()
	[ -z "$1" ] || who=(setpriv --reuid="$1" --regid="$1" --clear-groups --)
	"${who[@]}" strace -f -o "$TRACE" -e trace=renameat2,unlinkat \
		-e inject=unlinkat:delay_enter=3000000 \
		"$CTEMPFILE_BIN" directory --no-sync -o "$2/site" -- sh -c 'echo 2 > {}/a' 3>&- &
	TRACER=$!
	BG_PIDS+=("$TRACER")
	local i
	for i in $(seq 100); do
		grep -q 'unlinkat' "$TRACE" 2>/dev/null && break
		sleep 0.05
	done
	grep -q 'RENAME_EXCHANGE' "$TRACE" || fail "no exchange: $(cat "$TRACE")"
	CT_PID=$(pgrep -P "$TRACER" -x ctempfile)
	BG_PIDS+=("$CT_PID")
}

@test "ctempfile killed while the old tree is removed: the guardian removes it, DIR is new" {
	make_tree site 1
	touch site/x site/y site/z
	TRACE="$BATS_TEST_TMPDIR/trace"
	start_held_removal "" "$WORK"
	kill -KILL "$CT_PID"
	wait "$TRACER" || true
	local i
	for i in $(seq 100); do
		[ -z "$(find . -maxdepth 1 -name '.site.*')" ] && break
		sleep 0.05
	done
	assert_equal "$(cat site/a)" 2
	assert_file_not_exists site/x
	assert_only . site
}

@test "as uid 65534 too" {
	require_root
	shared_dir
	make_tree "$SHARED/site" 1
	touch "$SHARED/site/x" "$SHARED/site/y"
	chown -R 65534:65534 "$SHARED"
	TRACE="$SHARED/trace"
	start_held_removal 65534 "$SHARED"
	kill -KILL "$CT_PID"
	wait "$TRACER" || true
	local i
	for i in $(seq 100); do
		[ -z "$(find "$SHARED" -maxdepth 1 -name '.site.*')" ] && break
		sleep 0.05
	done
	assert_equal "$(cat "$SHARED/site/a")" 2
	assert_equal "$(stat -c %u "$SHARED/site")" 65534
	assert_only "$SHARED" site trace
}
