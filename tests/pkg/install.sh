#!/bin/sh
# SPDX-License-Identifier: ISC
# install.sh - the Debian packages on this machine: build certdesk and
# certdeskd from a clean copy of the tree (dpkg-buildpackage), read them
# with lintian --pedantic, install them with apt-get, set the server up,
# start certdeskd as its unit would (as the user certdesk, on
# /run/certdesk/certdesk.sock), serve requests of two real operators
# through it, collect one through it as an operator (the .pfx written by
# the operator's own process), then purge both packages and
# check that only the data directory /var/lib/certdesk and the user
# certdesk are left, as README.Debian says.
#
# Not part of 'make check': it installs and removes system packages and
# users.  .ci/run runs it after the test suite.  Needs root.  Idempotent:
# a previous run's packages, users and data are removed first.
# PKG_DEBS=DIR reuses packages already built in DIR.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/tap.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (apt-get, useradd)"
for c in dpkg-buildpackage apt-get lintian curl runuser setpriv useradd \
    openssl git; do
	need_cmd "$c"
done

OP1=pkgtest-op1		# requester and collector
OP2=pkgtest-op2		# approver
CONF=/etc/certdesk/certdesk.conf
SOCK=/run/certdesk/certdesk.sock
DATA=/var/lib/certdesk
W=$(mktemp -d /tmp/certdesk-pkg.XXXXXX) && chmod 755 "$W" ||
	bail_out "no scratch folder"
SRV_PID=

srv_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
}

# purge_all: the packages, and what this test made on an earlier run.
purge_all() {
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq certdesk \
	    certdeskd >/dev/null 2>&1
	rm -rf "$DATA" /run/certdesk
	for u in "$OP1" "$OP2" certdesk; do
		userdel "$u" >/dev/null 2>&1
	done
	getent group certdesk >/dev/null && groupdel certdesk >/dev/null 2>&1
	return 0
}

cleanup() {
	srv_stop
	purge_all
	rm -rf "$W"
}
trap cleanup EXIT

# Only a machine without a certdesk of its own: this test removes it.
if dpkg-query -W -f='${Status}' certdeskd 2>/dev/null | grep -q installed &&
    [ ! -f "$DATA/.certdesk-install-test" ] && [ -f "$DATA/certdesk.db" ]; then
	bail_out "certdeskd is installed with a store of its own here"
fi
purge_all

# api USER METHOD PATH [BODY]: one request on the socket as USER; the
# reply's body in $W/out, its HTTP status in $STATUS.
api() {
	u=$1 m=$2 p=$3 b=${4:-}
	if [ -n "$b" ]; then
		set -- -H 'Content-Type: application/json' --data-binary "$b"
	else
		set --
	fi
	STATUS=$(runuser -u "$u" -- curl -s -o - -w '\n%{http_code}' -X "$m" \
	    --unix-socket "$SOCK" "$@" "http://localhost$p" 2>/dev/null |
	    tee "$W/out.raw" | tail -n 1)
	sed '$d' "$W/out.raw" > "$W/out"
}

# field NAME: the first "NAME": value of the last reply (numbers and
# strings).
field() {
	sed -n "s/.*\"$1\" *: *\"\{0,1\}\([^\",}]*\).*/\1/p" "$W/out" | head -n 1
}

# check_or_show FILE DESC CMD...: check DESC CMD; when it fails, FILE's
# tail as diagnostics.
check_or_show() {
	_f=$1 _d=$2; shift 2
	if "$@"; then ok "$_d"; else
		not_ok "$_d"
		[ -f "$_f" ] && tail -n 30 "$_f" | sed 's/^/# /'
	fi
}

# ---------------------------------------------------------------- build
if [ -n "${PKG_DEBS:-}" ]; then
	DEBS=$PKG_DEBS
else
	mkdir "$W/src" &&
	(cd "$top_srcdir" && git ls-files -z) | (cd "$top_srcdir" &&
	    tar --null -cf - -T -) | tar -xf - -C "$W/src"
	(cd "$W/src" && DEB_BUILD_OPTIONS=nocheck \
	    dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1
	check_or_show "$W/build.log" \
	    "dpkg-buildpackage -us -uc -b builds from a clean tree" test $? -eq 0
	(cd "$W/src" && debian/rules clean && test ! -e debian/build &&
	    test ! -e configure && test ! -e Makefile.in) >>"$W/build.log" 2>&1
	check "debian/rules clean leaves the source tree clean" test $? -eq 0
	DEBS=$W
fi
for p in certdesk certdeskd; do
	check "package $p built" test -f "$DEBS/${p}_"*_*.deb
done
lintian --pedantic --tag-display-limit 0 "$DEBS"/certdesk_*.changes \
    >"$W/lintian.out" 2>&1
grep -E '^[EW]: ' "$W/lintian.out" > "$W/lintian.bad"
check_or_show "$W/lintian.bad" "lintian --pedantic: no errors or warnings" \
    test ! -s "$W/lintian.bad"

# ---------------------------------------------------------------- install
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    "$DEBS"/certdesk_*_*.deb "$DEBS"/certdeskd_*_*.deb >"$W/apt.log" 2>&1
check_or_show "$W/apt.log" "apt-get install ./certdesk_*.deb ./certdeskd_*.deb" \
    test $? -eq 0
dpkg-query -L certdesk certdeskd 2>/dev/null | sort -u > "$W/files"
check "the postinst made the user certdesk" sh -c 'id -u certdesk >/dev/null'
is "$(stat -c '%U %a' "$DATA" 2>/dev/null)" "certdesk 700" \
    "$DATA belongs to certdesk, mode 0700"
is "$(stat -c '%U %a' /run/certdesk 2>/dev/null)" "certdesk 755" \
    "/run/certdesk belongs to certdesk, mode 0755"
check "the server configuration is a conffile" \
    sh -c "dpkg-query -W -f='\${Conffiles}' certdeskd | grep -q ' $CONF '"
check "the units are installed" test -f /lib/systemd/system/certdeskd.socket \
    -a -f /lib/systemd/system/certdeskd.service
check "certdeskd.socket is enabled" \
    test -L /etc/systemd/system/sockets.target.wants/certdeskd.socket
check "the client's sample configuration is installed" \
    test -f /usr/share/doc/certdesk/examples/certdesk.conf
check "certdeskd(8) names the installed configuration" \
    sh -c "zcat /usr/share/man/man8/certdeskd.8.gz | grep -q '^\\.I $CONF'"
touch "$DATA/.certdesk-install-test"

# ---------------------------------------------------------------- set up
for u in "$OP1" "$OP2"; do
	id -u "$u" >/dev/null 2>&1 || useradd --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin "$u"
done
adm() { (cd / && runuser -u certdesk -- certdesk -c "$CONF" "$@"); }
adm init --ca-name "certdesk package test CA" >"$W/init.log" 2>&1
check_or_show "$W/init.log" \
    "certdesk init as certdesk on the installed configuration" test $? -eq 0
adm person add --logon "$OP1" --name "Olga Operator" \
    --email op1@example.com --roles view,request,collect >/dev/null &&
adm person add --logon "$OP2" --name "Arne Approver" \
    --email op2@example.com --roles view,approve,validate >/dev/null &&
adm person add --logon Susan.Smith --name "Susan Smith" \
    --email susan@example.com --upn susan@example.com --roles view >/dev/null
check "operators and a holder added" test $? -eq 0

# ---------------------------------------------------------------- serve
# As certdeskd.service starts it: user certdesk, the installed
# configuration, the socket of certdeskd.socket.
setpriv --reuid=certdesk --regid=certdesk --init-groups \
    /usr/sbin/certdeskd -c "$CONF" 2>"$W/certdeskd.log" &
SRV_PID=$!
i=0
while [ $i -lt 100 ] && [ ! -S "$SOCK" ]; do sleep 0.1; i=$((i + 1)); done
check_or_show "$W/certdeskd.log" "certdeskd serves $SOCK" test -S "$SOCK"

api "$OP1" GET /v1/whoami
is "$STATUS $(field unix_login)" "200 $OP1" "whoami as $OP1 names $OP1"
check "an operator cannot read $DATA" \
    sh -c "! runuser -u $OP1 -- ls $DATA >/dev/null 2>&1"

api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"mailed"}'
RQ1=$(field id)
is "$STATUS" 201 "$OP1 asks for a request needing approval (HTTP $STATUS)"
api "$OP1" POST "/v1/requests/$RQ1/approve" '{"note":"self"}'
check "$OP1 may not approve (HTTP $STATUS)" test "$STATUS" -ge 400
api "$OP2" POST "/v1/requests/$RQ1/approve" '{"note":"checked"}'
is "$STATUS" 200 "$OP2 approves it"
api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"standard"}'
RQ2=$(field id)
is "$STATUS" 201 "$OP1 asks for a request to collect"
api "$OP1" GET "/v1/requests?name=susan"
check "$OP1 finds both requests in a search" \
    sh -c "test $STATUS = 200 && grep -q '\"id\" *: *$RQ1\\b' $W/out &&
    grep -q '\"id\" *: *$RQ2\\b' $W/out"

# ---------------------------------------------------------------- collect
# The operator collects through the installed certdeskd (certdesk -S):
# the server issues and packs, the operator's own process writes the
# .pfx, which is the operator's.
mkdir "$W/out.d" && chown "$OP1" "$W/out.d"
printf 'Pkg-test-Pass1\n' > "$W/pw" && chmod 644 "$W/pw"
(cd / && runuser -u "$OP1" -- certdesk -S "$SOCK" collect "$RQ2" \
    --folder "$W/out.d" --password-fd 3 3<"$W/pw") >"$W/collect.log" 2>&1
check_or_show "$W/collect.log" "$OP1 collects $RQ2 through certdeskd" \
    test $? -eq 0
set -- "$W/out.d"/*.pfx
check "a .pfx was delivered" test -f "$1"
is "$(stat -c '%U %a' "$1" 2>/dev/null)" "$OP1 600" "it is the operator's, mode 0600"
check "it opens with its password and chains to the installed CA" sh -c "
    openssl pkcs12 -in '$1' -passin file:$W/pw -nokeys -clcerts \
	-out $W/cert.pem 2>/dev/null &&
    runuser -u certdesk -- cat $DATA/ca/ca.crt > $W/ca.crt &&
    openssl verify -CAfile $W/ca.crt $W/cert.pem >/dev/null"
api "$OP1" GET "/v1/requests/$RQ2"
check_or_show "$W/out" "the server reports request $RQ2 completed" \
    grep -q '"status" *: *"completed"' "$W/out"
srv_stop

# ---------------------------------------------------------------- purge
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq certdesk certdeskd \
    >"$W/purge.log" 2>&1
check_or_show "$W/purge.log" "apt-get purge certdesk certdeskd" test $? -eq 0
for p in certdesk certdeskd; do
	check "$p is gone from dpkg's database" \
	    sh -c "! dpkg-query -W -f='\${Status}' $p 2>/dev/null | grep -q ."
done
: > "$W/left"
while read -r f; do
	[ -e "$f" ] || continue
	# shared folders (and /lib, a link to usr/lib) stay; ours go
	if [ -d "$f" ]; then
		case $f in */certdesk|*/certdesk/*|*/certdeskd) ;;
		*) continue;; esac
	fi
	echo "$f" >> "$W/left"
done < "$W/files"
check_or_show "$W/left" "no file of the packages is left" test ! -s "$W/left"
check "/etc/certdesk is removed" test ! -e /etc/certdesk
check "/run/certdesk is removed" test ! -e /run/certdesk
check "no unit link is left" sh -c \
    "! find /etc/systemd/system -name 'certdeskd*' | grep -q ."
check "the data directory $DATA is kept" test -f "$DATA/certdesk.db"
check "the user certdesk is kept (it owns $DATA)" sh -c 'id -u certdesk >/dev/null'

done_testing
