#!/bin/bash
# SPDX-License-Identifier: ISC
# bulk.sh - bulk collection throughput: 'certdesk collect --ready' of N
# ready requests of one generated-password profile into a folder (each
# with its own password and PIN mailer, printed to a private cupsd on
# loopback), with --jobs 1 and with one job per core, for EC P-256 and
# RSA-2048; certificates per second and the speed-up.
#
#   BENCH_BULK_N   requests per run (default 24 EC, 12 RSA)
# Table on stdout and in $BENCH_OUT/bulk.txt.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"
. "$top_srcdir/tests/lib/cupsd.sh"

RES=$BENCH_OUT/bulk.txt
CORES=$(nproc)
scratch
trap 'cupsd_stop; rm -rf "$W"' EXIT
cupsd_start "$W/cups" || die "private cupsd: $CUPSD_WHY"

CONF=$W/certdesk.conf
write_bench_conf "$CONF" "$W/data" no
# one person, many requests: the request id keeps the file names apart
sed -i 's/^\[general\]/[general]\nfilename_format = [[People.LogonName]] [[PolicyName]] [[RequestId]]/' "$CONF"
sed -i "s|^\[security\]|[print]\nprinter = test\npin_printer = secure\ncups_server = $CUPS_SERVER\n\n[security]|" "$CONF"
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

# run KEY N JOBS: seconds for one bulk run of N fresh requests
run() {
	local i t0 t1 out=$W/out-$1-$3
	for ((i = 0; i < $2; i++)); do
		cd_run request new --person Bulk.User --profile "gen-$1" \
		    >/dev/null || die "request new failed"
	done
	mkdir -p "$out"
	t0=$EPOCHREALTIME
	cd_run collect --ready --profile "gen-$1" --folder "$out" \
	    --jobs "$3" >"$W/bulk.log" 2>&1 || die "bulk run failed: $(tail -n 3 "$W/bulk.log")"
	t1=$EPOCHREALTIME
	[ "$(ls "$out" | wc -l)" -eq "$2" ] || die "expected $2 packages in $out"
	rm -f "$CUPSD_OUT_SECURE"/*
	awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'
}

printf 'key\tN\tjobs 1 cert/s\tjobs %d cert/s\tspeed-up\n' "$CORES" >"$RES"
for k in ec-p256 rsa2048; do
	case $k in
	ec-p256) n=${BENCH_BULK_N:-24} ;;
	*) n=$(( ${BENCH_BULK_N:-24} / 2 )) ;;
	esac
	say "bulk: $k, $n requests, --jobs 1 and --jobs $CORES"
	s1=$(run "$k" "$n" 1) && sn=$(run "$k" "$n" "$CORES") || exit 1
	awk -v k="$k" -v n="$n" -v a="$s1" -v b="$sn" 'BEGIN {
		printf "%s\t%d\t%.1f\t%.1f\t%.2f\n", k, n, n / a, n / b, a / b }' >>"$RES"
done
table "$RES"
