#!/bin/sh
# SPDX-License-Identifier: ISC
# crash.sh - crash safety of 'certdesk collect': at every fault point
# (CERTDESK_FAULT, builds with --enable-fault-injection) the process
# kills itself with SIGKILL; then 'certdesk sweep', run with the clock
# past attempt_timeout and revoke_delay, must leave the store, the CRL
# and the folders satisfying both collection invariants (see lib.sh),
# and the request must be collectable again.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
. "$top_srcdir/tests/rel/lib.sh"

setup_store
LATER=$((300 + 600 + 60))	# past revoke_delay and attempt_timeout
mkdir "$T/out"

# Fault injection is not reported by 'certdesk --version'; probe it: a
# build without it completes the collection, one with it dies by SIGKILL.
probe=$(new_req John.Samson user-pin)
mkdir "$T/out/probe"
CERTDESK_FAULT=after-keygen run "$CERTDESK" -c "$CONF" collect "$probe" \
    --folder "$T/out/probe" --password-file "$T/pw.$probe"
if [ "$RC" -eq 0 ]; then
	grep -q '^#define CD_FAULT_INJECTION 1' "$top_builddir/config.h" 2>/dev/null &&
	    bail_out "config.h has fault injection but CERTDESK_FAULT did nothing"
	skip_all "certdesk was built without --enable-fault-injection"
fi
expect_rc 137 "probe: CERTDESK_FAULT=after-keygen kills the process with SIGKILL"
# a dead process alone does not make its attempt stale: only the age of
# its heartbeat does
run "$CERTDESK" -c "$CONF" sweep
expect_out '^0 attempts aborted' "probe: a sweep now leaves the dead attempt (its heartbeat is recent)"
check "probe: the request is still being collected" status_is "$probe" being-collected
CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
expect_out '^1 attempt aborted' "probe: past attempt_timeout the sweep aborts it"

cups=
if cupsd_available; then
	# installed but not starting: a failure, not a skip
	cupsd_start "$T/cups" || bail_out "private cupsd: $CUPSD_WHY"
	trap 'cupsd_stop; rm -rf "$T"' EXIT
	cups=yes
	sed -i "s|^pin_printer = .*|pin_printer = secure|; s|^cups_server = .*|cups_server = $CUPS_SERVER|" "$CONF"
fi

# mailer_password: the password printed on the last PIN mailer
mailer_password() {
	_m=$(ls -t "$CUPSD_OUT_SECURE"/* 2>/dev/null | head -n 1)
	[ -n "$_m" ] || return 1
	gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- "$_m" \
	    2>/dev/null | tr -d '\r' |
	    sed -n 's/^ *Password: *\([^ ]*\) *$/\1/p' | head -n 1
}

have_nss=yes
command -v certutil >/dev/null 2>&1 || have_nss=

for point in after-keygen after-issue write-before-rename after-file-write \
    before-commit during-print nss.import; do
	case $point in
	during-print) prof=generated ;;
	nss.import) prof=system ;;
	*) prof=user-pin ;;
	esac
	if [ "$point" = nss.import ] && [ -z "$have_nss" ]; then
		skip_n 5 "$point" "certutil not installed"
		continue
	fi
	id=$(new_req Susan.Smith "$prof")
	dir=$T/out/$point
	mkdir "$dir"
	if [ "$prof" = generated ]; then
		CERTDESK_FAULT=$point run "$CERTDESK" -c "$CONF" collect "$id" \
		    --folder "$dir"
	else
		CERTDESK_FAULT=$point run "$CERTDESK" -c "$CONF" collect "$id" \
		    --folder "$dir" --password-file "$T/pw.$id"
	fi
	expect_rc 137 "$point: the collection dies by SIGKILL"
	# what the crash left, before anything cleans up
	case $point in
	write-before-rename)
		check "$point: only a temporary, no package under its final name" \
		    sh -c "ls -A '$dir' | grep -q '^\.Susan\.Smith Signing\.pfx\.[0-9]*\.......\$' &&
		    ! ls '$dir' | grep -q 'pfx\$'" ;;
	during-print)
		# the password was never printed: only the name can be checked
		check "$point: the package was written before the PIN mailer" \
		    test "$(ls "$dir")" = "Susan.Smith Signing.pfx" ;;
	after-file-write|nss.import)
		check "$point: the one package written is complete" \
		    test "$(ls "$dir")" = "Susan.Smith Signing.pfx" -a \
		    -n "$(pfx_serial "$dir/Susan.Smith Signing.pfx" "$T/pw.$id")" ;;
	before-commit)
		check "$point: both packages were complete before the crash" \
		    test "$(ls "$dir" | wc -l)" -eq 2 ;;
	*)
		check "$point: nothing under a final name" \
		    sh -c "! ls '$dir' | grep -q 'pfx\$'" ;;
	esac
	CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
	expect_out '^1 attempt aborted, [0-9]+ certificates? revoked, 0 waiting' \
	    "$point: the sweep aborts the dead attempt and revokes its certificates"
	check "$point: invariants hold after the sweep" inv_check "$T/out"
	check "$point: the folder is empty again" test -z "$(ls -A "$dir")"
	if [ "$prof" = generated ]; then
		if [ -z "$cups" ]; then
			skip "$point: collected again" "no private cupsd: $CUPSD_WHY"
			continue
		fi
		cd_ collect "$id" --folder "$dir"
		mailer_password >"$T/pw.$id"
	else
		cd_ collect "$id" --folder "$dir" --password-file "$T/pw.$id"
	fi
	if [ "$RC" -eq 0 ] && [ "$(status_of "$id")" = completed ]; then
		ok "$point: the request is collected again afterwards"
	else
		not_ok "$point: the request is collected again afterwards"
	fi
done

# the probe's request too, then everything once more
cd_ collect "$probe" --folder "$T/out/probe" --password-file "$T/pw.$probe"
expect_rc 0 "the probe request is collected again"
CERTDESK_CLOCK_OFFSET=$LATER run "$CERTDESK" -c "$CONF" sweep
expect_out '^0 attempts aborted, 0 certificates revoked, 0 waiting' \
    "a last sweep finds nothing to do"
check "invariants hold over all requests at the end" inv_check "$T/out"
check "and they covered every certificate issued ($(wc -l <"$T/inv.issued"))" \
    test "$(wc -l <"$T/inv.issued")" -ge 20
done_testing
