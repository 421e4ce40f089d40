/* SPDX-License-Identifier: ISC */
/*
 * t-drive.c - the collection driver with scripted answers, on a real
 * store and CA in a temp dir: FileStore, SystemStore (a real NSS
 * database) and AutoSave targets; a cancel at each question; every
 * mistake that can be found before issuance found before any certificate
 * exists (missing folder, a file, names too long, existing files without
 * overwrite, no PIN-mailer printer); the old package kept and put back
 * when a replacing collection fails; CD_E_LOST from a wait cancels.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "certdesk/drive.h"
#include "certdesk/engine.h"
#include "target.h"
#include "tap.h"

static char dir[256], conf[300], out[300], other[300];
static const char *pw = "Sup3r-secret-pw";

/* The script: what each question answers. */
struct script {
	const char *folder;		/* NULL: cancel */
	const char *folder2;		/* after "other folder" */
	int nfolder;
	int overwrite;			/* answer, or a code */
	int noverwrite;
	int nsame;
	int password;			/* 0 answer, else this code */
	int npassword;
	int usb;			/* answer at START */
	int nusb;
	int nstore;
};

static int
s_folder(void *arg, struct cd_drive *d, char *buf, size_t len,
    struct cd_err *err)
{
	struct script *s = arg;
	const char *f = s->nfolder++ == 0 ? s->folder : s->folder2;

	if (f == NULL)
		return cd_err_set(err, CD_E_CANCELLED, "folder cancelled");
	snprintf(buf, len, "%s", f);
	return 0;
}

static int
s_overwrite(void *arg, struct cd_drive *d, const struct cd_drive_existing *ex,
    struct cd_err *err)
{
	struct script *s = arg;

	s->noverwrite++;
	s->nsame = ex->nsame;
	if (s->overwrite < 0)
		return cd_err_set(err, s->overwrite, "overwrite question: %d",
		    s->overwrite);
	return s->overwrite;
}

static int
s_password(void *arg, struct cd_drive *d, char *buf, size_t len,
    struct cd_err *err)
{
	struct script *s = arg;

	s->npassword++;
	if (s->password != 0)
		return cd_err_set(err, s->password, "password question: %d",
		    s->password);
	snprintf(buf, len, "%s", pw);
	return cd_drive_tick(d, err);
}

static int
s_store(void *arg, struct cd_drive *d, const char *store, int left,
    const struct cd_err *last, char *buf, size_t len, struct cd_err *err)
{
	struct script *s = arg;

	s->nstore++;
	return cd_err_set(err, CD_E_CANCELLED, "store cancelled");
}

static int
s_usb(void *arg, struct cd_drive *d, int phase,
    const struct cd_usb_drive *list, int n)
{
	struct script *s = arg;

	s->nusb++;
	return phase == CD_DRIVE_USB_START ? s->usb : 0;
}

static void
ui_for(struct cd_drive_ui *ui, struct script *s)
{
	memset(ui, 0, sizeof(*ui));
	ui->arg = s;
	ui->folder = s_folder;
	ui->overwrite = s_overwrite;
	ui->password = s_password;
	ui->store_password = s_store;
	ui->usb = s_usb;
	ui->usb_wait_ms = 300;
}

static void
write_conf(const char *extra)
{
	FILE *f;
	const char *src = getenv("top_srcdir");

	f = fopen(conf, "w");
	fprintf(f, "[general]\ndatadir = %s/data\ntemplatedir = %s/etc/"
	    "templates\n%s\n[security]\nrevoke_delay = 300\n"
	    "pfx_iterations = 1000\nattempt_timeout = 600\n"
	    "[systemstore]\nnssdb = sql:%s/nssdb\n"
	    "[print]\npin_printer = nowhere\ncups_server = 127.0.0.1:9\n"
	    "[policy.sig]\nname = Signing\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = digitalSignature\nsubject = CN=[[People.FullName]]\n"
	    "storage = FileStore\n"
	    "[policy.usb]\nname = Travel\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = digitalSignature\nsubject = CN=[[People.FullName]]\n"
	    "storage = AutoSave\n"
	    "[policy.nss]\nname = Browser\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = digitalSignature\nsubject = CN=[[People.FullName]]\n"
	    "storage = SystemStore\n"
	    "[profile.p]\npassword = user\npassword_min = 8\npolicies = sig\n"
	    "[profile.u]\npassword = user\npassword_min = 8\npolicies = usb\n"
	    "[profile.s]\npassword = user\npassword_min = 8\n"
	    "policies = nss\n"
	    "[profile.g]\npassword = generated\npassword_min = 12\n"
	    "policies = sig\npin_mailer_template = pin-mailer.txt\n",
	    dir, src ? src : ".", extra, dir);
	fclose(f);
}

static struct cd_engine *
open_engine(void)
{
	struct cd_open_opts o;
	struct cd_engine *e = NULL;
	struct cd_err err;

	memset(&o, 0, sizeof(o));
	o.conf_path = conf;
	if (cd_engine_open(&o, &e, &err) != 0)
		diag("open: %s", err.msg);
	return e;
}

static int64_t
new_request(struct cd_engine *e, const char *profile)
{
	struct cd_err err;
	int64_t id = 0;
	int st;

	if (cd_request_new(e, cd_unix_login(), profile, &id, &st, &err) != 0)
		diag("request new: %s", err.msg);
	return id;
}

static int
count_cert(const struct cd_cert *c, void *arg)
{
	int *n = arg;

	(void)c;
	(*n)++;
	return 0;
}

static int
ncerts(struct cd_engine *e, int64_t id)
{
	struct cd_cert_filter f;
	int n = 0;

	cd_cert_filter_init(&f);
	f.request_id = id;
	cd_cert_list(e, &f, count_cert, &n, NULL);
	return n;
}

static int
status(struct cd_engine *e, int64_t id)
{
	struct cd_request r;

	if (cd_request_get(e, id, &r, NULL) != 0)
		return -1;
	return r.status;
}

static int
nfiles(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* Run a fresh driver for a new request of profile with script s. */
static int
run(struct cd_engine *e, const char *profile, struct script *s, int64_t *idp,
    int *begun, struct cd_err *err)
{
	struct cd_drive_ui ui;
	struct cd_drive *d;
	int64_t id = new_request(e, profile);
	int r;

	ui_for(&ui, s);
	*idp = id;
	if ((r = cd_drive_new(e, id, &ui, &d, err)) != 0)
		return r;
	r = cd_drive_run(d, err);
	*begun = cd_drive_begun(d);
	cd_drive_free(d);
	return r;
}

/*
 * Root writes into a folder whatever its mode: make path unwritable for
 * root too, with a read-only tmpfs over it in a mount namespace of this
 * test's own.  1 if done.
 */
static int
read_only(const char *path)
{
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return 0;
	return mount("certdesk-test", path, "tmpfs", MS_RDONLY, NULL) == 0;
}

/* A mistake found before issuance: code, nothing begun, no certificate. */
static void
before_issuance(struct cd_engine *e, const char *profile, struct script *s,
    int code, const char *what)
{
	struct cd_err err;
	int64_t id;
	int begun, r;

	s->nfolder = 0;
	r = run(e, profile, s, &id, &begun, &err);
	if (!ok(r == code, "%s: refused", what))
		diag("got %d (%s), expected %d", r, err.msg, code);
	ok(!begun, "%s: before the attempt began", what);
	is_int(ncerts(e, id), 0, "%s: no certificate issued", what);
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION, "%s: request untouched",
	    what);
}

static void
test_folder(struct cd_engine *e)
{
	struct script s = { .folder = out };
	struct cd_err err;
	struct stat st;
	char path[1200], toolong[200];
	int64_t id;
	int begun;

	is_int(run(e, "p", &s, &id, &begun, &err), 0, "FileStore: committed");
	is_int(status(e, id), CD_RS_COMPLETED, "request completed");
	is_int(nfiles(out), 1, "one package in the folder");
	is_int(s.npassword, 1, "the password was asked once");
	is_int(s.noverwrite, 0, "an empty folder needs no question");

	/* existing files: other folder, overwrite, cancel, no question */
	memset(&s, 0, sizeof(s));
	s.folder = out;
	s.folder2 = other;
	s.overwrite = CD_DRIVE_OTHER_FOLDER;
	is_int(run(e, "p", &s, &id, &begun, &err), 0, "other folder chosen");
	is_int(s.nsame, 1, "the question named the file it would replace");
	is_int(nfiles(other), 1, "the package went to the other folder");

	memset(&s, 0, sizeof(s));
	s.folder = out;
	s.overwrite = CD_E_CANCELLED;
	before_issuance(e, "p", &s, CD_E_CANCELLED, "cancel at overwrite");
	memset(&s, 0, sizeof(s));
	before_issuance(e, "p", &s, CD_E_CANCELLED, "cancel at folder");
	{
		struct cd_drive_ui ui;
		struct cd_drive *d;

		memset(&s, 0, sizeof(s));
		s.folder = out;
		ui_for(&ui, &s);
		ui.overwrite = NULL;
		id = new_request(e, "p");
		cd_drive_new(e, id, &ui, &d, &err);
		is_int(cd_drive_run(d, &err), CD_E_CONFIRM,
		    "no overwrite question: CD_E_CONFIRM");
		ok(!cd_drive_begun(d) && ncerts(e, id) == 0,
		    "... before any certificate");
		cd_drive_free(d);
	}

	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s/missing", dir);
	s.folder = path;
	before_issuance(e, "p", &s, CD_E_IO, "missing folder");
	snprintf(path, sizeof(path), "%s/plain", dir);
	fclose(fopen(path, "w"));
	before_issuance(e, "p", &s, CD_E_IO, "a file, not a folder");
	chmod(other, 0500);
	if (geteuid() == 0 && !read_only(other)) {
		for (begun = 0; begun < 4; begun++)
			skip("unwritable folder", "root writes anywhere, and no "
			    "read-only mount could be made here");
	} else {
		s.folder = other;
		before_issuance(e, "p", &s, CD_E_IO, "unwritable folder");
		if (geteuid() == 0)
			umount2(other, MNT_DETACH);
	}
	chmod(other, 0700);

	/* a path close to the limit: the names do not fit */
	memset(toolong, 'd', 100);
	toolong[100] = '\0';
	snprintf(path, sizeof(path), "%s", dir);
	while (strlen(path) + 101 <= 1000) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
		    "/%s", toolong);
		mkdir(path, 0700);
	}
	while (strlen(path) + 11 <= 1000) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
		    "/%.10s", toolong);
		mkdir(path, 0700);
	}
	memset(&s, 0, sizeof(s));
	s.folder = path;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		before_issuance(e, "p", &s, CD_E_INVAL, "names too long");
	else
		for (begun = 0; begun < 4; begun++)
			ok(0, "could not make a deep folder");
}

static void
test_questions(struct cd_engine *e)
{
	struct script s;
	struct cd_err err;
	int64_t id;
	int begun;

	/* cancel at the password question: begun, rolled back, no cert */
	memset(&s, 0, sizeof(s));
	s.folder = other;
	s.overwrite = CD_DRIVE_OVERWRITE;
	s.password = CD_E_CANCELLED;
	is_int(run(e, "p", &s, &id, &begun, &err), CD_E_CANCELLED,
	    "cancel at the password");
	ok(begun, "... after begin");
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION, "... request back");
	is_int(ncerts(e, id), 0, "... before any certificate");

	/* the attempt lost while waiting on a person: stop and cancel */
	memset(&s, 0, sizeof(s));
	s.folder = other;
	s.overwrite = CD_DRIVE_OVERWRITE;
	s.password = CD_E_LOST;
	is_int(run(e, "p", &s, &id, &begun, &err), CD_E_LOST,
	    "CD_E_LOST during a wait stops the run");
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION, "... and cancels");

	/* a generated password with no PIN-mailer printer */
	write_conf("");
	memset(&s, 0, sizeof(s));
	s.folder = other;
	{
		FILE *f = fopen(conf, "r+");
		char buf[8192];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		char *p;

		buf[n] = '\0';
		if ((p = strstr(buf, "pin_printer = nowhere")) != NULL)
			memcpy(p, "#in_printer", 11);
		rewind(f);
		fwrite(buf, 1, n, f);
		fclose(f);
	}
	{
		struct cd_engine *e2 = open_engine();

		if (e2 != NULL) {
			before_issuance(e2, "g", &s, CD_E_PRINT,
			    "no PIN-mailer printer");
			cd_engine_close(e2);
		}
	}
	write_conf("");
}

/* A failed replacing collection puts the old package back. */
static void
test_overwrite_kept(struct cd_engine *e)
{
	struct script s;
	struct cd_err err;
	char path[600], old[] = "old package bytes\n", buf[64];
	FILE *f;
	int64_t id;
	int begun, r;
	size_t n;

	(void)id;

	snprintf(path, sizeof(path), "%s/%s Signing.pfx", out, cd_unix_login());
	if ((f = fopen(path, "w")) != NULL) {
		fputs(old, f);
		fclose(f);
	}
	memset(&s, 0, sizeof(s));
	s.folder = out;
	s.overwrite = CD_DRIVE_OVERWRITE;
	/* the PIN mailer fails (no scheduler at 127.0.0.1:9) after delivery */
	r = run(e, "g", &s, &id, &begun, &err);
	ok(r != 0 && begun, "a replacing collection fails after delivery");
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	ok(n == strlen(old) && memcmp(buf, old, n) == 0,
	    "the old package is back, byte for byte");
	is_int(nfiles(out), 1, "no kept copy left beside it");
}

/* A fresh driver for a new request of profile, with script s. */
static struct cd_drive *
driver(struct cd_engine *e, const char *profile, struct script *s,
    struct cd_drive_ui *ui, int64_t *id)
{
	struct cd_drive *d = NULL;
	struct cd_err err;

	ui_for(ui, s);
	*id = new_request(e, profile);
	if (cd_drive_new(e, *id, ui, &d, &err) != 0)
		diag("drive new: %s", err.msg);
	return d;
}

/* cd_drive_run in two halves (a bulk worker's), and a driver left. */
static void
test_deferred(struct cd_engine *e)
{
	struct cd_drive_ui ui;
	struct cd_drive *d;
	struct script s;
	struct cd_err err;
	char half[320], gen[320];
	int64_t id;

	snprintf(half, sizeof(half), "%s/half", dir);
	snprintf(gen, sizeof(gen), "%s/gen", dir);
	mkdir(half, 0700);
	mkdir(gen, 0700);
	memset(&s, 0, sizeof(s));
	s.folder = half;
	if ((d = driver(e, "p", &s, &ui, &id)) == NULL)
		bail_out("no driver");
	is_int(cd_drive_finish(d, &err), CD_E_STATE,
	    "deferred: nothing to finish before the first half");
	if (!ok(cd_drive_run_deferred(d, &err) == 0,
	    "deferred: every step up to the commit"))
		diag("%s", err.msg);
	is_int(nfiles(half), 1, "deferred: the package is written");
	is_int(status(e, id), CD_RS_BEING_COLLECTED,
	    "deferred: the request is still being collected");
	cd_drive_free(d);
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION,
	    "deferred: a driver freed between the halves is rolled back");
	is_int(nfiles(half), 0, "deferred: and its package removed");

	memset(&s, 0, sizeof(s));
	s.folder = half;
	if ((d = driver(e, "p", &s, &ui, &id)) == NULL)
		bail_out("no driver");
	ok(cd_drive_run_deferred(d, &err) == 0 && cd_drive_finish(d, &err) ==
	    0, "deferred: both halves commit");
	is_int(status(e, id), CD_RS_COMPLETED, "deferred: the request completed");
	is_int(cd_drive_finish(d, &err), CD_E_STATE,
	    "deferred: nothing to finish twice");
	cd_drive_free(d);
	is_int(status(e, id), CD_RS_COMPLETED, "deferred: freeing it then "
	    "undoes nothing");
	is_int(nfiles(half), 1, "deferred: its package stays");

	/* the PIN mailer cannot be sent (no scheduler at 127.0.0.1:9) */
	memset(&s, 0, sizeof(s));
	s.folder = gen;
	if ((d = driver(e, "g", &s, &ui, &id)) == NULL)
		bail_out("no driver");
	ok(cd_drive_run_deferred(d, &err) != 0 && cd_drive_begun(d),
	    "deferred: a mailer that cannot be sent fails the first half");
	ok(strstr(err.msg, "PIN mailer") != NULL, "deferred: saying so");
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION,
	    "deferred: that request is rolled back");
	is_int(nfiles(gen), 0, "deferred: and its package removed");
	cd_drive_free(d);
}

static void
test_nss_usb(struct cd_engine *e)
{
	struct script s;
	struct cd_err err;
	int64_t id;
	int begun, r;

	memset(&s, 0, sizeof(s));
	r = run(e, "s", &s, &id, &begun, &err);
	if (!ok(r == 0, "SystemStore: imported and committed"))
		diag("%s", err.msg);
	is_int(s.nstore, 0, "a store without a password asks none");
	ok(cd_target_find(CD_STORE_SYSTEMSTORE)->caps & CD_TGT_NEEDS_PERSON,
	    "SystemStore may need a person");
	ok(!(cd_target_find(CD_STORE_SYSTEMSTORE)->caps &
	    CD_TGT_ROLLBACK_REMOVES), "its rollback leaves the store alone");
	ok(cd_target_find(CD_STORE_FILESTORE)->caps & CD_TGT_ROLLBACK_REMOVES,
	    "FileStore's rollback removes its files");

	/* AutoSave: no drive ever appears; cancel at the wait, then time out */
	memset(&s, 0, sizeof(s));
	s.usb = 1;
	r = run(e, "u", &s, &id, &begun, &err);
	if (r == CD_E_USB && !begun) {
		skip("AutoSave: cancel at the USB wait", err.msg);
		skip("the wait was shown and taken down", err.msg);
		skip("... rolled back", err.msg);
		return;
	}
	is_int(r, CD_E_CANCELLED, "AutoSave: cancel at the USB wait");
	ok(s.nusb >= 2, "the wait was shown and taken down");
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION, "... rolled back");
}

int
main(void)
{
	struct cd_init_opts io;
	struct cd_engine *e;
	struct cd_err err;
	const char *tmp = getenv("TMPDIR");
	char cmd[600], mi[400];

	snprintf(dir, sizeof(dir), "%s/t-drive.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		return 1;
	snprintf(conf, sizeof(conf), "%s/certdesk.conf", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	mkdir(out, 0700);
	mkdir(other, 0700);
	snprintf(mi, sizeof(mi), "%s/mountinfo", dir);
	fclose(fopen(mi, "w"));
	setenv("CERTDESK_MOUNTINFO", mi, 1);
	write_conf("");
	memset(&io, 0, sizeof(io));
	io.conf_path = conf;
	if (!ok(cd_init(&io, &err) == 0, "init"))
		diag("%s", err.msg);
	if ((e = open_engine()) == NULL)
		return done_testing() | 1;
	test_folder(e);
	test_questions(e);
	test_overwrite_kept(e);
	test_deferred(e);
	test_nss_usb(e);
	cd_engine_close(e);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	return done_testing();
}
