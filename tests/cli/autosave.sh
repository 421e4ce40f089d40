#!/bin/sh
# SPDX-License-Identifier: ISC
# autosave.sh - AutoSave end to end: 'certdesk collect --usb' run under
# umockdev with a USB stick (tests/data/usb/stick.umockdev) whose mount
# point, in a fake mount table, is a real directory.  An empty stick gets
# the package; a stick with files or without a mount point does not, and
# the collection is cancelled when the wait ends.
. "${top_srcdir:-.}/tests/lib/common.sh"
command -v umockdev-run >/dev/null 2>&1 || skip_all "umockdev-run not installed"

setup_store
printf 'Corr3ct-Horse(9)\n' >"$T/pw"
mkdir "$T/stick"
MI=$T/mountinfo
printf '36 25 8:17 / %s rw,relatime shared:1 - vfat /dev/sdb1 rw\n' \
    "$T/stick" >"$MI"

usb_collect() {
	CERTDESK_MOUNTINFO=$MI run umockdev-run \
	    -d "$top_srcdir/tests/data/usb/stick.umockdev" -- \
	    "$CERTDESK" -c "$CONF" collect "$1" --usb --wait "$2" \
	    --password-file "$T/pw" --json
}

# a stick with a file on it is not used
touch "$T/stick/holiday.jpg"
cd_ request new --person Susan.Smith --profile usb
id=$(cat "$OUT")
usb_collect "$id" 1
expect_rc 4 "a stick with files on it is not used; the wait ends"
expect_err "no .*USB drive" "saying no usable drive appeared"
check "nothing was written to it" test "$(ls -A "$T/stick")" = holiday.jpg
rm "$T/stick/holiday.jpg"

# not mounted
: >"$MI.empty"
CERTDESK_MOUNTINFO=$MI.empty run umockdev-run \
    -d "$top_srcdir/tests/data/usb/stick.umockdev" -- \
    "$CERTDESK" -c "$CONF" collect "$id" --usb --wait 1 --password-file "$T/pw"
expect_rc 4 "a stick that is not mounted is not used"

# an empty stick (lost+found is ignored) gets the package
mkdir "$T/stick/lost+found"
usb_collect "$id" 10
expect_rc 0 "an empty stick gets the package"
expect_out '"location":"USB drive STICK serial ABC123: ' \
    "the location names the drive"
f="$T/stick/Susan.Smith Travel.pfx"
check "the package is on the stick" test -f "$f"
check "written 0600" test "$(stat -c %a "$f")" = 600
openssl pkcs12 -in "$f" -info -noout -passin file:"$T/pw" >/dev/null 2>&1
check "it opens with the password" test $? -eq 0
cd_ device list --json
expect_out '"type":"USB Drive","serial":"ABC123"' "the drive is recorded as a device"
expect_out 'vendor Kingston, model DataTraveler, serial ABC123, label STICK, filesystem vfat UUID 1234-ABCD' \
    "with its identity"
expect_out '"type":"Soft Certificate".*"parent_id":[1-9]' \
    "and the package is linked to it"
cd_ audit
expect_out 'collect.usb-drive .*vendor Kingston' "the audit trail names the drive"
done_testing
