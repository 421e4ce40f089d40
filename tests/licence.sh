#!/bin/sh
# SPDX-License-Identifier: ISC
# licence.sh - the tree says under which licence it is: LICENSE is the ISC
# text, and every source file (C, shell, the build files, units, man
# pages) carries the SPDX line in its first two lines.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
cd "$top_srcdir" || exit 1
. ./tests/lib/tap.sh

grep -q 'Permission to use, copy, modify, and/or distribute\|Permission to use, copy, modify, and distribute' LICENSE 2>/dev/null &&
    ok "LICENSE holds the ISC licence" || not_ok "LICENSE holds the ISC licence"
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
	files=$(git ls-files)
else	# a copy of the tree (the ASan run's), or a distribution tarball
	files=$(find . -type f | sed 's|^\./||')
fi
n=0; missing=""
for f in $files; do
	case $f in
	tests/data/*|tests/fuzz/corpus/*|debian/*) continue ;;
	# made by autotools, not written here
	Makefile.in|*/Makefile.in|config.h|config.h.in|aclocal.m4|build-aux/*|autom4te.cache/*|_asan/*|_build/*) continue ;;
	m4/cd_*.m4) ;;
	m4/*) continue ;;	# libtool's and aclocal's own
	*.c|*.h|*.sh|*.am|*.ac|*.m4|*.in|*.service|*.socket|*.timer|*.sysusers|*.tmpfiles|.ci/run) ;;
	*) continue ;;
	esac
	[ -f "$f" ] || continue
	n=$((n + 1))
	head -n 2 "$f" | grep -q 'SPDX-License-Identifier: ISC' || missing="$missing $f"
done
[ "$n" -gt 100 ] && ok "$n source files looked at" || not_ok "only $n source files found"
[ -z "$missing" ] && ok "every one has the SPDX line" ||
    not_ok "no SPDX line in:$missing"
done_testing
