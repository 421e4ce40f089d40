#!/bin/sh
# SPDX-License-Identifier: ISC
# units.sh - the installation pieces: the systemd unit's hardening score
# (systemd-analyze security, offline) is 2.0 or lower as certdeskd(8)
# says, the socket unit, sysusers and tmpfiles entries, and the OpenAPI
# document matches the routes certdeskd serves.
. "$top_srcdir/tests/lib/common.sh"
CERTDESKD=$top_builddir/certdeskd
UNIT=$top_builddir/etc/certdeskd.service
[ -f "$UNIT" ] || (cd "$top_builddir" && make etc/certdeskd.service) >/dev/null
if command -v systemd-analyze >/dev/null; then
	run systemd-analyze security --offline=true "$UNIT"
	x=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$OUT")
	check "systemd-analyze reports an exposure ($x)" test -n "$x"
	check "the exposure $x is 2.0 or lower" \
		awk -v x="$x" 'BEGIN { exit !(x != "" && x <= 2.0) }'
	check "certdeskd(8) gives the same figure" \
		grep -q "exposure of $x" "$top_srcdir/doc/certdeskd.8.in"
else
	not_ok "systemd-analyze is needed"
fi
check "the service runs as certdesk with its state and runtime folders" \
	sh -c "grep -q '^User=certdesk' '$UNIT' && grep -q '^StateDirectory=certdesk' '$UNIT' && grep -q '^RuntimeDirectory=certdesk' '$UNIT'"
check "the socket unit listens on /run/certdesk/certdesk.sock, 0666" \
	sh -c "grep -q '^ListenStream=/run/certdesk/certdesk.sock' '$top_srcdir/etc/certdeskd.socket' && grep -q '^SocketMode=0666' '$top_srcdir/etc/certdeskd.socket'"
check "sysusers.d makes the certdesk user" \
	grep -q '^u certdesk ' "$top_srcdir/etc/certdesk.sysusers"
check "tmpfiles.d makes /var/lib/certdesk 0700" \
	grep -q '^d /var/lib/certdesk 0700 certdesk' "$top_srcdir/etc/certdesk.tmpfiles"
hits=$(grep -rnE '(^|[^a-z_])(printf|fprintf|puts|putchar|exit|_exit|abort|perror)[[:space:]]*\(' \
    "$top_srcdir/src/common" "$top_srcdir/src/api" --include='*.c' |
    grep -vE 'snprintf|vsnprintf|sprintf|/\*')
check "the codecs and the client API never print or exit" test -z "$hits"
hits=$(grep -rlE '#include[[:space:]]*<(n?curses|microhttpd)\.h>' \
    "$top_srcdir/src/common" "$top_srcdir/src/api")
check "nor include curses or the server's HTTP library" test -z "$hits"
if command -v python3 >/dev/null; then
	"$CERTDESKD" --list-routes >"$T/routes"
	python3 "$top_srcdir/tests/server/openapi.py" \
	    "$top_srcdir/doc/openapi.json" <"$T/routes" >"$OUT" 2>"$ERR"
	RC=$?
	sed -n 's/^ok [0-9]* - /openapi: /p' "$OUT" | while IFS= read -r l; do echo "# $l"; done
	expect_rc 0 "doc/openapi.json is valid JSON, OpenAPI 3, and has exactly the served routes"
else
	not_ok "python3 is needed"
fi
done_testing
