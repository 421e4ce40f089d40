#!/bin/sh
# SPDX-License-Identifier: ISC
# layout.sh - text at 80 columns: a name wider than its column ends with
# "..." and the columns after it stay where they are, in display cells,
# under LANG=C (accents shown as one '?' each) and C.UTF-8 (accents and
# double-width CJK); a long profile description wraps; the selection is
# reverse video over the whole row; View Request puts the actions that
# do not fit behind "..." (a narrow bar: CERTDESK_BAR_WIDTH); dialog
# titles say "Cancel request N"; TERM=dumb is refused with exit 2 and a
# pointer to the commands.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
DESC="Soft certificate for the finance department's signing officers, valid for two years, collected in person at the service desk with identification"
cat >>"$CONF" <<CONF

[profile.longdesc]
name = Soft certificate described at length
description = $DESC
password = user
password_min = 8
approval = yes
policies = signing
CONF
cd_ person add --logon Zoe.Angstrom --name "Zoë Ångström-Lindqvist Åberg" \
    --roles view
cd_ person add --logon Wang.Xiaoming --name "王小明 Wang Xiaoming" --roles view
cd_ request new --person Zoe.Angstrom --profile longdesc
RID=$(cat "$OUT")
cd_ request new --person Wang.Xiaoming --profile user-pin
WID=$(cat "$OUT")

# row_ok NAME: the row of NAME ends with a whole date at column 80 or less
row_ok() {
	screen | grep -F -- "$1" | grep -qE ' 20[0-9]{2}-[0-9]{2}-[0-9]{2} *$'
}

for loc in C C.UTF-8; do
	rm -f "$T/tui.rc"
	TUI_ENV="LC_ALL=$loc" start 80 24 vt100
	wait_for "requests found"
	if [ "$loc" = C ]; then z="Zo? ?ngstr?m"; else z="Zoë Ångström"; fi
	if row_ok "$z"; then ok "$loc: the accented name's row keeps its date"
	else fail "$loc: the accented name's row keeps its date"; fi
	if screen | grep -F -- "$z" | grep -qF "..."; then
		ok "$loc: the cut name ends with ..."
	else fail "$loc: the cut name ends with ..."; fi
	if [ "$loc" = C ]; then w="??? Wang"; else w="王小明 Wang"; fi
	if row_ok "$w"; then ok "$loc: the CJK name's row keeps its date"
	else fail "$loc: the CJK name's row keeps its date"; fi
	$TM kill-server >/dev/null 2>&1
	sleep 0.2
done

rm -f "$T/tui.rc"
TUI_ARGS="--as Adam.Approver" TUI_ENV="CERTDESK_BAR_WIDTH=24" start 80 24 vt100
wait_for "requests found"
# the selection: reverse video from the first cell to the date
send Escape
settle
sel=$($TM capture-pane -e -p -t S | grep "$(printf '\033')\[7m *[0-9][0-9]* " |
    sed -n "s/.*$(printf '\033')\[7m\([^$(printf '\033')]*\).*/\1/p" | head -n 1)
if echo "$sel" | grep -qE '^ *[0-9]+ .* 20[0-9]{2}-[0-9]{2}-[0-9]{2} *$'; then
	ok "the selected row is in reverse video from its ID to its date"
else fail "the selected row is in reverse video from its ID to its date ('$sel')"; fi

# View Request of the long-description request: wrapped, not cut
send s
open_request "$RID" || fail "View Request $RID opened"
check_screen "identification" "the profile description wraps to its last word"
# more actions than fit: "..." and the More actions menu
check_screen "[ ... ]" "actions that do not fit are behind [ ... ]"
send .
check_screen "More actions" "'.' opens the More actions menu"
check_screen "Reject" "... with the hidden action"
send Enter
check_screen "Reject request $RID" "choosing it opens 'Reject request $RID'"
send Escape
wait_gone "Note (optional)"
send q
wait_for "Search for a request"
send q
wait_exit >/dev/null
$TM kill-server >/dev/null 2>&1
sleep 0.2

# the requester cancels: "Cancel request N", not "Cancel Request request N"
rm -f "$T/tui.rc"
start 80 24 vt100
wait_for "requests found"
open_request "$RID" || fail "View Request $RID opened"
send x
check_screen "Cancel request $RID" "the dialog is titled 'Cancel request $RID'"
if screen | grep -q "Cancel Request request"; then
	fail "no doubled word in the title"
else ok "no doubled word in the title"; fi
send Escape
wait_gone "Note (optional)"
send q
wait_for "Search for a request"
send q
wait_exit >/dev/null

# TERM=dumb: refused, pointing at the commands, exit 2
$TM kill-server >/dev/null 2>&1
sleep 0.3
rm -f "$T/tui.rc"
$TM new-session -d -s S -x 80 -y 24 "env TERM=dumb '$CERTDESK' -c '$CONF' \
    2>'$T/tui.err'; echo \$? >'$T/tui.rc'; sleep 30"
rc=$(wait_exit)
if [ "$rc" = 2 ]; then ok "TERM=dumb: exit 2"
else fail "TERM=dumb: exit 2 (status $rc)"; fi
if grep -q "cannot move the cursor" "$T/tui.err" &&
    grep -q "commands" "$T/tui.err"; then
	ok "TERM=dumb: the message points at the commands"
else fail "TERM=dumb: the message points at the commands"; fi
done_testing
