/* SPDX-License-Identifier: ISC */
/*
 * target-nss.c - the SystemStore delivery target: import each package
 * into the personal NSS database of the user running certdesk.  Before
 * anything is issued it checks the store can be opened and whether it
 * needs a password; the password is asked when the first package is
 * imported, and again (three tries in all) while the store refuses it.
 * Imported certificates stay in the store if the collection is rolled
 * back (they are revoked all the same); the audit trail names them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nss.h"
#include "engine-int.h"
#include "target.h"
#include "util.h"

#define TRIES 3
#define STORE_PW_MAX 256

struct nss_st {
	int need;			/* the store has a password */
	int tries;			/* refused so far */
	char *pw;			/* secret memory, NULL until asked */
	int noted;			/* the audit note was started */
};

struct import {
	const char *db, *dbpw, *nick;
	const unsigned char *p12;
	size_t len;
	struct cd_nss_result *res;
};

static int
nss_prepare(struct cd_drive *d, void **state, struct cd_err *err)
{
	const struct cd_conf *conf = cd_drive_conf(d);
	struct nss_st *st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	*state = st;
	return cd_nss_needs_password(conf->nssdb, &st->need, err);
}

static int
ask(struct cd_drive *d, struct nss_st *st, const struct cd_err *last,
    struct cd_err *err)
{
	const struct cd_conf *conf = cd_drive_conf(d);
	const struct cd_drive_ui *ui = cd_drive_ui(d);
	int r;

	if (ui->store_password == NULL)
		return last != NULL ? cd_err_set(err, last->code, "%s",
		    last->msg) : 0;
	if (st->pw == NULL && (st->pw = cd_secret_alloc(STORE_PW_MAX)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	st->pw[0] = '\0';
	r = ui->store_password(ui->arg, d, conf->nssdb[0] ? conf->nssdb :
	    "the personal certificate store", TRIES - st->tries, last, st->pw,
	    STORE_PW_MAX, err);
	return cd_drive_after_question(d, r, err);
}

static int
do_import(void *arg, const char *pw, struct cd_err *err)
{
	struct import *im = arg;

	return cd_nss_import(im->db, im->dbpw, im->p12, im->len, pw, im->nick,
	    im->res, err);
}

static void
note(struct cd_drive *d, struct nss_st *st, const struct cd_nss_result *res)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s\"%s\" (%s)", st->noted ? ", " : "",
	    res->nickname, res->serial);
	if (!st->noted) {
		char head[256];

		snprintf(head, sizeof(head), "; still in the personal store "
		    "%s: ", res->dbspec);
		cd_dc_rollback_note(d, head);
	}
	cd_dc_rollback_note(d, buf);
	st->noted = 1;
}

static int
import_one(struct cd_drive *d, struct nss_st *st, int i,
    struct cd_nss_result *res, struct cd_err *err)
{
	const struct cd_conf *conf = cd_drive_conf(d);
	const struct cd_collect_preview *pv = cd_drive_preview(d);
	char nick[CD_FIELD_MAX + 80];
	struct import im;
	int r;

	snprintf(nick, sizeof(nick), "%s - %s", pv->person_name,
	    cd_dc_item(d, i)->policy->name);
	memset(&im, 0, sizeof(im));
	im.db = conf->nssdb;
	im.dbpw = st->pw != NULL && st->pw[0] != '\0' ? st->pw : NULL;
	im.nick = nick;
	im.res = res;
	if ((r = cd_dc_package_data(d, i, &im.p12, &im.len, err)) != 0)
		return r;
	memset(res, 0, sizeof(*res));
	return cd_dc_with_password(d, do_import, &im, err);
}

static int
nss_write(struct cd_drive *d, void *state, int i, struct cd_err *err)
{
	struct nss_st *st = state;
	struct cd_nss_result res;
	struct cd_err last;
	char what[160], where[CD_DETAIL_MAX];
	int r;

	snprintf(what, sizeof(what), "Importing %s into the personal store",
	    cd_dc_item(d, i)->policy->name);
	if ((r = cd_dc_progress(d, what, i, cd_dc_nitems(d),
	    err)) != 0)
		return r;
	if (st->need && st->pw == NULL && (r = ask(d, st, NULL, err)) != 0)
		return r;
	while ((r = import_one(d, st, i, &res, err)) == CD_E_AUTH) {
		if (++st->tries >= TRIES)
			return r;
		cd_err_clear(&last);
		if (err != NULL)
			last = *err;
		else
			last.code = r;
		st->need = 1;
		if ((r = ask(d, st, &last, err)) != 0)
			return r;
	}
	if (r != 0)
		return r;
	note(d, st, &res);
	snprintf(where, sizeof(where), "personal store %s as \"%s\", serial %s",
	    res.dbspec, res.nickname, res.serial);
	if ((r = cd_dc_item_delivered(d, i, where, err)) != 0)
		return r;
	return cd_drive_tick(d, err);
}

static void
nss_release(void *state)
{
	struct nss_st *st = state;

	if (st->pw != NULL)
		cd_secret_free(st->pw, STORE_PW_MAX);
	free(st);
}

const struct cd_target_ops cd_target_nss = {
	"SystemStore", CD_STORE_SYSTEMSTORE, CD_TGT_NEEDS_PERSON,
	"personal certificate store",
	nss_prepare, NULL, nss_write, NULL, NULL, NULL, nss_release
};
