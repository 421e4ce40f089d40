/* SPDX-License-Identifier: ISC */
/*
 * cmd-collect-bulk.c - 'certdesk collect --ready --profile P --folder DIR':
 * collect every ready request of one credential profile into one folder,
 * with several worker processes generating keys at once.
 *
 * The parent checks the folder, then asks through the client API whether
 * the profile may be collected in bulk (generated passwords, FileStore
 * only) and which requests are ready; then it closes its handle and forks
 * the workers.  Each worker opens its own handle (the engine in-process,
 * or a connection to certdeskd) and takes the next request from a counter
 * in shared memory, collecting it with the collection driver (drive.h),
 * so every collection has its own attempt, journal, rollback, exclusivity
 * and PIN mailer.  Workers write only results (person, outcome, file
 * names, messages) to shared memory; passwords never leave the engine
 * (the worker's, or certdeskd).  SIGHUP, SIGINT and SIGTERM are forwarded
 * to the workers, which cancel the collection in progress and take no
 * more.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "cli.h"
#include "certdesk/drive.h"

#define MAX_JOBS 256

enum res_state {
	RES_PENDING = 0,	/* no worker took it */
	RES_RUNNING,		/* taken; the worker did not report back */
	RES_COMPLETED,
	RES_FAILED,
	RES_SKIPPED,		/* held by another collector, or no longer ready */
	RES_CANCELLED
};

static const char *const res_names[] = {
	"not-started", "interrupted", "completed", "failed", "skipped",
	"cancelled"
};

struct bulk_result {
	int64_t id;
	int state;			/* enum res_state */
	int nfiles;
	char person[CD_LOGON_MAX];
	char msg[CD_ERR_MSGLEN + 256];
	char files[CD_MAX_POLICIES_PER_PROFILE][CD_PATH_MAX];
};

/* Shared between the parent and the workers (MAP_SHARED). */
struct bulk_shared {
	atomic_int next;		/* index of the next request to take */
	int n;
	struct bulk_result res[];
};

struct bulk_opts {
	const char *profile;
	const char *folder;
	int jobs;
	int limit;
	int overwrite;
	int json;
};

static volatile sig_atomic_t stop_signal;
static pid_t workers[MAX_JOBS];
static int nworkers;

/* Parent: remember the signal and pass it on to every worker. */
static void
forward_signal(int sig)
{
	int i;

	stop_signal = sig;
	for (i = 0; i < nworkers; i++)
		if (workers[i] > 0)
			kill(workers[i], sig);
}

/* Worker: the collection in progress sees it through its progress hook. */
static void
worker_signal(int sig)
{
	stop_signal = sig;
}

static void
set_handlers(void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
block_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(how, &set, NULL);
}

static int
stop_requested(void *arg, const char *what, int done, int total)
{
	(void)arg; (void)what; (void)done; (void)total;
	return stop_signal != 0;
}

/* ---- options ------------------------------------------------------------ */

static const char bulk_usage[] =
    "usage: certdesk collect --ready --profile PROFILE --folder DIR\n"
    "         [--jobs N] [--limit M] [--overwrite] [--json]\n"
    "  --ready          collect every request of PROFILE ready for you\n"
    "  --profile P      the credential profile (generated passwords,\n"
    "                   FileStore certificates only)\n"
    "  --folder DIR     where all the packages go\n"
    "  --jobs N         worker processes (default: online CPUs)\n"
    "  --limit M        at most M requests, oldest first\n"
    "  --overwrite      start even if DIR holds .pfx/.p12 files (no file\n"
    "                   is ever replaced in a bulk run)\n"
    "  --json           print the results as JSON\n"
    "exit: 0 all completed, 1 some failed, 3 refused, 4 cancelled\n";

static int
parse_bulk(int argc, char **argv, struct bulk_opts *o)
{
	static const struct option opts[] = {
		{ "ready", no_argument, NULL, 'r' },
		{ "profile", required_argument, NULL, 'p' },
		{ "folder", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "limit", required_argument, NULL, 'l' },
		{ "overwrite", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, bad = 0;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': break;
		case 'p': o->profile = optarg; break;
		case 'f': o->folder = optarg; break;
		case 'J': bad |= cli_opt_int("--jobs", optarg, 1, 1000000,
			    &o->jobs); break;
		case 'l': bad |= cli_opt_int("--limit", optarg, 1, 1000000,
			    &o->limit); break;
		case 'o': o->overwrite = 1; break;
		case 'j': o->json = 1; break;
		case 'h': fputs(bulk_usage, stdout); return 1;
		default: return -1;
		}
	}
	if (bad || optind != argc || o->profile == NULL || o->folder == NULL)
		return -1;
	if (o->jobs == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		o->jobs = cpus > 0 ? (int)cpus : 1;
	}
	if (o->jobs > MAX_JOBS)
		o->jobs = MAX_JOBS;
	return 0;
}

/* ---- a worker ----------------------------------------------------------- */

static void
set_msg(struct bulk_result *res, const struct cd_err *err, const char *undone)
{
	snprintf(res->msg, sizeof(res->msg), "%s%s%s", err->msg[0] ? err->msg :
	    cd_strerror(err->code), undone[0] ? "; rolled back: " : "", undone);
}

/* The driver's questions: the one folder, nothing replaced, no person. */
static int
bulk_folder(void *arg, struct cd_drive *d, char *dir, size_t len,
    struct cd_err *err)
{
	if (strlen(arg) >= len)
		return cd_err_set(err, CD_E_INVAL, "the folder name is too "
		    "long");
	snprintf(dir, len, "%s", (const char *)arg);
	return 0;
}

static void
stopped(void *arg, struct cd_err *err)
{
	if (stop_signal)
		cd_err_set(err, CD_E_CANCELLED, "cancelled by signal %d",
		    (int)stop_signal);
}

static void
record_files(struct cd_drive *c, struct bulk_result *res)
{
	const struct cd_collect_item *it;
	int i;

	for (i = 0; i < cd_drive_nitems(c) &&
	    i < CD_MAX_POLICIES_PER_PROFILE; i++) {
		it = cd_drive_item(c, i);
		snprintf(res->files[i], sizeof(res->files[i]), "%s",
		    it->location);
		res->nfiles = i + 1;
	}
}

/* A request begin refused: held elsewhere or no longer ready is a skip. */
static void
begin_refused(struct cd_api *a, struct bulk_result *res,
    const struct cd_err *err)
{
	struct cd_request req;

	if (cd_api_request_get(a, res->id, &req, NULL) == 0)
		snprintf(res->person, sizeof(res->person), "%s",
		    req.person_logon);
	res->state = err->code == CD_E_BUSY || err->code == CD_E_STATE ?
	    RES_SKIPPED : RES_FAILED;
	set_msg(res, err, "");
}

/*
 * Start one request: every step up to its PIN mailer, which is sent and
 * not waited for.  The driver to finish, or NULL when the request is over
 * already (refused, skipped, failed and rolled back).
 */
static struct cd_drive *
start_one(struct cd_api *a, const struct cd_drive_ui *ui,
    struct bulk_result *res)
{
	struct cd_drive *d = NULL;
	struct cd_err err;
	int r;

	res->state = RES_RUNNING;
	if (cd_api_drive_new(a, res->id, ui, &d, &err) != 0) {
		begin_refused(a, res, &err);
		return NULL;
	}
	snprintf(res->person, sizeof(res->person), "%s",
	    cd_drive_preview(d)->person_logon);
	if ((r = cd_drive_run_deferred(d, &err)) == 0)
		return d;
	if (!cd_drive_begun(d) && (r == CD_E_BUSY || r == CD_E_STATE))
		begin_refused(a, res, &err);
	else {
		set_msg(res, &err, cd_drive_undone(d));
		res->state = r == CD_E_CANCELLED ? RES_CANCELLED : RES_FAILED;
	}
	cd_drive_free(d);
	return NULL;
}

/* Wait for its PIN mailer to print, then commit (or roll back). */
static void
finish_one(struct cd_drive *d, struct bulk_result *res)
{
	struct cd_err err;
	int r;

	if ((r = cd_drive_finish(d, &err)) != 0) {
		set_msg(res, &err, cd_drive_undone(d));
		res->state = r == CD_E_CANCELLED ? RES_CANCELLED : RES_FAILED;
	} else {
		record_files(d, res);
		res->state = RES_COMPLETED;
	}
	cd_drive_free(d);
}

/*
 * A worker process: its own client API handle, opened as the parent's
 * was (the same mode, socket and operator), requests one after another.
 * Each request's keys, certificates and packages are made while the PIN
 * mailer of the one before prints; that one is committed only once its
 * mailer has printed, and a mailer that fails rolls back its own request
 * only.
 */
static int
worker_main(const struct cli *cli, const struct bulk_opts *o,
    struct bulk_shared *sh)
{
	struct cd_api_opts oo;
	struct cd_api *a = NULL;
	struct cd_drive_ui ui;
	struct cd_drive *prev = NULL, *d;
	struct bulk_result *prev_res = NULL;
	struct cd_err err;
	int i;

	cli_api_opts(cli, &oo);
	oo.no_sweep = 1;		/* the parent's engine swept */
	if (cd_api_open(&oo, &a, &err) != 0)
		return cli_fail(&err);
	memset(&ui, 0, sizeof(ui));
	ui.arg = (void *)o->folder;
	ui.folder = bulk_folder;
	ui.progress = stop_requested;
	ui.stopped = stopped;
	ui.no_replace = 1;
	ui.usb_wait_ms = -1;
	while (!stop_signal && (i = atomic_fetch_add(&sh->next, 1)) < sh->n) {
		d = start_one(a, &ui, &sh->res[i]);
		if (prev != NULL)
			finish_one(prev, prev_res);
		prev = d;
		prev_res = &sh->res[i];
	}
	if (prev != NULL)
		finish_one(prev, prev_res);
	cd_api_close(a);
	return 0;
}

/* ---- the parent --------------------------------------------------------- */

static struct bulk_shared *
shared_new(const int64_t *ids, int n)
{
	struct bulk_shared *sh;
	size_t size = sizeof(*sh) + (size_t)n * sizeof(sh->res[0]);
	int i;

	sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return NULL;
	atomic_init(&sh->next, 0);
	sh->n = n;
	for (i = 0; i < n; i++)
		sh->res[i].id = ids[i];
	return sh;
}

static void
shared_free(struct bulk_shared *sh)
{
	if (sh != NULL)
		munmap(sh, sizeof(*sh) + (size_t)sh->n * sizeof(sh->res[0]));
}

/* Fork the workers with signals blocked, so none is lost or misrouted. */
static int
start_workers(const struct cli *cli, const struct bulk_opts *o,
    struct bulk_shared *sh, int jobs)
{
	pid_t pid;
	int i;

	fflush(NULL);
	block_signals(SIG_BLOCK);
	for (i = 0; i < jobs; i++) {
		if ((pid = fork()) == -1) {
			fprintf(stderr, "certdesk: cannot start a worker: %s\n",
			    strerror(errno));
			break;
		}
		if (pid == 0) {
			set_handlers(worker_signal);
			block_signals(SIG_UNBLOCK);
			_exit(worker_main(cli, o, sh));
		}
		workers[nworkers++] = pid;
	}
	block_signals(SIG_UNBLOCK);
	return nworkers > 0 ? 0 : -1;
}

/* Wait for every worker; 1 if one of them failed on its own. */
static int
wait_workers(void)
{
	int i, status, bad = 0;
	pid_t pid;

	for (i = 0; i < nworkers; i++) {
		while ((pid = waitpid(workers[i], &status, 0)) == -1 &&
		    errno == EINTR)
			;
		if (pid == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = 1;
		workers[i] = 0;
	}
	return bad;
}

struct tally {
	int count[RES_CANCELLED + 1];
	int certs;
	double seconds;
};

static void
print_text(const struct bulk_result *res)
{
	int i;

	printf("%lld\t", (long long)res->id);
	text_safe(stdout, res->person[0] ? res->person : "-");
	printf("\t%s\t", res_names[res->state]);
	for (i = 0; i < res->nfiles; i++) {
		if (i > 0)
			fputs(", ", stdout);
		text_safe(stdout, res->files[i]);
	}
	if (res->state != RES_COMPLETED)
		text_safe(stdout, res->msg);
	putchar('\n');
}

static void
print_json(const struct bulk_result *res, int first)
{
	int i;

	printf("%s{\"request\":%lld,\"person\":", first ? "" : ",",
	    (long long)res->id);
	json_str(stdout, res->person);
	printf(",\"result\":\"%s\",\"files\":[", res_names[res->state]);
	for (i = 0; i < res->nfiles; i++) {
		if (i > 0)
			putchar(',');
		json_str(stdout, res->files[i]);
	}
	putchar(']');
	if (res->state != RES_COMPLETED) {
		printf(",\"message\":");
		json_str(stdout, res->msg);
	}
	putchar('}');
}

static void
report(const struct bulk_opts *o, struct bulk_shared *sh, int jobs,
    struct tally *t)
{
	int i;

	if (o->json) {
		printf("{\"profile\":");
		json_str(stdout, o->profile);
		printf(",\"jobs\":%d,\"requests\":[", jobs);
	}
	for (i = 0; i < sh->n; i++) {
		struct bulk_result *res = &sh->res[i];

		if (res->state == RES_PENDING && stop_signal)
			snprintf(res->msg, sizeof(res->msg), "not started: "
			    "cancelled by signal %d", (int)stop_signal);
		else if (res->state == RES_PENDING)
			snprintf(res->msg, sizeof(res->msg), "not started: "
			    "no worker took it");
		else if (res->state == RES_RUNNING)
			snprintf(res->msg, sizeof(res->msg), "its worker "
			    "stopped; the sweep rolls the attempt back");
		t->count[res->state]++;
		if (res->state == RES_COMPLETED)
			t->certs += res->nfiles;
		if (o->json)
			print_json(res, i == 0);
		else
			print_text(res);
	}
	if (o->json)
		printf("],\"completed\":%d,\"failed\":%d,\"skipped\":%d,"
		    "\"cancelled\":%d,\"not_started\":%d,\"certificates\":%d,"
		    "\"seconds\":%.2f}\n", t->count[RES_COMPLETED],
		    t->count[RES_FAILED] + t->count[RES_RUNNING],
		    t->count[RES_SKIPPED], t->count[RES_CANCELLED],
		    t->count[RES_PENDING], t->certs, t->seconds);
	else
		printf("%d completed, %d failed, %d skipped, %d cancelled, "
		    "%d not started; %d certificate%s in %.2f s with %d "
		    "worker%s\n", t->count[RES_COMPLETED], t->count[RES_FAILED] +
		    t->count[RES_RUNNING], t->count[RES_SKIPPED],
		    t->count[RES_CANCELLED], t->count[RES_PENDING], t->certs,
		    t->certs == 1 ? "" : "s", t->seconds, jobs,
		    jobs == 1 ? "" : "s");
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Before any worker starts: the folder (this process's, the operator's),
 * then the run itself (may the profile be collected in bulk, which
 * requests are ready; audited); *ids gets the selection.
 */
static int
prepare(struct cli *cli, const struct bulk_opts *o, int64_t **ids, int *n)
{
	struct cd_err err;
	int r;

	if ((r = cli_api(cli)) != 0)
		return r;
	if ((r = cd_collect_folder_check(o->folder, o->overwrite, &err)) != 0) {
		if (r == CD_E_CONFIRM)
			cd_err_prefix(&err, "nothing was collected (use "
			    "--overwrite to go on)");
		return cli_fail(&err);
	}
	if (cd_api_bulk_start(cli->api, o->profile, o->limit, o->jobs,
	    o->folder, ids, n, &err) != 0)
		return cli_fail(&err);
	return 0;
}

static int
exit_code(const struct tally *t, int workers_bad)
{
	if (stop_signal)
		return EXIT_CANCELLED;
	if (workers_bad || t->count[RES_FAILED] || t->count[RES_RUNNING] ||
	    t->count[RES_PENDING] || t->count[RES_CANCELLED])
		return EXIT_FAIL;
	return 0;
}

int
cmd_collect_bulk(struct cli *cli, int argc, char **argv)
{
	struct bulk_opts o;
	struct bulk_shared *sh = NULL;
	struct tally t;
	int64_t *ids = NULL;
	int n = 0, jobs, bad, r;
	double t0;

	if ((r = parse_bulk(argc, argv, &o)) != 0) {
		if (r < 0)
			fputs(bulk_usage, stderr);
		return r < 0 ? EXIT_USAGE : 0;
	}
	set_handlers(forward_signal);
	signal(SIGPIPE, SIG_IGN);
	if ((r = prepare(cli, &o, &ids, &n)) != 0)
		goto out;
	cd_api_close(cli->api);		/* workers open their own */
	cli->api = NULL;
	if ((sh = shared_new(ids, n)) == NULL) {
		fprintf(stderr, "certdesk: no shared memory for %d results: "
		    "%s\n", n, strerror(errno));
		r = EXIT_FAIL;
		goto out;
	}
	memset(&t, 0, sizeof(t));
	jobs = o.jobs < n ? o.jobs : n;
	t0 = now_seconds();
	bad = 0;
	if (jobs > 0 && !stop_signal && start_workers(cli, &o, sh, jobs) != 0)
		bad = 1;
	bad |= wait_workers();
	t.seconds = now_seconds() - t0;
	report(&o, sh, jobs, &t);
	r = exit_code(&t, bad);
out:
	shared_free(sh);
	free(ids);
	return r;
}
