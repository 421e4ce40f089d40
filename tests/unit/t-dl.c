/* SPDX-License-Identifier: ISC */
/*
 * t-dl.c - the loader of the optional libraries (src/engine/core/dl.c):
 * a library that is not there and a symbol a library lacks are errors
 * with the caller's code naming them, repeated on later calls; the real
 * libraries load.  In builds with fault injection, each feature's entry
 * point (NSS import, USB watch, CUPS job, PostgreSQL settings) is run
 * with its library hidden ($CERTDESK_DL_MISSING): a clear error with the
 * feature's code, no crash.  Each case runs in a child process, since a
 * loader keeps its outcome for the process's life.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "dl.h"
#include "dl-cups.h"
#include "dl-curl.h"
#include "dl-nss.h"
#include "dl-udev.h"
#ifdef HAVE_LIBPQ
#include "dl-pq.h"
#endif
#include "nss.h"
#include "print.h"
#include "store.h"
#include "usb.h"
#include "tap.h"

/* What a child reports: its return code and message. */
struct outcome {
	int code;
	char msg[CD_ERR_MSGLEN];
};

/* Run fn in a child; *o gets its outcome; 0 unless the child crashed. */
static int
in_child(int (*fn)(struct cd_err *), struct outcome *o)
{
	int fd[2], st;
	pid_t pid;
	struct cd_err err;
	ssize_t n;

	memset(o, 0, sizeof(*o));
	if (pipe(fd) == -1 || (pid = fork()) == -1)
		bail_out("pipe/fork");
	if (pid == 0) {
		close(fd[0]);
		memset(&err, 0, sizeof(err));
		o->code = fn(&err);
		snprintf(o->msg, sizeof(o->msg), "%s", err.msg);
		n = write(fd[1], o, sizeof(*o));
		_exit(n == (ssize_t)sizeof(*o) ? 0 : 1);
	}
	close(fd[1]);
	n = read(fd[0], o, sizeof(*o));
	close(fd[0]);
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0 || n != (ssize_t)sizeof(*o)) {
		diag("the child ended with status %d", st);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ loader */

static void *sym_a, *sym_b;
static const struct cd_dl_sym libc_syms[] = {
	{ "strlen", &sym_a }, { "cd_no_such_function", &sym_b },
};
static const struct cd_dl_lib nolib[] = {
	{ "libcertdesk-no-such-library.so.9", libc_syms, 1 },
};
static const struct cd_dl_lib nosym[] = {
	{ "libc.so.6", libc_syms, 2 },
};
static const struct cd_dl_lib libc_ok[] = {
	{ "libc.so.6", libc_syms, 1 },
};

static void
test_loader(void)
{
	struct cd_dl_state st;
	struct cd_err err;
	int r;

	memset(&st, 0, sizeof(st));
	r = cd_dl_load(&st, nolib, 1, "the test feature", CD_E_PRINT, &err);
	is_int(r, CD_E_PRINT, "a missing library: the caller's code");
	like(err.msg, "libcertdesk-no-such-library.so.9", "it names the "
	    "library");
	like(err.msg, "the test feature", "and the feature");
	memset(&err, 0, sizeof(err));
	r = cd_dl_load(&st, libc_ok, 1, "the test feature", CD_E_PRINT, &err);
	ok(r == CD_E_PRINT && strstr(err.msg, "no-such-library") != NULL,
	    "the outcome is kept: the same error the second time");
	ok(cd_dl_load(&st, nolib, 1, "x", CD_E_PRINT, NULL) == CD_E_PRINT,
	    "err may be NULL");

	memset(&st, 0, sizeof(st));
	r = cd_dl_load(&st, nosym, 1, "the test feature", CD_E_USB, &err);
	ok(r == CD_E_USB && strstr(err.msg, "cd_no_such_function") != NULL &&
	    strstr(err.msg, "libc.so.6") != NULL,
	    "a missing function: named, with its library (%s)", err.msg);

	memset(&st, 0, sizeof(st));
	sym_a = NULL;
	r = cd_dl_load(&st, libc_ok, 1, "the test feature", CD_E_USB, &err);
	ok(r == 0 && sym_a != NULL &&
	    ((size_t (*)(const char *))sym_a)("four") == 4,
	    "a library that is there: its functions are filled in and work");
}

/* ------------------------------------------------ the real libraries */

static int load_nss(struct cd_err *e) { return cd_dl_nss(e); }
static int load_cups(struct cd_err *e) { return cd_dl_cups(e); }
static int load_udev(struct cd_err *e) { return cd_dl_udev(e); }
static int load_curl(struct cd_err *e) { return cd_dl_curl(CD_E_CA, e); }
#ifdef HAVE_LIBPQ
static int load_pq(struct cd_err *e) { return cd_dl_pq(e); }
#endif

static void
test_real(void)
{
	struct outcome o;

	unsetenv("CERTDESK_DL_MISSING");
	ok(in_child(load_nss, &o) == 0 && o.code == 0,
	    "NSS loads with every function it is used for (%s)", o.msg);
	ok(in_child(load_cups, &o) == 0 && o.code == 0,
	    "libcups loads (%s)", o.msg);
	ok(in_child(load_udev, &o) == 0 && o.code == 0,
	    "libudev loads (%s)", o.msg);
	ok(in_child(load_curl, &o) == 0 && o.code == 0,
	    "libcurl loads (%s)", o.msg);
#ifdef HAVE_LIBPQ
	ok(in_child(load_pq, &o) == 0 && o.code == 0,
	    "libpq loads (%s)", o.msg);
#endif
}

/* ------------------------------------ features with their library hidden */

static int
nss_import(struct cd_err *e)
{
	static const unsigned char p12[] = { 0x30, 0x03, 0x02, 0x01, 0x03 };
	struct cd_nss_result res;
	char dir[] = "/tmp/t-dl.XXXXXX", spec[64];
	int r;

	if (mkdtemp(dir) == NULL)
		return -100;
	snprintf(spec, sizeof(spec), "sql:%s", dir);
	r = cd_nss_import(spec, NULL, p12, sizeof(p12), "Secret-Pass-123",
	    "nick", &res, e);
	rmdir(dir);	/* fails, and says so, if something was made in it */
	return r;
}

static int
usb_open(struct cd_err *e)
{
	struct cd_usb_opts o;
	struct cd_usb_watch *w;

	memset(&o, 0, sizeof(o));
	return cd_usb_open(&o, &w, e);
}

static int
cups_job(struct cd_err *e)
{
	char job[64];

	return cd_print_cups.submit(NULL, CD_PRINT_TRANSPORT, "test",
	    "title", "%!PS\n", 5, job, sizeof(job), NULL, e);
}

static int
cups_purge(struct cd_err *e)
{
	return cd_print_cups.purge(NULL, "127.0.0.1:1\ttest\t42", e);
}

#ifdef HAVE_LIBPQ
static int
pg_arg(struct cd_err *e)
{
	void *cfg = NULL;

	return cd_store_pg_ops.conf_arg("dbname=certdesk", &cfg, e);
}

static int
pg_open(struct cd_err *e)
{
	struct cd_store *s;

	return cd_store_pg_ops.open(NULL, "/nonexistent", 0, &s, e);
}
#endif

static void
hidden(const char *soname, int (*fn)(struct cd_err *), int code,
    const char *what)
{
	struct outcome o;

	setenv("CERTDESK_DL_MISSING", soname, 1);
	if (!ok(in_child(fn, &o) == 0, "%s without %s: no crash", what,
	    soname))
		return;
	is_int(o.code, code, "%s without %s: the feature's error code", what,
	    soname);
	like(o.msg, soname, "%s without %s: the message names it", what,
	    soname);
}

static void
test_hidden(void)
{
#ifdef CD_FAULT_INJECTION
	struct outcome o;

	hidden("libnss3.so", nss_import, CD_E_NSS, "an NSS import");
	hidden("libsmime3.so", nss_import, CD_E_NSS, "an NSS import");
	hidden("libudev.so.1", usb_open, CD_E_USB, "watching for USB drives");
	hidden("libcups.so.2", cups_job, CD_E_PRINT, "a CUPS print job");
	hidden("libcups.so.2", cups_purge, CD_E_PRINT, "a CUPS purge");
	hidden("libcurl.so.4", load_curl, CD_E_CA, "libcurl for SCEP");
#ifdef HAVE_LIBPQ
	hidden("libpq.so.5", pg_arg, CD_E_STORE, "PostgreSQL settings");
	hidden("libpq.so.5", pg_open, CD_E_STORE, "opening a PostgreSQL store");
#endif
	setenv("CERTDESK_DL_MISSING", "libcups.so.2,libpq.so.5", 1);
	ok(in_child(load_nss, &o) == 0 && o.code == 0,
	    "hiding other libraries leaves NSS alone (%s)", o.msg);
	unsetenv("CERTDESK_DL_MISSING");
#else
	skip_build("features with their library missing", "needs "
	    "--enable-fault-injection ($CERTDESK_DL_MISSING)");
#endif
}

int
main(void)
{
	test_loader();
	test_real();
	test_hidden();
	return done_testing();
}
