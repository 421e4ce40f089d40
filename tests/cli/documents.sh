#!/bin/sh
# SPDX-License-Identifier: ISC
# documents.sh - PIN mailers and transport documents end to end with a
# private cupsd: a generated-password collection prints the PIN mailer to
# the secure queue (and nowhere else shows the password), the transport
# document prints only after the download, to a queue or a file; a PIN
# mailer that cannot be printed rolls the collection back.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
cupsd_for_test 'rm -rf "$T"'
setup_store
mkdir "$T/out"

cd_ request new --person Susan.Smith --profile generated
id=$(cat "$OUT")
cd_ print transport "$id" -o "$T/early.ps"
expect_rc 3 "no transport document before the download"
cd_ collect "$id" --folder "$T/out" --password-file /dev/null
expect_rc 2 "a generated-password profile takes no password"
cd_ collect "$id" --folder "$T/out" --json
expect_rc 0 "collect with a generated password"
cp "$OUT" "$T/c.out"; cp "$ERR" "$T/c.err"
set -- "$CUPSD_OUT_SECURE"/*
check "one PIN mailer on the secure queue" test $# -eq 1 -a -f "$1"
mailer=$1
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- "$mailer" \
    >"$T/mailer.txt" 2>/dev/null
pw=$(tr -d '\r' <"$T/mailer.txt" |
    sed -n 's/^ *Password: *\([^ ]*\) *$/\1/p' | head -n 1)
check "the mailer carries a password" test -n "$pw"
printf '%s\n' "$pw" >"$T/pw"
f="$T/out/Susan.Smith Signing.pfx"
openssl pkcs12 -in "$f" -info -noout -passin file:"$T/pw" >/dev/null 2>&1
check "the package opens with the mailed password" test $? -eq 0
check "nothing on the transport queue yet" test -z "$(ls -A "$CUPSD_OUT_TEST")"
check "the password is not in certdesk's output" \
    never_contains "$pw" "$T/c.out" "$T/c.err"
check "nor in the store" never_contains "$pw" "$T/data"

cd_ print transport "$id" -o "$T/letter.ps"
expect_rc 0 "transport document saved as PostScript"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- \
    "$T/letter.ps" >"$T/letter.txt" 2>/dev/null
check "it names the person" grep -q 'Susan Smith' "$T/letter.txt"
check "and where the file went" grep -q 'Susan.Smith Signing.pfx' "$T/letter.txt"
check "but never the password" never_contains "$pw" "$T/letter.ps" "$T/letter.txt"
cd_ print transport "$id"
expect_rc 0 "transport document printed to the configured queue"
expect_out '^test-[0-9]+' "the job is named"
check "it arrived on the test queue" test -n "$(ls -A "$CUPSD_OUT_TEST")"
cd_ audit
expect_out 'print.pin-mailer .*secure' "the PIN mailer print is audited"
expect_out 'print.transport .*ok' "the transport print is audited"

# the scheduler is gone: the PIN mailer cannot be printed, so roll back
cupsd_stop
cd_ request new --person John.Samson --profile generated
id=$(cat "$OUT")
mkdir "$T/out2"
cd_ collect "$id" --folder "$T/out2"
expect_rc 1 "no scheduler: the collection fails"
expect_err "PIN mailer could not be printed" "saying why"
check "and its files are gone" test -z "$(ls -A "$T/out2")"
cd_ request show "$id" --json
expect_out '"status":"awaiting-collection"' "the request can be collected again"
expect_out '"status":"pending-collection"' "its certificates await revocation"
done_testing
