#!/bin/sh
# SPDX-License-Identifier: ISC
# pkcs11.sh - the CA key in a PKCS#11 token: a SoftHSM2 token of its own
# (private SOFTHSM2_CONF and token directory), the libp11 OpenSSL engine.
#  - 'certdesk init' with [ca] backend = pkcs11 makes the key in the token
#    and the CA certificate; pkcs11-tool shows the key sensitive and never
#    extractable, and no key file is in the data directory;
#  - a collection of a two-certificate profile: both certificates verify
#    against the CA certificate; a CRL signed by the token verifies;
#  - a wrong PIN or a missing token is a clear error from the first
#    command that needs the CA (crl, collect, before the claim), and
#    listing people works meanwhile; a sweep that cannot log in audits
#    the revocation as failed and the next one makes it; a PIN in the URI
#    is refused at configuration load;
#  - the CA conformance suite (tests/unit/t-ca) through this backend:
#    issuing, revocation and CRLs, refusals.
. "${top_srcdir:-.}/tests/lib/common.sh"
MODULE=${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
ENGINE=$(openssl version -e 2>/dev/null | sed -n 's/^ENGINESDIR: "\(.*\)"/\1/p')
command -v softhsm2-util >/dev/null && [ -r "$MODULE" ] ||
    skip_all "SoftHSM2 is not installed (package softhsm2)"
[ -n "$ENGINE" ] && [ -r "$ENGINE/pkcs11.so" ] ||
    skip_all "the libp11 engine is not installed (libengine-pkcs11-openssl)"
command -v pkcs11-tool >/dev/null || skip_all "pkcs11-tool is missing (opensc)"

SOFTHSM2_CONF=$T/softhsm2.conf
export SOFTHSM2_CONF
mkdir "$T/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' \
    "$T" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label certdesk-ca --pin 1234 \
    --so-pin 5678 >/dev/null || bail_out "softhsm2-util cannot make a token"
printf '1234\n' >"$T/pin"
printf '9999\n' >"$T/badpin"
URI='pkcs11:token=certdesk-ca;object=cakey'

p11conf() {	# PIN-FILE URI
	CA_BACKEND=pkcs11
	CA_SETTINGS="module = $MODULE
key_uri = \"$2\"
pin_file = $1"
	write_conf
}

# ---- init: the key made in the token ---------------------------------------
p11conf "$T/pin" "$URI"
setup_store
ok "certdesk init with [ca] backend = pkcs11"
check "no key file in the data directory" test ! -e "$T/data/ca/ca.key"
check "no private key anywhere in the data directory" \
    never_contains "PRIVATE KEY" "$T/data"
pkcs11-tool --module "$MODULE" --token-label certdesk-ca --login \
    --pin 1234 --list-objects --type privkey >"$T/objs" 2>&1
check "the token holds the private key cakey" grep -q 'label: *cakey' "$T/objs"
check "it is sensitive" grep -q 'Access:.*sensitive' "$T/objs"
check "it is never extractable" grep -q 'never extractable' "$T/objs"
if grep -q 'Access:.*[^n]extractable' "$T/objs" &&
    ! grep -q 'never extractable' "$T/objs"; then
	not_ok "the key is extractable"; else ok "the key is not extractable"; fi
pkcs11-tool --module "$MODULE" --token-label certdesk-ca --login \
    --pin 1234 --read-object --type privkey --label cakey \
    -o "$T/exported" >/dev/null 2>&1
check "pkcs11-tool cannot export it" test ! -s "$T/exported"
openssl x509 -in "$T/data/ca/ca.crt" -noout -text >"$T/catext"
check "the CA certificate is a CA" grep -q 'CA:TRUE' "$T/catext"

# ---- a collection of two certificates signed by the token -------------------
printf 'Corr3ct-Horse9\n' >"$T/pw"
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
mkdir "$T/out"
cd_ collect "$id" --folder "$T/out" --password-file "$T/pw"
expect_rc 0 "a two-certificate collection through the pkcs11 CA"
check "two packages" test "$(ls "$T/out" | wc -l)" -eq 2
n=0
for f in "$T/out"/*.pfx; do
	openssl pkcs12 -in "$f" -nokeys -clcerts -passin file:"$T/pw" \
	    2>/dev/null | openssl x509 >"$T/leaf.pem" 2>/dev/null
	openssl verify -CAfile "$T/data/ca/ca.crt" "$T/leaf.pem" \
	    >/dev/null 2>&1 && n=$((n + 1))
done
is "$n" 2 "both certificates verify against the CA certificate"

# ---- a CRL signed by the token (revocation: the conformance suite) -----------
cd_ crl -o "$T/ca.crl"
expect_rc 0 "certdesk crl with the pkcs11 CA"
openssl crl -in "$T/ca.crl" -CAfile "$T/data/ca/ca.crt" -noout \
    >"$T/crlv" 2>&1
check "the CRL verifies against the CA certificate" grep -q 'verify OK' "$T/crlv"

# ---- a due revocation the sweep cannot make: kept, audited, retried --------
# (a generated password's PIN mailer with no scheduler at 127.0.0.1:9
# fails the collection after its certificate was issued)
PIN_PRINTER=secure
CUPS_SERVER=127.0.0.1:9
p11conf "$T/pin" "$URI"
unset PIN_PRINTER CUPS_SERVER
cd_ request new --person Susan.Smith --profile generated
gid=$(cat "$OUT")
mkdir "$T/gen"
cd_ collect "$gid" --folder "$T/gen"
expect_rc 1 "a collection whose PIN mailer cannot be printed fails"
p11conf "$T/badpin" "$URI"
CERTDESK_CLOCK_OFFSET=400 run "$CERTDESK" -c "$CONF" sweep
cd_ audit
expect_out "cert.revoke .*failed.*not revoked, to be retried: .*PIN for the token 'certdesk-ca' is wrong" \
    "a sweep that cannot log in to the token says so in the audit trail"
cd_ request show "$gid" --json
expect_out '"status":"pending-collection"' \
    "and the certificate still awaits its revocation"
p11conf "$T/pin" "$URI"
CERTDESK_CLOCK_OFFSET=400 run "$CERTDESK" -c "$CONF" sweep
expect_out '1 certificate revoked' "the next sweep, with the right PIN, revokes it"

# ---- clear errors at first use --------------------------------------------------
# certdesk opens the token when a command needs the CA key; searching and
# viewing work without it.
p11conf "$T/badpin" "$URI"
cd_ person list
expect_rc 0 "a wrong PIN: listing people does not log in to the token"
cd_ crl -o "$T/x.crl"
expect_rc 1 "a wrong PIN: certdesk crl is refused"
expect_err "PIN for the token 'certdesk-ca' is wrong" "saying the PIN is wrong"
cd_ request new --person Susan.Smith --profile user-pin
expect_rc 0 "a wrong PIN: a request can still be made"
id=$(cat "$OUT")
mkdir "$T/badpin-out"
cd_ collect "$id" --folder "$T/badpin-out" --password-file "$T/pw"
expect_rc 1 "a wrong PIN: the collection is refused"
expect_err "PIN for the token 'certdesk-ca' is wrong" "naming the PIN"
cd_ request show "$id" --json
expect_out '"status":"awaiting-collection"' "and before the request is claimed"
p11conf "$T/pin" 'pkcs11:token=no-such-token;object=cakey'
cd_ crl -o "$T/x.crl"
expect_rc 1 "a missing token: certdesk crl is refused"
expect_err "no PKCS#11 token 'no-such-token'" "naming the token"
p11conf "$T/pin" "$URI;pin-value=1234"
cd_ person list
expect_rc 5 "a PIN in the URI is refused at configuration load"
expect_err "key_uri.*carries a PIN" "saying where the PIN goes"

# ---- certdesk ca init --pkcs11: the key made in a second token --------------
softhsm2-util --init-token --free --label second --pin 1234 \
    --so-pin 5678 >/dev/null || bail_out "softhsm2-util cannot make a token"
URI2='pkcs11:token=second;object=issuing'
p11conf "$T/pin" "$URI2"
rm -rf "$T/data"
cd_ ca init --pkcs11 'pkcs11:token=second;object=other'
expect_rc 5 "ca init --pkcs11 with a URI that is not [ca] key_uri"
expect_err "is not \[ca\] key_uri" "saying so"
cd_ ca init --pkcs11 "$URI2" --ca-name "Token CA"
expect_rc 0 "certdesk ca init --pkcs11 URI"
pkcs11-tool --module "$MODULE" --token-label second --login \
    --pin 1234 --list-objects --type privkey >"$T/objs2" 2>&1
check "the key was made in the token" grep -q 'label: *issuing' "$T/objs2"
check "sensitive and never extractable" \
    grep -q 'Access:.*sensitive.*never extractable' "$T/objs2"
openssl x509 -in "$T/data/ca/ca.crt" -noout -subject -pubkey >"$T/c2" 2>&1
check "the CA certificate names the CA" grep -q 'CN *= *Token CA' "$T/c2"
cd_ init
expect_rc 0 "certdesk init keeps it"
cd_ crl -o "$T/ca2.crl"
openssl crl -in "$T/ca2.crl" -CAfile "$T/data/ca/ca.crt" -noout \
    >"$T/crlv2" 2>&1
check "its CRL verifies" grep -q 'verify OK' "$T/crlv2"

# ---- the conformance suite through this backend ------------------------------
p11conf "$T/pin" "$URI"
CERTDESK_TEST_P11_CONF=$CONF "$top_builddir/tests/unit/t-ca" >"$T/t-ca" 2>&1
rc=$?
sed -n 's/^not ok/# t-ca: not ok/p' "$T/t-ca"
check "tests/unit/t-ca passes with the pkcs11 backend" test "$rc" -eq 0
check "it ran the pkcs11 tests" grep -q '^ok [0-9]* - pkcs11: issue' "$T/t-ca"
done_testing
