/* SPDX-License-Identifier: ISC */
/*
 * tap.h - a minimal TAP producer for C unit tests.
 *
 * ok(cond, fmt, ...) prints "ok N - name" or "not ok N - name" and a
 * diagnostic with file and line; done_testing() prints the plan and
 * returns the exit status (1 also when no test ran).
 *
 * Skips follow tests/lib/tap.sh: with CERTDESK_TEST_STRICT=1 nothing may
 * be skipped, so skip() is a "not ok" giving the reason, and skip_all()
 * (nothing of the program can run here) fails instead of printing
 * "1..0 # SKIP" and exiting 0.  skip_build() is a skip even then, for a
 * check this build cannot make (an AddressSanitizer build ignores mlock),
 * never for a missing tool.  bail_out() is a set-up failure: "Bail out!".
 */
#ifndef CD_TAP_H
#define CD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static int
tap_strict(void)
{
	const char *s = getenv("CERTDESK_TEST_STRICT");

	return s != NULL && strcmp(s, "1") == 0;
}

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
	if (tap_strict()) {
		tap_failed++;
		printf("not ok %d - %s (cannot run, and CERTDESK_TEST_STRICT=1: "
		    "%s)\n", ++tap_n, name, why);
	} else
		printf("ok %d - %s # SKIP %s\n", ++tap_n, name, why);
	fflush(stdout);
}

__attribute__((unused)) static void
skip_build(const char *name, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, name, why);
	fflush(stdout);
}

__attribute__((unused, noreturn)) static void
skip_all(const char *why)
{
	if (tap_strict()) {
		printf("not ok %d - cannot run, and CERTDESK_TEST_STRICT=1: "
		    "%s\n1..%d\n", tap_n + 1, why, tap_n + 1);
		exit(1);
	}
	if (tap_n > 0) {
		skip("the rest of this program", why);
		printf("1..%d\n", tap_n);
		exit(tap_failed ? 1 : 0);
	}
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

__attribute__((unused, noreturn, format(printf, 1, 2))) static void
bail_out(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	if (tap_n == 0) {
		printf("# no test ran\n");
		return 1;
	}
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
