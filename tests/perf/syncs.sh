#!/bin/sh
# SPDX-License-Identifier: ISC
# syncs.sh - how many fsync(2) and fdatasync(2) calls one collection
# makes, counted with strace: 'certdesk collect' of a two-certificate
# FileStore profile (the store's commits, the two .pfx files and the
# folder syncs all count) must make at most CD_MAX_COLLECT_SYNCS (9);
# 'request new' at most CD_MAX_REQUEST_SYNCS (5).  The same collection
# through a certdeskd that is already serving, counting the client's and
# the server's calls, must make at most CD_MAX_SERVER_COLLECT_SYNCS (7):
# the store's durable commit before the packages leave the server and
# its commit, the client's journal record and its folder, the two files
# and their folder; and the server's sync must come before the client
# creates a file.  Counts, not times: the figure does not depend on the
# machine's load.  A count of 0 means the counting is broken and fails
# too.
. "${top_srcdir:-.}/tests/lib/common.sh"

MAX_COLLECT=${CD_MAX_COLLECT_SYNCS:-9}
MAX_REQUEST=${CD_MAX_REQUEST_SYNCS:-5}
MAX_SERVER=${CD_MAX_SERVER_COLLECT_SYNCS:-7}
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
count() { grep -cE '(fsync|fdatasync)\(' "$1"; }

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

# Through certdeskd, traced from its start (-ttt: seconds since the
# epoch, as date +%s.%N gives them); what it syncs while it serves the
# collection is what its trace holds between the two marks.
SOCK=$T/sock
root=
[ "$(id -u)" -eq 0 ] && root=--allow-root
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -ttt -qq -y -e trace=fsync,fdatasync -o "$T/srv.trace" \
    "$CERTDESKD" -c "$CONF" -s "$SOCK" --sweep-interval 0 $root \
    </dev/null >"$T/srv.log" 2>&1 &
SRV=$!
i=0
while [ $i -lt 600 ] && ! grep -q '^certdeskd: serving' "$T/srv.log"; do
	sleep 0.05; i=$((i + 1))
done
check "certdeskd started under strace" grep -q '^certdeskd: serving' \
    "$T/srv.log"
# two collections: the first warms the server's attempt handles
for k in 1 2; do
	"$CERTDESK" -S "$SOCK" request new --person Susan.Smith \
	    --profile user-pin >"$OUT" 2>"$ERR"
	expect_rc 0 "request new through certdeskd ($k)"
	id=$(cat "$OUT")
	rm -rf "$T/out2" && mkdir "$T/out2"
	t0=$(date +%s.%N)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -ttt -qq -y -e trace=fsync,fdatasync,openat \
	    -o "$T/client.trace" "$CERTDESK" -S "$SOCK" collect "$id" \
	    --folder "$T/out2" --password-fd 3 3<"$T/pw" >"$OUT" 2>"$ERR"
	RC=$?
	t1=$(date +%s.%N)
	expect_rc 0 "collect through certdeskd under strace ($k)"
done
# strace forwards no signal: stop certdeskd itself, and strace ends
pkill -TERM -P "$SRV" 2>/dev/null
wait "$SRV" 2>/dev/null
check "both packages were written" test "$(ls "$T/out2" | wc -l)" -eq 2
n=$(count "$T/client.trace")
# the server's syncs between the marks, and the time the client created
# its first package file
awk -v a="$t0" -v b="$t1" '$2 + 0 > a + 0 && $2 + 0 < b + 0' \
    "$T/srv.trace" | grep -E '(fsync|fdatasync)\(' >"$T/srv.during"
m=$(grep -c . "$T/srv.during")
first=$(grep -E 'openat\(.*out2/.*O_CREAT' "$T/client.trace" |
    head -n 1 | awk '{ print $2 }')
diag "collect through certdeskd: $n in the client, $m in the server:"
grep -E '(fsync|fdatasync)\(' "$T/client.trace" | sed 's/^/#   client /'
sed 's/^/#   server /' "$T/srv.during"
check "the client created its package files (traced)" test -n "$first"
check "the server made the store durable before the client created a file" \
    sh -c "awk -v f='${first:-0}' '\$2 + 0 < f + 0 && /certdesk.db-wal/' \
    '$T/srv.during' | grep -q ."
check "the client syncs its journal, its two files and their folder ($n)" \
    test "$n" -eq 5
check "through certdeskd, a two-certificate collection makes at most $MAX_SERVER sync calls ($((n + m)))" \
    test $((n + m)) -le "$MAX_SERVER"
done_testing
