#!/bin/sh
# SPDX-License-Identifier: ISC
# scep.sh - the "scep" CA backend against a real SCEP server no one here
# wrote (micromdm's scepserver, Debian package scep), run with the tests
# in a private network namespace (unshare --net, lo only) so nothing
# outside can reach it:
#  - a policy with an EC key is refused for this backend at config load;
#  - a complete collection gives .pfx files chaining to scepserver's CA;
#  - a wrong challenge and a stopped server are clear errors, rolled back
#    (no .pfx, the request awaits collection again);
#  - [ca] revoke_command runs with the serial and reason for the sweep's
#    revocations; a failing one is audited and retried by the next sweep;
#  - without it, 'certdesk ca pending-revocations' lists (and audits)
#    what certdesk could not revoke.
if [ -z "${CD_SCEP_NETNS:-}" ]; then
	. "${top_srcdir:-.}/tests/lib/tap.sh"
	command -v scepserver >/dev/null 2>&1 ||
	    skip_all "scepserver is not installed (package scep)"
	command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 ||
	    skip_all "unshare and ip are needed for a private network"
	[ "$(id -u)" -eq 0 ] ||
	    skip_all "a private network namespace needs root"
	why=$(unshare --net true 2>&1) ||
	    skip_all "unshare --net is refused here: $why"
	CD_SCEP_NETNS=1 exec unshare --net sh -c \
	    'ip link set lo up || exit 1; exec sh "$0"' "$0"
fi
. "${top_srcdir:-.}/tests/lib/common.sh"
grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h" 2>/dev/null ||
    skip_all "certdesk was built without --enable-fault-injection"

PORT=18090
SRV=
DEPOT=$T/depot
start_server() {
	scepserver -depot "$DEPOT" -port "$PORT" -challenge "s3cret-Ch4llenge" \
	    -allowrenew 0 \
	    >>"$T/scepserver.log" 2>&1 &
	SRV=$!
	i=0
	while ! curl -sf "http://127.0.0.1:$PORT/scep?operation=GetCACaps" \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || bail_out "scepserver did not start: \
$(tail -n 3 "$T/scepserver.log")"
		sleep 0.1
	done
}
stop_server() {
	[ -n "$SRV" ] || return 0
	kill "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
	SRV=
}
trap 'stop_server; mode_cleanup; rm -rf "$T"' EXIT

scepserver ca -init -depot "$DEPOT" -keySize 2048 \
    -organization "SCEP Test CA" >"$T/init.log" 2>&1 ||
    bail_out "scepserver ca -init failed: $(tail -n 3 "$T/init.log")"
start_server

# The people and the store (made with the local CA), then scep settings.
setup_store || skip_all "setup failed: $(cat "$ERR")"
printf 'Corr3ct-Horse9\n' >"$T/pw"
printf 's3cret-Ch4llenge\n' >"$T/challenge"
chmod 600 "$T/challenge"
SCEP="url = http://127.0.0.1:$PORT/scep
challenge_file = $T/challenge
poll_interval = 0"
# scep_conf [EXTRA]: the test configuration with RSA policies only
scep_conf() {
	CA_BACKEND=scep CA_SETTINGS="$SCEP${1:+
$1}" write_conf
	sed -i 's/^key = ec-p256$/key = rsa2048/' "$CONF"
}
cert_statuses() {
	"$CERTDESK" -c "$CONF" request show "$1" --json 2>/dev/null |
	    grep -o '"serial":"[0-9a-f]*"[^}]*"status":"[a-z-]*"' |
	    sed 's/.*"status":"\([a-z-]*\)"/\1/'
}
serials() {
	"$CERTDESK" -c "$CONF" request show "$1" --json 2>/dev/null |
	    grep -o '"serial":"[0-9a-f]*"' | sed 's/.*:"\(.*\)"/\1/'
}

# ---- an EC policy is refused at config load --------------------------------
CA_BACKEND=scep CA_SETTINGS="$SCEP" write_conf
cd_ person list
expect_refused 5 "policy.signing.*key_type.*RSA keys only" \
    "a configuration with an EC policy and the scep backend" \
    "is refused at load, naming the policy and the reason"

# ---- a complete collection ---------------------------------------------------
scep_conf
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
mkdir "$T/out"
cd_ collect "$id" --folder "$T/out" --password-file "$T/pw"
expect_rc 0 "a collection through scepserver"
check "two packages" test "$(ls "$T/out" | wc -l)" -eq 2
n=0
for f in "$T/out"/*.pfx; do
	openssl pkcs12 -in "$f" -nokeys -clcerts -passin file:"$T/pw" \
	    2>/dev/null >"$T/leaf.pem"
	openssl verify -CAfile "$DEPOT/ca.pem" "$T/leaf.pem" \
	    >/dev/null 2>&1 && n=$((n + 1))
done
is "$n" 2 "both certificates chain to the scepserver CA (openssl verify)"
openssl pkcs12 -in "$T/out/Susan.Smith Signing.pfx" -nokeys -cacerts \
    -passin file:"$T/pw" 2>/dev/null | openssl x509 -noout -subject \
    >"$T/casubj" 2>&1
check "the package carries the CA certificate" grep -q 'SCEP Test CA' \
    "$T/casubj"
openssl x509 -in "$T/leaf.pem" -noout -subject >"$T/subj" 2>&1
check "the subject is the policy's" grep -q 'CN *= *Susan Smith' "$T/subj"
cd_ request show "$id" --json
expect_out '"status":"completed"' "the request is completed"
check "the challenge is in no audit row" never_contains s3cret-Ch4llenge \
    "$T/data" "$T/out"

# ---- a wrong challenge -------------------------------------------------------
printf 'wrong-challenge\n' >"$T/challenge"
cd_ request new --person John.Samson --profile user-pin
id2=$(cat "$OUT")
mkdir "$T/out2"
cd_ collect "$id2" --folder "$T/out2" --password-file "$T/pw"
expect_rc 1 "a wrong challenge fails the collection"
expect_err "SCEP CA refused the request: FAILURE, failInfo bad" \
    "with the CA's FAILURE and its failInfo"
check "no package written" test -z "$(ls -A "$T/out2")"
cd_ request show "$id2" --json
expect_out '"status":"awaiting-collection"' "the request can be collected again"
printf 's3cret-Ch4llenge\n' >"$T/challenge"

# ---- a stopped server ----------------------------------------------------------
stop_server
cd_ collect "$id2" --folder "$T/out2" --password-file "$T/pw"
expect_rc 1 "a stopped SCEP server fails the collection"
expect_err "cannot be reached" "saying the CA cannot be reached"
check "no package written" test -z "$(ls -A "$T/out2")"
cd_ request show "$id2" --json
expect_out '"status":"awaiting-collection"' "the request awaits collection"
start_server
cd_ collect "$id2" --folder "$T/out2" --password-file "$T/pw"
expect_rc 0 "once the server is back, the same request is collected"

# ---- no revoke command: pending-revocations ----------------------------------
cd_ request new --person John.Samson --profile user-pin
id3=$(cat "$OUT")
mkdir "$T/out3"
CERTDESK_FAULT=after-issue run "$CERTDESK" -c "$CONF" collect "$id3" \
    --folder "$T/out3" --password-file "$T/pw"
expect_rc 137 "a collection killed after the CA signed"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "the sweep goes on"
check "without revoke_command the certificate stays pending" \
    test "$(cert_statuses "$id3")" = pending-collection
s3=$(serials "$id3")
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" ca pending-revocations
expect_rc 0 "ca pending-revocations"
expect_out "^$s3 .*request $id3" "lists the certificate not revoked"
cd_ audit
expect_out "ca.pending-revocations .*1 certificate due" "the listing is audited"
expect_out "cert.revoke .*refused.*cannot revoke" "the refusal is audited"

# ---- revoke_command: a failure is retried --------------------------------------
cat >"$T/revoke" <<EOF
#!/bin/sh
echo "\$1 \$2" >>"$T/revoked.log"
if [ -e "$T/fail" ]; then echo "the CA said no" >&2; exit 3; fi
echo "revoked \$1"
EOF
chmod 755 "$T/revoke"
touch "$T/fail"
scep_conf "revoke_command = $T/revoke"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "a sweep whose revoke command fails goes on"
check "the command ran with the serial and the reason" \
    grep -qx "$s3 cessationOfOperation" "$T/revoked.log"
check "the certificate is still pending" \
    test "$(cert_statuses "$id3")" = pending-collection
cd_ audit
expect_out "cert.revoke .*failed.*exit 3.*the CA said no" \
    "the failure and the command's output are audited"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" ca pending-revocations
expect_out "^$s3 " "it is still listed as not revoked"
rm "$T/fail"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" sweep
expect_out '1 certificate revoked' "the next sweep retries, and it works"
check "now it is revoked" test "$(cert_statuses "$id3")" = revoked
check "the command ran twice" test "$(grep -c "^$s3 " "$T/revoked.log")" -eq 2
cd_ audit
expect_out "cert.revoke .*ok.*revoke command .*exit 0: revoked $s3" \
    "the success and the output are audited"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" ca pending-revocations
expect_out "no certificate is waiting" "nothing is left to revoke"

# A revoke command that hangs is killed after revoke_timeout.
cat >"$T/hang" <<'EOF'
#!/bin/sh
exec sleep 30
EOF
chmod 755 "$T/hang"
scep_conf "revoke_command = $T/hang
revoke_timeout = 1"
cd_ request new --person Susan.Smith --profile user-pin
id4=$(cat "$OUT")
mkdir "$T/out4"
CERTDESK_FAULT=after-issue run "$CERTDESK" -c "$CONF" collect "$id4" \
    --folder "$T/out4" --password-file "$T/pw"
CERTDESK_CLOCK_OFFSET=3600 run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "a hanging revoke command does not hang the sweep"
cd_ audit
expect_out "cert.revoke .*failed.*killed after 1 s" "it is killed and audited"

done_testing
