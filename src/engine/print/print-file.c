/* SPDX-License-Identifier: ISC */
/*
 * print-file.c - the "file" printing backend: the document saved as a
 * PostScript file (cd_write_output: a new or replaced regular file, mode
 * 0600, written atomically; or written into a device, FIFO or standard
 * output).  With no path given it goes to [print] directory as
 * "certdesk-transport-TIME-PID.ps".  It cannot carry a secret (the file
 * stays), so it has no CD_PRINT_SECRET: PIN mailers are refused at
 * configuration load.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "print.h"
#include "util.h"

static int
file_submit(const void *cfg, enum cd_print_doc doc, const char *target,
    const char *title, const void *data, size_t len, char *job,
    size_t joblen, const struct cd_print_stop *stop, struct cd_err *err)
{
	const struct cd_print_file_cfg *c = cfg;
	char deflt[CD_PATH_MAX + 64];
	int r;

	(void)title;
	(void)stop;	/* a file is written at once */
	if (target == NULL && doc != CD_PRINT_TRANSPORT)
		return cd_err_set(err, CD_E_PRINT, "the print backend 'file' "
		    "does not print PIN mailers");
	if (target == NULL && c != NULL) {
		snprintf(deflt, sizeof(deflt), "%s/certdesk-transport-%lld-"
		    "%ld.ps", c->directory, (long long)time(NULL),
		    (long)getpid());
		target = deflt;
	}

	if (target == NULL || target[0] == '\0')
		return cd_err_set(err, CD_E_INVAL, "no file name to save the "
		    "document as");
	if ((r = cd_write_output(target, NULL, data, len, 0600, err)) != 0)
		return r;
	if (job != NULL && joblen > 0)
		cd_strlcpy(job, target, joblen);
	return 0;
}

static void
file_describe(const void *cfg, enum cd_print_doc doc, char *buf, size_t len)
{
	const struct cd_print_file_cfg *c = cfg;

	snprintf(buf, len, "a PostScript file in %s", c != NULL ?
	    c->directory : ".");
}

/* [print] directory. */
static int
file_conf_load(const struct cd_conf_src *src, const char *sec, void **cfg,
    struct cd_err *err)
{
	struct cd_print_file_cfg *c;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_conf_path(src, sec, "directory", NULL, c->directory,
	    sizeof(c->directory))) != 0) {
		free(c);
		return r;
	}
	*cfg = c;
	return 0;
}

/* The file backend never prints a secret and leaves no job to purge. */
static int
file_purge(const void *cfg, const char *job, struct cd_err *err)
{
	(void)cfg;
	(void)job;
	(void)err;
	return 0;
}

const struct cd_print_ops cd_print_file = {
	.name = "file",
	.caps = 0,
	.conf_load = file_conf_load,
	.conf_free = free,
	.submit = file_submit,
	.purge = file_purge,
	.describe = file_describe,
};
