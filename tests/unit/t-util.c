/* SPDX-License-Identifier: ISC */
/*
 * t-util.c - unit tests of the engine's small parts: strings, atomic
 * writes, the file journal, names of statuses and roles, errors.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "certdesk/error.h"
#include "journal.h"
#include "certdesk/model.h"
#include "fixture.h"
#include "util.h"

static struct fx fx;
static const char *dir = fx.dir;

static int
count_entries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	if (dp == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

static void
test_strings(void)
{
	char buf[8], t[32];

	is_int(cd_strlcpy(buf, "abcdefghij", sizeof(buf)), 10,
	    "strlcpy returns the source length");
	is_str(buf, "abcdefg", "strlcpy truncates and terminates");
	strcpy(t, "  \t hello world \n");
	is_str(cd_trim(t), "hello world", "trim both ends");
	ok(cd_strieq("Signing", "sIGNING") && !cd_strieq("a", "ab"),
	    "case-insensitive equality");
	ok(cd_path_join(t, sizeof(t), "/a/b//", "c.pfx", NULL) == 0 &&
	    strcmp(t, "/a/b/c.pfx") == 0, "path join drops extra slashes");
	ok(cd_path_join(t, 8, "/long/dir", "file", NULL) == CD_E_INVAL,
	    "path join refuses what does not fit");
}

static void
test_atomic(void)
{
	struct cd_err err;
	struct stat st;
	char path[512], final[512];
	unsigned char *data;
	size_t len;

	umask(022);
	ok(cd_write_atomic(dir, "a b.pfx", "secret", 6, 0600, final,
	    sizeof(final), &err) == 0, "atomic write");
	snprintf(path, sizeof(path), "%s/a b.pfx", dir);
	is_str(final, path, "final path reported");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "written 0600 whatever the umask");
	ok(cd_read_file(path, 100, &data, &len, &err) == 0 && len == 6 &&
	    memcmp(data, "secret", 6) == 0, "content read back");
	free(data);
	is_int(count_entries(dir), 1, "no temporary file left behind");
	ok(cd_write_atomic("/nonexistent/dir", "x.pfx", "x", 1, 0600, NULL,
	    0, &err) == CD_E_IO, "missing folder is an I/O error");
	like(err.msg, "/nonexistent/dir", "the message names the folder");
	ok(cd_read_file(path, 3, &data, &len, &err) == CD_E_INVAL,
	    "read_file enforces its size limit");
	is_int(cd_write_new(dir, "a b.pfx", "other", 5, 0600, NULL, 0, &err),
	    CD_E_EXISTS, "write_new never replaces a file");
	like(err.msg, "already exists", "and says so");
	ok(cd_read_file(path, 100, &data, &len, &err) == 0 && len == 6 &&
	    memcmp(data, "secret", 6) == 0, "the existing file is unchanged");
	free(data);
	is_int(count_entries(dir), 1, "no temporary file left by the refusal");
	unlink(path);
	ok(cd_write_new(dir, "a b.pfx", "fresh", 5, 0600, NULL, 0, &err) == 0 &&
	    stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "write_new writes a new file 0600");
	is_int(count_entries(dir), 1, "and leaves no temporary file");
	unlink(path);
}

static void
test_journal(void)
{
	char p1[512], p2[512], h1[65], h2[65], why[256], res[4096], cwd[4096];
	struct cd_err err;

	snprintf(p1, sizeof(p1), "%s/one.pfx", dir);
	snprintf(p2, sizeof(p2), "%s/two.pfx", dir);
	cd_journal_hash((const unsigned char *)"AAA", 3, h1);
	cd_journal_hash((const unsigned char *)"BBB", 3, h2);
	is_int((int)strlen(h1), 64, "journal hash: SHA-256 hex");
	cd_write_atomic(dir, "one.pfx", "AAA", 3, 0600, NULL, 0, &err);
	/* two.pfx was replaced by someone else's package: must survive */
	cd_write_atomic(dir, "two.pfx", "OTHER", 5, 0600, NULL, 0, &err);
	is_int(cd_journal_remove_one(p1, h1, why, sizeof(why)), CD_JR_REMOVED,
	    "the matching file is removed");
	ok(access(p1, F_OK) != 0, "journalled file gone");
	is_int(cd_journal_remove_one(p2, h2, why, sizeof(why)), CD_JR_GONE,
	    "a different file under the same name is not ours");
	ok(access(p2, F_OK) == 0, "and is kept");
	unlink(p2);
	is_int(cd_journal_remove_one(p1, h1, why, sizeof(why)), CD_JR_GONE,
	    "a missing file is gone, not a failure");
	if (getcwd(cwd, sizeof(cwd)) == NULL || chdir(dir) != 0)
		return;
	ok(cd_journal_resolve("./sub/../one.pfx", res, sizeof(res), &err) !=
	    0, "resolve: a missing folder is refused");
	ok(cd_journal_resolve("one.pfx", res, sizeof(res), &err) == 0 &&
	    res[0] == '/' && strstr(res, "/one.pfx") != NULL &&
	    strstr(res, "./") == NULL, "resolve: a bare name becomes an "
	    "absolute path (%s)", res);
	ok(cd_journal_resolve("../", res, sizeof(res), &err) == CD_E_INVAL,
	    "resolve: a folder is not a file name");
	ok(cd_journal_resolve("a\nb", res, sizeof(res), &err) == CD_E_INVAL,
	    "resolve: a newline in a name is refused");
	if (chdir(cwd) != 0)
		diag("chdir back failed");
}

/* Create dir/.three.pfx.PID.abcdef; returns its path in buf. */
static void
temporary(char *buf, size_t len, long pid)
{
	FILE *f;

	snprintf(buf, len, "%s/.three.pfx.%ld.abcdef", dir, pid);
	if ((f = fopen(buf, "w")) != NULL)
		fclose(f);
}

/*
 * Temporaries of a journalled name: this process's and a dead writer's
 * go, a live writer's (another collection writing the same name) stays.
 */
static void
test_journal_temporaries(void)
{
	char p[512], mine[600], dead[600], live[600], h[65], why[256];
	pid_t child;

	snprintf(p, sizeof(p), "%s/three.pfx", dir);
	cd_journal_hash((const unsigned char *)"C", 1, h);
	if ((child = fork()) == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	temporary(mine, sizeof(mine), (long)getpid());
	temporary(dead, sizeof(dead), (long)child);
	temporary(live, sizeof(live), 1L);
	cd_journal_remove_one(p, h, why, sizeof(why));
	ok(access(mine, F_OK) != 0, "our own temporary removed");
	ok(access(dead, F_OK) != 0, "a dead writer's temporary removed");
	ok(access(live, F_OK) == 0, "a live writer's temporary kept");
	unlink(live);
}

/* The VmFlags of the mapping holding p, from /proc/self/smaps. */
static void
vm_flags(const void *p, char *out, size_t len)
{
	char line[512];
	unsigned long lo, hi, a = (unsigned long)(uintptr_t)p;
	int inside = 0;
	FILE *f;

	out[0] = '\0';
	if ((f = fopen("/proc/self/smaps", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			inside = a >= lo && a < hi;
		else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(out, len, "%s", line + 8);
			break;
		}
	}
	fclose(f);
}

/* Secret memory: zeroed, its own pages, not dumped, locked where allowed. */
static void
test_secret(void)
{
	char flags[256];
	unsigned char *p = cd_secret_alloc(10000);
	size_t i;
	int zero = 1;

	if (!ok(p != NULL, "secret memory allocated"))
		return;
	for (i = 0; i < 10000; i++)
		zero &= p[i] == 0;
	ok(zero, "secret memory starts zeroed");
	memset(p, 'x', 10000);
	vm_flags(p, flags, sizeof(flags));
	like(flags, " dd", "its pages are left out of core dumps (VmFlags dd)");
#ifndef __SANITIZE_ADDRESS__
	if (geteuid() == 0)
		ok(cd_secret_locked() && strstr(flags, " lo") != NULL,
		    "its pages are locked in RAM (VmFlags lo)");
	else
		skip("its pages are locked in RAM", "mlock needs root here");
#else
	skip_build("its pages are locked in RAM",
	    "AddressSanitizer ignores mlock");
#endif
	cd_secret_free(p, 10000);
}

/* A secret buffer grown keeps its bytes (the old one is wiped, freed). */
static void
test_wipe_realloc(void)
{
	char *p = cd_wipe_realloc(NULL, 0, 0, 4), *q;

	if (!ok(p != NULL, "a first buffer from NULL"))
		return;
	memcpy(p, "pin", 4);
	q = cd_wipe_realloc(p, 4, 4, 64);
	ok(q != NULL && strcmp(q, "pin") == 0, "grown, with its bytes kept");
	cd_wipe_free(q, 64);
}

static void
test_names(void)
{
	unsigned roles = 0;
	char buf[128];

	is_int(cd_status_parse("awaiting-collection"), CD_RS_AWAIT_COLLECTION,
	    "short status name parses");
	is_int(cd_status_parse("Awaiting Validation"), CD_RS_AWAIT_VALIDATION,
	    "long status name parses");
	is_int(cd_status_parse("bogus"), -1, "unknown status refused");
	is_str(cd_request_type_name(CD_RT_SOFT_CERT),
	    "Request a soft certificate for a user", "request type name");
	is_int(cd_request_type_parse("softcert"), CD_RT_SOFT_CERT,
	    "request type short name");
	ok(cd_role_parse("view, approve,collect", &roles) == 0 && roles ==
	    (CD_ROLE_VIEW | CD_ROLE_APPROVE | CD_ROLE_COLLECT), "role list");
	ok(cd_role_parse("view,superuser", &roles) == -1, "unknown role");
	cd_roles_format(CD_ROLE_ALL, buf, sizeof(buf));
	is_str(buf, "view,request,approve,validate,collect,admin,revoke",
	    "roles formatted");
}

static void
test_errors(void)
{
	struct cd_err err;
	char big[2000];

	cd_err_set(&err, CD_E_IO, "cannot write %s", "x");
	cd_err_prefix(&err, "saving");
	is_str(err.msg, "saving: cannot write x", "prefix");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cd_err_set(&err, CD_E_IO, "%s", big);
	cd_err_prefix(&err, "%s", big);
	is_int(strlen(err.msg), CD_ERR_MSGLEN - 1, "long messages truncate");
	is_str(cd_strerror(CD_E_DENIED), "permission denied", "strerror");
	is_str(cd_strerror(5), "unknown error", "strerror out of range");
}

static void
test_time(void)
{
	char buf[40];

	is_int(cd_time_parse("@86400"), 86400, "epoch form");
	ok(cd_time_parse("2026-11-24") > 0, "date form");
	ok(cd_time_parse("2026-11-24 13:05") - cd_time_parse("2026-11-24") ==
	    13 * 3600 + 5 * 60, "date and time form");
	is_int(cd_time_parse("2026-13-01"), -1, "bad month");
	is_int(cd_time_parse("2026-02-31"), -1, "a day the month lacks");
	is_int(cd_time_parse("2026-02-29"), -1, "29 February of a common year");
	ok(cd_time_parse("2028-02-29") > 0, "29 February of a leap year");
	is_int(cd_time_parse("2026-04-31 10:00"), -1, "31 April with a time");
	is_int(cd_time_parse("2026-11-24 24:00"), -1, "hour 24");
	is_int(cd_time_parse("2026-1-1"), -1, "one-digit month and day");
	is_int(cd_time_parse("@"), -1, "bare @");
	is_int(cd_time_parse("@ 5"), -1, "@ with a space");
	is_int(cd_time_parse("@99999999999999999999"), -1, "epoch overflow");
	is_int(cd_time_parse("yesterday"), -1, "free text refused");
	is_int(cd_time_parse("2026-11-24 13:05junk"), -1, "trailing junk refused");
	cd_time_iso(0 + 86400, buf, sizeof(buf));
	is_str(buf, "1970-01-02T00:00:00Z", "ISO time");
}

int
main(void)
{
	fx_init(&fx, "t-util");
	test_strings();
	test_atomic();
	test_journal();
	test_journal_temporaries();
	test_secret();
	test_wipe_realloc();
	test_names();
	test_errors();
	test_time();
	fx_cleanup(&fx);
	return done_testing();
}
