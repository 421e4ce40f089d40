/* SPDX-License-Identifier: ISC */
/*
 * fuzz-fname.c - fuzz the package file names (fname.c over subst.c).
 *
 * The input is lines: the filename_format, then the person's logon, full
 * name, e-mail, employee ID, group and UPN, the policy name, the serial,
 * the request ID and the time (decimal).  Missing lines are empty.  Every
 * name cd_fname_make returns must be safe on FAT, exFAT and NTFS; every
 * package cd_fname_dedupe makes distinct must really be distinct.  A
 * broken promise is an abort().
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fname.h"
#include "subst.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NLINES 11
#define DEDUPE_N 4

/* Cut the input into NUL-terminated lines (in a copy). */
static int
split(char *text, char *lines[NLINES])
{
	char *p = text, *nl;
	int n = 0;

	while (n < NLINES) {
		lines[n++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	while (n < NLINES)
		lines[n++] = p + strlen(p);	/* "" */
	return 0;
}

static const char *const reserved[] = { "CON", "PRN", "AUX", "NUL",
	"CONIN$", "CONOUT$" };

/* Is the part before the first dot, trailing spaces ignored, reserved? */
static int
reserved_name(const char *s, size_t len)
{
	size_t n = 0, i;

	while (n < len && s[n] != '.')
		n++;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strlen(reserved[i]) == n && strncasecmp(s, reserved[i], n) == 0)
			return 1;
	return n == 4 && (strncasecmp(s, "COM", 3) == 0 ||
	    strncasecmp(s, "LPT", 3) == 0) && s[3] >= '0' && s[3] <= '9';
}

/* The promises of fname.h about one made name. */
static void
check_name(const char *name)
{
	size_t len = strlen(name), stem, i, n;
	uint32_t c;

	if (len < 5 || strcmp(name + len - 4, ".pfx") != 0)
		abort();			/* no ".pfx" or an empty stem */
	stem = len - 4;
	if (stem > CD_FNAME_MAX_BYTES)
		abort();			/* longer than promised */
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		abort();
	if (name[0] == ' ' || name[0] == '.' || name[stem - 1] == ' ' ||
	    name[stem - 1] == '.')
		abort();			/* Windows drops or refuses these */
	if (reserved_name(name, stem))
		abort();			/* a DOS device name */
	for (i = 0; i < len; i += n) {
		if ((n = cd_utf8_next(name + i, len - i, &c)) == 0)
			abort();		/* invalid UTF-8 */
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
		    (c < 0x80 && strchr("/\\:*?\"<>|", (int)c) != NULL))
			abort();		/* control or FAT/NTFS-unsafe */
	}
}

/* Names that dedupe made distinct must differ, ignoring ASCII case. */
static void
check_dedupe(char names[][CD_FIELD_MAX], int n)
{
	int i, j;

	cd_fname_dedupe(names, n);
	for (i = 0; i < n; i++) {
		if (memchr(names[i], '\0', CD_FIELD_MAX) == NULL)
			abort();
		for (j = 0; j < i; j++)
			if (strcasecmp(names[i], names[j]) == 0)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cd_person person;
	static char names[DEDUPE_N][CD_FIELD_MAX];
	struct cd_subst_ctx ctx;
	struct cd_err err;
	char *text, *l[NLINES];
	int i, n = 0;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	split(text, l);
	memset(&person, 0, sizeof(person));
	cd_strlcpy(person.logon, l[1], sizeof(person.logon));
	cd_strlcpy(person.full_name, l[2], sizeof(person.full_name));
	cd_strlcpy(person.email, l[3], sizeof(person.email));
	cd_strlcpy(person.employee_id, l[4], sizeof(person.employee_id));
	cd_strlcpy(person.group_name, l[5], sizeof(person.group_name));
	cd_strlcpy(person.upn, l[6], sizeof(person.upn));
	memset(&ctx, 0, sizeof(ctx));
	ctx.person = &person;
	ctx.policy_name = l[7];
	ctx.serial = l[8];
	ctx.request_id = strtoll(l[9], NULL, 10);
	ctx.now = strtoll(l[10], NULL, 10) % 253402300799LL;	/* < year 10000 */
	if (ctx.now < 0)
		ctx.now = -ctx.now;
	/* One name per policy: the same format, the policy name varied. */
	for (i = 0; i < DEDUPE_N; i++) {
		if (i == 1)
			ctx.policy_name = l[8];
		else if (i == 2)
			ctx.policy_name = NULL;
		else if (i == 3)
			ctx.person = NULL;
		if (cd_fname_make(l[0], &ctx, names[n], CD_FIELD_MAX, &err) != 0)
			continue;
		check_name(names[n++]);
	}
	/* The package holds the first name more than once, too. */
	while (n > 0 && n < DEDUPE_N) {
		memcpy(names[n], names[0], CD_FIELD_MAX);
		n++;
	}
	check_dedupe(names, n);
	(void)cd_subst_check(l[0], CD_SUBST_ALL, &err);
	free(text);
	return 0;
}
