#!/bin/sh
# SPDX-License-Identifier: ISC
# roles.sh - the operator interface offers only what the operator's
# roles allow, and the engine refuses the rest: an operator with only
# 'view' sees no Collect (with the reason) on someone else's request, no
# Approve or Reject on a request awaiting approval, and the letter keys
# of those actions do nothing but say why.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
cd_ person add --logon Vera.Viewer --name "Vera Viewer" --roles view
[ "$RC" -eq 0 ] || bail_out "person add: $(head -n 1 "$ERR")"
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
never_shown "Collect Soft Certificates" 10 "no Collect dialog opened"
send q
wait_for "Search for a request"
send s
open_request "$APP" || fail "View Request $APP opened"
check_screen "awaiting approval" "a request awaiting approval"
never_shown "[ Approve ]" 10 "no Approve for a viewer"
screen_lacks "[ Reject ]" "no Reject for a viewer"
send a
sleep 0.5
check "the request is still awaiting approval" \
    test "$(request_status "$APP")" = awaiting-approval
send q
done_testing
