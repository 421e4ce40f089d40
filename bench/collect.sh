#!/bin/bash
# SPDX-License-Identifier: ISC
# collect.sh - collection end to end, per certificate: certdesk (engine
# loop and CLI) against the OpenSSL lower bound (ossl-loop), the openssl
# CLI pipeline a script would use, and easy-rsa 3; EC P-256, RSA-2048 and
# RSA-3072; default (AES-256/SHA-256) and legacy (sha1_pfx) PKCS#12 with
# the default iteration counts of certdesk.conf(5) (10000 / MAC 2048).
#
#   BENCH_N       EC P-256 collections per method (default 30)
#   BENCH_N_RSA   RSA collections per method (default 6; RSA-3072: half)
#   BENCH_EASYRSA 0 to skip easy-rsa
# Table on stdout and in $BENCH_OUT/collect.txt.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/bench/lib.sh"

N_EC=${BENCH_N:-30}
N_RSA=${BENCH_N_RSA:-6}
PW=Bench-Passw0rd
RES=$BENCH_OUT/collect.txt
scratch

n_for() {
	case $1 in
	ec-p256) echo "$N_EC" ;;
	rsa2048) echo "$N_RSA" ;;
	*) echo $(( (N_RSA + 1) / 2 )) ;;
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

# easyrsa KEY N: build-client-full + export-p12 in a scratch PKI
easyrsa_run() {
	local i t0 algo E=$W/easyrsa-$1
	local ER=/usr/share/easy-rsa/easyrsa
	[ -x "$ER" ] || { echo "-"; return; }
	case $1 in
	ec-p256) algo="--use-algo=ec --curve=prime256v1" ;;
	rsa2048) algo="--use-algo=rsa --keysize=2048" ;;
	*) algo="--use-algo=rsa --keysize=3072" ;;
	esac
	export EASYRSA_BATCH=1 EASYRSA_PKI=$E/pki
	mkdir -p "$E" && cd "$E" || die "easyrsa dir"
	"$ER" init-pki >/dev/null 2>&1 &&
	EASYRSA_REQ_CN="Bench CA" "$ER" $algo build-ca nopass >/dev/null 2>&1 ||
	    die "easyrsa build-ca"
	for i in $(seq "$2"); do
		t0=$EPOCHREALTIME
		"$ER" $algo build-client-full "user$i" nopass >/dev/null 2>&1 &&
		"$ER" --passout="pass:$PW" export-p12 "user$i" >/dev/null 2>&1 ||
		    die "easyrsa client $i failed"
		echo "$EPOCHREALTIME $t0" | awk '{ printf "%.3f\n", ($1 - $2) * 1000 }'
	done | median
	cd - >/dev/null || true
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

printf 'key\tpkcs12\tN\tengine ms\tCLI ms\tlower ms\tlower+full-readback ms\topenssl-cli ms\teasy-rsa ms\tengine/lower\tCLI/engine\topenssl-cli/engine\teasy-rsa/engine\n' >"$RES"
for SHA1 in no yes; do
	setup "$SHA1"
	for key in ec-p256 rsa2048 rsa3072; do
		n=$(n_for "$key")
		say "collect: $key sha1_pfx=$SHA1 N=$n"
		e=$(engine "$key" "$n")
		c=$(cli "$key" "$n")
		l=$(lower "$key" "$n")
		lr=$(lower "$key" "$n" -r)
		p=$(pipeline "$key" "$n")
		er=-
		if [ "$SHA1" = no ] && [ "$key" != rsa3072 ] &&
		    [ "${BENCH_EASYRSA:-1}" != 0 ]; then
			er=$(easyrsa_run "$key" $(( n < 5 ? n : 5 )))
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		    "$key" "$([ "$SHA1" = yes ] && echo legacy || echo default)" \
		    "$n" "$e" "$c" "$l" "$lr" "$p" "$er" "$(ratio "$e" "$l")" \
		    "$(ratio "$c" "$e")" "$(ratio "$p" "$e")" "$(ratio "$er" "$e")" >>"$RES"
		sed -n 's/^step /  engine step /p' "$D/engine.$key" >&2
	done
done
table "$RES"
