/* SPDX-License-Identifier: ISC */
/*
 * dl-pq.h - libpq, for the PostgreSQL store backend (store/store-pg.c),
 * loaded on first use (see dl.h).  Include after the library's headers;
 * call cd_dl_pq() before the first call into the library.
 */
#ifndef CD_DL_PQ_H
#define CD_DL_PQ_H

#include <libpq-fe.h>

#include "dl.h"

/* libpq.so.5 */
#define CD_PQ_SYMS(X) \
	X(PQclear) \
	X(PQcmdTuples) \
	X(PQconnectdbParams) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQdb) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQfinish) \
	X(PQfreemem) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQhost) \
	X(PQntuples) \
	X(PQreset) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQsendQueryParams) \
	X(PQsetSingleRowMode) \
	X(PQstatus) \
	X(PQtransactionStatus)

CD_PQ_SYMS(CD_DL_EXTERN)

/* Load the library; CD_E_STORE naming it when it cannot be. */
int cd_dl_pq(struct cd_err *err);

#ifndef CD_DL_NO_REDIRECT
#define PQclear sym_PQclear
#define PQcmdTuples sym_PQcmdTuples
#define PQconnectdbParams sym_PQconnectdbParams
#define PQconninfoFree sym_PQconninfoFree
#define PQconninfoParse sym_PQconninfoParse
#define PQdb sym_PQdb
#define PQerrorMessage sym_PQerrorMessage
#define PQexec sym_PQexec
#define PQexecParams sym_PQexecParams
#define PQfinish sym_PQfinish
#define PQfreemem sym_PQfreemem
#define PQgetResult sym_PQgetResult
#define PQgetisnull sym_PQgetisnull
#define PQgetvalue sym_PQgetvalue
#define PQhost sym_PQhost
#define PQntuples sym_PQntuples
#define PQreset sym_PQreset
#define PQresultErrorField sym_PQresultErrorField
#define PQresultStatus sym_PQresultStatus
#define PQsendQueryParams sym_PQsendQueryParams
#define PQsetSingleRowMode sym_PQsetSingleRowMode
#define PQstatus sym_PQstatus
#define PQtransactionStatus sym_PQtransactionStatus
#endif

#endif
