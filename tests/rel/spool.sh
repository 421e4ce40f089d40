#!/bin/sh
# SPDX-License-Identifier: ISC
# spool.sh - a PIN mailer's password never stays in the print scheduler's
# spool.  Its print job is journalled before its document is sent, so when
# the collection is killed (SIGKILL, CERTDESK_FAULT=print-queued: the
# document sent, the job held on the printer) 'certdesk sweep' past
# attempt_timeout cancels and purges the job: no file of the private
# cupsd's RequestRoot holds the mailer any more, lpstat lists no job, and
# the audit records the purge.  A purge that fails (the scheduler is
# down) is reported, stays pending and is retried by the next sweep.  A
# collection killed after its mailer printed leaves no job either.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
. "$top_srcdir/tests/rel/lib.sh"

grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h" 2>/dev/null ||
    skip_all "certdesk was built without --enable-fault-injection"
cupsd_for_test 'rm -rf "$T"'
# a queue that holds every job: it stays in the spool until purged
lpadmin=$(command -v lpadmin || echo /usr/sbin/lpadmin)
"$lpadmin" -h "$CUPS_SERVER" -p held -v "testfile:$CUPSD_OUT_SECURE" -E \
    -m raw -o job-hold-until-default=indefinite >>"$CUPSD_DIR/log/lpadmin" 2>&1 ||
    bail_out "lpadmin held failed"
PIN_PRINTER=held
setup_store
LATER=660	# past attempt_timeout (600)

# jobs_on QUEUE: the scheduler's jobs on the queue (lpstat -o)
jobs_on() { lpstat -h "$CUPS_SERVER" -o "$1" 2>/dev/null; }
# spool_has TEXT: the spool files that hold TEXT
spool_has() { grep -rl -- "$1" "$CUPSD_SPOOL" 2>/dev/null; }
# no_spool TEXT: no spool file holds TEXT, and no job's files are left
no_spool() {
	[ -z "$(spool_has "$1")" ] &&
	    [ -z "$(ls "$CUPSD_SPOOL" | grep '^[cd][0-9]')" ]
}
# audit_has ID REGEX: one of the request's audit records matches
audit_has() {
	cd_ request show "$1" --json
	grep -o '{[^{}]*"action":"[a-z.-]*","object":"request '"$1"'"[^{}]*}' \
	    "$OUT" | grep -q -- "$2"
}

# --- killed while the mailer's job is held in the spool
id=$(new_req Susan.Smith generated)
mkdir "$T/out1"
CERTDESK_FAULT=print-queued run "$CERTDESK" -c "$CONF" collect "$id" \
    --folder "$T/out1"
expect_rc 137 "killed: the collection dies with its mailer in the spool"
check "killed: lpstat lists the held job" test -n "$(jobs_on held)"
check "killed: the spool holds the mailer (the test can fail)" \
    test -n "$(spool_has 'Susan Smith')"
CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "killed: the sweep succeeds"
expect_out '^1 attempt aborted' "killed: the sweep aborts the attempt"
check "killed: no job is left on the queue" test -z "$(jobs_on held)"
check "killed: no spool file holds the mailer, no job files remain" \
    no_spool 'Susan Smith'
check "killed: no spool file holds the mailer's text" \
    test -z "$(spool_has 'holds the password of your certificate')"
check "killed: the audit records the purge" \
    audit_has "$id" '"collect.abort".*: [0-9]* files* removed, 1 print job purged,'

# --- the scheduler is down at the sweep: reported, retried later
id2=$(new_req John.Samson generated)
mkdir "$T/out2"
CERTDESK_FAULT=print-queued run "$CERTDESK" -c "$CONF" collect "$id2" \
    --folder "$T/out2"
expect_rc 137 "down: the collection dies with its mailer in the spool"
check "down: the spool holds the mailer" test -n "$(spool_has 'John Samson')"
port=$CUPSD_PORT
cupsd_stop
CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
expect_out '^1 attempt aborted' "down: the sweep aborts the attempt"
expect_out '1 could not be removed' "down: and says the job could not be purged"
check "down: the audit does not claim the purge" \
    audit_has "$id2" '"collect.abort".*0 print jobs purged, 1 could not be removed: print job cups'
cupsd_start "$T/cups" || bail_out "private cupsd again: $CUPSD_WHY"
if [ "$CUPSD_PORT" != "$port" ]; then
	skip_n 4 "down: retried" "the scheduler came back on another port"
else
	check "down: the job is still held in the spool" \
	    test -n "$(spool_has 'John Samson')"
	CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
	expect_rc 0 "down: the next sweep succeeds"
	check "down: now no spool file holds the mailer" no_spool 'John Samson'
	check "down: the purge is audited" \
	    audit_has "$id2" '"collect.cleanup".*"outcome":"ok".*1 print job purged'
fi

# --- killed after the mailer printed: nothing of it stays either
sed -i "s|^pin_printer = .*|pin_printer = secure|" "$CONF"
id3=$(new_req Susan.Smith generated)
mkdir "$T/out3"
CERTDESK_FAULT=before-commit run "$CERTDESK" -c "$CONF" collect "$id3" \
    --folder "$T/out3"
expect_rc 137 "printed: the collection dies after its mailer printed"
check "printed: the mailer was printed" test -n "$(ls "$CUPSD_OUT_SECURE")"
CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
expect_out '^1 attempt aborted' "printed: the sweep aborts the attempt"
check "printed: no job is left" test -z "$(jobs_on secure)"
check "printed: no spool file holds the mailer" no_spool 'Susan Smith'
check "printed: the mailer's job was purged when it printed" \
    audit_has "$id3" '"print.pin-mailer".*"outcome":"ok"'
check "printed: ... and not left for the sweep" \
    audit_has "$id3" '"collect.abort".*: [0-9]* files* removed, [0-9]* certificate'
done_testing
