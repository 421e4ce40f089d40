/* SPDX-License-Identifier: ISC */
/*
 * fixture.h - the one test fixture of the C unit tests (with tap.h): a
 * private temporary directory, a configuration in it, an initialised
 * store and CA, an engine opened with an injected clock, and cleanup.
 *
 *	struct fx fx;
 *	fx_init(&fx, "t-name");		   $TMPDIR/t-name.XXXXXX
 *	fx_write_conf(&fx, "[policy.x]...");  [general] datadir and
 *					   templatedir, then the text
 *	fx_init_store(&fx);		   cd_init: store and CA
 *	e = fx_open(&fx, offset, no_sweep);   the engine, clock + offset s
 *	fx_set_clock(offset);		   CERTDESK_CLOCK_OFFSET, for the
 *					   processes a test starts
 *	fx_path(&fx, "out")		   a path inside the directory
 *	fx_cleanup(&fx);		   removes it (kept, and said so,
 *					   with CERTDESK_TEST_KEEP=1)
 *	fx_survives(fn, arg)		   1 when fn(arg) returns normally
 *					   in a child process
 *
 * A set-up step that fails is a "Bail out!" (tap.h), never a skip.
 */
#ifndef CD_FIXTURE_H
#define CD_FIXTURE_H

#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "certdesk/engine.h"
#include "tap.h"

struct fx {
	char dir[PATH_MAX / 2];		/* the temporary directory */
	char conf[PATH_MAX / 2 + 32];	/* dir/certdesk.conf */
	char data[PATH_MAX / 2 + 32];	/* dir/data, the datadir */
};

__attribute__((unused)) static void
fx_init(struct fx *f, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/%s.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp", name);
	if (mkdtemp(f->dir) == NULL)
		bail_out("mkdtemp %s: %s", f->dir, strerror(errno));
	snprintf(f->conf, sizeof(f->conf), "%s/certdesk.conf", f->dir);
	snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
}

/* A path inside the fixture's directory (four buffers in turn). */
__attribute__((unused)) static const char *
fx_path(const struct fx *f, const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", f->dir, rel);
	return buf[i];
}

__attribute__((unused)) static void
fx_write_conf(const struct fx *f, const char *body)
{
	const char *src = getenv("top_srcdir");
	FILE *fp;

	if ((fp = fopen(f->conf, "w")) == NULL)
		bail_out("%s: %s", f->conf, strerror(errno));
	fprintf(fp, "[general]\ndatadir = %s\ntemplatedir = %s/etc/templates\n"
	    "%s", f->data, src != NULL && *src != '\0' ? src : ".",
	    body != NULL ? body : "");
	if (fclose(fp) != 0)
		bail_out("%s: %s", f->conf, strerror(errno));
}

__attribute__((unused)) static void
fx_init_store(const struct fx *f)
{
	struct cd_init_opts io;
	struct cd_err err;

	memset(&io, 0, sizeof(io));
	io.conf_path = f->conf;
	cd_err_clear(&err);
	if (cd_init(&io, &err) != 0)
		bail_out("init %s: %s", f->conf, err.msg);
}

/* The engine on the fixture's configuration, its clock offset seconds on. */
__attribute__((unused)) static struct cd_engine *
fx_open(const struct fx *f, int64_t offset, int no_sweep)
{
	struct cd_open_opts o;
	struct cd_engine *e = NULL;
	struct cd_err err;

	memset(&o, 0, sizeof(o));
	o.conf_path = f->conf;
	o.clock_offset = offset;
	o.no_sweep = no_sweep;
	cd_err_clear(&err);
	if (cd_engine_open(&o, &e, &err) != 0) {
		diag("open %s: %s", f->conf, err.msg);
		return NULL;
	}
	return e;
}

/* The clock of the certdesk processes a test starts (0: the real one). */
__attribute__((unused)) static void
fx_set_clock(int64_t offset)
{
	char v[32];

	if (offset == 0) {
		unsetenv("CERTDESK_CLOCK_OFFSET");
		return;
	}
	snprintf(v, sizeof(v), "%" PRId64, offset);
	setenv("CERTDESK_CLOCK_OFFSET", v, 1);
}

__attribute__((unused)) static int
fx_rm_one(const char *path, const struct stat *st, int flag, struct FTW *w)
{
	(void)st;
	(void)w;
	if (flag == FTW_DP)
		return rmdir(path) != 0 ? -1 : 0;
	return unlink(path) != 0 ? -1 : 0;
}

/* Remove the directory; a directory that cannot be removed is said. */
__attribute__((unused)) static void
fx_cleanup(const struct fx *f)
{
	const char *keep = getenv("CERTDESK_TEST_KEEP");

	if (f->dir[0] == '\0')
		return;
	if (keep != NULL && strcmp(keep, "1") == 0) {
		diag("kept %s", f->dir);
		return;
	}
	if (nftw(f->dir, fx_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		diag("cannot remove all of %s: %s", f->dir, strerror(errno));
}

/* 1 when fn(arg) returns (and the child exits 0), 0 on a crash. */
__attribute__((unused)) static int
fx_survives(void (*fn)(void *), void *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) < 0)
		bail_out("fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 0;
	if (WIFSIGNALED(st))
		diag("killed by signal %d", WTERMSIG(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

#endif
