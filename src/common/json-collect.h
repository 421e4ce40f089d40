/* SPDX-License-Identifier: ISC */
/*
 * json-collect.h - the JSON form of a collection, shared by certdeskd's
 * collection routes and the client's server implementation: a profile
 * with its policies, a preview, and the items of an attempt.
 */
#ifndef CD_JSON_COLLECT_H
#define CD_JSON_COLLECT_H

#include <jansson.h>

#include "certdesk/collect.h"

/* The profile and policies a decoded preview points into. */
struct cdj_profile_buf {
	struct cd_profile prof;
	struct cd_policy pol[CD_MAX_POLICIES_PER_PROFILE];
};

/*
 * A profile's "transport_document" member says whether it has a
 * transport document; the parsed copy then has CDJ_REMOTE_TEMPLATE as
 * its transport_template (a marker, not a file: certdeskd renders it).
 */
#define CDJ_REMOTE_TEMPLATE	"certdeskd:transport"

json_t *cdj_profile(const struct cd_profile *p);
int cdj_profile_parse(const json_t *j, struct cdj_profile_buf *b,
    struct cd_err *err);

/* {"request":..,"profile":{..},"items":[..],"blocked":..} */
json_t *cdj_preview(const struct cd_collect_preview *pv);
int cdj_preview_parse(const json_t *j, struct cd_collect_preview *pv,
    struct cdj_profile_buf *b, struct cd_err *err);

/* One item: policy id, file name, serial, location, delivered. */
json_t *cdj_collect_item(const struct cd_collect_item *it);
/* Fill it from j, its policy looked up by id in b. */
int cdj_collect_item_parse(const json_t *j, const struct cdj_profile_buf *b,
    struct cd_collect_item *it, struct cd_err *err);

#endif
