#!/bin/sh
# SPDX-License-Identifier: ISC
# autogen.sh - regenerate the build system from a clean checkout.
set -e
cd "$(dirname "$0")"
autoreconf -fi
