#!/bin/sh
# SPDX-License-Identifier: ISC
# resources.sh - a collection that hits a resource problem fails with a
# clear message naming it and a documented exit code, and is rolled
# back: no .pfx or temporary left, its certificates (if any were issued)
# pending revocation, the request collectable again.  Cases: a full file
# system (small tmpfs), a read-only folder, a folder that vanishes during
# the collection, a folder the (non-root) operator may not write, the
# store locked by another process (before and during the collection), an
# unreadable CA key, and a stopped CUPS scheduler for a generated-password
# profile (the PIN mailer cannot be printed).
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
. "$top_srcdir/tests/rel/lib.sh"

setup_store
mkdir "$T/out"
mkfifo "$T/fifo"
mounted=
trap 'for m in $mounted; do umount "$m"; done; cupsd_stop; rm -rf "$T"' EXIT

# rolled_back WHAT ID DIR [none]: the attempt left nothing usable behind
rolled_back() {
	check "$1: no package or temporary left in the folder" sh -c \
	    "! ls -A '$3' 2>/dev/null | grep -q 'pfx\\|p12'"
	rolled_back_certs "$1" "$2" "${4:-}"
}

# --- full file system: a tmpfs of one page takes the first package only
id=$(new_req Susan.Smith user-pin)
mkdir "$T/full"
if mount -t tmpfs -o size=4k,mode=0755 tmpfs "$T/full" 2>/dev/null; then
	mounted="$mounted $T/full"
	cd_ collect "$id" --folder "$T/full" --password-file "$T/pw.$id"
	expect_rc 1 "full file system: the collection fails (exit 1)"
	expect_err "No space left on device" "full file system: the message names it"
	expect_err "rolled back: 1 file deleted, 2 certificates" \
	    "full file system: the package already written is deleted"
	rolled_back "full file system" "$id" "$T/full"
else
	# ulimit -f would also stop the store's own writes (its WAL grows
	# past any limit small enough for a package), so it cannot stand in
	skip_n 6 "full file system" "cannot mount a tmpfs here"
fi

# --- read-only folder
id=$(new_req Susan.Smith user-pin)
mkdir "$T/ro"
if mount -t tmpfs -o ro,size=64k tmpfs "$T/ro" 2>/dev/null; then
	mounted="$mounted $T/ro"
	cd_ collect "$id" --folder "$T/ro" --password-file "$T/pw.$id"
	expect_rc 1 "read-only folder: the collection fails (exit 1)"
	expect_err "$T/ro is not writable: Read-only file system" \
	    "read-only folder: the message names the folder and the reason"
	rolled_back "read-only folder" "$id" "$T/ro" none
else
	skip_n 5 "read-only folder" "cannot mount a read-only tmpfs"
fi

# --- the folder vanishes while the collection waits for its password
id=$(new_req Susan.Smith user-pin)
mkdir "$T/gone"
"$CERTDESK" -c "$CONF" collect "$id" --folder "$T/gone" --password-fd 3 \
    3<"$T/fifo" >"$T/bg.out" 2>"$T/bg.err" &
BG_PID=$!
exec 4>"$T/fifo"
wait_until 10 status_is "$id" being-collected
rmdir "$T/gone"
printf '%s\n' "$PW" >&4
exec 4>&-
bg_finish 20
expect_rc 1 "vanished folder: the collection fails (exit 1)"
expect_err "folder $T/gone cannot be used: No such file or directory" \
    "vanished folder: the message names the folder and the reason"
rolled_back "vanished folder" "$id" "$T/gone"

# --- the store locked by another process
id0=$(new_req Susan.Smith user-pin)
check "store locked at the start: another process holds the lock" lock_store
CERTDESK_BUSY_TIMEOUT_MS=300 run "$CERTDESK" -c "$CONF" collect "$id0" \
    --folder "$T/out" --password-file "$T/pw.$id0"
unlock_store
expect_rc 3 "store locked at the start: refused (exit 3)"
expect_err "the store is locked by another certdesk process" \
    "store locked at the start: the message says so"
rolled_back "store locked at the start" "$id0" "$T/out" none

id=$(new_req Susan.Smith user-pin)
mkdir "$T/locked"
CERTDESK_BUSY_TIMEOUT_MS=300 "$CERTDESK" -c "$CONF" collect "$id" \
    --folder "$T/locked" --password-fd 3 3<"$T/fifo" >"$T/bg.out" 2>"$T/bg.err" &
BG_PID=$!
exec 4>"$T/fifo"
wait_until 10 status_is "$id" being-collected
check "store locked during the collection: another process holds the lock" \
    lock_store
printf '%s\n' "$PW" >&4
exec 4>&-
bg_finish 20
unlock_store
expect_rc 3 "store locked during the collection: fails (exit 3)"
expect_err "the store is locked by another certdesk process" \
    "store locked during the collection: the message says so"
# the rollback needs the store too: what it could not record, the sweep
# finishes once the attempt's heartbeat is older than attempt_timeout
# (staleness is the heartbeat's age only, never whether the pid is alive)
CERTDESK_CLOCK_OFFSET=660 run "$CERTDESK" -c "$CONF" sweep
expect_out '^[01] attempts? aborted' "store locked during the collection: the sweep finishes the rollback"
# the first certificate could not be recorded: it never left the process
rolled_back "store locked during the collection" "$id" "$T/locked" none

# --- a stopped print scheduler for a generated-password profile
id=$(new_req Susan.Smith generated)
mkdir "$T/noprint"
if cupsd_available; then
	cupsd_start "$T/cups" || bail_out "private cupsd: $CUPSD_WHY"
	sed -i "s|^pin_printer = .*|pin_printer = secure|; s|^cups_server = .*|cups_server = $CUPS_SERVER|" "$CONF"
	cupsd_stop
	what="stopped cupsd"
else
	sed -i "s|^cups_server = .*|cups_server = 127.0.0.1:9|" "$CONF"
	what="no print scheduler"
fi
cd_ collect "$id" --folder "$T/noprint"
expect_rc 1 "$what: the collection fails (exit 1)"
expect_err "PIN mailer could not be printed.*rolled back" "$what: the message says the PIN mailer could not be printed"
expect_err "127\.0\.0\.1:[0-9]+" "$what: and names the scheduler"
rolled_back "$what" "$id" "$T/noprint"

# --- cases for a non-root operator: their own store, a folder they may
# not write, a CA key they cannot read
NB=65534
if [ "$(id -u)" -ne 0 ]; then
	skip_n 8 "non-root cases" "not running as root (cannot switch users)"
elif ! getent passwd "$NB" >/dev/null || ! command -v setpriv >/dev/null; then
	skip_n 8 "non-root cases" "no user $NB or no setpriv"
else
	chmod 711 "$T"
	U=$T/u
	mkdir "$U" "$U/out"
	chown "$NB" "$U" "$U/out"
	sed "s|^datadir = .*|datadir = $U/data|" "$CONF" >"$U/certdesk.conf"
	chmod 644 "$U/certdesk.conf"
	cp "$T/pw.$id" "$U/pw"; chown "$NB" "$U/pw"
	nlogin=$(getent passwd "$NB" | cut -d: -f1)
	cdu() { run setpriv --reuid="$NB" --regid="$NB" --clear-groups \
	    env HOME="$U" "$CERTDESK" -c "$U/certdesk.conf" "$@"; }
	cdu init
	cdu person add --logon Susan.Smith --name "Susan Smith" --email s@example.com
	cdu request new --person Susan.Smith --profile user-pin
	uid=$(cat "$OUT")
	mkdir "$U/rootonly"; chmod 755 "$U/rootonly"
	cdu collect "$uid" --folder "$U/rootonly" --password-file "$U/pw"
	expect_rc 1 "permission denied: the collection fails (exit 1)"
	expect_err "$U/rootonly is not writable: Permission denied" \
	    "permission denied: the message names the folder and the reason"
	check "permission denied: nothing in the folder" test -z "$(ls -A "$U/rootonly")"
	cdu request show "$uid" --json
	check "permission denied: found before issuance, request collectable" \
	    sh -c "grep -q '\"status\":\"awaiting-collection\"' '$OUT' &&
	    ! grep -q '\"serial\"' '$OUT'"
	chmod 000 "$U/data/ca/ca.key"
	cdu collect "$uid" --folder "$U/out" --password-file "$U/pw"
	expect_rc 1 "CA key unreadable: fails (exit 1)"
	expect_err "ca\.key.*Permission denied" "CA key unreadable: the message names the key file and the reason"
	check "CA key unreadable: nothing written" test -z "$(ls -A "$U/out")"
	chmod 600 "$U/data/ca/ca.key"
	cdu request show "$uid" --json
	check "CA key unreadable: the request was not taken, nothing issued" \
	    sh -c "grep -q '\"request\":{[^}]*\"status\":\"awaiting-collection\"' '$OUT' &&
	    test \$(grep -o '\"serial\"' '$OUT' | wc -l) -eq 0"
fi

CERTDESK_CLOCK_OFFSET=1000 run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "the sweep runs"
check "invariants hold afterwards" inv_check "$T"
done_testing
