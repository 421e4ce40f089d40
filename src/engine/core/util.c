/* SPDX-License-Identifier: ISC */
/*
 * util.c - small helpers: bounded strings, atomic file writes, secret
 * memory, core dump control, fault points, time formatting.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include <openssl/crypto.h>

#include "util.h"

size_t
cd_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *
cd_trim(char *s)
{
	char *start = s, *end;

	while (*start != '\0' && isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (start != s)
		memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

int
cd_strieq(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
	return *a == *b;
}

int
cd_path_join(char *out, size_t outlen, const char *dir, const char *name,
    struct cd_err *err)
{
	size_t dl = strlen(dir);
	int n;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	n = snprintf(out, outlen, "%.*s/%s", (int)dl, dir, name);
	if (n < 0 || (size_t)n >= outlen)
		return cd_err_set(err, CD_E_INVAL, "path too long: %s/%s",
		    dir, name);
	return 0;
}

static int
fsync_dir(const char *dir)
{
	int fd, r;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Move the finished temporary file to its name: rename(2) replaces what is
 * there; without replace, renameat2(RENAME_NOREPLACE), or link(2) where the
 * file system lacks it, so an existing file is never touched (EEXIST).
 */
static int
move_into_place(const char *tmp, const char *dst, int replace)
{
	if (replace)
		return rename(tmp, dst);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, dst) == -1)
		return -1;
	unlink(tmp);
	return 0;
}

static int
write_file(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, int flags, char *final, size_t finallen,
    struct cd_err *err)
{
	int replace = (flags & CD_WF_REPLACE) != 0;
	char tmp[4096], dst[4096], tmpname[512];
	struct stat st;
	int fd = -1, r = CD_E_IO, saved;

	/* The pid tells a rollback whose temporary this is (journal.c). */
	if (snprintf(tmpname, sizeof(tmpname), ".%s.%ld.XXXXXX", name,
	    (long)getpid()) >= (int)sizeof(tmpname))
		return cd_err_set(err, CD_E_INVAL, "file name too long: %s",
		    name);
	if ((r = cd_path_join(tmp, sizeof(tmp), dir, tmpname, err)) != 0 ||
	    (r = cd_path_join(dst, sizeof(dst), dir, name, err)) != 0)
		return r;
	r = CD_E_IO;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		cd_err_set(err, r, "cannot create a file in %s: %s", dir,
		    strerror(errno));
		return r;
	}
	if (fchmod(fd, mode) == -1 || write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		saved = errno;
		cd_err_set(err, r, "cannot write %s: %s", dst,
		    strerror(saved));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		cd_err_set(err, r, "cannot write %s: %s", dst,
		    strerror(errno));
		goto fail;
	}
	fd = -1;
	cd_fault("write-before-rename");
	if (replace && lstat(dst, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* Never rename over a device, FIFO, link or folder. */
		cd_err_set(err, r = CD_E_DENIED, "%s is not a regular file; "
		    "it was left as it is", dst);
		goto fail;
	}
	if (move_into_place(tmp, dst, replace) == -1) {
		if (errno == EEXIST)
			cd_err_set(err, r = CD_E_EXISTS, "%s already exists; it "
			    "was left as it is", dst);
		else
			cd_err_set(err, r, "cannot rename to %s: %s", dst,
			    strerror(errno));
		goto fail;
	}
	if (!(flags & CD_WF_NODIRSYNC) && fsync_dir(dir) == -1) {
		/*
		 * Complete under its name, but it may not survive a crash:
		 * report it and take it away (the caller rolls back anyway).
		 */
		cd_err_set(err, r, "cannot sync folder %s: %s", dir,
		    strerror(errno));
		unlink(dst);
		return r;
	}
	if (final != NULL)
		cd_strlcpy(final, dst, finallen);
	return 0;
fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return r;
}

int
cd_write_atomic(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, char *final, size_t finallen,
    struct cd_err *err)
{
	return write_file(dir, name, data, len, mode, CD_WF_REPLACE, final,
	    finallen, err);
}

int
cd_write_file(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, int flags, char *final, size_t finallen,
    struct cd_err *err)
{
	return write_file(dir, name, data, len, mode, flags, final, finallen,
	    err);
}

int
cd_sync_dir(const char *dir, struct cd_err *err)
{
	if (fsync_dir(dir) == -1)
		return cd_err_set(err, CD_E_IO, "cannot sync folder %s: %s",
		    dir, strerror(errno));
	return 0;
}

int
cd_write_new(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, char *final, size_t finallen,
    struct cd_err *err)
{
	return write_file(dir, name, data, len, mode, 0, final, finallen, err);
}

int
cd_read_file(const char *path, size_t max, unsigned char **data, size_t *len,
    struct cd_err *err)
{
	FILE *f;
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;
	int r = CD_E_IO;

	*data = NULL;
	*len = 0;
	if ((f = fopen(path, "rbe")) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot open %s: %s", path,
		    strerror(errno));
	for (;;) {
		if (n == cap) {
			unsigned char *nb;
			if (cap >= max) {
				r = cd_err_set(err, CD_E_INVAL,
				    "%s is too large", path);
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			if (cap > max)
				cap = max;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				r = cd_err_set(err, CD_E_NOMEM, NULL);
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		r = cd_err_set(err, CD_E_IO, "cannot read %s", path);
		goto out;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	r = 0;
out:
	free(buf);
	fclose(f);
	return r;
}

int
cd_mkdir_p(const char *path, mode_t mode, struct cd_err *err)
{
	char buf[4096];
	char *p;

	if (cd_strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return cd_err_set(err, CD_E_INVAL, "path too long: %s", path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) == -1 && errno != EEXIST)
			return cd_err_set(err, CD_E_IO, "cannot create %s: %s",
			    buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, mode) == -1 && errno != EEXIST)
		return cd_err_set(err, CD_E_IO, "cannot create %s: %s", buf,
		    strerror(errno));
	return 0;
}

static int secret_locked;

/*
 * Secrets live on pages of their own (mmap), so locking them locks
 * nothing else and unlocking one never unlocks another's page; the pages
 * are left out of core dumps (MADV_DONTDUMP) and wiped and unmapped when
 * freed.  A header before the secret keeps the mapping's size.
 */
#define SECRET_HDR 16

static size_t
secret_map_size(size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return (len + SECRET_HDR + pg - 1) / pg * pg;
}

void *
cd_secret_alloc(size_t len)
{
	size_t sz = secret_map_size(len);
	unsigned char *p;

	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, sz, MADV_DONTDUMP);
	/* Best effort: RLIMIT_MEMLOCK may forbid it (see cd_secret_locked). */
	secret_locked = mlock(p, sz) == 0;
	memcpy(p, &sz, sizeof(sz));
	return p + SECRET_HDR;
}

void
cd_secret_free(void *q, size_t len)
{
	unsigned char *p;
	size_t sz;

	if (q == NULL)
		return;
	p = (unsigned char *)q - SECRET_HDR;
	memcpy(&sz, p, sizeof(sz));
	(void)len;
	OPENSSL_cleanse(p, sz);
	munlock(p, sz);
	munmap(p, sz);
}

char *
cd_secret_strdup(const char *s, size_t *lenp)
{
	size_t len = strlen(s);
	char *p;

	if ((p = cd_secret_alloc(len + 1)) == NULL)
		return NULL;
	memcpy(p, s, len + 1);
	if (lenp != NULL)
		*lenp = len + 1;
	return p;
}

int
cd_secret_locked(void)
{
	return secret_locked;
}

int
cd_disable_core_dumps(struct cd_err *err)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		return cd_err_set(err, CD_E_INTERNAL,
		    "cannot disable core dumps: %s", strerror(errno));
#ifdef HAVE_PRCTL
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return cd_err_set(err, CD_E_INTERNAL,
		    "cannot mark the process non-dumpable: %s",
		    strerror(errno));
#endif
	return 0;
}

void
cd_fault(const char *name)
{
#ifdef CD_FAULT_INJECTION
	const char *f = getenv("CERTDESK_FAULT");

	if (f != NULL && strcmp(f, name) == 0)
		raise(SIGKILL);
#else
	(void)name;
#endif
}

void
cd_wipe_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

void *
cd_wipe_realloc(void *p, size_t used, size_t oldcap, size_t cap)
{
	void *np;

	if ((np = malloc(cap)) == NULL)
		return NULL;
	if (p != NULL)
		memcpy(np, p, used);
	cd_wipe_free(p, oldcap);
	return np;
}

void
cd_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void
cd_time_text(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || localtime_r(&tt, &tm) == NULL) {
		cd_strlcpy(buf, "", len);
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

void
cd_time_iso(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL) {
		cd_strlcpy(buf, "", len);
		return;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days in month mo (1-12) of year y, leap years counted. */
static int
month_days(int y, int mo)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int64_t
cd_time_parse(const char *s)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0;
	char *end;
	long long v;
	time_t t;

	if (s[0] == '@') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno != 0 || *end != '\0')
			return -1;
		return v;
	}
	/* YYYY-MM-DD, then nothing or " HH:MM": every field checked. */
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) < 1 || (mo = digits(s + 5, 2)) < 1 || mo > 12 ||
	    (d = digits(s + 8, 2)) < 1 || d > month_days(y, mo))
		return -1;
	s += 10;
	if (*s != '\0' && (strlen(s) != 6 || s[0] != ' ' || s[3] != ':' ||
	    (h = digits(s + 1, 2)) < 0 || h > 23 ||
	    (mi = digits(s + 4, 2)) < 0 || mi > 59))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || tm.tm_mday != d)
		return -1;
	return (int64_t)t;
}

/* ------------------------------------------------------------ output files */

/* 1 if the resolved path is dir or inside it (both resolved). */
static int
path_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/');
}

/* Refuse resolved (a real path) when it lies in protect (may be NULL). */
static int
output_protected(const char *resolved, const char *shown,
    const char *protect, struct cd_err *err)
{
	char rp[PATH_MAX];

	if (protect == NULL || protect[0] == '\0')
		return 0;
	if (realpath(protect, rp) == NULL)
		cd_strlcpy(rp, protect, sizeof(rp));
	if (!path_inside(resolved, rp))
		return 0;
	return cd_err_set(err, CD_E_DENIED, "%s is in the data directory %s: "
	    "certdesk never writes its output there", shown, protect);
}

/* Split path into its folder ("." or "/" when it has none) and name. */
static int
output_split(const char *path, char *dir, size_t dirlen, const char **name,
    struct cd_err *err)
{
	const char *slash = strrchr(path, '/');

	*name = slash ? slash + 1 : path;
	if (slash == NULL)
		cd_strlcpy(dir, ".", dirlen);
	else if (slash == path)
		cd_strlcpy(dir, "/", dirlen);
	else if ((size_t)(slash - path) >= dirlen)
		return cd_err_set(err, CD_E_INVAL, "path too long: %s", path);
	else
		snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
	if ((*name)[0] == '\0' || strcmp(*name, ".") == 0 ||
	    strcmp(*name, "..") == 0)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a file name",
		    path);
	return 0;
}

static int
output_fd(int fd, const char *shown, const void *data, size_t len,
    struct cd_err *err)
{
	if (write_all(fd, data, len) == -1)
		return cd_err_set(err, CD_E_IO, "cannot write %s: %s", shown,
		    strerror(errno));
	return 0;
}

/*
 * Write into an existing character device or FIFO: opened without
 * creating or truncating, and checked again once open (it may have been
 * replaced since it was looked at).
 */
static int
output_into(const char *path, int follow, const void *data, size_t len,
    struct cd_err *err)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC |
	    (follow ? 0 : O_NOFOLLOW));
	if (fd == -1)
		return cd_err_set(err, CD_E_IO, "cannot open %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1 || !(S_ISCHR(st.st_mode) ||
	    S_ISFIFO(st.st_mode)))
		r = cd_err_set(err, CD_E_DENIED, "%s changed while it was "
		    "opened; nothing was written", path);
	else
		r = output_fd(fd, path, data, len, err);
	if (close(fd) == -1 && r == 0)
		r = cd_err_set(err, CD_E_IO, "cannot write %s: %s", path,
		    strerror(errno));
	return r;
}

/* 1 if st is the file standard output writes to. */
static int
is_stdout(const struct stat *st)
{
	struct stat so;

	return fstat(STDOUT_FILENO, &so) == 0 && so.st_dev == st->st_dev &&
	    so.st_ino == st->st_ino;
}

/* A name that does not exist yet: created, never replacing a file. */
static int
output_new(const char *path, const char *protect, const void *data,
    size_t len, mode_t mode, struct cd_err *err)
{
	char dir[4096], rdir[PATH_MAX];
	const char *name;
	int r;

	if ((r = output_split(path, dir, sizeof(dir), &name, err)) != 0)
		return r;
	if (realpath(dir, rdir) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot write %s: %s", path,
		    strerror(errno));
	if ((r = output_protected(rdir, path, protect, err)) != 0)
		return r;
	return cd_write_new(dir, name, data, len, mode, NULL, 0, err);
}

int
cd_write_output(const char *path, const char *protect, const void *data,
    size_t len, mode_t mode, struct cd_err *err)
{
	char dir[4096], real[PATH_MAX];
	const char *name;
	struct stat st, t;
	int r;

	if (strcmp(path, "-") == 0)
		return output_fd(STDOUT_FILENO, "standard output", data, len,
		    err);
	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return output_new(path, protect, data, len, mode, err);
		return cd_err_set(err, CD_E_IO, "cannot write %s: %s", path,
		    strerror(errno));
	}
	if (realpath(path, real) == NULL || stat(path, &t) == -1)
		return cd_err_set(err, CD_E_DENIED, "%s is a symbolic link "
		    "that leads nowhere; it was left as it is", path);
	if ((r = output_protected(real, path, protect, err)) != 0)
		return r;
	if (is_stdout(&t))
		return output_fd(STDOUT_FILENO, path, data, len, err);
	if (S_ISCHR(t.st_mode) || S_ISFIFO(t.st_mode))
		return output_into(path, S_ISLNK(st.st_mode), data, len, err);
	if (S_ISLNK(st.st_mode))
		return cd_err_set(err, CD_E_DENIED, "%s is a symbolic link; "
		    "certdesk replaces only a regular file", path);
	if (S_ISDIR(st.st_mode))
		return cd_err_set(err, CD_E_DENIED, "%s is a folder; give a "
		    "file name", path);
	if (!S_ISREG(st.st_mode))
		return cd_err_set(err, CD_E_DENIED, "%s is not a regular "
		    "file, character device or FIFO", path);
	if ((r = output_split(path, dir, sizeof(dir), &name, err)) != 0)
		return r;
	return cd_write_atomic(dir, name, data, len, mode, NULL, 0, err);
}
