/* SPDX-License-Identifier: ISC */
/*
 * api-embedded.c - the client API on the engine in this process: every
 * call is the engine.h call of the same name, as the Unix user running
 * the process (or --as for root).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "certdesk/collect.h"

struct emb {
	struct cd_api api;
	struct cd_engine *e;
};

#define E(a) (((struct emb *)(a))->e)

static int
emb_open(const struct cd_api_opts *o, struct cd_api **out, struct cd_err *err)
{
	struct cd_open_opts oo = { 0 };
	struct emb *m;
	int r;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	m->api.ops = &cd_api_embedded;
	oo.conf_path = o->conf_path;
	oo.as_logon = o->as_logon;
	oo.clock_offset = o->clock_offset;
	oo.no_sweep = o->no_sweep;
	oo.system = o->system;
	if ((r = cd_engine_open(&oo, &m->e, err)) != 0) {
		free(m);
		return r;
	}
	*out = &m->api;
	return 0;
}

static void
emb_close(struct cd_api *a)
{
	cd_engine_close(E(a));
	free(a);
}

static int
emb_whoami(struct cd_api *a, struct cd_person *out, int *impersonated,
    struct cd_err *err)
{
	const char *login = cd_unix_login();

	*out = *cd_engine_operator(E(a));
	if (impersonated != NULL)
		*impersonated = *login != '\0' && strcmp(login, out->logon) != 0;
	return 0;
}

static int
emb_person_add(struct cd_api *a, struct cd_person *p, struct cd_err *err)
{
	return cd_person_add(E(a), p, err);
}

static int
emb_person_edit(struct cd_api *a, const struct cd_person *p, unsigned flags,
    int *revoked, struct cd_err *err)
{
	int n = 0, r;

	r = cd_person_edit_ex(E(a), p, flags, &n, err);
	if (revoked != NULL)
		*revoked = n;
	return r;
}

static int
emb_person_may_change(struct cd_api *a, const char *action,
    const char *logon, const char *asked, struct cd_err *err)
{
	return cd_person_may_change(E(a), action, logon, asked, err);
}

static int
emb_person_get(struct cd_api *a, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err)
{
	return cd_person_get(E(a), id, logon, out, err);
}

static int
emb_person_list(struct cd_api *a, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err)
{
	return cd_person_list(E(a), f, cb, arg, err);
}

static int
emb_person_import_csv(struct cd_api *a, const char *path,
    struct cd_import_result *res, struct cd_err *err)
{
	return cd_person_import_csv(E(a), path, res, err);
}

static int
emb_device_get(struct cd_api *a, int64_t id, struct cd_device *out,
    struct cd_err *err)
{
	return cd_device_get(E(a), id, out, err);
}

static int
emb_device_list(struct cd_api *a, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err)
{
	return cd_device_list(E(a), f, cb, arg, err);
}

static int
emb_request_new(struct cd_api *a, const char *person_logon,
    const char *profile_id, int64_t *id, int *status, struct cd_err *err)
{
	return cd_request_new(E(a), person_logon, profile_id, id, status, err);
}

static int
emb_request_get(struct cd_api *a, int64_t id, struct cd_request *out,
    struct cd_err *err)
{
	return cd_request_get(E(a), id, out, err);
}

static int
emb_request_search(struct cd_api *a, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err)
{
	return cd_request_search(E(a), f, cb, arg, err);
}

static int
emb_request_approve(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return cd_request_approve(E(a), id, note, err);
}

static int
emb_request_reject(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return cd_request_reject(E(a), id, note, err);
}

static int
emb_request_validate(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return cd_request_validate(E(a), id, note, err);
}

static int
emb_request_cancel(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return cd_request_cancel(E(a), id, note, err);
}

static int
emb_request_collectable(struct cd_api *a, const char *profile_id, int limit,
    int64_t **ids, int *n, struct cd_err *err)
{
	return cd_request_collectable(E(a), profile_id, limit, ids, n, err);
}

static int
emb_request_actions(struct cd_api *a, int64_t id, struct cd_actions *out,
    struct cd_err *err)
{
	return cd_request_actions(E(a), id, out, err);
}

static int
emb_request_history(struct cd_api *a, int64_t id, cd_audit_cb cb, void *arg,
    struct cd_err *err)
{
	return cd_request_history(E(a), id, cb, arg, err);
}

static int
emb_cert_list(struct cd_api *a, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err)
{
	return cd_cert_list(E(a), f, cb, arg, err);
}

static int
emb_print_transport(struct cd_api *a, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err)
{
	return cd_print_transport(E(a), request_id, printer, outfile, job,
	    joblen, err);
}

static int
emb_audit_list(struct cd_api *a, int64_t since, cd_audit_cb cb, void *arg,
    struct cd_err *err)
{
	return cd_audit_list(E(a), since, cb, arg, err);
}

static int
emb_crl_write(struct cd_api *a, const char *path, int der, int fd,
    struct cd_err *err)
{
	return cd_crl_write(E(a), path, der, fd, err);
}

static int
emb_cert_revoke(struct cd_api *a, const char *serial, int reason,
    struct cd_err *err)
{
	return cd_cert_revoke(E(a), serial, reason, err);
}

static int
emb_cert_unrevoke(struct cd_api *a, const char *serial, struct cd_err *err)
{
	return cd_cert_unrevoke(E(a), serial, err);
}

static int
emb_device_revoke(struct cd_api *a, int64_t device_id, int reason,
    int *count, struct cd_err *err)
{
	return cd_device_revoke(E(a), device_id, reason, count, err);
}

static int
emb_drive_new(struct cd_api *a, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err)
{
	return cd_drive_new(E(a), request_id, ui, out, err);
}

static const char *
emb_datadir(struct cd_api *a)
{
	return cd_engine_datadir(E(a));
}

static const char *
emb_source(struct cd_api *a)
{
	return cd_engine_source(E(a));
}

static int
emb_nprofiles(struct cd_api *a)
{
	return cd_engine_nprofiles(E(a));
}

static const struct cd_profile *
emb_profile_at(struct cd_api *a, int i)
{
	return cd_engine_profile_at(E(a), i);
}

static void
emb_print_destination(struct cd_api *a, char *buf, size_t len)
{
	cd_print_destination(E(a), buf, len);
}

static int
emb_bulk_start(struct cd_api *a, const char *profile_id, int limit, int jobs,
    const char *folder, int64_t **ids, int *n, struct cd_err *err)
{
	return cd_collect_bulk_start(E(a), profile_id, limit, jobs, folder,
	    ids, n, err);
}

static int
emb_pending_revocations(struct cd_api *a, cd_cert_cb cb, void *arg,
    int *count, struct cd_err *err)
{
	return cd_pending_revocations(E(a), cb, arg, count, err);
}

/*
 * The engine's sweep is all there is to do: in embedded mode the files
 * are journalled in the store by the engine in this process, so the
 * store's journal already lists them (the client's own journal,
 * api-journal.c, is for server mode only).
 */
static int
emb_sweep(struct cd_api *a, struct cd_sweep_result *res, struct cd_err *err)
{
	return cd_sweep(E(a), res, err);
}

const struct cd_api_ops cd_api_embedded = {
	.name = "embedded",
	.open = emb_open,
	.close = emb_close,
	.whoami = emb_whoami,
	.person_add = emb_person_add,
	.person_edit = emb_person_edit,
	.person_get = emb_person_get,
	.person_list = emb_person_list,
	.person_import_csv = emb_person_import_csv,
	.device_get = emb_device_get,
	.device_list = emb_device_list,
	.request_new = emb_request_new,
	.request_get = emb_request_get,
	.request_search = emb_request_search,
	.request_approve = emb_request_approve,
	.request_reject = emb_request_reject,
	.request_validate = emb_request_validate,
	.request_cancel = emb_request_cancel,
	.request_collectable = emb_request_collectable,
	.request_actions = emb_request_actions,
	.request_history = emb_request_history,
	.cert_list = emb_cert_list,
	.print_transport = emb_print_transport,
	.audit_list = emb_audit_list,
	.crl_write = emb_crl_write,
	.cert_revoke = emb_cert_revoke,
	.cert_unrevoke = emb_cert_unrevoke,
	.device_revoke = emb_device_revoke,
	.drive_new = emb_drive_new,
	.datadir = emb_datadir,
	.person_may_change = emb_person_may_change,
	.source = emb_source,
	.nprofiles = emb_nprofiles,
	.profile_at = emb_profile_at,
	.print_destination = emb_print_destination,
	.bulk_start = emb_bulk_start,
	.pending_revocations = emb_pending_revocations,
	.sweep = emb_sweep,
};
