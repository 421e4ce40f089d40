# SPDX-License-Identifier: ISC
# lib.sh - helpers shared by the reliability tests in tests/rel/ (source
# it after tests/lib/common.sh): requests with known passwords, reading
# certificates from 'request show --json', the CRL, and the two
# collection invariants checked over the whole store.
#
#   Invariant 1: every certificate the CA issued (every cert.issue in the
#   audit trail) is either active, with its request completed and its
#   package delivered and readable, or revoked and on the CRL.
#   Invariant 2: no .pfx exists under its final name unless it is a
#   complete package of an active certificate (it opens with the
#   request's password), and no ".NAME.XXXXXX" temporaries are left.

PW='Corr3ct-Horse(9)'
REL_IDS=$T/rel.ids
: >"$REL_IDS"

# new_req PERSON PROFILE: make a request, remember it, print its id
new_req() {
	cd_ request new --person "$1" --profile "$2"
	[ "$RC" -eq 0 ] || { echo "# request new failed: $(cat "$ERR")" >&2; return 1; }
	_id=$(cat "$OUT")
	echo "$_id" >>"$REL_IDS"
	printf '%s\n' "$PW" >"$T/pw.$_id"
	echo "$_id"
}

# status_of ID: the request's status
status_of() {
	cd_ request show "$1" --json
	sed -n 's/.*"request":{[^}]*"status":"\([a-z-]*\)".*/\1/p' "$OUT"
}

# certs_of ID: "serial status location" lines (after a 'request show')
certs_of() {
	cd_ request show "$1" --json
	grep -o '{"serial":"[0-9a-f]*","status":"[a-z-]*"[^{}]*}' "$OUT" |
	    sed 's/^{"serial":"\([0-9a-f]*\)","status":"\([a-z-]*\)".*"location":"\(.*\)"}$/\1 \2 \3/'
}

# norm_serial: lower case, no colons, no leading zeros (stdin to stdout)
norm_serial() { tr 'A-F' 'a-f' | tr -d ': ' | sed 's/^0*//'; }

# crl_serials FILE: the serials on a freshly signed CRL, normalised
crl_serials() {
	cd_ crl -o "$T/inv.crl.pem" || return 1
	openssl crl -in "$T/inv.crl.pem" -noout -text 2>/dev/null |
	    sed -n 's/^ *Serial Number: *//p' | norm_serial >"$1"
}

# pfx_serial FILE PWFILE: serial of the user certificate in a package
pfx_serial() {
	openssl pkcs12 -in "$1" -nokeys -clcerts -passin file:"$2" 2>/dev/null |
	    openssl x509 -noout -serial 2>/dev/null | sed 's/^serial=//' |
	    norm_serial
}

# status_is ID STATUS / ncerts_is ID N: for wait_until (whose arguments
# are expanded once, so a $(...) in them would not be polled)
status_is() { test "$(status_of "$1")" = "$2"; }
ncerts_is() { test "$(certs_of "$1" | wc -l)" -eq "$2"; }

# wait_until SECONDS CMD...: poll CMD every 0.1 s
wait_until() {
	_lim=$(($1 * 10)); shift
	_n=0
	until "$@"; do
		_n=$((_n + 1))
		[ $_n -ge "$_lim" ] && return 1
		sleep 0.1
	done
	return 0
}

# inv_check ROOT [allow-pending]: both invariants over every request made
# with new_req and every .pfx under ROOT.  Reasons go to $T/inv.why.
inv_check() {
	_root=$1 _allow=${2:-}
	: >"$T/inv.why"
	crl_serials "$T/inv.crl" ||
	    echo "cannot write the CRL" >>"$T/inv.why"
	: >"$T/inv.store"
	: >"$T/inv.files"
	[ -s "$REL_IDS" ] ||
	    echo "no request to check (none was made with new_req)" >>"$T/inv.why"
	[ -d "$_root" ] || echo "$_root is not a folder" >>"$T/inv.why"
	for _r in $(cat "$REL_IDS"); do
		_rs=$(status_of "$_r")
		certs_of "$_r" >"$T/inv.c"
		while read -r _s _st _loc; do
			[ -n "$_s" ] || continue
			echo "$_s" | norm_serial >>"$T/inv.store"
			_ns=$(echo "$_s" | norm_serial)
			case $_st in
			active)
				[ "$_rs" = completed ] || echo "request $_r is" \
				    "$_rs but certificate $_s is active" >>"$T/inv.why"
				case $_loc in
				/*)
					echo "$_loc" >>"$T/inv.files"
					[ "$(pfx_serial "$_loc" "$T/pw.$_r")" = "$_ns" ] ||
					    echo "active $_s: $_loc does not open" \
					    "with the password or holds another" \
					    "certificate" >>"$T/inv.why" ;;
				*'personal store'*)
					_nick=$(echo "$_loc" | sed 's/.* as \\"\(.*\)\\".*/\1/')
					_db=$(echo "$_loc" | sed 's/.*personal store \([^ ]*\) as .*/\1/')
					[ "$(certutil -L -d "$_db" -n "$_nick" -a 2>/dev/null |
					    openssl x509 -noout -serial 2>/dev/null |
					    sed 's/^serial=//' | norm_serial)" = "$_ns" ] ||
					    echo "active $_s: not in $_db as $_nick" >>"$T/inv.why" ;;
				*)	echo "active $_s: unknown location $_loc" >>"$T/inv.why" ;;
				esac ;;
			revoked)
				grep -qx "$_ns" "$T/inv.crl" ||
				    echo "revoked $_s is not on the CRL" >>"$T/inv.why" ;;
			pending-collection)
				[ -n "$_allow" ] ||
				    echo "certificate $_s of request $_r is still" \
				    "pending" >>"$T/inv.why" ;;
			*)	echo "certificate $_s is $_st" >>"$T/inv.why" ;;
			esac
		done <"$T/inv.c"
	done
	# every certificate the CA issued is known to the store
	cd_ audit
	[ "$RC" -eq 0 ] || echo "cannot read the audit trail" >>"$T/inv.why"
	grep -o 'cert\.issue .* certificate [0-9a-f]* for policy' "$OUT" |
	    sed 's/.* certificate \([0-9a-f]*\) for policy/\1/' | norm_serial |
	    sort -u >"$T/inv.issued"
	sort -u "$T/inv.store" >"$T/inv.store.s"
	comm -23 "$T/inv.issued" "$T/inv.store.s" | sed 's/^/issued but not in any request: /' >>"$T/inv.why"
	# invariant 2: packages and temporaries under ROOT
	find "$_root" \( -name '*.pfx' -o -name '*.p12' \) ! -name '.*' -print |
	while read -r _f; do
		grep -qxF "$_f" "$T/inv.files" ||
		    echo "$_f is not the package of an active certificate" >>"$T/inv.why"
	done
	find "$_root" -name '.*.??????' -print | sed 's/^/temporary left: /' >>"$T/inv.why"
	if [ -s "$T/inv.why" ]; then
		sed 's/^/#   /' "$T/inv.why"
		return 1
	fi
	return 0
}

# gone PID: the process has exited (a zombie counts as exited)
gone() {
	[ -e "/proc/$1/stat" ] || return 0
	[ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" = Z ]
}

# bg_start CMD...: run certdesk in the background; BG_PID, output in
# $T/bg.out and $T/bg.err (a redirection on the call would apply to the
# function, not to the background job: inline those)
bg_start() {
	"$CERTDESK" -c "$CONF" "$@" >"$T/bg.out" 2>"$T/bg.err" &
	BG_PID=$!
}

# bg_finish SECONDS: wait for the background certdesk; RC is its exit
# code, or 999 (after SIGKILL) if it did not end in time; its output is
# copied to $OUT and $ERR for expect_out / expect_err.
bg_finish() {
	if wait_until "$1" gone "$BG_PID"; then
		wait "$BG_PID"; RC=$?
	else
		kill -9 "$BG_PID" 2>/dev/null; wait "$BG_PID" 2>/dev/null
		RC=999
	fi
	cp "$T/bg.out" "$OUT"; cp "$T/bg.err" "$ERR"
}

# lock_store: hold the store's write lock from a sqlite3 process until
# unlock_store; returns once the lock is held
lock_store() {
	rm -f "$T/lock.fifo" "$T/lock.out"
	mkfifo "$T/lock.fifo"
	sqlite3 "$T/data/certdesk.db" <"$T/lock.fifo" >"$T/lock.out" 2>&1 &
	LOCK_PID=$!
	exec 7>"$T/lock.fifo"
	# wait for a lock another process still holds (a sweep, a collector
	# just finishing) rather than failing at once
	echo ".timeout 20000" >&7
	echo "BEGIN EXCLUSIVE;" >&7
	wait_until 30 store_locked
}
# store_locked: another connection cannot take the write lock now
store_locked() {
	! sqlite3 -cmd '.timeout 0' "$T/data/certdesk.db" \
	    'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1
}
unlock_store() {
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$LOCK_PID" 2>/dev/null
}

# rolled_back_certs WHAT ID [none]: the request is collectable again and
# its certificates (none issued, with "none") are pending revocation
rolled_back_certs() {
	certs_of "$2" >"$T/c"
	if [ "${3:-}" = none ]; then
		check "$1: no certificate was issued" test ! -s "$T/c"
	else
		check "$1: its certificates are pending revocation" sh -c \
		    "test -s '$T/c' && ! grep -v ' pending-collection ' '$T/c' &&
		    grep -q '\"revoke_after\":\"' '$OUT'"
	fi
	check "$1: the request can be collected again" \
	    test "$(status_of "$2")" = awaiting-collection
}
