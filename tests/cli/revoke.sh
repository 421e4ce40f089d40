#!/bin/sh
# SPDX-License-Identifier: ISC
# revoke.sh - revocation on demand: each reason, the published CRL
# (openssl crl shows the entry and reason; openssl verify -crl_check
# fails for the revoked certificate and passes for an untouched one),
# certificateHold and its release, device revoke, the revoke role,
# disabling a person with pending requests and live certificates, the
# certificate practice extensions (CDP, AIA, policy OID, backdating),
# person field checks, and the publication staying a complete CRL
# while 8 processes revoke at once.
. "${top_srcdir:-.}/tests/lib/common.sh"

PUB=$T/pub
mkdir "$PUB"
cat >"$T/push" <<SH
#!/bin/sh
cp "\$1" "$T/pushed.crl"
SH
chmod 755 "$T/push"
CA_SETTINGS="crl_publish_dir = $PUB
crl_publish_command = $T/push
crl_validity = 2d
crl_overlap = 1d
crl_url = http://pki.example.test/certdesk.crl
ca_issuers_url = http://pki.example.test/ca.crt"
export CA_SETTINGS
setup_store
cat >>"$CONF" <<'CONF'
CONF
sed -i 's/^\[policy.signing\]/[policy.signing]\npolicy_oid = 1.3.6.1.4.1.99999.1.2/' "$CONF"
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
CACRT=$T/data/ca/ca.crt
CRL=$PUB/certdesk.crl

# the PEM certificate of package $1 into $T/$2.pem
cert_of() {
	openssl pkcs12 -in "$1" -nokeys -clcerts -passin file:"$T/pw" 2>/dev/null |
	    openssl x509 >"$T/$2.pem"
}
# collect a user-pin request for person $1 into $T/out.$2: sets ID, the
# Signing certificate $T/$2.pem and its serial S
collect_for() {
	cd_ request new --person "$1" --profile user-pin; ID=$(cat "$OUT")
	mkdir -p "$T/out.$2"
	cd_ collect "$ID" --folder "$T/out.$2" --password-fd 3 3<"$T/pw"
	[ "$RC" -eq 0 ] || bail_out "collect failed: $(head -n 3 "$ERR")"
	cert_of "$T/out.$2/$1 Signing.pfx" "$2"
	S=$(openssl x509 -in "$T/$2.pem" -noout -serial | cut -d= -f2 |
	    tr A-F a-f | sed 's/^0*//')
}
verify_crl() {
	openssl crl -inform DER -in "$CRL" -out "$T/crl.pem" 2>/dev/null
	openssl verify -crl_check -CAfile "$CACRT" -CRLfile "$T/crl.pem" "$1" \
	    >"$T/verify" 2>&1
}

# ---- each reason -------------------------------------------------------------
n=0
for reason in keyCompromise affiliationChanged superseded \
    cessationOfOperation certificateHold unspecified privilegeWithdrawn; do
	n=$((n + 1))
	collect_for Susan.Smith r$n; s=$S
	cd_ revoke "$s" --reason "$reason"
	expect_rc 0 "revoke --reason $reason"
	eval "S_$n=$s"
	openssl crl -inform DER -in "$CRL" -noout -text >"$T/crl.txt"
	S_UP=$(echo "$s" | tr a-f A-F)
	case $reason in
	keyCompromise) txt="Key Compromise" ;;
	affiliationChanged) txt="Affiliation Changed" ;;
	superseded) txt="Superseded" ;;
	cessationOfOperation) txt="Cessation Of Operation" ;;
	certificateHold) txt="Certificate Hold" ;;
	privilegeWithdrawn) txt="Privilege Withdrawn" ;;
	*) txt="" ;;
	esac
	grep -i -A4 "Serial Number: 0*$S_UP" "$T/crl.txt" >"$T/entry"
	check "the CRL lists $s" test -s "$T/entry"
	[ -z "$txt" ] || check "with the reason $reason" grep -q "$txt" "$T/entry"
done
cd_ audit --json
expect_out '"action":"cert.revoke"' "revocations are audited"

# verify: revoked fails, untouched passes
collect_for John.Samson good
verify_crl "$T/r1.pem"
check "openssl verify -crl_check refuses the revoked certificate" \
    grep -q 'certificate revoked' "$T/verify"
verify_crl "$T/good.pem"
check "openssl verify -crl_check accepts an untouched certificate" \
    grep -q ': OK' "$T/verify"
check "the push command got the CRL" cmp -s "$CRL" "$T/pushed.crl"
check "the published CRL is 0644" test "$(stat -c %a "$CRL")" = 644
openssl crl -inform DER -in "$CRL" -noout -text >"$T/crl.txt"
lu=$(sed -n 's/.*Last Update: //p' "$T/crl.txt"); nu=$(sed -n 's/.*Next Update: //p' "$T/crl.txt")
check "nextUpdate is crl_validity (2 days) after lastUpdate" \
    test $(( $(date -d "$nu" +%s) - $(date -d "$lu" +%s) )) -eq 172800

# ---- practice extensions -------------------------------------------------------
openssl x509 -in "$T/good.pem" -noout -text >"$T/good.txt"
check "the certificate has the CRL distribution point" \
    grep -q 'URI:http://pki.example.test/certdesk.crl' "$T/good.txt"
check "the certificate has the AIA caIssuers URL" \
    grep -q 'CA Issuers - URI:http://pki.example.test/ca.crt' "$T/good.txt"
check "the certificate has the policy OID" grep -q '1.3.6.1.4.1.99999.1.2' "$T/good.txt"
nb=$(openssl x509 -in "$T/good.pem" -noout -startdate | cut -d= -f2)
check "notBefore is backdated (by 5 minutes)" \
    test $(( $(date +%s) - $(date -d "$nb" +%s) )) -ge 290
na=$(openssl x509 -in "$T/good.pem" -noout -enddate | cut -d= -f2)
ca_na=$(openssl x509 -in "$CACRT" -noout -enddate | cut -d= -f2)
check "the leaf's notAfter is not after its CA's" \
    test "$(date -d "$na" +%s)" -le "$(date -d "$ca_na" +%s)"

# ---- hold and release ------------------------------------------------------------
cd_ revoke "$S_5" --reason keyCompromise
expect_rc 0 "a certificate on hold can be revoked for good"
cd_ unrevoke "$S_5"
expect_rc 3 "a certificate revoked for good cannot be released"
expect_err "certificateHold" "the refusal says only certificateHold can be released"
collect_for Susan.Smith hold; s=$S
cd_ revoke "$s" --reason certificateHold
expect_rc 0 "put on hold"
verify_crl "$T/hold.pem"
check "on hold: verify refuses it" grep -q 'certificate revoked' "$T/verify"
cd_ unrevoke "$s"
expect_rc 0 "released from hold"
verify_crl "$T/hold.pem"
check "released: verify accepts it again" grep -q ': OK' "$T/verify"
openssl crl -inform DER -in "$CRL" -noout -text >"$T/crl.txt"
S_UP=$(echo "$s" | tr a-f A-F)
check "released: gone from the next CRL" sh -c "! grep -qi 'Serial Number: 0*$S_UP' '$T/crl.txt'"
cd_ revoke "$S_1" --reason superseded
expect_rc 3 "revoking twice is refused"
cd_ revoke "$s" --reason bogus
expect_rc 2 "an unknown reason is a usage error"
cd_ revoke ffff0000 --reason keyCompromise
expect_rc 6 "an unknown serial is not found"

# ---- device revoke ---------------------------------------------------------------
collect_for John.Samson dev
cd_ request show "$ID" --json
dev=$(grep -o '"device_id":[0-9]*' "$OUT" | head -n 1 | cut -d: -f2)
cd_ device revoke "$dev" --reason superseded
expect_rc 0 "device revoke"
expect_out '2 certificates revoked' "every certificate of the package"
cd_ device show "$dev"
check "device show lists them revoked with the reason" \
    test "$(grep -c 'revoked .*(superseded)' "$OUT")" -eq 2
expect_out '^Device [0-9]+: .*\(revoked\)' "the package itself is marked revoked"
cd_ device revoke "$dev"
expect_rc 3 "a package with nothing left to revoke is refused"

# ---- the role --------------------------------------------------------------------
collect_for Susan.Smith role; s=$S
cd_as Olivia.Operator revoke "$s" --reason keyCompromise
expect_rc 3 "without the revoke role: refused"
expect_err "revoke" "the refusal names the role"
cd_ audit --json
expect_out '"action":"cert.revoke".*"outcome":"refused"|"outcome":"refused".*"action":"cert.revoke"' \
    "the refusal is audited"
cd_ person add --logon Rita.Revoker --name "Rita Revoker" --roles view,revoke
cd_as Rita.Revoker revoke "$s" --reason keyCompromise
expect_rc 0 "with the revoke role: revoked"

# ---- disabling a person ----------------------------------------------------------------
cd_ person add --logon Dan.Leaver --name "Dan Leaver" --email dan@example.com
collect_for Dan.Leaver dan
cd_ request new --person Dan.Leaver --profile user-pin; pending=$(cat "$OUT")
cd_ person edit Dan.Leaver --status disabled
expect_rc 3 "disabling a person with live certificates needs confirmation"
expect_err "revoke-certificates" "the message names --revoke-certificates"
cd_ person show Dan.Leaver
expect_out 'Status: +active' "nothing changed"
cd_ person edit Dan.Leaver --status disabled --revoke-certificates
expect_rc 0 "disabled with --revoke-certificates"
expect_out '2 certificates revoked' "the live certificates were revoked"
verify_crl "$T/dan.pem"
check "the disabled person's certificate is revoked in the CRL" \
    grep -q 'certificate revoked' "$T/verify"
openssl crl -inform DER -in "$CRL" -noout -text >"$T/crl.txt"
check "with reason affiliationChanged" grep -qi 'Affiliation Changed' "$T/crl.txt"
cd_ collect "$pending" --folder "$T/out.dan" --password-fd 3 3<"$T/pw"
expect_rc 3 "the disabled person's pending request cannot be collected"
expect_err "disabled" "with the reason"

# revoke_on_disable makes it automatic
sed -i 's/^attempt_timeout = 600/attempt_timeout = 600\nrevoke_on_disable = yes/' "$CONF"
cd_ person add --logon Eve.Auto --name "Eve Auto" --email eve@example.com
collect_for Eve.Auto eve
cd_ person edit Eve.Auto --status disabled
expect_rc 0 "revoke_on_disable = yes: no confirmation needed"
expect_out '2 certificates revoked' "and the certificates are revoked"

# ---- person fields -------------------------------------------------------------------
long=$(printf 'N%.0s' $(seq 1 65))
cd_ person add --logon Long.Name --name "$long"
expect_rc 2 "a full name over 64 characters is refused at person add"
expect_err "64" "the message gives the limit"
cd_ person add --logon Uni.Mail --name "Uni Mail" --email "jos$(printf '\303\251')@example.com"
expect_rc 2 "a non-ASCII e-mail address is refused"
expect_err "SmtpUTF8Mailbox" "the message says internationalised addresses are out of scope"
longlogon=$(printf 'a%.0s' $(seq 1 200))
cd_ person add --logon "$longlogon" --name "Long Logon"
expect_rc 2 "a too long logon name is refused, never truncated"
printf 'logon,full_name,email\nCsv.Long,%s,c@example.com\n' "$long" >"$T/long.csv"
cd_ person import "$T/long.csv"
expect_rc 2 "CSV import checks the full name's length"
expect_err "^line 2: .*64" "with the line"
cd_ person edit Susan.Smith --name "$long"
expect_rc 2 "person edit checks it too"

# ---- 8 revokers, one reader --------------------------------------------------------------
i=0; list=""
while [ $i -lt 8 ]; do
	i=$((i + 1))
	collect_for John.Samson par$i
	list="$list $S"
done
: >"$T/bad"
( while [ ! -f "$T/stop" ]; do
	openssl crl -inform DER -in "$CRL" -noout -CAfile "$CACRT" >/dev/null 2>&1 ||
	    echo bad >>"$T/bad"
	echo read >>"$T/reads"
  done ) &
reader=$!
pids=""
for s in $list; do
	"$CERTDESK" -c "$CONF" revoke "$s" --reason superseded >"$T/par.$s" 2>&1 &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
touch "$T/stop"; wait "$reader"
is "$fails" 0 "8 concurrent revocations succeed"
check "the reader read the CRL while they ran" test -s "$T/reads"
check "the published CRL was always complete and signed" test ! -s "$T/bad"
openssl crl -inform DER -in "$CRL" -noout -text >"$T/crl.txt"
all=1
for s in $list; do
	S_UP=$(echo "$s" | tr a-f A-F)
	grep -qi "Serial Number: 0*$S_UP" "$T/crl.txt" || all=0
done
is "$all" 1 "the last CRL lists all 8"

done_testing
