/* SPDX-License-Identifier: ISC */
/*
 * revocation.c - revocation beyond the CA backend: [ca] revoke_command,
 * a program run (execve, no shell) with the serial and the reason for
 * every revocation certdesk decides, its output captured for the audit
 * trail and cut at a time-out; cd_ca_revoke_all, which revokes through
 * the backend and/or the command; and the list of certificates certdesk
 * could not revoke (pending, their revocation due), for the operator.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ca.h"
#include "engine-int.h"
#include "store.h"
#include "util.h"

#define OUT_MAX 512

extern char **environ;

/* Start cmd serial reason with stdout and stderr to out, stdin null. */
static int
spawn(const char *cmd, const char *serial, const char *reason, int out,
    pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char *argv[4];
	int r;

	argv[0] = (char *)cmd;
	argv[1] = (char *)serial;
	argv[2] = (char *)reason;
	argv[3] = NULL;
	if ((r = posix_spawn_file_actions_init(&fa)) != 0)
		return r;
	if ((r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
	    O_RDONLY, 0)) == 0 &&
	    (r = posix_spawn_file_actions_adddup2(&fa, out, 1)) == 0 &&
	    (r = posix_spawn_file_actions_adddup2(&fa, out, 2)) == 0 &&
	    (r = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) == 0)
		r = posix_spawn(pid, cmd, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

/* Printable text of the output: control characters become '?'. */
static void
clean(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = *p == '\n' ? ' ' : '?';
	while (p > s && p[-1] == ' ')
		*--p = '\0';
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read the child's output until EOF or the deadline; 1 if timed out. */
static int
collect(int fd, double deadline, char *out, size_t outlen)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t len = 0;
	char buf[256];
	ssize_t n;
	double left;

	for (;;) {
		if ((left = deadline - now_s()) <= 0)
			return 1;
		if (poll(&p, 1, (int)(left * 1000) + 1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p.revents == 0)
			continue;
		if ((n = read(fd, buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (len + 1 < outlen) {
			if ((size_t)n > outlen - 1 - len)
				n = (ssize_t)(outlen - 1 - len);
			memcpy(out + len, buf, (size_t)n);
			len += (size_t)n;
			out[len] = '\0';
		}
	}
}

int
cd_ca_revoke_command(const char *cmd, int timeout, const char *serial,
    int reason, char *out, size_t outlen, struct cd_err *err)
{
	char text[OUT_MAX] = "";
	int fds[2], st = 0, late, r;
	pid_t pid;

	cd_strlcpy(out, "", outlen);
	if (pipe2(fds, O_CLOEXEC) != 0)
		return cd_err_set(err, CD_E_IO, "revoke command: pipe: %s",
		    strerror(errno));
	if ((r = spawn(cmd, serial, cd_crl_reason_name(reason), fds[1],
	    &pid)) != 0) {
		close(fds[0]);
		close(fds[1]);
		return cd_err_set(err, CD_E_CA, "revoke command %s cannot be "
		    "run: %s", cmd, strerror(r));
	}
	close(fds[1]);
	late = collect(fds[0], now_s() + timeout, text, sizeof(text));
	close(fds[0]);
	if (late)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	clean(text);
	if (late)
		return cd_err_set(err, CD_E_CA, "revoke command %s %s: killed "
		    "after %d s%s%s", cmd, serial, timeout, text[0] ? ": " : "",
		    text);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		snprintf(out, outlen, "revoke command %s %s %s: exit 0%s%s",
		    cmd, serial, cd_crl_reason_name(reason), text[0] ? ": " :
		    "", text);
		return 0;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return cd_err_set(err, CD_E_CA, "revoke command %s cannot be "
		    "run (exit 127)%s%s", cmd, text[0] ? ": " : "", text);
	return cd_err_set(err, CD_E_CA, "revoke command %s %s failed (%s %d)"
	    "%s%s", cmd, serial, WIFEXITED(st) ? "exit" : "signal",
	    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), text[0] ? ": " :
	    "", text);
}

int
cd_ca_revoke_all(const struct cd_conf *conf, struct cd_ca *ca,
    const char *serial, int reason, int64_t when, char *detail,
    size_t dlen, struct cd_err *err)
{
	const struct cd_ca_ops *o = conf->ca.ops;
	unsigned native = cd_ca_caps(o, conf->ca.cfg);
	int r;

	cd_strlcpy(detail, "", dlen);
	if ((native & CD_CA_CAN_REVOKE) || conf->ca_revoke_command[0] == '\0')
		if ((r = cd_ca_revoke(o, native, ca, serial, reason, when,
		    err)) != 0)
			return r;
	if (conf->ca_revoke_command[0] == '\0')
		return 0;
	return cd_ca_revoke_command(conf->ca_revoke_command,
	    conf->ca_revoke_timeout, serial, reason, detail, dlen, err);
}

struct due {
	cd_cert_cb cb;
	void *arg;
	int n;
};

static int
one_due(const struct cd_cert *c, void *arg)
{
	struct due *d = arg;

	d->n++;
	return d->cb(c, d->arg);
}

int
cd_pending_revocations(struct cd_engine *e, cd_cert_cb cb, void *arg,
    int *count, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct due d = { cb, arg, 0 };
	char detail[128];
	int r;

	*count = 0;
	if ((r = cd_eng_need_role(e, CD_ROLE_ADMIN, "listing the "
	    "revocations certdesk could not make", err)) != 0)
		return r;
	cd_cert_filter_init(&f);
	f.status = CD_CS_PENDING;
	f.revoke_due_by = cd_engine_now(e);
	if ((r = e->so->cert_list(e->st, &f, one_due, &d, err)) < 0)
		return r;
	*count = d.n;
	snprintf(detail, sizeof(detail), "%d certificate%s due for "
	    "revocation and not revoked", d.n, d.n == 1 ? "" : "s");
	return cd_eng_audit(e, "ca.pending-revocations", "ca", "ok", detail,
	    err);
}
