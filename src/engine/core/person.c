/* SPDX-License-Identifier: ISC */
/*
 * person.c - people: adding, editing, viewing and importing them from CSV.
 * Only administrators change people; any viewer may look them up.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-int.h"
#include "fname.h"
#include "util.h"

/*
 * 1 if s is valid UTF-8 (no overlong forms, no surrogates) without
 * control characters (C0, DEL, C1) or bidirectional controls
 * (U+202A-U+202E, U+2066-U+2069: they could make a name, a file name or a
 * certificate's CN read differently from what it is).
 */
static int
text_ok(const char *s)
{
	size_t n = strlen(s), len;
	uint32_t c;

	for (; n > 0; s += len, n -= len) {
		if ((len = cd_utf8_next(s, n, &c)) == 0)
			return 0;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
			return 0;
	}
	return 1;
}

static int
logon_ok(const char *s)
{
	if (*s == '\0' || *s == '-' || *s == '.')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("._-@$", *s) != NULL))
			return 0;
	return 1;
}

/* Characters (code points) of valid UTF-8 text. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
ascii_only(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* The most a CN-sized field may hold (X.520 ub-common-name). */
#define CN_MAX 64

/*
 * The fields a certificate carries must fit it: CN-sized ones at most
 * 64 characters, an e-mail address (an IA5String rfc822Name) ASCII.
 */
static int
cert_fields_check(const struct cd_person *p, struct cd_err *err)
{
	static const struct { const char *name; size_t off; } cn[] = {
		{ "full name", offsetof(struct cd_person, full_name) },
		{ "employee ID", offsetof(struct cd_person, employee_id) },
		{ "group", offsetof(struct cd_person, group_name) },
	};
	size_t i;

	for (i = 0; i < CD_NELEM(cn); i++)
		if (utf8_chars((const char *)p + cn[i].off) > CN_MAX)
			return cd_err_set(err, CD_E_INVAL, "%s is longer than "
			    "%d characters (%zu): a certificate name field "
			    "holds at most %d", cn[i].name, CN_MAX,
			    utf8_chars((const char *)p + cn[i].off), CN_MAX);
	if (!ascii_only(p->email))
		return cd_err_set(err, CD_E_INVAL, "e-mail address '%s' is not "
		    "ASCII: certificates carry ASCII addresses only "
		    "(internationalised addresses, SmtpUTF8Mailbox, are not "
		    "supported)", p->email);
	if (!ascii_only(p->upn))
		return cd_err_set(err, CD_E_INVAL, "UPN '%s' is not ASCII",
		    p->upn);
	return 0;
}

/* Check a person record; message without a prefix. */
static int
person_check(const struct cd_person *p, struct cd_err *err)
{
	if (strlen(p->logon) >= CD_LOGON_MAX - 1)
		return cd_err_set(err, CD_E_INVAL, "logon name is too long "
		    "(at most %d characters)", CD_LOGON_MAX - 2);
	if (!logon_ok(p->logon))
		return cd_err_set(err, CD_E_INVAL,
		    "logon name '%s' is not valid (letters, digits and . _ - @ $; "
		    "not starting with - or .)", text_ok(p->logon) ?
		    p->logon : "?");
	if (p->full_name[0] == '\0')
		return cd_err_set(err, CD_E_INVAL, "full name is missing");
	if (!text_ok(p->full_name) || !text_ok(p->email) ||
	    !text_ok(p->employee_id) || !text_ok(p->group_name) ||
	    !text_ok(p->upn))
		return cd_err_set(err, CD_E_INVAL,
		    "a field holds control characters, bidirectional text "
		    "controls or is not valid UTF-8");
	if (p->email[0] != '\0' && strchr(p->email, '@') == NULL)
		return cd_err_set(err, CD_E_INVAL,
		    "e-mail address '%s' has no @", p->email);
	if (p->upn[0] != '\0' && strchr(p->upn, '@') == NULL)
		return cd_err_set(err, CD_E_INVAL, "UPN '%s' has no @", p->upn);
	return cert_fields_check(p, err);
}

/* "person LOGON" for the audit trail; "?" for a name it must not show. */
static void
person_obj(char *obj, size_t len, const char *logon)
{
	if (logon[0] == '\0')
		cd_strlcpy(obj, "people", len);
	else
		snprintf(obj, len, "person %s", text_ok(logon) ? logon : "?");
}

int
cd_person_may_change(struct cd_engine *e, const char *action,
    const char *logon, const char *asked, struct cd_err *err)
{
	char obj[160];
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_ADMIN, "changing people",
	    err)) == 0)
		return 0;
	person_obj(obj, sizeof(obj), logon);
	cd_audit(e, action, obj, "refused", "%s%s%s", err ? err->msg :
	    "needs the 'admin' role", asked[0] ? "; asked: " : "", asked);
	return r;
}

/* Audit a change that was not made (the transaction was rolled back). */
static void
audit_failed(struct cd_engine *e, const char *action, const char *logon,
    int r, const struct cd_err *err)
{
	char obj[160];

	person_obj(obj, sizeof(obj), logon);
	cd_audit(e, action, obj, r == CD_E_DENIED ? "refused" : "failed",
	    "%s", err ? err->msg : cd_strerror(r));
}

int
cd_person_add(struct cd_engine *e, struct cd_person *p, struct cd_err *err)
{
	char obj[160], roles[128], detail[CD_DETAIL_MAX];
	int r;

	cd_roles_format(p->roles, roles, sizeof(roles));
	snprintf(detail, sizeof(detail), "roles: %s", roles);
	if ((r = cd_person_may_change(e, "person.add", p->logon, detail, err)))
		return r;
	if ((r = person_check(p, err)) != 0) {
		audit_failed(e, "person.add", p->logon, r, err);
		return r;
	}
	p->created_at = cd_engine_now(e);
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = e->so->person_add(e->st, p, err)) != 0)
		goto fail;
	person_obj(obj, sizeof(obj), p->logon);
	snprintf(detail, sizeof(detail), "%s; roles granted: %s", p->full_name,
	    roles);
	if ((r = cd_eng_audit(e, "person.add", obj, "ok", detail, err)))
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	audit_failed(e, "person.add", p->logon, r, err);
	return r;
}

/* "roles: view -> view,request; status: active -> disabled" */
static void
edit_detail(const struct cd_person *old, const struct cd_person *p,
    char *buf, size_t len)
{
	char before[128], after[128];

	cd_roles_format(old->roles, before, sizeof(before));
	cd_roles_format(p->roles, after, sizeof(after));
	snprintf(buf, len, "roles: %s -> %s%s%s", before, after,
	    old->status != p->status ? "; status: " : "",
	    old->status == p->status ? "" : p->status == CD_PS_ACTIVE ?
	    "disabled -> active" : "active -> disabled");
}

/*
 * Disabling a person with live certificates: refused (CD_E_CONFIRM,
 * audited) unless confirmed or [security] revoke_on_disable; *n gets
 * how many there are.
 */
static int
disable_check(struct cd_engine *e, const struct cd_person *p,
    unsigned flags, int *n, struct cd_err *err)
{
	char obj[160];
	int r;

	if ((r = cd_eng_person_live_certs(e, p->id, n, err)) != 0 || *n == 0 ||
	    (flags & CD_PE_REVOKE) || e->conf->revoke_on_disable)
		return r;
	r = cd_err_set(err, CD_E_CONFIRM, "%s has %d live certificate%s: "
	    "disabling revokes %s (affiliationChanged); confirm the "
	    "revocation", p->logon, *n, *n == 1 ? "" : "s", *n == 1 ? "it" :
	    "them");
	snprintf(obj, sizeof(obj), "person %s", p->logon);
	cd_audit(e, "person.disable", obj, "refused", "%s", err != NULL ?
	    err->msg : "not confirmed");
	return r;
}

int
cd_person_edit_ex(struct cd_engine *e, const struct cd_person *p,
    unsigned flags, int *revoked, struct cd_err *err)
{
	struct cd_person old;
	char obj[160], roles[128], detail[512];
	int disabling = 0, live = 0, r;

	if (revoked != NULL)
		*revoked = 0;
	cd_roles_format(p->roles, roles, sizeof(roles));
	snprintf(detail, sizeof(detail), "roles: %s", roles);
	if ((r = cd_person_may_change(e, "person.edit", p->logon, detail,
	    err)))
		return r;
	if ((r = person_check(p, err)) != 0) {
		audit_failed(e, "person.edit", p->logon, r, err);
		return r;
	}
	if ((r = e->so->person_get(e->st, p->id, NULL, &old, err)) != 0)
		return r;
	disabling = old.status == CD_PS_ACTIVE && p->status == CD_PS_DISABLED;
	if (disabling && (r = disable_check(e, p, flags, &live, err)) != 0)
		return r;
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = e->so->person_get(e->st, p->id, NULL, &old, err)) != 0)
		goto fail;
	if (strcmp(old.logon, p->logon) != 0) {
		r = cd_err_set(err, CD_E_INVAL,
		    "the logon name of a person cannot change");
		goto fail;
	}
	if ((r = e->so->person_update(e->st, p, err)) != 0)
		goto fail;
	person_obj(obj, sizeof(obj), p->logon);
	edit_detail(&old, p, detail, sizeof(detail));
	if ((r = cd_eng_audit(e, "person.edit", obj, "ok", detail, err)))
		goto fail;
	if ((r = e->so->commit(e->st, err)) != 0 || !disabling || live == 0)
		return r;
	/* disabled first: nothing new is collected while these go */
	return cd_eng_revoke_person(e, p->id, p->logon, revoked != NULL ?
	    revoked : &live, err);
fail:
	e->so->rollback(e->st);
	audit_failed(e, "person.edit", p->logon, r, err);
	return r;
}

int
cd_person_edit(struct cd_engine *e, const struct cd_person *p,
    struct cd_err *err)
{
	return cd_person_edit_ex(e, p, 0, NULL, err);
}

int
cd_person_get(struct cd_engine *e, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_VIEW, "viewing people", err)))
		return r;
	r = e->so->person_get(e->st, id, logon, out, err);
	if (r == CD_E_NOTFOUND) {
		if (logon != NULL && id == 0)
			return cd_err_set(err, r, "no person with logon name "
			    "'%s'", logon);
		return cd_err_set(err, r, "no person %lld", (long long)id);
	}
	return r;
}

int
cd_person_list(struct cd_engine *e, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_VIEW, "viewing people", err)))
		return r;
	return e->so->person_list(e->st, f, cb, arg, err);
}

/* ---- CSV import ---------------------------------------------------------- */

#define CSV_MAXCOLS 16

enum col { COL_LOGON, COL_NAME, COL_EMAIL, COL_EMPID, COL_GROUP, COL_UPN,
    COL_ROLES, COL_STATUS, COL__N };
static const char *const col_names[COL__N] = {
	"logon", "full_name", "email", "employee_id", "group", "upn", "roles",
	"status"
};

/*
 * Split one CSV record starting at *pp (RFC 4180: quotes, doubled quotes,
 * newlines inside quotes).  Fields point into a scratch copy.  Returns the
 * number of fields, or -1 on a malformed record; *lines counts newlines.
 */
static int
csv_record(char **pp, char *fields[], int max, int *lines)
{
	char *p = *pp, *w = p;
	int n = 0, quoted;

	if (*p == '\0')
		return 0;
	fields[n++] = w;
	for (;;) {
		quoted = 0;
		if (*p == '"') {
			quoted = 1;
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					if (*p == '\n')
						(*lines)++;
					*w++ = *p++;
				}
			}
		}
		while (*p != '\0' && *p != ',' && *p != '\n' && *p != '\r') {
			if (quoted || *p == '"')
				return -1;
			*w++ = *p++;
		}
		if (*p == ',') {
			*w++ = '\0';
			p++;
			if (n == max)
				return -1;
			fields[n++] = w;
			continue;
		}
		if (*p == '\r')
			p++;
		if (*p == '\n') {
			p++;
			(*lines)++;
		}
		*w = '\0';
		break;
	}
	*pp = p;
	return n;
}

static void
report(struct cd_import_result *res, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(struct cd_import_result *res, int line, const char *fmt, ...)
{
	size_t used = strlen(res->report);
	va_list ap;

	res->bad_rows++;
	if (used + 2 >= sizeof(res->report))
		return;
	used += (size_t)snprintf(res->report + used,
	    sizeof(res->report) - used, "line %d: ", line);
	if (used >= sizeof(res->report))
		return;
	va_start(ap, fmt);
	used += (size_t)vsnprintf(res->report + used,
	    sizeof(res->report) - used, fmt, ap);
	va_end(ap);
	if (used + 1 < sizeof(res->report))
		strcat(res->report, "\n");
}

static int
csv_header(char *fields[], int n, int map[COL__N], struct cd_err *err)
{
	int i, c;

	for (c = 0; c < COL__N; c++)
		map[c] = -1;
	for (i = 0; i < n; i++) {
		cd_trim(fields[i]);
		for (c = 0; c < COL__N; c++)
			if (cd_strieq(fields[i], col_names[c]))
				break;
		if (c == COL__N)
			return cd_err_set(err, CD_E_INVAL,
			    "line 1: unknown column '%s' (known: logon, "
			    "full_name, email, employee_id, group, upn, roles, "
			    "status)", text_ok(fields[i]) ? fields[i] : "?");
		if (map[c] != -1)
			return cd_err_set(err, CD_E_INVAL,
			    "line 1: column '%s' appears twice", col_names[c]);
		map[c] = i;
	}
	if (map[COL_LOGON] == -1 || map[COL_NAME] == -1)
		return cd_err_set(err, CD_E_INVAL,
		    "line 1: the header must name the columns logon and "
		    "full_name");
	return 0;
}

static const char *
field(char *fields[], int n, const int map[COL__N], enum col c)
{
	if (map[c] < 0 || map[c] >= n)
		return "";
	return cd_trim(fields[map[c]]);
}

/* Fill p from a row; 0 or a reason in err. */
static int
csv_person(char *fields[], int n, const int map[COL__N],
    struct cd_person *p, struct cd_err *err)
{
	const char *v;

	memset(p, 0, sizeof(*p));
	cd_strlcpy(p->logon, field(fields, n, map, COL_LOGON),
	    sizeof(p->logon));
	cd_strlcpy(p->full_name, field(fields, n, map, COL_NAME),
	    sizeof(p->full_name));
	cd_strlcpy(p->email, field(fields, n, map, COL_EMAIL),
	    sizeof(p->email));
	cd_strlcpy(p->employee_id, field(fields, n, map, COL_EMPID),
	    sizeof(p->employee_id));
	cd_strlcpy(p->group_name, field(fields, n, map, COL_GROUP),
	    sizeof(p->group_name));
	cd_strlcpy(p->upn, field(fields, n, map, COL_UPN), sizeof(p->upn));
	v = field(fields, n, map, COL_ROLES);
	if (*v == '\0')
		p->roles = CD_ROLES_DEFAULT;	/* as person add */
	else if (cd_strieq(v, "none"))
		p->roles = 0;
	else if (cd_role_parse(v, &p->roles) != 0)
		return cd_err_set(err, CD_E_INVAL, "unknown role in '%s' "
		    "(known: view, request, approve, validate, collect, admin, "
		    "revoke)",
		    text_ok(v) ? v : "?");
	v = field(fields, n, map, COL_STATUS);
	if (*v == '\0' || cd_strieq(v, "active"))
		p->status = CD_PS_ACTIVE;
	else if (cd_strieq(v, "disabled"))
		p->status = CD_PS_DISABLED;
	else
		return cd_err_set(err, CD_E_INVAL, "status must be active or "
		    "disabled");
	if (strlen(field(fields, n, map, COL_NAME)) >= sizeof(p->full_name))
		return cd_err_set(err, CD_E_INVAL, "full name is too long");
	if (strlen(field(fields, n, map, COL_LOGON)) >= sizeof(p->logon) - 1)
		return cd_err_set(err, CD_E_INVAL, "logon name is too long "
		    "(at most %d characters)", CD_LOGON_MAX - 2);
	if (strlen(field(fields, n, map, COL_EMAIL)) >= sizeof(p->email) ||
	    strlen(field(fields, n, map, COL_EMPID)) >=
	    sizeof(p->employee_id) ||
	    strlen(field(fields, n, map, COL_GROUP)) >=
	    sizeof(p->group_name) ||
	    strlen(field(fields, n, map, COL_UPN)) >= sizeof(p->upn))
		return cd_err_set(err, CD_E_INVAL, "a field is too long");
	return person_check(p, err);
}

/* One record per person imported, with the roles granted. */
static int
audit_imported(struct cd_engine *e, const struct cd_person *p,
    struct cd_err *err)
{
	char obj[160], roles[128], detail[CD_DETAIL_MAX];

	person_obj(obj, sizeof(obj), p->logon);
	cd_roles_format(p->roles, roles, sizeof(roles));
	snprintf(detail, sizeof(detail), "%s; roles granted: %s; %s",
	    p->full_name, roles, p->status == CD_PS_ACTIVE ? "active" :
	    "disabled");
	return cd_eng_audit(e, "person.import", obj, "ok", detail, err);
}

static int
import_rows(struct cd_engine *e, char *text, struct cd_import_result *res,
    struct cd_err *err)
{
	char *fields[CSV_MAXCOLS], *p = text;
	struct cd_person person;
	struct cd_err rowerr;
	int map[COL__N], n, line = 1, next = 1, r;

	n = csv_record(&p, fields, CSV_MAXCOLS, &next);
	if (n <= 0)
		return cd_err_set(err, CD_E_INVAL, "line 1: %s", n == 0 ?
		    "the file is empty" : "malformed header row");
	if ((r = csv_header(fields, n, map, err)) != 0)
		return r;
	for (;;) {
		line = next;
		if (*p == '\0')
			break;
		n = csv_record(&p, fields, CSV_MAXCOLS, &next);
		if (n < 0) {
			report(res, line, "malformed CSV (unbalanced quotes "
			    "or too many columns)");
			break;
		}
		if (n == 1 && *cd_trim(fields[0]) == '\0')
			continue;
		if (csv_person(fields, n, map, &person, &rowerr) != 0) {
			report(res, line, "%s", rowerr.msg);
			continue;
		}
		person.created_at = cd_engine_now(e);
		r = e->so->person_add(e->st, &person, &rowerr);
		if (r == CD_E_EXISTS) {
			report(res, line, "logon name '%s' already exists",
			    person.logon);
			continue;
		}
		if (r != 0 || (r = audit_imported(e, &person, &rowerr)) != 0)
			return cd_err_set(err, r, "%s", rowerr.msg);
		res->added++;
	}
	return 0;
}

int
cd_person_import_csv(struct cd_engine *e, const char *path,
    struct cd_import_result *res, struct cd_err *err)
{
	unsigned char *data = NULL;
	size_t len, bom;
	char detail[64];
	int r;

	memset(res, 0, sizeof(*res));
	if ((r = cd_person_may_change(e, "person.import", "", text_ok(path) ?
	    path : "?", err)) != 0)
		return r;
	if ((r = cd_read_file(path, 64 << 20, &data, &len, err)) != 0)
		return r;
	if (memchr(data, '\0', len) != NULL) {
		r = cd_err_set(err, CD_E_INVAL, "%s is not a text file", path);
		goto out;
	}
	if ((r = e->so->begin(e->st, err)) != 0)
		goto out;
	/* Excel and others start UTF-8 CSV with a byte order mark. */
	bom = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	r = import_rows(e, (char *)data + bom, res, err);
	if (r == 0 && res->bad_rows > 0) {
		res->added = 0;
		r = cd_err_set(err, CD_E_INVAL, "%s: %d bad row%s, nothing "
		    "imported", path, res->bad_rows, res->bad_rows == 1 ? "" :
		    "s");
	} else if (r != 0)
		cd_err_prefix(err, "%s", path);
	if (r != 0) {
		e->so->rollback(e->st);
		cd_audit(e, "person.import", text_ok(path) ? path : "?",
		    "failed", "%s", err ? err->msg : cd_strerror(r));
		goto out;
	}
	snprintf(detail, sizeof(detail), "%d people", res->added);
	if ((r = cd_eng_audit(e, "person.import", path, "ok", detail, err))) {
		e->so->rollback(e->st);
		goto out;
	}
	r = e->so->commit(e->st, err);
out:
	free(data);
	return r;
}
