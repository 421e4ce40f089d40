#!/bin/sh
# SPDX-License-Identifier: ISC
# load.sh - one certdeskd, real users: 50 clients searching (4 searches
# each) while 8 server-mode 'certdesk collect' run, two on each of 4
# requests.  Every search answers 200; each request is collected exactly
# once (one collector completes, the other is refused and leaves no
# file); the server is still running.  And a client that waits for its
# password longer than attempt_timeout, sending heartbeats, is not
# aborted by certdeskd's sweep (LOAD_WAIT=0 leaves that part out).
. "$top_srcdir/tests/server/lib.sh"
srv_setup || skip_all "set-up failed"
# The shortest attempt_timeout there is: the wait below outlasts it.
sed -i 's/^attempt_timeout = .*/attempt_timeout = 60/' "$CONF"
srv_start --sweep-interval 1 ||
	{ echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

op() {
	u=$1; shift
	runuser -u "$u" -- env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent \
	    XDG_STATE_HOME="$T/state" CERTDESK_SOCKET="$SOCK" "$CERTDESK" "$@"
}
new_request() {
	api "$OP1" POST /v1/requests "{\"person\":\"Susan.Smith\",\"profile\":\"$1\"}"
	json_get id
}
mkdir "$T/state" "$T/c" "$T/k" && chown "$OP1" "$T/state"
printf 'Secret-Pass-123\n' >"$T/pw" && chown "$OP1" "$T/pw"
ids=
for i in 1 2 3 4; do ids="$ids $(new_request user-pin)"; done

pids=
srv_searchers 50 "$T/c"
for id in $ids; do
	for k in a b; do
		d=$T/k/$id$k
		mkdir "$d" && chown "$OP1" "$d"
		( op "$OP1" collect "$id" --folder "$d" --password-file "$T/pw" \
		    >"$d.out" 2>"$d.err"; echo $? >"$d.rc" ) &
		pids="$pids $!"
	done
done
for p in $pids; do wait "$p"; done

total=$(cat "$T/c"/* | wc -l)
good=$(cat "$T/c"/* | grep -ac '^200$')
check "50 clients x 4 searches during the collections: $good of $total answered 200" \
	test "$total" -eq 200 -a "$good" -eq 200
for id in $ids; do
	rca=$(cat "$T/k/${id}a.rc") rcb=$(cat "$T/k/${id}b.rc")
	won=0
	[ "$rca" -eq 0 ] && won=$((won + 1))
	[ "$rcb" -eq 0 ] && won=$((won + 1))
	is "$won" 1 "request $id: exactly one of its two collectors completes ($rca/$rcb)"
	n=$(find "$T/k/${id}a" "$T/k/${id}b" -name '*.pfx' | wc -l)
	is "$n" 2 "request $id: only the winner's two files exist"
	api "$OP1" GET "/v1/certificates?request_id=$id"
	is "$(grep -o '"status":"active"' "$OUT" | wc -l | tr -d ' ')" 2 \
	    "request $id: two active certificates, one collection"
	api "$OP1" GET "/v1/requests/$id"
	expect_out '"status":"completed"' "request $id is completed"
done
api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
n=$(grep -o '"action":"collect.commit"' "$OUT" | wc -l)
is "$n" 4 "four commits in the audit trail"
is "$(find "$T/state/certdesk" -name 'attempt-*' 2>/dev/null | grep -c .)" 0 \
    "no record is left in the clients' journal"
check "the server is still running" kill -0 "$SRV_PID"

# A client waiting past attempt_timeout (60 s) for its password, with
# heartbeats, is not aborted by the sweep (every second).
if [ "${LOAD_WAIT:-1}" != 0 ]; then
	id=$(new_request user-pin)
	mkdir "$T/w" && chown "$OP1" "$T/w"
	( sleep 75; cat "$T/pw" ) | op "$OP1" collect "$id" --folder "$T/w" \
	    --password-fd 0 >"$T/w.out" 2>"$T/w.err"
	rc=$?
	is "$rc" 0 "a collection whose password came after 75 s completes"
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/w.err"
	is "$(find "$T/w" -name '*.pfx' | wc -l | tr -d ' ')" 2 "its files are written"
	api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
	if grep -q '"action":"collect.abort' "$OUT" ||
	    grep -q '"outcome":"aborted"' "$OUT"; then
		not_ok "the sweep aborted nothing"
	else ok "the sweep aborted nothing"; fi
fi
done_testing
