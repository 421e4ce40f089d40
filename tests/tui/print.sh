#!/bin/sh
# SPDX-License-Identifier: ISC
# print.sh - printing from the operator UI against a private cupsd: a
# generated-password collection prints its PIN mailer to the secure
# queue during Download (the password opens the package and never
# appears on screen); Print in the Collect dialog, enabled after the
# download, prints the transport document to the configured queue or
# saves it as a PostScript file; View Request reprints it for a completed
# request; a stopped scheduler gives a clear error on screen.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui/lib.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
cupsd_for_test 'cleanup'

tui_setup
mkdir "$T/out"
cd_ request new --person Susan.Smith --profile generated
ID=$(cat "$OUT")

# the text of a PostScript job
ps_text() {
	gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- \
	    "$1" 2>/dev/null | tr -d '\r'
}
jobs_in() { ls -A "$1" | wc -l; }

start 80 24 vt100
open_request "$ID" || fail "View Request $ID opened"
send c
check_screen "PIN mailing document" "the dialog says the password goes by PIN mailer"
check "nothing printed before the download" test "$(jobs_in "$CUPSD_OUT_TEST")" -eq 0
send d
wait_for "Select the folder" || fail "Download asks for the folder"
choose_folder "$T/out"
check_screen "Download complete" "the download completes"
shots_at_download=$shot_n
check "the PIN mailer went to the secure queue" \
    test "$(jobs_in "$CUPSD_OUT_SECURE")" -eq 1
PW=$(ps_text "$CUPSD_OUT_SECURE"/* |
    sed -n 's/^ *Password: *\([^ ]*\) *$/\1/p' | head -n 1)
check "the PIN mailer carries the password" test -n "$PW"
printf '%s\n' "$PW" >"$T/pw"
openssl pkcs12 -in "$T/out/Susan.Smith Signing.pfx" -info -noout \
    -passin file:"$T/pw" >/dev/null 2>&1
check "the package opens with the mailed password" test $? -eq 0
check_screen "[ Print ]" "Print is enabled after the download"

# Print to the configured queue
send p
check_screen "Print transport document" "Print asks printer or file"
# In both modes the queue is the [print] printer of the configuration
# (in server mode, the client's own part of it: cd_conf_load_client).
check_screen "printer test" "... naming the configured queue"
send p
check_screen "Transport document printed" "p prints it"
check "one job on the transport queue" test "$(jobs_in "$CUPSD_OUT_TEST")" -eq 1
job=$(ls "$CUPSD_OUT_TEST"/* | head -n 1)
ps_text "$job" >"$T/transport.txt"
check "the transport document is for this request" grep -q "$ID" "$T/transport.txt"
check "... and this person" grep -q "Susan Smith" "$T/transport.txt"
check "the transport document does not carry the password" \
    never_contains "$PW" "$T/transport.txt" "$job"

# Save as a PostScript file
send p
wait_for "Print transport document"
send s
check_screen "PostScript file:" "s asks for a file name"
check_screen "transport-$ID.ps" "... offering one"
send C-u
typetext "$T/out/letter.ps"
send Enter
check_screen "Transport document saved as $T/out/letter.ps" "the file is saved"
check "it is PostScript" sh -c "head -c 11 '$T/out/letter.ps' | grep -q '%!PS-Adobe'"

# Reprint from View Request of the completed request
send c
wait_for "View Request $ID"
check_screen "Print transport document" "View Request offers the reprint"
send t
wait_for "Print transport document" && send p
check_screen "Transport document printed" "t on View Request prints it again"
check "a second job on the transport queue" \
    test "$(jobs_in "$CUPSD_OUT_TEST")" -eq 2

# The scheduler stopped: a clear error, nothing else happens
cupsd_stop
send t
wait_for "[ s Save as file ]" && send p
check_screen "scheduler" "a stopped scheduler is reported on screen"
check "still two jobs" test "$(jobs_in "$CUPSD_OUT_TEST")" -eq 2
check "the screens after the download were captured" \
    test "$shot_n" -gt "$shots_at_download"
if secret_shown "$PW"; then fail "the password never appeared on screen"
else ok "the password never appeared on screen ($shot_n screens)"; fi
send q
done_testing
