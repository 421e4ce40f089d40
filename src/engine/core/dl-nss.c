/* SPDX-License-Identifier: ISC */
/*
 * dl-nss.c - the loader of NSS: libnspr4, libnss3 and libsmime3, in
 * that order (see dl.h).
 */
#include "config.h"

#define CD_DL_NO_REDIRECT
#include "dl-nss.h"

CD_NSPR_SYMS(CD_DL_DEFINE)
CD_NSS3_SYMS(CD_DL_DEFINE)
CD_SMIME_SYMS(CD_DL_DEFINE)

static const struct cd_dl_sym nspr_syms[] = { CD_NSPR_SYMS(CD_DL_ENTRY) };
static const struct cd_dl_sym nss3_syms[] = { CD_NSS3_SYMS(CD_DL_ENTRY) };
static const struct cd_dl_sym smime_syms[] = { CD_SMIME_SYMS(CD_DL_ENTRY) };

static const struct cd_dl_lib nss_libs[] = {
	{ "libnspr4.so", nspr_syms, sizeof(nspr_syms) / sizeof(nspr_syms[0]) },
	{ "libnss3.so", nss3_syms, sizeof(nss3_syms) / sizeof(nss3_syms[0]) },
	{ "libsmime3.so", smime_syms,
	    sizeof(smime_syms) / sizeof(smime_syms[0]) },
};

static struct cd_dl_state nss_state;

int
cd_dl_nss(struct cd_err *err)
{
	return cd_dl_load(&nss_state, nss_libs,
	    sizeof(nss_libs) / sizeof(nss_libs[0]),
	    "the SystemStore delivery (NSS)", CD_E_NSS, err);
}
