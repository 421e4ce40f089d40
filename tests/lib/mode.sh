# SPDX-License-Identifier: ISC
# mode.sh - which implementation of the client API the shell suites
# drive (sourced by tests/lib/common.sh, after tap.sh).
#
# CERTDESK_TEST_MODE=embedded (the default): certdesk opens the engine
# in-process, as it always did.
# CERTDESK_TEST_MODE=server: a real certdeskd serves the test's data
# directory on a private socket ($MODE_SOCK, under $T/srv) and every
# client invocation made through cd_, cd_as and the TUI's start (tests/
# tui/lib.sh) goes to it (CERTDESK_MODE=server, CERTDESK_SOCKET).  Local
# administration (init, store, ca init) stays local, on a stopped
# server.  certdeskd starts at the first client call and is restarted
# when $CONF's contents or $CERTDESK_CLOCK_OFFSET have changed since it
# started, so a test that rewrites its configuration needs nothing more;
# certdeskd gets the test clock in its environment (cd_env, common.sh).
# Run as root, certdeskd gets --allow-root: the peer is then uid 0, as
# the embedded client's user is, so "--as LOGON" (cd_as) means the same
# in both modes.  It stops at the end of the script (mode_cleanup, from
# the EXIT traps of common.sh and tests/tui/lib.sh); a script that is
# killed, or whose own trap forgets it, leaves a watcher that stops
# certdeskd within a second of the script's shell going away.
#
#   mode_is MODE            0 when this run is in MODE (embedded|server)
#   in_mode MODE            the same, read as a guard for checks that only
#                           mean something in one mode (the test clock in
#                           the client, fault injection in the collecting
#                           process, $T/data read by the client):
#                             in_mode embedded && check "..." ...
#                           The check is then not run, not skipped: keep
#                           the plan late (done_testing) or computed.
#   mode_client_env         the environment (VAR=value ...) that sends a
#                           client to the server; empty in embedded mode
#   mode_ensure             certdeskd up with the current $CONF (server
#                           mode; nothing in embedded mode); 1 when it
#                           cannot start (the reason is in $MODE_LOG)
#   mode_restart [VAR=VALUE ...]
#                           restart certdeskd now, with VAR=VALUE in its
#                           environment until the next restart (such as
#                           CERTDESK_FAULT=after-issue: certdeskd then
#                           kills itself at that point, and the next
#                           client call starts a fresh one)
#   mode_stop               stop certdeskd (the next client call restarts)
#   mode_run [VAR=VALUE ...] CERTDESK ARGS
#                           what cd_ and cd_env (common.sh) run
#   CERTDESK_TEST_SWEEP=N   certdeskd's --sweep-interval (default 0: no
#                           sweep on a timer; tests sweep when they mean to)
#   mode_sweep              certdeskd's own sweep, now, as its timer runs
#                           it (with the current $CERTDESK_CLOCK_OFFSET):
#                           restarted with a timer, it sweeps once at
#                           start; returns once its log says the sweep is
#                           done (1 if it did not).  Nothing in embedded
#                           mode, where 'certdesk sweep' is the engine's.
#                           A restart cancels the collections certdeskd
#                           holds open: sweep so when none is.
#   mode_refused ERE        certdeskd's last start, with the current $CONF
#                           and clock, failed saying something that
#                           matches ERE (in $MODE_LOG); 1 in embedded mode
#   mode_cleanup            mode_stop, for EXIT traps
#
# State lives in files under $MODE_DIR, not in shell variables, because
# cd_ is often called inside $(...): a server started there is still
# known to the script's shell.

CERTDESK_TEST_MODE=${CERTDESK_TEST_MODE:-embedded}
case $CERTDESK_TEST_MODE in
embedded|server) ;;
*)	bail_out "CERTDESK_TEST_MODE is '$CERTDESK_TEST_MODE': embedded or server" ;;
esac
: "${CERTDESKD:=${top_builddir:-.}/certdeskd}"
MODE_DIR=$T/srv
MODE_SOCK=$MODE_DIR/sock
MODE_LOG=$MODE_DIR/certdeskd.log
MODE_MAIN=$$			# the script's shell (also inside $(...))
unset CERTDESK_MODE CERTDESK_SOCKET

mode_is() { [ "$CERTDESK_TEST_MODE" = "$1" ]; }
in_mode() { mode_is "$1"; }

mode_client_env() {
	mode_is server &&
	    printf 'CERTDESK_MODE=server CERTDESK_SOCKET=%s' "$MODE_SOCK"
	return 0
}

# mode_alive PID: the process exists and is not a zombie
mode_alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	case $(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$1/stat" \
	    2>/dev/null) in
	Z|X) return 1 ;;
	esac
	return 0
}

# What certdeskd was started with: the configuration and the test clock.
mode_signature() {
	printf '%s %s\n' "$(cksum <"$CONF" 2>/dev/null)" \
	    "${CERTDESK_CLOCK_OFFSET:-}"
}

# mode_is_local ARGS: the command is local administration (by design
# never through the server): init, store ..., ca init
mode_is_local() {
	while [ $# -gt 0 ]; do
		case $1 in
		-c|-S|--as|--socket) [ $# -ge 2 ] || return 1; shift 2 ;;
		-*)	shift ;;
		init|store) return 0 ;;
		ca)	[ "${2:-}" = init ]; return ;;
		*)	return 1 ;;
		esac
	done
	return 1
}

mode_stop() {
	[ -f "$MODE_DIR/pid" ] || return 0
	_mp=$(cat "$MODE_DIR/pid")
	rm -f "$MODE_DIR/pid" "$MODE_DIR/sig"
	kill -TERM "$_mp" 2>/dev/null
	_mi=0
	while mode_alive "$_mp" && [ $_mi -lt 100 ]; do
		sleep 0.05
		_mi=$((_mi + 1))
	done
	if mode_alive "$_mp"; then
		diag "certdeskd (pid $_mp) ignored SIGTERM for 5 s: killed"
		kill -KILL "$_mp" 2>/dev/null
	fi
	return 0
}
mode_cleanup() { mode_stop; }

# mode_start: certdeskd on $MODE_SOCK, detached from the script's shell
# (a "wait" in a test never waits for it), with a watcher that stops it
# when the script's shell is gone.
mode_start() {
	mkdir -p "$MODE_DIR" || return 1
	rm -f "$MODE_SOCK" "$MODE_DIR/pid"
	_root=
	[ "$(id -u)" -eq 0 ] && _root=--allow-root
	echo "--- certdeskd $(date +%T) ${MODE_SRV_ENV:-}" >>"$MODE_LOG"
	_from=$(wc -l <"$MODE_LOG")
	(
		# shellcheck disable=SC2086 # word splitting wanted
		env ${MODE_SRV_ENV:-} "$CERTDESKD" -c "$CONF" -s "$MODE_SOCK" \
		    --sweep-interval "${CERTDESK_TEST_SWEEP:-0}" $_root \
		    </dev/null >>"$MODE_LOG" 2>&1 &
		_sp=$!
		echo "$_sp" >"$MODE_DIR/pid"
		(
			while kill -0 "$MODE_MAIN" 2>/dev/null; do
				kill -0 "$_sp" 2>/dev/null || exit 0
				sleep 1
			done
			kill -TERM "$_sp" 2>/dev/null
		) </dev/null >/dev/null 2>&1 &
	)
	_mp=$(cat "$MODE_DIR/pid")
	mode_signature >"$MODE_DIR/sig"
	_mi=0
	# up to 30 s: a sanitizer build on a busy machine starts slowly
	while [ $_mi -lt 600 ]; do
		[ -S "$MODE_SOCK" ] && tail -n "+$_from" "$MODE_LOG" |
		    grep -q "^certdeskd: serving" && return 0
		mode_alive "$_mp" || break
		sleep 0.05
		_mi=$((_mi + 1))
	done
	diag "certdeskd did not start:"
	tail -n "+$((_from + 1))" "$MODE_LOG" | tail -n 3 |
	    sed 's/^/  /' | while read -r l; do diag "  $l"; done
	mode_stop
	mode_signature >"$MODE_DIR/failed"
	return 1
}

mode_ensure() {
	mode_is server || return 0
	_sig=$(mode_signature)
	if [ -f "$MODE_DIR/pid" ] &&
	    [ "$(cat "$MODE_DIR/sig" 2>/dev/null)" = "$_sig" ] &&
	    mode_alive "$(cat "$MODE_DIR/pid")"; then
		return 0
	fi
	# the same configuration already failed: do not wait for it again
	[ "$(cat "$MODE_DIR/failed" 2>/dev/null)" = "$_sig" ] && return 1
	mode_stop
	mode_start
}

mode_refused() {
	mode_is server || return 1
	[ "$(cat "$MODE_DIR/failed" 2>/dev/null)" = "$(mode_signature)" ] ||
	    return 1
	awk '/^--- certdeskd /{ s = ""; next } { s = s $0 "\n" }
	    END { printf "%s", s }' "$MODE_LOG" | grep -qE -- "$1"
}

mode_sweep() {
	mode_is server || return 0
	_ms_was=${CERTDESK_TEST_SWEEP-}
	CERTDESK_TEST_SWEEP=86400
	_ms_from=$(cat "$MODE_LOG" 2>/dev/null | wc -l)
	mode_restart
	_ms_rc=$?
	CERTDESK_TEST_SWEEP=$_ms_was
	[ -n "$_ms_was" ] || unset CERTDESK_TEST_SWEEP
	[ $_ms_rc -eq 0 ] || return 1
	_mi=0
	while [ $_mi -lt 200 ]; do
		tail -n "+$((_ms_from + 1))" "$MODE_LOG" |
		    grep -q '^certdeskd: sweep: [0-9]' && return 0
		tail -n "+$((_ms_from + 1))" "$MODE_LOG" |
		    grep -q '^certdeskd: sweep: ' && break
		sleep 0.05
		_mi=$((_mi + 1))
	done
	diag "certdeskd's sweep: $(tail -n 1 "$MODE_LOG")"
	return 1
}

mode_restart() {
	mode_is server || return 0
	MODE_SRV_ENV="$*"
	rm -f "$MODE_DIR/failed"
	mode_stop
	mode_start
}

# mode_run [VAR=VALUE ...] CMD ARGS...: run (common.sh) a certdesk
# client invocation in the current mode, VAR=VALUE in its environment;
# ARGS are certdesk's (after CMD)
mode_run() {
	_menv=
	while :; do
		case ${1:-} in
		[A-Za-z_]*=*) _menv="$_menv $1"; shift ;;
		*)	break ;;
		esac
	done
	_prog=$1; shift
	if ! mode_is server; then
		if [ -z "$_menv" ]; then
			run "$_prog" "$@"
		else
			# shellcheck disable=SC2086 # VAR=VALUE words
			run env $_menv "$_prog" "$@"
		fi
		return
	fi
	if mode_is_local "$@"; then
		mode_stop
		rm -f "$MODE_DIR/failed"
		# shellcheck disable=SC2086
		run env $_menv "$_prog" "$@"
		return
	fi
	mode_ensure
	# shellcheck disable=SC2086
	run env $_menv CERTDESK_MODE=server CERTDESK_SOCKET="$MODE_SOCK" \
	    "$_prog" "$@"
}
