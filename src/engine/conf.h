/*
 * conf.h - the loaded, validated configuration: settings, credential
 * profiles and certificate policies.  Internal to the engine: front-ends
 * see profiles and policies (profile.h) through engine.h's accessors.
 *
 * The file syntax is documented in certdesk.conf(5).  Loading checks
 * everything before anything else happens; a struct cd_conf that
 * cd_conf_load() returned is complete and consistent.
 */
#ifndef CD_CONF_H
#define CD_CONF_H

#include <stddef.h>

#include "error.h"
#include "profile.h"

#define CD_MAX_IGNORE 32

struct cd_conf {
	char path[CD_PATH_MAX];		/* the file it was loaded from */

	/* [general] */
	char datadir[CD_PATH_MAX];
	char store_backend[CD_NAME_MAX];	/* "sqlite" */
	char ca_backend[CD_NAME_MAX];		/* "local" */
	char organisation[CD_TEXT_MAX];
	char filename_format[CD_TEXT_MAX];	/* default "[[People.LogonName]] [[PolicyName]]" */
	char templatedir[CD_PATH_MAX];		/* relative template names resolve here */

	/* [security] */
	int sha1_pfx;			/* use SHA-1/3DES for PFX files */
	int revoke_delay;		/* seconds */
	int pfx_iter;			/* PBKDF2 / PBE iterations */
	int mac_iter;			/* MAC iterations */
	int readback_full;		/* read packages back: 0 MAC, 1 all */
	int attempt_timeout;		/* seconds before a stale attempt is aborted */

	/* [print] */
	char paper[16];			/* "A4" or "Letter" */
	char printer[CD_NAME_MAX];	/* "" = CUPS default */
	char pin_printer[CD_NAME_MAX];	/* "" = same as printer */
	char cups_server[CD_TEXT_MAX];	/* "" = libcups default */

	/* [systemstore] */
	char nssdb[CD_PATH_MAX];	/* "" = sql:$HOME/.pki/nssdb */

	/* [autosave] */
	int usb_mount;			/* mount through udisks2 */
	int usb_eject;			/* power off after a save */
	int usb_poll;			/* seconds between emptiness polls */
	int nignore;
	char usb_ignore[CD_MAX_IGNORE][CD_NAME_MAX];

	int npolicies;
	struct cd_policy *policies;
	int nprofiles;
	struct cd_profile *profiles;
};

/*
 * Find the configuration file: explicit (from -c), else $CERTDESK_CONF,
 * else ~/.config/certdesk/certdesk.conf if it exists, else the system
 * file.  Writes the chosen path to out.
 */
int cd_conf_locate(const char *explicit_path, char *out, size_t outlen,
    struct cd_err *err);

/* Load and validate.  On error *out is NULL and err names file/line/key. */
int cd_conf_load(const char *path, struct cd_conf **out, struct cd_err *err);
void cd_conf_free(struct cd_conf *conf);

const struct cd_profile *cd_conf_profile(const struct cd_conf *conf,
    const char *id);
const struct cd_policy *cd_conf_policy(const struct cd_conf *conf,
    const char *id);

#endif
