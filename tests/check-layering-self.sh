#!/bin/sh
# SPDX-License-Identifier: ISC
# check-layering-self.sh - the layering check can fail: it is run on a
# copy of the source tree, which passes, then on copies with one defect
# each (an engine printf after a comment, one after a block comment that
# spans lines, a TUI or CLI file including an internal engine header, a
# public header including an internal one, curses in the engine), which
# must fail and name the broken file; a front-end calling the engine
# past the client API or holding an engine must fail too.  Commented-out calls and calls
# inside strings must not count.  TAP output.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
CHECK=$top_srcdir/tests/check-layering.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/cdlayer.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; failed=1; }

# fresh: a copy of the sources the check reads, in $T/tree
fresh() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree" || exit 1
	(cd "$top_srcdir" && find src/engine src/cli src/tui -name '*.[ch]' \
	    -o -name public-headers) | (cd "$top_srcdir" && tar -cf - -T -) |
	    (cd "$T/tree" && tar -xf -) || exit 1
	mkdir -p "$T/tree/tests/lib"
	cp "$top_srcdir/tests/lib/tap.sh" "$T/tree/tests/lib/" || exit 1
}
run_check() { top_srcdir=$T/tree sh "$CHECK" >"$T/out" 2>&1; }
# expect_fail DESC FILE: the check fails, naming FILE
expect_fail() {
	if run_check; then not_ok "$1 (the check passed)"
	elif grep -q "^#.*$2" "$T/out"; then ok "$1"
	else not_ok "$1 (the failure does not name $2)"; fi
	sed 's/^/#   /' "$T/out" | grep -v '^#   ok' | head -4
}
expect_pass() {
	if run_check; then ok "$1"; else not_ok "$1"
		sed 's/^/#   /' "$T/out" | grep -v '^#   ok' | head -6; fi
}

fresh
expect_pass "the tree as it is passes"

fresh
printf '%s\n' \
    'static void noisy(void) { int x = 1; /* note */ printf("%d", x); }' \
    >>"$T/tree/src/engine/core/model.c"
expect_fail "an engine printf after a comment on the same line" model.c

fresh
printf '%s\n' '/* a comment' \
    '   that ends here */ static void f(void) { exit(1); }' \
    >>"$T/tree/src/engine/core/request.c"
expect_fail "an engine exit after a comment spanning lines" request.c

fresh
printf '%s\n' 'static void g(int v) { fputs("x", stderr); (void)v; } // done' \
    >>"$T/tree/src/engine/core/error.c"
expect_fail "an engine write to stderr before a line comment" error.c

fresh
printf '%s\n' '#include <curses.h>' >>"$T/tree/src/engine/core/util.c"
expect_fail "curses included by the engine" util.c

fresh
printf '%s\n' '/* printf("not code"); exit(1); */' \
    '// abort();' \
    'static const char no_call[] = "printf(\"%d\") and exit(2) /* here";' \
    >>"$T/tree/src/engine/core/model.c"
expect_pass "commented-out calls and calls inside strings do not count"

fresh
sed 's/^#include "tui-int.h"$/#include "tui-int.h"\n#include "util.h"/' \
    "$T/tree/src/tui/widget.c" >"$T/w" && mv "$T/w" "$T/tree/src/tui/widget.c"
grep -q '^#include "util.h"' "$T/tree/src/tui/widget.c" ||
    not_ok "setup: widget.c"
expect_fail "a TUI file including an internal engine header" widget.c

fresh
printf '%s\n' '#include <store.h>' >>"$T/tree/src/cli/main.c"
expect_fail "a CLI file including an internal header with <>" main.c

fresh
printf '%s\n' '#include "../engine/conf.h"' >>"$T/tree/src/tui/tui.c"
expect_fail "a TUI file including an internal header by path" tui.c

fresh
printf '%s\n' '/* #include "util.h" */' >>"$T/tree/src/tui/tui.c"
expect_pass "a commented-out include does not count"

fresh
sed 's|^#include "certdesk/model.h"$|#include "certdesk/model.h"\n#include "store.h"|' \
    "$T/tree/src/engine/include/certdesk/engine.h" >"$T/h" &&
    mv "$T/h" "$T/tree/src/engine/include/certdesk/engine.h"
grep -q '^#include "store.h"' "$T/tree/src/engine/include/certdesk/engine.h" ||
    not_ok "setup: engine.h"
expect_fail "a public header including an internal header" engine.h

fresh
echo "src/engine/nonesuch.h" >>"$T/tree/src/engine/public-headers"
expect_fail "a listed public header that does not exist" nonesuch.h

fresh
printf '%s\n' 'static int peek(struct cd_api *a, struct cd_person *p)' \
    '{ return cd_person_get (NULL, 0, "x", p, NULL) + (a == NULL); }' \
    >>"$T/tree/src/tui/widget.c"
expect_fail "a TUI file calling the engine past the client API" widget.c

fresh
printf '%s\n' 'static struct cd_engine *kept;' >>"$T/tree/src/cli/cmd-person.c"
expect_fail "a CLI command holding an engine" cmd-person.c

fresh
printf '%s\n' '/* cd_request_get(e, 1, &r, NULL); struct cd_engine *e; */' \
    'static const char why[] = "cd_sweep(e, &res, &err)";' \
    >>"$T/tree/src/cli/cmd-request.c"
expect_pass "an engine call in a comment or a string does not count"

echo "1..$n"
exit $failed
