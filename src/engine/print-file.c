/*
 * print-file.c - the "file" printing backend: the document saved as a
 * PostScript file, written atomically with mode 0600.
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
	(void)stop;	/* a file is written at once */
	char dir[4096];
	const char *slash, *name;
	int r;

	if (target == NULL || target[0] == '\0')
		return cd_err_set(err, CD_E_INVAL, "no file name to save the "
		    "document as");
	if ((slash = strrchr(target, '/')) == NULL) {
		cd_strlcpy(dir, ".", sizeof(dir));
		name = target;
	} else {
		if ((size_t)(slash - target) >= sizeof(dir))
			return cd_err_set(err, CD_E_INVAL, "path too long: %s",
			    target);
		if (slash == target)
			cd_strlcpy(dir, "/", sizeof(dir));
		else
			snprintf(dir, sizeof(dir), "%.*s",
			    (int)(slash - target), target);
		name = slash + 1;
	}
	if (name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a file name",
		    target);
	if ((r = cd_write_atomic(dir, name, data, len, 0600, NULL, 0,
	    err)) != 0)
		return r;
	if (job != NULL && joblen > 0)
		cd_strlcpy(job, target, joblen);
	return 0;
}

const struct cd_print_ops cd_print_file = {
	.name = "file",
	.submit = file_submit,
};
