# SPDX-License-Identifier: ISC
# lib.sh - helpers for certdeskd's tests: real Unix users (a system user
# for the server, operators for the clients), a private data directory and
# socket, and a certdeskd running as that system user.
#
# The users are created once (useradd) and reused by later runs: set-up is
# idempotent, and a parallel test never loses a user another one uses.
# CERTDESK_TEST_USERDEL=1 removes them when the script ends.
# These suites start their own certdeskd (srv_start) and run clients
# themselves: cd_ stays in-process whatever CERTDESK_TEST_MODE says.
CERTDESK_TEST_MODE=embedded
. "$top_srcdir/tests/lib/common.sh"
CERTDESKD=$top_builddir/certdeskd
SRV_USER=cdtest-srv
OP1=cdtest-op1		# requester and collector
OP2=cdtest-op2		# approver
OP3=cdtest-op3		# no roles at all
SOCK=$T/run/certdesk.sock
SRV_PID=

# need_root: these tests create users and switch to them.
need_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (useradd, runuser)"
	for c in useradd runuser setpriv curl; do
		command -v "$c" >/dev/null 2>&1 || skip_all "no $c"
	done
}

# ensure_user NAME [--system]: create the user unless it exists (retried:
# two scripts may both be taking the passwd lock).
ensure_user() {
	u=$1; shift
	i=0
	while ! id -u "$u" >/dev/null 2>&1; do
		useradd "$@" --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin "$u" >/dev/null 2>&1 && break
		i=$((i + 1))
		[ $i -lt 20 ] || { echo "# cannot create user $u"; return 1; }
		sleep 0.5
	done
}

srv_users() {
	ensure_user "$SRV_USER" --system &&
	ensure_user "$OP1" && ensure_user "$OP2" && ensure_user "$OP3"
}

# as USER CMD...: run a command as a real user (no shell of theirs).
as() { u=$1; shift; run runuser -u "$u" -- "$@"; }

# srv_setup: users, a configuration with a [server] section, a data
# directory owned by the server's user (0700) holding a store whose
# operators are the test users.
srv_setup() {
	need_root
	srv_users || return 1
	chmod 755 "$T"
	write_conf
	cat >>"$CONF" <<CONF

[server]
socket = $SOCK
body_limit = ${BODY_LIMIT:-65536}
idle_timeout = ${IDLE_TIMEOUT:-5}
workers = ${WORKERS:-4}
CONF
	mkdir -p "$T/data" "$T/run"
	chown "$SRV_USER" "$T/data" "$T/run"
	chmod 700 "$T/data"
	chmod 755 "$T/run"
	as "$SRV_USER" "$CERTDESK" -c "$CONF" init --ca-name "certdesk test CA"
	[ "$RC" -eq 0 ] || { echo "# init failed: $(cat "$ERR")"; return 1; }
	srv_admin person add --logon "$OP1" --name "Olga Operator" \
	    --email op1@example.com --roles view,request,collect &&
	srv_admin person add --logon "$OP2" --name "Arne Approver" \
	    --email op2@example.com --roles view,approve,validate &&
	srv_admin person add --logon "$OP3" --name "Nora Noroles" \
	    --email op3@example.com --roles "" &&
	srv_admin person add --logon Susan.Smith --name "Susan Smith" \
	    --email susan@example.com --roles view
}

# srv_admin ARGS: certdesk as the server's user (the store's administrator).
srv_admin() {
	as "$SRV_USER" "$CERTDESK" -c "$CONF" "$@"
	[ "$RC" -eq 0 ] || { echo "# certdesk $*: $(cat "$ERR")"; return 1; }
}

# wait_socket: until the server answers (30 s at most).
wait_socket() {
	i=0
	while [ $i -lt 300 ]; do
		curl -s -o /dev/null --unix-socket "$SOCK" \
		    http://localhost/v1/whoami 2>/dev/null && return 0
		i=$((i + 1))
		sleep 0.1
	done
	echo "# certdeskd does not answer on $SOCK"
	sed 's/^/#   certdeskd: /' "$T/certdeskd.log" 2>/dev/null | tail -5
	return 1
}

# srv_start [ARGS]: certdeskd as the server's user on $SOCK.
# srv_searchers N DIR: N clients in the background, alternately $OP1 and
# $OP2, each making 4 searches over the socket and writing each HTTP
# status (or "curl-failed") as a line of DIR/I; their pids are added to
# $pids.
srv_searchers() {
	i=0
	while [ $i -lt "$1" ]; do
		u=$OP1; [ $((i % 2)) -eq 0 ] && u=$OP2
		( runuser -u "$u" -- sh -c 'for k in 1 2 3 4; do
			curl -s -o /dev/null -w "%{http_code}\n" \
			    --unix-socket "$1" \
			    "http://localhost/v1/requests?name=susan&limit=50" ||
			    echo curl-failed
		done' sh "$SOCK" >"$2/$i" 2>&1 ) &
		pids="${pids:-} $!"
		i=$((i + 1))
	done
}

# srv_add_sysgen: a profile with a generated password whose package goes
# to the personal store (SystemStore), added to $CONF.
srv_add_sysgen() {
	cat >>"$CONF" <<'CONF'

[profile.sysgen]
name = Personal store, generated password
password = generated
password_min = 12
policies = store
pin_mailer_template = pin-mailer.txt
CONF
}

srv_start() {
	# setpriv execs (runuser forks): $SRV_PID is certdeskd itself.
	setpriv --reuid="$SRV_USER" --regid="$SRV_USER" --init-groups \
	    "$CERTDESKD" -c "$CONF" -s "$SOCK" --sweep-interval 0 "$@" \
	    2>"$T/certdeskd.log" &
	SRV_PID=$!
	wait_socket
}

srv_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_RC=$?
	SRV_PID=
}

# api USER METHOD PATH [BODY] [CURL ARGS...]: one request as USER; the
# body of the reply in $OUT, the HTTP status in $STATUS.
api() {
	u=$1 m=$2 p=$3; shift 3
	b=
	if [ $# -gt 0 ]; then b=$1; shift; fi
	if [ -n "$b" ]; then
		set -- -H 'Content-Type: application/json' --data-binary "$b" "$@"
	fi
	runuser -u "$u" -- curl -s -w '%{stderr}%{http_code}' -X "$m" \
	    --unix-socket "$SOCK" "$@" "http://localhost$p" >"$OUT" 2>"$ERR"
	RC=$?
	STATUS=$(cat "$ERR")
}

expect_status() {
	want=$1; shift
	if [ "$STATUS" = "$want" ]; then ok "$*"; else
		not_ok "$* (HTTP $STATUS, expected $want)"; fi
}

srv_cleanup() {
	srv_stop
	rm -rf "$T"
	if [ "${CERTDESK_TEST_USERDEL:-0}" = 1 ]; then
		for u in "$OP1" "$OP2" "$OP3" "$SRV_USER"; do
			userdel "$u" 2>/dev/null
		done
	fi
}
trap srv_cleanup EXIT
