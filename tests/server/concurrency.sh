#!/bin/sh
# SPDX-License-Identifier: ISC
# concurrency.sh - 50 clients searching at once, as two real users,
# against one certdeskd: every answer is a 200 with the requests.
. "$top_srcdir/tests/server/lib.sh"
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }
for i in 1 2 3 4 5; do
	api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
done
mkdir "$T/c"
pids=
srv_searchers 50 "$T/c"
for p in $pids; do wait "$p"; done
total=$(cat "$T/c"/* | wc -l)
good=$(cat "$T/c"/* | grep -ac '^200$')
check "50 clients x 4 searches: $good of $total answered 200" \
	test "$total" -eq 200 -a "$good" -eq 200
api "$OP2" GET '/v1/requests?name=susan'
check "the searches see the 5 requests" \
	test "$(grep -o '"id":' "$OUT" | wc -l)" -eq 5
check "the server is still running" kill -0 "$SRV_PID"
done_testing
