/*
 * main.c - certdesk's entry point: global options, then either the
 * operator TUI (no command, a terminal on stdin) or a CLI command.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tui.h"
#include "util.h"

int cmd_store(struct cli *, int, char **);	/* cmd-store.c */

static const struct cli_cmd commands[] = {
	{ "init", "create the data directory, store and CA", cmd_init },
	{ "person", "add, edit, list, show and import people", cmd_person },
	{ "device", "list and show devices", cmd_device },
	{ "request", "make, find, show and decide requests", cmd_request },
	{ "collect", "collect a request's soft certificates", cmd_collect },
	{ "print", "print a transport document", cmd_print },
	{ "audit", "show the audit trail", cmd_audit },
	{ "crl", "write the certificate revocation list", cmd_crl },
	{ "sweep", "revoke certificates not fully collected", cmd_sweep },
	{ "store", "move the store to another backend", cmd_store },
	{ NULL, NULL, NULL }
};

static void
usage(FILE *f)
{
	const struct cli_cmd *c;

	fprintf(f, "usage: certdesk [-c FILE] [--as LOGON] [COMMAND [ARGS]]\n"
	    "\nWith no command and a terminal, certdesk opens the operator "
	    "interface.\n\nCommands:\n");
	for (c = commands; c->name != NULL; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nOptions:\n"
	    "  -c FILE      configuration file\n"
	    "  --as LOGON   act as another operator (root only; audited)\n"
	    "  -h, --help   this help; 'certdesk COMMAND --help' for a "
	    "command\n"
	    "  --version    print the version\n"
	    "\nSee certdesk(1) and certdesk.conf(5).\n");
}

static int
run_tui(struct cli *cli)
{
	struct cd_err err;
	int r;

	if ((r = cli_open(cli)) != 0)
		return r;
	if ((r = tui_main(cli->e, &err)) != 0)
		return cli_fail(&err);
	return 0;
}

static int
clock_offset(int64_t *out)
{
	const char *s = getenv("CERTDESK_CLOCK_OFFSET");
	char *end;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	*out = strtoll(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli cli;
	const struct cli_cmd *c;
	struct cd_err err;
	int ch, r;

	setlocale(LC_ALL, "");
	memset(&cli, 0, sizeof(cli));
	if (cd_disable_core_dumps(&err) != 0)
		return cli_fail(&err);
	if (clock_offset(&cli.clock_offset) != 0)
		return cli_usage("CERTDESK_CLOCK_OFFSET must be a number of "
		    "seconds");
	while ((ch = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cli.conf = optarg;
			break;
		case 'a':
			cli.as = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("certdesk %s\n", PACKAGE_VERSION);
#ifdef CD_FAULT_INJECTION
			printf("built with fault injection (CERTDESK_FAULT): "
			    "for tests only\n");
#endif
#ifdef __SANITIZE_ADDRESS__
			printf("built with AddressSanitizer (which ignores "
			    "mlock): for tests only\n");
#endif
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			usage(stderr);
			return EXIT_USAGE;
		}
		r = run_tui(&cli);
		goto out;
	}
	for (c = commands; c->name != NULL; c++)
		if (strcmp(c->name, argv[0]) == 0)
			break;
	if (c->name == NULL) {
		r = cli_usage("unknown command '%s' (see certdesk --help)",
		    argv[0]);
		goto out;
	}
	optind = 0;
	r = c->run(&cli, argc, argv);
out:
	cd_engine_close(cli.e);
	return r;
}
