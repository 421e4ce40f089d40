/*
 * print-file.c - the "file" printing backend: the document saved as a
 * PostScript file (cd_write_output: a new or replaced regular file, mode
 * 0600, written atomically; or written into a device, FIFO or standard
 * output), never inside the data directory.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "print.h"
#include "util.h"

static int
file_submit(const char *target, const char *server, const char *title,
    const void *data, size_t len, char *job, size_t joblen,
    const struct cd_print_stop *stop, struct cd_err *err)
{
	int r;

	(void)title;
	(void)stop;	/* a file is written at once */
	if (target == NULL || target[0] == '\0')
		return cd_err_set(err, CD_E_INVAL, "no file name to save the "
		    "document as");
	if ((r = cd_write_output(target, server, data, len, 0600, err)) != 0)
		return r;
	if (job != NULL && joblen > 0)
		cd_strlcpy(job, target, joblen);
	return 0;
}

const struct cd_print_ops cd_print_file = {
	.name = "file",
	.submit = file_submit,
};
