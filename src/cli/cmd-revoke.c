/* SPDX-License-Identifier: ISC */
/*
 * cmd-revoke.c - 'certdesk revoke SERIAL --reason R', 'certdesk unrevoke
 * SERIAL' (release a certificate on hold) and the reason option shared
 * with 'certdesk device revoke'.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "certdesk/cdutil.h"

static const char reasons_help[] =
    "  --reason R   keyCompromise, affiliationChanged, superseded,\n"
    "               cessationOfOperation, certificateHold, unspecified,\n"
    "               privilegeWithdrawn (default: unspecified)\n";

/* --reason's value; -1 after printing a usage error. */
int
cli_reason(const char *s)
{
	int r;

	if ((r = cd_crl_reason_parse(s)) < 0)
		cli_usage("unknown reason '%s' (known: keyCompromise, "
		    "affiliationChanged, superseded, cessationOfOperation, "
		    "certificateHold, unspecified, privilegeWithdrawn)", s);
	return r;
}

int
cmd_revoke(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_err err;
	int ch, reason = 0, r;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if ((reason = cli_reason(optarg)) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			printf("usage: certdesk revoke SERIAL [--reason R]\n%s",
			    reasons_help);
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage("usage: certdesk revoke SERIAL [--reason R]");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_cert_revoke(cli->api, argv[optind], reason, &err) != 0)
		return cli_fail(&err);
	printf("%s revoked (%s)\n", argv[optind], cd_crl_reason_name(reason));
	return 0;
}

int
cmd_unrevoke(struct cli *cli, int argc, char **argv)
{
	struct cd_err err;
	int r;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(cli_wants_help(argc, argv) ? stdout : stderr,
		    "usage: certdesk unrevoke SERIAL\n(releases a certificate "
		    "revoked with certificateHold)\n");
		return cli_wants_help(argc, argv) ? 0 : EXIT_USAGE;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_cert_unrevoke(cli->api, argv[1], &err) != 0)
		return cli_fail(&err);
	printf("%s released from hold\n", argv[1]);
	return 0;
}
