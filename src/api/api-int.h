/* SPDX-License-Identifier: ISC */
/*
 * api-int.h - what the client API's server implementation shares
 * between its files (api-server.c, api-collect-server.c).
 */
#ifndef CD_API_INT_H
#define CD_API_INT_H

#include <jansson.h>

#include "api.h"
#include "json-collect.h"

struct cd_conf;
/* The client's own settings (api.c): free with cd_conf_free. */
int cd_api_client_conf(const struct cd_api_opts *o, struct cd_conf **out,
    struct cd_err *err);
/* Open the server implementation with them (taken, even on failure). */
int cd_srv_open(const struct cd_api_opts *o, struct cd_conf *conf,
    struct cd_api **out, struct cd_err *err);
/* The server handle's copy of them (api-server.c). */
const struct cd_conf *cd_srv_conf(struct cd_api *a);

/* A JSON call to certdeskd (body consumed; *out the reply object). */
int cd_srv_call(struct cd_api *a, const char *method, const char *path,
    json_t *body, json_t **out, struct cd_err *err);
/* POST a JSON text the caller wipes (a password). */
int cd_srv_post_text(struct cd_api *a, const char *path, const char *text,
    json_t **out, struct cd_err *err);

/* The collection over the server: drive.h's steps. */
extern const struct cd_collect_ops cd_collect_remote;
int cd_srv_drive_new(struct cd_api *a, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err);
void cd_srv_client_free(struct cd_api *a);

/*
 * The client's own journal (api-journal.c): the files this process
 * writes for attempt, recorded before each write (n paths with the
 * SHA-256 of their content, in one durable write; files the record
 * holds already are not written again); dropped on commit; undone
 * (files still holding what was written) after a cancel or by the sweep
 * of attempts certdeskd says ended without completing.
 */
int cd_cj_add(int64_t attempt, int64_t request, int n,
    const char *const *path, const char *const *sha256, struct cd_err *err);
void cd_cj_drop(int64_t attempt);
/* The server this process's journal records belong to (srv_open). */
void cd_cj_scope(const char *socket);
int cd_cj_undo(int64_t attempt, int *removed, int *failed);
int cd_cj_sweep(struct cd_api *a, struct cd_sweep_result *res,
    struct cd_err *err);
/*
 * certdeskd's word on attempt: 1 live (or unknown to it), 0 ended
 * (*completed 1 if it completed), -1 it cannot be asked.
 */
int cd_cj_state(struct cd_api *a, int64_t attempt, int *completed,
    struct cd_err *err);

/* A previewed profile kept by the handle until it is closed. */
const struct cdj_profile_buf *cd_srv_intern_profile(struct cd_api *a,
    int64_t request_id, const struct cdj_profile_buf *b);
const struct cdj_profile_buf *cd_srv_preview_profile(struct cd_api *a,
    int64_t request_id);

#endif
