/* SPDX-License-Identifier: ISC */
/*
 * conf.c - loading certdesk.conf into a checked struct cd_conf.
 *
 * iniparser reads the file (and reports syntax errors); a small scan of
 * our own remembers where each section and key is, so that every later
 * error names FILE:LINE.  Loading then goes: structure (known sections
 * and keys, no key set twice), every value from the settings tables below
 * (types, ranges, defaults, required keys), the backends named in
 * [store], [ca] and [print] (each reads the rest of its section through
 * its own conf_load hook and the cd_conf_* lookups; a key it never asks
 * for is unknown), then cross-checks (profiles name existing policies,
 * PIN mailers and the print backend, templates).
 *
 * Not thread-safe: iniparser's error callback is process-wide, so its
 * message is caught in a static buffer.  Load before starting threads.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <iniparser/iniparser.h>

#include "ca.h"
#include "conf.h"
#include "print.h"
#include "store.h"
#include "subst.h"
#include "template.h"
#include "util.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define CONF_MAX_BYTES (1024 * 1024)
#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_-"
#define LIST_MAX 2048		/* longest comma list we split */
#define NAME_LEN 128		/* section and key names in the scan */
#define WEEK (7 * 24 * 3600)

/* Where a section header or key is in the file. */
struct place {
	char sec[NAME_LEN];
	char key[NAME_LEN];	/* "" for a section header */
	int line;
};

#define ASKED_MAX 64

struct loader {
	const char *path;		/* as given, for messages */
	char dir[CD_PATH_MAX];		/* its directory, absolute */
	dictionary *d;
	struct place *places;
	int nplaces;
	struct cd_conf *conf;
	struct cd_err *err;
	/* keys a backend's conf_load asked for in its section */
	char asked[ASKED_MAX][NAME_LEN];
	int nasked;
};

/* What a backend's conf_load hook is given (conf.h). */
struct cd_conf_src {
	struct loader *ld;
};

struct opt;
typedef int (*parse_fn)(struct loader *ld, const char *sec,
    const struct opt *o, const char *val, void *obj);

/* One setting: key, parser, where it goes, range, default (NULL: required). */
struct opt {
	const char *key;
	parse_fn parse;
	size_t off;
	size_t size;
	long min, max;
	const char *def;
};

/*
 * A fixed section, or a family of sections "prefix.ID".  A backend
 * section ([store], [ca], [print]) has the generic keys of its table and
 * whatever its backend's conf_load asks for.
 */
struct section {
	const char *name;
	const struct opt *opts;
	size_t nopts;
	int backend;
};

static const char *const key_types[] = { "rsa2048", "rsa3072", "rsa4096",
	"ec-p256", "ec-p384" };
static const char *const key_type_names[] = { "RSA-2048", "RSA-3072",
	"RSA-4096", "EC P-256", "EC P-384" };
static const char *const storages[] = { "FileStore", "AutoSave",
	"SystemStore" };
static const char *const readbacks[] = { "mac", "full" };
static const char *const key_usages[] = { "digitalSignature",
	"nonRepudiation", "keyEncipherment", "dataEncipherment",
	"keyAgreement" };
static const char *const ext_key_usages[] = { "clientAuth",
	"emailProtection", "codeSigning", "smartcardLogon", "documentSigning",
	"serverAuth" };
static const char *const char_classes[] = { "lower", "upper", "digit",
	"symbol" };
static const char *const san_types[] = { "email", "upn", "dns", "uri" };

/* ---- messages ------------------------------------------------------------- */

static int
line_of(const struct loader *ld, const char *sec, const char *key)
{
	int i, line = 0;

	for (i = 0; i < ld->nplaces; i++) {
		if (strcmp(ld->places[i].sec, sec) != 0 ||
		    strcmp(ld->places[i].key, key != NULL ? key : "") != 0)
			continue;
		line = ld->places[i].line;
		if (key == NULL)
			break;		/* a section: its first header */
	}
	return line;
}

/* "FILE:LINE: msg" (no LINE if line is 0). */
__attribute__((format(printf, 3, 0)))
static int
vfail_at(struct loader *ld, int line, const char *fmt, va_list ap)
{
	char msg[CD_ERR_MSGLEN], where[24] = "";

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(where, sizeof(where), ":%d", line);
	return cd_err_set(ld->err, CD_E_CONFIG, "%s%s: %s", ld->path, where,
	    msg);
}

__attribute__((format(printf, 3, 4)))
static int
fail_at(struct loader *ld, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, line, fmt, ap);
	va_end(ap);
	return CD_E_CONFIG;
}

/* "FILE:LINE: [sec] key: msg", or "FILE:LINE: [sec] msg" without a key. */
__attribute__((format(printf, 4, 5)))
static int
fail(struct loader *ld, const char *sec, const char *key, const char *fmt,
    ...)
{
	char msg[CD_ERR_MSGLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (key == NULL)
		return fail_at(ld, line_of(ld, sec, NULL), "[%s] %s", sec, msg);
	return fail_at(ld, line_of(ld, sec, key), "[%s] %s: %s", sec, key, msg);
}

/* "a, b, c" from a list of names. */
static void
join(char *buf, size_t len, const char *const *names, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? ", " : "", names[i]);
}

static int
find_name(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cd_strieq(names[i], s))
			return (int)i;
	return -1;
}

/* ---- iniparser and the scan ------------------------------------------------ */

static char ini_msg[512];

/* iniparser's error callback: keep the first message, print nothing. */
__attribute__((format(printf, 1, 2)))
static int
ini_error(const char *fmt, ...)
{
	va_list ap;

	if (ini_msg[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_msg, sizeof(ini_msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* Turn iniparser's message into "FILE:LINE: syntax error: <the line>". */
static int
ini_failure(struct loader *ld)
{
	char *nl, *paren, *arrow;
	int line = 0;

	if ((nl = strchr(ini_msg, '\n')) != NULL)
		*nl = '\0';
	if ((paren = strrchr(ini_msg, '(')) != NULL)
		sscanf(paren, "(%d)", &line);
	if (strstr(ini_msg, "syntax error") != NULL) {
		if (nl == NULL || strncmp(nl + 1, "-> ", 3) != 0)
			return fail_at(ld, line, "syntax error");
		arrow = nl + 4;
		arrow[strcspn(arrow, "\n")] = '\0';
		return fail_at(ld, line, "syntax error: %s", arrow);
	}
	if (strstr(ini_msg, "too long") != NULL)
		return fail_at(ld, line, "line too long");
	return fail_at(ld, 0, "cannot be read%s%s", ini_msg[0] ? ": " : "",
	    strncmp(ini_msg, "iniparser: ", 11) == 0 ? ini_msg + 11 : ini_msg);
}

static void
lower_copy(char *dst, const char *src, size_t n, size_t size)
{
	size_t i;

	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
	cd_trim(dst);
}

static int
add_place(struct loader *ld, const char *sec, const char *key, int line)
{
	struct place *np;
	int i;

	for (i = 0; key[0] != '\0' && i < ld->nplaces; i++)
		if (strcmp(ld->places[i].sec, sec) == 0 &&
		    strcmp(ld->places[i].key, key) == 0)
			return fail_at(ld, line, "[%s] %s: set twice (also on "
			    "line %d)", sec, key, ld->places[i].line);
	if ((ld->nplaces & 63) == 0) {
		np = realloc(ld->places, (size_t)(ld->nplaces + 64) *
		    sizeof(*np));
		if (np == NULL)
			return cd_err_set(ld->err, CD_E_NOMEM, NULL);
		ld->places = np;
	}
	np = &ld->places[ld->nplaces++];
	cd_strlcpy(np->sec, sec, sizeof(np->sec));
	cd_strlcpy(np->key, key, sizeof(np->key));
	np->line = line;
	return 0;
}

/* One logical line (continuations joined away): section, key or other. */
static int
scan_line(struct loader *ld, char *s, int line, char *sec)
{
	char key[NAME_LEN];
	size_t len = strlen(s);
	char *eq;

	if (len == 0 || s[0] == '#' || s[0] == ';')
		return 0;
	if (s[0] == '[' && s[len - 1] == ']') {
		lower_copy(sec, s + 1, strcspn(s + 1, "]"), NAME_LEN);
		return add_place(ld, sec, "", line);
	}
	if ((eq = strchr(s, '=')) == NULL)
		return 0;	/* iniparser has already refused it */
	lower_copy(key, s, (size_t)(eq - s), sizeof(key));
	if (sec[0] == '\0')
		return fail_at(ld, line, "%s: setting outside any section "
		    "(put it under [general] or another section)", key);
	return add_place(ld, sec, key, line);
}

/* Remember the line of every section header and key in text. */
static int
scan(struct loader *ld, char *text)
{
	char sec[NAME_LEN] = "", *s, *next;
	int line = 0, cont = 0, r;
	size_t len;

	for (s = text; s != NULL; s = next) {
		line++;
		if ((next = strchr(s, '\n')) != NULL)
			*next++ = '\0';
		cd_trim(s);
		len = strlen(s);
		if (cont) {
			cont = len > 0 && s[len - 1] == '\\';
			continue;
		}
		cont = len > 0 && s[len - 1] == '\\';
		if ((r = scan_line(ld, s, line, sec)) != 0)
			return r;
	}
	return 0;
}

/* Read the file, parse it with iniparser, scan it for line numbers. */
static int
read_conf(struct loader *ld)
{
	unsigned char *text = NULL;
	size_t len;
	char dir[CD_PATH_MAX], *slash, *real = NULL;
	struct cd_err e;
	int r;

	if (cd_read_file(ld->path, CONF_MAX_BYTES, &text, &len, &e) != 0)
		return cd_err_set(ld->err, CD_E_CONFIG, "%s", e.msg);
	cd_strlcpy(dir, ld->path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) == NULL)
		cd_strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((real = realpath(dir, NULL)) == NULL ||
	    cd_strlcpy(ld->dir, real, sizeof(ld->dir)) >= sizeof(ld->dir)) {
		r = fail_at(ld, 0, "cannot resolve its folder: %s",
		    real == NULL ? strerror(errno) : "name too long");
		goto out;
	}
	ini_msg[0] = '\0';
	iniparser_set_error_callback(ini_error);
	if ((ld->d = iniparser_load(ld->path)) == NULL) {
		r = ini_failure(ld);
		goto out;
	}
	r = scan(ld, (char *)text);
out:
	free(real);
	free(text);
	return r;
}

/* ---- value parsers --------------------------------------------------------- */

#define FIELD(obj, o) ((char *)(obj) + (o)->off)

static int
p_str(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	if (strlen(val) >= o->size)
		return fail(ld, sec, o->key, "is too long (at most %zu "
		    "characters)", o->size - 1);
	cd_strlcpy(FIELD(obj, o), val, o->size);
	return 0;
}

static int
p_name(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	if (*val == '\0')
		return fail(ld, sec, o->key, "must not be empty");
	return p_str(ld, sec, o, val, obj);
}

/* Drop "." and empty components and resolve ".." in an absolute path. */
static void
normalise(char *path)
{
	char *in = path, *out = path, *comp;
	size_t n;

	while (*in != '\0') {
		while (*in == '/')
			in++;
		comp = in;
		n = strcspn(comp, "/");
		in += n;
		if (n == 0 || (n == 1 && comp[0] == '.'))
			continue;
		if (n == 2 && comp[0] == '.' && comp[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, comp, n);
		out += n;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* base/val (or val if absolute), normalised, into dst. */
static int
resolve(struct loader *ld, const char *sec, const struct opt *o,
    const char *base, const char *val, char *dst)
{
	struct cd_err e;

	if (val[0] == '/') {
		if (cd_strlcpy(dst, val, o->size) >= o->size)
			return fail(ld, sec, o->key, "is too long (at most %zu "
			    "characters)", o->size - 1);
	} else if (cd_path_join(dst, o->size, base, val, &e) != 0)
		return fail(ld, sec, o->key, "%s", e.msg);
	normalise(dst);
	return 0;
}

/* An absolute path; relative ones are relative to the file's folder. */
static int
p_path(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	if (*val == '\0')
		return fail(ld, sec, o->key, "must not be empty");
	return resolve(ld, sec, o, ld->dir, val, FIELD(obj, o));
}

/* A path that may be left empty (not set). */
static int
p_opath(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	if (*val == '\0')
		return p_str(ld, sec, o, val, obj);
	return p_path(ld, sec, o, val, obj);
}

static int
p_fname(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	struct cd_err e;

	if (*val == '\0')
		return fail(ld, sec, o->key, "must not be empty");
	if (cd_subst_check(val, CD_SUBST_ALL, &e) != 0)
		return fail(ld, sec, o->key, "%s", e.msg);
	return p_str(ld, sec, o, val, obj);
}

static int
p_bool(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };
	int *dst = (int *)FIELD(obj, o);

	if (find_name(yes, CD_NELEM(yes), val) >= 0)
		*dst = 1;
	else if (find_name(no, CD_NELEM(no), val) >= 0)
		*dst = 0;
	else
		return fail(ld, sec, o->key, "'%s' is not yes or no (also "
		    "true/false, on/off, 1/0)", val);
	return 0;
}

/* A decimal number with an optional unit suffix; -1 if malformed. */
static int
parse_number(const char *val, const char *units, long *v, char *unit)
{
	char *end;

	if (!isdigit((unsigned char)val[0]))
		return -1;
	errno = 0;
	*v = strtol(val, &end, 10);
	if (errno != 0)
		*v = LONG_MAX;
	while (isspace((unsigned char)*end))
		end++;
	*unit = '\0';
	if (*end != '\0' && end[1] == '\0' &&
	    strchr(units, tolower((unsigned char)*end)) != NULL)
		*unit = (char)tolower((unsigned char)*end++);
	return *end == '\0' ? 0 : -1;
}

/* A path that may be left empty (a feature that is off). */
static int
p_optpath(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	if (*val == '\0') {
		*(char *)FIELD(obj, o) = '\0';
		return 0;
	}
	return p_path(ld, sec, o, val, obj);
}

/* An http:// or https:// URL without spaces, or "" for none. */
static int
p_url(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	const char *p;

	if (*val != '\0' && strncmp(val, "http://", 7) != 0 &&
	    strncmp(val, "https://", 8) != 0)
		return fail(ld, sec, o->key, "'%s' is not an http:// or "
		    "https:// URL", val);
	for (p = val; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    *p == ',')
			return fail(ld, sec, o->key, "a URL holds no spaces, "
			    "commas, control or non-ASCII characters");
	return p_str(ld, sec, o, val, obj);
}

/* A dotted object identifier (1.2.3...), or "" for none. */
static int
p_oid(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	const char *p = val;
	int arcs = 0;

	while (*p != '\0') {
		if (!isdigit((unsigned char)*p) || (*p == '0' &&
		    isdigit((unsigned char)p[1])))
			break;
		while (isdigit((unsigned char)*p))
			p++;
		arcs++;
		if (*p == '.' && p[1] != '\0')
			p++;
		else
			break;
	}
	if (*val != '\0' && (*p != '\0' || arcs < 2 || val[0] > '2'))
		return fail(ld, sec, o->key, "'%s' is not a dotted object "
		    "identifier such as 1.3.6.1.4.1.99999.1.1", val);
	return p_str(ld, sec, o, val, obj);
}

static int
p_int(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	long v;
	char unit;

	if (parse_number(val, "", &v, &unit) != 0)
		return fail(ld, sec, o->key, "'%s' is not a whole number",
		    val);
	if (v < o->min || v > o->max)
		return fail(ld, sec, o->key, "%s is out of range (%ld to %ld)",
		    val, o->min, o->max);
	*(int *)FIELD(obj, o) = (int)v;
	return 0;
}

/*
 * PKCS#12 iteration counts: Windows refuses a package with more than
 * 600000 iterations, the JDK more than 5000000; certdesk never writes one
 * that either cannot open, so the range ends at 600000 (o->max).
 */
static int
p_iter(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	long v;
	char unit;

	if (parse_number(val, "", &v, &unit) == 0 && v > o->max)
		return fail(ld, sec, o->key, "%s is more than %ld: Windows "
		    "cannot open a package with more than 600000 iterations "
		    "(Java more than 5000000)", val, o->max);
	return p_int(ld, sec, o, val, obj);
}

/* Seconds, or a number with s, m or h. */
static int
p_dur(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	long v, mul;
	char unit;

	if (parse_number(val, "smhd", &v, &unit) != 0)
		return fail(ld, sec, o->key, "'%s' is not a duration "
		    "(seconds, or a number with s, m, h or d)", val);
	mul = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 :
	    1;
	if (v > LONG_MAX / mul)
		v = LONG_MAX;
	else
		v *= mul;
	if (v < o->min || v > o->max)
		return fail(ld, sec, o->key, "%s is out of range (%ld to %ld "
		    "seconds)", val, o->min, o->max);
	*(int *)FIELD(obj, o) = (int)v;
	return 0;
}

static int
p_paper(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	static const char *const papers[] = { "A4", "Letter" };
	int i;

	if ((i = find_name(papers, CD_NELEM(papers), val)) < 0)
		return fail(ld, sec, o->key, "'%s' is not A4 or Letter", val);
	return p_str(ld, sec, o, papers[i], obj);
}

/* An enum from a list of names (o->min: the first enum value). */
static int
p_enum(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj, const char *const *names, size_t n)
{
	char known[256];
	int i;

	if ((i = find_name(names, n, val)) < 0) {
		join(known, sizeof(known), names, n);
		return fail(ld, sec, o->key, "'%s' is not one of %s", val,
		    known);
	}
	*(int *)FIELD(obj, o) = i;
	return 0;
}

static int
p_keytype(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	return p_enum(ld, sec, o, val, obj, key_types, CD_NELEM(key_types));
}

static int
p_readback(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	return p_enum(ld, sec, o, val, obj, readbacks, CD_NELEM(readbacks));
}

static int
p_storage(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	return p_enum(ld, sec, o, val, obj, storages, CD_NELEM(storages));
}

static int
p_pwmode(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	int *user_pin = (int *)FIELD(obj, o);

	if (cd_strieq(val, "user"))
		*user_pin = 1;
	else if (cd_strieq(val, "generated"))
		*user_pin = 0;
	else
		return fail(ld, sec, o->key, "'%s' is not 'user' (typed by "
		    "the operator) or 'generated'", val);
	return 0;
}

/*
 * Split a comma list into trimmed, non-empty items.  Returns the number
 * of items (at most max), or -1 after failing with a message.
 */
static int
split(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, char *buf, size_t len, char **items, int max)
{
	char *p, *next;
	int n = 0;

	if (cd_strlcpy(buf, val, len) >= len)
		return fail(ld, sec, o->key, "is too long"), -1;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (*cd_trim(p) == '\0')
			continue;
		if (n == max)
			return fail(ld, sec, o->key, "lists more than %d "
			    "items", max), -1;
		items[n++] = p;
	}
	return n;
}

/* A comma list of names from a table into a bit set. */
static int
p_bits(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj, const char *const *names, size_t nnames)
{
	char buf[LIST_MAX], *items[32], known[256];
	unsigned bits = 0;
	int n, i, b;

	if ((n = split(ld, sec, o, val, buf, sizeof(buf), items, 32)) < 0)
		return CD_E_CONFIG;
	for (i = 0; i < n; i++) {
		if ((b = find_name(names, nnames, items[i])) < 0) {
			join(known, sizeof(known), names, nnames);
			return fail(ld, sec, o->key, "unknown value '%s' "
			    "(known: %s)", items[i], known);
		}
		bits |= 1u << b;
	}
	if (bits == 0 && o->min > 0)
		return fail(ld, sec, o->key, "must name at least one of %s",
		    (join(known, sizeof(known), names, nnames), known));
	*(unsigned *)FIELD(obj, o) = bits;
	return 0;
}

static int
p_ku(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	return p_bits(ld, sec, o, val, obj, key_usages,
	    CD_NELEM(key_usages));
}

static int
p_eku(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	return p_bits(ld, sec, o, val, obj, ext_key_usages,
	    CD_NELEM(ext_key_usages));
}

static int
p_classes(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	return p_bits(ld, sec, o, val, obj, char_classes,
	    CD_NELEM(char_classes));
}

static int
p_ignore(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	struct cd_conf *conf = obj;
	char buf[LIST_MAX], *items[CD_MAX_IGNORE];
	int n, i;

	if ((n = split(ld, sec, o, val, buf, sizeof(buf), items,
	    CD_MAX_IGNORE)) < 0)
		return CD_E_CONFIG;
	for (i = 0; i < n; i++)
		if (cd_strlcpy(conf->usb_ignore[i], items[i], CD_NAME_MAX) >=
		    CD_NAME_MAX)
			return fail(ld, sec, o->key, "'%s' is too long",
			    items[i]);
	conf->nignore = n;
	return 0;
}

/* Each unescaped-comma part of a subject must start with TYPE=. */
static int
check_rdns(struct loader *ld, const char *sec, const struct opt *o,
    const char *val)
{
	const char *p = val, *start;
	size_t n;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		start = p;
		for (; *p != '\0' && *p != ','; p++)
			if (*p == '\\' && p[1] != '\0')
				p++;
		n = strspn(start, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
		    "rstuvwxyz0123456789.");
		while (start[n] == ' ')
			n++;
		if (!isalpha((unsigned char)start[0]) || start[n] != '=')
			return fail(ld, sec, o->key, "'%.*s' is not TYPE=value "
			    "(for example CN=[[People.FullName]])",
			    (int)(p - start), start);
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Known substitutions, and of those only [[People.*]]. */
static int
check_person_subst(struct loader *ld, const char *sec, const struct opt *o,
    const char *val)
{
	struct cd_err e;

	if (cd_subst_check(val, CD_SUBST_ALL, &e) != 0)
		return fail(ld, sec, o->key, "%s", e.msg);
	if (cd_subst_check(val, CD_SUBST_PERSON, &e) != 0)
		return fail(ld, sec, o->key, "%s (only [[People.Field]] "
		    "substitutions may be used)", e.msg);
	return 0;
}

static int
p_subject(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	int r;

	if (*val == '\0')
		return fail(ld, sec, o->key, "must not be empty");
	if ((r = check_person_subst(ld, sec, o, val)) != 0 ||
	    (r = check_rdns(ld, sec, o, val)) != 0)
		return r;
	return p_str(ld, sec, o, val, obj);
}

static int
p_san(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	char buf[LIST_MAX], *items[32], *colon, known[64];
	int n, i;

	if (check_person_subst(ld, sec, o, val) != 0)
		return CD_E_CONFIG;
	if ((n = split(ld, sec, o, val, buf, sizeof(buf), items, 32)) < 0)
		return CD_E_CONFIG;
	for (i = 0; i < n; i++) {
		colon = strchr(items[i], ':');
		if (colon != NULL)
			*colon = '\0';
		if (colon == NULL || colon[1] == '\0' ||
		    find_name(san_types, CD_NELEM(san_types),
		    cd_trim(items[i])) < 0) {
			join(known, sizeof(known), san_types,
			    CD_NELEM(san_types));
			return fail(ld, sec, o->key, "'%s%s%s' is not "
			    "TYPE:value with TYPE one of %s", items[i],
			    colon != NULL ? ":" : "",
			    colon != NULL ? colon + 1 : "", known);
		}
	}
	return p_str(ld, sec, o, val, obj);
}

static int
p_policies(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	struct cd_profile *prof = obj;
	const struct cd_policy *pol;
	char buf[LIST_MAX], *items[CD_MAX_POLICIES_PER_PROFILE];
	int n, i, j;

	if ((n = split(ld, sec, o, val, buf, sizeof(buf), items,
	    CD_MAX_POLICIES_PER_PROFILE)) < 0)
		return CD_E_CONFIG;
	if (n == 0)
		return fail(ld, sec, o->key, "must name at least one "
		    "certificate policy");
	for (i = 0; i < n; i++) {
		if ((pol = cd_conf_policy(ld->conf, items[i])) == NULL)
			return fail(ld, sec, o->key, "there is no certificate "
			    "policy '%s' (no [policy.%s] section)", items[i],
			    items[i]);
		for (j = 0; j < i; j++)
			if (prof->policies[j] == pol)
				return fail(ld, sec, o->key, "names policy "
				    "'%s' twice", items[i]);
		prof->policies[i] = pol;
	}
	prof->npolicies = n;
	return 0;
}

/* A template file name, resolved against templatedir. */
static int
p_template(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	if (*val == '\0')
		return p_str(ld, sec, o, val, obj);
	return resolve(ld, sec, o, ld->conf->templatedir, val, FIELD(obj, o));
}

/* ---- settings tables --------------------------------------------------------- */

#define OPT(T, key, fn, f, lo, hi, def) \
	{ key, fn, offsetof(T, f), sizeof(((T *)0)->f), lo, hi, def }
#define C(key, fn, f, lo, hi, def) OPT(struct cd_conf, key, fn, f, lo, hi, def)
#define P(key, fn, f, lo, hi, def) OPT(struct cd_policy, key, fn, f, lo, hi, def)
#define R(key, fn, f, lo, hi, def) OPT(struct cd_profile, key, fn, f, lo, hi, def)

static const struct opt general_opts[] = {
	C("datadir", p_path, datadir, 0, 0, NULL),
	C("organisation", p_str, organisation, 0, 0, ""),
	C("filename_format", p_fname, filename_format, 0, 0,
	    "[[People.LogonName]] [[PolicyName]]"),
	C("templatedir", p_path, templatedir, 0, 0,
	    SYSCONFDIR "/certdesk/templates"),
};

static const struct opt security_opts[] = {
	C("sha1_pfx", p_bool, sha1_pfx, 0, 0, "no"),
	C("revoke_delay", p_dur, revoke_delay, 0, WEEK, "300"),
	C("pfx_iterations", p_iter, pfx_iter, 1, 600000, "10000"),
	C("mac_iterations", p_iter, mac_iter, 1, 600000, "2048"),
	C("readback", p_readback, readback_full, 0, 0, "mac"),
	C("attempt_timeout", p_dur, attempt_timeout, 60, 86400, "900"),
	C("revoke_on_disable", p_bool, revoke_on_disable, 0, 0, "no"),
	C("backdate", p_dur, backdate, 0, 86400, "5m"),
};

/* The generic keys of the backend sections; the rest is the backend's. */
static const struct opt store_opts[] = {
	C("backend", p_name, store.name, 0, 0, "sqlite"),
};

static const struct opt ca_opts[] = {
	C("backend", p_name, ca.name, 0, 0, "local"),
	C("timeout", p_dur, ca_timeout, 1, 86400, "120"),
	C("revoke_command", p_opath, ca_revoke_command, 0, 0, ""),
	C("revoke_timeout", p_dur, ca_revoke_timeout, 1, 3600, "60"),
	C("crl_validity", p_dur, crl_validity, 3600, 366 * 86400, "7d"),
	C("crl_overlap", p_dur, crl_overlap, 0, 365 * 86400, "1d"),
	C("crl_publish_dir", p_optpath, crl_publish_dir, 0, 0, ""),
	C("crl_publish_command", p_str, crl_publish_command, 0, 0, ""),
	C("crl_url", p_url, crl_url, 0, 0, ""),
	C("ca_issuers_url", p_url, ca_issuers_url, 0, 0, ""),
};

static const struct opt print_opts[] = {
	C("backend", p_name, print.name, 0, 0, "cups"),
	C("paper", p_paper, paper, 0, 0, "A4"),
};

static const struct opt systemstore_opts[] = {
	C("nssdb", p_str, nssdb, 0, 0, ""),
};

static const struct opt autosave_opts[] = {
	C("mount", p_bool, usb_mount, 0, 0, "no"),
	C("eject", p_bool, usb_eject, 0, 0, "no"),
	C("poll", p_int, usb_poll, 1, 60, "2"),
	C("ignore", p_ignore, usb_ignore, 0, 0, "lost+found, System Volume "
	    "Information, $RECYCLE.BIN, .Trashes, .Spotlight-V100, "
	    ".fseventsd, .Trash-*"),
};

static const char *const client_modes[] = { "embedded", "server" };

static int
p_client_mode(struct loader *ld, const char *sec, const struct opt *o,
    const char *val, void *obj)
{
	int i;

	if ((i = find_name(client_modes, CD_NELEM(client_modes), val)) < 0)
		return fail(ld, sec, o->key, "'%s' is not embedded or server",
		    val);
	return p_str(ld, sec, o, client_modes[i], obj);
}

static const struct opt server_opts[] = {
	C("socket", p_path, server_socket, 0, 0, "/run/certdesk/certdesk.sock"),
	C("body_limit", p_int, server_body_limit, 1024, 64 << 20, "1048576"),
	C("idle_timeout", p_dur, server_idle_timeout, 1, 3600, "30"),
	C("max_connections", p_int, server_max_conn, 1, 10000, "256"),
	C("workers", p_int, server_workers, 1, 256, "8"),
};

static const struct opt client_opts[] = {
	C("mode", p_client_mode, client_mode, 0, 0, "embedded"),
	C("socket", p_optpath, client_socket, 0, 0, ""),
};

/* p_bits: min 1 means the list must not be empty. */
static const struct opt policy_opts[] = {
	P("name", p_str, name, 0, 0, ""),
	P("key", p_keytype, key_type, 0, 0, NULL),
	P("validity", p_int, validity_days, 1, 3650, "365"),
	P("key_usage", p_ku, key_usage, 1, 0, NULL),
	P("extended_key_usage", p_eku, ext_key_usage, 0, 0, ""),
	P("subject", p_subject, subject, 0, 0, "CN=[[People.FullName]]"),
	P("subject_alt_name", p_san, san, 0, 0, ""),
	P("storage", p_storage, storage, 0, 0, NULL),
	P("policy_oid", p_oid, policy_oid, 0, 0, ""),
	P("allow_any_eku", p_bool, allow_any_eku, 0, 0, "no"),
	P("allow_dns_san", p_bool, allow_dns_san, 0, 0, "no"),
};

static const struct opt profile_opts[] = {
	R("name", p_str, name, 0, 0, ""),
	R("description", p_str, description, 0, 0, ""),
	R("password", p_pwmode, user_pin, 0, 0, "user"),
	R("password_min", p_int, pw.min_len, 4, 128, "8"),
	R("password_max", p_int, pw.max_len, 4, 128, "64"),
	R("password_require", p_classes, pw.required, 0, 0, ""),
	R("approval", p_bool, need_approval, 0, 0, "no"),
	R("validation", p_bool, need_validation, 0, 0, "no"),
	R("policies", p_policies, policies, 0, 0, NULL),
	R("transport_template", p_template, transport_template, 0, 0, ""),
	R("pin_mailer_template", p_template, pin_mailer_template, 0, 0, ""),
};

#define SECTION(name, opts) { name, opts, CD_NELEM(opts), 0 }
#define BACKEND_SECTION(name, opts) { name, opts, CD_NELEM(opts), 1 }
static const struct section sections[] = {
	SECTION("general", general_opts),
	SECTION("security", security_opts),
	BACKEND_SECTION("store", store_opts),
	BACKEND_SECTION("ca", ca_opts),
	BACKEND_SECTION("print", print_opts),
	SECTION("systemstore", systemstore_opts),
	SECTION("autosave", autosave_opts),
	SECTION("policy.", policy_opts),
	SECTION("profile.", profile_opts),
	SECTION("server", server_opts),
	SECTION("client", client_opts),
};
#define POLICY_SECTION (&sections[7])
#define PROFILE_SECTION (&sections[8])

/* Settings that moved: a clear error naming the new place. */
static const struct {
	const char *sec, *key, *to_sec, *to_key;
} moved[] = {
	{ "general", "store", "store", "backend" },
	{ "general", "ca", "ca", "backend" },
};

/* ---- structure ------------------------------------------------------------ */

static const struct section *
find_section(const char *name)
{
	size_t i, n;

	for (i = 0; i < CD_NELEM(sections); i++) {
		n = strlen(sections[i].name);
		if (sections[i].name[n - 1] == '.' ?
		    strncmp(name, sections[i].name, n) == 0 :
		    strcmp(name, sections[i].name) == 0)
			return &sections[i];
	}
	return NULL;
}

/* The ID of a [policy.ID] or [profile.ID] section must be plain. */
static int
check_id(struct loader *ld, const char *sec, const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n >= CD_NAME_MAX || strspn(id, ID_CHARS) != n)
		return fail(ld, sec, NULL, "the ID after the dot must be 1 to "
		    "%d characters from a-z, 0-9, '_' and '-'",
		    CD_NAME_MAX - 1);
	return 0;
}

/* A key that moved elsewhere: fail saying where it lives now. */
static int
check_moved(struct loader *ld, const char *sec, const char *key)
{
	char k[2 * NAME_LEN];
	const char *val;
	size_t i;

	for (i = 0; i < CD_NELEM(moved); i++) {
		if (strcmp(sec, moved[i].sec) != 0 ||
		    strcmp(key, moved[i].key) != 0)
			continue;
		snprintf(k, sizeof(k), "%s:%s", sec, key);
		val = iniparser_getstring(ld->d, k, "");
		return fail(ld, sec, key, "this setting moved: write "
		    "'%s = %s' under [%s] (see certdesk.conf(5))",
		    moved[i].to_key, val, moved[i].to_sec);
	}
	return 0;
}

/* Is key one of the table's, or one a backend asked for? */
static int
key_known(const struct loader *ld, const struct section *s, const char *key)
{
	size_t j;
	int i;

	for (j = 0; j < s->nopts; j++)
		if (strcmp(key, s->opts[j].key) == 0)
			return 1;
	for (i = 0; s->backend && i < ld->nasked; i++)
		if (strcmp(key, ld->asked[i]) == 0)
			return 1;
	return 0;
}

static int
unknown_key(struct loader *ld, const char *sec, const struct section *s,
    const char *key)
{
	const char *names[32 + ASKED_MAX];
	char known[1024], backend[80] = "";
	size_t j, n = 0;
	int i;

	for (j = 0; j < s->nopts; j++)
		names[n++] = s->opts[j].key;
	for (i = 0; s->backend && i < ld->nasked; i++)
		names[n++] = ld->asked[i];
	join(known, sizeof(known), names, n);
	if (s->backend) {
		snprintf(backend, sizeof(backend), " for backend %s",
		    strcmp(sec, "store") == 0 ? ld->conf->store.name :
		    strcmp(sec, "ca") == 0 ? ld->conf->ca.name :
		    ld->conf->print.name);
	}
	return fail(ld, sec, key, "unknown setting%s (known: %s)", backend,
	    known);
}

static int
check_keys(struct loader *ld, const char *sec, const struct section *s)
{
	const char **keys = NULL, *key;
	int n, i, r = 0;

	if ((n = iniparser_getsecnkeys(ld->d, sec)) <= 0)
		return 0;
	if ((keys = calloc((size_t)n, sizeof(*keys))) == NULL)
		return cd_err_set(ld->err, CD_E_NOMEM, NULL);
	iniparser_getseckeys(ld->d, sec, keys);
	for (i = 0; i < n && r == 0; i++) {
		key = keys[i] + strlen(sec) + 1;
		if ((r = check_moved(ld, sec, key)) == 0 &&
		    !key_known(ld, s, key))
			r = unknown_key(ld, sec, s, key);
	}
	free(keys);
	return r;
}

/* Known sections and keys only; count policies and profiles. */
static int
check_structure(struct loader *ld, int *npol, int *nprof)
{
	const struct section *s;
	const char *sec;
	int i, n = iniparser_getnsec(ld->d), r;

	*npol = *nprof = 0;
	for (i = 0; i < n; i++) {
		sec = iniparser_getsecname(ld->d, i);
		if ((s = find_section(sec)) == NULL)
			return fail_at(ld, line_of(ld, sec, NULL), "unknown "
			    "section [%s] (known: general, security, store, ca, "
			    "print, systemstore, autosave, policy.ID, "
			    "profile.ID)", sec);
		if ((s == POLICY_SECTION || s == PROFILE_SECTION) &&
		    (r = check_id(ld, sec, strchr(sec, '.') + 1)) != 0)
			return r;
		/* A backend section's keys are checked once it loaded. */
		if (!s->backend && (r = check_keys(ld, sec, s)) != 0)
			return r;
		*npol += s == POLICY_SECTION;
		*nprof += s == PROFILE_SECTION;
	}
	if (*npol == 0)
		return fail_at(ld, 0, "no [policy.ID] section: at least one "
		    "certificate policy is needed");
	if (*nprof == 0)
		return fail_at(ld, 0, "no [profile.ID] section: at least one "
		    "credential profile is needed");
	return 0;
}

/* ---- values ------------------------------------------------------------------ */

/* Apply every setting of table s in section sec to obj. */
static int
load_values(struct loader *ld, const char *sec, const struct section *s,
    void *obj)
{
	char k[2 * NAME_LEN];
	const char *val;
	size_t i;
	int r;

	for (i = 0; i < s->nopts; i++) {
		snprintf(k, sizeof(k), "%s:%s", sec, s->opts[i].key);
		if ((val = iniparser_getstring(ld->d, k, NULL)) == NULL &&
		    (val = s->opts[i].def) == NULL)
			return fail(ld, sec, NULL, "needs a '%s' setting",
			    s->opts[i].key);
		if ((r = s->opts[i].parse(ld, sec, &s->opts[i], val, obj)) != 0)
			return r;
	}
	return 0;
}

static int
check_profile(struct loader *ld, const char *sec, struct cd_profile *p)
{
	if (p->pw.max_len < p->pw.min_len)
		return fail(ld, sec, "password_max", "%d is less than "
		    "password_min (%d)", p->pw.max_len, p->pw.min_len);
	if (!p->user_pin && !(ld->conf->print.caps & CD_PRINT_SECRET))
		return fail(ld, sec, "password", "'generated' needs a PIN "
		    "mailer, and the print backend '%s' cannot print one "
		    "without keeping the password: use [print] backend = "
		    "cups", ld->conf->print.name);
	if (!p->user_pin && p->pin_mailer_template[0] == '\0')
		return fail(ld, sec, "password", "'generated' needs a "
		    "pin_mailer_template: the password is never shown or "
		    "stored, so without a PIN mailer nobody could learn it");
	if (p->user_pin && p->pin_mailer_template[0] != '\0')
		return fail(ld, sec, "pin_mailer_template", "a PIN mailer is "
		    "printed only for generated passwords (password = "
		    "generated); with 'user' it would have nothing to say");
	return 0;
}

/* EKUs a person's certificate may carry without allow_any_eku. */
#define EKU_PERSON (CD_EKU_CLIENT_AUTH | CD_EKU_EMAIL_PROTECTION | \
	CD_EKU_DOCUMENT_SIGNING)

/* 1 if the policy's subjectAltName has a dns: (or ip:) entry. */
static int
san_has_host(const char *san)
{
	const char *p = san;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncasecmp(p, "dns", 3) == 0 || strncasecmp(p, "ip", 2) ==
		    0) {
			p += p[0] == 'd' || p[0] == 'D' ? 3 : 2;
			while (*p == ' ')
				p++;
			if (*p == ':')
				return 1;
		}
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

/*
 * Certificate profile hygiene: usages that fit the key, person-like
 * extended usages and no host names unless the policy says otherwise.
 */
static int
check_policy(struct loader *ld, const char *sec, const struct cd_policy *p)
{
	int ec = p->key_type == CD_KEY_EC_P256 || p->key_type ==
	    CD_KEY_EC_P384;

	if (ec && (p->key_usage & (CD_KU_KEY_ENCIPHERMENT |
	    CD_KU_DATA_ENCIPHERMENT)))
		return fail(ld, sec, "key_usage", "policy '%s': an EC key "
		    "cannot encipher (keyEncipherment, dataEncipherment): use "
		    "keyAgreement", p->id);
	if (!ec && (p->key_usage & CD_KU_KEY_AGREEMENT))
		return fail(ld, sec, "key_usage", "policy '%s': an RSA key "
		    "has no keyAgreement: use keyEncipherment", p->id);
	if (!p->allow_any_eku && (p->ext_key_usage & ~EKU_PERSON))
		return fail(ld, sec, "extended_key_usage", "policy '%s': "
		    "serverAuth, codeSigning and smartcardLogon are not for "
		    "a person's soft certificate; set allow_any_eku = yes to "
		    "allow them", p->id);
	if (!p->allow_dns_san && san_has_host(p->san))
		return fail(ld, sec, "subject_alt_name", "policy '%s': DNS "
		    "or IP subjectAltNames are not for a person's soft "
		    "certificate; set allow_dns_san = yes to allow them",
		    p->id);
	return 0;
}

static int
load_policy(struct loader *ld, const char *sec, struct cd_policy *pol)
{
	int r;

	cd_strlcpy(pol->id, strchr(sec, '.') + 1, sizeof(pol->id));
	if ((r = load_values(ld, sec, POLICY_SECTION, pol)) != 0 ||
	    (r = check_policy(ld, sec, pol)) != 0)
		return r;
	if (pol->name[0] == '\0')
		cd_strlcpy(pol->name, pol->id, sizeof(pol->name));
	return 0;
}

static int
load_profile(struct loader *ld, const char *sec, struct cd_profile *prof)
{
	int r;

	cd_strlcpy(prof->id, strchr(sec, '.') + 1, sizeof(prof->id));
	if ((r = load_values(ld, sec, PROFILE_SECTION, prof)) != 0 ||
	    (r = check_profile(ld, sec, prof)) != 0)
		return r;
	if (prof->name[0] == '\0')
		cd_strlcpy(prof->name, prof->id, sizeof(prof->name));
	return 0;
}

/* [policy.*] then [profile.*] (which name policies), in file order. */
static int
load_families(struct loader *ld)
{
	struct cd_conf *conf = ld->conf;
	const char *sec;
	int i, n = iniparser_getnsec(ld->d), r;

	for (i = 0; i < n; i++) {
		sec = iniparser_getsecname(ld->d, i);
		if (find_section(sec) == POLICY_SECTION &&
		    (r = load_policy(ld, sec,
		    &conf->policies[conf->npolicies++])) != 0)
			return r;
	}
	for (i = 0; i < n; i++) {
		sec = iniparser_getsecname(ld->d, i);
		if (find_section(sec) == PROFILE_SECTION &&
		    (r = load_profile(ld, sec,
		    &conf->profiles[conf->nprofiles++])) != 0)
			return r;
	}
	return 0;
}

/* ---- templates ------------------------------------------------------------ */

enum tmpl_kind { TMPL_TRANSPORT, TMPL_PIN_MAILER };

/* One template of a profile: it must be a readable regular file. */
static int
check_template(struct loader *ld, const struct cd_profile *p,
    const char *key, const char *path, enum tmpl_kind kind)
{
	char sec[CD_NAME_MAX + 16];
	struct cd_err terr;
	struct stat st;
	int fd;

	snprintf(sec, sizeof(sec), "profile.%s", p->id);
	/* O_NONBLOCK: a FIFO in its place must not hang the load. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return fail(ld, sec, key, "cannot read %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(ld, sec, key, "%s is not a file", path);
	}
	close(fd);
	/* Unknown merge fields, or the password in a transport document. */
	if (cd_template_check(path, kind == TMPL_PIN_MAILER ?
	    CD_DOC_PIN_MAILER : CD_DOC_TRANSPORT, &terr) != 0)
		return fail(ld, sec, key, "%s", terr.msg);
	return 0;
}

/*
 * conf_check_templates - every template a profile names must exist and be
 * readable, and use only the merge fields its kind allows; all template
 * errors come out with FILE:LINE: [profile.ID] key.
 */
static int
conf_check_templates(struct loader *ld)
{
	const struct cd_profile *p;
	int i, r;

	for (i = 0; i < ld->conf->nprofiles; i++) {
		p = &ld->conf->profiles[i];
		if (p->transport_template[0] != '\0' &&
		    (r = check_template(ld, p, "transport_template",
		    p->transport_template, TMPL_TRANSPORT)) != 0)
			return r;
		if (p->pin_mailer_template[0] != '\0' &&
		    (r = check_template(ld, p, "pin_mailer_template",
		    p->pin_mailer_template, TMPL_PIN_MAILER)) != 0)
			return r;
	}
	return 0;
}

/* ---- backends ------------------------------------------------------------- */

static void
note_asked(struct loader *ld, const char *key)
{
	int i;

	for (i = 0; i < ld->nasked; i++)
		if (strcmp(ld->asked[i], key) == 0)
			return;
	if (ld->nasked < ASKED_MAX)
		cd_strlcpy(ld->asked[ld->nasked++], key, NAME_LEN);
}

/* One lookup of a backend: the value (or default) through parser o. */
static int
src_get(const struct cd_conf_src *src, const char *sec, const struct opt *o,
    void *obj)
{
	struct loader *ld = src->ld;
	char k[2 * NAME_LEN];
	const char *val;

	note_asked(ld, o->key);
	snprintf(k, sizeof(k), "%s:%s", sec, o->key);
	if ((val = iniparser_getstring(ld->d, k, NULL)) == NULL &&
	    (val = o->def) == NULL)
		return fail(ld, sec, NULL, "the %s backend needs a '%s' "
		    "setting", sec, o->key);
	return o->parse(ld, sec, o, val, obj);
}

#define SRC_OPT(k, fn, sz, lo, hi, d) { k, fn, 0, sz, lo, hi, d }

int
cd_conf_str(const struct cd_conf_src *src, const char *sec, const char *key,
    const char *def, char *buf, size_t size)
{
	const struct opt o = SRC_OPT(key, p_str, size, 0, 0, def);

	return src_get(src, sec, &o, buf);
}

int
cd_conf_path(const struct cd_conf_src *src, const char *sec, const char *key,
    const char *def, char *buf, size_t size)
{
	const struct opt o = SRC_OPT(key, def != NULL && *def == '\0' ?
	    p_opath : p_path, size, 0, 0, def);

	return src_get(src, sec, &o, buf);
}

int
cd_conf_int(const struct cd_conf_src *src, const char *sec, const char *key,
    const char *def, long min, long max, int *out)
{
	const struct opt o = SRC_OPT(key, p_int, sizeof(int), min, max, def);

	return src_get(src, sec, &o, out);
}

int
cd_conf_dur(const struct cd_conf_src *src, const char *sec, const char *key,
    const char *def, long min, long max, int *out)
{
	const struct opt o = SRC_OPT(key, p_dur, sizeof(int), min, max, def);

	return src_get(src, sec, &o, out);
}

int
cd_conf_bool(const struct cd_conf_src *src, const char *sec, const char *key,
    const char *def, int *out)
{
	const struct opt o = SRC_OPT(key, p_bool, sizeof(int), 0, 0, def);

	return src_get(src, sec, &o, out);
}

int
cd_conf_fail(const struct cd_conf_src *src, const char *sec, const char *key,
    const char *fmt, ...)
{
	char msg[CD_ERR_MSGLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail(src->ld, sec, key, "%s", msg);
}

/* The names of a registry's backends, for "unknown backend" messages. */
#define BACKEND_NAMES(list, buf) do {					\
	const char *n_[16];						\
	size_t i_;							\
	for (i_ = 0; list[i_] != NULL && i_ < 16; i_++)			\
		n_[i_] = list[i_]->name;				\
	join(buf, sizeof(buf), n_, i_);					\
} while (0)

typedef int (*conf_hook)(const struct cd_conf_src *, const char *, void **,
    struct cd_err *);

/* Run one backend's hook on its section, then check the section's keys. */
static int
load_backend(struct loader *ld, const char *sec, struct cd_backend_conf *b,
    conf_hook hook, void (*cfg_free)(void *))
{
	struct cd_conf_src src = { ld };
	int r;

	ld->nasked = 0;
	b->free_cfg = cfg_free;
	if (hook != NULL && (r = hook(&src, sec, &b->cfg, ld->err)) != 0)
		return r;
	return check_keys(ld, sec, find_section(sec));
}

static int
load_store(struct loader *ld)
{
	struct cd_backend_conf *b = &ld->conf->store;
	const struct cd_store_ops *o;
	char known[256];

	if ((o = cd_store_find(b->name)) == NULL) {
		BACKEND_NAMES(cd_store_backends, known);
		return fail(ld, "store", "backend", "unknown store backend "
		    "'%s' (known: %s)", b->name, known);
	}
	b->ops = o;
	b->caps = o->caps;
	return load_backend(ld, "store", b, o->conf_load, o->conf_free);
}

static int
load_ca(struct loader *ld)
{
	struct cd_backend_conf *b = &ld->conf->ca;
	const struct cd_ca_ops *o;
	char known[256];
	int r;

	if ((o = cd_ca_find(b->name)) == NULL) {
		BACKEND_NAMES(cd_ca_backends, known);
		return fail(ld, "ca", "backend", "unknown CA backend '%s' "
		    "(known: %s)", b->name, known);
	}
	b->ops = o;
	if ((r = load_backend(ld, "ca", b, o->conf_load, o->conf_free)) != 0)
		return r;
	b->caps = cd_ca_caps(o, b->cfg);
	/* a revoke command makes any CA backend revoke */
	if (ld->conf->ca_revoke_command[0] != '\0')
		b->caps |= CD_CA_CAN_REVOKE;
	return 0;
}

/* Each policy is one the CA backend can certify (its policy_check). */
static int
check_ca_policies(struct loader *ld)
{
	const struct cd_ca_ops *o = ld->conf->ca.ops;
	const struct cd_policy *p;
	char sec[CD_NAME_MAX + 8], why[512];
	int i;

	for (i = 0; o->policy_check != NULL && i < ld->conf->npolicies; i++) {
		p = &ld->conf->policies[i];
		if (o->policy_check(ld->conf->ca.cfg, p, why,
		    sizeof(why)) == 0)
			continue;
		snprintf(sec, sizeof(sec), "policy.%s", p->id);
		return fail(ld, sec, "key_type", "%s", why);
	}
	return 0;
}

static int
load_print(struct loader *ld)
{
	struct cd_backend_conf *b = &ld->conf->print;
	const struct cd_print_ops *o;
	char known[256];

	if ((o = cd_print_find(b->name)) == NULL) {
		BACKEND_NAMES(cd_print_backends, known);
		return fail(ld, "print", "backend", "unknown print backend "
		    "'%s' (known: %s)", b->name, known);
	}
	b->ops = o;
	b->caps = o->caps;
	return load_backend(ld, "print", b, o->conf_load, o->conf_free);
}

/* ---- API ------------------------------------------------------------------ */

static int
load_all(struct loader *ld)
{
	struct cd_conf *conf = ld->conf;
	int npol, nprof, r;
	size_t i;

	if ((r = read_conf(ld)) != 0 ||
	    (r = check_structure(ld, &npol, &nprof)) != 0)
		return r;
	/* The fixed sections (the families load below). */
	for (i = 0; i < CD_NELEM(sections); i++)
		if (&sections[i] != POLICY_SECTION &&
		    &sections[i] != PROFILE_SECTION &&
		    (r = load_values(ld, sections[i].name, &sections[i],
		    conf)) != 0)
			return r;
	if ((r = load_store(ld)) != 0 || (r = load_ca(ld)) != 0 ||
	    (r = load_print(ld)) != 0)
		return r;
	/* A CRL is republished crl_overlap before it expires: never after. */
	if (conf->crl_overlap >= conf->crl_validity)
		return fail(ld, "ca", "crl_overlap", "%d seconds is not shorter "
		    "than crl_validity (%d seconds): the CRL would be "
		    "republished before it is used", conf->crl_overlap,
		    conf->crl_validity);
	conf->policies = calloc((size_t)npol, sizeof(*conf->policies));
	conf->profiles = calloc((size_t)nprof, sizeof(*conf->profiles));
	if (conf->policies == NULL || conf->profiles == NULL)
		return cd_err_set(ld->err, CD_E_NOMEM, NULL);
	if ((r = load_families(ld)) != 0 || (r = check_ca_policies(ld)) != 0)
		return r;
	return conf_check_templates(ld);
}

/* A loader run by load on path (NULL: no file) into a new *out. */
static int
load_with(const char *path, int (*load)(struct loader *),
    struct cd_conf **out, struct cd_err *err)
{
	struct loader ld;
	int r;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.err = err;
	if ((ld.conf = calloc(1, sizeof(*ld.conf))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if (path != NULL && cd_strlcpy(ld.conf->path, path,
	    sizeof(ld.conf->path)) >= sizeof(ld.conf->path)) {
		r = cd_err_set(err, CD_E_CONFIG, "configuration file name too "
		    "long: %s", path);
		goto out;
	}
	if ((r = load(&ld)) != 0)
		goto out;
	*out = ld.conf;
	ld.conf = NULL;
out:
	cd_conf_free(ld.conf);
	if (ld.d != NULL)
		iniparser_freedict(ld.d);
	free(ld.places);
	return r;
}

int
cd_conf_load(const char *path, struct cd_conf **out, struct cd_err *err)
{
	return load_with(path, load_all, out, err);
}

/*
 * [client], the socket of [server] (a client on the server's host), and
 * what a client delivers or prints by itself: [systemstore], [autosave]
 * and [print] (where the transport document goes).  No file (path
 * NULL): every default.
 */
static int
load_client(struct loader *ld)
{
	static const char *const own[] = { "client", "systemstore",
	    "autosave" };
	static const struct section server_socket = { "server",
		server_opts, 1, 0 };
	size_t i;
	int r;

	if (ld->path != NULL)
		r = read_conf(ld);
	else if ((ld->d = dictionary_new(0)) == NULL)
		r = cd_err_set(ld->err, CD_E_NOMEM, NULL);
	else
		r = 0;
	for (i = 0; r == 0 && i < CD_NELEM(own); i++)
		if ((r = check_keys(ld, own[i], find_section(own[i]))) == 0)
			r = load_values(ld, own[i], find_section(own[i]),
			    ld->conf);
	if (r == 0)
		r = load_values(ld, "server", &server_socket, ld->conf);
	if (r == 0 && (r = load_values(ld, "print", find_section("print"),
	    ld->conf)) == 0)
		r = load_print(ld);
	return r;
}

int
cd_conf_load_client(const char *path, struct cd_conf **out,
    struct cd_err *err)
{
	return load_with(path, load_client, out, err);
}

void
cd_conf_free(struct cd_conf *conf)
{
	if (conf == NULL)
		return;
	if (conf->store.free_cfg != NULL)
		conf->store.free_cfg(conf->store.cfg);
	if (conf->ca.free_cfg != NULL)
		conf->ca.free_cfg(conf->ca.cfg);
	if (conf->print.free_cfg != NULL)
		conf->print.free_cfg(conf->print.cfg);
	free(conf->policies);
	free(conf->profiles);
	free(conf);
}

static int
set_path(char *out, size_t outlen, const char *path, struct cd_err *err)
{
	if (cd_strlcpy(out, path, outlen) >= outlen)
		return cd_err_set(err, CD_E_CONFIG, "configuration file name "
		    "too long: %s", path);
	return 0;
}

int
cd_conf_locate(const char *explicit_path, char *out, size_t outlen,
    struct cd_err *err)
{
	const char *env, *home, *xdg;
	char buf[CD_PATH_MAX];
	struct stat st;
	int n = -1;

	if (explicit_path != NULL && *explicit_path != '\0')
		return set_path(out, outlen, explicit_path, err);
	if ((env = getenv("CERTDESK_CONF")) != NULL && *env != '\0')
		return set_path(out, outlen, env, err);
	/* XDG: $XDG_CONFIG_HOME (absolute), else ~/.config */
	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && xdg[0] == '/')
		n = snprintf(buf, sizeof(buf), "%s/certdesk/certdesk.conf",
		    xdg);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		n = snprintf(buf, sizeof(buf),
		    "%s/.config/certdesk/certdesk.conf", home);
	if (n > 0 && (size_t)n < sizeof(buf) && stat(buf, &st) == 0)
		return set_path(out, outlen, buf, err);
	return set_path(out, outlen, SYSCONFDIR "/certdesk/certdesk.conf", err);
}

const struct cd_profile *
cd_conf_profile(const struct cd_conf *conf, const char *id)
{
	int i;

	if (conf == NULL || id == NULL)
		return NULL;
	for (i = 0; i < conf->nprofiles; i++)
		if (cd_strieq(conf->profiles[i].id, id))
			return &conf->profiles[i];
	return NULL;
}

const struct cd_policy *
cd_conf_policy(const struct cd_conf *conf, const char *id)
{
	int i;

	if (conf == NULL || id == NULL)
		return NULL;
	for (i = 0; i < conf->npolicies; i++)
		if (cd_strieq(conf->policies[i].id, id))
			return &conf->policies[i];
	return NULL;
}

const char *
cd_key_type_name(enum cd_key_type t)
{
	if ((unsigned)t >= CD_NELEM(key_type_names))
		return "unknown";
	return key_type_names[t];
}

const char *
cd_storage_name(enum cd_storage s)
{
	if ((unsigned)s >= CD_NELEM(storages))
		return "unknown";
	return storages[s];
}
