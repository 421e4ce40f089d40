#!/bin/sh
# SPDX-License-Identifier: ISC
# identity.sh - who the operator is comes from the socket (SO_PEERCRED),
# with real Unix users: the data directory is closed to operators, a
# role-less operator cannot grant itself roles whatever it sends (and the
# refusal is audited), only root may act as another operator, and
# two-person approval works with two real users.
. "$top_srcdir/tests/server/lib.sh"
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

# The data directory: no operator can open anything under it.
n=0; bad=
for f in $(find "$T/data" -mindepth 1); do
	n=$((n + 1))
	runuser -u "$OP1" -- sh -c "exec cat '$f'" >/dev/null 2>"$ERR"
	grep -q 'Permission denied' "$ERR" || bad="$bad $f"
done
check "an operator gets EACCES on each of the $n files under the data directory" \
	test "$n" -gt 2 -a -z "$bad"
as "$OP1" "$CERTDESK" -c "$CONF" person list
expect_rc 1 "the operator's own certdesk cannot open the store (embedded mode)"

# Each request's operator is the peer's Unix user.
api "$OP1" GET /v1/whoami
expect_out "\"logon\":\"$OP1\"" "whoami as $OP1 is $OP1"
api "$OP2" GET /v1/whoami
expect_out "\"logon\":\"$OP2\"" "whoami as $OP2 is $OP2"
expect_out '"impersonated":false' "not impersonated"

# The role-less operator tries everything to gain roles.
api "$OP3" PUT "/v1/people/$OP3" '{"roles":["admin","approve","collect"]}'
expect_status 403 "a role-less operator cannot give itself roles"
expect_out '"code":"denied"' "with the error shape (denied)"
api "$OP3" PUT "/v1/people/$OP3" '{"roles":["admin"],"operator":"'"$SRV_USER"'","logon":"'"$OP3"'"}' \
    -H "X-Certdesk-As: $SRV_USER"
expect_status 403 "nor by naming the administrator in a header and the body"
api "$OP3" GET /v1/whoami "" -H "X-Certdesk-As: $SRV_USER"
expect_status 403 "X-Certdesk-As is refused for a non-root peer"
api "$OP3" POST /v1/people '{"logon":"evil","full_name":"Evil","roles":["all"]}'
expect_status 403 "nor can it add a person with roles"
# A forged client configuration changes nothing either: the server does
# not read it, and with it the operator's own certdesk has no store.
sed "s|^datadir *=.*|datadir = $T/data|" "$CONF" >"$T/forged.conf"
chmod 644 "$T/forged.conf"
as "$OP3" "$CERTDESK" -c "$T/forged.conf" person edit "$OP3" --roles all
expect_rc 1 "a forged configuration gives the operator's certdesk no store"
api root GET "/v1/people/$OP3" "" -H "X-Certdesk-As: $SRV_USER"
expect_out '"roles":\[\]' "$OP3 still has no roles"
api root POST /v1/people '{"logon":"Root.Added","full_name":"Root Added"}' \
    -H "X-Certdesk-As: $SRV_USER"
expect_status 201 "root may act as the administrator"
api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
expect_out "\"operator\":\"$OP3\",\"action\":\"api.refused\"[^}]*\"outcome\":\"refused\"" \
	"the refused self-grant is in the audit trail under $OP3"
expect_out "\"action\":\"operator.impersonate\",\"object\":\"operator $SRV_USER\",\"outcome\":\"refused\"" \
	"the refused X-Certdesk-As is audited"
expect_out "\"operator\":\"$SRV_USER \\(as root\\)\"" \
	"root acting as another operator is audited as such"

# Two-person approval with two real users.
api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"approved"}'
expect_status 201 "$OP1 makes a request"
id=$(json_get id)
api "$OP1" POST "/v1/requests/$id/approve" '{}'
expect_status 403 "$OP1 cannot approve it (no approve role)"
api "$OP2" POST "/v1/requests/$id/approve" '{"note":"checked"}'
expect_status 200 "$OP2 approves it"
expect_out "\"approved_by\":\"$OP2\"" "approved by $OP2"
expect_out "\"created_by\":\"$OP1\"" "made by $OP1"
api "$OP2" POST "/v1/requests/$id/validate" '{}'
expect_status 200 "$OP2 validates it"
expect_out '"status":"awaiting-collection"' "it awaits collection"
api "$OP3" GET "/v1/requests/$id"
expect_status 403 "the role-less operator cannot read it"
done_testing
