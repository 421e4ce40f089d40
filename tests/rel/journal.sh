#!/bin/sh
# SPDX-License-Identifier: ISC
# journal.sh - the files of a killed collection are journalled as
# absolute, resolved paths with their SHA-256, so 'certdesk sweep' finds
# them from any working directory (a collection with --folder given as a
# relative path, killed after writing its package, swept from /); and a
# removal that fails (a read-only folder) is reported as failed, never
# counted as removed, and retried by a later sweep once it can succeed.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/rel/lib.sh"

setup_store
grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h" 2>/dev/null ||
    skip_all "certdesk was built without --enable-fault-injection"
LATER=660	# past attempt_timeout (600)
PFX="Susan.Smith Signing.pfx"
# Root ignores a folder's permissions: the sweep that must fail to remove
# runs without capabilities (still uid 0, so it may open the store).
NOCAPS=
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null 2>&1 ||
	    skip_all "running as root without setpriv to drop capabilities"
	NOCAPS="setpriv --bounding-set=-all --inh-caps=-all"
fi

# every certdesk run below lacks the capabilities too: the start-up sweep
# of any command would otherwise remove what the test expects to stay
cd_() { run $NOCAPS "$CERTDESK" -c "$CONF" "$@"; }

# abort_detail ID: the detail of the request's collect.abort record
abort_detail() {
	cd_ request show "$1" --json
	grep -o '"action":"collect.abort","object":"request '"$1"'","outcome":"aborted","detail":"[^"]*"' "$OUT" |
	    sed 's/.*"detail":"//; s/"$//'
}
# ncleanup ID: how many collect.cleanup records the request has
ncleanup() {
	cd_ request show "$1" --json
	grep -o '"action":"collect.cleanup"' "$OUT" | wc -l
}

# --- a relative --folder, swept from /
id=$(new_req Susan.Smith user-pin)
mkdir -p "$T/work/rel"
(cd "$T/work" && CERTDESK_FAULT=after-file-write exec "$CERTDESK" -c "$CONF" \
    collect "$id" --folder rel --password-file "$T/pw.$id" >"$OUT" 2>"$ERR")
RC=$?
expect_rc 137 "relative folder: the collection dies after writing its package"
check "relative folder: the package is there" test -f "$T/work/rel/$PFX"
(cd / && CERTDESK_CLOCK_OFFSET=$LATER exec "$CERTDESK" -c "$CONF" sweep \
    >"$OUT" 2>"$ERR")
RC=$?
expect_rc 0 "relative folder: the sweep, run from /, succeeds"
expect_out '^1 attempt aborted' "relative folder: it aborts the attempt"
expect_out '^1 file removed, 0 could not be removed' \
    "relative folder: and says it removed one file"
check "relative folder: the package is gone" test ! -e "$T/work/rel/$PFX"
check "relative folder: no temporary is left" test -z "$(ls -A "$T/work/rel")"
d=$(abort_detail "$id")
check "relative folder: the audit says 1 file removed ($d)" \
    sh -c "echo '$d' | grep -q ': 1 file removed, 2 certificates'"
check "relative folder: the request can be collected again" \
    test "$(status_of "$id")" = awaiting-collection

# --- a removal that fails, then succeeds on a later sweep
id=$(new_req Susan.Smith user-pin)
mkdir "$T/ro"
CERTDESK_FAULT=after-file-write run "$CERTDESK" -c "$CONF" collect "$id" \
    --folder "$T/ro" --password-file "$T/pw.$id"
expect_rc 137 "read-only folder: the collection dies after writing"
chmod 555 "$T/ro"
CERTDESK_CLOCK_OFFSET=$LATER run $NOCAPS "$CERTDESK" -c "$CONF" sweep
check "read-only folder: the sweep does not claim success (exit $RC)" \
    test "$RC" -ne 0
expect_out '^1 attempt aborted' "read-only folder: the attempt is aborted"
expect_out '^0 files removed, 1 could not be removed' \
    "read-only folder: the failed removal is reported"
check "read-only folder: the package is still there" test -f "$T/ro/$PFX"
d=$(abort_detail "$id")
check "read-only folder: the audit names the file and the reason ($d)" \
    sh -c "echo '$d' | grep -q '0 files removed, 1 could not be removed: $T/ro/$PFX: Permission denied'"
CERTDESK_CLOCK_OFFSET=$LATER run $NOCAPS "$CERTDESK" -c "$CONF" sweep
expect_out '^0 attempts aborted' "read-only folder: a second sweep aborts nothing more"
expect_out '^0 files removed, 1 could not be removed' \
    "read-only folder: it tries again and reports the failure again"
check "read-only folder: the same failure is not audited twice" \
    test "$(ncleanup "$id")" -eq 0
chmod 755 "$T/ro"
CERTDESK_CLOCK_OFFSET=$LATER run $NOCAPS "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "writable again: the sweep succeeds"
expect_out '^1 file removed, 0 could not be removed' \
    "writable again: the retry removes the package"
check "writable again: the package is gone" test -z "$(ls -A "$T/ro")"
check "writable again: the removal is audited" test "$(ncleanup "$id")" -eq 1
CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
check "a last sweep has nothing to remove" sh -c "! grep -q 'file' '$OUT'"
done_testing
