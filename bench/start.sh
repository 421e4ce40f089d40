#!/bin/bash
# SPDX-License-Identifier: ISC
# start.sh - what a certdesk process costs before it does anything: paired
# and interleaved (A B A B ...) wall-clock runs of two commands, reported
# as the median of the per-pair ratios A/B with their minimum and
# maximum, and the absolute medians of A and B.
#
#   certdesk --version   against  openssl version          (target <= 1.5x)
#   a search through a private certdeskd ("certdesk -S SOCKET request
#   search")             against  certdesk --version        (target <= 2x)
#   a call through the client API to that certdeskd ("certdesk -S SOCKET
#   collect 999999", refused: no such request) against --version
#   $BEFORE --version    against  certdesk --version  (when BEFORE names
#                                 an older build, e.g. a copy of certdesk;
#                                 the API call too)
#
# The server pair needs a certdeskd that the current user may start (a
# private data folder, the user as its first operator); it is left out,
# with a note, when that fails.
#
#   usage: bench/start.sh [-n PAIRS] [-w WARMUP]      (default 200 and 20)
#   env:   top_builddir, CERTDESK, CERTDESKD, BEFORE, BENCH_TMP
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
export LC_ALL=C
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
CERTDESK=${CERTDESK:-$top_builddir/certdesk}
CERTDESKD=${CERTDESKD:-$top_builddir/certdeskd}
BEFORE=${BEFORE:-}
PAIRS=200
WARMUP=20
while getopts n:w: o; do
	case $o in
	n) PAIRS=$OPTARG ;;
	w) WARMUP=$OPTARG ;;
	*) echo "usage: $0 [-n PAIRS] [-w WARMUP]" >&2; exit 2 ;;
	esac
done
[ -x "$CERTDESK" ] || { echo "start.sh: no $CERTDESK (make first)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "start.sh: no openssl" >&2; exit 1; }
if [ -z "${BENCH_TMP:-}" ]; then
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMP=/dev/shm
	else BENCH_TMP=${TMPDIR:-/tmp}; fi
fi
W=$(mktemp -d "$BENCH_TMP/cdstart.XXXXXX") || exit 1
SRV_PID=
cleanup() {
	[ -z "$SRV_PID" ] || { kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID"; }
	[ -n "${KEEP:-}" ] || rm -rf "$W"; [ -z "${KEEP:-}" ] || echo "kept $W" >&2
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# usec CMD...: the wall time of one run in microseconds (in $US); output
# discarded.  A failing command stops the benchmark: it measures nothing.
# "! CMD...": CMD is expected to refuse (exit 1 to 127), not to crash.
usec() {
	local t0 t1 rc want=0
	[ "$1" != "!" ] || { want=1; shift; }
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>"$W/err"
	rc=$?
	t1=${EPOCHREALTIME/./}
	if [ $want -eq 0 ] && [ $rc -ne 0 ] ||
	    [ $want -eq 1 ] && { [ $rc -eq 0 ] || [ $rc -ge 128 ]; }; then
		echo "start.sh: '$*' exited $rc: $(head -3 "$W/err")" >&2
		exit 1
	fi
	US=$((t1 - t0))
}

# pair NAME "A CMD" "B CMD": WARMUP unrecorded pairs, then PAIRS pairs
# A B A B ...; one result line.
pair() {
	local name=$1 a=$2 b=$3 i ta
	for ((i = 0; i < WARMUP; i++)); do usec $a; usec $b; done
	: >"$W/pairs"
	for ((i = 0; i < PAIRS; i++)); do
		usec $a; ta=$US
		usec $b
		echo "$ta $US" >>"$W/pairs"
	done
	awk -v name="$name" '
	function med(v, n,   k, t, j) {
		for (k = 2; k <= n; k++) {	# insertion sort: n is small
			t = v[k]
			for (j = k - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
			v[j + 1] = t
		}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{ n++; a[n] = $1; b[n] = $2; r[n] = $1 / $2
	  if (n == 1 || r[n] < lo) lo = r[n]; if (n == 1 || r[n] > hi) hi = r[n] }
	END {
		printf "%-34s %6.2fx  (min %.2f, max %.2f)  A %6.2f ms  B %6.2f ms  %d pairs\n",
		    name, med(r, n), lo, hi, med(a, n) / 1000, med(b, n) / 1000, n
	}' "$W/pairs"
}

# server: a private store with the current user as its only operator and
# a certdeskd on $W/sock; 1 when that cannot be had.
server() {
	local root=
	[ "$(id -u)" -ne 0 ] || root=--allow-root
	cat >"$W/conf" <<CONF
[general]
datadir = $W/data
organisation = Bench Ltd
templatedir = $top_srcdir/etc/templates

[server]
socket = $W/sock

[policy.ec]
name = Signing EC
key = ec-p256
validity = 365
key_usage = digitalSignature
subject = CN=[[People.FullName]], O=Bench Ltd
storage = FileStore

[profile.ec]
name = Soft certificate EC
password = user
password_min = 8
policies = ec
CONF
	mkdir -m 700 "$W/data"
	# init makes the user who runs it the store's first operator
	"$CERTDESK" -c "$W/conf" init --ca-name "bench CA" >/dev/null 2>&1 ||
	    return 1
	[ -x "$CERTDESKD" ] || return 1
	"$CERTDESKD" -c "$W/conf" -s "$W/sock" --sweep-interval 0 $root \
	    2>"$W/certdeskd.log" &
	SRV_PID=$!
	for ((i = 0; i < 50; i++)); do
		[ -S "$W/sock" ] && "$CERTDESK" -c "$W/conf" -S "$W/sock" \
		    request search >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

echo "certdesk start-up, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of per-pair ratios A/B (A B A B ..., $WARMUP warm-up pairs)"
pair "certdesk --version / openssl" "$CERTDESK --version" "openssl version"
if [ -n "$BEFORE" ]; then
	pair "before --version / certdesk" "$BEFORE --version" \
	    "$CERTDESK --version"
fi
if server; then
	pair "search via server / --version" \
	    "$CERTDESK -c $W/conf -S $W/sock request search" \
	    "$CERTDESK --version"
	# a call that goes through the client API: the preview of a
	# collection, refused by certdeskd (no such request)
	pair "API call via server / --version" \
	    "! $CERTDESK -S $W/sock collect 999999" "$CERTDESK --version"
	[ -z "$BEFORE" ] || pair "before API call / API call" \
	    "! $BEFORE -S $W/sock collect 999999" \
	    "! $CERTDESK -S $W/sock collect 999999"
else
	echo "search via server: no certdeskd could be started here" \
	    "($(tail -1 "$W/certdeskd.log" 2>/dev/null))"
fi
