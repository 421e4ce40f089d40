/* SPDX-License-Identifier: ISC */
/*
 * password.c - checking typed passwords against a profile's policy and
 * generating passwords for PIN mailers.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "fname.h"
#include "password.h"
#include "util.h"

/* Generation alphabet: no 0 O o 1 l I. */
static const char lower_chars[] = "abcdefghijkmnpqrstuvwxyz";
static const char upper_chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char digit_chars[] = "23456789";

/* Give up generating after this many candidates (never reached in use). */
#define MAX_TRIES 100000

static const struct {
	unsigned cls;
	const char *words;	/* in messages */
	const char *brief;	/* in cd_pw_describe */
} class_words[] = {
	{ CD_CC_LOWER, "a lower-case letter", "a lower-case letter" },
	{ CD_CC_UPPER, "an upper-case letter", "an upper-case letter" },
	{ CD_CC_DIGIT, "a digit", "a digit" },
	{ CD_CC_SYMBOL, "a symbol (a character other than a letter or "
	    "digit)", "a symbol" },
};

#define CLASS_MASK (CD_CC_LOWER | CD_CC_UPPER | CD_CC_DIGIT | CD_CC_SYMBOL)

static unsigned
char_class(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return CD_CC_LOWER;
	if (c >= 'A' && c <= 'Z')
		return CD_CC_UPPER;
	if (c >= '0' && c <= '9')
		return CD_CC_DIGIT;
	return CD_CC_SYMBOL;
}

static int
is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

int
cd_pw_check(const struct cd_pwpolicy *p, const char *pw, struct cd_err *err)
{
	size_t n, len, i;
	long chars = 0;
	unsigned have = 0;
	uint32_t c;

	if (pw == NULL)
		return cd_err_set(err, CD_E_PASSWORD, "no password was given");
	for (n = strlen(pw); n > 0; pw += len, n -= len, chars++) {
		if ((len = cd_utf8_next(pw, n, &c)) == 0)
			return cd_err_set(err, CD_E_PASSWORD, "the password "
			    "is not valid UTF-8 text");
		if (is_control(c))
			return cd_err_set(err, CD_E_PASSWORD, "the password "
			    "must not contain control characters");
		/* keytool: "Password is not ASCII"; never issue that. */
		if (c > 0x7e)
			return cd_err_set(err, CD_E_PASSWORD, "the password "
			    "must be plain ASCII (letters a-z and A-Z, digits, "
			    "space and symbols): Java's keytool cannot open "
			    "a package whose password has other characters");
		have |= char_class(c);
	}
	if (chars < p->min_len)
		return cd_err_set(err, CD_E_PASSWORD, "the password must be "
		    "at least %d characters long", p->min_len);
	if (chars > p->max_len)
		return cd_err_set(err, CD_E_PASSWORD, "the password must not "
		    "be longer than %d characters", p->max_len);
	for (i = 0; i < CD_NELEM(class_words); i++)
		if ((p->required & class_words[i].cls) != 0 &&
		    (have & class_words[i].cls) == 0)
			return cd_err_set(err, CD_E_PASSWORD, "the password "
			    "must contain %s", class_words[i].words);
	return 0;
}

/* Random bytes, refilled from the CSPRNG as they are used up. */
struct pool {
	unsigned char buf[64];
	size_t pos;
};

/* An unbiased random index below n (n <= 256): rejection sampling. */
static int
pick(struct pool *pl, size_t n, size_t *out, struct cd_err *err)
{
	size_t limit = 256 - 256 % n;
	unsigned char b;

	do {
		if (pl->pos == sizeof(pl->buf)) {
			if (RAND_bytes(pl->buf, sizeof(pl->buf)) != 1)
				return cd_err_ssl(err, CD_E_CRYPTO, "cannot "
				    "get random bytes for a password");
			pl->pos = 0;
		}
		b = pl->buf[pl->pos++];
	} while (b >= limit);
	*out = b % n;
	return 0;
}

static unsigned
classes_of(const char *s)
{
	unsigned have = 0;

	for (; *s != '\0'; s++)
		have |= char_class((unsigned char)*s);
	return have;
}

static int
bits(unsigned v)
{
	int n = 0;

	for (; v != 0; v >>= 1)
		n += v & 1;
	return n;
}

/* Length of a generated password under p, or -1 if p is unusable. */
static int
gen_length(const struct cd_pwpolicy *p)
{
	int len = p->min_len > CD_PW_GEN_LEN ? p->min_len : CD_PW_GEN_LEN;

	if (len > p->max_len)
		len = p->max_len;
	if (p->min_len < 1 || p->max_len < p->min_len ||
	    len < bits(p->required & CLASS_MASK))
		return -1;
	return len;
}

int
cd_pw_generate(const struct cd_pwpolicy *p, char *out, size_t outlen,
    struct cd_err *err)
{
	char alpha[128];
	struct pool pl;
	unsigned req = p->required & CLASS_MASK;
	size_t na, k = 0;
	int len, i, tries, r = CD_E_INTERNAL;

	if ((len = gen_length(p)) < 0)
		return cd_err_set(err, CD_E_INVAL, "the password policy "
		    "(%d to %d characters) cannot be met", p->min_len,
		    p->max_len);
	if (outlen <= (size_t)len)
		return cd_err_set(err, CD_E_INVAL, "no room for a %d "
		    "character password", len);
	snprintf(alpha, sizeof(alpha), "%s%s%s%s", lower_chars, upper_chars,
	    digit_chars, (req & CD_CC_SYMBOL) ? CD_PW_SYMBOLS : "");
	na = strlen(alpha);
	pl.pos = sizeof(pl.buf);
	for (tries = 0; tries < MAX_TRIES; tries++) {
		for (i = 0; i < len; i++) {
			if ((r = pick(&pl, na, &k, err)) != 0)
				goto out;
			out[i] = alpha[k];
		}
		out[len] = '\0';
		if ((classes_of(out) & req) == req) {
			r = 0;
			goto out;
		}
	}
	r = cd_err_set(err, CD_E_INTERNAL, "could not generate a password "
	    "that meets the policy");
out:
	if (r != 0)
		OPENSSL_cleanse(out, outlen);
	OPENSSL_cleanse(&pl, sizeof(pl));
	return r;
}

void
cd_pw_describe(const struct cd_pwpolicy *p, char *buf, size_t len)
{
	unsigned req = p->required & CLASS_MASK;
	size_t i, n;
	int left = bits(req), used;

	n = (size_t)snprintf(buf, len, "%d to %d characters", p->min_len,
	    p->max_len);
	for (i = 0; i < CD_NELEM(class_words) && n < len; i++) {
		if ((req & class_words[i].cls) == 0)
			continue;
		used = snprintf(buf + n, len - n, "%s%s",
		    left == bits(req) ? ", with " : left == 1 ? " and " : ", ",
		    class_words[i].brief);
		left--;
		n += (size_t)used;
	}
}
