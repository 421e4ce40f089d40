/* SPDX-License-Identifier: ISC */
/*
 * t-conf.c - loading certdesk.conf: a complete file and a minimal one
 * (defaults), one bad file per kind of error (the message names the file,
 * the line and the section and key), nothing printed by iniparser, and
 * the order in which the file is looked for.
 *
 * Fixtures are in $top_srcdir/tests/data/conf; good.conf uses the shipped
 * templates in $top_srcdir/etc/templates.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ca.h"
#include "conf.h"
#include "print.h"
#include "store.h"
#include "util.h"
#include "fixture.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

static char fixtures[PATH_MAX + 32];	/* absolute */
static char top[PATH_MAX];	/* absolute top_srcdir */

static void
setup(void)
{
	const char *src = getenv("top_srcdir");

	if (realpath(src != NULL && *src != '\0' ? src : ".", top) == NULL)
		snprintf(top, sizeof(top), "%s", src != NULL ? src : ".");
	snprintf(fixtures, sizeof(fixtures), "%s/tests/data/conf", top);
}

static const char *
fixture(const char *name)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	return path;
}

static struct cd_conf *
load(const char *name)
{
	struct cd_conf *conf = NULL;
	struct cd_err err;

	if (cd_conf_load(fixture(name), &conf, &err) != 0)
		diag("%s: %s", name, err.msg);
	return conf;
}

static void
test_good_general(const struct cd_conf *c)
{
	char want[PATH_MAX + 64];

	is_str(c->path, fixture("good.conf"), "path kept as given");
	is_str(c->datadir, "/var/lib/certdesk-test", "datadir");
	is_str(c->store.name, "sqlite", "[store] backend");
	ok(c->store.ops == &cd_store_sqlite_ops, "... found");
	is_str(c->ca.name, "local", "[ca] backend");
	ok(c->ca.ops == &cd_ca_local_ops, "... found");
	is_int(c->ca_timeout, 120, "[ca] timeout = 2m");
	ok((c->ca.caps & (CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL |
	    CD_CA_NEEDS_CSR)) == (CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL |
	    CD_CA_NEEDS_CSR) && !(c->ca.caps & CD_CA_ANSWERS_LATER),
	    "the local CA revokes, makes CRLs, takes a CSR, answers at once");
	is_str(c->print.name, "cups", "[print] backend");
	ok(c->print.ops == &cd_print_cups && (c->print.caps &
	    CD_PRINT_SECRET), "... found; it may print PIN mailers");
	is_str(c->organisation, "Example Ltd", "organisation");
	is_str(c->filename_format, "[[People.LogonName]] [[PolicyName]] "
	    "[[DateTime.yyyy-MM-dd]]", "filename_format keeps its case");
	snprintf(want, sizeof(want), "%s/etc/templates", top);
	is_str(c->templatedir, want, "relative templatedir made absolute");
	is_int(c->sha1_pfx, 1, "sha1_pfx = yes");
	is_int(c->revoke_delay, 300, "revoke_delay = 5m");
	is_int(c->pfx_iter, 20000, "pfx_iterations");
	is_int(c->mac_iter, 4096, "mac_iterations");
	is_int(c->attempt_timeout, 3600, "attempt_timeout = 1h");
	is_str(c->paper, "Letter", "paper = letter, stored as Letter");
	{
		const struct cd_print_cups_cfg *p = c->print.cfg;

		ok(p != NULL, "the cups backend read its settings");
		if (p != NULL) {
			is_str(p->printer, "office", "printer");
			is_str(p->pin_printer, "secure-room", "pin_printer");
			is_str(p->server, "localhost:6310", "cups_server");
		}
	}
	is_str(c->nssdb, "sql:/tmp/nssdb", "nssdb");
	is_int(c->usb_mount, 1, "mount = on");
	is_int(c->usb_eject, 1, "eject = true");
	is_int(c->usb_poll, 5, "poll");
	is_int(c->nignore, 3, "three ignore patterns");
	is_str(c->usb_ignore[1], "System Volume Information",
	    "ignore pattern with spaces");
	is_str(c->usb_ignore[2], ".Trash-*", "ignore glob");
}

static void
test_good_policies(const struct cd_conf *c)
{
	const struct cd_policy *sig = &c->policies[0], *enc = &c->policies[1];

	is_int(c->npolicies, 2, "two policies");
	is_str(sig->id, "signing", "[Policy.Signing] has ID signing");
	is_str(sig->name, "Signing", "policy name");
	is_int(sig->key_type, CD_KEY_EC_P384, "key = ec-p384");
	is_int(sig->validity_days, 730, "validity");
	is_int(sig->key_usage, CD_KU_DIGITAL_SIGNATURE |
	    CD_KU_NON_REPUDIATION, "key_usage, case-insensitive");
	is_int(sig->ext_key_usage, CD_EKU_EMAIL_PROTECTION |
	    CD_EKU_DOCUMENT_SIGNING, "extended_key_usage");
	is_str(sig->subject, "CN=[[People.FullName]], OU=[[People.GroupName]], "
	    "O=Example Ltd", "subject");
	is_str(sig->san, "email:[[People.Email]], upn:[[People.Upn]]", "san");
	is_int(sig->storage, CD_STORE_FILESTORE, "storage = FileStore");
	is_str(enc->name, "encryption", "name defaults to the ID");
	is_int(enc->key_type, CD_KEY_RSA3072, "key = rsa3072");
	is_int(enc->validity_days, 365, "validity defaults to 365");
	is_int(enc->storage, CD_STORE_AUTOSAVE, "storage = autosave");
	ok(cd_conf_policy(c, "ENCRYPTION") == enc, "policy found by ID");
	ok(cd_conf_policy(c, "nope") == NULL, "unknown policy: NULL");
}

static void
test_good_profiles(const struct cd_conf *c)
{
	const struct cd_profile *gen = &c->profiles[0], *user = &c->profiles[1];
	char want[PATH_MAX + 64];

	is_int(c->nprofiles, 2, "two profiles");
	is_str(gen->id, "generated", "profile ID");
	is_str(gen->name, "Generated password", "profile name");
	like(gen->description, "PIN mailer", "description");
	is_int(gen->user_pin, 0, "password = generated");
	is_int(gen->pw.min_len, 12, "password_min");
	is_int(gen->pw.max_len, 20, "password_max");
	is_int(gen->pw.required, CD_CC_LOWER | CD_CC_UPPER | CD_CC_DIGIT |
	    CD_CC_SYMBOL, "password_require");
	is_int(gen->need_approval, 1, "approval");
	is_int(gen->need_validation, 0, "validation");
	is_int(gen->npolicies, 2, "two policies in the profile");
	ok(gen->policies[0] == &c->policies[0] &&
	    gen->policies[1] == &c->policies[1], "... pointing at them");
	snprintf(want, sizeof(want), "%s/etc/templates/transport.txt", top);
	is_str(gen->transport_template, want, "transport template resolved");
	snprintf(want, sizeof(want), "%s/etc/templates/pin-mailer.txt", top);
	is_str(gen->pin_mailer_template, want, "PIN mailer resolved");
	is_str(user->name, "user-pin", "profile name defaults to the ID");
	is_int(user->user_pin, 1, "password = user");
	is_int(user->pw.min_len, 8, "password_min defaults to 8");
	is_int(user->pw.max_len, 64, "password_max defaults to 64");
	is_int(user->pw.required, 0, "no classes required by default");
	is_str(user->transport_template, "", "no transport template");
	ok(cd_conf_profile(c, "User-PIN") == user, "profile found by ID");
	ok(cd_conf_profile(c, "nope") == NULL, "unknown profile: NULL");
}

static void
test_good(void)
{
	struct cd_conf *c = load("good.conf");

	ok(c != NULL, "good.conf loads");
	if (c == NULL)
		return;
	test_good_general(c);
	test_good_policies(c);
	test_good_profiles(c);
	cd_conf_free(c);
}

static void
test_minimal(void)
{
	struct cd_conf *c = load("minimal.conf");
	char want[PATH_MAX + 64];

	ok(c != NULL, "minimal.conf loads");
	if (c == NULL)
		return;
	snprintf(want, sizeof(want), "%s/data", fixtures);
	is_str(c->datadir, want, "relative datadir is relative to the file");
	is_str(c->store.name, "sqlite", "default store backend");
	is_str(c->ca.name, "local", "default CA backend");
	is_int(c->ca_timeout, 120, "default CA timeout");
	is_str(c->print.name, "cups", "default print backend");
	is_str(c->filename_format, "[[People.LogonName]] [[PolicyName]]",
	    "default filename_format");
	is_str(c->templatedir, SYSCONFDIR "/certdesk/templates",
	    "default templatedir");
	is_int(c->sha1_pfx, 0, "default sha1_pfx");
	is_int(c->revoke_delay, 300, "default revoke_delay");
	is_int(c->pfx_iter, 10000, "default pfx_iterations");
	is_int(c->mac_iter, 2048, "default mac_iterations");
	is_int(c->attempt_timeout, 900, "default attempt_timeout");
	is_str(c->paper, "A4", "default paper");
	ok(c->print.cfg != NULL && ((const struct cd_print_cups_cfg *)
	    c->print.cfg)->printer[0] == '\0' &&
	    ((const struct cd_print_cups_cfg *)c->print.cfg)->server[0] ==
	    '\0', "default printer and print server: the CUPS defaults");
	is_str(c->nssdb, "", "default nssdb");
	is_int(c->usb_mount + c->usb_eject, 0, "default mount, eject");
	is_int(c->usb_poll, 2, "default poll");
	is_int(c->nignore, 7, "default ignore list");
	is_str(c->usb_ignore[2], "$RECYCLE.BIN", "... with $RECYCLE.BIN");
	is_str(c->policies[0].subject, "CN=[[People.FullName]]",
	    "default subject");
	is_str(c->policies[0].san, "", "default san");
	is_int(c->policies[0].ext_key_usage, 0, "default extended_key_usage");
	is_int(c->profiles[0].need_approval + c->profiles[0].need_validation,
	    0, "default approval, validation");
	cd_conf_free(c);
}

/* Where: "FILE:LINE: " expected at the start (line 0: "FILE: "). */
static const struct {
	const char *file;
	int line;
	const char *text;
} bad[] = {
	{ "bad-syntax.conf", 12, "syntax error: this line is garbage" },
	{ "bad-section.conf", 13, "unknown section [bogus]" },
	{ "bad-key.conf", 6, "[security] revoke_dealy: unknown setting "
	    "(known: sha1_pfx, revoke_delay, pfx_iterations, mac_iterations, "
	    "readback, attempt_timeout, revoke_on_disable, backdate)" },
	{ "bad-duration.conf", 14, "[security] revoke_delay: 'abc' is not a "
	    "duration (seconds, or a number with s, m, h or d)" },
	{ "bad-range.conf", 14, "[security] pfx_iterations: 0 is out of "
	    "range (1 to 600000)" },
	{ "bad-number.conf", 14, "[autosave] poll: 'often' is not a whole "
	    "number" },
	{ "bad-bool.conf", 14, "[security] sha1_pfx: 'maybe' is not yes or "
	    "no" },
	{ "bad-enum.conf", 6, "[policy.signing] key: 'rsa1024' is not one of "
	    "rsa2048, rsa3072, rsa4096, ec-p256, ec-p384" },
	{ "bad-usage.conf", 7, "[policy.signing] key_usage: unknown value "
	    "'teleportation'" },
	{ "bad-missing.conf", 5, "[policy.signing] needs a 'key' setting" },
	{ "bad-no-datadir.conf", 2, "[general] needs a 'datadir' setting" },
	{ "bad-policy-ref.conf", 11, "[profile.basic] policies: there is no "
	    "certificate policy 'nope'" },
	{ "bad-pin-mailer.conf", 11, "[profile.basic] password: 'generated' "
	    "needs a pin_mailer_template" },
	{ "bad-pin-mailer.conf", 11, "nobody could learn it" },
	{ "bad-template.conf", 13, "[profile.basic] transport_template: "
	    "cannot read " },
	{ "bad-template.conf", 13, "/tests/data/conf/no-such-template.txt: No "
	    "such file" },
	{ "bad-subst.conf", 8, "[policy.signing] subject: unknown "
	    "substitution [[People.Shoesize]]" },
	{ "bad-subst-kind.conf", 8, "[policy.signing] subject: [[Serial]] is "
	    "not allowed here" },
	{ "bad-fname.conf", 4, "[general] filename_format: unterminated [[" },
	{ "bad-san.conf", 8, "[policy.signing] subject_alt_name: 'phone:123' "
	    "is not TYPE:value" },
	{ "bad-subject.conf", 8, "[policy.signing] subject: 'Example Ltd' is "
	    "not TYPE=value" },
	{ "bad-no-profile.conf", 0, "no [profile.ID] section" },
	{ "bad-no-policy.conf", 0, "no [policy.ID] section" },
	{ "bad-twice.conf", 15, "[security] revoke_delay: set twice (also on "
	    "line 14)" },
	{ "bad-outside.conf", 2, "datadir: setting outside any section" },
	{ "bad-id.conf", 5, "[policy.my signing] the ID after the dot" },
	{ "bad-pw-range.conf", 13, "[profile.basic] password_max: 10 is less "
	    "than password_min (12)" },
	{ "bad-moved.conf", 4, "[general] store: this setting moved: write "
	    "'backend = sqlite' under [store]" },
	{ "bad-moved-ca.conf", 4, "[general] ca: this setting moved: write "
	    "'backend = local' under [ca]" },
	{ "bad-backend.conf", 6, "[print] backend: unknown print backend "
	    "'lpr' (known: cups, file)" },
	{ "bad-backend-key.conf", 8, "[print] cups_server: unknown setting "
	    "for backend file (known: backend, paper, directory)" },
	{ "bad-ca-key.conf", 7, "[ca] pin_file: unknown setting for backend "
	    "local (known: backend, timeout, revoke_command, revoke_timeout, "
	    "crl_validity, crl_overlap, crl_publish_dir, crl_publish_command, "
	    "crl_url, ca_issuers_url, key_passphrase_file, "
	    "key_passphrase_credential)" },
	/* certificate profile hygiene */
	{ "bad-ec-encipher.conf", 7, "[policy.signing] key_usage: policy "
	    "'signing': an EC key cannot encipher" },
	{ "bad-rsa-agreement.conf", 7, "[policy.signing] key_usage: policy "
	    "'signing': an RSA key has no keyAgreement" },
	{ "bad-eku.conf", 8, "[policy.signing] extended_key_usage: policy "
	    "'signing': serverAuth, codeSigning and smartcardLogon are not "
	    "for a person's soft certificate; set allow_any_eku = yes" },
	{ "bad-dns-san.conf", 8, "[policy.signing] subject_alt_name: policy "
	    "'signing': DNS or IP subjectAltNames are not for a person's soft "
	    "certificate; set allow_dns_san = yes" },
	{ "bad-policy-oid.conf", 8, "[policy.signing] policy_oid: '1.2.x.4' "
	    "is not a dotted object identifier" },
	{ "bad-crl-overlap.conf", 7, "[ca] crl_overlap: 172800 seconds is not "
	    "shorter than crl_validity (86400 seconds)" },
	{ "bad-crl-url.conf", 6, "[ca] crl_url: 'ldap://dir.example/cn=CA' is "
	    "not an http:// or https:// URL" },
	{ "bad-file-dir.conf", 5, "[print] the print backend needs a "
	    "'directory' setting" },
	{ "bad-cups-server.conf", 6, "[print] cups_server: 'printhost:99999' "
	    "is not host:port" },
	{ "bad-ca-timeout.conf", 6, "[ca] timeout: 0 is out of range" },
	{ "bad-file-pin.conf", 17, "[profile.basic] password: 'generated' "
	    "needs a PIN mailer, and the print backend 'file' cannot print "
	    "one" },
};

static void
test_bad(void)
{
	struct cd_conf *conf;
	struct cd_err err;
	char want[PATH_MAX + 128];
	size_t i;
	int r;

	for (i = 0; i < CD_NELEM(bad); i++) {
		conf = (struct cd_conf *)&conf;
		memset(&err, 0, sizeof(err));
		r = cd_conf_load(fixture(bad[i].file), &conf, &err);
		ok(r == CD_E_CONFIG && err.code == CD_E_CONFIG && conf == NULL,
		    "%s is refused", bad[i].file);
		if (bad[i].line > 0)
			snprintf(want, sizeof(want), "%s:%d: ",
			    fixture(bad[i].file), bad[i].line);
		else
			snprintf(want, sizeof(want), "%s: ",
			    fixture(bad[i].file));
		if (!ok(strncmp(err.msg, want, strlen(want)) == 0,
		    "%s: message starts with file and line", bad[i].file))
			diag("got: %s", err.msg);
		like(err.msg, bad[i].text, "%s: message names the problem",
		    bad[i].file);
	}
}

static void
test_missing_and_quiet(void)
{
	struct cd_conf *conf;
	struct cd_err err;
	char path[] = "/tmp/t-conf-stderr.XXXXXX";
	struct stat st;
	int fd, saved, r;

	r = cd_conf_load(fixture("no-such.conf"), &conf, &err);
	is_int(r, CD_E_CONFIG, "a missing file is a configuration error");
	like(err.msg, "cannot open ", "... 'cannot open'");
	like(err.msg, "no-such.conf", "... names the file");

	/* iniparser must not print anything (it would spoil the screen). */
	fflush(stderr);
	fd = mkstemp(path);
	saved = dup(2);
	dup2(fd, 2);
	r = cd_conf_load(fixture("bad-syntax.conf"), &conf, &err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ok(r == CD_E_CONFIG && fstat(fd, &st) == 0 && st.st_size == 0,
	    "a syntax error prints nothing on stderr");
	close(fd);
	unlink(path);
}

static void
test_relative_path(void)
{
	char cwd[PATH_MAX], want[PATH_MAX + 64];
	struct cd_conf *conf = NULL;
	struct cd_err err;

	if (getcwd(cwd, sizeof(cwd)) == NULL || chdir(fixtures) != 0) {
		skip("relative configuration path", "cannot change folder");
		return;
	}
	cd_conf_load("minimal.conf", &conf, &err);
	snprintf(want, sizeof(want), "%s/data", fixtures);
	is_str(conf != NULL ? conf->datadir : err.msg, want,
	    "config given by a relative path: datadir still absolute");
	cd_conf_free(conf);
	if (chdir(cwd) != 0)
		diag("cannot return to %s", cwd);
}

static void
test_locate(void)
{
	char home[PATH_MAX], user[PATH_MAX], out[PATH_MAX];
	struct cd_err err;
	struct fx fx;
	FILE *f;

	fx_init(&fx, "t-conf");
	snprintf(home, sizeof(home), "%s", fx_path(&fx, "home"));
	snprintf(user, sizeof(user), "%s/.config/certdesk", home);
	unsetenv("CERTDESK_CONF");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", home, 1);
	cd_conf_locate(NULL, out, sizeof(out), &err);
	is_str(out, SYSCONFDIR "/certdesk/certdesk.conf",
	    "no user file: the system file");
	cd_mkdir_p(user, 0700, &err);
	cd_strlcpy(user + strlen(user), "/certdesk.conf", 32);
	if ((f = fopen(user, "w")) != NULL)
		fclose(f);
	cd_conf_locate(NULL, out, sizeof(out), &err);
	is_str(out, user, "~/.config/certdesk/certdesk.conf when it exists");
	setenv("CERTDESK_CONF", "/x/env.conf", 1);
	cd_conf_locate(NULL, out, sizeof(out), &err);
	is_str(out, "/x/env.conf", "$CERTDESK_CONF before the user file");
	cd_conf_locate("/x/explicit.conf", out, sizeof(out), &err);
	is_str(out, "/x/explicit.conf", "explicit path before everything");
	setenv("CERTDESK_CONF", "", 1);
	cd_conf_locate("", out, sizeof(out), &err);
	is_str(out, user, "empty explicit and empty $CERTDESK_CONF ignored");
	unsetenv("HOME");
	unsetenv("CERTDESK_CONF");
	cd_conf_locate(NULL, out, sizeof(out), &err);
	is_str(out, SYSCONFDIR "/certdesk/certdesk.conf",
	    "no $HOME: the system file");
	is_int(cd_conf_locate("/a/long/path.conf", out, 8, &err), CD_E_CONFIG,
	    "a path too long for the buffer is refused");
	fx_cleanup(&fx);
}

static void
free_null_conf(void *arg)
{
	(void)arg;
	cd_conf_free(NULL);
}

static void
test_names(void)
{
	is_str(cd_key_type_name(CD_KEY_RSA2048), "RSA-2048", "RSA-2048");
	is_str(cd_key_type_name(CD_KEY_RSA3072), "RSA-3072", "RSA-3072");
	is_str(cd_key_type_name(CD_KEY_RSA4096), "RSA-4096", "RSA-4096");
	is_str(cd_key_type_name(CD_KEY_EC_P256), "EC P-256", "EC P-256");
	is_str(cd_key_type_name(CD_KEY_EC_P384), "EC P-384", "EC P-384");
	is_str(cd_storage_name(CD_STORE_FILESTORE), "FileStore", "FileStore");
	is_str(cd_storage_name(CD_STORE_AUTOSAVE), "AutoSave", "AutoSave");
	is_str(cd_storage_name(CD_STORE_SYSTEMSTORE), "SystemStore",
	    "SystemStore");
	ok(cd_conf_profile(NULL, "x") == NULL && cd_conf_policy(NULL, "x") ==
	    NULL, "look-ups on no configuration give NULL");
	ok(fx_survives(free_null_conf, NULL),
	    "cd_conf_free(NULL) is harmless");
}

/* Backends other than the defaults, reading their own settings. */
static void
test_backends(void)
{
	struct cd_conf *c = load("print-file.conf");
	char want[PATH_MAX + 64];

	ok(c != NULL && c->print.ops == &cd_print_file,
	    "[print] backend = File: the file backend");
	if (c != NULL) {
		snprintf(want, sizeof(want), "%s/documents", fixtures);
		is_str(((const struct cd_print_file_cfg *)c->print.cfg)->
		    directory, want, "its directory, relative to the file");
		ok(!(c->print.caps & CD_PRINT_SECRET),
		    "it may not print PIN mailers");
	}
	cd_conf_free(c);
#ifdef CD_FAULT_INJECTION
	c = load("ca-deferred.conf");
	ok(c != NULL && c->ca.ops == &cd_ca_deferred_ops,
	    "[ca] backend = deferred (test builds)");
	if (c != NULL) {
		ok(c->ca.caps & CD_CA_ANSWERS_LATER, "it may answer later");
		ok(!(c->ca.caps & CD_CA_CAN_REVOKE) &&
		    (c->ca.caps & CD_CA_MAKES_CRL), "revoke = no takes away "
		    "revocation, not CRLs");
	}
	cd_conf_free(c);
#endif
}

/* The installed sample: it loads, and its values are whole. */
static void
test_sample(void)
{
	char path[PATH_MAX + 32];
	struct cd_conf *c = NULL;
	const struct cd_profile *p;
	struct cd_err err;

	snprintf(path, sizeof(path), "%s/etc/certdesk.conf", top);
	ok(cd_conf_load(path, &c, &err) == 0, "the sample configuration loads");
	if (c == NULL)
		return;
	p = cd_conf_profile(c, "mailed");
	is_str(p ? p->description : "", "Needs approval; the password is "
	    "printed on a PIN mailer", "the 'mailed' description is whole");
	cd_conf_free(c);
}

/* What the hygiene rules allow when the policy says so, and the
 * practice settings' defaults. */
static void
test_practice(void)
{
	struct cd_conf *c = NULL;
	struct cd_err err;

	ok(cd_conf_load(fixture("allow-any.conf"), &c, &err) == 0,
	    "serverAuth and dns: load with allow_any_eku and allow_dns_san");
	if (c == NULL) {
		diag("%s", err.msg);
		return;
	}
	is_int(c->policies[0].ext_key_usage & CD_EKU_SERVER_AUTH,
	    CD_EKU_SERVER_AUTH, "serverAuth kept");
	is_str(c->policies[0].policy_oid, "1.3.6.1.4.1.99999.1.1",
	    "policy_oid read");
	is_int(c->backdate, 300, "backdate defaults to 5 minutes");
	is_int(c->crl_validity, 7 * 86400, "crl_validity defaults to 7 days");
	is_int(c->crl_overlap, 86400, "crl_overlap defaults to 1 day");
	is_int(c->revoke_on_disable, 0, "revoke_on_disable defaults to no");
	is_str(c->crl_publish_dir, "", "no publication by default");
	cd_conf_free(c);
}

int
main(void)
{
	setup();
	test_good();
	test_minimal();
	test_bad();
	test_practice();
	test_missing_and_quiet();
	test_relative_path();
	test_locate();
	test_names();
	test_backends();
	test_sample();
	return done_testing();
}
