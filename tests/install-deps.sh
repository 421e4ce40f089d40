#!/bin/sh
# SPDX-License-Identifier: ISC
# install-deps.sh - install the Debian 12 packages certdesk needs to build
# and to run its whole test suite.  Installs only what is missing; safe to
# run again.  Needs root (or sudo).
set -e
PKGS="build-essential autoconf automake libtool pkg-config
libncurses-dev libssl-dev libudev-dev libsqlite3-dev libnss3-dev
libiniparser-dev libcups2-dev libumockdev-dev
libmicrohttpd-dev libjansson-dev libcurl4-openssl-dev curl systemd scep
openssl sqlite3 libnss3-tools gnutls-bin openjdk-17-jre-headless
ghostscript poppler-utils cups cups-client umockdev tmux ncurses-base
ncurses-term valgrind util-linux e2fsprogs devscripts binutils
libp11-kit-dev softhsm2 opensc libengine-pkcs11-openssl
debhelper dpkg-dev lintian git adduser postgresql libpq-dev
python3 mandoc iproute2 passwd procps strace"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	--no-install-recommends $missing
