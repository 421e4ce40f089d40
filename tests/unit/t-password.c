/* SPDX-License-Identifier: ISC */
/*
 * t-password.c - password policy checks (each rule, ASCII only,
 * control characters) and generated passwords (1000 of them meet the
 * policy, avoid look-alike characters and are distinct; lengths; the
 * character distribution is not lopsided).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "password.h"
#include "util.h"
#include "tap.h"

#define NGEN 1000
#define ALL_CLASSES (CD_CC_LOWER | CD_CC_UPPER | CD_CC_DIGIT | CD_CC_SYMBOL)

static const struct cd_pwpolicy std = { 8, 64,
	CD_CC_LOWER | CD_CC_UPPER | CD_CC_DIGIT };

/* The message for pw under p, or "" if it passes. */
static const char *
why(const struct cd_pwpolicy *p, const char *pw)
{
	static struct cd_err err;

	if (cd_pw_check(p, pw, &err) == 0)
		return "";
	if (err.code != CD_E_PASSWORD)
		return "wrong error code";
	return err.msg;
}

static void
test_rules(void)
{
	struct cd_pwpolicy sym = std, small = { 4, 8, 0 };
	struct cd_err err;
	char buf[80];

	is_str(why(&std, "Abcdefg1"), "", "8 characters with all classes");
	is_str(why(&std, "Abcdef1"),
	    "the password must be at least 8 characters long", "too short");
	memset(buf, 'a', 65);
	memcpy(buf, "A1", 2);
	buf[65] = '\0';
	is_str(why(&std, buf),
	    "the password must not be longer than 64 characters", "too long");
	buf[64] = '\0';
	is_str(why(&std, buf), "", "exactly 64 characters");
	like(why(&std, "abcdefg1"), "must contain an upper-case letter",
	    "upper-case missing");
	like(why(&std, "ABCDEFG1"), "must contain a lower-case letter",
	    "lower-case missing");
	like(why(&std, "Abcdefgh"), "must contain a digit", "digit missing");
	sym.required |= CD_CC_SYMBOL;
	like(why(&sym, "Abcdefg1"), "must contain a symbol", "symbol missing");
	is_str(why(&sym, "Abcdef 1"), "", "a space counts as a symbol");
	like(why(&sym, "Abcdef\xc3\xa9" "1"), "keytool cannot open",
	    "a non-ASCII letter is refused, naming keytool");
	like(why(&small, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"),
	    "plain ASCII", "so is the euro sign");
	is_str(why(&sym, "Abc def~1"), "", "space and ~ are ASCII symbols");
	like(why(&std, "Abcdefg1\t"), "must not contain control characters",
	    "a tab is refused");
	like(why(&std, "Abcdefg1\x7f"), "control characters", "DEL is refused");
	like(why(&std, "Abcdefg1\xc2\x85"), "control characters",
	    "a C1 control is refused");
	like(why(&std, "Abcdefg1\xff"), "not valid UTF-8",
	    "invalid UTF-8 is refused");
	is_int(cd_pw_check(&std, NULL, &err), CD_E_PASSWORD, "NULL refused");
	cd_pw_check(&std, "Secretpassword", &err);
	ok(strstr(err.msg, "Secret") == NULL, "the message never contains "
	    "the password");
	is_int(cd_pw_check(&std, "", &err), CD_E_PASSWORD, "empty refused");
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Generate NGEN passwords under p and check them all. */
static void
test_many(const struct cd_pwpolicy *p, int len, const char *what)
{
	static char pws[NGEN][130];
	char *sorted[NGEN];
	struct cd_err err;
	int i, gen_ok = 1, pass = 1, amb = 0, lens = 1, dup = 0, alpha = 1;
	const char *s;

	for (i = 0; i < NGEN; i++) {
		if (cd_pw_generate(p, pws[i], sizeof(pws[i]), &err) != 0) {
			gen_ok = 0;
			diag("generate: %s", err.msg);
			break;
		}
		pass &= cd_pw_check(p, pws[i], &err) == 0;
		amb |= strpbrk(pws[i], "0Oo1lI") != NULL;
		lens &= (int)strlen(pws[i]) == len;
		for (s = pws[i]; *s != '\0'; s++)
			alpha &= (*s >= 'a' && *s <= 'z') ||
			    (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '2' && *s <= '9') ||
			    ((p->required & CD_CC_SYMBOL) &&
			    strchr(CD_PW_SYMBOLS, *s) != NULL);
		sorted[i] = pws[i];
	}
	ok(gen_ok, "%s: %d passwords generated", what, NGEN);
	ok(pass, "%s: all meet the policy", what);
	ok(!amb, "%s: none contains 0 O o 1 l I", what);
	ok(lens, "%s: all are %d characters long", what, len);
	ok(alpha, "%s: only characters from the alphabet", what);
	/* 4 characters leave too few passwords for 1000 to be distinct. */
	if (len >= 8) {
		qsort(sorted, NGEN, sizeof(sorted[0]), cmp);
		for (i = 1; i < NGEN; i++)
			dup |= strcmp(sorted[i - 1], sorted[i]) == 0;
		ok(!dup, "%s: all distinct", what);
	}
	for (i = 0; i < NGEN; i++)
		OPENSSL_cleanse(pws[i], sizeof(pws[i]));
}

/* Every alphabet character turns up, none far from its expected count. */
static void
test_distribution(void)
{
	const struct cd_pwpolicy p = { 8, 64, 0 };
	const char *alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	    "23456789";
	int counts[256] = { 0 }, i, lo = 1 << 30, hi = 0, n = 0;
	char pw[32];
	struct cd_err err;
	const char *s;

	for (i = 0; i < NGEN; i++) {
		if (cd_pw_generate(&p, pw, sizeof(pw), &err) != 0)
			break;
		for (s = pw; *s != '\0'; s++, n++)
			counts[(unsigned char)*s]++;
	}
	for (s = alphabet; *s != '\0'; s++) {
		if (counts[(unsigned char)*s] < lo)
			lo = counts[(unsigned char)*s];
		if (counts[(unsigned char)*s] > hi)
			hi = counts[(unsigned char)*s];
	}
	/* 16000 draws from 56: mean 286, s.d. 17; bounds are 8 s.d. away. */
	ok(n == NGEN * 16 && lo > 150 && hi < 420, "every character of the "
	    "alphabet is used about equally (min %d, max %d)", lo, hi);
	OPENSSL_cleanse(pw, sizeof(pw));
}

static void
test_generate(void)
{
	const struct cd_pwpolicy deflt = { 8, 64, 0 };
	const struct cd_pwpolicy all = { 12, 20, ALL_CLASSES };
	const struct cd_pwpolicy longer = { 24, 64, CD_CC_DIGIT };
	const struct cd_pwpolicy capped = { 8, 10, std.required };
	const struct cd_pwpolicy tiny = { 4, 4, ALL_CLASSES };
	const struct cd_pwpolicy broken = { 10, 8, 0 };
	char pw[8];
	struct cd_err err;

	test_many(&std, CD_PW_GEN_LEN, "lower, upper, digit");
	test_many(&all, CD_PW_GEN_LEN, "all four classes");
	test_many(&deflt, CD_PW_GEN_LEN, "no classes required");
	test_many(&longer, 24, "minimum above 16");
	test_many(&capped, 10, "maximum below 16");
	test_many(&tiny, 4, "4 characters, all four classes");
	is_int(cd_pw_generate(&std, pw, sizeof(pw), &err), CD_E_INVAL,
	    "output buffer too small");
	is_int(cd_pw_generate(&broken, pw, sizeof(pw), &err), CD_E_INVAL,
	    "a policy that cannot be met");
	test_distribution();
}

static void
test_describe(void)
{
	const struct cd_pwpolicy none = { 8, 64, 0 };
	const struct cd_pwpolicy one = { 4, 8, CD_CC_DIGIT };
	const struct cd_pwpolicy all = { 12, 20, ALL_CLASSES };
	char buf[200];

	cd_pw_describe(&std, buf, sizeof(buf));
	is_str(buf, "8 to 64 characters, with a lower-case letter, an "
	    "upper-case letter and a digit", "describe three classes");
	cd_pw_describe(&none, buf, sizeof(buf));
	is_str(buf, "8 to 64 characters", "describe no classes");
	cd_pw_describe(&one, buf, sizeof(buf));
	is_str(buf, "4 to 8 characters, with a digit", "describe one class");
	cd_pw_describe(&all, buf, sizeof(buf));
	like(buf, "a digit and a symbol", "describe four classes");
	cd_pw_describe(&all, buf, 12);
	is_int(strlen(buf), 11, "describe truncates safely");
}

int
main(void)
{
	test_rules();
	test_generate();
	test_describe();
	return done_testing();
}
