/* SPDX-License-Identifier: ISC */
/*
 * ca-create.c - 'certdesk ca init': create the CA alone with the
 * configured backend (a two-tier local hierarchy, or the key made in a
 * PKCS#11 token), before 'certdesk init' makes the store and keeps it.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "engine-int.h"
#include "util.h"

static int
check_opts(const struct cd_conf *conf, const struct cd_ca_create_opts *o,
    struct cd_err *err)
{
	const struct cd_ca_ops *ops = conf->ca.ops;

	if (o->pkcs11_uri != NULL && ops != &cd_ca_pkcs11_ops)
		return cd_err_set(err, CD_E_CONFIG, "--pkcs11 needs [ca] "
		    "backend = pkcs11 (the configured backend is '%s')",
		    ops->name);
	if (o->two_tier && ops != &cd_ca_local_ops)
		return cd_err_set(err, CD_E_CONFIG, "a two-tier hierarchy is "
		    "made by the local CA only (the configured backend is "
		    "'%s')", ops->name);
	if (o->two_tier && (o->root_key == NULL || *o->root_key == '\0'))
		return cd_err_set(err, CD_E_CONFIG, "a two-tier hierarchy "
		    "needs the file to write the root key to");
	return 0;
}

int
cd_ca_create(const struct cd_ca_create_opts *o, struct cd_err *err)
{
	char path[CD_PATH_MAX];
	struct cd_conf *conf = NULL;
	struct cd_ca_init how;
	int r;

	if ((r = cd_conf_locate(o->conf_path, path, sizeof(path), err)) != 0 ||
	    (r = cd_conf_load(path, &conf, err)) != 0 ||
	    (r = check_opts(conf, o, err)) != 0 ||
	    (r = cd_mkdir_p(conf->datadir, 0700, err)) != 0)
		goto out;
	memset(&how, 0, sizeof(how));
	how.common_name = o->ca_name;
	how.organisation = conf->organisation[0] ? conf->organisation : NULL;
	how.key_type = CD_KEY_EC_P384;
	how.two_tier = o->two_tier;
	how.root_key = o->root_key;
	how.key_uri = o->pkcs11_uri;
	r = cd_ca_init_checked(conf->ca.ops, conf->ca.cfg, conf->datadir, &how,
	    err);
out:
	cd_conf_free(conf);
	return r;
}
