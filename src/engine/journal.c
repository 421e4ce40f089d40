/*
 * journal.c - recording and undoing the files of a collection attempt.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "journal.h"
#include "util.h"

static void
sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	cd_hex(md, 32, out);
}

int
cd_journal_add(char *buf, size_t len, const char *path,
    const unsigned char *data, size_t dlen, struct cd_err *err)
{
	char hex[65];
	size_t used = strlen(buf);
	int n;

	if (strchr(path, '\n') != NULL || strchr(path, '\t') != NULL)
		return cd_err_set(err, CD_E_INVAL,
		    "a file name holds a tab or newline: %s", path);
	if (used >= len)
		return cd_err_set(err, CD_E_INVAL, "the file journal is full");
	sha256_hex(data, dlen, hex);
	n = snprintf(buf + used, len - used, "F\t%s\t%s\n", hex, path);
	if (n < 0 || (size_t)n >= len - used) {
		buf[used] = '\0';
		return cd_err_set(err, CD_E_INVAL, "too many or too long file "
		    "names in one package to keep track of (%s)", path);
	}
	return 0;
}

/*
 * Is d_name a temporary of ours (".NAME.PID.XXXXXX", pat = ".NAME.")
 * that may go: written by this process, or by one that is gone?  Another
 * live writer's temporary of the same name is left alone.
 */
static int
stale_temporary(const char *d_name, const char *pat, size_t plen)
{
	const char *p = d_name + plen;
	char *end;
	long pid;

	if (strncmp(d_name, pat, plen) != 0 || *p < '1' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	if (*end != '.' || strlen(end + 1) != 6)
		return 0;
	if (pid == (long)getpid())
		return 1;
	return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

/* Remove the temporaries of path left by this or a killed writer. */
static void
remove_temporaries(const char *path)
{
	char dir[4096], pat[1024], full[4096];
	const char *slash = strrchr(path, '/'), *name;
	struct dirent *de;
	DIR *d;
	size_t plen;

	if (slash == NULL)
		return;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 :
	    (int)(slash - path), path);
	name = slash + 1;
	if ((size_t)snprintf(pat, sizeof(pat), ".%s.", name) >= sizeof(pat))
		return;
	plen = strlen(pat);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!stale_temporary(de->d_name, pat, plen))
			continue;
		if (cd_path_join(full, sizeof(full), dir, de->d_name, NULL) ==
		    0)
			unlink(full);
	}
	closedir(d);
}

static int
remove_if_same(const char *path, const char *want)
{
	unsigned char *data = NULL;
	size_t len;
	char hex[65];
	int removed = 0;

	remove_temporaries(path);
	if (cd_read_file(path, 64 << 20, &data, &len, NULL) != 0)
		return 0;
	sha256_hex(data, len, hex);
	if (strcmp(hex, want) == 0 && unlink(path) == 0)
		removed = 1;
	free(data);
	return removed;
}

int
cd_journal_remove_files(const char *buf)
{
	const char *line = buf, *nl;
	char copy[4200], *hash, *path;
	int n = 0;
	size_t len;

	for (; line != NULL && *line != '\0'; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len >= sizeof(copy) || strncmp(line, "F\t", 2) != 0)
			continue;
		memcpy(copy, line, len);
		copy[len] = '\0';
		hash = copy + 2;
		if ((path = strchr(hash, '\t')) == NULL)
			continue;
		*path++ = '\0';
		n += remove_if_same(path, hash);
	}
	return n;
}
