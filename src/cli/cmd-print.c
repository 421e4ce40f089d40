/* SPDX-License-Identifier: ISC */
/*
 * cmd-print.c - 'certdesk print transport REQUEST': (re)print the
 * transport document of a collected request, to CUPS or to a file.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char print_usage[] =
    "usage: certdesk print transport REQUEST [--printer QUEUE | -o FILE]\n"
    "  --printer QUEUE  CUPS queue (default: [print] printer, else the\n"
    "                   CUPS default destination)\n"
    "  -o FILE          save the document as a PostScript file instead\n"
    "                   ('-' or a device writes into it; never in the\n"
    "                   data directory)\n";

int
cmd_print(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "printer", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *printer = NULL, *out = NULL;
	struct cd_err err;
	char job[1100];
	int64_t id;
	int ch, r;

	if (argc < 2 || strcmp(argv[1], "transport") != 0) {
		if (cli_wants_help(argc, argv)) {
			fputs(print_usage, stdout);
			return 0;
		}
		fputs(print_usage, stderr);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': printer = optarg; break;
		case 'o': out = optarg; break;
		case 'h': fputs(print_usage, stdout); return 0;
		default: fputs(print_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) != 0 ||
	    (printer != NULL && out != NULL)) {
		fputs(print_usage, stderr);
		return EXIT_USAGE;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_print_transport(cli->api, id, printer, out, job, sizeof(job),
	    &err) != 0)
		return cli_fail(&err);
	/* The job, or the file written; not when the document went to
	 * standard output itself. */
	if (out == NULL || strcmp(out, "-") != 0)
		fprintf(out != NULL ? stderr : stdout, "%s\n", job);
	return 0;
}
