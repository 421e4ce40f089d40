/* SPDX-License-Identifier: ISC */
/*
 * collect-int.h - the collection attempt's state, shared by collect.c and
 * the delivery and printing steps that live in their own files.
 */
#ifndef CD_COLLECT_INT_H
#define CD_COLLECT_INT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certdesk/collect.h"
#include "engine-int.h"

enum cd_coll_stage {
	CD_CS_NONE = 0,
	CD_CS_BEGUN,
	CD_CS_PASSWORD,
	CD_CS_ISSUED,
	CD_CS_PACKAGED,
	CD_CS_COMMITTED,
	CD_CS_CANCELLED
};

struct cd_coll_item {
	struct cd_collect_item pub;
	EVP_PKEY *key;			/* freed once packed */
	X509 *cert;
	unsigned char *p12;		/* the package, wiped on free */
	size_t p12len;
	int64_t cert_id;
	char jpath[CD_JPATH_MAX];	/* journalled here ("" not yet) */
	char jsha[65];			/* with this content */
};

struct cd_collect {
	struct cd_engine *e;
	struct cd_request req;
	struct cd_person person;
	const struct cd_profile *prof;
	struct cd_attempt att;		/* detail holds the file journal */
	int64_t started;
	int stage;			/* enum cd_coll_stage */
	int n;
	struct cd_coll_item items[CD_MAX_POLICIES_PER_PROFILE];
	char *pw;			/* secret memory */
	int generated;			/* password was generated */
	cd_progress_fn progress;
	void *progress_arg;
	int64_t usb_device_id;		/* device record of the USB drive */
	char nss_note[256];		/* audit note: what a rollback left */
	struct cd_coll_pin *pin;	/* the PIN mailer's job, started */
};

int cd_coll_progress(struct cd_collect *c, const char *what, int done,
    int total, struct cd_err *err);
int cd_coll_heartbeat(struct cd_collect *c, struct cd_err *err);
int cd_coll_durable(struct cd_collect *c, struct cd_err *err);
void cd_coll_lazy(struct cd_collect *c, int on);
int cd_coll_journal(struct cd_collect *c, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err);
int cd_coll_delivered(struct cd_collect *c, struct cd_coll_item *it,
    const char *location, const char *action, struct cd_err *err);

/*
 * collect-print.c: the PIN mailer with the generated password.  start
 * sends it to the printer and returns once it is queued (c->pin); end
 * follows it until it is printed, or with give_up stops following it
 * (it is cancelled unless already printed), purges it and audits it;
 * pin_mailer is both.  Each is a no-op when there is nothing to do.
 */
int cd_coll_pin_start(struct cd_collect *c, struct cd_err *err);
int cd_coll_pin_end(struct cd_collect *c, int give_up, struct cd_err *err);
int cd_coll_pin_mailer(struct cd_collect *c, struct cd_err *err);

#endif
