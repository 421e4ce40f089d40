/* SPDX-License-Identifier: ISC */
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

#include "certdesk/error.h"
#include "certdesk/profile.h"

#define CD_MAX_IGNORE 32

/*
 * The backend a [store], [ca] or [print] section names, with the
 * settings its own conf_load hook read from that section (private to
 * the backend; freed with free_cfg).
 */
struct cd_backend_conf {
	char name[CD_NAME_MAX];
	const void *ops;		/* its const ops table */
	void *cfg;			/* may be NULL */
	void (*free_cfg)(void *cfg);
	unsigned caps;			/* the backend's capability bits */
};

struct cd_conf {
	char path[CD_PATH_MAX];		/* the file it was loaded from */

	/* [general] */
	char datadir[CD_PATH_MAX];
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
	int revoke_on_disable;		/* disabling a person revokes at once */
	int backdate;			/* seconds notBefore lies in the past */

	/* [store] backend = sqlite, and that backend's settings */
	struct cd_backend_conf store;

	/* [ca] backend = local, its settings, and how long to wait */
	struct cd_backend_conf ca;
	int ca_timeout;			/* seconds for a CA that answers later */
	/* run for each revocation (serial, reason); "" = none */
	char ca_revoke_command[CD_PATH_MAX];
	int ca_revoke_timeout;		/* seconds the command may take */
	int crl_validity;		/* seconds from thisUpdate to nextUpdate */
	int crl_overlap;		/* republish this long before nextUpdate */
	char crl_publish_dir[CD_PATH_MAX];	/* "" = no publication */
	char crl_publish_command[CD_PATH_MAX];	/* "" = none; argv, no shell */
	char crl_url[CD_TEXT_MAX];	/* CRL distribution point, or "" */
	char ca_issuers_url[CD_TEXT_MAX];	/* AIA caIssuers, or "" */

	/* [print] backend = cups | file, its settings, and the paper */
	struct cd_backend_conf print;
	char paper[16];			/* "A4" or "Letter" */

	/* [systemstore] */
	char nssdb[CD_PATH_MAX];	/* "" = sql:$HOME/.pki/nssdb */

	/* [autosave] */
	int usb_mount;			/* mount through udisks2 */
	int usb_eject;			/* power off after a save */
	int usb_poll;			/* seconds between emptiness polls */
	int nignore;
	char usb_ignore[CD_MAX_IGNORE][CD_NAME_MAX];

	/* [server]: certdeskd */
	char server_socket[CD_PATH_MAX];	/* Unix socket path */
	int server_body_limit;		/* bytes; larger bodies get 413 */
	int server_idle_timeout;	/* seconds before an idle connection closes */
	int server_max_conn;		/* concurrent connections */
	int server_workers;		/* engine handles (parallel requests) */

	/* [client]: how certdesk reaches the engine */
	char client_mode[16];		/* "embedded" or "server" */
	char client_socket[CD_PATH_MAX];	/* "" = [server] socket */

	int npolicies;
	struct cd_policy *policies;
	int nprofiles;
	struct cd_profile *profiles;
};

/*
 * A backend's view of the file while it loads: its conf_load hook reads
 * the keys of its section through these, and every error names
 * FILE:LINE: [section] key like the rest of the loader's.  A key the
 * hook never asks for is an unknown setting.  def NULL: the key is
 * required.  Each returns 0 or CD_E_CONFIG.
 */
struct cd_conf_src;

int cd_conf_str(const struct cd_conf_src *src, const char *sec,
    const char *key, const char *def, char *buf, size_t size);
/*
 * A path; relative ones are relative to the file's folder.  def "": the
 * key is optional and buf "" when it is not set.
 */
int cd_conf_path(const struct cd_conf_src *src, const char *sec,
    const char *key, const char *def, char *buf, size_t size);
int cd_conf_int(const struct cd_conf_src *src, const char *sec,
    const char *key, const char *def, long min, long max, int *out);
/* Seconds, or a number with s, m or h. */
int cd_conf_dur(const struct cd_conf_src *src, const char *sec,
    const char *key, const char *def, long min, long max, int *out);
int cd_conf_bool(const struct cd_conf_src *src, const char *sec,
    const char *key, const char *def, int *out);
/* CD_E_CONFIG with "FILE:LINE: [sec] key: <message>" (key may be NULL). */
int cd_conf_fail(const struct cd_conf_src *src, const char *sec,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Find the configuration file: explicit (from -c), else $CERTDESK_CONF,
 * else $XDG_CONFIG_HOME/certdesk/certdesk.conf (~/.config when
 * XDG_CONFIG_HOME is unset or not absolute) if it exists, else the
 * system file.  Writes the chosen path to out.
 */
int cd_conf_locate(const char *explicit_path, char *out, size_t outlen,
    struct cd_err *err);

/* Load and validate.  On error *out is NULL and err names file/line/key. */
int cd_conf_load(const char *path, struct cd_conf **out, struct cd_err *err);
/*
 * A client's settings alone: [client], the [server] socket, and what a
 * client in server mode delivers or prints by itself ([systemstore],
 * [autosave], [print] for the transport document),
 * each checked like cd_conf_load checks them (errors name the file and
 * the line); the other sections are not read, so "[client] mode =
 * server" on its own is a whole configuration for an operator of a
 * server.  path NULL: no file, every default.
 */
int cd_conf_load_client(const char *path, struct cd_conf **out,
    struct cd_err *err);
void cd_conf_free(struct cd_conf *conf);

const struct cd_profile *cd_conf_profile(const struct cd_conf *conf,
    const char *id);
const struct cd_policy *cd_conf_policy(const struct cd_conf *conf,
    const char *id);

#endif
