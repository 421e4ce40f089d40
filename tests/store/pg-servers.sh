#!/bin/sh
# SPDX-License-Identifier: ISC
# pg-servers.sh - two certdeskd servers, each with its own socket, on one
# PostgreSQL store (a private server on a Unix socket): each registers its
# instance row; what one server writes the other serves at once; 16
# clients making requests through both at the same time get 16 distinct
# requests and 16 audit rows, none lost or duplicated; 16 clients
# ('certdesk collect' as a real user) collecting the same requests through
# both: exactly one collection per request, its attempt held by one
# server's instance, no lost or duplicated audit row; a server killed with
# SIGKILL in the middle of a collection leaves the other serving the whole
# store, and the other servers' sweeps abort the orphaned attempt and
# revoke its certificates after the delay, exactly once; a clean stop
# leaves a last heartbeat on the server's row.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/server/lib.sh"
. "$top_srcdir/tests/lib/pg.sh"

need_root
pg_available || skip_all "$PG_WHY"
srv_users || bail_out "cannot create the test users"
chmod 755 "$T"
pg_start "$T" || bail_out "private postgresql: $PG_WHY"
pg_createdb shared || bail_out "createdb"
sql() { pg_psql shared -At -c "$1"; }

write_conf
# revoke_delay longer than attempt_timeout (600): an aborted attempt's
# certificates wait for their delay (counted from its last heartbeat)
sed -i -e "s|^backend = sqlite|backend = postgresql\\ndsn = $(pg_dsn shared)|" \
    -e "s|^revoke_delay = .*|revoke_delay = 1800|" "$CONF"
cat >>"$CONF" <<CONF

[server]
socket = $T/run/a.sock
idle_timeout = 5
workers = 4
CONF
mkdir -p "$T/data" "$T/run"
chown "$SRV_USER" "$T/data" "$T/run"
chmod 700 "$T/data"
chmod 755 "$T/run"
as "$SRV_USER" "$CERTDESK" -c "$CONF" init --ca-name "certdesk test CA"
[ "$RC" -eq 0 ] || bail_out "init: $(cat "$ERR")"
srv_admin person add --logon "$OP1" --name "Olga Operator" \
    --email op1@example.com --roles view,request,collect,admin &&
srv_admin person add --logon Susan.Smith --name "Susan Smith" \
    --email susan@example.com --roles view || bail_out "person add"

# two servers on the one database, each on its own socket
start_on() {
	setpriv --reuid="$SRV_USER" --regid="$SRV_USER" --init-groups \
	    "$CERTDESKD" -c "$CONF" -s "$T/run/$1.sock" --sweep-interval 0 \
	    2>"$T/certdeskd.$1.log" &
	eval "PID_$1=\$!"
	SOCK=$T/run/$1.sock
	wait_socket
}
check "server A starts" start_on a
check "server B starts" start_on b
trap 'kill -TERM $PID_a $PID_b 2>/dev/null; pg_stop; rm -rf "$T"' EXIT
is "$(sql "SELECT string_agg(pid::text, ' ' ORDER BY pid) FROM instances")" \
    "$(printf '%s\n' "$PID_a" "$PID_b" | sort -n | tr '\n' ' ' |
    sed 's/ $//')" "each server registered one instance row, with its pid"
inst_a=$(sql "SELECT id FROM instances WHERE pid = $PID_a")
inst_b=$(sql "SELECT id FROM instances WHERE pid = $PID_b")

SOCK=$T/run/a.sock
api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
expect_status 201 "a request made through A"
id=$(json_get id)
SOCK=$T/run/b.sock
api "$OP1" GET "/v1/requests/$id"
expect_status 200 "... is served by B at once"
SOCK=$T/run/b.sock
api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
id2=$(json_get id)
SOCK=$T/run/a.sock
api "$OP1" GET "/v1/requests/$id2"
expect_status 200 "a request made through B is served by A"
api "$OP1" GET /v1/audit
cp "$OUT" "$T/audit.a"
SOCK=$T/run/b.sock
api "$OP1" GET /v1/audit
expect_status 200 "B serves the audit trail"
check "... the same as A, written by both" sh -c \
    "grep -q 'request $id2\"' '$OUT' && cmp -s '$T/audit.a' '$OUT'"

# 16 clients at once, alternating servers
mkdir "$T/c" && chmod 777 "$T/c"
i=0 pids=
while [ $i -lt 16 ]; do
	s=a; [ $((i % 2)) -eq 0 ] && s=b
	( runuser -u "$OP1" -- curl -s -o "$T/c/$i.body" -w '%{http_code}\n' \
	    --unix-socket "$T/run/$s.sock" -X POST \
	    -H 'Content-Type: application/json' \
	    --data-binary '{"person":"Susan.Smith","profile":"user-pin"}' \
	    http://localhost/v1/requests >"$T/c/$i.code" 2>&1 ) &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
is "$(cat "$T"/c/*.code | grep -c '^201$')" 16 \
    "16 clients through both servers: 16 requests made"
is "$(grep -ho '"id":[0-9]*' "$T"/c/*.body | sort -u | wc -l)" 16 \
    "... with 16 distinct ids"
is "$(sql "SELECT count(*) FROM requests")" 18 "... all in the store"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'request.new'")" 18 \
    "one request.new audit row per request, none lost"
is "$(sql "SELECT count(*) - count(DISTINCT object) FROM audit
    WHERE action = 'request.new'")" 0 "... and none duplicated"

# 16 clients collect the same 4 requests through both servers, each
# trying every request (in its own order) with 'certdesk collect'
# the folders: the server checks the journalled paths too (search only)
mkdir "$T/out" && chown "$OP1" "$T/out" && chmod 711 "$T/out"
printf 'Secret-Pass-123\n' >"$T/pw" && chown "$OP1" "$T/pw" &&
    chmod 600 "$T/pw"
SOCK=$T/run/a.sock
ids=
for k in 1 2 3 4; do
	api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
	ids="$ids $(json_get id)"
done
set -- $ids
i=0 pids=
while [ $i -lt 16 ]; do
	s=a; [ $((i % 2)) -eq 0 ] && s=b
	case $((i % 4)) in
	0) order="$1 $2 $3 $4";; 1) order="$2 $3 $4 $1";;
	2) order="$3 $4 $1 $2";; *) order="$4 $1 $2 $3";;
	esac
	(
		for id in $order; do
			runuser -u "$OP1" -- mkdir -p "$T/out/$i.$id"
			runuser -u "$OP1" -- env HOME=/nonexistent \
			    XDG_CONFIG_HOME=/nonexistent \
			    CERTDESK_SOCKET="$T/run/$s.sock" "$CERTDESK" \
			    collect "$id" --folder "$T/out/$i.$id" \
			    --password-file "$T/pw" >/dev/null \
			    2>"$T/c/err.$i.$id"
			echo "$id $?" >>"$T/c/coll.$i"
		done
	) &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
won=$(cat "$T"/c/coll.* | awk '$2 == 0 { print $1 }' | sort -n | uniq -c |
    awk '{ printf "%s:%s ", $2, $1 }')
is "$won" "$1:1 $2:1 $3:1 $4:1 " \
    "16 clients, 4 requests, both servers: exactly one collection each"
is "$(cat "$T"/c/coll.* | awk '$2 != 0 && $2 != 3' | wc -l)" 0 \
    "... every other try refused (exit 3), none failed otherwise"
is "$(find "$T/out" -name '*.pfx' | wc -l)" 8 \
    "... two .pfx files per request, none more"
inlist=$(echo "$ids" | sed 's/^ //; s/ /, /g')
objs=$(for id in $ids; do printf "'request %s'," "$id"; done | sed 's/,$//')
is "$(sql "SELECT count(*) FROM requests WHERE id IN ($inlist)
    AND status = 4")" 4 "... all 4 completed in the store"
is "$(sql "SELECT count(*) FROM attempts WHERE request_id IN ($inlist)
    AND state = 1")" 4 "... by one completed attempt each"
is "$(sql "SELECT count(*) FROM attempts WHERE request_id IN ($inlist)
    AND (instance_id IS NULL OR instance_id NOT IN ($inst_a, $inst_b))")" 0 \
    "... every attempt held by one of the two servers' instances"
is "$(sql "SELECT count(*) || ' ' || count(DISTINCT object) FROM audit
    WHERE action = 'collect.commit' AND object IN ($objs)")" "4 4" \
    "one collect.commit audit row per request, none lost or duplicated"
is "$(sql "SELECT count(*) FROM audit WHERE action = 'collect.file'
    AND object IN ($objs)")" 8 "... and one collect.file row per .pfx"

# A collection in progress through A; an attempt's heartbeat moves its
# instance's
SOCK=$T/run/a.sock
api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
kid=$(json_get id)
api "$OP1" POST "/v1/requests/$kid/collection" '{}'
expect_status 201 "a collection begun through A"
cid=$(json_get collection)
api "$OP1" POST "/v1/collections/$cid/password" \
    '{"password":"Secret-Pass-123"}'
api "$OP1" POST "/v1/collections/$cid/issue" '{}'
expect_status 200 "... its certificates issued"
is "$(sql "SELECT count(*) FROM certs WHERE request_id = $kid
    AND status = 0")" 2 "... two certificates, not yet collected"
is "$(sql "SELECT instance_id FROM attempts WHERE request_id = $kid")" \
    "$inst_a" "... its attempt held by A's instance"
sql "UPDATE instances SET heartbeat_at = 0 WHERE id = $inst_a" >/dev/null
api "$OP1" POST "/v1/collections/$cid/heartbeat" '{}'
expect_status 200 "the client's heartbeat through A"
check "... is recorded on A's instance row too" test \
    "$(sql "SELECT heartbeat_at FROM instances WHERE id = $inst_a")" -gt 0

# A killed with SIGKILL mid-collection: B goes on with the whole store
kill -KILL "$PID_a"; wait "$PID_a" 2>/dev/null
SOCK=$T/run/b.sock
api "$OP1" GET '/v1/requests?name=susan&limit=100'
expect_status 200 "A killed: B still serves"
is "$(grep -o '"id":' "$OUT" | wc -l)" 23 "... every request"
check "server B is still running" kill -0 "$PID_b"
api "$OP1" POST "/v1/requests/$kid/collection" '{}'
expect_status 409 "... and refuses the request A's attempt still holds"

# a clean stop of B: a last heartbeat on its row
sql "UPDATE instances SET heartbeat_at = 0 WHERE id = $inst_b" >/dev/null
kill -TERM "$PID_b"; wait "$PID_b"
is "$?" 0 "B stops cleanly on SIGTERM"
check "... with a last heartbeat on its instance row" test \
    "$(sql "SELECT heartbeat_at FROM instances WHERE id = $inst_b")" -gt 0

# wait_sql DESC WANT SQL: poll (20 s at most) until SQL gives WANT
wait_sql() {
	_n=0
	while [ "$(sql "$3")" != "$2" ] && [ $_n -lt 200 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	is "$(sql "$3")" "$2" "$1"
}

# B again, sweeping every second, its clock past attempt_timeout (600)
# but not past revoke_delay (1800): A's attempt is stale
setpriv --reuid="$SRV_USER" --regid="$SRV_USER" --init-groups env \
    CERTDESK_CLOCK_OFFSET=700 "$CERTDESKD" -c "$CONF" -s "$T/run/b.sock" \
    --sweep-interval 1 2>"$T/certdeskd.b3.log" &
PID_b=$!
wait_sql "B's sweep aborts A's orphaned attempt" 4 \
    "SELECT state FROM attempts WHERE request_id = $kid"
is "$(sql "SELECT status FROM requests WHERE id = $kid")" 2 \
    "... the request awaits collection again"
is "$(sql "SELECT count(*) FROM certs WHERE request_id = $kid
    AND status = 0 AND revoke_after > 0")" 2 \
    "... its certificates marked for revocation, not yet revoked (delay)"
kill -TERM "$PID_b"; wait "$PID_b"

# after the delay: two servers sweeping at once revoke them, once each
for s in a b; do
	setpriv --reuid="$SRV_USER" --regid="$SRV_USER" --init-groups env \
	    CERTDESK_CLOCK_OFFSET=1900 "$CERTDESKD" -c "$CONF" \
	    -s "$T/run/$s.sock" --sweep-interval 1 \
	    2>"$T/certdeskd.$s.late.log" &
	eval "PID_$s=\$!"
done
wait_sql "after the delay, the sweeps revoke both certificates" 2 \
    "SELECT count(*) FROM certs WHERE request_id = $kid AND status = 2"
sleep 3		# more sweeps of both servers
is "$(sql "SELECT count(*) || ' ' || count(DISTINCT detail) FROM audit
    WHERE action = 'cert.revoke'")" "2 2" \
    "... exactly once each (one cert.revoke audit row per certificate)"
is "$(sql "SELECT count(*) FROM attempts WHERE request_id = $kid
    AND state = 4")" 1 "... and the attempt was aborted exactly once"
done_testing
