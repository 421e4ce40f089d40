#!/bin/sh
# SPDX-License-Identifier: ISC
# start.sh - certdeskd's start-up: it refuses root (unless --allow-root)
# and a data directory that is not 0700 and its own; its socket is 0666
# in a 0755 folder; it takes a socket from systemd socket activation;
# SIGTERM stops it cleanly.
. "$top_srcdir/tests/server/lib.sh"
srv_setup || skip_all "set-up failed"

run "$CERTDESKD" -c "$CONF" -s "$SOCK"
expect_rc 1 "root is refused"
expect_err "refusing to run as root" "and told why"
chmod 750 "$T/data"
as "$SRV_USER" "$CERTDESKD" -c "$CONF" -s "$SOCK"
expect_rc 1 "a data directory of mode 0750 is refused"
expect_err "mode 0750: it must be 0700" "and told why"
chmod 700 "$T/data"
chown root "$T/data"
as "$OP1" "$CERTDESKD" -c "$CONF" -s "$SOCK"
expect_rc 1 "a data directory that is not the server's own is refused"
chown "$SRV_USER" "$T/data"
run "$CERTDESKD" --list-routes
check "--list-routes lists the /v1 routes" grep -q '^GET /v1/whoami$' "$OUT"

srv_start
check "certdeskd starts as $SRV_USER" kill -0 "$SRV_PID"
check "the socket is 0666" test "$(stat -c %a "$SOCK")" = 666
check "its folder is 0755" test "$(stat -c %a "$T/run")" = 755
api "$OP1" GET /v1/whoami
expect_status 200 "an operator connects"
srv_stop
check "SIGTERM stops it with status 0" test "$SRV_RC" -eq 0

# --allow-root (for tests): root's peer then acts only as itself.
"$CERTDESKD" -c "$CONF" -s "$SOCK" --allow-root --sweep-interval 0 \
    2>"$T/certdeskd.log" &
SRV_PID=$!
chown -R root "$T/data"
wait_socket && ok "root runs it with --allow-root" || not_ok "--allow-root"
srv_stop
chown -R "$SRV_USER" "$T/data"

# Socket activation: systemd-socket-activate passes the socket (fd 3).
if command -v systemd-socket-activate >/dev/null &&
    command -v setpriv >/dev/null; then
	ASOCK=$T/run/activated.sock
	systemd-socket-activate -l "$ASOCK" setpriv --reuid="$SRV_USER" \
	    --regid="$SRV_USER" --init-groups "$CERTDESKD" -c "$CONF" \
	    -s "$T/run/unused.sock" --sweep-interval 0 2>"$T/act.log" &
	SRV_PID=$!
	i=0
	while [ $i -lt 300 ] && [ ! -S "$ASOCK" ]; do sleep 0.1; i=$((i + 1)); done
	SOCK=$ASOCK
	api root GET /v1/whoami "" -H "X-Certdesk-As: $OP2"
	expect_status 200 "a request through the activated socket"
	expect_out "\"logon\":\"$OP2\"" "answered by certdeskd"
	check "it did not make a socket of its own" test ! -e "$T/run/unused.sock"
	check "it says it serves the activated socket" \
		grep -q 'an activated socket' "$T/act.log"
	srv_stop
else
	not_ok "systemd-socket-activate and setpriv are needed"
fi
done_testing
