/* SPDX-License-Identifier: ISC */
/*
 * password.h - the password policy of a credential profile: checking a
 * password the operator typed, and generating one.
 *
 * Lengths count characters (UTF-8 code points), not bytes.  Classes:
 * lower = a-z, upper = A-Z, digit = 0-9, symbol = any other character.
 * Control characters are never accepted.
 */
#ifndef CD_PASSWORD_H
#define CD_PASSWORD_H

#include <stddef.h>

#include "conf.h"
#include "certdesk/error.h"

/*
 * Symbols used in generated passwords: typed without AltGr on US, UK,
 * German and French keyboards, no quotes, backslash or space, nothing that
 * looks like a letter or digit on a printed PIN mailer.
 */
#define CD_PW_SYMBOLS "!%*+-=?"

/* Length of generated passwords, unless the policy's limits say otherwise. */
#define CD_PW_GEN_LEN 16

/*
 * 0, or CD_E_PASSWORD with err naming the rule the password breaks ("the
 * password must be at least 8 characters long", "the password must
 * contain a digit").  The message never contains the password.
 */
int cd_pw_check(const struct cd_pwpolicy *p, const char *pw,
    struct cd_err *err);

/*
 * Generate a password that meets p into out (outlen bytes, caller's secret
 * memory): max(min_len, CD_PW_GEN_LEN) characters capped at max_len, drawn
 * uniformly from a-z A-Z 2-9 without the look-alikes 0 O o 1 l I (and
 * CD_PW_SYMBOLS when symbols are required) with OpenSSL's CSPRNG; every
 * required class appears.  16 characters give about 93 bits.
 */
int cd_pw_generate(const struct cd_pwpolicy *p, char *out, size_t outlen,
    struct cd_err *err);

/* The rules in words, for a form: "8 to 64 characters, with a digit". */
void cd_pw_describe(const struct cd_pwpolicy *p, char *buf, size_t len);

#endif
