/* SPDX-License-Identifier: ISC */
/*
 * uhttp.c - a small HTTP/1.1 client for certdeskd's Unix socket.
 *
 * One kept-alive connection, one request at a time; requests carry a
 * Content-Length body, replies are framed by Content-Length, by the
 * chunked transfer coding or by the end of the connection.  That is all
 * a client needs to reach its own server on this machine, and it costs
 * nothing at start: libcurl, with the 32 libraries it brings (TLS,
 * LDAP, SSH, GSSAPI), took longer to load than a search took to run
 * (doc/PERFORMANCE.md).  libcurl stays the SCEP CA's transport.
 *
 * A request that may have reached the server is never sent twice,
 * except a GET: a kept connection is checked before it is used, and a
 * request is sent again only when the server closed the connection
 * before taking all of it.  A server that closes idle connections says
 * after how long ("Keep-Alive: timeout=N", as certdeskd does); a
 * connection idle for half of that is not used again, so a request is
 * never sent on a connection the server is closing at that moment.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "uhttp.h"
#include "util.h"

#define HEAD_MAX (64u << 10)	/* a reply's status line and headers */
#define LINE_MAX_ (4u << 10)	/* a chunk's size line, a trailer */

struct cd_uhttp {
	int fd;			/* -1: not connected */
	int used;		/* fd has carried a request */
	int toolong;		/* path does not fit sun_path */
	long long idle_ms;	/* the server's idle timeout; -1 not told */
	long long since;	/* when fd's last reply ended (ms) */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* A reply's bytes as they arrive; p[off..len) not parsed yet. */
struct in {
	char *p;
	size_t len, cap, off;
	size_t max;		/* the buffer grows to at most this */
};

/* What a reply's head says. */
struct head {
	int status;
	int chunked, close, has_len;
	size_t clen;
	long long idle_ms;	/* Keep-Alive: timeout=N, in ms; -1 none */
};

struct cd_uhttp *
cd_uhttp_new(const char *path)
{
	struct cd_uhttp *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->fd = -1;
	h->idle_ms = -1;
	h->toolong = strlen(path) >= sizeof(h->path);
	cd_strlcpy(h->path, path, sizeof(h->path));
	return h;
}

static void
hangup(struct cd_uhttp *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	h->used = 0;
}

void
cd_uhttp_free(struct cd_uhttp *h)
{
	if (h == NULL)
		return;
	hangup(h);
	free(h);
}

void
cd_uhttp_reply_free(struct cd_uhttp_reply *r)
{
	cd_wipe_free(r->body, r->len);
	memset(r, 0, sizeof(*r));
}

static int
io_err(struct cd_err *err, const char *what, int e)
{
	return cd_err_set(err, CD_E_IO, "%s%s%s", what, *what ? ": " : "",
	    strerror(e));
}

/* ---- the connection ---------------------------------------------------- */

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A kept connection idle for half of the server's timeout may be closing. */
static int
fresh(const struct cd_uhttp *h)
{
	return h->idle_ms < 0 || now_ms() - h->since < h->idle_ms / 2;
}

/* A kept connection that is readable was closed (or sent what nobody asked). */
static int
still_open(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	while ((r = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
		;
	return r == 0;
}

/* connect(2), finished after a signal. */
static int
connect_fd(int fd, const struct sockaddr_un *sa)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t sl = sizeof(int);
	int e = 0;

	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		return 0;
	if (errno != EINTR)
		return errno;
	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return errno;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) < 0)
		return errno;
	return e;
}

/* Connected, on a kept connection when the server still holds it. */
static int
dial(struct cd_uhttp *h, struct cd_err *err)
{
	struct sockaddr_un sa;
	int e;

	if (h->fd >= 0 && fresh(h) && still_open(h->fd))
		return 0;
	hangup(h);
	if (h->toolong)
		return cd_err_set(err, CD_E_IO, "the socket's path is too long");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, h->path, strlen(h->path));
	if ((h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return io_err(err, "", errno);
	if ((e = connect_fd(h->fd, &sa)) != 0) {
		hangup(h);
		return io_err(err, "", e);
	}
	return 0;
}

/* ---- the request ------------------------------------------------------- */

/* No CR, LF or NUL can split a line of the head. */
static int
one_line(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

/* The request's head at *out, *hlen bytes. */
static int
request_head(const char *method, const char *target, const char *const *hdr,
    int sized, size_t len, char **out, size_t *hlen, struct cd_err *err)
{
	size_t n = strlen(method) + strlen(target) + 80, at;
	char *p;
	int i;

	if (!one_line(method) || !one_line(target) || strchr(target, ' '))
		return cd_err_set(err, CD_E_INVAL, "a request line cannot "
		    "hold spaces or line breaks");
	for (i = 0; hdr != NULL && hdr[i] != NULL; i++) {
		if (!one_line(hdr[i]))
			return cd_err_set(err, CD_E_INVAL, "a request header "
			    "cannot hold line breaks");
		n += strlen(hdr[i]) + 2;
	}
	if ((p = malloc(n)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	at = (size_t)snprintf(p, n, "%s %s HTTP/1.1\r\nHost: localhost\r\n",
	    method, target);
	if (sized)
		at += (size_t)snprintf(p + at, n - at, "Content-Length: %zu\r\n",
		    len);
	for (i = 0; hdr != NULL && hdr[i] != NULL; i++)
		at += (size_t)snprintf(p + at, n - at, "%s\r\n", hdr[i]);
	at += (size_t)snprintf(p + at, n - at, "\r\n");
	*out = p;
	*hlen = at;
	return 0;
}

/* Write head and body; 0 or an errno. */
static int
send_all(int fd, const char *head, size_t hlen, const void *body, size_t len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)head, .iov_len = hlen },
		{ .iov_base = (void *)body, .iov_len = body ? len : 0 },
	};
	struct iovec *v = iov;
	struct msghdr m;
	int n = 2;
	ssize_t w;

	while (n > 0) {
		memset(&m, 0, sizeof(m));
		m.msg_iov = v;
		m.msg_iovlen = (size_t)n;
		if ((w = sendmsg(fd, &m, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		for (; n > 0 && (size_t)w >= v->iov_len; v++, n--)
			w -= (ssize_t)v->iov_len;
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* ---- the reply --------------------------------------------------------- */

/* Room for more: grow (wiping what is left behind), or move the unparsed
 * bytes down. */
static int
make_room(struct in *in, struct cd_err *err)
{
	size_t cap;
	char *np;

	if (in->off > 0 && in->off >= in->cap / 2) {
		memmove(in->p, in->p + in->off, in->len - in->off);
		in->len -= in->off;
		in->off = 0;
		return 0;
	}
	if (in->cap >= in->max)
		return cd_err_set(err, CD_E_IO, "the reply is too large");
	cap = in->cap ? in->cap * 2 : 16384;
	if (cap > in->max)
		cap = in->max;
	if ((np = cd_wipe_realloc(in->p, in->len, in->cap, cap)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	in->p = np;
	in->cap = cap;
	return 0;
}

/* Read more: 1, 0 at the end of the connection, or a CD_E_* code. */
static int
fill(int fd, struct in *in, struct cd_err *err)
{
	ssize_t n;
	int r;

	if (in->len + 1 >= in->cap && (r = make_room(in, err)) != 0)
		return r;
	while ((n = read(fd, in->p + in->len, in->cap - in->len - 1)) < 0 &&
	    errno == EINTR)
		;
	if (n < 0)
		return io_err(err, "", errno);
	in->len += (size_t)n;
	in->p[in->len] = '\0';
	return n > 0;
}

/* At least want unparsed bytes, or an error naming what ended early. */
static int
need(int fd, struct in *in, size_t want, const char *what,
    struct cd_err *err)
{
	int r;

	while (in->len - in->off < want)
		if ((r = fill(fd, in, err)) <= 0)
			return r < 0 ? r : cd_err_set(err, CD_E_IO,
			    "the connection ended in %s", what);
	return 0;
}

/* The next line (without its CRLF) at *line, *n bytes; off moves past it. */
static int
next_line(int fd, struct in *in, const char **line, size_t *n,
    struct cd_err *err)
{
	char *lf;
	int r;

	/* nothing read yet: in->p is NULL, and memchr must not see it */
	while ((lf = in->len > in->off ? memchr(in->p + in->off, '\n',
	    in->len - in->off) : NULL) == NULL) {
		if (in->len - in->off > LINE_MAX_)
			return cd_err_set(err, CD_E_IO, "a line of the reply "
			    "is too long");
		if ((r = need(fd, in, in->len - in->off + 1, "a line", err)))
			return r;
	}
	*line = in->p + in->off;
	*n = (size_t)(lf - *line);
	if (*n > 0 && lf[-1] == '\r')
		--*n;
	in->off = (size_t)(lf - in->p) + 1;
	return 0;
}

/* "HTTP/1.x NNN ..." */
static int
parse_status(const char *s, size_t n, struct head *hd)
{
	if (n < 12 || strncmp(s, "HTTP/1.", 7) != 0 ||
	    (s[7] != '0' && s[7] != '1') || s[8] != ' ' ||
	    s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' ||
	    s[11] < '0' || s[11] > '9' || (n > 12 && s[12] != ' '))
		return -1;
	hd->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	hd->close = s[7] == '0';
	return 0;
}

/* A decimal Content-Length, alone. */
static int
parse_len(const char *v, size_t n, size_t *out)
{
	size_t x = 0;

	if (n == 0)
		return -1;
	for (; n > 0; v++, n--) {
		if (*v < '0' || *v > '9' || x > (SIZE_MAX - 9) / 10)
			return -1;
		x = x * 10 + (size_t)(*v - '0');
	}
	*out = x;
	return 0;
}

/* v (n bytes) ends with token t, case aside. */
static int
ends_with(const char *v, size_t n, const char *t)
{
	size_t k = strlen(t);

	return n >= k && strncasecmp(v + n - k, t, k) == 0 &&
	    (n == k || v[n - k - 1] == ' ' || v[n - k - 1] == ',');
}

/* Keep-Alive's "timeout=N" in ms; -1 when it is not there or malformed. */
static long long
keep_alive_ms(const char *v, size_t n)
{
	long long t = 0;
	size_t i, d;

	for (i = 0; i + 8 <= n; i++)
		if (strncasecmp(v + i, "timeout=", 8) == 0 &&
		    (i == 0 || v[i - 1] == ' ' || v[i - 1] == ','))
			break;
	if (i + 8 > n)
		return -1;
	for (i = d = i + 8; i < n && v[i] >= '0' && v[i] <= '9'; i++)
		if ((t = t * 10 + (v[i] - '0')) > 86400)
			return -1;
	if (i == d || (i < n && v[i] != ',' && v[i] != ' '))
		return -1;
	return t * 1000;
}

/* One "Name: value" line into hd. */
static int
parse_field(const char *s, size_t n, struct head *hd, struct cd_err *err)
{
	const char *colon = memchr(s, ':', n), *v;
	size_t nl, vl, x;

	if (colon == NULL || colon == s)
		return cd_err_set(err, CD_E_IO, "a header of the reply is "
		    "malformed");
	nl = (size_t)(colon - s);
	for (v = colon + 1; v < s + n && (*v == ' ' || *v == '\t'); v++)
		;
	for (vl = (size_t)(s + n - v); vl > 0 && (v[vl - 1] == ' ' ||
	    v[vl - 1] == '\t'); vl--)
		;
	if (nl == 14 && strncasecmp(s, "Content-Length", nl) == 0) {
		if (parse_len(v, vl, &x) != 0 || (hd->has_len && x != hd->clen))
			return cd_err_set(err, CD_E_IO, "the reply's "
			    "Content-Length is malformed");
		hd->has_len = 1;
		hd->clen = x;
	} else if (nl == 17 && strncasecmp(s, "Transfer-Encoding", nl) == 0) {
		if (!ends_with(v, vl, "chunked"))
			return cd_err_set(err, CD_E_IO, "the reply's transfer "
			    "coding is not supported");
		hd->chunked = 1;
	} else if (nl == 10 && strncasecmp(s, "Keep-Alive", nl) == 0) {
		hd->idle_ms = keep_alive_ms(v, vl);
	} else if (nl == 10 && strncasecmp(s, "Connection", nl) == 0) {
		for (x = 0; x + 5 <= vl; x++)
			if (strncasecmp(v + x, "close", 5) == 0)
				hd->close = 1;
	}
	return 0;
}

/* The status line and headers. */
static int
read_head(int fd, struct in *in, struct head *hd, struct cd_err *err)
{
	const char *line;
	size_t n, start = in->off;
	int r;

	memset(hd, 0, sizeof(*hd));
	hd->idle_ms = -1;
	if ((r = next_line(fd, in, &line, &n, err)) != 0)
		return r;
	if (parse_status(line, n, hd) != 0)
		return cd_err_set(err, CD_E_IO, "the reply is not HTTP/1.x");
	for (;;) {
		if ((r = next_line(fd, in, &line, &n, err)) != 0)
			return r;
		if (n == 0)
			return 0;
		if (in->off - start > HEAD_MAX)
			return cd_err_set(err, CD_E_IO, "the reply's header "
			    "is too large");
		if ((r = parse_field(line, n, hd, err)) != 0)
			return r;
	}
}

/* Append n bytes to the reply's body (at most max in all). */
static int
add_body(struct cd_uhttp_reply *out, const char *p, size_t n, size_t max,
    struct cd_err *err)
{
	char *np;

	if (n > max - out->len)
		return cd_err_set(err, CD_E_IO, "the reply is too large");
	if ((np = cd_wipe_realloc(out->body, out->len, out->len + 1,
	    out->len + n + 1)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	memcpy(np + out->len, p, n);
	out->body = np;
	out->len += n;
	out->body[out->len] = '\0';
	return 0;
}

/* A hexadecimal chunk size, extensions after ';' ignored. */
static int
chunk_size(const char *s, size_t n, size_t *out)
{
	size_t x = 0, i;
	int d;

	for (i = 0; i < n && s[i] != ';' && s[i] != ' '; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')
			d = (s[i] | 0x20) - 'a' + 10;
		else
			return -1;
		if (x > (SIZE_MAX >> 4))
			return -1;
		x = (x << 4) | (size_t)d;
	}
	*out = x;
	return i > 0 ? 0 : -1;
}

/* A chunked body, then its trailers up to the empty line. */
static int
read_chunked(int fd, struct in *in, size_t max, struct cd_uhttp_reply *out,
    struct cd_err *err)
{
	const char *line;
	size_t n, size;
	int r;

	for (;;) {
		if ((r = next_line(fd, in, &line, &n, err)) != 0)
			return r;
		if (chunk_size(line, n, &size) != 0)
			return cd_err_set(err, CD_E_IO, "a chunk of the reply "
			    "is malformed");
		if (size == 0)
			break;
		if (size > max - out->len)
			return cd_err_set(err, CD_E_IO, "the reply is too "
			    "large");
		if ((r = need(fd, in, size + 2, "a chunk", err)) != 0)
			return r;
		if (memcmp(in->p + in->off + size, "\r\n", 2) != 0)
			return cd_err_set(err, CD_E_IO, "a chunk of the reply "
			    "is malformed");
		if ((r = add_body(out, in->p + in->off, size, max, err)) != 0)
			return r;
		in->off += size + 2;
	}
	do {
		if ((r = next_line(fd, in, &line, &n, err)) != 0)
			return r;
	} while (n > 0);
	return 0;
}

/* The body the head announces; *eof set when it ran to the end. */
static int
read_body(int fd, struct in *in, struct head *hd, size_t max,
    struct cd_uhttp_reply *out, struct cd_err *err)
{
	int r;

	if (hd->status == 204 || hd->status == 304)
		return add_body(out, "", 0, max, err);
	if (hd->chunked)
		return read_chunked(fd, in, max, out, err);
	if (hd->has_len) {
		if (hd->clen > max)
			return cd_err_set(err, CD_E_IO, "the reply is too "
			    "large");
		if ((r = need(fd, in, hd->clen, "the reply's body", err)))
			return r;
		r = add_body(out, in->p + in->off, hd->clen, max, err);
		in->off += hd->clen;
		return r;
	}
	hd->close = 1;
	while ((r = fill(fd, in, err)) > 0)
		if (in->len - in->off > max)
			return cd_err_set(err, CD_E_IO, "the reply is too "
			    "large");
	if (r < 0)
		return r;
	r = add_body(out, in->p + in->off, in->len - in->off, max, err);
	in->off = in->len;
	return r;
}

/* A whole reply, 1xx replies passed over. */
static int
read_reply(struct cd_uhttp *h, struct in *in, size_t max,
    struct cd_uhttp_reply *out, struct cd_err *err)
{
	struct head hd;
	int r;

	do {
		if ((r = read_head(h->fd, in, &hd, err)) != 0)
			return r;
	} while (hd.status < 200);
	if ((r = read_body(h->fd, in, &hd, max, out, err)) != 0 ||
	    (out->body == NULL && (r = add_body(out, "", 0, max, err)) != 0))
		return r;
	out->status = hd.status;
	h->idle_ms = hd.idle_ms;
	h->since = now_ms();
	if (hd.close || in->off != in->len)
		hangup(h);
	return 0;
}

/* ---- one exchange ------------------------------------------------------ */

int
cd_uhttp_exchange(struct cd_uhttp *h, const char *method,
    const char *target, const char *const *hdr, const void *body, size_t len,
    size_t max, struct cd_uhttp_reply *out, struct cd_err *err)
{
	struct in in = { 0 };
	char *rq = NULL;
	size_t hlen = 0;
	int r, e, reused, again = 1;

	memset(out, 0, sizeof(*out));
	if (max > SIZE_MAX / 4)
		max = SIZE_MAX / 4;
	in.max = max + HEAD_MAX + 2 * LINE_MAX_;
	if ((r = request_head(method, target, hdr, body != NULL ||
	    strcmp(method, "GET") != 0, len, &rq, &hlen, err)) != 0)
		return r;
retry:
	if ((r = dial(h, err)) != 0)
		goto out;
	reused = h->used;
	h->used = 1;
	if ((e = send_all(h->fd, rq, hlen, body, len)) != 0) {
		hangup(h);
		/* a kept connection the server closed took nothing */
		if (reused && again-- > 0)
			goto retry;
		r = io_err(err, "", e);
		goto out;
	}
	r = read_reply(h, &in, max, out, err);
	if (r != 0 && reused && in.len == 0 && again-- > 0 &&
	    strcmp(method, "GET") == 0) {
		hangup(h);
		goto retry;
	}
out:
	free(rq);
	cd_wipe_free(in.p, in.cap);
	if (r != 0) {
		hangup(h);
		cd_uhttp_reply_free(out);
	}
	return r;
}

char *
cd_uhttp_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out, *o;
	unsigned char c;

	if (n > (SIZE_MAX - 1) / 3 || (out = malloc(n * 3 + 1)) == NULL)
		return NULL;
	for (o = out; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
