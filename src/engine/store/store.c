/* SPDX-License-Identifier: ISC */
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
#ifdef HAVE_LIBPQ
	&cd_store_pg_ops,
#endif
	NULL
};

const struct cd_store_table cd_store_tables[] = {
	{ "people", "id, logon, full_name, email, employee_id, group_name,"
	    " upn, status, roles, created_at", 10, "id" },
	{ "person_words", "word, person_id", 2, "person_id, word" },
	{ "devices", "id, type, serial, owner_id, parent_id, status, detail,"
	    " created_at", 8, "id" },
	{ "requests", "id, type, status, person_id, device_id, profile,"
	    " created_by, created_at, approved_by, approved_at, validated_by,"
	    " validated_at, collected_by, collected_at, cancelled_by,"
	    " cancelled_at, updated_at, note, attempt_id", 19, "id" },
	{ "instances", "id, host, pid, started_at, heartbeat_at", 5, "id" },
	{ "attempts", "id, request_id, operator, pid, host, started_at,"
	    " heartbeat_at, ended_at, state, detail, instance_id", 11, "id" },
	{ "certs", "id, serial, issuer, subject, request_id, person_id,"
	    " attempt_id, device_id, policy, status, not_before, not_after,"
	    " revoke_after, revoke_reason, revoked_at, location, created_at",
	    17, "id" },
	{ "journal", "id, attempt_id, host, path, sha256, state, at, note", 8,
	    "id" },
	{ "audit", "id, at, operator, action, object, outcome, detail", 7,
	    "id" },
	{ NULL, NULL, 0, NULL }
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

int
cd_store_claim_refusal(const struct cd_request *r, const struct cd_attempt *a,
    struct cd_err *err)
{
	char when[32];

	if (r->status != CD_RS_BEING_COLLECTED)
		return cd_err_set(err, CD_E_STATE, "request %lld is %s, not "
		    "awaiting collection", (long long)r->id,
		    cd_status_name(r->status));
	if (a == NULL)
		return cd_err_set(err, CD_E_BUSY, "request %lld is being "
		    "collected", (long long)r->id);
	cd_time_text(a->started_at, when, sizeof(when));
	return cd_err_set(err, CD_E_BUSY, "request %lld is being collected "
	    "by %s since %s (process %d on %s)", (long long)r->id,
	    a->operator_, when, a->pid, a->host);
}
