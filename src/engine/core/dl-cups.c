/* SPDX-License-Identifier: ISC */
/*
 * dl-cups.c - the loader of libcups (see dl.h).
 */
#include "config.h"

#define CD_DL_NO_REDIRECT
#include "dl-cups.h"

CD_CUPS_SYMS(CD_DL_DEFINE)

static const struct cd_dl_sym cups_syms[] = { CD_CUPS_SYMS(CD_DL_ENTRY) };

static const struct cd_dl_lib cups_libs[] = {
	{ "libcups.so.2", cups_syms, sizeof(cups_syms) / sizeof(cups_syms[0]) },
};

static struct cd_dl_state cups_state;

int
cd_dl_cups(struct cd_err *err)
{
	return cd_dl_load(&cups_state, cups_libs,
	    sizeof(cups_libs) / sizeof(cups_libs[0]),
	    "printing through CUPS", CD_E_PRINT, err);
}
