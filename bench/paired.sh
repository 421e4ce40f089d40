# SPDX-License-Identifier: ISC
# paired.sh - shared by bench/start.sh and bench/server.sh (bash): one
# command's wall time (usec), an interleaved comparison of two commands
# reported as the median of the per-pair ratios with min and max and the
# absolute medians (pair), and a private certdeskd on a store whose only
# operator is the current user, with one EC P-256 FileStore profile
# (server).  A script sources it, then calls paired_init.

# paired_init NAME PAIRS WARMUP "$@": the programs (CERTDESK, CERTDESKD),
# -n PAIRS and -w WARMUP (the defaults given), a scratch folder W under
# BENCH_TMP (/dev/shm when writable) removed at exit with the certdeskd
# that server started (KEEP=1 keeps the folder).
paired_init() {
	local name=$1 o
	PAIRS=$2
	WARMUP=$3
	shift 3
	CERTDESK=${CERTDESK:-$top_builddir/certdesk}
	CERTDESKD=${CERTDESKD:-$top_builddir/certdeskd}
	OPTIND=1
	while getopts n:w: o; do
		case $o in
		n) PAIRS=$OPTARG ;;
		w) WARMUP=$OPTARG ;;
		*) echo "usage: $name [-n PAIRS] [-w WARMUP]" >&2; exit 2 ;;
		esac
	done
	[ -x "$CERTDESK" ] ||
	    { echo "$name: no $CERTDESK (make first)" >&2; exit 1; }
	if [ -z "${BENCH_TMP:-}" ]; then
		if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMP=/dev/shm
		else BENCH_TMP=${TMPDIR:-/tmp}; fi
	fi
	W=$(mktemp -d "$BENCH_TMP/cdbench.XXXXXX") || exit 1
	SRV_PID=
	trap paired_cleanup EXIT
	trap 'exit 1' HUP INT TERM
}

paired_cleanup() {
	[ -z "$SRV_PID" ] || { kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID"; }
	[ -n "${KEEP:-}" ] || rm -rf "$W"; [ -z "${KEEP:-}" ] || echo "kept $W" >&2
}

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

