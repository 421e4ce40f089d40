/* SPDX-License-Identifier: ISC */
/*
 * store-move.c - moving a store between backends through the store
 * interface only (is_empty, rows_list, rows_put, rows_done): nothing
 * here knows a backend.  Each table's rows are hashed as they are read
 * from the source, and again when read back from the target.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "store.h"
#include "certdesk/store-move.h"
#include "util.h"

struct end {
	const struct cd_store_ops *ops;
	void *cfg;
	struct cd_store *s;
};

struct pass {
	struct cd_store *to;			/* NULL: only hash */
	const struct cd_store_ops *ops;
	const struct cd_store_table *t;
	EVP_MD_CTX *md;
	int64_t rows;
	struct cd_err *err;
};

/* "BACKEND:ARG" opened; for a file path, its folder is the data dir. */
static int
end_open(struct end *e, const char *spec, int create, struct cd_err *err)
{
	char name[32], dir[PATH_MAX];
	const char *colon = strchr(spec, ':');
	struct stat sb;
	size_t n;
	char *slash;
	int r;

	memset(e, 0, sizeof(*e));
	if (colon == NULL || (n = (size_t)(colon - spec)) >= sizeof(name))
		return cd_err_set(err, CD_E_INVAL, "%s: give a store as "
		    "BACKEND:WHERE (sqlite:DIR or postgresql:DSN)", spec);
	memcpy(name, spec, n);
	name[n] = '\0';
	if ((e->ops = cd_store_find(name)) == NULL || *name == '\0')
		return cd_err_set(err, CD_E_INVAL, "%s: no store backend "
		    "called '%s'", spec, name);
	cd_strlcpy(dir, colon + 1, sizeof(dir));
	if (e->ops->conf_arg != NULL) {
		if ((r = e->ops->conf_arg(dir, &e->cfg, err)) != 0)
			return r;
	} else if (stat(dir, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';		/* DIR/certdesk.db -> DIR */
	return e->ops->open(e->cfg, dir, create, &e->s, err);
}

static void
end_close(struct end *e)
{
	if (e->s != NULL)
		e->ops->close(e->s);
	if (e->cfg != NULL && e->ops->conf_free != NULL)
		e->ops->conf_free(e->cfg);
	memset(e, 0, sizeof(*e));
}

/* Hash a row as (tag, length, bytes) per value; copy it if asked. */
static int
row(const char *const *vals, int n, void *arg)
{
	struct pass *p = arg;
	uint32_t len;
	int i;

	for (i = 0; i < n; i++) {
		len = vals[i] ? (uint32_t)strlen(vals[i]) : 0;
		EVP_DigestUpdate(p->md, vals[i] ? "V" : "N", 1);
		EVP_DigestUpdate(p->md, &len, sizeof(len));
		if (vals[i] != NULL)
			EVP_DigestUpdate(p->md, vals[i], len);
	}
	EVP_DigestUpdate(p->md, "\n", 1);
	p->rows++;
	if (p->to != NULL)
		return p->ops->rows_put(p->to, p->t, vals, p->err);
	return 0;
}

/* Read (and copy) table t; count and hex hash out. */
static int
one_table(struct end *src, struct end *dst, const struct cd_store_table *t,
    int64_t *rows, char hex[65], struct cd_err *err)
{
	unsigned char d[32];
	unsigned int dl = 0;
	struct pass p;
	int i, r;

	memset(&p, 0, sizeof(p));
	p.to = dst ? dst->s : NULL;
	p.ops = dst ? dst->ops : NULL;
	p.t = t;
	p.err = err;
	if ((p.md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(p.md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(p.md);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	r = src->ops->rows_list(src->s, t, row, &p, err);
	EVP_DigestFinal_ex(p.md, d, &dl);
	EVP_MD_CTX_free(p.md);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	*rows = p.rows;
	return r;
}

static int
copy_all(struct end *src, struct end *dst, struct cd_move_report *rep,
    struct cd_err *err)
{
	int i, r;

	if ((r = dst->ops->begin(dst->s, err)) != 0)
		return r;
	for (i = 0; cd_store_tables[i].name != NULL &&
	    i < CD_MOVE_TABLES; i++) {
		cd_strlcpy(rep->t[i].name, cd_store_tables[i].name,
		    sizeof(rep->t[i].name));
		if ((r = one_table(src, dst, &cd_store_tables[i],
		    &rep->t[i].rows, rep->t[i].sha256, err)) != 0)
			goto fail;
	}
	rep->ntables = i;
	if ((r = dst->ops->rows_done(dst->s, err)) != 0 ||
	    (r = dst->ops->commit(dst->s, err)) != 0)
		goto fail;
	return 0;
fail:
	dst->ops->rollback(dst->s);
	return r;
}

/* Read the target back: the same counts and checksums. */
static int
verify(struct end *dst, const struct cd_move_report *rep, struct cd_err *err)
{
	char hex[65];
	int64_t rows;
	int i, r;

	for (i = 0; i < rep->ntables; i++) {
		if ((r = one_table(dst, NULL, &cd_store_tables[i], &rows, hex,
		    err)) != 0)
			return r;
		if (rows != rep->t[i].rows || strcmp(hex, rep->t[i].sha256))
			return cd_err_set(err, CD_E_STORE, "table %s differs "
			    "after the copy: %lld rows (checksum %.12s) read "
			    "back, %lld (%.12s) copied; the copy was "
			    "committed: drop the target and try again",
			    rep->t[i].name, (long long)rows, hex,
			    (long long)rep->t[i].rows, rep->t[i].sha256);
	}
	return 0;
}

int
cd_store_move(const char *from, const char *to, struct cd_move_report *rep,
    struct cd_err *err)
{
	struct cd_move_report local;
	struct end src, dst;
	int empty = 0, vs = 0, vd = 0, r;

	if (rep == NULL)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	memset(&dst, 0, sizeof(dst));
	if ((r = end_open(&src, from, 0, err)) != 0)
		goto out;
	if ((r = end_open(&dst, to, 1, err)) != 0)
		goto out;
	if (src.ops == dst.ops && src.ops->conf_arg == NULL) {
		r = cd_err_set(err, CD_E_INVAL, "the source and target are "
		    "both %s stores: nothing to move", src.ops->name);
		goto out;
	}
	if (dst.ops->rows_put == NULL || src.ops->rows_list == NULL) {
		r = cd_err_set(err, CD_E_INVAL, "a store cannot be moved "
		    "into the %s backend", dst.ops->name);
		goto out;
	}
	if ((r = src.ops->schema_version(src.s, &vs, err)) != 0 ||
	    (r = dst.ops->schema_version(dst.s, &vd, err)) != 0)
		goto out;
	if (vs != vd) {
		r = cd_err_set(err, CD_E_STORE, "schema versions differ (%d "
		    "and %d)", vs, vd);
		goto out;
	}
	if ((r = dst.ops->is_empty(dst.s, &empty, err)) != 0)
		goto out;
	if (!empty) {
		r = cd_err_set(err, CD_E_EXISTS, "the target store %s is not "
		    "empty: a store is only moved into an empty one", to);
		goto out;
	}
	if ((r = copy_all(&src, &dst, rep, err)) == 0)
		r = verify(&dst, rep, err);
out:
	end_close(&src);
	end_close(&dst);
	return r;
}
