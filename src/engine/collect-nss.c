/*
 * collect-nss.c - SystemStore delivery: import each package into the
 * personal NSS database of the user running certdesk.  Imported
 * certificates stay there if the collection is later cancelled (they are
 * revoked all the same); the audit trail names the store and nicknames.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collect-int.h"
#include "nss.h"
#include "util.h"

int
cd_collect_nss_needs_password(struct cd_collect *c, int *out,
    struct cd_err *err)
{
	return cd_nss_needs_password(c->e->conf->nssdb, out, err);
}

static void
note_import(struct cd_collect *c, const struct cd_nss_result *res)
{
	size_t used = strlen(c->nss_note);

	if (used == 0)
		used = (size_t)snprintf(c->nss_note, sizeof(c->nss_note),
		    "; still in the personal store %s: ", res->dbspec);
	else
		used += (size_t)snprintf(c->nss_note + used,
		    used < sizeof(c->nss_note) ? sizeof(c->nss_note) - used : 0,
		    ", ");
	if (used < sizeof(c->nss_note))
		snprintf(c->nss_note + used, sizeof(c->nss_note) - used,
		    "\"%s\" (%s)", res->nickname, res->serial);
}

int
cd_collect_deliver_nss(struct cd_collect *c, const char *db_password,
    struct cd_err *err)
{
	struct cd_nss_result res;
	char nick[CD_FIELD_MAX + 80], where[CD_DETAIL_MAX], what[160];
	int i, r;

	if (c->stage != CD_CS_PACKAGED)
		return cd_err_set(err, CD_E_STATE, "the packages are not "
		    "ready to be saved");
	for (i = 0; i < c->n; i++) {
		struct cd_coll_item *it = &c->items[i];

		if (it->pub.policy->storage != CD_STORE_SYSTEMSTORE ||
		    it->pub.delivered)
			continue;
		snprintf(what, sizeof(what), "Importing %s into the personal "
		    "store", it->pub.policy->name);
		if ((r = cd_coll_progress(c, what, i, c->n, err)) != 0)
			return r;
		snprintf(nick, sizeof(nick), "%s - %s", c->person.full_name,
		    it->pub.policy->name);
		memset(&res, 0, sizeof(res));
		if ((r = cd_nss_import(c->e->conf->nssdb, db_password, it->p12,
		    it->p12len, c->pw, nick, &res, err)) != 0)
			return r;
		note_import(c, &res);
		snprintf(where, sizeof(where), "personal store %s as \"%s\", "
		    "serial %s", res.dbspec, res.nickname, res.serial);
		if ((r = cd_coll_delivered(c, it, where, "collect.systemstore",
		    err)) != 0 || (r = cd_coll_heartbeat(c, err)) != 0)
			return r;
	}
	return 0;
}
