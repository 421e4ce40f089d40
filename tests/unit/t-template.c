/* SPDX-License-Identifier: ISC */
/*
 * t-template.c - templates and the PostScript writer: merge-field checks
 * with line numbers, the password kept out of transport documents,
 * escaping, Latin-1 conversion, word wrap, page breaks and the DSC
 * header; the print backends' table and the file backend.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "print.h"
#include "ps.h"
#include "fixture.h"
#include "template.h"
#include "util.h"

static struct fx fx;
static const char *dir = fx.dir;
static struct cd_person person;
static struct cd_doc_item items[2];

/* Write a template file and return its path (static buffer). */
static const char *
tmpl(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return path;
	fputs(text, f);
	fclose(f);
	return path;
}

static void
init_doc(struct cd_doc *doc)
{
	memset(&person, 0, sizeof(person));
	cd_strlcpy(person.logon, "susan.smith", sizeof(person.logon));
	cd_strlcpy(person.full_name, "Susan Smith", sizeof(person.full_name));
	cd_strlcpy(person.email, "s@example.com", sizeof(person.email));
	cd_strlcpy(person.employee_id, "E1", sizeof(person.employee_id));
	cd_strlcpy(person.group_name, "Finance", sizeof(person.group_name));
	memset(items, 0, sizeof(items));
	cd_strlcpy(items[0].policy, "Signing", sizeof(items[0].policy));
	cd_strlcpy(items[0].file, "s Signing.pfx", sizeof(items[0].file));
	cd_strlcpy(items[0].location, "/media/usb0", sizeof(items[0].location));
	cd_strlcpy(items[0].serial, "0af3", sizeof(items[0].serial));
	cd_strlcpy(items[1].policy, "Signing", sizeof(items[1].policy));
	cd_strlcpy(items[1].file, "s Signing (2).pfx", sizeof(items[1].file));
	cd_strlcpy(items[1].location, "/media/usb1", sizeof(items[1].location));
	cd_strlcpy(items[1].serial, "1b2c", sizeof(items[1].serial));
	memset(doc, 0, sizeof(*doc));
	doc->person = &person;
	doc->request_id = 42;
	doc->profile_name = "Soft";
	doc->operator_ = "alice";
	doc->organisation = "Example Ltd";
	doc->date = 1795000000;
	doc->nitems = 2;
	doc->items = items;
}

/* Render text as kind; the PS (NUL-terminated copy) or NULL. */
static char *
render(const char *text, enum cd_doc_kind kind, const struct cd_doc *doc,
    const char *paper, struct cd_err *err)
{
	char *ps = NULL, *copy;
	size_t len = 0;

	if (cd_doc_render(tmpl("r.txt", text), kind, doc, paper, &ps, &len,
	    err) != 0)
		return NULL;
	if ((copy = malloc(len + 1)) != NULL) {
		memcpy(copy, ps, len);
		copy[len] = '\0';
	}
	cd_doc_free(ps, len);
	return copy;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* The widest "(text) x y T" line of plain ASCII body text, in points. */
static double
widest(const char *ps)
{
	const char *p = ps, *open, *close;
	double w, most = 0;

	while ((open = strstr(p, "\n(")) != NULL &&
	    (close = strstr(open, ") 64.00 ")) != NULL) {
		w = cd_ps_text_width(CD_PS_REGULAR, open + 2,
		    (size_t)(close - open - 2), 11);
		if (w > most)
			most = w;
		p = close;
	}
	return most;
}

static void
test_check(void)
{
	struct cd_err err;
	int r;

	r = cd_template_check(tmpl("a.txt", "# Hi [[People.FullName]]\n"
	    "[[people.logonname]] [[RequestId]] [[Files]]\n"), CD_DOC_TRANSPORT,
	    &err);
	is_int(r, 0, "a template with known fields (any case) passes");
	r = cd_template_check(tmpl("b.txt", "line one\n\nthree "
	    "[[People.Foo]]\n"), CD_DOC_TRANSPORT, &err);
	is_int(r, CD_E_CONFIG, "unknown field refused");
	like(err.msg, "b.txt:3: unknown merge field [[People.Foo]]",
	    "with file, line and field");
	r = cd_template_check(tmpl("c.txt", "a\nb [[Date\n"),
	    CD_DOC_TRANSPORT, &err);
	is_int(r, CD_E_CONFIG, "unterminated field refused");
	like(err.msg, "c.txt:2: unterminated", "with its line");
	r = cd_template_check(tmpl("d.txt", "x\r\ny\r\n| pw | [[Password]]\n"),
	    CD_DOC_TRANSPORT, &err);
	is_int(r, CD_E_CONFIG, "password in a transport template refused");
	like(err.msg, "d.txt:3: a transport document must not contain the "
	    "password", "with its line");
	r = cd_template_check(tmpl("d.txt", "x\ny\n| pw | [[Password]]\n"),
	    CD_DOC_PIN_MAILER, &err);
	is_int(r, 0, "the same template is a good PIN mailer");
	r = cd_template_check(tmpl("e.txt", "no password here\n"),
	    CD_DOC_PIN_MAILER, &err);
	is_int(r, CD_E_CONFIG, "a PIN mailer without [[Password]] refused");
	r = cd_template_check(tmpl("nope/none.txt", ""), CD_DOC_TRANSPORT,
	    &err);
	is_int(r, CD_E_IO, "a missing template is a file error");
}

static void
test_password(void)
{
	const char *pw = "Qz7-Secret-Kp4";
	struct cd_doc doc;
	struct cd_err err;
	char *ps = NULL, *s;
	size_t len = 0;
	int r;

	init_doc(&doc);
	r = cd_doc_render(tmpl("t.txt", "Dear [[People.FullName]]\n"
	    "[[Password]]\n"), CD_DOC_TRANSPORT, &doc, "A4", &ps, &len, &err);
	is_int(r, CD_E_CONFIG, "render refuses a transport template with "
	    "the password");
	ok(ps == NULL && len == 0, "and returns no document");
	doc.password = pw;
	r = cd_doc_render(tmpl("t.txt", "Dear [[People.FullName]]\n"),
	    CD_DOC_TRANSPORT, &doc, "A4", &ps, &len, &err);
	is_int(r, CD_E_INVAL, "a transport document given a password is "
	    "refused");
	doc.password = NULL;
	r = cd_doc_render(tmpl("p.txt", "| Password | [[Password]]\n"),
	    CD_DOC_PIN_MAILER, &doc, "A4", &ps, &len, &err);
	is_int(r, CD_E_INVAL, "a PIN mailer without a password is refused");
	like(err.msg, "needs a password", "saying why");

	doc.password = pw;
	s = render("# Letter\n\n| Password | [[Password]]\n\nDestroy it.\n",
	    CD_DOC_PIN_MAILER, &doc, "A4", &err);
	ok(s != NULL, "PIN mailer rendered");
	like(s, "(Qz7-Secret-Kp4)", "its PostScript holds the password");
	like(s, "%%Title: certdesk letter\n", "under a neutral title");
	is_int(count(s ? s : "", pw), 1, "the password appears once");
	ok(s && strstr(strstr(s, "%%EndComments"), pw) != NULL &&
	    strstr(s, pw) > strstr(s, "%%EndComments"),
	    "and not in the DSC comments");
	free(s);

	doc.password = NULL;
	s = render("# Package\n\n[[Files]]\nPolicies: [[Policies]]. "
	    "Files: [[Files]].\n", CD_DOC_TRANSPORT, &doc, "A4", &err);
	ok(s != NULL, "transport document rendered");
	ok(s && strstr(s, pw) == NULL, "it does not contain the password");
	like(s, "(Serial number)", "the files table has a header");
	like(s, "(s Signing \\(2\\).pfx)", "and the file names, escaped");
	like(s, "(Policies: Signing. Files: s Signing.pfx, s Signing \\(2\\)"
	    ".pfx.)", "inline lists: distinct policies, all files");
	free(s);
}

static void
test_escaping(void)
{
	struct cd_doc doc;
	struct cd_err err;
	char *s, out[64];

	init_doc(&doc);
	cd_strlcpy(person.full_name, "A (B) \\C\\ M\xc3\xbcller \xe2\x82\xac"
	    " \xe6\x97\xa5 \xe2\x80\x9cq\xe2\x80\x9d",
	    sizeof(person.full_name));
	s = render("Name: [[People.FullName]]\n", CD_DOC_TRANSPORT, &doc,
	    "A4", &err);
	like(s, "(Name: A \\(B\\) \\\\C\\\\ M\\374ller \\200 [?] \"q\")",
	    "( ) \\ escaped, Latin-1 and the euro as octal, others '[?]'");
	free(s);

	cd_strlcpy(person.full_name, "# Not a heading | not a cell",
	    sizeof(person.full_name));
	s = render("| Name | [[People.FullName]] |\n", CD_DOC_TRANSPORT, &doc,
	    "A4", &err);
	like(s, "(# Not a heading | not a cell)", "values are never markup");
	free(s);

	cd_ps_latin1("a\xff\xc3(b\tc", out, sizeof(out));
	is_str(out, "a?" "?(b c", "invalid UTF-8 becomes '?', tab a space");
	cd_ps_latin1("\xce\xa9mega \xd0\xae\xd1\x80\xd0\xb8\xd0\xb9 "
	    "\xce\x86\xce\xb8\xce\xae\xce\xbd\xce\xb1", out, sizeof(out));
	is_str(out, "[O]mega [Yurij] [Athina]", "Greek and Cyrillic "
	    "transliterated between brackets");
	cd_ps_latin1("\xd0\xa9", out, 6);
	is_str(out, "", "a transliteration that does not fit is left out");
	cd_ps_latin1("\xc3\xa9t\xc3\xa9", out, 3);
	is_str(out, "\xe9t", "conversion stops at the buffer's end");
	ok(cd_ps_text_width(CD_PS_REGULAR, "W", 1, 10) == 9.44,
	    "Helvetica W is 944 units");
	ok(cd_ps_text_width(CD_PS_BOLD, "i", 1, 1000) == 278,
	    "Helvetica-Bold i is 278 units");
	ok(cd_ps_text_width(CD_PS_MONO, "iW", 2, 10) == 12,
	    "Courier is 600 units a glyph");
}

static void
test_layout(void)
{
	struct cd_psbuf text = { 0 };
	struct cd_doc doc;
	struct cd_err err;
	char *s;
	int i, lines;

	init_doc(&doc);
	for (i = 0; i < 40; i++)
		cd_psbuf_adds(&text, "The quick brown fox jumps over the "
		    "lazy dog. ");
	cd_psbuf_adds(&text, "\n");
	s = render(text.p, CD_DOC_TRANSPORT, &doc, "A4", &err);
	lines = count(s ? s : "", " T\n");
	ok(lines >= 18, "a long paragraph wraps to many lines (%d)", lines);
	like(s, "%%Pages: 1", "and fits on one page");
	ok(s && widest(s) <= 595 - 2 * 64 && widest(s) > 400,
	    "lines fill the width of the page and no more (%.1f pt)",
	    s ? widest(s) : 0.0);
	free(s);

	cd_psbuf_wipe(&text);
	for (i = 0; i < 40; i++)
		cd_psbuf_addf(&text, "Paragraph %d of a long letter.\n\n", i);
	s = render(text.p, CD_DOC_TRANSPORT, &doc, "Letter", &err);
	like(s, "%%Pages: 2", "a long document breaks into two pages");
	like(s, "%%Page: 2 2", "with a second page");
	like(s, "%%DocumentMedia: Letter 612 792 0 () ()", "on Letter");
	like(s, "/PageSize [612 792]", "with the page size set");
	like(s, "/cdPages 2 def", "and page numbers known");
	free(s);
	cd_psbuf_wipe(&text);

	s = render("Page one\n---\nPage two\n---\n---\n", CD_DOC_TRANSPORT,
	    &doc, NULL, &err);
	like(s, "%%Pages: 2", "--- breaks the page, never to an empty one");
	like(s, "%%BoundingBox: 0 0 595 842", "A4 by default");
	free(s);

	cd_strlcpy(person.full_name, "Maximiliane-Alexandrina-Konstantina-"
	    "Wilhelmina-Friederike-Auguste-Charlotte-Henriette von Hohenzollern",
	    sizeof(person.full_name));
	s = render("[[People.FullName]]\n", CD_DOC_TRANSPORT, &doc, "A4", &err);
	is_int(count(s ? s : "", " T\n"), 2, "a word wider than the line is "
	    "broken");
	free(s);

	s = render("x\n", CD_DOC_TRANSPORT, &doc, "A5", &err);
	ok(s == NULL && err.code == CD_E_CONFIG, "unknown paper refused");
	s = render("", CD_DOC_TRANSPORT, &doc, "A4", &err);
	like(s, "%%Pages: 1", "an empty template is one blank page");
	like(s, "%%Trailer\n%%EOF\n", "ending with the trailer");
	like(s, "%!PS-Adobe-3.0\n%%Title: certdesk transport document\n"
	    "%%Creator: certdesk\n", "DSC header");
	free(s);
}

static void
test_print_file(void)
{
	const struct cd_print_ops *ops = cd_print_find("file");
	char path[512], job[512];
	unsigned char *data = NULL;
	struct cd_err err;
	struct stat st;
	size_t len = 0;
	int r;

	ok(cd_print_find("cups") != NULL && ops != NULL &&
	    cd_print_find("lpr") == NULL, "backends found by name");
	snprintf(path, sizeof(path), "%s/out.ps", dir);
	r = ops->submit(NULL, CD_PRINT_TRANSPORT, path, "t", "%!PS\n", 5, job,
	    sizeof(job), NULL, &err);
	is_int(r, 0, "file backend writes");
	is_str(job, path, "and names the path");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	ok(cd_read_file(path, 100, &data, &len, &err) == 0 && len == 5 &&
	    memcmp(data, "%!PS\n", 5) == 0, "with the data");
	free(data);
	snprintf(path, sizeof(path), "%s/no/such/out.ps", dir);
	r = ops->submit(NULL, CD_PRINT_TRANSPORT, path, "t", "x", 1, job,
	    sizeof(job), NULL, &err);
	is_int(r, CD_E_IO, "a missing directory is a file error");
}

int
main(void)
{
	fx_init(&fx, "t-template");
	test_check();
	test_password();
	test_escaping();
	test_layout();
	test_print_file();
	fx_cleanup(&fx);
	return done_testing();
}
