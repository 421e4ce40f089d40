#!/bin/sh
# SPDX-License-Identifier: ISC
# double.sh - a request is collected once, whatever the timing (issue 13):
# 'certdesk collect' A is stopped (SIGSTOP) while it waits on its
# --password-fd FIFO; 'certdesk sweep', with the clock past
# attempt_timeout, aborts A; a second 'certdesk collect' B completes the
# request; then A is resumed and given its password.  A must fail and
# commit nothing: one collect.commit in the audit trail, and only B's
# certificates active.
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store || { echo "1..0 # SKIP setup failed"; exit 1; }
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/a" "$T/b"
mkfifo "$T/fifo"
A_PID=
trap '[ -n "$A_PID" ] && { kill -CONT "$A_PID"; kill -9 "$A_PID"; } 2>/dev/null; rm -rf "$T"' EXIT

# status_of ID: the request's status ("being-collected", ...)
status_of() {
	cd_ request show "$1" --json
	sed -n 's/.*"request":{[^}]*"status":"\([a-z-]*\)".*/\1/p' "$OUT"
}

# wait_status ID STATUS: poll for up to 10 s
wait_status() {
	_n=0
	until [ "$(status_of "$1")" = "$2" ]; do
		_n=$((_n + 1))
		[ $_n -ge 100 ] && return 1
		sleep 0.1
	done
}

cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
"$CERTDESK" -c "$CONF" collect "$id" --folder "$T/a" --password-fd 3 \
    3<"$T/fifo" >"$T/a.out" 2>"$T/a.err" &
A_PID=$!
exec 4>"$T/fifo"
check "A holds the request while it waits on its password" \
    wait_status "$id" being-collected
kill -STOP "$A_PID"

cd_ sweep
expect_out '^0 attempts aborted' "a sweep within attempt_timeout leaves A alone"
CERTDESK_CLOCK_OFFSET=660 run "$CERTDESK" -c "$CONF" sweep
expect_out '^1 attempt aborted' "past attempt_timeout the sweep aborts A (stopped, not dead)"
check "the request awaits collection again" \
    test "$(status_of "$id")" = awaiting-collection

cd_ collect "$id" --folder "$T/b" --password-file "$T/pw"
expect_rc 0 "B collects the request"
check "the request is completed" test "$(status_of "$id")" = completed

kill -CONT "$A_PID"
printf '%s\n' "$PW" >&4
exec 4>&-
wait "$A_PID"
RC=$?
A_PID=
cp "$T/a.out" "$OUT"
cp "$T/a.err" "$ERR"
check "A, resumed and given its password, fails (exit $RC)" test "$RC" -ne 0
expect_err "no longer holds|aborted" "A says its collection was stopped"
check "A left no package in its folder" \
    sh -c "! ls -A '$T/a' | grep -q ."

cd_ request show "$id" --json
check "one collect.commit in the audit trail" \
    test "$(grep -o '"action":"collect.commit","object":"request '"$id"'","outcome":"ok"' "$OUT" | wc -l)" -eq 1
check "the request is still completed" test "$(status_of "$id")" = completed
cd_ request show "$id" --json
grep -o '{"serial":"[0-9a-f]*","status":"active"[^{}]*}' "$OUT" >"$T/active"
check "two certificates active" test "$(wc -l <"$T/active")" -eq 2
check "both are B's, delivered to B's folder" \
    test "$(grep -c "\"location\":\"$T/b/" "$T/active")" -eq 2
check "B's two packages are there" test "$(ls "$T/b" | wc -l)" -eq 2
done_testing
