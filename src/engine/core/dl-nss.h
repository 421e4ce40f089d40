/* SPDX-License-Identifier: ISC */
/*
 * dl-nss.h - NSS (libnss3, libsmime3, libnspr4), for the SystemStore
 * delivery (deliver/nss.c), loaded on first use (see dl.h).  Include
 * after the library's headers; call cd_dl_nss() before the first call
 * into the library.
 */
#ifndef CD_DL_NSS_H
#define CD_DL_NSS_H

#include <nss/nss.h>
#include <cert.h>
#include <p12.h>
#include <pk11pub.h>
#include <prerror.h>
#include <secitem.h>
#include <secport.h>

#include "dl.h"

/* libnspr4.so */
#define CD_NSPR_SYMS(X) \
	X(PR_ErrorToName) \
	X(PR_ErrorToString)

/* libnss3.so */
#define CD_NSS3_SYMS(X) \
	X(CERT_DestroyCertificate) \
	X(NSS_InitContext) \
	X(NSS_IsInitialized) \
	X(NSS_ShutdownContext) \
	X(PK11_Authenticate) \
	X(PK11_DestroyGenericObjects) \
	X(PK11_DestroyTokenObject) \
	X(PK11_FindCertFromDERCertItem) \
	X(PK11_FindGenericObjects) \
	X(PK11_FreeSlot) \
	X(PK11_GetInternalKeySlot) \
	X(PK11_GetNextGenericObject) \
	X(PK11_GetObjectHandle) \
	X(PK11_GetTokenName) \
	X(PK11_InitPin) \
	X(PK11_IsLoggedIn) \
	X(PK11_NeedLogin) \
	X(PK11_NeedUserInit) \
	X(PK11_SetPasswordFunc) \
	X(PORT_GetError) \
	X(PORT_SetError) \
	X(PORT_Strdup) \
	X(PORT_UCS2_UTF8Conversion) \
	X(SECITEM_AllocItem) \
	X(SECITEM_DupItem) \
	X(SECITEM_FreeItem) \
	X(SECITEM_ItemsAreEqual)

/* libsmime3.so */
#define CD_SMIME_SYMS(X) \
	X(SEC_PKCS12DecoderFinish) \
	X(SEC_PKCS12DecoderImportBags) \
	X(SEC_PKCS12DecoderIterateInit) \
	X(SEC_PKCS12DecoderIterateNext) \
	X(SEC_PKCS12DecoderRenameCertNicknames) \
	X(SEC_PKCS12DecoderStart) \
	X(SEC_PKCS12DecoderUpdate) \
	X(SEC_PKCS12DecoderValidateBags) \
	X(SEC_PKCS12DecoderVerify)

CD_NSPR_SYMS(CD_DL_EXTERN)
CD_NSS3_SYMS(CD_DL_EXTERN)
CD_SMIME_SYMS(CD_DL_EXTERN)

/* Load the library; CD_E_NSS naming it when it cannot be. */
int cd_dl_nss(struct cd_err *err);

#ifndef CD_DL_NO_REDIRECT
#define PR_ErrorToName sym_PR_ErrorToName
#define PR_ErrorToString sym_PR_ErrorToString
#define CERT_DestroyCertificate sym_CERT_DestroyCertificate
#define NSS_InitContext sym_NSS_InitContext
#define NSS_IsInitialized sym_NSS_IsInitialized
#define NSS_ShutdownContext sym_NSS_ShutdownContext
#define PK11_Authenticate sym_PK11_Authenticate
#define PK11_DestroyGenericObjects sym_PK11_DestroyGenericObjects
#define PK11_DestroyTokenObject sym_PK11_DestroyTokenObject
#define PK11_FindCertFromDERCertItem sym_PK11_FindCertFromDERCertItem
#define PK11_FindGenericObjects sym_PK11_FindGenericObjects
#define PK11_FreeSlot sym_PK11_FreeSlot
#define PK11_GetInternalKeySlot sym_PK11_GetInternalKeySlot
#define PK11_GetNextGenericObject sym_PK11_GetNextGenericObject
#define PK11_GetObjectHandle sym_PK11_GetObjectHandle
#define PK11_GetTokenName sym_PK11_GetTokenName
#define PK11_InitPin sym_PK11_InitPin
#define PK11_IsLoggedIn sym_PK11_IsLoggedIn
#define PK11_NeedLogin sym_PK11_NeedLogin
#define PK11_NeedUserInit sym_PK11_NeedUserInit
#define PK11_SetPasswordFunc sym_PK11_SetPasswordFunc
#define PORT_GetError sym_PORT_GetError
#define PORT_SetError sym_PORT_SetError
#define PORT_Strdup sym_PORT_Strdup
#define PORT_UCS2_UTF8Conversion sym_PORT_UCS2_UTF8Conversion
#define SECITEM_AllocItem sym_SECITEM_AllocItem
#define SECITEM_DupItem sym_SECITEM_DupItem
#define SECITEM_FreeItem sym_SECITEM_FreeItem
#define SECITEM_ItemsAreEqual sym_SECITEM_ItemsAreEqual
#define SEC_PKCS12DecoderFinish sym_SEC_PKCS12DecoderFinish
#define SEC_PKCS12DecoderImportBags sym_SEC_PKCS12DecoderImportBags
#define SEC_PKCS12DecoderIterateInit sym_SEC_PKCS12DecoderIterateInit
#define SEC_PKCS12DecoderIterateNext sym_SEC_PKCS12DecoderIterateNext
#define SEC_PKCS12DecoderRenameCertNicknames \
	sym_SEC_PKCS12DecoderRenameCertNicknames
#define SEC_PKCS12DecoderStart sym_SEC_PKCS12DecoderStart
#define SEC_PKCS12DecoderUpdate sym_SEC_PKCS12DecoderUpdate
#define SEC_PKCS12DecoderValidateBags sym_SEC_PKCS12DecoderValidateBags
#define SEC_PKCS12DecoderVerify sym_SEC_PKCS12DecoderVerify
#endif

#endif
