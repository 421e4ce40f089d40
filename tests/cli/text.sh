#!/bin/sh
# SPDX-License-Identifier: ISC
# text.sh - what certdesk prints is safe whatever the store holds: JSON
# is always valid UTF-8 (a strict parser reads person list/show, request
# show/search, device show, audit and collect output with bytes that are
# not UTF-8, overlong forms, surrogates, 0xFF and C1 controls in the
# data); text output never sends a C1 control or a bidi override to the
# terminal; names with bidi overrides are refused at input; typed
# passwords must be ASCII.
. "${top_srcdir:-.}/tests/lib/common.sh"

command -v python3 >/dev/null || skip_all "no python3 (the strict JSON parser)"
command -v sqlite3 >/dev/null || skip_all "no sqlite3 (to plant raw bytes)"
setup_store || { echo "1..0 # SKIP setup failed"; exit 1; }
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
# strict: valid JSON, and the bytes valid UTF-8
json_ok() {
	desc=$1
	if python3 -c 'import json,sys
data = sys.stdin.buffer.read()
json.loads(data.decode("utf-8", "strict"))' <"$OUT" 2>"$T/py.err"; then
		ok "$desc"; else not_ok "$desc: $(tail -n 1 "$T/py.err")"; fi
}
# BAD: overlong '/', a surrogate, 0xFF, a C1 CSI (U+009B), a bidi
# override (U+202E) and an escape
BAD=$(printf 'x\300\257\355\240\200\377\302\233\342\200\256\033y')

cd_ person add --logon Bidi.Name --name "$(printf 'Evil \342\200\256fdp.exe')"
expect_rc 2 "a right-to-left override in a name is refused"
expect_err 'bidirectional' "saying why"
cd_ person add --logon Iso.Name --name "$(printf 'A \342\201\246B')"
expect_rc 2 "so is a bidi isolate"
cd_ person add --logon Over.Long --name "$(printf 'A \300\257B')"
expect_rc 2 "and an overlong UTF-8 form"
cd_ person add --logon Surr.Gate --name "$(printf 'A \355\240\200B')"
expect_rc 2 "and a surrogate"

# raw bytes planted in the store, as an older version or another tool
# could have left them
DB=$T/data/certdesk.db
sqlite3 "$DB" "UPDATE people SET full_name = 'Susan ' || CAST(X'$(printf '%s' "$BAD" | od -An -tx1 | tr -d ' \n')' AS TEXT), group_name = CAST(X'C29BFF' AS TEXT) WHERE logon = 'Susan.Smith';"
cd_ person list --json
json_ok "person list --json is valid UTF-8 JSON"
cd_ person show Susan.Smith --json
json_ok "person show --json"
expect_out '\\u009b' "a C1 control is escaped as \\u009b"
expect_out '\\u202e' "a bidi override is escaped"
expect_out '\\ufffd' "a byte that is not UTF-8 becomes U+FFFD"
cd_ person show Susan.Smith
check "text output has no C1 control" sh -c "! grep -q \"\$(printf '\302\233')\" '$OUT'"
check "nor a bidi override" sh -c "! grep -q \"\$(printf '\342\200\256')\" '$OUT'"
check "nor an escape" sh -c "! grep -q \"\$(printf '\033')\" '$OUT'"
check "nor a byte that is not UTF-8" sh -c "! grep -qa \"\$(printf '\377')\" '$OUT'"

cd_ request new --person Susan.Smith --profile approved
id=$(cat "$OUT")
cd_as Adam.Approver request approve "$id" --note "$BAD"
cd_ request show "$id" --json
json_ok "request show --json with a raw note"
cd_ request search --json
json_ok "request search --json"
cd_ request show "$id"
check "request show (text) has no C1 control" sh -c "! grep -q \"\$(printf '\302\233')\" '$OUT'"
cd_ audit --json
json_ok "audit --json"
cd_ audit
check "audit (text) has no C1 control" sh -c "! grep -q \"\$(printf '\302\233')\" '$OUT'"

cd_ request new --person John.Samson --profile user-pin
id2=$(cat "$OUT")
dir="$T/out$(printf '\377\302\233')"
mkdir "$dir"
cd_ collect "$id2" --folder "$dir" --password-file "$T/pw" --json
expect_rc 0 "collect into a folder whose name is not UTF-8"
json_ok "collect --json is valid UTF-8 JSON"
cd_ device list --json
json_ok "device list --json"
dev=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$OUT" | head -n 1)
sqlite3 "$DB" "UPDATE devices SET serial = CAST(X'41FFC29B42' AS TEXT) WHERE id = $dev;"
cd_ device show "$dev" --json
json_ok "device show --json"
cd_ device show "$dev"
check "device show (text) has no C1 control" sh -c "! grep -q \"\$(printf '\302\233')\" '$OUT'"

# typed passwords: ASCII only (keytool cannot open anything else)
cd_ request new --person Vic.Viewer --profile user-pin
id3=$(cat "$OUT")
printf 'Corr3ct-H\303\266rse(9)\n' >"$T/pw8"
mkdir "$T/o3"
cd_ collect "$id3" --folder "$T/o3" --password-file "$T/pw8"
expect_rc 3 "a non-ASCII typed password is refused"
expect_err 'ASCII.*keytool' "saying why"
check "nothing was written" test -z "$(ls -A "$T/o3")"
done_testing
