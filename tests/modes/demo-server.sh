#!/bin/sh
# SPDX-License-Identifier: ISC
# demo-server.sh - the server mode on the demo data set ('make
# demo-server'): certdeskd serves DEMO_DIR/data on a private socket and
# the operator interface runs as its client.
#
#   demo-server.sh start DEMO_DIR    certdeskd in the background; prints
#                                    the socket once it answers
#   demo-server.sh stop DEMO_DIR     stop it (SIGTERM, as systemd would)
#   demo-server.sh status DEMO_DIR   0 when it is running
#   demo-server.sh run DEMO_DIR      start, the operator interface in
#                                    server mode, stop when it ends
#
# DEMO_DIR holds certdesk.conf and data/ ('make demo-server' makes them
# as 'make demo' does).  certdeskd runs as the invoking user, who owns
# the demo data (as root it needs --allow-root: a demo, not a station).
# $CERTDESK and $CERTDESKD name the programs (default: ./certdesk,
# ./certdeskd).  The socket is DEMO_DIR/run/certdesk.sock, or
# $XDG_RUNTIME_DIR/certdesk-demo.sock when that path is too long for a
# Unix socket.
set -u
CERTDESK=${CERTDESK:-./certdesk}
CERTDESKD=${CERTDESKD:-./certdeskd}

die() { echo "demo-server: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: demo-server.sh start|stop|status|run DEMO_DIR"
cmd=$1
dir=$(cd "$2" 2>/dev/null && pwd) || die "no demo directory $2"
conf=$dir/certdesk.conf
run=$dir/run
pidf=$run/certdeskd.pid
log=$run/certdeskd.log
sock=$run/certdesk.sock
[ ${#sock} -lt 100 ] ||
    sock=${XDG_RUNTIME_DIR:-/tmp}/certdesk-demo-$(id -u).sock

# alive PID: running and not a zombie
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	case $(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$1/stat" \
	    2>/dev/null) in
	Z|X) return 1 ;;
	esac
}

running() { [ -f "$pidf" ] && alive "$(cat "$pidf")"; }

stop() {
	running || { rm -f "$pidf"; return 0; }
	pid=$(cat "$pidf")
	kill -TERM "$pid"
	i=0
	while alive "$pid" && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	alive "$pid" && { kill -KILL "$pid"; echo "demo-server: certdeskd" \
	    "did not stop on SIGTERM: killed" >&2; }
	rm -f "$pidf"
	echo "certdeskd stopped"
}

start() {
	[ -f "$conf" ] && [ -d "$dir/data" ] ||
	    die "$dir has no demo data set (run 'make demo-server')"
	stop >/dev/null
	mkdir -p "$run" || exit 1
	# certdeskd wants its data directory 0700 and its own
	chmod 700 "$dir/data"
	root=
	[ "$(id -u)" -eq 0 ] && root=--allow-root
	: >"$log"
	"$CERTDESKD" -c "$conf" -s "$sock" $root </dev/null >>"$log" 2>&1 &
	echo $! >"$pidf"
	i=0
	while [ $i -lt 100 ]; do
		if grep -q '^certdeskd: serving' "$log" && [ -S "$sock" ]; then
			echo "certdeskd serves $dir/data on $sock (log: $log)"
			return 0
		fi
		alive "$(cat "$pidf")" || break
		sleep 0.05
		i=$((i + 1))
	done
	cat "$log" >&2
	stop >/dev/null
	die "certdeskd did not start"
}

case $cmd in
start)	start ;;
stop)	stop ;;
status)	running && echo "certdeskd is running (pid $(cat "$pidf")," \
	    "socket $sock)" ;;
run)
	start || exit 1
	trap 'stop' EXIT
	trap 'exit 1' HUP INT TERM
	echo "the operator interface, as a client of certdeskd"
	CERTDESK_MODE=server CERTDESK_SOCKET=$sock "$CERTDESK" -c "$conf"
	;;
*)	die "unknown command $cmd (start, stop, status, run)" ;;
esac
