/* SPDX-License-Identifier: ISC */
/*
 * template.c - transport documents and PIN mailers: plain text templates
 * with [[...]] merge fields and a little line markup (headings, tables,
 * page breaks, paragraphs), checked and rendered to PostScript by ps.c.
 *
 * Markup is recognised on the template's own lines before any field is
 * expanded, so a value (a name with a '|' or starting with "# ") is
 * always just text.  The password of a PIN mailer passes through the
 * expansion buffers, which are wiped; a transport document can never
 * contain it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>

#include "ps.h"
#include "template.h"
#include "util.h"

enum field {
	F_FULLNAME, F_LOGON, F_EMAIL, F_GROUP, F_EMPID, F_REQID, F_PROFILE,
	F_POLICIES, F_DATE, F_OPERATOR, F_ORG, F_FILES, F_PASSWORD
};

static const struct {
	const char *name;
	enum field id;
} fields[] = {
	{ "People.FullName", F_FULLNAME },
	{ "People.LogonName", F_LOGON },
	{ "People.Email", F_EMAIL },
	{ "People.GroupName", F_GROUP },
	{ "People.EmployeeId", F_EMPID },
	{ "RequestId", F_REQID },
	{ "Profile", F_PROFILE },
	{ "Policies", F_POLICIES },
	{ "Date", F_DATE },
	{ "Operator", F_OPERATOR },
	{ "Organisation", F_ORG },
	{ "Files", F_FILES },
	{ "Password", F_PASSWORD },
};

/* Most cells in a template table row. */
#define MAX_CELLS CD_PS_MAXCOLS
/* Point size of a password alone in a table cell. */
#define PASSWORD_SIZE 14

/* ---- parsing ------------------------------------------------------------ */

static int
field_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < CD_NELEM(fields); i++)
		if (strlen(fields[i].name) == len &&
		    strncasecmp(fields[i].name, name, len) == 0)
			return (int)fields[i].id;
	return -1;
}

/* One line of a template: start and length, without the newline. */
struct line {
	const char *s;
	size_t len;
	int no;
};

/* Split the next line off *p (end at e); 0 at the end of the text. */
static int
next_line(const char **p, const char *e, struct line *l)
{
	const char *nl;

	if (*p >= e)
		return 0;
	l->s = *p;
	nl = memchr(*p, '\n', (size_t)(e - *p));
	l->len = nl ? (size_t)(nl - *p) : (size_t)(e - *p);
	*p = nl ? nl + 1 : e;
	while (l->len > 0 && (l->s[l->len - 1] == '\r' ||
	    l->s[l->len - 1] == ' ' || l->s[l->len - 1] == '\t'))
		l->len--;
	l->no++;
	return 1;
}

/*
 * Check the fields of one line.  *password is set when the line uses
 * [[Password]].
 */
static int
check_line(const char *path, const struct line *l, enum cd_doc_kind kind,
    int *password, struct cd_err *err)
{
	const char *p = l->s, *e = l->s + l->len, *open, *close;
	int f;

	while ((open = memmem(p, (size_t)(e - p), "[[", 2)) != NULL) {
		close = memmem(open + 2, (size_t)(e - open - 2), "]]", 2);
		if (close == NULL)
			return cd_err_set(err, CD_E_CONFIG, "%s:%d: unterminated "
			    "merge field \"%.40s\"", path, l->no, open);
		f = field_lookup(open + 2, (size_t)(close - open - 2));
		if (f < 0)
			return cd_err_set(err, CD_E_CONFIG, "%s:%d: unknown "
			    "merge field [[%.*s]]", path, l->no,
			    (int)(close - open - 2 > 60 ? 60 :
			    close - open - 2), open + 2);
		if (f == F_PASSWORD) {
			if (kind == CD_DOC_TRANSPORT)
				return cd_err_set(err, CD_E_CONFIG, "%s:%d: a "
				    "transport document must not contain the "
				    "password", path, l->no);
			*password = 1;
		}
		p = close + 2;
	}
	return 0;
}

static int
check_text(const char *path, const char *text, size_t len,
    enum cd_doc_kind kind, struct cd_err *err)
{
	const char *p = text, *e = text + len;
	struct line l = { NULL, 0, 0 };
	int r, password = 0;

	if (memchr(text, '\0', len) != NULL)
		return cd_err_set(err, CD_E_CONFIG, "%s: not a text file "
		    "(it contains NUL bytes)", path);
	while (next_line(&p, e, &l))
		if ((r = check_line(path, &l, kind, &password, err)) != 0)
			return r;
	if (kind == CD_DOC_PIN_MAILER && !password)
		return cd_err_set(err, CD_E_CONFIG, "%s: a PIN mailer must "
		    "contain [[Password]]", path);
	return 0;
}

static int
load(const char *path, char **text, size_t *len, struct cd_err *err)
{
	unsigned char *data;
	int r;

	if ((r = cd_read_file(path, CD_TEMPLATE_MAX, &data, len, err)) != 0)
		return cd_err_context(err, r, "template");
	*text = (char *)data;
	return 0;
}

int
cd_template_check(const char *path, enum cd_doc_kind kind,
    struct cd_err *err)
{
	char *text = NULL;
	size_t len;
	int r;

	if ((r = load(path, &text, &len, err)) != 0)
		return r;
	r = check_text(path, text, len, kind, err);
	free(text);
	return r;
}

/* ---- expansion ---------------------------------------------------------- */

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* The distinct policy names, or the file names, separated by ", ". */
static void
add_list(struct cd_psbuf *b, const struct cd_doc *doc, int files)
{
	const char *v;
	int i, j, dup;

	for (i = 0; i < doc->nitems; i++) {
		v = files ? doc->items[i].file : doc->items[i].policy;
		for (dup = 0, j = 0; !files && j < i; j++)
			if (strcmp(doc->items[j].policy, v) == 0)
				dup = 1;
		if (dup || v[0] == '\0')
			continue;
		if (b->len > 0)
			cd_psbuf_adds(b, ", ");
		cd_psbuf_adds(b, v);
	}
}

/* The document date as "24 November 2026" (local time). */
static void
add_date(struct cd_psbuf *b, int64_t when)
{
	time_t t = when ? (time_t)when : time(NULL);
	char buf[64];
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%e %B %Y", &tm) == 0)
		return;
	cd_psbuf_adds(b, buf[0] == ' ' ? buf + 1 : buf);
}

static void
add_field(struct cd_psbuf *b, int f, const struct cd_doc *doc)
{
	const struct cd_person *p = doc->person;

	switch (f) {
	case F_FULLNAME: cd_psbuf_adds(b, p->full_name); break;
	case F_LOGON: cd_psbuf_adds(b, p->logon); break;
	case F_EMAIL: cd_psbuf_adds(b, p->email); break;
	case F_GROUP: cd_psbuf_adds(b, p->group_name); break;
	case F_EMPID: cd_psbuf_adds(b, p->employee_id); break;
	case F_REQID:
		cd_psbuf_addf(b, "%lld", (long long)doc->request_id);
		break;
	case F_PROFILE: cd_psbuf_adds(b, nz(doc->profile_name)); break;
	case F_POLICIES: add_list(b, doc, 0); break;
	case F_DATE: add_date(b, doc->date); break;
	case F_OPERATOR: cd_psbuf_adds(b, nz(doc->operator_)); break;
	case F_ORG: cd_psbuf_adds(b, nz(doc->organisation)); break;
	case F_FILES: add_list(b, doc, 1); break;
	case F_PASSWORD: cd_psbuf_adds(b, nz(doc->password)); break;
	}
}

/* Expand the fields of s (checked already) onto b. */
static void
expand(struct cd_psbuf *b, const char *s, size_t len,
    const struct cd_doc *doc)
{
	const char *e = s + len, *open, *close;
	struct cd_psbuf item = { 0 };

	while ((open = memmem(s, (size_t)(e - s), "[[", 2)) != NULL &&
	    (close = memmem(open + 2, (size_t)(e - open - 2), "]]", 2))) {
		cd_psbuf_add(b, s, (size_t)(open - s));
		/* A value of its own: lists separate their items only. */
		add_field(&item, field_lookup(open + 2,
		    (size_t)(close - open - 2)), doc);
		if (item.failed)
			b->failed = 1;
		else if (item.len > 0)
			cd_psbuf_add(b, item.p, item.len);
		cd_psbuf_wipe(&item);
		s = close + 2;
	}
	cd_psbuf_add(b, s, (size_t)(e - s));
}

/* ---- rendering ---------------------------------------------------------- */

/* A document being built: the pending paragraph and table rows. */
struct build {
	struct cd_ps *ps;
	const struct cd_doc *doc;
	struct cd_psbuf para;
	struct cd_psbuf *cells;		/* nrows * MAX_CELLS */
	int *fonts;		/* -1: the password, large and fixed-width */
	int ncells[256];
	int nrows, ncols, cap;
	int failed;
};

static void
flush_para(struct build *bd)
{
	if (bd->para.failed)
		bd->failed = 1;
	if (bd->para.len > 0)
		cd_ps_paragraph(bd->ps, bd->para.p);
	cd_psbuf_wipe(&bd->para);
}

/* A cell that is just [[Password]] is set large in a fixed-width font. */
static void
set_font(struct cd_ps_cell *c, int font)
{
	c->font = font < 0 ? CD_PS_MONO_BOLD : font;
	c->size = font < 0 ? PASSWORD_SIZE : 0;
}

static void
flush_table(struct build *bd)
{
	struct cd_ps_cell *c;
	int r, i, n;

	if (bd->nrows == 0)
		return;
	n = bd->nrows * bd->ncols;
	if ((c = calloc((size_t)n, sizeof(*c))) == NULL)
		bd->failed = 1;
	for (r = 0; c != NULL && r < bd->nrows; r++)
		for (i = 0; i < bd->ncols; i++) {
			c[r * bd->ncols + i].text = i < bd->ncells[r] ?
			    nz(bd->cells[r * MAX_CELLS + i].p) : "";
			set_font(&c[r * bd->ncols + i],
			    bd->fonts[r * MAX_CELLS + i]);
		}
	if (c != NULL)
		cd_ps_table(bd->ps, bd->nrows, bd->ncols, c, 0);
	free(c);
	for (i = 0; i < bd->nrows * MAX_CELLS; i++) {
		if (bd->cells[i].failed)
			bd->failed = 1;
		cd_psbuf_wipe(&bd->cells[i]);
		bd->fonts[i] = CD_PS_REGULAR;
	}
	bd->nrows = bd->ncols = 0;
}

static void
flush(struct build *bd)
{
	flush_para(bd);
	flush_table(bd);
}

/* Is s (len bytes) exactly the field f, like "[[Files]]"? */
static int
is_field(const char *s, size_t len, int f)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len > 4 && s[0] == '[' && s[1] == '[' && s[len - 2] == ']' &&
	    s[len - 1] == ']' && memmem(s + 2, len - 4, "]]", 2) == NULL &&
	    field_lookup(s + 2, len - 4) == f;
}

/* One "| a | b |" row: cells split before expansion. */
static void
table_row(struct build *bd, const struct line *l)
{
	const char *p = l->s + 1, *e = l->s + l->len, *bar;
	struct cd_psbuf *cells;
	size_t n;
	int r, nc = 0;

	if (bd->nrows == bd->cap)
		flush_table(bd);	/* a very long table: split it */
	r = bd->nrows;
	cells = &bd->cells[r * MAX_CELLS];
	while (p < e && nc < MAX_CELLS) {
		bar = memchr(p, '|', (size_t)(e - p));
		n = bar ? (size_t)(bar - p) : (size_t)(e - p);
		if (bar == NULL && n == 0)
			break;
		bd->fonts[r * MAX_CELLS + nc] = is_field(p, n, F_PASSWORD) ?
		    -1 : CD_PS_REGULAR;
		expand(&cells[nc], p, n, bd->doc);
		nc++;
		p = bar ? bar + 1 : e;
	}
	bd->ncells[r] = nc;
	if (nc > bd->ncols)
		bd->ncols = nc;
	bd->nrows++;
}

static void
files_table(struct build *bd)
{
	static const char *const head[4] = {
		"Certificate", "File", "Saved to", "Serial number"
	};
	struct cd_ps_cell *c;
	const struct cd_doc_item *it;
	int i, n = bd->doc->nitems;

	if (n == 0) {
		cd_ps_paragraph(bd->ps, "(No certificates.)");
		return;
	}
	if ((c = calloc((size_t)(n + 1) * 4, sizeof(*c))) == NULL) {
		bd->failed = 1;
		return;
	}
	for (i = 0; i < 4; i++) {
		c[i].text = head[i];
		c[i].font = CD_PS_BOLD;
	}
	for (i = 0; i < n; i++) {
		it = &bd->doc->items[i];
		c[4 * (i + 1)].text = it->policy;
		c[4 * (i + 1) + 1].text = it->file;
		c[4 * (i + 1) + 2].text = it->location;
		c[4 * (i + 1) + 3].text = it->serial;
	}
	cd_ps_table(bd->ps, n + 1, 4, c, 1);
	free(c);
}

static void
render_line(struct build *bd, const struct line *l)
{
	struct cd_psbuf h = { 0 };
	const char *s = l->s;
	size_t n = l->len;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0) {
		flush(bd);
	} else if (l->s[0] == '|') {
		flush_para(bd);
		table_row(bd, l);
	} else if (n == 3 && memcmp(s, "---", 3) == 0) {
		flush(bd);
		cd_ps_page_break(bd->ps);
	} else if (l->len >= 2 && l->s[0] == '#' && l->s[1] == ' ') {
		flush(bd);
		expand(&h, l->s + 2, l->len - 2, bd->doc);
		if (h.failed)
			bd->failed = 1;
		else
			cd_ps_heading(bd->ps, h.p);
		cd_psbuf_wipe(&h);
	} else if (is_field(s, n, F_FILES)) {
		flush(bd);
		files_table(bd);
	} else {
		flush_table(bd);
		if (bd->para.len > 0)
			cd_psbuf_add(&bd->para, " ", 1);
		expand(&bd->para, s, n, bd->doc);
	}
}

static int
build_init(struct build *bd, const struct cd_doc *doc)
{
	memset(bd, 0, sizeof(*bd));
	bd->doc = doc;
	bd->cap = (int)CD_NELEM(bd->ncells);
	bd->cells = calloc((size_t)bd->cap * MAX_CELLS, sizeof(*bd->cells));
	bd->fonts = calloc((size_t)bd->cap * MAX_CELLS, sizeof(*bd->fonts));
	return bd->cells && bd->fonts ? 0 : -1;
}

static void
build_free(struct build *bd)
{
	int i;

	cd_psbuf_wipe(&bd->para);
	for (i = 0; bd->cells != NULL && i < bd->cap * MAX_CELLS; i++)
		cd_psbuf_wipe(&bd->cells[i]);
	free(bd->cells);
	free(bd->fonts);
	cd_ps_free(bd->ps);
}

static int
check_doc(enum cd_doc_kind kind, const struct cd_doc *doc,
    struct cd_err *err)
{
	if (doc == NULL || doc->person == NULL)
		return cd_err_set(err, CD_E_INVAL, "a document needs a person");
	if (doc->nitems < 0 || (doc->nitems > 0 && doc->items == NULL))
		return cd_err_set(err, CD_E_INVAL, "bad certificate list for "
		    "a document");
	if (kind == CD_DOC_PIN_MAILER &&
	    (doc->password == NULL || doc->password[0] == '\0'))
		return cd_err_set(err, CD_E_INVAL, "a PIN mailer needs a "
		    "password");
	if (kind == CD_DOC_TRANSPORT && doc->password != NULL)
		return cd_err_set(err, CD_E_INVAL, "a transport document must "
		    "not contain the password");
	return 0;
}

int
cd_doc_render(const char *template_path, enum cd_doc_kind kind,
    const struct cd_doc *doc, const char *paper, char **ps, size_t *pslen,
    struct cd_err *err)
{
	struct build bd;
	struct line l = { NULL, 0, 0 };
	const char *p, *e;
	char *text = NULL;
	size_t len;
	int r;

	*ps = NULL;
	*pslen = 0;
	if ((r = load(template_path, &text, &len, err)) != 0)
		return r;
	if ((r = check_text(template_path, text, len, kind, err)) != 0 ||
	    (r = check_doc(kind, doc, err)) != 0)
		goto out_text;
	if (build_init(&bd, doc) != 0) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	if ((r = cd_ps_new(&bd.ps, paper, kind == CD_DOC_PIN_MAILER ?
	    "certdesk letter" : "certdesk transport document", doc->date,
	    err)) != 0)
		goto out;
	p = text;
	e = text + len;
	while (next_line(&p, e, &l))
		render_line(&bd, &l);
	flush(&bd);
	if (bd.failed) {
		r = cd_err_set(err, CD_E_NOMEM, "out of memory while "
		    "rendering %s", template_path);
		goto out;
	}
	r = cd_ps_finish(bd.ps, ps, pslen, err);
	bd.ps = NULL;
out:
	build_free(&bd);
out_text:
	free(text);
	return r;
}

void
cd_doc_free(char *ps, size_t len)
{
	cd_wipe_free(ps, len);
}
