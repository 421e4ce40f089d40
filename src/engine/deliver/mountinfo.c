/* SPDX-License-Identifier: ISC */
/*
 * mountinfo.c - parse the kernel's mount table (proc(5), mountinfo) to find
 * where a device is mounted and whether read-only, and count the entries
 * of a folder that are not on an ignore list.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"
#include "util.h"

const char cd_ignore_default[][64] = {
	"lost+found",
	"System Volume Information",
	"$RECYCLE.BIN",
	".Trashes",
	".Spotlight-V100",
	".fseventsd",
	".Trash-*",
};
const int cd_nignore_default = (int)CD_NELEM(cd_ignore_default);

/* One space-separated field of a line. */
struct tok {
	const char *s;
	size_t n;
};

static int
next_tok(const char **pp, struct tok *t)
{
	const char *p = *pp;

	while (*p == ' ')
		p++;
	if (*p == '\0' || *p == '\n')
		return 0;
	t->s = p;
	while (*p != '\0' && *p != ' ' && *p != '\n')
		p++;
	t->n = (size_t)(p - t->s);
	*pp = p;
	return 1;
}

static int
tok_is(const struct tok *t, const char *s)
{
	return strlen(s) == t->n && memcmp(t->s, s, t->n) == 0;
}

static int
is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

/* Copy t to out, undoing the kernel's \ooo escapes; -1 if it does not fit. */
static int
tok_decode(const struct tok *t, char *out, size_t outlen)
{
	size_t i = 0, o = 0;

	while (i < t->n) {
		char c = t->s[i];

		if (c == '\\' && i + 3 < t->n && is_odigit(t->s[i + 1]) &&
		    is_odigit(t->s[i + 2]) && is_odigit(t->s[i + 3])) {
			c = (char)(((t->s[i + 1] - '0') << 6) |
			    ((t->s[i + 2] - '0') << 3) | (t->s[i + 3] - '0'));
			i += 4;
		} else
			i++;
		if (o + 1 >= outlen)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* Does the comma-separated option list t contain the option opt? */
static int
tok_has_opt(const struct tok *t, const char *opt)
{
	size_t len = strlen(opt), i = 0, start;

	while (i <= t->n) {
		start = i;
		while (i < t->n && t->s[i] != ',')
			i++;
		if (i - start == len && memcmp(t->s + start, opt, len) == 0)
			return 1;
		i++;
	}
	return 0;
}

static int
parse_devnum(const struct tok *t, unsigned *major, unsigned *minor)
{
	char buf[32], *end;
	unsigned long ma, mi;

	if (tok_decode(t, buf, sizeof(buf)) != 0)
		return -1;
	errno = 0;
	ma = strtoul(buf, &end, 10);
	if (end == buf || *end != ':' || errno != 0)
		return -1;
	mi = strtoul(end + 1, &end, 10);
	if (*end != '\0' || errno != 0 || ma > 0xffffffffUL ||
	    mi > 0xffffffffUL)
		return -1;
	*major = (unsigned)ma;
	*minor = (unsigned)mi;
	return 0;
}

int
cd_mountinfo_parse_line(const char *line, struct cd_mount *out)
{
	struct tok id, parent, dev, root, mnt, opts, t, fstype, source, sopts;
	const char *p = line;

	memset(out, 0, sizeof(*out));
	if (!next_tok(&p, &id) || !next_tok(&p, &parent) ||
	    !next_tok(&p, &dev) || !next_tok(&p, &root) ||
	    !next_tok(&p, &mnt) || !next_tok(&p, &opts))
		return CD_E_INVAL;
	/* Optional fields ("shared:1 master:2") up to the "-" separator. */
	do {
		if (!next_tok(&p, &t))
			return CD_E_INVAL;
	} while (!tok_is(&t, "-"));
	if (!next_tok(&p, &fstype) || !next_tok(&p, &source))
		return CD_E_INVAL;
	if (!next_tok(&p, &sopts))
		sopts.n = 0;
	if (parse_devnum(&dev, &out->major, &out->minor) != 0 ||
	    tok_decode(&root, out->root, sizeof(out->root)) != 0 ||
	    tok_decode(&mnt, out->mountpoint, sizeof(out->mountpoint)) != 0 ||
	    tok_decode(&fstype, out->fstype, sizeof(out->fstype)) != 0 ||
	    tok_decode(&source, out->source, sizeof(out->source)) != 0)
		return CD_E_INVAL;
	out->readonly = tok_has_opt(&opts, "ro") ||
	    (sopts.n > 0 && tok_has_opt(&sopts, "ro"));
	return 0;
}

int
cd_mountinfo_find(const char *path, unsigned major, unsigned minor,
    struct cd_mount *out, struct cd_err *err)
{
	struct cd_mount m;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (path == NULL)
		path = CD_MOUNTINFO_DEFAULT;
	if ((f = fopen(path, "re")) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot read the mount table "
		    "%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) != -1) {
		if (cd_mountinfo_parse_line(line, &m) != 0)
			continue;
		if (m.major == major && m.minor == minor &&
		    strcmp(m.root, "/") == 0) {
			*out = m;
			r = 1;
			break;
		}
	}
	if (r == 0 && ferror(f))
		r = cd_err_set(err, CD_E_IO, "cannot read the mount table %s",
		    path);
	free(line);
	fclose(f);
	return r;
}

static int
ignored(const char *name, int nignore, const char (*ignore)[64])
{
	int i;

	for (i = 0; i < nignore; i++)
		if (fnmatch(ignore[i], name, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

int
cd_dir_count_entries(const char *dir, int nignore, const char (*ignore)[64],
    int *count, struct cd_err *err)
{
	DIR *d;
	struct dirent *de;
	int n = 0, r = 0;

	if (ignore == NULL) {
		ignore = cd_ignore_default;
		nignore = cd_nignore_default;
	}
	if ((d = opendir(dir)) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot list %s: %s", dir,
		    strerror(errno));
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    ignored(de->d_name, nignore, ignore))
			continue;
		n++;
	}
	if (errno != 0)
		r = cd_err_set(err, CD_E_IO, "cannot list %s: %s", dir,
		    strerror(errno));
	closedir(d);
	if (r == 0)
		*count = n;
	return r;
}
