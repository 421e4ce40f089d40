/* SPDX-License-Identifier: ISC */
/*
 * drive.h - the collection driver: the one sequence every front-end runs
 * to collect a request (the Collect dialog, 'certdesk collect', each
 * worker of 'certdesk collect --ready'):
 *
 *   preview -> prepare/check every delivery target -> begin -> password
 *   -> issue -> package -> deliver (per target) [-> PIN mailer sent]
 *   -> commit
 *
 * and on any failure or stop: cancel, then each target's rollback.
 * Everything that can be checked before keys are made and the CA signs
 * is checked in prepare (folder, existing files, name lengths, the store,
 * the PIN-mailer printer), so an operator's mistake costs no certificate.
 *
 * The front-end answers the questions only a person can answer through
 * callbacks (struct cd_drive_ui) and keeps only presentation.  While a
 * callback waits on a person it calls cd_drive_tick() now and then; the
 * driver calls it too after every question.  CD_E_LOST from it means
 * the attempt was aborted by the sweep: the run stops and cancels.
 *
 * The driver and its targets use only the public collection API
 * (collect.h), never the attempt's internals, so they can run in another
 * process than the one that holds the attempt.
 */
#ifndef CD_DRIVE_H
#define CD_DRIVE_H

#include <stddef.h>

#include "certdesk/collect.h"

struct cd_drive;
struct cd_usb_drive;
struct cd_conf;
struct pollfd;

/*
 * The collection steps as the driver calls them, on a collection handle
 * h made by begin from a source src: the engine in this process
 * (cd_collect_local, src = struct cd_engine *) or certdeskd over its
 * socket (the client API's server implementation).  Each member does
 * what the collect.h call of the same name does.
 */
struct cd_collect_ops {
	const char *name;
	int (*preview)(void *src, int64_t request_id,
	    struct cd_collect_preview *out, struct cd_err *err);
	int (*begin)(void *src, int64_t request_id, void **h,
	    struct cd_err *err);
	void (*set_progress)(void *h, cd_progress_fn fn, void *arg);
	int (*password)(void *h, const char *pw, struct cd_err *err);
	int (*issue)(void *h, struct cd_err *err);
	int (*package)(void *h, struct cd_err *err);
	int (*nitems)(const void *h);
	const struct cd_collect_item *(*item)(const void *h, int i);
	int (*package_data)(const void *h, int i, const unsigned char **data,
	    size_t *len, struct cd_err *err);
	int (*journal_file)(void *h, const char *path,
	    const unsigned char *data, size_t len, struct cd_err *err);
	int (*item_delivered)(void *h, int i, const char *location,
	    struct cd_err *err);
	int (*progress)(void *h, const char *what, int done, int total,
	    struct cd_err *err);
	int (*with_password)(void *h,
	    int (*fn)(void *arg, const char *pw, struct cd_err *err),
	    void *arg, struct cd_err *err);
	int (*record_drive)(void *h, const struct cd_usb_drive *dr,
	    struct cd_err *err);
	void (*rollback_note)(void *h, const char *text);
	int (*tick)(void *h, struct cd_err *err);
	/* may be NULL: the PIN mailer is then all printed by commit */
	int (*mailer_start)(void *h, struct cd_err *err);
	int (*commit)(void *h, struct cd_err *err);
	int (*cancel)(void *h, const char *reason, char *undone,
	    size_t undonelen, struct cd_err *err);
	void (*free)(void *h);
};

/* The engine's own steps (collect.h): src is a struct cd_engine *. */
extern const struct cd_collect_ops cd_collect_local;

/* What the overwrite question shows. */
struct cd_drive_existing {
	const char *dir;
	int nsame;			/* files that would be replaced */
	const char *same[CD_MAX_POLICIES_PER_PROFILE];
	int nother;			/* other .pfx/.p12 files in dir */
};

/* Answers to the overwrite question. */
#define CD_DRIVE_OVERWRITE	1
#define CD_DRIVE_OTHER_FOLDER	2

/* Phases of the USB wait, for a dialog. */
enum cd_drive_usb_phase {
	CD_DRIVE_USB_START,		/* waiting begins */
	CD_DRIVE_USB_LIST,		/* the list of drives changed */
	CD_DRIVE_USB_SAVING,		/* list[0] is being written */
	CD_DRIVE_USB_END		/* waiting and saving are over */
};

/*
 * The questions.  Callbacks returning int give 0 or a CD_E_* code with
 * err set; CD_E_CANCELLED is the person's "cancel".  Any may be NULL:
 * see each.
 */
struct cd_drive_ui {
	void *arg;
	/*
	 * FileStore: which folder.  dir holds the last folder (or "") on
	 * entry.  NULL: CD_E_INVAL before anything is issued.
	 */
	int (*folder)(void *arg, struct cd_drive *d, char *dir, size_t len,
	    struct cd_err *err);
	/*
	 * The folder already holds certificate files: CD_DRIVE_OVERWRITE,
	 * CD_DRIVE_OTHER_FOLDER or a code.  NULL: CD_E_CONFIRM (unless
	 * overwrite_all is set).
	 */
	int (*overwrite)(void *arg, struct cd_drive *d,
	    const struct cd_drive_existing *ex, struct cd_err *err);
	/*
	 * A user-specified password into pw (len bytes of secret memory).
	 * NULL: a user-PIN profile is refused before anything is issued.
	 */
	int (*password)(void *arg, struct cd_drive *d, char *pw, size_t len,
	    struct cd_err *err);
	/*
	 * The personal store's password, when it has one.  last: why the
	 * previous one was refused (NULL the first time); tries_left
	 * counts this one.  NULL: no password (a store that needs one
	 * refuses the import).
	 */
	int (*store_password)(void *arg, struct cd_drive *d, const char *store,
	    int tries_left, const struct cd_err *last, char *pw, size_t len,
	    struct cd_err *err);
	/*
	 * The USB wait, called with each phase; non-zero cancels.  NULL: the
	 * package cannot go to a USB drive in this run (CD_E_INVAL before
	 * anything is issued).
	 */
	int (*usb)(void *arg, struct cd_drive *d, int phase,
	    const struct cd_usb_drive *list, int n);
	/*
	 * Waiting (the USB wait): wait up to ms for fds or the front-end's
	 * own input; non-zero stops.  NULL: poll(2) on fds.
	 */
	int (*wait)(void *arg, struct cd_drive *d, struct pollfd *fds,
	    int nfds, int ms);
	/* Progress of the steps; non-zero asks to stop. */
	int (*progress)(void *arg, const char *what, int done, int total);
	/* The attempt began / delivery starts (may be NULL). */
	void (*begun)(void *arg, struct cd_drive *d);
	void (*delivering)(void *arg, struct cd_drive *d);
	/*
	 * A stop (CD_E_CANCELLED), before the rollback: the front-end may
	 * say why in err ("cancelled by signal 15") for the audit trail.
	 */
	void (*stopped)(void *arg, struct cd_err *err);

	int overwrite_all;		/* --overwrite: replace without asking */
	int no_replace;			/* bulk: never replace a file */
	int usb_wait_ms;		/* -1: no limit */
};

/* A driver for one request: the preview is taken, nothing else. */
int cd_drive_new(struct cd_engine *e, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err);
/*
 * The same through other collection steps (ops, src), with the delivery
 * settings ([systemstore], [autosave]) of conf.
 */
int cd_drive_new_via(const struct cd_collect_ops *ops, void *src,
    const struct cd_conf *conf, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err);
/* The items of the attempt (after begin) or of the preview (before). */
int cd_drive_nitems(const struct cd_drive *d);
const struct cd_collect_item *cd_drive_item(const struct cd_drive *d, int i);
const struct cd_collect_preview *cd_drive_preview(const struct cd_drive *d);
/*
 * Run the whole collection once.  0: committed.  Else the attempt (if
 * one was begun) is cancelled and rolled back, and cd_drive_undone()
 * says what was undone ("" when no attempt was begun: nothing was
 * issued).
 */
int cd_drive_run(struct cd_drive *d, struct cd_err *err);
/*
 * cd_drive_run in two halves, for a caller with more requests to collect:
 * run_deferred runs every step up to the commit and sends the PIN mailer
 * of a generated password without waiting for it to print; finish waits
 * for it and commits.  Between the two the caller may run other drivers
 * (the next request's keys and certificates are made while the mailer
 * prints).  Each returns as cd_drive_run does: on failure the attempt is
 * rolled back.  A driver freed between the two is rolled back too.
 */
int cd_drive_run_deferred(struct cd_drive *d, struct cd_err *err);
int cd_drive_finish(struct cd_drive *d, struct cd_err *err);
const char *cd_drive_undone(const struct cd_drive *d);
/* 1 once an attempt was begun (certificates may have been issued). */
int cd_drive_begun(const struct cd_drive *d);
/*
 * The engine's attempt, from begin until cd_drive_free (items,
 * locations); NULL when the steps run elsewhere (use cd_drive_item).
 */
struct cd_collect *cd_drive_collect(const struct cd_drive *d);
/* The folder last chosen for FileStore items ("" before). */
const char *cd_drive_folder(const struct cd_drive *d);
/*
 * Keep the attempt alive while a person is waited for: cheap, call it
 * often.  0 before begin; CD_E_LOST once the attempt was aborted.
 */
int cd_drive_tick(struct cd_drive *d, struct cd_err *err);
void cd_drive_free(struct cd_drive *d);

/* Where items of a storage method (CD_STORE_*) go, before delivery,
   for a dialog: "folder chosen at Download"; "" if unknown. */
const char *cd_drive_where(int storage);

#endif
