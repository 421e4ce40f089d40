#!/bin/sh
# SPDX-License-Identifier: ISC
# autosave.sh - the AutoSave wait dialog in the operator UI, with a USB
# stick simulated by umockdev (tests/data/usb/stick.umockdev) whose
# mount point, in a fake mount table, is a real directory.  The dialog
# lists the stick with the reason it cannot be used ("not empty"), takes
# it as soon as its files are deleted, saves the package there and says
# the drive can be removed; a second collection cancelled in the dialog
# is rolled back and its certificate revoked after the delay.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"
command -v umockdev-run >/dev/null 2>&1 || skip_all "umockdev-run not installed"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not installed"

tui_setup
PW='Usb-Stick-Pw7'
mkdir "$T/stick"
printf '36 25 8:17 / %s rw,relatime shared:1 - vfat /dev/sdb1 rw\n' \
    "$T/stick" >"$T/mountinfo"
touch "$T/stick/holiday.jpg"
cd_ request new --person Susan.Smith --profile usb
ID=$(cat "$OUT")
cd_ request new --person John.Samson --profile usb
ID2=$(cat "$OUT")

TUI_ENV="CERTDESK_MOUNTINFO=$T/mountinfo"
TUI_WRAP="umockdev-run -d $top_srcdir/tests/data/usb/stick.umockdev --"
start

open_request "$ID" || fail "View Request $ID opened"
send c
check_screen "Set Certificate Password:" "the Collect dialog asks for a password"
check_screen "first empty USB drive" "it says the file goes to a USB drive"
type_twice "$PW"
check_screen "Waiting for a USB drive" "Download opens the USB wait dialog"
check_screen "Insert an empty USB drive" "... asking for an empty drive"
check_screen "sdb1 Kingston DataTraveler (STICK)" "... listing the stick it sees"
check_screen "not empty: 1 entries" "... with the reason it is not used"
check "nothing is written to a stick with files" \
    test "$(ls -A "$T/stick")" = holiday.jpg
rm "$T/stick/holiday.jpg"
check_screen "The USB drive can be removed safely" \
    "the stick is taken once its files are gone, and is safe to remove"
check_screen "Download complete" "the download completed"
f="$T/stick/Susan.Smith Travel.pfx"
check "the package is on the stick" test -f "$f"
check "written 0600" test "$(stat -c %a "$f" 2>/dev/null)" = 600
printf '%s\n' "$PW" >"$T/pw"
openssl pkcs12 -in "$f" -info -noout -passin file:"$T/pw" >/dev/null 2>&1
check "it opens with the typed password" test $? -eq 0
check "the request is completed" test "$(request_status "$ID")" = completed
cd_ device list --json
check "the stick is recorded as a device" grep -q '"type":"USB Drive","serial":"ABC123"' "$OUT"

# Cancel while waiting: the stick is not empty any more.
next_request "$ID" "$ID2"
type_twice "$PW"
check_screen "not empty: 1 entries" "a stick holding a package is not used"
send c
check_screen "Collection cancelled" "c in the wait dialog cancels the collection"
check_screen "Download to try again" "... and Download can be pressed again"
check "no second package on the stick" test "$(ls -A "$T/stick" | wc -l)" -eq 1
check "the request is ready to collect again" \
    test "$(request_status "$ID2")" = awaiting-collection
if cert_statuses "$ID2" | grep -q pending; then
	ok "its certificate awaits revocation"
else fail "its certificate awaits revocation"; fi
send c
wait_for "View Request $ID2"
send q
# The revocation is the sweep's: 'certdesk sweep' in embedded mode; in
# server mode certdeskd's own (its timer), 'certdesk sweep' there being
# the client's journal.
CERTDESK_CLOCK_OFFSET=400
export CERTDESK_CLOCK_OFFSET
cd_ sweep
mode_sweep
unset CERTDESK_CLOCK_OFFSET
check "the sweep revokes it after the delay" \
    test "$(cert_statuses "$ID2" | grep -c revoked)" -ge 1
if secret_shown "$PW"; then fail "the password never appeared on screen"
else ok "the password never appeared on screen"; fi
done_testing
