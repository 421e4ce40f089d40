#!/bin/sh
# SPDX-License-Identifier: ISC
# limits.sh - certdeskd under bad input: bodies over the limit get 413,
# malformed JSON and malformed HTTP get a 4xx, unknown paths and methods
# the stable error shape, invalid UTF-8 in the store still gives valid
# JSON, idle connections are closed after the idle timeout each reply
# announces; and the server answers after each.
. "$top_srcdir/tests/server/lib.sh"
command -v python3 >/dev/null || skip_all "no python3"
BODY_LIMIT=4096 IDLE_TIMEOUT=2
export BODY_LIMIT IDLE_TIMEOUT
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }
alive() {
	api "$OP1" GET /v1/whoami
	expect_status 200 "the server still answers ($*)"
}

big=$(head -c 8000 /dev/zero | tr '\0' x)
api "$OP1" POST /v1/requests "{\"person\":\"$big\"}"
expect_status 413 "a body over body_limit: 413"
expect_out '"error":\{"code":"inval","message":"[^"]+","status":413\}' \
	"in the error shape"
head -c 20000 /dev/zero | tr '\0' x >"$T/big"
chmod 644 "$T/big"
api "$OP1" POST /v1/requests "" -H 'Transfer-Encoding: chunked' \
    --data-binary @"$T/big"
expect_status 413 "a chunked body over the limit: 413"
alive "after 413"

for body in '{"person":' '[1,2]' '"x"' '{"a":1,"a":2}' \
    "$(printf '{"note":"\\u0000"}')" "$(printf '{"x":"\377\376"}')"; do
	api "$OP1" POST /v1/requests/1/approve "$body"
	case $STATUS in 4??) ok "malformed JSON '$body': $STATUS";;
	*) not_ok "malformed JSON '$body': $STATUS";; esac
done
api "$OP1" POST /v1/requests '{"person":["x"],"profile":1}'
expect_status 400 "wrong member types: 400"
alive "after bad JSON"

api "$OP1" GET /v1/nothing
expect_status 404 "an unknown path: 404"
expect_out '"code":"notfound"' "in the error shape"
api "$OP1" DELETE /v1/people
expect_status 405 "a wrong method: 405"
api "$OP1" GET /v1/requests/12abc
expect_status 400 "a bad id: 400"
api "$OP1" GET '/v1/requests?bogus=1'
expect_status 400 "an unknown search field: 400"
api "$OP1" GET '/v1/requests?limit=1&limit=2'
expect_status 400 "a query field twice: 400"

# Malformed HTTP straight on the socket.
cat >"$T/raw.py" <<'PY'
import socket, sys, time
def send(data):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sys.argv[1])
    s.sendall(data)
    try:
        reply = s.recv(200)
    except socket.timeout:
        reply = b"timeout"
    s.close()
    return reply.split(b"\r\n")[0].decode("latin-1")
tests = [b"GARBAGE\r\n\r\n", b"GET /v1/whoami HTTP/9.9\r\n\r\n",
         b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
         b"POST /v1/people HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
         b"\x00\xff" * 50 + b"\r\n\r\n",
         b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"]
for t in tests:
    print(send(t))
# idle: a connection that sends nothing is closed by the server
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
print("idle-closed" if s.recv(10) == b"" else "idle-answered")
PY
run runuser -u "$OP1" -- python3 "$T/raw.py" "$SOCK"
n=0
while IFS= read -r line; do
	n=$((n + 1))
	case $line in
	"HTTP/1."[01]" 4"*) ok "malformed HTTP request $n: ${line#HTTP/1.? }";;
	# libmicrohttpd's own answer to an HTTP version it does not speak
	"HTTP/1.1 505 "*) ok "malformed HTTP request $n: ${line#HTTP/1.? }";;
	idle-closed) ok "an idle connection is closed by the server";;
	"") ok "malformed HTTP request $n: connection closed";;
	*) not_ok "malformed HTTP request $n: '$line'";;
	esac
done <"$OUT"
check "the raw client ran its 7 cases" test "$n" -eq 7
alive "after malformed HTTP"

# A reply says after how long an idle connection is closed, so that a
# client never sends on one the server is closing at that moment.
api "$OP1" GET /v1/whoami "" -D -
check "a reply announces the idle timeout (Keep-Alive: timeout=2)" \
    grep -qi '^Keep-Alive: timeout=2' "$OUT"

# Invalid UTF-8 stored in a name comes back as valid JSON.
# (the engine refuses such input, so it is written into SQLite directly)
command -v sqlite3 >/dev/null || skip_all "no sqlite3"
runuser -u "$SRV_USER" -- sqlite3 "$T/data/certdesk.db" \
    "UPDATE people SET full_name = CAST(X'4261642046FFFE20427974657320C3' AS TEXT) WHERE logon = 'Susan.Smith'"
api "$OP1" GET /v1/people/Susan.Smith
check "invalid UTF-8 in the store still gives valid JSON" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1],encoding="utf-8")); assert "\ufffd" in d["person"]["full_name"]' "$OUT"
check "the server is still running" kill -0 "$SRV_PID"
done_testing
