/* SPDX-License-Identifier: ISC */
/*
 * target-folder.c - the FileStore delivery target: a folder the operator
 * chooses.  Before anything is issued it checks the folder (exists, is a
 * folder, writable), that the generated names fit, and asks about the
 * certificate files already there.  Each package is journalled, then
 * written 0600 through a temporary name and a rename.  A file it replaces
 * is kept as a hidden hard link (".NAME.old-PID") until the commit, and
 * put back if the collection is rolled back.
 *
 * Also the step-level calls of collect.h for a folder
 * (cd_collect_folder_check, cd_collect_deliver_folder*), built on the
 * same code.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "target.h"
#include "target-int.h"
#include "util.h"

#define NITEMS CD_MAX_POLICIES_PER_PROFILE
/* ".NAME.PID.XXXXXX" and ".NAME.old-PID" need this much beside NAME. */
#define TEMP_EXTRA 24

struct backup {
	char path[CD_PATH_MAX * 2];
	char bak[CD_PATH_MAX * 2];
};

struct folder_st {
	char dir[CD_PATH_MAX];		/* absolute */
	int replace;
	int nbak;
	int unsynced;			/* written, folder not synced yet */
	struct backup bak[NITEMS];
	struct cd_tgt_written w;
};

/* ---- files written: what a rollback may remove ----------------------------- */

void
cd_tgt_written_add(struct cd_tgt_written *w, const char *path,
    const unsigned char *data, size_t len)
{
	if (w->n == NITEMS)
		return;
	cd_strlcpy(w->path[w->n], path, sizeof(w->path[0]));
	SHA256(data, len, w->sha[w->n]);
	w->n++;
}

/* Remove each written file that still holds what was written. */
int
cd_tgt_written_remove(struct cd_tgt_written *w)
{
	unsigned char *data, sha[SHA256_DIGEST_LENGTH];
	size_t len;
	int i, n = 0;

	for (i = 0; i < w->n; i++) {
		if (cd_read_file(w->path[i], 64 * 1024 * 1024, &data, &len,
		    NULL) != 0)
			continue;
		SHA256(data, len, sha);
		OPENSSL_clear_free(data, len);
		if (memcmp(sha, w->sha[i], sizeof(sha)) == 0 &&
		    unlink(w->path[i]) == 0)
			n++;
	}
	w->n = 0;
	return n;
}

/* ---- checks ---------------------------------------------------------------- */

static int
is_cert_file(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && (cd_strieq(name + n - 4, ".pfx") ||
	    cd_strieq(name + n - 4, ".p12"));
}

/* Count .pfx/.p12 files in dir (not our temporaries). */
static int
count_cert_files(const char *dir, int *count, struct cd_err *err)
{
	struct dirent *de;
	DIR *d;

	*count = 0;
	if ((d = opendir(dir)) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot open the folder %s: %s",
		    dir, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && is_cert_file(de->d_name))
			(*count)++;
	closedir(d);
	return 0;
}

static int
check_folder(const char *dir, struct cd_err *err)
{
	struct stat st;

	if (dir == NULL || *dir == '\0')
		return cd_err_set(err, CD_E_INVAL, "no folder was chosen");
	if (stat(dir, &st) == -1)
		return cd_err_set(err, CD_E_IO, "the folder %s cannot be used: "
		    "%s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cd_err_set(err, CD_E_IO, "%s is not a folder", dir);
	if (access(dir, W_OK | X_OK) == -1)
		return cd_err_set(err, CD_E_IO, "the folder %s is not "
		    "writable: %s", dir, strerror(errno));
	return 0;
}

int
cd_collect_folder_check(const char *dir, int overwrite, struct cd_err *err)
{
	int existing, r;

	if ((r = check_folder(dir, err)) != 0)
		return r;
	if ((r = count_cert_files(dir, &existing, err)) != 0)
		return r;
	if (existing > 0 && !overwrite)
		return cd_err_set(err, CD_E_CONFIRM, "the folder %s already "
		    "contains %d certificate file%s; a file with the same name "
		    "will be overwritten", dir, existing, existing == 1 ? "" :
		    "s");
	return 0;
}

/* Do the generated names fit the folder (path and name limits)? */
static int
check_names(const char *dir, const struct cd_collect_preview *pv,
    struct cd_err *err)
{
	long name_max = pathconf(dir, _PC_NAME_MAX);
	size_t len;
	int i;

	if (name_max <= 0)
		name_max = 255;
	for (i = 0; i < pv->n; i++) {
		if (pv->items[i].policy->storage != CD_STORE_FILESTORE)
			continue;
		len = strlen(pv->items[i].file_name);
		if (len + TEMP_EXTRA > (size_t)name_max)
			return cd_err_set(err, CD_E_INVAL, "the file name \"%s\" "
			    "is too long for the folder %s (at most %ld "
			    "characters, with room for a temporary name)",
			    pv->items[i].file_name, dir, name_max - TEMP_EXTRA);
		if (strlen(dir) + 1 + len + TEMP_EXTRA >= CD_PATH_MAX)
			return cd_err_set(err, CD_E_INVAL, "the path of \"%s\" "
			    "in the folder %s is too long (at most %d "
			    "characters)", pv->items[i].file_name, dir,
			    CD_PATH_MAX - TEMP_EXTRA - 1);
	}
	return 0;
}

/*
 * The certificate files in dir: those with the names this package will
 * use (refusing a name taken by something that is not a regular file)
 * and the others.
 */
static int
scan(const char *dir, const struct cd_collect_preview *pv,
    struct cd_drive_existing *ex, struct cd_err *err)
{
	char path[CD_PATH_MAX * 2];
	struct stat st;
	int i, r, total;

	memset(ex, 0, sizeof(*ex));
	ex->dir = dir;
	for (i = 0; i < pv->n; i++) {
		if (pv->items[i].policy->storage != CD_STORE_FILESTORE)
			continue;
		if ((r = cd_path_join(path, sizeof(path), dir,
		    pv->items[i].file_name, err)) != 0)
			return r;
		if (lstat(path, &st) == -1)
			continue;
		if (!S_ISREG(st.st_mode))
			return cd_err_set(err, CD_E_EXISTS, "%s exists and is "
			    "not a regular file; it cannot be replaced", path);
		ex->same[ex->nsame++] = pv->items[i].file_name;
	}
	if ((r = count_cert_files(dir, &total, err)) != 0)
		return r;
	ex->nother = total - ex->nsame;
	if (ex->nother < 0)
		ex->nother = 0;
	return 0;
}

/* ---- the target -------------------------------------------------------------- */

/* One folder from the person, checked; 1 = ask again, 0 = use it. */
static int
choose(struct cd_drive *d, struct folder_st *st, struct cd_err *err)
{
	const struct cd_drive_ui *ui = cd_drive_ui(d);
	const struct cd_collect_preview *pv = cd_drive_preview(d);
	struct cd_drive_existing ex;
	char dir[CD_PATH_MAX], real[PATH_MAX];
	int r, total;

	cd_strlcpy(dir, cd_drive_folder(d), sizeof(dir));
	r = ui->folder(ui->arg, d, dir, sizeof(dir), err);
	if ((r = cd_drive_after_question(d, r, err)) != 0)
		return r;
	if ((r = check_folder(dir, err)) != 0)
		return r;
	if (realpath(dir, real) == NULL || strlen(real) >= sizeof(st->dir))
		return cd_err_set(err, CD_E_IO, "the folder %s cannot be used: "
		    "%s", dir, strerror(errno ? errno : ENAMETOOLONG));
	cd_strlcpy(st->dir, real, sizeof(st->dir));
	cd_drive_set_folder(d, dir);
	if ((r = check_names(st->dir, pv, err)) != 0 ||
	    (r = scan(st->dir, pv, &ex, err)) != 0)
		return r;
	ex.dir = dir;
	total = ex.nsame + ex.nother;
	if (ui->no_replace) {
		if (ex.nsame > 0)
			return cd_err_set(err, CD_E_EXISTS, "%s/%s already "
			    "exists; it was left as it is", dir, ex.same[0]);
		return 0;
	}
	if (total == 0 || ui->overwrite_all)
		return 0;
	if (ui->overwrite == NULL)
		return cd_err_set(err, CD_E_CONFIRM, "the folder %s already "
		    "contains %d certificate file%s; a file with the same name "
		    "will be overwritten", dir, total, total == 1 ? "" : "s");
	r = ui->overwrite(ui->arg, d, &ex, err);
	if (r == CD_DRIVE_OVERWRITE || r == CD_DRIVE_OTHER_FOLDER) {
		int t = cd_drive_after_question(d, 0, err);

		return t != 0 ? t : r == CD_DRIVE_OTHER_FOLDER;
	}
	return r < 0 ? r : cd_err_set(err, CD_E_CANCELLED, "the folder "
	    "selection was cancelled");
}

static int
folder_prepare(struct cd_drive *d, void **state, struct cd_err *err)
{
	const struct cd_drive_ui *ui = cd_drive_ui(d);
	struct folder_st *st;
	int r;

	if (ui->folder == NULL)
		return cd_err_set(err, CD_E_INVAL, "this package has FileStore "
		    "certificates and no folder was given");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	*state = st;
	st->replace = !ui->no_replace;
	while ((r = choose(d, st, err)) == 1)
		;
	return r;
}

/* Keep a file about to be replaced: hard link, else rename, beside it. */
static int
keep_old(struct folder_st *st, const char *path, const char *name,
    struct cd_err *err)
{
	struct backup *b;
	struct stat sb;
	char bak[CD_PATH_MAX];

	if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode) || st->nbak == NITEMS)
		return 0;
	b = &st->bak[st->nbak];
	snprintf(bak, sizeof(bak), ".%s.old-%ld", name, (long)getpid());
	if (cd_path_join(b->bak, sizeof(b->bak), st->dir, bak, err) != 0)
		return CD_E_INVAL;
	unlink(b->bak);
	if (link(path, b->bak) == -1 && rename(path, b->bak) == -1)
		return cd_err_set(err, CD_E_IO, "cannot keep a copy of %s "
		    "before replacing it: %s", path, strerror(errno));
	cd_strlcpy(b->path, path, sizeof(b->path));
	st->nbak++;
	return 0;
}

int
cd_tgt_write_file(struct cd_drive *d, struct cd_tgt_written *w,
    const char *dir, int i, int replace, const char *where,
    struct cd_err *err)
{
	const struct cd_collect_item *it = cd_dc_item(d, i);
	const unsigned char *data;
	char path[CD_PATH_MAX * 2], final[CD_PATH_MAX * 2];
	char location[CD_DETAIL_MAX];
	size_t len;
	int r;

	if ((r = cd_dc_package_data(d, i, &data, &len, err)) != 0 ||
	    (r = cd_path_join(path, sizeof(path), dir, it->file_name,
	    err)) != 0 ||
	    (r = cd_dc_journal_file(d, path, data, len, err)) != 0)
		return r;
	r = cd_write_file(dir, it->file_name, data, len, 0600, replace, final,
	    sizeof(final), err);
	if (r != 0)
		return r;
	cd_tgt_written_add(w, final, data, len);
	cd_fault("after-file-write");
	snprintf(location, sizeof(location), "%s%s", where, final);
	return cd_dc_item_delivered(d, i, location, err);
}

static int
folder_write(struct cd_drive *d, void *state, int i, struct cd_err *err)
{
	struct folder_st *st = state;
	const struct cd_collect_item *it = cd_dc_item(d, i);
	char what[CD_PATH_MAX], path[CD_PATH_MAX * 2];
	int r;

	snprintf(what, sizeof(what), "Saving %s", it->file_name);
	if ((r = cd_dc_progress(d, what, i, cd_dc_nitems(d),
	    err)) != 0)
		return r;
	if (st->replace && ((r = cd_path_join(path, sizeof(path), st->dir,
	    it->file_name, err)) != 0 ||
	    (r = keep_old(st, path, it->file_name, err)) != 0))
		return r;
	st->unsynced = 1;
	return cd_tgt_write_file(d, &st->w, st->dir, i, (st->replace ?
	    CD_WF_REPLACE : 0) | CD_WF_NODIRSYNC, "", err);
}

/* One folder sync for all its files, before the commit relies on them. */
static int
folder_close(struct cd_drive *d, void *state, struct cd_err *err)
{
	struct folder_st *st = state;

	(void)d;
	if (!st->unsynced)
		return 0;
	st->unsynced = 0;
	return cd_sync_dir(st->dir, err);
}

/* The packages are ready: the folder may have gone meanwhile. */
static int
folder_open(struct cd_drive *d, void *state, struct cd_err *err)
{
	struct folder_st *st = state;

	return check_folder(st->dir, err);
}

static void
folder_commit(struct cd_drive *d, void *state)
{
	struct folder_st *st = state;
	int i;

	(void)d;
	for (i = 0; i < st->nbak; i++)
		unlink(st->bak[i].bak);
	st->nbak = 0;
	st->w.n = 0;
}

/* Remove what is left of ours, then put each replaced file back. */
static int
folder_rollback(struct cd_drive *d, void *state)
{
	struct folder_st *st = state;
	struct stat sb;
	int i, n;

	(void)d;
	n = cd_tgt_written_remove(&st->w);
	for (i = st->nbak - 1; i >= 0; i--) {
		struct stat kb;

		if (lstat(st->bak[i].bak, &kb) == -1)
			continue;
		if (lstat(st->bak[i].path, &sb) == 0) {
			/* Never replaced (the write failed): drop the link. */
			if (sb.st_dev == kb.st_dev && sb.st_ino == kb.st_ino)
				unlink(st->bak[i].bak);
			/* Else something else took the name: keep the copy. */
			continue;
		}
		if (errno != ENOENT)
			continue;
		if (link(st->bak[i].bak, st->bak[i].path) == 0)
			unlink(st->bak[i].bak);
		else
			rename(st->bak[i].bak, st->bak[i].path);
	}
	st->nbak = 0;
	return n;
}

static void
folder_release(void *state)
{
	free(state);
}

const struct cd_target_ops cd_target_folder = {
	"FileStore", CD_STORE_FILESTORE, CD_TGT_ROLLBACK_REMOVES,
	"folder chosen at Download",
	folder_prepare, folder_open, folder_write, folder_close, folder_commit,
	folder_rollback, folder_release
};

/* ---- step-level calls (collect.h) -------------------------------------------- */

static int
step_folder(struct cd_collect *c, const char *dir, int replace,
    struct cd_err *err)
{
	struct cd_tgt_written w;
	struct folder_st st;
	struct cd_drive *d;
	char real[PATH_MAX];
	const unsigned char *data;
	size_t len;
	char what[CD_PATH_MAX];
	int i, r;

	if ((r = cd_collect_package_data(c, 0, &data, &len, err)) != 0 ||
	    (r = check_folder(dir, err)) != 0)
		return r;
	if (realpath(dir, real) == NULL)
		return cd_err_set(err, CD_E_IO, "the folder %s cannot be used: "
		    "%s", dir, strerror(errno));
	if ((r = cd_drive_for_collect(c, &d, err)) != 0)
		return r;
	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	cd_strlcpy(st.dir, real, sizeof(st.dir));
	for (i = 0, r = 0; r == 0 && i < cd_collect_nitems(c); i++) {
		const struct cd_collect_item *it = cd_collect_item(c, i);

		if (it->policy->storage != CD_STORE_FILESTORE || it->delivered)
			continue;
		snprintf(what, sizeof(what), "Saving %s", it->file_name);
		if ((r = cd_collect_progress(c, what, i, cd_collect_nitems(c),
		    err)) != 0)
			break;
		r = cd_tgt_write_file(d, &w, st.dir, i, replace, "", err);
	}
	cd_drive_free(d);
	return r;
}

int
cd_collect_deliver_folder(struct cd_collect *c, const char *dir,
    int overwrite, struct cd_err *err)
{
	const unsigned char *data;
	size_t len;
	int r;

	if ((r = cd_collect_package_data(c, 0, &data, &len, err)) != 0 ||
	    (r = cd_collect_folder_check(dir, overwrite, err)) != 0)
		return r;
	return step_folder(c, dir, 1, err);
}

int
cd_collect_deliver_folder_new(struct cd_collect *c, const char *dir,
    struct cd_err *err)
{
	return step_folder(c, dir, 0, err);
}
