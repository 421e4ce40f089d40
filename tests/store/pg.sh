#!/bin/sh
# SPDX-License-Identifier: ISC
# pg.sh - the store conformance suite (tests/unit/t-store) against the
# PostgreSQL backend on a private server, the migrations from older schema
# versions, and what only the database can show: the audit trail
# is append-only for its owner (trigger) and for the server's role
# (privileges), and a password in the dsn is refused at load.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"

[ -x "$top_builddir/tests/unit/t-store" ] ||
    skip_all "tests/unit/t-store not built"
pg_available || skip_all "$PG_WHY"
pg_start "$T" || bail_out "private postgresql: $PG_WHY"
pg_createdb suite && pg_createdb older && pg_createdb four ||
    bail_out "createdb"

# psql_ok DESC DB SQL / psql_refused DESC PATTERN DB SQL
psql_ok() { _d=$1; shift; run pg_psql "$@"; expect_rc 0 "$_d"; }
psql_refused() {
	_d=$1 _p=$2; shift 2
	run pg_psql "$@"
	if [ "$RC" -ne 0 ] && grep -qE -- "$_p" "$ERR"; then ok "$_d"
	else not_ok "$_d (exit $RC, stderr lacks /$_p/)"; fi
}

# the C suite, its results counted here
CERTDESK_TEST_STORE=postgresql CERTDESK_TEST_PG_DSN=$(pg_dsn suite) \
CERTDESK_TEST_PG_DSN2=$(pg_dsn older) \
CERTDESK_TEST_PG_DSN3=$(pg_dsn four) \
    "$top_builddir/tests/unit/t-store" >"$T/suite.tap" 2>&1
rc=$?
n=$(grep -c '^ok ' "$T/suite.tap")
bad=$(grep -c '^not ok ' "$T/suite.tap")
grep -v '^ok ' "$T/suite.tap" | head -40 | sed 's/^/#   /'
check "t-store against postgresql: $n passed, $bad failed, exit $rc" \
    test "$rc" -eq 0 -a "$bad" -eq 0 -a "$n" -gt 150

# the audit trail: the owner's UPDATE, DELETE, TRUNCATE refused by trigger
psql_refused "the owner's UPDATE of the audit is refused" append-only \
    suite -c "UPDATE audit SET detail = 'x'"
psql_refused "the owner's DELETE of the audit is refused" append-only \
    suite -c "DELETE FROM audit"
psql_refused "the owner's TRUNCATE of the audit is refused" append-only \
    suite -c "TRUNCATE audit"
is "$(pg_psql suite -At -c 'SELECT count(*) FROM audit')" 5 \
    "... and the audit rows are all there"

# the documented role set-up: the server's role may not UPDATE/DELETE
pg_createdb roles
psql_ok "etc/certdesk-pg-init.sql runs" roles \
    -f "$top_srcdir/etc/certdesk-pg-init.sql"
write_conf
sed -i "s|^backend = sqlite|backend = postgresql\\ndsn = $(pg_dsn roles) user=certdesk_owner|" "$CONF"
sed -n '/^\[store\]/,/^$/p' "$CONF" | sed 's/^/# /'
cd_ init
expect_rc 0 "certdesk init creates the schema as the owner role"
psql_ok "the server role may INSERT people" roles -c \
    "SET ROLE certdesk_server; INSERT INTO people (logon) VALUES ('r.one')"
psql_ok "the server role may INSERT into the audit" roles -c \
    "SET ROLE certdesk_server; INSERT INTO audit (at, action) VALUES (1, 'x')"
psql_refused "the server role may not UPDATE the audit" "permission denied" \
    roles -c "SET ROLE certdesk_server; UPDATE audit SET at = 2"
psql_refused "the server role may not DELETE from the audit" \
    "permission denied" roles -c "SET ROLE certdesk_server; DELETE FROM audit"
sed -i 's/user=certdesk_owner/user=certdesk_server/' "$CONF"
cd_ person list
expect_rc 0 "certdesk works as the server role"

# a store newer than this code is refused, and not touched
pg_psql older -c "UPDATE certdesk_schema SET version = 99"
sed -i "s|^dsn = .*|dsn = $(pg_dsn older)|" "$CONF"
cd_ person list
check "a store of a newer schema version is refused" test "$RC" -ne 0
expect_err "newer" "... saying so"
is "$(pg_psql older -At -c 'SELECT version FROM certdesk_schema')" 99 \
    "... and its version is left alone"
sed -i "s|^dsn = .*|dsn = $(pg_dsn roles) user=certdesk_server|" "$CONF"

# a password in certdesk.conf is refused, naming file and line
sed -i 's/user=certdesk_server/password=s3cr3tpw/' "$CONF"
cd_ person list
check "a password in the dsn is refused" test "$RC" -ne 0
expect_err "certdesk.conf:[0-9]+.*password" "... naming file and line"
check "... and not showing it" never_contains s3cr3tpw "$ERR" "$OUT"
done_testing
