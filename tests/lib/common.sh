# SPDX-License-Identifier: ISC
# common.sh - shared helpers for certdesk's shell tests (TAP output).
#
# Each test gets a private temp dir $T with a config $CONF whose data
# directory is $T/data.  Tests run certdesk through cd_ ("cd_ request
# new ..."), then check with expect_rc / expect_out / expect_err.
# CERTDESK_TEST_MODE=server sends cd_ and cd_as to a certdeskd on $T's
# data directory instead of the engine in-process (tests/lib/mode.sh:
# mode_is, in_mode, mode_restart).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CERTDESK:=$top_builddir/certdesk}"
T=$(mktemp -d "${TMPDIR:-/tmp}/cdtest.XXXXXX") && [ -d "$T" ] ||
    { echo "Bail out! cannot make a temporary directory"; exit 1; }
CONF=$T/certdesk.conf
OUT=$T/stdout
ERR=$T/stderr
RC=0
trap 'mode_cleanup; rm -rf "$T"' EXIT
unset CERTDESK_CONF CERTDESK_CLOCK_OFFSET CERTDESK_FAULT
# The client's journal (server mode) is the test's own: attempt ids are
# per store, and another test's client must never settle this one's files.
XDG_STATE_HOME=$T/state
export XDG_STATE_HOME
# Under ASan, umockdev's preload library comes before the ASan runtime.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

# ok, not_ok (which shows the last command's output), check, is, like,
# skip, skip_all, bail_out, never_contains, done_testing: tests/lib/tap.sh
. "$top_srcdir/tests/lib/tap.sh"
TAP_DIAG_FILES="out:$OUT err:$ERR"
# mode_is, in_mode, mode_run, mode_restart, mode_cleanup: tests/lib/mode.sh
. "$top_srcdir/tests/lib/mode.sh"

# run CMD ARGS...: capture output and exit code
run() { "$@" >"$OUT" 2>"$ERR"; RC=$?; }
# cd_ ARGS / cd_as LOGON ARGS: certdesk as a client in this run's mode
cd_() { mode_run "$CERTDESK" -c "$CONF" "$@"; }
cd_as() { who=$1; shift; mode_run "$CERTDESK" -c "$CONF" --as "$who" "$@"; }
# cd_env VAR=VALUE... ARGS: cd_ with VAR=VALUE in the client's
# environment (CERTDESK_FAULT=... for a fault in the client's process).
# CERTDESK_CLOCK_OFFSET=N moves the clock of the whole run for this one
# call: the client's, and in server mode certdeskd's (restarted with it,
# and without it at the next call).  Values have no spaces.
cd_env() {
	_ce_had=${CERTDESK_CLOCK_OFFSET+1} _ce_was=${CERTDESK_CLOCK_OFFSET:-}
	_ce=
	while :; do
		case ${1:-} in
		CERTDESK_CLOCK_OFFSET=*)
			CERTDESK_CLOCK_OFFSET=${1#*=}
			export CERTDESK_CLOCK_OFFSET
			shift ;;
		[A-Za-z_]*=*) _ce="$_ce $1"; shift ;;
		*)	break ;;
		esac
	done
	# shellcheck disable=SC2086 # VAR=VALUE words
	mode_run $_ce "$CERTDESK" -c "$CONF" "$@"
	if [ -n "$_ce_had" ]; then
		CERTDESK_CLOCK_OFFSET=$_ce_was
	else
		unset CERTDESK_CLOCK_OFFSET
	fi
}

expect_rc() {
	want=$1; shift
	if [ "$RC" -eq "$want" ]; then ok "$*"; else
		not_ok "$* (exit $RC, expected $want)"; fi
}
expect_out() {
	pat=$1; shift
	if grep -qE -- "$pat" "$OUT"; then ok "$*"; else
		not_ok "$* (stdout lacks /$pat/)"; fi
}
expect_err() {
	pat=$1; shift
	if grep -qE -- "$pat" "$ERR"; then ok "$*"; else
		not_ok "$* (stderr lacks /$pat/)"; fi
}

# A configuration (or a store) that the engine refuses: in embedded mode
# the client exits RC with a message matching ERE; in server mode the
# refusal is certdeskd's, which does not start, saying ERE (mode_refused),
# and the client fails, saying it cannot reach certdeskd (or, for the
# client's own part of the configuration, refusing it as in embedded mode).
#   refused RC ERE          the last cd_ was refused so (0 or 1)
#   expect_refused RC ERE DESC-EXIT DESC-MESSAGE
#                           the same as two checks (expect_rc, expect_err)
refused() {
	if mode_is server; then
		mode_refused "$2" && client_failed "$@"
	else
		[ "$RC" -eq "$1" ] && grep -qE -- "$2" "$ERR"
	fi
}
client_failed() {
	grep -q 'cannot reach certdeskd' "$ERR" ||
	    { [ "$RC" -eq "$1" ] && grep -qE -- "$2" "$ERR"; }
}
expect_refused() {
	if ! mode_is server; then
		expect_rc "$1" "$3"
		expect_err "$2" "$4"
		return
	fi
	if [ "$RC" -ne 0 ] && client_failed "$@"; then
		ok "$3 (certdeskd does not start; the client says so)"
	else
		not_ok "$3 (exit $RC: the client should fail clearly)"
	fi
	if mode_refused "$2"; then ok "$4 (in certdeskd's log)"; else
		not_ok "$4 (certdeskd's log lacks /$2/: $(tail -n 1 \
		    "$MODE_LOG" 2>/dev/null))"; fi
}

# json_get KEY: first "KEY":value in $OUT (strings unquoted)
json_get() {
	sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" "$OUT" | head -n 1
}

# The test configuration: one policy per storage method, profiles for
# both password modes, approval and validation.
write_conf() {
	cat >"$CONF" <<CONF
[general]
datadir = $T/data
organisation = Example Test Ltd
templatedir = $top_srcdir/etc/templates

[security]
sha1_pfx = ${SHA1_PFX:-no}
revoke_delay = 300
pfx_iterations = 2048
mac_iterations = 2048
attempt_timeout = 600

[store]
backend = sqlite

[ca]
backend = ${CA_BACKEND:-local}
${CA_SETTINGS:-}

[print]
backend = cups
paper = A4
printer = ${PRINTER:-}
pin_printer = ${PIN_PRINTER:-}
cups_server = ${CUPS_SERVER:-}

[systemstore]
nssdb = sql:$T/nssdb

[policy.signing]
name = Signing
key = ec-p256
validity = 365
key_usage = digitalSignature, nonRepudiation
extended_key_usage = emailProtection, clientAuth
subject = CN=[[People.FullName]], O=Example Test Ltd
subject_alt_name = email:[[People.Email]], upn:[[People.Upn]]
storage = FileStore

[policy.encryption]
name = Encryption
key = rsa2048
validity = 365
key_usage = keyEncipherment, dataEncipherment
extended_key_usage = emailProtection
subject = CN=[[People.FullName]], O=Example Test Ltd
subject_alt_name = email:[[People.Email]]
storage = FileStore

[policy.usb]
name = Travel
key = ec-p256
validity = 30
key_usage = digitalSignature
extended_key_usage = clientAuth
subject = CN=[[People.FullName]]
storage = AutoSave

[policy.store]
name = Browser
key = ec-p256
validity = 365
key_usage = digitalSignature
extended_key_usage = clientAuth
subject = CN=[[People.FullName]]
storage = SystemStore

[profile.user-pin]
name = Soft certificates (user PIN)
password = user
password_min = 8
password_max = 64
password_require = lower, upper, digit
policies = signing, encryption
transport_template = transport.txt

[profile.approved]
name = Soft certificate, approved and validated
password = user
password_min = 8
approval = yes
validation = yes
policies = signing
transport_template = transport.txt

[profile.validated]
name = Soft certificate, validated
password = user
password_min = 8
validation = yes
policies = signing

[profile.generated]
name = Soft certificate (generated password)
password = generated
password_min = 12
password_max = 20
password_require = lower, upper, digit
policies = signing
transport_template = transport.txt
pin_mailer_template = pin-mailer.txt

[profile.usb]
name = Soft certificate on USB
password = user
password_min = 8
policies = usb

[profile.system]
name = Soft certificate in the personal store
password = user
password_min = 8
policies = store, signing

[profile.storeusb]
name = Personal store and USB
password = user
password_min = 8
policies = store, usb
CONF
}

# init the store and add a few people; a store that cannot be made or
# a person that cannot be added is a set-up failure (Bail out!), never a
# skip, so "setup_store || ..." after it is never reached
setup_store() {
	write_conf
	cd_ init
	[ "$RC" -eq 0 ] || bail_out "certdesk init failed: $(head -n 3 "$ERR")"
	cd_ person add --logon Susan.Smith --name "Susan Smith" \
	    --email susan@example.com --upn susan@corp.example.com \
	    --group Finance --roles view
	cd_ person add --logon John.Samson --name "John Samson" \
	    --email john@example.com --roles view
	cd_ person add --logon Olivia.Operator --name "Olivia Operator" \
	    --roles view,request,collect
	cd_ person add --logon Adam.Approver --name "Adam Approver" \
	    --roles view,approve,validate
	cd_ person add --logon Vic.Viewer --name "Vic Viewer" --roles view
	[ "$RC" -eq 0 ] || bail_out "person add failed: $(head -n 3 "$ERR")"
	cd_ person list
	[ "$(grep -c . "$OUT")" -ge 5 ] ||
	    bail_out "the store does not list the five people added"
}
