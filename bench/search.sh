#!/bin/bash
# SPDX-License-Identifier: ISC
# search.sh - the search screen's queries on stores of 10k, 100k and 1M
# requests (bench/gen-store), median and p99 per query (bench/search),
# in the engine and through a certdeskd on the same store (each call a
# request over its socket, as a server-mode client makes it: the rows
# marked "via certdeskd"), and start-up to the first drawn screen on the largest store
# (bench/ttybytes: from the fork until the first screen is complete).
#
#   BENCH_SIZES   store sizes (default "10000 100000 1000000")
#   BENCH_REPS    calls per query kind (default 200)
#   BENCH_STARTUP 0 leaves out the start-up to the first screen (default 1)
# Table on stdout and in $BENCH_OUT/search.txt.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"

SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
REPS=${BENCH_REPS:-200}
RES=$BENCH_OUT/search.txt
scratch

# store N: a fresh store with N generated requests; sets CONF
store() {
	D=$W/s$1
	CONF=$D/certdesk.conf
	mkdir -p "$D"
	write_bench_conf "$CONF" "$D/data" no
	cd_run init >/dev/null || die "certdesk init failed"
	say "search: generating $1 requests"
	"$BENCH_BIN/gen-store" -d "$D/data" -n "$1" \
	    -P ec-p256,rsa2048,rsa3072 >"$D/gen" || die "gen-store failed"
	sed 's/^/  gen-store /' "$D/gen" >&2
}

# startup: median of 5 launches of the operator interface to its first
# complete screen (quiet for 300 ms after the header appeared)
startup() {
	local i
	for i in 1 2 3 4 5; do
		"$BENCH_BIN/ttybytes" 'first=@Search for a request' -- \
		    "$CERTDESK" -c "$CONF" | awk '$1 == "step" { print $5 }'
	done | median
}

# served: the same queries through a certdeskd on the store (as the user
# who ran init, its first operator), appended to $RES
served() {
	local root= pid i
	[ "$(id -u)" -ne 0 ] || root=--allow-root
	"$top_builddir/certdeskd" -c "$CONF" -s "$D/sock" --sweep-interval 0 \
	    $root 2>"$D/certdeskd.log" &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$D/sock" ] && break
		sleep 0.1
	done
	"$BENCH_BIN/search" -c "$CONF" -S "$D/sock" -r "$REPS" \
	    >"$D/search-srv" || { kill "$pid"; die "search via certdeskd failed"; }
	kill "$pid"
	wait "$pid"
	awk -v n="$1" '$1 == "query" { printf "%s\t%s via certdeskd\t%s\t%s\t%s\t%s\n", n, $2, $3, $4, $5, $6 }' \
	    "$D/search-srv" >>"$RES"
}

printf 'requests\tquery\tmedian ms\tp99 ms\tmax ms\trows\n' >"$RES"
for n in $SIZES; do
	store "$n"
	"$BENCH_BIN/search" -c "$CONF" -r "$REPS" >"$D/search" ||
	    die "search failed"
	awk -v n="$n" '$1 == "engine_open_ms" { printf "%s\tengine-open\t%s\t-\t-\t-\n", n, $2 }
	    $1 == "query" { printf "%s\t%s\t%s\t%s\t%s\t%s\n", n, $2, $3, $4, $5, $6 }' \
	    "$D/search" >>"$RES"
	served "$n"
	last=$n
done
[ "${BENCH_STARTUP:-1}" = 0 ] ||
    printf '%s\tstartup-to-first-screen\t%s\t-\t-\t-\n' "$last" "$(startup)" >>"$RES"
table "$RES"
