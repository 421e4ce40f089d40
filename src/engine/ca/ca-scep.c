/* SPDX-License-Identifier: ISC */
/*
 * ca-scep.c - "scep": enrolment to a remote CA over SCEP (RFC 8894),
 * HTTP(S) through libcurl.  Each request asks GetCACaps (the algorithms:
 * AES and SHA-256 when offered) and GetCACert (the CA and RA
 * certificates), then sends PKCSReq; a PENDING answer becomes a ticket
 * (the transactionID) that poll() asks about with CertPoll
 * (GetCertInitial), at most poll_limit times, poll_interval apart.  The
 * CA's key never comes here: SCEP has no revocation and no CRL, so this
 * backend can revoke only through [ca] revoke_command (conf.c, ca.c).
 * Its own settings in [ca]:
 *
 *   url            = http(s)://host/scep   (required)
 *   challenge_file = PATH   the challenge password, read at each request
 *   ca_file        = PATH   PEM CA certificates trusted for https
 *   poll_limit     = N      CertPoll requests before giving up (10)
 *   poll_interval  = DUR    between two CertPolls (30 s)
 *   http_timeout   = DUR    per HTTP request (30 s)
 *
 * The micromdm-style CA behind SCEP is often RSA-only, and the
 * requester must decrypt the CA's answer with its key: only RSA
 * policies are accepted (policy_check).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "ca.h"
#include "dl-curl.h"	/* libcurl is loaded by the first request */
#include "scep.h"
#include "util.h"

#define RESP_MAX (1 << 20)
#define MAX_JOBS 16
#define CHALLENGE_MAX 256

struct scfg {
	char url[CD_PATH_MAX];
	char challenge_file[CD_PATH_MAX];
	char ca_file[CD_PATH_MAX];
	int poll_limit;
	int poll_interval;
	int http_timeout;
};

/* A PENDING request: its transaction and what CertPoll must name. */
struct job {
	int used;
	struct scep_tx tx;
	X509_NAME *subject;
	int polls;
	time_t last;
};

struct cd_ca {
	struct scfg cfg;
	STACK_OF(X509) *certs;		/* GetCACert: CA first */
	STACK_OF(X509) *chain;		/* its CA certificates (no RA) */
	X509 *recip;			/* in certs: messages go to it */
	struct scep_algs algs;
	struct job jobs[MAX_JOBS];
};

struct buf {
	unsigned char *data;
	size_t len;
	int over;
};

static int
s_conf_load(const struct cd_conf_src *src, const char *sec, void **cfg,
    struct cd_err *err)
{
	struct scfg *c;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_conf_str(src, sec, "url", NULL, c->url,
	    sizeof(c->url))) != 0 ||
	    (r = cd_conf_path(src, sec, "challenge_file", "",
	    c->challenge_file, sizeof(c->challenge_file))) != 0 ||
	    (r = cd_conf_path(src, sec, "ca_file", "", c->ca_file,
	    sizeof(c->ca_file))) != 0 ||
	    (r = cd_conf_int(src, sec, "poll_limit", "10", 1, 100000,
	    &c->poll_limit)) != 0 ||
	    (r = cd_conf_dur(src, sec, "poll_interval", "30", 0, 86400,
	    &c->poll_interval)) != 0 ||
	    (r = cd_conf_dur(src, sec, "http_timeout", "30", 1, 3600,
	    &c->http_timeout)) != 0)
		goto fail;
	if (strncmp(c->url, "http://", 7) != 0 &&
	    strncmp(c->url, "https://", 8) != 0) {
		r = cd_conf_fail(src, sec, "url", "'%s' is not an http:// or "
		    "https:// URL", c->url);
		goto fail;
	}
	if (strchr(c->url, '?') != NULL || strchr(c->url, '#') != NULL) {
		r = cd_conf_fail(src, sec, "url", "give the SCEP URL without "
		    "a query (certdesk adds ?operation=...)");
		goto fail;
	}
	*cfg = c;
	return 0;
fail:
	free(c);
	return r;
}

static int
s_policy_check(const void *cfg, const struct cd_policy *p, char *why,
    size_t whylen)
{
	(void)cfg;
	if (p->key_type == CD_KEY_RSA2048 || p->key_type == CD_KEY_RSA3072 ||
	    p->key_type == CD_KEY_RSA4096)
		return 0;
	snprintf(why, whylen, "the scep CA backend certifies RSA keys only "
	    "(SCEP CAs such as scepserver are RSA-only, and the CA's answer "
	    "is encrypted to the requester's key): use key_type = rsa2048, "
	    "rsa3072 or rsa4096");
	return -1;
}

static int
s_open(const void *cfg, const char *datadir, struct cd_ca **out,
    struct cd_err *err)
{
	struct cd_ca *ca;

	(void)datadir;
	*out = NULL;
	if (cfg == NULL)
		return cd_err_set(err, CD_E_CONFIG, "the scep CA backend needs "
		    "[ca] url");
	if ((ca = calloc(1, sizeof(*ca))) == NULL ||
	    (ca->certs = sk_X509_new_null()) == NULL ||
	    (ca->chain = sk_X509_new_null()) == NULL) {
		if (ca != NULL)
			sk_X509_free(ca->certs);
		free(ca);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	ca->cfg = *(const struct scfg *)cfg;
	*out = ca;
	return 0;
}

static void
job_clear(struct job *j)
{
	scep_tx_clear(&j->tx);
	X509_NAME_free(j->subject);
	memset(j, 0, sizeof(*j));
}

static void
s_close(struct cd_ca *ca)
{
	int i;

	if (ca == NULL)
		return;
	for (i = 0; i < MAX_JOBS; i++)
		if (ca->jobs[i].used)
			job_clear(&ca->jobs[i]);
	sk_X509_pop_free(ca->certs, X509_free);
	sk_X509_free(ca->chain);
	free(ca);
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	unsigned char *nb;

	n *= size;
	if (b->len + n > RESP_MAX) {
		b->over = 1;
		return 0;
	}
	if ((nb = realloc(b->data, b->len + n + 1)) == NULL)
		return 0;
	b->data = nb;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Options common to every request: trust, time-out, no redirects. */
static int
setup(struct cd_ca *ca, CURL *h, struct buf *b, char *ebuf)
{
	const struct scfg *c = &ca->cfg;

	return curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf) ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->http_timeout) ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) ||
#if LIBCURL_VERSION_NUM >= 0x075500
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") ||
#endif
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) ||
	    (c->ca_file[0] != '\0' &&
	    curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file)) ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data) ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
}

/*
 * One SCEP operation: GET url?operation=op (with message, base64, when
 * not posting) or POST the message.  The body goes to b.
 */
static int
http(struct cd_ca *ca, const char *op, const unsigned char *msg,
    size_t mlen, struct buf *b, struct cd_err *err)
{
	char ebuf[CURL_ERROR_SIZE] = "", *url = NULL, *esc = NULL;
	unsigned char *b64 = NULL;
	struct curl_slist *hdr = NULL;
	CURL *h = NULL;
	CURLcode cc;
	long status = 0;
	size_t ulen;
	int r = CD_E_CA;

	memset(b, 0, sizeof(*b));
	if ((r = cd_dl_curl(CD_E_CA, err)) != 0)
		return r;
	r = CD_E_CA;
	if ((h = curl_easy_init()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "libcurl");
	ulen = strlen(ca->cfg.url) + strlen(op) + 32;
	if (msg != NULL && !ca->algs.post) {
		if ((b64 = malloc(4 * ((mlen + 2) / 3) + 1)) == NULL)
			goto nomem;
		EVP_EncodeBlock(b64, msg, (int)mlen);
		if ((esc = curl_easy_escape(h, (char *)b64, 0)) == NULL)
			goto nomem;
		ulen += strlen(esc);
	}
	if ((url = malloc(ulen)) == NULL)
		goto nomem;
	snprintf(url, ulen, "%s?operation=%s%s%s", ca->cfg.url, op,
	    esc != NULL ? "&message=" : "", esc != NULL ? esc : "");
	if (setup(ca, h, b, ebuf) || curl_easy_setopt(h, CURLOPT_URL, url))
		goto nomem;
	if (msg != NULL && ca->algs.post && ((hdr = curl_slist_append(NULL,
	    "Content-Type: application/x-pki-message")) == NULL ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr) ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, msg) ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)mlen)))
		goto nomem;
	if ((cc = curl_easy_perform(h)) != CURLE_OK) {
		cd_err_set(err, CD_E_CA, "the SCEP CA at %s cannot be "
		    "reached (%s): %s", ca->cfg.url, op, b->over ?
		    "answer too large" : ebuf[0] ? ebuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		cd_err_set(err, CD_E_CA, "the SCEP CA at %s answered %s with "
		    "HTTP status %ld", ca->cfg.url, op, status);
		goto out;
	}
	r = 0;
	goto out;
nomem:
	r = cd_err_set(err, CD_E_NOMEM, "preparing the SCEP request");
out:
	if (r != 0) {
		free(b->data);
		memset(b, 0, sizeof(*b));
	}
	curl_slist_free_all(hdr);
	curl_free(esc);
	free(b64);
	free(url);
	curl_easy_cleanup(h);
	return r;
}

/* GetCACaps and GetCACert, once per open handle. */
static int
ca_info(struct cd_ca *ca, struct cd_err *err)
{
	STACK_OF(X509) *certs = NULL, *chain;
	X509 *recip = NULL;
	struct buf b;
	int i, r;

	if (sk_X509_num(ca->certs) > 0)
		return 0;
	if ((r = http(ca, "GetCACaps", NULL, 0, &b, err)) != 0)
		return r;
	r = scep_caps_algs(b.data != NULL ? (char *)b.data : "", &ca->algs,
	    err);
	free(b.data);
	if (r != 0)
		return r;
	if ((r = http(ca, "GetCACert", NULL, 0, &b, err)) != 0)
		return r;
	r = scep_parse_cacert(b.data, b.len, &certs, &recip, err);
	free(b.data);
	if (r != 0)
		return r;
	if ((chain = sk_X509_new_null()) == NULL) {
		sk_X509_pop_free(certs, X509_free);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	/* the packages carry the CA certificates, not an RA's */
	for (i = 0; i < sk_X509_num(certs); i++)
		if ((X509_check_ca(sk_X509_value(certs, i)) ||
		    sk_X509_num(certs) == 1) &&
		    !sk_X509_push(chain, sk_X509_value(certs, i))) {
			sk_X509_free(chain);
			sk_X509_pop_free(certs, X509_free);
			return cd_err_set(err, CD_E_NOMEM, NULL);
		}
	sk_X509_pop_free(ca->certs, X509_free);
	sk_X509_free(ca->chain);
	ca->certs = certs;
	ca->chain = chain;
	ca->recip = recip;
	return 0;
}

/* The challenge password, in secret memory (NULL: none configured). */
static int
read_challenge(const struct scfg *c, char **out, size_t *outlen,
    struct cd_err *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if (c->challenge_file[0] == '\0')
		return 0;
	if ((r = cd_read_file(c->challenge_file, CHALLENGE_MAX, &data, &len,
	    err)) != 0)
		return cd_err_prefix(err, "the SCEP challenge file");
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if ((*out = cd_secret_alloc(len + 1)) == NULL) {
		OPENSSL_clear_free(data, len);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	memcpy(*out, data, len);
	(*out)[len] = '\0';
	*outlen = len + 1;
	OPENSSL_clear_free(data, len);
	if (memchr(*out, '\0', len) != NULL || len == 0) {
		cd_secret_free(*out, *outlen);
		*out = NULL;
		return cd_err_set(err, CD_E_CONFIG, "the SCEP challenge file "
		    "%s is empty or not text", c->challenge_file);
	}
	return 0;
}

/* Send msg as PKIOperation and read the CertRep for tx. */
static int
exchange(struct cd_ca *ca, struct scep_tx *tx, unsigned char *msg,
    size_t len, X509 **out, struct cd_err *err)
{
	struct buf b;
	int r;

	if ((r = http(ca, "PKIOperation", msg, len, &b, err)) != 0)
		return r;
	r = scep_certrep(tx, b.data, b.len, ca->certs, out, err);
	free(b.data);
	return r;
}

static struct job *
find_job(struct cd_ca *ca, const char *ticket)
{
	int i;

	for (i = 0; ticket != NULL && i < MAX_JOBS; i++)
		if (ca->jobs[i].used &&
		    strcmp(ca->jobs[i].tx.txid, ticket) == 0)
			return &ca->jobs[i];
	return NULL;
}

/* Keep tx as a pending job; the ticket is its transactionID. */
static int
keep_job(struct cd_ca *ca, struct scep_tx *tx, const X509_REQ *csr,
    char *ticket, struct cd_err *err)
{
	struct job *j = NULL;
	int i;

	for (i = 0; i < MAX_JOBS && j == NULL; i++)
		if (!ca->jobs[i].used)
			j = &ca->jobs[i];
	if (j == NULL)
		return cd_err_set(err, CD_E_CA, "too many SCEP requests are "
		    "pending");
	if ((j->subject = X509_NAME_dup(X509_REQ_get_subject_name(csr))) ==
	    NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	j->used = 1;
	j->tx = *tx;
	memset(tx, 0, sizeof(*tx));
	j->last = time(NULL);
	cd_strlcpy(ticket, j->tx.txid, CD_CA_TICKET_MAX);
	return CD_CA_PENDING;
}

static int
s_submit(struct cd_ca *ca, const struct cd_ca_req *req, X509 **out,
    char *ticket, struct cd_err *err)
{
	struct scep_tx tx;
	unsigned char *msg = NULL;
	char *chal = NULL;
	size_t len = 0, clen = 0;
	int r;

	*out = NULL;
	ticket[0] = '\0';
	memset(&tx, 0, sizeof(tx));
	if (req->key == NULL || req->csr == NULL)
		return cd_err_set(err, CD_E_INTERNAL, "SCEP needs the CSR and "
		    "its key");
	if (EVP_PKEY_get_base_id(req->key) != EVP_PKEY_RSA)
		return cd_err_set(err, CD_E_CA, "the scep CA backend "
		    "certifies RSA keys only");
	if ((r = ca_info(ca, err)) != 0 ||
	    (r = read_challenge(&ca->cfg, &chal, &clen, err)) != 0 ||
	    (r = scep_tx_init(&tx, req->key,
	    X509_REQ_get_subject_name(req->csr), ca->algs.md, err)) != 0)
		goto out;
	r = scep_pkcsreq(&tx, req->csr, chal, ca->recip, &ca->algs, &msg,
	    &len, err);
	if (chal != NULL)
		cd_secret_free(chal, clen);
	if (r != 0)
		goto out;
	r = exchange(ca, &tx, msg, len, out, err);
	if (r == CD_CA_PENDING)
		r = keep_job(ca, &tx, req->csr, ticket, err);
out:
	OPENSSL_free(msg);
	scep_tx_clear(&tx);
	return r;
}

static int
s_poll(struct cd_ca *ca, const char *ticket, X509 **out, struct cd_err *err)
{
	unsigned char *msg = NULL;
	struct job *j;
	size_t len = 0;
	int r;

	*out = NULL;
	if ((j = find_job(ca, ticket)) == NULL)
		return cd_err_set(err, CD_E_CA, "no SCEP request %s is "
		    "pending", ticket);
	if (time(NULL) - j->last < ca->cfg.poll_interval)
		return CD_CA_PENDING;
	if (j->polls >= ca->cfg.poll_limit) {
		job_clear(j);
		return cd_err_set(err, CD_E_CA, "the SCEP CA left the request "
		    "pending after %d polls ([ca] poll_limit)",
		    ca->cfg.poll_limit);
	}
	j->polls++;
	j->last = time(NULL);
	if ((r = scep_certpoll(&j->tx, X509_get_subject_name(
	    sk_X509_value(ca->certs, 0)), j->subject, ca->recip, &ca->algs,
	    &msg, &len, err)) == 0)
		r = exchange(ca, &j->tx, msg, len, out, err);
	OPENSSL_free(msg);
	if (r != CD_CA_PENDING)
		job_clear(j);
	return r;
}

/* SCEP cannot withdraw a request: forget it (the CA may still issue). */
static int
s_cancel(struct cd_ca *ca, const char *ticket, struct cd_err *err)
{
	struct job *j;

	if ((j = find_job(ca, ticket)) == NULL)
		return cd_err_set(err, CD_E_CA, "no SCEP request %s is "
		    "pending", ticket);
	job_clear(j);
	return 0;
}

static const STACK_OF(X509) *
s_chain(struct cd_ca *ca)
{
	return ca->chain;
}

const struct cd_ca_ops cd_ca_scep_ops = {
	.name = "scep",
	.caps = CD_CA_NEEDS_CSR | CD_CA_ANSWERS_LATER,
	.conf_load = s_conf_load,
	.conf_free = free,
	.policy_check = s_policy_check,
	.open = s_open,
	.close = s_close,
	.submit = s_submit,
	.poll = s_poll,
	.cancel = s_cancel,
	.chain = s_chain,
};
