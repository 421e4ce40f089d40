/* SPDX-License-Identifier: ISC */
/*
 * cmd-collect.c - 'certdesk collect': non-interactive collection of one
 * request.  Passwords come from a file descriptor or a file, never from
 * the command line or the environment.  SIGHUP, SIGINT and SIGTERM
 * cancel the collection and roll it back.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "certdesk/drive.h"
#include "certdesk/usbdrive.h"
#include "certdesk/cdutil.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

struct collect_opts {
	int64_t id;
	const char *folder;
	int overwrite;
	int pw_fd;
	const char *pw_file;
	int usb;
	int wait;		/* seconds, -1 = no limit */
	int nss_fd;
	int json;
	int *quiet;
};

static int
progress(void *arg, const char *what, int done, int total)
{
	const struct collect_opts *o = arg;

	if (!*o->quiet && isatty(STDERR_FILENO))
		fprintf(stderr, "[%d/%d] %s\n", done + 1 > total ? total :
		    done + 1, total, what);
	return stop_signal != 0;
}

static const char collect_usage[] =
    "usage: certdesk collect REQUEST [--folder DIR] [--overwrite]\n"
    "         [--password-fd N | --password-file FILE] [--usb [--wait S]]\n"
    "         [--nss-password-fd N] [--json]\n"
    "       certdesk collect --ready --profile PROFILE --folder DIR\n"
    "         [--jobs N] [--limit M] [--overwrite] [--json]\n"
    "  --folder DIR          where FileStore packages go\n"
    "  --overwrite           go on when DIR already holds .pfx/.p12 files\n"
    "  --password-fd N       read the package password (user-specified\n"
    "  --password-file FILE  PIN profiles) from a descriptor or a file\n"
    "  --usb                 allow AutoSave: wait for an empty USB drive\n"
    "  --wait S              give up waiting after S seconds\n"
    "  --nss-password-fd N   password of the personal certificate store\n"
    "  --json                print the result as JSON\n"
    "  --ready ...           every ready request of a profile: see\n"
    "                        'certdesk collect --ready --help'\n"
    "exit: 0 done, 3 refused, 4 cancelled, 1 failed\n";

static int
parse(int argc, char **argv, struct collect_opts *o)
{
	static const struct option opts[] = {
		{ "folder", required_argument, NULL, 'f' },
		{ "overwrite", no_argument, NULL, 'o' },
		{ "password-fd", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "usb", no_argument, NULL, 'u' },
		{ "wait", required_argument, NULL, 'w' },
		{ "nss-password-fd", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--ready") == 0)
			return 2;	/* bulk collection: cmd-collect-bulk.c */
	memset(o, 0, sizeof(*o));
	o->pw_fd = o->nss_fd = -1;
	o->wait = -1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->folder = optarg; break;
		case 'o': o->overwrite = 1; break;
		case 'p': if (cli_opt_fd("--password-fd", optarg, &o->pw_fd))
				return -1;
			break;
		case 'P': o->pw_file = optarg; break;
		case 'u': o->usb = 1; break;
		case 'w': if (cli_opt_int("--wait", optarg, 0, INT_MAX / 1000,
			    &o->wait))
				return -1;
			break;
		case 'n': if (cli_opt_fd("--nss-password-fd", optarg,
			    &o->nss_fd))
				return -1;
			break;
		case 'j': o->json = 1; break;
		case 'h': fputs(collect_usage, stdout); return 1;
		default: return -1;
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &o->id) != 0)
		return -1;
	if (o->pw_fd >= 0 && o->pw_file != NULL)
		return -1;
	return 0;
}

/* Wait for fd to be readable, keeping the attempt alive meanwhile. */
static int
wait_readable(struct cd_drive *d, int fd, struct cd_err *err)
{
	struct pollfd p;
	int r;

	for (;;) {
		if (stop_signal)
			return cd_err_set(err, CD_E_CANCELLED, "cancelled by "
			    "signal %d while waiting for a password",
			    (int)stop_signal);
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		r = poll(&p, 1, 1000);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return cd_err_set(err, CD_E_IO, "poll: %s",
			    strerror(errno));
		if ((r = cd_drive_tick(d, err)) != 0)
			return r;
	}
}

/* Read one line (a secret) from fd into buf (len bytes). */
static int
read_line(struct cd_drive *d, int fd, char *buf, size_t len,
    struct cd_err *err)
{
	size_t n = 0;
	ssize_t got;
	int r;

	while (n < len - 1) {
		if ((r = wait_readable(d, fd, err)) != 0)
			return r;
		got = read(fd, buf + n, 1);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0 || buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	if (stop_signal)
		return cd_err_set(err, CD_E_CANCELLED, "cancelled by signal "
		    "%d while waiting for a password", (int)stop_signal);
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == len - 1)
		return cd_err_set(err, CD_E_PASSWORD, "the password is too "
		    "long");
	return 0;
}

static int
ask_password(void *arg, struct cd_drive *d, char *pw, size_t len,
    struct cd_err *err)
{
	const struct collect_opts *o = arg;
	int fd, r;

	if (o->pw_fd >= 0)
		return read_line(d, o->pw_fd, pw, len, err);
	if ((fd = open(o->pw_file, O_RDONLY | O_CLOEXEC)) == -1)
		return cd_err_set(err, CD_E_IO, "cannot open %s: %s",
		    o->pw_file, strerror(errno));
	r = read_line(d, fd, pw, len, err);
	close(fd);
	return r;
}

static int
ask_folder(void *arg, struct cd_drive *d, char *dir, size_t len,
    struct cd_err *err)
{
	const struct collect_opts *o = arg;

	if (o->folder == NULL)
		return cd_err_set(err, CD_E_INVAL, "this package has "
		    "FileStore certificates: give --folder DIR");
	if (strlen(o->folder) >= len)
		return cd_err_set(err, CD_E_INVAL, "the folder name is too "
		    "long");
	cd_strlcpy(dir, o->folder, len);
	return 0;
}

/* The store password from --nss-password-fd, once. */
static int
ask_store(void *arg, struct cd_drive *d, const char *store, int tries_left,
    const struct cd_err *last, char *pw, size_t len, struct cd_err *err)
{
	const struct collect_opts *o = arg;

	if (last != NULL)
		return cd_err_set(err, last->code, "%s", last->msg);
	pw[0] = '\0';
	return o->nss_fd >= 0 ? read_line(d, o->nss_fd, pw, len, err) : 0;
}

/* Show the drives seen and why each is not usable yet (terminals only). */
static int
usb_list(void *arg, struct cd_drive *d, int phase,
    const struct cd_usb_drive *list, int n)
{
	int i;

	if (stop_signal)
		return 1;
	if (!isatty(STDERR_FILENO) || phase == CD_DRIVE_USB_SAVING ||
	    phase == CD_DRIVE_USB_END)
		return 0;
	if (phase == CD_DRIVE_USB_START)
		fputs("Insert an empty USB drive...\n", stderr);
	for (i = 0; i < n; i++) {
		fprintf(stderr, "  %s ", list[i].devnode);
		text_safe(stderr, list[i].label[0] ? list[i].label :
		    list[i].model);
		fputs(": ", stderr);
		text_safe(stderr, list[i].reason);
		fputc('\n', stderr);
	}
	return 0;
}

static int
usb_wait(void *arg, struct cd_drive *d, struct pollfd *fds, int nfds, int ms)
{
	if (stop_signal)
		return 1;
	if (poll(fds, (nfds_t)nfds, ms) < 0 && errno != EINTR)
		return CD_E_IO;
	return stop_signal != 0;
}

static void
stopped(void *arg, struct cd_err *err)
{
	if (stop_signal)
		cd_err_set(err, CD_E_CANCELLED, "cancelled by signal %d",
		    (int)stop_signal);
}

/* Options against what the package needs, before anything is asked. */
static int
check_opts(const struct cd_collect_preview *pv, const struct collect_opts *o,
    struct cd_err *err)
{
	if (!pv->user_pin && (o->pw_fd >= 0 || o->pw_file != NULL))
		return cd_err_set(err, CD_E_INVAL, "profile %s generates the "
		    "password and sends it by PIN mailer; do not give one",
		    pv->prof->id);
	if (pv->user_pin && o->pw_fd < 0 && o->pw_file == NULL)
		return cd_err_set(err, CD_E_PASSWORD, "profile %s needs a "
		    "password set by the operator: give --password-fd or "
		    "--password-file", pv->prof->id);
	if ((pv->storages & (1u << CD_STORE_FILESTORE)) && o->folder == NULL)
		return cd_err_set(err, CD_E_INVAL, "this package has "
		    "FileStore certificates: give --folder DIR");
	if ((pv->storages & (1u << CD_STORE_AUTOSAVE)) && !o->usb)
		return cd_err_set(err, CD_E_INVAL, "this package has "
		    "AutoSave certificates: give --usb to wait for an empty "
		    "USB drive");
	return 0;
}

static void
report(struct cd_drive *c, const struct collect_opts *o)
{
	const struct cd_collect_item *it;
	int i;

	if (o->json)
		printf("{\"request\":%lld,\"status\":\"completed\",\"items\":[",
		    (long long)o->id);
	for (i = 0; i < cd_drive_nitems(c); i++) {
		it = cd_drive_item(c, i);
		if (o->json) {
			printf("%s{\"policy\":", i ? "," : "");
			json_str(stdout, it->policy->id);
			printf(",\"storage\":\"%s\",\"serial\":\"%s\","
			    "\"file\":", cd_storage_name(it->policy->storage),
			    it->serial);
			json_str(stdout, it->file_name);
			printf(",\"location\":");
			json_str(stdout, it->location);
			putchar('}');
		} else {
			printf("%s\t%s\t", it->serial,
			    cd_storage_name(it->policy->storage));
			text_safe(stdout, it->location);
			putchar('\n');
		}
	}
	if (o->json)
		puts("]}");
}

static void
trap_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
cmd_collect(struct cli *cli, int argc, char **argv)
{
	struct collect_opts o;
	struct cd_drive *d = NULL;
	struct cd_drive_ui ui;
	struct cd_err err;
	int r, quiet;

	if ((r = parse(argc, argv, &o)) == 2)
		return cmd_collect_bulk(cli, argc, argv);
	if (r != 0) {
		if (r < 0)
			fputs(collect_usage, stderr);
		return r < 0 ? EXIT_USAGE : 0;
	}
	if ((r = cli_api(cli)) != 0)
		return r;
	trap_signals();
	quiet = o.json;
	memset(&ui, 0, sizeof(ui));
	ui.arg = &o;
	ui.folder = ask_folder;
	ui.password = ask_password;
	ui.store_password = ask_store;
	ui.usb = o.usb ? usb_list : NULL;
	ui.wait = usb_wait;
	ui.progress = progress;
	ui.stopped = stopped;
	ui.overwrite_all = o.overwrite;
	ui.usb_wait_ms = o.wait < 0 ? -1 : o.wait * 1000;
	o.quiet = &quiet;
	if (cd_api_drive_new(cli->api, o.id, &ui, &d, &err) != 0)
		return cli_fail(&err);
	if (check_opts(cd_drive_preview(d), &o, &err) != 0 ||
	    cd_drive_run(d, &err) != 0) {
		if (err.code == CD_E_CONFIRM)
			cd_err_prefix(&err, "nothing was written (use "
			    "--overwrite to go on)");
		if (cd_drive_undone(d)[0] != '\0')
			fprintf(stderr, "certdesk: rolled back: %s\n",
			    cd_drive_undone(d));
		cd_drive_free(d);
		return cli_fail(&err);
	}
	report(d, &o);
	cd_drive_free(d);
	return 0;
}
