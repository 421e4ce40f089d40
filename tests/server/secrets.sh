#!/bin/sh
# SPDX-License-Identifier: ISC
# secrets.sh - what crosses the client's socket, with a real certdeskd,
# real users and a private cupsd: the client talks to certdeskd through
# a logging relay (relay.py, run as the operator so that certdeskd still
# sees the operator as its peer) and every byte is scanned.  A generated
# password, read back from the PIN mailer certdeskd printed, never
# crosses; a typed one does (so the scan can find a password).  A
# SystemStore profile with a generated password is refused at the
# preview in server mode, before anything is issued.
. "$top_srcdir/tests/server/lib.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
need_root
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
cupsd_for_test srv_cleanup
srv_setup || skip_all "set-up failed"
srv_add_sysgen
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

mkdir "$T/relay" && chown "$OP1" "$T/relay"
RELAY=$T/relay/relay.sock
LOG=$T/relay/bytes
runuser -u "$OP1" -- python3 "$top_srcdir/tests/server/relay.py" \
    "$RELAY" "$SOCK" "$LOG" 2>"$T/relay.err" &
RELAY_PID=$!
trap 'kill "$RELAY_PID" 2>/dev/null; cupsd_stop; srv_cleanup' EXIT
i=0
while [ ! -S "$RELAY" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done

op() {
	u=$1; shift
	run runuser -u "$u" -- env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent \
	    XDG_STATE_HOME="$T/relay" CERTDESK_SOCKET="$RELAY" "$CERTDESK" "$@"
}
new_request() {
	api "$OP1" POST /v1/requests "{\"person\":\"Susan.Smith\",\"profile\":\"$1\"}"
	json_get id
}
ps_text() {
	gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- \
	    "$1" 2>/dev/null | tr -d '\r'
}

# A typed password crosses the socket once: the scan finds it.
mkdir "$T/out1" && chown "$OP1" "$T/out1"
printf 'Typed-Pass-4711\n' >"$T/pw" && chown "$OP1" "$T/pw"
id=$(new_request user-pin)
op "$OP1" collect "$id" --folder "$T/out1" --password-file "$T/pw"
expect_rc 0 "a user-PIN collection through the relay completes"
check "the relay carried the collection" grep -qa '"pkcs12"' "$LOG"
check "the typed password is seen crossing the socket" \
    grep -qaF 'Typed-Pass-4711' "$LOG"

# A generated password never does.
: >"$LOG"
mkdir "$T/out2" && chown "$OP1" "$T/out2"
id=$(new_request generated)
op "$OP1" collect "$id" --folder "$T/out2"
expect_rc 0 "a generated-password collection through the relay completes"
check "the PIN mailer was printed by certdeskd" \
    test "$(ls -A "$CUPSD_OUT_SECURE" | wc -l)" -eq 1
PW=$(ps_text "$(ls -d "$CUPSD_OUT_SECURE"/* | head -1)" |
    sed -n 's/^ *Password: *\([^ ]*\) *$/\1/p' | head -n 1)
check "the PIN mailer carries the password" test -n "$PW"
printf '%s\n' "$PW" >"$T/genpw"
f=$(find "$T/out2" -name '*.pfx' | head -1)
check "the package opens with the mailed password" \
    openssl pkcs12 -in "$f" -passin "file:$T/genpw" -nokeys -noout
check "the relay carried the packages" grep -qa '"pkcs12"' "$LOG"
if [ -n "$PW" ] && grep -qaF -- "$PW" "$LOG"; then
	not_ok "the generated password never crosses the client socket"
else
	ok "the generated password never crosses the client socket"
fi
pw64=$(printf '%s' "$PW" | base64)
if [ -n "$PW" ] && grep -qaF -- "$pw64" "$LOG"; then
	not_ok "... not even in base64"
else ok "... not even in base64"; fi
hit=$(grep -rlaF -- "$PW" "$T/relay/certdesk" 2>/dev/null)
is "$hit" "" "nor is it in the client's journal"

# SystemStore with a generated password: refused at the preview.
id=$(new_request sysgen)
api "$OP1" GET "/v1/requests/$id/collection"
expect_out '"blocked_code":"config"' "the preview says it is blocked in server mode"
mkdir "$T/out3" && chown "$OP1" "$T/out3"
op "$OP1" collect "$id" --folder "$T/out3"
check "certdesk collect refuses it" test "$RC" -ne 0
expect_err "never leaves certdeskd" "saying why"
api "$OP1" GET "/v1/certificates?request_id=$id"
check "no certificate was issued for it" \
    test "$(grep -o '"serial"' "$OUT" | wc -l)" -eq 0
api "$OP1" GET "/v1/requests/$id"
expect_out '"status":"awaiting-collection"' "the request still awaits collection"
done_testing
