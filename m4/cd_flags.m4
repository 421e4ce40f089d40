# SPDX-License-Identifier: ISC
# cd_flags.m4 - does the compiler (or linker) take a flag?  Appends it to
# the named variable when a test program builds with it and -Werror.

# CD_CHECK_CFLAG(FLAG, VARIABLE)
AC_DEFUN([CD_CHECK_CFLAG], [
	AC_MSG_CHECKING([whether $CC accepts $1])
	cd_saved_cflags="$CFLAGS"
	CFLAGS="$CFLAGS -Werror $1"
	AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
		[AC_MSG_RESULT([yes]); $2="$$2 $1"], [AC_MSG_RESULT([no])])
	CFLAGS="$cd_saved_cflags"
])

# CD_CHECK_LDFLAG(FLAG, VARIABLE)
AC_DEFUN([CD_CHECK_LDFLAG], [
	AC_MSG_CHECKING([whether the linker accepts $1])
	cd_saved_ldflags="$LDFLAGS"
	LDFLAGS="$LDFLAGS -Werror $1"
	AC_LINK_IFELSE([AC_LANG_PROGRAM([], [return 0;])],
		[AC_MSG_RESULT([yes]); $2="$$2 $1"], [AC_MSG_RESULT([no])])
	LDFLAGS="$cd_saved_ldflags"
])
