# SPDX-License-Identifier: ISC
# cupsd.sh - a private CUPS scheduler for printing tests (source it).
#
#	. "$top_srcdir/tests/lib/cupsd.sh"
#	cupsd_available || skip_all "$CUPSD_WHY"
#	cupsd_start "$dir" || bail_out "private cupsd: $CUPSD_WHY"
#	... print to queues "test" and "secure" on $CUPS_SERVER ...
#	cupsd_stop
#
# cupsd_restart stops the scheduler and starts it again on the same port
# with the same queues (jobs and connections of the old one are gone).
#
# cupsd_start DIR runs cupsd in the foreground (in the background of the
# shell) on a free loopback port with a byte-exact "testfile" backend and
# raw queues:
#	test	 copies each job to $CUPSD_OUT_TEST/job-N.prn
#	secure	 copies each job to $CUPSD_OUT_SECURE/job-N.prn
#	broken	 its backend fails; the job is aborted (error policy)
#	picky	 as test, into $CUPSD_OUT_PICKY, except that a job holding
#		 the text of the first line of $CUPSD_OUT_PICKY/fail-if
#		 (when that file exists) fails and is aborted
# and exports CUPS_SERVER=127.0.0.1:PORT, CUPSD_PORT, CUPSD_DIR,
# CUPSD_OUT_TEST, CUPSD_OUT_SECURE, CUPSD_OUT_PICKY, CUPSD_SPOOL.  Works as root (jobs run
# as lp) and as an ordinary user.  Needs cups and cups-client.  Returns
# non-zero, with the reason in $CUPSD_WHY, if something is missing or the
# scheduler does not come up.

CUPSD_PID=

cupsd_available() {
	CUPSD_WHY=
	for _c in cupsd lpadmin lpstat; do
		if ! command -v "$_c" >/dev/null 2>&1 &&
		    ! [ -x "/usr/sbin/$_c" ]; then
			CUPSD_WHY="$_c not installed (packages cups cups-client)"
			return 1
		fi
	done
	if ! [ -d /usr/lib/cups/filter ]; then
		CUPSD_WHY="/usr/lib/cups not found (package cups)"
		return 1
	fi
	return 0
}

# A loopback port that nothing listens on: picked from $$, then probed
# with ss(8) when it is installed.
_cupsd_port() {
	_p=$((20000 + $$ % 20000))
	_n=0
	while [ $_n -lt 50 ]; do
		if command -v ss >/dev/null 2>&1; then
			ss -ltn 2>/dev/null | grep -q "[:.]$_p " || break
		else
			break
		fi
		_p=$((_p + 1))
		_n=$((_n + 1))
	done
	echo "$_p"
}

_cupsd_conf() {
	_d=$1
	cat >"$_d/cupsd.conf" <<EOF
Listen 127.0.0.1:$CUPSD_PORT
Listen $_d/cups.sock
LogLevel debug
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
	cat >"$_d/cups-files.conf" <<EOF
FileDevice Yes
ServerRoot $_d
RequestRoot $_d/spool
TempDir $_d/spool/tmp
CacheDir $_d/cache
StateDir $_d/state
ServerBin $_d/bin
DataDir /usr/share/cups
AccessLog $_d/log/access_log
ErrorLog $_d/log/error_log
PageLog $_d/log/page_log
Printcap $_d/printcap
EOF
	if [ "$(id -u)" -eq 0 ]; then
		printf 'User lp\nGroup lp\nSystemGroup root\n' \
		    >>"$_d/cups-files.conf"
	else
		printf 'SystemGroup %s\n' "$(id -gn)" >>"$_d/cups-files.conf"
	fi
}

# The backend: copies the job (file $6 or stdin) to the directory of its
# device URI, testfile:/abs/dir, as job-N.prn.
_cupsd_backend() {
	cat >"$1/bin/backend/testfile" <<'EOF'
#!/bin/sh
if [ $# -eq 0 ]; then
	echo 'direct testfile "Unknown" "Test file backend"'
	exit 0
fi
out=${DEVICE_URI#testfile:}
if [ $# -ge 6 ]; then
	cat "$6" >"$out/job-$1.prn" || { echo "ERROR: cannot write $out" >&2; exit 1; }
else
	cat >"$out/job-$1.prn" || { echo "ERROR: cannot write $out" >&2; exit 1; }
fi
exit 0
EOF
	chmod 755 "$1/bin/backend/testfile"
	cat >"$1/bin/backend/testpicky" <<'EOF'
#!/bin/sh
if [ $# -eq 0 ]; then
	echo 'direct testpicky "Unknown" "Test file backend, failing some jobs"'
	exit 0
fi
out=${DEVICE_URI#testpicky:}
job=$out/job-$1.prn
if [ $# -ge 6 ]; then cat "$6"; else cat; fi >"$job.tmp" ||
	{ echo "ERROR: cannot write $out" >&2; exit 1; }
if [ -f "$out/fail-if" ] &&
    grep -qF -- "$(head -n 1 "$out/fail-if")" "$job.tmp"; then
	rm -f "$job.tmp"
	echo "ERROR: this job was refused by the test" >&2
	exit 1
fi
mv "$job.tmp" "$job"
EOF
	chmod 755 "$1/bin/backend/testpicky"
}

cupsd_start() {
	CUPSD_DIR=$1
	cupsd_available || return 1
	_cupsd=$(command -v cupsd || echo /usr/sbin/cupsd)
	_lpadmin=$(command -v lpadmin || echo /usr/sbin/lpadmin)
	CUPSD_PORT=$(_cupsd_port)
	mkdir -p "$CUPSD_DIR/spool/tmp" "$CUPSD_DIR/cache" "$CUPSD_DIR/state" \
	    "$CUPSD_DIR/log" "$CUPSD_DIR/bin/backend" "$CUPSD_DIR/ppd" \
	    "$CUPSD_DIR/out-test" "$CUPSD_DIR/out-secure" \
	    "$CUPSD_DIR/out-picky" || return 1
	for _x in filter daemon cgi-bin notifier monitor driver; do
		[ -e "/usr/lib/cups/$_x" ] &&
		    ln -sf "/usr/lib/cups/$_x" "$CUPSD_DIR/bin/$_x"
	done
	_cupsd_backend "$CUPSD_DIR"
	_cupsd_conf "$CUPSD_DIR"
	if [ "$(id -u)" -eq 0 ]; then
		# The backend runs as lp: it must reach the output dirs.
		# Open up (o+x) those of our parents that are closed.
		_t=$CUPSD_DIR
		while [ "$_t" != / ] && [ -n "$_t" ]; do
			case $(stat -c %A "$_t") in
			?????????[xt]) ;;
			*) chmod o+x "$_t" || return 1 ;;
			esac
			_t=$(dirname "$_t")
		done
		chmod 755 "$CUPSD_DIR"
		chown lp "$CUPSD_DIR/out-test" "$CUPSD_DIR/out-secure" \
		    "$CUPSD_DIR/out-picky"
	fi
	if ! "$_cupsd" -t -c "$CUPSD_DIR/cupsd.conf" \
	    -s "$CUPSD_DIR/cups-files.conf" >"$CUPSD_DIR/log/check" 2>&1; then
		CUPSD_WHY="cupsd -t: $(tail -n 1 "$CUPSD_DIR/log/check")"
		return 1
	fi
	_cupsd_run "$_cupsd" || return 1
	CUPS_SERVER=127.0.0.1:$CUPSD_PORT
	CUPSD_OUT_TEST=$CUPSD_DIR/out-test
	CUPSD_OUT_SECURE=$CUPSD_DIR/out-secure
	CUPSD_OUT_PICKY=$CUPSD_DIR/out-picky
	CUPSD_SPOOL=$CUPSD_DIR/spool
	export CUPS_SERVER CUPSD_PORT CUPSD_DIR CUPSD_OUT_TEST \
	    CUPSD_OUT_SECURE CUPSD_OUT_PICKY CUPSD_SPOOL
	for _q in test:out-test secure:out-secure broken:missing; do
		if ! "$_lpadmin" -h "$CUPS_SERVER" -p "${_q%%:*}" \
		    -v "testfile:$CUPSD_DIR/${_q#*:}" -E -m raw \
		    >>"$CUPSD_DIR/log/lpadmin" 2>&1; then
			CUPSD_WHY="lpadmin ${_q%%:*} failed: $(tail -n 1 \
			    "$CUPSD_DIR/log/lpadmin")"
			cupsd_stop
			return 1
		fi
	done
	if ! "$_lpadmin" -h "$CUPS_SERVER" -p picky \
	    -v "testpicky:$CUPSD_DIR/out-picky" -E -m raw \
	    >>"$CUPSD_DIR/log/lpadmin" 2>&1; then
		CUPSD_WHY="lpadmin picky failed: $(tail -n 1 \
		    "$CUPSD_DIR/log/lpadmin")"
		cupsd_stop
		return 1
	fi
	for _q in broken picky; do
		"$_lpadmin" -h "$CUPS_SERVER" -p "$_q" \
		    -o printer-error-policy=abort-job \
		    >>"$CUPSD_DIR/log/lpadmin" 2>&1
	done
	return 0
}

# _cupsd_run CUPSD: run it in the background and wait until it answers.
_cupsd_run() {
	# Output redirected: a caller reading our output must not hang.
	"$1" -f -c "$CUPSD_DIR/cupsd.conf" -s "$CUPSD_DIR/cups-files.conf" \
	    </dev/null >>"$CUPSD_DIR/log/cupsd.out" 2>&1 &
	CUPSD_PID=$!
	_n=0
	until lpstat -h "127.0.0.1:$CUPSD_PORT" -r 2>/dev/null |
	    grep -qx 'scheduler is running'; do
		_n=$((_n + 1))
		if [ $_n -gt 100 ] || ! kill -0 "$CUPSD_PID" 2>/dev/null; then
			CUPSD_WHY="cupsd did not start (see $CUPSD_DIR/log)"
			cupsd_stop
			return 1
		fi
		sleep 0.1
	done
	return 0
}

cupsd_restart() {
	cupsd_stop
	_cupsd_run "$(command -v cupsd || echo /usr/sbin/cupsd)"
}

cupsd_stop() {
	if [ -n "$CUPSD_PID" ]; then
		kill "$CUPSD_PID" 2>/dev/null
		wait "$CUPSD_PID" 2>/dev/null
		CUPSD_PID=
	fi
}

# cupsd_for_test CLEANUP: in a test script that sourced tests/lib/
# common.sh, skip unless ghostscript and CUPS are there, start the private
# cupsd in $T/cups, stop it on exit after running CLEANUP (the script's
# own), and point the test configuration's queues at it (PRINTER=test,
# PIN_PRINTER=secure).
cupsd_for_test() {
	command -v gs >/dev/null 2>&1 || skip_all "ghostscript not installed"
	cupsd_available || skip_all "$CUPSD_WHY"
	trap "cupsd_stop; $1" EXIT
	# installed but not starting: a failure, not a skip
	cupsd_start "$T/cups" || bail_out "private cupsd: $CUPSD_WHY"
	PRINTER=test PIN_PRINTER=secure
	export PRINTER PIN_PRINTER
}
