#!/bin/sh
# init.sh - certdesk init: data directory, store, CA, first administrator,
# demo data set, CRL, help and version.
. "${top_srcdir:-.}/tests/lib/common.sh"

write_conf
cd_ --version
expect_rc 0 "--version"
expect_out '^certdesk [0-9]' "--version prints the version"
cd_ --help
expect_out 'collect' "--help lists the commands"
cd_ request --help
expect_out 'approve' "request --help lists its commands"
cd_ bogus
expect_rc 2 "unknown command is a usage error"

cd_ person list
expect_rc 6 "no store yet: not found"
expect_err "certdesk init" "the message says to run init"

cd_ init
expect_rc 0 "init"
check "data directory is 0700" test "$(stat -c %a "$T/data")" = 700
check "CA key is 0600" test "$(stat -c %a "$T/data/ca/ca.key")" = 600
check "store is 0600" test "$(stat -c %a "$T/data/certdesk.db")" = 600
cd_ person show "$(id -un)" --json
expect_out '"roles":"view,request,approve,validate,collect,admin,revoke"' \
    "the invoking user is an administrator"
cd_ init
expect_rc 3 "a second init is refused"
expect_err "already initialised" "and says why"

cd_ crl -o "$T/crl.pem"
expect_rc 0 "crl to a file"
check "the CRL verifies against the CA" sh -c \
    "openssl crl -in '$T/crl.pem' -CAfile '$T/data/ca/ca.crt' -noout 2>&1 | grep -q 'verify OK'"
cd_ crl --der
check "DER CRL on stdout parses" sh -c \
    "openssl crl -inform DER -in '$OUT' -noout"

cd_ init --demo
expect_rc 0 "init --demo on the existing store"
cd_ person list --json
check "a few dozen people" test "$(grep -o '"logon"' "$OUT" | wc -l)" -ge 30
for s in awaiting-approval awaiting-validation awaiting-collection completed \
    rejected cancelled; do
	cd_ request search --status $s --json
	check "demo has a request $s" grep -q '"id"' "$OUT"
done
cd_ request search --status completed --json
id=$(json_get id)
cd_ request show "$id" --json
expect_out '"status":"active"' "completed demo requests have active certificates"
cd_ init --demo
expect_rc 3 "the demo data set is added once"

# importing an existing CA
mkdir "$T/other"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/other/ca.key" -out "$T/other/ca.crt" -subj "/CN=Imported CA" \
    -days 30 -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
sed -i "s|^datadir = .*|datadir = $T/data2|" "$CONF"
cd_ init --ca-cert "$T/other/ca.crt" --ca-key "$T/other/ca.key"
expect_rc 0 "init with an imported CA"
check "the imported CA is used" cmp -s "$T/other/ca.crt" "$T/data2/ca/ca.crt"
printf 'x\n' >"$T/other/not-a-key"
sed -i "s|^datadir = .*|datadir = $T/data3|" "$CONF"
cd_ init --ca-cert "$T/other/ca.crt" --ca-key "$T/other/not-a-key"
expect_rc 1 "a CA key that is not a key is refused"
expect_err "not an unencrypted PEM private key" "with a clear message"
done_testing
