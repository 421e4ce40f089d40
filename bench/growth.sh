#!/bin/bash
# SPDX-License-Identifier: ISC
# growth.sh - does certdesk slow down as its store fills?  Two tables in
# markdown, each with a SQLite, a PostgreSQL and a certdeskd column:
#
# 1. Collections 1 -> 1,000 (EC P-256, one-certificate FileStore profile,
#    typed password), the median time per collection in windows of 10:
#    - engine, SQLite: bench/collect-loop -a, one process filling the
#      store and timing each collection (collections 1-10, 91-100, ...);
#    - engine, PostgreSQL: the same loop on a private PostgreSQL store
#      (tests/lib/pg.sh), 1,000 in a row;
#    - through certdeskd and in-process, as `certdesk collect` (one CLI
#      process per collection, like with like): after each engine window,
#      on the same SQLite store, PAIRS pairs interleaved (A B, then B A)
#      with a certdeskd (bench/paired.sh) on it; the ratio is the median
#      of the per-pair ratios (min-max).  These are the 2 x PAIRS
#      collections after the window (11-30, 101-120, ...).
# 2. Search 10k -> 1M requests: the search screen's first screen and
#    name-prefix query, median / p99 (bench/search), from bench/search.sh
#    (engine and certdeskd on one SQLite store per size) and bench/pg.sh
#    (the same data set generated again, gen-store is deterministic, and
#    migrated to PostgreSQL with 'certdesk store migrate').
#
#   BENCH_GROWTH_PARTS    "collect search" (default both)
#   BENCH_GROWTH_WINDOWS  first collection of each window (default
#                         "1 91 991"; the last window ends the run)
#   BENCH_GROWTH_PAIRS    CLI pairs per window (default 10)
#   BENCH_GROWTH_PG       0 leaves out the PostgreSQL columns (default 1)
#   BENCH_SIZES           search store sizes (default "10000 100000 1000000")
#   BENCH_PG_SIZES        of these, the ones migrated to PostgreSQL
#                         (default BENCH_SIZES)
#   BENCH_REPS            calls per query kind (default 100)
# Tables on stdout and in $BENCH_OUT/growth/ (every window's figures in
# collect-rounds.txt).  Run on its own ('make bench-growth'; not part of
# 'make bench': several minutes, most of it migrating 1M requests to
# PostgreSQL); the PostgreSQL columns need the postgresql package and, as
# root, the postgres user (tests/lib/pg.sh).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
export LC_ALL=C
set -o pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"
. "$top_srcdir/bench/paired.sh"
. "$top_srcdir/tests/lib/pg.sh"

PARTS=${BENCH_GROWTH_PARTS:-collect search}
WINDOWS=${BENCH_GROWTH_WINDOWS:-1 91 991}
WIDTH=10
USE_PG=${BENCH_GROWTH_PG:-1}
export BENCH_SIZES=${BENCH_SIZES:-10000 100000 1000000}
export BENCH_PG_SIZES=${BENCH_PG_SIZES:-$BENCH_SIZES}
export BENCH_REPS=${BENCH_REPS:-100}
export top_srcdir top_builddir
OUT=$BENCH_OUT/growth
mkdir -p "$OUT"
for p in collect-loop gen-store search; do
	[ -x "$BENCH_BIN/$p" ] || die "$BENCH_BIN/$p is missing: run 'make bench'"
done
if [ "$USE_PG" != 0 ] && ! pg_available; then
	say "growth: no PostgreSQL columns: $PG_WHY"
	USE_PG=0
fi
paired_init growth.sh "${BENCH_GROWTH_PAIRS:-10}" 0
trap 'pg_stop; paired_cleanup' EXIT
me=$(id -un)

# window_med FILE FIRST [store]: the median time of collections
# FIRST..FIRST+WIDTH-1 of a collect-loop -a run (FILE: "cert I MS REQUEST
# BEGIN PASSWORD ISSUE PACKAGE DELIVER COMMIT", I from 1); with "store",
# of the steps other than key generation, issuance and packing (the
# store's and the folder's work)
window_med() {
	awk -v a="$2" -v w="$WIDTH" -v st="${3:-}" '$1 == "cert" && $2 >= a &&
	    $2 < a + w { print st == "" ? $3 : $4 + $5 + $6 + $9 + $10 }' "$1" |
	    median
}

# medf DIGITS METHOD: its median in $W/win with DIGITS decimals, "-" if
# none
medf() {
	med_of "$W/win" "$2" |
	    awk -v d="$1" '{ printf "%.*f", d, $1 } END { if (!NR) print "-" }'
}

# cli_pairs WIN: PAIRS pairs of `certdesk collect`, through certdeskd and
# in-process, on fresh requests of the SQLite store, to $RND as
# "WIN:ROUND METHOD MS"
cli_pairs() {
	local i k=0 ids=()
	for ((i = 0; i < 2 * PAIRS; i++)); do
		ids+=("$(CERTDESK_MODE=embedded "$CERTDESK" -c "$W/conf" \
		    request new --person "$me" --profile ec 2>>"$W/req.err")") ||
		    die "request new failed"
	done
	one() {	# one METHOD: collect the next request that way, in $US
		local id=${ids[$k]} dir=$W/out/c$1$k
		k=$((k + 1))
		mkdir -p "$dir"
		if [ "$1" = srv ]; then
			usec "$CERTDESK" -c "$W/conf" -S "$W/sock" collect "$id" \
			    --folder "$dir" --password-file "$W/pw"
		else
			usec env CERTDESK_MODE=embedded "$CERTDESK" -c "$W/conf" \
			    collect "$id" --folder "$dir" --password-file "$W/pw"
		fi
		echo "$WIN:$i $1 $(awk -v u="$US" 'BEGIN { printf "%.3f", u / 1000 }')" >>"$RND"
		rm -rf "$dir"
	}
	for ((i = 0; i < PAIRS; i++)); do
		if ((i % 2)); then one emb; one srv; else one srv; one emb; fi
	done
}

# pg_conf_of FROM TO: FROM's profile on a PostgreSQL database "coll"
pg_conf_of() {
	sed -e "s|^datadir = .*|datadir = $W/pgdata|" -e '/^\[server\]/d' \
	    -e '/^socket = /d' "$1" >"$2"
	printf '[store]\nbackend = postgresql\ndsn = %s\n' "$(pg_dsn coll)" >>"$2"
}

collections() {
	local win done=0 n last=0 t0 f
	RND=$OUT/collect-rounds.txt
	: >"$RND"
	rm -f "$OUT"/collect-sqlite-*.txt "$OUT/collect-pg.txt"
	for win in $WINDOWS; do last=$win; done
	server || die "no certdeskd could be started ($(tail -1 "$W/certdeskd.log" 2>/dev/null))"
	printf 'Bench-Pass-2026\n' >"$W/pw"
	chmod 600 "$W/pw"
	mkdir -p "$W/out/eng"
	t0=$(now_ms)
	for win in $WINDOWS; do
		[ "$win" -gt "$done" ] ||
		    die "window $win: windows must be at least $((WIDTH + 2 * PAIRS)) apart"
		n=$((win + WIDTH - 1 - done))
		say "growth: collections $((done + 1))-$((win + WIDTH - 1)) in the engine (SQLite)"
		f=$OUT/collect-sqlite-$win.txt
		"$BENCH_BIN/collect-loop" -c "$W/conf" -p ec -u "$me" \
		    -d "$W/out/eng" -n "$n" -a >"$f" || die "collect-loop failed"
		echo "$win eng $(window_med "$f" $((win - done)))" >>"$RND"
		echo "$win engst $(window_med "$f" $((win - done)) store)" >>"$RND"
		done=$((win + WIDTH - 1 + 2 * PAIRS))
		say "growth: $PAIRS CLI pairs after collection $((win + WIDTH - 1))"
		WIN=$win cli_pairs
	done
	kill "$SRV_PID"; wait "$SRV_PID"; SRV_PID=
	say "growth: SQLite part $(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.0f", (b - a) / 1000 }') s"
	if [ "$USE_PG" != 0 ]; then
		T=$W
		pg_start "$W" || die "private postgresql: $PG_WHY"
		trap 'pg_stop; paired_cleanup' EXIT
		pg_createdb coll >/dev/null || die "createdb"
		pg_conf_of "$W/conf" "$W/pg.conf"
		mkdir -m 700 "$W/pgdata"
		CERTDESK_MODE=embedded "$CERTDESK" -c "$W/pg.conf" init \
		    --ca-name "bench CA" >/dev/null || die "init on postgresql"
		say "growth: collections 1-$((last + WIDTH - 1)) in the engine (PostgreSQL)"
		t0=$(now_ms)
		f=$OUT/collect-pg.txt
		"$BENCH_BIN/collect-loop" -c "$W/pg.conf" -p ec -u "$me" \
		    -d "$W/out/eng" -n $((last + WIDTH - 1)) -a >"$f" ||
		    die "collect-loop on postgresql failed"
		for win in $WINDOWS; do
			echo "$win pg $(window_med "$f" "$win")" >>"$RND"
			echo "$win pgst $(window_med "$f" "$win" store)" >>"$RND"
		done
		say "growth: PostgreSQL part $(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.0f", (b - a) / 1000 }') s"
		pg_stop
	fi
	echo
	echo "Collections (EC P-256, ms per collection, median of each window;" \
	    "store: the steps other than key generation, issuance and packing;" \
	    "CLI: $PAIRS pairs after the window)"
	echo
	echo "| collections | engine, SQLite | store | engine, PostgreSQL | store |" \
	    "CLI through certdeskd | CLI in-process | certdeskd / in-process |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	for win in $WINDOWS; do
		awk -v w="$win" '$1 == w { print "x", $2, $3 }
		    index($1, w ":") == 1 { print $1, $2, $3 }' "$RND" >"$W/win"
		printf '| %s-%s (CLI %s-%s) | %s | %s | %s | %s | %s | %s | %s |\n' \
		    "$win" $((win + WIDTH - 1)) $((win + WIDTH)) \
		    $((win + WIDTH - 1 + 2 * PAIRS)) "$(medf 1 eng)" "$(medf 2 engst)" \
		    "$(medf 1 pg)" "$(medf 2 pgst)" "$(medf 1 srv)" "$(medf 1 emb)" \
		    "$(ratio_of "$W/win" srv emb)"
	done
}

searches() {
	local t0
	t0=$(now_ms)
	say "growth: search.sh, sizes $BENCH_SIZES"
	BENCH_OUT=$OUT BENCH_STARTUP=0 bash "$top_srcdir/bench/search.sh" \
	    >"$OUT/search.log" || die "search.sh failed"
	say "growth: search.sh $(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.0f", (b - a) / 1000 }') s"
	: >"$OUT/pg.txt"
	if [ "$USE_PG" != 0 ]; then
		t0=$(now_ms)
		say "growth: pg.sh, sizes $BENCH_PG_SIZES"
		BENCH_OUT=$OUT BENCH_PG_KINDS=pg BENCH_PG_PLANS=0 BENCH_PG_COLL=0 \
		    bash "$top_srcdir/bench/pg.sh" >"$OUT/pg.log" ||
		    die "pg.sh failed"
		say "growth: pg.sh $(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.0f", (b - a) / 1000 }') s"
		sed 's/^/  /' "$OUT/pg-size.txt" >&2
	fi
	echo
	echo "Search ($BENCH_REPS calls per query, ms, median / p99)"
	echo
	echo "| requests | query | engine, SQLite | engine, PostgreSQL | through certdeskd (SQLite) |"
	echo "| --- | --- | --- | --- | --- |"
	awk -F'\t' '
	function f(k) { return (k in v) ? v[k] : "-" }
	function mp(a, b) { return sprintf("%.2f / %.1f", a, b) }
	FILENAME ~ /search.txt$/ && FNR > 1 {
		q = $2; s = "sqlite"
		if (sub(/ via certdeskd$/, "", q)) s = "srv"
		v[$1, q, s] = mp($3, $4); n[$1] = 1 }
	FILENAME ~ /pg.txt$/ && FNR > 1 && $2 == "pg" { v[$1, $3, "pg"] = mp($4, $5); n[$1] = 1 }
	END {
		split("first-screen(all) name-prefix", qs, " ")
		for (size in n) sizes[++ns] = size + 0
		for (i = 1; i <= ns; i++) for (j = i + 1; j <= ns; j++)
			if (sizes[j] < sizes[i]) { t = sizes[i]; sizes[i] = sizes[j]; sizes[j] = t }
		for (i = 1; i <= ns; i++) for (k = 1; k <= 2; k++)
			printf "| %s | %s | %s | %s | %s |\n", sizes[i], qs[k],
			    f(sizes[i] SUBSEP qs[k] SUBSEP "sqlite"),
			    f(sizes[i] SUBSEP qs[k] SUBSEP "pg"),
			    f(sizes[i] SUBSEP qs[k] SUBSEP "srv")
	}' "$OUT/search.txt" "$OUT/pg.txt"
}

{	# a subshell (the pipe): the cleanup trap again
	trap 'pg_stop; paired_cleanup' EXIT
	echo "growth, $(date '+%Y-%m-%d %H:%M'), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	start=$EPOCHREALTIME
	case " $PARTS " in *" collect "*) collections ;; esac
	case " $PARTS " in *" search "*) searches ;; esac
	echo
	awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { printf "total: %.0f s, ", a - b }'
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/growth.txt"
