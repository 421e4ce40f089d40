/* SPDX-License-Identifier: ISC */
/*
 * cli.h - the command-line front-end: command table, shared options and
 * output helpers.  Commands parse arguments, call the client API (api.h:
 * the engine in this process or certdeskd, they cannot tell which), and
 * print; they hold no business rules.  init, store migrate and ca init
 * are the exception: local administration of a data directory, as its
 * owner, without the API.
 */
#ifndef CD_CLI_H
#define CD_CLI_H

#include <stdio.h>

#include "certdesk/engine.h"
#include "api.h"

/* Exit codes (documented in certdesk(1)). */
enum cli_exit {
	EXIT_OK_ = 0,
	EXIT_FAIL = 1,		/* failed: I/O, store, CA, printing, ... */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_REFUSED = 3,	/* refused: role, state, busy, policy */
	EXIT_CANCELLED = 4,	/* cancelled and rolled back */
	EXIT_CONFIG = 5,	/* configuration error */
	EXIT_NOTFOUND = 6	/* no such person, request, ... */
};

struct cli {
	const char *conf;	/* -c FILE */
	const char *as;		/* --as LOGON */
	int64_t clock_offset;	/* $CERTDESK_CLOCK_OFFSET */
	const char *socket;	/* -S PATH or $CERTDESK_SOCKET */
	struct cd_api *api;	/* every command's engine (cli_api) */
};

struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(struct cli *cli, int argc, char **argv);
};

/*
 * The client API's options for this invocation: embedded or server after
 * $CERTDESK_MODE, else a socket given (-S, $CERTDESK_SOCKET) means
 * server, else (mode NULL) the configuration's [client] mode, and
 * server when there is no configuration file.
 */
void cli_api_opts(const struct cli *cli, struct cd_api_opts *o);
/* Open the client API for this command (once).  Prints and returns exit. */
int cli_api(struct cli *cli);
/* Print "certdesk: message" to stderr; return the exit code for code. */
int cli_fail(const struct cd_err *err);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_exit_code(int code);
/* Run a sub-table: "certdesk person add ..." */
int cli_dispatch(struct cli *cli, const char *family,
    const struct cli_cmd *cmds, int argc, char **argv);
/* 1 if argv has -h/--help before "--" */
int cli_wants_help(int argc, char **argv);
int cli_parse_id(const char *s, int64_t *out);

/*
 * Option values (opts.c): checked, never atoi.  cli_parse_num: digits
 * only (an optional '-'), the whole string, within [min, max]; 0 or -1.
 * The cli_opt_* helpers print "certdesk: OPT takes ..." and return -1.
 */
int cli_parse_num(const char *s, long long min, long long max,
    long long *out);
int cli_opt_num(const char *opt, const char *s, long long min,
    long long max, long long *out);
int cli_opt_int(const char *opt, const char *s, int min, int max, int *out);
/* A date that exists: YYYY-MM-DD ['HH:MM'] (local) or @EPOCH. */
int cli_opt_date(const char *opt, const char *s, int64_t *out);
/* A password descriptor: open, and a pipe, a regular file or a terminal. */
int cli_opt_fd(const char *opt, const char *s, int *out);
/*
 * After the API opened: no descriptor given is a file in datadir (the
 * embedded engine's; NULL, nothing to check, for a server, whose data
 * directory this process cannot open).
 */
int cli_check_fds(const char *datadir);

/* A list printed as text lines or as one JSON array. */
struct cli_rows {
	int json;
	int n;
};
void rows_sep(struct cli_rows *w);	/* "[" before the first, then "," */
void rows_end(struct cli_rows *w);	/* "]" or "[]", and a newline */

/* JSON output */
void json_str(FILE *f, const char *s);
void json_person(FILE *f, const struct cd_person *p);
void json_request(FILE *f, const struct cd_request *r);
void json_cert(FILE *f, const struct cd_cert *c);
void json_device(FILE *f, const struct cd_device *d);
void json_audit(FILE *f, const struct cd_audit *a);
/* Text output: control characters never reach the terminal. */
void text_safe(FILE *f, const char *s);

int cmd_init(struct cli *, int, char **);
int cmd_ca(struct cli *, int, char **);
int cmd_person(struct cli *, int, char **);
int cmd_device(struct cli *, int, char **);
int cmd_request(struct cli *, int, char **);
int cmd_audit(struct cli *, int, char **);
int cmd_crl(struct cli *, int, char **);
int cmd_revoke(struct cli *, int, char **);
int cmd_unrevoke(struct cli *, int, char **);
/* --reason NAME as a CRL reason code; -1 after a usage message. */
int cli_reason(const char *s);
int cmd_sweep(struct cli *, int, char **);
int cmd_collect(struct cli *, int, char **);
/* collect --ready: cmd-collect-bulk.c */
int cmd_collect_bulk(struct cli *, int, char **);
int cmd_print(struct cli *, int, char **);
/* ca pending-revocations (a command of 'ca'): cmd-ca-pending.c */
int cmd_ca_pending(struct cli *, int, char **);

#endif
