#!/bin/sh
# SPDX-License-Identifier: ISC
# folder.sh - FileStore folder selection in the operator UI (VT100):
# the "already contains certificate files" warning with Continue, Change
# folder and Cancel; the folder is chosen before anything is issued, so
# cancelling the folder browser or the warning issues no certificate (no
# files, the request still awaiting collection, no attempt); Download
# again then collects.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
PW='Folder-Pass42'
WARN="The folder already contains certificate files. Files with the same"
D=$T/full; E=$T/other; F=$T/third; G=$T/cancel
mkdir -p "$D" "$E" "$F" "$G"
echo old >"$D/old.pfx"
cd_ request new --person Olga.Petrova --profile user-pin
R4=$(cat "$OUT")
start 80 24 vt100

# Continue: written next to the old file
open_request 5
collect_to "$PW" "$D"
check_screen "$WARN" "existing files: the warning"
check_screen "[ c Continue (overwrite) ]" "... offers Continue (c)"
check_screen "[ f Change folder ]" "... Change folder (f)"
check_screen "[ x Cancel ]" "... and Cancel (x)"
send c
check_screen "Download complete" "Continue saves the certificates"
if [ -f "$D/Susan.Smith Signing.pfx" ] && [ -f "$D/old.pfx" ]; then
	ok "files written beside the old one"; else fail "files written beside the old one"; fi
send c
wait_for "View Request 5"
send q
wait_for "Search for a request"

# Change folder: the browser again, another folder
send s
open_request 6
collect_to "$PW" "$D"
wait_for "$WARN"
send f
check_screen "Select the folder" "Change folder opens the browser again"
check "the browser's hint line has its own keys" sh -c \
    "tail -n 1 '$T/pane' | grep -q 'Enter open  BS/u up  s save here  n new  / or g type path  ESC cancel  ^G help'"
# the man page names the same keys: Backspace or u, / or g
man=$(sed -n '/^Folder browser:/,/help\.$/p' "$top_srcdir/doc/certdesk.1" |
    tr '\n' ' ')
case $man in
*"Backspace or .B u up"*".B / or .B g type a path"*".B s save here"*)
	ok "the man page gives the browser's keys as the screen does" ;;
*) fail "the man page gives the browser's keys as the screen does ($man)" ;;
esac
choose_folder "$E"
check_screen "Download complete" "saved to the other folder"
if [ -f "$E/John.Samson Signing.pfx" ] && [ ! -f "$D/John.Samson Signing.pfx" ]; then
	ok "files only in the new folder"; else fail "files only in the new folder"; fi
send c
wait_for "View Request 6"
send q
wait_for "Search for a request"

# Cancel in the warning: undone; Download again gets new certificates
send s
open_request 7
collect_to "$PW" "$D"
wait_for "$WARN"
send x
check_screen "Collection cancelled:" "Cancel stops the collection"
check_screen "no certificate was made" "... before anything was issued"
st=$(request_status 7)
if [ "$st" = awaiting-collection ]; then
	ok "request 7 back to awaiting collection"
else fail "request 7 back to awaiting collection ($st)"; fi
first=$(cert_statuses 7 | awk '{ print $1 }' | sort)
check "the cancelled attempt issued no certificate" test -z "$first"
if ls "$D" | grep -q Maria; then fail "no files left"; else ok "no files left"; fi
# after a cancel the focus is on the buttons: letters are commands there
wait_for " d download  c/q close"
check "the hint line shows the buttons' keys" \
    sh -c "tail -n 1 '$T/pane' | grep -q ' d download  c/q close'"
send Tab
wait_for "Keys type"
typetext "$PW"
send Enter
typetext "$PW"
send Enter
wait_for "Select the folder"
choose_folder "$F"
check_screen "Download complete" "Download again succeeds"
second=$(cert_statuses 7 | awk '$2 == "active" { print $1 }' | sort)
if [ "$(printf '%s\n' "$second" | grep -c .)" -eq 2 ]; then
	ok "new certificates were issued"
else
	fail "new certificates were issued ($second)"
fi
send c
wait_for "View Request 7"
send q
wait_for "Search for a request"

# Cancel in the folder browser
send s
open_request "$R4"
send c
wait_for "Set Certificate Password:"
typetext "$PW"
send Enter
typetext "$PW"
send Enter
wait_for "Select the folder"
send Escape
check_screen "Collection cancelled:" "ESC in the folder browser cancels"
check_screen "nothing was issued" "... before anything was issued"
# no folder was chosen: no file of this request anywhere under $T
if [ -z "$(find "$T" -name 'Olga.Petrova*')" ]; then ok "no files written"
else fail "no files written: $(find "$T" -name 'Olga.Petrova*')"; fi
if [ "$(request_status "$R4")" = awaiting-collection ]; then
	ok "request back to awaiting collection"
else fail "request back to awaiting collection"; fi
if [ -z "$(cert_statuses "$R4")" ]; then ok "no certificate was issued"
else fail "no certificate was issued"; fi
"$CERTDESK" -c "$CONF" audit >"$T/audit" 2>&1
if grep -q "collect.begin *request $R4 " "$T/audit"; then
	fail "no attempt was begun"; else ok "no attempt was begun"; fi
send c
wait_for "View Request $R4"
send q q
wait_exit >/dev/null

done_testing
