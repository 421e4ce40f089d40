#!/bin/sh
# SPDX-License-Identifier: ISC
# collect.sh - the operator UI in a colour terminal (xterm-256color):
# request a soft certificate from View Person and land on its View
# Request, then collect it with a user-specified PIN into a folder.
# Mismatched and too-weak passwords are refused with their messages; the
# password never appears on any screen; the .pfx files open with it,
# trailing blank included.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not installed"

tui_setup
# a trailing blank is part of the password: the fields must keep it
PW='Tr4nsport-Qz9 '
mkdir -p "$T/out"
start 80 24 xterm-256color

send Escape
send p
wait_for "Search for people"
typetext "Maria Garcia"
send Enter
wait_for "Maria.Garcia"
send Enter
check_screen "View Person: Maria Garcia" "View Person opened"
send n
check_screen "Soft certificates (user PIN)" "n offers the credential profiles"
send Enter
check_screen "View Request" "the new request's View Request opens by itself"
check_screen "awaiting collection" "... awaiting collection"
check_screen "made for Maria Garcia" "... with a message"
ID=$(screen | sed -n 's/.*View Request \([0-9][0-9]*\).*/\1/p' | head -n 1)
send c
check_screen "Collect Soft Certificates" "c opens Collect Soft Certificates"
check_screen "Set Certificate Password:" "user PIN: Set Certificate Password"
check_screen "Verify Certificate Password:" "... and Verify Certificate Password"
check_screen "Maria.Garcia Signing.pfx" "shows the file of each certificate"
check_screen "FileStore" "... and where it goes"
check_screen "[ Download ]" "Download button"
screen_lacks "[ Print ]" "Print disabled before download"
# opening the dialog takes nothing: no lock, no attempt, no audit record
cd_ request show "$ID" --json
if grep -q '"status":"awaiting-collection"' "$OUT"; then
	ok "opening Collect does not lock the request"
else fail "opening Collect does not lock the request"; fi
if grep -q 'collect.begin' "$OUT"; then fail "no attempt before Download"
else ok "no attempt before Download"; fi

# mismatch
type_secret "$PW"
send Enter
type_secret "${PW}x"
send Enter
check_screen "The passwords do not match" "mismatched passwords refused"
check_screen "[ Download ]" "... and the focus goes to the buttons"
# too weak: Tab back into the fields
send Tab
type_secret "abc"
send Enter
type_secret "abc"
send Enter
check_screen "Password not accepted:" "too-weak password refused"
check_screen "at least 8 characters" "... with the policy's reason"

# the real one
send Tab
type_secret "$PW"
send Enter
type_secret "$PW"
send Enter
check_screen "Select the folder" "Download asks for the folder"
send /
send C-u
typetext "$T/out"
send Enter
wait_for "0 folders, 0 files here"
send s
check_screen "Download complete" "download completes"
check_screen "[ Print ]" "Print enabled after the download"
check_screen "$T/out/Maria.Garcia Signing.pfx" "shows where the file was saved"

n=0
printf '%s' "$PW" >"$T/pw"
for f in "$T"/out/*.pfx; do
	if openssl pkcs12 -info -noout -passin "file:$T/pw" -in "$f" \
	    >/dev/null 2>&1; then n=$((n + 1)); fi
done
if [ "$n" -eq 2 ]; then ok "both .pfx files open with the typed password"
else fail "both .pfx files open with the typed password ($n)"; fi
if secret_shown "$PW" || secret_shown "abc"; then
	fail "the password never appears on screen"
else
	ok "the password never appears on screen ($shot_n captures)"
fi
check "password not stored in the data directory" never_contains "$PW" "$T/data"
send c
check_screen "Status:             completed" "back on View Request: completed"
cd_ request show "$ID" --json
expect_out '"status":"completed"' "request $ID completed in the store"

# A generated-password profile and no PIN-mailer printer configured:
# said when the dialog opens, Download disabled, the reason when pressed;
# no Print button for a profile without a transport document.
cd_ request new --person John.Samson --profile generated
GEN=$(cat "$OUT")
# back to the main screen, one level at a time (by its title row)
i=0
while [ "$i" -lt 5 ]; do
	settle
	capture
	sed -n 2p "$T/pane" | grep -q "^ *Search for a request" && break
	send q
	i=$((i + 1))
done
send s
open_request "$GEN" || fail "View Request $GEN opened"
send c
check_screen "Download is not possible: profile generated generates the" \
    "the dialog says at once why Download cannot work"
screen_lacks "[ Download ]" "Download is disabled"
send d
check_screen "Download is not possible: profile generated" "d says why"
screen | tail -n 3 | grep -q "Download is not possible" &&
    ok "... on the status line" || fail "... on the status line"
if screen | grep -q '[a-z]: *\.\? *$'; then fail "no message ends with an empty reason"
else ok "no message ends with an empty reason"; fi
check "nothing was begun" test "$(request_status "$GEN")" = awaiting-collection
send c
wait_for "View Request $GEN"
cd_ request new --person John.Samson --profile usb
VID=$(cat "$OUT")
send q
wait_for "Search for a request"
send s
open_request "$VID" || fail "View Request $VID opened"
send c
wait_for "Set Certificate Password:"
screen_lacks "Print" "no Print button for a profile without a transport document"
send Escape
wait_for " d download  c/q close"
send p
settle
screen_lacks "You can print" "... and p does nothing there"
send c
wait_for "View Request $VID"
send q q q q
rc=$(wait_exit)
if [ "$rc" = 0 ]; then ok "exit status 0"; else fail "exit status 0 (rc=$rc)"; fi
done_testing
