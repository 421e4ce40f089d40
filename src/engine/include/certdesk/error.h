/* SPDX-License-Identifier: ISC */
/*
 * error.h - engine error codes and the error record every engine call fills.
 *
 * Engine functions return 0 on success or a negative CD_E_* code, and when
 * given a non-NULL struct cd_err they leave a complete, operator-readable
 * sentence in it.  The engine never prints: front-ends decide what to show.
 * Messages never contain a password or key material.
 *
 * The code is the classification: callers (the engine's own too) branch
 * on it, never on the message text, which is for people and may change.
 * err may be NULL in every call: the code is returned all the same.  A
 * function that reads back a message it set (to audit it, say) uses a
 * local struct cd_err when given NULL.
 */
#ifndef CD_ERROR_H
#define CD_ERROR_H

#include <stdarg.h>

enum cd_errcode {
	CD_OK = 0,
	CD_E_INTERNAL = -1,	/* broken invariant, library failure */
	CD_E_NOMEM = -2,
	CD_E_CONFIG = -3,	/* bad configuration */
	CD_E_STORE = -4,	/* store unavailable or failed */
	CD_E_NOTFOUND = -5,	/* no such person, request, ... */
	CD_E_DENIED = -6,	/* the operator's roles do not allow it */
	CD_E_STATE = -7,	/* not allowed in the object's current state */
	CD_E_BUSY = -8,		/* held by another collection / process */
	CD_E_INVAL = -9,	/* bad argument or input data */
	CD_E_IO = -10,		/* file system error */
	CD_E_CRYPTO = -11,	/* OpenSSL failure */
	CD_E_CA = -12,		/* the CA refused or failed */
	CD_E_CANCELLED = -13,	/* cancelled by the operator or a signal */
	CD_E_EXISTS = -14,	/* already exists */
	CD_E_CONFIRM = -15,	/* needs the operator's confirmation first */
	CD_E_PRINT = -16,	/* printing failed */
	CD_E_PASSWORD = -17,	/* password does not meet the policy */
	CD_E_NSS = -18,		/* personal certificate store failed */
	CD_E_USB = -19,		/* USB drive detection or write failed */
	CD_E_TIMEOUT = -20,	/* waited too long */
	CD_E_AUTH = -21,	/* unknown operator / wrong store password */
	CD_E_LOST = -22,	/* this collection attempt no longer holds
				   the request (aborted by the sweep) */
	CD_E__LAST = -23
};

#define CD_ERR_MSGLEN 1024

struct cd_err {
	int code;
	char msg[CD_ERR_MSGLEN];
};

/* Short fixed text for a code ("permission denied", ...). */
const char *cd_strerror(int code);

/* Fill err (if non-NULL) with code and a formatted message; returns code. */
int cd_err_set(struct cd_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cd_err_vset(struct cd_err *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * Like cd_err_set, and append the most recent OpenSSL error queue entry
 * (then clear the queue).  Used for CD_E_CRYPTO and CD_E_CA.
 */
int cd_err_ssl(struct cd_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Prefix an existing message: "ctx: old message", and return code (also
 * when err is NULL).  For "return cd_err_context(err, r, ...)".
 */
int cd_err_context(struct cd_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, returning err->code (CD_E_INTERNAL when err is NULL). */
int cd_err_prefix(struct cd_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The text to show for err: its message, or the code's short text when
 * the message is empty, or "" when err is NULL.  Never NULL.
 */
const char *cd_err_msg(const struct cd_err *err);

void cd_err_clear(struct cd_err *err);

#endif
