/* SPDX-License-Identifier: ISC */
/*
 * fuzz-http.c - fuzz certdeskd's request decoder (src/server/routes.c)
 * and the JSON codecs behind it (src/common/json-model.c).
 *
 * An input is "METHOD PATH[?k=v&...]\n" then the body.  The decoder must
 * either refuse it with a 4xx status and a message, or give a route whose
 * method and shape match.  A JSON body (or the query object) then goes
 * through every record and filter decoder; what decodes must encode and
 * decode again to the very same record (a round trip), and every string
 * the encoders make must be valid UTF-8 for jansson.  A broken promise
 * is an abort().
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-model.h"
#include "server.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The decoder alone: collection routes never reach an engine here. */
struct cd_engine *
cds_engine_open(struct cd_err *err)
{
	cd_err_set(err, CD_E_INTERNAL, "no engine in the fuzz harness");
	return NULL;
}

void
cds_engine_release(struct cd_engine *e)
{
	(void)e;
}

/* Decode, encode, decode again: the two records must be equal. */
#define ROUND(type, parse, enc) do { \
	type a, b; \
	json_t *x; \
	memset(&a, 0, sizeof(a)); \
	memset(&b, 0, sizeof(b)); \
	if (parse(j, &a, &err) == 0) { \
		if ((x = enc(&a)) == NULL) \
			abort(); \
		if (parse(x, &b, &err) != 0 || memcmp(&a, &b, \
		    sizeof(a)) != 0) \
			abort(); \
		json_decref(x); \
	} else if (err.code != CD_E_INVAL || err.msg[0] == '\0') \
		abort(); \
} while (0)

static void
codecs(const json_t *j)
{
	struct cd_err err;

	ROUND(struct cd_person, cdj_person_parse, cdj_person);
	ROUND(struct cd_request, cdj_request_parse, cdj_request);
	ROUND(struct cd_cert, cdj_cert_parse, cdj_cert);
	ROUND(struct cd_device, cdj_device_parse, cdj_device);
	ROUND(struct cd_audit, cdj_audit_parse, cdj_audit);
	ROUND(struct cd_import_result, cdj_import_result_parse,
	    cdj_import_result);
	ROUND(struct cd_request_filter, cdj_request_filter_parse,
	    cdj_request_filter);
	ROUND(struct cd_person_filter, cdj_person_filter_parse,
	    cdj_person_filter);
	ROUND(struct cd_cert_filter, cdj_cert_filter_parse, cdj_cert_filter);
	ROUND(struct cd_device_filter, cdj_device_filter_parse,
	    cdj_device_filter);
}

/* "k=v&k2=v2" into an object of (UTF-8 cleaned) strings. */
static json_t *
parse_query(char *qs)
{
	json_t *q = json_object();
	char *item, *save = NULL, *eq;

	for (item = strtok_r(qs, "&", &save); item != NULL;
	    item = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(item, '=')) != NULL)
			*eq++ = '\0';
		json_object_set_new(q, item, cdj_string(eq ? eq : ""));
	}
	return q;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *nl, *sp, *qm, *method, *path;
	const char *body;
	struct cds_req q;
	struct cd_err err;
	json_t *query;
	size_t blen;
	int status, r;

	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	nl = memchr(line, '\n', size);
	body = nl ? nl + 1 : "";
	blen = nl ? size - (size_t)(nl + 1 - line) : 0;
	if (nl != NULL)
		*nl = '\0';
	method = line;
	if ((sp = strchr(line, ' ')) != NULL)
		*sp = '\0';
	path = sp ? sp + 1 : (char *)"/";
	if ((qm = strchr(path, '?')) != NULL)
		*qm++ = '\0';
	query = parse_query(qm ? qm : (char *)"");
	cd_err_clear(&err);
	r = cds_decode(method, path, query, body, blen, &q, &status, &err);
	if (r != 0) {
		if (status < 400 || status > 499 || err.msg[0] == '\0' ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
			abort();
	} else {
		if (q.route == NULL || strcmp(q.route->method, method) != 0 ||
		    (strstr(q.route->pattern, "{id}") && q.id <= 0) ||
		    (q.route->body == CDS_BODY_JSON && !json_is_object(q.body)))
			abort();
		if (q.body != NULL)
			codecs(q.body);
		cds_req_free(&q);
	}
	codecs(query);
	json_decref(query);
	free(line);
	return 0;
}
