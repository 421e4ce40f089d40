#!/bin/sh
# t-usb.sh - run the udev/USB unit test inside umockdev's preload.
t="${top_builddir:-.}/tests/unit/t-usb"
if ! command -v umockdev-wrapper >/dev/null 2>&1; then
	echo "1..0 # SKIP umockdev-wrapper not installed"; exit 0
fi
if [ ! -x "$t" ]; then
	echo "1..0 # SKIP built without umockdev"; exit 0
fi
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	exec umockdev-wrapper "$t"
