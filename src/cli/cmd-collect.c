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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "usb.h"
#include "util.h"

#define SECRET_MAX 256

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static int
progress(void *arg, const char *what, int done, int total)
{
	int *quiet = arg;

	if (!*quiet && isatty(STDERR_FILENO))
		fprintf(stderr, "[%d/%d] %s\n", done + 1 > total ? total :
		    done + 1, total, what);
	return stop_signal != 0;
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
};

/* Read one line (a secret) from fd into secret memory. */
static int
read_secret_fd(int fd, char **out, struct cd_err *err)
{
	char *buf;
	size_t n = 0;
	ssize_t got;

	if ((buf = cd_secret_alloc(SECRET_MAX)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	while (n < SECRET_MAX - 1) {
		got = stop_signal ? -1 : read(fd, buf + n, 1);
		if (stop_signal) {
			cd_secret_free(buf, SECRET_MAX);
			return cd_err_set(err, CD_E_CANCELLED, "cancelled by "
			    "signal %d while waiting for a password",
			    (int)stop_signal);
		}
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0 || buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == SECRET_MAX - 1) {
		cd_secret_free(buf, SECRET_MAX);
		return cd_err_set(err, CD_E_PASSWORD, "the password is too "
		    "long");
	}
	*out = buf;
	return 0;
}

static int
read_secret_file(const char *path, char **out, struct cd_err *err)
{
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return cd_err_set(err, CD_E_IO, "cannot open %s: %s", path,
		    strerror(errno));
	r = read_secret_fd(fd, out, err);
	close(fd);
	return r;
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

static int
get_password(struct cd_collect *c, const struct collect_opts *o,
    char **pw, struct cd_err *err)
{
	*pw = NULL;
	if (!cd_collect_user_pin(c)) {
		if (o->pw_fd >= 0 || o->pw_file != NULL)
			return cd_err_set(err, CD_E_INVAL, "profile %s "
			    "generates the password and sends it by PIN "
			    "mailer; do not give one", cd_collect_profile(c)->id);
		return 0;
	}
	if (o->pw_fd >= 0)
		return read_secret_fd(o->pw_fd, pw, err);
	if (o->pw_file != NULL)
		return read_secret_file(o->pw_file, pw, err);
	return cd_err_set(err, CD_E_PASSWORD, "profile %s needs a password "
	    "set by the operator: give --password-fd or --password-file",
	    cd_collect_profile(c)->id);
}

/* Show the drives seen and why each is not usable yet (terminals only). */
static int
usb_list(void *arg, const struct cd_usb_drive *list, int n)
{
	int *shown = arg, i;

	if (!isatty(STDERR_FILENO) || stop_signal)
		return stop_signal != 0;
	if (n == 0 && *shown == 0)
		fputs("Insert an empty USB drive...\n", stderr);
	for (i = 0; i < n; i++) {
		fprintf(stderr, "  %s ", list[i].devnode);
		text_safe(stderr, list[i].label[0] ? list[i].label :
		    list[i].model);
		fputs(": ", stderr);
		text_safe(stderr, list[i].reason);
		fputc('\n', stderr);
	}
	*shown = 1;
	return 0;
}

static int
deliver(struct cd_collect *c, const struct collect_opts *o,
    struct cd_err *err)
{
	unsigned need = cd_collect_storages(c);
	char *nsspw = NULL;
	int r = 0;

	if (need & (1u << CD_STORE_FILESTORE)) {
		if (o->folder == NULL)
			return cd_err_set(err, CD_E_INVAL, "this package has "
			    "FileStore certificates: give --folder DIR");
		r = cd_collect_deliver_folder(c, o->folder, o->overwrite, err);
		if (r == CD_E_CONFIRM)
			cd_err_prefix(err, "nothing was written (use "
			    "--overwrite to go on)");
		if (r != 0)
			return r;
	}
	if (need & (1u << CD_STORE_SYSTEMSTORE)) {
		if (o->nss_fd >= 0 && (r = read_secret_fd(o->nss_fd, &nsspw,
		    err)) != 0)
			return r;
		r = cd_collect_deliver_nss(c, nsspw, err);
		if (nsspw != NULL)
			cd_secret_free(nsspw, SECRET_MAX);
		if (r != 0)
			return r;
	}
	if (need & (1u << CD_STORE_AUTOSAVE)) {
		if (!o->usb)
			return cd_err_set(err, CD_E_INVAL, "this package has "
			    "AutoSave certificates: give --usb to wait for an "
			    "empty USB drive");
		int shown = 0;

		r = cd_collect_deliver_usb(c, o->wait < 0 ? -1 :
		    o->wait * 1000, usb_list, &shown, err);
	}
	return r;
}

static int
run_steps(struct cd_collect *c, const struct collect_opts *o,
    struct cd_err *err)
{
	char *pw = NULL;
	int r;

	if ((r = get_password(c, o, &pw, err)) != 0)
		return r;
	r = cd_collect_password(c, pw, err);
	if (pw != NULL)
		cd_secret_free(pw, SECRET_MAX);
	if (r != 0 || (r = cd_collect_issue(c, err)) != 0 ||
	    (r = cd_collect_package(c, err)) != 0 ||
	    (r = deliver(c, o, err)) != 0)
		return r;
	if (stop_signal)
		return cd_err_set(err, CD_E_CANCELLED, "cancelled by signal %d",
		    (int)stop_signal);
	return cd_collect_commit(c, err);
}

static void
report(struct cd_collect *c, const struct collect_opts *o)
{
	const struct cd_collect_item *it;
	int i;

	if (o->json)
		printf("{\"request\":%lld,\"status\":\"completed\",\"items\":[",
		    (long long)o->id);
	for (i = 0; i < cd_collect_nitems(c); i++) {
		it = cd_collect_item(c, i);
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
	struct cd_collect *c = NULL;
	struct cd_err err, cerr;
	char undone[256];
	int r, quiet;

	if ((r = parse(argc, argv, &o)) == 2)
		return cmd_collect_bulk(cli, argc, argv);
	if (r != 0) {
		if (r < 0)
			fputs(collect_usage, stderr);
		return r < 0 ? EXIT_USAGE : 0;
	}
	if ((r = cli_open(cli)) != 0)
		return r;
	trap_signals();
	if (cd_collect_begin(cli->e, o.id, &c, &err) != 0)
		return cli_fail(&err);
	quiet = o.json;
	cd_collect_set_progress(c, progress, &quiet);
	if ((r = run_steps(c, &o, &err)) != 0) {
		undone[0] = '\0';
		if (cd_collect_cancel(c, err.msg, undone, sizeof(undone),
		    &cerr) != 0)
			cli_fail(&cerr);
		else if (undone[0] != '\0')
			fprintf(stderr, "certdesk: rolled back: %s\n", undone);
		cd_collect_free(c);
		return cli_fail(&err);
	}
	report(c, &o);
	cd_collect_free(c);
	return 0;
}
