/* SPDX-License-Identifier: ISC */
/*
 * out.c - shared CLI plumbing: opening the client API, errors and exit codes,
 * sub-command dispatch, and JSON / safe-text output.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "certdesk/cdutil.h"

int
cli_exit_code(int code)
{
	switch (code) {
	case CD_OK:
		return EXIT_OK_;
	case CD_E_DENIED: case CD_E_STATE: case CD_E_BUSY:
	case CD_E_PASSWORD: case CD_E_CONFIRM: case CD_E_AUTH:
	case CD_E_EXISTS:
		return EXIT_REFUSED;
	case CD_E_CANCELLED: case CD_E_TIMEOUT:
		return EXIT_CANCELLED;
	case CD_E_CONFIG:
		return EXIT_CONFIG;
	case CD_E_NOTFOUND:
		return EXIT_NOTFOUND;
	case CD_E_INVAL:
		return EXIT_USAGE;
	default:
		return EXIT_FAIL;
	}
}

int
cli_fail(const struct cd_err *err)
{
	fputs("certdesk: ", stderr);
	text_safe(stderr, err != NULL ? cd_err_msg(err) : "failed");
	fputc('\n', stderr);
	return cli_exit_code(err != NULL ? err->code : CD_E_INTERNAL);
}

int
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("certdesk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

void
cli_api_opts(const struct cli *cli, struct cd_api_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = getenv("CERTDESK_MODE");
	if (o->mode != NULL && *o->mode == '\0')
		o->mode = NULL;
	o->socket = cli->socket;
	if (o->mode == NULL && o->socket != NULL)
		o->mode = "server";
	o->conf_path = cli->conf;
	o->as_logon = cli->as;
	o->clock_offset = cli->clock_offset;
}

int
cli_api(struct cli *cli)
{
	struct cd_api_opts o;
	struct cd_err err;

	if (cli->api != NULL)
		return 0;
	cli_api_opts(cli, &o);
	if (cd_api_open(&o, &cli->api, &err) != 0)
		return cli_fail(&err);
	if (cli_check_fds(cd_api_datadir(cli->api)) != 0)
		return EXIT_USAGE;
	return 0;
}

int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

int
cli_dispatch(struct cli *cli, const char *family, const struct cli_cmd *cmds,
    int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;

		fprintf(f, "usage: certdesk %s COMMAND [ARGS]\n\n", family);
		for (c = cmds; c->name != NULL; c++)
			fprintf(f, "  %-9s %s\n", c->name, c->summary);
		fprintf(f, "\n'certdesk %s COMMAND --help' for details.\n",
		    family);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	for (c = cmds; c->name != NULL; c++)
		if (strcmp(c->name, argv[1]) == 0) {
			optind = 0;
			return c->run(cli, argc - 1, argv + 1);
		}
	return cli_usage("unknown command '%s %s' (see certdesk %s --help)",
	    family, argv[1], family);
}

int
cli_parse_id(const char *s, int64_t *out)
{
	long long v;

	if (cli_parse_num(s, 1, INT64_MAX, &v) != 0)
		return -1;
	*out = v;
	return 0;
}

/* Bidirectional embeddings, overrides and isolates: never shown raw. */
static int
is_bidi(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * Text for a terminal: control characters (C0, DEL and C1), bidi
 * controls and bytes that are not UTF-8 are shown as '?'.
 */
void
text_safe(FILE *f, const char *s)
{
	size_t n = strlen(s), len;
	uint32_t c;

	while (n > 0) {
		len = cd_utf8_next(s, n, &c);
		if (len == 0 || c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		    is_bidi(c)) {
			fputc('?', f);
			len = len ? len : 1;
		} else
			fwrite(s, 1, len, f);
		s += len;
		n -= len;
	}
}

/*
 * A JSON string that is always valid UTF-8: quotes, backslashes and
 * controls (C0, DEL, C1) and bidi controls escaped as \uXXXX, a byte
 * that is not part of valid UTF-8 as U+FFFD.
 */
void
json_str(FILE *f, const char *s)
{
	size_t n = strlen(s), len;
	uint32_t c;

	fputc('"', f);
	while (n > 0) {
		len = cd_utf8_next(s, n, &c);
		if (len == 0) {
			fputs("\\ufffd", f);
			len = 1;
		} else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", (int)c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || is_bidi(c) ||
		    c == 0xfffd)	/* as written for a byte that is not UTF-8 */
			fprintf(f, "\\u%04x", (unsigned)c);
		else
			fwrite(s, 1, len, f);
		s += len;
		n -= len;
	}
	fputc('"', f);
}

static void
kv_str(FILE *f, const char *k, const char *v, int comma)
{
	fprintf(f, "%s\"%s\":", comma ? "," : "", k);
	json_str(f, v);
}

static void
kv_time(FILE *f, const char *k, int64_t t)
{
	char buf[40];

	if (t == 0) {
		fprintf(f, ",\"%s\":null", k);
		return;
	}
	cd_time_iso(t, buf, sizeof(buf));
	kv_str(f, k, buf, 1);
}

void
json_person(FILE *f, const struct cd_person *p)
{
	char roles[128];

	cd_roles_format(p->roles, roles, sizeof(roles));
	fprintf(f, "{\"id\":%lld", (long long)p->id);
	kv_str(f, "logon", p->logon, 1);
	kv_str(f, "full_name", p->full_name, 1);
	kv_str(f, "email", p->email, 1);
	kv_str(f, "employee_id", p->employee_id, 1);
	kv_str(f, "group", p->group_name, 1);
	kv_str(f, "upn", p->upn, 1);
	kv_str(f, "status", p->status == CD_PS_ACTIVE ? "active" : "disabled",
	    1);
	kv_str(f, "roles", roles, 1);
	fputc('}', f);
}

void
json_request(FILE *f, const struct cd_request *r)
{
	fprintf(f, "{\"id\":%lld", (long long)r->id);
	kv_str(f, "type", cd_request_type_short(r->type), 1);
	kv_str(f, "status", cd_status_short(r->status), 1);
	kv_str(f, "person", r->person_logon, 1);
	kv_str(f, "person_name", r->person_name, 1);
	kv_str(f, "profile", r->profile, 1);
	fprintf(f, ",\"device_id\":%lld", (long long)r->device_id);
	kv_str(f, "created_by", r->created_by, 1);
	kv_time(f, "created_at", r->created_at);
	kv_str(f, "approved_by", r->approved_by, 1);
	kv_time(f, "approved_at", r->approved_at);
	kv_str(f, "validated_by", r->validated_by, 1);
	kv_time(f, "validated_at", r->validated_at);
	kv_str(f, "collected_by", r->collected_by, 1);
	kv_time(f, "collected_at", r->collected_at);
	kv_str(f, "cancelled_by", r->cancelled_by, 1);
	kv_time(f, "cancelled_at", r->cancelled_at);
	kv_str(f, "note", r->note, 1);
	fputc('}', f);
}

void
json_cert(FILE *f, const struct cd_cert *c)
{
	fputc('{', f);
	kv_str(f, "serial", c->serial, 0);
	kv_str(f, "status", cd_cert_status_name(c->status), 1);
	kv_str(f, "policy", c->policy, 1);
	kv_str(f, "subject", c->subject, 1);
	kv_str(f, "issuer", c->issuer, 1);
	fprintf(f, ",\"request_id\":%lld,\"device_id\":%lld,\"attempt_id\":"
	    "%lld", (long long)c->request_id, (long long)c->device_id,
	    (long long)c->attempt_id);
	kv_time(f, "not_before", c->not_before);
	kv_time(f, "not_after", c->not_after);
	kv_time(f, "revoke_after", c->revoke_after);
	kv_time(f, "revoked_at", c->revoked_at);
	kv_str(f, "location", c->location, 1);
	fputc('}', f);
}

void
json_device(FILE *f, const struct cd_device *d)
{
	fprintf(f, "{\"id\":%lld", (long long)d->id);
	kv_str(f, "type", d->type, 1);
	kv_str(f, "serial", d->serial, 1);
	fprintf(f, ",\"owner_id\":%lld,\"parent_id\":%lld",
	    (long long)d->owner_id, (long long)d->parent_id);
	kv_str(f, "status", d->status, 1);
	kv_str(f, "detail", d->detail, 1);
	kv_time(f, "created_at", d->created_at);
	fputc('}', f);
}

void
json_audit(FILE *f, const struct cd_audit *a)
{
	fprintf(f, "{\"id\":%lld", (long long)a->id);
	kv_time(f, "at", a->at);
	kv_str(f, "operator", a->operator_, 1);
	kv_str(f, "action", a->action, 1);
	kv_str(f, "object", a->object, 1);
	kv_str(f, "outcome", a->outcome, 1);
	kv_str(f, "detail", a->detail, 1);
	fputc('}', f);
}

void
rows_sep(struct cli_rows *w)
{
	fputs(w->n++ ? ",\n" : "[", stdout);
}

void
rows_end(struct cli_rows *w)
{
	if (w->json)
		puts(w->n ? "]" : "[]");
}
