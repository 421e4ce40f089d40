/* SPDX-License-Identifier: ISC */
/*
 * dl-pq.c - the loader of libpq (see dl.h).
 */
#include "config.h"

#define CD_DL_NO_REDIRECT
#include "dl-pq.h"

CD_PQ_SYMS(CD_DL_DEFINE)

static const struct cd_dl_sym pq_syms[] = { CD_PQ_SYMS(CD_DL_ENTRY) };

static const struct cd_dl_lib pq_libs[] = {
	{ "libpq.so.5", pq_syms, sizeof(pq_syms) / sizeof(pq_syms[0]) },
};

static struct cd_dl_state pq_state;

int
cd_dl_pq(struct cd_err *err)
{
	return cd_dl_load(&pq_state, pq_libs,
	    sizeof(pq_libs) / sizeof(pq_libs[0]),
	    "the PostgreSQL store", CD_E_STORE, err);
}
