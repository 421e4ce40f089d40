#!/bin/sh
# SPDX-License-Identifier: ISC
# signals.sh - SIGHUP and SIGTERM delivered to 'certdesk collect' at each
# step take the cancel path: exit 4, the files it wrote removed, its
# certificates pending revocation (and revoked by the sweep), the request
# collectable again, and "cancelled" in the audit trail.  Each step is
# held open deterministically:
#   password  --password-fd from a FIFO nobody writes yet
#   issue     the store's write lock held by sqlite3 while it records the
#             first certificate
#   package   pfx_ and mac_iterations = 600000, the most allowed (about
#             a second per package)
#   deliver   --nss-password-fd from a FIFO, read after the FileStore
#             package was written and before the personal store import
#   print     the PIN mailer on a private cupsd queue whose backend sleeps
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
. "$top_srcdir/tests/rel/lib.sh"

setup_store
mkdir "$T/out"
mkfifo "$T/fifo"
# The personal store has a password, so a SystemStore collection asks
# for it (at --nss-password-fd) after its files are written: the
# "deliver" step is held there.
command -v certutil >/dev/null 2>&1 || skip_all "certutil not installed (libnss3-tools)"
printf 'Nss-Signals-Pw-8\n' >"$T/dbpw"
mkdir -p "$T/nssdb"
certutil -N -d "sql:$T/nssdb" -f "$T/dbpw" >/dev/null 2>&1 ||
    bail_out "certutil cannot create the personal store"

cups=
if cupsd_available; then
	cupsd_start "$T/cups" || bail_out "private cupsd: $CUPSD_WHY"
	trap 'cupsd_stop; rm -rf "$T"' EXIT
	# a queue whose backend takes 60 s: the collection waits in "print",
	# and a signal must stop that wait (the job is cancelled) long before
	cat >"$CUPSD_DIR/bin/backend/slowfile" <<'SH'
#!/bin/sh
[ $# -eq 0 ] && { echo 'direct slowfile "Unknown" "Slow test backend"'; exit 0; }
out=${DEVICE_URI#slowfile:}
touch "$out/started-$1"
sleep 60
if [ $# -ge 6 ]; then cat "$6"; else cat; fi >/dev/null
exit 0
SH
	chmod 755 "$CUPSD_DIR/bin/backend/slowfile"
	if lpadmin -h "$CUPS_SERVER" -p slow -v "slowfile:$CUPSD_OUT_TEST" \
	    -E -m raw >>"$CUPSD_DIR/log/lpadmin" 2>&1; then
		cups=yes
		sed -i "s|^pin_printer = .*|pin_printer = slow|; s|^cups_server = .*|cups_server = $CUPS_SERVER|" "$CONF"
	else
		CUPSD_WHY="lpadmin slow failed"
	fi
fi

# one_case SIG STEP: start a collection, hold it at STEP, signal it
one_case() {
	sig=$1 step=$2
	case $step in
	deliver) prof=system ;;
	print) prof=generated ;;
	*) prof=user-pin ;;
	esac
	id=$(new_req Susan.Smith "$prof")
	dir=$T/out/$sig-$step
	mkdir "$dir"
	held=yes
	case $step in
	password)
		"$CERTDESK" -c "$CONF" collect "$id" --folder "$dir" \
		    --password-fd 3 3<"$T/fifo" >"$T/bg.out" 2>"$T/bg.err" &
		BG_PID=$!
		exec 4>"$T/fifo"
		wait_until 10 status_is "$id" being-collected || held=
		kill -"$sig" "$BG_PID"
		bg_finish 5
		exec 4>&- ;;
	issue)
		"$CERTDESK" -c "$CONF" collect "$id" --folder "$dir" \
		    --password-fd 3 3<"$T/fifo" >"$T/bg.out" 2>"$T/bg.err" &
		BG_PID=$!
		exec 4>"$T/fifo"
		wait_until 10 status_is "$id" being-collected || held=
		lock_store || held=
		printf '%s\n' "$PW" >&4
		exec 4>&-
		sleep 0.5
		kill -"$sig" "$BG_PID"
		sleep 0.3
		unlock_store
		bg_finish 10 ;;
	package)
		sed -i -e 's/^pfx_iterations = .*/pfx_iterations = 600000/' \
		    -e 's/^mac_iterations = .*/mac_iterations = 600000/' "$CONF"
		bg_start collect "$id" --folder "$dir" --password-file "$T/pw.$id"
		wait_until 10 ncerts_is "$id" 2 || held=
		kill -"$sig" "$BG_PID"
		bg_finish 15
		sed -i -e 's/^pfx_iterations = .*/pfx_iterations = 2048/' \
		    -e 's/^mac_iterations = .*/mac_iterations = 2048/' "$CONF" ;;
	deliver)
		"$CERTDESK" -c "$CONF" collect "$id" --folder "$dir" \
		    --password-file "$T/pw.$id" --nss-password-fd 3 \
		    3<"$T/fifo" >"$T/bg.out" 2>"$T/bg.err" &
		BG_PID=$!
		exec 4>"$T/fifo"
		wait_until 10 test -f "$dir/Susan.Smith Signing.pfx" || held=
		kill -"$sig" "$BG_PID"
		bg_finish 5
		exec 4>&- ;;
	print)
		rm -f "$CUPSD_OUT_TEST"/started-*
		bg_start collect "$id" --folder "$dir"
		wait_until 15 sh -c "ls '$CUPSD_OUT_TEST' | grep -q started-" || held=
		kill -"$sig" "$BG_PID"
		# 15 s: well before the job could end; exit 999 if it waited
		bg_finish 15 ;;
	esac
	what="SIG$sig during $step"
	check "$what: the collection was held at that step" test -n "$held"
	expect_rc 4 "$what: exit 4 (cancelled)"
	expect_err "cancelled" "$what: it says it was cancelled"
	check "$what: the files it wrote are removed" test -z "$(ls -A "$dir")"
	if [ "$step" = password ]; then
		rolled_back_certs "$what" "$id" none
	else
		rolled_back_certs "$what" "$id"
	fi
	cd_ audit
	expect_out "collect\.cancel +request $id +cancelled " \
	    "$what: the audit trail says cancelled"
}

for sig in HUP TERM; do
	for step in password issue package deliver print; do
		if [ "$step" = print ] && [ -z "$cups" ]; then
			skip_n 7 "SIG$sig during print" "private cupsd: $CUPSD_WHY"
			continue
		fi
		one_case "$sig" "$step"
	done
done

CERTDESK_CLOCK_OFFSET=1000 run "$CERTDESK" -c "$CONF" sweep
expect_out '^0 attempts aborted, [1-9][0-9]* certificates revoked, 0 waiting' \
    "the sweep revokes the cancelled attempts' certificates after the delay"
check "invariants hold afterwards" inv_check "$T/out"
done_testing
