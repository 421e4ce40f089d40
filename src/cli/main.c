/* SPDX-License-Identifier: ISC */
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
#include "certdesk/cdutil.h"

int cmd_store(struct cli *, int, char **);	/* cmd-store.c */

static const struct cli_cmd commands[] = {
	{ "init", "create the data directory, store and CA", cmd_init },
	{ "ca", "the CA: init (two-tier, in a token), pending-revocations",
	    cmd_ca },
	{ "person", "add, edit, list, show and import people", cmd_person },
	{ "device", "list and show devices", cmd_device },
	{ "request", "make, find, show and decide requests", cmd_request },
	{ "collect", "collect a request's soft certificates", cmd_collect },
	{ "print", "print a transport document", cmd_print },
	{ "audit", "show the audit trail", cmd_audit },
	{ "revoke", "revoke a certificate with a reason", cmd_revoke },
	{ "unrevoke", "release a certificate on hold", cmd_unrevoke },
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
	    "  -S PATH      certdeskd's socket (server mode)\n"
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

	if ((r = cli_api(cli)) != 0)
		return r;
	if ((r = tui_main(cli->api, &err)) != 0)
		return cli_fail(&err);
	return 0;
}

#ifdef CD_FAULT_INJECTION
/* At most a century either way: now + offset never overflows. */
#define CLOCK_OFFSET_MAX (100LL * 366 * 86400)

/*
 * The test clock, $CERTDESK_CLOCK_OFFSET seconds added to the real one:
 * only in builds configured with --enable-fault-injection (tests).
 */
static int
clock_offset(int64_t *out)
{
	const char *s = getenv("CERTDESK_CLOCK_OFFSET");
	long long v;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (cli_parse_num(s, -CLOCK_OFFSET_MAX, CLOCK_OFFSET_MAX, &v) != 0)
		return -1;
	*out = v;
	return 0;
}
#endif

/* The version, how it was built, and the configuration file it would use. */
static void
version(const char *conf)
{
	char path[CD_PATH_MAX];
	struct cd_err err;

	printf("certdesk %s\n", PACKAGE_VERSION);
	if (cd_config_path(conf, path, sizeof(path), &err) == 0) {
		printf("configuration file: ");
		text_safe(stdout, path);
		putchar('\n');
	}
#ifdef CD_FAULT_INJECTION
	printf("built with fault injection (CERTDESK_FAULT): for tests only\n"
	    "test clock (CERTDESK_CLOCK_OFFSET): built in\n");
#else
	printf("test clock (CERTDESK_CLOCK_OFFSET): not built in\n");
#endif
#ifdef __SANITIZE_ADDRESS__
	printf("built with AddressSanitizer (which ignores mlock): for tests "
	    "only\n");
#endif
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "socket", required_argument, NULL, 'S' },
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
	if ((cli.socket = getenv("CERTDESK_SOCKET")) != NULL &&
	    *cli.socket == '\0')
		cli.socket = NULL;
	if (cd_disable_core_dumps(&err) != 0)
		return cli_fail(&err);
#ifdef CD_FAULT_INJECTION
	if (clock_offset(&cli.clock_offset) != 0)
		return cli_usage("CERTDESK_CLOCK_OFFSET must be a whole number "
		    "of seconds within a century");
#endif
	while ((ch = getopt_long(argc, argv, "+c:hS:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cli.conf = optarg;
			break;
		case 'a':
			cli.as = optarg;
			break;
		case 'S':
			cli.socket = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			version(cli.conf);
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
	cd_api_close(cli.api);
	return r;
}
