/* SPDX-License-Identifier: ISC */
/*
 * print-cups.c - the "cups" printing backend: a PostScript document sent
 * to a CUPS queue with libcups, then followed through IPP until the job
 * is completed, stopped, cancelled or aborted.
 *
 * libcups is never allowed to ask for a password.  Once the job is done
 * (or given up) it is purged, so the scheduler keeps no copy of the
 * document, which for a PIN mailer holds a password.  The job is told to
 * the caller (stop->queued) before its document is sent, so that a job
 * left by a killed process can be purged later (cups_purge).  libcups is
 * loaded when the first job is sent or purged (dl-cups.c).
 *
 * A job takes a connection to the scheduler from a small pool and puts
 * it back once the job is done and purged, so that the jobs of a bulk
 * worker share one connection and one look-up of their destination; a
 * kept connection is checked by the first request of the next job (the
 * printer's state, which is asked anyway) and made again once if the
 * scheduler closed it or restarted.  A job holds its connection alone
 * from start to finish; a connection made by another process (before a
 * fork) is never used.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cups/cups.h>

#include "dl-cups.h"
#include "print.h"
#include "util.h"

#define CHUNK		32768
#define POLL_FIRST_NS	20000000L	/* 20 ms, doubling ... */
#define POLL_MAX_NS	500000000L	/* ... up to 0.5 s */
#define PURGE_CONNECT_MS 5000		/* a purge's connection attempt */
#define JOB_CONNECT_MS	30000		/* a job's */
#define POOL_MAX	2		/* idle connections kept */
#define NO_ANSWER	1		/* find_dest: no answer from the scheduler */
#define QUEUE_MAX	128		/* a CUPS queue name, with its NUL */

static int timeout_s = CD_PRINT_TIMEOUT;

/* The scheduler of one submission. */
struct sched {
	char host[256];
	int port;
	char where[300];	/* "127.0.0.1:631" or a socket path */
	http_t *http;
};

/* A connection kept between jobs, and the destination looked up on it. */
struct conn {
	struct sched s;
	char server[CD_TEXT_MAX];	/* as configured; "" = default */
	char want[QUEUE_MAX];	/* the queue asked for; "" = default */
	char dest[QUEUE_MAX];	/* what it is; "" = not looked up */
	pid_t pid;			/* the process that connected */
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *pool[POOL_MAX];

int
cd_print_cups_timeout(int seconds)
{
	int old = timeout_s;

	if (seconds > 0)
		timeout_s = seconds;
	return old;
}

static const char *
no_password(const char *prompt, http_t *http, const char *method,
    const char *resource, void *data)
{
	return NULL;
}

/*
 * "host:port", "[v6]:port", "host", "/socket" or "" (libcups default,
 * host left empty); port 0: the default port.  Needs no libcups (the
 * configuration is checked without it).
 */
static int
parse_server(struct sched *s, const char *server, struct cd_err *err)
{
	const char *colon, *end;
	size_t n;
	char *ep;
	long port;

	s->port = 0;
	if (server == NULL || server[0] == '\0') {
		s->host[0] = '\0';
	} else if (server[0] == '/') {
		cd_strlcpy(s->host, server, sizeof(s->host));
	} else {
		end = server[0] == '[' ? strchr(server, ']') : server;
		colon = strrchr(end ? end : server, ':');
		n = colon ? (size_t)(colon - server) : strlen(server);
		if (colon != NULL) {
			port = strtol(colon + 1, &ep, 10);
			if (*ep != '\0' || port <= 0 || port > 65535)
				return cd_err_set(err, CD_E_CONFIG, "bad print "
				    "server '%s' (expected host:port)", server);
			s->port = (int)port;
		}
		if (server[0] == '[' && n >= 2 && server[n - 1] == ']') {
			server++;
			n -= 2;
		}
		if (n == 0 || n >= sizeof(s->host))
			return cd_err_set(err, CD_E_CONFIG, "bad print server "
			    "'%s' (expected host:port)", server);
		memcpy(s->host, server, n);
		s->host[n] = '\0';
	}
	return 0;
}

/* Fill in libcups's defaults for what the server setting left out. */
static void
sched_defaults(struct sched *s)
{
	if (s->host[0] == '\0')
		cd_strlcpy(s->host, cupsServer(), sizeof(s->host));
	if (s->port == 0)
		s->port = ippPort();
	if (s->host[0] == '/')
		cd_strlcpy(s->where, s->host, sizeof(s->where));
	else
		snprintf(s->where, sizeof(s->where), strchr(s->host, ':') ?
		    "[%s]:%d" : "%s:%d", s->host, s->port);
}

static int
connect_sched(struct sched *s, const char *server, int msec,
    struct cd_err *err)
{
	int r;

	if ((r = parse_server(s, server, err)) != 0 ||
	    (r = cd_dl_cups(err)) != 0)
		return r;
	sched_defaults(s);
	s->http = httpConnect2(s->host, s->port, NULL, AF_UNSPEC,
	    cupsEncryption(), 1, msec, NULL);
	if (s->http == NULL)
		return cd_err_set(err, CD_E_PRINT, "the print scheduler at %s "
		    "is not running (no connection)", s->where);
	return 0;
}

/*
 * Around every use of libcups: whatever libcups does on its own goes to
 * the configured scheduler (its setting is the calling thread's), and it
 * never asks for a password.  Undone by sched_leave.
 */
static void
sched_enter(const char *server)
{
	if (server != NULL && server[0] != '\0')
		cupsSetServer(server);
	cupsSetPasswordCB2(no_password, NULL);
}

static void
sched_leave(const char *server)
{
	if (server != NULL && server[0] != '\0')
		cupsSetServer(NULL);
}

static void
conn_close(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->s.http != NULL)
		httpClose(c->s.http);
	free(c);
}

/*
 * A connection to server for one job: a kept one (*kept = 1) unless
 * fresh, else a new one.
 */
static int
conn_take(const char *server, int fresh, struct conn **out, int *kept,
    struct cd_err *err)
{
	struct conn *c = NULL;
	int i, r;

	*out = NULL;
	*kept = 0;
	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < POOL_MAX && !fresh; i++)
		if (pool[i] != NULL && strcmp(pool[i]->server, server) == 0) {
			c = pool[i];
			pool[i] = NULL;
			break;
		}
	pthread_mutex_unlock(&pool_lock);
	if (c != NULL && c->pid == getpid()) {
		*kept = 1;
		*out = c;
		return 0;
	}
	conn_close(c);		/* another process's copy: ours to close */
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = connect_sched(&c->s, server, JOB_CONNECT_MS, err)) != 0) {
		conn_close(c);
		return r;
	}
	cd_strlcpy(c->server, server, sizeof(c->server));
	c->pid = getpid();
	*out = c;
	return 0;
}

/* Keep c for the next job, or close it when the pool is full. */
static void
conn_put(struct conn *c)
{
	int i;

	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < POOL_MAX && c != NULL; i++)
		if (pool[i] == NULL) {
			pool[i] = c;
			c = NULL;
		}
	pthread_mutex_unlock(&pool_lock);
	conn_close(c);
}

/*
 * Why a job or printer stopped: its state message (attribute msgattr),
 * else its reasons (keywords of attribute reasons); either may be NULL.
 */
static void
reason_text(ipp_t *resp, const char *msgattr, const char *reasons,
    char *buf, size_t len)
{
	ipp_attribute_t *a;
	const char *v;
	size_t used = 0;
	int i;

	buf[0] = '\0';
	if (msgattr != NULL &&
	    (a = ippFindAttribute(resp, msgattr, IPP_TAG_TEXT)) != NULL &&
	    (v = ippGetString(a, 0, NULL)) != NULL && v[0] != '\0') {
		cd_strlcpy(buf, v, len);
		return;
	}
	if (reasons == NULL ||
	    (a = ippFindAttribute(resp, reasons, IPP_TAG_KEYWORD)) == NULL)
		return;
	for (i = 0; i < ippGetCount(a) && used + 1 < len; i++) {
		v = ippGetString(a, i, NULL);
		if (v == NULL || strcmp(v, "none") == 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used ? ", " : "", v);
	}
	if (used >= len)
		buf[len - 1] = '\0';
}

/* A printer's state, whether it takes jobs, and why. */
struct pstate {
	int state;		/* IPP_PSTATE_* */
	int accepting;
	char why[512];
};

/*
 * The state of queue: 0, or 1 if the scheduler has no such queue, -1 if
 * it did not answer.
 */
static int
printer_status(struct sched *s, const char *queue, struct pstate *st)
{
	static const char *const want[] = {
		"printer-state", "printer-state-message",
		"printer-state-reasons", "printer-is-accepting-jobs"
	};
	char uri[1024];
	ipp_attribute_t *a;
	ipp_t *req, *resp;

	memset(st, 0, sizeof(*st));
	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL,
	    "localhost", 0, "/printers/%s", queue);
	req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL,
	    uri);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
	    "requested-attributes", (int)CD_NELEM(want), NULL, want);
	if ((resp = cupsDoRequest(s->http, req, "/")) == NULL)
		return -1;
	if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
		ippDelete(resp);
		return 1;
	}
	a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
	st->state = a ? ippGetInteger(a, 0) : IPP_PSTATE_IDLE;
	a = ippFindAttribute(resp, "printer-is-accepting-jobs",
	    IPP_TAG_BOOLEAN);
	st->accepting = a ? ippGetBoolean(a, 0) : 1;
	reason_text(resp, "printer-state-message", "printer-state-reasons",
	    st->why, sizeof(st->why));
	ippDelete(resp);
	return 0;
}

/* Does printer name (in state st) take jobs? */
static int
dest_ready(const char *name, const struct pstate *st, struct cd_err *err)
{
	if (!st->accepting)
		return cd_err_set(err, CD_E_PRINT, "printer '%s' is not "
		    "accepting jobs%s%s", name, st->why[0] ? ": " : "",
		    st->why);
	if (st->state == IPP_PSTATE_STOPPED)
		return cd_err_set(err, CD_E_PRINT, "printer '%s' is stopped%s%s",
		    name, st->why[0] ? ": " : "", st->why);
	return 0;
}

static int
not_running(const struct sched *s, struct cd_err *err)
{
	cd_err_set(err, CD_E_PRINT, "the print scheduler at %s is not "
	    "running (%s)", s->where, cupsLastErrorString());
	return NO_ANSWER;
}

/*
 * The destination to print on, checked: it exists and takes jobs;
 * c->dest gets its name.  A destination looked up before on c is only
 * asked for its state.  NO_ANSWER (err set) when the scheduler did not
 * answer.
 */
static int
find_dest(struct conn *c, const char *queue, struct cd_err *err)
{
	struct pstate st;
	cups_dest_t *dest;
	ipp_status_t ist;
	int r;

	if (c->dest[0] != '\0' && strcmp(c->want, queue) == 0) {
		if ((r = printer_status(&c->s, c->dest, &st)) == 0)
			goto check;
		c->dest[0] = '\0';
		if (r < 0)
			return not_running(&c->s, err);
	}
	dest = cupsGetNamedDest(c->s.http, queue[0] ? queue : NULL, NULL);
	if (dest == NULL) {
		ist = cupsLastError();
		if (ist == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE ||
		    ist == IPP_STATUS_ERROR_INTERNAL)
			return not_running(&c->s, err);
		if (queue[0] == '\0')
			return cd_err_set(err, CD_E_PRINT, "no default printer "
			    "is set up on the print scheduler at %s; name a "
			    "printer", c->s.where);
		return cd_err_set(err, CD_E_PRINT, "no such printer '%s' on "
		    "the print scheduler at %s", queue, c->s.where);
	}
	cd_strlcpy(c->dest, dest->name, sizeof(c->dest));
	cd_strlcpy(c->want, queue, sizeof(c->want));
	cupsFreeDests(1, dest);
	if (printer_status(&c->s, c->dest, &st) != 0)
		return 0;
check:
	if ((r = dest_ready(c->dest, &st, err)) != 0)
		c->dest[0] = '\0';
	return r;
}

/* The job as purge() takes it: "SERVER<TAB>QUEUE<TAB>ID". */
static void
job_locator(const struct sched *s, const char *queue, int id, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s\t%s\t%d", s->where, queue, id);
}

/* An IPP request on one object (uri_name: printer-uri, job-uri), by us. */
static ipp_t *
ipp_request(ipp_op_t op, const char *uri_name, const char *uri)
{
	ipp_t *req = ippNewRequest(op);

	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, uri_name, NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME,
	    "requesting-user-name", NULL, cupsUser());
	return req;
}

/*
 * Create-Job on queue, nothing more (cupsCreateJob would look the
 * destination up twice more, once with every attribute it has); *id
 * gets the job number, 0 when it was refused.
 */
static void
create_job(struct sched *s, const char *queue, const char *title, int *id)
{
	char uri[1024], res[QUEUE_MAX + 16];
	ipp_attribute_t *a;
	ipp_t *req, *resp;

	*id = 0;
	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL,
	    "localhost", 0, "/printers/%s", queue);
	snprintf(res, sizeof(res), "/printers/%s", queue);
	req = ipp_request(IPP_OP_CREATE_JOB, "printer-uri", uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL,
	    title);
	if ((resp = cupsDoRequest(s->http, req, res)) == NULL)
		return;
	if (cupsLastError() <= IPP_STATUS_OK_CONFLICTING &&
	    (a = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER)) != NULL)
		*id = ippGetInteger(a, 0);
	ippDelete(resp);
}

/*
 * Create the job, tell stop->queued about it, then send the document;
 * *id gets the job number.
 */
static int
send_doc(struct sched *s, const char *queue, const char *title,
    const void *data, size_t len, const struct cd_print_stop *stop,
    int *id, struct cd_err *err)
{
	const char *p = data;
	char loc[CD_TEXT_MAX + QUEUE_MAX + 32];
	size_t n;
	int r;

	create_job(s, queue, title ? title : "certdesk", id);
	if (*id == 0)
		return cd_err_set(err, CD_E_PRINT, "printer '%s' refused the "
		    "job: %s", queue, cupsLastErrorString());
	if (stop != NULL && stop->queued != NULL) {
		job_locator(s, queue, *id, loc, sizeof(loc));
		if ((r = stop->queued(stop->arg, loc, err)) != 0)
			return r;
	}
	if (cupsStartDocument(s->http, queue, *id, "document.ps",
	    CUPS_FORMAT_POSTSCRIPT, 1) != HTTP_STATUS_CONTINUE)
		goto fail;
	while (len > 0) {
		n = len < CHUNK ? len : CHUNK;
		if (cupsWriteRequestData(s->http, p, n) != HTTP_STATUS_CONTINUE)
			goto fail;
		p += n;
		len -= n;
	}
	if (cupsFinishDocument(s->http, queue) != IPP_STATUS_OK)
		goto fail;
	return 0;
fail:
	return cd_err_set(err, CD_E_PRINT, "cannot send the document to "
	    "printer '%s': %s", queue, cupsLastErrorString());
}

/* One status request; NULL when the scheduler did not answer. */
static ipp_t *
job_status(struct sched *s, int id)
{
	static const char *const want[] = {
		"job-state", "job-state-reasons", "job-printer-state-message"
	};
	char uri[64];
	ipp_t *req;

	snprintf(uri, sizeof(uri), "ipp://localhost/jobs/%d", id);
	req = ipp_request(IPP_OP_GET_JOB_ATTRIBUTES, "job-uri", uri);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
	    "requested-attributes", (int)CD_NELEM(want), NULL, want);
	return cupsDoRequest(s->http, req, "/");
}

static void
pause_ns(long *ns)
{
	struct timespec ts = { 0, *ns };

	nanosleep(&ts, NULL);
	if (*ns < POLL_MAX_NS)
		*ns = *ns * 2 < POLL_MAX_NS ? *ns * 2 : POLL_MAX_NS;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Why job id failed: the job's message, else its printer's, else the
 * job's reasons (all in buf already).
 */
static void
failure_text(struct sched *s, const char *queue, char *buf, size_t len,
    const char *job_reasons)
{
	struct pstate st;

	if (printer_status(s, queue, &st) == 0 && st.why[0] != '\0')
		cd_strlcpy(buf, st.why, len);
	else
		cd_strlcpy(buf, job_reasons, len);
}

/*
 * Follow job id (called name) until it is completed, or give up: it
 * stopped, was cancelled or aborted, is held, its printer stopped, or
 * the time ran out.
 */
static int
follow(struct sched *s, const char *queue, int id, const char *name,
    const struct cd_print_stop *stop, struct cd_err *err)
{
	double deadline = now_s() + timeout_s;
	long ns = POLL_FIRST_NS;
	char why[512], reasons[512];
	struct pstate st;
	ipp_attribute_t *a;
	ipp_t *resp;
	int state, again = 1;

	for (;;) {
		/* a scheduler that restarted keeps its jobs: ask again once */
		if ((resp = job_status(s, id)) == NULL && again-- > 0 &&
		    httpReconnect2(s->http, JOB_CONNECT_MS, NULL) == 0)
			resp = job_status(s, id);
		if (resp == NULL)
			return cd_err_set(err, CD_E_PRINT, "lost contact with "
			    "the print scheduler at %s while printing job %s: "
			    "%s", s->where, name, cupsLastErrorString());
		a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
		state = a ? ippGetInteger(a, 0) : IPP_JSTATE_PENDING;
		reason_text(resp, "job-printer-state-message", NULL, why,
		    sizeof(why));
		reason_text(resp, NULL, "job-state-reasons", reasons,
		    sizeof(reasons));
		ippDelete(resp);
		if (state == IPP_JSTATE_COMPLETED)
			return 0;
		if (state == IPP_JSTATE_HELD || state >= IPP_JSTATE_STOPPED) {
			if (why[0] == '\0')
				failure_text(s, queue, why, sizeof(why),
				    reasons);
			return cd_err_set(err, CD_E_PRINT, "print job %s %s%s%s",
			    name, state == IPP_JSTATE_HELD ? "is held" :
			    state == IPP_JSTATE_STOPPED ? "stopped" :
			    state == IPP_JSTATE_CANCELED ? "was cancelled" :
			    "was aborted", why[0] ? ": " : "", why);
		}
		if (state == IPP_JSTATE_PENDING &&
		    printer_status(s, queue, &st) == 0 &&
		    st.state == IPP_PSTATE_STOPPED)
			return cd_err_set(err, CD_E_PRINT, "print job %s stopped: "
			    "printer '%s' is stopped%s%s", name, queue,
			    st.why[0] ? ": " : "", st.why);
		if (now_s() >= deadline)
			return cd_err_set(err, CD_E_TIMEOUT, "print job %s did "
			    "not complete within %d seconds; it was cancelled",
			    name, timeout_s);
		if (stop != NULL && stop->fn(stop->arg) != 0)
			return cd_err_set(err, CD_E_CANCELLED, "print job %s was "
			    "cancelled: the collection was stopped", name);
		pause_ns(&ns);
	}
}

/* The configured queue for doc. */
static const char *
queue_for(const struct cd_print_cups_cfg *c, enum cd_print_doc doc)
{
	if (c == NULL)
		return "";
	if (doc == CD_PRINT_PIN_MAILER && c->pin_printer[0] != '\0')
		return c->pin_printer;
	return c->printer;
}

/* A job sent and not yet followed (start, then finish). */
struct cd_print_job {
	struct conn *c;		/* the job's alone until it is freed */
	int id;
	char queue[QUEUE_MAX];
	char name[QUEUE_MAX + 16];
};

/* Cancel and purge job id of queue: 1 when the scheduler confirmed it. */
static int
purge_job(struct sched *s, const char *queue, int id)
{
	ipp_status_t st;

	st = cupsCancelJob2(s->http, queue, id, 1);
	if (st == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE &&
	    httpReconnect2(s->http, JOB_CONNECT_MS, NULL) == 0)
		st = cupsCancelJob2(s->http, queue, id, 1);
	return st == IPP_STATUS_OK || st == IPP_STATUS_ERROR_NOT_FOUND;
}

/*
 * Done or given up: leave no copy of the document behind.  The
 * connection is kept for the next job when all went well (ok).  1 when
 * the scheduler confirmed the job is gone.
 */
static int
job_free(struct cd_print_job *j, int ok)
{
	int gone = 1;

	if (j->id != 0)
		gone = purge_job(&j->c->s, j->queue, j->id);
	if (ok && gone)
		conn_put(j->c);
	else
		conn_close(j->c);
	free(j);
	return gone;
}

/* Connect (or take a kept connection) and find the destination. */
static int
job_dest(struct cd_print_job *j, const char *server, const char *queue,
    struct cd_err *err)
{
	int kept, r;

	if ((r = conn_take(server, 0, &j->c, &kept, err)) != 0)
		return r;
	if ((r = find_dest(j->c, queue, err)) == NO_ANSWER && kept) {
		/* closed by the scheduler since, or it restarted */
		conn_close(j->c);
		if ((r = conn_take(server, 1, &j->c, &kept, err)) != 0)
			return r;
		r = find_dest(j->c, queue, err);
	}
	if (r == NO_ANSWER)
		r = CD_E_PRINT;
	if (r == 0)
		cd_strlcpy(j->queue, j->c->dest, sizeof(j->queue));
	return r;
}

static int
cups_start(const void *cfg, enum cd_print_doc doc, const char *target,
    const char *title, const void *data, size_t len, char *job,
    size_t joblen, const struct cd_print_stop *stop,
    struct cd_print_job **out, struct cd_err *err)
{
	const struct cd_print_cups_cfg *c = cfg;
	const char *server = c != NULL ? c->server : "";
	struct cd_print_job *j;
	int r;

	*out = NULL;
	if (target == NULL)
		target = queue_for(c, doc);
	if ((r = cd_dl_cups(err)) != 0)
		return r;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	sched_enter(server);
	if ((r = job_dest(j, server, target ? target : "", err)) != 0 ||
	    (r = send_doc(&j->c->s, j->queue, title, data, len, stop, &j->id,
	    err)) != 0) {
		if (j->c != NULL)
			job_free(j, 0);
		else
			free(j);
		goto out;
	}
	cd_fault("print-queued");
	snprintf(j->name, sizeof(j->name), "%s-%d", j->queue, j->id);
	if (job != NULL && joblen > 0)
		cd_strlcpy(job, j->name, joblen);
	*out = j;
out:
	sched_leave(server);
	return r;
}

static int
cups_finish(struct cd_print_job *j, const struct cd_print_stop *stop,
    int *purged, struct cd_err *err)
{
	char server[CD_TEXT_MAX];
	int r, gone;

	cd_strlcpy(server, j->c->server, sizeof(server));
	sched_enter(server);
	r = follow(&j->c->s, j->queue, j->id, j->name, stop, err);
	gone = job_free(j, r == 0);
	sched_leave(server);
	if (purged != NULL)
		*purged = gone;
	return r;
}

static int
cups_submit(const void *cfg, enum cd_print_doc doc, const char *target,
    const char *title, const void *data, size_t len, char *job,
    size_t joblen, const struct cd_print_stop *stop, struct cd_err *err)
{
	struct cd_print_job *j;
	int r;

	if ((r = cups_start(cfg, doc, target, title, data, len, job, joblen,
	    stop, &j, err)) != 0)
		return r;
	return cups_finish(j, stop, NULL, err);
}

static void
cups_describe(const void *cfg, enum cd_print_doc doc, char *buf, size_t len)
{
	const char *q = queue_for(cfg, doc);

	if (q[0] == '\0')
		cd_strlcpy(buf, "the default printer", len);
	else
		snprintf(buf, len, "printer %s", q);
}

/*
 * A PIN mailer goes to a queue named in the configuration, never to
 * whatever the CUPS default destination happens to be.
 */
static int
cups_ready(const void *cfg, enum cd_print_doc doc, struct cd_err *err)
{
	if (doc == CD_PRINT_PIN_MAILER && queue_for(cfg, doc)[0] == '\0')
		return cd_err_set(err, CD_E_PRINT, "no printer for PIN mailers "
		    "is configured ([print] pin_printer or printer)");
	return 0;
}

/* [print] printer, pin_printer, cups_server. */
static int
cups_conf_load(const struct cd_conf_src *src, const char *sec, void **cfg,
    struct cd_err *err)
{
	struct cd_print_cups_cfg *c;
	struct sched s;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_conf_str(src, sec, "printer", "", c->printer,
	    sizeof(c->printer))) != 0 ||
	    (r = cd_conf_str(src, sec, "pin_printer", "", c->pin_printer,
	    sizeof(c->pin_printer))) != 0 ||
	    (r = cd_conf_str(src, sec, "cups_server", "", c->server,
	    sizeof(c->server))) != 0)
		goto fail;
	if (c->server[0] != '\0' && parse_server(&s, c->server, NULL) != 0) {
		r = cd_conf_fail(src, sec, "cups_server", "'%s' is not "
		    "host:port, [v6]:port, host or /socket", c->server);
		goto fail;
	}
	*cfg = c;
	return 0;
fail:
	free(c);
	return r;
}

/* Split "SERVER<TAB>QUEUE<TAB>ID" (see job_locator). */
static int
parse_locator(const char *job, char *server, size_t slen, char *queue,
    size_t qlen, int *id, struct cd_err *err)
{
	const char *t1, *t2;
	char *end;
	long v;

	if ((t1 = strchr(job, '\t')) == NULL ||
	    (t2 = strchr(t1 + 1, '\t')) == NULL ||
	    (size_t)(t1 - job) >= slen || (size_t)(t2 - t1 - 1) >= qlen)
		return cd_err_set(err, CD_E_INVAL, "not a print job: %s", job);
	v = strtol(t2 + 1, &end, 10);
	if (*end != '\0' || v <= 0 || v > 0x7fffffff || t2 == t1 + 1)
		return cd_err_set(err, CD_E_INVAL, "not a print job: %s", job);
	snprintf(server, slen, "%.*s", (int)(t1 - job), job);
	snprintf(queue, qlen, "%.*s", (int)(t2 - t1 - 1), t1 + 1);
	*id = (int)v;
	return 0;
}

/*
 * Cancel the job if it is still there and purge it: the scheduler
 * deletes its document and control files.  A job already gone (purged
 * by its own process) is fine.
 */
static int
cups_purge(const void *cfg, const char *job, struct cd_err *err)
{
	char server[CD_TEXT_MAX], queue[QUEUE_MAX];
	struct sched s;
	ipp_status_t st;
	int id = 0, r;

	(void)cfg;
	if ((r = parse_locator(job, server, sizeof(server), queue,
	    sizeof(queue), &id, err)) != 0)
		return r;
	memset(&s, 0, sizeof(s));
	/* the sweep purges inside a store transaction: do not wait long */
	if ((r = connect_sched(&s, server, PURGE_CONNECT_MS, err)) != 0)
		return r;
	sched_enter(server);
	st = cupsCancelJob2(s.http, queue, id, 1);
	if (st != IPP_STATUS_OK && st != IPP_STATUS_ERROR_NOT_FOUND)
		r = cd_err_set(err, CD_E_PRINT, "the print scheduler at %s did "
		    "not purge job %s-%d: %s", s.where, queue, id,
		    cupsLastErrorString());
	httpClose(s.http);
	sched_leave(server);
	return r;
}

const struct cd_print_ops cd_print_cups = {
	.name = "cups",
	.caps = CD_PRINT_SECRET | CD_PRINT_FOLLOWS,
	.conf_load = cups_conf_load,
	.conf_free = free,
	.submit = cups_submit,
	.start = cups_start,
	.finish = cups_finish,
	.purge = cups_purge,
	.ready = cups_ready,
	.describe = cups_describe,
};
