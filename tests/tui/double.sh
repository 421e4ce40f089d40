#!/bin/sh
# SPDX-License-Identifier: ISC
# double.sh - the double collection of issue 13 with the operator UI as
# the first collector.  The UI's Download has begun (certificates issued,
# the folder's package written) and waits for the personal store's
# password; it is stopped there (SIGSTOP), so it sends no heartbeat, and a
# sweep past attempt_timeout aborts it (removing its package: in server
# mode the client's 'certdesk sweep' does, the files being the client's).
# The CLI then collects the request.  Resumed and given the store password, the
# UI must show a failure, not a success, and nothing of it is committed:
# one collect.commit, the CLI's certificates the only active ones.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"
command -v certutil >/dev/null 2>&1 || skip_all "certutil not installed (libnss3-tools)"

tui_setup
PW='Store-Cert-Pw5'
DBPW='Nss-Db-Secret8'
printf '%s\n' "$DBPW" >"$T/dbpw"
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/nssdb" "$T/ui" "$T/cli"
certutil -N -d "sql:$T/nssdb" -f "$T/dbpw" >/dev/null 2>&1 ||
    bail_out "certutil cannot create a database"
cd_ request new --person Susan.Smith --profile system
R=$(cat "$OUT")
start 80 24 vt100

open_request "$R" || fail "View Request $R opened"
send c
wait_for "Set Certificate Password:" || fail "the Collect dialog opened"
type_twice "$PW"
wait_for "Select the folder" || fail "the folder is asked for"
choose_folder "$T/ui"
check_screen "Store password:" "the UI's Download waits for the store password"
st=$(request_status "$R")
[ "$st" = being-collected ] && ok "the UI holds the request" ||
    fail "the UI holds the request ($st)"
n=$(ls "$T/ui" | grep -c 'Susan')
[ "$n" -eq 1 ] && ok "the UI has written its folder's package" ||
    fail "the UI has written its folder's package ($n)"
pane=$($TM display-message -p -t S '#{pane_pid}')
pid=$(ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "certdesk" { print $1 }')
if [ -n "$pid" ] && kill -STOP "$pid"; then
	ok "the UI's process is stopped"
else
	fail "the UI's process is stopped"
fi

CERTDESK_CLOCK_OFFSET=660 run "$CERTDESK" -c "$CONF" sweep
grep -q '^1 attempt aborted' "$OUT" && ok "the sweep aborts the UI's attempt" ||
    fail "the sweep aborts the UI's attempt ($(cat "$OUT" "$ERR"))"
# In server mode that was the store's sweep (certdeskd's); the package is
# the operator's, removed by the client's own sweep of its journal.
in_mode server && cd_ sweep
[ -z "$(ls "$T/ui")" ] && ok "the sweep removed the UI's package" ||
    fail "the sweep removed the UI's package ($(ls "$T/ui"))"
cd_ collect "$R" --folder "$T/cli" --password-file "$T/pw" \
    --nss-password-fd 5 5<"$T/dbpw"
[ "$RC" -eq 0 ] && ok "the CLI collects the request" ||
    fail "the CLI collects the request ($(cat "$ERR"))"

kill -CONT "$pid"
type_secret "$DBPW"
send Enter
check_screen "failed" "resumed, the UI's collection fails"
never_shown "Download complete" 2 "no success is shown"
[ -z "$(ls "$T/ui")" ] && ok "the UI left no package in its folder" ||
    fail "the UI left no package in its folder ($(ls "$T/ui"))"
st=$(request_status "$R")
[ "$st" = completed ] && ok "the request stays completed" ||
    fail "the request stays completed ($st)"
cd_ request show "$R" --json
n=$(grep -o '"action":"collect.commit","object":"request '"$R"'","outcome":"ok"' "$OUT" | wc -l)
[ "$n" -eq 1 ] && ok "exactly one collect.commit" ||
    fail "exactly one collect.commit ($n)"
n=$(cert_statuses "$R" | grep -c ' active$')
[ "$n" -eq 2 ] && ok "two certificates active, the CLI's" ||
    fail "two certificates active, the CLI's ($n)"
n=$(grep -o '"status":"active"[^{}]*"location":"'"$T"'/cli/' "$OUT" | wc -l)
[ "$n" -eq 1 ] && ok "the CLI's package is the active one in a folder" ||
    fail "the CLI's package is the active one in a folder ($n)"
send c
done_testing
