# SPDX-License-Identifier: ISC
# cd_systemd.m4 - where systemd's files go: --with-DIR=PATH, by default
# the variable DIR of systemd's pkg-config file (or a fallback under the
# prefix when systemd has none); --without-DIR or =no installs none.

# CD_SYSTEMD_DIR(VARIABLE, WHAT, FALLBACK)
AC_DEFUN([CD_SYSTEMD_DIR], [
	AC_ARG_WITH([$1],
		[AS_HELP_STRING([--with-$1=DIR], [where $2 go (default: from pkg-config systemd; no: none)])],
		[], [with_$1=yes])
	AS_IF([test "x$with_$1" = xyes], [
		with_$1=`$PKG_CONFIG --variable=$1 systemd 2>/dev/null`
		AS_IF([test -z "$with_$1"], [with_$1="$3"])
	])
	AC_SUBST([$1], [$with_$1])
	AM_CONDITIONAL(m4_toupper([HAVE_$1]), [test "x$with_$1" != xno])
])
