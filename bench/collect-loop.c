/* SPDX-License-Identifier: ISC */
/*
 * collect-loop.c - certdesk's collection cost without process start-up:
 * one engine handle, N times the calls 'certdesk request new' and
 * 'certdesk collect --folder DIR --overwrite' make (request, begin,
 * password, issue, package, deliver to the folder, commit), timed per
 * certificate and per step.
 *
 * usage: collect-loop -c CONF -p PROFILE -u LOGON -d DIR [-n N] [-a]
 * Prints "per_cert_ms MEDIAN MEAN", "total_s S" and "step NAME MEDIAN_MS"
 * lines; -a also one "cert I MS STEP_MS..." line per certificate (I from
 * 1, in order; the steps in the order above), for figures per window of
 * a long run (bench/growth.sh).
 * Every profile the bench uses has one certificate policy.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certdesk/collect.h"
#include "certdesk/engine.h"

#include "stats.h"

#define PASSWORD "Bench-Passw0rd"

enum step { S_REQUEST, S_BEGIN, S_PASSWORD, S_ISSUE, S_PACKAGE, S_DELIVER,
	S_COMMIT, S__COUNT };
static const char *const step_names[S__COUNT] = { "request_new", "begin",
	"password", "issue", "package", "deliver", "commit" };

struct opts {
	const char *conf;
	const char *profile;
	const char *logon;
	const char *dir;
	int n;
	int all;		/* -a: every certificate's time */
};

/* One request made and collected; step times go to t[S_*]. */
static int
one(struct cd_engine *e, const struct opts *o, double *t, struct cd_err *err)
{
	struct cd_collect *c = NULL;
	int64_t id;
	double t0 = now_ms();
	int r;

#define STEP(s, call) do { if ((r = (call)) != 0) goto out; \
	t[s] = now_ms() - t0; t0 = now_ms(); } while (0)
	STEP(S_REQUEST, cd_request_new(e, o->logon, o->profile, &id, NULL,
	    err));
	STEP(S_BEGIN, cd_collect_begin(e, id, &c, err));
	STEP(S_PASSWORD, cd_collect_password(c, PASSWORD, err));
	STEP(S_ISSUE, cd_collect_issue(c, err));
	STEP(S_PACKAGE, cd_collect_package(c, err));
	STEP(S_DELIVER, cd_collect_deliver_folder(c, o->dir, 1, err));
	STEP(S_COMMIT, cd_collect_commit(c, err));
#undef STEP
out:
	if (c != NULL && r != 0)
		cd_collect_cancel(c, "bench failure", NULL, 0, NULL);
	cd_collect_free(c);
	return r;
}

static int
parse(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->n = 20;
	while ((ch = getopt(argc, argv, "c:p:u:d:n:a")) != -1) {
		switch (ch) {
		case 'c': o->conf = optarg; break;
		case 'p': o->profile = optarg; break;
		case 'u': o->logon = optarg; break;
		case 'd': o->dir = optarg; break;
		case 'n': o->n = atoi(optarg); break;
		case 'a': o->all = 1; break;
		default: return -1;
		}
	}
	return o->conf && o->profile && o->logon && o->dir && o->n > 0 ?
	    0 : -1;
}

static void
report(double *total, double (*steps)[S__COUNT], int n, double wall,
    int all)
{
	double sum = 0, *col;
	int i, s;

	for (i = 0; i < n; i++) {
		sum += total[i];
		if (!all)
			continue;
		printf("cert %d %.3f", i + 1, total[i]);
		for (s = 0; s < S__COUNT; s++)
			printf(" %.3f", steps[i][s]);
		putchar('\n');
	}
	printf("per_cert_ms %.3f %.3f\ntotal_s %.3f\n", median(total, n),
	    sum / n, wall / 1e3);
	if ((col = calloc((size_t)n, sizeof(*col))) == NULL)
		return;
	for (s = 0; s < S__COUNT; s++) {
		for (i = 0; i < n; i++)
			col[i] = steps[i][s];
		printf("step %s %.3f\n", step_names[s], median(col, n));
	}
	free(col);
}

int
main(int argc, char **argv)
{
	struct cd_open_opts oo;
	struct cd_engine *e = NULL;
	struct cd_err err;
	struct opts o;
	double *total = NULL, (*steps)[S__COUNT] = NULL, t0, start;
	int i, rc = 1;

	if (parse(argc, argv, &o) != 0) {
		fputs("usage: collect-loop -c CONF -p PROFILE -u LOGON -d DIR "
		    "[-n N] [-a]\n", stderr);
		return 2;
	}
	memset(&oo, 0, sizeof(oo));
	oo.conf_path = o.conf;
	cd_err_clear(&err);
	if (cd_engine_open(&oo, &e, &err) != 0)
		goto fail;
	total = calloc((size_t)o.n, sizeof(*total));
	steps = calloc((size_t)o.n, sizeof(*steps));
	if (total == NULL || steps == NULL)
		goto out;
	start = now_ms();
	for (i = 0; i < o.n; i++) {
		t0 = now_ms();
		if (one(e, &o, steps[i], &err) != 0)
			goto fail;
		total[i] = now_ms() - t0;
	}
	report(total, steps, o.n, now_ms() - start, o.all);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "collect-loop: %s\n", err.msg);
out:
	free(total);
	free(steps);
	cd_engine_close(e);
	return rc;
}
