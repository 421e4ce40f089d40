#!/bin/bash
# SPDX-License-Identifier: ISC
# server.sh - a collection through certdeskd against the same collection
# in the engine in the client's own process: an EC P-256 FileStore
# profile with a typed password, one certificate per collection, each
# pair on two fresh requests of one store, interleaved (A B A B ...).
# Reported as the median of the per-pair ratios server/embedded with min
# and max, and the absolute medians (target: within 1.10x).  Both sides
# are whole processes: `certdesk collect` as the operator; in server mode
# it loads libcurl and certdeskd generates, issues and packs.
#
#   usage: bench/server.sh [-n PAIRS] [-w WARMUP]     (default 40 and 5)
#   env:   top_builddir, CERTDESK, CERTDESKD, BENCH_TMP
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
export LC_ALL=C
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/bench/paired.sh"
paired_init server.sh 40 5 "$@"

server || { echo "server.sh: no certdeskd could be started" \
    "($(tail -1 "$W/certdeskd.log" 2>/dev/null))" >&2; exit 1; }
me=$(id -un)
printf 'Bench-Pass-2026\n' >"$W/pw"
chmod 600 "$W/pw"
n=$(( 2 * (PAIRS + WARMUP) ))
IDS=()
for ((i = 0; i < n; i++)); do
	IDS+=("$("$CERTDESK" -c "$W/conf" request new --person "$me" \
	    --profile ec)") || exit 1
done
K=0
# one collection of the next request, in the engine or through certdeskd
collect_with() {
	local id=${IDS[$K]}
	K=$((K + 1))
	mkdir "$W/out$K" || return 1
	"$CERTDESK" -c "$W/conf" "$@" collect "$id" --folder "$W/out$K" \
	    --password-file "$W/pw"
}
embedded() { CERTDESK_MODE=embedded collect_with; }
via_server() { collect_with -S "$W/sock"; }

echo "collection through certdeskd, $(date '+%Y-%m-%d %H:%M')," \
    "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of per-pair ratios A/B (A B A B ..., $WARMUP warm-up pairs)"
pair "EC collect: server / embedded" via_server embedded
