#!/bin/sh
# roles.sh - the operator interface offers only what the operator's
# roles allow, and the engine refuses the rest: an operator with only
# 'view' sees no Collect (with the reason) on someone else's request, no
# Approve or Reject on a request awaiting approval, and the letter keys
# of those actions do nothing but say why.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
cd_ person add --logon Vera.Viewer --name "Vera Viewer" --roles view
[ "$RC" -eq 0 ] || { echo "Bail out! person add: $(cat "$ERR")"; exit 1; }
cd_ request new --person Susan.Smith --profile approved
APP=$(cat "$OUT")
TUI_ARGS="--as Vera.Viewer"
start
check_screen "Operator: Vera Viewer" "the header names the operator"
open_request 7 || fail "View Request 7 opened"
check_screen "Collect is not available: collecting for someone else needs the 'collect'" \
    "Collect is missing, with the role it needs"
send c
check_screen "needs the 'collect'" "after c the reason is still on screen"
if wait_for "Collect Soft Certificates" 10; then
	fail "no Collect dialog opened"
else ok "no Collect dialog opened"; fi
send q
wait_for "Search for a request"
send s
open_request "$APP" || fail "View Request $APP opened"
check_screen "awaiting approval" "a request awaiting approval"
if wait_for "[ Approve ]" 10 || wait_for "[ Reject ]" 5; then
	fail "no Approve or Reject for a viewer"
else ok "no Approve or Reject for a viewer"; fi
send a
sleep 0.5
check "the request is still awaiting approval" \
    test "$(request_status "$APP")" = awaiting-approval
send q
done_testing
