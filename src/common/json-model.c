/* SPDX-License-Identifier: ISC */
/*
 * json-model.c - certdesk's records, filters and errors to and from JSON
 * (jansson), for certdeskd and its client alike.
 *
 * Records are described by field tables (name, kind, offset, size), so
 * one encoder and one decoder serve every struct; the few members with
 * names instead of numbers (roles, statuses) are handled around them.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-model.h"
#include "util.h"

/* ---- errors -------------------------------------------------------------- */

static const struct {
	int code;
	const char *name;
	int status;
} codes[] = {
	{ CD_OK, "ok", 200 },
	{ CD_E_INTERNAL, "internal", 500 },
	{ CD_E_NOMEM, "nomem", 503 },
	{ CD_E_CONFIG, "config", 500 },
	{ CD_E_STORE, "store", 503 },
	{ CD_E_NOTFOUND, "notfound", 404 },
	{ CD_E_DENIED, "denied", 403 },
	{ CD_E_STATE, "state", 409 },
	{ CD_E_BUSY, "busy", 409 },
	{ CD_E_INVAL, "inval", 400 },
	{ CD_E_IO, "io", 500 },
	{ CD_E_CRYPTO, "crypto", 500 },
	{ CD_E_CA, "ca", 502 },
	{ CD_E_CANCELLED, "cancelled", 409 },
	{ CD_E_EXISTS, "exists", 409 },
	{ CD_E_CONFIRM, "confirm", 428 },
	{ CD_E_PRINT, "print", 502 },
	{ CD_E_PASSWORD, "password", 422 },
	{ CD_E_NSS, "nss", 500 },
	{ CD_E_USB, "usb", 500 },
	{ CD_E_TIMEOUT, "timeout", 504 },
	{ CD_E_AUTH, "auth", 403 },
	{ CD_E_LOST, "lost", 409 },
};

const char *
cdj_code_name(int code)
{
	size_t i;

	for (i = 0; i < CD_NELEM(codes); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "internal";
}

int
cdj_code_parse(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < CD_NELEM(codes); i++)
		if (strcmp(codes[i].name, name) == 0)
			return codes[i].code;
	return CD_E_INTERNAL;
}

int
cdj_http_status(int code)
{
	size_t i;

	for (i = 0; i < CD_NELEM(codes); i++)
		if (codes[i].code == code)
			return codes[i].status;
	return 500;
}

json_t *
cdj_error(int code, const char *message)
{
	return json_pack("{s:{s:s,s:o,s:i}}", "error", "code",
	    cdj_code_name(code), "message", cdj_string(message ? message :
	    cd_strerror(code)), "status", cdj_http_status(code));
}

/* A code for a status without a usable body. */
static int
status_code(int status)
{
	switch (status) {
	case 400: case 405: case 411: case 413: case 414: case 415: case 431:
		return CD_E_INVAL;
	case 401: case 403:
		return CD_E_DENIED;
	case 404:
		return CD_E_NOTFOUND;
	case 409:
		return CD_E_STATE;
	case 503:
		return CD_E_BUSY;
	case 504:
		return CD_E_TIMEOUT;
	default:
		return CD_E_INTERNAL;
	}
}

int
cdj_error_parse(const json_t *body, int http_status, struct cd_err *err)
{
	const json_t *e = json_object_get(body, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	int c;

	c = code != NULL ? cdj_code_parse(code) : status_code(http_status);
	if (c == CD_OK)
		c = CD_E_INTERNAL;
	if (msg != NULL)
		return cd_err_set(err, c, "%s", msg);
	return cd_err_set(err, c, "the server answered HTTP %d", http_status);
}

/* ---- strings ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t
utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	unsigned c = s[0], min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	if (avail < n)
		return 0;
	c &= 0xff >> (n + 1);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

json_t *
cdj_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i, n, o = 0;
	char *buf;
	json_t *j;

	if ((buf = malloc(len * 3 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i += n) {
		if ((n = utf8_len(p + i, len - i)) == 0) {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
			continue;
		}
		memcpy(buf + o, p + i, n);
		o += n;
	}
	j = json_stringn(buf, o);
	free(buf);
	return j;
}

int
cdj_get_str(const json_t *o, const char *key, char *dst, size_t len,
    struct cd_err *err)
{
	const json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return cd_err_set(err, CD_E_INVAL, "'%s' must be a string", key);
	if (json_string_length(v) >= len)
		return cd_err_set(err, CD_E_INVAL, "'%s' is too long (at most "
		    "%zu bytes)", key, len - 1);
	if (memchr(json_string_value(v), '\0', json_string_length(v)))
		return cd_err_set(err, CD_E_INVAL, "'%s' contains a NUL", key);
	cd_strlcpy(dst, json_string_value(v), len);
	return 0;
}

int
cdj_get_int(const json_t *o, const char *key, int64_t *dst,
    struct cd_err *err)
{
	const json_t *v = json_object_get(o, key);
	const char *s;
	char *end;
	long long n;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*dst = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v) || *(s = json_string_value(v)) == '\0')
		return cd_err_set(err, CD_E_INVAL, "'%s' must be a number", key);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0)
		return cd_err_set(err, CD_E_INVAL, "'%s' must be a number, not "
		    "'%.40s'", key, s);
	*dst = n;
	return 0;
}

/* ---- field tables ---------------------------------------------------------- */

enum kind { K_STR, K_I64, K_INT };

struct field {
	const char *name;
	enum kind kind;
	size_t off, size;
};

#define F(T, n, k, m) { n, k, offsetof(T, m), sizeof(((T *)0)->m) }

static json_t *
encode(const void *rec, const struct field *f, size_t n)
{
	const char *base = rec;
	json_t *o, *v;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const void *p = base + f[i].off;

		if (f[i].kind == K_STR)
			v = cdj_string(p);
		else if (f[i].kind == K_I64)
			v = json_integer(*(const int64_t *)p);
		else
			v = json_integer(*(const int *)p);
		if (json_object_set_new(o, f[i].name, v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static int
decode(const json_t *j, void *rec, const struct field *f, size_t n,
    struct cd_err *err)
{
	char *base = rec;
	int64_t v;
	size_t i;
	int r;

	if (!json_is_object(j))
		return cd_err_set(err, CD_E_INVAL, "expected a JSON object");
	for (i = 0; i < n; i++) {
		void *p = base + f[i].off;

		if (f[i].kind == K_STR) {
			if ((r = cdj_get_str(j, f[i].name, p, f[i].size, err)))
				return r;
			continue;
		}
		v = f[i].kind == K_I64 ? *(int64_t *)p : *(int *)p;
		if ((r = cdj_get_int(j, f[i].name, &v, err)) != 0)
			return r;
		if (f[i].kind == K_I64)
			*(int64_t *)p = v;
		else if (v < -2147483647LL || v > 2147483647LL)
			return cd_err_set(err, CD_E_INVAL, "'%s' is out of range",
			    f[i].name);
		else
			*(int *)p = (int)v;
	}
	return 0;
}

/* Set member key of o to a string; o is released on failure. */
static json_t *
with_str(json_t *o, const char *key, const char *val)
{
	if (o != NULL && json_object_set_new(o, key, cdj_string(val)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Read a name member through parse (-1 = unknown name). */
static int
get_name(const json_t *j, const char *key, int (*parse)(const char *),
    int *out, struct cd_err *err)
{
	char buf[64];
	int v, r;

	buf[0] = '\0';
	if ((r = cdj_get_str(j, key, buf, sizeof(buf), err)) != 0)
		return r;
	if (buf[0] == '\0')
		return 0;
	if ((v = parse(buf)) < 0)
		return cd_err_set(err, CD_E_INVAL, "'%s': unknown value '%s'",
		    key, buf);
	*out = v;
	return 0;
}

/* ---- people ------------------------------------------------------------- */

#define FP(n, k, m) F(struct cd_person, n, k, m)
static const struct field person_fields[] = {
	FP("id", K_I64, id), FP("logon", K_STR, logon),
	FP("full_name", K_STR, full_name), FP("email", K_STR, email),
	FP("employee_id", K_STR, employee_id),
	FP("group", K_STR, group_name), FP("upn", K_STR, upn),
	FP("created_at", K_I64, created_at),
};

json_t *
cdj_person(const struct cd_person *p)
{
	json_t *o, *roles;
	unsigned bit;

	if ((o = encode(p, person_fields, CD_NELEM(person_fields))) == NULL)
		return NULL;
	o = with_str(o, "status", p->status == CD_PS_ACTIVE ? "active" :
	    "disabled");
	if (o == NULL || (roles = json_array()) == NULL)
		goto fail;
	for (bit = 1; bit <= CD_ROLE_REVOKE; bit <<= 1)
		if (p->roles & bit)
			json_array_append_new(roles,
			    json_string(cd_role_name((enum cd_role)bit)));
	if (json_object_set_new(o, "roles", roles) == 0)
		return o;
fail:
	json_decref(o);
	return NULL;
}

int
cdj_person_parse(const json_t *j, struct cd_person *p, struct cd_err *err)
{
	const json_t *roles, *v;
	char st[16] = "";
	unsigned bits;
	size_t i;
	int r;

	if ((r = decode(j, p, person_fields, CD_NELEM(person_fields), err)))
		return r;
	if ((r = cdj_get_str(j, "status", st, sizeof(st), err)) != 0)
		return r;
	if (strcmp(st, "disabled") == 0)
		p->status = CD_PS_DISABLED;
	else if (st[0] == '\0' || strcmp(st, "active") == 0)
		p->status = CD_PS_ACTIVE;
	else
		return cd_err_set(err, CD_E_INVAL, "'status': unknown value "
		    "'%s'", st);
	if ((roles = json_object_get(j, "roles")) == NULL)
		return 0;
	if (!json_is_array(roles))
		return cd_err_set(err, CD_E_INVAL, "'roles' must be an array");
	p->roles = 0;
	json_array_foreach(roles, i, v) {
		if (!json_is_string(v) || cd_role_parse(json_string_value(v),
		    &bits) != 0 || strchr(json_string_value(v), ','))
			return cd_err_set(err, CD_E_INVAL,
			    "'roles': unknown role");
		p->roles |= bits;
	}
	return 0;
}

/* ---- requests ------------------------------------------------------------ */

#define FR(n, k, m) F(struct cd_request, n, k, m)
static const struct field request_fields[] = {
	FR("id", K_I64, id), FR("person_id", K_I64, person_id),
	FR("device_id", K_I64, device_id), FR("profile", K_STR, profile),
	FR("created_by", K_STR, created_by),
	FR("created_at", K_I64, created_at),
	FR("approved_by", K_STR, approved_by),
	FR("approved_at", K_I64, approved_at),
	FR("validated_by", K_STR, validated_by),
	FR("validated_at", K_I64, validated_at),
	FR("collected_by", K_STR, collected_by),
	FR("collected_at", K_I64, collected_at),
	FR("cancelled_by", K_STR, cancelled_by),
	FR("cancelled_at", K_I64, cancelled_at),
	FR("updated_at", K_I64, updated_at), FR("note", K_STR, note),
	FR("person_logon", K_STR, person_logon),
	FR("person_name", K_STR, person_name),
};

json_t *
cdj_request(const struct cd_request *r)
{
	json_t *o = encode(r, request_fields, CD_NELEM(request_fields));

	o = with_str(o, "type", cd_request_type_short(r->type));
	return with_str(o, "status", cd_status_short(r->status));
}

int
cdj_request_parse(const json_t *j, struct cd_request *r, struct cd_err *err)
{
	int rc;

	if ((rc = decode(j, r, request_fields, CD_NELEM(request_fields), err)))
		return rc;
	if ((rc = get_name(j, "type", cd_request_type_parse, &r->type, err)))
		return rc;
	return get_name(j, "status", cd_status_parse, &r->status, err);
}

/* ---- certificates ------------------------------------------------------------ */

static int
cert_status_parse(const char *s)
{
	int i;

	for (i = CD_CS_PENDING; i <= CD_CS_REVOKED; i++)
		if (strcmp(s, cd_cert_status_name(i)) == 0)
			return i;
	return -1;
}

#define FC(n, k, m) F(struct cd_cert, n, k, m)
static const struct field cert_fields[] = {
	FC("id", K_I64, id), FC("serial", K_STR, serial),
	FC("issuer", K_STR, issuer), FC("subject", K_STR, subject),
	FC("request_id", K_I64, request_id),
	FC("person_id", K_I64, person_id),
	FC("attempt_id", K_I64, attempt_id),
	FC("device_id", K_I64, device_id), FC("policy", K_STR, policy),
	FC("not_before", K_I64, not_before),
	FC("not_after", K_I64, not_after),
	FC("revoke_after", K_I64, revoke_after),
	FC("revoke_reason", K_STR, revoke_reason),
	FC("revoked_at", K_I64, revoked_at), FC("location", K_STR, location),
	FC("created_at", K_I64, created_at),
};

json_t *
cdj_cert(const struct cd_cert *c)
{
	return with_str(encode(c, cert_fields, CD_NELEM(cert_fields)),
	    "status", cd_cert_status_name(c->status));
}

int
cdj_cert_parse(const json_t *j, struct cd_cert *c, struct cd_err *err)
{
	int r;

	if ((r = decode(j, c, cert_fields, CD_NELEM(cert_fields), err)))
		return r;
	return get_name(j, "status", cert_status_parse, &c->status, err);
}

/* ---- devices, audit, actions, import ---------------------------------------- */

#define FD(n, k, m) F(struct cd_device, n, k, m)
static const struct field device_fields[] = {
	FD("id", K_I64, id), FD("type", K_STR, type),
	FD("serial", K_STR, serial), FD("owner_id", K_I64, owner_id),
	FD("parent_id", K_I64, parent_id), FD("status", K_STR, status),
	FD("detail", K_STR, detail), FD("created_at", K_I64, created_at),
};

json_t *
cdj_device(const struct cd_device *d)
{
	return encode(d, device_fields, CD_NELEM(device_fields));
}

int
cdj_device_parse(const json_t *j, struct cd_device *d, struct cd_err *err)
{
	return decode(j, d, device_fields, CD_NELEM(device_fields), err);
}

#define FA(n, k, m) F(struct cd_audit, n, k, m)
static const struct field audit_fields[] = {
	FA("id", K_I64, id), FA("at", K_I64, at),
	FA("operator", K_STR, operator_), FA("action", K_STR, action),
	FA("object", K_STR, object), FA("outcome", K_STR, outcome),
	FA("detail", K_STR, detail),
};

json_t *
cdj_audit(const struct cd_audit *a)
{
	return encode(a, audit_fields, CD_NELEM(audit_fields));
}

int
cdj_audit_parse(const json_t *j, struct cd_audit *a, struct cd_err *err)
{
	return decode(j, a, audit_fields, CD_NELEM(audit_fields), err);
}

static const struct {
	unsigned bit;
	const char *name;
} action_names[] = {
	{ CD_ACT_COLLECT, "collect" }, { CD_ACT_APPROVE, "approve" },
	{ CD_ACT_REJECT, "reject" }, { CD_ACT_VALIDATE, "validate" },
	{ CD_ACT_CANCEL, "cancel" }, { CD_ACT_PRINT, "print" },
};

json_t *
cdj_actions(const struct cd_actions *a)
{
	json_t *o, *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < CD_NELEM(action_names); i++)
		if (a->allowed & action_names[i].bit)
			json_array_append_new(arr,
			    json_string(action_names[i].name));
	o = json_pack("{s:o}", "allowed", arr);
	return with_str(o, "why_not_collect", a->why_not_collect);
}

int
cdj_actions_parse(const json_t *j, struct cd_actions *a, struct cd_err *err)
{
	const json_t *arr = json_object_get(j, "allowed"), *v;
	size_t i, k;

	if (!json_is_object(j) || !json_is_array(arr))
		return cd_err_set(err, CD_E_INVAL, "'allowed' must be an array");
	json_array_foreach(arr, i, v) {
		for (k = 0; k < CD_NELEM(action_names); k++)
			if (json_is_string(v) && strcmp(json_string_value(v),
			    action_names[k].name) == 0)
				a->allowed |= action_names[k].bit;
	}
	return cdj_get_str(j, "why_not_collect", a->why_not_collect,
	    sizeof(a->why_not_collect), err);
}

#define FI(n, k, m) F(struct cd_import_result, n, k, m)
static const struct field import_fields[] = {
	FI("added", K_INT, added), FI("bad_rows", K_INT, bad_rows),
	FI("report", K_STR, report),
};

json_t *
cdj_import_result(const struct cd_import_result *r)
{
	return encode(r, import_fields, CD_NELEM(import_fields));
}

int
cdj_import_result_parse(const json_t *j, struct cd_import_result *r,
    struct cd_err *err)
{
	return decode(j, r, import_fields, CD_NELEM(import_fields), err);
}

/* ---- filters --------------------------------------------------------------- */

/*
 * Filters are flat objects whose values are strings, so that the same
 * object is a query string; zero and empty members are left out.
 */
static json_t *
encode_filter(const void *rec, const struct field *f, size_t n)
{
	const char *base = rec;
	char buf[32];
	json_t *o;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const void *p = base + f[i].off;

		if (f[i].kind == K_STR) {
			if (*(const char *)p != '\0')
				json_object_set_new(o, f[i].name,
				    cdj_string(p));
			continue;
		}
		if (f[i].kind == K_I64 && *(const int64_t *)p != 0)
			snprintf(buf, sizeof(buf), "%lld",
			    (long long)*(const int64_t *)p);
		else if (f[i].kind == K_INT && *(const int *)p != 0)
			snprintf(buf, sizeof(buf), "%d", *(const int *)p);
		else
			continue;
		json_object_set_new(o, f[i].name, json_string(buf));
	}
	return o;
}

/* Refuse members the filter does not know: a typo must not widen it. */
static int
known_members(const json_t *j, const struct field *f, size_t n,
    const char *const *extra, struct cd_err *err)
{
	const char *key;
	json_t *v;
	size_t i;

	if (!json_is_object(j))
		return cd_err_set(err, CD_E_INVAL, "expected a JSON object");
	json_object_foreach((json_t *)j, key, v) {
		for (i = 0; i < n && strcmp(f[i].name, key) != 0; i++)
			;
		if (i < n)
			continue;
		for (i = 0; extra != NULL && extra[i] != NULL &&
		    strcmp(extra[i], key) != 0; i++)
			;
		if (extra == NULL || extra[i] == NULL)
			return cd_err_set(err, CD_E_INVAL, "unknown search "
			    "field '%.64s'", key);
	}
	return 0;
}

#define FRF(n, k, m) F(struct cd_request_filter, n, k, m)
static const struct field rfilter_fields[] = {
	FRF("name", K_STR, name), FRF("id", K_I64, id),
	FRF("profile", K_STR, profile), FRF("person_id", K_I64, person_id),
	FRF("device_id", K_I64, device_id),
	FRF("created_from", K_I64, created_from),
	FRF("created_to", K_I64, created_to), FRF("limit", K_INT, limit),
};
static const char *const rfilter_extra[] = { "status", "type", NULL };

json_t *
cdj_request_filter(const struct cd_request_filter *f)
{
	json_t *o = encode_filter(f, rfilter_fields, CD_NELEM(rfilter_fields));

	if (o != NULL && f->status >= 0)
		o = with_str(o, "status", cd_status_short(f->status));
	if (o != NULL && f->type >= 0)
		o = with_str(o, "type", cd_request_type_short(f->type));
	return o;
}

int
cdj_request_filter_parse(const json_t *j, struct cd_request_filter *f,
    struct cd_err *err)
{
	int r;

	cd_request_filter_init(f);
	if ((r = known_members(j, rfilter_fields, CD_NELEM(rfilter_fields),
	    rfilter_extra, err)) != 0 ||
	    (r = decode(j, f, rfilter_fields, CD_NELEM(rfilter_fields), err)))
		return r;
	if ((r = get_name(j, "status", cd_status_parse, &f->status, err)))
		return r;
	if ((r = get_name(j, "type", cd_request_type_parse, &f->type, err)))
		return r;
	if (f->limit < 0)
		return cd_err_set(err, CD_E_INVAL, "'limit' must not be "
		    "negative");
	return 0;
}

#define FPF(n, k, m) F(struct cd_person_filter, n, k, m)
static const struct field pfilter_fields[] = {
	FPF("name", K_STR, name), FPF("limit", K_INT, limit),
	FPF("offset", K_INT, offset),
};

json_t *
cdj_person_filter(const struct cd_person_filter *f)
{
	return encode_filter(f, pfilter_fields, CD_NELEM(pfilter_fields));
}

int
cdj_person_filter_parse(const json_t *j, struct cd_person_filter *f,
    struct cd_err *err)
{
	int r;

	memset(f, 0, sizeof(*f));
	if ((r = known_members(j, pfilter_fields, CD_NELEM(pfilter_fields),
	    NULL, err)) != 0 ||
	    (r = decode(j, f, pfilter_fields, CD_NELEM(pfilter_fields), err)))
		return r;
	if (f->limit < 0 || f->offset < 0)
		return cd_err_set(err, CD_E_INVAL, "'limit' and 'offset' must "
		    "not be negative");
	return 0;
}

#define FCF(n, k, m) F(struct cd_cert_filter, n, k, m)
static const struct field cfilter_fields[] = {
	FCF("request_id", K_I64, request_id),
	FCF("person_id", K_I64, person_id),
	FCF("device_id", K_I64, device_id),
	FCF("attempt_id", K_I64, attempt_id),
	FCF("revoke_due_by", K_I64, revoke_due_by),
	FCF("serial", K_STR, serial),
};
static const char *const cfilter_extra[] = { "status", NULL };

json_t *
cdj_cert_filter(const struct cd_cert_filter *f)
{
	json_t *o = encode_filter(f, cfilter_fields, CD_NELEM(cfilter_fields));

	if (o != NULL && f->status >= 0)
		o = with_str(o, "status", cd_cert_status_name(f->status));
	return o;
}

int
cdj_cert_filter_parse(const json_t *j, struct cd_cert_filter *f,
    struct cd_err *err)
{
	int r;

	cd_cert_filter_init(f);
	if ((r = known_members(j, cfilter_fields, CD_NELEM(cfilter_fields),
	    cfilter_extra, err)) != 0 ||
	    (r = decode(j, f, cfilter_fields, CD_NELEM(cfilter_fields), err)))
		return r;
	return get_name(j, "status", cert_status_parse, &f->status, err);
}

#define FDF(n, k, m) F(struct cd_device_filter, n, k, m)
static const struct field dfilter_fields[] = {
	FDF("owner_id", K_I64, owner_id), FDF("type", K_STR, type),
	FDF("serial", K_STR, serial), FDF("limit", K_INT, limit),
};

json_t *
cdj_device_filter(const struct cd_device_filter *f)
{
	return encode_filter(f, dfilter_fields, CD_NELEM(dfilter_fields));
}

int
cdj_device_filter_parse(const json_t *j, struct cd_device_filter *f,
    struct cd_err *err)
{
	int r;

	memset(f, 0, sizeof(*f));
	if ((r = known_members(j, dfilter_fields, CD_NELEM(dfilter_fields),
	    NULL, err)) != 0 ||
	    (r = decode(j, f, dfilter_fields, CD_NELEM(dfilter_fields), err)))
		return r;
	if (f->limit < 0)
		return cd_err_set(err, CD_E_INVAL, "'limit' must not be "
		    "negative");
	return 0;
}
