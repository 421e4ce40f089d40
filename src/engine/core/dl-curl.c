/* SPDX-License-Identifier: ISC */
/*
 * dl-curl.c - the loader of libcurl (see dl.h).
 */
#include "config.h"

#define CD_DL_NO_REDIRECT
#include "dl-curl.h"

CD_CURL_SYMS(CD_DL_DEFINE)

static const struct cd_dl_sym curl_syms[] = { CD_CURL_SYMS(CD_DL_ENTRY) };

static const struct cd_dl_lib curl_libs[] = {
	{ "libcurl.so.4", curl_syms, sizeof(curl_syms) / sizeof(curl_syms[0]) },
};

static struct cd_dl_state curl_state;

int
cd_dl_curl(int code, struct cd_err *err)
{
	return cd_dl_load(&curl_state, curl_libs,
	    sizeof(curl_libs) / sizeof(curl_libs[0]),
	    "the HTTP client (server mode, SCEP)", code, err);
}
