# SPDX-License-Identifier: ISC
# lib.sh - shared by the bench scripts: paths, a scratch folder, the
# bench configuration (certdesk.conf(5) defaults for PKCS#12 iterations),
# result files and tables.
#
#   BENCH_TMP   where scratch data goes (default: /dev/shm if writable)
#   BENCH_OUT   where result tables go (default: bench/results)
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
CERTDESK=${CERTDESK:-$top_builddir/certdesk}
BENCH_BIN=$top_builddir/bench
BENCH_OUT=${BENCH_OUT:-$top_builddir/bench/results}
if [ -z "${BENCH_TMP:-}" ]; then
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMP=/dev/shm
	else BENCH_TMP=${TMPDIR:-/tmp}; fi
fi
mkdir -p "$BENCH_OUT"

# scratch DIR: a fresh folder removed on exit
scratch() {
	W=$(mktemp -d "$BENCH_TMP/cdbench.XXXXXX") || exit 1
	trap 'rm -rf "$W"' EXIT
	trap 'rm -rf "$W"; exit 1' HUP INT TERM
}

say() { echo "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# write_bench_conf FILE DATADIR SHA1(yes|no): one FileStore policy and
# one user-PIN profile per key type; PKCS#12 iterations left at their
# defaults (pfx_iterations 10000, mac_iterations 2048).
write_bench_conf() {
	cat >"$1" <<CONF
[general]
datadir = $2
organisation = Bench Ltd
templatedir = $top_srcdir/etc/templates

[security]
sha1_pfx = $3

CONF
	for k in ec-p256 rsa2048 rsa3072; do
		cat >>"$1" <<CONF
[policy.$k]
name = Signing $k
key = $k
validity = 365
key_usage = digitalSignature, nonRepudiation
extended_key_usage = emailProtection, clientAuth
subject = CN=[[People.FullName]], O=Bench Ltd
subject_alt_name = email:[[People.Email]]
storage = FileStore

[profile.$k]
name = Soft certificate $k
password = user
password_min = 8
policies = $k

CONF
	done
}

# cd_run ARGS...: certdesk on $CONF, quiet
cd_run() { "$CERTDESK" -c "$CONF" "$@"; }

# median of numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# now_ms: wall clock in milliseconds (with fractions)
now_ms() { date +%s.%N | awk '{ printf "%.3f", $1 * 1000 }'; }

# table FILE: print FILE (tab-separated) aligned, and keep it
table() {
	column -t -s "$(printf '\t')" "$1"
}

# Paired figures.  A comparison runs its methods interleaved, round by
# round (A B A B ..., the order swapped every other round so neither
# always runs first), and appends "ROUND METHOD MS" lines to a file.
#   med_of FILE METHOD     the median of METHOD's values
#   ratio_of FILE A B      the median of the per-round ratios A/B with
#                          their min and max: "1.08 (1.02-1.21)"
med_of() {
	awk -v m="$2" '$2 == m { print $3 }' "$1" | median
}
ratio_of() {
	awk -v a="$2" -v b="$3" '
	$2 == a { va[$1] = $3 } $2 == b { vb[$1] = $3 }
	END { for (r in va) if ((r in vb) && vb[r] > 0) print va[r] / vb[r] }' "$1" |
	    sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		printf "%.2f (%.2f-%.2f)\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# syncs_of CMD...: fsync + fdatasync calls CMD makes (strace; "-" when
# strace is missing or not allowed)
syncs_of() {
	local f=$W/strace.out
	command -v strace >/dev/null 2>&1 || { echo -; return; }
	strace -f -qq -e trace=fsync,fdatasync -o "$f" "$@" >/dev/null 2>&1 ||
	    { echo -; return; }
	grep -cE '^([0-9]+ +)?(fsync|fdatasync)\(' "$f"
}
