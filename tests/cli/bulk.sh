#!/bin/sh
# SPDX-License-Identifier: ISC
# bulk.sh - 'certdesk collect --ready': every ready request of a
# generated-password profile collected into one folder by worker processes
# against a private cupsd.  Each package opens with the password of its
# own PIN mailer, each request is collected exactly once, no password
# reaches the output, store or audit trail; user-PIN and non-FileStore
# profiles are refused; a request whose file name is taken fails alone,
# before anything is issued for it; a worker overlaps a request's PIN
# mailer with the next request and a refused mailer rolls back its own
# request only; SIGTERM cancels the collections in progress and keeps
# the completed ones; --limit takes the oldest.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
cupsd_for_test 'rm -rf "$T"'
setup_store
cat >>"$CONF" <<'EOF'

[policy.bigrsa]
name = Archive
key = rsa4096
validity = 365
key_usage = keyEncipherment
subject = CN=[[People.FullName]]
storage = FileStore

[profile.gen-validated]
name = Generated, validated
password = generated
password_min = 12
validation = yes
policies = signing
pin_mailer_template = pin-mailer.txt

[profile.gen-slow]
name = Generated, EC and RSA 4096
password = generated
password_min = 12
policies = signing, bigrsa
pin_mailer_template = pin-mailer.txt

[profile.gen-usb]
name = Generated, on USB
password = generated
password_min = 12
policies = usb
pin_mailer_template = pin-mailer.txt
EOF

new_request() { cd_ request new --person "$1" --profile "$2"; cat "$OUT"; }
status_of() { cd_ request show "$1" --json; sed -n 's/.*"request":{[^}]*"status":"\([a-z-]*\)".*/\1/p' "$OUT"; }
# mailer_text FILE: the PostScript job as text
mailer_text() {
	gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- "$1" \
	    2>/dev/null | tr -d '\r'
}

people=""
for n in 1 2 3 4 5 6 7 8 9 10; do
	cd_ person add --logon "Bulk.P$n" --name "Bulk Person$n" \
	    --email "p$n@example.com" --roles view
	people="$people Bulk.P$n"
done
ids=""
for p in $people; do ids="$ids $(new_request "$p" generated)"; done
check "ten generated-password requests ready" test "$(echo $ids | wc -w)" -eq 10
waiting=$(new_request Susan.Smith gen-validated)
mkdir "$T/out" "$T/limit"

# refusals
cd_ collect --ready --profile user-pin --folder "$T/out"
expect_rc 3 "a user-specified-password profile is refused"
expect_err "user-specified password" "saying there is nobody to type the passwords"
cd_ collect --ready --profile gen-usb --folder "$T/out"
expect_rc 2 "a profile with AutoSave certificates is refused"
expect_err "FileStore" "saying only folder delivery is possible"
cd_ collect --ready --profile nosuch --folder "$T/out"
expect_rc 6 "an unknown profile is not found"
cd_ collect --ready --folder "$T/out"
expect_rc 2 "--profile is required"
cd_ collect --ready --profile generated --folder "$T/out" --jobs 0
expect_rc 2 "--jobs must be positive"
cd_ collect --ready --profile generated --folder "$T/out" --password-file /dev/null
expect_rc 2 "no password may be given"
check "no PIN mailer printed by refusals" test -z "$(ls -A "$CUPSD_OUT_SECURE")"
cd_as Vic.Viewer collect --ready --profile generated --folder "$T/out"
expect_rc 3 "an operator without the collect role is refused a bulk run"
expect_err "needs the 'collect' role" "saying which role"
cd_ audit
expect_out 'collect.bulk.*refused.*collect' "and the refusal is audited"

# --limit: the two oldest
cd_ collect --ready --profile generated --folder "$T/limit" --limit 2 --jobs 2
expect_rc 0 "--limit 2"
check "two lines and a summary" test "$(wc -l <"$OUT")" -eq 3
set -- $ids
check "the two oldest requests were collected" test \
    "$(status_of "$1") $(status_of "$2") $(status_of "$3")" = \
    "completed completed awaiting-collection"
check "two packages" test "$(ls "$T/limit" | grep -c '\.pfx$')" -eq 2
rm -f "$CUPSD_OUT_SECURE"/*
shift 2
rest="$*"

# the main run: eight requests, three workers
cd_ collect --ready --profile generated --folder "$T/out" --jobs 3 --json
expect_rc 0 "eight requests collected with --jobs 3"
cp "$OUT" "$T/bulk.out"; cp "$ERR" "$T/bulk.err"
expect_out '"completed":8,"failed":0' "all eight completed"
check "the request awaiting validation was left alone" \
    test "$(status_of "$waiting")" = awaiting-validation
n=0
for id in $rest; do
	[ "$(grep -o "\"request\":$id," "$T/bulk.out" | wc -l)" -eq 1 ] &&
	    [ "$(status_of "$id")" = completed ] && n=$((n + 1))
done
check "each request reported once and completed" test $n -eq 8
cd_ audit
cp "$OUT" "$T/audit"
n=0
for id in $rest; do
	[ "$(grep -c "collect.begin *request $id .*ok" "$T/audit")" -eq 1 ] &&
	    [ "$(grep -c "collect.commit *request $id " "$T/audit")" -eq 1 ] &&
	    n=$((n + 1))
done
check "each request had exactly one attempt, committed" test $n -eq 8
check "eight packages, no temporary files" \
    test "$(ls -A "$T/out" | wc -l)" -eq 8 -a \
    "$(ls "$T/out" | grep -c '\.pfx$')" -eq 8
set -- "$CUPSD_OUT_SECURE"/*
check "eight PIN mailers on the secure queue" test $# -eq 8
opened=0 pws=""
for m in "$@"; do
	mailer_text "$m" >"$T/m.txt"
	pw=$(sed -n 's/^ *Password: *\([^ ]*\) *$/\1/p' "$T/m.txt" | head -n 1)
	logon=$(sed -n 's/.*(\(Bulk\.P[0-9]*\)).*/\1/p' "$T/m.txt" | head -n 1)
	printf '%s\n' "$pw" >"$T/pw"
	[ -n "$pw" ] && [ -n "$logon" ] &&
	    openssl pkcs12 -in "$T/out/$logon Signing.pfx" -info -noout \
	    -passin file:"$T/pw" >/dev/null 2>&1 && opened=$((opened + 1))
	pws="$pws $pw"
done
check "every package opens with the password of its own PIN mailer" \
    test $opened -eq 8
check "eight different passwords" \
    test "$(echo $pws | tr ' ' '\n' | sort -u | wc -l)" -eq 8
leaks=0 searched=0
for pw in $pws; do
	searched=$((searched + 1))
	never_contains "$pw" "$T/bulk.out" "$T/bulk.err" "$T/audit" "$T/data" ||
	    leaks=1
done
check "no password in the output, the audit trail or the store ($searched searched)" \
    test $leaks -eq 0 -a $searched -eq 8
cd_ collect --ready --profile generated --folder "$T/out" --overwrite
expect_rc 0 "a second run finds nothing left"
expect_out '^0 completed' "and collects nothing twice"

# overlapped PIN mailers: one worker starts the next request while the
# mailer of the one before prints, commits each only once its mailer has
# printed, and a mailer that fails rolls back its own request only
o1=$(new_request Bulk.P1 generated)
o2=$(new_request Bulk.P2 generated)
o3=$(new_request Bulk.P3 generated)
printf 'Bulk Person2\n' >"$CUPSD_OUT_PICKY/fail-if"
sed -i 's/^pin_printer = .*/pin_printer = picky/' "$CONF"
mkdir "$T/overlap"
cd_ collect --ready --profile generated --folder "$T/overlap" --jobs 1
cp "$OUT" "$T/overlap.out"
expect_rc 1 "one worker, the second request's PIN mailer refused: exit 1"
check "the first and the third completed" test \
    "$(status_of "$o1") $(status_of "$o3")" = "completed completed"
check "the second failed because of its PIN mailer" grep -qE \
    "^$o2	Bulk.P2	failed	.*PIN mailer could not be printed" "$T/overlap.out"
check "and is collectable again" test "$(status_of "$o2")" = \
    awaiting-collection
check "only the first and the third have packages" test \
    "$(ls "$T/overlap" | tr '\n' ,)" = "Bulk.P1 Signing.pfx,Bulk.P3 Signing.pfx,"
check "two PIN mailers printed" \
    test "$(ls "$CUPSD_OUT_PICKY" | grep -c '^job-.*\.prn$')" -eq 2
cd_ audit
cp "$OUT" "$T/audit"
# line_of ERE: the line of the audit trail (oldest first) matching ERE
line_of() { grep -n -E "$1" "$T/audit" | head -n 1 | cut -d: -f1; }
b2=$(line_of "collect.begin +request $o2 .*ok")
b3=$(line_of "collect.begin +request $o3 .*ok")
m1=$(line_of "print.pin-mailer +request $o1 .*ok")
m2=$(line_of "print.pin-mailer +request $o2 .*failed")
c1=$(line_of "collect.commit +request $o1 ")
check "the second request began before the first one's mailer printed" \
    test "${b2:-0}" -gt 0 -a "${b2:-0}" -lt "${m1:-0}"
check "the first committed only after its mailer printed" \
    test "${m1:-0}" -gt 0 -a "${m1:-0}" -lt "${c1:-0}"
check "the third began before the second's mailer failed" \
    test "${b3:-0}" -gt 0 -a "${b3:-0}" -lt "${m2:-0}"
rm -f "$CUPSD_OUT_PICKY/fail-if"
sed -i 's/^pin_printer = .*/pin_printer = secure/' "$CONF"
cd_ collect --ready --profile generated --folder "$T/overlap" --jobs 1 \
    --overwrite
expect_rc 0 "with the printer fixed, the second is collected"
check "(it is completed)" test "$(status_of "$o2")" = completed

# one request whose file name is taken fails alone and is rolled back
for p in Bulk.P1 Bulk.P2 Bulk.P3; do new_request "$p" generated >/dev/null; done
new_request Bulk.P2 generated >/dev/null
mkdir "$T/fail"
echo "not a certificate" >"$T/fail/Bulk.P4 Signing.pfx"
chmod 444 "$T/fail/Bulk.P4 Signing.pfx"
cd_ request new --person Bulk.P4 --profile generated
p4=$(cat "$OUT")
cd_ collect --ready --profile generated --folder "$T/fail" --jobs 2
expect_rc 3 "a folder with certificate files needs --overwrite"
check "and nothing was collected" test "$(status_of "$p4")" = awaiting-collection
cd_ collect --ready --profile generated --folder "$T/fail" --jobs 2 --overwrite
cp "$OUT" "$T/fail.out"
expect_rc 1 "one failure: exit 1"
expect_out "^$p4	Bulk.P4	failed	.*already exists" \
    "the failed request is listed with its message"
check "the others completed" test "$(grep -c '	completed	' "$T/fail.out")" -eq 3
check "the taken file was left as it was" \
    test "$(cat "$T/fail/Bulk.P4 Signing.pfx")" = "not a certificate"
check "the failed request is collectable again" \
    test "$(status_of "$p4")" = awaiting-collection
cd_ request show "$p4" --json
check "the taken name was found before any certificate was issued" \
    sh -c "! grep -q '\"serial\"' '$OUT'"
check "no temporary files" test "$(ls -A "$T/fail" | grep -vc '\.pfx$')" -eq 0
# two requests of one run wanting the same file name: the second fails
rm -f "$T/fail/Bulk.P4 Signing.pfx"
cd_ request cancel "$p4"
check "two requests for Bulk.P2 with one file name: one fails" \
    test "$(grep -c '^[0-9]*	Bulk.P2	' "$T/fail.out")" -eq 2
check "(the other completed)" \
    test "$(grep '	Bulk.P2	' "$T/fail.out" | grep -c completed)" -eq 1

# SIGTERM in the middle: completed requests stay, the rest roll back
rm -f "$CUPSD_OUT_SECURE"/*
slow=""
for p in $people; do slow="$slow $(new_request "$p" gen-slow)"; done
mkdir "$T/sig"
"$CERTDESK" -c "$CONF" collect --ready --profile gen-slow --folder "$T/sig" \
    --jobs 2 >"$T/sig.out" 2>"$T/sig.err" &
bpid=$!
i=0
# wait until one request is completed (its PIN mailer alone is not
# enough: a stop while it prints still cancels that collection)
until "$CERTDESK" -c "$CONF" request search --profile gen-slow \
    --status completed 2>/dev/null | grep -q . || [ $i -ge 600 ]; do
	i=$((i + 1)); sleep 0.1
done
kill -TERM $bpid
wait $bpid
check "SIGTERM: exit 4" test $? -eq 4
done_n=$(grep -c '	completed	' "$T/sig.out")
canc_n=$(grep -c '	cancelled	' "$T/sig.out")
check "some requests completed before the signal" test "$done_n" -ge 1
check "the collections in progress were cancelled" test "$canc_n" -ge 1
check "not all were collected" test $((done_n)) -lt 10
check "only the completed requests' packages remain, no partial files" \
    test "$(ls -A "$T/sig" | wc -l)" -eq $((2 * done_n)) -a \
    "$(ls "$T/sig" | grep -c '\.pfx$')" -eq $((2 * done_n))
n=0 c=0
for id in $slow; do
	s=$(status_of "$id")
	case $s in
	completed) c=$((c + 1)) ;;
	awaiting-collection) n=$((n + 1)) ;;
	esac
done
check "completed requests stay completed" test $c -eq "$done_n"
check "every other request is collectable again" test $((n + c)) -eq 10
CERTDESK_CLOCK_OFFSET=400 run "$CERTDESK" -c "$CONF" sweep
check "the cancelled attempts' certificates are revoked after the delay" \
    grep -qE "^[0-9]+ attempts aborted, [1-9][0-9]* certificates? revoked, 0 waiting" "$OUT"
cd_ audit
expect_out "collect.cancel .*cancelled by signal 15" "the cancel is audited"
done_testing
