/* SPDX-License-Identifier: ISC */
/*
 * fuzz-conf.c - fuzz the configuration loader (conf.c over iniparser).
 *
 * The input is written as certdesk.conf into a private temporary folder
 * that also holds templates/transport.txt and templates/pin-mailer.txt, so
 * "templatedir = templates" finds real templates.  cd_conf_load must
 * either refuse with a message naming the file, or return a complete,
 * consistent configuration as conf.h promises: at least one policy and
 * one profile, every profile naming 1..8 distinct loaded policies,
 * absolute normalised paths, password lengths in order, a PIN mailer
 * exactly for generated passwords.  A broken promise is an abort().
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "subst.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[256], tdir[300], conf_path[300], transport[320], pin[320];

static const char transport_text[] =
    "# Your certificate package\n\n[[Organisation]]\n\n"
    "Dear [[People.FullName]],\n\n[[Files]]\n\nIssued on [[Date]] by "
    "[[Operator]].\n";
static const char pin_text[] =
    "# Your certificate password\n\nFor [[People.FullName]] "
    "([[People.LogonName]]).\n\n| Password: | [[Password]]\n";

static void
cleanup(void)
{
	unlink(conf_path);
	unlink(transport);
	unlink(pin);
	rmdir(tdir);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/fuzz-conf.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(tdir, sizeof(tdir), "%s/templates", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/certdesk.conf", dir);
	snprintf(transport, sizeof(transport), "%s/transport.txt", tdir);
	snprintf(pin, sizeof(pin), "%s/pin-mailer.txt", tdir);
	if (mkdir(tdir, 0700) != 0 ||
	    fuzz_write_file(transport, transport_text, strlen(transport_text)) ||
	    fuzz_write_file(pin, pin_text, strlen(pin_text)))
		abort();
	atexit(cleanup);
	return 0;
}

/* Absolute, no empty, "." or ".." component, no trailing '/'. */
static void
check_path(const char *p, int may_be_empty)
{
	size_t len = strlen(p);

	if (len == 0 && may_be_empty)
		return;
	if (p[0] != '/' || strstr(p, "//") != NULL ||
	    strstr(p, "/./") != NULL || strstr(p, "/../") != NULL ||
	    (len > 1 && p[len - 1] == '/') ||
	    (len >= 2 && strcmp(p + len - 2, "/.") == 0) ||
	    (len >= 3 && strcmp(p + len - 3, "/..") == 0))
		abort();
}

static void
check_string(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();		/* not terminated */
}

static void
check_policy(const struct cd_policy *pol)
{
	check_string(pol->id, sizeof(pol->id));
	check_string(pol->name, sizeof(pol->name));
	check_string(pol->subject, sizeof(pol->subject));
	check_string(pol->san, sizeof(pol->san));
	if (pol->id[0] == '\0' || pol->name[0] == '\0' ||
	    (unsigned)pol->key_type > CD_KEY_EC_P384 ||
	    (unsigned)pol->storage > CD_STORE_SYSTEMSTORE ||
	    pol->validity_days < 1 || pol->validity_days > 3650 ||
	    pol->key_usage == 0 || pol->key_usage >= 1u << 5 ||
	    pol->ext_key_usage >= 1u << 6)
		abort();
}

static void
check_profile(const struct cd_conf *c, const struct cd_profile *p)
{
	int i, j;

	check_string(p->id, sizeof(p->id));
	check_string(p->name, sizeof(p->name));
	if (p->id[0] == '\0' || p->name[0] == '\0' || p->npolicies < 1 ||
	    p->npolicies > CD_MAX_POLICIES_PER_PROFILE ||
	    p->pw.min_len < 4 || p->pw.max_len > 128 ||
	    p->pw.min_len > p->pw.max_len ||
	    (!p->user_pin) != (p->pin_mailer_template[0] != '\0'))
		abort();
	for (i = 0; i < p->npolicies; i++) {
		if (p->policies[i] < c->policies ||
		    p->policies[i] >= c->policies + c->npolicies)
			abort();	/* not one of the loaded policies */
		for (j = 0; j < i; j++)
			if (p->policies[i] == p->policies[j])
				abort();
	}
	check_path(p->transport_template, 1);
	check_path(p->pin_mailer_template, 1);
	if (cd_conf_profile(c, p->id) != p)
		abort();		/* IDs must be unique */
}

static void
check_conf(const struct cd_conf *c)
{
	struct cd_err err;
	int i;

	if (c->npolicies < 1 || c->nprofiles < 1 || c->policies == NULL ||
	    c->profiles == NULL)
		abort();
	check_path(c->datadir, 0);
	check_path(c->templatedir, 0);
	if (cd_subst_check(c->filename_format, CD_SUBST_ALL, &err) != 0 ||
	    c->filename_format[0] == '\0')
		abort();
	if (strcmp(c->paper, "A4") != 0 && strcmp(c->paper, "Letter") != 0)
		abort();
	if (c->nignore < 0 || c->nignore > CD_MAX_IGNORE)
		abort();
	for (i = 0; i < c->npolicies; i++) {
		check_policy(&c->policies[i]);
		if (cd_conf_policy(c, c->policies[i].id) != &c->policies[i])
			abort();
	}
	for (i = 0; i < c->nprofiles; i++)
		check_profile(c, &c->profiles[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_conf *conf = NULL;
	struct cd_err err;
	int r;

	if (fuzz_write_file(conf_path, data, size) != 0)
		return 0;
	r = cd_conf_load(conf_path, &conf, &err);
	if (r == 0) {
		if (conf == NULL)
			abort();
		check_conf(conf);
	} else if (conf != NULL || strncmp(err.msg, conf_path,
	    strlen(conf_path)) != 0) {
		abort();		/* an error must name the file */
	}
	cd_conf_free(conf);
	return 0;
}
