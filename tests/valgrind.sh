#!/bin/sh
# SPDX-License-Identifier: ISC
# valgrind.sh - run unit test programs under valgrind's memcheck: any
# memory error or definite/indirect leak fails the run.  Prints one line
# per program and "N clean, N failed" at the end.
#
#	sh tests/valgrind.sh tests/unit/t-util tests/unit/t-store ...
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export top_srcdir
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed" >&2; exit 1; }
log=${TMPDIR:-/tmp}/certdesk-valgrind.$$
clean=0 failed=0
for t in "$@"; do
	if valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect \
	    --show-leak-kinds=definite,indirect \
	    --suppressions="$top_srcdir/tests/valgrind.supp" \
	    "$t" >"$log.out" 2>"$log.err"; then
		echo "clean: $t"; clean=$((clean + 1))
	else
		echo "FAILED: $t (exit $?)"; failed=$((failed + 1))
		grep -v '^ok ' "$log.out" | head -n 20
		head -n 60 "$log.err"
	fi
done
rm -f "$log.out" "$log.err"
echo "$clean clean, $failed failed"
[ "$failed" -eq 0 ]
