/* SPDX-License-Identifier: ISC */
/*
 * dl-cups.h - libcups, for the "cups" printing backend (print/print-cups.c),
 * loaded on first use (see dl.h).  Include after the library's headers;
 * call cd_dl_cups() before the first call into the library.
 */
#ifndef CD_DL_CUPS_H
#define CD_DL_CUPS_H

#include <cups/cups.h>

#include "dl.h"

/* libcups.so.2 */
#define CD_CUPS_SYMS(X) \
	X(cupsCancelJob2) \
	X(cupsDoRequest) \
	X(cupsEncryption) \
	X(cupsFinishDocument) \
	X(cupsFreeDests) \
	X(cupsGetNamedDest) \
	X(cupsLastError) \
	X(cupsLastErrorString) \
	X(cupsServer) \
	X(cupsSetPasswordCB2) \
	X(cupsSetServer) \
	X(cupsStartDocument) \
	X(cupsUser) \
	X(cupsWriteRequestData) \
	X(httpAssembleURIf) \
	X(httpClose) \
	X(httpConnect2) \
	X(httpReconnect2) \
	X(ippAddString) \
	X(ippAddStrings) \
	X(ippDelete) \
	X(ippFindAttribute) \
	X(ippGetBoolean) \
	X(ippGetCount) \
	X(ippGetInteger) \
	X(ippGetString) \
	X(ippNewRequest) \
	X(ippPort)

CD_CUPS_SYMS(CD_DL_EXTERN)

/* Load the library; CD_E_PRINT naming it when it cannot be. */
int cd_dl_cups(struct cd_err *err);

#ifndef CD_DL_NO_REDIRECT
#define cupsCancelJob2 sym_cupsCancelJob2
#define cupsDoRequest sym_cupsDoRequest
#define cupsEncryption sym_cupsEncryption
#define cupsFinishDocument sym_cupsFinishDocument
#define cupsFreeDests sym_cupsFreeDests
#define cupsGetNamedDest sym_cupsGetNamedDest
#define cupsLastError sym_cupsLastError
#define cupsLastErrorString sym_cupsLastErrorString
#define cupsServer sym_cupsServer
#define cupsSetPasswordCB2 sym_cupsSetPasswordCB2
#define cupsSetServer sym_cupsSetServer
#define cupsStartDocument sym_cupsStartDocument
#define cupsUser sym_cupsUser
#define cupsWriteRequestData sym_cupsWriteRequestData
#define httpAssembleURIf sym_httpAssembleURIf
#define httpClose sym_httpClose
#define httpConnect2 sym_httpConnect2
#define httpReconnect2 sym_httpReconnect2
#define ippAddString sym_ippAddString
#define ippAddStrings sym_ippAddStrings
#define ippDelete sym_ippDelete
#define ippFindAttribute sym_ippFindAttribute
#define ippGetBoolean sym_ippGetBoolean
#define ippGetCount sym_ippGetCount
#define ippGetInteger sym_ippGetInteger
#define ippGetString sym_ippGetString
#define ippNewRequest sym_ippNewRequest
#define ippPort sym_ippPort
#endif

#endif
