#!/bin/bash
# SPDX-License-Identifier: ISC
# pg.sh - the PostgreSQL store against the SQLite one, on demand (never
# in make check): a private PostgreSQL on a Unix socket (tests/lib/pg.sh),
# stores of N generated requests (bench/gen-store into SQLite, then
# 'certdesk store migrate' into PostgreSQL, timed), the search screen's
# queries on both (bench/search: median and p99), the plan of a name
# search (EXPLAIN ANALYZE), the size of each store, and collections per
# second on PostgreSQL from one side and from two sides at once.
#
#   BENCH_PG_SIZES   store sizes (default "100000 1000000")
#   BENCH_REPS       calls per query kind (default 200)
#   BENCH_PG_COLL    collections per side (default 20; 0 leaves them out)
#   BENCH_PG_KINDS   stores whose searches are timed (default "sqlite pg")
#   BENCH_PG_PLANS   0 leaves out the name-search plans (default 1)
# Tables on stdout and in $BENCH_OUT/pg.txt, plans in $BENCH_OUT/pg-plans.txt.
# Needs root (initdb runs as the postgres user) and 'make bench' programs.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"
. "$top_srcdir/tests/lib/pg.sh"

SIZES=${BENCH_PG_SIZES:-"100000 1000000"}
REPS=${BENCH_REPS:-200}
NCOLL=${BENCH_PG_COLL:-20}
RES=$BENCH_OUT/pg.txt
PLANS=$BENCH_OUT/pg-plans.txt
[ -x "$BENCH_BIN/search" ] && [ -x "$BENCH_BIN/gen-store" ] ||
    die "build the bench programs first: make bench (or make $BENCH_BIN/search $BENCH_BIN/gen-store)"
scratch
T=$W
chmod 755 "$W"
pg_available || die "$PG_WHY"
pg_start "$W" || die "private postgresql: $PG_WHY"
trap 'pg_stop; rm -rf "$W"' EXIT

# pg_conf FROM TO DB: the configuration FROM on PostgreSQL database DB
pg_conf() {
	sed "s|^\[security\]|[store]\nbackend = postgresql\ndsn = $(pg_dsn "$3")\n\n[security]|" \
	    "$1" >"$2"
}

printf 'requests\tstore\tquery\tmedian ms\tp99 ms\tmax ms\trows\n' >"$RES"
: >"$PLANS"
SIZE_LINES=
for n in $SIZES; do
	D=$W/s$n
	mkdir -p "$D"
	CONF=$D/sqlite.conf
	write_bench_conf "$CONF" "$D/data" no
	cd_run init >/dev/null || die "certdesk init failed"
	say "pg: generating $n requests"
	"$BENCH_BIN/gen-store" -d "$D/data" -n "$n" \
	    -P ec-p256,rsa2048,rsa3072 >"$D/gen" || die "gen-store failed"
	pg_createdb "s$n" || die "createdb"
	pg_conf "$CONF" "$D/pg.conf" "s$n"
	say "pg: store migrate of $n requests"
	t0=$(now_ms)
	cd_run store migrate --from "sqlite:$D/data" \
	    --to "postgresql:$(pg_dsn "s$n")" >"$D/migrate" ||
	    die "store migrate failed"
	t1=$(now_ms)
	pg_psql "s$n" -c "VACUUM ANALYZE" >/dev/null
	for kind in ${BENCH_PG_KINDS:-sqlite pg}; do
		c=$D/sqlite.conf; [ $kind = pg ] && c=$D/pg.conf
		"$BENCH_BIN/search" -c "$c" -r "$REPS" >"$D/search.$kind" ||
		    die "search on $kind failed"
		awk -v n="$n" -v k="$kind" '$1 == "engine_open_ms" {
		    printf "%s\t%s\tengine-open\t%s\t-\t-\t-\n", n, k, $2 }
		    $1 == "query" { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		    n, k, $2, $3, $4, $5, $6 }' "$D/search.$kind" >>"$RES"
	done
	# the statements as store-pg.c sends them for a name search of the
	# search screen (201 rows): the matching people first, then their
	# requests with the people as one array (walk: "+ 0"), and the old
	# form with the people as a subquery, for comparison
	for w in "smi" "wil" "john smi" "a"; do
		[ "${BENCH_PG_PLANS:-1}" != 0 ] || break
		set -- $w
		cond=""
		for x in "$@"; do
			cond="$cond${cond:+ INTERSECT }SELECT person_id FROM person_words WHERE word >= '$x' AND word < '$x' || U&'\\+10FFFF'"
		done
		ids=$(pg_psql "s$n" -At -c "SELECT coalesce(array_agg(id)::text,
		    '{}') FROM people WHERE id IN ($cond)")
		m=$(echo "$ids" | tr ',' '\n' | grep -c '[0-9]')
		for form in "r.person_id = ANY ('$ids'::bigint[])" \
		    "(r.person_id + 0) = ANY ('$ids'::bigint[])" \
		    "r.person_id IN ($cond)" "(r.person_id + 0) IN ($cond)"; do
			printf '== %s requests, name "%s" (%s people), newest 201, %s\n' \
			    "$n" "$w" "$m" "$(echo "$form" | cut -c1-40)" >>"$PLANS"
			pg_psql "s$n" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
			    SELECT r.id FROM requests r WHERE $form ORDER BY
			    r.created_at DESC, r.id DESC LIMIT 201" 2>&1 |
			    sed 's/ANY (.{[0-9,]*}.::bigint\[\])/ANY (ids)/' \
			    >>"$PLANS"
		done
	done
	db=$(stat -c %s "$D/data/certdesk.db")
	pgs=$(pg_psql "s$n" -At -c "SELECT pg_database_size('s$n')")
	SIZE_LINES="$SIZE_LINES$n\t$((db / 1048576))\t$((pgs / 1048576))\t$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')\n"
done
table "$RES"
printf '\nrequests\tSQLite MB\tPostgreSQL MB\tstore migrate s\n' | tee "$BENCH_OUT/pg-size.txt"
printf "$SIZE_LINES" | tee -a "$BENCH_OUT/pg-size.txt"

# collections per second on one PostgreSQL store: one side, then two
[ "$NCOLL" -gt 0 ] || exit 0
D=$W/coll
mkdir -p "$D"
write_bench_conf "$D/sqlite.conf" "$D/data" no
pg_createdb coll
pg_conf "$D/sqlite.conf" "$D/pg.conf" coll
CONF=$D/pg.conf
cd_run init >/dev/null || die "init on postgresql failed"
cd_run person add --logon "$(id -un)" --name "Bench Operator" \
    --roles view,request,collect >/dev/null 2>&1
cd_run person add --logon bench.user --name "Bench User" \
    --email bench@example.org >/dev/null || die "person add"
printf 'Bench-Pass(1)\n' >"$D/pw"
reqs() { local i; for i in $(seq "$1"); do
	cd_run request new --person bench.user --profile ec-p256 2>/dev/null; done; }
side() {	# side IDS...: collect each in turn
	local id
	for id in "$@"; do
		mkdir -p "$D/out/$id"
		cd_run collect "$id" --folder "$D/out/$id" \
		    --password-file "$D/pw" >/dev/null || echo "fail $id" >&2
	done
}
ids=$(reqs "$NCOLL")
t0=$(now_ms); side $ids; t1=$(now_ms)
one=$(awk -v a="$t0" -v b="$t1" -v n="$NCOLL" 'BEGIN { printf "%.2f", n / ((b - a) / 1000) }')
a=$(reqs "$NCOLL"); b=$(reqs "$NCOLL")
t0=$(now_ms); side $a & side $b & wait; t1=$(now_ms)
two=$(awk -v a="$t0" -v b="$t1" -v n="$((2 * NCOLL))" 'BEGIN { printf "%.2f", n / ((b - a) / 1000) }')
printf '\nsides\tcollections\tper second (EC P-256, PostgreSQL store)\n1\t%s\t%s\n2\t%s\t%s\n' \
    "$NCOLL" "$one" "$((2 * NCOLL))" "$two" | tee "$BENCH_OUT/pg-collect.txt"
