#!/bin/bash
# SPDX-License-Identifier: ISC
# collect.sh - collection end to end, per certificate: certdesk (engine
# loop and CLI) against the OpenSSL lower bound (ossl-loop), the openssl
# CLI pipeline a script would use, and easy-rsa 3; EC P-256, RSA-2048 and
# RSA-3072; default (AES-256/SHA-256) and legacy (sha1_pfx) PKCS#12 with
# the default iteration counts of certdesk.conf(5) (10000 / MAC 2048).
#
# The methods run interleaved: in each round every method does a batch
# (engine and lower bound: BENCH_BATCH certificates in one process, the
# others one each), and the ratios are taken round by round; the table
# gives the absolute medians and the median of the per-round ratios with
# their min and max.  The sync column counts fsync+fdatasync per
# collection (strace): the engine loop's, and 'request new' + 'collect'
# as processes.
#
#   BENCH_ROUNDS     EC P-256 rounds (default 15)
#   BENCH_ROUNDS_RSA RSA-2048 rounds (default 10; RSA-3072: 6)
#   BENCH_BATCH      certificates per round in one process (default 3)
#   BENCH_EASYRSA    0 to skip easy-rsa
# Table on stdout and in $BENCH_OUT/collect.txt; every round's figures in
# $BENCH_OUT/collect-rounds.txt.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"

R_EC=${BENCH_ROUNDS:-15}
R_RSA=${BENCH_ROUNDS_RSA:-10}
B=${BENCH_BATCH:-3}
ROUNDS=$BENCH_OUT/collect-rounds.txt
PW=Bench-Passw0rd
RES=$BENCH_OUT/collect.txt
scratch

rounds_for() {
	case $1 in
	ec-p256) echo "$R_EC" ;;
	rsa2048) echo "$R_RSA" ;;
	*) echo $(( R_RSA * 6 / 10 )) ;;
	esac
}

# setup SHA1: a store with one holder, $CONF, $OUTDIR
setup() {
	D=$W/$1
	CONF=$D/certdesk.conf
	OUTDIR=$D/out
	mkdir -p "$OUTDIR"
	write_bench_conf "$CONF" "$D/data" "$1"
	cd_run init >/dev/null || die "certdesk init failed"
	cd_run person add --logon Susan.Smith --name "Susan Smith" \
	    --email susan.smith@example.com >/dev/null || die "person add"
	printf '%s\n' "$PW" >"$D/pw"
}

# engine KEY N: median ms per certificate through libengine
engine() {
	"$BENCH_BIN/collect-loop" -c "$CONF" -p "$1" -u Susan.Smith \
	    -d "$OUTDIR" -n "$2" >"$D/engine.$1" || die "collect-loop failed"
	awk '$1 == "per_cert_ms" { print $2 }' "$D/engine.$1"
}

# cli KEY N: median ms of 'request new' + 'collect' as processes
cli() {
	local i id t0
	for i in $(seq "$2"); do
		t0=$EPOCHREALTIME
		id=$(cd_run request new --person Susan.Smith --profile "$1" \
		    2>/dev/null) || die "request new failed"
		cd_run collect "$id" --folder "$OUTDIR" --overwrite \
		    --password-fd 3 3<"$D/pw" >/dev/null || die "collect failed"
		echo "$EPOCHREALTIME $t0" | awk '{ printf "%.3f\n", ($1 - $2) * 1000 }'
	done | median
}

# lower KEY N [-r]: ossl-loop, the same OpenSSL calls in one process
lower() {
	local legacy=""
	[ "$SHA1" = yes ] && legacy=-l
	"$BENCH_BIN/ossl-loop" -k "$1" -n "$2" -C "$D/data/ca/ca.crt" \
	    -K "$D/data/ca/ca.key" -d "$OUTDIR" -i 10000 -m 2048 $legacy ${3:-} |
	    awk '$1 == "per_cert_ms" { print $2 }'
}

genpkey_opts() {
	case $1 in
	ec-p256) echo "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" ;;
	rsa2048) echo "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" ;;
	rsa3072) echo "-algorithm RSA -pkeyopt rsa_keygen_bits:3072" ;;
	esac
}

# pipeline KEY N: genpkey, req, x509 -req -CA, pkcs12 -export
pipeline() {
	local i t0 p12 P=$D/pipe
	mkdir -p "$P"
	cat >"$P/ext.cnf" <<'EXT'
[v3]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = email:susan.smith@example.com
EXT
	if [ "$SHA1" = yes ]; then
		p12="-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1"
	else
		p12="-keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256"
	fi
	for i in $(seq "$2"); do
		t0=$EPOCHREALTIME
		openssl genpkey $(genpkey_opts "$1") -out "$P/k.pem" 2>/dev/null &&
		openssl req -new -key "$P/k.pem" -subj "/CN=Susan Smith/O=Bench Ltd" \
		    -out "$P/r.csr" &&
		openssl x509 -req -in "$P/r.csr" -CA "$D/data/ca/ca.crt" \
		    -CAkey "$D/data/ca/ca.key" -CAserial "$P/serial" \
		    -CAcreateserial -days 365 -sha384 -extfile "$P/ext.cnf" \
		    -extensions v3 -out "$P/c.pem" 2>/dev/null &&
		openssl pkcs12 -export -inkey "$P/k.pem" -in "$P/c.pem" \
		    -certfile "$D/data/ca/ca.crt" -name "Susan Smith - Signing" \
		    $p12 -iter 10000 -passout "file:$D/pw" \
		    -out "$OUTDIR/pipe.pfx" || die "openssl pipeline failed"
		echo "$EPOCHREALTIME $t0" | awk '{ printf "%.3f\n", ($1 - $2) * 1000 }'
	done | median
}

# easyrsa_setup KEY: a scratch PKI (0: ready, 1: no easy-rsa)
ER=/usr/share/easy-rsa/easyrsa
easyrsa_setup() {
	local algo E=$W/easyrsa-$1
	[ -x "$ER" ] || return 1
	case $1 in
	ec-p256) ER_ALGO="--use-algo=ec --curve=prime256v1" ;;
	rsa2048) ER_ALGO="--use-algo=rsa --keysize=2048" ;;
	*) ER_ALGO="--use-algo=rsa --keysize=3072" ;;
	esac
	export EASYRSA_BATCH=1 EASYRSA_PKI=$E/pki
	mkdir -p "$E" && cd "$E" || die "easyrsa dir"
	"$ER" init-pki >/dev/null 2>&1 &&
	EASYRSA_REQ_CN="Bench CA" "$ER" $ER_ALGO build-ca nopass >/dev/null 2>&1 ||
	    die "easyrsa build-ca"
	cd - >/dev/null || true
}

# easyrsa_one ROUND: ms of build-client-full + export-p12 of client ROUND
easyrsa_one() {
	local t0 ER_N=$1
	(cd "$W/easyrsa-$key" &&
	t0=$EPOCHREALTIME &&
	"$ER" $ER_ALGO build-client-full "user$ER_N" nopass >/dev/null 2>&1 &&
	"$ER" --passout="pass:$PW" export-p12 "user$ER_N" >/dev/null 2>&1 &&
	echo "$EPOCHREALTIME $t0" | awk '{ printf "%.3f\n", ($1 - $2) * 1000 }') ||
	    die "easyrsa client $ER_N failed"
}

# measure ROUND METHOD: one batch of METHOD, as "ROUND METHOD MS"
measure() {
	local v
	case $2 in
	engine) v=$(engine "$key" "$B") ;;
	cli) v=$(cli "$key" 1) ;;
	lower) v=$(lower "$key" "$B") ;;
	lower-r) v=$(lower "$key" "$B" -r) ;;
	pipeline) v=$(pipeline "$key" 1) ;;
	easyrsa) v=$(easyrsa_one "$1") ;;
	esac
	[ -n "$v" ] || die "$2 failed in round $1"
	echo "$1 $2 $v" >>"$RF"
}

# syncs per collection: the engine loop (B collections, one process) and
# 'request new' + 'collect' as processes
engine_syncs() {
	local n
	n=$(syncs_of "$BENCH_BIN/collect-loop" -c "$CONF" -p "$key" \
	    -u Susan.Smith -d "$OUTDIR" -n "$B")
	[ "$n" = - ] && { echo -; return; }
	awk -v n="$n" -v b="$B" 'BEGIN { printf "%.1f", n / b }'
}
cli_syncs() {
	local id a c
	a=$(syncs_of "$CERTDESK" -c "$CONF" request new --person Susan.Smith \
	    --profile "$key")
	id=$(cd_run request new --person Susan.Smith --profile "$key" \
	    2>/dev/null) || die "request new failed"
	c=$(syncs_of "$CERTDESK" -c "$CONF" collect "$id" --folder "$OUTDIR" \
	    --overwrite --password-fd 3 3<"$D/pw")
	echo "$a+$c"
}

printf 'key\tpkcs12\trounds\tengine ms\tCLI ms\tlower ms\tlower+full-readback ms\topenssl-cli ms\teasy-rsa ms\tengine/lower\tCLI/engine\topenssl-cli/engine\teasy-rsa/engine\tsyncs engine\tsyncs request+collect\n' >"$RES"
: >"$ROUNDS"
for SHA1 in no yes; do
	setup "$SHA1"
	for key in ec-p256 rsa2048 rsa3072; do
		R=$(rounds_for "$key")
		methods="engine lower cli lower-r pipeline"
		if [ "$SHA1" = no ] && [ "$key" != rsa3072 ] &&
		    [ "${BENCH_EASYRSA:-1}" != 0 ] && easyrsa_setup "$key"; then
			methods="$methods easyrsa"
		fi
		say "collect: $key sha1_pfx=$SHA1, $R rounds of: $methods"
		RF=$W/rounds.$SHA1.$key
		: >"$RF"
		for ((i = 1; i <= R; i++)); do
			order=$methods
			[ $((i % 2)) -eq 0 ] &&
			    order=$(echo "$methods" | tr ' ' '\n' | tac | tr '\n' ' ')
			for m in $order; do measure "$i" "$m"; done
		done
		sed "s/^/$key $SHA1 /" "$RF" >>"$ROUNDS"
		er=-
		case $methods in *easyrsa*) er=$(med_of "$RF" easyrsa) ;; esac
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		    "$key" "$([ "$SHA1" = yes ] && echo legacy || echo default)" \
		    "${R}x$B" "$(med_of "$RF" engine)" "$(med_of "$RF" cli)" \
		    "$(med_of "$RF" lower)" "$(med_of "$RF" lower-r)" \
		    "$(med_of "$RF" pipeline)" "$er" \
		    "$(ratio_of "$RF" engine lower)" "$(ratio_of "$RF" cli engine)" \
		    "$(ratio_of "$RF" pipeline engine)" \
		    "$(ratio_of "$RF" easyrsa engine)" "$(engine_syncs)" \
		    "$(cli_syncs)" >>"$RES"
		sed -n 's/^step /  engine step /p' "$D/engine.$key" >&2
	done
done
table "$RES"
