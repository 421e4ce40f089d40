/* SPDX-License-Identifier: ISC */
/*
 * api.h - the one interface a front-end uses to reach certdesk's engine,
 * with two implementations chosen by configuration:
 *   "embedded"  the engine in this process (engine.h), as the operator;
 *   "server"    certdeskd over its Unix socket (HTTP/1.1, JSON).
 * The calls mirror engine.h (same arguments, same CD_E_* codes and
 * messages in struct cd_err), so a front-end cannot tell which one it
 * has.  The collection transaction is the driver (drive.h) over the
 * implementation's collection steps (struct cd_collect_ops): the
 * engine's own, or certdeskd's routes; deliveries run in this process.
 */
#ifndef CD_API_H
#define CD_API_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/engine.h"
#include "certdesk/drive.h"

#define CD_API_DEFAULT_SOCKET "/run/certdesk/certdesk.sock"

struct cd_api_opts {
	/*
	 * "embedded", "server", or NULL: the configuration's [client] mode
	 * when a configuration file is found, else "server" (an operator
	 * of a server needs no configuration file).
	 */
	const char *mode;
	const char *conf_path;	/* -c FILE, or NULL for the look-up order */
	const char *socket;	/* server: NULL = [server] socket or default */
	const char *as_logon;	/* act as another operator: root only */
	int64_t clock_offset;	/* embedded only (tests) */
	int no_sweep;		/* embedded only */
	/*
	 * embedded only: the engine's system mode (cd_open_opts.system),
	 * for 'certdesk sweep': no operator; only sweep and crl_write.
	 */
	int system;
};

struct cd_api;

struct cd_api_ops {
	const char *name;
	int (*open)(const struct cd_api_opts *o, struct cd_api **out,
	    struct cd_err *err);
	void (*close)(struct cd_api *a);

	/* The operator as the engine / the server sees it. */
	int (*whoami)(struct cd_api *a, struct cd_person *out,
	    int *impersonated, struct cd_err *err);

	int (*person_add)(struct cd_api *a, struct cd_person *p,
	    struct cd_err *err);
	/* cd_person_edit_ex: flags CD_PE_REVOKE, *revoked (may be NULL). */
	int (*person_edit)(struct cd_api *a, const struct cd_person *p,
	    unsigned flags, int *revoked, struct cd_err *err);
	/* cd_person_may_change: refused and audited before anything is read. */
	int (*person_may_change)(struct cd_api *a, const char *action,
	    const char *logon, const char *asked, struct cd_err *err);
	int (*person_get)(struct cd_api *a, int64_t id, const char *logon,
	    struct cd_person *out, struct cd_err *err);
	int (*person_list)(struct cd_api *a, const struct cd_person_filter *f,
	    cd_person_cb cb, void *arg, struct cd_err *err);
	int (*person_import_csv)(struct cd_api *a, const char *path,
	    struct cd_import_result *res, struct cd_err *err);

	int (*device_get)(struct cd_api *a, int64_t id, struct cd_device *out,
	    struct cd_err *err);
	int (*device_list)(struct cd_api *a, const struct cd_device_filter *f,
	    cd_device_cb cb, void *arg, struct cd_err *err);

	int (*request_new)(struct cd_api *a, const char *person_logon,
	    const char *profile_id, int64_t *id, int *status,
	    struct cd_err *err);
	int (*request_get)(struct cd_api *a, int64_t id,
	    struct cd_request *out, struct cd_err *err);
	int (*request_search)(struct cd_api *a,
	    const struct cd_request_filter *f, cd_request_cb cb, void *arg,
	    struct cd_err *err);
	int (*request_approve)(struct cd_api *a, int64_t id, const char *note,
	    struct cd_err *err);
	int (*request_reject)(struct cd_api *a, int64_t id, const char *note,
	    struct cd_err *err);
	int (*request_validate)(struct cd_api *a, int64_t id,
	    const char *note, struct cd_err *err);
	int (*request_cancel)(struct cd_api *a, int64_t id, const char *note,
	    struct cd_err *err);
	int (*request_collectable)(struct cd_api *a, const char *profile_id,
	    int limit, int64_t **ids, int *n, struct cd_err *err);
	int (*request_actions)(struct cd_api *a, int64_t id,
	    struct cd_actions *out, struct cd_err *err);
	int (*request_history)(struct cd_api *a, int64_t id, cd_audit_cb cb,
	    void *arg, struct cd_err *err);
	int (*cert_list)(struct cd_api *a, const struct cd_cert_filter *f,
	    cd_cert_cb cb, void *arg, struct cd_err *err);

	/*
	 * The transport document: printed by this process (as the
	 * operator) to printer, or written to outfile, like
	 * cd_print_transport.
	 */
	int (*print_transport)(struct cd_api *a, int64_t request_id,
	    const char *printer, const char *outfile, char *job, size_t joblen,
	    struct cd_err *err);

	int (*audit_list)(struct cd_api *a, int64_t since, cd_audit_cb cb,
	    void *arg, struct cd_err *err);
	/* A fresh CRL to path (or to fd when path is NULL). */
	int (*crl_write)(struct cd_api *a, const char *path, int der, int fd,
	    struct cd_err *err);

	/* Revocation, as cd_cert_revoke, cd_cert_unrevoke, cd_device_revoke. */
	int (*cert_revoke)(struct cd_api *a, const char *serial, int reason,
	    struct cd_err *err);
	int (*cert_unrevoke)(struct cd_api *a, const char *serial,
	    struct cd_err *err);
	int (*device_revoke)(struct cd_api *a, int64_t device_id, int reason,
	    int *count, struct cd_err *err);
	/*
	 * A collection driver for one request (drive.h): the preview is
	 * taken; cd_drive_run runs the steps here (embedded) or in
	 * certdeskd (server, where a SystemStore package with a generated
	 * password is refused at the preview), and writes the files,
	 * imports and USB saves in this process, as the operator.
	 */
	int (*drive_new)(struct cd_api *a, int64_t request_id,
	    const struct cd_drive_ui *ui, struct cd_drive **out,
	    struct cd_err *err);
	/* The engine's data directory in this process, or NULL (server). */
	const char *(*datadir)(struct cd_api *a);

	/*
	 * Where the engine is, for a header line: "sqlite:/var/lib/..."
	 * (embedded) or "certdeskd:/run/certdesk/certdesk.sock" (server).
	 */
	const char *(*source)(struct cd_api *a);
	/*
	 * The credential profiles, as the engine's configuration has them;
	 * the handle keeps them until it is closed.  The server's are
	 * fetched once, at the first call; a failure is 0 profiles.
	 */
	int (*nprofiles)(struct cd_api *a);
	const struct cd_profile *(*profile_at)(struct cd_api *a, int i);
	/* Where the transport document goes, for people: "printer office". */
	void (*print_destination)(struct cd_api *a, char *buf, size_t len);
	/*
	 * A bulk run (collect --ready) of profile_id: refused unless the
	 * operator may collect it in bulk; then the ready requests (at most
	 * limit, 0 = all) in *ids (free()) and the run recorded in the
	 * audit trail with jobs and folder.
	 */
	int (*bulk_start)(struct cd_api *a, const char *profile_id, int limit,
	    int jobs, const char *folder, int64_t **ids, int *n,
	    struct cd_err *err);
	/* Certificates waiting for the CA to revoke them (cd_pending_...). */
	int (*pending_revocations)(struct cd_api *a, cd_cert_cb cb, void *arg,
	    int *count, struct cd_err *err);
	/*
	 * The sweep (cd_sweep): embedded, the engine's own; both modes
	 * then remove the files this operator's client journal lists for
	 * attempts that were aborted.
	 */
	int (*sweep)(struct cd_api *a, struct cd_sweep_result *res,
	    struct cd_err *err);
};

/* Every implementation's handle starts with this. */
struct cd_api {
	const struct cd_api_ops *ops;
};

extern const struct cd_api_ops cd_api_embedded;
extern const struct cd_api_ops cd_api_server;

const struct cd_api_ops *cd_api_find(const char *name);
/* Pick the implementation (see struct cd_api_opts) and open it. */
int cd_api_open(const struct cd_api_opts *o, struct cd_api **out,
    struct cd_err *err);
void cd_api_close(struct cd_api *a);

/*
 * The calls, for front-ends: cd_api_X(a, ...) is a->ops->X(a, ...).
 * A call an implementation lacks fails with CD_E_INTERNAL.
 */
int cd_api_whoami(struct cd_api *a, struct cd_person *out, int *impersonated,
    struct cd_err *err);
int cd_api_person_add(struct cd_api *a, struct cd_person *p,
    struct cd_err *err);
int cd_api_person_edit(struct cd_api *a, const struct cd_person *p,
    unsigned flags, int *revoked, struct cd_err *err);
int cd_api_person_may_change(struct cd_api *a, const char *action,
    const char *logon, const char *asked, struct cd_err *err);
int cd_api_person_get(struct cd_api *a, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err);
int cd_api_person_list(struct cd_api *a, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err);
int cd_api_person_import_csv(struct cd_api *a, const char *path,
    struct cd_import_result *res, struct cd_err *err);
int cd_api_device_get(struct cd_api *a, int64_t id, struct cd_device *out,
    struct cd_err *err);
int cd_api_device_list(struct cd_api *a, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err);
int cd_api_request_new(struct cd_api *a, const char *person_logon,
    const char *profile_id, int64_t *id, int *status, struct cd_err *err);
int cd_api_request_get(struct cd_api *a, int64_t id, struct cd_request *out,
    struct cd_err *err);
int cd_api_request_search(struct cd_api *a, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err);
int cd_api_request_approve(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err);
int cd_api_request_reject(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err);
int cd_api_request_validate(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err);
int cd_api_request_cancel(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err);
int cd_api_request_collectable(struct cd_api *a, const char *profile_id,
    int limit, int64_t **ids, int *n, struct cd_err *err);
int cd_api_request_actions(struct cd_api *a, int64_t id,
    struct cd_actions *out, struct cd_err *err);
int cd_api_request_history(struct cd_api *a, int64_t id, cd_audit_cb cb,
    void *arg, struct cd_err *err);
int cd_api_cert_list(struct cd_api *a, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err);
int cd_api_print_transport(struct cd_api *a, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err);
int cd_api_audit_list(struct cd_api *a, int64_t since, cd_audit_cb cb,
    void *arg, struct cd_err *err);
int cd_api_crl_write(struct cd_api *a, const char *path, int der, int fd,
    struct cd_err *err);
int cd_api_cert_revoke(struct cd_api *a, const char *serial, int reason,
    struct cd_err *err);
int cd_api_cert_unrevoke(struct cd_api *a, const char *serial,
    struct cd_err *err);
int cd_api_device_revoke(struct cd_api *a, int64_t device_id, int reason,
    int *count, struct cd_err *err);
int cd_api_drive_new(struct cd_api *a, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err);
const char *cd_api_datadir(struct cd_api *a);
const char *cd_api_source(struct cd_api *a);
int cd_api_nprofiles(struct cd_api *a);
const struct cd_profile *cd_api_profile_at(struct cd_api *a, int i);
void cd_api_print_destination(struct cd_api *a, char *buf, size_t len);
int cd_api_bulk_start(struct cd_api *a, const char *profile_id, int limit,
    int jobs, const char *folder, int64_t **ids, int *n, struct cd_err *err);
int cd_api_pending_revocations(struct cd_api *a, cd_cert_cb cb, void *arg,
    int *count, struct cd_err *err);
int cd_api_sweep(struct cd_api *a, struct cd_sweep_result *res,
    struct cd_err *err);

#endif
