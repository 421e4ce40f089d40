/* SPDX-License-Identifier: ISC */
/*
 * error.c - error codes to text, and filling struct cd_err.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "certdesk/error.h"

static const char *const texts[] = {
	"success",
	"internal error",
	"out of memory",
	"configuration error",
	"store error",
	"not found",
	"permission denied",
	"not allowed now",
	"busy",
	"invalid input",
	"file error",
	"cryptographic error",
	"certificate authority error",
	"cancelled",
	"already exists",
	"confirmation needed",
	"printing failed",
	"password rejected",
	"personal certificate store error",
	"USB drive error",
	"timed out",
	"authentication failed",
	"collection attempt lost",
};

const char *
cd_strerror(int code)
{
	if (code > 0 || code <= CD_E__LAST)
		return "unknown error";
	return texts[-code];
}

int
cd_err_vset(struct cd_err *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	if (fmt == NULL || *fmt == '\0')
		snprintf(err->msg, sizeof(err->msg), "%s", cd_strerror(code));
	else
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int
cd_err_set(struct cd_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cd_err_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int
cd_err_ssl(struct cd_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	unsigned long e;
	char buf[256];
	size_t len;

	e = ERR_peek_last_error();
	va_start(ap, fmt);
	cd_err_vset(err, code, fmt, ap);
	va_end(ap);
	if (err != NULL && e != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		len = strlen(err->msg);
		snprintf(err->msg + len, sizeof(err->msg) - len, " (%s)", buf);
	}
	ERR_clear_error();
	return code;
}

/* "pre: old", truncated to len. */
static void
cd_err_join(char *out, size_t len, const char *pre, const char *old)
{
	size_t n = strlen(pre);

	if (n > len - 3)
		n = len - 3;
	memcpy(out, pre, n);
	memcpy(out + n, ": ", 2);
	n += 2;
	snprintf(out + n, len - n, "%.*s", (int)(len - n - 1), old);
}

static void
cd_err_vprefix(struct cd_err *err, const char *fmt, va_list ap)
{
	char pre[CD_ERR_MSGLEN], old[CD_ERR_MSGLEN];

	vsnprintf(pre, sizeof(pre), fmt, ap);
	memcpy(old, err->msg, sizeof(old));
	cd_err_join(err->msg, sizeof(err->msg), pre, old);
}

int
cd_err_context(struct cd_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	va_start(ap, fmt);
	cd_err_vprefix(err, fmt, ap);
	va_end(ap);
	err->code = code;
	return code;
}

int
cd_err_prefix(struct cd_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return CD_E_INTERNAL;
	va_start(ap, fmt);
	cd_err_vprefix(err, fmt, ap);
	va_end(ap);
	return err->code;
}

const char *
cd_err_msg(const struct cd_err *err)
{
	if (err == NULL)
		return "";
	return err->msg[0] != '\0' ? err->msg : cd_strerror(err->code);
}

void
cd_err_clear(struct cd_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
