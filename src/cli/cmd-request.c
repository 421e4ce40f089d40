/* SPDX-License-Identifier: ISC */
/*
 * cmd-request.c - 'certdesk request new|search|show|approve|reject|
 * validate|cancel'.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "certdesk/cdutil.h"

static int
request_new(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "person", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *person = NULL, *profile = NULL;
	struct cd_err err;
	int64_t id;
	int ch, status, r;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': person = optarg; break;
		case 'P': profile = optarg; break;
		case 'h':
			puts("usage: certdesk request new --person LOGON "
			    "--profile NAME\n  prints the new request's number");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (person == NULL || profile == NULL || optind != argc)
		return cli_usage("request new needs --person and --profile");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_request_new(cli->api, person, profile, &id, &status,
	    &err) != 0)
		return cli_fail(&err);
	printf("%lld\n", (long long)id);
	fprintf(stderr, "request %lld: %s\n", (long long)id,
	    cd_status_name(status));
	return 0;
}

static int
print_request_row(const struct cd_request *r, void *arg)
{
	struct cli_rows *w = arg;
	char when[32];

	if (w->json) {
		rows_sep(w);
		json_request(stdout, r);
		return 0;
	}
	cd_time_text(r->created_at, when, sizeof(when));
	printf("%lld\t", (long long)r->id);
	text_safe(stdout, r->person_logon);
	fputc('\t', stdout);
	text_safe(stdout, r->person_name);
	printf("\t%s\t%s\t%s\t%s\n", cd_request_type_short(r->type),
	    cd_status_short(r->status), r->profile, when);
	return 0;
}

static const char search_usage[] =
    "usage: certdesk request search [--name WORDS] [--id N] [--type TYPE]\n"
    "         [--status STATUS] [--profile NAME] [--person LOGON]\n"
    "         [--from DATE] [--to DATE] [--limit N] [--json]\n"
    "  WORDS: each word must start a word of the full name or logon name\n"
    "  TYPE: softcert   STATUS: awaiting-approval, awaiting-validation,\n"
    "  awaiting-collection, being-collected, completed, rejected,\n"
    "  cancelled, expired   DATE: YYYY-MM-DD ['HH:MM'] (--to exclusive)\n";

static int
search_opt(struct cli *cli, int ch, struct cd_request_filter *f,
    const char **person, struct cli_rows *w)
{
	switch (ch) {
	case 'n': cd_strlcpy(f->name, optarg, sizeof(f->name)); return 0;
	case 'i': return cli_parse_id(optarg, &f->id) ? -1 : 0;
	case 't': return (f->type = cd_request_type_parse(optarg)) < 0 ? -1 :
	    0;
	case 's': return (f->status = cd_status_parse(optarg)) < 0 ? -1 : 0;
	case 'P': cd_strlcpy(f->profile, optarg, sizeof(f->profile));
		return 0;
	case 'p': *person = optarg; return 0;
	case 'f': return cli_opt_date("--from", optarg, &f->created_from);
	case 'T': return cli_opt_date("--to", optarg, &f->created_to);
	case 'L': return cli_opt_int("--limit", optarg, 0, 1000000,
	    &f->limit);
	case 'j': w->json = 1; return 0;
	default: return -1;
	}
}

static int
request_search(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "id", required_argument, NULL, 'i' },
		{ "type", required_argument, NULL, 't' },
		{ "status", required_argument, NULL, 's' },
		{ "profile", required_argument, NULL, 'P' },
		{ "person", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 'T' },
		{ "limit", required_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_request_filter f;
	struct cli_rows w = { 0, 0 };
	struct cd_person p;
	struct cd_err err;
	const char *person = NULL;
	int ch, r;

	cd_request_filter_init(&f);
	f.limit = 200;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(search_usage, stdout);
			return 0;
		}
		if (search_opt(cli, ch, &f, &person, &w) != 0) {
			fputs(search_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage("request search takes options only");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (person != NULL) {
		if (cd_api_person_get(cli->api, 0, person, &p, &err) != 0)
			return cli_fail(&err);
		f.person_id = p.id;
	}
	if (cd_api_request_search(cli->api, &f, print_request_row, &w,
	    &err) < 0)
		return cli_fail(&err);
	rows_end(&w);
	return 0;
}

struct show_ctx {
	int json;
	int n;
};

static int
show_cert(const struct cd_cert *c, void *arg)
{
	struct show_ctx *s = arg;

	if (s->json) {
		fputs(s->n++ ? "," : "", stdout);
		json_cert(stdout, c);
		return 0;
	}
	printf("  %s  %-18s %-12s ", c->serial,
	    cd_cert_status_name(c->status), c->policy);
	text_safe(stdout, c->location);
	putchar('\n');
	return 0;
}

static int
show_history(const struct cd_audit *a, void *arg)
{
	struct show_ctx *s = arg;
	char when[32];

	if (s->json) {
		fputs(s->n++ ? "," : "", stdout);
		json_audit(stdout, a);
		return 0;
	}
	cd_time_text(a->at, when, sizeof(when));
	printf("  %s  ", when);
	text_safe(stdout, a->operator_);
	printf("  %s  %s  ", a->action, a->outcome);
	text_safe(stdout, a->detail);
	putchar('\n');
	return 0;
}

/* The profile id names, as the engine's configuration has it, or NULL. */
static const struct cd_profile *
find_profile(struct cd_api *a, const char *id)
{
	const struct cd_profile *p;
	int i, n = cd_api_nprofiles(a);

	for (i = 0; i < n; i++)
		if ((p = cd_api_profile_at(a, i)) != NULL &&
		    strcasecmp(p->id, id) == 0)
			return p;
	return NULL;
}

static void
show_text(struct cd_api *a, const struct cd_request *r,
    const struct cd_actions *act)
{
	const struct cd_profile *prof = find_profile(a, r->profile);
	char when[32];
	int i;

	cd_time_text(r->created_at, when, sizeof(when));
	printf("Request %lld: %s\nStatus:   %s\nPerson:   ", (long long)r->id,
	    cd_request_type_name(r->type), cd_status_name(r->status));
	text_safe(stdout, r->person_name);
	printf(" (");
	text_safe(stdout, r->person_logon);
	printf(")\nProfile:  %s%s%s\nCreated:  %s by ", r->profile,
	    prof ? " - " : "", prof ? prof->name : "", when);
	text_safe(stdout, r->created_by);
	putchar('\n');
	for (i = 0; prof != NULL && i < prof->npolicies; i++)
		printf("Policy:   %s (%s, %s)\n", prof->policies[i]->name,
		    cd_key_type_name(prof->policies[i]->key_type),
		    cd_storage_name(prof->policies[i]->storage));
	if (r->device_id)
		printf("Device:   %lld\n", (long long)r->device_id);
	if (!(act->allowed & CD_ACT_COLLECT)) {
		printf("Collect:  not available: ");
		text_safe(stdout, act->why_not_collect);
		putchar('\n');
	}
}

static int
request_show(struct cli *cli, int argc, char **argv)
{
	struct cd_request r;
	struct cd_actions act;
	struct cd_cert_filter cf;
	struct show_ctx s = { 0, 0 };
	struct cd_err err;
	int64_t id;
	int rc;

	s.json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc < 2 || argc > 3 || (argc == 3 && !s.json) ||
	    cli_parse_id(argv[1], &id) != 0) {
		fprintf(cli_wants_help(argc, argv) ? stdout : stderr,
		    "usage: certdesk request show ID [--json]\n");
		return cli_wants_help(argc, argv) ? 0 : EXIT_USAGE;
	}
	if ((rc = cli_api(cli)) != 0)
		return rc;
	if (cd_api_request_get(cli->api, id, &r, &err) != 0 ||
	    cd_api_request_actions(cli->api, id, &act, &err) != 0)
		return cli_fail(&err);
	cd_cert_filter_init(&cf);
	cf.request_id = id;
	if (s.json) {
		fputs("{\"request\":", stdout);
		json_request(stdout, &r);
		fputs(",\"collect_refusal\":", stdout);
		json_str(stdout, act.why_not_collect);
		fputs(",\"certificates\":[", stdout);
	} else {
		show_text(cli->api, &r, &act);
		puts("Certificates:");
	}
	if (cd_api_cert_list(cli->api, &cf, show_cert, &s, &err) < 0)
		return cli_fail(&err);
	s.n = 0;
	fputs(s.json ? "],\"history\":[" : "History:\n", stdout);
	if (cd_api_request_history(cli->api, id, show_history, &s, &err) < 0)
		return cli_fail(&err);
	if (s.json)
		puts("]}");
	return 0;
}

typedef int (*decide_fn)(struct cd_api *, int64_t, const char *,
    struct cd_err *);

static int
decide(struct cli *cli, int argc, char **argv, decide_fn fn)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *note = NULL;
	struct cd_err err;
	int64_t id;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': note = optarg; break;
		case 'h':
			printf("usage: certdesk request %s ID [--note TEXT]\n",
			    argv[0]);
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) != 0)
		return cli_usage("usage: certdesk request %s ID [--note TEXT]",
		    argv[0]);
	if ((r = cli_api(cli)) != 0)
		return r;
	if (fn(cli->api, id, note, &err) != 0)
		return cli_fail(&err);
	return 0;
}

static int
request_approve(struct cli *cli, int argc, char **argv)
{
	return decide(cli, argc, argv, cd_api_request_approve);
}

static int
request_reject(struct cli *cli, int argc, char **argv)
{
	return decide(cli, argc, argv, cd_api_request_reject);
}

static int
request_validate(struct cli *cli, int argc, char **argv)
{
	return decide(cli, argc, argv, cd_api_request_validate);
}

static int
request_cancel(struct cli *cli, int argc, char **argv)
{
	return decide(cli, argc, argv, cd_api_request_cancel);
}

static const struct cli_cmd request_cmds[] = {
	{ "new", "request a soft certificate for a person", request_new },
	{ "search", "find requests", request_search },
	{ "show", "show a request, its certificates and history",
	    request_show },
	{ "approve", "approve a request", request_approve },
	{ "reject", "reject a request", request_reject },
	{ "validate", "validate a request", request_validate },
	{ "cancel", "cancel a request", request_cancel },
	{ NULL, NULL, NULL }
};

int
cmd_request(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "request", request_cmds, argc, argv);
}
