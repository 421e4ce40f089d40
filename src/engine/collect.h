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
 *   cd_collect_deliver_*  FileStore / AutoSave / SystemStore
 *   cd_collect_commit     PIN mailer, request completed, certs active
 *   cd_collect_cancel     roll back: files deleted, certs marked
 *
 * cd_collect_free() on an attempt that was not committed cancels it.
 */
#ifndef CD_COLLECT_H
#define CD_COLLECT_H

#include "engine.h"

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
 * FileStore: deliver every FileStore item to dir.  When dir already holds
 * .pfx/.p12 files and overwrite is 0, returns CD_E_CONFIRM and writes
 * nothing; call again with overwrite = 1 to go on.
 */
int cd_collect_deliver_folder(struct cd_collect *c, const char *dir,
    int overwrite, struct cd_err *err);

/*
 * The folder rule on its own: dir must be a writable folder, and when it
 * already holds .pfx/.p12 files and overwrite is 0, CD_E_CONFIRM.  A bulk
 * run asks this once, before its first collection.
 */
int cd_collect_folder_check(const char *dir, int overwrite,
    struct cd_err *err);
/*
 * FileStore for bulk runs: deliver every FileStore item to dir without
 * replacing anything.  A file name that is taken (by a file that was
 * there, or by another request of the same run) gives CD_E_EXISTS and
 * the existing file is left as it is.  No question about other
 * certificate files in dir: see cd_collect_folder_check.
 */
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
 * AutoSave: wait up to timeout_ms (-1 = no limit) for the first empty,
 * mounted, writable USB drive and save every AutoSave item to it.  While
 * waiting, the watcher (cd_collect_usb_watch) can be polled by a UI
 * instead: see usb.h.  cb (may be NULL) is called on every change of the
 * drive list; a non-zero return cancels (CD_E_CANCELLED).
 */
struct cd_usb_drive;
typedef int (*cd_usb_list_fn)(void *arg, const struct cd_usb_drive *list,
    int n);
int cd_collect_deliver_usb(struct cd_collect *c, int timeout_ms,
    cd_usb_list_fn cb, void *arg, struct cd_err *err);
/*
 * For a UI's own event loop: the watcher (opened on first use; owned by
 * the collection), and saving to one drive the UI saw become ready.
 */
struct cd_usb_watch;
int cd_collect_usb_watch(struct cd_collect *c, struct cd_usb_watch **out,
    struct cd_err *err);
int cd_collect_deliver_usb_drive(struct cd_collect *c,
    const struct cd_usb_drive *drive, struct cd_err *err);

/*
 * SystemStore: import every SystemStore item into the personal NSS
 * database of the user running certdesk ([systemstore] nssdb).
 * db_password is needed when the database is protected (NULL if not);
 * CD_E_AUTH when it is missing or wrong.
 */
int cd_collect_deliver_nss(struct cd_collect *c, const char *db_password,
    struct cd_err *err);
/* 1 if the personal store exists and needs a password. */
int cd_collect_nss_needs_password(struct cd_collect *c, int *out,
    struct cd_err *err);

/*
 * Tell the sweep this attempt is alive.  The steps do it themselves; a UI
 * waiting for the operator (a folder dialog, the USB wait) calls it now
 * and then, at least every [security] attempt_timeout / 3 seconds.
 */
int cd_collect_heartbeat(struct cd_collect *c, struct cd_err *err);
/*
 * The one call a front-end makes while it waits on a person (a dialog, a
 * password descriptor, a USB drive): cheap to call often, it sends a
 * heartbeat when one is due.  CD_E_LOST when the attempt no longer holds
 * the request (the sweep aborted it): the front-end must stop and cancel.
 */
int cd_collect_tick(struct cd_collect *c, struct cd_err *err);

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
