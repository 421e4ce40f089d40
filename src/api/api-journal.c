/* SPDX-License-Identifier: ISC */
/*
 * api-journal.c - the client's own journal, in server mode: the files
 * this process writes for a collection attempt (folder .pfx files, USB
 * saves) are recorded before each write in the operator's state folder,
 * $XDG_STATE_HOME/certdesk (default ~/.local/state/certdesk, 0700; with
 * no usable home, /var/tmp/certdesk-UID), in a folder per server
 * ("server-HASH" of the host and the socket: attempt ids are a store's),
 * one file per attempt ("attempt-ID.json", 0600, written by temp name and
 * rename with fsync).  The record goes on commit, and after a cancel's
 * own rollback.  A record left by a killed client is settled by the next
 * start or `certdesk sweep`: certdeskd is asked the attempt's state; an
 * attempt that ended without completing (aborted, cancelled, failed) has
 * its files removed while they still hold what was written (never a
 * file that changed or is not a regular file), a completed one keeps
 * them, a live one is left for later.  certdeskd never touches these
 * files: they are the operator's.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "api-int.h"
#include "journal.h"
#include "json-model.h"
#include "util.h"

/* Make each missing folder of path (0700, as XDG wants). */
static int
mkdirs(char *path, struct cd_err *err)
{
	char *p;
	int last;

	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		last = *p == '\0';
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return cd_err_set(err, CD_E_IO, "cannot create %s: %s",
			    path, strerror(errno));
		if (last)
			return 0;
		*p = '/';
	}
}

/*
 * The fallback for an operator without a usable home (a service
 * account): /var/tmp/certdesk-UID, which must be this user's own 0700
 * folder and not a link.
 */
static int
fallback_dir(char *buf, size_t len, struct cd_err *err)
{
	struct stat sb;

	snprintf(buf, len, "/var/tmp/certdesk-%lu", (unsigned long)getuid());
	if (mkdir(buf, 0700) == -1 && errno != EEXIST)
		return cd_err_set(err, CD_E_IO, "cannot create %s: %s", buf,
		    strerror(errno));
	if (lstat(buf, &sb) == -1 || !S_ISDIR(sb.st_mode) ||
	    sb.st_uid != getuid() || (sb.st_mode & 077) != 0)
		return cd_err_set(err, CD_E_IO, "%s is not a private folder "
		    "of this user: the client's journal cannot be kept", buf);
	return 0;
}

/*
 * Attempt ids are a store's: an operator who uses two servers (or a home
 * shared by two stations) keeps one journal per server, in a folder
 * named after this host and the server's socket.
 */
static char cj_scope[32] = "server-default";

void
cd_cj_scope(const char *socket)
{
	char host[256] = "";
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a, 64 bits */
	const unsigned char *p;
	int i;

	(void)gethostname(host, sizeof(host) - 1);
	for (i = 0; i < 2; i++)
		for (p = (const unsigned char *)(i ? socket : host); ; p++) {
			h = (h ^ *p) * 1099511628211ULL;
			if (*p == '\0')
				break;
		}
	snprintf(cj_scope, sizeof(cj_scope), "server-%016llx",
	    (unsigned long long)h);
}

/* The folder itself, then this server's folder in it. */
static int
scoped(char *buf, size_t len, struct cd_err *err)
{
	size_t n = strlen(buf);

	if (snprintf(buf + n, len - n, "/%s", cj_scope) >= (int)(len - n))
		return cd_err_set(err, CD_E_IO, "the journal's folder name "
		    "is too long");
	if (mkdir(buf, 0700) == -1 && errno != EEXIST)
		return cd_err_set(err, CD_E_IO, "cannot create %s: %s", buf,
		    strerror(errno));
	return 0;
}

/*
 * The journal's folder, made if missing: $XDG_STATE_HOME/certdesk, else
 * ~/.local/state/certdesk, else (no usable home) the fallback; in it,
 * this server's folder.
 */
static int
cj_dir(char *buf, size_t len, struct cd_err *err)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int r;

	if (state != NULL && state[0] == '/')
		snprintf(buf, len, "%s/certdesk", state);
	else if (home != NULL && home[0] == '/')
		snprintf(buf, len, "%s/.local/state/certdesk", home);
	else if ((r = fallback_dir(buf, len, err)) != 0)
		return r;
	else
		return scoped(buf, len, err);
	if (mkdirs(buf, NULL) != 0 && (r = fallback_dir(buf, len, err)) != 0)
		return r;
	return scoped(buf, len, err);
}

static void
cj_name(char *buf, size_t len, int64_t attempt)
{
	snprintf(buf, len, "attempt-%lld.json", (long long)attempt);
}

/* The record of attempt (a new one if there is none). */
static json_t *
cj_load(const char *dir, int64_t attempt, int64_t request)
{
	char name[64], path[CD_PATH_MAX + 64];
	json_t *j;

	cj_name(name, sizeof(name), attempt);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((j = json_load_file(path, 0, NULL)) != NULL && json_is_object(j) &&
	    json_is_array(json_object_get(j, "files")))
		return j;
	json_decref(j);
	return json_pack("{s:I,s:I,s:[]}", "attempt", (json_int_t)attempt,
	    "request", (json_int_t)request, "files");
}

static int
cj_save(const char *dir, int64_t attempt, const json_t *j, struct cd_err *err)
{
	char name[64], *text;
	int r;

	cj_name(name, sizeof(name), attempt);
	if ((text = json_dumps(j, JSON_COMPACT)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	r = cd_write_atomic(dir, name, text, strlen(text), 0600, NULL, 0, err);
	free(text);
	return r;
}

static int
same(const json_t *v, const char *s)
{
	return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* The record already holds this file with this content. */
static int
cj_has(const json_t *files, const char *path, const char *sha256)
{
	const json_t *f;
	size_t i;

	json_array_foreach(files, i, f)
		if (same(json_object_get(f, "path"), path) &&
		    same(json_object_get(f, "sha256"), sha256))
			return 1;
	return 0;
}

int
cd_cj_add(int64_t attempt, int64_t request, int n, const char *const *path,
    const char *const *sha256, struct cd_err *err)
{
	char dir[CD_PATH_MAX], abs[CD_JPATH_MAX];
	json_t *j, *files;
	int r = 0, i, added = 0;

	if ((r = cj_dir(dir, sizeof(dir), err)) != 0)
		return r;
	if ((j = cj_load(dir, attempt, request)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	files = json_object_get(j, "files");
	for (i = 0; i < n && r == 0; i++) {
		if ((r = cd_journal_resolve(path[i], abs, sizeof(abs),
		    err)) != 0 || cj_has(files, abs, sha256[i]))
			continue;
		json_array_append_new(files, json_pack("{s:o,s:s}", "path",
		    cdj_string(abs), "sha256", sha256[i]));
		added++;
	}
	if (r == 0 && added > 0)
		r = cj_save(dir, attempt, j, err);
	json_decref(j);
	return r;
}

void
cd_cj_drop(int64_t attempt)
{
	char dir[CD_PATH_MAX], name[64], path[CD_PATH_MAX + 64];

	if (cj_dir(dir, sizeof(dir), NULL) != 0)
		return;
	cj_name(name, sizeof(name), attempt);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/* Remove one recorded file: a regular file still holding its content. */
static int
cj_remove(const char *path, const char *sha256)
{
	struct stat sb;
	char why[256];

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? CD_JR_GONE : CD_JR_FAILED;
	if (!S_ISREG(sb.st_mode))
		return CD_JR_GONE;	/* not ours any more: left alone */
	return cd_journal_remove_one(path, sha256, why, sizeof(why));
}

/*
 * Remove the files of attempt's record; the record goes when none
 * failed (else it stays, for the next sweep to try again).
 */
int
cd_cj_undo(int64_t attempt, int *removed, int *failed)
{
	char dir[CD_PATH_MAX];
	json_t *j, *files, *v, *keep;
	size_t i;
	int k;

	*removed = *failed = 0;
	if (cj_dir(dir, sizeof(dir), NULL) != 0)
		return -1;
	if ((j = cj_load(dir, attempt, 0)) == NULL)
		return -1;
	files = json_object_get(j, "files");
	keep = json_array();
	json_array_foreach(files, i, v) {
		k = cj_remove(json_string_value(json_object_get(v, "path")) ?
		    json_string_value(json_object_get(v, "path")) : "",
		    json_string_value(json_object_get(v, "sha256")) ?
		    json_string_value(json_object_get(v, "sha256")) : "");
		if (k == CD_JR_REMOVED)
			(*removed)++;
		else if (k == CD_JR_FAILED) {
			(*failed)++;
			json_array_append(keep, v);
		}
	}
	if (*failed == 0)
		cd_cj_drop(attempt);
	else {
		json_object_set_new(j, "files", keep);
		keep = NULL;
		cj_save(dir, attempt, j, NULL);
	}
	json_decref(keep);
	json_decref(j);
	return 0;
}

/*
 * certdeskd's word on an attempt: 1 live (or not known to this server:
 * kept), 0 ended, -1 certdeskd cannot be asked.
 */
int
cd_cj_state(struct cd_api *a, int64_t attempt, int *completed,
    struct cd_err *err)
{
	char path[64], state[32] = "";
	json_t *reply;
	int r;

	*completed = 0;
	snprintf(path, sizeof(path), "/v1/attempts/%lld", (long long)attempt);
	if ((r = cd_srv_call(a, "GET", path, NULL, &reply, err)) != 0)
		return r == CD_E_NOTFOUND ? (cd_err_clear(err), 1) : -1;
	cdj_get_str(json_object_get(reply, "attempt"), "state", state,
	    sizeof(state), NULL);
	json_decref(reply);
	if (strcmp(state, "in-progress") == 0)
		return 1;
	*completed = strcmp(state, "completed") == 0;
	return state[0] != '\0' ? 0 : 1;
}

int
cd_cj_sweep(struct cd_api *a, struct cd_sweep_result *res,
    struct cd_err *err)
{
	char dir[CD_PATH_MAX];
	struct dirent *de;
	long long id;
	int completed, removed, failed, r;
	DIR *d;

	if ((r = cj_dir(dir, sizeof(dir), err)) != 0)
		return r;
	if ((d = opendir(dir)) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot open %s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		char tail[8] = "";

		if (sscanf(de->d_name, "attempt-%lld.jso%1[n]", &id,
		    tail) != 2 || id <= 0)
			continue;
		if ((r = cd_cj_state(a, id, &completed, err)) != 0) {
			if (r < 0)
				break;
			continue;	/* live: its client may still run */
		}
		if (completed) {
			cd_cj_drop(id);
			continue;
		}
		if (cd_cj_undo(id, &removed, &failed) == 0) {
			res->files_removed += removed;
			res->files_failed += failed;
		}
	}
	closedir(d);
	return r < 0 ? (err != NULL && err->code ? err->code : CD_E_IO) : 0;
}
