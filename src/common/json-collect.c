/* SPDX-License-Identifier: ISC */
/*
 * json-collect.c - the JSON form of a collection's preview, profile,
 * policies and items (json-collect.h).  No secrets pass through here:
 * passwords travel in their own members and are wiped by the callers.
 */
#include "config.h"

#include <string.h>

#include "json-collect.h"
#include "json-model.h"
#include "util.h"

static json_t *
policy(const struct cd_policy *p)
{
	return json_pack("{s:o,s:o,s:i,s:i,s:i,s:i,s:o,s:o,s:i}",
	    "id", cdj_string(p->id), "name", cdj_string(p->name),
	    "key_type", (int)p->key_type, "validity_days", p->validity_days,
	    "key_usage", (int)p->key_usage, "ext_key_usage",
	    (int)p->ext_key_usage, "subject", cdj_string(p->subject),
	    "san", cdj_string(p->san), "storage", (int)p->storage);
}

json_t *
cdj_profile(const struct cd_profile *p)
{
	json_t *pols = json_array();
	int i;

	for (i = 0; pols != NULL && i < p->npolicies; i++)
		json_array_append_new(pols, policy(p->policies[i]));
	return json_pack("{s:o,s:o,s:o,s:b,s:{s:i,s:i,s:i},s:b,s:b,s:b,"
	    "s:o*}", "id", cdj_string(p->id), "name", cdj_string(p->name),
	    "description", cdj_string(p->description), "user_pin",
	    p->user_pin, "password", "min_len", p->pw.min_len, "max_len",
	    p->pw.max_len, "required", (int)p->pw.required, "need_approval",
	    p->need_approval, "need_validation", p->need_validation,
	    "transport_document", p->transport_template[0] != '\0',
	    "policies", pols);
}

static int
get_int(const json_t *o, const char *key, int *dst, struct cd_err *err)
{
	int64_t v = *dst;
	int r;

	if ((r = cdj_get_int(o, key, &v, err)) != 0)
		return r;
	if (v < -2147483647LL || v > 2147483647LL)
		return cd_err_set(err, CD_E_INVAL, "'%s' is out of range", key);
	*dst = (int)v;
	return 0;
}

static int
get_bool(const json_t *o, const char *key, int *dst)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_boolean(v))
		*dst = json_is_true(v);
	return 0;
}

static int
policy_parse(const json_t *j, struct cd_policy *p, struct cd_err *err)
{
	int kt = 0, ku = 0, eku = 0, st = 0, r;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(j))
		return cd_err_set(err, CD_E_INVAL, "a policy must be an object");
	if ((r = cdj_get_str(j, "id", p->id, sizeof(p->id), err)) ||
	    (r = cdj_get_str(j, "name", p->name, sizeof(p->name), err)) ||
	    (r = cdj_get_str(j, "subject", p->subject, sizeof(p->subject),
	    err)) || (r = cdj_get_str(j, "san", p->san, sizeof(p->san),
	    err)) || (r = get_int(j, "key_type", &kt, err)) ||
	    (r = get_int(j, "validity_days", &p->validity_days, err)) ||
	    (r = get_int(j, "key_usage", &ku, err)) ||
	    (r = get_int(j, "ext_key_usage", &eku, err)) ||
	    (r = get_int(j, "storage", &st, err)))
		return r;
	if (st < CD_STORE_FILESTORE || st > CD_STORE_SYSTEMSTORE ||
	    kt < CD_KEY_RSA2048 || kt > CD_KEY_EC_P384)
		return cd_err_set(err, CD_E_INVAL, "policy %s: unknown storage "
		    "or key type", p->id);
	p->key_type = kt;
	p->key_usage = (unsigned)ku;
	p->ext_key_usage = (unsigned)eku;
	p->storage = st;
	return 0;
}

int
cdj_profile_parse(const json_t *j, struct cdj_profile_buf *b,
    struct cd_err *err)
{
	struct cd_profile *p = &b->prof;
	const json_t *pols, *pw;
	int req = 0, td = 0, r;
	size_t i;

	memset(b, 0, sizeof(*b));
	if (!json_is_object(j))
		return cd_err_set(err, CD_E_INVAL, "a profile must be an object");
	pw = json_object_get(j, "password");
	if ((r = cdj_get_str(j, "id", p->id, sizeof(p->id), err)) ||
	    (r = cdj_get_str(j, "name", p->name, sizeof(p->name), err)) ||
	    (r = cdj_get_str(j, "description", p->description,
	    sizeof(p->description), err)) ||
	    (r = get_int(pw, "min_len", &p->pw.min_len, err)) ||
	    (r = get_int(pw, "max_len", &p->pw.max_len, err)) ||
	    (r = get_int(pw, "required", &req, err)))
		return r;
	p->pw.required = (unsigned)req;
	get_bool(j, "user_pin", &p->user_pin);
	get_bool(j, "need_approval", &p->need_approval);
	get_bool(j, "need_validation", &p->need_validation);
	/* The template itself stays with certdeskd, which renders the
	 * document: a client's copy only knows that there is one. */
	get_bool(j, "transport_document", &td);
	if (td)
		cd_strlcpy(p->transport_template, CDJ_REMOTE_TEMPLATE,
		    sizeof(p->transport_template));
	pols = json_object_get(j, "policies");
	if (!json_is_array(pols) || json_array_size(pols) >
	    CD_MAX_POLICIES_PER_PROFILE)
		return cd_err_set(err, CD_E_INVAL, "a profile needs 'policies' "
		    "(at most %d)", CD_MAX_POLICIES_PER_PROFILE);
	for (i = 0; i < json_array_size(pols); i++) {
		if ((r = policy_parse(json_array_get(pols, i), &b->pol[i],
		    err)) != 0)
			return r;
		p->policies[i] = &b->pol[i];
	}
	p->npolicies = (int)i;
	return 0;
}

json_t *
cdj_collect_item(const struct cd_collect_item *it)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:b}", "policy",
	    cdj_string(it->policy->id), "file_name", cdj_string(it->file_name),
	    "serial", cdj_string(it->serial), "location",
	    cdj_string(it->location), "delivered", it->delivered);
}

int
cdj_collect_item_parse(const json_t *j, const struct cdj_profile_buf *b,
    struct cd_collect_item *it, struct cd_err *err)
{
	char pol[CD_NAME_MAX] = "";
	int i, r;

	memset(it, 0, sizeof(*it));
	if (!json_is_object(j))
		return cd_err_set(err, CD_E_INVAL, "an item must be an object");
	if ((r = cdj_get_str(j, "policy", pol, sizeof(pol), err)) ||
	    (r = cdj_get_str(j, "file_name", it->file_name,
	    sizeof(it->file_name), err)) ||
	    (r = cdj_get_str(j, "serial", it->serial, sizeof(it->serial),
	    err)) || (r = cdj_get_str(j, "location", it->location,
	    sizeof(it->location), err)))
		return r;
	get_bool(j, "delivered", &it->delivered);
	for (i = 0; i < b->prof.npolicies; i++)
		if (strcmp(b->pol[i].id, pol) == 0)
			it->policy = &b->pol[i];
	if (it->policy == NULL)
		return cd_err_set(err, CD_E_INVAL, "an item names the unknown "
		    "policy '%.64s'", pol);
	return 0;
}

json_t *
cdj_preview(const struct cd_collect_preview *pv)
{
	json_t *items = json_array();
	int i;

	for (i = 0; items != NULL && i < pv->n; i++)
		json_array_append_new(items, cdj_collect_item(&pv->items[i]));
	return json_pack("{s:I,s:o,s:o,s:o,s:b,s:i,s:o*,s:o,s:o}",
	    "request", (json_int_t)pv->request_id, "person_name",
	    cdj_string(pv->person_name), "person_logon",
	    cdj_string(pv->person_logon), "profile", cdj_profile(pv->prof),
	    "user_pin", pv->user_pin, "storages", (int)pv->storages, "items",
	    items, "blocked_code", pv->blocked_code ?
	    cdj_string(cdj_code_name(pv->blocked_code)) : json_null(),
	    "blocked", cdj_string(pv->blocked));
}

int
cdj_preview_parse(const json_t *j, struct cd_collect_preview *pv,
    struct cdj_profile_buf *b, struct cd_err *err)
{
	const json_t *items, *bc;
	int st = 0, r;
	size_t i;

	memset(pv, 0, sizeof(*pv));
	if ((r = cdj_profile_parse(json_object_get(j, "profile"), b, err)))
		return r;
	pv->prof = &b->prof;
	if ((r = cdj_get_int(j, "request", &pv->request_id, err)) ||
	    (r = cdj_get_str(j, "person_name", pv->person_name,
	    sizeof(pv->person_name), err)) ||
	    (r = cdj_get_str(j, "person_logon", pv->person_logon,
	    sizeof(pv->person_logon), err)) ||
	    (r = get_int(j, "storages", &st, err)) ||
	    (r = cdj_get_str(j, "blocked", pv->blocked, sizeof(pv->blocked),
	    err)))
		return r;
	pv->storages = (unsigned)st;
	get_bool(j, "user_pin", &pv->user_pin);
	if (json_is_string(bc = json_object_get(j, "blocked_code")))
		pv->blocked_code = cdj_code_parse(json_string_value(bc));
	items = json_object_get(j, "items");
	if (!json_is_array(items) || json_array_size(items) >
	    CD_MAX_POLICIES_PER_PROFILE)
		return cd_err_set(err, CD_E_INVAL, "a preview needs 'items'");
	for (i = 0; i < json_array_size(items); i++)
		if ((r = cdj_collect_item_parse(json_array_get(items, i), b,
		    &pv->items[i], err)) != 0)
			return r;
	pv->n = (int)i;
	return 0;
}
