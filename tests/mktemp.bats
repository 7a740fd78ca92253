#!/usr/bin/env bats
# The mktemp form: GNU coreutils mktemp, message for message.

load helper

# getopt's complaints and the pointer to --help name the program as it was
# invoked (GNU 9.5 and later); every other diagnostic its last component.
try_help="Try '$CTEMPFILE_BIN --help' for more information."

# --- GNU coreutils' own mktemp cases ---------------------------------------

@test "too many templates" {
	run --separate-stderr ct -q a b
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too many templates
$try_help"
	assert_output ""
	assert_dir_empty .
}

@test "too few X's" {
	run --separate-stderr ct -q foo.XX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too few X's in template 'foo.XX'"
	assert_dir_empty .
}

@test "a file from a template, mode 0600" {
	run --separate-stderr ct bar.XXXX
	assert_success
	assert_output --regexp "^bar\.$GNU_RAND{4}$"
	assert_file_exists "$output"
	[ -f "$output" ] && [ ! -L "$output" ]
	assert_equal "$(mode_of "$output")" 600
	assert_equal "$stderr" ""
}

@test "a template after -- may begin with a dash" {
	run ct -- -XXXX
	assert_success
	assert_output --regexp "^-$GNU_RAND{4}$"
	assert_file_exists "./$output"
}

@test "a directory, mode 0700" {
	run ct -d f.XXXX
	assert_success
	assert_output --regexp "^f\.$GNU_RAND{4}$"
	assert_dir_exists "$output"
	assert_equal "$(mode_of "$output")" 700
}

@test "a template of X's alone, beside a directory of that name" {
	mkdir XXXX
	run ct -d XXXX
	assert_success
	assert_output --regexp "^$GNU_RAND{4}$"
	assert_dir_exists "$output"
	assert_dir_exists XXXX
}

@test "-u prints a name and creates nothing" {
	run ct -u f.XXXX
	assert_success
	assert_output --regexp "^f\.$GNU_RAND{4}$"
	assert_dir_empty .
}

@test "-d --dry-run creates no directory" {
	run ct -d --dry-run d.XXXX
	assert_success
	assert_output --regexp "^d\.$GNU_RAND{4}$"
	assert_dir_empty .
}

@test "-t: a template with a slash" {
	run --separate-stderr ct -t a/bXXXX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: invalid template, 'a/bXXXX', contains directory separator"
	assert_dir_empty .
	assert_dir_empty "$TMPDIR"
}

@test "--tmpdir: an absolute template" {
	run --separate-stderr ct --tmpdir=a /bXXXX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: invalid template, '/bXXXX'; with --tmpdir, it may not be absolute"
}

@test "what follows the last X is the suffix" {
	run ct aXXXXb
	assert_success
	assert_output --regexp "^a$GNU_RAND{4}b$"
	assert_file_exists "$output"
	run ct -d aXXXXb
	assert_output --regexp "^a$GNU_RAND{4}b$"
	assert_dir_exists "$output"
	run ct -u aXXXXb
	assert_output --regexp "^a$GNU_RAND{4}b$"
	assert_file_not_exists "$output"
}

@test "only the last run of X's is replaced" {
	run ct aXXXXaaXXXXa
	assert_output --regexp "^aXXXXaa$GNU_RAND{4}a$"
	assert_file_exists "$output"
	run ct -d --suffix= aXXXXaaXXXX
	assert_output --regexp "^aXXXXaa$GNU_RAND{4}$"
	assert_dir_exists "$output"
}

@test "--suffix is appended" {
	run ct --suffix=b aXXXX
	assert_output --regexp "^a$GNU_RAND{4}b$"
	assert_file_exists "$output"
	run ct --suffix=X aXXXX
	assert_output --regexp "^a$GNU_RAND{4}X$"
	assert_file_exists "$output"
}

@test "a suffix with a slash" {
	run --separate-stderr ct --suffix /b aXXXX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: invalid suffix '/b', contains directory separator"
	run --separate-stderr ct aXXXX/b
	assert_failure 1
	assert_equal "$stderr" "ctempfile: invalid suffix '/b', contains directory separator"
	run --separate-stderr ct -d aXXX//
	assert_equal "$stderr" "ctempfile: invalid suffix '//', contains directory separator"
	assert_dir_empty .
}

@test "a suffix of trailing slashes after other text is allowed, as GNU" {
	run ct -d aXXXb/
	assert_success
	assert_output --regexp "^a$GNU_RAND{3}b/$"
	assert_dir_exists "$output"
	run --separate-stderr ct aXXXb/
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template 'aXXXb/': Is a directory"
}

@test "with --suffix the template must end in X" {
	run --separate-stderr ct --suffix= aXXXXb
	assert_failure 1
	assert_equal "$stderr" "ctempfile: with --suffix, template 'aXXXXb' must end in X"
	run --separate-stderr ct -d --suffix=aXXXXb ""
	assert_failure 1
	assert_equal "$stderr" "ctempfile: with --suffix, template '' must end in X"
}

@test "options may follow the template" {
	run ct aXXXX --suffix=b
	assert_output --regexp "^a$GNU_RAND{4}b$"
	run ct aXXXX -d
	assert_dir_exists "$output"
}

@test "POSIXLY_CORRECT: options may not follow the template" {
	POSIXLY_CORRECT=1 run --separate-stderr ct aXXXX --suffix=b
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too many templates
$try_help"
	assert_dir_empty .
}

@test "too few X's before a suffix" {
	run --separate-stderr ct aXXb
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too few X's in template 'aXXb'"
	# without the suffix, as coreutils 9.5 and later quote it
	run --separate-stderr ct -d --suffix=X aXX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too few X's in template 'aXX'"
	run --separate-stderr ct --suffix suf tempX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too few X's in template 'tempX'"
	assert_dir_empty .
}

@test "no template: tmp.XXXXXXXXXX in \$TMPDIR, with --suffix" {
	TMPDIR=. run ct --suffix=.txt
	assert_success
	assert_output --regexp "^\./tmp\.$GNU_RAND{10}\.txt$"
	assert_file_exists "$output"
}

@test "--tmpdir with a template in a subdirectory" {
	mkdir a
	run ct --tmpdir=. a/bXXXX
	assert_success
	assert_output --regexp "^\./a/b$GNU_RAND{4}$"
	assert_file_exists "$output"
}

@test "a \$TMPDIR that does not exist" {
	TMPDIR=no/such/dir run --separate-stderr ct
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template 'no/such/dir/tmp.XXXXXXXXXX': No such file or directory"
	assert_output ""
	TMPDIR=no/such/dir run ct -u
	assert_success
	assert_output --regexp "^no/such/dir/tmp\.$GNU_RAND{10}$"
}

# --- Directory choice -------------------------------------------------------

@test "no template: \$TMPDIR, else /tmp" {
	run ct
	assert_output --regexp "^$TMPDIR/tmp\.$GNU_RAND{10}$"
	assert_file_exists "$output"
	TMPDIR= run ct -u
	assert_output --regexp "^/tmp/tmp\.$GNU_RAND{10}$"
	unset TMPDIR
	run ct -u
	assert_output --regexp "^/tmp/tmp\.$GNU_RAND{10}$"
}

@test "a template alone is relative to the current directory" {
	run ct xXXX
	assert_output --regexp "^x$GNU_RAND{3}$"
	assert_file_exists "$WORK/$output"
	assert_dir_empty "$TMPDIR"
}

@test "-p DIR and --tmpdir=DIR beat \$TMPDIR; empty or absent values do not" {
	mkdir d
	run ct -p d xXXX
	assert_output --regexp "^d/x$GNU_RAND{3}$"
	run ct --tmpdir=d xXXX
	assert_output --regexp "^d/x$GNU_RAND{3}$"
	run ct --tmpdir xXXX
	assert_output --regexp "^$TMPDIR/x$GNU_RAND{3}$"
	run ct -p "" xXXX
	assert_output --regexp "^$TMPDIR/x$GNU_RAND{3}$"
	TMPDIR= run ct -u -p "" xXXX
	assert_output --regexp "^/tmp/x$GNU_RAND{3}$"
}

@test "-t: a non-empty \$TMPDIR beats -p" {
	mkdir d
	run ct -t -p d xXXX
	assert_output --regexp "^$TMPDIR/x$GNU_RAND{3}$"
	assert_file_exists "$output"
	TMPDIR= run ct -t -p d xXXX
	assert_output --regexp "^d/x$GNU_RAND{3}$"
	TMPDIR= run ct -u -t xXXX
	assert_output --regexp "^/tmp/x$GNU_RAND{3}$"
	run ct -p d -t
	assert_output --regexp "^$TMPDIR/tmp\.$GNU_RAND{10}$"
}

@test "the directory is joined as GNU joins it" {
	mkdir -p x/y
	TMPDIR=x/y/ run ct -u
	assert_output --regexp "^x/y/tmp\.$GNU_RAND{10}$"
	TMPDIR=x//y// run ct -u
	assert_output --regexp "^x//y/tmp\.$GNU_RAND{10}$"
	TMPDIR=/ run ct -u
	assert_output --regexp "^/tmp\.$GNU_RAND{10}$"
	TMPDIR=// run ct -u
	assert_output --regexp "^//tmp\.$GNU_RAND{10}$"
	TMPDIR=. run ct -u
	assert_output --regexp "^\./tmp\.$GNU_RAND{10}$"
	TMPDIR=x//y// run ct
	assert_file_exists "$output"
}

# --- Names ------------------------------------------------------------------

@test "any number of X's: all of the final run are replaced" {
	run ct -u "$(printf 'X%.0s' {1..60})"
	assert_success
	assert_output --regexp "^$GNU_RAND{60}$"
	[[ "$output" != *XXXXXXXXXX* ]]
	run ct -u XXXaXXX
	assert_output --regexp "^XXXa$GNU_RAND{3}$"
}

@test "names are drawn from [A-Za-z0-9], all of it" {
	run ct -u -n 2000 XXXXXXXXXX
	assert_success
	local all
	all=$(printf '%s' "$output" | fold -w1 | sort -u | tr -d '\n')
	assert_equal "$all" "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
}

@test "every character is equally likely: no modulo bias" {
	# 62 does not divide 256: a byte taken modulo 62 would make 8 of the
	# characters 25% likelier.  Over 400000 draws a fair alphabet keeps
	# every count within a few percent of the others.
	ct -u -n 10000 -p . "$(printf 'X%.0s' {1..40})" | char_spread > ../spread
	read -r chars ratio < ../spread
	assert_equal "$chars" 62
	awk -v r="$ratio" 'BEGIN { exit !(r < 1.10) }' || fail "max/min $ratio"
}

# --- Diagnostics ------------------------------------------------------------

@test "names in diagnostics are quoted in the C style (more in locale.bats)" {
	run --separate-stderr ct "a'b"
	assert_equal "$stderr" "ctempfile: too few X's in template 'a\\'b'"
	run --separate-stderr ct $'a\nb'
	assert_equal "$stderr" "ctempfile: too few X's in template 'a\\nb'"
	run --separate-stderr ct $'x\t\a\b\f\r\v\\"y\x7f\x01?'
	assert_equal "$stderr" "ctempfile: too few X's in template 'x\\t\\a\\b\\f\\r\\v\\\\\"y\\177\\001?'"
}

@test "bad options: getopt's messages, then a pointer to --help" {
	run --separate-stderr ct -k
	assert_failure 1
	assert_equal "$stderr" "$CTEMPFILE_BIN: invalid option -- 'k'
$try_help"
	run --separate-stderr ct --foo
	assert_failure 1
	assert_equal "$stderr" "$CTEMPFILE_BIN: unrecognized option '--foo'
$try_help"
	run --separate-stderr ct --d
	assert_failure 1
	assert_equal "$stderr" "$CTEMPFILE_BIN: option '--d' is ambiguous; possibilities: '--directory' '--dry-run'
$try_help"
	run --separate-stderr ct --directory=3
	assert_failure 1
	assert_equal "$stderr" "$CTEMPFILE_BIN: option '--directory' doesn't allow an argument
$try_help"
	run --separate-stderr ct --suffix
	assert_equal "$stderr" "$CTEMPFILE_BIN: option '--suffix' requires an argument
$try_help"
	run --separate-stderr ct -p
	assert_failure 1
	assert_equal "$stderr" "$CTEMPFILE_BIN: option requires an argument -- 'p'
$try_help"
	assert_dir_empty .
	assert_dir_empty "$TMPDIR"
}

@test "long options may be abbreviated" {
	run ct --dir --dry xXXX
	assert_success
	assert_output --regexp "^x$GNU_RAND{3}$"
	assert_dir_empty .
	run ct --dir --suf=.d --tmp=. xXXX
	assert_output --regexp "^\./x$GNU_RAND{3}\.d$"
	assert_dir_exists "$output"
}

@test "-q silences creation failures only" {
	run --separate-stderr ct -q -p "$WORK/no"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_output ""
	run --separate-stderr ct -q -d -p "$WORK/no" -u
	assert_success
}

@test "a directory the user may not write to" {
	shared_dir
	mkdir "$SHARED/ro"
	chmod 555 "$SHARED/ro"
	run --separate-stderr as_user "$CTEMPFILE_BIN" -p "$SHARED/ro"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template '$SHARED/ro/tmp.XXXXXXXXXX': Permission denied"
	run --separate-stderr as_user "$CTEMPFILE_BIN" -d -p "$SHARED/ro" xXXX
	assert_equal "$stderr" "ctempfile: failed to create directory via template '$SHARED/ro/xXXX': Permission denied"
	assert_dir_empty "$SHARED/ro"
}

@test "-u fails on a directory that cannot be searched, -q silences it" {
	shared_dir
	mkdir "$SHARED/x"
	chmod 000 "$SHARED/x"
	run --separate-stderr as_user "$CTEMPFILE_BIN" -u -p "$SHARED/x"
	assert_failure 1
	assert_equal "$stderr" "ctempfile: failed to create file via template '$SHARED/x/tmp.XXXXXXXXXX': Permission denied"
	run --separate-stderr as_user "$CTEMPFILE_BIN" -q -u -p "$SHARED/x"
	assert_failure 1
	assert_equal "$stderr" ""
}

# --- Modes ------------------------------------------------------------------

@test "files are 0600 and directories 0700, less the umask" {
	local m
	for m in 000:600:700 022:600:700 077:600:700 027:600:700 266:400:500; do
		umask "${m%%:*}"
		run ct -p .
		assert_equal "$(mode_of "$output")" "$(echo "$m" | cut -d: -f2)"
		run ct -d -p .
		assert_equal "$(mode_of "$output")" "${m##*:}"
	done
}

@test "--mode is exact whatever the umask" {
	umask 077
	run ct -m 644 -p .
	assert_equal "$(mode_of "$output")" 644
	run ct --mode=0755 -d -p .
	assert_equal "$(mode_of "$output")" 755
	umask 000
	run ct -m 0 -p .
	assert_equal "$(mode_of "$output")" 0
	assert_equal "$(umask)" 0000
}

@test "--mode rejects what is not octal 0 to 0777" {
	local v
	for v in 888 1000 0o644 -1 "" " 644" 644x u+rw 07777; do
		run --separate-stderr ct -m "$v" -p .
		assert_failure 1
		assert_equal "$stderr" "ctempfile: invalid mode '$v': not octal 0 to 0777"
	done
	assert_dir_empty .
}

# --- Extensions: --count, --zero --------------------------------------------

@test "--count makes N names from one template" {
	run ct -n 50 -p . xXXXXX
	assert_success
	assert_equal "${#lines[@]}" 50
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" 50
	assert_equal "$(find . -type f | wc -l)" 50
	run ct -d --count=3 -p . dXXXXX
	assert_equal "$(find . -type d -name 'd*' | wc -l)" 3
}

@test "--count rejects values out of 1 to 1000000" {
	run --separate-stderr ct -n 0
	assert_failure 1
	assert_equal "$stderr" "ctempfile: invalid count '0': too small (1 to 1000000)"
	run --separate-stderr ct -n 1000001
	assert_equal "$stderr" "ctempfile: invalid count '1000001': too large (1 to 1000000)"
	run --separate-stderr ct -n 3x
	assert_equal "$stderr" "ctempfile: invalid count '3x': invalid (1 to 1000000)"
	assert_dir_empty "$TMPDIR"
}

@test "--count is all or nothing" {
	# A file system with room for three files: the fourth fails.
	small_tmpfs "$WORK/small" size=1m,nr_inodes=4
	run --separate-stderr ct -n 10 -p "$WORK/small"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "ctempfile: failed to create file via template '$WORK/small/tmp.XXXXXXXXXX': No space left on device"
	assert_dir_empty "$WORK/small"
}

@test "--zero ends names with NUL" {
	ct -z -n 2 -p . > out
	assert_equal "$(tr '\0' '\n' < out | wc -l)" 2
	assert_equal "$(tr -cd '\n' < out | wc -c)" 0
	assert_equal "$(tr -cd '\0' < out | wc -c)" 2
}

# --- Standard output that cannot take the name -------------------------------

@test "/dev/full: what was made is removed" {
	run --separate-stderr ct_out /dev/full -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
	assert_dir_empty .
	run ct_out /dev/full -d -n 5 -p .
	assert_failure 1
	assert_dir_empty .
}

@test "/dev/full with -q: removed silently" {
	run --separate-stderr ct_out /dev/full -q -p .
	assert_failure 1
	assert_equal "$stderr" ""
	assert_dir_empty .
}

@test "/dev/full with -u: the write error is reported even with -q" {
	run --separate-stderr ct_out /dev/full -q -u
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
}

@test "closed standard output: removed, status 1" {
	run --separate-stderr ct_out - -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: Bad file descriptor"
	assert_dir_empty .
	run --separate-stderr ct_out - -d -p .
	assert_failure 1
	assert_dir_empty .
}

@test "a reader that went away: removed, status 1" {
	run --separate-stderr python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.run(sys.argv[1:], stdout=w).returncode)
' "$CTEMPFILE_BIN" -n 3 -p .
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: Broken pipe"
	assert_dir_empty .
}

@test "closed standard input and error change nothing" {
	run bash -c '"$CTEMPFILE_BIN" -p . <&-'
	assert_success
	assert_file_exists "$output"
	run bash -c '"$CTEMPFILE_BIN" -p . 2>&-'
	assert_success
	assert_file_exists "$output"
	assert_equal "$(find . -type f | wc -l)" 2
}

# --- Help and version -------------------------------------------------------

require_gnu_mktemp_here() {
	mktemp --version 2>/dev/null | grep -q 'GNU coreutils' ||
		skip "GNU mktemp is not installed"
}

@test "--help: the synopsis and the subcommands, on standard output" {
	run --separate-stderr ct --help
	assert_success
	assert_line --index 0 "Usage: ctempfile [OPTION]... [TEMPLATE]"
	assert_line --partial "  -p DIR, --tmpdir[=DIR]"
	assert_line --regexp "^  named-file +"
	assert_line --regexp "^  gettempdir +"
	assert_equal "$stderr" ""
}

@test "--help: every option, descriptions in one column" {
	run --separate-stderr ct --help
	local o
	for o in -d, --directory -u, --dry-run -q, --quiet --suffix=SUFF \
		"-p DIR," "--tmpdir[=DIR]" -t -m, --mode=MODE -n, --count=N \
		-z, --zero --pid=PID --help --version; do
		[ "$(grep -cE -- "^ +(-[a-z]( DIR)?, )?$(printf '%s' "$o" |
			sed 's/[][]/\\&/g') " <<<"$output")" -ge 1 ] ||
			fail "$o is not in --help"
	done
	# option lines and their continuations start their text in column 28
	grep -E '^  -' <<<"$output" | grep -vE '^.{25}  [^ ]' &&
		fail "an option's description out of column"
	grep -E '^ {5,}[^ -]' <<<"$output" | grep -vE '^ {27}[^ ]' &&
		fail "a continuation out of column"
	true
}

@test "--help is in its own words, not GNU mktemp's" {
	require_gnu_mktemp_here
	local ours gnu line
	ours=$(ct --help)
	gnu=$(mktemp --help)
	while IFS= read -r line; do
		line=${line#"${line%%[! ]*}"}
		[ "${#line}" -gt 12 ] || continue
		[[ "$line" == Usage:* || "$line" == --help* ||
			"$line" == --version* ]] && continue
		if grep -qF -- "$line" <<<"$ours"; then
			fail "GNU's line in our --help: $line"
		fi
	done <<<"$gnu"
}

@test "--version and -V: GNU layout" {
	run ct --version
	assert_success
	assert_line --index 0 --regexp '^ctempfile [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --partial "There is NO WARRANTY"
	run ct -V
	assert_line --index 0 --regexp '^ctempfile [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "--help to /dev/full fails" {
	run --separate-stderr ct_out /dev/full --help
	assert_failure 1
	assert_equal "$stderr" "ctempfile: write error: No space left on device"
}

# --- Named as invoked; installed as mktemp ----------------------------------

# A link named mktemp to the binary under test, in ./bin.
link_as_mktemp() {
	mkdir -p bin
	ln -sf "$CTEMPFILE_BIN" bin/mktemp
}

@test "getopt and the pointer to --help name argv[0] as invoked; the rest its last component (GNU 9.7)" {
	link_as_mktemp
	# Each pair of lines as GNU coreutils 9.7 prints it.
	run --separate-stderr "$WORK/bin/mktemp" --bogus
	assert_failure 1
	assert_equal "$stderr" "$WORK/bin/mktemp: unrecognized option '--bogus'
Try '$WORK/bin/mktemp --help' for more information."
	run --separate-stderr bin/mktemp --bogus
	assert_equal "$stderr" "bin/mktemp: unrecognized option '--bogus'
Try 'bin/mktemp --help' for more information."
	run --separate-stderr "$WORK/bin/mktemp" a b
	assert_failure 1
	assert_equal "$stderr" "mktemp: too many templates
Try '$WORK/bin/mktemp --help' for more information."
	run --separate-stderr bin/mktemp -p
	assert_failure 1
	assert_equal "$stderr" "bin/mktemp: option requires an argument -- 'p'
Try 'bin/mktemp --help' for more information."
	run --separate-stderr bin/mktemp aXX
	assert_equal "$stderr" "mktemp: too few X's in template 'aXX'"
	# Found on PATH, argv[0] is the bare name.
	PATH="$WORK/bin:$PATH" run --separate-stderr mktemp --bogus
	assert_equal "$stderr" "mktemp: unrecognized option '--bogus'
Try 'mktemp --help' for more information."
	assert_only . bin
}

@test "installed as mktemp: the mktemp form alone, --help included" {
	link_as_mktemp
	local sub
	for sub in directory named-file file gettempdir; do
		run --separate-stderr bin/mktemp "$sub"
		assert_failure 1
		assert_equal "$stderr" "mktemp: too few X's in template '$sub'"
	done
	run bin/mktemp --help
	assert_success
	assert_line --index 0 "Usage: mktemp [OPTION]... [TEMPLATE]"
	refute_output --partial SUBCOMMAND
	refute_output --partial named-file
	run bin/mktemp -d "$WORK/sub.XXXX"
	assert_success
	assert [ -d "$output" ]
	rmdir "$output"
	# Under its own name the subcommands are there.
	run ct --help
	assert_line --index 1 --partial "SUBCOMMAND"
	assert_only . bin
}
