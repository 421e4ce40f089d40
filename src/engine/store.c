/*
 * store.c - the registry of store backends and the filter initialisers
 * shared by every backend.  Nothing here knows about a particular backend.
 */
#include "config.h"

#include <string.h>

#include "store.h"
#include "util.h"

const struct cd_store_ops *const cd_store_backends[] = {
	&cd_store_sqlite_ops,	/* the default */
	NULL
};

const struct cd_store_ops *
cd_store_find(const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0')
		return cd_store_backends[0];
	for (i = 0; cd_store_backends[i] != NULL; i++)
		if (cd_strieq(cd_store_backends[i]->name, name))
			return cd_store_backends[i];
	return NULL;
}

void
cd_request_filter_init(struct cd_request_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->status = -1;
	f->type = -1;
}

void
cd_cert_filter_init(struct cd_cert_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->status = -1;
}
