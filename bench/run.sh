#!/bin/bash
# SPDX-License-Identifier: ISC
# run.sh - every certdesk benchmark in one go ('make bench'): collection
# (bench/collect.sh), bulk collection (bench/bulk.sh), search and
# start-up (bench/search.sh) and the
# terminal line (bench/tty.sh).  Installs what is missing (easy-rsa,
# hyperfine, dialog) with apt-get when run as root.  Tables on stdout and
# in bench/results/*.txt; each part also runs alone:
#   top_srcdir=. bash bench/search.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"

# install_missing: Debian packages the comparisons need
install_missing() {
	local need=""
	[ -x /usr/share/easy-rsa/easyrsa ] || need="$need easy-rsa"
	command -v hyperfine >/dev/null 2>&1 || need="$need hyperfine"
	command -v dialog >/dev/null 2>&1 || need="$need dialog"
	[ -n "$need" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		say "bench: not root, cannot install:$need (skipped parts show '-')"
		return 0
	fi
	say "bench: installing$need"
	apt-get update -qq >/dev/null &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null ||
	    say "bench: apt-get failed; going on without:$need"
}

for p in ossl-loop collect-loop gen-store search ttybytes; do
	[ -x "$BENCH_BIN/$p" ] || die "$BENCH_BIN/$p is missing: run 'make bench'"
done
install_missing
{
	echo "certdesk benchmarks, $(date '+%Y-%m-%d %H:%M')"
	echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$BENCH_OUT/machine.txt"
start=$EPOCHREALTIME
for part in collect bulk search tty start server; do
	echo
	echo "== $part"
	bash "$top_srcdir/bench/$part.sh" || die "$part failed"
done
echo
awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { printf "total: %.0f s\n", a - b }' |
    tee -a "$BENCH_OUT/machine.txt"
