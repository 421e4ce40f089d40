/* SPDX-License-Identifier: ISC */
/*
 * subst.c - [[...]] substitutions: checking a format against the kinds a
 * setting allows, and expanding it for a person, policy, request and time.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "subst.h"
#include "util.h"

/* Longest token text quoted back in a message. */
#define TOKEN_QUOTE 60

struct tok {
	unsigned kind;		/* CD_SUBST_* */
	size_t field;		/* person: offset in struct cd_person */
	const char *text;	/* the whole token, for messages */
	size_t len;
	const char *fmt;	/* DateTime: the FORMAT */
	size_t fmtlen;
};

static const struct {
	const char *name;
	size_t off;
} person_fields[] = {
	{ "LogonName", offsetof(struct cd_person, logon) },
	{ "FullName", offsetof(struct cd_person, full_name) },
	{ "Email", offsetof(struct cd_person, email) },
	{ "EmployeeId", offsetof(struct cd_person, employee_id) },
	{ "GroupName", offsetof(struct cd_person, group_name) },
	{ "Upn", offsetof(struct cd_person, upn) },
};

static const char *const months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };
static const char *const days[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };

/* Case-insensitive: does s[0..len) equal word? */
static int
eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* Does s[0..len) start with prefix (case-insensitive)? */
static int
prefixed(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

/* Recognise the text between [[ and ]].  0, or -1 if unknown. */
static int
parse_token(const char *s, size_t len, struct tok *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->text = s;
	t->len = len;
	if (prefixed(s, len, "People.")) {
		for (i = 0; i < CD_NELEM(person_fields); i++)
			if (eq(s + 7, len - 7, person_fields[i].name)) {
				t->kind = CD_SUBST_PERSON;
				t->field = person_fields[i].off;
				return 0;
			}
		return -1;
	}
	if (prefixed(s, len, "DateTime.") && len > 9) {
		t->kind = CD_SUBST_DATETIME;
		t->fmt = s + 9;
		t->fmtlen = len - 9;
		return 0;
	}
	if (eq(s, len, "PolicyName"))
		t->kind = CD_SUBST_POLICY;
	else if (eq(s, len, "RequestId"))
		t->kind = CD_SUBST_REQUEST;
	else if (eq(s, len, "Serial"))
		t->kind = CD_SUBST_SERIAL;
	else
		return -1;
	return 0;
}

static const char *
kind_name(unsigned kind)
{
	switch (kind) {
	case CD_SUBST_PERSON:
		return "person substitutions are";
	case CD_SUBST_POLICY:
		return "[[PolicyName]] is";
	case CD_SUBST_REQUEST:
		return "[[RequestId]] is";
	case CD_SUBST_SERIAL:
		return "[[Serial]] is";
	default:
		return "[[DateTime...]] is";
	}
}

typedef int (*lit_fn)(const char *s, size_t len, void *arg,
    struct cd_err *err);
typedef int (*tok_fn)(const struct tok *t, void *arg, struct cd_err *err);

/* Split fmt into literal text and tokens, calling lit and tok in order. */
static int
walk(const char *fmt, lit_fn lit, tok_fn tok, void *arg, struct cd_err *err)
{
	const char *p = fmt, *open, *close;
	struct tok t;
	int r;

	while ((open = strstr(p, "[[")) != NULL) {
		if ((r = lit(p, (size_t)(open - p), arg, err)) != 0)
			return r;
		if ((close = strstr(open + 2, "]]")) == NULL)
			return cd_err_set(err, CD_E_CONFIG, "unterminated [[ "
			    "(no closing ]] after '%.*s')", TOKEN_QUOTE,
			    open);
		if (parse_token(open + 2, (size_t)(close - open - 2), &t) != 0)
			return cd_err_set(err, CD_E_CONFIG,
			    "unknown substitution [[%.*s]]",
			    (int)(close - open - 2 < TOKEN_QUOTE ?
			    close - open - 2 : TOKEN_QUOTE), open + 2);
		if ((r = tok(&t, arg, err)) != 0)
			return r;
		p = close + 2;
	}
	return lit(p, strlen(p), arg, err);
}

/* ---- check --------------------------------------------------------------- */

static int
check_lit(const char *s, size_t len, void *arg, struct cd_err *err)
{
	return 0;
}

static int
check_tok(const struct tok *t, void *arg, struct cd_err *err)
{
	unsigned allowed = *(unsigned *)arg;

	if ((t->kind & allowed) == 0) {
		if (t->kind == CD_SUBST_PERSON)
			return cd_err_set(err, CD_E_CONFIG, "[[%.*s]] is not "
			    "allowed here", (int)t->len, t->text);
		return cd_err_set(err, CD_E_CONFIG, "%s not allowed here",
		    kind_name(t->kind));
	}
	return 0;
}

int
cd_subst_check(const char *fmt, unsigned allowed, struct cd_err *err)
{
	return walk(fmt, check_lit, check_tok, &allowed, err);
}

/* ---- expand -------------------------------------------------------------- */

struct sink {
	char *out;
	size_t len, cap;
	const struct cd_subst_ctx *ctx;
};

static int
put(struct sink *k, const char *s, size_t len, struct cd_err *err)
{
	if (k->len + len + 1 > k->cap)
		return cd_err_set(err, CD_E_INVAL, "the expanded text is "
		    "longer than %zu bytes", k->cap > 0 ? k->cap - 1 : 0);
	memcpy(k->out + k->len, s, len);
	k->len += len;
	k->out[k->len] = '\0';
	return 0;
}

static int
put_str(struct sink *k, const char *s, struct cd_err *err)
{
	return put(k, s, strlen(s), err);
}

static int
put_num(struct sink *k, int width, int v, struct cd_err *err)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*d", width, v);
	return put_str(k, buf, err);
}

static int
expand_lit(const char *s, size_t len, void *arg, struct cd_err *err)
{
	return put(arg, s, len, err);
}

/* One DateTime code at f (at most n bytes); sets *used. */
static int
date_code(struct sink *k, const struct tm *tm, const char *f, size_t n,
    size_t *used, struct cd_err *err)
{
#define CODE(c) (n >= sizeof(c) - 1 && memcmp(f, c, sizeof(c) - 1) == 0 ? \
	(*used = sizeof(c) - 1) : 0)
	if (CODE("yyyy"))
		return put_num(k, 4, tm->tm_year + 1900, err);
	if (CODE("yy"))
		return put_num(k, 2, (tm->tm_year + 1900) % 100, err);
	if (CODE("MMMM"))
		return put_str(k, months[tm->tm_mon], err);
	if (CODE("MMM"))
		return put(k, months[tm->tm_mon], 3, err);
	if (CODE("MM"))
		return put_num(k, 2, tm->tm_mon + 1, err);
	if (CODE("dddd"))
		return put_str(k, days[tm->tm_wday], err);
	if (CODE("ddd"))
		return put(k, days[tm->tm_wday], 3, err);
	if (CODE("dd"))
		return put_num(k, 2, tm->tm_mday, err);
	if (CODE("HH"))
		return put_num(k, 2, tm->tm_hour, err);
	if (CODE("hh"))
		return put_num(k, 2, tm->tm_hour % 12 == 0 ? 12 :
		    tm->tm_hour % 12, err);
	if (CODE("mm"))
		return put_num(k, 2, tm->tm_min, err);
	if (CODE("ss"))
		return put_num(k, 2, tm->tm_sec, err);
	if (CODE("tt"))
		return put_str(k, tm->tm_hour < 12 ? "AM" : "PM", err);
#undef CODE
	*used = 1;
	return put(k, f, 1, err);
}

static int
expand_date(struct sink *k, const struct tok *t, struct cd_err *err)
{
	time_t now = k->ctx->now != 0 ? (time_t)k->ctx->now : time(NULL);
	struct tm tm;
	size_t i, used;
	int r;

	if (localtime_r(&now, &tm) == NULL)
		return cd_err_set(err, CD_E_INVAL, "cannot convert the time "
		    "for [[%.*s]]", (int)t->len, t->text);
	for (i = 0; i < t->fmtlen; i += used)
		if ((r = date_code(k, &tm, t->fmt + i, t->fmtlen - i, &used,
		    err)) != 0)
			return r;
	return 0;
}

static int
missing(const struct tok *t, struct cd_err *err)
{
	return cd_err_set(err, CD_E_INVAL, "[[%.*s]] has no value here",
	    (int)t->len, t->text);
}

static int
expand_tok(const struct tok *t, void *arg, struct cd_err *err)
{
	struct sink *k = arg;
	const struct cd_subst_ctx *ctx = k->ctx;
	char buf[32];

	switch (t->kind) {
	case CD_SUBST_PERSON:
		if (ctx->person == NULL)
			return missing(t, err);
		return put_str(k, (const char *)ctx->person + t->field, err);
	case CD_SUBST_POLICY:
		if (ctx->policy_name == NULL)
			return missing(t, err);
		return put_str(k, ctx->policy_name, err);
	case CD_SUBST_REQUEST:
		snprintf(buf, sizeof(buf), "%lld", (long long)ctx->request_id);
		return put_str(k, buf, err);
	case CD_SUBST_SERIAL:
		return put_str(k, ctx->serial != NULL ? ctx->serial : "", err);
	default:
		return expand_date(k, t, err);
	}
}

int
cd_subst_expand(const char *fmt, const struct cd_subst_ctx *ctx, char *out,
    size_t outlen, struct cd_err *err)
{
	struct sink k;
	int r;

	if (outlen == 0)
		return cd_err_set(err, CD_E_INVAL, "no room for the expanded "
		    "text");
	k.out = out;
	k.len = 0;
	k.cap = outlen;
	k.ctx = ctx;
	out[0] = '\0';
	if ((r = walk(fmt, expand_lit, expand_tok, &k, err)) != 0)
		out[0] = '\0';
	return r;
}
