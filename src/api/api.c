/* SPDX-License-Identifier: ISC */
/*
 * api.c - choosing and opening an implementation of the client API.
 */
#include "config.h"

#include <string.h>

#include "api.h"
#include "conf.h"
#include "util.h"

static const struct cd_api_ops *const impls[] = {
	&cd_api_embedded, &cd_api_server
};

const struct cd_api_ops *
cd_api_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < CD_NELEM(impls); i++)
		if (strcmp(impls[i]->name, name) == 0)
			return impls[i];
	return NULL;
}

/* The mode of the configuration file, or "server" without one. */
static int
configured_mode(const struct cd_api_opts *o, char *mode, size_t len,
    struct cd_err *err)
{
	char path[CD_PATH_MAX];
	struct cd_conf *conf = NULL;
	struct cd_err sub;
	int r;

	if (cd_conf_locate(o->conf_path, path, sizeof(path), &sub) != 0) {
		if (o->conf_path != NULL)
			return cd_err_set(err, sub.code, "%s", sub.msg);
		cd_strlcpy(mode, "server", len);
		return 0;
	}
	if ((r = cd_conf_load(path, &conf, err)) != 0)
		return r;
	cd_strlcpy(mode, conf->client_mode, len);
	cd_conf_free(conf);
	return 0;
}

int
cd_api_open(const struct cd_api_opts *o, struct cd_api **out,
    struct cd_err *err)
{
	const struct cd_api_ops *ops;
	char mode[16];
	int r;

	*out = NULL;
	if (o->mode != NULL)
		cd_strlcpy(mode, o->mode, sizeof(mode));
	else if ((r = configured_mode(o, mode, sizeof(mode), err)) != 0)
		return r;
	if ((ops = cd_api_find(mode)) == NULL)
		return cd_err_set(err, CD_E_CONFIG, "unknown client mode '%s' "
		    "(embedded or server)", mode);
	return ops->open(o, out, err);
}

void
cd_api_close(struct cd_api *a)
{
	if (a != NULL)
		a->ops->close(a);
}
