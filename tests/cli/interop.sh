#!/bin/sh
# SPDX-License-Identifier: ISC
# interop.sh - packages written by 'certdesk collect' read back by
# independent PKCS#12 implementations, in the default (AES-256/SHA-256)
# and the legacy (3DES/SHA-1) profile: OpenSSL, NSS pk12util into a
# scratch database, Java keytool and GnuTLS certtool.
. "${top_srcdir:-.}/tests/lib/common.sh"

PW='Interop-Pass-42'
printf '%s\n' "$PW" >"$T/pw"
printf '%s' "$PW" >"$T/pw.nonl"

collect_mode() {
	# collect_mode yes|no DIR: one package of two certificates
	SHA1_PFX=$1
	export SHA1_PFX
	write_conf
	[ -f "$T/data/certdesk.db" ] || cd_ init
	cd_ person add --logon Ida.Interop --name "Ida Interop" \
	    --email ida@example.com --upn ida@corp.example.com 2>/dev/null
	cd_ request new --person Ida.Interop --profile user-pin
	id=$(cat "$OUT")
	mkdir -p "$2"
	cd_ collect "$id" --folder "$2" --password-file "$T/pw"
	expect_rc 0 "collect (sha1_pfx=$1)"
}

check_mode() {
	mode=$1 dir=$2
	f="$dir/Ida.Interop Signing.pfx"
	openssl pkcs12 -in "$f" -info -noout -passin file:"$T/pw" \
	    >"$T/info" 2>&1
	if [ "$mode" = no ]; then
		check "openssl: MAC sha256 ($mode)" grep -q 'MAC: sha256' "$T/info"
		check "openssl: AES-256 PBES2 ($mode)" grep -q 'PBES2, PBKDF2, AES-256-CBC' "$T/info"
	else
		check "openssl: MAC sha1 ($mode)" grep -q 'MAC: sha1' "$T/info"
		check "openssl: 3DES ($mode)" grep -q 'pbeWithSHA1And3-KeyTripleDES-CBC' "$T/info"
	fi
	if command -v pk12util >/dev/null 2>&1; then
		db="$T/nss-$mode"
		mkdir -p "$db"
		certutil -N -d "sql:$db" --empty-password
		pk12util -i "$f" -d "sql:$db" -w "$T/pw.nonl" >"$T/pk" 2>&1
		check "NSS pk12util imports ($mode)" grep -q 'PKCS12 IMPORT SUCCESSFUL' "$T/pk"
		certutil -L -d "sql:$db" >"$T/l" 2>&1
		check "NSS lists the user certificate ($mode)" grep -q 'u,u,u' "$T/l"
		certutil -K -d "sql:$db" </dev/null >"$T/k" 2>&1
		check "NSS holds its key ($mode)" grep -q 'Ida Interop - Signing' "$T/k"
	else
		skip_n 3 "NSS ($mode)" "pk12util not installed"
	fi
	if command -v keytool >/dev/null 2>&1; then
		keytool -list -v -storetype PKCS12 -keystore "$f" \
		    -storepass:file "$T/pw.nonl" >"$T/kt" 2>&1
		check "Java keytool reads a PrivateKeyEntry ($mode)" grep -q 'PrivateKeyEntry' "$T/kt"
		check "Java keytool sees the chain of 2 ($mode)" grep -q 'Certificate chain length: 2' "$T/kt"
	else
		skip_n 2 "keytool ($mode)" "keytool not installed"
	fi
	if command -v certtool >/dev/null 2>&1; then
		certtool --p12-info --inder --password "$PW" --infile "$f" \
		    >"$T/ct" 2>&1
		mac=SHA256; [ "$mode" = yes ] && mac=SHA1
		check "GnuTLS certtool sees the $mac MAC ($mode)" grep -q "MAC: $mac " "$T/ct"
		check "GnuTLS certtool decrypts the bags ($mode)" grep -q 'Friendly name: Ida Interop - Signing' "$T/ct"
	else
		skip_n 2 "certtool ($mode)" "certtool not installed"
	fi
}

collect_mode no "$T/modern"
check_mode no "$T/modern"
collect_mode yes "$T/legacy"
check_mode yes "$T/legacy"
done_testing
