#!/usr/bin/env bats
# Diagnostics in the user's locale: GNU's quoting, GNU's translations
# where the catalogs are installed, and no locale read on success.

load helper

# Skip unless locale $1 is installed (locale -a spells it as de_DE.utf8).
require_locale() {
	local want
	want=$(printf '%s' "$1" | tr 'A-Z' 'a-z' | sed 's/utf-8$/utf8/')
	locale -a 2>/dev/null | tr 'A-Z' 'a-z' | grep -qx "$want" ||
		skip "locale $1 is not installed (locale-gen $1)"
}

# Skip unless German catalogs of coreutils and of the C library exist.
require_german() {
	require_locale de_DE.UTF-8
	local d=/usr/share/locale/de/LC_MESSAGES
	[ -f "$d/coreutils.mo" ] || skip "no German catalog of coreutils in $d"
	[ -f "$d/libc.mo" ] || skip "no German catalog of the C library in $d (libc-l10n)"
}

require_gnu_mktemp() {
	mktemp --version 2>/dev/null | grep -q 'GNU coreutils' ||
		skip "GNU mktemp is not installed"
}

differential() {
	run python3 "$BATS_TEST_DIRNAME/differential.py" "$CTEMPFILE_BIN" "$WORK" "$1"
	assert_success
	assert_output --regexp "^[0-9]+ cases in $1, 0 differ$"
}

@test "agrees with GNU mktemp, case by case, in the C locale" {
	require_gnu_mktemp
	differential C
}

@test "agrees with GNU mktemp, case by case, in C.UTF-8" {
	require_gnu_mktemp
	require_locale C.UTF-8
	differential C.UTF-8
}

@test "agrees with GNU mktemp, case by case, in de_DE.UTF-8" {
	require_gnu_mktemp
	require_german
	differential de_DE.UTF-8
}

@test "UTF-8: curved quotes, printable characters as they are" {
	require_locale C.UTF-8
	export LC_ALL=C.UTF-8
	run --separate-stderr ct $'caf\xc3\xa9'
	assert_failure 1
	assert_equal "$stderr" "ctempfile: too few X's in template ‘café’"
	run --separate-stderr ct "it's a ‘x’ \"y\" \\ z"
	assert_equal "$stderr" "ctempfile: too few X's in template ‘it's a ‘x\\’ \"y\" \\\\ z’"
	run --separate-stderr ct -p "$WORK/é" 'ünïXXX'
	assert_equal "$stderr" "ctempfile: failed to create file via template ‘$WORK/é/ünïXXX’: No such file or directory"
	assert_dir_empty .
}

@test "UTF-8: control characters and invalid bytes are still escaped" {
	require_locale C.UTF-8
	export LC_ALL=C.UTF-8
	run --separate-stderr ct $'a\tb\nc\e[31m\x7fX'
	assert_equal "$stderr" "ctempfile: too few X's in template ‘a\\tb\\nc\\033[31m\\177X’"
	# invalid, truncated, and valid but unprintable (U+0085)
	run --separate-stderr ct $'\xff\xe2\x80 \xc2\x85X'
	assert_equal "$stderr" "ctempfile: too few X's in template ‘\\377\\342\\200 \\302\\205X’"
	# no byte below space, nor DEL, reaches the terminal
	[[ "$stderr" != *[$'\x01'-$'\x1f'$'\x7f']* ]] || fail "raw control byte: $stderr"
}

@test "the C locale: the ASCII style, every byte outside it in octal" {
	run --separate-stderr ct $'caf\xc3\xa9 it\'s'
	assert_equal "$stderr" "ctempfile: too few X's in template 'caf\\303\\251 it\\'s'"
	LANG=de_DE.UTF-8 run --separate-stderr ct $'caf\xc3\xa9'
	assert_equal "$stderr" "ctempfile: too few X's in template 'caf\\303\\251'"
}

@test "German: GNU's messages and quotes, getopt's and the system's too" {
	require_german
	export LC_ALL=de_DE.UTF-8
	run --separate-stderr ct 'fooXX'
	assert_failure 1
	assert_equal "$stderr" "ctempfile: zu wenige X in der Schablone „fooXX“"
	run --separate-stderr ct 'a“bXX'
	assert_equal "$stderr" "ctempfile: zu wenige X in der Schablone „a\\“bXX“"
	run --separate-stderr ct a b
	assert_equal "$stderr" "ctempfile: zu viele Schablonen
„$CTEMPFILE_BIN --help“ liefert weitere Informationen."
	run --separate-stderr ct --bogus
	assert_equal "$stderr" "$CTEMPFILE_BIN: Unbekannte Option »--bogus«
„$CTEMPFILE_BIN --help“ liefert weitere Informationen."
	run --separate-stderr ct -d -p /nonexistent
	assert_equal "$stderr" "ctempfile: konnte das Verzeichnis nicht mittels Schablone „/nonexistent/tmp.XXXXXXXXXX“ erstellen: Datei oder Verzeichnis nicht gefunden"
	run --separate-stderr ct_out /dev/full
	assert_equal "$stderr" "ctempfile: Schreibfehler: Auf dem Gerät ist kein Speicherplatz mehr verfügbar"
	assert_dir_empty "$TMPDIR"
}

@test "LC_ALL, LC_MESSAGES, LANGUAGE and LANG choose as in GNU tools" {
	require_german
	unset LC_ALL
	LANG=de_DE.UTF-8 LC_MESSAGES=C run --separate-stderr ct fooXX
	assert_equal "$stderr" "ctempfile: too few X's in template ‘fooXX’"
	LANG=C.UTF-8 LC_MESSAGES=de_DE.UTF-8 run --separate-stderr ct fooXX
	assert_equal "$stderr" "ctempfile: zu wenige X in der Schablone „fooXX“"
	LANG=C.UTF-8 LANGUAGE=de run --separate-stderr ct fooXX
	assert_equal "$stderr" "ctempfile: zu wenige X in der Schablone „fooXX“"
	LC_ALL=C LANG=de_DE.UTF-8 LANGUAGE=de run --separate-stderr ct fooXX
	assert_equal "$stderr" "ctempfile: too few X's in template 'fooXX'"
}

@test "subcommands quote in the locale too; their own messages stay English" {
	require_german
	export LC_ALL=de_DE.UTF-8
	run --separate-stderr ct named-file -p /nonexistent/é
	assert_failure 1
	assert_equal "$stderr" "ctempfile: cannot create „/nonexistent/é/tmpXXXXXXXX“: Datei oder Verzeichnis nicht gefunden"
	run --separate-stderr ct directory --bogus
	assert_failure 1
	assert_equal "$stderr" "ctempfile: Unbekannte Option »--bogus«
„ctempfile directory --help“ liefert weitere Informationen."
	run --separate-stderr ct directory --mode=9 -- true
	assert_failure 125
	assert_equal "$stderr" "ctempfile: invalid mode „9“: not octal 0 to 0777"
}

@test "a call that succeeds reads no locale; a failing one does" {
	command -v strace >/dev/null || skip "strace is not installed"
	require_german
	export ASAN_OPTIONS=detect_leaks=0
	local f
	for f in "" -d -u; do
		LANG=de_DE.UTF-8 LC_ALL= run strace -f -e trace=openat,open \
			"$CTEMPFILE_BIN" $f -p .
		assert_success
		refute_output --partial locale
		refute_output --partial LC_
	done
	LANG=de_DE.UTF-8 LC_ALL= run strace -f -e trace=openat,open \
		"$CTEMPFILE_BIN" named-file -- true
	assert_success
	refute_output --partial locale
	LANG=de_DE.UTF-8 LC_ALL= run strace -f -e trace=openat,open \
		"$CTEMPFILE_BIN" fooXX
	assert_failure 1
	assert_output --partial /usr/lib/locale/
	assert_output --partial coreutils.mo
}

# A gnulib catalog of German, from Debian 13's gnulib-l10n (which .ci/run
# fetches into GNULIB_DE_MO); the system's stays as it is.
@test "with gnulib's catalog installed: its quotation marks and close_stdout's write error, as GNU 9.7" {
	require_german
	require_root
	local mo=${GNULIB_DE_MO:-}
	[ -n "$mo" ] && [ -f "$mo" ] || skip "no German gnulib catalog at hand (GNULIB_DE_MO; Debian 13's gnulib-l10n)"
	# In a mount namespace of its own, the system's German catalogs with
	# gnulib's beside them.
	run --separate-stderr unshare -m bash -c '
		mount --make-rprivate / || exit 99
		d=$(mktemp -d "$3/catalogs.XXXXXX") && cp -a /usr/share/locale/de/LC_MESSAGES/. "$d" && cp "$2" "$d/gnulib.mo" &&
			mount --bind "$d" /usr/share/locale/de/LC_MESSAGES || exit 99
		export LC_ALL=de_DE.UTF-8
		"$1" aXX
		"$1" -p "$3" > /dev/full
		"$1" -u -p "$3" > /dev/full
		"$1" --version > /dev/full
		"$1" named-file -p /nonexistent
		umount /usr/share/locale/de/LC_MESSAGES && rm -rf "$d"' _ "$CTEMPFILE_BIN" "$mo" "$TMPDIR"
	[ "$status" -ne 99 ] || skip "no private mount namespace here"
	# The lines of GNU coreutils 9.7 with gnulib-l10n 20241231, the first
	# four; the subcommands quote the same way.
	assert_equal "$stderr" "ctempfile: zu wenige X in der Schablone »aXX«
ctempfile: Schreibfehler: Auf dem Gerät ist kein Speicherplatz mehr verfügbar
ctempfile: Fehler beim Schreiben der Datei: Auf dem Gerät ist kein Speicherplatz mehr verfügbar
ctempfile: Fehler beim Schreiben der Datei: Auf dem Gerät ist kein Speicherplatz mehr verfügbar
ctempfile: cannot create »/nonexistent/tmpXXXXXXXX«: Datei oder Verzeichnis nicht gefunden"
	assert_dir_empty "$TMPDIR"
}
