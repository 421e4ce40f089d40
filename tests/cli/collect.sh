#!/bin/sh
# SPDX-License-Identifier: ISC
# collect.sh - 'certdesk collect' to a folder: the packages read back
# with OpenSSL in both PFX modes, the existing-files confirmation,
# refusals, password policy, rollback, retry with new serials, the sweep
# revoking after the delay (injected clock), the CRL, two collectors at
# once, and unsafe characters reaching file names.
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/out"

new_request() { cd_ request new --person "$1" --profile "$2"; cat "$OUT"; }
status_of() { cd_ request show "$1" --json; sed -n 's/.*"request":{[^}]*"status":"\([a-z-]*\)".*/\1/p' "$OUT"; }
serials_of() { cd_ request show "$1" --json; grep -o '"serial":"[0-9a-f]*"' "$OUT" | cut -d'"' -f4; }

id=$(new_request Susan.Smith user-pin)
cd_ collect "$id" --folder "$T/out" --password-fd 3 --json 3<"$T/pw"
expect_rc 0 "collect with a user-specified password"
expect_out '"status":"completed"' "JSON result"
cp "$OUT" "$T/first.out"; cp "$ERR" "$T/first.err"
S="$T/out/Susan.Smith Signing.pfx"; E="$T/out/Susan.Smith Encryption.pfx"
check "default file names <LogonName> <PolicyName>.pfx" test -f "$S" -a -f "$E"
check "files are 0600" test "$(stat -c %a "$S")" = 600
check "no temporary files left" test "$(ls -A "$T/out" | wc -l)" -eq 2
openssl pkcs12 -in "$S" -info -noout -passin file:"$T/pw" >"$T/info" 2>&1
check "OpenSSL reads the package with the password" grep -q 'MAC: sha256' "$T/info"
check "keys and certificates are AES-256-CBC with PBKDF2" \
    test "$(grep -c 'PBES2, PBKDF2, AES-256-CBC' "$T/info")" -eq 2
openssl pkcs12 -in "$S" -nodes -passin file:"$T/pw" -out "$T/s.pem" 2>/dev/null
check "the package holds key, certificate and CA chain" \
    test "$(grep -c 'BEGIN CERTIFICATE' "$T/s.pem")" -eq 2 -a \
    "$(grep -c 'PRIVATE KEY' "$T/s.pem")" -ge 1
check "friendly name set" grep -q 'friendlyName: Susan Smith - Signing' "$T/s.pem"
check "localKeyID set" grep -q 'localKeyID' "$T/s.pem"
openssl x509 -in "$T/s.pem" -noout -text >"$T/s.txt" 2>/dev/null
check "subject from the policy" grep -q 'Subject: CN *= *Susan Smith, O *= *Example Test Ltd' "$T/s.txt"
check "e-mail in subjectAltName" grep -q 'email:susan@example.com' "$T/s.txt"
check "key usage from the policy" grep -q 'Digital Signature, Non Repudiation' "$T/s.txt"
openssl pkcs12 -in "$S" -info -noout -passin pass:wrong >/dev/null 2>&1
check "a wrong password is refused" test $? -ne 0
check "request completed" test "$(status_of "$id")" = completed
cd_ request show "$id" --json
expect_out '"status":"active"' "certificates active"
cd_ device list --owner Susan.Smith --json
expect_out '"type":"Soft Certificate"' "a Soft Certificate device was recorded"
cd_ audit
check "the password never reaches the audit trail" never_contains "$PW" "$OUT"
check "nor the store" never_contains "$PW" "$T/data"
check "nor the command's output" \
    never_contains "$PW" "$T/first.out" "$T/first.err"
cd_ collect "$id" --folder "$T/out" --password-fd 3 3<"$T/pw"
expect_rc 3 "a completed request cannot be collected again"
expect_err "already collected" "and says why"

# legacy SHA-1 mode
sed -i 's/^sha1_pfx = no/sha1_pfx = yes/' "$CONF"
id=$(new_request John.Samson user-pin)
mkdir "$T/legacy"
cd_ collect "$id" --folder "$T/legacy" --password-file "$T/pw"
expect_rc 0 "collect with the SHA-1 setting"
openssl pkcs12 -in "$T/legacy/John.Samson Signing.pfx" -info -noout \
    -passin file:"$T/pw" >"$T/info" 2>&1
check "legacy MAC is SHA-1" grep -q 'MAC: sha1' "$T/info"
check "legacy keys and certificates are 3DES" \
    test "$(grep -c 'pbeWithSHA1And3-KeyTripleDES-CBC' "$T/info")" -eq 2
sed -i 's/^sha1_pfx = yes/sha1_pfx = no/' "$CONF"

# existing certificate files: asked before anything is issued
id=$(new_request Susan.Smith user-pin)
cd_ collect "$id" --folder "$T/out" --password-fd 3 3<"$T/pw"
expect_rc 3 "a folder with certificate files needs --overwrite"
expect_err "already contains 2 certificate files" "the warning names the count"
check "nothing was written" test "$(ls -A "$T/out" | wc -l)" -eq 2
check "request still awaiting collection" test "$(status_of "$id")" = awaiting-collection
check "no certificate was issued before the question" \
    test -z "$(serials_of "$id")"
cd_ audit
check "and no attempt was begun" sh -c \
    "! grep -q 'collect.begin *request $id ' '$OUT'"
before=$(md5sum "$S" | cut -d' ' -f1)
cd_ collect "$id" --folder "$T/out" --password-fd 3 --overwrite 3<"$T/pw"
expect_rc 0 "with --overwrite the same-named files are replaced"
check "file replaced" test "$(md5sum "$S" | cut -d' ' -f1)" != "$before"
check "no kept copy is left after the commit" \
    test "$(ls -A "$T/out" | wc -l)" -eq 2
uid=$id

# a failed --overwrite keeps the old package: the PIN mailer cannot be
# printed (no scheduler at the configured address) after the new package
# was written over it, and the rollback puts the old one back
cp "$CONF" "$T/conf.saved"
sed -i 's|^pin_printer = .*|pin_printer = secure|; s|^cups_server = .*|cups_server = 127.0.0.1:9|' "$CONF"
cp "$S" "$T/old.pfx"
id=$(new_request Susan.Smith generated)
cd_ collect "$id" --folder "$T/out" --overwrite
expect_rc 1 "a PIN mailer that cannot be printed fails the collection"
expect_err "rolled back" "and rolls it back"
check "the replaced package is back, byte for byte" cmp -s "$S" "$T/old.pfx"
check "no kept copy or temporary is left" \
    test "$(ls -A "$T/out" | wc -l)" -eq 2
first=$(serials_of "$id" | sort | tr '\n' ' ')
cd_ request show "$id" --json
expect_out '"status":"pending-collection"' "the failed attempt's certificate awaits revocation"
cp "$T/conf.saved" "$CONF"

# a generated password with no PIN-mailer printer: refused before issuance
sed -i 's|^pin_printer = .*|pin_printer =|; s|^printer = .*|printer =|' "$CONF"
id2=$(new_request John.Samson generated)
cd_ collect "$id2" --folder "$T/out" --overwrite
expect_rc 1 "no printer for PIN mailers: refused"
expect_err "no printer for PIN mailers is configured" "saying why"
check "before any certificate was issued" test -z "$(serials_of "$id2")"
cp "$T/conf.saved" "$CONF"
id=$uid

# the sweep revokes after the delay, driven by the injected clock
CERTDESK_CLOCK_OFFSET=100 run "$CERTDESK" -c "$CONF" sweep
expect_out '0 certificates revoked, 1 waiting' "nothing revoked before the delay"
CERTDESK_CLOCK_OFFSET=400 run "$CERTDESK" -c "$CONF" sweep
expect_out '1 certificate revoked' "revoked once the delay has passed"
cd_ crl -o "$T/crl.pem"
openssl crl -in "$T/crl.pem" -noout -text >"$T/crl.txt"
set -- $first
check "the failed attempt had its one certificate to revoke" test $# -eq 1
for s in $first; do
	check "CRL lists $s" grep -qi "Serial Number: *$s" "$T/crl.txt"
done
cd_ request show "$id" --json
check "collected certificates are not revoked" sh -c "grep -o '\"status\":\"[a-z-]*\"' '$OUT' | grep -c active | grep -q 2"

# refusals and password policy
id=$(new_request Susan.Smith validated)
cd_ collect "$id" --folder "$T/out" --password-fd 3 3<"$T/pw"
expect_rc 3 "a request needing validation cannot be collected"
expect_err "requires validation" "the reason is given"
id=$(new_request John.Samson user-pin)
mkdir -p "$T/new"
printf 'short\n' >"$T/weak"
cd_ collect "$id" --folder "$T/new" --password-file "$T/weak"
expect_rc 3 "a too-short password is refused"
expect_err "at least 8 characters" "naming the rule"
printf 'alllowercase1\n' >"$T/weak"
cd_ collect "$id" --folder "$T/new" --password-file "$T/weak"
expect_err "upper" "missing character class named"
cd_ collect "$id" --folder "$T/new"
expect_rc 3 "no password source for a user-PIN profile"
cd_as Vic.Viewer collect "$id" --folder "$T/out" --password-file "$T/pw"
expect_rc 3 "collecting for someone else needs the collect role"
cd_ collect "$id" --folder "$T/no/such/dir" --password-file "$T/pw"
expect_rc 1 "a missing folder fails"
expect_err "no/such/dir" "naming the folder"
check "and the request is collectable again" test "$(status_of "$id")" = awaiting-collection
touch "$T/plainfile"
cd_ collect "$id" --folder "$T/plainfile" --password-file "$T/pw"
expect_err "is not a folder" "a file is not a folder"
mkdir "$T/ro"
if mount -t tmpfs -o ro,size=1m tmpfs "$T/ro" 2>/dev/null; then
	cd_ collect "$id" --folder "$T/ro" --password-file "$T/pw"
	expect_rc 1 "a read-only folder fails"
	expect_err "not writable|Read-only" "with a clear message"
	umount "$T/ro"
elif [ "$(id -u)" -ne 0 ]; then
	chmod 555 "$T/ro"
	cd_ collect "$id" --folder "$T/ro" --password-file "$T/pw"
	expect_rc 1 "a read-only folder fails"
	expect_err "not writable" "with a clear message"
else
	skip "read-only folder" "cannot mount a read-only tmpfs here"
	skip "read-only message" "cannot mount a read-only tmpfs here"
fi

# two collectors of one request at once
mkfifo "$T/fifo"
mkdir "$T/two"
"$CERTDESK" -c "$CONF" collect "$id" --folder "$T/two" --password-fd 3 \
    3<"$T/fifo" >"$T/a.out" 2>"$T/a.err" &
apid=$!
exec 4>"$T/fifo"
i=0
while [ "$(status_of "$id")" != being-collected ] && [ $i -lt 300 ] &&
    kill -0 $apid 2>/dev/null; do
	i=$((i + 1)); sleep 0.1
done
[ "$(status_of "$id")" = being-collected ] ||
	diag "the first collector did not claim: $(cat "$T/a.err")"
cd_ collect "$id" --folder "$T/two" --password-file "$T/pw"
expect_rc 3 "a second collector is refused"
expect_err "being collected by $(id -un) since .* \(process $apid" \
    "naming who holds it and since when"
( trap '' PIPE; printf '%s\n' "$PW" >&4 ) 2>/dev/null
exec 4>&-
wait $apid
check "the first collector completes" test $? -eq 0
check "exactly one package written" test "$(ls -A "$T/two" | wc -l)" -eq 2

# unsafe characters in person names reaching file names
cd_ person add --logon Odd.One --name 'A/B: "C" <D>|E?*.' --roles view
sed -i 's/^\[general\]/[general]\nfilename_format = [[People.FullName]] [[PolicyName]]/' "$CONF"
id=$(new_request Odd.One user-pin)
mkdir "$T/odd"
cd_ collect "$id" --folder "$T/odd" --password-file "$T/pw"
expect_rc 0 "collect for a person with unsafe characters in the name"
check "file name made safe for FAT/NTFS" sh -c "ls '$T/odd' | grep -q '^A_B_ _C_ _D__E__.* Signing.pfx$'"
check "no forbidden characters reach the name" sh -c "! ls '$T/odd' | grep -q '[:*?\"<>|]'"

# full read-back: every package decrypted again before it is saved
sed -i 's/^\[security\]/[security]\nreadback = full/' "$CONF"
id=$(new_request Susan.Smith user-pin)
mkdir "$T/full"
cd_ collect "$id" --folder "$T/full" --password-file "$T/pw"
expect_rc 0 "collect with readback = full"
set -- "$T/full"/*Signing.pfx
openssl pkcs12 -in "$1" -info -noout \
    -passin file:"$T/pw" >/dev/null 2>&1
check "the package opens" test $? -eq 0
done_testing
