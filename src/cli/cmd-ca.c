/* SPDX-License-Identifier: ISC */
/*
 * cmd-ca.c - 'certdesk ca init': create the CA alone with the configured
 * backend (a two-tier local hierarchy with the root key written for
 * offline keeping, or the key made in a PKCS#11 token).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char ca_init_usage[] =
    "usage: certdesk [-c FILE] ca init [--ca-name CN]\n"
    "                [--two-tier --root-key FILE | --pkcs11 URI]\n"
    "  --ca-name CN     common name of the (issuing) CA\n"
    "  --two-tier       a root CA and an issuing CA (pathLen 0) signed by it\n"
    "  --root-key FILE  where to write the root key, once, for offline\n"
    "                   keeping (0600; not in the data directory)\n"
    "  --pkcs11 URI     make the key in the token ([ca] backend = pkcs11;\n"
    "                   the URI is [ca] key_uri)\n";

static int
ca_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca-name", required_argument, NULL, 'n' },
		{ "two-tier", no_argument, NULL, '2' },
		{ "root-key", required_argument, NULL, 'r' },
		{ "pkcs11", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_ca_create_opts o;
	struct cd_err err;
	int ch;

	memset(&o, 0, sizeof(o));
	o.conf_path = cli->conf;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': o.ca_name = optarg; break;
		case '2': o.two_tier = 1; break;
		case 'r': o.root_key = optarg; break;
		case 'p': o.pkcs11_uri = optarg; break;
		case 'h': fputs(ca_init_usage, stdout); return 0;
		default: fputs(ca_init_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage("ca init takes no arguments");
	if (o.two_tier != (o.root_key != NULL))
		return cli_usage("--two-tier and --root-key go together");
	if (o.two_tier && o.pkcs11_uri != NULL)
		return cli_usage("--two-tier and --pkcs11 do not go together");
	if (cd_ca_create(&o, &err) != 0)
		return cli_fail(&err);
	if (o.two_tier)
		printf("the CA is ready: the root key is in %s; keep it "
		    "offline and remove it from this host.\n", o.root_key);
	else
		printf("the CA is ready.\n");
	return 0;
}

static const struct cli_cmd ca_cmds[] = {
	{ "init", "create the CA (two-tier, or with the key in a token)",
	    ca_init },
	{ "pending-revocations", "certificates certdesk could not revoke",
	    cmd_ca_pending },
	{ NULL, NULL, NULL }
};

int
cmd_ca(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "ca", ca_cmds, argc, argv);
}
