/* SPDX-License-Identifier: ISC */
/*
 * drive-local.c - the collection steps of the engine in this process
 * (collect.h) as the driver's struct cd_collect_ops: the embedded side
 * of the driver's indirection.  The server side lives with the client
 * API (src/api/api-collect-server.c).
 */
#include "config.h"

#include "certdesk/drive.h"
#include "engine-int.h"

static int
l_preview(void *src, int64_t id, struct cd_collect_preview *out,
    struct cd_err *err)
{
	return cd_collect_preview(src, id, out, err);
}

static int
l_begin(void *src, int64_t id, void **h, struct cd_err *err)
{
	struct cd_collect *c = NULL;
	int r;

	r = cd_collect_begin(src, id, &c, err);
	*h = c;
	return r;
}

static void
l_set_progress(void *h, cd_progress_fn fn, void *arg)
{
	cd_collect_set_progress(h, fn, arg);
}

static int
l_password(void *h, const char *pw, struct cd_err *err)
{
	return cd_collect_password(h, pw, err);
}

static int
l_issue(void *h, struct cd_err *err)
{
	return cd_collect_issue(h, err);
}

static int
l_package(void *h, struct cd_err *err)
{
	return cd_collect_package(h, err);
}

static int
l_nitems(const void *h)
{
	return cd_collect_nitems(h);
}

static const struct cd_collect_item *
l_item(const void *h, int i)
{
	return cd_collect_item(h, i);
}

static int
l_package_data(const void *h, int i, const unsigned char **data, size_t *len,
    struct cd_err *err)
{
	return cd_collect_package_data(h, i, data, len, err);
}

static int
l_journal_file(void *h, const char *path, const unsigned char *data,
    size_t len, struct cd_err *err)
{
	return cd_collect_journal_file(h, path, data, len, err);
}

static int
l_item_delivered(void *h, int i, const char *location, struct cd_err *err)
{
	return cd_collect_item_delivered(h, i, location, err);
}

static int
l_progress(void *h, const char *what, int done, int total, struct cd_err *err)
{
	return cd_collect_progress(h, what, done, total, err);
}

static int
l_with_password(void *h, int (*fn)(void *, const char *, struct cd_err *),
    void *arg, struct cd_err *err)
{
	return cd_collect_with_password(h, fn, arg, err);
}

static int
l_record_drive(void *h, const struct cd_usb_drive *dr, struct cd_err *err)
{
	return cd_collect_record_drive(h, dr, err);
}

static void
l_rollback_note(void *h, const char *text)
{
	cd_collect_rollback_note(h, text);
}

static int
l_tick(void *h, struct cd_err *err)
{
	return cd_collect_tick(h, err);
}

static int
l_mailer_start(void *h, struct cd_err *err)
{
	return cd_collect_mailer_start(h, err);
}

static int
l_commit(void *h, struct cd_err *err)
{
	return cd_collect_commit(h, err);
}

static int
l_cancel(void *h, const char *reason, char *undone, size_t len,
    struct cd_err *err)
{
	return cd_collect_cancel(h, reason, undone, len, err);
}

static void
l_free(void *h)
{
	cd_collect_free(h);
}

const struct cd_collect_ops cd_collect_local = {
	.name = "embedded",
	.preview = l_preview,
	.begin = l_begin,
	.set_progress = l_set_progress,
	.password = l_password,
	.issue = l_issue,
	.package = l_package,
	.nitems = l_nitems,
	.item = l_item,
	.package_data = l_package_data,
	.journal_file = l_journal_file,
	.item_delivered = l_item_delivered,
	.progress = l_progress,
	.with_password = l_with_password,
	.record_drive = l_record_drive,
	.rollback_note = l_rollback_note,
	.tick = l_tick,
	.mailer_start = l_mailer_start,
	.commit = l_commit,
	.cancel = l_cancel,
	.free = l_free,
};
