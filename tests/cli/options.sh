#!/bin/sh
# SPDX-License-Identifier: ISC
# options.sh - option values are checked, never guessed: numbers are
# whole, in range and nothing else; dates exist; a password descriptor
# must be open, a pipe, a file or a terminal, and not one of certdesk's
# own files.  Also the test clock: honoured only by builds with fault
# injection, and overflowing offsets refused.
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store || { echo "1..0 # SKIP setup failed"; exit 1; }
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/out"

cd_ person list --limit abc
expect_rc 2 "person list --limit abc is refused"
expect_err '--limit takes a whole number' "saying what it takes"
cd_ person list --limit 1
expect_rc 0 "person list --limit 1"
check "lists one person" test "$(wc -l <"$OUT")" -eq 1
cd_ request search --limit abc
expect_rc 2 "request search --limit abc is refused"
cd_ request search --limit -1
expect_rc 2 "request search --limit -1 is refused"
cd_ request search --limit ' 5'
expect_rc 2 "a leading space is refused"
cd_ request search --limit 99999999999999999999
expect_rc 2 "an overflowing number is refused"
cd_ request search --from 2026-02-31
expect_rc 2 "--from 2026-02-31 is refused, not moved to March"
expect_err 'date that exists' "saying why"
cd_ request search --to 2026-04-31
expect_rc 2 "--to 2026-04-31 is refused"
cd_ request search --from 2024-02-29
expect_rc 0 "29 February of a leap year is a date"
cd_ audit --since 2026-13-01
expect_rc 2 "audit --since a month 13 is refused"
cd_ collect --ready --profile user-pin --folder "$T/out" --jobs 0x
expect_rc 2 "--jobs 0x is refused"
cd_ collect --ready --profile user-pin --folder "$T/out" --jobs 0
expect_rc 2 "--jobs 0 is refused"
cd_ collect --ready --profile user-pin --folder "$T/out" --limit abc
expect_rc 2 "collect --ready --limit abc is refused"

cd_ request new --person Susan.Smith --profile usb
uid=$(cat "$OUT")
cd_ collect "$uid" --usb --wait -5
expect_rc 2 "--wait -5 is refused"
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
cd_ collect "$id" --folder "$T/out" --password-fd abc
expect_rc 2 "--password-fd abc is refused (it used to read standard input)"
cd_ collect "$id" --folder "$T/out" --password-fd 7
expect_rc 2 "--password-fd on a descriptor that is not open is refused"
expect_err 'descriptor 7 is not open' "saying so"
cd_ collect "$id" --folder "$T/out" --nss-password-fd 7
expect_rc 2 "so is --nss-password-fd"
"$CERTDESK" -c "$CONF" collect "$id" --folder "$T/out" --password-fd 3 \
    3<"$T/data/certdesk.db" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 2 "a descriptor on the store is refused"
expect_err "certdesk's own files" "saying so"
"$CERTDESK" -c "$CONF" collect "$id" --folder "$T/out" --password-fd 3 \
    3</dev/null >"$OUT" 2>"$ERR"; RC=$?
expect_rc 2 "a descriptor on a device that is not a terminal is refused"
check "nothing was written" test -z "$(ls -A "$T/out")"
cd_ request show "$id" --json
expect_out '"status":"awaiting-collection"' "and the request is untouched"
"$CERTDESK" -c "$CONF" collect "$id" --folder "$T/out" --password-fd 3 \
    3<"$T/pw" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "a descriptor on a file is taken"
cd_ request new --person John.Samson --profile user-pin
id=$(cat "$OUT")
mkdir "$T/out2"
cat "$T/pw" | "$CERTDESK" -c "$CONF" collect "$id" --folder "$T/out2" \
    --password-fd 0 >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "and one on a pipe"

# The test clock.
run "$CERTDESK" --version
if grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h"; then
	expect_out 'test clock \(CERTDESK_CLOCK_OFFSET\): built in' \
	    "a build with fault injection says the test clock is built in"
	CERTDESK_CLOCK_OFFSET=9223372036854775807 cd_ request search
	expect_rc 2 "an overflowing clock offset is refused"
	CERTDESK_CLOCK_OFFSET=99999999999999999999 cd_ request search
	expect_rc 2 "so is one beyond 64 bits"
	CERTDESK_CLOCK_OFFSET=86400x cd_ request search
	expect_rc 2 "and one with junk"
	CERTDESK_CLOCK_OFFSET=$((400 * 86400)) cd_ request new \
	    --person Vic.Viewer --profile user-pin
	cid=$(cat "$OUT")
	cd_ request show "$cid" --json
	expect_out "\"created_at\":\"$(date -u -d '+400 days' +%Y)-" \
	    "and a valid offset moves the clock"
else
	expect_out 'test clock \(CERTDESK_CLOCK_OFFSET\): not built in' \
	    "a build without fault injection says the test clock is not built in"
	CERTDESK_CLOCK_OFFSET=$((400 * 86400)) cd_ request new \
	    --person Vic.Viewer --profile user-pin
	cid=$(cat "$OUT")
	cd_ request show "$cid" --json
	expect_out "\"created_at\":\"$(date -u +%Y)-" \
	    "and CERTDESK_CLOCK_OFFSET does not move its clock"
fi
done_testing
