#!/bin/sh
# check-layering.sh - the engine never talks to the operator and only
# src/tui includes curses.  TAP output.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
cd "$top_srcdir" || exit 1
. tests/lib/tap.sh
[ -d src/engine ] || bail_out "no src/engine under $top_srcdir"
# check DESC HITS: ok when HITS is empty
check() {
	if [ -z "$2" ]; then ok "$1"; else
		not_ok "$1"; echo "$2" | sed 's/^/#   /'; fi
}
hits=$(grep -rnE '(^|[^a-z_])(printf|fprintf|puts|putchar|exit|_exit|abort|perror)[[:space:]]*\(' src/engine --include='*.c' | grep -vE 'snprintf|vsnprintf|BIO_printf|/\*')
check "no printf/exit/abort in src/engine" "$hits"
hits=$(grep -rlE '#include[[:space:]]*<(n?curses|form|menu|panel)\.h>' src src/cli src/engine 2>/dev/null | grep -v '^src/tui/' | sort -u)
check "curses headers only under src/tui" "$hits"
hits=$(grep -rlE 'sqlite3' src --include='*.c' --include='*.h' | grep -v 'src/engine/store-sqlite.c' | grep -v 'src/engine/store.c')
check "SQLite only inside its store backend" "$hits"
hits=$(grep -rlE 'libpq-fe\.h|PQexec' src --include='*.c' --include='*.h' | grep -v 'src/engine/store-pg.c')
check "libpq only inside its store backend" "$hits"
done_testing
