#!/bin/sh
# SPDX-License-Identifier: ISC
# api.sh - the client API (tests/unit/t-api) through both implementations
# on the same store, as the same Unix user (the store's administrator):
# "embedded" opens the store in the process, "server" asks a real
# certdeskd.  The same checks must pass both ways.
. "$top_srcdir/tests/server/lib.sh"
TAPI=$top_builddir/tests/unit/t-api
[ -x "$TAPI" ] || skip_all "tests/unit/t-api is not built"
srv_setup || skip_all "set-up failed"
srv_start || { echo "1..1"; echo "not ok 1 - certdeskd started"; exit 1; }
mkdir "$T/tapi" && chown "$SRV_USER" "$T/tapi"
for mode in embedded server; do
	TAPI_DIR=$T/tapi runuser -u "$SRV_USER" -- env TAPI_DIR="$T/tapi" \
	    "$TAPI" "$mode" "$CONF" "$SOCK" "$mode" >"$T/tapi.out" 2>&1
	rc=$?
	sed -n 's/^\(not ok\|ok\) [0-9]* - /\1 - /p; s/^#/#/p' "$T/tapi.out" |
	while IFS= read -r line; do
		case $line in
		"not ok - "*) echo "not ok $(( $(cat "$T/n" 2>/dev/null || echo 0) + 1 )) - $mode: ${line#not ok - }";;
		"ok - "*) echo "ok $(( $(cat "$T/n" 2>/dev/null || echo 0) + 1 )) - $mode: ${line#ok - }";;
		*) echo "$line"; continue;;
		esac
		echo $(( $(cat "$T/n" 2>/dev/null || echo 0) + 1 )) >"$T/n"
	done
	tap_n=$(cat "$T/n" 2>/dev/null || echo 0)
	if [ "$rc" -ne 0 ]; then tap_failed=1; fi
	grep -q '^1\.\.' "$T/tapi.out" || not_ok "$mode: t-api ran to the end"
	echo "$tap_n" >"$T/n"
done
done_testing
