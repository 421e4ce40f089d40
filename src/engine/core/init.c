/* SPDX-License-Identifier: ISC */
/*
 * init.c - 'certdesk init': create the data directory, the store and the
 * CA, and make the invoking Unix user the first administrator.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "engine-int.h"
#include "util.h"

/* The invoking user as a person with every role. */
static void
first_admin(struct cd_person *p, int64_t now)
{
	struct passwd *pw = getpwuid(geteuid());
	char gecos[CD_FIELD_MAX], *comma;

	memset(p, 0, sizeof(*p));
	cd_strlcpy(p->logon, cd_unix_login(), sizeof(p->logon));
	gecos[0] = '\0';
	if (pw != NULL && pw->pw_gecos != NULL)
		cd_strlcpy(gecos, pw->pw_gecos, sizeof(gecos));
	if ((comma = strchr(gecos, ',')) != NULL)
		*comma = '\0';
	cd_strlcpy(p->full_name, *gecos ? gecos : p->logon,
	    sizeof(p->full_name));
	cd_strlcpy(p->group_name, "Administrators", sizeof(p->group_name));
	p->roles = CD_ROLE_ALL;
	p->status = CD_PS_ACTIVE;
	p->created_at = now;
}

static int
create_ca(struct cd_engine *e, const struct cd_init_opts *o,
    struct cd_err *err)
{
	struct cd_ca_init how;

	/* A CA set up outside certdesk (scep): nothing to create here. */
	if (!(e->cao->caps & CD_CA_CAN_INIT) && o->ca_cert == NULL)
		return 0;
	memset(&how, 0, sizeof(how));
	how.common_name = o->ca_name;
	how.organisation = e->conf->organisation[0] ? e->conf->organisation :
	    NULL;
	how.key_type = CD_KEY_EC_P384;
	how.import_cert = o->ca_cert;
	how.import_key = o->ca_key;
	return cd_ca_init_checked(e->cao, e->conf->ca.cfg, e->conf->datadir,
	    &how, err);
}

static int
create_admin(struct cd_engine *e, struct cd_err *err)
{
	int r;

	first_admin(&e->op, cd_engine_now(e));
	if (e->op.logon[0] == '\0')
		return cd_err_set(err, CD_E_AUTH, "cannot tell who is running "
		    "certdesk");
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = e->so->person_add(e->st, &e->op, err)) != 0 ||
	    (r = cd_eng_audit(e, "init", "store", "ok", e->source, err)) != 0) {
		e->so->rollback(e->st);
		return r;
	}
	return e->so->commit(e->st, err);
}

/* On an existing store, --demo adds demo data as an administrator. */
static int
existing_store(struct cd_engine *e, const struct cd_init_opts *o,
    struct cd_err *err)
{
	int r;

	if (!o->demo)
		return cd_err_set(err, CD_E_EXISTS, "%s is already "
		    "initialised", e->conf->datadir);
	r = e->so->person_get(e->st, 0, cd_unix_login(), &e->op, err);
	if (r != 0 || (e->op.roles & CD_ROLE_ADMIN) == 0)
		return cd_err_set(err, CD_E_DENIED, "adding demo data to an "
		    "existing store needs an administrator");
	return cd_eng_ca(e, err);
}

int
cd_init(const struct cd_init_opts *o, struct cd_err *err)
{
	struct cd_engine *e;
	int64_t people = 0;
	int r;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	e->clock_offset = o->clock_offset;
	if ((r = cd_eng_open_backends(e, o->conf_path, 1, err)) != 0)
		goto out;
	chmod(e->conf->datadir, 0700);
	if ((r = e->so->person_count(e->st, &people, err)) != 0)
		goto out;
	if (people > 0) {
		if ((r = existing_store(e, o, err)) != 0)
			goto out;
	} else {
		/* A CA left by an interrupted init is kept. */
		if ((r = create_ca(e, o, err)) == CD_E_EXISTS &&
		    o->ca_cert == NULL)
			r = 0;
		if (r != 0 ||
		    (r = cd_eng_ca(e, err)) != 0 ||
		    (r = create_admin(e, err)) != 0)
			goto out;
	}
	if (o->demo)
		r = cd_demo_build(e, err);
out:
	cd_engine_close(e);
	return r;
}
