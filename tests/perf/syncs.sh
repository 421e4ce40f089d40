#!/bin/sh
# SPDX-License-Identifier: ISC
# syncs.sh - how many fsync(2) and fdatasync(2) calls one collection
# makes, counted with strace: 'certdesk collect' of a two-certificate
# FileStore profile (the store's commits, the two .pfx files and the
# folder syncs all count) must make at most CD_MAX_COLLECT_SYNCS (9);
# 'request new' at most CD_MAX_REQUEST_SYNCS (5).  Counts, not times:
# the figure does not depend on the machine's load.  A count of 0 means
# the counting is broken and fails too.
. "${top_srcdir:-.}/tests/lib/common.sh"

MAX_COLLECT=${CD_MAX_COLLECT_SYNCS:-9}
MAX_REQUEST=${CD_MAX_REQUEST_SYNCS:-5}
command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
strace -f -qq -y -e trace=fsync -o /dev/null true 2>/dev/null ||
    skip_all "strace cannot trace here (ptrace refused)"

setup_store
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/out"

# syncs FILE CMD...: run CMD under strace; the count of fsync+fdatasync
# calls that returned (any thread or child) is printed
syncs() {
	f=$1; shift
	# LeakSanitizer cannot run under a tracer (ASan builds)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -y -e trace=fsync,fdatasync -o "$f" "$@" >"$OUT" 2>"$ERR"
	RC=$?
	grep -cE '^([0-9]+ +)?(fsync|fdatasync)\(' "$f"
}

n=$(syncs "$T/req.trace" "$CERTDESK" -c "$CONF" request new \
    --person Susan.Smith --profile user-pin)
expect_rc 0 "request new under strace"
id=$(cat "$OUT")
diag "request new: $n fsync/fdatasync calls"
check "request new makes at most $MAX_REQUEST sync calls ($n)" \
    test "$n" -ge 1 -a "$n" -le "$MAX_REQUEST"

n=$(syncs "$T/collect.trace" "$CERTDESK" -c "$CONF" collect "$id" \
    --folder "$T/out" --password-fd 3 3<"$T/pw")
expect_rc 0 "collect under strace"
check "both packages were written" test "$(ls "$T/out" | wc -l)" -eq 2
diag "collect: $n fsync/fdatasync calls:"
sed 's/^/#   /' "$T/collect.trace"
check "a two-certificate collection makes at most $MAX_COLLECT sync calls ($n)" \
    test "$n" -ge 3 -a "$n" -le "$MAX_COLLECT"
check "the collection committed" sh -c \
    "'$CERTDESK' -c '$CONF' request show $id --json | grep -q '\"status\":\"completed\"'"
done_testing
