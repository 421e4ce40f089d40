#!/bin/sh
# SPDX-License-Identifier: ISC
# pg-collect.sh - collections from two sides on one PostgreSQL store.
# The collection API is not served over certdeskd's socket yet, so each
# side is 'certdesk collect' in embedded mode with its own configuration
# file (conf A, conf B) on the same database and the same CA files (the
# deployment certdeskd(8) describes: every server on one database and
# one CA); this exercises the same store claim certdeskd will.
#  - 16 collectors, alternating sides, on 4 requests released at once:
#    exactly one collection per request, the others refused (exit 3),
#    one collect.commit per request and no duplicated audit row;
#  - a collector killed with SIGKILL mid-collection: both sides' sweeps
#    run at once after the delay; the attempt is aborted exactly once
#    and its certificates are revoked exactly once;
#  - the database restarted mid-collection: the collection fails
#    cleanly, rolls back, and the next one succeeds.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/common.sh"
. "$top_srcdir/tests/rel/lib.sh"
. "$top_srcdir/tests/lib/pg.sh"

pg_available || skip_all "$PG_WHY"
pg_start "$T" || bail_out "private postgresql: $PG_WHY"
pg_createdb shared || bail_out "createdb"
DSN=$(pg_dsn shared)
sql() { pg_psql shared -At -c "$1"; }

write_conf
sed -i "s|^backend = sqlite|backend = postgresql\\ndsn = $DSN|" "$CONF"
cd_ init
[ "$RC" -eq 0 ] || bail_out "certdesk init: $(head -n 3 "$ERR")"
cd_ person add --logon Susan.Smith --name "Susan Smith" \
    --email susan@example.com --upn susan@corp.example.com --roles view
[ "$RC" -eq 0 ] || bail_out "person add: $(head -n 3 "$ERR")"
CONF_A=$CONF
CONF_B=$T/b.conf
cp "$CONF_A" "$CONF_B"
mkdir "$T/out"

# --- 16 collectors on 4 requests, both sides, slow packaging
sed -i 's/^pfx_iterations = .*/pfx_iterations = 200000/' "$CONF_A" "$CONF_B"
R="" k=1
while [ $k -le 4 ]; do R="$R $(new_req Susan.Smith user-pin)"; k=$((k + 1)); done
mkfifo "$T/go"
i=1
for id in $R; do
	for side in A B A B; do
		eval "c=\$CONF_$side"
		mkdir -p "$T/out/$id.$i"
		(read -r _ <"$T/go"; exec "$CERTDESK" -c "$c" collect "$id" \
		    --folder "$T/out/$id.$i" --password-file "$T/pw.$id" \
		    >"$T/c.$i.out" 2>"$T/c.$i.err") &
		eval "pid$i=\$! req$i=$id"
		i=$((i + 1))
	done
done
sleep 0.3
i=1; while [ $i -le 16 ]; do echo go; i=$((i + 1)); done >"$T/go"
won="" other=0 refused=0
i=1
while [ $i -le 16 ]; do
	eval "wait \$pid$i; rc=\$?; id=\$req$i"
	case $rc in
	0) won="$won $id" ;;
	3) refused=$((refused + 1)) ;;
	*) other=$((other + 1)); sed "s/^/# collector $i (exit $rc): /" "$T/c.$i.err" ;;
	esac
	i=$((i + 1))
done
check "16 collectors of 4 requests: one success per request ($won)" \
    test "$(echo $won | tr ' ' '\n' | sort -u | wc -l)" -eq 4 -a \
    "$(echo $won | wc -w)" -eq 4
check "the 12 others are refused with exit 3 ($refused, $other otherwise)" \
    test "$refused" -eq 12 -a "$other" -eq 0
n=0
for id in $R; do
	[ "$(status_of "$id")" = completed ] && n=$((n + 1))
done
is "$n" 4 "the 4 requests are completed"
for id in $R; do
	is "$(sql "SELECT count(*) FROM audit WHERE action = 'collect.commit'
	    AND object = 'request $id'")" 1 "request $id: one collect.commit"
done
is "$(sql "SELECT count(*) - count(DISTINCT (action, object, detail)) FROM
    audit WHERE outcome = 'ok'")" 0 "no successful audit row is duplicated"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'collect.begin'
    AND outcome = 'refused'")" 12 "one refusal row per refused collector"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'collect.begin'
    AND outcome = 'ok'")" 4 "one begin row per collection"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'cert.issue'")" \
    "$(sql "SELECT count(*) FROM certs")" \
    "every certificate issued has its audit row, and no other"
is "$(sql "SELECT max(id) - count(*) FROM audit")" 0 \
    "audit ids have no gaps (no row lost from a committed collection)"
check "invariants hold" inv_check "$T/out" allow-pending

# --- a collector killed mid-collection; both sides sweep at once
id=$(new_req Susan.Smith user-pin)
mkdir "$T/kill"
sed -i 's/^pfx_iterations = .*/pfx_iterations = 600000/' "$CONF_A"; sed -i "s/^mac_iterations = .*/mac_iterations = 600000/" "$CONF_A" "$CONF_B"
"$CERTDESK" -c "$CONF_A" collect "$id" --folder "$T/kill" \
    --password-file "$T/pw.$id" >"$T/k.out" 2>"$T/k.err" &
kp=$!
check "the collector holds the request" wait_until 20 status_is "$id" \
    being-collected
check "... and has a certificate issued" wait_until 20 sh -c \
    "[ \$(psql -X -At -h '$PG_DIR/sock' -p $PG_PORT -U certdesk -d shared \
    -c \"SELECT count(*) FROM certs WHERE request_id = $id\") -gt 0 ]"
kill -9 "$kp"; wait "$kp" 2>/dev/null
is "$(sql "SELECT state FROM attempts WHERE request_id = $id")" 0 \
    "killed: its attempt is still in progress in the store"
for side in A B A B; do
	eval "c=\$CONF_$side"
	(CERTDESK_CLOCK_OFFSET=1000 exec "$CERTDESK" -c "$c" sweep \
	    >"$T/s.$side.$$.out" 2>&1) &
	sp="${sp:-} $!"
done
for p in $sp; do wait "$p"; done
is "$(status_of "$id")" awaiting-collection \
    "after the sweeps the request awaits collection again"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'collect.abort'
    AND object = 'request $id'")" 1 "four sweeps at once: one abort"
is "$(sql "SELECT count(*) FROM certs WHERE request_id = $id
    AND status <> (SELECT status FROM certs WHERE request_id = $id
    AND revoked_at > 0 LIMIT 1)")" 0 "every certificate of it is revoked"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'cert.revoke'
    AND object = 'request $id'")" \
    "$(sql "SELECT count(*) FROM certs WHERE request_id = $id")" \
    "... each exactly once"
sed -i 's/^pfx_iterations = .*/pfx_iterations = 200000/' "$CONF_A"

# --- the database restarts mid-collection
id=$(new_req Susan.Smith user-pin)
mkdir "$T/restart"
sed -i 's/^pfx_iterations = .*/pfx_iterations = 600000/' "$CONF_B"; sed -i "s/^mac_iterations = .*/mac_iterations = 600000/" "$CONF_A" "$CONF_B"
"$CERTDESK" -c "$CONF_B" collect "$id" --folder "$T/restart" \
    --password-file "$T/pw.$id" >"$T/r.out" 2>"$T/r.err" &
rp=$!
check "the collector holds the request" wait_until 20 status_is "$id" \
    being-collected
pg_restart || bail_out "postgresql restart: $PG_WHY"
wait "$rp"; rc=$?
check "the collection across a database restart fails (exit $rc)" \
    test "$rc" -ne 0 -a "$rc" -ne 3
sed 's/^/#   /' "$T/r.err"
is "$(status_of "$id")" awaiting-collection "... and rolls back: the request awaits collection"
check "... leaving no package" sh -c "! ls '$T/restart' | grep -q ."
sed -i 's/^pfx_iterations = .*/pfx_iterations = 2048/' "$CONF_A" "$CONF_B"
run "$CERTDESK" -c "$CONF_A" collect "$id" --folder "$T/restart" \
    --password-file "$T/pw.$id"
expect_rc 0 "the next collection succeeds"
is "$(status_of "$id")" completed "... and the request is completed"
done_testing
