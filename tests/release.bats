#!/usr/bin/env bats
# One release, said the same everywhere: the version and date in
# meson.build, ctempfile --version, the man page, NEWS, debian/changelog.

load helper

top=$BATS_TEST_DIRNAME/..

# The version and date of meson.build, as built into the binary and the
# man page.
built_version() {
	ct --version | sed -n '1s/^ctempfile //p'
}

@test "--version and the man page say the version and date of meson.build" {
	[ -n "${BUILD_ROOT:-}" ] || skip "BUILD_ROOT not set"
	local version date
	version=$(sed -n "s/^  version: '\(.*\)',$/\1/p" "$top/meson.build")
	date=$(sed -n "s/^release_date = '\(.*\)'$/\1/p" "$top/meson.build")
	[ -n "$version" ] && [ -n "$date" ] || fail "no version or date in meson.build"
	assert_equal "$(built_version)" "$version"
	assert_equal "$(sed -n 's/^\.Dd //p' "$BUILD_ROOT/ctempfile.1")" "$date"
	assert_equal "$(sed -n 's/^\.Os //p' "$BUILD_ROOT/ctempfile.1")" "ctempfile $version"
}

@test "NEWS begins with this version and its date" {
	[ -n "${BUILD_ROOT:-}" ] || skip "BUILD_ROOT not set"
	local date
	date=$(sed -n 's/^\.Dd //p' "$BUILD_ROOT/ctempfile.1")
	assert_equal "$(grep -m 1 '^## ' "$top/NEWS")" "## $(built_version) ($date)"
}

@test "debian/changelog's newest entry is this version" {
	[ -f "$top/debian/changelog" ] || skip "no debian/ in this tree"
	assert_equal "$(sed -n '1s/^ctempfile (\([^)]*\)).*/\1/p' "$top/debian/changelog")" "$(built_version)"
}
