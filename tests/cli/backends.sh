#!/bin/sh
# SPDX-License-Identifier: ISC
# backends.sh - backends configured by section, with the test-only CA
# backend "deferred" (the local CA behind the interface of a CA that
# answers later; builds with --enable-fault-injection):
#  - a collection waits for the CA's answer (polls) and succeeds;
#  - a [ca] timeout that runs out rolls the collection back;
#  - the start-up sweep never calls such a CA: a due revocation waits
#    for 'certdesk sweep' (the local CA revokes it at start-up);
#  - a CA that cannot revoke or make CRLs: 'certdesk crl' is refused with
#    a clear error, the sweep audits the certificates it cannot revoke.
. "${top_srcdir:-.}/tests/lib/common.sh"
grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h" 2>/dev/null ||
    skip_all "certdesk was built without --enable-fault-injection"
CA_BACKEND=deferred
CA_SETTINGS="polls = 3"
setup_store || skip_all "setup failed: $(cat "$ERR")"
printf 'Corr3ct-Horse9\n' >"$T/pw"

# cert_statuses ID: the statuses of a request's certificates, one a line
cert_statuses() {
	"$CERTDESK" -c "$CONF" request show "$1" --json 2>/dev/null |
	    grep -o '"serial":"[0-9a-f]*"[^}]*"status":"[a-z-]*"' |
	    sed 's/.*"status":"\([a-z-]*\)"/\1/'
}

# ---- a CA that answers later --------------------------------------------
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
mkdir "$T/out"
cd_ collect "$id" --folder "$T/out" --password-file "$T/pw"
expect_rc 0 "a collection through a CA that answers after 3 polls"
check "two packages" test "$(ls "$T/out" | wc -l)" -eq 2
openssl pkcs12 -in "$T/out/Susan.Smith Signing.pfx" -nokeys -clcerts \
    -passin file:"$T/pw" 2>/dev/null | openssl x509 -noout -subject \
    >"$T/subj" 2>/dev/null
check "its certificate is the policy's" grep -q 'CN *= *Susan Smith' "$T/subj"

CA_SETTINGS="polls = 1000000
timeout = 1"
write_conf
cd_ request new --person John.Samson --profile user-pin
id2=$(cat "$OUT")
mkdir "$T/out2"
cd_ collect "$id2" --folder "$T/out2" --password-file "$T/pw"
expect_rc 4 "the CA does not answer within [ca] timeout: cancelled"
expect_err "did not answer within 1 seconds" "saying so"
check "nothing was written" test -z "$(ls -A "$T/out2")"
cd_ request show "$id2" --json
expect_out '"status":"awaiting-collection"' "the request can be collected again"

# ---- the start-up sweep never waits on it ---------------------------------
CA_SETTINGS="polls = 1"
write_conf
cd_ request new --person John.Samson --profile user-pin
id3=$(cat "$OUT")
mkdir "$T/out3"
CERTDESK_FAULT=after-issue run "$CERTDESK" -c "$CONF" collect "$id3" \
    --folder "$T/out3" --password-file "$T/pw"
expect_rc 137 "a collection killed after the CA signed"
# An hour later: the attempt is stale and its certificate due.
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" request show "$id3"
expect_rc 0 "a command starts (and sweeps) with the deferred CA"
check "the start-up sweep left the revocation alone" \
    test "$(cert_statuses "$id3")" = pending-collection
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" sweep
expect_out '1 certificate revoked' "'certdesk sweep' calls the CA"
check "now it is revoked" test "$(cert_statuses "$id3")" = revoked

# The same with the local CA (same data): the start-up sweep revokes.
CA_BACKEND=local CA_SETTINGS=
write_conf
cd_ request new --person John.Samson --profile user-pin
id4=$(cat "$OUT")
mkdir "$T/out4"
CERTDESK_FAULT=after-issue run "$CERTDESK" -c "$CONF" collect "$id4" \
    --folder "$T/out4" --password-file "$T/pw"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" request show "$id4"
check "the local CA: the start-up sweep revokes" \
    test "$(cert_statuses "$id4")" = revoked

# ---- a CA that cannot revoke nor make CRLs --------------------------------
CA_BACKEND=deferred
CA_SETTINGS="polls = 1
revoke = no
crl = no"
write_conf
cd_ crl -o "$T/crl.pem"
expect_rc 1 "certdesk crl: refused"
expect_err "does not make CRLs" "the CA backend makes no CRLs, clearly"
check "no CRL written" test ! -e "$T/crl.pem"
cd_ request new --person Susan.Smith --profile user-pin
id5=$(cat "$OUT")
mkdir "$T/out5"
CERTDESK_FAULT=after-issue run "$CERTDESK" -c "$CONF" collect "$id5" \
    --folder "$T/out5" --password-file "$T/pw"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "the sweep goes on"
check "the certificate is still pending" \
    test "$(cert_statuses "$id5")" = pending-collection
cd_ audit
expect_out "cert.revoke .*refused.*cannot revoke" \
    "the audit trail says it could not be revoked"

done_testing
