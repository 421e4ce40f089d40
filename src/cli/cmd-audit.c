/* SPDX-License-Identifier: ISC */
/*
 * cmd-audit.c - 'certdesk audit', 'certdesk crl' and 'certdesk sweep':
 * the administrative read-outs and the clean-up service.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "certdesk/cdutil.h"

static int
print_audit(const struct cd_audit *a, void *arg)
{
	struct cli_rows *w = arg;
	char when[40];

	if (w->json) {
		rows_sep(w);
		json_audit(stdout, a);
		return 0;
	}
	cd_time_iso(a->at, when, sizeof(when));
	printf("%s  ", when);
	text_safe(stdout, a->operator_);
	printf("  %s  ", a->action);
	text_safe(stdout, a->object);
	printf("  %s  ", a->outcome);
	text_safe(stdout, a->detail);
	putchar('\n');
	return 0;
}

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_rows w = { 0, 0 };
	struct cd_err err;
	int64_t since = 0;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (cli_opt_date("--since", optarg, &since) != 0)
				return EXIT_USAGE;
			break;
		case 'j': w.json = 1; break;
		case 'h':
			puts("usage: certdesk audit [--since DATE] [--json]");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage("audit takes no arguments");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_audit_list(cli->api, since, print_audit, &w, &err) < 0)
		return cli_fail(&err);
	rows_end(&w);
	return 0;
}

int
cmd_crl(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "der", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_err err;
	const char *out = NULL;
	int ch, der = 0, r;

	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'd': der = 1; break;
		case 'h':
			puts("usage: certdesk crl [-o FILE] [--der]\n"
			    "  a freshly signed CRL, PEM (default) or DER, to "
			    "FILE or standard output");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage("crl takes no arguments");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_crl_write(cli->api, out, der, STDOUT_FILENO, &err) != 0)
		return cli_fail(&err);
	return 0;
}

int
cmd_sweep(struct cli *cli, int argc, char **argv)
{
	struct cd_api_opts o;
	struct cd_sweep_result res;
	struct cd_err err;

	if (cli_wants_help(argc, argv)) {
		puts("usage: certdesk sweep\n  abort collections with no "
		    "heartbeat for attempt_timeout, remove their files\n  and "
		    "revoke certificates not fully collected whose delay has "
		    "passed");
		return 0;
	}
	if (argc != 1)
		return cli_usage("sweep takes no arguments");
	/* Nobody's operator: the service runs it as root or the owner. */
	cli_api_opts(cli, &o);
	o.as_logon = NULL;
	o.no_sweep = 1;
	o.system = 1;
	memset(&res, 0, sizeof(res));
	if (cd_api_open(&o, &cli->api, &err) != 0 ||
	    cd_api_sweep(cli->api, &res, &err) != 0)
		return cli_fail(&err);
	printf("%d attempt%s aborted, %d certificate%s revoked, %d waiting "
	    "for their delay\n", res.aborted, res.aborted == 1 ? "" : "s",
	    res.revoked, res.revoked == 1 ? "" : "s", res.waiting);
	if (res.files_removed > 0 || res.files_failed > 0)
		printf("%d file%s removed, %d could not be removed (the audit "
		    "trail says why; the next sweep tries again)\n",
		    res.files_removed, res.files_removed == 1 ? "" : "s",
		    res.files_failed);
	return res.files_failed > 0 ? 1 : 0;
}
