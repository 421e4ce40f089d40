/* SPDX-License-Identifier: ISC */
/*
 * subst.h - [[...]] substitutions in file names, subjects and
 * subjectAltNames, in the syntax operators of the reference product know.
 *
 *	[[People.LogonName]] [[People.FullName]] [[People.Email]]
 *	[[People.EmployeeId]] [[People.GroupName]] [[People.Upn]]
 *	[[PolicyName]] [[RequestId]] [[Serial]] [[DateTime.FORMAT]]
 *
 * Names are case-insensitive; the FORMAT of [[DateTime.FORMAT]] is not
 * (MM is the month, mm the minute).  Codes, longest match first:
 * yyyy yy MMMM MMM MM dddd ddd dd HH hh mm ss tt; any other character is
 * copied.  Times are local time.  Text outside [[ ]] is copied as is.
 */
#ifndef CD_SUBST_H
#define CD_SUBST_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/error.h"
#include "certdesk/model.h"

/* Substitution kinds, for the allowed mask of cd_subst_check. */
enum {
	CD_SUBST_PERSON = 1,
	CD_SUBST_POLICY = 2,
	CD_SUBST_REQUEST = 4,
	CD_SUBST_SERIAL = 8,
	CD_SUBST_DATETIME = 16
};
#define CD_SUBST_ALL 31

struct cd_subst_ctx {
	const struct cd_person *person;
	const char *policy_name;	/* friendly name of the policy */
	int64_t request_id;
	const char *serial;		/* NULL or "" expands to "" */
	int64_t now;			/* 0: the current time */
};

/*
 * Check the syntax of fmt and that every substitution is known and of an
 * allowed kind.  0, or CD_E_CONFIG with err naming the bad substitution
 * ("unknown substitution [[People.Foo]]", "unterminated [[",
 * "[[Serial]] is not allowed here").
 */
int cd_subst_check(const char *fmt, unsigned allowed, struct cd_err *err);

/*
 * Expand fmt into out.  CD_E_CONFIG for a bad format (as above),
 * CD_E_INVAL when a value is missing from ctx (a person substitution
 * without a person, [[PolicyName]] without a policy) or the result does not
 * fit in outlen bytes.
 */
int cd_subst_expand(const char *fmt, const struct cd_subst_ctx *ctx,
    char *out, size_t outlen, struct cd_err *err);

#endif
