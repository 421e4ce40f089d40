/* SPDX-License-Identifier: ISC */
/*
 * journal.c - recording and undoing the files of a collection attempt:
 * resolving and hashing what is journalled, removing a journalled file
 * only while it is still ours, purging journalled print jobs (a PIN
 * mailer holds a password) from their scheduler, and reporting every
 * removal or purge that failed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "engine-int.h"
#include "journal.h"
#include "print.h"
#include "util.h"

void
cd_journal_hash(const unsigned char *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	cd_hex(md, 32, out);
}

int
cd_journal_resolve(const char *path, char *out, size_t len,
    struct cd_err *err)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/'), *name;

	if (slash == NULL) {
		cd_strlcpy(dir, ".", sizeof(dir));
		name = path;
	} else {
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 :
		    (int)(slash - path), path);
		name = slash + 1;
	}
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return cd_err_set(err, CD_E_INVAL, "%s is not a file name",
		    path);
	if (strchr(name, '\n') != NULL)
		return cd_err_set(err, CD_E_INVAL, "a file name holds a "
		    "newline: %s", path);
	if (realpath(dir, real) == NULL)
		return cd_err_set(err, CD_E_IO, "the folder %s cannot be used: "
		    "%s", dir, strerror(errno));
	if ((size_t)snprintf(out, len, "%s%s%s", real, strcmp(real, "/") ?
	    "/" : "", name) >= len)
		return cd_err_set(err, CD_E_INVAL, "the path %s/%s is too long",
		    real, name);
	return 0;
}

/*
 * Is d_name a temporary of ours (".NAME.PID.XXXXXX", pat = ".NAME.")
 * that may go: written by this process, or by one that is gone?  Another
 * live writer's temporary of the same name is left alone.
 */
static int
stale_temporary(const char *d_name, const char *pat, size_t plen)
{
	const char *p = d_name + plen;
	char *end;
	long pid;

	if (strncmp(d_name, pat, plen) != 0 || *p < '1' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	if (*end != '.' || strlen(end + 1) != 6)
		return 0;
	if (pid == (long)getpid())
		return 1;
	return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

/* Remove the temporaries of path left by this or a killed writer. */
static void
remove_temporaries(const char *path)
{
	char dir[4096], pat[1024], full[4096];
	const char *slash = strrchr(path, '/'), *name;
	struct dirent *de;
	DIR *d;
	size_t plen;

	if (slash == NULL)
		return;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 :
	    (int)(slash - path), path);
	name = slash + 1;
	if ((size_t)snprintf(pat, sizeof(pat), ".%s.", name) >= sizeof(pat))
		return;
	plen = strlen(pat);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!stale_temporary(de->d_name, pat, plen))
			continue;
		if (cd_path_join(full, sizeof(full), dir, de->d_name, NULL) ==
		    0)
			unlink(full);
	}
	closedir(d);
}

int
cd_journal_remove_one(const char *path, const char *sha256, char *why,
    size_t whylen)
{
	unsigned char *data = NULL;
	struct cd_err err;
	size_t len;
	char hex[65];
	int r;

	why[0] = '\0';
	remove_temporaries(path);
	errno = 0;
	if (cd_read_file(path, 64 << 20, &data, &len, &err) != 0) {
		if (errno == ENOENT || access(path, F_OK) == -1)
			return CD_JR_GONE;
		snprintf(why, whylen, "%s", err.msg);
		return CD_JR_FAILED;
	}
	cd_journal_hash(data, len, hex);
	free(data);
	if (strcmp(hex, sha256) != 0)
		return CD_JR_GONE;
	if (unlink(path) == 0)
		return CD_JR_REMOVED;
	r = errno;
	if (r == ENOENT)
		return CD_JR_GONE;
	snprintf(why, whylen, "%s", strerror(r));
	return CD_JR_FAILED;
}

int
cd_journal_purge_one(const char *path, char *why, size_t whylen)
{
	const struct cd_print_ops *ops;
	const char *tab = strchr(path, '\t');
	struct cd_err err;
	char name[32];

	why[0] = '\0';
	if (tab == NULL || tab == path || (size_t)(tab - path) >= sizeof(name)) {
		snprintf(why, whylen, "not a print job");
		return CD_JR_FAILED;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(tab - path), path);
	if ((ops = cd_print_find(name)) == NULL || ops->purge == NULL) {
		snprintf(why, whylen, "no print backend '%s' to purge it",
		    name);
		return CD_JR_FAILED;
	}
	memset(&err, 0, sizeof(err));
	if (ops->purge(NULL, tab + 1, &err) != 0) {
		snprintf(why, whylen, "%s", err.msg);
		return CD_JR_FAILED;
	}
	return CD_JR_REMOVED;
}

void
cd_journal_print_name(const char *path, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "print job %s", path);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\t')
			buf[i] = ' ';
}

struct rows {
	struct cd_journal *v;
	int n, cap;
	int owner;
};

static int
keep_row(const struct cd_journal *j, void *arg)
{
	struct rows *x = arg;
	struct cd_journal *nv;

	if (j->state == CD_JS_KEPT || (!x->owner && j->state != CD_JS_PENDING))
		return 0;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		if ((nv = realloc(x->v, (size_t)x->cap * sizeof(*nv))) == NULL)
			return CD_E_NOMEM;
		x->v = nv;
	}
	x->v[x->n++] = *j;
	return 0;
}

static void
add_failure(struct cd_undo *u, const char *path, const char *why)
{
	size_t n = strlen(u->failures);

	u->failed++;
	snprintf(u->failures + n, sizeof(u->failures) - n, "%s%s: %s",
	    n ? "; " : "", path, why);
}

/*
 * Purge one row's print job and record the outcome: a purge that could
 * not be made sure stays pending, for the next sweep.
 */
static int
undo_print(struct cd_engine *e, const struct cd_journal *j,
    struct cd_undo *u, struct cd_err *err)
{
	char why[512], name[CD_JPATH_MAX + 16];

	if (j->state != CD_JS_PENDING)
		return 0;
	u->prints++;
	if (cd_journal_purge_one(j->path, why, sizeof(why)) == CD_JR_FAILED) {
		cd_journal_print_name(j->path, name, sizeof(name));
		add_failure(u, name, why);
		if (strcmp(j->note, why) != 0)
			u->changed++;
		return e->so->journal_mark(e->st, j->id, CD_JS_PENDING, why,
		    err);
	}
	u->purged++;
	return e->so->journal_mark(e->st, j->id, CD_JS_REMOVED, "purged",
	    err);
}

/* Try one row's file and record the outcome in its row and in u. */
static int
undo_row(struct cd_engine *e, const struct cd_journal *j, const char *host,
    struct cd_undo *u, struct cd_err *err)
{
	char why[512];
	int how;

	if (j->kind == CD_JK_PRINT)
		return undo_print(e, j, u, err);
	if (strcmp(j->host, host) != 0) {
		snprintf(why, sizeof(why), "written on host %s; a sweep there "
		    "removes it", j->host);
		how = CD_JR_FAILED;
	} else
		how = cd_journal_remove_one(j->path, j->sha256, why,
		    sizeof(why));
	if (how == CD_JR_FAILED) {
		add_failure(u, j->path, why);
		if (strcmp(j->note, why) != 0)
			u->changed++;
		return e->so->journal_mark(e->st, j->id, CD_JS_PENDING, why,
		    err);
	}
	if (how == CD_JR_REMOVED)
		u->removed++;
	if (j->state == CD_JS_REMOVED && how != CD_JR_REMOVED)
		return 0;
	return e->so->journal_mark(e->st, j->id, CD_JS_REMOVED, how ==
	    CD_JR_REMOVED ? "removed" : "gone or replaced", err);
}

int
cd_journal_undo(struct cd_engine *e, int64_t attempt_id, int owner,
    struct cd_undo *u, struct cd_err *err)
{
	struct rows x = { NULL, 0, 0, owner };
	char host[64] = "";
	int i, r;

	memset(u, 0, sizeof(*u));
	gethostname(host, sizeof(host) - 1);
	r = e->so->journal_list(e->st, attempt_id, owner ? -1 : CD_JS_PENDING,
	    keep_row, &x, err);
	for (i = 0; r == 0 && i < x.n; i++)
		r = undo_row(e, &x.v[i], host, u, err);
	free(x.v);
	return r;
}

void
cd_undo_text(const struct cd_undo *u, const char *verb, char *buf,
    size_t len)
{
	int n;

	n = snprintf(buf, len, "%d file%s %s", u->removed, u->removed == 1 ?
	    "" : "s", verb);
	if (u->prints > 0 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", %d print job%s "
		    "purged", u->purged, u->purged == 1 ? "" : "s");
	if (u->failed > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", %d could not be %s: %s",
		    u->failed, verb, u->failures);
}
