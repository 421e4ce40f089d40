/* SPDX-License-Identifier: ISC */
/*
 * dl-curl.h - libcurl, for the client API's server implementation
 * (src/api/api-server.c) and the SCEP CA backend (ca/ca-scep.c), loaded
 * on first use (see dl.h).  Include after <curl/curl.h>; call
 * cd_dl_curl() before the first call into libcurl.
 * curl_easy_setopt and curl_easy_getinfo lose the type checks of
 * <curl/typecheck-gcc.h> where this header is included.
 */
#ifndef CD_DL_CURL_H
#define CD_DL_CURL_H

#include <curl/curl.h>

#include "dl.h"

/* libcurl.so.4 */
#define CD_CURL_SYMS(X) \
	X(curl_easy_cleanup) \
	X(curl_easy_escape) \
	X(curl_easy_getinfo) \
	X(curl_easy_init) \
	X(curl_easy_perform) \
	X(curl_easy_reset) \
	X(curl_easy_setopt) \
	X(curl_easy_strerror) \
	X(curl_free) \
	X(curl_global_init) \
	X(curl_slist_append) \
	X(curl_slist_free_all)

#undef curl_easy_setopt
#undef curl_easy_getinfo
CD_CURL_SYMS(CD_DL_EXTERN)

/* Load libcurl; code (the caller's) naming it when it cannot be. */
int cd_dl_curl(int code, struct cd_err *err);

#ifndef CD_DL_NO_REDIRECT
#define curl_easy_cleanup sym_curl_easy_cleanup
#define curl_easy_escape sym_curl_easy_escape
#define curl_easy_getinfo sym_curl_easy_getinfo
#define curl_easy_init sym_curl_easy_init
#define curl_easy_perform sym_curl_easy_perform
#define curl_easy_reset sym_curl_easy_reset
#define curl_easy_setopt sym_curl_easy_setopt
#define curl_easy_strerror sym_curl_easy_strerror
#define curl_free sym_curl_free
#define curl_global_init sym_curl_global_init
#define curl_slist_append sym_curl_slist_append
#define curl_slist_free_all sym_curl_slist_free_all
#endif

#endif
