#!/bin/sh
# SPDX-License-Identifier: ISC
# resize.sh - the operator UI keeps half-typed input across a resize,
# including a masked password: type half, resize (also below 80x24, where
# "Terminal too small" shows), grow back, finish; the .pfx files open
# with the whole password.  Then SIGTERM during a collection cancels it
# and restores the terminal.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not installed"

tui_setup
A='Half-one7'; B='Xy-rest8'
mkdir -p "$T/out"
start 80 24 vt100
open_request 6
send c
wait_for "Set Certificate Password:"
type_secret "$A"
$TM resize-window -t S -x 100 -y 30
check_screen "Collect Soft Certificates" "redrawn after growing to 100x30"
type_secret "$B"
send Enter
type_secret "$A"
$TM resize-window -t S -x 60 -y 20
check_screen "Terminal too small: 60x20" "too small at 60x20 while typing"
send x
$TM resize-window -t S -x 80 -y 24
check_screen "Verify Certificate Password:" "back at 80x24"
type_secret "$B"
send Enter
check_screen "Select the folder" "both halves match: the folder browser"
choose_folder "$T/out"
check_screen "Download complete" "download completes"
printf '%s%s' "$A" "$B" >"$T/pw"
n=0
for f in "$T"/out/*.pfx; do
	openssl pkcs12 -info -noout -passin "file:$T/pw" -in "$f" \
	    >/dev/null 2>&1 && n=$((n + 1))
done
if [ "$n" -eq 2 ]; then ok "files open with the password typed across resizes"
else fail "files open with the password typed across resizes ($n)"; fi
if secret_shown "$A" || secret_shown "$B"; then fail "password never shown"
else ok "password never shown"; fi
send c
wait_for "View Request 6"
send q

# SIGTERM while the folder browser is open
wait_for "Search for a request"
send s
open_request 7
send c
wait_for "Set Certificate Password:"
typetext "$A$B"
send Enter
typetext "$A$B"
send Enter
wait_for "Select the folder"
pane=$($TM display-message -p -t S '#{pane_pid}')
pid=$(ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "certdesk" { print $1 }')
kill -TERM "$pid"
rc=$(wait_exit)
if [ "$rc" != "" ] && [ "$rc" != 0 ]; then ok "SIGTERM ends certdesk (status $rc)"
else fail "SIGTERM ends certdesk (status $rc)"; fi
if grep -q "signal" "$T/tui.err"; then ok "says it stopped on a signal"
else fail "says it stopped on a signal"; fi
st=$(request_status 7)
if [ "$st" = awaiting-collection ]; then ok "collection rolled back"
else fail "collection rolled back ($st)"; fi
done_testing
