/* SPDX-License-Identifier: ISC */
/*
 * template.h - transport documents and PIN mailers from plain text
 * templates with merge fields.
 *
 * A template is UTF-8 text.  Merge fields use the syntax of file-name
 * formats (case-insensitive names):
 *
 *	[[People.FullName]] [[People.LogonName]] [[People.Email]]
 *	[[People.GroupName]] [[People.EmployeeId]] [[RequestId]]
 *	[[Profile]] [[Policies]] [[Date]] [[Operator]] [[Organisation]]
 *	[[Files]] [[Password]] (PIN mailers only)
 *
 * [[Files]] alone on a line is a table of the package's certificates
 * (policy, file name, where it was saved, serial number); inside text it
 * is the list of file names.  [[Policies]] is the list of policy names.
 *
 * Markup, by line: "# Text" is a heading; "|a|b|" is a table row (cells
 * separated by '|'; consecutive rows make one table); "---" is a page
 * break; blank lines separate paragraphs, whose lines are joined and
 * word-wrapped.  Field values never act as markup.
 */
#ifndef CD_TEMPLATE_H
#define CD_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/error.h"
#include "certdesk/model.h"

/* Largest template file accepted, in bytes. */
#define CD_TEMPLATE_MAX (64 * 1024)

struct cd_doc_item {
	char policy[64];
	char file[256];
	char location[1024];
	char serial[80];
};

struct cd_doc {
	const struct cd_person *person;
	int64_t request_id;
	const char *profile_name;
	const char *operator_;
	const char *organisation;
	int64_t date;			/* 0: now */
	int nitems;
	const struct cd_doc_item *items;
	const char *password;		/* PIN mailer only; NULL otherwise */
};

enum cd_doc_kind { CD_DOC_TRANSPORT, CD_DOC_PIN_MAILER };

/*
 * Check a template: 0, or CD_E_CONFIG "TEMPLATE:LINE: unknown merge field
 * [[X]]" (also for an unterminated "[["), "TEMPLATE:LINE: a transport
 * document must not contain the password", "TEMPLATE: a PIN mailer must
 * contain [[Password]]"; CD_E_IO when it cannot be read.
 */
int cd_template_check(const char *path, enum cd_doc_kind kind,
    struct cd_err *err);

/*
 * Render a document to PostScript in memory: *ps (malloc'd; free with
 * cd_doc_free, which wipes it) and *pslen.  Checks the template again;
 * a PIN mailer without a password is CD_E_INVAL.  paper: "A4" or
 * "Letter".  Every buffer that held the password is wiped.
 */
int cd_doc_render(const char *template_path, enum cd_doc_kind kind,
    const struct cd_doc *doc, const char *paper, char **ps, size_t *pslen,
    struct cd_err *err);

void cd_doc_free(char *ps, size_t len);

#endif
