#!/bin/sh
# SPDX-License-Identifier: ISC
# ops.sh - the client API calls that joined with the split (source,
# profiles, print destination, person_may_change, bulk_start,
# pending_revocations) through both implementations on one store, via a
# real certdeskd and real users: the same results, the same error codes
# and the same audit rows in embedded and in server mode.
. "$top_srcdir/tests/server/lib.sh"
OPS=$top_builddir/tests/server/api-ops
[ -x "$OPS" ] || skip_all "tests/server/api-ops is not built"
# A PIN-mailer queue (never printed to here) lets a generated-password
# profile pass the bulk checks.
PIN_PRINTER=pin-queue
srv_setup || skip_all "set-up failed"
srv_add_sysgen
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

# ops MODE [LOGON] -- CALL ARGS: api-ops as root acting as LOGON (the
# store's administrator by default), output in $T/MODE.out.
ops() {
	mode=$1 who=$2; shift 3
	API_OPS_NO_SWEEP=1 API_OPS_AS=$who "$OPS" "$mode" "$CONF" "$SOCK" \
	    "$@" >"$T/$mode.out" 2>"$T/$mode.err"
	eval "rc_$mode=\$?"
}
# both LOGON -- CALL ARGS: the call in each mode, then the outputs compared.
both() {
	ops embedded "$@"
	ops server "$@"
}
same() {
	if cmp -s "$T/embedded.out" "$T/server.out" && [ "$rc_embedded" = "$rc_server" ]
	then ok "$*: the same in both modes"
	else
		not_ok "$*: the same in both modes (rc $rc_embedded / $rc_server)"
		sed 's/^/#   embedded: /' "$T/embedded.out" "$T/embedded.err"
		sed 's/^/#   server:   /' "$T/server.out" "$T/server.err"
	fi
}
audit_count() {	# ACTION RESULT: audit rows with both
	api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
	grep -o "\"action\":\"$1\",\"object\":\"[^\"]*\",\"outcome\":\"$2\"" "$OUT" | wc -l
}

ADMIN=$SRV_USER

both "$ADMIN" -- source
like "$(cat "$T/embedded.out")" '^sqlite:' "embedded: the source is the store"
is "$(cat "$T/server.out")" "certdeskd:$SOCK" "server: the source is certdeskd's socket"

both "$ADMIN" -- profiles
same "profiles"
like "$(head -1 "$T/server.out")" '^8 profiles$' "the eight profiles of the configuration"
grep -q '^profile system user_pin=1 .* store/SystemStore/365 signing/FileStore/365$' \
    "$T/server.out" && ok "a profile's policies come with it" ||
    not_ok "a profile's policies come with it"
grep -q "out of range" "$T/server.out" && not_ok "profile_at out of range is NULL" ||
    ok "profile_at out of range is NULL"
api "$OP3" GET /v1/profiles
expect_status 200 "any operator may read the profiles"

both "$ADMIN" -- print-destination
same "print destination (no printer configured: CUPS's default)"
check "the destination is described" test -s "$T/server.out"

# person_may_change: allowed for the administrator, refused and audited
# for an operator without the admin role, the same way in both modes.
both "$ADMIN" -- may-change person.edit Susan.Smith "roles: view"
same "may-change by the administrator"
is "$(cat "$T/server.out")" "may" "the administrator may change people"
before=$(audit_count person.edit refused)
both "$OP1" -- may-change person.edit Susan.Smith "roles: view, admin"
same "may-change by an operator without the admin role"
like "$(cat "$T/server.out")" "^error -[0-9]+: " "it is refused"
is "$(audit_count person.edit refused)" "$((before + 2))" \
    "each refusal is audited once, in both modes"
api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
n=$(grep -o "\"operator\":\"$OP1 (as root)\",\"action\":\"person.edit\",\"object\":\"person Susan.Smith\",\"outcome\":\"refused\",\"detail\":\"[^\"]*asked: roles: view, admin\"" "$OUT" | sort -u | wc -l)
is "$n" 1 "the two refusals are the same audit row (operator, object, detail)"
api "$OP1" POST /v1/people/Susan.Smith/may-change '{"action":"collect.commit"}'
expect_status 400 "may-change takes only a change to a person as its action"

# bulk_start: checked, recorded and the ready requests in both modes.
for i in 1 2 3; do
	api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"generated"}'
done
before=$(audit_count collect.bulk ok)
both "$OP1" -- bulk generated 2 3 /srv/out
same "bulk start of a generated-password profile, limit 2"
like "$(cat "$T/server.out")" '^2 ready: [0-9]+ [0-9]+$' "two ready requests"
is "$(audit_count collect.bulk ok)" "$((before + 2))" "each run is audited (collect.bulk)"
api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
n=$(grep -o "\"operator\":\"$OP1 (as root)\",\"action\":\"collect.bulk\",\"object\":\"profile generated\",\"outcome\":\"ok\",\"detail\":\"2 requests ready, 3 workers, folder /srv/out\"" "$OUT" | wc -l)
is "$n" 2 "the same collect.bulk row both times"
both "$OP1" -- bulk user-pin 0 1 /srv/out
same "bulk start of a profile with typed passwords"
like "$(cat "$T/server.out")" '^error -[0-9]+: .*one at a time' "it is refused (one at a time)"
both "$OP3" -- bulk generated 0 1 /srv/out
same "bulk start by an operator with no roles"
api "$OP1" POST /v1/bulk '{"profile":"generated","limit":-1}'
expect_status 400 "a negative limit is bad input"

# pending_revocations (the CA's queue: empty with the local CA) the same
# before and after a cancelled collection marked its certificates.
both "$ADMIN" -- pending
same "pending revocations, none yet"
api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
id=$(json_get id)
api "$OP1" POST "/v1/requests/$id/collection" '{}'
cid=$(json_get collection)
api "$OP1" POST "/v1/collections/$cid/password" '{"password":"Secret-Pass-123"}'
api "$OP1" POST "/v1/collections/$cid/issue" '{}'
api "$OP1" POST "/v1/collections/$cid/cancel" '{"reason":"test"}'
expect_status 200 "a collection is cancelled after its issue"
both "$ADMIN" -- pending
same "pending revocations after the cancel"
like "$(tail -1 "$T/server.out")" '^[0-9]+ pending$' "a count comes with the list"
done_testing
