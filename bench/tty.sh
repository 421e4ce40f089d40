#!/bin/bash
# SPDX-License-Identifier: ISC
# tty.sh - bytes the operator interface writes to the terminal line for
# each screen change (bench/ttybytes: TERM=vt100, 80x24), and seconds at
# 9600 baud; compared with 'dialog --menu' of the same size.  Runs on the
# demo data set ('certdesk init --demo').
# Table on stdout and in $BENCH_OUT/tty.txt; raw output in $W while it runs.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"

RES=$BENCH_OUT/tty.txt
scratch
D=$W/tty
CONF=$D/certdesk.conf
mkdir -p "$D"
write_bench_conf "$CONF" "$D/data" no
cd_run init --demo >/dev/null || die "certdesk init --demo failed"
ID=$(cd_run request search --status awaiting-collection --profile ec-p256 |
    awk 'NR == 1 { print $1 }')
[ -n "$ID" ] || die "no request awaiting collection in the demo data"

# Keys from certdesk(1), OPERATOR INTERFACE; setup steps start with '-'.
"$BENCH_BIN/ttybytes" -o "$D" \
    'first-screen=@Search for a request' \
    '-search-all=\r' \
    'select-next-row={down}' \
    '-criteria=s^U\t' \
    "-request-id=$ID\\r@1 request found" \
    "open-view-request=\\r@View Request $ID" \
    'open-view-person=p@Person: ' \
    'switch-tab=2' \
    '-back=q@Request:' \
    'open-collect-dialog=c@Collect Soft Certificates' \
    'type-password-char=x' \
    -- "$CERTDESK" -c "$CONF" >"$D/certdesk.steps" || die "ttybytes on certdesk failed"

# dialog --menu, 80x24, as many items as fit
items=()
for i in $(seq 1 30); do items+=("$i" "Request $i for Person Number $i"); done
"$BENCH_BIN/ttybytes" \
    'first-screen=@Person Number 1' \
    'select-next-row={down}' \
    -- dialog --menu "Choose a request" 24 80 16 "${items[@]}" \
    >"$D/dialog.steps" || die "ttybytes on dialog failed"

printf 'program\tstep\tbytes\ts at 9600 baud\tms\n' >"$RES"
for p in certdesk dialog; do
	awk -v p="$p" '$1 == "step" && $2 !~ /^-/ {
	    printf "%s\t%s\t%s\t%s\t%s\n", p, $2, $3, $4, $5 }' \
	    "$D/$p.steps" >>"$RES"
done
table "$RES"
