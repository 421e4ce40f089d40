/* SPDX-License-Identifier: ISC */
/*
 * cmd-person.c - 'certdesk person add|edit|list|show|import'.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "certdesk/cdutil.h"

static const struct option person_opts[] = {
	{ "logon", required_argument, NULL, 'l' },
	{ "name", required_argument, NULL, 'n' },
	{ "email", required_argument, NULL, 'e' },
	{ "employee-id", required_argument, NULL, 'i' },
	{ "group", required_argument, NULL, 'g' },
	{ "upn", required_argument, NULL, 'u' },
	{ "roles", required_argument, NULL, 'r' },
	{ "status", required_argument, NULL, 's' },
	{ "revoke-certificates", no_argument, NULL, 'R' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const char fields_help[] =
    "  --logon NAME        logon name (the operator's Unix login)\n"
    "  --name 'FULL NAME'  full name\n"
    "  --email ADDR, --employee-id ID, --group GROUP, --upn USER@DOMAIN\n"
    "  --roles LIST        view,request,approve,validate,collect,admin,"
    "revoke,all\n"
    "                      or none (person add: view when not given)\n"
    "  --status S          active or disabled\n"
    "  --revoke-certificates  (edit) disabling revokes the person's live\n"
    "                      certificates (affiliationChanged)\n";

/* person edit --revoke-certificates */
static int revoke_flag;

/* Apply field options to p; returns 0, -1 usage error, 1 help. */
static int
person_fields(int argc, char **argv, struct cd_person *p, int *json)
{
	int ch;

	while ((ch = getopt_long(argc, argv, "h", person_opts, NULL)) != -1) {
		switch (ch) {
		case 'l': cd_strlcpy(p->logon, optarg, sizeof(p->logon)); break;
		case 'n': cd_strlcpy(p->full_name, optarg,
		    sizeof(p->full_name)); break;
		case 'e': cd_strlcpy(p->email, optarg, sizeof(p->email)); break;
		case 'i': cd_strlcpy(p->employee_id, optarg,
		    sizeof(p->employee_id)); break;
		case 'g': cd_strlcpy(p->group_name, optarg,
		    sizeof(p->group_name)); break;
		case 'u': cd_strlcpy(p->upn, optarg, sizeof(p->upn)); break;
		case 'r':
			if (strcmp(optarg, "none") == 0)
				p->roles = 0;
			else if (cd_role_parse(optarg, &p->roles) != 0) {
				cli_usage("unknown role in '%s'", optarg);
				return -1;
			}
			break;
		case 's':
			if (strcmp(optarg, "active") == 0)
				p->status = CD_PS_ACTIVE;
			else if (strcmp(optarg, "disabled") == 0)
				p->status = CD_PS_DISABLED;
			else {
				cli_usage("--status is active or disabled");
				return -1;
			}
			break;
		case 'R': revoke_flag = 1; break;
		case 'j': if (json) *json = 1; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	return 0;
}

static int
person_add(struct cli *cli, int argc, char **argv)
{
	struct cd_person p;
	struct cd_err err;
	int r;

	memset(&p, 0, sizeof(p));
	p.roles = CD_ROLES_DEFAULT;
	if ((r = person_fields(argc, argv, &p, NULL)) != 0 || optind != argc) {
		fprintf(r == 1 ? stdout : stderr, "usage: certdesk person add "
		    "--logon NAME --name 'FULL NAME' [fields]\n%s", fields_help);
		return r == 1 ? 0 : EXIT_USAGE;
	}
	if (p.logon[0] == '\0' || p.full_name[0] == '\0')
		return cli_usage("person add needs --logon and --name");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_person_add(cli->api, &p, &err) != 0)
		return cli_fail(&err);
	printf("%s\n", p.logon);
	return 0;
}

/* The options as given, for the audit trail of a refusal. */
static void
join_args(int argc, char **argv, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? " " : "", argv[i]);
}

static int
person_edit(struct cli *cli, int argc, char **argv)
{
	struct cd_person p;
	struct cd_err err;
	char asked[512];
	int n = 0, r;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(cli_wants_help(argc, argv) ? stdout : stderr,
		    "usage: certdesk person edit LOGON [fields]\n%s",
		    fields_help);
		return cli_wants_help(argc, argv) ? 0 : EXIT_USAGE;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	/* A refused edit is refused (and audited) before anything is read. */
	join_args(argc - 2, argv + 2, asked, sizeof(asked));
	if (cd_api_person_may_change(cli->api, "person.edit", argv[1], asked,
	    &err) != 0 ||
	    cd_api_person_get(cli->api, 0, argv[1], &p, &err) != 0)
		return cli_fail(&err);
	optind = 2;
	if (person_fields(argc, argv, &p, NULL) != 0 || optind != argc)
		return EXIT_USAGE;
	r = cd_api_person_edit(cli->api, &p, revoke_flag ? CD_PE_REVOKE : 0,
	    &n, &err);
	if (n > 0)
		printf("%d certificate%s revoked (affiliationChanged)\n", n,
		    n == 1 ? "" : "s");
	if (r == CD_E_CONFIRM) {
		fprintf(stderr, "certdesk: %s\ncertdesk: add "
		    "--revoke-certificates to disable %s and revoke them\n",
		    cd_err_msg(&err), p.logon);
		return cli_exit_code(r);
	}
	if (r != 0)
		return cli_fail(&err);
	return 0;
}

static int
print_person_row(const struct cd_person *p, void *arg)
{
	struct cli_rows *w = arg;
	char roles[128];

	if (w->json) {
		rows_sep(w);
		json_person(stdout, p);
		return 0;
	}
	cd_roles_format(p->roles, roles, sizeof(roles));
	text_safe(stdout, p->logon);
	fputc('\t', stdout);
	text_safe(stdout, p->full_name);
	fputc('\t', stdout);
	text_safe(stdout, p->group_name);
	printf("\t%s\t%s\n", p->status == CD_PS_ACTIVE ? "active" :
	    "disabled", roles);
	return 0;
}

static int
person_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "limit", required_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_person_filter f;
	struct cli_rows w = { 0, 0 };
	struct cd_err err;
	int ch, r;

	memset(&f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': cd_strlcpy(f.name, optarg, sizeof(f.name)); break;
		case 'L':
			if (cli_opt_int("--limit", optarg, 0, 1000000,
			    &f.limit) != 0)
				return EXIT_USAGE;
			break;
		case 'j': w.json = 1; break;
		case 'h':
			puts("usage: certdesk person list [--name WORDS] "
			    "[--limit N] [--json]");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_person_list(cli->api, &f, print_person_row, &w, &err) < 0)
		return cli_fail(&err);
	rows_end(&w);
	return 0;
}

static int
person_show(struct cli *cli, int argc, char **argv)
{
	struct cd_person p;
	struct cd_err err;
	char roles[128];
	int json = argc == 3 && strcmp(argv[2], "--json") == 0, r;

	if (argc < 2 || argc > 3 || (argc == 3 && !json) || argv[1][0] == '-') {
		fprintf(cli_wants_help(argc, argv) ? stdout : stderr,
		    "usage: certdesk person show LOGON [--json]\n");
		return cli_wants_help(argc, argv) ? 0 : EXIT_USAGE;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_person_get(cli->api, 0, argv[1], &p, &err) != 0)
		return cli_fail(&err);
	if (json) {
		json_person(stdout, &p);
		putchar('\n');
		return 0;
	}
	cd_roles_format(p.roles, roles, sizeof(roles));
	printf("Logon name:   "); text_safe(stdout, p.logon);
	printf("\nFull name:    "); text_safe(stdout, p.full_name);
	printf("\nE-mail:       "); text_safe(stdout, p.email);
	printf("\nEmployee id:  "); text_safe(stdout, p.employee_id);
	printf("\nGroup:        "); text_safe(stdout, p.group_name);
	printf("\nUPN:          "); text_safe(stdout, p.upn);
	printf("\nStatus:       %s\nRoles:        %s\n", p.status ==
	    CD_PS_ACTIVE ? "active" : "disabled", roles);
	return 0;
}

static int
person_import(struct cli *cli, int argc, char **argv)
{
	struct cd_import_result res;
	struct cd_err err;
	int r;

	memset(&res, 0, sizeof(res));
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(cli_wants_help(argc, argv) ? stdout : stderr,
		    "usage: certdesk person import FILE.csv\n"
		    "  header row naming columns: logon, full_name, email, "
		    "employee_id, group, upn, roles, status\n");
		return cli_wants_help(argc, argv) ? 0 : EXIT_USAGE;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_person_import_csv(cli->api, argv[1], &res, &err) != 0) {
		if (res.report[0] != '\0')
			fputs(res.report, stderr);
		return cli_fail(&err);
	}
	printf("%d %s imported\n", res.added, res.added == 1 ? "person" :
	    "people");
	return 0;
}

static const struct cli_cmd person_cmds[] = {
	{ "add", "add a person", person_add },
	{ "edit", "change a person's fields, roles or status", person_edit },
	{ "list", "list people (name words)", person_list },
	{ "show", "show a person", person_show },
	{ "import", "import people from a CSV file (all or nothing)",
	    person_import },
	{ NULL, NULL, NULL }
};

int
cmd_person(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "person", person_cmds, argc, argv);
}
