#!/bin/sh
# SPDX-License-Identifier: ISC
# search.sh - the operator UI on a VT100 at 80x24: searching requests
# (with the Type filter of the additional criteria), people and devices,
# opening View Request from the results, from View Person's Requests tab
# and from View Device's Device Requests tab; Collect missing with its
# reason; help; the "too small" message and recovery.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
VAL=$(find_request Zofia.Kowalska validated awaiting-validation)
start 80 24 vt100
check_screen "Operator: " "header shows the operator"
# the data source (cd_api_source): the store, or certdeskd's socket
if mode_is server; then
	check_screen "Data: certdeskd:/" "header shows the data source"
else
	check_screen "Data: sqlite:" "header shows the data source"
fi
check_screen "55 requests found" "the main screen lists all requests"

# Type filter from the additional search criteria
send C-t
check_screen "Additional search criteria (^T to hide)" "additional criteria shown"
send Enter
check_screen "Request a soft certificate for a user" "Type drop-down lists the soft certificate type"
send Down Enter
wait_gone "Enter: choose"
send C-r
if wait_for "55 requests found" && screen | grep -q "Type: *Request a soft certificate for a user"; then
	ok "search with Type = soft certificate"
else
	fail "search with Type = soft certificate"
fi
send s C-t
check_screen "Additional search criteria: hidden" "additional criteria hidden again"

# name search, then open the request from the results
typetext "Susan Smith"
send Enter
check_screen "found." "name search ran"
if screen | grep -q "Susan Smith.*user-pin"; then ok "results show who/status/profile"; else
	fail "results show who/status/profile"; fi
screen_lacks "Elena Rossi" "name search narrows"
send Enter
check_screen "View Request 5" "Enter opens View Request from the results"
check_screen "Certificate policies:" "View Request shows the certificate policies"
check_screen "FileStore" "... with their storage methods"
check_screen "[ Collect ]" "the button bar offers Collect"
send '?'
check_screen "The button bar" "? opens the help for the screen"
send Enter
wait_gone "The button bar"
send q
check_screen "Search for a request" "q goes back to the search"

# a request that needs validation: no Collect, and why
send s C-u Tab
typetext "$VAL"
send Enter
wait_for "1 request found"
send Enter
check_screen "View Request $VAL" "validation request opened"
check_screen "Collect is not available: requires validation." "Collect missing, with the reason"
screen_lacks "[ Collect ]" "no Collect button"
check_screen "[ Validate ]" "Validate offered instead"
send q

# people: View Person, Requests tab, Enter opens View Request
wait_for "Search for a request"
send p
check_screen "Search for people" "p opens the people search"
typetext "John Samson"
send Enter
check_screen "John.Samson" "person found"
send Enter
check_screen "View Person: John Samson" "Enter opens View Person"
check_screen "Devices | 4 Certificates" "View Person has its tabs"
send 2
check_screen "user-pin" "Requests tab lists the requests"
send Enter
check_screen "View Request" "Enter on the Requests tab opens View Request"
check_screen "John Samson (John.Samson)" "... the person's request"
send q
wait_for "View Person"
send q
wait_for "Search for people"

# devices: View Device, Device Requests tab, Enter opens View Request
send d
check_screen "Search for devices" "d opens the device search"
check_screen "Soft Certificate" "devices listed"
send Escape Enter
check_screen "View Device" "Enter opens View Device"
send 2
check_screen "Device Requests" "Device Requests tab"
check_screen "completed" "the request that made the device"
send Enter
check_screen "View Request" "Enter on Device Requests opens View Request"
check_screen "Status:             completed" "... the completed request"
send q q q q

# too small, and back
wait_for "Search for a request"
$TM resize-window -t S -x 60 -y 20
check_screen "Terminal too small: 60x20" "too small at 60x20"
send Down
$TM resize-window -t S -x 80 -y 24
check_screen "Search for a request" "recovers at 80x24"
check_screen "found." "... with the list"
send q
rc=$(wait_exit)
if [ "$rc" = 0 ]; then ok "q quits with status 0"; else fail "q quits (rc=$rc)"; fi
if [ -s "$T/tui.err" ]; then fail "nothing on stderr"; else ok "nothing on stderr"; fi
done_testing
