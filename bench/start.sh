#!/bin/bash
# SPDX-License-Identifier: ISC
# start.sh - what a certdesk process costs before it does anything: paired
# and interleaved (A B A B ...) wall-clock runs of two commands, reported
# as the median of the per-pair ratios A/B with their minimum and
# maximum, and the absolute medians of A and B.
#
#   certdesk --version   against  openssl version          (target <= 1.5x)
#   a search through a private certdeskd ("certdesk -S SOCKET request
#   search")             against  certdesk --version        (target <= 2x)
#   a call through the client API to that certdeskd ("certdesk -S SOCKET
#   collect 999999", refused: no such request) against --version
#   a search in the client's own engine ("certdesk -c CONF request
#   search", embedded mode) against --version
#   $BEFORE --version    against  certdesk --version  (when BEFORE names
#                                 an older build, e.g. a copy of certdesk;
#                                 the API call and the embedded search too)
#
# The server pair needs a certdeskd that the current user may start (a
# private data folder, the user as its first operator); it is left out,
# with a note, when that fails.
#
#   usage: bench/start.sh [-n PAIRS] [-w WARMUP]      (default 200 and 20)
#   env:   top_builddir, CERTDESK, CERTDESKD, BEFORE, BENCH_TMP
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
export LC_ALL=C
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/bench/paired.sh"
paired_init start.sh 200 20 "$@"
BEFORE=${BEFORE:-}
command -v openssl >/dev/null || { echo "start.sh: no openssl" >&2; exit 1; }

echo "certdesk start-up, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of per-pair ratios A/B (A B A B ..., $WARMUP warm-up pairs)"
pair "certdesk --version / openssl" "$CERTDESK --version" "openssl version"
if [ -n "$BEFORE" ]; then
	pair "before --version / certdesk" "$BEFORE --version" \
	    "$CERTDESK --version"
fi
if server; then
	pair "search via server / --version" \
	    "$CERTDESK -c $W/conf -S $W/sock request search" \
	    "$CERTDESK --version"
	# a call that goes through the client API: the preview of a
	# collection, refused by certdeskd (no such request)
	pair "API call via server / --version" \
	    "! $CERTDESK -S $W/sock collect 999999" "$CERTDESK --version"
	[ -z "$BEFORE" ] || pair "before API call / API call" \
	    "! $BEFORE -S $W/sock collect 999999" \
	    "! $CERTDESK -S $W/sock collect 999999"
	# the same search in the client's own engine (embedded mode)
	pair "search in process / --version" \
	    "$CERTDESK -c $W/conf request search" "$CERTDESK --version"
	[ -z "$BEFORE" ] || pair "before search in process / search" \
	    "$BEFORE -c $W/conf request search" \
	    "$CERTDESK -c $W/conf request search"
else
	echo "search via server: no certdeskd could be started here" \
	    "($(tail -1 "$W/certdeskd.log" 2>/dev/null))"
fi
