#!/bin/sh
# double.sh - the double collection of issue 13 with the operator UI as
# the first collector: stopped (SIGSTOP) at the folder-overwrite question
# of its Download, it is aborted by a sweep past attempt_timeout; the CLI
# then collects the request; resumed and told to Continue, the UI must
# show a failure, not a success, and nothing of it is committed.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
PW='Folder-Pass42'
WARN="The folder already contains certificate files. Files with the same"
D=$T/full
mkdir -p "$D" "$T/cli"
echo old >"$D/old.pfx"
printf '%s\n' "$PW" >"$T/pw"
cd_ request new --person Olga.Petrova --profile user-pin
R=$(cat "$OUT")
start 80 24 vt100

open_request "$R" || fail "View Request $R opened"
collect_to "$PW" "$D"
check_screen "$WARN" "the UI's Download stops at the overwrite question"
pane=$($TM display-message -p -t S '#{pane_pid}')
pid=$(ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "certdesk" { print $1 }')
if [ -n "$pid" ] && kill -STOP "$pid"; then
	ok "the UI's process is stopped"
else
	fail "the UI's process is stopped"
fi
st=$(request_status "$R")
[ "$st" = being-collected ] && ok "the UI holds the request" ||
    fail "the UI holds the request ($st)"

CERTDESK_CLOCK_OFFSET=660 run "$CERTDESK" -c "$CONF" sweep
grep -q '^1 attempt aborted' "$OUT" && ok "the sweep aborts the UI's attempt" ||
    fail "the sweep aborts the UI's attempt ($(cat "$OUT" "$ERR"))"
cd_ collect "$R" --folder "$T/cli" --password-file "$T/pw"
[ "$RC" -eq 0 ] && ok "the CLI collects the request" ||
    fail "the CLI collects the request ($(cat "$ERR"))"

kill -CONT "$pid"
send c
check_screen "Collection failed and was undone" "resumed, Continue fails"
if screen | grep -qF "Download complete"; then
	fail "no success is shown"
else
	ok "no success is shown"
fi
if ls "$D" | grep -q 'Olga'; then
	fail "the UI left no package in its folder"
else
	ok "the UI left no package in its folder"
fi
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
cd_ request show "$R" --json
n=$(grep -o '"status":"active"[^{}]*"location":"'"$T"'/cli/' "$OUT" | wc -l)
[ "$n" -eq 2 ] && ok "both delivered to the CLI's folder" ||
    fail "both delivered to the CLI's folder ($n)"
send c
done_testing
