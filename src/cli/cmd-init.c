/* SPDX-License-Identifier: ISC */
/*
 * cmd-init.c - 'certdesk init': data directory, store, CA, first
 * administrator, and optionally the demo data set.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char init_usage[] =
    "usage: certdesk [-c FILE] init [--demo] [--ca-name CN]\n"
    "                               [--ca-cert FILE --ca-key FILE]\n"
    "  --demo          add the demo data set (also on an existing store)\n"
    "  --ca-name CN    common name of a new CA (default \"certdesk CA\")\n"
    "  --ca-cert FILE  import an existing CA certificate (PEM) ...\n"
    "  --ca-key FILE   ... and its private key (PEM, unencrypted)\n";

int
cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "demo", no_argument, NULL, 'd' },
		{ "ca-name", required_argument, NULL, 'n' },
		{ "ca-cert", required_argument, NULL, 'C' },
		{ "ca-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_init_opts o;
	struct cd_err err;
	int ch;

	memset(&o, 0, sizeof(o));
	o.conf_path = cli->conf;
	o.clock_offset = cli->clock_offset;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': o.demo = 1; break;
		case 'n': o.ca_name = optarg; break;
		case 'C': o.ca_cert = optarg; break;
		case 'K': o.ca_key = optarg; break;
		case 'h': fputs(init_usage, stdout); return 0;
		default: fputs(init_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage("init takes no arguments");
	if ((o.ca_cert == NULL) != (o.ca_key == NULL))
		return cli_usage("--ca-cert and --ca-key go together");
	if (cd_init(&o, &err) != 0)
		return cli_fail(&err);
	printf("certdesk is ready%s.\n", o.demo ? ", with the demo data set" :
	    "");
	return 0;
}
