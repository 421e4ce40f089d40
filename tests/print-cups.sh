#!/bin/sh
# SPDX-License-Identifier: ISC
# print-cups.sh - the cups printing backend against a private cupsd: a
# transport document to queue "test" and a PIN mailer to queue "secure"
# arrive byte for byte, the scheduler keeps no copy, and failures (no
# such queue, no default queue, a failing backend, a stopped or rejecting
# queue, the scheduler not running) give an error and a non-zero exit.
# The jobs of one process share a connection, which survives a restart
# of the scheduler, and each job checks its queue again.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"

MKDOC=$top_builddir/tests/unit/mkdoc
TPL=$top_srcdir/etc/templates
PW='Mq4-Tz8w-Hn3c'

[ -x "$MKDOC" ] || skip_all "tests/unit/mkdoc not built"
cupsd_available || skip_all "$CUPSD_WHY"
trap 'cupsd_stop; rm -rf "$T"' EXIT
cupsd_start "$T/cups" || bail_out "private cupsd: $CUPSD_WHY"

# only_file DIR: the one file in DIR
only_file() { set -- "$1"/*; [ $# -eq 1 ] && [ -f "$1" ] && echo "$1"; }

run "$MKDOC" --timeout 30 --print test "$CUPS_SERVER" transport "$TPL/transport.txt" A4 \
    "$T/t.ps"
expect_rc 0 "transport document printed to queue test"
expect_out '^test-[0-9]+$' "job named queue-N"
out=$(only_file "$CUPSD_OUT_TEST")
check "one job arrived on queue test" [ -n "$out" ]
check "byte-identical to the rendered document" cmp -s "$T/t.ps" "$out"

# The server given (as [print] cups_server is) is used for every libcups
# call, with no CUPS_SERVER in the environment (the default would be a
# scheduler that has no queue "test").
rm -f "$CUPSD_OUT_TEST"/*
run env -u CUPS_SERVER "$MKDOC" --timeout 30 --print test "$CUPS_SERVER" \
    transport "$TPL/transport.txt" A4 "$T/t2.ps"
expect_rc 0 "the given server is used without \$CUPS_SERVER"
expect_out '^test-[0-9]+$' "the job was created on that server"
out=$(only_file "$CUPSD_OUT_TEST")
check "and it arrived on its queue test" sh -c '[ -n "$1" ] &&
    cmp -s "$2" "$1"' sh "$out" "$T/t2.ps"

run "$MKDOC" --timeout 30 -p "$PW" --print secure "$CUPS_SERVER" pin-mailer \
    "$TPL/pin-mailer.txt" A4 "$T/p.ps"
expect_rc 0 "PIN mailer printed to queue secure"
expect_out '^secure-[0-9]+$' "job named queue-N"
out=$(only_file "$CUPSD_OUT_SECURE")
check "one job arrived on queue secure" [ -n "$out" ]
check "byte-identical to the rendered PIN mailer" cmp -s "$T/p.ps" "$out"
check "and nothing more on queue test" [ -n "$(only_file "$CUPSD_OUT_TEST")" ]
check "the scheduler kept no copy of the documents" sh -c \
    '! ls "$1" | grep -q "^[cd][0-9]"' sh "$CUPSD_SPOOL"
check "the password is in no scheduler file or log" never_contains "$PW" \
    "$CUPSD_DIR/spool" "$CUPSD_DIR/log" "$CUPSD_DIR/cache" "$CUPSD_DIR/state"
check "the job title is neutral" never_contains "Susan Smith" "$CUPSD_DIR/log"

# ---- failures --------------------------------------------------------------
run "$MKDOC" --timeout 30 --print nosuchqueue "$CUPS_SERVER" transport \
    "$TPL/transport.txt" A4 "$T/x.ps"
expect_rc 1 "missing queue: non-zero exit"
expect_err "no such printer 'nosuchqueue'" "missing queue: no such printer"

run "$MKDOC" --timeout 30 --print "" "$CUPS_SERVER" transport "$TPL/transport.txt" A4 \
    "$T/x.ps"
expect_rc 1 "no default queue: non-zero exit"
expect_err "no default printer" "no default queue: clear error"

run "$MKDOC" --timeout 30 --print broken "$CUPS_SERVER" transport "$TPL/transport.txt" \
    A4 "$T/x.ps"
expect_rc 1 "failing backend: non-zero exit"
expect_err "print job broken-[0-9]+ was aborted: .*cannot write" \
    "failing backend: the job's state and the backend's message"

lpadmin -h "$CUPS_SERVER" -p test -o printer-error-policy=stop-printer \
    >/dev/null 2>&1
cupsdisable -h "$CUPS_SERVER" -r "out of paper" test >/dev/null 2>&1
run "$MKDOC" --timeout 30 --print test "$CUPS_SERVER" transport "$TPL/transport.txt" A4 \
    "$T/x.ps"
expect_rc 1 "stopped queue: non-zero exit"
expect_err "printer 'test' is stopped: out of paper" "stopped queue: why"
cupsenable -h "$CUPS_SERVER" test >/dev/null 2>&1
cupsreject -h "$CUPS_SERVER" -r "moving office" secure >/dev/null 2>&1
run "$MKDOC" --timeout 30 -p "$PW" --print secure "$CUPS_SERVER" pin-mailer \
    "$TPL/pin-mailer.txt" A4 "$T/x.ps"
expect_rc 1 "queue rejecting jobs: non-zero exit"
expect_err "printer 'secure' is not accepting jobs: moving office" \
    "rejecting queue: why"
check "nothing more arrived" sh -c \
    '[ "$(ls "$1" "$2" | grep -c prn)" -eq 2 ]' sh "$CUPSD_OUT_TEST" \
    "$CUPSD_OUT_SECURE"

# ---- one connection for the jobs of a process --------------------------------
# A job's connection to the scheduler is kept for the next one, which
# asks the printer's state again: a queue stopped or deleted meanwhile is
# seen, and a scheduler restarted meanwhile is connected to again.
accepted() { grep -c 'Accepted from' "$CUPSD_DIR/log/error_log"; }
rm -f "$CUPSD_OUT_TEST"/*
a0=$(accepted)
: >"$T/go"
run "$MKDOC" --timeout 30 --print test "$CUPS_SERVER" --again "$T/go" \
    transport "$TPL/transport.txt" A4 "$T/t.ps"
expect_rc 0 "two jobs from one process"
check "both arrived" sh -c '[ "$(ls "$1" | grep -c prn)" -eq 2 ]' sh \
    "$CUPSD_OUT_TEST"
check "over one connection" [ "$(($(accepted) - a0))" -eq 1 ]

# again QUEUE: mkdoc prints to QUEUE, and once more when $T/go appears
again() {
	rm -f "$T/go"
	"$MKDOC" --timeout 30 --print "$1" "$CUPS_SERVER" --again "$T/go" \
	    transport "$TPL/transport.txt" A4 "$T/t.ps" >"$T/again.out" \
	    2>"$T/again.err" &
	_pid=$!
	_n=0
	until [ -s "$T/again.out" ] || [ $_n -gt 300 ]; do
		sleep 0.1; _n=$((_n + 1))
	done
}
rm -f "$CUPSD_OUT_TEST"/*
again test
cupsd_restart || bail_out "private cupsd: $CUPSD_WHY"
: >"$T/go"
wait "$_pid"
check "a scheduler restarted between two jobs: the second one printed" \
    sh -c '[ "$(grep -c . "$1")" -eq 2 ] &&
    [ "$(ls "$2" | grep -c prn)" -eq 2 ]' sh "$T/again.out" "$CUPSD_OUT_TEST"

again test
cupsdisable -h "$CUPS_SERVER" -r "jammed" test >/dev/null 2>&1
: >"$T/go"
wait "$_pid"
check "a queue stopped between two jobs: the second one is refused" \
    grep -q "printer 'test' is stopped: jammed" "$T/again.err"
cupsenable -h "$CUPS_SERVER" test >/dev/null 2>&1

lpadmin -h "$CUPS_SERVER" -p gone -v "testfile:$CUPSD_OUT_TEST" -E -m raw \
    >/dev/null 2>&1
again gone
lpadmin -h "$CUPS_SERVER" -x gone >/dev/null 2>&1
: >"$T/go"
wait "$_pid"
check "a queue deleted between two jobs: the second one is refused" \
    grep -q "no such printer 'gone'" "$T/again.err"
rm -f "$CUPSD_OUT_TEST"/*

server=$CUPS_SERVER
cupsd_stop
run "$MKDOC" --timeout 30 --print test "$server" transport "$TPL/transport.txt" A4 \
    "$T/x.ps"
expect_rc 1 "scheduler stopped: non-zero exit"
expect_err "the print scheduler at $server is not running" \
    "scheduler stopped: not running"
run "$MKDOC" --timeout 30 --print test "" transport \
    "$TPL/transport.txt" A4 "$T/x.ps"
expect_err "the print scheduler at $server is not running" \
    "the server from \$CUPS_SERVER when none is given"

done_testing
