/* SPDX-License-Identifier: ISC */
/*
 * target.h - delivery targets: where a collection's packages go, one
 * const ops table per storage method (FileStore: a folder; AutoSave: the
 * first empty USB drive; SystemStore: the personal NSS store), run by the
 * collection driver (drive.c).  A target uses only the public collection
 * API (collect.h) and the driver's questions (drive.h).
 *
 * Order of calls: prepare (before anything is issued: ask and check),
 * open (packages ready: wait for a drive), write for each of its items,
 * close (sync, eject, record), then commit or rollback, and release.
 */
#ifndef CD_TARGET_H
#define CD_TARGET_H

#include "certdesk/drive.h"

/* Rolling back removes what was written (else it stays, as in NSS). */
#define CD_TGT_ROLLBACK_REMOVES	0x1
/* Delivery needs a person to act (insert a drive, type a password). */
#define CD_TGT_NEEDS_PERSON	0x2

struct cd_target_ops {
	const char *name;		/* "FileStore" */
	int storage;			/* CD_STORE_* */
	unsigned caps;			/* CD_TGT_* */
	const char *where;		/* where items go, before delivery */
	int (*prepare)(struct cd_drive *d, void **state, struct cd_err *err);
	int (*open)(struct cd_drive *d, void *state, struct cd_err *err);
	int (*write)(struct cd_drive *d, void *state, int i,
	    struct cd_err *err);
	int (*close)(struct cd_drive *d, void *state, struct cd_err *err);
	/* The collection committed (drop kept copies). */
	void (*commit)(struct cd_drive *d, void *state);
	/*
	 * The collection was cancelled (after cd_collect_cancel): remove
	 * what is left of this target's files, put replaced files back.
	 * Returns the number of files it removed.
	 */
	int (*rollback)(struct cd_drive *d, void *state);
	void (*release)(void *state);
};

/* The target of a storage method (CD_STORE_*), or NULL. */
const struct cd_target_ops *cd_target_find(int storage);

extern const struct cd_target_ops cd_target_folder;
extern const struct cd_target_ops cd_target_usb;
extern const struct cd_target_ops cd_target_nss;

/* ---- for targets: the driver's side (drive.c) ---------------------------- */
struct cd_engine *cd_drive_engine(const struct cd_drive *d);
const struct cd_drive_ui *cd_drive_ui(const struct cd_drive *d);
void cd_drive_set_folder(struct cd_drive *d, const char *dir);
/* The delivery settings ([systemstore], [autosave]). */
const struct cd_conf *cd_drive_conf(const struct cd_drive *d);
/* The collection steps of the driver's attempt (collect.h, by name). */
int cd_dc_nitems(const struct cd_drive *d);
const struct cd_collect_item *cd_dc_item(const struct cd_drive *d, int i);
int cd_dc_package_data(const struct cd_drive *d, int i,
    const unsigned char **data, size_t *len, struct cd_err *err);
int cd_dc_journal_file(struct cd_drive *d, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err);
int cd_dc_item_delivered(struct cd_drive *d, int i, const char *location,
    struct cd_err *err);
int cd_dc_progress(struct cd_drive *d, const char *what, int done, int total,
    struct cd_err *err);
int cd_dc_with_password(struct cd_drive *d,
    int (*fn)(void *arg, const char *pw, struct cd_err *err), void *arg,
    struct cd_err *err);
int cd_dc_record_drive(struct cd_drive *d, const struct cd_usb_drive *dr,
    struct cd_err *err);
void cd_dc_rollback_note(struct cd_drive *d, const char *text);
/* After a question: r, or CD_E_LOST if the attempt was aborted meanwhile. */
int cd_drive_after_question(struct cd_drive *d, int r, struct cd_err *err);

#endif
