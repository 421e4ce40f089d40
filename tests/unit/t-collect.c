/* SPDX-License-Identifier: ISC */
/*
 * t-collect.c - the collection transaction through the engine API, on a
 * real store and CA in a temp dir: cancel at every step, retry with new
 * serials, the sweep revoking after the delay (injected clock), commit,
 * one collector at a time across processes, and recovery after a process
 * dies with files written.
 */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "certdesk/collect.h"
#include "certdesk/engine.h"
#include "fixture.h"

static struct fx fx;
static const char *dir = fx.dir, *conf = fx.conf;
static char out[PATH_MAX];
static const char *pw = "Sup3r-secret-pw";

static void
write_conf(void)
{
	snprintf(out, sizeof(out), "%s", fx_path(&fx, "out"));
	fx_write_conf(&fx,
	    "[security]\nrevoke_delay = 300\npfx_iterations = 1000\n"
	    "attempt_timeout = 600\n"
	    "[policy.sig]\nname = Signing\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = digitalSignature\nsubject = CN=[[People.FullName]]\n"
	    "storage = FileStore\n"
	    "[policy.enc]\nname = Encryption\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = keyAgreement\nsubject = CN=[[People.FullName]]\n"
	    "storage = FileStore\n"
	    "[policy.usb]\nname = Travel\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = digitalSignature\nsubject = CN=[[People.FullName]]\n"
	    "storage = AutoSave\n"
	    "[profile.p]\npassword = user\npassword_min = 8\n"
	    "policies = sig, enc\n"
	    "[profile.g]\npassword = generated\npassword_min = 12\n"
	    "policies = sig\npin_mailer_template = pin-mailer.txt\n"
	    "[profile.gu]\npassword = generated\npassword_min = 12\n"
	    "policies = sig, usb\npin_mailer_template = pin-mailer.txt\n");
	mkdir(out, 0700);
}

static struct cd_engine *
open_engine(int64_t offset)
{
	/* with an offset the test runs the sweep itself */
	return fx_open(&fx, offset, offset != 0);
}

static int64_t
new_request(struct cd_engine *e)
{
	struct cd_err err;
	int64_t id = 0;
	int st;

	if (cd_request_new(e, cd_unix_login(), "p", &id, &st, &err) != 0)
		diag("request new: %s", err.msg);
	return id;
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
count_files(void)
{
	DIR *d = opendir(out);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' || strlen(de->d_name) > 2)
			n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

struct count {
	int pending, active, revoked, due;
	char serials[4][80];
	int n;
};

static int
count_cert(const struct cd_cert *c, void *arg)
{
	struct count *k = arg;

	if (c->status == CD_CS_PENDING)
		k->pending++;
	if (c->status == CD_CS_PENDING && c->revoke_after > 0)
		k->due++;
	if (c->status == CD_CS_ACTIVE)
		k->active++;
	if (c->status == CD_CS_REVOKED)
		k->revoked++;
	if (k->n < 4)
		snprintf(k->serials[k->n++], 80, "%s", c->serial);
	return 0;
}

static struct count
certs(struct cd_engine *e, int64_t id)
{
	struct cd_cert_filter f;
	struct count k;

	memset(&k, 0, sizeof(k));
	cd_cert_filter_init(&f);
	f.request_id = id;
	cd_cert_list(e, &f, count_cert, &k, NULL);
	return k;
}

/* Run the steps up to (not including) stop; 0 or the failing code. */
enum { S_PASSWORD = 1, S_ISSUE, S_PACKAGE, S_DELIVER, S_COMMIT, S_END };
static int
steps(struct cd_collect *c, int stop, struct cd_err *err)
{
	int r = 0;

	if (stop > S_PASSWORD && (r = cd_collect_password(c, pw, err)))
		return r;
	if (stop > S_ISSUE && (r = cd_collect_issue(c, err)))
		return r;
	if (stop > S_PACKAGE && (r = cd_collect_package(c, err)))
		return r;
	if (stop > S_DELIVER && (r = cd_collect_deliver_folder(c, out, 1,
	    err)))
		return r;
	if (stop > S_COMMIT && (r = cd_collect_commit(c, err)))
		return r;
	return 0;
}

static void
test_cancel_each_step(struct cd_engine *e)
{
	static const char *names[] = { "", "begin", "password", "issue",
	    "package", "delivery" };
	struct cd_collect *c;
	struct cd_err err;
	struct count k;
	char undone[256];
	int64_t id = new_request(e);
	int stop;

	for (stop = S_PASSWORD; stop <= S_COMMIT; stop++) {
		ok(cd_collect_begin(e, id, &c, &err) == 0, "begin (%s)",
		    names[stop]);
		is_int(status(e, id), CD_RS_BEING_COLLECTED, "being collected");
		ok(steps(c, stop, &err) == 0, "steps before %s", names[stop]);
		if (stop == S_COMMIT)
			is_int(count_files(), 2, "two files written");
		ok(cd_collect_cancel(c, "test", undone, sizeof(undone), &err) ==
		    0, "cancel after %s", names[stop]);
		cd_collect_free(c);
		is_int(status(e, id), CD_RS_AWAIT_COLLECTION,
		    "back to awaiting collection after %s", names[stop]);
		is_int(count_files(), 0, "no files left after %s",
		    names[stop]);
	}
	like(undone, "2 files deleted, 2 certificates will be revoked",
	    "the operator is told what was undone");
	k = certs(e, id);
	is_int(k.due, 6, "every issued certificate awaits revocation");
	is_int(k.active, 0, "none active");
}

static void
test_sweep_and_retry(struct cd_engine *e)
{
	struct cd_engine *later;
	struct cd_sweep_result res;
	struct cd_collect *c;
	struct cd_err err;
	struct count k1, k2;
	int64_t id = new_request(e);

	cd_collect_begin(e, id, &c, &err);
	steps(c, S_DELIVER, &err);
	cd_collect_free(c);
	k1 = certs(e, id);
	is_int(k1.due, 2, "free() without commit cancels");
	ok(cd_collect_begin(e, id, &c, &err) == 0 && steps(c, S_END, &err) ==
	    0, "retry and commit: %s", err.msg);
	cd_collect_free(c);
	is_int(status(e, id), CD_RS_COMPLETED, "completed");
	k2 = certs(e, id);
	is_int(k2.active, 2, "two active certificates");
	ok(strcmp(k1.serials[0], k2.serials[2]) != 0 &&
	    strcmp(k1.serials[1], k2.serials[3]) != 0,
	    "the retry obtained new certificates");
	ok(cd_collect_begin(e, id, &c, &err) == CD_E_STATE,
	    "a completed request cannot be collected again");
	like(err.msg, "already collected", "and says so");

	ok(cd_sweep(e, &res, &err) == 0 && res.revoked == 0,
	    "nothing revoked before the delay");
	later = open_engine(301);
	ok(later != NULL && cd_sweep(later, &res, &err) == 0,
	    "sweep after the delay");
	ok(res.revoked >= 8, "all pending certificates revoked (%d)",
	    res.revoked);
	k2 = certs(later, id);
	is_int(k2.active, 2, "collected certificates stay active");
	is_int(k2.revoked, 2, "the cancelled attempt's are revoked");
	cd_engine_close(later);
	if (system("rm -f out/*") != 0)
		diag("cleanup failed");
}

static void
test_two_processes(struct cd_engine *e)
{
	struct cd_collect *c;
	struct cd_err err;
	int64_t id = new_request(e);
	int go[2], ready[2], st;
	char b;
	pid_t pid;

	if (pipe(go) || pipe(ready))
		return;
	if ((pid = fork()) == 0) {
		struct cd_engine *ce = open_engine(0);

		if (ce == NULL || cd_collect_begin(ce, id, &c, &err) != 0)
			_exit(1);
		write(ready[1], "r", 1);
		read(go[0], &b, 1);
		cd_collect_cancel(c, "child done", NULL, 0, &err);
		cd_collect_free(c);
		cd_engine_close(ce);
		_exit(0);
	}
	read(ready[0], &b, 1);
	ok(cd_collect_begin(e, id, &c, &err) == CD_E_BUSY,
	    "a second process is refused");
	like(err.msg, "being collected by", "naming who holds it");
	write(go[1], "g", 1);
	waitpid(pid, &st, 0);
	ok(cd_collect_begin(e, id, &c, &err) == 0,
	    "free again once the first cancelled");
	cd_collect_free(c);
}

struct audit_count {
	const char *action;
	int n;
};

static int
count_audit(const struct cd_audit *a, void *arg)
{
	struct audit_count *k = arg;

	if (strcmp(a->action, k->action) == 0 && strcmp(a->outcome, "ok") == 0)
		k->n++;
	return 0;
}

static int
audit_rows(struct cd_engine *e, int64_t id, const char *action)
{
	struct audit_count k = { action, 0 };

	if (cd_request_history(e, id, count_audit, &k, NULL) != 0)
		return -1;
	return k.n;
}

static void
test_crash_recovery(struct cd_engine *e)
{
	struct cd_engine *later;
	struct cd_sweep_result res;
	struct cd_collect *c;
	struct cd_err err;
	int64_t id = new_request(e);
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		struct cd_engine *ce = open_engine(0);

		if (ce == NULL || cd_collect_begin(ce, id, &c, &err) != 0 ||
		    steps(c, S_COMMIT, &err) != 0)
			_exit(1);
		kill(getpid(), SIGKILL);	/* dies without cancel or commit */
		_exit(2);
	}
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "child wrote files and died");
	is_int(count_files(), 2, "its files are there");
	is_int(status(e, id), CD_RS_BEING_COLLECTED, "request still held");
	ok(cd_sweep(e, &res, &err) == 0 && res.aborted == 0,
	    "a dead process alone is not stale: only the heartbeat's age is");
	is_int(count_files(), 2, "so its files are still there");
	later = open_engine(601);
	ok(later != NULL && cd_sweep(later, &res, &err) == 0 &&
	    res.aborted == 1 && res.files_removed == 2,
	    "past attempt_timeout the sweep aborts the attempt");
	is_int(count_files(), 0, "and removes its files");
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION, "collectable again");
	is_int(certs(e, id).revoked, 2, "its certificates are revoked (their "
	    "delay, counted from the last heartbeat, has passed)");
	ok(cd_sweep(later, &res, &err) == 0 && res.aborted == 0 &&
	    res.files_removed == 0 && res.revoked == 0,
	    "a second sweep finds nothing to do");
	is_int(audit_rows(e, id, "cert.revoke"), 2, "each revoked once");
	cd_engine_close(later);
}

/*
 * The double collection of issue 13: A begins and goes quiet past
 * attempt_timeout; the sweep aborts it; B collects the request.  A can
 * then neither heartbeat (tick) nor commit: CD_E_LOST, one commit in
 * the audit trail, and only B's certificates active.
 */
static void
test_double_collection(struct cd_engine *e)
{
	struct cd_engine *later;
	struct cd_sweep_result res;
	struct cd_collect *a = NULL, *b = NULL;
	struct cd_err err;
	struct cd_cert_filter f;
	struct count k, act;
	int64_t id = new_request(e);
	int i, j, mine;

	ok(cd_collect_begin(e, id, &a, &err) == 0 && steps(a, S_COMMIT,
	    &err) == 0, "A: begin and deliver, then wait on a person");
	is_int(cd_collect_tick(a, &err), 0, "A: a tick while it holds");
	later = open_engine(601);
	ok(later != NULL && cd_sweep(later, &res, &err) == 0 &&
	    res.aborted == 1, "past attempt_timeout the sweep aborts A");
	is_int(count_files(), 0, "A's files are removed");
	ok(cd_collect_begin(later, id, &b, &err) == 0 &&
	    steps(b, S_END, &err) == 0, "B: begin and commit: %s", err.msg);
	is_int(status(e, id), CD_RS_COMPLETED, "the request is completed");
	is_int(cd_collect_tick(a, &err), CD_E_LOST, "A: tick says lost");
	is_int(cd_collect_heartbeat(a, &err), CD_E_LOST,
	    "A: a heartbeat is not applied");
	is_int(cd_collect_commit(a, &err), CD_E_LOST,
	    "A: commit fails with CD_E_LOST");
	like(err.msg, "aborted", "A: saying the sweep stopped it");
	cd_collect_free(a);
	is_int(status(e, id), CD_RS_COMPLETED, "still completed by B");
	is_int(audit_rows(e, id, "collect.commit"), 1,
	    "exactly one collect.commit in the audit trail");
	k = certs(e, id);
	is_int(k.active, 2, "two certificates active");
	is_int(k.revoked, 2, "A's two are revoked");
	is_int(audit_rows(e, id, "cert.revoke"), 2, "each once");
	memset(&act, 0, sizeof(act));
	cd_cert_filter_init(&f);
	f.request_id = id;
	f.status = CD_CS_ACTIVE;
	cd_cert_list(e, &f, count_cert, &act, NULL);
	for (i = 0, mine = 0; i < act.n; i++)
		for (j = 0; j < cd_collect_nitems(b); j++)
			mine += strcmp(act.serials[i],
			    cd_collect_item(b, j)->serial) == 0;
	is_int(mine, 2, "the active ones are exactly B's");
	is_int(count_files(), 2, "B's two files are there");
	cd_collect_free(b);
	cd_engine_close(later);
	if (system("rm -f out/*") != 0)
		diag("cleanup failed");
}

static int
cancel_now(void *arg, const char *what, int done, int total)
{
	return 1;
}

static void
test_progress_cancel(struct cd_engine *e)
{
	struct cd_collect *c;
	struct cd_err err;
	int64_t id = new_request(e);

	cd_collect_begin(e, id, &c, &err);
	cd_collect_set_progress(c, cancel_now, NULL);
	cd_collect_password(c, pw, &err);
	ok(cd_collect_issue(c, &err) == CD_E_CANCELLED,
	    "the progress callback can cancel");
	cd_collect_free(c);
	is_int(status(e, id), CD_RS_AWAIT_COLLECTION, "rolled back");
	ok(cd_collect_begin(e, id, &c, &err) == 0 &&
	    cd_collect_password(c, "short", &err) == CD_E_PASSWORD,
	    "a password against the policy is refused");
	like(err.msg, "at least 8", "naming the rule");
	ok(cd_collect_password(c, NULL, &err) == CD_E_PASSWORD,
	    "a user-PIN profile needs a password");
	cd_collect_free(c);
}

static void
test_bulk_check(struct cd_engine *e)
{
	struct cd_err err;

	is_int(cd_collect_bulk_check(e, "g", &err), 0,
	    "bulk: a generated-password FileStore profile may be collected");
	is_int(cd_collect_bulk_check(e, "p", &err), CD_E_PASSWORD,
	    "bulk: a user-specified-password profile is refused");
	like(err.msg, "user-specified password", "saying why");
	is_int(cd_collect_bulk_check(e, "gu", &err), CD_E_INVAL,
	    "bulk: a profile with AutoSave certificates is refused");
	like(err.msg, "FileStore", "saying only folders are possible");
	is_int(cd_collect_bulk_check(e, "nope", &err), CD_E_NOTFOUND,
	    "bulk: an unknown profile is not found");
}

static int64_t
new_request_of(struct cd_engine *e, const char *profile)
{
	struct cd_err err;
	int64_t id = 0;

	if (cd_request_new(e, cd_unix_login(), profile, &id, NULL, &err) != 0)
		diag("request new: %s", err.msg);
	return id;
}

static void
test_collectable(struct cd_engine *e)
{
	struct cd_collect *c = NULL;
	struct cd_err err;
	int64_t a, b, d, *ids = NULL;
	int n = -1;

	ok(cd_request_collectable(e, "g", 0, &ids, &n, &err) == 0 && n == 0,
	    "collectable: none of profile g yet");
	free(ids);
	a = new_request_of(e, "g");
	b = new_request_of(e, "g");
	d = new_request_of(e, "g");
	new_request_of(e, "p");		/* another profile: not selected */
	ok(cd_request_collectable(e, "g", 0, &ids, &n, &err) == 0 && n == 3 &&
	    ids[0] == a && ids[1] == b && ids[2] == d,
	    "collectable: the profile's ready requests, oldest first");
	free(ids);
	ok(cd_request_collectable(e, "g", 2, &ids, &n, &err) == 0 && n == 2 &&
	    ids[0] == a && ids[1] == b, "collectable: the limit takes the "
	    "oldest");
	free(ids);
	ok(cd_collect_begin(e, a, &c, &err) == 0, "begin one of them");
	ok(cd_request_collectable(e, "g", 0, &ids, &n, &err) == 0 && n == 2 &&
	    ids[0] == b && ids[1] == d, "collectable: not one being "
	    "collected");
	free(ids);
	ok(cd_request_collectable(e, "g", 1, &ids, &n, &err) == 0 && n == 1 &&
	    ids[0] == b, "collectable: the limit with one of them taken");
	free(ids);
	cd_collect_free(c);
	ok(cd_request_cancel(e, d, NULL, &err) == 0 &&
	    cd_request_collectable(e, "g", 0, &ids, &n, &err) == 0 && n == 2 &&
	    ids[0] == a && ids[1] == b, "collectable: not a cancelled one");
	free(ids);
	is_int(cd_request_collectable(e, "nope", 0, &ids, &n, &err),
	    CD_E_NOTFOUND, "collectable: unknown profile");
}

static int
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int
file_is(const char *path, const char *text)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	return strcmp(buf, text) == 0;
}

static void
test_folder_new(struct cd_engine *e)
{
	struct cd_collect *c;
	struct cd_err err;
	char taken[600], missing[400];
	int64_t id = new_request(e);

	snprintf(taken, sizeof(taken), "%s/%s Signing.pfx", out,
	    cd_unix_login());
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	is_int(count_files(), 0, "folder: empty to start with");
	is_int(cd_collect_folder_check(out, 0, &err), 0,
	    "folder: an empty folder may be used");
	is_int(cd_collect_folder_check(missing, 1, &err), CD_E_IO,
	    "folder: a missing folder is an I/O error");
	ok(write_text(taken, "OLD\n") == 0, "a file takes the name of the "
	    "package");
	is_int(cd_collect_folder_check(out, 0, &err), CD_E_CONFIRM,
	    "folder: certificate files there need a confirmation");
	is_int(cd_collect_folder_check(out, 1, &err), 0,
	    "folder: given, it may be used");
	ok(cd_collect_begin(e, id, &c, &err) == 0 &&
	    steps(c, S_DELIVER, &err) == 0, "collect up to the delivery");
	is_int(cd_collect_deliver_folder_new(c, out, &err), CD_E_EXISTS,
	    "no-replace delivery refuses a taken name");
	like(err.msg, "already exists", "saying so");
	ok(file_is(taken, "OLD\n"), "the existing file is untouched");
	cd_collect_cancel(c, "test", NULL, 0, &err);
	cd_collect_free(c);
	ok(file_is(taken, "OLD\n"), "and the rollback left it alone");
	is_int(count_files(), 1, "no other file, no temporary left");
	unlink(taken);
	ok(cd_collect_begin(e, id, &c, &err) == 0 &&
	    steps(c, S_DELIVER, &err) == 0 &&
	    cd_collect_deliver_folder_new(c, out, &err) == 0 &&
	    cd_collect_commit(c, &err) == 0, "with the name free it delivers "
	    "and commits");
	is_int(count_files(), 2, "both packages written");
	is_int(status(e, id), CD_RS_COMPLETED, "request completed");
	cd_collect_free(c);
}

int
main(void)
{
	struct cd_engine *e;

	fx_init(&fx, "t-collect");
	if (chdir(dir) != 0)
		bail_out("cd %s", dir);
	write_conf();
	fx_init_store(&fx);
	if ((e = open_engine(0)) == NULL)
		bail_out("cannot open the engine on %s", conf);
	test_cancel_each_step(e);
	test_sweep_and_retry(e);
	test_two_processes(e);
	test_crash_recovery(e);
	test_double_collection(e);
	test_progress_cancel(e);
	test_bulk_check(e);
	test_collectable(e);
	test_folder_new(e);
	cd_engine_close(e);
	fx_cleanup(&fx);
	return done_testing();
}
