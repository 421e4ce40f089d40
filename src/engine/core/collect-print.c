/* SPDX-License-Identifier: ISC */
/*
 * collect-print.c - documents of a collection: the PIN mailer, once
 * every package is delivered (generated passwords only), sent then
 * followed until printed before the commit -- the two halves apart when
 * a bulk worker overlaps it with its next request; its print job
 * journalled before its document is sent, so a crash leaves a job the
 * sweep purges -- and the transport document printed after a successful
 * download or later.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect-int.h"
#include "journal.h"
#include "print.h"
#include "template.h"
#include "util.h"

/* The document's items from the collection in progress. */
static void
items_from_collect(struct cd_collect *c, struct cd_doc_item *items)
{
	int i;

	for (i = 0; i < c->n; i++) {
		memset(&items[i], 0, sizeof(items[i]));
		cd_strlcpy(items[i].policy, c->items[i].pub.policy->name,
		    sizeof(items[i].policy));
		cd_strlcpy(items[i].file, c->items[i].pub.file_name,
		    sizeof(items[i].file));
		cd_strlcpy(items[i].location, c->items[i].pub.location,
		    sizeof(items[i].location));
		cd_strlcpy(items[i].serial, c->items[i].pub.serial,
		    sizeof(items[i].serial));
	}
}

/* The configured print backend. */
static const struct cd_print_ops *
print_ops(const struct cd_conf *conf)
{
	return conf->print.ops;
}

void
cd_print_destination(struct cd_engine *e, char *buf, size_t len)
{
	print_ops(e->conf)->describe(e->conf->print.cfg, CD_PRINT_TRANSPORT,
	    buf, len);
}

/* A PIN mailer's print job, journalled as a row of the attempt. */
struct pin_job {
	struct cd_collect *c;
	struct cd_journal j;	/* j.id != 0 once recorded */
};

/* While the PIN mailer prints: has the front-end asked to stop? */
static int
pin_stop(void *arg)
{
	struct cd_collect *c = ((struct pin_job *)arg)->c;

	return c->progress != NULL && c->progress(c->progress_arg,
	    "Printing the PIN mailer", 0, 1) != 0;
}

/*
 * The job exists and its document is not sent yet: record it, so that
 * a crash from here on leaves a row the sweep purges the job by.  No
 * row (the attempt was aborted meanwhile), no document.
 */
static int
pin_queued(void *arg, const char *job, struct cd_err *err)
{
	struct pin_job *p = arg;
	struct cd_collect *c = p->c;
	int r;

	memset(&p->j, 0, sizeof(p->j));
	p->j.attempt_id = c->att.id;
	p->j.kind = CD_JK_PRINT;
	cd_strlcpy(p->j.host, c->att.host, sizeof(p->j.host));
	if ((size_t)snprintf(p->j.path, sizeof(p->j.path), "%s\t%s",
	    print_ops(c->e->conf)->name, job) >= sizeof(p->j.path))
		return cd_err_set(err, CD_E_INVAL, "the print job's name is "
		    "too long to record");
	p->j.at = cd_engine_now(c->e);
	if ((r = c->e->so->journal_add(c->e->st, &p->j, err)) != 0)
		p->j.id = 0;
	return r;
}

/*
 * The job is done or given up and its backend purged it: unless the
 * scheduler confirmed that (purged), make sure; mark its row.  A purge
 * that cannot be made sure leaves the row pending for the sweep; why
 * says so.
 */
static void
pin_purged(struct pin_job *p, int purged, char *why, size_t whylen)
{
	struct cd_collect *c = p->c;
	int how = CD_JR_REMOVED;

	why[0] = '\0';
	if (p->j.id == 0)
		return;
	if (!purged)
		how = cd_journal_purge_one(p->j.path, why, whylen);
	c->e->so->journal_mark(c->e->st, p->j.id, how == CD_JR_REMOVED ?
	    CD_JS_REMOVED : CD_JS_PENDING, how == CD_JR_REMOVED ? "purged" :
	    why, NULL);
}

int
cd_eng_print_ready(struct cd_engine *e, int pin_mailer, struct cd_err *err)
{
	const struct cd_print_ops *ops = print_ops(e->conf);
	enum cd_print_doc doc = pin_mailer ? CD_PRINT_PIN_MAILER :
	    CD_PRINT_TRANSPORT;

	if (pin_mailer && !(ops->caps & CD_PRINT_SECRET))
		return cd_err_set(err, CD_E_CONFIG, "the print backend '%s' "
		    "cannot print PIN mailers", ops->name);
	return ops->ready != NULL ? ops->ready(e->conf->print.cfg, doc,
	    err) : 0;
}

/* The PIN mailer's job between its start and its end. */
struct cd_coll_pin {
	struct pin_job pj;
	struct cd_print_job *job;
	char name[128];
};

/* Whoever abandons a started mailer stops following it at once. */
static int
pin_give_up(void *arg)
{
	(void)arg;
	return 1;
}

/* Render the PIN mailer of c: *ps (cd_doc_free) carries the password. */
static int
pin_render(struct cd_collect *c, char **ps, size_t *len, struct cd_err *err)
{
	const struct cd_conf *conf = c->e->conf;
	struct cd_doc_item items[CD_MAX_POLICIES_PER_PROFILE];
	struct cd_doc doc;

	items_from_collect(c, items);
	memset(&doc, 0, sizeof(doc));
	doc.person = &c->person;
	doc.request_id = c->req.id;
	doc.profile_name = c->prof->name;
	doc.operator_ = c->e->op.logon;
	doc.organisation = conf->organisation;
	doc.date = cd_engine_now(c->e);
	doc.nitems = c->n;
	doc.items = items;
	doc.password = c->pw;
	return cd_doc_render(c->prof->pin_mailer_template, CD_DOC_PIN_MAILER,
	    &doc, conf->paper, ps, len, err);
}

/*
 * The job is over (r its outcome): purge it, mark its row, audit it.  The
 * mark and the audit are written lazily: the commit or the rollback that
 * always follows makes them durable (the row added before the document
 * was sent already is; a purge lost to a power cut is done again by the
 * sweep, and a purged job is fine to purge again).
 */
static int
pin_done(struct cd_collect *c, struct cd_coll_pin *p, int r, int purged,
    struct cd_err *err)
{
	const struct cd_conf *conf = c->e->conf;
	char obj[64], where[CD_PATH_MAX], why[512];

	cd_coll_lazy(c, 1);
	pin_purged(&p->pj, purged, why, sizeof(why));
	print_ops(conf)->describe(conf->print.cfg, CD_PRINT_PIN_MAILER, where,
	    sizeof(where));
	snprintf(obj, sizeof(obj), "request %lld", (long long)c->req.id);
	cd_audit(c->e, "print.pin-mailer", obj, r == 0 ? "ok" : "failed",
	    "PIN mailer to %s%s%s%s%s", where, r == 0 ? ", job " : ": ",
	    r == 0 ? p->name : (err ? err->msg : ""), why[0] ? "; not purged "
	    "yet (the sweep retries): " : "", why);
	cd_coll_lazy(c, 0);
	free(p);
	return r;
}

int
cd_coll_pin_start(struct cd_collect *c, struct cd_err *err)
{
	const struct cd_conf *conf = c->e->conf;
	const struct cd_print_ops *ops = print_ops(conf);
	struct cd_coll_pin *p;
	struct cd_print_stop stop = { pin_stop, NULL, pin_queued };
	char *ps = NULL;
	size_t len = 0;
	int r;

	if (c->pin != NULL)
		return 0;
	if (c->prof->pin_mailer_template[0] == '\0')
		return cd_err_set(err, CD_E_CONFIG, "profile %s has no PIN "
		    "mailer", c->prof->id);
	/* The loader refuses this; never print a password to a file. */
	if (!(ops->caps & CD_PRINT_SECRET) || ops->start == NULL)
		return cd_err_set(err, CD_E_CONFIG, "the print backend '%s' "
		    "cannot print PIN mailers", ops->name);
	if ((r = cd_coll_progress(c, "Printing the PIN mailer", 0, 1,
	    err)) != 0)
		return r;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	p->pj.c = c;
	stop.arg = &p->pj;
	if ((r = pin_render(c, &ps, &len, err)) != 0) {
		free(p);
		return r;
	}
	cd_fault("during-print");
	r = ops->start(conf->print.cfg, CD_PRINT_PIN_MAILER, NULL, "certdesk "
	    "mailer", ps, len, p->name, sizeof(p->name), &stop, &p->job, err);
	cd_doc_free(ps, len);
	if (r != 0)
		return pin_done(c, p, r, 0, err);
	c->pin = p;
	return 0;
}

int
cd_coll_pin_end(struct cd_collect *c, int give_up, struct cd_err *err)
{
	struct cd_coll_pin *p = c->pin;
	struct cd_print_stop stop = { give_up ? pin_give_up : pin_stop, NULL,
	    NULL };
	int r, purged = 0;

	if (p == NULL)
		return 0;
	c->pin = NULL;
	stop.arg = &p->pj;
	r = print_ops(c->e->conf)->finish(p->job, &stop, &purged, err);
	return pin_done(c, p, r, purged, err);
}

int
cd_coll_pin_mailer(struct cd_collect *c, struct cd_err *err)
{
	int r;

	if ((r = cd_coll_pin_start(c, err)) != 0)
		return r;
	return cd_coll_pin_end(c, 0, err);
}

struct doc_certs {
	struct cd_doc_item items[CD_MAX_POLICIES_PER_PROFILE * 4];
	int n;
	const struct cd_conf *conf;
};

static int
doc_cert(const struct cd_cert *cert, void *arg)
{
	struct doc_certs *d = arg;
	const struct cd_policy *pol = cd_conf_policy(d->conf, cert->policy);
	struct cd_doc_item *it;
	const char *slash;

	if (cert->status != CD_CS_ACTIVE || d->n == (int)CD_NELEM(d->items))
		return 0;
	it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	cd_strlcpy(it->policy, pol ? pol->name : cert->policy,
	    sizeof(it->policy));
	slash = strrchr(cert->location, '/');
	cd_strlcpy(it->file, slash ? slash + 1 : "", sizeof(it->file));
	cd_strlcpy(it->location, cert->location, sizeof(it->location));
	cd_strlcpy(it->serial, cert->serial, sizeof(it->serial));
	return 0;
}

int
cd_print_transport(struct cd_engine *e, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err)
{
	const struct cd_profile *prof;
	const struct cd_print_ops *ops;
	const void *cfg;
	struct cd_request req;
	struct cd_person person;
	struct cd_cert_filter cf;
	struct doc_certs *dc = NULL;
	struct cd_actions act;
	struct cd_doc doc;
	struct cd_err local;
	char *ps = NULL, obj[64], where[CD_PATH_MAX];
	size_t len = 0;
	int r;

	if (err == NULL)		/* refusals and failures are audited */
		err = &local;
	snprintf(obj, sizeof(obj), "request %lld", (long long)request_id);
	if ((r = cd_request_actions(e, request_id, &act, err)) != 0 ||
	    (r = e->so->request_get(e->st, request_id, &req, err)) != 0) {
		if (r == CD_E_DENIED)
			cd_audit(e, "print.transport", obj, "refused", "%s",
			    err->msg);
		return r;
	}
	if (!(act.allowed & CD_ACT_PRINT)) {
		r = cd_err_set(err, req.status == CD_RS_COMPLETED ?
		    CD_E_DENIED : CD_E_STATE, "the transport document of "
		    "request %lld can only be printed %s", (long long)request_id,
		    req.status == CD_RS_COMPLETED ? "by its person or an "
		    "operator with the 'collect' role" : "once its "
		    "certificates were downloaded");
		cd_audit(e, "print.transport", obj, "refused", "%s", req.status ==
		    CD_RS_COMPLETED ? "needs its person or the 'collect' role" :
		    "its certificates were not downloaded yet");
		return r;
	}
	if ((prof = cd_conf_profile(e->conf, req.profile)) == NULL ||
	    prof->transport_template[0] == '\0')
		return cd_err_set(err, CD_E_CONFIG, "credential profile %s has "
		    "no transport document", req.profile);
	if ((r = e->so->person_get(e->st, req.person_id, NULL, &person, err)))
		return r;
	if ((dc = calloc(1, sizeof(*dc))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	dc->conf = e->conf;
	cd_cert_filter_init(&cf);
	cf.request_id = request_id;
	if ((r = e->so->cert_list(e->st, &cf, doc_cert, dc, err)) < 0)
		goto out;
	memset(&doc, 0, sizeof(doc));
	doc.person = &person;
	doc.request_id = req.id;
	doc.profile_name = prof->name;
	doc.operator_ = e->op.logon;
	doc.organisation = e->conf->organisation;
	doc.date = cd_engine_now(e);
	doc.nitems = dc->n;
	doc.items = dc->items;
	if ((r = cd_doc_render(prof->transport_template, CD_DOC_TRANSPORT,
	    &doc, e->conf->paper, &ps, &len, err)) != 0)
		goto out;
	if (outfile != NULL) {
		/* -o FILE: a file, never inside the data directory */
		ops = &cd_print_file;
		cfg = NULL;
		if ((r = cd_write_output(outfile, e->conf->datadir, ps, len,
		    0600, err)) == 0)
			cd_strlcpy(job, outfile, joblen);
	} else {
		ops = print_ops(e->conf);
		cfg = e->conf->print.cfg;
		r = ops->submit(cfg, CD_PRINT_TRANSPORT, printer, "certdesk "
		    "transport document", ps, len, job, joblen, NULL, err);
	}
	if (outfile != NULL)
		snprintf(where, sizeof(where), "'%s'", outfile);
	else if (printer != NULL)
		snprintf(where, sizeof(where), "'%s'", printer[0] ? printer :
		    "(default)");
	else
		ops->describe(cfg, CD_PRINT_TRANSPORT, where, sizeof(where));
	cd_audit(e, "print.transport", obj, r == 0 ? "ok" : "failed",
	    "transport document via %s to %s%s%s", ops->name, where,
	    r == 0 ? ", job " : ": ", r == 0 ? job : err->msg);
out:
	cd_doc_free(ps, len);
	free(dc);
	return r;
}
