/* SPDX-License-Identifier: ISC */
/*
 * json-model.h - the JSON form of certdesk's records, filters and errors,
 * shared by certdeskd and the client (jansson in both directions).
 *
 * Encoders return a new reference (NULL only when out of memory).
 * Decoders take a JSON object, fill a zeroed record, and return 0 or
 * CD_E_INVAL with a message naming the bad member; members that are
 * absent keep their defaults.  Strings put into JSON are always valid
 * UTF-8: invalid bytes become U+FFFD.  No printing, no curses.
 */
#ifndef CD_JSON_MODEL_H
#define CD_JSON_MODEL_H

#include <jansson.h>

#include "certdesk/engine.h"

/* ---- errors: one table from CD_E_* to a stable name and HTTP status --- */

const char *cdj_code_name(int code);		/* "denied" */
int cdj_code_parse(const char *name);		/* CD_E_INTERNAL if unknown */
int cdj_http_status(int code);			/* 403 */
/* {"error":{"code":"denied","message":"...","status":403}} */
json_t *cdj_error(int code, const char *message);
/* Fill err from an error body (or from the status alone); returns code. */
int cdj_error_parse(const json_t *body, int http_status, struct cd_err *err);

/* ---- strings ---------------------------------------------------------- */

/* A JSON string from s, invalid UTF-8 bytes replaced by U+FFFD. */
json_t *cdj_string(const char *s);
/* Copy member key of o (a string) into dst; absent: untouched. */
int cdj_get_str(const json_t *o, const char *key, char *dst, size_t len,
    struct cd_err *err);
int cdj_get_int(const json_t *o, const char *key, int64_t *dst,
    struct cd_err *err);

/* ---- records -------------------------------------------------------- */

json_t *cdj_person(const struct cd_person *p);
int cdj_person_parse(const json_t *j, struct cd_person *p,
    struct cd_err *err);
json_t *cdj_request(const struct cd_request *r);
int cdj_request_parse(const json_t *j, struct cd_request *r,
    struct cd_err *err);
json_t *cdj_cert(const struct cd_cert *c);
int cdj_cert_parse(const json_t *j, struct cd_cert *c, struct cd_err *err);
json_t *cdj_device(const struct cd_device *d);
int cdj_device_parse(const json_t *j, struct cd_device *d,
    struct cd_err *err);
json_t *cdj_audit(const struct cd_audit *a);
int cdj_audit_parse(const json_t *j, struct cd_audit *a, struct cd_err *err);
json_t *cdj_actions(const struct cd_actions *a);
int cdj_actions_parse(const json_t *j, struct cd_actions *a,
    struct cd_err *err);
json_t *cdj_import_result(const struct cd_import_result *r);
int cdj_import_result_parse(const json_t *j, struct cd_import_result *r,
    struct cd_err *err);

/* ---- filters: flat objects of strings (they travel as query strings) - */

json_t *cdj_request_filter(const struct cd_request_filter *f);
int cdj_request_filter_parse(const json_t *j, struct cd_request_filter *f,
    struct cd_err *err);
json_t *cdj_person_filter(const struct cd_person_filter *f);
int cdj_person_filter_parse(const json_t *j, struct cd_person_filter *f,
    struct cd_err *err);
json_t *cdj_cert_filter(const struct cd_cert_filter *f);
int cdj_cert_filter_parse(const json_t *j, struct cd_cert_filter *f,
    struct cd_err *err);
json_t *cdj_device_filter(const struct cd_device_filter *f);
int cdj_device_filter_parse(const json_t *j, struct cd_device_filter *f,
    struct cd_err *err);

#endif
