#!/bin/sh
# SPDX-License-Identifier: ISC
# pg-migrate.sh - 'certdesk store migrate' from the demo store (SQLite)
# to a private PostgreSQL: every row of every table is there afterwards
# (counts and checksums, and psql's own counts), the searches give the
# same results on both stores, the new store goes on working (new ids
# after the copied ones), and a target that is not empty is refused.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"

pg_available || skip_all "$PG_WHY"
pg_start "$T" || bail_out "private postgresql: $PG_WHY"
pg_createdb moved || bail_out "createdb"
DSN=$(pg_dsn moved)

write_conf
cd_ init --demo
expect_rc 0 "certdesk init --demo (SQLite)"
# more people than one batch of the copy (200 rows), names with quotes
{ echo "logon,full_name,email"
  i=1; while [ $i -le 450 ]; do
	echo "bulk.$i,\"Bulk O'Person $i\",bulk$i@example.org"; i=$((i + 1))
  done; } >"$T/people.csv"
cd_ person import "$T/people.csv"
expect_rc 0 "450 more people imported"
cp "$CONF" "$T/sqlite.conf"

cd_ store migrate --from "sqlite:$T/data/certdesk.db" --to "postgresql:$DSN"
expect_rc 0 "store migrate sqlite -> postgresql"
expect_out "copied and checked" "... says every table was checked"
cp "$OUT" "$T/migrate.out"
for t in people requests certs audit devices attempts person_words; do
	src=$(sqlite3 "$T/data/certdesk.db" "SELECT count(*) FROM $t")
	dst=$(pg_psql moved -At -c "SELECT count(*) FROM $t")
	is "$dst" "$src" "$t: $src rows in SQLite, the same in PostgreSQL"
done
check "the demo store has requests and audit rows" \
    test "$(sqlite3 "$T/data/certdesk.db" 'SELECT count(*) FROM requests')" \
    -gt 0 -a "$(sqlite3 "$T/data/certdesk.db" 'SELECT count(*) FROM audit')" -gt 0
# every column of every row, read by sqlite3 and psql themselves
for t in people:id person_words:person_id,word devices:id requests:id \
    certs:id attempts:id journal:id audit:id; do
	tab=${t%%:*} ord=${t#*:}
	sqlite3 -separator '|' "$T/data/certdesk.db" \
	    "SELECT * FROM $tab ORDER BY $ord" >"$T/s.txt"
	cols=$(sqlite3 "$T/data/certdesk.db" "SELECT group_concat(name, ', ')
	    FROM pragma_table_info('$tab')")
	pg_psql moved -At -F '|' -c "SELECT $cols FROM $tab ORDER BY $ord" \
	    | sed 's/|$/|/' >"$T/p.txt"
	check "$tab: every column of every row is the same" \
	    cmp -s "$T/s.txt" "$T/p.txt"
done

# the same answers from both stores
sed "s|^backend = sqlite|backend = postgresql\\ndsn = $DSN|" "$T/sqlite.conf" \
    >"$T/pg.conf"
for q in "" "--name a" "--name jo" "--status awaiting-collection" \
    "--status completed --limit 3" "--name smi --limit 2"; do
	# shellcheck disable=SC2086
	run "$CERTDESK" -c "$T/sqlite.conf" request search $q --json
	cp "$OUT" "$T/a.json"
	# shellcheck disable=SC2086
	run "$CERTDESK" -c "$T/pg.conf" request search $q --json
	check "request search ${q:-(all)}: the same on both stores" \
	    cmp -s "$T/a.json" "$OUT"
	[ "$q" = "--name jo" ] && check "... (and it found something)" \
	    grep -q '"id"' "$OUT"
done
run "$CERTDESK" -c "$T/sqlite.conf" person list --json
cp "$OUT" "$T/a.json"
run "$CERTDESK" -c "$T/pg.conf" person list --json
check "person list: the same on both stores" cmp -s "$T/a.json" "$OUT"
run "$CERTDESK" -c "$T/sqlite.conf" audit --json
cp "$OUT" "$T/a.json"
run "$CERTDESK" -c "$T/pg.conf" audit --json
check "audit: the same on both stores" cmp -s "$T/a.json" "$OUT"

# the moved store goes on: new rows get new ids
n=$(pg_psql moved -At -c "SELECT max(id) FROM people")
run "$CERTDESK" -c "$T/pg.conf" person add --logon new.one \
    --name "New One" --email new.one@example.org
expect_rc 0 "a person is added to the moved store"
is "$(pg_psql moved -At -c "SELECT id FROM people WHERE logon = 'new.one'")" \
    "$((n + 1))" "... with the next id after the copied ones"

# a target that is not empty is refused, and left alone
cd_ store migrate --from "sqlite:$T/data" --to "postgresql:$DSN"
check "migrating into a store that is not empty is refused" \
    test "$RC" -ne 0
expect_err "not empty" "... saying so"
is "$(pg_psql moved -At -c "SELECT count(*) FROM people WHERE
    logon = 'new.one'")" 1 "... and nothing was written"
cd_ store migrate --from "sqlite:$T/data" \
    --to "postgresql:$DSN password=hunter22"
check "a password on the command line is refused" test "$RC" -ne 0
cd_ store migrate --from "sqlite:$T/data"
expect_rc 2 "store migrate without --to is a usage error"
done_testing
