/* SPDX-License-Identifier: ISC */
/*
 * dialog-print.c - Print the transport document of a request: to the
 * configured CUPS queue (or the CUPS default), or saved as a PostScript
 * file for a station without a printer.  Used by the Collect dialog
 * after a download and by View Request for completed requests; the
 * engine decides whether the request may have one
 * (cd_api_print_transport).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

enum { P_PRINT, P_FILE, P_CANCEL };

/* The default file: ~/transport-ID.ps, or ./transport-ID.ps. */
static void
default_file(int64_t id, char *buf, size_t len)
{
	const char *home = getenv("HOME");

	snprintf(buf, len, "%s%stransport-%lld.ps", home != NULL &&
	    home[0] == '/' ? home : "", home != NULL && home[0] == '/' ?
	    "/" : "", (long long)id);
}

static void
send_to(struct tui *t, int64_t id, const char *outfile)
{
	struct cd_err err;
	char job[CD_PATH_MAX];

	tui_status(t, outfile != NULL ? "Saving the transport document..." :
	    "Printing the transport document...");
	tui_flush(t);
	if (cd_api_print_transport(t->a, id, NULL, outfile, job, sizeof(job),
	    &err) != 0)
		tui_error(t, &err);
	else if (outfile != NULL)
		tui_status(t, "Transport document saved as %s.", job);
	else
		tui_status(t, "Transport document printed: job %s "
		    "completed.", job);
}

void
tui_print_transport(struct tui *t, int64_t id)
{
	static const struct button b[] = {
		{ "p Print", 'p', P_PRINT, 0 },
		{ "s Save as file", 's', P_FILE, 0 },
		{ "x Cancel", 'x', P_CANCEL, 0 },
	};
	char text[CD_PATH_MAX + 200], file[CD_PATH_MAX], where[CD_PATH_MAX];
	int k;

	cd_api_print_destination(t->a, where, sizeof(where));
	snprintf(text, sizeof(text), "Print the transport document of "
	    "request %lld on %s, or save it as a PostScript file.",
	    (long long)id, where);
	k = tui_choice(t, "Print transport document", text, b, 3);
	if (k == P_PRINT) {
		send_to(t, id, NULL);
		return;
	}
	if (k != P_FILE)
		return;
	default_file(id, file, sizeof(file));
	if (tui_prompt(t, "Save transport document", "PostScript file:",
	    file, sizeof(file), 0) != 1 || file[0] == '\0')
		return;
	send_to(t, id, file);
}
