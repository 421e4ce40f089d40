#!/bin/sh
# SPDX-License-Identifier: ISC
# libfuzzer.sh - build the four fuzz harnesses with clang and libFuzzer
# (plus AddressSanitizer and UndefinedBehaviorSanitizer) and run each on
# a copy of its seed corpus for a while.
#
#	tests/fuzz/libfuzzer.sh [-b BUILDDIR] [-t SECONDS] [HARNESS...]
#
# BUILDDIR (default ./fuzz-build) gets the instrumented engine, the
# programs, the growing corpora (corpus-HARNESS) and any crash-* files.
# SECONDS (default 60) is libFuzzer's -max_total_time per harness.
# HARNESS is conf, fname, template or csv (default: all four).  The
# configured build tree (top_builddir, default the source tree) provides
# config.h.  Set CLANG to use another compiler; extra libFuzzer flags
# go in LIBFUZZER_FLAGS.  Exit status: 0 when no harness found anything.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CLANG:=clang}"
: "${LIBFUZZER_FLAGS:=}"
build=$PWD/fuzz-build
secs=60
while getopts b:t: opt; do
	case $opt in
	b) build=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-b BUILDDIR] [-t SECONDS] [HARNESS...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- conf fname template csv
case $build in /*) ;; *) build=$PWD/$build ;; esac

if [ ! -f "$top_builddir/config.h" ]; then
	echo "libfuzzer.sh: no config.h in $top_builddir: run configure first" >&2
	exit 2
fi
mkdir -p "$build/obj"
pc() { pkg-config "$@" 2>/dev/null || true; }
CPPFLAGS="-I$top_builddir -I$top_srcdir/src/engine -DSYSCONFDIR=\"/etc\" \
-DPKGDATADIR=\"/usr/share/certdesk\" $(pc --cflags nss)"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN"
LIBS="-lcrypto $(pc --libs sqlite3) $(pc --libs nss) \
-ludev -liniparser -lcups"

# The engine, instrumented for coverage (fuzzer-no-link) and sanitizers.
objs=
for src in "$top_srcdir"/src/engine/*.c; do
	o=$build/obj/$(basename "$src" .c).o
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ]; then
		# shellcheck disable=SC2086
		$CLANG $CPPFLAGS $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$o"
	fi
	objs="$objs $o"
done

status=0
for h in "$@"; do
	prog=$build/fuzz-$h
	# shellcheck disable=SC2086
	$CLANG $CPPFLAGS $CFLAGS -fsanitize=fuzzer \
	    "$top_srcdir/tests/fuzz/fuzz-$h.c" $objs $LIBS -o "$prog"
	mkdir -p "$build/corpus-$h"
	cp "$top_srcdir"/tests/fuzz/corpus/"$h"/* "$build/corpus-$h/"
	echo "== fuzz-$h: $secs s" >&2
	# shellcheck disable=SC2086
	if ! (cd "$build" && "$prog" -max_total_time="$secs" -max_len=8192 \
	    -print_final_stats=1 $LIBFUZZER_FLAGS "corpus-$h" \
	    2>"$build/fuzz-$h.log"); then
		echo "fuzz-$h: FAILED, see $build/fuzz-$h.log" >&2
		status=1
	fi
	grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|^Done' \
	    "$build/fuzz-$h.log" >&2 || true
done
exit $status
