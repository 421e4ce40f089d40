/* SPDX-License-Identifier: ISC */
/*
 * search.c - latency of the searches the operator interface issues, on a
 * store made by gen-store: the same engine calls with the same filters
 * as src/tui/screen-search.c (at most 201 rows, copied out as the screen
 * does) and src/tui/screen-person.c (one person's requests, no limit).
 *
 * Each kind of query runs R times with varied values (names and people
 * taken from the store, days and statuses at random); the median and the
 * 99th percentile of the wall time per call are printed.
 *
 * The calls go through the client API (src/api), so the same queries
 * time the engine in this process (embedded, the default) or certdeskd
 * on its socket (-S SOCKET: each call a request over the socket, as a
 * server-mode client makes it).
 *
 * usage: search -c CONF [-S SOCKET] [-r R] [-s SEED]
 * Prints "engine_open_ms T" and one "query NAME MEDIAN_MS P99_MS MAX_MS
 * AVG_ROWS" line per kind.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certdesk/engine.h"
#include "api.h"
#include "util.h"

#include "stats.h"

#define TUI_ROWS 200		/* screen-search.c MAX_ROWS */

struct ctx {
	struct cd_api *a;
	int64_t max_person;
	int64_t newest, oldest;	/* created_at range */
	int64_t max_request;
	unsigned seed;
};

/* Rows copied out as the search screen's collector does. */
struct rows {
	struct cd_request *v;
	int n, cap;
};

typedef int (*query_fn)(struct ctx *, struct cd_request_filter *,
    struct cd_err *);

static unsigned
rnd(struct ctx *c, unsigned n)
{
	c->seed = c->seed * 1103515245u + 12345u;
	return (c->seed >> 8) % n;
}

static int
on_request(const struct cd_request *r, void *arg)
{
	struct rows *rows = arg;
	struct cd_request *nv;

	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? rows->cap * 2 : 64;
		if ((nv = realloc(rows->v, (size_t)rows->cap *
		    sizeof(*nv))) == NULL)
			return -1;
		rows->v = nv;
	}
	rows->v[rows->n++] = *r;
	return 0;
}

/* A random existing person (ids are dense from 1). */
static int
some_person(struct ctx *c, struct cd_person *p, struct cd_err *err)
{
	int i;

	for (i = 0; i < 100; i++)
		if (cd_api_person_get(c->a, 1 + rnd(c, (unsigned)c->max_person),
		    NULL, p, err) == 0)
			return 0;
	return CD_E_NOTFOUND;
}

/* Copy the first n bytes of word w of s (0-based) into out. */
static void
word_prefix(const char *s, int w, size_t n, char *out, size_t len)
{
	const char *p = s;
	size_t k = 0;

	while (w-- > 0 && (p = strpbrk(p, " .")) != NULL)
		p++;
	if (p == NULL)
		p = s;
	while (p[k] != '\0' && p[k] != ' ' && k < n && k + 1 < len) {
		out[k] = p[k];
		k++;
	}
	out[k] = '\0';
}

static int
q_first_screen(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	(void)c; (void)f; (void)e;
	return 0;
}

static int
q_name_prefix(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	struct cd_person p;
	int r;

	if ((r = some_person(c, &p, e)) != 0)
		return r;
	word_prefix(p.full_name, 1, 3, f->name, sizeof(f->name));
	return 0;
}

static int
q_two_words(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	struct cd_person p;
	char a[32], b[32];
	int r;

	if ((r = some_person(c, &p, e)) != 0)
		return r;
	word_prefix(p.full_name, 0, 3, a, sizeof(a));
	word_prefix(p.full_name, 1, 4, b, sizeof(b));
	snprintf(f->name, sizeof(f->name), "%s %s", b, a);
	return 0;
}

static int
q_logon_prefix(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	struct cd_person p;
	size_t n;
	int r;

	if ((r = some_person(c, &p, e)) != 0)
		return r;
	n = strlen(p.logon);
	cd_strlcpy(f->name, p.logon, sizeof(f->name));
	if (n > 4)
		f->name[n - 2] = '\0';	/* "James.Smith12" -> "James.Smith" */
	return 0;
}

static int
q_status(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	(void)e;
	f->status = (int)rnd(c, CD_RS__COUNT);
	return 0;
}

static int
q_type_status(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	(void)e;
	f->type = CD_RT_SOFT_CERT;
	f->status = (int)rnd(c, CD_RS__COUNT);
	return 0;
}

static int
q_name_status(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	int r;

	if ((r = q_name_prefix(c, f, e)) != 0)
		return r;
	f->status = (int)rnd(c, CD_RS__COUNT);
	return 0;
}

/* A day or a week, as the "Created from ... to" fields give them. */
static int
date_range(struct ctx *c, struct cd_request_filter *f, int days)
{
	int64_t span = c->newest - c->oldest;

	f->created_from = c->oldest + (int64_t)rnd(c, (unsigned)(span / 86400))
	    * 86400;
	f->created_to = f->created_from + (int64_t)days * 86400;
	return 0;
}

static int
q_day(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	(void)e;
	return date_range(c, f, 1);
}

static int
q_week_status(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	(void)e;
	f->status = (int)rnd(c, CD_RS__COUNT);
	return date_range(c, f, 7);
}

static int
q_request_id(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	(void)e;
	f->id = 1 + rnd(c, (unsigned)c->max_request);
	return 0;
}

/* View Person's Requests tab: every request of one person. */
static int
q_person(struct ctx *c, struct cd_request_filter *f, struct cd_err *e)
{
	struct cd_person p;
	int r;

	if ((r = some_person(c, &p, e)) != 0)
		return r;
	f->person_id = p.id;
	f->limit = 0;
	return 0;
}

static const struct {
	const char *name;
	query_fn fn;
} queries[] = {
	{ "first-screen(all)", q_first_screen },
	{ "name-prefix", q_name_prefix },
	{ "name-two-words", q_two_words },
	{ "logon-prefix", q_logon_prefix },
	{ "status", q_status },
	{ "type+status", q_type_status },
	{ "name+status", q_name_status },
	{ "date-day", q_day },
	{ "date-week+status", q_week_status },
	{ "request-id", q_request_id },
	{ "person-requests", q_person },
};

/* Run one kind R times; print its line. */
static int
run_kind(struct ctx *c, int k, int reps, struct cd_err *err)
{
	struct cd_request_filter f;
	struct rows rows = { NULL, 0, 0 };
	double *ms, t0;
	long total = 0;
	int i, r = 0;

	if ((ms = calloc((size_t)reps, sizeof(*ms))) == NULL)
		return CD_E_NOMEM;
	for (i = 0; i < reps; i++) {
		cd_request_filter_init(&f);
		f.limit = TUI_ROWS + 1;
		if ((r = queries[k].fn(c, &f, err)) != 0)
			goto out;
		rows.n = 0;
		t0 = now_ms();
		if ((r = cd_api_request_search(c->a, &f, on_request, &rows,
		    err)) != 0)
			goto out;
		ms[i] = now_ms() - t0;
		total += rows.n;
	}
	qsort(ms, (size_t)reps, sizeof(*ms), cmp_double);
	printf("query %s %.3f %.3f %.3f %ld\n", queries[k].name,
	    ms[reps / 2], ms[(reps * 99) / 100 < reps ? (reps * 99) / 100 :
	    reps - 1], ms[reps - 1], total / reps);
out:
	free(rows.v);
	free(ms);
	return r;
}

/* The store's extent: people ids, request ids and dates. */
static int
survey(struct ctx *c, struct cd_err *err)
{
	struct cd_request_filter f;
	struct rows rows = { NULL, 0, 0 };
	struct cd_person p;
	int64_t lo = 1, hi = 1;
	int r;

	while (cd_api_person_get(c->a, hi, NULL, &p, err) == 0)
		hi *= 2;
	while (lo + 1 < hi) {		/* last id that exists */
		int64_t mid = (lo + hi) / 2;

		if (cd_api_person_get(c->a, mid, NULL, &p, err) == 0)
			lo = mid;
		else
			hi = mid;
	}
	c->max_person = lo;
	cd_request_filter_init(&f);
	f.limit = 1;
	if ((r = cd_api_request_search(c->a, &f, on_request, &rows, err)) != 0)
		goto out;
	if (rows.n == 0) {
		r = cd_err_set(err, CD_E_NOTFOUND, "the store has no requests");
		goto out;
	}
	c->newest = rows.v[0].created_at;
	c->max_request = rows.v[0].id;
	r = cd_api_request_get(c->a, 1, &rows.v[0], err);
	c->oldest = r == 0 ? rows.v[0].created_at : c->newest - 86400 * 365;
	r = 0;
out:
	free(rows.v);
	return r;
}

int
main(int argc, char **argv)
{
	struct cd_api_opts oo;
	struct cd_err err;
	struct ctx c;
	const char *conf = NULL, *sock = NULL;
	double t0;
	int ch, k, reps = 200, rc = 1;

	memset(&c, 0, sizeof(c));
	c.seed = 20261201;
	while ((ch = getopt(argc, argv, "c:r:s:S:")) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'S': sock = optarg; break;
		case 'r': reps = atoi(optarg); break;
		case 's': c.seed = (unsigned)atol(optarg); break;
		default: conf = NULL; optind = argc; break;
		}
	}
	if (conf == NULL || reps < 1) {
		fputs("usage: search -c CONF [-S SOCKET] [-r R] [-s SEED]\n",
		    stderr);
		return 2;
	}
	memset(&oo, 0, sizeof(oo));
	oo.conf_path = conf;
	oo.mode = sock != NULL ? "server" : "embedded";
	oo.socket = sock;
	oo.no_sweep = 1;
	cd_err_clear(&err);
	t0 = now_ms();
	if (cd_api_open(&oo, &c.a, &err) != 0)
		goto fail;
	printf("engine_open_ms %.3f\n", now_ms() - t0);
	if (survey(&c, &err) != 0)
		goto fail;
	for (k = 0; k < (int)CD_NELEM(queries); k++)
		if (run_kind(&c, k, reps, &err) != 0)
			goto fail;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "search: %s\n", err.msg);
out:
	cd_api_close(c.a);
	return rc;
}
