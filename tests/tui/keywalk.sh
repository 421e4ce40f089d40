#!/bin/sh
# SPDX-License-Identifier: ISC
# keywalk.sh - every common form of the cursor keys, PgUp/PgDn, Home/End
# and Delete (vt100 and xterm application mode, ANSI/vt220, xterm SS3 and
# modified forms, rxvt, Linux console) and a few sequences nobody maps
# (F12, bracketed paste, Insert) sent to each screen: the main search
# (its Name field and its list), View Request, View Person, View Device
# and the help, on TERM=vt100 and xterm-256color, at once and split as
# on a 9600-baud line.  None of them may quit, close the screen, or
# change what was typed.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup

# The sequences, one a line: the bytes after ESC.
HOMES="5b 31 7e|5b 37 7e|5b 48|4f 48|5b 31 3b 35 48|5b 37 5e"
ENDS="5b 34 7e|5b 38 7e|5b 46|4f 46|5b 31 3b 32 46|5b 38 24"
DELS="5b 33 7e|5b 33 3b 35 7e|5b 33 24"
PAGES="5b 35 7e|5b 36 7e|5b 35 3b 35 7e|5b 36 5e|5b 36 24"
LEFTRIGHT="4f 44|5b 44|5b 31 3b 35 44|4f 64|5b 64|4f 43|5b 43|5b 31 3b 35 43|4f 63|5b 63|5b 43"
UPDOWN="4f 41|5b 41|5b 31 3b 35 41|4f 61|5b 61|4f 42|5b 42|5b 31 3b 35 42|4f 62|5b 62"
OTHER="5b 32 34 7e|5b 32 7e|5b 32 30 30 7e|5b 32 30 31 7e|4f 51|5b 45|4f 45"

# walk MODE LIST: send each sequence of LIST with MODE (sendhex/sendslow)
walk() {
	m=$1
	echo "$2" | tr '|' '\n' | while read -r s; do
		[ -n "$s" ] || continue
		# shellcheck disable=SC2086
		$m 1b $s
		sleep 0.05
	done
}

# field_is TEXT: the Name field holds exactly TEXT
field_is() { screen | grep -q "Name or logon: *$1 *Request ID:"; }

# still NAME TEXT: certdesk runs and TEXT is on the screen
still() {
	settle
	if running && screen | grep -qF -- "$2"; then ok "$what: $1"
	else fail "$what: $1 (no '$2')"; fi
}

ALL="$HOMES|$ENDS|$DELS|$PAGES|$LEFTRIGHT|$UPDOWN|$OTHER"
for term in vt100 xterm-256color; do
	for mode in sendhex sendslow; do
		rm -f "$T/tui.rc"
		# Split sequences: tmux starts a process per write, which on a
		# loaded machine can take longer than the 150 ms ESC wait.
		if [ "$mode" = sendslow ]; then env="ESCDELAY=1000"; else env=; fi
		TUI_ENV=$env start 80 24 "$term"
		wait_for "55 requests found"
		what="$term, $mode, Name field"
		typetext "Smith"
		# destructive keys last, with the cursor at the end
		walk "$mode" "$HOMES|$ENDS|$DELS|$PAGES|$OTHER"
		walk "$mode" "4f 44|5b 44|4f 43|5b 43"
		settle
		if running && field_is Smith; then ok "$what: 'Smith' kept"
		else fail "$what: 'Smith' kept"; fi

		what="$term, $mode, main list"
		send Enter
		wait_for "found."
		walk "$mode" "$ALL"
		still "still on the main screen" "Search for a request"
		if field_is Smith; then ok "$what: the criteria kept"
		else fail "$what: the criteria kept"; fi

		what="$term, $mode, View Request"
		send Enter
		wait_for "View Request"
		walk "$mode" "$ALL"
		still "View Request still open" "View Request"

		what="$term, $mode, View Person"
		send p
		wait_for "View Person"
		walk "$mode" "$ALL"
		still "View Person still open" "View Person"
		send q
		wait_for "View Request"
		send q
		wait_for "Search for a request"

		what="$term, $mode, View Device"
		send d
		wait_for "Search for devices"
		send Escape Enter
		wait_for "View Device"
		walk "$mode" "$ALL"
		still "View Device still open" "View Device"
		send q
		wait_for "Search for devices"
		send q
		wait_for "Search for a request"

		what="$term, $mode, help"
		send '?'
		wait_for "Keys on every screen"
		walk "$mode" "$ALL"
		still "the help still open" "Keys on every screen"
		send Enter
		wait_gone "Keys on every screen"
		send q
		rc=$(wait_exit)
		if [ "$rc" = 0 ]; then ok "$term, $mode: q quits with status 0"
		else fail "$term, $mode: q quits with status 0 (status $rc)"; fi
		$TM kill-server >/dev/null 2>&1
		sleep 0.2
	done
done
done_testing
