#!/bin/sh
# SPDX-License-Identifier: ISC
# needed.sh - the programs do not link the libraries of optional
# features: NSS (SystemStore), libcups (printing), libudev (AutoSave),
# libpq (the PostgreSQL store) and libcurl (server mode, SCEP) are loaded
# when first used
# (src/engine/core/dl.h), so none of them is in a program's NEEDED
# entries, and `certdesk --version` loads none of them.  The libraries
# every start needs are there (the check reads real entries).
. "${top_srcdir:-.}/tests/lib/common.sh"
need_cmd readelf "binutils"
CERTDESKD=${top_builddir:-.}/certdeskd
LAZY="libnss3.so libsmime3.so libnssutil3.so libnspr4.so libplc4.so
libplds4.so libcups.so.2 libudev.so.1 libpq.so.5 libcurl.so.4"

for prog in "$CERTDESK" "$CERTDESKD"; do
	name=${prog##*/}
	readelf -d "$prog" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' \
	    >"$T/needed.$name"
	check "$name: readelf lists its NEEDED libraries (libcrypto among them)" \
		grep -qx 'libcrypto.so.3' "$T/needed.$name"
	for lib in $LAZY; do
		if grep -qx "$lib" "$T/needed.$name"; then
			not_ok "$name does not link $lib"
		else
			ok "$name does not link $lib"
		fi
	done
done

# What the loader maps for --version: none of them, directly or not.
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under a tracer (ASan builds)
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -e trace=openat -o "$T/trace" "$CERTDESK" --version
	expect_rc 0 "certdesk --version under strace"
	check "the trace shows the libraries it maps (libcrypto)" \
		grep -q 'libcrypto.so.3"' "$T/trace"
	for lib in libnss3 libsmime3 libcups libudev libpq libcurl libgnutls \
	    libkrb5 libavahi-client; do
		if grep -q "/$lib[.-][^\"]*\", " "$T/trace"; then
			not_ok "certdesk --version maps no $lib"
		else
			ok "certdesk --version maps no $lib"
		fi
	done
else
	skip "what --version maps" "strace is not installed"
fi
done_testing
