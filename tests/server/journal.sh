#!/bin/sh
# SPDX-License-Identifier: ISC
# journal.sh - the client's own journal in server mode, with a real
# certdeskd and real users: a server-mode 'certdesk collect' killed
# (SIGKILL) after its first .pfx leaves a record in the operator's state
# folder (0700, 0600); while certdeskd holds the attempt the sweep keeps
# the file; once certdeskd's sweep aborted the attempt, the client's
# sweep removes the file, and leaves alone a file whose content changed;
# the next start of a server-mode client does the same.  certdeskd's
# cancel only records: a file the client journalled stays where it is.
. "$top_srcdir/tests/server/lib.sh"
OPS=$top_builddir/tests/server/api-ops
[ -x "$OPS" ] || skip_all "tests/server/api-ops is not built"
grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h" ||
	skip_all "certdesk was built without --enable-fault-injection"
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

STATE=$T/state
mkdir "$STATE" && chown "$OP1" "$STATE"
JDIR=$STATE/certdesk
# op USER ARGS: certdesk as USER on the server's socket, no configuration.
op() {
	u=$1; shift
	run runuser -u "$u" -- env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent \
	    XDG_STATE_HOME="$STATE" CERTDESK_SOCKET="$SOCK" ${FAULT:+CERTDESK_FAULT=$FAULT} \
	    "$CERTDESK" "$@"
}
# client CALL: the client API's call as $OP1 (api-ops), output in $OUT;
# a sweep without the start's own.
client() {
	run runuser -u "$OP1" -- env HOME=/nonexistent XDG_STATE_HOME="$STATE" \
	    ${NO_SWEEP:+API_OPS_NO_SWEEP=1} "$OPS" server - "$SOCK" "$@"
}
# store_sweep SECONDS: the store's sweep (cd_sweep, what certdeskd's
# timer runs) with the clock that far ahead, past attempt_timeout
# (certdeskd itself has no test clock).
store_sweep() {
	export CERTDESK_CLOCK_OFFSET=$1
	srv_admin sweep
	unset CERTDESK_CLOCK_OFFSET
}
new_request() {
	api "$OP1" POST /v1/requests "{\"person\":\"Susan.Smith\",\"profile\":\"$1\"}"
	json_get id
}
printf 'Secret-Pass-123\n' >"$T/pw" && chown "$OP1" "$T/pw" && chmod 600 "$T/pw"
# killed DIR: a collection into DIR killed after its first .pfx.
killed() {
	mkdir "$1" && chown "$OP1" "$1" && chmod 700 "$1"
	id=$(new_request user-pin)
	FAULT=after-file-write op "$OP1" collect "$id" --folder "$1" \
	    --password-file "$T/pw"
	expect_rc 137 "the collection of request $id is killed after its first file"
	is "$(find "$1" -name '*.pfx' | wc -l | tr -d ' ')" 1 "one .pfx was written"
}

killed "$T/out1"
pfx1=$(find "$T/out1" -name '*.pfx')
rec=$(ls "$JDIR"/server-*/attempt-*.json 2>/dev/null)
is "$(echo "$rec" | grep -c .)" 1 "the client's journal has one record"
is "$(stat -c %a "$JDIR")" 700 "the journal's folder is 0700"
is "$(stat -c %a "$(dirname "$rec")")" 700 "so is the server's folder in it"
is "$(ls -d "$JDIR"/server-* | wc -l | tr -d ' ')" 1 "one folder: this host's and this socket's"
is "$(stat -c '%a %U' "$rec")" "600 $OP1" "the record is 0600, the operator's"
sha=$(sha256sum "$pfx1" | cut -c1-64)
grep -qF "\"path\":\"$pfx1\",\"sha256\":\"$sha\"" "$rec" &&
	ok "the record names the file and its SHA-256" ||
	not_ok "the record names the file and its SHA-256"
att=$(sed -n 's/.*"attempt":\([0-9]*\).*/\1/p' "$rec")
api "$OP1" GET "/v1/attempts/$att"
expect_out '"state":"in-progress"' "certdeskd still holds the attempt"
api "$OP2" GET "/v1/attempts/$att"
expect_status 404 "another operator cannot ask about it"

NO_SWEEP=1 client sweep
expect_out 'files_removed 0 files_failed 0' "a sweep while the attempt is live removes nothing"
check "the file stays" test -f "$pfx1"
check "the record stays" test -f "$rec"

killed "$T/out2"
pfx2=$(find "$T/out2" -name '*.pfx')
printf 'changed' >>"$pfx2"

# The store's sweep aborts both.
store_sweep 3600
api "$OP1" GET "/v1/attempts/$att"
expect_out '"state":"aborted"' "the store's sweep aborted the attempt"
check "the store's sweep left the operator's file alone" test -f "$pfx1"

NO_SWEEP=1 client sweep
expect_out 'files_removed 1 files_failed 0' "the client's sweep removes one file"
check "the killed collection's .pfx is gone" test ! -e "$pfx1"
check "the .pfx whose content changed stays" test -f "$pfx2"
is "$(find "$JDIR" -name 'attempt-*' | grep -c .)" 0 "the records are dropped"
is "$(ls -A "$T/out1" | wc -l | tr -d ' ')" 0 "no temporary file is left either"

# The next start of a server-mode client settles the journal too, and
# only its own server's records: another server's attempt with the same
# id (attempt ids are a store's) is not asked about here.
killed "$T/out3"
pfx3=$(find "$T/out3" -name '*.pfx')
store_sweep 7200
other=$JDIR/server-0000000000000000
att3=$(basename "$(ls "$JDIR"/server-*/attempt-*.json | grep -v "$other")" .json)
runuser -u "$OP1" -- mkdir -m 700 "$other"
runuser -u "$OP1" -- cp "$pfx3" "$T/out3/other.pfx"
printf '{"attempt":%s,"request":1,"files":[{"path":"%s","sha256":"%s"}]}' \
    "${att3#attempt-}" "$T/out3/other.pfx" \
    "$(sha256sum "$pfx3" | cut -c1-64)" >"$other/$att3.json"
chown "$OP1" "$other/$att3.json"
chmod 600 "$other/$att3.json"
client source
expect_out "^certdeskd:$SOCK\$" "a client starts"
check "its start removed the aborted attempt's .pfx" test ! -e "$pfx3"
check "another server's record with the same attempt id is left alone" \
    test -f "$other/$att3.json"
check "and so is the file it names" test -f "$T/out3/other.pfx"
rm -rf "$other"
is "$(find "$JDIR" -name 'attempt-*' | grep -c .)" 0 "and dropped the record"

# An operator without a usable home: the journal is kept in
# /var/tmp/certdesk-UID (private), and settled the same way.
FB=/var/tmp/certdesk-$(id -u "$OP1")
rm -rf "$FB"
STATE_SAVED=$STATE
STATE=/nonexistent
killed "$T/out5"
pfx5=$(find "$T/out5" -name '*.pfx')
STATE=$STATE_SAVED
is "$(stat -c '%a %U' "$FB" 2>/dev/null)" "700 $OP1" "the fallback folder is the operator's, 0700"
is "$(find "$FB" -name 'attempt-*' 2>/dev/null | grep -c .)" 1 "the record is there"
store_sweep 10800
run runuser -u "$OP1" -- env HOME=/nonexistent XDG_STATE_HOME= \
    API_OPS_NO_SWEEP=1 "$OPS" server - "$SOCK" sweep
expect_out 'files_removed 1 files_failed 0' "the sweep finds it there"
check "and removes the aborted attempt's .pfx" test ! -e "$pfx5"
rm -rf "$FB"

# A completed collection leaves no record.
mkdir "$T/out4" && chown "$OP1" "$T/out4"
id=$(new_request user-pin)
op "$OP1" collect "$id" --folder "$T/out4" --password-file "$T/pw"
expect_rc 0 "a collection completes"
is "$(find "$JDIR" -name 'attempt-*' | grep -c .)" 0 "its record is dropped on commit"
is "$(find "$T/out4" -name '*.pfx' | wc -l | tr -d ' ')" 2 "its files stay"

# certdeskd's cancel only records: a journalled file (in a folder the
# server's user could write) is not removed by the server.
mkdir -m 1777 "$T/shared"
id=$(new_request user-pin)
api "$OP1" POST "/v1/requests/$id/collection" '{}'
cid=$(json_get collection)
api "$OP1" POST "/v1/collections/$cid/password" '{"password":"Secret-Pass-123"}'
api "$OP1" POST "/v1/collections/$cid/issue" '{}'
python3 -c 'import base64, json, sys
sys.stdout.buffer.write(base64.b64decode(json.load(open(sys.argv[1]))["items"][0]["pkcs12"]))' \
    "$OUT" >"$T/shared/x.pfx"
chmod 666 "$T/shared/x.pfx"
sha=$(sha256sum "$T/shared/x.pfx" | cut -c1-64)
api "$OP1" POST "/v1/collections/$cid/journal" \
    "{\"item\":0,\"path\":\"$T/shared/x.pfx\",\"sha256\":\"$sha\"}"
expect_status 200 "the journal step takes the file"
api "$OP1" POST "/v1/collections/$cid/cancel" '{"reason":"test"}'
expect_status 200 "the collection is cancelled"
check "certdeskd's cancel did not remove the operator's file" test -f "$T/shared/x.pfx"
api "$OP1" POST "/v1/collections/$cid/journal" \
    "{\"item\":0,\"path\":\"relative.pfx\",\"sha256\":\"$sha\"}"
expect_status 404 "a cancelled collection journals nothing"
done_testing
