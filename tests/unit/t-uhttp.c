/* SPDX-License-Identifier: ISC */
/*
 * t-uhttp.c - the client's HTTP/1.1 over a Unix socket (src/api/uhttp.c)
 * against a scripted server in a child process: the three ways a reply
 * is framed, a kept connection used again, one the server closed, a
 * request never sent twice unless it is a GET, replies too large, cut
 * short or not HTTP, request lines that cannot be sent, and a kept
 * connection left alone once it has been idle for half of the timeout
 * the server announced.
 *
 * The server child takes its script as a list of steps: for each, it
 * accepts a new connection when told (after keeping the old one open for
 * linger_ms, if given), reads one request, logs it, sends
 * the step's bytes (or nothing) and closes when told.  After the script
 * it waits briefly for a connection nobody should make.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uhttp.h"
#include "tap.h"

struct step {
	int accept;		/* a new connection first */
	const char *reply;	/* NULL: reply nothing */
	int close;		/* close the connection after it */
	int linger_ms;		/* before a new connection, keep the old one */
};

static char sock[108], logpath[128];
static int syncfd[2];

#define OK200(body) "HTTP/1.1 200 OK\r\nContent-Length: " #body "\r\n\r\n"

/* One request's head and body from c into log; 0 at the end of c. */
static int
serve_one(int c, FILE *log)
{
	char buf[65536], *end, *cl;
	size_t n = 0, want;
	ssize_t r;

	while ((end = memmem(buf, n, "\r\n\r\n", 4)) == NULL) {
		if ((r = read(c, buf + n, sizeof(buf) - n - 1)) <= 0)
			return 0;
		n += (size_t)r;
	}
	buf[n] = '\0';
	want = (size_t)(end - buf) + 4;
	if ((cl = strstr(buf, "Content-Length: ")) != NULL && cl < end)
		want += strtoul(cl + 16, NULL, 10);
	while (n < want && n < sizeof(buf) - 1) {
		if ((r = read(c, buf + n, sizeof(buf) - n - 1)) <= 0)
			return 0;
		n += (size_t)r;
	}
	fwrite(buf, 1, n, log);
	fputs("\n--\n", log);
	fflush(log);
	return 1;
}

/* The server child: run the script, then log any connection after it. */
static void
server(int ls, const struct step *s, int nsteps)
{
	FILE *log = fopen(logpath, "w");
	struct pollfd p = { .fd = ls, .events = POLLIN };
	int c = -1, i;

	signal(SIGPIPE, SIG_IGN);
	alarm(20);
	for (i = 0; i < nsteps; i++) {
		if (s[i].accept) {
			if (s[i].linger_ms > 0)
				poll(NULL, 0, s[i].linger_ms);
			if (c >= 0)
				close(c);
			c = accept(ls, NULL, NULL);
		}
		if (!serve_one(c, log))
			fputs("EOF\n--\n", log);
		if (s[i].reply)
			(void)!write(c, s[i].reply, strlen(s[i].reply));
		if (s[i].close) {
			close(c);
			c = -1;
			(void)!write(syncfd[1], "x", 1);
		}
	}
	if (poll(&p, 1, 300) > 0)
		fputs("EXTRA CONNECTION\n--\n", log);
	fclose(log);
	_exit(0);
}

static pid_t
start(const struct step *s, int nsteps)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ls;
	pid_t pid;

	close(syncfd[0]);
	close(syncfd[1]);
	if (pipe(syncfd) != 0) {
		perror("pipe");
		exit(1);
	}
	unlink(sock);
	strcpy(sa.sun_path, sock);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ls, 8) < 0) {
		perror("listen");
		exit(1);
	}
	if ((pid = fork()) == 0)
		server(ls, s, nsteps);
	close(ls);
	return pid;
}

/* Wait for the child; the log's text (static). */
static const char *
finish(pid_t pid)
{
	static char text[65536];
	FILE *f;
	size_t n = 0;

	waitpid(pid, NULL, 0);
	if ((f = fopen(logpath, "r")) != NULL) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static int
count(const char *text, const char *what)
{
	int n = 0;

	for (; (text = strstr(text, what)) != NULL; text++)
		n++;
	return n;
}

/* Wait until the server closed a connection. */
static void
closed(void)
{
	char x;

	(void)!read(syncfd[0], &x, 1);
}

static int
call(struct cd_uhttp *h, const char *method, const char *body, size_t max,
    struct cd_uhttp_reply *rep, struct cd_err *err)
{
	const char *hdr[] = { "X-Test: 1", NULL };

	return cd_uhttp_exchange(h, method, "/v1/x?a=b", hdr, body,
	    body ? strlen(body) : 0, max, rep, err);
}

/* One request whose reply must have this status and body. */
static void
expect(struct cd_uhttp *h, const char *method, const char *body, int status,
    const char *want, const char *what)
{
	struct cd_uhttp_reply rep;
	struct cd_err err;
	int r = call(h, method, body, 1024, &rep, &err);

	ok(r == 0 && rep.status == status && strcmp(rep.body, want) == 0,
	    "%s (%s)", what, r == 0 ? rep.body : err.msg);
	cd_uhttp_reply_free(&rep);
}

static void
test_framing(void)
{
	static const struct step s[] = {
		{ 1, OK200(5) "hello", 0, 0 },
		{ 0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n"
		    "\r\n", 0, 0 },
		{ 0, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
		    "content-length:  2 \r\n\r\nok", 0, 0 },
		{ 0, "HTTP/1.0 404 Not Found\r\n\r\n{\"eof\":1}", 1, 0 },
	};
	struct cd_uhttp *h = cd_uhttp_new(sock);
	const char *log;
	pid_t pid = start(s, 4);

	expect(h, "POST", "{\"a\":1}", 200, "hello", "a Content-Length reply");
	expect(h, "GET", NULL, 200, "hello world", "a chunked reply, with an "
	    "extension and a trailer");
	expect(h, "PUT", "", 201, "ok", "a 100 Continue passed over; header "
	    "names in any case");
	expect(h, "DELETE", NULL, 404, "{\"eof\":1}", "a reply that ends with "
	    "the connection");
	cd_uhttp_free(h);
	log = finish(pid);
	is_int(count(log, "Host: localhost"), 4, "four requests, all on one "
	    "connection (the script accepted once)");
	ok(strstr(log, "POST /v1/x?a=b HTTP/1.1\r\n") &&
	    strstr(log, "Content-Length: 7\r\n") &&
	    strstr(log, "X-Test: 1\r\n\r\n{\"a\":1}"),
	    "the request line, its length, headers and body");
	ok(strstr(log, "GET /v1/x?a=b HTTP/1.1\r\nHost: localhost\r\n"
	    "X-Test: 1\r\n\r\n"), "a GET has no Content-Length");
	ok(strstr(log, "DELETE /v1/x?a=b HTTP/1.1\r\nHost: localhost\r\n"
	    "Content-Length: 0\r\n"), "another method with no body says 0");
	is_int(count(log, "EXTRA"), 0, "no connection after the script");
}

static void
test_kept(void)
{
	static const struct step s[] = {
		{ 1, OK200(2) "k1", 1, 0 },	/* closed, no "Connection: close" */
		{ 1, OK200(2) "k2", 0, 0 },
		{ 0, NULL, 1, 0 },		/* takes a POST, closes */
	};
	struct cd_uhttp *h = cd_uhttp_new(sock);
	struct cd_uhttp_reply rep;
	struct cd_err err;
	const char *log;
	pid_t pid = start(s, 3);

	expect(h, "POST", "1", 200, "k1", "first request");
	closed();
	expect(h, "POST", "2", 200, "k2", "a kept connection the server "
	    "closed is opened again");
	is_int(call(h, "POST", "3", 1024, &rep, &err), CD_E_IO,
	    "a POST the server took and then dropped fails");
	ok(rep.body == NULL, "with no reply");
	cd_uhttp_free(h);
	log = finish(pid);
	is_int(count(log, "POST /v1/x"), 3, "three POSTs reached the server");
	is_int(count(log, "EXTRA"), 0, "the dropped POST was not sent again");
}

static void
test_get_again(void)
{
	static const struct step s[] = {
		{ 1, OK200(2) "g1", 0, 0 },
		{ 0, NULL, 1, 0 },		/* takes the GET, closes */
		{ 1, OK200(2) "g2", 0, 0 },
	};
	struct cd_uhttp *h = cd_uhttp_new(sock);
	pid_t pid = start(s, 3);

	expect(h, "GET", NULL, 200, "g1", "first GET");
	expect(h, "GET", NULL, 200, "g2", "a GET dropped on a kept connection "
	    "is sent again on a new one");
	cd_uhttp_free(h);
	is_int(count(finish(pid), "GET /v1/x"), 3, "the server saw it twice");
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * "Keep-Alive: timeout=1": after 600 ms the connection is not used again
 * (the script keeps it open until 900 ms, then drops it unread, as a
 * server closing it at that moment would: a POST sent on it would fail);
 * within 500 ms it is.  A malformed timeout is as none.
 */
static void
test_keep_alive(void)
{
	static const struct step s[] = {
		{ 1, "HTTP/1.1 200 OK\r\nKeep-Alive: max=100, timeout=1\r\n"
		    "Content-Length: 2\r\n\r\nt1", 0, 0 },
		{ 1, "HTTP/1.1 200 OK\r\nkeep-alive: timeout=1\r\n"
		    "Content-Length: 2\r\n\r\nt2", 0, 900 },
		{ 0, "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=\r\n"
		    "Content-Length: 2\r\n\r\nt3", 0, 0 },
		{ 0, OK200(2) "t4", 0, 0 },
	};
	struct cd_uhttp *h = cd_uhttp_new(sock);
	const char *log;
	pid_t pid = start(s, 4);

	expect(h, "POST", "1", 200, "t1", "first request");
	pause_ms(600);
	expect(h, "POST", "2", 200, "t2", "after half of the announced idle "
	    "timeout, a POST goes on a new connection");
	expect(h, "POST", "3", 200, "t3", "within it, on the same one");
	pause_ms(600);
	expect(h, "POST", "4", 200, "t4", "a malformed timeout is as none: the "
	    "connection is kept");
	cd_uhttp_free(h);
	log = finish(pid);
	is_int(count(log, "POST /v1/x"), 4, "four POSTs, each sent once");
	is_int(count(log, "EXTRA"), 0, "no connection after the script");
}

/* One reply that must fail with CD_E_IO and a message holding want. */
static void
bad_reply(const char *reply, size_t max, const char *want, const char *what)
{
	struct step s[] = { { 1, reply, 1, 0 } };
	struct cd_uhttp *h = cd_uhttp_new(sock);
	struct cd_uhttp_reply rep;
	struct cd_err err;
	pid_t pid = start(s, 1);
	int r;

	memset(&err, 0, sizeof(err));
	r = call(h, "POST", "x", max, &rep, &err);
	ok(r == CD_E_IO && strstr(err.msg, want) != NULL && rep.body == NULL,
	    "%s: %s", what, err.msg);
	cd_uhttp_free(h);
	finish(pid);
}

static void
test_bad_replies(void)
{
	bad_reply(OK200(100), 10, "too large", "a length over the maximum");
	bad_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n", 10,
	    "too large", "chunks over the maximum");
	bad_reply(OK200(10) "short", 1024, "ended", "a body cut short");
	bad_reply("HTTP/1.1 200 OK\r\nContent-Le", 1024, "ended",
	    "a head cut short");
	bad_reply("SSH-2.0-OpenSSH\r\n\r\n", 1024, "not HTTP",
	    "a reply that is not HTTP");
	bad_reply("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", 1024,
	    "Content-Length", "a malformed length");
	bad_reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
	    "Content-Length: 3\r\n\r\nabc", 1024, "Content-Length",
	    "two lengths that differ");
	bad_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 1024,
	    "coding", "a transfer coding it cannot read");
	bad_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "zz\r\n", 1024, "chunk", "a malformed chunk size");
	bad_reply("", 1024, "ended", "no reply at all");
}

static void
test_refused(void)
{
	const char *bad[] = { "X-Certdesk-As: a\r\nX-Evil: 1", NULL };
	struct cd_uhttp *h = cd_uhttp_new("/nonexistent/certdesk.sock");
	struct cd_uhttp_reply rep;
	struct cd_err err;
	char *e;
	int r;

	r = cd_uhttp_exchange(h, "GET", "/v1/whoami", NULL, NULL, 0, 1024,
	    &rep, &err);
	ok(r == CD_E_IO && strstr(err.msg, strerror(ENOENT)),
	    "no socket: %s", err.msg);
	r = cd_uhttp_exchange(h, "GET", "/v1/whoami", bad, NULL, 0, 1024,
	    &rep, &err);
	is_int(r, CD_E_INVAL, "a header holding a line break is refused "
	    "before anything is sent");
	r = cd_uhttp_exchange(h, "GET", "/v1/a b", NULL, NULL, 0, 1024, &rep,
	    &err);
	is_int(r, CD_E_INVAL, "so is a target holding a space");
	cd_uhttp_free(h);
	h = cd_uhttp_new("/tmp/"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789012345678901234567890123456789012345678901234567890123.s");
	r = cd_uhttp_exchange(h, "GET", "/", NULL, NULL, 0, 1024, &rep, &err);
	ok(r == CD_E_IO && strstr(err.msg, "too long"), "a socket path "
	    "longer than sun_path: %s", err.msg);
	cd_uhttp_free(h);
	e = cd_uhttp_escape("Anne-Marie.O'Neil ü/_~");
	is_str(e, "Anne-Marie.O%27Neil%20%C3%BC%2F_~", "escaping");
	free(e);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	snprintf(sock, sizeof(sock), "%s/t-uhttp.%ld.sock", tmp,
	    (long)getpid());
	snprintf(logpath, sizeof(logpath), "%s/t-uhttp.%ld.log", tmp,
	    (long)getpid());
	syncfd[0] = syncfd[1] = -1;
	test_framing();
	test_kept();
	test_get_again();
	test_keep_alive();
	test_bad_replies();
	test_refused();
	unlink(sock);
	unlink(logpath);
	return done_testing();
}
