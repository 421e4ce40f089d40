/* SPDX-License-Identifier: ISC */
/*
 * print.h - printing backends for transport documents and PIN mailers,
 * chosen by [print] backend = and configured by their own keys in the
 * [print] section:
 *   "cups"  sends PostScript to a CUPS queue and follows the job until it
 *           is printed, then purges it (printer, pin_printer,
 *           cups_server); a job left by a crash is purged by purge();
 *   "file"  saves it as a PostScript file, 0600 (directory).  It cannot
 *           carry a secret, so PIN mailers need "cups".
 */
#ifndef CD_PRINT_H
#define CD_PRINT_H

#include <stddef.h>

#include "conf.h"
#include "certdesk/error.h"

/*
 * fn is asked now and then while a job is followed to completion:
 * non-zero gives up on the job (it is cancelled and purged) with
 * CD_E_CANCELLED.  queued (may be NULL) is told the job once it exists
 * and before its document is sent, as purge() takes it; non-zero (its
 * code, with err set) gives up on the job before anything is sent.
 */
struct cd_print_stop {
	int (*fn)(void *arg);
	void *arg;
	int (*queued)(void *arg, const char *job, struct cd_err *err);
};

/* The kind of document, for the backend's choice of destination. */
enum cd_print_doc {
	CD_PRINT_TRANSPORT = 0,
	CD_PRINT_PIN_MAILER
};

/* What a backend can do. */
enum cd_print_cap {
	/* May print a document carrying a secret (a PIN mailer): nothing
	   of it is kept once the job is done or given up. */
	CD_PRINT_SECRET = 1 << 0,
	/* Follows the job until it is on paper (a stop callback works). */
	CD_PRINT_FOLLOWS = 1 << 1
};

/* The cups backend's settings (public so that test tools can fill it). */
struct cd_print_cups_cfg {
	char printer[CD_NAME_MAX];	/* "" = the CUPS default */
	char pin_printer[CD_NAME_MAX];	/* "" = same as printer */
	char server[CD_TEXT_MAX];	/* "" = libcups default */
};

/* The file backend's settings. */
struct cd_print_file_cfg {
	char directory[CD_PATH_MAX];	/* absolute */
};

/* A job started and not yet followed (a backend's own). */
struct cd_print_job;

struct cd_print_ops {
	const char *name;	/* "cups", "file" */
	unsigned caps;		/* CD_PRINT_* */
	/* Read the backend's keys of [print] (see ca.h's conf_load). */
	int (*conf_load)(const struct cd_conf_src *src, const char *section,
	    void **cfg, struct cd_err *err);
	void (*conf_free)(void *cfg);
	/*
	 * Print len bytes of PostScript.  target: NULL for the configured
	 * destination of doc; else the queue name ("" = the CUPS default
	 * destination) for cups, a path for file.  title names the job; it
	 * must not contain a secret.  Returns when the job is completed;
	 * *job gets "queue-42" or the path.  CD_E_PRINT, CD_E_TIMEOUT or
	 * CD_E_IO with a message otherwise.  stop (may be NULL) is asked
	 * while the job is followed.
	 */
	int (*submit)(const void *cfg, enum cd_print_doc doc,
	    const char *target, const char *title, const void *data,
	    size_t len, char *job, size_t joblen,
	    const struct cd_print_stop *stop, struct cd_err *err);
	/*
	 * submit in two halves, so that a caller can work while the job
	 * prints: start sends the document (stop->queued is told the job
	 * as by submit) and returns once it is queued, *out the job to
	 * follow; finish follows it to completion as submit does, purges
	 * it, and frees it whatever the outcome; *purged is 1 when the
	 * scheduler confirmed that the job is gone (purged now or before),
	 * so that the caller need not ask again.  Both NULL for a backend
	 * that only submits.
	 */
	int (*start)(const void *cfg, enum cd_print_doc doc,
	    const char *target, const char *title, const void *data,
	    size_t len, char *job, size_t joblen,
	    const struct cd_print_stop *stop, struct cd_print_job **out,
	    struct cd_err *err);
	int (*finish)(struct cd_print_job *j, const struct cd_print_stop *stop,
	    int *purged, struct cd_err *err);
	/*
	 * Is a destination configured for doc (target NULL)?  0, or a code
	 * with the reason for people (a PIN mailer with no printer named).
	 * May be NULL: always ready.  Checked before anything is issued.
	 */
	int (*ready)(const void *cfg, enum cd_print_doc doc,
	    struct cd_err *err);
	/*
	 * Cancel job -- as stop->queued was told it -- if it is still
	 * there, and make the scheduler delete every copy of its document.
	 * 0 when the job is gone (purged now or before); CD_E_PRINT with
	 * the reason when that cannot be made sure (the scheduler is down).
	 * cfg may be NULL: job names its scheduler.
	 */
	int (*purge)(const void *cfg, const char *job, struct cd_err *err);
	/* Where doc goes with target NULL, for people: "printer 'office'". */
	void (*describe)(const void *cfg, enum cd_print_doc doc, char *buf,
	    size_t len);
};

/* All backends, NULL-terminated; the first is the default. */
extern const struct cd_print_ops *const cd_print_backends[];
extern const struct cd_print_ops cd_print_cups;
extern const struct cd_print_ops cd_print_file;

/* The backend called name (NULL or "" = the default), or NULL. */
const struct cd_print_ops *cd_print_find(const char *name);

/*
 * How long the cups backend follows a job before giving up (the job is
 * then cancelled): CD_PRINT_TIMEOUT seconds unless changed here (tests).
 * Returns the previous value.
 */
#define CD_PRINT_TIMEOUT 60
int cd_print_cups_timeout(int seconds);

#endif
