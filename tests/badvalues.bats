#!/usr/bin/env bats
# Every option value that must be refused, in every form that takes it:
# one line naming the option and the value, status 1 (125 with a COMMAND),
# and nothing created.

load helper

# value|message, for each kind of value.
MODES=(
	"-1|invalid mode '-1': not octal 0 to 0777"
	"0|"
	"777|"
	"1000|invalid mode '1000': not octal 0 to 0777"
	"99999999999999999999|invalid mode '99999999999999999999': not octal 0 to 0777"
	"abc|invalid mode 'abc': not octal 0 to 0777"
	"644x|invalid mode '644x': not octal 0 to 0777"
	"|invalid mode '': not octal 0 to 0777"
	"+644|invalid mode '+644': not octal 0 to 0777"
	"0x1ff|invalid mode '0x1ff': not octal 0 to 0777"
	"8|invalid mode '8': not octal 0 to 0777"
	"u=rw|invalid mode 'u=rw': not octal 0 to 0777"
)
COUNTS=(
	"-1|invalid count '-1': too small (1 to 1000000)"
	"0|invalid count '0': too small (1 to 1000000)"
	"1000001|invalid count '1000001': too large (1 to 1000000)"
	"99999999999999999999|invalid count '99999999999999999999': too large (1 to 1000000)"
	"ten|invalid count 'ten': invalid (1 to 1000000)"
	"5x|invalid count '5x': invalid (1 to 1000000)"
	"|invalid count '': invalid (1 to 1000000)"
	"0x10|invalid count '0x10': invalid (1 to 1000000)"
	"1.5|invalid count '1.5': invalid (1 to 1000000)"
	" 2|invalid count ' 2': invalid (1 to 1000000)"
	"+2|invalid count '+2': invalid (1 to 1000000)"
)
RANDOMS=(
	"-3|invalid random '-3': too small (3 to 64)"
	"0|invalid random '0': too small (3 to 64)"
	"2|invalid random '2': too small (3 to 64)"
	"65|invalid random '65': too large (3 to 64)"
	"99999999999999999999|invalid random '99999999999999999999': too large (3 to 64)"
	"eight|invalid random 'eight': invalid (3 to 64)"
	"8 |invalid random '8 ': invalid (3 to 64)"
	" 5|invalid random ' 5': invalid (3 to 64)"
	"+5|invalid random '+5': invalid (3 to 64)"
	"|invalid random '': invalid (3 to 64)"
)
FDS=(
	"-1|invalid fd '-1': too small (0 to 2147483647)"
	"2147483648|invalid fd '2147483648': too large (0 to 2147483647)"
	"99999999999999999999|invalid fd '99999999999999999999': too large (0 to 2147483647)"
	"three|invalid fd 'three': invalid (0 to 2147483647)"
	"3x|invalid fd '3x': invalid (0 to 2147483647)"
	" 3|invalid fd ' 3': invalid (0 to 2147483647)"
	"|invalid fd '': invalid (0 to 2147483647)"
)

# check FORM OPTION [COMMAND...]: every row of the table named by $TABLE.
check_table() {
	local -n table=$1
	local opt=$2 row value msg status=1
	shift 2
	[ $# -eq 0 ] || status=125
	for row in "${table[@]}"; do
		value=${row%%|*}
		msg=${row#*|}
		run --separate-stderr ct "${FORM[@]}" "$opt" "$value" -p "$WORK" "$@"
		if [ -z "$msg" ]; then
			assert_success
			find "$WORK" -mindepth 1 -delete
			continue
		fi
		assert_failure "$status"
		assert_equal "$stderr" "ctempfile: $msg"
		assert_output ""
		assert_dir_empty "$WORK"
	done
}

@test "--mode in every form" {
	FORM=(named-file); check_table MODES --mode
	FORM=(directory); check_table MODES -m
	FORM=(file); check_table MODES -m true
	FORM=(named-file); check_table MODES -m true
	FORM=(); check_table MODES -m
}

@test "--count in every form" {
	FORM=(named-file); check_table COUNTS --count
	FORM=(directory); check_table COUNTS -n
	FORM=(); check_table COUNTS -n
}

@test "--random in every form" {
	FORM=(named-file); check_table RANDOMS --random
	FORM=(directory); check_table RANDOMS -r
	FORM=(directory); check_table RANDOMS -r true
	FORM=(file); check_table RANDOMS -r true
}

@test "--fd" {
	FORM=(named-file); check_table FDS --fd true
	FORM=(file); check_table FDS --fd true
	FORM=(named-file); check_table FDS --fd
}

@test "--prefix, --suffix, --env" {
	local form
	for form in named-file directory; do
		run --separate-stderr ct "$form" -P a/b
		assert_failure 1
		assert_equal "$stderr" "ctempfile: invalid prefix 'a/b', contains directory separator"
		run --separate-stderr ct "$form" --suffix=/ -- true
		assert_failure 125
		assert_equal "$stderr" "ctempfile: invalid suffix '/', contains directory separator"
		run --separate-stderr ct "$form" -e A=B -- true
		assert_failure 125
		assert_equal "$stderr" "ctempfile: invalid env 'A=B', contains '='"
	done
	assert_dir_empty "$TMPDIR"
}

@test "options that need a value, without one" {
	local o
	for o in -p -P -s -r -m -n -I -e; do
		run --separate-stderr ct named-file "$o"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: option requires an argument -- '${o#-}'
Try 'ctempfile named-file --help' for more information."
	done
	for o in --dir --prefix --suffix --random --mode --count --fd --replace --env; do
		run --separate-stderr ct named-file "$o"
		assert_failure 1
		assert_equal "$stderr" "ctempfile: option '$o' requires an argument
Try 'ctempfile named-file --help' for more information."
	done
	assert_dir_empty "$TMPDIR"
}
