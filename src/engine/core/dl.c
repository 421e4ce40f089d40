/* SPDX-License-Identifier: ISC */
/*
 * dl.c - the shared loader of the optional libraries (see dl.h): dlopen
 * by soname, dlsym of every symbol of the table, once per process.
 *
 * Builds configured with --enable-fault-injection treat the sonames
 * listed in $CERTDESK_DL_MISSING (separated by spaces or commas) as
 * absent, so that tests can check the errors of a machine without them.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl.h"
#include "util.h"

static pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;

/* Test builds: is soname listed in $CERTDESK_DL_MISSING? */
static int
hidden(const char *soname)
{
#ifdef CD_FAULT_INJECTION
	const char *l = getenv("CERTDESK_DL_MISSING"), *p;
	size_t n = strlen(soname);

	for (p = l; p != NULL && (p = strstr(p, soname)) != NULL; p += n)
		if ((p == l || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
			return 1;
#endif
	return 0;
}

/* Open one library and fill its symbols; the message of a failure in msg. */
static int
load_one(const struct cd_dl_lib *l, const char *feature, char *msg,
    size_t len)
{
	void *h;
	const char *e;
	size_t i;

	if (hidden(l->soname)) {
		snprintf(msg, len, "%s needs the library %s, which is not "
		    "installed (%s: cannot open shared object file: No such "
		    "file or directory)", feature, l->soname, l->soname);
		return -1;
	}
	/* never closed: the pointers stay valid for the process's life */
	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		snprintf(msg, len, "%s needs the library %s, which could not "
		    "be loaded (%s)", feature, l->soname, e ? e : "?");
		return -1;
	}
	for (i = 0; i < l->nsyms; i++) {
		dlerror();
		if ((*l->syms[i].fn = dlsym(h, l->syms[i].name)) == NULL) {
			snprintf(msg, len, "%s needs the library %s with the "
			    "function %s, which it does not have", feature,
			    l->soname, l->syms[i].name);
			return -1;
		}
	}
	return 0;
}

int
cd_dl_load(struct cd_dl_state *st, const struct cd_dl_lib *libs, size_t n,
    const char *feature, int code, struct cd_err *err)
{
	size_t i;
	int r;

	pthread_mutex_lock(&dl_lock);
	if (st->done == 0) {
		st->done = 1;
		for (i = 0; i < n; i++)
			if (load_one(&libs[i], feature, st->msg,
			    sizeof(st->msg)) != 0) {
				st->done = -1;
				break;
			}
	}
	r = st->done;
	pthread_mutex_unlock(&dl_lock);
	if (r == 1)
		return 0;
	return cd_err_set(err, code, "%s", st->msg);
}
