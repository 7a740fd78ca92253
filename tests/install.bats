#!/usr/bin/env bats
# meson install puts everything where a distribution would.

load helper

# The value of build option $1 of the build under test.
build_option() {
	meson introspect "$BUILD_ROOT" --buildoptions | python3 -c '
import json, sys
print([o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]][0])
' "$1"
}

@test "meson install: binary, man page, completions under DESTDIR" {
	[ -n "${BUILD_ROOT:-}" ] || skip "BUILD_ROOT not set"
	run meson install -C "$BUILD_ROOT" --no-rebuild --destdir "$WORK/dest"
	assert_success
	local prefix zsh
	prefix=$(build_option prefix)
	zsh=$(build_option zshcompletiondir)
	local root="$WORK/dest$prefix"
	assert_file_executable "$root/bin/ctempfile"
	assert_file_exists "$root/share/man/man1/ctempfile.1"
	assert_file_exists "$root/share/bash-completion/completions/ctempfile"
	assert_file_exists "$WORK/dest${zsh:-$prefix/share/zsh/site-functions}/_ctempfile"
	assert_file_exists "$root/share/fish/vendor_completions.d/ctempfile.fish"
	run "$root/bin/ctempfile" --version
	assert_line --index 0 --regexp '^ctempfile [0-9.]+$'
}

@test "meson install: the user service and timer of clean, which the user manager accepts and which run it" {
	[ -n "${BUILD_ROOT:-}" ] || skip "BUILD_ROOT not set"
	run meson install -C "$BUILD_ROOT" --no-rebuild --destdir "$WORK/dest"
	assert_success
	local prefix unitdir
	prefix=$(build_option prefix)
	unitdir=$(build_option systemduserunitdir)
	[ "$unitdir" != no ] || skip "built with -Dsystemduserunitdir=no"
	[ -n "$unitdir" ] || unitdir=$(pkg-config --define-variable=prefix="$prefix" \
		--variable=systemduserunitdir systemd 2>/dev/null || echo "$prefix/lib/systemd/user")
	local units="$WORK/dest$unitdir"
	assert_file_exists "$units/ctempfile-clean.timer"
	assert_file_exists "$units/ctempfile-clean.service"
	assert_equal "$(grep '^ExecStart=' "$units/ctempfile-clean.service")" "ExecStart=$prefix/bin/ctempfile clean"
	assert_equal "$(grep -E '^(OnCalendar|Persistent)=' "$units/ctempfile-clean.timer")" "$(printf 'OnCalendar=daily\nPersistent=true')"
	# Run as the unit would, from the installed tree: what is stale in
	# the default directory goes, what is new stays.
	mkdir "$WORK/t" "$WORK/t/new"
	local -a cmd
	read -r -a cmd <<<"$(sed -n 's|^ExecStart=||p' "$units/ctempfile-clean.service")"
	cmd[0]=$WORK/dest${cmd[0]}
	run env TMPDIR="$WORK/t" "${cmd[@]}" -v -n
	assert_success
	assert_output --partial "'$WORK/t/new': kept: newer than 10d"
	if command -v systemd-analyze >/dev/null; then
		sed "s|^ExecStart=$prefix|ExecStart=$WORK/dest$prefix|" "$units/ctempfile-clean.service" >"$WORK/ctempfile-clean.service"
		cp "$units/ctempfile-clean.timer" "$WORK/"
		run systemd-analyze verify --man=no "$WORK/ctempfile-clean.service" "$WORK/ctempfile-clean.timer"
		assert_success
		refute_output --partial "ctempfile-clean"
	fi
}

@test "the man page renders and lints clean" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	[ -n "${BUILD_ROOT:-}" ] || skip "BUILD_ROOT not set"
	run mandoc -T lint -W warning "$BUILD_ROOT/ctempfile.1"
	assert_success
	assert_output ""
	run mandoc -T ascii "$BUILD_ROOT/ctempfile.1"
	output=$(printf '%s' "$output" | sed 's/.\x08//g')
	[[ "$output" == *"RUNNING A COMMAND"* ]] || fail "section missing"
}

@test "--help of every form matches the man page's SYNOPSIS" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	[ -n "${BUILD_ROOT:-}" ] || skip "BUILD_ROOT not set"
	local synopsis
	synopsis=$(mandoc -T ascii "$BUILD_ROOT/ctempfile.1" | sed 's/.\x08//g' |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | tr -s ' \n' ' ')
	local form
	for form in file named-file directory gettempdir clean; do
		[[ "$synopsis" == *"ctempfile $form"* ]] || fail "$form missing from SYNOPSIS"
		run ct "$form" --help
		assert_success
		assert_line --index 0 --regexp "^Usage: ctempfile $form "
	done
	run ct --help
	assert_line --index 0 "Usage: ctempfile [OPTION]... [TEMPLATE]"
	for form in file named-file directory gettempdir clean; do
		assert_line --regexp "^  $form +"
	done
}

@test "the default build is a static PIE that still translates and finds its catalogs" {
	case "${CTEMPFILE_LINK:-}" in
	static-pie) ;;
	dynamic) skip "a dynamic build (-Dstatic_pie=disabled, or sanitizers)" ;;
	*) skip "CTEMPFILE_LINK not set (run through meson test)" ;;
	esac
	command -v readelf >/dev/null || skip "readelf is not installed"
	# No program interpreter, no shared library: nothing to load at start.
	run readelf -l -d "$CTEMPFILE_BIN"
	assert_success
	refute_output --partial "INTERP"
	refute_output --partial "NEEDED"
	assert_output --partial "DYN (Position-Independent Executable file)"
	# The messages shared with GNU mktemp still come from coreutils'
	# catalog, and the system log is still reached (watch.bats).
	locale -a | grep -qix de_DE.utf8 || skip "de_DE.UTF-8 is not installed"
	[ -f /usr/share/locale/de/LC_MESSAGES/coreutils.mo ] || skip "coreutils' German catalog is not installed"
	LC_ALL=de_DE.UTF-8 run --separate-stderr ct aXX
	assert_failure 1
	assert_equal "$stderr" "ctempfile: zu wenige X in der Schablone „aXX“"
}
