/* SPDX-License-Identifier: ISC */
/*
 * main.c - certdeskd: the server that alone opens certdesk's store and CA
 * and serves the operators' clients over a Unix socket (HTTP/1.1, JSON).
 *
 * Start-up: options, the configuration, refusal to run as root (unless
 * --allow-root) or on a data directory that is not 0700 and ours, the
 * listening socket (our own or one from systemd socket activation), the
 * engine pool (which registers this server's instance row in the store)
 * and the HTTP server; then wait for SIGTERM / SIGINT, running the sweep
 * and the instance's heartbeat on timers; a last heartbeat at a clean
 * exit records when the server stopped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "conf.h"
#include "server.h"
#include "util.h"

#define DEFAULT_CONF SYSCONFDIR "/certdesk/certdesk.conf"

static void
usage(FILE *f)
{
	fprintf(f, "usage: certdeskd [-c FILE] [-s SOCKET] [--allow-root] "
	    "[--sweep-interval SECONDS]\n"
	    "       certdeskd --list-routes | --version | --help\n");
}

static void
list_routes(void)
{
	size_t i;

	for (i = 0; i < cds_nroutes; i++)
		printf("%s %s\n", cds_routes[i].method, cds_routes[i].pattern);
}

/* The data directory: a directory of ours, mode 0700. */
static int
check_datadir(const char *dir, struct cd_err *err)
{
	struct stat st;

	if (stat(dir, &st) == -1 && errno == ENOENT)
		return cd_err_set(err, CD_E_NOTFOUND, "there is no data "
		    "directory %s yet: run 'certdesk init'", dir);
	if (stat(dir, &st) == -1)
		return cd_err_set(err, CD_E_IO, "cannot read the data "
		    "directory %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cd_err_set(err, CD_E_CONFIG, "%s is not a directory",
		    dir);
	if (st.st_uid != geteuid())
		return cd_err_set(err, CD_E_DENIED, "the data directory %s "
		    "belongs to uid %u, not to certdeskd's user (uid %u)", dir,
		    (unsigned)st.st_uid, (unsigned)geteuid());
	if ((st.st_mode & 07777) != 0700)
		return cd_err_set(err, CD_E_DENIED, "the data directory %s "
		    "has mode %04o: it must be 0700", dir,
		    (unsigned)(st.st_mode & 07777));
	return 0;
}

/* A socket from systemd (LISTEN_PID, LISTEN_FDS), or -1. */
static int
activated_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int fd = 3;

	if (pid == NULL || fds == NULL || atol(pid) != (long)getpid() ||
	    atoi(fds) < 1)
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* Our own socket: its folder 0755 (made if missing), the socket 0666. */
static int
own_socket(const char *path, struct cd_err *err)
{
	struct sockaddr_un sa;
	char dir[CD_PATH_MAX], *slash;
	struct stat st;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (cd_strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) >=
	    sizeof(sa.sun_path))
		return cd_err_set(err, CD_E_CONFIG, "socket path too long: %s",
		    path);
	cd_strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (stat(dir, &st) == -1 && mkdir(dir, 0755) == -1)
			return cd_err_set(err, CD_E_IO, "cannot create %s: %s",
			    dir, strerror(errno));
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return cd_err_set(err, CD_E_EXISTS, "%s exists and is "
			    "not a socket", path);
		unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return cd_err_set(err, CD_E_IO, "socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    chmod(path, 0666) == -1 || listen(fd, 128) == -1) {
		cd_err_set(err, CD_E_IO, "cannot listen on %s: %s", path,
		    strerror(errno));
		close(fd);
		return err != NULL ? err->code : CD_E_IO;
	}
	return fd;
}

/* One sweep; its result is logged when it did something, or always
 * (report: the start-up sweep). */
static void
sweep_once(int report)
{
	struct cd_sweep_result res;
	struct cd_engine *e;
	struct cd_err err;

	if ((e = cds_pool_get(&err)) == NULL) {
		fprintf(stderr, "certdeskd: sweep: %s\n", err.msg);
		return;
	}
	memset(&res, 0, sizeof(res));
	if (cd_sweep(e, &res, &err) != 0)
		fprintf(stderr, "certdeskd: sweep: %s\n", err.msg);
	else if (report || res.aborted || res.revoked)
		fprintf(stderr, "certdeskd: sweep: %d attempt(s) aborted, "
		    "%d certificate(s) revoked\n", res.aborted, res.revoked);
	cds_pool_put(e);
	cds_collect_reap(0);
}

/* This server's instance row: its heartbeat is now. */
static void
heartbeat_once(void)
{
	struct cd_engine *e;
	struct cd_err err;

	if ((e = cds_pool_get(&err)) == NULL) {
		fprintf(stderr, "certdeskd: heartbeat: %s\n", err.msg);
		return;
	}
	if (cd_engine_instance_heartbeat(e, &err) != 0)
		fprintf(stderr, "certdeskd: heartbeat: %s\n", err.msg);
	cds_pool_put(e);
}

static time_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Wait for SIGTERM / SIGINT, sweeping every interval seconds (0: never)
 * and moving the instance's heartbeat every beat seconds.
 */
static void
serve(int interval, int beat)
{
	struct timespec ts = { 0, 0 };
	time_t now, next_sweep, next_beat;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	now = mono_now();
	next_sweep = now + (interval > 0 ? interval : 0);
	next_beat = now + beat;
	for (;;) {
		now = mono_now();
		ts.tv_sec = next_beat - now;
		if (interval > 0 && next_sweep - now < ts.tv_sec)
			ts.tv_sec = next_sweep - now;
		if (ts.tv_sec < 0)
			ts.tv_sec = 0;
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			return;
		if (sig != -1 || (errno != EAGAIN && errno != EINTR))
			continue;
		now = mono_now();
		if (interval > 0 && now >= next_sweep) {
			sweep_once(0);
			next_sweep = mono_now() + interval;
		}
		if (now >= next_beat) {
			heartbeat_once();
			next_beat = mono_now() + beat;
		}
	}
}

#ifdef CD_FAULT_INJECTION
/*
 * The test clock, $CERTDESK_CLOCK_OFFSET seconds added to the real one
 * (as certdesk's): only in builds configured with --enable-fault-injection.
 */
static int
clock_offset(int64_t *out)
{
	const char *s = getenv("CERTDESK_CLOCK_OFFSET");
	long long v;
	char *end;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > 100LL * 366 * 86400 ||
	    v < -100LL * 366 * 86400) {
		fprintf(stderr, "certdeskd: CERTDESK_CLOCK_OFFSET must be a "
		    "whole number of seconds\n");
		return -1;
	}
	*out = v;
	return 0;
}
#endif

struct args {
	const char *conf;
	const char *socket;
	int allow_root;
	int sweep_interval;
};

static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "allow-root", no_argument, NULL, 'R' },
		{ "sweep-interval", required_argument, NULL, 'S' },
		{ "list-routes", no_argument, NULL, 'L' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "c:s:h", lo, NULL)) != -1) {
		switch (c) {
		case 'c': a->conf = optarg; break;
		case 's': a->socket = optarg; break;
		case 'R': a->allow_root = 1; break;
		case 'S':
			a->sweep_interval = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || a->sweep_interval < 0) {
				fprintf(stderr, "certdeskd: bad "
				    "--sweep-interval '%s'\n", optarg);
				return 2;
			}
			break;
		case 'L': list_routes(); return 0;
		case 'V': printf("certdeskd %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct args a = { DEFAULT_CONF, NULL, 0, 60 };
	struct cds_config cfg;
	struct cd_conf *conf = NULL;
	struct cd_err err;
	sigset_t set;
	int rc = 1, r, activated;

	if ((r = parse_args(argc, argv, &a)) >= 0)
		return r;
	if (geteuid() == 0 && !a.allow_root) {
		fprintf(stderr, "certdeskd: refusing to run as root: run it as "
		    "its own user (certdesk), or give --allow-root\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	umask(077);
	if (cd_conf_load(a.conf, &conf, &err) != 0 ||
	    check_datadir(conf->datadir, &err) != 0)
		goto fail;
	memset(&cfg, 0, sizeof(cfg));
	cfg.conf_path = a.conf;
	cfg.body_limit = (size_t)conf->server_body_limit;
	cfg.idle_timeout = (unsigned)conf->server_idle_timeout;
	cfg.max_conn = (unsigned)conf->server_max_conn;
	cfg.workers = conf->server_workers;
	cfg.sweep_interval = a.sweep_interval;
#ifdef CD_FAULT_INJECTION
	if (clock_offset(&cfg.clock_offset) != 0)
		goto out;
#endif
	activated = (cfg.listen_fd = activated_socket()) >= 0;
	if (!activated && (cfg.listen_fd = own_socket(a.socket ? a.socket :
	    conf->server_socket, &err)) < 0)
		goto fail;
	/* Only the main thread takes SIGTERM / SIGINT (sigtimedwait). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (cds_pool_init(&cfg, &err) != 0 || cds_http_start(&cfg, &err) != 0)
		goto fail;
	fprintf(stderr, "certdeskd: serving %s on %s\n", conf->datadir,
	    activated ? "an activated socket" : a.socket ? a.socket :
	    conf->server_socket);
	if (cfg.sweep_interval > 0)
		sweep_once(1);
	/* a third of attempt_timeout, as a collecting client's heartbeat */
	serve(cfg.sweep_interval, conf->attempt_timeout / 3 > 1 ?
	    conf->attempt_timeout / 3 : 1);
	cds_http_stop();
	cds_collect_reap(1);
	heartbeat_once();	/* the last sign of life: when it stopped */
	cds_pool_fini();
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "certdeskd: %s\n", err.msg);
out:
	cd_conf_free(conf);
	return rc;
}
