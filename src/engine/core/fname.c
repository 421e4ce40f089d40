/* SPDX-License-Identifier: ISC */
/*
 * fname.c - package file names that every file system a USB drive or a
 * Windows share may carry (FAT, exFAT, NTFS) accepts, and that stay
 * distinct within one package.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fname.h"
#include "util.h"

#define EXPAND_MAX 4096

static const char *const reserved[] = { "CON", "PRN", "AUX", "NUL",
	"CONIN$", "CONOUT$" };

size_t
cd_utf8_next(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	uint32_t c, min;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters FAT/NTFS refuse, or that are control characters. */
static int
forbidden(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    (c < 0x80 && strchr("/\\:*?\"<>|", (int)c) != NULL);
}

/* Copy in to out (same size or larger), replacing what is not allowed. */
static void
replace_chars(const char *in, char *out)
{
	size_t n = strlen(in), len;
	uint32_t c;

	while (n > 0) {
		len = cd_utf8_next(in, n, &c);
		if (len == 0 || forbidden(c)) {
			*out++ = '_';
			len = len == 0 ? 1 : len;
		} else {
			memcpy(out, in, len);
			out += len;
		}
		in += len;
		n -= len;
	}
	*out = '\0';
}

/* Remove leading spaces and dots, and trailing dots and spaces. */
static void
strip(char *s)
{
	size_t start = strspn(s, " ."), end = strlen(s);

	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '.'))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
}

/* Cut s to at most max bytes at a character boundary (s is valid UTF-8). */
static void
cut(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

/* Is the part before the first dot (trailing spaces ignored) reserved? */
static int
is_reserved(const char *s)
{
	size_t n = strcspn(s, "."), i;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (i = 0; i < CD_NELEM(reserved); i++)
		if (strlen(reserved[i]) == n &&
		    strncasecmp(s, reserved[i], n) == 0)
			return 1;
	return n == 4 && (strncasecmp(s, "COM", 3) == 0 ||
	    strncasecmp(s, "LPT", 3) == 0) && s[3] >= '0' && s[3] <= '9';
}

int
cd_fname_make(const char *fmt, const struct cd_subst_ctx *ctx, char *out,
    size_t outlen, struct cd_err *err)
{
	char exp[EXPAND_MAX], safe[EXPAND_MAX + 1];
	int r, n;

	if ((r = cd_subst_expand(fmt, ctx, exp, sizeof(exp), err)) != 0)
		return r;
	replace_chars(exp, safe);
	strip(safe);
	cut(safe, CD_FNAME_MAX_BYTES);
	strip(safe);
	if (is_reserved(safe)) {
		memmove(safe + 1, safe, strlen(safe) + 1);
		safe[0] = '_';
		/* The '_' may push it past the limit: cut again (the '_' stays). */
		cut(safe, CD_FNAME_MAX_BYTES);
		strip(safe);
	}
	if (safe[0] == '\0')
		cd_strlcpy(safe, "certificate", sizeof(safe));
	n = snprintf(out, outlen, "%s.pfx", safe);
	if (n < 0 || (size_t)n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return cd_err_set(err, CD_E_INVAL, "the file name '%s.pfx' "
		    "is too long", safe);
	}
	return 0;
}

/* Does names[i] equal any other name of the package (ignoring case)? */
static int
taken(char names[][CD_FIELD_MAX], int n, int i, const char *cand)
{
	int j;

	for (j = 0; j < n; j++)
		if (j != i && strcasecmp(names[j], cand) == 0)
			return 1;
	return 0;
}

void
cd_fname_dedupe(char names[][CD_FIELD_MAX], int n)
{
	char cand[CD_FIELD_MAX + 16], *dot;
	size_t stem;
	int i, j, k, dup;

	for (i = 1; i < n; i++) {
		for (dup = 0, j = 0; j < i; j++)
			dup |= strcasecmp(names[j], names[i]) == 0;
		if (!dup)
			continue;
		dot = strrchr(names[i], '.');
		stem = dot != NULL ? (size_t)(dot - names[i]) :
		    strlen(names[i]);
		for (k = 2; k < 1000; k++) {
			snprintf(cand, sizeof(cand), "%.*s (%d)%s", (int)stem,
			    names[i], k, dot != NULL ? dot : "");
			if (strlen(cand) < CD_FIELD_MAX &&
			    !taken(names, n, i, cand))
				break;
		}
		cd_strlcpy(names[i], cand, CD_FIELD_MAX);
	}
}
