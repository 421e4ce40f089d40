/*
 * print.h - printing backends for transport documents and PIN mailers:
 * "cups" sends PostScript to a CUPS queue and follows the job until it
 * is printed; "file" saves it as a PostScript file (0600).
 */
#ifndef CD_PRINT_H
#define CD_PRINT_H

#include <stddef.h>

#include "error.h"

/*
 * Asked now and then while a job is followed to completion: non-zero
 * gives up on the job (it is cancelled and purged) with CD_E_CANCELLED.
 */
struct cd_print_stop {
	int (*fn)(void *arg);
	void *arg;
};

struct cd_print_ops {
	const char *name;	/* "cups", "file" */
	/*
	 * Print len bytes of PostScript.  target: the queue name ("" = the
	 * CUPS default destination) for cups, a path for file (written as
	 * cd_write_output does).  server: "host:port" or "" for the libcups
	 * default for cups; for file, a folder never to write into (the
	 * data directory; "" for none).  title
	 * names the job; it must not contain a secret.  Returns when the job
	 * is completed; *job gets "queue-42" or the path.  CD_E_PRINT,
	 * CD_E_TIMEOUT or CD_E_IO with a message otherwise.  stop (may be
	 * NULL) is asked while the job is followed.
	 */
	int (*submit)(const char *target, const char *server,
	    const char *title, const void *data, size_t len, char *job,
	    size_t joblen, const struct cd_print_stop *stop,
	    struct cd_err *err);
};

/* All backends, NULL-terminated. */
extern const struct cd_print_ops *const cd_print_backends[];
extern const struct cd_print_ops cd_print_cups;
extern const struct cd_print_ops cd_print_file;

/* The backend called name, or NULL. */
const struct cd_print_ops *cd_print_find(const char *name);

/*
 * How long the cups backend follows a job before giving up (the job is
 * then cancelled): CD_PRINT_TIMEOUT seconds unless changed here (tests).
 * Returns the previous value.
 */
#define CD_PRINT_TIMEOUT 60
int cd_print_cups_timeout(int seconds);

#endif
