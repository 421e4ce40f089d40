#!/bin/sh
# SPDX-License-Identifier: ISC
# usb-loop.sh - the mount table and "empty drive" logic against a real
# kernel: an ext4 image on a loop device, mounted at a path with a space,
# probed through "t-mountinfo --probe" (device number -> mount point in
# /proc/self/mountinfo, read-only flag, entries not ignored).  Needs root
# and loop devices; otherwise the whole file is skipped (a failure under
# CERTDESK_TEST_STRICT=1, tests/lib/tap.sh).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
probe="${top_builddir:-.}/tests/unit/t-mountinfo"
T=
LOOP=
MNT=
BIND=

cleanup() {
	[ -n "$BIND" ] && umount "$BIND" 2>/dev/null
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	[ -n "$T" ] && rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

[ -x "$probe" ] || bail_out "$probe not built"
[ "$(id -u)" -eq 0 ] || skip_all "loop mounts need root"
for c in losetup mkfs.ext4 mount umount truncate; do
	need_cmd "$c"
done
T=$(mktemp -d "${TMPDIR:-/tmp}/usb-loop.XXXXXX") || bail_out "no temp dir"
truncate -s 8M "$T/stick.img" || bail_out "cannot make an image"
mkfs.ext4 -q -F -L "CD TEST" "$T/stick.img" >"$T/err" 2>&1 ||
	bail_out "mkfs.ext4: $(head -n 1 "$T/err")"
# no loop device or no mount in this container: not available here
LOOP=$(losetup -f --show "$T/stick.img" 2>"$T/err") ||
	{ LOOP=; skip_all "loop devices not available: $(head -n 1 "$T/err")"; }
mkdir "$T/my stick" "$T/bind"
mount -t ext4 "$LOOP" "$T/my stick" 2>"$T/err" ||
	skip_all "loop mounts not available: $(head -n 1 "$T/err")"
MNT="$T/my stick"

# probe: run the helper, output in $T/out
probe() { "$probe" --probe "$LOOP" "$MNT" >"$T/out" 2>"$T/err"; }
# expect KEY=VALUE NAME: check a line of the last probe
expect() {
	if grep -qxF -- "$1" "$T/out"; then ok "$2"; else
		not_ok "$2 (want $1)"
		sed 's/^/#   /' "$T/out" "$T/err"
	fi
}

probe
expect "found=1" "the loop device is found by device number"
expect "same=1" "at its mount point, whose space was decoded"
expect "fstype=ext4" "file system type ext4"
expect "readonly=0" "mounted read-write"
expect "entries=0" "a new ext4 drive is empty (lost+found ignored)"

: >"$MNT/letter.txt"
probe
expect "entries=1" "a file makes it not empty"
rm -f "$MNT/letter.txt"
mkdir "$MNT/.Trash-0" "$MNT/System Volume Information"
probe
expect "entries=0" "ignored folders keep it empty"
: >"$MNT/.hidden"
probe
expect "entries=1" "a dotfile not on the list counts"
rm -f "$MNT/.hidden"

if mount -o remount,ro "$MNT" 2>"$T/err"; then
	probe
	expect "readonly=1" "remounted read-only"
	mount -o remount,rw "$MNT" 2>/dev/null
else
	skip "remounted read-only" "$(head -n 1 "$T/err")"
fi

mkdir "$MNT/sub"
if mount --bind "$MNT/sub" "$T/bind" 2>"$T/err"; then
	BIND="$T/bind"
	if umount "$MNT" 2>"$T/err"; then
		probe
		expect "found=0" "only a bind mount of a subfolder: not mounted"
	else
		not_ok "unmount under a bind mount: $(head -n 1 "$T/err")"
	fi
else
	skip "bind mounts" "$(head -n 1 "$T/err")"
fi
done_testing
