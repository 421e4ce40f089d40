#!/bin/sh
# SPDX-License-Identifier: ISC
# check-layering.sh - the layers stay apart, checked on the code with its
# comments removed (block comments across lines, line comments, and the
# text of string literals, so neither hides nor fakes a call):
#  - the engine never talks to the operator: no printf, puts, exit, abort,
#    stdout/stderr or curses in src/engine;
#  - front-ends (src/cli, src/tui) include only the engine's public headers,
#    listed in src/engine/public-headers, and public headers include only
#    each other;
#  - only src/tui includes curses; only the SQLite backend names SQLite;
#  - front-ends reach the engine only through the client API (src/api):
#    no call of a public engine function that takes a struct cd_engine,
#    and no struct cd_engine, outside the local administration commands
#    (init, store, ca: they act on a data directory as its owner).
# Runs on the tree at $top_srcdir (tests/check-layering-self.sh feeds it
# broken trees).  TAP output.
cd "${top_srcdir:-.}" || exit 1
. ./tests/lib/tap.sh
LIST=src/engine/public-headers
check() {
	if [ -z "$2" ]; then ok "$1"; else
		not_ok "$1"; echo "$2" | sed 's/^/#   /'; fi
}

# strip [keep] FILE...: print "file:line:code" for every line, comments
# replaced by a space; string and character literals emptied unless the
# first argument is "keep" (to read #include "x.h").
strip() {
	keep=0
	if [ "$1" = keep ]; then keep=1; shift; fi
	[ $# -gt 0 ] || return 0
	awk -v keep="$keep" '
	FNR == 1 { st = "" }
	{
		out = ""; i = 1; len = length($0)
		while (i <= len) {
			c = substr($0, i, 1); d = substr($0, i, 2)
			if (st == "block") {
				if (d == "*/") { st = ""; out = out " "; i += 2 }
				else i++
				continue
			}
			if (st == "\"" || st == "'\''") {
				if (c == "\\") {
					if (keep) out = out d
					i += 2; continue
				}
				if (c == st) { out = out c; st = "" }
				else if (keep) out = out c
				i++; continue
			}
			if (d == "/*") { st = "block"; i += 2; continue }
			if (d == "//") break
			if (c == "\"" || c == "'\''") st = c
			out = out c; i++
		}
		if (st != "block") st = ""
		print FILENAME ":" FNR ":" out
	}' "$@"
}

engine_src=$(find src/engine -name '*.[ch]' 2>/dev/null | sort)
front_src=$(ls src/cli/*.c src/cli/*.h src/tui/*.c src/tui/*.h 2>/dev/null)
# shellcheck disable=SC2086
hits=$(strip $engine_src | grep -E ':.*(^|[^A-Za-z0-9_])(printf|fprintf|vprintf|vfprintf|dprintf|puts|fputs|putchar|putc|fputc|perror|exit|_exit|_Exit|quick_exit|abort)[[:space:]]*\(')
check "no printf/puts/exit/abort in src/engine" "$hits"
# shellcheck disable=SC2086
hits=$(strip $engine_src | grep -E ':.*(^|[^A-Za-z0-9_])(stdout|stderr|stdin)([^A-Za-z0-9_]|$)')
check "src/engine does not use stdin/stdout/stderr" "$hits"
# shellcheck disable=SC2086
hits=$(strip $engine_src | grep -E ':.*((n?curses|form|menu|panel|term)\.h|(^|[^A-Za-z0-9_])(initscr|endwin|newwin|wrefresh|refresh|printw|wprintw|mvprintw|mvwprintw|getch|wgetch|addstr|waddstr|mvaddstr)[[:space:]]*\()')
check "no curses in src/engine" "$hits"
# shellcheck disable=SC2086
hits=$(strip keep $(find src -name '*.[ch]' 2>/dev/null | grep -v '^src/tui/' | sort) |
    grep -E ':[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/[a-z]+|form|menu|panel|term)\.h[>"]')
check "curses headers only under src/tui" "$hits"

# The public headers, by file name.
if [ -r "$LIST" ]; then
	public=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$LIST" | grep -v '^$')
	missing=$(for h in $public; do [ -f "$h" ] || echo "$h"; done)
	pubnames=$(for h in $public; do basename "$h"; done)
else
	public=""; pubnames=""; missing="$LIST is missing"
fi
check "every public header listed in $LIST exists" "$missing"
is_public() { echo "$pubnames" | grep -qxF "$(basename "$1")"; }

# includes FILE...: "file:line:name" for every #include "name" / <name>
includes() {
	strip keep "$@" | sed -n 's/^\([^:]*:[0-9]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1:\2/p'
}

# A front-end includes: config.h, its own headers, system headers, and
# the engine's public headers.  An engine header that is not public is
# refused however it is named ("util.h", <util.h>, "../engine/util.h").
enames=$(find src/engine -name '*.h' 2>/dev/null | sed 's|.*/||' | sort -u)
is_engine() { echo "$enames" | grep -qxF "$(basename "$1")"; }
# shellcheck disable=SC2086
hits=$(includes $front_src | while IFS=: read -r f l name; do
	if is_public "$name" || ! is_engine "$name"; then continue; fi
	echo "$f:$l: includes $name, which is not a public engine header"
done)
check "front-ends include only public engine headers" "$hits"

# shellcheck disable=SC2086
hits=$(includes $public 2>/dev/null | while IFS=: read -r f l name; do
	if is_public "$name" || ! is_engine "$name"; then continue; fi
	echo "$f:$l: includes $name, which is not public"
done)
check "public headers include only public headers" "$hits"

# The engine calls a front-end could make: every public function whose
# first parameter is the engine.
# shellcheck disable=SC2086
ecalls=$(strip $public 2>/dev/null | grep -oE 'cd_[a-z0-9_]+[[:space:]]*\([[:space:]]*(const[[:space:]]+)?struct[[:space:]]+cd_engine' |
    sed 's/[[:space:]]*(.*//' | sort -u | paste -sd'|' -)
[ -n "$ecalls" ] || ecalls=NO_ENGINE_CALL_FOUND
check "the public headers declare engine calls (found: $(echo "$ecalls" | tr '|' '\n' | wc -l))" \
    "$([ "$ecalls" != NO_ENGINE_CALL_FOUND ] || echo "no engine call found in $LIST")"
local_admin='src/cli/(cmd-init|cmd-store|cmd-ca)\.c'
api_front=$(echo "$front_src" | grep -vE "^($local_admin)\$")
# shellcheck disable=SC2086
hits=$(strip $api_front | grep -E ":.*(^|[^A-Za-z0-9_])($ecalls)[[:space:]]*\(")
check "front-ends call the engine only through the client API" "$hits"
# shellcheck disable=SC2086
hits=$(strip $api_front | grep -E ':.*struct[[:space:]]+cd_engine([^A-Za-z0-9_]|$)')
check "front-ends hold no struct cd_engine (local commands aside)" "$hits"

hits=$(grep -rlE 'sqlite3' src --include='*.c' --include='*.h' | grep -v 'src/engine/store/store-sqlite.c' | grep -v 'src/engine/store/store.c')
check "SQLite only inside its store backend" "$hits"
hits=$(grep -rlE 'libpq-fe\.h|PQexec' src --include='*.c' --include='*.h' | grep -v 'src/engine/store/store-pg.c' | grep -v 'src/engine/core/dl-pq\.[ch]')
check "libpq only inside its store backend and its loader (core/dl-pq)" "$hits"
done_testing
