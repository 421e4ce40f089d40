#!/bin/sh
# SPDX-License-Identifier: ISC
# output.sh - '-o FILE' of crl and print transport: devices, FIFOs and
# '-' are written into and never replaced, a symbolic link is never
# replaced, a regular file is, a folder is refused, and the embedded
# engine never writes inside the data directory (the store stays intact;
# a client of certdeskd knows no data directory: it writes as the
# operator).
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store || { echo "1..0 # SKIP setup failed"; exit 1; }
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/out"
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
cd_ collect "$id" --folder "$T/out" --password-file "$T/pw"
[ "$RC" -eq 0 ] || { echo "1..0 # SKIP collect failed"; exit 1; }
DATA=$T/data
ca_sum=$(sha256sum <"$DATA/ca/ca.crt")

# A FIFO: written into, still a FIFO afterwards.
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.got" &
reader=$!
cd_ crl -o "$T/fifo"
expect_rc 0 "crl -o FIFO"
# a reader still waiting (nothing was written into the FIFO) is let go
sleep 1; kill "$reader" 2>/dev/null; wait "$reader"
check "the CRL went through the FIFO" grep -q 'BEGIN X509 CRL' "$T/fifo.got"
check "the FIFO is still a FIFO" test -p "$T/fifo"

# A symbolic link to standard output's file, as /dev/stdout is.
ln -s /proc/self/fd/1 "$T/so"
cd_ crl -o "$T/so"
expect_rc 0 "crl -o a link to standard output"
expect_out 'BEGIN X509 CRL' "the CRL is on standard output"
check "the link is still a link" test -L "$T/so"
cd_ crl -o -
expect_out 'BEGIN X509 CRL' "crl -o - writes to standard output"
cd_ print transport "$id" -o -
expect_rc 0 "print transport -o -"
expect_out '^%!PS' "the document is on standard output"

# A symbolic link to a regular file is refused and left alone.
echo keep >"$T/target"
ln -s "$T/target" "$T/link"
cd_ crl -o "$T/link"
expect_rc 3 "crl -o a link to a regular file is refused"
check "the link is still a link" test -L "$T/link"
check "its target is untouched" test "$(cat "$T/target")" = keep
cd_ print transport "$id" -o "$T/link"
expect_rc 3 "so is print -o"
check "the link is still a link" test -L "$T/link"
mkdir "$T/dir"
cd_ crl -o "$T/dir"
expect_rc 3 "a folder is refused"
check "and stays a folder" test -d "$T/dir"

# A regular file is replaced; a new one created.
echo old >"$T/crl.pem"
cd_ crl -o "$T/crl.pem"
expect_rc 0 "crl -o an existing regular file"
check "it was replaced" grep -q 'BEGIN X509 CRL' "$T/crl.pem"
cd_ print transport "$id" -o "$T/new.ps"
check "print -o a new file" grep -q '^%!PS' "$T/new.ps"

# Never inside the data directory, whatever the kind of path: the
# embedded engine knows its data directory.  A client of certdeskd does
# not (it writes as the operator, who cannot write there): the same path
# is an ordinary output of the client's.
if in_mode embedded; then
	for p in "$DATA/certdesk.db" "$DATA/ca/ca.crt" "$DATA/new.pem" \
	    "$DATA/ca/../ca/crlnumber"; do
		cd_ crl -o "$p"
		expect_rc 3 "crl -o ${p#$T/} is refused"
		expect_err 'data directory' "saying why"
		cd_ print transport "$id" -o "$p"
		expect_rc 3 "print -o ${p#$T/} is refused"
	done
	ln -s "$DATA" "$T/datalink"
	cd_ crl -o "$T/datalink/certdesk.db"
	expect_rc 3 "also through a link to the data directory"
	check "no new file in the data directory" test ! -e "$DATA/new.pem"
else
	cd_ crl -o "$DATA/new.pem"
	expect_rc 0 "server mode: crl -o a new name is the client's own write"
	check "the client wrote the CRL there" \
	    grep -q 'BEGIN X509 CRL' "$DATA/new.pem"
	rm -f "$DATA/new.pem"
fi
check "the store is still an SQLite database" \
    test "$(head -c 15 "$DATA/certdesk.db")" = "SQLite format 3"
check "the CA certificate is intact" \
    test "$(sha256sum <"$DATA/ca/ca.crt")" = "$ca_sum"
cd_ request show "$id" --json
expect_out '"status":"completed"' "the store still opens, its request intact"

# Character devices (needs root for mknod): a private copy of /dev/null
# first; /dev/null itself only when that copy survived.
if [ "$(id -u)" -eq 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then
	cd_ crl -o "$T/null"
	expect_rc 0 "crl -o a character device"
	check "it is still a character device" test -c "$T/null"
	cd_ print transport "$id" -o "$T/null"
	check "print -o leaves it a character device" test -c "$T/null"
	if test -c "$T/null" && test -L "$T/so"; then
		cd_ print transport "$id" -o /dev/null
		expect_rc 0 "print -o /dev/null"
		check "/dev/null is still a character device" test -c /dev/null
		cd_ crl -o /dev/null
		check "crl -o /dev/null too" test -c /dev/null
		cd_ crl -o /dev/stdout
		expect_out 'BEGIN X509 CRL' "crl -o /dev/stdout writes to standard output"
		check "/dev/stdout is still a link" test -L /dev/stdout
	fi
else
	ok "# SKIP character devices need root"
fi
done_testing
