#!/bin/sh
# SPDX-License-Identifier: ISC
# t-usb.sh - run the udev/USB unit test inside umockdev's preload.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
t="${top_builddir:-.}/tests/unit/t-usb"
. "$top_srcdir/tests/lib/tap.sh"
need_cmd umockdev-wrapper
[ -x "$t" ] || skip_all "built without umockdev"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	exec umockdev-wrapper "$t"
