/* SPDX-License-Identifier: ISC */
/*
 * opts.c - checked parsing of option values for every command: whole
 * numbers in a range (never atoi: "abc" is not 0), real calendar dates
 * (2026-02-31 is refused, not moved to March), and password descriptors
 * that are open, of a kind that carries a password, and not one of
 * certdesk's own files.  Each helper prints what is wrong and returns
 * non-zero; the command then exits with status 2.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "certdesk/cdutil.h"

int
cli_parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	/* strtoll skips white space and takes a sign: only digits here */
	if (s == NULL || !((s[0] >= '0' && s[0] <= '9') ||
	    (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
cli_opt_num(const char *opt, const char *s, long long min, long long max,
    long long *out)
{
	if (cli_parse_num(s, min, max, out) == 0)
		return 0;
	fprintf(stderr, "certdesk: %s takes a whole number from %lld to "
	    "%lld, not '", opt, min, max);
	text_safe(stderr, s);
	fputs("'\n", stderr);
	return -1;
}

int
cli_opt_int(const char *opt, const char *s, int min, int max, int *out)
{
	long long v;

	if (cli_opt_num(opt, s, min, max, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
cli_opt_date(const char *opt, const char *s, int64_t *out)
{
	if ((*out = cd_time_parse(s)) >= 0)
		return 0;
	fprintf(stderr, "certdesk: %s takes a date that exists, as "
	    "YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or @EPOCH, not '", opt);
	text_safe(stderr, s);
	fputs("'\n", stderr);
	return -1;
}

/* Descriptors given for passwords, checked again once the store is open. */
static int given_fds[4];
static int ngiven;

int
cli_opt_fd(const char *opt, const char *s, int *out)
{
	struct stat st;
	long long v;
	int fd;

	if (cli_opt_num(opt, s, 0, INT_MAX, &v) != 0)
		return -1;
	fd = (int)v;
	if (fcntl(fd, F_GETFD) == -1) {
		fprintf(stderr, "certdesk: %s %d: descriptor %d is not open "
		    "(sudo and some shells close inherited descriptors; use "
		    "--password-file or a pipe on standard input)\n", opt, fd,
		    fd);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !(S_ISFIFO(st.st_mode) ||
	    S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && isatty(fd)))) {
		fprintf(stderr, "certdesk: %s %d: descriptor %d is not a pipe, "
		    "a file or a terminal\n", opt, fd, fd);
		return -1;
	}
	if (ngiven < (int)CD_NELEM(given_fds))
		given_fds[ngiven++] = fd;
	*out = fd;
	return 0;
}

/* 1 if descriptor fd is a file inside the resolved folder dir. */
static int
fd_inside(int fd, const char *dir)
{
	char link[64], path[PATH_MAX];
	size_t n = strlen(dir);
	ssize_t got;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((got = readlink(link, path, sizeof(path) - 1)) <= 0)
		return 0;
	path[got] = '\0';
	return strncmp(path, dir, n) == 0 && (path[n] == '/' ||
	    path[n] == '\0');
}

int
cli_check_fds(const char *datadir)
{
	char real[PATH_MAX];
	int i;

	if (datadir == NULL)
		return 0;
	if (realpath(datadir, real) == NULL)
		cd_strlcpy(real, datadir, sizeof(real));
	for (i = 0; i < ngiven; i++)
		if (fd_inside(given_fds[i], real)) {
			fprintf(stderr, "certdesk: descriptor %d is one of "
			    "certdesk's own files in %s, not a password\n",
			    given_fds[i], datadir);
			return -1;
		}
	return 0;
}
