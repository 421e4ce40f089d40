#!/bin/sh
# SPDX-License-Identifier: ISC
# terms.sh - the operator interface on every terminal type it promises
# (vt100, vt220, linux, xterm, xterm-256color, screen, tmux): the main
# screen is drawn at 80x24 with line drawing that the terminal has (or
# ASCII), and q leaves it with status 0 and the terminal restored (no
# alternate screen left on).  Then a hang-up (SIGHUP, an SSH session
# dropping) in the middle of a collection rolls it back: no file left,
# the request collectable again, its certificates awaiting revocation.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
for term in vt100 vt220 linux xterm xterm-256color screen tmux; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		not_ok "$term: no terminfo entry (package ncurses-term)"
		continue
	fi
	rm -f "$T/tui.rc"
	start 80 24 "$term"
	check_screen "Search for a request" "$term: the main screen is drawn"
	check_screen "Operator: root" "$term: ... with the header"
	send Escape
	sleep 0.5
	send q
	rc=$(wait_exit)
	if [ "$rc" = 0 ]; then ok "$term: q quits with status 0"
	else fail "$term: q quits with status 0 (status $rc)"; fi
	alt=$($TM display-message -p -t S '#{alternate_on}' 2>/dev/null)
	if [ "$alt" = 0 ]; then ok "$term: the terminal is restored"
	else fail "$term: the terminal is restored (alternate_on '$alt')"; fi
	$TM kill-session -t S >/dev/null 2>&1
	i=0
	while $TM has-session -t S 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
done

# SIGHUP with the folder browser open: the folder is asked before anything
# is issued, so nothing was issued and nothing saved
rm -f "$T/tui.rc"
mkdir "$T/out"
start 80 24 xterm
open_request 7 || fail "View Request 7 opened"
send c
wait_for "Set Certificate Password:"
typetext "Hang-up-Pw4"
send Enter
typetext "Hang-up-Pw4"
send Enter
check_screen "Select the folder" "the folder browser is open"
pane=$($TM display-message -p -t S '#{pane_pid}')
pid=$(ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "certdesk" { print $1 }')
kill -HUP "$pid"
rc=$(wait_exit)
if [ -n "$rc" ] && [ "$rc" != 0 ]; then ok "SIGHUP ends certdesk (status $rc)"
else fail "SIGHUP ends certdesk (status $rc)"; fi
alt=$($TM display-message -p -t S '#{alternate_on}' 2>/dev/null)
if [ "$alt" = 0 ]; then ok "the terminal is restored after the hang-up"
else fail "the terminal is restored after the hang-up (alternate_on '$alt')"; fi
st=$(request_status 7)
if [ "$st" = awaiting-collection ]; then ok "the collection was rolled back"
else fail "the collection was rolled back ($st)"; fi
if [ -z "$(cert_statuses 7)" ]; then
	ok "no certificate was issued before the folder was chosen"
else fail "no certificate was issued before the folder was chosen"; fi
check "no file was saved" test -z "$(ls -A "$T/out")"
done_testing
