#!/bin/sh
# check-layering.sh - the engine never talks to the operator and only
# src/tui includes curses.  TAP output.
cd "${top_srcdir:-.}" || exit 1
n=0; fail=0
check() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else
		echo "not ok $n - $1"; echo "$2" | sed 's/^/#   /'; fail=1; fi
}
hits=$(grep -rnE '(^|[^a-z_])(printf|fprintf|puts|putchar|exit|_exit|abort|perror)[[:space:]]*\(' src/engine --include='*.c' | grep -vE 'snprintf|vsnprintf|BIO_printf|/\*')
check "no printf/exit/abort in src/engine" "$hits"
hits=$(grep -rlE '#include[[:space:]]*<(n?curses|form|menu|panel)\.h>' src src/cli src/engine 2>/dev/null | grep -v '^src/tui/' | sort -u)
check "curses headers only under src/tui" "$hits"
hits=$(grep -rlE 'sqlite3' src --include='*.c' --include='*.h' | grep -v 'src/engine/store-sqlite.c' | grep -v 'src/engine/store.c')
check "SQLite only inside its store backend" "$hits"
echo "1..$n"
exit $fail
