#!/bin/sh
# SPDX-License-Identifier: ISC
# pkcs11-collect.sh - the collection suite (tests/cli/collect.sh) with the
# CA key in a PKCS#11 token: a SoftHSM2 token of its own, [ca] backend =
# pkcs11 in every configuration the suite writes (CA_BACKEND and
# CA_SETTINGS of tests/lib/common.sh).  Its TAP output is the suite's.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
MODULE=${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
ENGINE=$(openssl version -e 2>/dev/null | sed -n 's/^ENGINESDIR: "\(.*\)"/\1/p')
command -v softhsm2-util >/dev/null && [ -r "$MODULE" ] ||
    skip_all "SoftHSM2 is not installed (package softhsm2)"
[ -n "$ENGINE" ] && [ -r "$ENGINE/pkcs11.so" ] ||
    skip_all "the libp11 engine is not installed (libengine-pkcs11-openssl)"

H=$(mktemp -d "${TMPDIR:-/tmp}/cdp11.XXXXXX") || bail_out "no scratch folder"
trap 'rm -rf "$H"' EXIT
SOFTHSM2_CONF=$H/softhsm2.conf
export SOFTHSM2_CONF
mkdir "$H/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' \
    "$H" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label certdesk-ca --pin 1234 \
    --so-pin 5678 >/dev/null || bail_out "softhsm2-util cannot make a token"
printf '1234\n' >"$H/pin"
CA_BACKEND=pkcs11
CA_SETTINGS="module = $MODULE
key_uri = \"pkcs11:token=certdesk-ca;object=cakey\"
pin_file = $H/pin"
export CA_BACKEND CA_SETTINGS
sh "$top_srcdir/tests/cli/collect.sh"
