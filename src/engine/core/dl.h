/* SPDX-License-Identifier: ISC */
/*
 * dl.h - optional libraries loaded when a feature first needs them.
 *
 * A feature's library (NSS for SystemStore, libcups for printing, libudev
 * for AutoSave, libpq for the PostgreSQL store) is not linked into the
 * programs: its loader (dl-nss.c, dl-cups.c, dl-udev.c, dl-pq.c) opens it
 * by its soname with dlopen and fills a table of function pointers
 * (sym_NAME) with dlsym, once per process.  The feature's source file
 * includes dl-X.h after the library's own headers; dl-X.h redirects each
 * NAME used there to sym_NAME, so the calls read as before.  A missing
 * library or symbol is an error with the feature's code (CD_E_NSS,
 * CD_E_PRINT, CD_E_USB, CD_E_STORE) naming the library, never a crash.
 */
#ifndef CD_DL_H
#define CD_DL_H

#include <stddef.h>

#include "certdesk/error.h"

/* One symbol: its name and where its address goes. */
struct cd_dl_sym {
	const char *name;
	void **fn;
};

/* One library: its soname and the symbols taken from it. */
struct cd_dl_lib {
	const char *soname;
	const struct cd_dl_sym *syms;
	size_t nsyms;
};

/*
 * Load the libraries libs[0..n-1] (in that order) and resolve all their
 * symbols, once: the outcome (success or the first failure's message) is
 * kept in *state and repeated on later calls.  feature names what needs
 * the libraries ("the SystemStore delivery"), code is the error code of
 * a failure.  Thread-safe.
 */
struct cd_dl_state {
	int done;		/* 0 not tried, 1 loaded, -1 failed */
	char msg[512];
};
int cd_dl_load(struct cd_dl_state *state, const struct cd_dl_lib *libs,
    size_t n, const char *feature, int code, struct cd_err *err);

/* Declarations and table entries for a CD_X_SYMS(X) list. */
#define CD_DL_EXTERN(name)	extern __typeof__(name) *sym_##name;
#define CD_DL_DEFINE(name)	__typeof__(name) *sym_##name;
#define CD_DL_ENTRY(name)	{ #name, (void **)&sym_##name },

#endif
