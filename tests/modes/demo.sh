#!/bin/sh
# SPDX-License-Identifier: ISC
# demo.sh - the server part of 'make demo-server' (tests/modes/
# demo-server.sh) on a demo data set made as 'make demo' makes it:
# certdeskd starts on it, answers on its socket as the invoking user,
# stops, and is stopped when the operator interface of 'run' ends (here
# at once: no terminal).
. "${top_srcdir:-.}/tests/lib/common.sh"
need_cmd curl
DS=$top_srcdir/tests/modes/demo-server.sh
CERTDESKD=${CERTDESKD:-$top_builddir/certdeskd}
export CERTDESK CERTDESKD
D=$T/demo
gone() { ! mode_alive "$1"; }
mkdir -p "$D"
sed -e "s|^datadir *=.*|datadir = $D/data|" \
    -e "s|^templatedir *=.*|templatedir = $top_srcdir/etc/templates|" \
    "$top_srcdir/etc/certdesk.conf" >"$D/certdesk.conf"
run "$CERTDESK" -c "$D/certdesk.conf" init --demo
[ "$RC" -eq 0 ] || bail_out "init --demo failed: $(head -n 3 "$ERR")"

run sh "$DS" start "$D"
expect_rc 0 "start: certdeskd serves the demo data"
expect_out "serves $D/data on $D/run/certdesk.sock" "and says where"
pid=$(cat "$D/run/certdeskd.pid" 2>/dev/null)
check "it runs" kill -0 "${pid:-0}"
run sh "$DS" status "$D"
expect_rc 0 "status: running"
run curl -s --unix-socket "$D/run/certdesk.sock" http://localhost/v1/whoami
expect_rc 0 "it answers on its socket"
expect_out "\"unix_login\":\"$(id -un)\"" "and knows the invoking user"
run sh "$DS" stop "$D"
expect_rc 0 "stop"
expect_out "certdeskd stopped" "says so"
check "certdeskd has ended" gone "$pid"
run sh "$DS" status "$D"
expect_rc 1 "status: not running"

# run: the operator interface needs a terminal, so here it ends at once
# (usage); the server it started must not outlive it
run sh "$DS" run "$D" </dev/null
expect_err "usage: certdesk" "run: the operator interface ran (no terminal here)"
expect_out "certdeskd serves .* on " "run started certdeskd"
expect_out "certdeskd stopped" "and stopped it when the interface ended"
run sh "$DS" status "$D"
expect_rc 1 "nothing left running"

rm -rf "$D/data"
run sh "$DS" start "$D"
expect_rc 1 "start without a demo data set: refused"
expect_err "no demo data set" "saying what to run"
done_testing
