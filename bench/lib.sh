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
