/* SPDX-License-Identifier: ISC */
/*
 * ttybytes.c - what a full-screen program costs on a slow terminal line:
 * run it in a pseudo-terminal (forkpty, TERM=vt100 or $TTYBYTES_TERM,
 * 80x24 via TIOCSWINSZ), send keystrokes step by step and count the
 * bytes it writes in answer to each, and the time until that answer is
 * complete.
 *
 * A step is LABEL=KEYS[@TEXT]: KEYS are written at once (C escapes \r \t
 * \e \n \\, ^X for a control key, {up} {down} {left} {right} for the
 * VT100 application-mode cursor keys); then output is read until TEXT
 * has appeared in this step's output (if given) and the line has then
 * been quiet for QUIET ms.  The first step may have empty KEYS: it is
 * the start-up screen, timed from the fork.
 *
 * usage: ttybytes [-q QUIET_MS] [-c COLS] [-l LINES] [-o DUMPDIR]
 *            STEP... -- PROGRAM ARGS...
 * Prints one line per step: "step LABEL BYTES SECONDS_AT_9600 MS" where
 * MS runs from the keys (or the fork) to the last byte of the answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "stats.h"

#define OUT_MAX (1 << 20)
#define TEXT_TIMEOUT_MS 20000
#define FIRST_BYTE_TIMEOUT_MS 3000

struct opts {
	int quiet_ms;
	int cols, lines;
	const char *dump;
	char **steps;
	int nsteps;
	char **argv;
};

struct answer {
	char *buf;
	size_t len;
	double last_ms;		/* time of the last byte */
};

static size_t
cursor_key(const char *p, char *out)
{
	static const struct { const char *name; char code; } k[] = {
		{ "{up}", 'A' }, { "{down}", 'B' }, { "{right}", 'C' },
		{ "{left}", 'D' }
	};
	size_t i, n;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		n = strlen(k[i].name);
		if (strncmp(p, k[i].name, n) == 0) {
			out[0] = '\033';
			out[1] = 'O';
			out[2] = k[i].code;
			return n;
		}
	}
	return 0;
}

/* Decode KEYS into out; returns its length. */
static size_t
decode_keys(const char *s, char *out, size_t max)
{
	size_t n = 0, used;

	while (*s != '\0' && n + 3 < max) {
		if ((used = cursor_key(s, out + n)) > 0) {
			s += used;
			n += 3;
		} else if (*s == '^' && s[1] != '\0') {
			out[n++] = (char)(s[1] & 0x1f);
			s += 2;
		} else if (*s == '\\' && s[1] != '\0') {
			switch (s[1]) {
			case 'r': out[n++] = '\r'; break;
			case 'n': out[n++] = '\n'; break;
			case 't': out[n++] = '\t'; break;
			case 'e': out[n++] = '\033'; break;
			default: out[n++] = s[1]; break;
			}
			s += 2;
		} else
			out[n++] = *s++;
	}
	return n;
}

static int
contains(const struct answer *a, const char *text)
{
	size_t n = strlen(text), i;

	if (n == 0)
		return 1;
	for (i = 0; i + n <= a->len; i++)
		if (memcmp(a->buf + i, text, n) == 0)
			return 1;
	return 0;
}

/*
 * Read until text was seen and the line was then quiet for quiet_ms;
 * give up after a first-byte or text timeout.
 */
static int
read_answer(int fd, const char *text, int quiet_ms, double start,
    struct answer *a)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[4096];
	ssize_t got;
	int wait, seen = 0;

	a->len = 0;
	a->last_ms = start;
	for (;;) {
		seen = seen || contains(a, text);
		if (!seen)
			wait = TEXT_TIMEOUT_MS;
		else
			wait = a->len == 0 ? FIRST_BYTE_TIMEOUT_MS : quiet_ms;
		if (poll(&p, 1, wait) <= 0)
			return seen ? 0 : -1;
		if ((got = read(fd, buf, sizeof(buf))) <= 0)
			return seen ? 0 : -1;	/* EIO: the program ended */
		if (a->len + (size_t)got > OUT_MAX)
			return -1;
		memcpy(a->buf + a->len, buf, (size_t)got);
		a->len += (size_t)got;
		a->last_ms = now_ms();
	}
}

static void
dump(const struct opts *o, int i, const struct answer *a)
{
	char path[4096];
	FILE *f;

	if (o->dump == NULL)
		return;
	snprintf(path, sizeof(path), "%s/step%02d.out", o->dump, i);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fwrite(a->buf, 1, a->len, f);
	fclose(f);
}

/* One step: send its keys, read and report the answer. */
static int
run_step(const struct opts *o, int fd, int i, double forked,
    struct answer *a)
{
	char label[128], keys[1024], *eq, *at, out[1024];
	const char *text = "";
	size_t n;
	double start;

	snprintf(label, sizeof(label), "%s", o->steps[i]);
	if ((eq = strchr(label, '=')) == NULL)
		return -1;
	*eq = '\0';
	snprintf(keys, sizeof(keys), "%s", eq + 1);
	if ((at = strrchr(keys, '@')) != NULL) {
		*at = '\0';
		text = at + 1;
	}
	n = decode_keys(keys, out, sizeof(out));
	start = n == 0 && i == 0 ? forked : now_ms();
	if (n > 0 && write(fd, out, n) != (ssize_t)n)
		return -1;
	if (read_answer(fd, text, o->quiet_ms, start, a) != 0) {
		fprintf(stderr, "ttybytes: step %s: no '%s' in the answer\n",
		    label, text);
		dump(o, i, a);
		return -1;
	}
	dump(o, i, a);
	printf("step %s %zu %.3f %.1f\n", label, a->len, a->len * 10 / 9600.0,
	    a->last_ms - start);
	fflush(stdout);
	return 0;
}

/* Stop the program; drain the line so it can exit; force it if needed. */
static void
finish(int fd, pid_t pid, char *buf)
{
	struct pollfd p = { fd, POLLIN, 0 };

	kill(pid, SIGTERM);
	for (;;) {
		if (poll(&p, 1, 2000) <= 0) {
			kill(pid, SIGKILL);
			return;
		}
		if (read(fd, buf, OUT_MAX) <= 0)
			return;
	}
}

static int
parse(int argc, char **argv, struct opts *o)
{
	int ch, i;

	memset(o, 0, sizeof(*o));
	o->quiet_ms = 300;
	o->cols = 80;
	o->lines = 24;
	while ((ch = getopt(argc, argv, "+q:c:l:o:")) != -1) {
		switch (ch) {
		case 'q': o->quiet_ms = atoi(optarg); break;
		case 'c': o->cols = atoi(optarg); break;
		case 'l': o->lines = atoi(optarg); break;
		case 'o': o->dump = optarg; break;
		default: return -1;
		}
	}
	o->steps = argv + optind;
	for (i = optind; i < argc && strcmp(argv[i], "--") != 0; i++)
		o->nsteps++;
	if (i >= argc - 1)
		return -1;
	o->argv = argv + i + 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct winsize ws;
	struct answer a = { NULL, 0, 0 };
	double forked;
	pid_t pid;
	int fd, i, status, rc = 1;

	if (parse(argc, argv, &o) != 0) {
		fputs("usage: ttybytes [-q QUIET_MS] [-c COLS] [-l LINES] "
		    "[-o DIR] STEP... -- PROGRAM ARGS...\n", stderr);
		return 2;
	}
	if ((a.buf = malloc(OUT_MAX)) == NULL)
		return 1;
	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)o.cols;
	ws.ws_row = (unsigned short)o.lines;
	forked = now_ms();
	if ((pid = forkpty(&fd, NULL, NULL, &ws)) == -1) {
		perror("ttybytes: forkpty");
		goto out;
	}
	if (pid == 0) {
		setenv("TERM", getenv("TTYBYTES_TERM") != NULL ?
		    getenv("TTYBYTES_TERM") : "vt100", 1);
		execvp(o.argv[0], o.argv);
		_exit(127);
	}
	for (i = 0; i < o.nsteps; i++)
		if (run_step(&o, fd, i, forked, &a) != 0)
			goto stop;
	rc = 0;
stop:
	finish(fd, pid, a.buf);
	waitpid(pid, &status, 0);
	close(fd);
out:
	free(a.buf);
	return rc;
}
