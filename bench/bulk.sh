#!/bin/bash
# SPDX-License-Identifier: ISC
# bulk.sh - bulk collection throughput: 'certdesk collect --ready' of N
# ready requests of one generated-password profile into a folder (each
# with its own password and PIN mailer, printed to a private cupsd on
# loopback), with --jobs 1 and with one job per core, for EC P-256 and
# RSA-2048; certificates per second and the speed-up.  The two run
# interleaved (--jobs 1, --jobs N, --jobs N, --jobs 1, ...): the table
# gives the median rates and the median of the per-round speed-ups with
# their min and max, and the fsync+fdatasync calls per certificate of
# one --jobs 1 run (strace; "-" without strace).  When bench/collect-loop
# is built (make bench), the EC rounds also run it on the same store,
# N certificates of a user-password profile, interleaved with the bulk
# runs: the engine's time per certificate (its mean, 'request new'
# included) and --jobs 1 against it, paired.
#
#   BENCH_BULK_N       requests per run (default 24 EC, 12 RSA)
#   BENCH_BULK_ROUNDS  rounds (default 3 EC, 5 RSA)
#   BEFORE=PATH        also time another build's certdesk against this
#                      one, EC with --jobs 1, interleaved, on the same
#                      store (per-certificate ratio, median, min-max)
#   BENCH_BULK_QUEUE   the PIN mailers' queue: "remote" (default) or
#                      "backend"
#
# The PIN mailers' queue.  "remote" stands for a printer on another
# machine, which costs this one nothing: a raw queue whose device is
# file:/dev/null, for which CUPS 2.4 runs no filter and no backend (seen
# in cupsd's debug log: the job goes from "Sending job to queue tagged as
# raw" to "Job completed" with no process started), so cupsd's own work
# (taking, spooling, reporting and purging each job) is all that shares
# the cores.  "backend" is the tests' queue "secure" (tests/lib/cupsd.sh),
# whose backend is a shell script that copies each job to a file: one
# more process (and a cat) per job on the same cores.  The tests keep
# their queues.
# Table on stdout and in $BENCH_OUT/bulk.txt.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"
. "$top_srcdir/tests/lib/cupsd.sh"

RES=$BENCH_OUT/bulk.txt
CORES=$(nproc)
scratch
trap 'cupsd_stop; rm -rf "$W"' EXIT
cupsd_start "$W/cups" || die "private cupsd: $CUPSD_WHY"
case ${BENCH_BULK_QUEUE:-remote} in
remote)
	PINQ=remote
	"$(command -v lpadmin || echo /usr/sbin/lpadmin)" -h "$CUPS_SERVER" \
	    -p remote -v file:/dev/null -E -m raw >>"$W/lpadmin.log" 2>&1 ||
	    die "lpadmin: $(tail -n 1 "$W/lpadmin.log")"
	;;
backend) PINQ=secure ;;
*) die "BENCH_BULK_QUEUE: remote or backend" ;;
esac

CONF=$W/certdesk.conf
write_bench_conf "$CONF" "$W/data" no
# one person, many requests: the request id keeps the file names apart
sed -i 's/^\[general\]/[general]\nfilename_format = [[People.LogonName]] [[PolicyName]] [[RequestId]]/' "$CONF"
sed -i "s|^\[security\]|[print]\nprinter = test\npin_printer = $PINQ\ncups_server = $CUPS_SERVER\n\n[security]|" "$CONF"
: >"$BENCH_OUT/bulk-rounds.txt"
for k in ec-p256 rsa2048; do
	cat >>"$CONF" <<CONF
[profile.gen-$k]
name = Generated $k
password = generated
password_min = 12
pin_mailer_template = pin-mailer.txt
policies = $k

CONF
done
cd_run init >/dev/null || die "certdesk init failed"
cd_run person add --logon Bulk.User --name "Bulk User" \
    --email bulk@example.com --roles view >/dev/null || die "person add failed"

# engine N: ms per certificate of N collections through the engine in one
# process (collect-loop's mean)
engine() {
	mkdir -p "$W/out-engine"
	"$BENCH_BIN/collect-loop" -c "$CONF" -p ec-p256 -u Bulk.User \
	    -d "$W/out-engine" -n "$1" >"$W/engine.out" ||
	    die "collect-loop failed"
	awk '$1 == "per_cert_ms" { print $3 }' "$W/engine.out"
}
ENGINE=
[ -x "$BENCH_BIN/collect-loop" ] && ENGINE=engine

# run KEY N JOBS [strace]: seconds for one bulk run of N fresh requests
# (with strace: the count of sync calls instead)
run() {
	local i t0 t1 out=$W/out-$1-$3 s
	for ((i = 0; i < $2; i++)); do
		cd_run request new --person Bulk.User --profile "gen-$1" \
		    >/dev/null || die "request new failed"
	done
	rm -rf "$out"
	mkdir -p "$out"
	if [ -n "${4:-}" ]; then
		s=$(syncs_of "$CERTDESK" -c "$CONF" collect --ready --profile \
		    "gen-$1" --folder "$out" --jobs "$3")
		rm -f "$CUPSD_OUT_SECURE"/*
		[ "$s" = - ] && { echo -; return; }
		awk -v s="$s" -v n="$2" 'BEGIN { printf "%.1f", s / n }'
		return
	fi
	t0=$EPOCHREALTIME
	cd_run collect --ready --profile "gen-$1" --folder "$out" \
	    --jobs "$3" >"$W/bulk.log" 2>&1 || die "bulk run failed: $(tail -n 3 "$W/bulk.log")"
	t1=$EPOCHREALTIME
	[ "$(ls "$out" | wc -l)" -eq "$2" ] || die "expected $2 packages in $out"
	rm -f "$CUPSD_OUT_SECURE"/*
	awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'
}

printf 'key\tN\trounds\tjobs 1 cert/s\tjobs %d cert/s\tspeed-up\tsyncs/cert\n' "$CORES" >"$RES"
: >"$BENCH_OUT/bulk-rounds.txt"
for k in ec-p256 rsa2048; do
	case $k in
	ec-p256) n=${BENCH_BULK_N:-24}; R=${BENCH_BULK_ROUNDS:-3} ;;
	*) n=$(( ${BENCH_BULK_N:-24} / 2 )); R=${BENCH_BULK_ROUNDS:-5} ;;
	esac
	say "bulk: $k, $n requests, $R rounds of --jobs 1 and --jobs $CORES"
	RF=$W/rounds.$k
	: >"$RF"
	for ((i = 1; i <= R; i++)); do
		order="1 $CORES"
		[ $((i % 2)) -eq 0 ] && order="$CORES 1"
		if [ "$k" = ec-p256 ] && [ -n "$ENGINE" ]; then
			order="$order engine"
			[ $((i % 2)) -eq 0 ] && order="engine $CORES 1"
		fi
		for j in $order; do
			if [ "$j" = engine ]; then
				t=$(engine "$n") || exit 1
				echo "$i engine $t" >>"$RF"
				continue
			fi
			t=$(run "$k" "$n" "$j") || exit 1
			# per certificate, so that ratio_of gives the speed-up
			echo "$i j$j $(awk -v t="$t" -v n="$n" 'BEGIN { print t * 1000 / n }')" >>"$RF"
		done
	done
	sy=$(run "$k" "$n" 1 strace)
	m1=$(med_of "$RF" j1); mn=$(med_of "$RF" "j$CORES")
	printf '%s\t%d\t%d\t%.1f\t%.1f\t%s\t%s\n' "$k" "$n" "$R" \
	    "$(awk -v m="$m1" 'BEGIN { print 1000 / m }')" \
	    "$(awk -v m="$mn" 'BEGIN { print 1000 / m }')" \
	    "$(ratio_of "$RF" j1 "j$CORES")" "$sy" >>"$RES"
	sed "s/^/$k /" "$RF" >>"$BENCH_OUT/bulk-rounds.txt"
	[ "$k" = ec-p256 ] && [ -n "$ENGINE" ] && ENG_LINE=$(printf \
	    'ec-p256 --jobs 1 against the engine (collect-loop), ms per certificate: engine %.1f, --jobs 1 %.1f; --jobs 1 / engine %s (%d rounds of %d)' \
	    "$(med_of "$RF" engine)" "$m1" "$(ratio_of "$RF" j1 engine)" \
	    "$R" "$n")
done
[ -n "${ENG_LINE:-}" ] && printf '\n%s\n' "$ENG_LINE" >>"$RES"
if [ -n "${BEFORE:-}" ]; then
	n=${BENCH_BULK_N:-24}; R=${BENCH_BULK_ROUNDS:-3}
	say "bulk: ec-p256 --jobs 1, $R rounds of $BEFORE and this build"
	RF=$W/rounds.before
	: >"$RF"
	for ((i = 1; i <= R; i++)); do
		order="before this"
		[ $((i % 2)) -eq 0 ] && order="this before"
		for b in $order; do
			if [ "$b" = before ]; then
				t=$(CERTDESK=$BEFORE run ec-p256 "$n" 1) || exit 1
			else
				t=$(run ec-p256 "$n" 1) || exit 1
			fi
			echo "$i $b $(awk -v t="$t" -v n="$n" 'BEGIN { print t * 1000 / n }')" >>"$RF"
		done
	done
	printf '\nec-p256 --jobs 1, ms per certificate: before %.1f, this build %.1f; before / this build %s (%d rounds of %d)\n' \
	    "$(med_of "$RF" before)" "$(med_of "$RF" this)" \
	    "$(ratio_of "$RF" before this)" "$R" "$n" >>"$RES"
	sed "s/^/before /" "$RF" >>"$BENCH_OUT/bulk-rounds.txt"
fi
printf '\nPIN mailers printed to queue "%s" (BENCH_BULK_QUEUE=%s)\n' "$PINQ" \
    "${BENCH_BULK_QUEUE:-remote}" >>"$RES"
table "$RES"
