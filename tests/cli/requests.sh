#!/bin/sh
# SPDX-License-Identifier: ISC
# requests.sh - the request lifecycle from the CLI: new, approve by a
# second operator, validate, reject, cancel, refusals by role, search,
# show, history and the audit trail.
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store

cd_as Olivia.Operator request new --person Susan.Smith --profile approved
expect_rc 0 "request new"
id=$(cat "$OUT")
expect_err 'awaiting approval' "a profile with approval starts awaiting approval"
cd_ request show "$id" --json
expect_out '"collect_refusal":"awaiting approval by another operator"' \
    "collect refused while awaiting approval"

cd_as Olivia.Operator request approve "$id"
expect_rc 3 "an operator without the approve role is refused"
expect_err "approve" "the refusal names the role"
cd_as Susan.Smith request approve "$id"
expect_rc 3 "the person cannot approve their own request"
cd_as Adam.Approver request approve "$id" --note "checked ID card"
expect_rc 0 "a second operator approves"
cd_ request show "$id" --json
expect_out '"status":"awaiting-validation"' "then validation is needed"
expect_out '"collect_refusal":"requires validation"' "collect says requires validation"
cd_as Adam.Approver request approve "$id"
expect_rc 3 "approving twice is refused"
cd_as Adam.Approver request validate "$id"
expect_rc 0 "validate"
cd_ request show "$id" --json
expect_out '"status":"awaiting-collection"' "now collectable"
expect_out '"collect_refusal":""' "with no refusal"

# own request: the approver may not be its creator
cd_as Adam.Approver request new --person Susan.Smith --profile approved
expect_rc 3 "a viewer/approver without the request role cannot request for others"
cd_ request new --person Susan.Smith --profile approved
id2=$(cat "$OUT")
cd_ request approve "$id2"
expect_rc 3 "the creator cannot approve"
expect_err "another operator" "and is told another operator must"
cd_as Adam.Approver request reject "$id2" --note "wrong person"
expect_rc 0 "reject"
cd_ request cancel "$id2"
expect_rc 3 "a rejected request cannot be cancelled"

cd_ request new --person John.Samson --profile user-pin
id3=$(cat "$OUT")
expect_err 'awaiting collection' "a profile without approval is collectable at once"
cd_as Vic.Viewer request cancel "$id3"
expect_rc 3 "a viewer cannot cancel someone else's request"
cd_as John.Samson request cancel "$id3"
expect_rc 0 "the person can cancel their own request"
cd_ request new --person Nobody --profile user-pin
expect_rc 6 "unknown person"
cd_ request new --person Susan.Smith --profile nope
expect_rc 6 "unknown profile"
cd_ request show 9999
expect_rc 6 "unknown request"

# a disabled person's requests go no further: approve, validate and
# collect are refused with the reason, and audited; reject still works
cd_ request new --person John.Samson --profile approved
ida=$(cat "$OUT")
cd_ request new --person John.Samson --profile validated
idv=$(cat "$OUT")
cd_ request new --person John.Samson --profile user-pin
idc=$(cat "$OUT")
cd_ request new --person John.Samson --profile approved
idr=$(cat "$OUT")
cd_ person edit John.Samson --status disabled
expect_rc 0 "disable a person with pending requests"
cd_as Adam.Approver request approve "$ida"
expect_rc 3 "approving a disabled person's request is refused"
expect_err "the person John.Samson is disabled" "saying the person is disabled"
cd_as Adam.Approver request validate "$idv"
expect_rc 3 "validating a disabled person's request is refused"
expect_err "the person John.Samson is disabled" "saying so"
printf 'Disabled1Pw\n' >"$T/pw"
mkdir -p "$T/out"
cd_ collect "$idc" --folder "$T/out" --password-fd 3 3<"$T/pw"
expect_rc 3 "collecting a disabled person's request is refused"
expect_err "the person John.Samson is disabled" "saying so"
check "nothing was written" test -z "$(ls -A "$T/out")"
cd_ request show "$idc" --json
expect_out '"status":"awaiting-collection"' "the request stays awaiting collection"
expect_out '"collect_refusal":"the person John.Samson is disabled"' \
    "request show gives the reason collect is not available"
cd_ audit --json
for pair in "request.approve:$ida" "request.validate:$idv" \
    "collect.begin:$idc"; do
	expect_out "\"action\":\"${pair%%:*}\",\"object\":\"request ${pair#*:}\",\"outcome\":\"refused\",\"detail\":\"[^\"]*disabled" \
	    "the refused ${pair%%:*} is audited with the reason"
done
cd_as Adam.Approver request reject "$idr" --note "left the company"
expect_rc 0 "a disabled person's request can still be rejected"
cd_ person edit John.Samson --status active
cd_as Adam.Approver request approve "$ida"
expect_rc 0 "enabled again, the request can be approved"

cd_ request search --name "sus sm" --json
expect_out "\"id\":$id," "search by name words"
cd_ request search --status rejected --json
expect_out "\"id\":$id2," "search by status"
cd_ request search --type softcert --profile user-pin --json
expect_out "\"id\":$id3," "search by type and profile"
cd_ request search --from 2000-01-01 --to 2001-01-01 --json
expect_out '^\[\]$' "an empty date range finds nothing"
cd_ request search --person John.Samson
expect_out "^$id3	" "search by person (text)"
cd_ request search --status nonsense
expect_rc 2 "bad status is a usage error"

cd_ request show "$id"
expect_out 'Adam.Approver \(as root\) +request.approve +ok' "history shows the approval"
cd_ audit --json
expect_out '"action":"request.approve","object":"request '"$id"'","outcome":"refused"' \
    "refusals are audited"
expect_out '"operator":"Adam.Approver \(as root\)"' "--as is audited as such"
cd_as Vic.Viewer audit
expect_rc 3 "the audit trail needs the admin role"
cd_as Nobody.Here request search
expect_rc 3 "an unknown operator gets a clear refusal"
expect_err "not a certdesk operator" "saying so"
done_testing
