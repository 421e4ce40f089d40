/* SPDX-License-Identifier: ISC */
/*
 * api-calls.c - cd_api_X(a, ...): the front-ends' calls, each the
 * chosen implementation's op of the same name (api.h).
 */
#include "config.h"

#include "api.h"

/* An op the implementation does not have: a broken build, not input. */
static int
missing(const struct cd_api *a, const char *op, struct cd_err *err)
{
	return cd_err_set(err, CD_E_INTERNAL, "the %s client has no '%s'",
	    a->ops->name, op);
}

int
cd_api_whoami(struct cd_api *a, struct cd_person *out, int *impersonated,
    struct cd_err *err)
{
	if (a->ops->whoami == NULL)
		return missing(a, "whoami", err);
	return a->ops->whoami(a, out, impersonated, err);
}

int
cd_api_person_add(struct cd_api *a, struct cd_person *p, struct cd_err *err)
{
	if (a->ops->person_add == NULL)
		return missing(a, "person_add", err);
	return a->ops->person_add(a, p, err);
}

int
cd_api_person_edit(struct cd_api *a, const struct cd_person *p,
    unsigned flags, int *revoked, struct cd_err *err)
{
	if (a->ops->person_edit == NULL)
		return missing(a, "person_edit", err);
	return a->ops->person_edit(a, p, flags, revoked, err);
}

int
cd_api_person_may_change(struct cd_api *a, const char *action,
    const char *logon, const char *asked, struct cd_err *err)
{
	if (a->ops->person_may_change == NULL)
		return missing(a, "person_may_change", err);
	return a->ops->person_may_change(a, action, logon, asked, err);
}

int
cd_api_person_get(struct cd_api *a, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err)
{
	if (a->ops->person_get == NULL)
		return missing(a, "person_get", err);
	return a->ops->person_get(a, id, logon, out, err);
}

int
cd_api_person_list(struct cd_api *a, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err)
{
	if (a->ops->person_list == NULL)
		return missing(a, "person_list", err);
	return a->ops->person_list(a, f, cb, arg, err);
}

int
cd_api_person_import_csv(struct cd_api *a, const char *path,
    struct cd_import_result *res, struct cd_err *err)
{
	if (a->ops->person_import_csv == NULL)
		return missing(a, "person_import_csv", err);
	return a->ops->person_import_csv(a, path, res, err);
}

int
cd_api_device_get(struct cd_api *a, int64_t id, struct cd_device *out,
    struct cd_err *err)
{
	if (a->ops->device_get == NULL)
		return missing(a, "device_get", err);
	return a->ops->device_get(a, id, out, err);
}

int
cd_api_device_list(struct cd_api *a, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err)
{
	if (a->ops->device_list == NULL)
		return missing(a, "device_list", err);
	return a->ops->device_list(a, f, cb, arg, err);
}

int
cd_api_request_new(struct cd_api *a, const char *person_logon,
    const char *profile_id, int64_t *id, int *status, struct cd_err *err)
{
	if (a->ops->request_new == NULL)
		return missing(a, "request_new", err);
	return a->ops->request_new(a, person_logon, profile_id, id, status, err);
}

int
cd_api_request_get(struct cd_api *a, int64_t id, struct cd_request *out,
    struct cd_err *err)
{
	if (a->ops->request_get == NULL)
		return missing(a, "request_get", err);
	return a->ops->request_get(a, id, out, err);
}

int
cd_api_request_search(struct cd_api *a, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err)
{
	if (a->ops->request_search == NULL)
		return missing(a, "request_search", err);
	return a->ops->request_search(a, f, cb, arg, err);
}

int
cd_api_request_approve(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	if (a->ops->request_approve == NULL)
		return missing(a, "request_approve", err);
	return a->ops->request_approve(a, id, note, err);
}

int
cd_api_request_reject(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	if (a->ops->request_reject == NULL)
		return missing(a, "request_reject", err);
	return a->ops->request_reject(a, id, note, err);
}

int
cd_api_request_validate(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	if (a->ops->request_validate == NULL)
		return missing(a, "request_validate", err);
	return a->ops->request_validate(a, id, note, err);
}

int
cd_api_request_cancel(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	if (a->ops->request_cancel == NULL)
		return missing(a, "request_cancel", err);
	return a->ops->request_cancel(a, id, note, err);
}

int
cd_api_request_collectable(struct cd_api *a, const char *profile_id,
    int limit, int64_t **ids, int *n, struct cd_err *err)
{
	if (a->ops->request_collectable == NULL)
		return missing(a, "request_collectable", err);
	return a->ops->request_collectable(a, profile_id, limit, ids, n, err);
}

int
cd_api_request_actions(struct cd_api *a, int64_t id, struct cd_actions *out,
    struct cd_err *err)
{
	if (a->ops->request_actions == NULL)
		return missing(a, "request_actions", err);
	return a->ops->request_actions(a, id, out, err);
}

int
cd_api_request_history(struct cd_api *a, int64_t id, cd_audit_cb cb,
    void *arg, struct cd_err *err)
{
	if (a->ops->request_history == NULL)
		return missing(a, "request_history", err);
	return a->ops->request_history(a, id, cb, arg, err);
}

int
cd_api_cert_list(struct cd_api *a, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err)
{
	if (a->ops->cert_list == NULL)
		return missing(a, "cert_list", err);
	return a->ops->cert_list(a, f, cb, arg, err);
}

int
cd_api_print_transport(struct cd_api *a, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err)
{
	if (a->ops->print_transport == NULL)
		return missing(a, "print_transport", err);
	return a->ops->print_transport(a, request_id, printer, outfile, job,
	    joblen, err);
}

int
cd_api_audit_list(struct cd_api *a, int64_t since, cd_audit_cb cb, void *arg,
    struct cd_err *err)
{
	if (a->ops->audit_list == NULL)
		return missing(a, "audit_list", err);
	return a->ops->audit_list(a, since, cb, arg, err);
}

int
cd_api_crl_write(struct cd_api *a, const char *path, int der, int fd,
    struct cd_err *err)
{
	if (a->ops->crl_write == NULL)
		return missing(a, "crl_write", err);
	return a->ops->crl_write(a, path, der, fd, err);
}

int
cd_api_cert_revoke(struct cd_api *a, const char *serial, int reason,
    struct cd_err *err)
{
	if (a->ops->cert_revoke == NULL)
		return missing(a, "cert_revoke", err);
	return a->ops->cert_revoke(a, serial, reason, err);
}

int
cd_api_cert_unrevoke(struct cd_api *a, const char *serial, struct cd_err *err)
{
	if (a->ops->cert_unrevoke == NULL)
		return missing(a, "cert_unrevoke", err);
	return a->ops->cert_unrevoke(a, serial, err);
}

int
cd_api_device_revoke(struct cd_api *a, int64_t device_id, int reason,
    int *count, struct cd_err *err)
{
	if (a->ops->device_revoke == NULL)
		return missing(a, "device_revoke", err);
	return a->ops->device_revoke(a, device_id, reason, count, err);
}

int
cd_api_drive_new(struct cd_api *a, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err)
{
	if (a->ops->drive_new == NULL)
		return missing(a, "drive_new", err);
	return a->ops->drive_new(a, request_id, ui, out, err);
}

const char *
cd_api_datadir(struct cd_api *a)
{
	if (a->ops->datadir == NULL)
		return NULL;
	return a->ops->datadir(a);
}

const char *
cd_api_source(struct cd_api *a)
{
	if (a->ops->source == NULL)
		return NULL;
	return a->ops->source(a);
}

int
cd_api_nprofiles(struct cd_api *a)
{
	if (a->ops->nprofiles == NULL)
		return 0;
	return a->ops->nprofiles(a);
}

const struct cd_profile *
cd_api_profile_at(struct cd_api *a, int i)
{
	if (a->ops->profile_at == NULL)
		return NULL;
	return a->ops->profile_at(a, i);
}

void
cd_api_print_destination(struct cd_api *a, char *buf, size_t len)
{
	if (a->ops->print_destination == NULL)
		return;
	a->ops->print_destination(a, buf, len);
}

int
cd_api_bulk_start(struct cd_api *a, const char *profile_id, int limit,
    int jobs, const char *folder, int64_t **ids, int *n, struct cd_err *err)
{
	if (a->ops->bulk_start == NULL)
		return missing(a, "bulk_start", err);
	return a->ops->bulk_start(a, profile_id, limit, jobs, folder, ids, n, err);
}

int
cd_api_pending_revocations(struct cd_api *a, cd_cert_cb cb, void *arg,
    int *count, struct cd_err *err)
{
	if (a->ops->pending_revocations == NULL)
		return missing(a, "pending_revocations", err);
	return a->ops->pending_revocations(a, cb, arg, count, err);
}

int
cd_api_sweep(struct cd_api *a, struct cd_sweep_result *res, struct cd_err *err)
{
	if (a->ops->sweep == NULL)
		return missing(a, "sweep", err);
	return a->ops->sweep(a, res, err);
}
