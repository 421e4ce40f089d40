#!/bin/sh
# SPDX-License-Identifier: ISC
# systemstore.sh - SystemStore delivery end to end: 'certdesk collect'
# imports into a scratch NSS database (sql:$T/nssdb), certutil shows the
# certificate and its key, the JSON output says where; a cancelled
# collection leaves the imported entry in place and its certificate is
# revoked after the delay.  In the engine's own process, traced: the
# store is made durable before the import writes to the NSS database
# (the import is outside the file journal, so a power cut must not
# leave a key in the personal store whose certificate the store lost).
. "${top_srcdir:-.}/tests/lib/common.sh"
command -v certutil >/dev/null 2>&1 || skip_all "certutil not installed"

setup_store
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/out"

cd_ request new --person Susan.Smith --profile system
id=$(cat "$OUT")
cd_ collect "$id" --folder "$T/out" --password-file "$T/pw" --json
expect_rc 0 "collect into the personal store and a folder"
expect_out '"storage":"SystemStore"' "the JSON output names the storage"
expect_out 'personal store sql:[^"]*nssdb as \\"Susan Smith - Browser\\"' \
    "and the store and nickname"
check "the NSS database was created" test -f "$T/nssdb/cert9.db"
certutil -L -d "sql:$T/nssdb" >"$T/list" 2>&1
check "certutil -L lists the user certificate" grep -q 'Susan Smith - Browser *u,u,u' "$T/list"
certutil -K -d "sql:$T/nssdb" >"$T/keys" 2>&1 </dev/null
check "certutil -K lists its key" grep -q 'Susan Smith - Browser' "$T/keys"
check "the FileStore part went to the folder" test -f "$T/out/Susan.Smith Signing.pfx"

# a second collection for the same person: nickname collision handled
cd_ request new --person Susan.Smith --profile system
id=$(cat "$OUT")
cd_ collect "$id" --folder "$T/out" --overwrite --password-file "$T/pw" --json
expect_rc 0 "a second package for the same person"
certutil -L -d "sql:$T/nssdb" >"$T/list" 2>&1
check "both certificates are in the store" test "$(grep -c 'Susan Smith - Browser *u,u,u' "$T/list")" -eq 2

# cancel after the import: the USB wait times out
cd_ request new --person John.Samson --profile storeusb
id=$(cat "$OUT")
CERTDESK_MOUNTINFO=$T/empty-mountinfo; export CERTDESK_MOUNTINFO
: >"$CERTDESK_MOUNTINFO"
cd_ collect "$id" --password-file "$T/pw" --usb --wait 1
unset CERTDESK_MOUNTINFO
expect_rc 4 "no USB drive: the collection is cancelled"
expect_err "personal store stay there" "the operator is told the store entry stays"
certutil -L -d "sql:$T/nssdb" >"$T/list" 2>&1
check "the imported certificate stays in the store" grep -q 'John Samson - Browser' "$T/list"
cd_ audit
expect_out 'still in the personal store sql:.*John Samson - Browser' \
    "the audit trail names the store and nickname"
CERTDESK_CLOCK_OFFSET=400 run "$CERTDESK" -c "$CONF" sweep
expect_out '2 certificates revoked' "its certificates are revoked after the delay"

if in_mode embedded && command -v strace >/dev/null 2>&1; then
	# The personal store first (storeusb: the import, then a USB drive
	# that never comes).  Before NSS writes anything, the store is synced
	# twice: the CA's serial reservation, before signing, and the
	# durable commit of the certificates just issued.
	cd_ request new --person John.Samson --profile storeusb
	id=$(cat "$OUT")
	CERTDESK_MOUNTINFO=$T/empty-mountinfo; export CERTDESK_MOUNTINFO
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -ttt -qq -y -e trace=fdatasync,fsync,pwrite64 \
	    -o "$T/nss.trace" "$CERTDESK" -c "$CONF" collect "$id" \
	    --password-file "$T/pw" --usb --wait 1 >"$OUT" 2>"$ERR"
	RC=$?
	unset CERTDESK_MOUNTINFO
	expect_rc 4 "an import, then no USB drive, traced"
	nss=$(grep 'nssdb/' "$T/nss.trace" | head -n 1 | awk '{ print $2 }')
	check "the trace shows the import writing the NSS database" \
	    test -n "$nss"
	n=$(awk -v f="${nss:-0}" '$2 + 0 < f + 0' "$T/nss.trace" |
	    grep -c 'fdatasync(.*certdesk\.db-wal')
	check "the certificates were synced to the store before NSS wrote ($n syncs)" \
	    test "$n" -ge 2
elif in_mode embedded && [ -n "${CERTDESK_TEST_STRICT:-}" ]; then
	not_ok "strace is needed to trace the import"
fi
done_testing
