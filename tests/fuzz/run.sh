#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh - the fuzz harnesses in make check: each driver-linked program
# (gcc, no libFuzzer) replays its seed corpus, then mutates it for
# FUZZ_SECONDS (default 2) seconds.  One TAP test per harness; a crash or a
# failed invariant kills the program and fails its test.  FUZZ_SEED makes a
# run repeatable (each program prints the seed it used).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${FUZZ_SECONDS:=2}"
. "$top_srcdir/tests/lib/tap.sh"
for h in conf fname template csv http; do
	prog=$top_builddir/tests/fuzz/fuzz-$h
	corpus=$top_srcdir/tests/fuzz/corpus/$h
	if [ ! -x "$prog" ]; then
		not_ok "fuzz-$h: $prog is not built"
		continue
	fi
	set -- -t "$FUZZ_SECONDS"
	[ -n "${FUZZ_SEED:-}" ] && set -- "$@" -s "$FUZZ_SEED"
	out=$("$prog" "$@" "$corpus" 2>&1)
	rc=$?
	summary=$(printf '%s\n' "$out" | sed -n 's/^ok [12] - //p' | paste -sd ',' - | sed 's/,/, /g')
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^ok 2 - '; then
		ok "fuzz-$h: $summary"
	else
		not_ok "fuzz-$h (exit $rc)"
	fi
	printf '%s\n' "$out" | grep -v '^ok [12] - \|^1\.\.2$' |
	    sed 's/^#* *//; s/^/#   /'
done
done_testing
