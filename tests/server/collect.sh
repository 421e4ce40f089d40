#!/bin/sh
# SPDX-License-Identifier: ISC
# collect.sh - the collection transaction through certdeskd, with real
# Unix users: the server issues and packages, the operator's certdesk
# writes the .pfx files as the operator; a typed password goes to the
# server once; a generated one never reaches the client; a package with
# a generated password for the personal store is refused at the preview;
# a client killed mid-collection leaves no active uncollected
# certificate once the server's sweep has run; steps of another
# operator's collection are refused.
. "$top_srcdir/tests/server/lib.sh"
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

# op: certdesk as the collecting operator, on the server's socket, with
# no configuration file of its own.
op() {
	u=$1; shift
	run runuser -u "$u" -- env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent \
	    CERTDESK_SOCKET="$SOCK" "$CERTDESK" "$@"
}
new_request() {
	api "$OP1" POST /v1/requests "{\"person\":\"Susan.Smith\",\"profile\":\"$1\"}"
	json_get id
}

mkdir "$T/out" && chown "$OP1" "$T/out" && chmod 700 "$T/out"
printf 'Secret-Pass-123\n' >"$T/pw" && chown "$OP1" "$T/pw" && chmod 600 "$T/pw"

id=$(new_request user-pin)
op "$OP1" collect "$id" --folder "$T/out" --password-file "$T/pw" --json
expect_rc 0 "$OP1 collects request $id through certdeskd"
expect_out '"status":"completed"' "the request is completed"
n=$(find "$T/out" -name '*.pfx' | wc -l)
check "two .pfx files were written" test "$n" -eq 2
bad=$(find "$T/out" -name '*.pfx' ! -user "$OP1")
check "the .pfx files belong to $OP1, who collected" test -z "$bad"
bad=$(find "$T/out" -name '*.pfx' ! -perm 600)
check "the .pfx files are 0600" test -z "$bad"
f=$(find "$T/out" -name '*.pfx' | head -1)
check "a .pfx opens with the typed password" \
	openssl pkcs12 -in "$f" -passin "file:$T/pw" -nokeys -noout
api "$OP1" GET "/v1/requests/$id"
expect_out '"status":"completed"' "the server has the request completed"
api root GET /v1/audit "" -H "X-Certdesk-As: $SRV_USER"
expect_out "\"operator\":\"$OP1\",\"action\":\"collect.file\"" \
	"the server's audit trail has the files, by $OP1"
grep -q 'Secret-Pass-123' "$T/certdeskd.log" && not_ok "the password is not in the server's log" ||
	ok "the password is not in the server's log"

# Steps of an operator's collection are refused to anybody else.
id=$(new_request user-pin)
api "$OP1" POST "/v1/requests/$id/collection" '{}'
expect_status 201 "$OP1 begins a collection over the API"
cid=$(json_get collection)
api "$OP2" POST "/v1/collections/$cid/heartbeat" '{}'
expect_status 404 "$OP2 cannot touch $OP1's collection"
api "$OP1" POST "/v1/collections/$cid/heartbeat" '{}'
expect_status 200 "$OP1 can (heartbeat)"
api "$OP1" POST "/v1/collections/$cid/cancel" '{"reason":"test"}'
expect_status 200 "$OP1 cancels it"
api "$OP1" POST "/v1/collections/$cid/commit" '{}'
expect_status 404 "a cancelled collection cannot commit"

# The preview over the API.
id=$(new_request system)
api "$OP1" GET "/v1/requests/$id/collection"
expect_status 200 "the preview of a user-PIN SystemStore request is served"
expect_out '"blocked_code":null' "a typed password may go to the personal store"

# A client killed at each step leaves no active uncollected certificate
# after the server's sweep (the clock moved past attempt_timeout).
for step in begin password issue journal delivered; do
	id=$(new_request user-pin)
	api "$OP1" POST "/v1/requests/$id/collection" '{}'
	cid=$(json_get collection)
	[ "$step" = begin ] || api "$OP1" POST "/v1/collections/$cid/password" \
	    '{"password":"Secret-Pass-123"}'
	case $step in issue|journal|delivered)
		api "$OP1" POST "/v1/collections/$cid/issue" '{}';; esac
	case $step in journal|delivered)
		sha=$(sed -n 's/.*"pkcs12":"\([^"]*\)".*/\1/p' "$OUT" | head -1 |
		    base64 -d | sha256sum | cut -c1-64)
		api "$OP1" POST "/v1/collections/$cid/journal" \
		    "{\"item\":0,\"path\":\"$T/out/x.pfx\",\"sha256\":\"$sha\"}";; esac
	[ "$step" = delivered ] && api "$OP1" POST "/v1/collections/$cid/delivered" \
	    "{\"item\":0,\"location\":\"$T/out/x.pfx\"}"
	eval "id_$step=$id"
done
srv_stop
export CERTDESK_CLOCK_OFFSET=3600
srv_start --sweep-interval 1
unset CERTDESK_CLOCK_OFFSET
sleep 2
for step in begin password issue journal delivered; do
	eval "id=\$id_$step"
	api "$OP1" GET "/v1/requests/$id"
	expect_out '"status":"awaiting-collection"' \
		"killed after $step: request $id awaits collection again"
	api "$OP1" GET "/v1/certificates?request_id=$id"
	expect_status 200 "killed after $step: the certificates are listed"
	if grep -q '"status":"active"' "$OUT" || ! grep -q '"certificates":' "$OUT"; then
		not_ok "killed after $step: no active certificate"
	else ok "killed after $step: no active certificate"; fi
done
done_testing
