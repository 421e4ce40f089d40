#!/bin/sh
# SPDX-License-Identifier: ISC
# secrets.sh - passwords and private keys stay inside the .pfx: after a
# collection with a distinctive user-specified password and one with a
# generated password (read back from the PIN mailer printed by a private
# cupsd), neither password nor a 16-byte chunk of either private key (DER,
# and a line of its PEM) is found in the data directory, the audit trail,
# $TMPDIR and new files in /tmp, the CLI output, /proc/PID/cmdline and
# /proc/PID/environ of a running collection (held after the password was
# set), or the scheduler's spool.  A running collection has core dumps
# disabled (RLIMIT_CORE 0, and not dumpable: its /proc files belong to
# root even when a non-root operator runs it).
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/cupsd.sh"
. "$top_srcdir/tests/rel/lib.sh"
cupsd_for_test 'exec 4>&- 5>&-; rm -rf "$T"'
setup_store
# a generated-password profile that also imports into the personal
# store, so a collection can be held (at --nss-password-fd) after the
# password exists
cat >>"$CONF" <<CONF

[profile.genstore]
name = Generated password, personal store and file
password = generated
password_min = 16
password_max = 20
password_require = lower, upper, digit
policies = signing, store
pin_mailer_template = pin-mailer.txt
CONF
mkdir "$T/out" "$T/tmpdir" "$T/keys"
# The personal store has a password, so a collection asks for it (at
# --nss-password-fd) after its password was set and its file written:
# that is where it is held.
command -v certutil >/dev/null 2>&1 || skip_all "certutil not installed (libnss3-tools)"
DBPW='Nss-Store-Pw-55'
printf '%s\n' "$DBPW" >"$T/dbpw"
mkdir "$T/nssdb"
certutil -N -d "sql:$T/nssdb" -f "$T/dbpw" >/dev/null 2>&1 ||
    bail_out "certutil cannot create the personal store"
TMPDIR=$T/tmpdir
export TMPDIR
touch "$T/start"
mkfifo "$T/fifo" "$T/nssfifo"
SECRET='Zq7vMarmot-Xylo-4711-Quokka'

# held_collect ID DIR [--password-fd 3]: a collection in the background,
# held at --nss-password-fd (after the password was set and the
# FileStore package written); returns once it is held there
held_collect() {
	_id=$1 _dir=$2; shift 2
	if [ $# -gt 0 ]; then
		"$CERTDESK" -c "$CONF" collect "$_id" --folder "$_dir" "$@" \
		    --nss-password-fd 4 3<"$T/fifo" 4<"$T/nssfifo" \
		    >"$T/bg.out" 2>"$T/bg.err" &
		BG_PID=$!
		exec 4>"$T/fifo" 5>"$T/nssfifo"
		printf '%s\n' "$SECRET" >&4
		exec 4>&-
	else
		"$CERTDESK" -c "$CONF" collect "$_id" --folder "$_dir" \
		    --nss-password-fd 4 4<"$T/nssfifo" >"$T/bg.out" 2>"$T/bg.err" &
		BG_PID=$!
		exec 5>"$T/nssfifo"
	fi
	wait_until 20 test -f "$_dir/Susan.Smith Signing.pfx"
}
release() { printf '%s\n' "$DBPW" >&5; exec 5>&-; bg_finish 20; }

# --- 1: a user-specified password
id=$(new_req Susan.Smith system)
printf '%s\n' "$SECRET" >"$T/pw.$id"
mkdir "$T/out/user"
held_collect "$id" "$T/out/user" --password-fd 3
check "user password: the collection is held after the password was set" \
    test -f "$T/out/user/Susan.Smith Signing.pfx"
tr '\0' '\n' <"/proc/$BG_PID/cmdline" >"$T/proc.cmdline.1"
tr '\0' '\n' <"/proc/$BG_PID/environ" >"$T/proc.environ.1"
check "running collection: RLIMIT_CORE is 0" \
    test "$(prlimit --pid "$BG_PID" --core --noheadings -o SOFT,HARD | tr -s ' ' | sed 's/^ //')" = "0 0"
if "$CERTDESK" --version | grep -q AddressSanitizer; then
	skip_build "running collection: memory locking not checked" \
	    "AddressSanitizer ignores mlock"
else
	check "running collection: the password's memory is locked (VmLck)" \
	    awk '/^VmLck:/ { found = 1; exit !($2 > 0) } END { if (!found) exit 1 }' \
	    "/proc/$BG_PID/status"
fi
release
expect_rc 0 "user password: collection completed"
cp "$OUT" "$T/cli.out.1"; cp "$ERR" "$T/cli.err.1"

# --- 2: a generated password, printed on the PIN mailer
id2=$(new_req Susan.Smith genstore)
mkdir "$T/out/gen"
held_collect "$id2" "$T/out/gen"
tr '\0' '\n' <"/proc/$BG_PID/cmdline" >"$T/proc.cmdline.2"
tr '\0' '\n' <"/proc/$BG_PID/environ" >"$T/proc.environ.2"
release
expect_rc 0 "generated password: collection completed"
cp "$OUT" "$T/cli.out.2"; cp "$ERR" "$T/cli.err.2"
set -- "$CUPSD_OUT_SECURE"/*
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- "$1" \
    2>/dev/null | tr -d '\r' >"$T/mailer.txt"
GEN=$(sed -n 's/^ *Password: *\([^ ]*\) *$/\1/p' "$T/mailer.txt" | head -n 1)
printf '%s\n' "$GEN" >"$T/pw.$id2"
check "generated password: read from the printed PIN mailer" test ${#GEN} -ge 16
check "generated password: it opens the package" \
    test -n "$(pfx_serial "$T/out/gen/Susan.Smith Signing.pfx" "$T/pw.$id2")"

# key material: a 16-byte chunk of each private scalar (hex of its DER
# bytes) and one base64 line of each PEM
: >"$T/keys/hex"; : >"$T/keys/pem"
for k in "user:$T/pw.$id" "gen:$T/pw.$id2"; do
	f="$T/out/${k%%:*}/Susan.Smith Signing.pfx"
	openssl pkcs12 -in "$f" -nocerts -nodes -passin file:"${k#*:}" 2>/dev/null |
	    openssl pkey -out "$T/keys/${k%%:*}.pem" 2>/dev/null
	openssl pkey -in "$T/keys/${k%%:*}.pem" -noout -text 2>/dev/null |
	    sed -n '/^priv:/,/^pub:/p' | grep '^ ' | tr -d ' :\n' | cut -c1-32 \
	    >>"$T/keys/hex"
	sed -n 2p "$T/keys/${k%%:*}.pem" >>"$T/keys/pem"
done
check "two private keys extracted (16-byte chunks)" \
    test "$(grep -cE '^[0-9a-f]{32}$' "$T/keys/hex")" -eq 2
check "they differ" test "$(sort -u "$T/keys/hex" | wc -l)" -eq 2

# found_in FILES...: the secrets appear in none of FILES (text, or as
# bytes: files are also searched as hex).  Fails, like never_contains,
# when there is nothing to look for or nothing was searched: no secret,
# no key material, no file, a file missing, or only empty files.
found_in() {
	_hit= _bytes=0
	for _s in "$SECRET" "$GEN"; do
		[ -n "$_s" ] || { echo "# found_in: a secret is empty"; return 1; }
	done
	[ -s "$T/keys/pem" ] && [ -s "$T/keys/hex" ] ||
	    { echo "# found_in: no key material to look for"; return 1; }
	[ $# -gt 0 ] || { echo "# found_in: no file to search"; return 1; }
	for _f in "$@"; do
		[ -f "$_f" ] || { echo "# found_in: $_f is missing"; return 1; }
		_bytes=$((_bytes + $(wc -c <"$_f")))
		for _s in "$SECRET" "$GEN"; do
			grep -qaF -- "$_s" "$_f" && _hit="$_hit password:$_f"
		done
		grep -qaFf "$T/keys/pem" "$_f" && _hit="$_hit key-pem:$_f"
		od -An -tx1 -v "$_f" | tr -d ' \n' | grep -qFf "$T/keys/hex" &&
		    _hit="$_hit key-der:$_f"
	done
	[ -z "$_hit" ] || { echo "# found:$_hit"; return 1; }
	[ "$_bytes" -gt 0 ] || { echo "# found_in: $# files, all empty"; return 1; }
	return 0
}
# found_in_any FILES...: as found_in over those of FILES that still
# exist and are not empty (other processes come and go in /tmp); none at
# all is a pass (a folder nothing was written to): the caller gives the
# count in its description
found_in_any() {
	for _f in "$@"; do
		shift
		[ -s "$_f" ] && set -- "$@" "$_f"
	done
	[ $# -eq 0 ] || found_in "$@"
}
files_under() { find "$@" -type f 2>/dev/null; }

# the search must be able to find them where they are
selftest() {
	if found_in "$2" | grep -q '^# found:'; then ok "self-test: $1"; else
		not_ok "self-test: $1"; fi
}
openssl pkey -in "$T/keys/user.pem" -outform DER -out "$T/keys/user.der"
selftest "the search finds the key in its PEM" "$T/keys/user.pem"
selftest "the search finds the key in its DER" "$T/keys/user.der"
selftest "the search finds the password in the mailer" "$T/mailer.txt"

check "not in the data directory (store, WAL, CA)" found_in $(files_under "$T/data")
cd_ audit --json
cp "$OUT" "$T/audit.json"
check "not in the audit trail" found_in "$T/audit.json"
check "\$TMPDIR exists to be searched" test -d "$TMPDIR"
check "not in \$TMPDIR ($(files_under "$TMPDIR" | wc -l) files)" \
    found_in_any $(files_under "$TMPDIR")
find /tmp -newer "$T/start" -type f ! -path "$T/*" ! -path '/tmp/h-*' \
    ! -path '*/.git/*' -size -1M 2>/dev/null >"$T/newtmp"
check "not in new files in /tmp ($(wc -l <"$T/newtmp") files)" \
    found_in_any $(cat "$T/newtmp")
check "not in the CLI output" found_in "$T"/cli.*
check "not in /proc/PID/cmdline of a running collection" found_in "$T"/proc.cmdline.*
check "not in /proc/PID/environ of a running collection" found_in "$T"/proc.environ.*
# the scheduler keeps no job file once a job is done: often nothing to search
check "the scheduler's spool exists to be searched" test -d "$CUPSD_SPOOL"
check "not in the scheduler's spool ($(files_under "$CUPSD_SPOOL" | wc -l) files)" \
    found_in_any $(files_under "$CUPSD_SPOOL")
check "not in the scheduler's logs" found_in $(files_under "$CUPSD_DIR/log")

# --- not dumpable: run as a non-root operator, /proc/PID is root's
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
    getent passwd 65534 >/dev/null; then
	chmod 711 "$T"
	U=$T/u; mkdir "$U"; chown 65534 "$U"
	sed "s|^datadir = .*|datadir = $U/data|" "$CONF" >"$U/conf"; chmod 644 "$U/conf"
	mkfifo "$U/fifo"; chown 65534 "$U/fifo"
	cdu() { run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$CERTDESK" -c "$U/conf" "$@"; }
	cdu init
	cdu person add --logon Susan.Smith --name "Susan Smith" --email s@example.com
	cdu request new --person Susan.Smith --profile user-pin
	uid=$(cat "$OUT")
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CERTDESK" \
	    -c "$U/conf" collect "$uid" --folder "$U" --password-fd 3 \
	    3<"$U/fifo" >"$T/bg.out" 2>"$T/bg.err" &
	BG_PID=$!
	exec 4>"$U/fifo"
	wait_until 10 sh -c "grep -q '^Uid:.*65534' /proc/$BG_PID/status 2>/dev/null &&
	    setpriv --reuid=65534 --regid=65534 --clear-groups '$CERTDESK' -c '$U/conf' \
	    request show $uid 2>/dev/null | grep -q 'being collected'"
	check "running collection as uid 65534: /proc/PID/status belongs to root (not dumpable)" \
	    test "$(stat -c %u "/proc/$BG_PID/status")" -eq 0
	check "running collection as uid 65534: core file size limit 0 in /proc/PID/limits" \
	    grep -qE '^Max core file size +0 +0 ' "/proc/$BG_PID/limits"
	kill -TERM "$BG_PID"
	exec 4>&-
	bg_finish 10
	expect_rc 4 "and it cancels on SIGTERM"
else
	skip_n 3 "not dumpable" "needs root, setpriv and uid 65534"
fi
done_testing
