#!/bin/sh
# SPDX-License-Identifier: ISC
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
expect_refused 6 "certdesk init" "no store yet: not found" \
    "the message says to run init"

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
# the demo is a history that could have happened
cd_ request search --limit 0 --json
cp "$OUT" "$T/demo.json"
ids=$(grep -o '"id":[0-9]*' "$T/demo.json" | cut -d: -f2)
: >"$T/shows"
for i in $ids; do
	cd_ request show "$i" --json
	cat "$OUT" >>"$T/shows"; echo >>"$T/shows"
done
now=$(date +%s)
python3 - "$T/shows" "$now" >"$T/demo.check" 2>&1 <<'PY'
import json, sys, calendar, time
now = int(sys.argv[2])
last_ok = {
    "awaiting-approval": {"request.new"},
    "awaiting-validation": {"request.new", "request.approve"},
    "awaiting-collection": {"request.new", "request.approve",
                            "request.validate"},
    "completed": {"collect.commit"},
    "rejected": {"request.reject"},
    "cancelled": {"request.cancel"},
    "expired": {"request.expire"},
}
def epoch(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
bad = 0
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    d = json.loads(line)
    r, hist = d["request"], d["history"]
    rid = r["id"]
    for k in ("created_at", "approved_at", "validated_at", "collected_at",
              "cancelled_at"):
        if r.get(k) and epoch(r[k]) > now:
            print("request %d: %s %s is in the future" % (rid, k, r[k])); bad += 1
    if not hist or hist[0]["action"] != "request.new":
        print("request %d: no request.new in its history" % rid); bad += 1
        continue
    ats = [epoch(a["at"]) for a in hist]
    if ats != sorted(ats) or max(ats) > now:
        print("request %d: history out of order or in the future" % rid); bad += 1
    if hist[-1]["action"] not in last_ok.get(r["status"], set()):
        print("request %d: status %s after %s" % (rid, r["status"],
              hist[-1]["action"])); bad += 1
    if r["approved_by"] and not any(a["action"] == "request.approve" for a in hist):
        print("request %d: approved without a record" % rid); bad += 1
print("checked", bad)
sys.exit(1 if bad else 0)
PY
check "every demo request has a history consistent with its status, all in the past" test $? -eq 0
sed 's/^/# /' "$T/demo.check" | head -5
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
