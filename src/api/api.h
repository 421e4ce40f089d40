/* SPDX-License-Identifier: ISC */
/*
 * api.h - the one interface a front-end uses to reach certdesk's engine,
 * with two implementations chosen by configuration:
 *   "embedded"  the engine in this process (engine.h), as the operator;
 *   "server"    certdeskd over its Unix socket (libcurl, JSON).
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
	int (*person_edit)(struct cd_api *a, const struct cd_person *p,
	    struct cd_err *err);
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

#endif
