/* SPDX-License-Identifier: ISC */
/*
 * t-subst.c - [[...]] substitutions (every kind, DateTime codes at a fixed
 * time, unknown and disallowed ones) and safe package file names
 * (forbidden characters, trailing dots and spaces, reserved device names,
 * long and invalid UTF-8 names, de-duplication).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fname.h"
#include "subst.h"
#include "util.h"
#include "tap.h"

#define T_NOV 1795525509	/* Tuesday 2026-11-24 13:05:09 UTC */
#define T_JAN 1767571623	/* Monday 2026-01-05 00:07:03 UTC */

static struct cd_person susan;
static struct cd_subst_ctx ctx;

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	memset(&susan, 0, sizeof(susan));
	cd_strlcpy(susan.logon, "Susan.Smith", sizeof(susan.logon));
	cd_strlcpy(susan.full_name, "Susan Smith", sizeof(susan.full_name));
	cd_strlcpy(susan.email, "susan@example.com", sizeof(susan.email));
	cd_strlcpy(susan.employee_id, "E1234", sizeof(susan.employee_id));
	cd_strlcpy(susan.group_name, "Finance", sizeof(susan.group_name));
	cd_strlcpy(susan.upn, "ssmith@corp.example", sizeof(susan.upn));
	memset(&ctx, 0, sizeof(ctx));
	ctx.person = &susan;
	ctx.policy_name = "Signing";
	ctx.request_id = 42;
	ctx.serial = "0af3";
	ctx.now = T_NOV;
}

/* Expand fmt with ctx; the result, or "ERROR: message". */
static const char *
ex(const char *fmt)
{
	static char out[1024];
	struct cd_err err;

	if (cd_subst_expand(fmt, &ctx, out, sizeof(out), &err) != 0)
		snprintf(out, sizeof(out), "ERROR: %.900s", err.msg);
	return out;
}

static const char *
fn(const char *fmt)
{
	static char out[CD_FIELD_MAX];
	struct cd_err err;

	if (cd_fname_make(fmt, &ctx, out, sizeof(out), &err) != 0)
		snprintf(out, sizeof(out), "ERROR: %.240s", err.msg);
	return out;
}

/* File name for a person whose full name is name. */
static const char *
fn_name(const char *name)
{
	cd_strlcpy(susan.full_name, name, sizeof(susan.full_name));
	return fn("[[People.FullName]]");
}

static void
test_fields(void)
{
	is_str(ex("[[People.LogonName]]"), "Susan.Smith", "LogonName");
	is_str(ex("[[People.FullName]]"), "Susan Smith", "FullName");
	is_str(ex("[[People.Email]]"), "susan@example.com", "Email");
	is_str(ex("[[People.EmployeeId]]"), "E1234", "EmployeeId");
	is_str(ex("[[People.GroupName]]"), "Finance", "GroupName");
	is_str(ex("[[People.Upn]]"), "ssmith@corp.example", "Upn");
	is_str(ex("[[people.logonname]]"), "Susan.Smith",
	    "field names are case-insensitive");
	is_str(ex("[[PolicyName]]"), "Signing", "PolicyName");
	is_str(ex("[[RequestId]]"), "42", "RequestId");
	is_str(ex("[[Serial]]"), "0af3", "Serial");
	ctx.serial = NULL;
	is_str(ex("x[[Serial]]y"), "xy", "no serial yet expands to nothing");
	ctx.serial = "0af3";
	is_str(ex("CN=[[People.FullName]], O=Ex [x] ]] a[b"),
	    "CN=Susan Smith, O=Ex [x] ]] a[b",
	    "text outside [[ ]] is copied, single brackets too");
	cd_strlcpy(susan.full_name, "[[Serial]]", sizeof(susan.full_name));
	is_str(ex("[[People.FullName]]"), "[[Serial]]",
	    "values are not expanded again");
	cd_strlcpy(susan.full_name, "Susan Smith", sizeof(susan.full_name));
	is_str(ex(""), "", "empty format");
}

static void
test_datetime(void)
{
	is_str(ex("[[DateTime.yyyy-MM-dd HH:mm:ss]]"), "2026-11-24 13:05:09",
	    "ISO-like date and time");
	is_str(ex("[[DateTime.yy]]"), "26", "yy");
	is_str(ex("[[DateTime.MMM]]"), "Nov", "MMM");
	is_str(ex("[[DateTime.MMMM]]"), "November", "MMMM");
	is_str(ex("[[DateTime.ddd dddd]]"), "Tue Tuesday", "ddd, dddd");
	is_str(ex("[[DateTime.hh tt]]"), "01 PM", "hh and tt in the afternoon");
	is_str(ex("[[DateTime.dd/MM/yyyy, at hh.mm]]"),
	    "24/11/2026, at 01.05", "other characters are copied");
	ctx.now = T_JAN;
	is_str(ex("[[DateTime.yyyyMMdd-HHmmss]]"), "20260105-000703",
	    "zero padding");
	is_str(ex("[[DateTime.hh tt MMMM ddd]]"), "12 AM January Mon",
	    "midnight is 12 AM");
	ctx.now = 0;
	ok(strlen(ex("[[DateTime.yyyy]]")) == 4 &&
	    atoi(ex("[[DateTime.yyyy]]")) >= 2024,
	    "now = 0 uses the current time");
	ctx.now = T_NOV;
}

static void
test_errors(void)
{
	struct cd_err err;
	char small[8];

	is_int(cd_subst_check("[[People.Foo]]", CD_SUBST_ALL, &err),
	    CD_E_CONFIG, "unknown person field is refused");
	like(err.msg, "unknown substitution [[People.Foo]]", "... named");
	is_int(cd_subst_check("x [[Shoesize]] y", CD_SUBST_ALL, &err),
	    CD_E_CONFIG, "unknown substitution is refused");
	like(err.msg, "[[Shoesize]]", "... named");
	is_int(cd_subst_check("[[DateTime.]]", CD_SUBST_ALL, &err),
	    CD_E_CONFIG, "DateTime without a format is refused");
	is_int(cd_subst_check("[[DateTime]]", CD_SUBST_ALL, &err),
	    CD_E_CONFIG, "bare DateTime is refused");
	is_int(cd_subst_check("[[People.Email", CD_SUBST_ALL, &err),
	    CD_E_CONFIG, "unterminated [[ is refused");
	like(err.msg, "unterminated [[", "... said so");
	is_int(cd_subst_check("CN=[[Serial]]", CD_SUBST_PERSON, &err),
	    CD_E_CONFIG, "Serial where only person fields are allowed");
	like(err.msg, "[[Serial]] is not allowed here", "... named");
	is_int(cd_subst_check("[[People.Email]]", CD_SUBST_POLICY, &err),
	    CD_E_CONFIG, "person field where not allowed");
	like(err.msg, "[[People.Email]] is not allowed here", "... named");
	is_int(cd_subst_check("[[DateTime.yyyy]]", CD_SUBST_PERSON, &err),
	    CD_E_CONFIG, "DateTime where not allowed");
	is_int(cd_subst_check("[[RequestId]][[PolicyName]]", CD_SUBST_PERSON,
	    &err), CD_E_CONFIG, "RequestId where not allowed");
	is_int(cd_subst_check("[[People.Upn]] [[PolicyName]] [[RequestId]] "
	    "[[Serial]] [[DateTime.yyyy]]", CD_SUBST_ALL, &err), 0,
	    "every kind allowed with CD_SUBST_ALL");
	like(ex("[[Nope]]"), "ERROR: unknown substitution [[Nope]]",
	    "expand refuses unknown substitutions too");
	is_int(cd_subst_expand("[[People.FullName]]", &ctx, small,
	    sizeof(small), &err), CD_E_INVAL, "result too long for out");
	is_str(small, "", "... and out is left empty");
	ctx.person = NULL;
	like(ex("[[People.Email]]"), "ERROR: [[People.Email]] has no value",
	    "person field without a person");
	ctx.person = &susan;
	ctx.policy_name = NULL;
	like(ex("[[PolicyName]]"), "has no value", "policy without a policy");
	ctx.policy_name = "Signing";
}

static void
test_fname_basic(void)
{
	char out[8];
	struct cd_err err;

	is_str(fn("[[People.LogonName]] [[PolicyName]]"),
	    "Susan.Smith Signing.pfx", "the default format");
	ctx.policy_name = "PIVSigning";
	is_str(fn("[[People.LogonName]] [[PolicyName]]"),
	    "Susan.Smith PIVSigning.pfx", "the reference product's example");
	ctx.policy_name = "Signing";
	is_str(fn("[[People.LogonName]] [[DateTime.yyyy-MM-dd HH:mm]]"),
	    "Susan.Smith 2026-11-24 13_05.pfx", "':' from a time becomes '_'");
	like(fn("[[People.Foo]]"), "ERROR: unknown substitution",
	    "expansion errors are passed on");
	is_int(cd_fname_make("[[People.LogonName]]", &ctx, out, sizeof(out),
	    &err), CD_E_INVAL, "out too small");
}

static void
test_fname_chars(void)
{
	const char *bad = "/\\:*?\"<>|";
	char name[8], want[16];

	for (; *bad != '\0'; bad++) {
		snprintf(name, sizeof(name), "a%cb", *bad);
		snprintf(want, sizeof(want), "a_b.pfx");
		is_str(fn_name(name), want, "'%c' becomes '_'", *bad);
	}
	is_str(fn_name("a\tb\x01" "c\x7f" "d"), "a_b_c_d.pfx",
	    "control characters and DEL become '_'");
	is_str(fn_name("a\xc2\x85" "b"), "a_b.pfx",
	    "a C1 control character becomes one '_'");
	is_str(fn_name("Zo\xc3\xab M\xc3\xbcller \xe2\x82\xac"),
	    "Zo\xc3\xab M\xc3\xbcller \xe2\x82\xac.pfx",
	    "valid UTF-8 is kept");
	is_str(fn_name("a\xff\xfe" "b"), "a__b.pfx",
	    "invalid bytes become '_'");
	is_str(fn_name("a\xc0\xaf"), "a__.pfx", "an overlong '/' is invalid");
	is_str(fn_name("a\xed\xa0\x80"), "a___.pfx", "a surrogate is invalid");
	is_str(fn_name("a\xe2\x82"), "a__.pfx",
	    "a truncated sequence is invalid");
	is_str(fn_name("name. . "), "name.pfx",
	    "trailing dots and spaces are removed");
	is_str(fn_name("   name"), "name.pfx", "leading spaces are removed");
	is_str(fn_name(".hidden"), "hidden.pfx", "leading dots are removed");
	is_str(fn_name(""), "certificate.pfx", "empty becomes certificate");
	is_str(fn_name(" . . "), "certificate.pfx",
	    "only dots and spaces becomes certificate");
}

static void
test_fname_reserved(void)
{
	static const char *const names[] = { "CON", "prn", "Aux", "NUL",
		"COM1", "com9", "LPT1", "lpt9", "CONIN$", "conout$" };
	char want[32];
	size_t i;

	for (i = 0; i < CD_NELEM(names); i++) {
		snprintf(want, sizeof(want), "_%s.pfx", names[i]);
		is_str(fn_name(names[i]), want, "%s is reserved", names[i]);
	}
	is_str(fn_name("NUL.txt"), "_NUL.txt.pfx",
	    "a reserved name with an extension");
	is_str(fn_name("aux .txt"), "_aux .txt.pfx",
	    "a reserved name with spaces before the extension");
	is_str(fn_name("con "), "_con.pfx", "trailing space, then reserved");
	is_str(fn_name("CONSOLE"), "CONSOLE.pfx", "CONSOLE is not reserved");
	is_str(fn_name("COM10"), "COM10.pfx", "COM10 is not reserved");
	is_str(fn_name("LPT"), "LPT.pfx", "LPT is not reserved");
}

/* Is s valid UTF-8 throughout? */
static int
valid_utf8(const char *s)
{
	size_t n = strlen(s), len;
	uint32_t c;

	for (; n > 0; s += len, n -= len)
		if ((len = cd_utf8_next(s, n, &c)) == 0)
			return 0;
	return 1;
}

static void
test_fname_long(void)
{
	char name[CD_FIELD_MAX];
	const char *out;
	size_t i;

	memset(name, 'a', 250);
	name[250] = '\0';
	out = fn_name(name);
	is_int(strlen(out), CD_FNAME_MAX_BYTES + 4, "long ASCII name is cut "
	    "to 200 bytes before .pfx");
	ok(strcmp(out + CD_FNAME_MAX_BYTES, ".pfx") == 0, "... and ends .pfx");
	name[0] = 'a';
	for (i = 0; i < 120; i++)
		memcpy(name + 1 + 2 * i, "\xc3\xa9", 2);
	name[241] = '\0';
	out = fn_name(name);
	is_int(strlen(out), 199 + 4, "2-byte characters are not split");
	ok(valid_utf8(out), "... the result is valid UTF-8");
	for (i = 0; i < 80; i++)
		memcpy(name + 3 * i, "\xe2\x82\xac", 3);
	name[240] = '\0';
	out = fn_name(name);
	is_int(strlen(out), 198 + 4, "3-byte characters are not split");
	ok(valid_utf8(out), "... the result is valid UTF-8");
	memset(name, 'b', 199);
	memcpy(name + 199, ". xyz", 6);
	is_str(fn_name(name) + 195, "bbbb.pfx",
	    "trailing dot left by the cut is removed");
}

static void
test_dedupe(void)
{
	char names[5][CD_FIELD_MAX] = {
		"Susan.Smith Signing.pfx",
		"susan.smith signing.pfx",
		"Susan.Smith Encryption.pfx",
		"Susan.Smith Signing.pfx",
		"Susan.Smith Signing (2).pfx",
	};
	char one[1][CD_FIELD_MAX] = { "a.pfx" };
	char noext[2][CD_FIELD_MAX] = { "a", "A" };
	char two[2][CD_FIELD_MAX] = { "Susan.Smith Signing.pfx",
		"Susan.Smith Signing.pfx" };

	cd_fname_dedupe(names, 5);
	is_str(names[0], "Susan.Smith Signing.pfx", "first name kept");
	is_str(names[1], "susan.smith signing (3).pfx",
	    "case-insensitive duplicate numbered, skipping a taken (2)");
	is_str(names[2], "Susan.Smith Encryption.pfx", "distinct name kept");
	is_str(names[3], "Susan.Smith Signing (4).pfx", "third copy");
	is_str(names[4], "Susan.Smith Signing (2).pfx",
	    "a name that was already distinct is kept");
	cd_fname_dedupe(one, 1);
	is_str(one[0], "a.pfx", "a single name is kept");
	cd_fname_dedupe(noext, 2);
	is_str(noext[1], "A (2)", "no extension: suffix at the end");
	cd_fname_dedupe(two, 2);
	is_str(two[1], "Susan.Smith Signing (2).pfx",
	    "the reference product's example");
}

int
main(void)
{
	setup();
	test_fields();
	test_datetime();
	test_errors();
	test_fname_basic();
	setup();
	test_fname_chars();
	test_fname_reserved();
	test_fname_long();
	setup();
	test_dedupe();
	return done_testing();
}
