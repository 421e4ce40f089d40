#!/bin/sh
# SPDX-License-Identifier: ISC
# lean.sh - a client in server mode is lean: traced with strace, a
# collection through certdeskd ("certdesk -S SOCKET collect", which goes
# through the client API) opens no file under the data directory (so
# neither the store nor the CA key) and loads none of the libraries of
# features it does not use (NSS, libcups, libudev, libpq), nor libcurl:
# it speaks HTTP to certdeskd itself (src/api/uhttp.c).  The same
# trace of an in-process command shows that the check can fail.
. "$top_srcdir/tests/server/lib.sh"
need_cmd strace
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }

mkdir "$T/out" "$T/trace" && chown "$OP1" "$T/out" && chmod 700 "$T/out"
printf 'Secret-Pass-123\n' >"$T/pw" && chown "$OP1" "$T/pw" && chmod 600 "$T/pw"

# traced USER NAME ARGS: certdesk as USER, every file it opens or stats
# in $T/trace/NAME.  strace runs as root: certdesk makes itself
# non-dumpable, and a tracer without CAP_SYS_PTRACE would then see no
# path names (the checks of what the trace must show catch that).
traced() {
	u=$1; n=$2; shift 2
	# LeakSanitizer cannot run under a tracer (ASan builds)
	run strace -f -qq -e trace=%file -o "$T/trace/$n" \
	    runuser -u "$u" -- env HOME=/nonexistent \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    XDG_CONFIG_HOME=/nonexistent "$CERTDESK" "$@"
}
# opened NAME PATTERN: does trace NAME name a path matching PATTERN?
opened() { grep -E "\"[^\"]*$2" "$T/trace/$1" >/dev/null; }

api "$OP1" POST /v1/requests '{"person":"Susan.Smith","profile":"user-pin"}'
id=$(json_get id)
traced "$OP1" collect -S "$SOCK" collect "$id" --folder "$T/out" \
    --password-file "$T/pw" --json
expect_rc 0 "$OP1 collects request $id through certdeskd under strace"
check "the trace has the client's files (the .pfx it wrote)" \
	opened collect "$T/out/.*\\.pfx"
if opened collect "$T/data"; then
	not_ok "the client opens nothing under the data directory" \
	    "($(grep -F "$T/data" "$T/trace/collect" | head -3))"
else
	ok "the client opens nothing under the data directory"
fi
if opened collect '/ca/|\.key"'; then
	not_ok "the client opens no CA key"
else
	ok "the client opens no CA key"
fi
for lib in libnss3 libsmime3 libcups libudev libpq libcurl; do
	if opened collect "/$lib\\.so"; then
		not_ok "a folder collection through the server does not load $lib"
	else
		ok "a folder collection through the server does not load $lib"
	fi
done

# The control: an in-process command, as the store's owner, opens the
# store and the trace shows it.
traced "$SRV_USER" embedded -c "$CONF" person list
expect_rc 0 "in-process person list under strace"
check "its trace shows the store under the data directory" \
	opened embedded "$T/data/"
srv_stop
done_testing
