#!/bin/sh
# SPDX-License-Identifier: ISC
# keys.sh - stray keys never quit and never type into a field: on a
# VT100 (whose terminal description knows no PgUp/PgDn/Home/End) and on
# xterm-256color, PgDn as "ESC [ 6 ~" and Home as "ESC [ 1 ~" neither
# leave the main list nor close View Request; a sequence nobody knows is
# swallowed whole; the same holds when a key's bytes arrive split over
# 20 ms (a 9600-baud line).  A bare ESC goes back one level and on the
# main screen never quits.  Help is reachable from a text field (^G, ESC
# ?) and the hint line matches the field (Enter opens a drop-down).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup

# main_field TEXT: the Name field holds exactly TEXT
main_field() {
	screen | grep -q "Name or logon: *$1 *Request ID:"
}

for term in vt100 xterm-256color; do
	for mode in sendhex sendslow; do
		what="$term, $mode"
		rm -f "$T/tui.rc"
		# tmux starts a process per write of a split sequence: on a
		# loaded machine allow more than the default 150 ms between bytes
		if [ "$mode" = sendslow ]; then env="ESCDELAY=500"; else env=; fi
		TUI_ENV=$env start 80 24 "$term"
		wait_for "55 requests found"
		# in the Name field: nothing typed, nothing lost
		typetext "Smith"
		$mode 1b 5b 36 7e	# PgDn (vt220)
		$mode 1b 5b 31 7e	# Home (vt220, Linux console, tmux)
		$mode 1b 5b 34 7e	# End
		$mode 1b 5b 32 34 7e	# F12: unknown here
		$mode 1b 5b 32 30 30 7e	# bracketed paste start
		settle
		if running && main_field Smith; then
			ok "$what: key sequences in the Name field leave 'Smith' alone"
		else fail "$what: key sequences in the Name field leave 'Smith' alone"; fi
		# the main list: PgDn and Home move, never quit
		send Enter
		wait_for "found."
		$mode 1b 5b 36 7e
		$mode 1b 5b 31 7e
		$mode 1b 5b 35 7e
		settle
		if running && screen | grep -q "Search for a request"; then
			ok "$what: PgDn/Home/PgUp on the main list do not quit"
		else fail "$what: PgDn/Home/PgUp on the main list do not quit"; fi
		# View Request: PgDn scrolls, does not close it
		send Enter
		wait_for "View Request"
		$mode 1b 5b 36 7e
		$mode 1b 5b 31 7e
		$mode 1b 4f 46		# End (xterm SS3)
		$mode 1b 5b 38 7e	# End (rxvt)
		settle
		if running && screen | grep -q "View Request"; then
			ok "$what: PgDn/Home/End keep View Request open"
		else fail "$what: PgDn/Home/End keep View Request open"; fi
		# bare ESC: back one level, then nothing on the main screen
		send Escape
		wait_for "Search for a request"
		send Escape
		settle 1
		send Escape
		settle 1
		if running && screen | grep -q "Search for a request"; then
			ok "$what: ESC on the main screen does not quit"
		else fail "$what: ESC on the main screen does not quit"; fi
		check_screen "Press q" "$what: ... and says how to quit"
		send q
		rc=$(wait_exit)
		if [ "$rc" = 0 ]; then ok "$what: q quits"
		else fail "$what: q quits (status $rc)"; fi
		$TM kill-server >/dev/null 2>&1
		sleep 0.2
	done
done

# no results, cursor in the criteria: ESC does not quit either
rm -f "$T/tui.rc"
start 80 24 vt100
typetext "Nobody Atall"
send Enter
wait_for "No requests match."
send Escape
settle 0.6
if running; then ok "ESC with no results does not quit"
else fail "ESC with no results does not quit"; fi

# help from a text field: ^G and ESC ?, hinted on the hint line
send C-u
check_screen "^G help" "the hint line names ^G for help"
send C-g
check_screen "Keys on every screen" "^G in a text field opens the help"
if running && ! screen | grep "q quits\|quits certdesk" | grep -qv "screen"
then ok "the help's key table is not wrapped mid-sentence"
else fail "the help's key table is not wrapped mid-sentence"; fi
send Enter
wait_gone "Keys on every screen"
sendhex 1b 3f
check_screen "Keys on every screen" "ESC ? in a text field opens the help"
send Enter
wait_gone "Keys on every screen"
if main_field ""; then ok "no '?' was typed into the field"
else fail "no '?' was typed into the field"; fi

# the hint line follows the focus: a drop-down opens with Enter
send Tab Tab
wait_for "Enter/Space choose"
if running && ! screen | tail -n 1 | grep -q "Enter search"; then
	ok "no 'Enter search' on the Status drop-down"
else fail "no 'Enter search' on the Status drop-down"; fi
send C-t
check_screen "Additional search criteria (^T to hide)" "additional criteria"
if screen | tail -n 1 | grep -q "Enter/Space choose"; then
	ok "the Type drop-down's hint says Enter chooses"
else fail "the Type drop-down's hint says Enter chooses"; fi
send q
settle
if running; then ok "q on a drop-down does not quit"
else fail "q on a drop-down does not quit"; fi
done_testing
