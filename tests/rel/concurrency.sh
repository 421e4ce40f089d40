#!/bin/sh
# SPDX-License-Identifier: ISC
# concurrency.sh - many 'certdesk collect' processes against one store:
# 12 collecting the same request at once (exactly one succeeds, the
# others are refused with exit 3 naming the holder, the request completes
# once, and every certificate a loser obtained is revoked after the
# sweep), then 8 collecting 8 different requests at once (all succeed,
# no "database is locked" anywhere).  Runs with the default busy timeout:
# a lock error surfacing under this load is a failure.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/rel/lib.sh"

setup_store
mkdir "$T/out"
N=12

# --- N collectors of one request, released at once; slow packaging
# keeps the winner holding it while every loser arrives
sed -i 's/^pfx_iterations = .*/pfx_iterations = 400000/' "$CONF"
id=$(new_req Susan.Smith user-pin)
mkdir "$T/same"
mkfifo "$T/go"
i=1
while [ $i -le $N ]; do
	# each waits on the FIFO, so all start within a few milliseconds
	(read -r _ <"$T/go"; exec "$CERTDESK" -c "$CONF" collect "$id" \
	    --folder "$T/same" --password-file "$T/pw.$id" --overwrite \
	    >"$T/same.$i.out" 2>"$T/same.$i.err"; ) &
	eval "pid$i=\$!"
	i=$((i + 1))
done
sleep 0.2
i=1; while [ $i -le $N ]; do echo go; i=$((i + 1)); done >"$T/go"
won=0 refused=0 other=0
i=1
while [ $i -le $N ]; do
	eval "wait \$pid$i"; rc=$?
	case $rc in
	0) won=$((won + 1)) ;;
	3) refused=$((refused + 1))
	   grep -qE "request $id is being collected by $(id -un) since .* \(process [0-9]+ on " \
	       "$T/same.$i.err" || other=$((other + 1)) ;;
	*) other=$((other + 1)); sed "s/^/# collector $i (exit $rc): /" "$T/same.$i.err" ;;
	esac
	i=$((i + 1))
done
check "$N collectors of one request: exactly one succeeds ($won)" test $won -eq 1
check "the other $((N - 1)) are refused with exit 3 naming the holder ($refused refused, $other otherwise)" \
    test $refused -eq $((N - 1)) -a $other -eq 0
check "the $N collectors' outputs are all there" \
    test "$(ls "$T"/same.*.out "$T"/same.*.err | wc -l)" -eq $((2 * N))
check "no 'database is locked' in any output" sh -c \
    "! cat '$T'/same.*.out '$T'/same.*.err | grep -qi 'database is locked\|store is locked'"
check "the request is completed" test "$(status_of "$id")" = completed
cd_ audit
check "it was completed once" test "$(grep -cE "collect\.commit +request $id " "$OUT")" -eq 1
check "the packages in the folder are the winner's" inv_check "$T/same" allow-pending
CERTDESK_CLOCK_OFFSET=1000 run "$CERTDESK" -c "$CONF" sweep
expect_rc 0 "the sweep runs"
certs_of "$id" >"$T/c"
check "after the sweep every certificate of the request is active or revoked" \
    sh -c "! grep -v ' active \| revoked ' '$T/c'"
check "exactly two active (the winner's package)" test "$(grep -c ' active ' "$T/c")" -eq 2
check "invariants hold (losers' certificates revoked and on the CRL)" inv_check "$T/same"

# --- 8 collectors of 8 different requests at once
sed -i 's/^pfx_iterations = .*/pfx_iterations = 2048/' "$CONF"
M=8
i=1
while [ $i -le $M ]; do
	eval "id$i=\$(new_req John.Samson user-pin)"
	mkdir "$T/diff$i"
	i=$((i + 1))
done
rm -f "$T/go"; mkfifo "$T/go"
i=1
while [ $i -le $M ]; do
	eval "rid=\$id$i"
	(read -r _ <"$T/go"; exec "$CERTDESK" -c "$CONF" collect "$rid" \
	    --folder "$T/diff$i" --password-file "$T/pw.$rid" \
	    >"$T/diff.$i.out" 2>"$T/diff.$i.err"; ) &
	eval "pid$i=\$!"
	i=$((i + 1))
done
sleep 0.2
i=1; while [ $i -le $M ]; do echo go; i=$((i + 1)); done >"$T/go"
good=0
i=1
while [ $i -le $M ]; do
	eval "wait \$pid$i"; rc=$?
	if [ $rc -eq 0 ]; then good=$((good + 1)); else
		sed "s/^/# collector $i (exit $rc): /" "$T/diff.$i.err"; fi
	i=$((i + 1))
done
check "$M collectors of different requests: all succeed ($good)" test $good -eq $M
check "no 'database is locked' in any output" sh -c \
    "! cat '$T'/diff.*.out '$T'/diff.*.err | grep -qi 'database is locked\|store is locked'"
done_n=0
i=1
while [ $i -le $M ]; do
	eval "rid=\$id$i"
	[ "$(status_of "$rid")" = completed ] && done_n=$((done_n + 1))
	i=$((i + 1))
done
check "all $M requests completed" test $done_n -eq $M
check "invariants hold" inv_check "$T"
done_testing
