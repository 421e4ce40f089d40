#!/bin/sh
# SPDX-License-Identifier: ISC
# revoke.sh - View Device's Revoke action on a VT100 at 80x24: 'r' asks
# for a reason, then a confirmation; ESC at either step revokes nothing;
# confirmed, every certificate of the package is revoked with that
# reason, audited, and View Request shows what was revoked and why.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
start 80 24 vt100
send Escape
sleep 0.5
send d
check_screen "Search for devices" "d opens the device search"
check_screen "Soft Certificate" "devices listed"
send Escape Enter
check_screen "View Device" "Enter opens View Device"
check_screen "r revoke" "the key bar offers r revoke"
dev=$(screen | sed -n 's/.*View Device \([0-9]*\):.*/\1/p' | head -n 1)

send r
check_screen "Revoke: reason" "r asks for a reason"
send Escape
wait_gone "Revoke: reason"
send r
check_screen "Revoke: reason" "r again"
send Down Down Enter
check_screen "with reason superseded?" "the confirmation names the reason"
send Escape
wait_gone "Revoke certificates"
cd_ device show "$dev"
check "ESC revoked nothing" sh -c "! grep -q 'revoked' '$OUT'"

send r
wait_for "Revoke: reason"
send Down Down Enter
wait_for "Revoke certificates"
send r
check_screen "revoked (superseded)" "confirmed: the status line says how many were revoked"
cd_ device show "$dev"
check "the package's certificates are revoked (superseded)" \
    grep -q 'revoked .*(superseded)' "$OUT"
cd_ audit --json
check "audited" grep -q '"action":"device.revoke","object":"device '"$dev"'","outcome":"ok"' "$OUT"

send 2
check_screen "Device Requests" "Device Requests tab"
send Enter
check_screen "View Request" "the request that made the package"
check_screen "revoked" "View Request shows the certificate revoked"
send Down Down Down Down Down Down
check_screen "superseded" "... and why"
send q q q q
wait_for "Search for a request"
send q
rc=$(wait_exit)
if [ "$rc" = 0 ]; then ok "q quits with status 0"; else fail "q quits (rc=$rc)"; fi
done_testing
