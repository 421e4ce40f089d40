/* SPDX-License-Identifier: ISC */
/*
 * api.c - choosing and opening an implementation of the client API.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "api-int.h"
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

/*
 * The client's own settings (cd_conf_load_client: [client], the [server]
 * socket, [systemstore], [autosave], [print]; nothing else) from the file the
 * client would read: -c, $CERTDESK_CONF, the operator's own file, the
 * system file.  Without a file (none given, none found), every default.
 */
int
cd_api_client_conf(const struct cd_api_opts *o, struct cd_conf **out,
    struct cd_err *err)
{
	const char *env = getenv("CERTDESK_CONF");
	char path[CD_PATH_MAX];
	int r;

	*out = NULL;
	if ((r = cd_conf_locate(o->conf_path, path, sizeof(path), err)) != 0)
		return r;
	if (o->conf_path == NULL && (env == NULL || *env == '\0') &&
	    access(path, F_OK) != 0 && errno == ENOENT)
		return cd_conf_load_client(NULL, out, err);
	return cd_conf_load_client(path, out, err);
}

/*
 * The mode: o->mode, else the configuration's [client] mode, else (no
 * file) server.  The client's own settings are read once, unless the
 * mode is embedded by choice (the engine then reads the whole file), and
 * a server-mode handle keeps them; its socket is o->socket, else the
 * file's ([client] socket, else [server] socket), else the default.
 */
int
cd_api_open(const struct cd_api_opts *o, struct cd_api **out,
    struct cd_err *err)
{
	const struct cd_api_ops *ops;
	struct cd_api_opts opts = *o;
	struct cd_conf *conf = NULL;
	char mode[16] = "server";
	int r;

	*out = NULL;
	if (o->mode != NULL && strcmp(o->mode, "embedded") == 0)
		return cd_api_embedded.open(o, out, err);
	if ((r = cd_api_client_conf(o, &conf, err)) != 0)
		return r;
	if (conf->path[0] != '\0')
		cd_strlcpy(mode, conf->client_mode, sizeof(mode));
	if (o->mode != NULL)
		cd_strlcpy(mode, o->mode, sizeof(mode));
	if ((ops = cd_api_find(mode)) != &cd_api_server) {
		cd_conf_free(conf);
		if (ops == NULL)
			return cd_err_set(err, CD_E_CONFIG, "unknown client "
			    "mode '%s' (embedded or server)", mode);
		return ops->open(o, out, err);
	}
	if (opts.socket == NULL && conf->path[0] != '\0')
		opts.socket = conf->client_socket[0] != '\0' ?
		    conf->client_socket : conf->server_socket;
	return cd_srv_open(&opts, conf, out, err);
}

void
cd_api_close(struct cd_api *a)
{
	if (a != NULL)
		a->ops->close(a);
}
