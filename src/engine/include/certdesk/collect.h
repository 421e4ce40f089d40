/* SPDX-License-Identifier: ISC */
/*
 * collect.h - collecting a request: the transaction that turns a
 * collectable request into password-protected PKCS#12 packages delivered
 * where each certificate policy says, or into nothing at all.
 *
 * Steps, each callable from the CLI and the TUI, with cancel possible
 * between any two of them:
 *
 *   cd_collect_begin      check, take the request (one collector at a time)
 *   cd_collect_password   user-specified PIN, or generate one
 *   cd_collect_issue      keys + certificates (progress per certificate)
 *   cd_collect_package    PKCS#12 in memory
 *   (delivery)            the driver's targets: FileStore / AutoSave /
 *                         SystemStore (drive.h, target.h)
 *   cd_collect_mailer_start  (optional) the PIN mailer sent, not waited for
 *   cd_collect_commit     PIN mailer printed, request completed, certs
 *                         active
 *   cd_collect_cancel     roll back: files deleted, certs marked
 *
 * cd_collect_free() on an attempt that was not committed cancels it.
 */
#ifndef CD_COLLECT_H
#define CD_COLLECT_H

#include "certdesk/engine.h"

struct cd_collect;

/* One certificate of the package, for showing and for --json. */
struct cd_collect_item {
	const struct cd_policy *policy;
	char file_name[CD_FIELD_MAX];	/* generated name, "x.pfx" */
	char serial[CD_SERIAL_MAX];	/* after issue */
	char location[CD_DETAIL_MAX];	/* after delivery: path / nickname */
	int delivered;
};

/*
 * Progress: what = "Generating key for Signing", done/total over the
 * whole step.  Return non-zero to ask for cancellation (the step then
 * returns CD_E_CANCELLED; call cd_collect_cancel).
 */
typedef int (*cd_progress_fn)(void *arg, const char *what, int done,
    int total);

int cd_collect_begin(struct cd_engine *e, int64_t request_id,
    struct cd_collect **out, struct cd_err *err);
void cd_collect_set_progress(struct cd_collect *c, cd_progress_fn fn,
    void *arg);

const struct cd_request *cd_collect_request(const struct cd_collect *c);
const struct cd_person *cd_collect_person(const struct cd_collect *c);
const struct cd_profile *cd_collect_profile(const struct cd_collect *c);
int cd_collect_nitems(const struct cd_collect *c);
const struct cd_collect_item *cd_collect_item(const struct cd_collect *c,
    int i);
/* Which storage methods this package needs: bits of 1 << CD_STORE_*. */
unsigned cd_collect_storages(const struct cd_collect *c);
/* 1 if the operator types the password (user-specified PIN). */
int cd_collect_user_pin(const struct cd_collect *c);

/* Check a candidate password against the profile's policy (no state). */
int cd_collect_check_password(const struct cd_collect *c, const char *pw,
    struct cd_err *err);
/*
 * Set the password: pw for a user-specified PIN (copied into locked
 * memory, checked against the policy), or NULL to generate one for a
 * profile with a generated password.  The generated one is never returned.
 */
int cd_collect_password(struct cd_collect *c, const char *pw,
    struct cd_err *err);

int cd_collect_issue(struct cd_collect *c, struct cd_err *err);
int cd_collect_package(struct cd_collect *c, struct cd_err *err);

/*
 * Delivery.  The collection driver (drive.h) and the delivery targets
 * (target.h) write the packages through these calls only, so that they
 * can run in another process than the one holding the attempt.
 *
 * cd_collect_package_data: the bytes of item i's package (after
 * cd_collect_package; valid until cd_collect_free).
 * cd_collect_journal_file: record path (absolute) and the SHA-256 of
 * data in the attempt's journal before the file is written, so that a
 * cancel or the sweep after a crash removes exactly that file.
 * cd_collect_item_delivered: item i is saved at location (a path, or a
 * store and nickname); audited as collect.file / collect.usb /
 * collect.systemstore after the item's storage method.
 * cd_collect_progress: report a delivery step; CD_E_CANCELLED when the
 * front-end asks to stop.
 */
int cd_collect_package_data(const struct cd_collect *c, int i,
    const unsigned char **data, size_t *len, struct cd_err *err);
int cd_collect_journal_file(struct cd_collect *c, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err);
int cd_collect_item_delivered(struct cd_collect *c, int i,
    const char *location, struct cd_err *err);
int cd_collect_progress(struct cd_collect *c, const char *what, int done,
    int total, struct cd_err *err);
/*
 * Call fn with the package password (secret memory, valid only during
 * the call) for a target that must open the package itself (SystemStore).
 */
int cd_collect_with_password(struct cd_collect *c,
    int (*fn)(void *arg, const char *pw, struct cd_err *err), void *arg,
    struct cd_err *err);
/* Record the USB drive the AutoSave items went to (a device record). */
struct cd_usb_drive;
int cd_collect_record_drive(struct cd_collect *c,
    const struct cd_usb_drive *d, struct cd_err *err);
/*
 * A line for the audit record of a cancel, for what a rollback leaves in
 * place (certificates imported into a personal store).
 */
void cd_collect_rollback_note(struct cd_collect *c, const char *text);

/*
 * A look at a request's collection without taking it: no attempt, no
 * lock, no audit record.  What the Collect dialog shows before Download
 * and what the driver checks before anything is issued.  Fails like
 * cd_collect_begin would (CD_E_NOTFOUND, CD_E_BUSY, CD_E_STATE,
 * CD_E_DENIED, CD_E_CONFIG).  blocked/blocked_code: a reason the
 * collection cannot succeed with this configuration (a generated
 * password with no PIN-mailer printer), found before keys are made.
 */
struct cd_collect_preview {
	int64_t request_id;
	char person_name[CD_FIELD_MAX];
	char person_logon[CD_LOGON_MAX];
	const struct cd_profile *prof;
	int user_pin;			/* 1: the operator types it */
	unsigned storages;		/* 1 << CD_STORE_* */
	int n;
	struct cd_collect_item items[CD_MAX_POLICIES_PER_PROFILE];
	int blocked_code;		/* 0 or a CD_E_* code */
	char blocked[CD_ERR_MSGLEN];
};
int cd_collect_preview(struct cd_engine *e, int64_t request_id,
    struct cd_collect_preview *out, struct cd_err *err);
/* The same checks for a profile alone (bulk runs). */
int cd_collect_profile_check(struct cd_engine *e, const char *profile_id,
    struct cd_err *err);
/* A candidate password against the preview's profile (no state). */
int cd_collect_preview_password(const struct cd_collect_preview *p,
    const char *pw, struct cd_err *err);

/*
 * The folder rule on its own, for callers without a collection: dir
 * must be a writable folder, and when it already holds .pfx/.p12 files
 * and overwrite is 0, CD_E_CONFIRM.  A bulk run asks this once, before
 * its first collection.
 */
int cd_collect_folder_check(const char *dir, int overwrite,
    struct cd_err *err);
/*
 * Step-level FileStore delivery (tests and benchmarks; the front-ends
 * use the driver): every FileStore item into dir.  With replace = 0 a
 * taken file name gives CD_E_EXISTS and the file is left as it is; with
 * overwrite = 0 a folder holding certificate files gives CD_E_CONFIRM.
 */
int cd_collect_deliver_folder(struct cd_collect *c, const char *dir,
    int overwrite, struct cd_err *err);
int cd_collect_deliver_folder_new(struct cd_collect *c, const char *dir,
    struct cd_err *err);

/*
 * Bulk collection: may the requests of profile_id be collected many at a
 * time, with nobody typing?  Only when its password is generated (each
 * request gets its own, printed on its own PIN mailer: else CD_E_PASSWORD)
 * and all its certificates go to a folder (else CD_E_INVAL).  Unknown
 * profile: CD_E_NOTFOUND.  Refusals are audited.  Which requests: see
 * cd_request_collectable (engine.h).
 */
int cd_collect_bulk_check(struct cd_engine *e, const char *profile_id,
    struct cd_err *err);
/*
 * The start of a bulk run: cd_collect_bulk_check, cd_collect_profile_check,
 * then the ready requests (at most limit, 0 = all) in *ids (free()), and
 * the run recorded in the audit trail with its jobs and folder.
 */
int cd_collect_bulk_start(struct cd_engine *e, const char *profile_id,
    int limit, int jobs, const char *folder, int64_t **ids, int *n,
    struct cd_err *err);

/*
 * Tell the sweep this attempt is alive.  The steps do it themselves; a UI
 * waiting for the operator (a folder dialog, the USB wait) calls it now
 * and then, at least every [security] attempt_timeout / 3 seconds.
 */
int cd_collect_heartbeat(struct cd_collect *c, struct cd_err *err);
/*
 * The same heartbeat in a durable commit: the attempt's claim, its
 * certificates and heartbeats, written lazily, are on disk when it
 * returns 0.  Called before a package leaves the engine for a place
 * the store's file journal does not cover: the personal store's import
 * (cd_collect_with_password does it), or certdeskd's reply that hands
 * the packages to its client.  An issued certificate is then never
 * unknown to the store after a power cut, wherever its key went.
 */
int cd_collect_durable(struct cd_collect *c, struct cd_err *err);
/*
 * The one call a front-end makes while it waits on a person (a dialog, a
 * password descriptor, a USB drive): cheap to call often, it sends a
 * heartbeat when one is due.  CD_E_LOST when the attempt no longer holds
 * the request (the sweep aborted it): the front-end must stop and cancel.
 */
int cd_collect_tick(struct cd_collect *c, struct cd_err *err);

/*
 * Once every certificate is delivered: send the PIN mailer of a generated
 * password to its printer and return without waiting for it to print,
 * so that the caller can start on the next request (a bulk worker).
 * cd_collect_commit then waits for it, and commits only once it is
 * printed; a cancel stops waiting and cancels the job unless it has
 * printed.  0 and nothing done for a user-specified password.  On
 * failure the collection is rolled back, as a failed commit is.
 */
int cd_collect_mailer_start(struct cd_collect *c, struct cd_err *err);
int cd_collect_commit(struct cd_collect *c, struct cd_err *err);

/*
 * Roll back: delete the files this attempt wrote, mark its certificates
 * for revocation after the delay, put the request back to awaiting
 * collection, audit.  reason goes to the audit trail.  Safe to call at
 * any step and more than once.  *undone (may be NULL) gets a one-line
 * summary for the operator ("2 files deleted, 2 certificates to be
 * revoked").
 */
int cd_collect_cancel(struct cd_collect *c, const char *reason,
    char *undone, size_t undonelen, struct cd_err *err);

void cd_collect_free(struct cd_collect *c);

#endif
