/* SPDX-License-Identifier: ISC */
/*
 * fuzz-template.c - fuzz the document templates (template.c over ps.c).
 *
 * The input is NUL-separated: a flags byte and the template text, then the
 * merge values (full name, logon, e-mail, group, employee ID, profile,
 * operator, organisation, password) and up to three certificates (policy,
 * file, location, serial).  The template is checked and rendered as a
 * transport document and as a PIN mailer.  Every rendered document must
 * be 7-bit clean PostScript whose string literals are closed, with every
 * '(' ')' and '\' inside them escaped, and whose page count is right; a
 * transport template that names [[Password]] must be refused, and a
 * password must never reach a transport document.  A broken promise is an
 * abort().
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "template.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define NVALUES 9
#define NITEMS 3
#define NPARTS (1 + NVALUES + 4 * NITEMS)

static char tmpl_path[256];

static void
remove_template(void)
{
	unlink(tmpl_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(tmpl_path, sizeof(tmpl_path), "%s/fuzz-template.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if ((fd = mkstemp(tmpl_path)) == -1)
		abort();
	close(fd);
	atexit(remove_template);
	return 0;
}

/* Skip a "%..." comment line at p; returns the index after it. */
static size_t
skip_comment(const char *ps, size_t len, size_t i)
{
	while (i < len && ps[i] != '\n')
		i++;
	return i;
}

/* Inside a string literal at ps[i] == '\\': the length of the escape. */
static size_t
escape_len(const char *ps, size_t len, size_t i)
{
	size_t n = 1;

	if (i + 1 >= len)
		abort();			/* a backslash at the very end */
	if (strchr("()\\\n", ps[i + 1]) != NULL)
		return 2;
	while (n <= 3 && i + n < len && ps[i + n] >= '0' && ps[i + n] <= '7')
		n++;
	if (n != 4)
		abort();			/* the writer only emits \ooo */
	return 4;
}

/* Clean 7-bit text, short lines, closed and fully escaped strings. */
static void
check_strings(const char *ps, size_t len)
{
	size_t i = 0, line_start = 0;
	int in_string = 0;

	while (i < len) {
		if (ps[i] != '\n' && (ps[i] < 0x20 || ps[i] > 0x7e))
			abort();		/* not Clean7Bit */
		if (!in_string && i == line_start && ps[i] == '%') {
			i = skip_comment(ps, len, i);
			continue;
		}
		if (ps[i] == '\n') {
			if (i - line_start > 255)
				abort();	/* DSC: lines of at most 255 */
			line_start = ++i;
			continue;
		}
		if (!in_string) {
			if (ps[i] == ')')
				abort();	/* a string closed twice */
			in_string = ps[i] == '(';
			i++;
		} else if (ps[i] == '\\') {
			if (ps[i + 1] == '\n')
				line_start = i + 2;
			i += escape_len(ps, len, i);
		} else if (ps[i] == '(') {
			abort();		/* an unescaped '(' in a string */
		} else {
			in_string = ps[i] != ')';
			i++;
		}
	}
	if (in_string)
		abort();			/* a string never closed */
}

static size_t
count(const char *ps, size_t len, const char *what)
{
	const char *p = ps, *e = ps + len, *hit;
	size_t n = 0, wl = strlen(what);

	while ((hit = memmem(p, (size_t)(e - p), what, wl)) != NULL) {
		n++;
		p = hit + wl;
	}
	return n;
}

/* A whole document: the DSC frame, the page count and the strings. */
static void
check_ps(const char *ps, size_t len)
{
	static const char head[] = "%!PS-Adobe-3.0\n";
	static const char tail[] = "%%Trailer\n%%EOF\n";
	const char *pages;
	size_t n;

	if (len < sizeof(head) + sizeof(tail) ||
	    memcmp(ps, head, sizeof(head) - 1) != 0 ||
	    memcmp(ps + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1) != 0)
		abort();
	if ((pages = memmem(ps, len, "\n%%Pages: ", 10)) == NULL)
		abort();
	n = (size_t)strtoul(pages + 10, NULL, 10);
	if (n < 1 || n != count(ps, len, "\n%%Page: ") ||
	    n != count(ps, len, "\n%%PageTrailer\n"))
		abort();
	check_strings(ps, len);
}

/* Does the template name the password (any case)? */
static int
names_password(const char *text)
{
	static const char field[] = "[[password]]";
	size_t i, n = strlen(text);

	for (i = 0; i + sizeof(field) - 1 <= n; i++)
		if (strncasecmp(text + i, field, sizeof(field) - 1) == 0)
			return 1;
	return 0;
}

static int
write_template(const char *text, size_t len)
{
	FILE *f;
	int r = 0;

	if ((f = fopen(tmpl_path, "w")) == NULL)
		return -1;
	if (fwrite(text, 1, len, f) != len)
		r = -1;
	if (fclose(f) != 0)
		r = -1;
	return r;
}

/* Split the input at NULs; missing parts are "". */
static void
split(char *text, size_t len, char *parts[NPARTS])
{
	char *p = text, *e = text + len;
	int n = 0;

	while (n < NPARTS) {
		parts[n++] = p;
		p += strlen(p);
		if (p >= e)
			break;
		p++;
	}
	while (n < NPARTS)
		parts[n++] = e;		/* the final NUL */
}

static void
fill(struct cd_person *pe, struct cd_doc *doc, struct cd_doc_item *items,
    char *v[NPARTS], unsigned flags)
{
	int i;

	memset(pe, 0, sizeof(*pe));
	cd_strlcpy(pe->full_name, v[1], sizeof(pe->full_name));
	cd_strlcpy(pe->logon, v[2], sizeof(pe->logon));
	cd_strlcpy(pe->email, v[3], sizeof(pe->email));
	cd_strlcpy(pe->group_name, v[4], sizeof(pe->group_name));
	cd_strlcpy(pe->employee_id, v[5], sizeof(pe->employee_id));
	memset(doc, 0, sizeof(*doc));
	doc->person = pe;
	doc->request_id = 42;
	doc->profile_name = v[6];
	doc->operator_ = v[7];
	doc->organisation = v[8];
	doc->date = 1700000000;
	doc->nitems = (int)((flags >> 1) & 3);
	if (doc->nitems > NITEMS)
		doc->nitems = NITEMS;
	for (i = 0; i < NITEMS; i++) {
		memset(&items[i], 0, sizeof(items[i]));
		cd_strlcpy(items[i].policy, v[10 + 4 * i], sizeof(items[i].policy));
		cd_strlcpy(items[i].file, v[11 + 4 * i], sizeof(items[i].file));
		cd_strlcpy(items[i].location, v[12 + 4 * i],
		    sizeof(items[i].location));
		cd_strlcpy(items[i].serial, v[13 + 4 * i], sizeof(items[i].serial));
	}
	doc->items = items;
}

/* Render one kind; the result must agree with the check. */
static void
render(enum cd_doc_kind kind, const struct cd_doc *doc, const char *paper)
{
	struct cd_err err;
	char *ps = NULL;
	size_t len = 0;
	int checked, r;

	checked = cd_template_check(tmpl_path, kind, &err);
	r = cd_doc_render(tmpl_path, kind, doc, paper, &ps, &len, &err);
	if (r == 0 && checked != 0)
		abort();		/* rendered what the check refuses */
	if (r == 0)
		check_ps(ps, len);
	else if (ps != NULL)
		abort();
	cd_doc_free(ps, len);
}

/* A transport document never carries the password. */
static void
transport(const char *text, struct cd_doc *doc, const char *paper,
    const char *password, unsigned flags)
{
	struct cd_err err;
	char *ps = NULL;
	size_t len = 0;

	if (names_password(text) &&
	    (cd_template_check(tmpl_path, CD_DOC_TRANSPORT, &err) == 0 ||
	    cd_doc_render(tmpl_path, CD_DOC_TRANSPORT, doc, paper, &ps, &len,
	    &err) == 0))
		abort();		/* a transport template with the password */
	cd_doc_free(ps, len);
	render(CD_DOC_TRANSPORT, doc, paper);
	if ((flags & 8) == 0 || password[0] == '\0')
		return;
	doc->password = password;
	ps = NULL;
	if (cd_doc_render(tmpl_path, CD_DOC_TRANSPORT, doc, paper, &ps, &len,
	    &err) == 0)
		abort();		/* a password handed to a transport */
	doc->password = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_person person;
	struct cd_doc doc;
	struct cd_doc_item items[NITEMS];
	char *text = NULL, *v[NPARTS];
	const char *paper;
	unsigned flags;

	if (size < 1 || size > CD_TEMPLATE_MAX + 4096)
		return 0;
	flags = data[0];
	paper = flags & 1 ? "Letter" : "A4";
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	split(text, size - 1, v);
	if (write_template(v[0], strlen(v[0])) != 0)
		goto out;
	fill(&person, &doc, items, v, flags);
	transport(v[0], &doc, paper, v[9], flags);
	doc.password = v[9];
	render(CD_DOC_PIN_MAILER, &doc, paper);
out:
	free(text);
	return 0;
}
