/* SPDX-License-Identifier: ISC */
/*
 * engine.h - certdesk's use cases: the only API the CLI and the TUI call.
 *
 * Every rule (roles, request transitions, what may be collected, where a
 * package goes) lives behind these functions.  They return 0 or a negative
 * CD_E_* code with a complete message in struct cd_err; they never print,
 * prompt or exit.  An engine handle is single-threaded.
 */
#ifndef CD_ENGINE_H
#define CD_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/error.h"
#include "certdesk/model.h"
#include "certdesk/profile.h"
#include "certdesk/query.h"

struct cd_engine;

/* ---- opening ---------------------------------------------------------- */

struct cd_open_opts {
	const char *conf_path;	/* -c FILE, or NULL for the look-up order */
	const char *as_logon;	/* act as another operator: root only */
	int64_t clock_offset;	/* seconds added to the real clock (tests) */
	int no_sweep;		/* skip the start-up sweep */
	int open_ca;		/* open the CA now, not on first use */
	/*
	 * System mode for the sweep service: no operator is identified (the
	 * process must be root or own the data directory); only cd_sweep
	 * and cd_crl_write may be called.
	 */
	int system;
};

/*
 * Load the configuration, open the store, identify the operator (the Unix
 * login of the process, or as_logon when running as root) and run the
 * sweep.  An unknown operator gives CD_E_AUTH.  The CA is opened when a
 * call first needs it (collect, revoke, CRL, a due revocation), or here
 * with open_ca.
 */
int cd_engine_open(const struct cd_open_opts *o, struct cd_engine **out,
    struct cd_err *err);
void cd_engine_close(struct cd_engine *e);

/*
 * Make logon the operator of the calls that follow (a server acting for
 * the peer of each request; the handle must be opened in system mode).
 * impersonated: root acting as logon (audited as "logon (as root)").
 * An unknown or disabled operator gives CD_E_AUTH, is audited as refused
 * (under logon, or for an impersonation under root, who asked), and
 * leaves the handle with no operator (no roles).  logon NULL drops
 * the operator.
 */
int cd_engine_set_operator(struct cd_engine *e, const char *logon,
    int impersonated, struct cd_err *err);

/*
 * A server instance (certdeskd): a row in the store with the host, the
 * pid and a heartbeat, shared by every handle of one server.
 * cd_engine_instance_register adds the row and makes it this handle's;
 * cd_engine_instance_attach makes the row id (registered by another
 * handle) this handle's as well.  A claim through a handle records its
 * instance as the attempt's holder, and an attempt's heartbeat moves
 * its instance's.  cd_engine_instance_heartbeat moves the instance's
 * heartbeat to now (the server's timer, and once more at a clean exit).
 * Staleness is the attempt's heartbeat age, whichever instance holds it.
 */
int cd_engine_instance_register(struct cd_engine *e, int64_t *id,
    struct cd_err *err);
int cd_engine_instance_attach(struct cd_engine *e, int64_t id,
    struct cd_err *err);
int cd_engine_instance_heartbeat(struct cd_engine *e, struct cd_err *err);

const struct cd_person *cd_engine_operator(const struct cd_engine *e);
/* The data directory (the store, the CA): never an output's place. */
const char *cd_engine_datadir(const struct cd_engine *e);
/* "sqlite:/var/lib/certdesk" - for the TUI header */
const char *cd_engine_source(const struct cd_engine *e);
int64_t cd_engine_now(const struct cd_engine *e);
/*
 * The configuration file certdesk would read: explicit_path (-c), else
 * $CERTDESK_CONF, else the operator's own file if it exists, else the
 * system file (certdesk.conf(5)).  For --version and the like.
 */
int cd_config_path(const char *explicit_path, char *out, size_t outlen,
    struct cd_err *err);

/* The Unix login running this process ("" if unknown). */
const char *cd_unix_login(void);

/* ---- what the configuration offers -------------------------------------- */

/*
 * The credential profiles, in the configuration's order: how many, the
 * i-th (NULL when i is out of range), and one by id (NULL when no such
 * profile is configured).  Valid until cd_engine_close().
 */
int cd_engine_nprofiles(const struct cd_engine *e);
const struct cd_profile *cd_engine_profile_at(const struct cd_engine *e,
    int i);
const struct cd_profile *cd_engine_profile(const struct cd_engine *e,
    const char *id);

/* ---- init --------------------------------------------------------------- */

struct cd_init_opts {
	const char *conf_path;
	const char *ca_cert;	/* import an existing CA (PEM), or NULL */
	const char *ca_key;
	const char *ca_name;	/* CN of a fresh CA */
	int demo;		/* build the demo data set */
	int64_t clock_offset;
};

/*
 * Create the data directory (0700), the store and the CA, and make the
 * invoking Unix user an administrator.  Refuses (CD_E_EXISTS) when a store
 * already exists, except that --demo on an existing store adds demo data.
 */
int cd_init(const struct cd_init_opts *o, struct cd_err *err);

/* 'certdesk ca init': the CA alone, before 'certdesk init' (which keeps it). */
struct cd_ca_create_opts {
	const char *conf_path;
	const char *ca_name;	/* CN of the (issuing) CA */
	int two_tier;		/* local: a root kept offline + an issuing CA */
	const char *root_key;	/* two_tier: where to write the root key */
	const char *pkcs11_uri;	/* pkcs11: the key in the token */
};
/*
 * Create the CA with the configured backend: CD_E_EXISTS when there is
 * one, CD_E_CONFIG when the options do not fit the backend.
 */
int cd_ca_create(const struct cd_ca_create_opts *o, struct cd_err *err);

/* ---- people ------------------------------------------------------------ */

/*
 * The roles of a new person when none are given, by person add and by
 * import alike ("none" grants no role).
 */
#define CD_ROLES_DEFAULT CD_ROLE_VIEW

/*
 * May the operator change people (the admin role)?  If not, the refusal
 * is audited as action on "person LOGON" with what was asked (e.g. the
 * roles), and CD_E_DENIED returned.  add, edit and import check it
 * themselves; a front-end calls it before reading a person to edit.
 * Every change is audited with the roles granted, or before and after.
 */
int cd_person_may_change(struct cd_engine *e, const char *action,
    const char *logon, const char *asked, struct cd_err *err);
int cd_person_add(struct cd_engine *e, struct cd_person *p,
    struct cd_err *err);
int cd_person_edit(struct cd_engine *e, const struct cd_person *p,
    struct cd_err *err);
int cd_person_get(struct cd_engine *e, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err);
int cd_person_list(struct cd_engine *e, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err);

struct cd_import_result {
	int added;
	int bad_rows;		/* rows rejected; nothing imported if > 0 */
	char report[4096];	/* "line 3: missing logon name\n..." */
};
/*
 * CSV with a header row naming columns (logon, full_name, email,
 * employee_id, group, upn, roles).  All rows or none.
 */
int cd_person_import_csv(struct cd_engine *e, const char *path,
    struct cd_import_result *res, struct cd_err *err);

/* ---- devices ------------------------------------------------------------ */

int cd_device_get(struct cd_engine *e, int64_t id, struct cd_device *out,
    struct cd_err *err);
int cd_device_list(struct cd_engine *e, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err);

/* ---- requests ----------------------------------------------------------- */

/* New request for a person; *id gets its number, *status its first state. */
int cd_request_new(struct cd_engine *e, const char *person_logon,
    const char *profile_id, int64_t *id, int *status, struct cd_err *err);
int cd_request_get(struct cd_engine *e, int64_t id, struct cd_request *out,
    struct cd_err *err);
int cd_request_search(struct cd_engine *e, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err);
int cd_request_approve(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err);
int cd_request_reject(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err);
int cd_request_validate(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err);
int cd_request_cancel(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err);

/*
 * The requests of one credential profile the operator may collect now
 * (awaiting collection, and the collect rules let this operator take
 * them), oldest first, at most limit of them (0 = all).  *ids is
 * malloc'd (free it; NULL when *n is 0 may happen).  CD_E_NOTFOUND for
 * an unknown profile.  The list is a snapshot: cd_collect_begin still
 * decides, request by request.
 */
int cd_request_collectable(struct cd_engine *e, const char *profile_id,
    int limit, int64_t **ids, int *n, struct cd_err *err);

/* What the operator may do with a request now: for button bars. */
enum cd_action {
	CD_ACT_COLLECT = 1 << 0,
	CD_ACT_APPROVE = 1 << 1,
	CD_ACT_REJECT = 1 << 2,
	CD_ACT_VALIDATE = 1 << 3,
	CD_ACT_CANCEL = 1 << 4,
	CD_ACT_PRINT = 1 << 5	/* transport document */
};
struct cd_actions {
	unsigned allowed;		/* CD_ACT_* */
	char why_not_collect[CD_FIELD_MAX];	/* "requires validation" */
};
int cd_request_actions(struct cd_engine *e, int64_t id,
    struct cd_actions *out, struct cd_err *err);

/* Audit entries about one request, oldest first. */
int cd_request_history(struct cd_engine *e, int64_t id, cd_audit_cb cb,
    void *arg, struct cd_err *err);

int cd_cert_list(struct cd_engine *e, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err);
/*
 * The certificates certdesk decided to revoke and could not (still
 * pending, revocation due: no way to revoke, or the revoke command
 * failed); the listing is audited.  Needs the admin role.
 */
int cd_pending_revocations(struct cd_engine *e, cd_cert_cb cb, void *arg,
    int *count, struct cd_err *err);

/* ---- documents ------------------------------------------------------- */

/*
 * Print the transport document of a request whose certificates were
 * downloaded: with the [print] backend to its configured destination
 * (printer NULL) or to printer (a CUPS queue, "" = the CUPS default
 * destination), or as a PostScript file when outfile is given.  *job
 * gets the job name ("queue-42") or the path.
 */
int cd_print_transport(struct cd_engine *e, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err);
/* Where the transport document goes, for people: "printer office". */
void cd_print_destination(struct cd_engine *e, char *buf, size_t len);

/* ---- revocation ----------------------------------------------------------- */

/*
 * RFC 5280 reason names (unspecified, keyCompromise, affiliationChanged,
 * superseded, cessationOfOperation, certificateHold, privilegeWithdrawn)
 * and their codes; parse gives -1 for an unknown name.
 */
int cd_crl_reason_parse(const char *name);
const char *cd_crl_reason_name(int reason);

/*
 * Revoke one certificate (serial in hex, colons allowed) at the CA and
 * in the store, then publish the CRL ([ca] crl_publish_dir).  Needs the
 * revoke role.  CD_E_STATE when already revoked (a certificate on hold
 * may be revoked for good with another reason); refusals are audited.
 * A publication failure after the revocation returns its code with a
 * message that says the certificate is revoked.
 */
int cd_cert_revoke(struct cd_engine *e, const char *serial, int reason,
    struct cd_err *err);
/* Release a certificate on hold (certificateHold only: else CD_E_STATE). */
int cd_cert_unrevoke(struct cd_engine *e, const char *serial,
    struct cd_err *err);
/*
 * Revoke every live certificate of a soft-certificate package; *count
 * (may be NULL) gets how many were revoked.
 */
int cd_device_revoke(struct cd_engine *e, int64_t device_id, int reason,
    int *count, struct cd_err *err);

/* cd_person_edit_ex flags */
#define CD_PE_REVOKE 1	/* disabling revokes the person's certificates */
/*
 * cd_person_edit, and when it disables a person with live certificates:
 * without CD_PE_REVOKE (and [security] revoke_on_disable = no) refused
 * with CD_E_CONFIRM before anything changes, the message saying how
 * many; with it the person is disabled, then each certificate revoked
 * (affiliationChanged).  *revoked (may be NULL) gets how many.
 */
int cd_person_edit_ex(struct cd_engine *e, const struct cd_person *p,
    unsigned flags, int *revoked, struct cd_err *err);

/* ---- audit, CRL, sweep -------------------------------------------------- */

int cd_audit_list(struct cd_engine *e, int64_t since, cd_audit_cb cb,
    void *arg, struct cd_err *err);
/* Engine-internal callers and front-ends record events the same way. */
int cd_audit(struct cd_engine *e, const char *action, const char *object,
    const char *outcome, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Write a fresh CRL to path (or stdout's fd when path is NULL). */
int cd_crl_write(struct cd_engine *e, const char *path, int der, int fd,
    struct cd_err *err);

struct cd_sweep_result {
	int aborted;		/* stale attempts aborted */
	int revoked;		/* certificates revoked */
	int waiting;		/* marked, delay not yet passed */
	int files_removed;	/* files of stopped attempts removed */
	int files_failed;	/* could not be removed: kept for a retry */
};
int cd_sweep(struct cd_engine *e, struct cd_sweep_result *res,
    struct cd_err *err);

#endif
