#!/bin/sh
# SPDX-License-Identifier: ISC
# local.sh - the local CA's key at rest and its hierarchy:
#  - with [ca] key_passphrase_file, 'certdesk init' writes the key as
#    encrypted PKCS#8 (AES-256); collections work; the passphrase is in no
#    file of the data directory;
#  - a wrong passphrase or an unreadable key stops certdeskd at start and
#    certdesk at the first command that needs the CA (crl), with the
#    reason, while listing people works; a systemd credential works
#    ($CREDENTIALS_DIRECTORY) and a missing one is named;
#  - 'certdesk ca init --two-tier': the root key is written once, 0600,
#    outside the data directory (never inside it, never over a file); the
#    issuing CA has pathLen 0; packages carry the chain; openssl verify
#    with the root as the only trust anchor accepts a collected
#    certificate.
. "${top_srcdir:-.}/tests/lib/common.sh"
printf 'Corr3ct-Horse9\n' >"$T/pw"
PASS='s3cret-CA-passphrase-4711'
printf '%s\n' "$PASS" >"$T/capass"

# collect_one PERSON DIR: a one-certificate collection into DIR
collect_one() {
	cd_ request new --person "$1" --profile validated
	_id=$(cat "$OUT")
	cd_ request validate "$_id" >/dev/null 2>&1
	mkdir -p "$2"
	cd_ collect "$_id" --folder "$2" --password-file "$T/pw"
}

# ---- the key encrypted at rest ------------------------------------------------
CA_SETTINGS="key_passphrase_file = $T/capass"
setup_store
check "the CA key is encrypted PKCS#8" \
    grep -q 'BEGIN ENCRYPTED PRIVATE KEY' "$T/data/ca/ca.key"
openssl pkey -in "$T/data/ca/ca.key" -passin file:"$T/capass" -noout \
    >/dev/null 2>&1
check "it opens with the passphrase" test $? -eq 0
openssl pkey -in "$T/data/ca/ca.key" -passin pass:wrong -noout \
    >/dev/null 2>&1
check "and not without it" test $? -ne 0
openssl asn1parse -in "$T/data/ca/ca.key" >"$T/asn1" 2>&1
check "with AES-256" grep -q 'aes-256' "$T/asn1"
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
mkdir "$T/out"
cd_ collect "$id" --folder "$T/out" --password-file "$T/pw"
expect_rc 0 "a collection with the encrypted CA key"
check "the passphrase is in no file of the data directory" \
    never_contains "$PASS" "$T/data"

# ---- a wrong passphrase, an unreadable key: refused at first use -----------
# certdesk opens the CA when a command needs it; certdeskd at start.
printf 'not-the-passphrase\n' >"$T/capass"
cd_ person list
expect_rc 0 "a wrong passphrase: listing people needs no CA key"
cd_ crl -o "$T/x.crl"
expect_rc 1 "a wrong passphrase: certdesk crl is refused"
expect_err "cannot decrypt the CA key .*ca.key.*wrong passphrase" \
    "saying why, naming the key"
"$top_builddir/certdeskd" -c "$CONF" -s "$T/sock" --allow-root \
    --sweep-interval 0 >"$OUT" 2>"$ERR" &
pid=$!
( sleep 20; kill "$pid" 2>/dev/null ) &
killer=$!
wait "$pid"
RC=$?
kill "$killer" 2>/dev/null
expect_rc 1 "a wrong passphrase: certdeskd refuses to start"
expect_err "certdeskd: cannot decrypt the CA key" "saying why"
printf '%s\n' "$PASS" >"$T/capass"
cp "$T/data/ca/ca.key" "$T/ca.key.good"
printf 'garbage\n' >"$T/data/ca/ca.key"
cd_ crl -o "$T/x.crl"
expect_rc 1 "an unreadable key: certdesk crl is refused"
expect_err "ca.key" "naming the key"
cp "$T/ca.key.good" "$T/data/ca/ca.key"
rm "$T/capass"
cd_ crl -o "$T/x.crl"
expect_rc 1 "a missing passphrase file: certdesk crl is refused"
expect_err "cannot read the CA key passphrase" "saying so"

# ---- a systemd credential ------------------------------------------------------
CA_SETTINGS="key_passphrase_credential = certdesk-ca"
write_conf
mkdir "$T/creds"
printf '%s' "$PASS" >"$T/creds/certdesk-ca"
CREDENTIALS_DIRECTORY=$T/creds run "$CERTDESK" -c "$CONF" person list
expect_rc 0 "the passphrase from a systemd credential"
run "$CERTDESK" -c "$CONF" crl -o "$T/x.crl"
expect_rc 1 "without \$CREDENTIALS_DIRECTORY: refused at first use"
expect_err "credential 'certdesk-ca'" "naming the credential"
CA_SETTINGS="key_passphrase_credential = x
key_passphrase_file = $T/capass"
write_conf
cd_ person list
expect_rc 5 "a file and a credential: a configuration error"

# ---- a two-tier hierarchy ------------------------------------------------------
CA_SETTINGS=
write_conf
rm -rf "$T/data"
mkdir "$T/offline"
cd_ ca init --two-tier --root-key "$T/data/root.key"
expect_rc 2 "the root key in the data directory is refused" 
expect_err "offline, not in the data directory" "saying why"
check "and no CA was made" test ! -e "$T/data/ca/ca.key"
cd_ ca init --two-tier --root-key "$T/offline/root.key" --ca-name "Test Issuing CA"
expect_rc 0 "certdesk ca init --two-tier"
check "the root key is written 0600" \
    test "$(stat -c %a "$T/offline/root.key" 2>/dev/null)" = 600
check "it is a private key" grep -q 'PRIVATE KEY' "$T/offline/root.key"
check "no root key is in the data directory" \
    test "$(grep -rl 'PRIVATE KEY' "$T/data" | wc -l)" -eq 1
cd_ ca init --two-tier --root-key "$T/offline/root.key"
check "a second ca init is refused" test "$RC" -ne 0
openssl x509 -in "$T/data/ca/ca.crt" -noout -text >"$T/issuing.txt"
check "the issuing CA has pathLen 0" \
    grep -q 'CA:TRUE, pathlen:0' "$T/issuing.txt"
awk '/BEGIN/{n++} n==2' "$T/data/ca/ca.crt" >"$T/root.pem"
openssl x509 -in "$T/root.pem" -noout -subject >"$T/root.subj" 2>&1
check "ca.crt carries the root after the issuing CA" \
    grep -q 'Test Issuing CA Root' "$T/root.subj"
openssl x509 -in "$T/root.pem" -noout -pubkey >"$T/root.pub1" 2>/dev/null
openssl pkey -in "$T/offline/root.key" -pubout >"$T/root.pub2" 2>/dev/null
check "the offline key is the root's" cmp -s "$T/root.pub1" "$T/root.pub2"
setup_store
ok "certdesk init keeps the two-tier CA"
collect_one Susan.Smith "$T/out2"
expect_rc 0 "a collection under the issuing CA"
pfx=$(ls "$T/out2"/*.pfx | head -n 1)
openssl pkcs12 -in "$pfx" -nokeys -clcerts -passin file:"$T/pw" 2>/dev/null |
    openssl x509 >"$T/leaf.pem" 2>/dev/null
openssl pkcs12 -in "$pfx" -nokeys -cacerts -passin file:"$T/pw" \
    2>/dev/null >"$T/cas.pem"
is "$(grep -c 'BEGIN CERTIFICATE' "$T/cas.pem")" 2 \
    "the package carries the chain (issuing CA and root)"
openssl verify -CAfile "$T/root.pem" -untrusted "$T/cas.pem" \
    "$T/leaf.pem" >"$T/verify" 2>&1
check "openssl verify with the root as the trust anchor accepts it" \
    grep -q ': OK' "$T/verify"
openssl verify -CAfile "$T/root.pem" "$T/leaf.pem" >/dev/null 2>&1
check "and needs the issuing CA to do so" test $? -ne 0
done_testing
