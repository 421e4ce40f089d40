#!/bin/sh
# run.sh - the fuzz harnesses in make check: each driver-linked program
# (gcc, no libFuzzer) replays its seed corpus, then mutates it for
# FUZZ_SECONDS (default 2) seconds.  One TAP test per harness; a crash or a
# failed invariant kills the program and fails its test.  FUZZ_SEED makes a
# run repeatable (each program prints the seed it used).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${FUZZ_SECONDS:=2}"
n=0
fail=0
for h in conf fname template csv http; do
	n=$((n + 1))
	prog=$top_builddir/tests/fuzz/fuzz-$h
	corpus=$top_srcdir/tests/fuzz/corpus/$h
	if [ ! -x "$prog" ]; then
		echo "not ok $n - fuzz-$h: $prog is not built"
		fail=1
		continue
	fi
	set -- -t "$FUZZ_SECONDS"
	[ -n "${FUZZ_SEED:-}" ] && set -- "$@" -s "$FUZZ_SEED"
	out=$("$prog" "$@" "$corpus" 2>&1)
	rc=$?
	summary=$(printf '%s\n' "$out" | sed -n 's/^ok [12] - //p' | paste -sd ',' - | sed 's/,/, /g')
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^ok 2 - '; then
		echo "ok $n - fuzz-$h: $summary"
	else
		echo "not ok $n - fuzz-$h (exit $rc)"
		fail=1
	fi
	printf '%s\n' "$out" | grep -v '^ok [12] - \|^1\.\.2$' |
	    sed 's/^#* *//; s/^/#   /'
done
echo "1..$n"
exit $fail
