/* SPDX-License-Identifier: ISC */
/*
 * screen-collect.c - Collect Soft Certificates: who and what is being
 * collected and where each certificate goes, the certificate password
 * (typed twice for a user-specified PIN into fields of its own that show
 * one '*' per character and mark the profile's rules as they are met,
 * else generated and sent by PIN mailer), Download / Print / Close,
 * progress while keys are generated and files written.  Opening the dialog takes a preview only: the
 * attempt begins at Download, when the collection driver (drive.h) runs;
 * this file only answers its questions (folder, overwrite, store
 * password, USB drive) and reports.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>

#include <openssl/crypto.h>

#include "certdesk/drive.h"
#include "tui-int.h"
#include "certdesk/cdutil.h"

#define PW_MAX 256
/* How often the attempt is ticked while a dialog waits on the operator. */
#define COLLECT_TICK_MS 500

enum { B_DOWNLOAD, B_PRINT, B_CLOSE };

struct item_view {
	char policy[CD_NAME_MAX];
	const char *storage;
	int method;
	char file[CD_FIELD_MAX];
	char location[CD_DETAIL_MAX];
	int delivered;
};

struct coll {
	struct screen s;
	int64_t rid;
	struct cd_drive *d;		/* preview until Download runs it */
	struct cd_drive_ui ui;
	char *pw;			/* the password for the driver */
	char *typed[2];			/* Set / Verify, secret memory */
	int cur;			/* the password field being typed */
	char blocked[CD_ERR_MSGLEN];	/* why Download cannot work */
	struct cd_pwpolicy policy;	/* the profile's password rules */
	int user_pin;
	char who[2 * CD_FIELD_MAX];
	char profile[CD_TEXT_MAX];
	struct item_view items[CD_MAX_POLICIES_PER_PROFILE];
	int n;
	int has_fields;		/* user PIN: the two password fields */
	int has_print;		/* the profile has a transport document */
	int lost;		/* the sweep aborted the attempt */
	int running;		/* the driver runs (Download) */
	struct bbar bb;
	int focus;		/* 0 password fields, 1 buttons */
	int fdirty;		/* the fields and rules need drawing */
	int done;		/* downloaded and committed */
	char progress[CD_FIELD_MAX];
	int pdone, ptotal;
	int pdirty;
	char folder[CD_PATH_MAX];
	char note[CD_ERR_MSGLEN];
};

static const char collect_help[] =
    "Collect Soft Certificates makes the keys and certificates of the "
    "request, packs them into password-protected .pfx files and saves "
    "each where its certificate policy says.\n"
    "With a user-specified PIN, type the password in Set Certificate "
    "Password and again in Verify Certificate Password; each character "
    "shows as *, never the text.  The rules under the fields are marked "
    "[ok] as the password meets them.  Otherwise the password is "
    "generated and goes to the user by PIN mailer.\n"
    "Download saves the certificates (for FileStore you choose the "
    "folder); if you cancel, everything is undone and Download obtains "
    "new certificates.  Print (after a download) prints the transport "
    "document.  Close without downloading cancels.\n"
    "\nKeys: in the fields every key types; Backspace erases, ^U empties, "
    "Enter next field / Download, Tab or ESC to the buttons, ^G help.  "
    "On the buttons: d download, p print, c or q close, Tab back to the "
    "fields.";

/* ------------------------------------------------------------ state */

static const char *
where_text(const struct item_view *iv)
{
	if (iv->delivered)
		return iv->location;
	return cd_drive_where(iv->method);
}

static void
items_refresh(struct coll *cs)
{
	const struct cd_collect_item *it;
	int i;

	if (cs->d == NULL)
		return;
	cs->n = cd_drive_nitems(cs->d);
	if (cs->n > CD_MAX_POLICIES_PER_PROFILE)
		cs->n = CD_MAX_POLICIES_PER_PROFILE;
	for (i = 0; i < cs->n; i++) {
		struct item_view *iv = &cs->items[i];

		it = cd_drive_item(cs->d, i);
		cd_strlcpy(iv->policy, it->policy->name, sizeof(iv->policy));
		iv->method = it->policy->storage;
		iv->storage = cd_storage_name(it->policy->storage);
		cd_strlcpy(iv->file, it->file_name, sizeof(iv->file));
		cd_strlcpy(iv->location, it->location, sizeof(iv->location));
		iv->delivered = it->delivered;
	}
}

static void
bar_build(struct coll *cs)
{
	int focus = cs->bb.focus;

	bbar_clear(&cs->bb);
	bbar_add(&cs->bb, "Download", 'd', B_DOWNLOAD, cs->done ||
	    cs->blocked[0] != '\0');
	if (cs->has_print)
		bbar_add(&cs->bb, "Print", 'p', B_PRINT, !cs->done);
	bbar_add(&cs->bb, "Close", 'c', B_CLOSE, 0);
	cs->bb.focus = focus;
	cs->bb.focused = cs->focus == 1;
}

static void
set_focus(struct coll *cs, int focus)
{
	if (focus == 0 && (!cs->has_fields || cs->done))
		focus = 1;
	cs->focus = focus;
	cs->s.typing = focus == 0;
	cs->bb.focused = focus == 1;
	cs->bb.dirty = 1;
	cs->fdirty = 1;
}

/* Empty both password fields (their memory is overwritten). */
static void
fields_clear(struct coll *cs)
{
	int i;

	for (i = 0; i < 2 && cs->has_fields; i++)
		OPENSSL_cleanse(cs->typed[i], PW_MAX);
	cs->cur = 0;
	cs->fdirty = 1;
}

static void
note(struct coll *cs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct coll *cs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cs->note, sizeof(cs->note), fmt, ap);
	va_end(ap);
	cs->s.t->full = 1;
}

/* ------------------------------------------------------------ drawing */

/* Columns before "File / saved to" in the item rows. */
#define ITEM_INDENT 29

/* How much of s fits in w columns, broken after a blank if it can be. */
static int
chunk(const char *s, int w)
{
	int n = (int)strlen(s), cut;

	if (n <= w)
		return n;
	for (cut = w; cut > w / 2 && s[cut - 1] != ' '; cut--)
		;
	return s[cut - 1] == ' ' ? cut : w;
}

/* After the download a long location takes up to three rows. */
static int
item_rows(const struct coll *cs, const struct item_view *iv)
{
	const char *p = iv->location;
	int rows = 0, w = COLS - 2 - ITEM_INDENT;

	if (!cs->done || !iv->delivered)
		return 1;
	do {
		p += chunk(p, w);
		rows++;
	} while (*p != '\0' && rows < 3);
	return rows;
}

static int
pw_row(const struct coll *cs)
{
	int i, rows = 0;

	for (i = 0; i < cs->n; i++)
		rows += item_rows(cs, &cs->items[i]);
	return TUI_BODY + 5 + rows;
}

static void
coll_draw_progress(struct coll *cs)
{
	char buf[CD_FIELD_MAX + 64], bar[24];
	int i, fill;

	buf[0] = '\0';
	if (cs->ptotal > 0) {
		fill = cs->pdone * 20 / cs->ptotal;
		for (i = 0; i < 20; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[20] = '\0';
		snprintf(buf, sizeof(buf), "[%s] %s", bar, cs->progress);
	} else if (cs->progress[0] != '\0')
		cd_strlcpy(buf, cs->progress, sizeof(buf));
	tui_put(pw_row(cs) + 4, 1, COLS - 2, buf);
	cs->pdirty = 0;
}

/* An item whose location needs more than one row. */
static void
draw_location(const struct coll *cs, const struct item_view *iv, int y,
    int w)
{
	char buf[CD_DETAIL_MAX + 64];
	const char *p = iv->location;
	int r, n, rows = item_rows(cs, iv);

	buf[0] = '\0';
	tui_col(buf, sizeof(buf), iv->policy, 16);
	tui_col(buf, sizeof(buf), iv->storage, 11);
	tui_put(y, 1, ITEM_INDENT, buf);
	for (r = 0; r < rows; r++) {
		n = chunk(p, w);
		snprintf(buf, sizeof(buf), "%.*s", n, p);
		tui_put(y + r, 1 + ITEM_INDENT, w, buf);
		p += n;
	}
}

static void
coll_draw_items(struct coll *cs)
{
	char buf[CD_DETAIL_MAX + 256];
	int i, y = TUI_BODY + 3, w = COLS - 2 - ITEM_INDENT;

	buf[0] = '\0';
	tui_col(buf, sizeof(buf), "Certificate", 16);
	tui_col(buf, sizeof(buf), "Storage", 11);
	tui_col(buf, sizeof(buf), "File / saved to", 40);
	attron(A_UNDERLINE);
	tui_put(y++, 1, COLS - 2, buf);
	attroff(A_UNDERLINE);
	for (i = 0; i < cs->n; i++) {
		const struct item_view *iv = &cs->items[i];

		buf[0] = '\0';
		tui_col(buf, sizeof(buf), iv->policy, 16);
		tui_col(buf, sizeof(buf), iv->storage, 11);
		if (item_rows(cs, iv) > 1) {
			draw_location(cs, iv, y, w);
			y += item_rows(cs, iv);
			continue;
		}
		if (iv->delivered)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s", iv->location);
		else
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s -> %s", iv->file, where_text(iv));
		tui_put(y++, 1, COLS - 2, buf);
	}
}

/* The note on up to three lines, broken at blanks; "..." if cut. */
static void
draw_note(const struct coll *cs, int y)
{
	char line[CD_ERR_MSGLEN + 4];
	const char *p = cs->note;
	int w = COLS - 2, r, n;

	for (r = 0; r < 3; r++) {
		n = chunk(p, w);
		if (r == 2 && p[n] != '\0') {
			tui_fit(line, sizeof(line), p, w, 0);
			n = (int)strlen(p);
		} else
			snprintf(line, sizeof(line), "%.*s", n, p);
		tui_put(y + r, 1, w, line);
		p += n;
		while (*p == ' ')
			p++;
	}
}

/* ---- the password fields: one '*' per character, never the text */

#define PW_LABEL 30		/* label column */
#define PW_WIDTH 32		/* field cells */

static const char *const pw_labels[2] = {
	"Set Certificate Password:", "Verify Certificate Password:"
};

/* Characters (UTF-8 code points) in s, as the policy counts them. */
static int
pw_chars(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The character classes in s (password.h: lower, upper, digit, other). */
static unsigned
pw_classes(const char *s)
{
	unsigned have = 0;
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c >= 'a' && c <= 'z')
			have |= CD_CC_LOWER;
		else if (c >= 'A' && c <= 'Z')
			have |= CD_CC_UPPER;
		else if (c >= '0' && c <= '9')
			have |= CD_CC_DIGIT;
		else if ((c & 0xc0) != 0x80)
			have |= CD_CC_SYMBOL;
	}
	return have;
}

/* Cells of field i's masks; the cursor goes after them. */
static int
field_cells(const struct coll *cs, int i)
{
	int n = pw_chars(cs->typed[i]);

	return n < PW_WIDTH ? n : PW_WIDTH;
}

static void
draw_field(const struct coll *cs, int i, int y)
{
	char buf[PW_WIDTH + 1];
	int n = pw_chars(cs->typed[i]), k = 0;

	if (n >= PW_WIDTH) {
		buf[k++] = '<';		/* more masks than fit */
		n = PW_WIDTH - 1;
	}
	memset(buf + k, '*', (size_t)n);
	buf[k + n] = '\0';
	tui_put(y, 1, PW_LABEL, pw_labels[i]);
	attron(A_UNDERLINE);
	tui_put(y, 1 + PW_LABEL, PW_WIDTH, buf);
	attroff(A_UNDERLINE);
}

/* The policy under the fields, each rule marked [ok] once met. */
static void
draw_rules(const struct coll *cs, int y)
{
	static const struct {
		unsigned cls;
		const char *word;
	} cls[] = {
		{ CD_CC_LOWER, "a-z" }, { CD_CC_UPPER, "A-Z" },
		{ CD_CC_DIGIT, "0-9" }, { CD_CC_SYMBOL, "symbol" },
	};
	const struct cd_pwpolicy *p = &cs->policy;
	char buf[256], len[32];
	size_t i, used;
	int n = pw_chars(cs->typed[0]);
	unsigned have = pw_classes(cs->typed[0]);

	if (p->min_len == p->max_len)
		snprintf(len, sizeof(len), "%d characters", p->min_len);
	else
		snprintf(len, sizeof(len), "%d-%d characters", p->min_len,
		    p->max_len);
	used = (size_t)snprintf(buf, sizeof(buf), "Password rules: [%s] %s",
	    n >= p->min_len && n <= p->max_len ? "ok" : "  ", len);
	for (i = 0; i < CD_NELEM(cls) && used < sizeof(buf); i++)
		if (p->required & cls[i].cls)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
			    "  [%s] %s", have & cls[i].cls ? "ok" : "  ",
			    cls[i].word);
	tui_put(y, 1, COLS - 2, buf);
}

static void
draw_fields(struct coll *cs)
{
	int y = pw_row(cs);

	draw_field(cs, 0, y);
	draw_field(cs, 1, y + 1);
	draw_rules(cs, y + 2);
	cs->fdirty = 0;
}

static void
coll_draw(struct screen *s, int full)
{
	struct coll *cs = (struct coll *)s;
	char buf[CD_TEXT_MAX + 64];
	int y = pw_row(cs);

	if (full) {
		snprintf(buf, sizeof(buf), "Request %lld for %.200s",
		    (long long)cs->rid, cs->who);
		tui_put(TUI_BODY, 1, COLS - 2, buf);
		snprintf(buf, sizeof(buf), "Credential profile: %s",
		    cs->profile);
		tui_put(TUI_BODY + 1, 1, COLS - 2, buf);
		coll_draw_items(cs);
		if (cs->has_fields && !cs->done) {
			draw_fields(cs);
			tui_put(y + 3, 1, COLS - 2, "Each character typed shows "
			    "as *.  The same password protects every .pfx file.");
		} else if (!cs->has_fields) {
			tui_put(y, 1, COLS - 2, "The .pfx password is "
			    "generated by certdesk and never shown on screen.");
			tui_put(y + 1, 1, COLS - 2, "It goes to the user in a "
			    "PIN mailing document printed at Download.");
		}
		attron(A_BOLD);
		draw_note(cs, y + 5);
		attroff(A_BOLD);
	}
	if (!full && cs->fdirty && cs->has_fields && !cs->done)
		draw_fields(cs);
	if (full || cs->pdirty)
		coll_draw_progress(cs);
	if (full || cs->bb.dirty)
		bbar_draw(&cs->bb, tui_bar_row(), 0, COLS, 4);
}

static void
coll_cursor(struct screen *s)
{
	struct coll *cs = (struct coll *)s;

	if (cs->focus == 0 && cs->has_fields) {
		curs_set(1);
		move(pw_row(cs) + cs->cur, 1 + PW_LABEL +
		    field_cells(cs, cs->cur));
		return;
	}
	curs_set(0);
	move(tui_bar_row(), 1);
}

static const char *
coll_keys(struct screen *s)
{
	struct coll *cs = (struct coll *)s;

	if (cs->running)
		return " Download in progress: answer the dialog (keys on its "
		    "buttons), ESC cancels";
	if (cs->focus == 0)
		return " Keys type (* each)  BS erase  Enter next/Download  "
		    "Tab/ESC buttons  ^G help";
	if (cs->done)
		return cs->has_print ? " p print transport document  c/q close"
		    "  Left/Right Enter buttons  ^G help" :
		    " c/q close  ^G help";
	return cs->has_fields ? " d download  c/q close  Tab password "
	    "fields  Left/Right Enter buttons  ^G help" :
	    " d download  c/q close  Left/Right Enter buttons  ^G help";
}

/* ------------------------------------------------------------ engine */

static int
on_progress(void *arg, const char *what, int done, int total)
{
	struct coll *cs = arg;

	cd_strlcpy(cs->progress, what, sizeof(cs->progress));
	cs->pdone = done;
	cs->ptotal = total;
	cs->pdirty = 1;
	tui_flush(cs->s.t);
	return tui_signalled ? 1 : 0;
}

/* While a dialog waits for keys: keep the attempt alive. */
static int
on_idle(void *arg)
{
	struct coll *cs = arg;
	struct cd_err err;
	int rc;

	if (cs->d == NULL)
		return 0;
	if ((rc = cd_drive_tick(cs->d, &err)) == CD_E_LOST && !cs->lost) {
		cs->lost = 1;
		tui_status(cs->s.t, "This collection was aborted (no activity "
		    "for too long): answer or cancel to roll it back.");
		cs->s.t->status_err = 1;
	}
	return rc;
}

/* For the quit confirmation: a collection is running. */
static int
is_busy(void *arg)
{
	struct coll *cs = arg;

	return cs->d != NULL && cd_drive_begun(cs->d) && !cs->done;
}

/*
 * A reason that may have come out empty ("", or "...: " with nothing
 * after it): the code's text is put in, so no message ends without one.
 */
static void
fill_reason(char *msg, size_t len, int code)
{
	size_t n = strlen(msg);

	while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '.'))
		msg[--n] = '\0';
	if (n == 0 || msg[n - 1] == ':')
		snprintf(msg + n, len - n, "%s%s", n ? " " : "",
		    cd_strerror(code)[0] != '\0' ? cd_strerror(code) :
		    "an unknown error");
}

/* The preview: what the dialog shows before Download; takes nothing. */
static int
preview(struct coll *cs, struct cd_err *err)
{
	const struct cd_collect_preview *pv;
	int rc;

	cd_drive_free(cs->d);
	cs->d = NULL;
	if ((rc = cd_api_drive_new(cs->s.t->a, cs->rid, &cs->ui, &cs->d, err)))
		return rc;
	pv = cd_drive_preview(cs->d);
	snprintf(cs->who, sizeof(cs->who), "%s (%s)", pv->person_name,
	    pv->person_logon);
	cd_strlcpy(cs->profile, pv->prof->name, sizeof(cs->profile));
	cs->user_pin = pv->user_pin;
	cs->policy = pv->prof->pw;
	cs->has_print = pv->prof->transport_template[0] != '\0';
	cd_strlcpy(cs->blocked, pv->blocked, sizeof(cs->blocked));
	if (pv->blocked_code != 0)
		fill_reason(cs->blocked, sizeof(cs->blocked),
		    pv->blocked_code);
	items_refresh(cs);
	return 0;
}

/* After an error or a cancel: focus on a button, never in a field. */
static void
to_buttons(struct coll *cs, int field)
{
	cs->cur = field;
	cs->bb.focus = B_DOWNLOAD;
	set_focus(cs, 1);
}

/* The typed password, checked; 0 with cs->pw filled, else -1 (reported). */
static int
typed_password(struct coll *cs, struct cd_err *err)
{
	struct tui *t = cs->s.t;
	int rc = -2, field = 0;

	if (cs->typed[0][0] == '\0') {
		tui_status(t, "Type the certificate password in Set "
		    "Certificate Password (Tab goes there).");
		rc = -1;
	} else if (cs->typed[1][0] == '\0') {
		tui_status(t, "Type the password again in Verify Certificate "
		    "Password (Tab goes there).");
		rc = -1;
		field = 1;
	} else if (strcmp(cs->typed[0], cs->typed[1]) != 0) {
		tui_status(t, "The passwords do not match: press Tab and type "
		    "them again.");
	} else if (cd_collect_preview_password(cd_drive_preview(cs->d),
	    cs->typed[0], err) != 0) {
		tui_status(t, "Password not accepted: %s. Press Tab to type "
		    "another.", err->msg[0] != '\0' ? err->msg :
		    cd_strerror(err->code));
	} else if (cd_strlcpy(cs->pw, cs->typed[0], PW_MAX) < PW_MAX)
		rc = 0;
	if (rc == 0)
		return 0;
	t->status_err = 1;
	OPENSSL_cleanse(cs->pw, PW_MAX);
	if (rc == -2)
		fields_clear(cs);
	to_buttons(cs, field);
	return -1;
}

/* ---- the driver's questions */

/* A question comes: no progress bar left behind its dialog. */
static void
asking(struct coll *cs)
{
	cs->progress[0] = '\0';
	cs->ptotal = 0;
	cs->pdirty = 1;
	cs->s.t->full = 1;
}

static int
ask_password(void *arg, struct cd_drive *d, char *pw, size_t len,
    struct cd_err *err)
{
	struct coll *cs = arg;

	if (cd_strlcpy(pw, cs->pw, len) >= len)
		return cd_err_set(err, CD_E_PASSWORD, "The password is too "
		    "long.");
	return 0;
}

static int
ask_folder(void *arg, struct cd_drive *d, char *dir, size_t len,
    struct cd_err *err)
{
	struct coll *cs = arg;
	int r;

	asking(cs);
	r = folder_choose(cs->s.t, cs->folder, dir, len);

	if (r == 1) {
		cd_strlcpy(cs->folder, dir, sizeof(cs->folder));
		return 0;
	}
	return cd_err_set(err, CD_E_CANCELLED, "The folder selection was "
	    "cancelled.");
}

static int
ask_overwrite(void *arg, struct cd_drive *d,
    const struct cd_drive_existing *ex, struct cd_err *err)
{
	/* The safe choice first: it has the focus. */
	static const struct button b[] = {
		{ "f Change folder", 'f', 1, 0 },
		{ "c Continue (overwrite)", 'c', 0, 0 },
		{ "x Cancel", 'x', 2, 0 },
	};
	struct coll *cs = arg;
	char text[CD_ERR_MSGLEN], *p;
	size_t used;
	int i, k;

	asking(cs);
	used = (size_t)snprintf(text, sizeof(text), "The folder already "
	    "contains certificate files. Files with the same name as this "
	    "request's files will be overwritten.\nOverwritten: %s",
	    ex->nsame ? "" : "none.");
	for (i = 0; i < ex->nsame && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "%s%s", i ? ", " : "", ex->same[i]);
	if (used < sizeof(text))
		snprintf(text + used, sizeof(text) - used, "%s\nOther "
		    "certificate files there (kept): %d.", ex->nsame ? "." :
		    "", ex->nother);
	for (p = text; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' && *p != '\n')
			*p = '?';
	k = tui_choice(cs->s.t, "Certificate files found", text, b, 3);
	if (k == 1)
		return CD_DRIVE_OVERWRITE;
	if (k == 0)
		return CD_DRIVE_OTHER_FOLDER;
	return cd_err_set(err, CD_E_CANCELLED, "The folder selection was "
	    "cancelled.");
}

static int
ask_store(void *arg, struct cd_drive *d, const char *store, int tries_left,
    const struct cd_err *last, char *pw, size_t len, struct cd_err *err)
{
	struct coll *cs = arg;
	char title[96];

	asking(cs);
	if (last != NULL)
		tui_error(cs->s.t, last);
	snprintf(title, sizeof(title), "Personal certificate store (%d "
	    "tr%s left)", tries_left, tries_left == 1 ? "y" : "ies");
	pw[0] = '\0';
	if (tui_prompt(cs->s.t, title, "Store password:", pw, len, 1) != 1)
		return cd_err_set(err, CD_E_CANCELLED, "The store password "
		    "prompt was cancelled.");
	return 0;
}

static int
on_usb(void *arg, struct cd_drive *d, int phase,
    const struct cd_usb_drive *list, int n)
{
	struct coll *cs = arg;

	if (phase == CD_DRIVE_USB_START)
		asking(cs);
	return usb_dialog(cs->s.t, phase, list, n);
}

static int
on_wait(void *arg, struct cd_drive *d, struct pollfd *fds, int nfds, int ms)
{
	struct coll *cs = arg;

	return usb_dialog_wait(cs->s.t, fds, nfds, ms);
}

static void
on_delivering(void *arg, struct cd_drive *d)
{
	struct coll *cs = arg;

	cs->progress[0] = '\0';
	cs->ptotal = 0;
	cs->pdirty = 1;
	items_refresh(cs);
}

static void
ui_init(struct coll *cs)
{
	memset(&cs->ui, 0, sizeof(cs->ui));
	cs->ui.arg = cs;
	cs->ui.folder = ask_folder;
	cs->ui.overwrite = ask_overwrite;
	cs->ui.password = ask_password;
	cs->ui.store_password = ask_store;
	cs->ui.usb = on_usb;
	cs->ui.wait = on_wait;
	cs->ui.progress = on_progress;
	cs->ui.delivering = on_delivering;
	cs->ui.usb_wait_ms = -1;
}

/* Why something failed: never an empty text. */
static const char *
reason(const struct cd_err *why, int rc)
{
	if (why != NULL && why->msg[0] != '\0')
		return why->msg;
	if (cd_strerror(rc) != NULL && cd_strerror(rc)[0] != '\0')
		return cd_strerror(rc);
	return "an unknown error";
}

/* After a failed run: say what was undone; a fresh preview for a retry. */
static void
failed(struct coll *cs, int rc, const struct cd_err *why)
{
	struct cd_err err;
	char undone[512];
	int begun = cd_drive_begun(cs->d);

	cd_strlcpy(undone, cd_drive_undone(cs->d), sizeof(undone));
	if (undone[0] == '\0')
		cd_strlcpy(undone, "the collection was rolled back",
		    sizeof(undone));
	cs->progress[0] = '\0';
	cs->ptotal = 0;
	if (rc == CD_E_LOST || cs->lost)
		note(cs, "Collection failed and was undone: it was aborted "
		    "after too long a wait; %s. Press Download to try again.",
		    undone);
	else if (rc == CD_E_CANCELLED && begun)
		note(cs, "Collection cancelled: %s. Press Download to try "
		    "again with new certificates.", undone);
	else if (rc == CD_E_CANCELLED)
		note(cs, "Collection cancelled: nothing was issued, no "
		    "certificate was made. Press Download to try again.");
	else if (begun)
		note(cs, "Collection failed and was undone: %s.", undone);
	else
		note(cs, "Nothing was issued: %s", reason(why, rc));
	if (preview(cs, &err) != 0) {
		cd_drive_free(cs->d);
		cs->d = NULL;
		tui_error(cs->s.t, &err);
	}
}

static void
blocked_status(struct coll *cs)
{
	tui_status(cs->s.t, "Download is not possible: %s.", cs->blocked);
	cs->s.t->status_err = 1;
}

/*
 * Run the collection: the one place the driver is started.  While it
 * waits on the operator (dialogs), the idle hook ticks it twice a
 * second, and quitting asks first.
 */
static int
run_driver(struct coll *cs, struct cd_err *err)
{
	struct tui *t = cs->s.t;
	int rc;

	cs->lost = 0;
	t->idle = on_idle;
	t->idle_arg = cs;
	t->idle_ms = COLLECT_TICK_MS;
	t->busy = is_busy;
	t->busy_arg = cs;
	cs->running = 1;
	rc = cd_drive_run(cs->d, err);
	cs->running = 0;
	t->idle = NULL;
	t->idle_arg = NULL;
	t->idle_ms = 0;
	t->busy = NULL;
	t->busy_arg = NULL;
	return rc;
}

static void
download(struct coll *cs)
{
	struct tui *t = cs->s.t;
	struct cd_err err;
	int rc, usb;

	cd_err_clear(&err);
	if (cs->done)
		return;
	if (cs->d == NULL && (rc = preview(cs, &err)) != 0) {
		tui_error(t, &err);
		return;
	}
	if (cs->blocked[0] != '\0') {
		blocked_status(cs);
		return;
	}
	if (cs->user_pin && typed_password(cs, &err) != 0)
		return;
	/* The driver takes its copy from cs->pw: clear the fields. */
	fields_clear(cs);
	cs->note[0] = '\0';
	tui_status(t, "%s", "");
	rc = run_driver(cs, &err);
	OPENSSL_cleanse(cs->pw, PW_MAX);
	if (rc != 0) {
		if (err.msg[0] == '\0')
			cd_err_set(&err, rc, "%s", reason(&err, rc));
		failed(cs, rc, &err);
		if (rc != CD_E_CANCELLED)
			tui_error(t, &err);
		to_buttons(cs, 0);
		return;
	}
	items_refresh(cs);
	usb = (cd_drive_preview(cs->d)->storages & (1u << CD_STORE_AUTOSAVE))
	    != 0;
	cd_drive_free(cs->d);
	cs->d = NULL;
	cs->done = 1;
	cs->progress[0] = '\0';
	cs->ptotal = 0;
	tui_status(t, "%s", "");
	note(cs, "Download complete: the certificates are saved and the "
	    "request is completed.%s", usb ? " The USB drive can be "
	    "removed safely." : "");
	bar_build(cs);
	set_focus(cs, 1);
	cs->bb.focus = B_PRINT;
}

/* Close: nothing was begun outside Download, so nothing to undo. */
static void
close_collect(struct coll *cs)
{
	cd_drive_free(cs->d);
	cs->d = NULL;
}

/* ------------------------------------------------------------ keys */

static int
button(struct coll *cs, int id)
{
	switch (id) {
	case B_DOWNLOAD:
		download(cs);
		break;
	case B_PRINT:
		tui_print_transport(cs->s.t, cs->rid);
		break;
	case B_CLOSE:
		close_collect(cs);
		return TUI_BACK;
	}
	return tui_signalled ? TUI_QUIT : TUI_OK;
}

/* A key typed into the current password field: 1 if taken. */
static int
field_edit(struct coll *cs, int ch)
{
	char *b = cs->typed[cs->cur];
	size_t n = strlen(b);

	switch (ch) {
	case KEY_BACKSPACE:
	case 127:
	case TUI_CTRL('h'):
		while (n > 0 && ((unsigned char)b[n - 1] & 0xc0) == 0x80)
			b[--n] = '\0';	/* a UTF-8 continuation byte */
		if (n > 0)
			b[--n] = '\0';
		break;
	case TUI_CTRL('u'):
		OPENSSL_cleanse(b, PW_MAX);
		break;
	default:
		if (ch < ' ' || ch > 0xff || ch == 127)
			return 0;
		if (n + 1 >= PW_MAX) {
			tui_status(cs->s.t, "The password cannot be longer.");
			cs->s.t->status_err = 1;
			break;
		}
		b[n] = (char)ch;
		b[n + 1] = '\0';
	}
	cs->fdirty = 1;
	return 1;
}

static int
field_key(struct coll *cs, int ch)
{
	if (field_edit(cs, ch))
		return TUI_OK;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (cs->cur == 0) {
			cs->cur = 1;
			cs->fdirty = 1;
			return TUI_OK;
		}
		return button(cs, B_DOWNLOAD);
	case KEY_UP:
	case KEY_BTAB:
	case TUI_CTRL('p'):
		cs->cur = 0;
		cs->fdirty = 1;
		break;
	case '\t':
	case KEY_DOWN:
	case TUI_CTRL('n'):
		if (cs->cur == 0) {
			cs->cur = 1;
			cs->fdirty = 1;
			break;
		}
		/* FALLTHROUGH */
	case TUI_ESC:
		set_focus(cs, 1);
		break;
	}
	return TUI_OK;
}

/* A disabled button pressed: say why on the status line; 1 if so. */
static int
disabled_pressed(struct coll *cs, int ch)
{
	struct tui *t = cs->s.t;
	int i = -1, k;

	if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
		i = cs->bb.focus;
	else
		for (k = 0; k < cs->bb.n; k++)
			if (cs->bb.b[k].key == ch)
				i = k;
	if (i < 0 || i >= cs->bb.n || !cs->bb.b[i].disabled)
		return 0;
	if (cs->bb.b[i].id == B_PRINT)
		tui_status(t, "You can print the transport document after the "
		    "download.");
	else if (cs->done)
		tui_status(t, "The certificates are already downloaded.");
	else if (cs->blocked[0] != '\0') {
		blocked_status(cs);
		return 1;
	} else
		return 0;
	t->status_err = 1;
	return 1;
}

static int
coll_key(struct screen *s, int ch)
{
	struct coll *cs = (struct coll *)s;
	int id;

	if (cs->focus == 0)
		return field_key(cs, ch);
	switch (ch) {
	case '\t':
	case KEY_BTAB:
	case TUI_CTRL('n'):
	case TUI_CTRL('p'):
	case KEY_UP:
		set_focus(cs, 0);
		return TUI_OK;
	case 'q':
	case TUI_ESC:
		return button(cs, B_CLOSE);
	}
	if (disabled_pressed(cs, ch))
		return TUI_OK;
	id = bbar_key(s->t, &cs->bb, ch);
	if (id == TUI_KEY_SIGNAL)
		return TUI_QUIT;
	return id >= 0 ? button(cs, id) : TUI_OK;
}

static void
coll_free(struct screen *s)
{
	struct coll *cs = (struct coll *)s;
	int i;

	close_collect(cs);
	if (s->t->idle_arg == cs) {
		s->t->idle = NULL;
		s->t->idle_ms = 0;
	}
	if (s->t->busy_arg == cs)
		s->t->busy = NULL;
	for (i = 0; i < 2; i++)
		cd_secret_free(cs->typed[i], PW_MAX);
	cd_secret_free(cs->pw, PW_MAX);
	free(cs);
}

static const struct screen_ops coll_ops = {
	"Collect Soft Certificates", collect_help, coll_keys, coll_draw,
	NULL, coll_cursor, coll_key, NULL, coll_free
};

struct screen *
screen_collect_new(struct tui *t, int64_t request_id)
{
	struct coll *cs;
	struct cd_err err;

	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return NULL;
	cs->s.ops = &coll_ops;
	cs->s.t = t;
	cs->rid = request_id;
	if (getcwd(cs->folder, sizeof(cs->folder)) == NULL)
		cd_strlcpy(cs->folder, "/", sizeof(cs->folder));
	ui_init(cs);
	cd_err_clear(&err);
	if ((cs->pw = cd_secret_alloc(PW_MAX)) == NULL ||
	    (cs->typed[0] = cd_secret_alloc(PW_MAX)) == NULL ||
	    (cs->typed[1] = cd_secret_alloc(PW_MAX)) == NULL) {
		cd_err_set(&err, CD_E_NOMEM, "No memory for the password.");
		goto fail;
	}
	if (preview(cs, &err) != 0)
		goto fail;
	cs->has_fields = cs->user_pin;
	if (cs->blocked[0] != '\0')
		note(cs, "Download is not possible: %s.", cs->blocked);
	bar_build(cs);
	set_focus(cs, cs->user_pin ? 0 : 1);
	return &cs->s;
fail:
	tui_error(t, &err);
	coll_free(&cs->s);
	return NULL;
}
