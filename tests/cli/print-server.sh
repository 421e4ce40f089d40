#!/bin/sh
# SPDX-License-Identifier: ISC
# print-server.sh - [print] cups_server alone reaches the scheduler: with
# no CUPS_SERVER in the environment, a generated-password collection
# prints its PIN mailer on the configured private cupsd and the transport
# document follows; a wrong server in the configuration is what fails.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
cupsd_for_test 'rm -rf "$T"'
setup_store || skip_all "setup failed: $(cat "$ERR")"
server=$CUPS_SERVER
unset CUPS_SERVER
check "the configuration names the server" grep -q "^cups_server = $server\$" "$CONF"

cd_ request new --person Susan.Smith --profile generated
id=$(cat "$OUT")
mkdir "$T/out"
cd_ collect "$id" --folder "$T/out"
expect_rc 0 "collect with a generated password, no \$CUPS_SERVER"
set -- "$CUPSD_OUT_SECURE"/*
check "the PIN mailer reached the configured scheduler" test $# -eq 1 -a -f "$1"
cd_ print transport "$id"
expect_rc 0 "the transport document too"
check "on its queue" test -n "$(ls -A "$CUPSD_OUT_TEST")"

# Proof that the configuration, not a default, chose the scheduler.
sed -i "s|^cups_server = .*|cups_server = 127.0.0.1:9|" "$CONF"
cd_ print transport "$id"
expect_rc 1 "a server that is not running: printing fails"
expect_err "print scheduler at 127.0.0.1:9 is not running" "naming it"
done_testing
