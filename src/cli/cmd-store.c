/* SPDX-License-Identifier: ISC */
/*
 * cmd-store.c - 'certdesk store migrate': move a whole store to another
 * backend (sqlite:DIR to postgresql:DSN), and print what was copied.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "certdesk/store-move.h"

int cmd_store(struct cli *, int, char **);

static const char usage_text[] =
    "usage: certdesk store migrate --from sqlite:DIR --to postgresql:DSN\n"
    "  --from STORE  the store to copy (DIR: the data directory, or its\n"
    "                certdesk.db)\n"
    "  --to STORE    an empty store to copy into; the password comes from\n"
    "                PGPASSFILE, never from the command line\n";

static int
store_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_move_report rep;
	struct cd_err err;
	const char *from = NULL, *to = NULL;
	int ch, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK_;
		default: return cli_usage("store migrate: see --help");
		}
	}
	if (from == NULL || to == NULL || optind != argc)
		return cli_usage("store migrate needs --from and --to");
	cd_err_clear(&err);
	if (cd_store_move(from, to, &rep, &err) != 0)
		return cli_fail(&err);
	for (i = 0; i < rep.ntables; i++)
		printf("%-13s %10lld rows  sha256 %s\n", rep.t[i].name,
		    (long long)rep.t[i].rows, rep.t[i].sha256);
	printf("copied and checked: every table has the same rows and "
	    "checksum in the target\n");
	return EXIT_OK_;
}

int
cmd_store(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK_;
	}
	if (strcmp(argv[1], "migrate") == 0)
		return store_migrate(argc - 1, argv + 1);
	return cli_usage("unknown store command '%s' (known: migrate)",
	    argv[1]);
}
