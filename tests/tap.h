/*
 * tap.h - a minimal TAP producer for C unit tests.
 *
 * ok(cond, fmt, ...) prints "ok N - name" or "not ok N - name" and a
 * diagnostic with file and line; done_testing() prints the plan and
 * returns the exit status.  skip() marks a case "# SKIP reason".
 */
#ifndef CD_TAP_H
#define CD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 4, 5)))
static int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(a, b, ...) do { long long a_ = (a), b_ = (b); \
	if (!ok(a_ == b_, __VA_ARGS__)) \
		printf("#   got %lld, expected %lld\n", a_, b_); } while (0)
#define is_str(a, b, ...) do { const char *a_ = (a), *b_ = (b); \
	if (!ok(a_ != NULL && b_ != NULL && strcmp(a_, b_) == 0, __VA_ARGS__)) \
		printf("#   got \"%s\", expected \"%s\"\n", a_ ? a_ : "(null)", \
		    b_ ? b_ : "(null)"); } while (0)
#define like(hay, needle, ...) do { const char *h_ = (hay), *n_ = (needle); \
	if (!ok(h_ != NULL && strstr(h_, n_) != NULL, __VA_ARGS__)) \
		printf("#   \"%s\" does not contain \"%s\"\n", h_ ? h_ : "(null)", \
		    n_); } while (0)

__attribute__((unused)) static void
skip(const char *name, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, name, why);
}

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

__attribute__((unused)) static void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#endif
