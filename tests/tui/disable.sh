#!/bin/sh
# SPDX-License-Identifier: ISC
# disable.sh - View Person's Disable and Enable on a VT100 at 80x24: 'd'
# asks a confirmation; for a person with live certificates the engine
# asks for the revocation (CD_E_CONFIRM) and a second confirmation names
# how many certificates go; cancelling either changes nothing (checked
# with the CLI); confirmed, the person is disabled, the certificates are
# revoked with reason affiliationChanged and the pending request cannot
# be collected; a person without certificates needs one confirmation;
# 'e' enables again; an operator without the 'admin' role is refused at
# once, with the reason on the status line, and the refusal is audited;
# 'd' on a disabled person only says why.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
cd_ person add --logon Dan.Leaver --name "Dan Leaver" --email dan@example.com
[ "$RC" -eq 0 ] || bail_out "person add: $(head -n 1 "$ERR")"
cd_ person add --logon Nora.Nocert --name "Nora Nocert" --email nora@example.com
cd_ person add --logon Vera.Viewer --name "Vera Viewer" --roles view
cd_ request new --person Dan.Leaver --profile user-pin; DONE=$(cat "$OUT")
mkdir -p "$T/out"
cd_ collect "$DONE" --folder "$T/out" --password-fd 3 3<"$T/pw"
[ "$RC" -eq 0 ] || bail_out "collect failed: $(head -n 3 "$ERR")"
cd_ request new --person Dan.Leaver --profile user-pin; PENDING=$(cat "$OUT")
cd_ request show "$DONE" --json
DEV=$(grep -o '"device_id":[0-9]*' "$OUT" | head -n 1 | cut -d: -f2)
[ -n "$DEV" ] || bail_out "no device for request $DONE"

# open_person NAME LOGON: from the main screen, View Person of NAME
open_person() {
	send Escape
	sleep 0.3
	send p
	wait_for "Search for people" || return 1
	send C-u
	typetext "$1"
	send Enter
	wait_for "$2" || return 1
	send Enter
	wait_for "View Person: $1"
}

# the person's status as person show prints it
person_status() {
	cd_ person show "$1"
	sed -n 's/^Status: *//p' "$OUT"
}

revoked_count() {
	cd_ device show "$DEV"
	grep -c 'revoked .*(affiliationChanged)' "$OUT"
}

start 80 24 vt100
open_person "Dan Leaver" "Dan.Leaver" || fail "View Person opened"
check_screen "d disable" "the key bar offers d disable"

# ---- cancelled at the first confirmation ------------------------------
send d
check_screen "Disable Dan Leaver (Dan.Leaver)?" "d asks for a confirmation"
send Escape
wait_gone "Disable person"
check "ESC: still active" test "$(person_status Dan.Leaver)" = active

# ---- cancelled at the revocation ---------------------------------------
send d
wait_for "Disable person"
send d
check_screen "has 2 live certificates" \
    "with live certificates, the confirmation says how many are revoked"
check_screen "affiliationChanged" "... and with which reason"
check_screen "Revoke and disable" "... offering Revoke and disable"
send c
check_screen "Nothing changed" "Cancel says nothing changed"
check "Cancel: still active" test "$(person_status Dan.Leaver)" = active
check "Cancel: no certificate revoked" test "$(revoked_count)" -eq 0
cd_ request show "$PENDING" --json
check "Cancel: the pending request still awaits collection" \
    test "$(request_status "$PENDING")" = awaiting-collection

# ---- confirmed ------------------------------------------------------------
send d
wait_for "Disable person"
send d
wait_for "Revoke certificates"
send r
check_screen "Dan Leaver (Dan.Leaver) disabled; 2 certificates revoked" \
    "the status line says the person was disabled and how many revoked"
check_screen "Status:             disabled" "Details shows the person disabled"
check_screen "e enable" "the key bar now offers e enable"
screen_lacks "d disable" "... and no longer d disable"
send d
check_screen "Dan Leaver is already disabled (e enables)." \
    "d on a disabled person says why it does nothing"
screen_lacks "Disable person" "... with no dialog"
send 4
wait_for "Serial"
check "the Certificates tab shows both revoked" \
    test "$(grep -c "revoked .*req $DONE" "$T/pane")" -eq 2
check "person show: disabled" test "$(person_status Dan.Leaver)" = disabled
check "both certificates revoked with affiliationChanged" \
    test "$(revoked_count)" -eq 2
cd_ request show "$DONE"
check "request show: its certificates revoked (affiliationChanged)" \
    grep -qi 'affiliationChanged' "$OUT"
mkdir -p "$T/out2"
cd_ collect "$PENDING" --folder "$T/out2" --password-fd 3 3<"$T/pw"
expect_rc 3 "the disabled person's pending request cannot be collected"
expect_err "disabled" "... with the reason"
cd_ audit --json
check "the disable is audited" \
    grep -q '"action":"person.edit","object":"person Dan.Leaver","outcome":"ok"' "$OUT"

# ---- a person without certificates: one confirmation; Enable -------------
send q
wait_for "Search for people"
open_person "Nora Nocert" "Nora.Nocert" || fail "View Person of Nora opened"
send d
wait_for "Disable person"
send d
check_screen "Nora Nocert (Nora.Nocert) disabled." \
    "without live certificates, one confirmation disables"
screen_lacks "Revoke certificates" "... with no revocation dialog"
check "person show: Nora disabled" test "$(person_status Nora.Nocert)" = disabled
send e
check_screen "Enable Nora Nocert (Nora.Nocert) again?" "e asks to enable"
send e
check_screen "Nora Nocert (Nora.Nocert) enabled." "e enables"
check "person show: Nora active" test "$(person_status Nora.Nocert)" = active
send q q
wait_for "Search for a request"
send q
rc=$(wait_exit)
if [ "$rc" = 0 ]; then ok "q quits with status 0"; else fail "q quits (rc=$rc)"; fi

# ---- without the role -----------------------------------------------------------
$TM kill-server >/dev/null 2>&1
rm -f "$T/tui.rc"
TMUX_SOCK=cdtest$$b
TM="tmux -L $TMUX_SOCK -f /dev/null"
TUI_ARGS="--as Vera.Viewer"
start 80 24 vt100
open_person "Nora Nocert" "Nora.Nocert" || fail "View Person opened as a viewer"
send d
check_screen "needs the 'admin' role" "a viewer is refused, with the reason"
screen_lacks "Disable person" "... before any confirmation"
check "Nora still active" test "$(person_status Nora.Nocert)" = active
cd_ audit --json
check "the refusal is audited" \
    grep -q '"action":"person.edit","object":"person Nora.Nocert","outcome":"refused"' "$OUT"
send q q
wait_for "Search for a request"
send q
wait_exit >/dev/null
done_testing
