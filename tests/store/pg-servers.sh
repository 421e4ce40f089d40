#!/bin/sh
# SPDX-License-Identifier: ISC
# pg-servers.sh - two certdeskd servers, each with its own socket, on one
# PostgreSQL store (a private server on a Unix socket): what one server
# writes the other serves at once; 16 clients making requests through
# both at the same time get 16 distinct requests and 16 audit rows, none
# lost or duplicated; a server killed with SIGKILL leaves the other
# serving the whole store.
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
sed -i "s|^backend = sqlite|backend = postgresql\\ndsn = $(pg_dsn shared)|" \
    "$CONF"
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

# A killed: B goes on with the whole store
kill -KILL "$PID_a"; wait "$PID_a" 2>/dev/null
SOCK=$T/run/b.sock
api "$OP1" GET '/v1/requests?name=susan&limit=100'
expect_status 200 "A killed: B still serves"
is "$(grep -o '"id":' "$OUT" | wc -l)" 18 "... every request"
check "server B is still running" kill -0 "$PID_b"
done_testing
