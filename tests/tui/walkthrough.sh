#!/bin/sh
# SPDX-License-Identifier: ISC
# walkthrough.sh - the reference workflow in order, on a VT100 and on
# xterm-256color at 80x24: search with the Type criterion, View Request,
# Collect (Print disabled with its reason before the download, the
# password policy shown before typing, one '*' per key and each rule
# marked ok while typing), Download, the existing-files warning (Change
# folder the default, the overwritten files listed apart, every key
# letter shown), Print (saved as a PostScript file), Close.  The password
# never appears on any screen.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"

tui_setup
PW='Walk-Thru7x'
for who in Walter Xena; do
	cd_ person add --logon $who.Walk --name "$who Walk" \
	    --email $who@example.com --roles view
	[ "$RC" -eq 0 ] || bail_out "person add failed: $(head -n 3 "$ERR")"
done

# the row of the Set Certificate Password field, without its label
set_row() {
	capture
	sed -n 's/^ *Set Certificate Password: *//p' "$T/pane" | head -n 1
}
keys_row() { capture; tail -n 1 "$T/pane"; }
# masks_are TEXT: until the field shows TEXT (bounded); 0 when it does
masks_are() {
	i=0
	while [ "$i" -lt 50 ]; do
		[ "$(set_row)" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# walk TERM WHO: the workflow for WHO's (only) request on TERM
walk() {
	term=$1 who=$2
	D=$T/$term/full; E=$T/$term/other
	mkdir -p "$D" "$E"
	echo old >"$D/$who.Walk Signing.pfx"
	echo old >"$D/someone-else.pfx"
	cd_ request new --person $who.Walk --profile user-pin
	ID=$(cat "$OUT")
	rm -f "$T/tui.rc"
	start 80 24 "$term"

	# 1. search: name and the Type criterion
	typetext "$who Walk"
	send C-t
	wait_for "Additional search criteria (^T to hide)"
	send Enter
	wait_for "Request a soft certificate for a user"
	send Down Enter
	wait_gone "Enter: choose"
	send C-r
	if wait_for "1 request found" &&
	    screen | grep -q "Type: *Request a soft certificate for a user"; then
		ok "$term: search by name and Type finds the request"
	else fail "$term: search by name and Type finds the request"; fi

	# 2. View Request
	send Enter
	check_screen "View Request $ID" "$term: Enter opens View Request"

	# 3. Collect: the policy up front, Print disabled with its reason
	send c
	check_screen "Collect Soft Certificates" "$term: c opens Collect"
	check_screen "Password rules: [  ] 8-64 characters  [  ] a-z  [  ] A-Z  [  ] 0-9" \
	    "$term: the policy is shown before typing, no rule met"
	case $(keys_row) in
	*"^G help"*) ok "$term: the field's hint line names ^G help" ;;
	*) fail "$term: the field's hint line names ^G help" ;;
	esac
	screen_lacks "F1" "$term: no F1 on the screen"
	screen_lacks "[ Print ]" "$term: Print is not enabled before the download"
	send Escape
	wait_for " d download  c/q close"
	send p
	check_screen "You can print the transport document after the download" \
	    "$term: p before the download says why"
	check_screen "Collect Soft Certificates" "$term: ... and stays"
	send Tab
	wait_for "Keys type"

	# 4. the password: one '*' per key, backspace visible, rules marked
	type_secret "abc"
	check "$term: three keys show three masks" masks_are "***"
	check_screen "[ok] a-z  [  ] A-Z" "$term: the lower-case rule is marked ok"
	send BSpace
	check "$term: backspace removes one mask" masks_are "**"
	send C-u
	check "$term: ^U empties the field" masks_are ""
	type_secret "$PW"
	check "$term: one mask per character" \
	    masks_are "$(printf '%s' "$PW" | sed 's/./*/g')"
	check_screen "[ok] 8-64 characters  [ok] a-z  [ok] A-Z  [ok] 0-9" \
	    "$term: every rule is marked ok"
	# cursor and editing keys neither type, erase nor leave the dialog
	sendhex 1b 5b 33 7e
	sendhex 1b 5b 31 7e
	sendhex 1b 5b 36 7e
	send Left Home End
	settle
	check "$term: Delete, Home, PgDn and arrows leave the password alone" \
	    masks_are "$(printf '%s' "$PW" | sed 's/./*/g')"
	check_screen "Collect Soft Certificates" "$term: ... and the dialog open"
	send Enter
	type_secret "$PW"

	# 5. Download: the folder, then the existing-files warning
	send Enter
	check_screen "Select the folder" "$term: Download asks for the folder"
	case $(keys_row) in
	*"BS/u up"*"/ or g type path"*"^G help"*)
		ok "$term: the browser's own keys on the hint line" ;;
	*) fail "$term: the browser's own keys on the hint line" ;;
	esac
	choose_folder "$D"
	check_screen "The folder already contains certificate files" \
	    "$term: the existing-files warning"
	check_screen "Overwritten: $who.Walk Signing.pfx." \
	    "$term: ... lists the file that would be overwritten"
	check_screen "Other certificate files there (kept): 1." \
	    "$term: ... and the others apart"
	check_screen "[ f Change folder ]" "$term: ... key f for Change folder"
	check_screen "[ c Continue (overwrite) ]" "$term: ... key c for Continue"
	check_screen "[ x Cancel ]" "$term: ... key x for Cancel"
	send Enter
	check_screen "Select the folder" "$term: Enter takes the default, Change folder"
	check "$term: the old file is untouched" \
	    test "$(cat "$D/$who.Walk Signing.pfx")" = old
	choose_folder "$E"
	check_screen "Download complete" "$term: saved into the other folder"
	check "$term: both files in the other folder" test -s \
	    "$E/$who.Walk Signing.pfx" -a -s "$E/$who.Walk Encryption.pfx"

	# 6. Print: saved as a PostScript file
	check_screen "[ Print ]" "$term: Print is enabled after the download"
	send p
	check_screen "Print transport document" "$term: p opens Print"
	check_screen "[ s Save as file ]" "$term: ... with its key letters"
	send s
	wait_for "PostScript file:"
	send C-u
	typetext "$T/$term.ps"
	send Enter
	check_screen "Transport document saved as $T/$term.ps" \
	    "$term: the transport document is saved"
	check "$term: ... as PostScript" \
	    sh -c "head -c 11 '$T/$term.ps' | grep -q '%!PS-Adobe'"

	# 7. Close
	send c
	check_screen "View Request $ID" "$term: Close goes back to View Request"
	check "$term: the request is completed" \
	    test "$(request_status "$ID")" = completed
	send q
	wait_for "Search for a request"
	send q
	wait_exit >/dev/null
	$TM kill-session -t S >/dev/null 2>&1
}

walk vt100 Walter
walk xterm-256color Xena
if secret_shown "$PW"; then fail "the password never appeared on screen"
else ok "the password never appeared on screen ($shot_n screens)"; fi
done_testing
