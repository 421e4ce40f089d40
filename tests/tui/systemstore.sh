#!/bin/sh
# SPDX-License-Identifier: ISC
# systemstore.sh - SystemStore in the operator UI: a personal NSS store
# protected by a password.  The Collect dialog asks for the store
# password before importing (masked), says so when it is wrong and asks
# again, then reports the nickname and serial of what it imported; NSS's
# certutil lists the certificate and its key.  Cancelling the store
# password prompt rolls the collection back.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"
command -v certutil >/dev/null 2>&1 || skip_all "certutil not installed (libnss3-tools)"

tui_setup
PW='Store-Cert-Pw5'
DBPW='Nss-Db-Secret8'
printf '%s\n' "$DBPW" >"$T/dbpw"
mkdir "$T/nssdb"
certutil -N -d "sql:$T/nssdb" -f "$T/dbpw" >/dev/null 2>&1 ||
    skip_all "certutil cannot create a database"
cd_ request new --person Susan.Smith --profile system
ID=$(cat "$OUT")
cd_ request new --person John.Samson --profile system
ID2=$(cat "$OUT")
start

open_request "$ID" || fail "View Request $ID opened"
send c
check_screen "personal certificat" "the Collect dialog names the personal store"
mkdir "$T/out"
type_twice "$PW"
wait_for "Select the folder" || fail "the folder is asked for first (FileStore)"
choose_folder "$T/out"
check_screen "Store password:" "the store password is asked for before the import"
check_screen "tries left" "... with the tries left"
if grep -q '^ *\[[#.]' "$T/pane"; then
	fail "no progress bar left behind the prompt"
else ok "no progress bar left behind the prompt"; fi
type_secret "wrong-password"
send Enter
check_screen "wrong password for the personal certificate store" \
    "a wrong store password is reported"
check_screen "Store password:" "and it is asked for again"
type_secret "$DBPW"
send Enter
check_screen "Download complete" "the right password imports the certificate"
check_screen '"Susan Smith - Browser", serial' "the screen names the nickname"
SERIAL=$(cert_statuses "$ID" | awk '{ print $1; exit }')
check_screen "$SERIAL" "... and the serial"
certutil -L -d "sql:$T/nssdb" >"$T/list" 2>&1
check "certutil lists the certificate" grep -q "Susan Smith - Browser *u,u,u" "$T/list"
certutil -K -d "sql:$T/nssdb" -f "$T/dbpw" >"$T/keys" 2>&1
check "and its private key" grep -q "Susan Smith - Browser" "$T/keys"
check "the request is completed" test "$(request_status "$ID")" = completed

# Cancel at the store password prompt: rolled back, nothing imported.
next_request "$ID" "$ID2"
type_twice "$PW"
wait_for "Select the folder"
choose_folder "$T/out"
wait_for "Store password:"
send Escape
check_screen "Collection cancelled" "ESC at the store password cancels the collection"
certutil -L -d "sql:$T/nssdb" >"$T/list" 2>&1
if grep -q "Susan Smith - Browser" "$T/list" &&
    ! grep -q "John Samson" "$T/list"; then ok "nothing was imported"
else fail "nothing was imported (store list: $(head -n 5 "$T/list"))"; fi
check "the file saved before it was deleted" \
    test ! -e "$T/out/John.Samson Signing.pfx"
check "the request can be collected again" \
    test "$(request_status "$ID2")" = awaiting-collection
if secret_shown "$PW" || secret_shown "$DBPW"; then
	fail "no password appeared on screen"
else ok "no password appeared on screen"; fi
send c
wait_for "View Request $ID2"
send q q
wait_exit >/dev/null

# Heartbeats while the store password is asked: with attempt_timeout =
# 60 a heartbeat is due every 15 s and the dialog ticks twice a second,
# so 17 s into the prompt the last heartbeat is a few seconds old and a
# sweep 50 s ahead (aborting what is older than 10 s) leaves the attempt
# alone (ticked every 10 s only, it would be 17 s old); a sweep from 11
# minutes on aborts it, the dialog says so at once and, answered,
# everything is rolled back.
$TM kill-session -t S >/dev/null 2>&1
rm -f "$T/tui.rc"
sed -i 's/^attempt_timeout = .*/attempt_timeout = 60/' "$CONF"
cd_ request new --person Olga.Petrova --profile system
R3=$(cat "$OUT")
start
open_request "$R3" || fail "View Request $R3 opened"
send c
wait_for "Set Certificate Password:"
type_twice "$PW"
wait_for "Select the folder"
mkdir "$T/out3"
choose_folder "$T/out3"
check_screen "Store password:" "the store password is asked (the attempt has begun)"
st=$(request_status "$R3")
[ "$st" = being-collected ] && ok "the attempt holds the request" ||
    fail "the attempt holds the request ($st)"
sleep 17
CERTDESK_CLOCK_OFFSET=50 run "$CERTDESK" -c "$CONF" sweep
if grep -q '^1 attempt aborted' "$OUT"; then
	fail "the dialog keeps the attempt alive past attempt_timeout"
else ok "the dialog keeps the attempt alive past attempt_timeout"; fi
CERTDESK_CLOCK_OFFSET=660 run "$CERTDESK" -c "$CONF" sweep
grep -q '^1 attempt aborted' "$OUT" && ok "a later sweep aborts it" ||
    fail "a later sweep aborts it ($(cat "$OUT" "$ERR"))"
check_screen "This collection was aborted" "the dialog says at once it was aborted"
send Escape
check_screen "it was aborted after too long a wait" \
    "the dialog says the collection was aborted and rolled back"
if ls "$T/out3" | grep -q Olga; then fail "no package kept"
else ok "no package kept"; fi
n=$(cert_statuses "$R3" | grep -c ' active$')
[ "$n" -eq 0 ] && ok "no certificate of the attempt stays active" ||
    fail "no certificate of the attempt stays active ($n)"
if secret_shown "$PW" || secret_shown "$DBPW"; then
	fail "no password appeared on screen"
else ok "no password appeared on screen"; fi
send c
done_testing
