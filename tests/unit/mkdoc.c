/* SPDX-License-Identifier: ISC */
/*
 * mkdoc.c - test helper: render a transport document or PIN mailer from a
 * template with cd_doc_render, save it with the "file" backend, and
 * optionally print it through the "cups" backend, so shell tests can
 * check the PostScript with Ghostscript and a private cupsd.
 *
 *	mkdoc [options] KIND TEMPLATE PAPER OUT.ps
 *
 * KIND is transport or pin-mailer.  Without options the document is for
 * a fixed test person with two certificates.  --again FILE prints it a
 * second time, in the same process, once FILE exists (so that a test can
 * restart the scheduler between the two jobs).  Errors go to stderr as
 * "mkdoc: MESSAGE" with exit status 1.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certdesk/model.h"
#include "print.h"
#include "template.h"
#include "util.h"

#define MAX_ITEMS 200

static void
usage(void)
{
	fprintf(stderr, "usage: mkdoc [-n name] [-l logon] [-e email] "
	    "[-g group] [-i employee-id]\n"
	    "\t[-r request-id] [-P profile] [-o operator] [-O organisation]\n"
	    "\t[-d @epoch] [-p password] [-f policy|file|location|serial]...\n"
	    "\t[-N count] [--print QUEUE SERVER] [--again FILE] "
	    "[--timeout SECONDS]\n"
	    "\tKIND TEMPLATE PAPER OUT.ps\n");
	exit(2);
}

/* "policy|file|location|serial" into it. */
static void
parse_item(const char *arg, struct cd_doc_item *it)
{
	char buf[2048], *f[4] = { "", "", "", "" }, *p = buf;
	int i;

	cd_strlcpy(buf, arg, sizeof(buf));
	for (i = 0; i < 4 && p != NULL; i++) {
		f[i] = p;
		if ((p = strchr(p, '|')) != NULL)
			*p++ = '\0';
	}
	cd_strlcpy(it->policy, f[0], sizeof(it->policy));
	cd_strlcpy(it->file, f[1], sizeof(it->file));
	cd_strlcpy(it->location, f[2], sizeof(it->location));
	cd_strlcpy(it->serial, f[3], sizeof(it->serial));
}

static void
default_person(struct cd_person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = 7;
	cd_strlcpy(p->logon, "susan.smith", sizeof(p->logon));
	cd_strlcpy(p->full_name, "Susan Smith", sizeof(p->full_name));
	cd_strlcpy(p->email, "susan.smith@example.com", sizeof(p->email));
	cd_strlcpy(p->employee_id, "E1234", sizeof(p->employee_id));
	cd_strlcpy(p->group_name, "Finance", sizeof(p->group_name));
}

static int nitems;
static struct cd_doc_item items[MAX_ITEMS];

static void
add_item(const char *arg)
{
	if (nitems == MAX_ITEMS) {
		fprintf(stderr, "mkdoc: too many items\n");
		exit(2);
	}
	parse_item(arg, &items[nitems++]);
}

static void
generated_items(int n)
{
	char buf[512];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "Policy %d|susan.smith Policy %d.pfx|"
		    "/media/usb0/certificates/susan.smith Policy %d.pfx|"
		    "%040x", i + 1, i + 1, i + 1, i + 1);
		add_item(buf);
	}
}

/* Wait (up to a minute) until path exists; 0 if it does. */
static int
wait_for(const char *path)
{
	struct timespec ts = { 0, 20000000L };
	int i;

	for (i = 0; i < 3000; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Print ps to queue on server; the job's name on stdout. */
static int
print_cups(const char *queue, const char *server, enum cd_doc_kind kind,
    const char *ps, size_t len, struct cd_err *err)
{
	struct cd_print_cups_cfg cc;
	char job[4096];
	int r;

	memset(&cc, 0, sizeof(cc));
	cd_strlcpy(cc.server, server, sizeof(cc.server));
	if ((r = cd_print_cups.submit(&cc, kind == CD_DOC_PIN_MAILER ?
	    CD_PRINT_PIN_MAILER : CD_PRINT_TRANSPORT, queue,
	    kind == CD_DOC_PIN_MAILER ? "certdesk letter" :
	    "certdesk transport document", ps, len, job, sizeof(job),
	    NULL, err)) != 0)
		return r;
	printf("%s\n", job);
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "print", required_argument, NULL, 'Q' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "again", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	struct cd_person person;
	struct cd_doc doc;
	struct cd_err err = { 0, "" };
	const char *queue = NULL, *server = "", *again = NULL;
	enum cd_doc_kind kind;
	char *ps = NULL, job[4096];
	size_t len = 0;
	int c, r, defaults = 1;

	default_person(&person);
	memset(&doc, 0, sizeof(doc));
	doc.person = &person;
	doc.request_id = 42;
	doc.profile_name = "Soft certificates";
	doc.operator_ = "alice";
	doc.organisation = "Example Test Ltd";
	doc.date = 1795000000;
	while ((c = getopt_long(argc, argv, "n:l:e:g:i:r:P:o:O:d:p:f:N:",
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'n': cd_strlcpy(person.full_name, optarg,
		    sizeof(person.full_name)); break;
		case 'l': cd_strlcpy(person.logon, optarg,
		    sizeof(person.logon)); break;
		case 'e': cd_strlcpy(person.email, optarg,
		    sizeof(person.email)); break;
		case 'g': cd_strlcpy(person.group_name, optarg,
		    sizeof(person.group_name)); break;
		case 'i': cd_strlcpy(person.employee_id, optarg,
		    sizeof(person.employee_id)); break;
		case 'r': doc.request_id = atoll(optarg); break;
		case 'P': doc.profile_name = optarg; break;
		case 'o': doc.operator_ = optarg; break;
		case 'O': doc.organisation = optarg; break;
		case 'd': doc.date = cd_time_parse(optarg); break;
		case 'p': doc.password = optarg; break;
		case 'f': add_item(optarg); defaults = 0; break;
		case 'N': generated_items(atoi(optarg)); defaults = 0; break;
		case 'Q':
			queue = optarg;
			if (optind >= argc)
				usage();
			server = argv[optind++];
			break;
		case 'T': cd_print_cups_timeout(atoi(optarg)); break;
		case 'A': again = optarg; break;
		default: usage();
		}
	}
	if (argc - optind != 4)
		usage();
	if (strcmp(argv[optind], "transport") == 0)
		kind = CD_DOC_TRANSPORT;
	else if (strcmp(argv[optind], "pin-mailer") == 0)
		kind = CD_DOC_PIN_MAILER;
	else
		usage();
	if (defaults) {
		add_item("Signing|susan.smith Signing.pfx|folder /home/susan/"
		    "certificates/susan.smith Signing.pfx|0af3c2d1e4b5a69788");
		add_item("Encryption|susan.smith Encryption.pfx|USB drive "
		    "SanDisk 4C53 (/media/usb0)|1b2c3d4e5f60718293a4");
	}
	doc.nitems = nitems;
	doc.items = items;
	if ((r = cd_doc_render(argv[optind + 1], kind, &doc,
	    argv[optind + 2], &ps, &len, &err)) != 0)
		goto out;
	if ((r = cd_print_file.submit(NULL, CD_PRINT_TRANSPORT,
	    argv[optind + 3], NULL, ps, len, job, sizeof(job), NULL,
	    &err)) != 0)
		goto out;
	if (queue != NULL &&
	    (r = print_cups(queue, server, kind, ps, len, &err)) != 0)
		goto out;
	if (queue != NULL && again != NULL) {
		if (wait_for(again) != 0) {
			r = cd_err_set(&err, CD_E_TIMEOUT, "%s did not appear",
			    again);
			goto out;
		}
		r = print_cups(queue, server, kind, ps, len, &err);
	}
out:
	cd_doc_free(ps, len);
	if (r != 0) {
		fprintf(stderr, "mkdoc: %s\n", err.msg);
		return 1;
	}
	return 0;
}
