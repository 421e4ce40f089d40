/* SPDX-License-Identifier: ISC */
/*
 * cmd-device.c - 'certdesk device list|show|revoke'.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "certdesk/cdutil.h"

static int
print_device(const struct cd_device *d, void *arg)
{
	struct cli_rows *w = arg;
	char when[32];

	if (w->json) {
		rows_sep(w);
		json_device(stdout, d);
		return 0;
	}
	cd_time_text(d->created_at, when, sizeof(when));
	printf("%lld\t", (long long)d->id);
	text_safe(stdout, d->type);
	fputc('\t', stdout);
	text_safe(stdout, d->serial);
	printf("\t%s\t%s\n", d->status, when);
	return 0;
}

static int
device_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "type", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_device_filter f;
	struct cli_rows w = { 0, 0 };
	struct cd_person p;
	struct cd_err err;
	const char *owner = NULL;
	int ch, r;

	memset(&f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': owner = optarg; break;
		case 't': cd_strlcpy(f.type, optarg, sizeof(f.type)); break;
		case 'j': w.json = 1; break;
		case 'h':
			puts("usage: certdesk device list [--owner LOGON] "
			    "[--type TYPE] [--json]");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (owner != NULL) {
		if (cd_api_person_get(cli->api, 0, owner, &p, &err) != 0)
			return cli_fail(&err);
		f.owner_id = p.id;
	}
	if (cd_api_device_list(cli->api, &f, print_device, &w, &err) < 0)
		return cli_fail(&err);
	rows_end(&w);
	return 0;
}

static int
print_cert_line(const struct cd_cert *c, void *arg)
{
	(void)arg;
	printf("  %s  %-18s %s  ", c->serial, cd_cert_status_name(c->status),
	    c->policy);
	if (c->status == CD_CS_REVOKED)
		printf("(%s)  ", c->revoke_reason);
	text_safe(stdout, c->location);
	putchar('\n');
	return 0;
}

/* Multi-line text: each line made safe for the terminal. */
static void
text_lines(char *s)
{
	char *nl;

	for (; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		*nl = '\0';
		text_safe(stdout, s);
		putchar('\n');
		*nl = '\n';
	}
	text_safe(stdout, s);
}

static int
device_show(struct cli *cli, int argc, char **argv)
{
	struct cd_device d;
	struct cd_cert_filter cf;
	struct cd_err err;
	int64_t id;
	int json = argc == 3 && strcmp(argv[2], "--json") == 0, r;

	if (argc < 2 || argc > 3 || (argc == 3 && !json) ||
	    cli_parse_id(argv[1], &id) != 0) {
		fprintf(cli_wants_help(argc, argv) ? stdout : stderr,
		    "usage: certdesk device show ID [--json]\n");
		return cli_wants_help(argc, argv) ? 0 : EXIT_USAGE;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	if (cd_api_device_get(cli->api, id, &d, &err) != 0)
		return cli_fail(&err);
	if (json) {
		json_device(stdout, &d);
		putchar('\n');
		return 0;
	}
	printf("Device %lld: ", (long long)d.id);
	text_safe(stdout, d.type);
	printf(" ");
	text_safe(stdout, d.serial);
	printf(" (%s)\n", d.status);
	text_lines(d.detail);
	printf("\nCertificates:\n");
	cd_cert_filter_init(&cf);
	cf.device_id = d.id;
	if (cd_api_cert_list(cli->api, &cf, print_cert_line, NULL, &err) < 0)
		return cli_fail(&err);
	return 0;
}

static int
device_revoke(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_err err;
	int64_t id;
	int ch, reason = 0, n = 0, r;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if ((reason = cli_reason(optarg)) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			puts("usage: certdesk device revoke ID [--reason R]\n"
			    "revokes every certificate of a soft-certificate "
			    "package");
			return 0;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) != 0)
		return cli_usage("usage: certdesk device revoke ID "
		    "[--reason R]");
	if ((r = cli_api(cli)) != 0)
		return r;
	r = cd_api_device_revoke(cli->api, id, reason, &n, &err);
	if (n > 0)
		printf("%d certificate%s revoked (%s)\n", n, n == 1 ? "" : "s",
		    cd_crl_reason_name(reason));
	return r != 0 ? cli_fail(&err) : 0;
}

static const struct cli_cmd device_cmds[] = {
	{ "list", "list devices", device_list },
	{ "show", "show a device and its certificates", device_show },
	{ "revoke", "revoke every certificate of a package", device_revoke },
	{ NULL, NULL, NULL }
};

int
cmd_device(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "device", device_cmds, argc, argv);
}
