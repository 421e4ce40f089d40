# SPDX-License-Identifier: ISC
# lib.sh - helpers for the operator UI tests: a data set (tests/lib/
# common.sh), certdesk running in a private tmux server at a fixed size,
# keys sent, screens captured and asserted on.  TAP output.
#
#   tui_setup                  config + demo data in $T
#   start [COLS ROWS [TERM]]   run certdesk in tmux (default 80x24 vt100)
#   wait_for TEXT              until TEXT is on the screen (bounded)
#   send KEY...                tmux key names (Enter Tab Up C-r Escape ...)
#   typetext TEXT                  literal text
#   screen                     print the current screen
#   check_screen TEXT DESC     ok / not ok on whether TEXT is shown
#   screen_lacks TEXT DESC     ok when the screen now is drawn and lacks TEXT
#   secret_shown TEXT          0 when TEXT was on any screen captured, or
#                              when there is nothing to search
#
# Every screen captured (by screen, and by every poll of wait_for,
# wait_gone, check_screen and choose_folder) that differs from the one
# before is kept in $SHOTS, so that secret_shown searches all the screens
# a test saw.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CERTDESK:=$top_builddir/certdesk}"
export top_srcdir top_builddir CERTDESK

. "$top_srcdir/tests/lib/common.sh"
need_cmd tmux

TMUX_SOCK=cdtest$$
TM="tmux -L $TMUX_SOCK -f /dev/null"
SHOTS=$T/shots
mkdir -p "$SHOTS"
shot_n=0
cleanup() {
	tmux -L "$TMUX_SOCK" kill-server >/dev/null 2>&1
	mode_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'cleanup; exit 1' HUP INT TERM PIPE
unset TMUX

fail() {
	not_ok "$*"
	echo "#   screen:"
	screen 2>/dev/null | sed 's/^/#   | /'
	[ -s "$T/tui.err" ] && sed 's/^/#   stderr: /' "$T/tui.err" | head -n 10
	return 0
}

tui_setup() {
	write_conf
	cd_ init --demo
	[ "$RC" -eq 0 ] || bail_out "init --demo failed: $(head -n 3 "$ERR")"
}

# start [COLS ROWS [TERM]]: $TUI_ENV (VAR=value ...) is added to the
# environment and $TUI_WRAP (a command such as umockdev-run ... --) is
# put in front of certdesk; $TUI_ARGS (such as --as LOGON) after -c.
# In server mode (tests/lib/mode.sh) certdeskd is brought up to date
# first and certdesk is pointed at it.
start() {
	cols=${1:-80}; rows=${2:-24}; term=${3:-vt100}
	cd "$T" || exit 1
	mode_ensure
	$TM new-session -d -s S -x "$cols" -y "$rows" \
	    "env TERM=$term LANG=C.UTF-8 $(mode_client_env) ${TUI_ENV:-} ${TUI_WRAP:-} \
	    '$CERTDESK' -c '$CONF' ${TUI_ARGS:-} \
	    2>'$T/tui.err'; echo \$? >'$T/tui.rc'; sleep 30"
	wait_for "Search for a request"
}

# capture: the pane's text in $T/pane; kept in $SHOTS when it differs
# from the last capture kept.  Fails when tmux gives nothing.
capture() {
	$TM capture-pane -p -t S >"$T/pane" 2>/dev/null || return 1
	if [ "$shot_n" -eq 0 ] || ! cmp -s "$T/pane" "$SHOTS/$shot_n"; then
		shot_n=$((shot_n + 1))
		cp "$T/pane" "$SHOTS/$shot_n"
	fi
	return 0
}

# The pane's text (and a capture).
screen() {
	capture && cat "$T/pane"
}

# wait_for TEXT [TENTHS]: poll every 0.1 s, at most TENTHS (default
# 100); at once when certdesk has ended and TEXT is not on its last screen.
wait_for() {
	i=0
	while [ "$i" -lt "${2:-100}" ]; do
		capture && grep -qF -- "$1" "$T/pane" && return 0
		[ -s "$T/tui.rc" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_gone TEXT: until TEXT is no longer shown.
wait_gone() {
	i=0
	while [ "$i" -lt 100 ]; do
		capture && ! grep -qF -- "$1" "$T/pane" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

cursor_x() {
	$TM display-message -p -t S '#{cursor_x}' 2>/dev/null
}

# wait until the cursor leaves column $1 (a key was taken by a field)
wait_cursor_from() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ "$(cursor_x)" != "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

send() { $TM send-keys -t S "$@"; }
typetext() { $TM send-keys -t S -l -- "$1"; }

# type_secret TEXT: one key at a time, a capture after each one; 1 (and
# a comment) when a key did not move the cursor (not taken by a field)
type_secret() {
	s=$1 _taken=0
	while [ -n "$s" ]; do
		c=${s%"${s#?}"}
		s=${s#?}
		x=$(cursor_x)
		$TM send-keys -t S -l -- "$c"
		if ! wait_cursor_from "$x"; then
			diag "type_secret: a key did not move the cursor"
			_taken=1
		fi
		capture
	done
	return $_taken
}

# secret_shown TEXT: 0 if any capture so far contains TEXT, and also when
# the search could not be made (an empty TEXT, no capture): a caller's
# "never appeared" check must not pass on nothing
secret_shown() {
	capture
	diag "searching $shot_n screens captured for a secret"
	! never_contains "$1" "$SHOTS"
}

# screen_lacks TEXT DESC: the screen, drawn now, does not show TEXT
screen_lacks() {
	if ! capture || ! grep -q '[^[:space:]]' "$T/pane"; then
		fail "$2 (no screen to look at)"
	elif grep -qF -- "$1" "$T/pane"; then
		fail "$2 ('$1' is shown)"
	else
		ok "$2"
	fi
}

# never_shown TEXT TENTHS DESC: for TENTHS tenths of a second certdesk
# keeps running and TEXT does not appear
never_shown() {
	if wait_for "$1" "$2"; then
		fail "$3 ('$1' appeared)"
	elif [ -s "$T/tui.rc" ]; then
		fail "$3 (certdesk ended)"
	else
		ok "$3"
	fi
}

check_screen() {
	if wait_for "$1"; then ok "$2"; else fail "$2 (no '$1')"; fi
}

# the program's exit status once it has ended
wait_exit() {
	i=0
	while [ "$i" -lt 100 ] && [ ! -s "$T/tui.rc" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cat "$T/tui.rc" 2>/dev/null
}

# request_status ID: the status field of "request show ID --json"
request_status() {
	cd_ request show "$1" --json
	sed -n 's/^{"request":{[^}]*"status":"\([a-z-]*\)".*/\1/p' "$OUT"
}

# a request id by person logon and profile (the newest)
find_request() {
	cd_ request search --person "$1" --profile "$2" --status "$3"
	awk 'NR == 1 { print $1 }' "$OUT"
}

# open_request ID: from the main screen (cursor in the criteria), by number
open_request() {
	send C-u Tab C-u
	typetext "$1"
	send Enter
	wait_for "1 request found" || return 1
	send Enter
	wait_for "View Request $1"
}

# next_request FROM TO: close the Collect dialog of request FROM, go back
# to the main screen and open request TO's Collect dialog
next_request() {
	send c
	wait_for "View Request $1"
	send q
	wait_for "Search for a request"
	send s
	open_request "$2" || fail "View Request $2 opened"
	send c
	wait_for "Set Certificate Password:"
}

# type_twice PASSWORD: Set and Verify Certificate Password, then Download
type_twice() {
	type_secret "$1"
	send Enter
	type_secret "$1"
	send Enter
}

# collect_to PASSWORD FOLDER: on View Request, collect up to the point
# where the folder is chosen (the dialog that follows is the caller's)
collect_to() {
	send c
	wait_for "Set Certificate Password:" || return 1
	typetext "$1"
	send Enter
	typetext "$1"
	send Enter
	wait_for "Select the folder" || return 1
	choose_folder "$2"
}

# choose_folder DIR: in the folder browser, type DIR as the path, wait
# until the browser has left the path field for DIR's listing (the
# cursor leaves the "Folder:" row), then select it.
choose_folder() {
	send /
	send C-u
	typetext "$1"
	wait_for "Folder: $1 " || return 1
	capture
	row=$(grep -n "Folder: " "$T/pane" | head -n 1 | cut -d: -f1)
	[ -n "$row" ] || return 1
	send Enter
	i=0
	while [ "$i" -lt 100 ] &&
	    [ "$($TM display-message -p -t S '#{cursor_y}')" -eq $((row - 1)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	send s
}

# cert_statuses ID: the certificate statuses of a request, one a line
cert_statuses() {
	cd_ request show "$1" --json
	tr '{' '\n' <"$OUT" | sed -n 's/.*"serial":"\([0-9a-f]*\)".*"status":"\([a-z-]*\)".*/\1 \2/p'
}

# sendhex HEX...: bytes written to the terminal at once (tmux send-keys -H)
sendhex() { $TM send-keys -t S -H "$@"; }

# sendslow HEX...: the same bytes one write each, 20 ms apart, as a
# 9600-baud line or a slow network splits a key sequence (tmux itself
# cannot throttle the line)
sendslow() {
	for b in "$@"; do
		$TM send-keys -t S -H "$b"
		sleep 0.02
	done
}

# running: certdesk has not ended
running() { [ ! -s "$T/tui.rc" ]; }

# settle: let certdesk take what was sent (the screen is not waited on)
settle() { sleep "${1:-0.4}"; }
