/* SPDX-License-Identifier: ISC */
/*
 * cmd-ca-pending.c - 'certdesk ca pending-revocations': the certificates
 * certdesk decided to revoke and could not (a CA without revocation and
 * no [ca] revoke_command, or a command that failed), so that an
 * administrator revokes them at the CA.  The listing is audited.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "certdesk/cdutil.h"

static int
print_pending(const struct cd_cert *c, void *arg)
{
	struct cli_rows *w = arg;
	char due[40];

	if (w->json) {
		rows_sep(w);
		json_cert(stdout, c);
		return 0;
	}
	cd_time_iso(c->revoke_after, due, sizeof(due));
	printf("%s  request %lld  %s  due %s  ", c->serial,
	    (long long)c->request_id, c->policy, due);
	text_safe(stdout, c->subject);
	putchar('\n');
	return 0;
}

int
cmd_ca_pending(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_rows w = { 0, 0 };
	struct cd_err err;
	int ch, n = 0, r;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': w.json = 1; break;
		case 'h':
			puts("usage: certdesk ca pending-revocations [--json]");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage("pending-revocations takes no arguments");
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_pending_revocations(cli->api, print_pending, &w, &n,
	    &err) != 0)
		return cli_fail(&err);
	if (w.json)
		rows_end(&w);
	else if (n == 0)
		puts("no certificate is waiting to be revoked");
	return 0;
}
