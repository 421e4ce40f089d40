#!/bin/sh
# SPDX-License-Identifier: ISC
# config.sh - bad configuration files give a clear error naming the file
# and line or section and key, before anything else happens.  In server
# mode they are certdeskd's: it does not start, with the same message, and
# the client says it cannot reach it (refused, common.sh).
. "${top_srcdir:-.}/tests/lib/common.sh"

write_conf
cp "$CONF" "$T/good.conf"
bad() {
	# bad DESCRIPTION PATTERN: run with $CONF as edited, expect exit 5
	desc=$1; pat=$2
	cd_ request search
	if refused 5 "$pat"; then ok "$desc"; else
		not_ok "$desc (exit $RC)"; fi
	cp "$T/good.conf" "$CONF"
}
printf 'this line is garbage\n' >>"$CONF"
bad "syntax error names file and line" "certdesk.conf:[0-9]+"
printf '[bogus]\nx = 1\n' >>"$CONF"
bad "unknown section named" "\[bogus\]"
printf '[security]\nrevoke_dealy = 5\n' >>"$CONF"
bad "unknown key named with its section" "revoke_dealy"
sed -i 's/^revoke_delay = 300/revoke_delay = soon/' "$CONF"
bad "wrong type named" "revoke_delay"
sed -i 's/^pfx_iterations = 2048/pfx_iterations = 0/' "$CONF"
bad "out of range named" "pfx_iterations"
sed -i 's/^pfx_iterations = 2048/pfx_iterations = 600001/' "$CONF"
bad "more PKCS#12 iterations than Windows opens" "pfx_iterations: 600001 is more than 600000: Windows"
sed -i 's/^mac_iterations = 2048/mac_iterations = 5000001/' "$CONF"
bad "more MAC iterations than Java opens" "mac_iterations: .*Java"
sed -i 's/^pfx_iterations = 2048/pfx_iterations = 600000/' "$CONF"
cd_ request search
check "600000 iterations are accepted" test "$RC" -ne 5
cp "$T/good.conf" "$CONF"
sed -i 's/^policies = signing, encryption/policies = signing, nope/' "$CONF"
bad "unknown policy in a profile" "nope"
sed -i '/^pin_mailer_template/d' "$CONF"
bad "generated password without PIN mailer" "PIN mailer|pin_mailer"
sed -i 's/^subject = CN=\[\[People.FullName\]\], O=Example Test Ltd/subject = CN=[[People.Shoesize]]/' "$CONF"
bad "unknown substitution" "Shoesize"
sed -i 's/^attempt_timeout = 600/attempt_timeout = 600\nreadback = most/' "$CONF"
bad "a read-back mode that does not exist" "readback: 'most' is not one of mac, full"
mkfifo "$T/fifo.txt"
sed -i "0,/^transport_template = transport.txt/s||transport_template = $T/fifo.txt|" "$CONF"
bad "a FIFO as template is refused, not waited on" "fifo.txt is not a file"
CERTDESK_CONF=$T/missing.conf; export CERTDESK_CONF
run "$CERTDESK" request search
expect_rc 5 "a missing file named by CERTDESK_CONF"
expect_err "missing.conf" "names the file"
unset CERTDESK_CONF
done_testing
