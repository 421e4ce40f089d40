# SPDX-License-Identifier: ISC
# tap.sh - the one TAP producer of certdesk's shell suites (sourced by
# tests/lib/common.sh; a script that needs nothing else may source it
# alone).  Output and exit status follow automake's TAP driver
# (build-aux/tap-driver.sh, LOG_DRIVER in Makefile.am): a skipped file
# prints "1..0 # SKIP reason" and exits 0; "Bail out!" is an error
# whatever the exit status; otherwise the exit status is 1 when a case
# failed.
#
# Strict mode: with CERTDESK_TEST_STRICT=1 (.ci/run) nothing may be
# skipped, since the project's scripts install and start all that the
# tests need.  Every skip, of one case or of the whole file, is then a
# "not ok" that gives the reason.
#
#   tap_plan N              an early plan (optional; done_testing checks it)
#   ok DESC / not_ok DESC   one result ("ok ... # SKIP why" is a skip)
#   check DESC CMD...       ok when CMD succeeds
#   is GOT WANT DESC        string equality (isnt: inequality)
#   like TEXT ERE DESC      TEXT matches the extended regex (unlike: not)
#   skip DESC REASON        one case skipped (skip_n N DESC REASON: N cases)
#   skip_all REASON         the whole file cannot run here
#   skip_build DESC REASON  one case this build of certdesk cannot make
#                           (an AddressSanitizer build ignores mlock, ...):
#                           a skip even under strict mode; never for a
#                           tool or service that is missing
#   need_cmd CMD [WHY]      skip_all unless CMD is installed
#   bail_out REASON         set-up failed (not a missing tool): an error
#   never_contains NEEDLE FILE|DIR...
#                           0 when NEEDLE is in none of them; 1 when it is
#                           found, or when nothing was searched: an empty
#                           NEEDLE, no operand, an operand that does not
#                           exist, or only empty files
#   diag TEXT               a "# " comment
#   done_testing            the late plan, a summary, the exit status

tap_n=${tap_n:-0}
tap_failed=${tap_failed:-0}
tap_skipped=0
tap_planned=
tap_strict() { [ "${CERTDESK_TEST_STRICT:-0}" = 1 ]; }

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

tap_plan() {
	tap_planned=$1
	echo "1..$1"
}

# tap_line ok|not DESC: print one result; descriptions are one line and
# "#" is escaped so that it is not taken for a directive
tap_line() {
	tap_n=$((tap_n + 1))
	_d=$(printf '%s' "$2" | tr '\n' ' ' | sed 's/#/\\#/g')
	if [ "$1" = ok ]; then
		echo "ok $tap_n - $_d"
	else
		echo "not ok $tap_n - $_d"
		tap_failed=1
	fi
}

# not_ok DESC: a failure; TAP_DIAG_FILES ("label:path ...") are shown
not_ok() {
	tap_line not "$*"
	for _f in ${TAP_DIAG_FILES:-}; do
		[ -s "${_f#*:}" ] &&
		    head -n 5 "${_f#*:}" | sed "s/^/#   ${_f%%:*}: /"
	done
	return 0
}

ok() {
	case $* in
	*'# SKIP'*)
		_r=${*#*# SKIP}
		skip "${*%%# SKIP*}" "${_r# }" ;;
	*)	tap_line ok "$*" ;;
	esac
}

check() {
	_desc=$1; shift
	if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}

is() {
	if [ "$1" = "$2" ]; then ok "$3"; else
		not_ok "$3"; diag "  got: '$1'" "  expected: '$2'"; fi
}
isnt() {
	if [ "$1" != "$2" ]; then ok "$3"; else
		not_ok "$3"; diag "  got '$1', expected anything else"; fi
}
like() {
	if printf '%s\n' "$1" | grep -qE -- "$2"; then ok "$3"; else
		not_ok "$3"; diag "  '$1'" "  does not match /$2/"; fi
}
unlike() {
	if [ -n "$2" ] && ! printf '%s\n' "$1" | grep -qE -- "$2"; then
		ok "$3"
	else
		not_ok "$3"; diag "  '$1'" "  matches /$2/"
	fi
}

skip() {
	_desc=$(printf '%s' "$1" | sed 's/[[:space:]]*$//')
	if tap_strict; then
		tap_line not "$_desc (cannot run, and CERTDESK_TEST_STRICT=1: $2)"
	else
		tap_n=$((tap_n + 1)); tap_skipped=$((tap_skipped + 1))
		echo "ok $tap_n - $_desc # SKIP $2"
	fi
}
skip_n() {
	_k=$1; shift
	while [ "$_k" -gt 0 ]; do skip "$@"; _k=$((_k - 1)); done
}
skip_build() {
	tap_n=$((tap_n + 1)); tap_skipped=$((tap_skipped + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# skip_all REASON: nothing of this file can run here.  Results printed
# before it stay in the output (the plan then counts them).
skip_all() {
	if tap_strict; then
		tap_line not "cannot run, and CERTDESK_TEST_STRICT=1: $*"
		echo "1..$tap_n"
		exit 1
	fi
	if [ "$tap_n" -gt 0 ]; then
		skip "the rest of this file" "$*"
		echo "1..$tap_n"
		exit "$tap_failed"
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 ||
	    skip_all "${2:-$1 not installed}"
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

never_contains() {
	_needle=$1; shift
	if [ -z "$_needle" ]; then
		diag "never_contains: an empty needle searches nothing"
		return 1
	fi
	if [ $# -eq 0 ]; then
		diag "never_contains: no file to search"
		return 1
	fi
	_bytes=0 _hit= _bad=
	for _o in "$@"; do
		if [ ! -e "$_o" ]; then
			_bad="$_bad $_o"
			continue
		fi
		_b=$(find "$_o" -type f -exec cat {} + 2>/dev/null | wc -c)
		_bytes=$((_bytes + _b))
		_h=$(grep -rlaF -- "$_needle" "$_o" 2>/dev/null | head -n 3)
		[ -n "$_h" ] && _hit="$_hit $_h"
	done
	if [ -n "$_bad" ]; then
		diag "never_contains: missing:$_bad"
		return 1
	fi
	if [ "$_bytes" -eq 0 ]; then
		diag "never_contains: searched nothing ($# operands, all empty)"
		return 1
	fi
	if [ -n "$_hit" ]; then
		diag "never_contains: found in:$_hit"
		return 1
	fi
	return 0
}

done_testing() {
	if [ -n "$tap_planned" ]; then
		[ "$tap_n" -eq "$tap_planned" ] || {
			diag "planned $tap_planned tests but ran $tap_n"
			tap_failed=1
		}
	else
		echo "1..$tap_n"
	fi
	if [ "$tap_n" -eq 0 ]; then
		diag "no test ran"
		tap_failed=1
	fi
	diag "$tap_n tests, $tap_skipped skipped, failed: $([ "$tap_failed" -eq 0 ] && echo no || echo yes)"
	exit "$tap_failed"
}
