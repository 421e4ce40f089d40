/* SPDX-License-Identifier: ISC */
/*
 * tui-int.h - private interfaces of the operator UI: the screen stack and
 * frame (tui.c), line lists, button bars and dialogs (widget.c), forms
 * described as data (form.c) and the constructors of the screens.
 *
 * Drawing model: key handlers change state and mark it dirty; tui_flush()
 * is the one place that draws (into stdscr) and calls doupdate(), once
 * per input.  Modal dialogs run their own key loop through tui_getkey()
 * and register an overlay so that a resize redraws the whole stack.
 */
#ifndef CD_TUI_INT_H
#define CD_TUI_INT_H

#include <curses.h>
#include <form.h>
#include <signal.h>
#include <stdint.h>

#include "certdesk/collect.h"
#include "certdesk/engine.h"
#include "api.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27
/* tui_getkey() returns this when SIGHUP/SIGTERM/SIGINT arrived. */
#define TUI_KEY_SIGNAL (KEY_MAX + 1)

/* Frame rows: header, title, body [TUI_BODY, tui_bar_row()), bar, status, keys. */
#define TUI_BODY 2
#define tui_bar_row() (LINES - 3)
#define tui_status_row() (LINES - 2)
#define tui_keys_row() (LINES - 1)
#define tui_body_rows() (LINES - 3 - TUI_BODY)

/* What a key handler asks the loop to do. */
enum tui_reaction {
	TUI_OK = 0,		/* handled (or ignored); stay */
	TUI_BACK,		/* close this screen */
	TUI_QUIT		/* leave the program */
};

struct tui;
struct screen;

struct screen_ops {
	const char *title;
	const char *help;	/* shown by '?' */
	/* Footer text for the current focus. */
	const char *(*keys)(struct screen *s);
	/* full: everything in the body; else only what the screen marked. */
	void (*draw)(struct screen *s, int full);
	/* Save typed input (REQ_VALIDATION) and unpost forms; may be NULL. */
	void (*unpost)(struct screen *s);
	/* Put the terminal cursor where typing goes; may be NULL. */
	void (*cursor)(struct screen *s);
	int (*key)(struct screen *s, int ch);
	/* Back on top after a child closed: reload data; may be NULL. */
	void (*reload)(struct screen *s);
	void (*free)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	struct tui *t;
	struct screen *below;
	char title[128];	/* "" = ops->title */
	int typing;		/* focus in a text field: '?' and letters type */
};

/* A modal dialog being shown on top of the screens. */
struct overlay {
	void (*draw)(void *arg, int full);
	void (*unpost)(void *arg);
	void (*cursor)(void *arg);
	void *arg;
	struct overlay *below;
};

struct tui {
	struct cd_api *a;	/* the only way to the engine */
	struct cd_person op;	/* the operator (whoami at start) */
	struct screen *top;
	struct overlay *ov;
	int full;		/* redraw everything */
	int small;		/* below 80x24 */
	int cursor_on;
	char status[CD_ERR_MSGLEN];
	int status_err;
	int status_dirty;
	/* Called now and then while waiting for a key (heartbeats). */
	int (*idle)(void *arg);
	void *idle_arg;
	int64_t idle_last;	/* ms, monotonic */
	int idle_ms;		/* at most this apart; 0: every 10 s */
	/*
	 * Set by a screen while a collection is in progress (returns 1):
	 * quitting then asks first.  May be NULL.
	 */
	int (*busy)(void *arg);
	void *busy_arg;
	/*
	 * The hint line while the dialog ov_keys_for is on top (set by a
	 * dialog with keys of its own, such as the folder browser).
	 */
	const char *(*ov_keys)(void *arg);
	struct overlay *ov_keys_for;
};

extern volatile sig_atomic_t tui_signalled;

/* ---- tui.c --------------------------------------------------------- */
void tui_push(struct tui *t, struct screen *s);
/* Draw what is dirty and update the terminal once. */
void tui_flush(struct tui *t);
/* Flush, then wait for a key; handles resize, too-small, signals. */
int tui_getkey(struct tui *t);
/* The same, giving up after ms milliseconds with ERR. */
int tui_waitkey(struct tui *t, int ms);
void tui_status(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An engine error: the status line if it fits, else a dialog. */
void tui_error(struct tui *t, const struct cd_err *err);
void tui_overlay_push(struct tui *t, struct overlay *o);
void tui_overlay_pop(struct tui *t, struct overlay *o);
void tui_help(struct tui *t, const char *title, const char *text);
/* The credential profile with this id, or NULL. */
const struct cd_profile *tui_profile(struct tui *t, const char *id);
/* Print at (y, x) at most w columns, padding with blanks to w. */
void tui_put(int y, int x, int w, const char *s);

/* ---- keys.c: terminal input ---------------------------------------- */
/* Set ESCDELAY (150 ms, or $ESCDELAY). */
void tui_keys_init(void);
int tui_escdelay(void);
/*
 * The key for what getch() returned, reading the rest of an escape
 * sequence: arrows, PgUp/PgDn/Home/End/Delete in every common form,
 * KEY_F(1) for the help keys (^G, ESC ?, F1), TUI_ESC only for a bare
 * ESC; tui_key_ignored() is true for a sequence to ignore.
 */
int tui_key_decode(int ch);
int tui_key_ignored(int ch);
/* 0 when $TERM cannot address the cursor (dumb, hard-copy). */
int tui_term_usable(void);
/* Ask before quitting when t->busy says a collection is running. */
int tui_quit_ok(struct tui *t);

/* ---- widget.c: lines ------------------------------------------------- */
struct lines {
	char **v;
	int64_t *ids;		/* per line, 0 = not selectable */
	int n, cap;
};
void lines_clear(struct lines *l);
void lines_add(struct lines *l, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append s cut or padded to w columns, then one blank. */
void tui_col(char *buf, size_t len, const char *s, int w);
/*
 * Display cells, for every screen: s (UTF-8) fitted into w terminal
 * cells, measured with wcwidth() in a UTF-8 locale; a character the
 * locale cannot show (any non-ASCII one under LANG=C, a control
 * character) is one '?' cell.  Text longer than w ends with "..."
 * (TUI_ELLIPSIS); trailing blanks do not count.  pad: fill to w with
 * blanks.  Returns the cells used.
 */
#define TUI_ELLIPSIS "..."
int tui_fit(char *out, size_t len, const char *s, int w, int pad);
/* Cells s takes on the screen. */
int tui_cells(const char *s);
/*
 * Add text to l word-wrapped to w cells: the first line starts with
 * label padded to indent cells, the others with indent blanks.
 */
void lines_wrap(struct lines *l, const char *label, int indent,
    const char *text, int w);
/* A row (or with r == NULL the heading) of a request list w wide. */
void tui_request_row(char *buf, size_t len, const struct cd_request *r,
    int w);

void tui_device_row(char *buf, size_t len, const struct cd_device *d,
    int w);
void tui_cert_row(char *buf, size_t len, const struct cd_cert *c, int w);

/* Listing callbacks that add one row w wide to l per record. */
struct rowctx {
	struct lines *l;
	int w;
};
int tui_rows_request(const struct cd_request *r, void *arg);
int tui_rows_device(const struct cd_device *d, void *arg);
int tui_rows_cert(const struct cd_cert *c, void *arg);

/* A scrolling list of lines with a selection (or a plain text view). */
struct tlist {
	struct lines *l;
	int y, x, h, w;		/* placement, set by the screen's draw */
	int sel, top;
	int view;		/* 1: no selection, Up/Down scroll */
	int focused;
	int dirty;		/* TL_ALL or TL_SEL */
	int old_sel;
	const char *empty;	/* shown when there are no lines */
};
#define TL_SEL 1
#define TL_ALL 2
void tlist_init(struct tlist *tl, struct lines *l, int view);
void tlist_reset(struct tlist *tl);
/* Up/Down/PgUp/PgDn/Home/End: 1 if handled. */
int tlist_key(struct tlist *tl, int ch);
void tlist_draw(struct tlist *tl, int full);
int64_t tlist_id(const struct tlist *tl);
/* "rows 1-17 of 55, more below" */
void tlist_where(const struct tlist *tl, char *buf, size_t len);

/* A button bar: actions with letter keys; the rest behind "...". */
struct button {
	const char *label;
	int key;		/* letter */
	int id;
	int disabled;
};
struct bbar {
	struct button b[12];
	int n;
	int focus;
	int nshown;		/* buttons before the "..." entry */
	int more;		/* 1 if there is a "..." entry */
	int focused;
	int dirty;
};
void bbar_clear(struct bbar *bb);
void bbar_add(struct bbar *bb, const char *label, int key, int id,
    int disabled);
/* Lay out for width w, at most maxshown buttons, draw at (y, x). */
void bbar_draw(struct bbar *bb, int y, int x, int w, int maxshown);
/*
 * Keys: Left/Right move, Enter activates, letters activate directly,
 * '.' opens the rest.  Returns the id chosen, -1 if not an activation,
 * -2 if handled without a choice.
 */
int bbar_key(struct tui *t, struct bbar *bb, int ch);

/* Tabs over lists: a tabs row, a heading and a list per tab. */
#define TV_MAX 4
struct tabview {
	const char *const *labels;
	int n, cur;
	struct lines l[TV_MAX];
	struct tlist tl[TV_MAX];
	char head[TV_MAX][256];	/* column heading or "" */
	int dirty;		/* the tab changed */
};
void tabview_init(struct tabview *tv, const char *const *labels, int n);
void tabview_draw(struct tabview *tv, int full);
/* Tab/^N/Right, ^P/Left, 1-4, and the list keys: 1 if handled. */
int tabview_key(struct tabview *tv, int ch);
void tabview_cursor(struct tabview *tv);
void tabview_free(struct tabview *tv);

/* Dialogs: each returns TUI_KEY_SIGNAL when a signal arrived. */
int tui_msgbox(struct tui *t, const char *title, const char *text);
/* Returns the index of the button chosen or -1 (ESC). */
int tui_choice(struct tui *t, const char *title, const char *text,
    const struct button *b, int n);
/* A drop-down list: index chosen or -1. */
int tui_menu(struct tui *t, const char *title, const char *const *items,
    int n, int sel);
/* One line of input; masked for secrets.  1 = OK, 0 = cancelled. */
int tui_prompt(struct tui *t, const char *title, const char *label,
    char *buf, size_t len, int masked);
/* Draw a framed box; returns nothing. Interior is blanked. */
void tui_box(int y, int x, int h, int w, const char *title);

/* ---- form.c: forms as data ------------------------------------------ */
enum fd_type { FD_TEXT, FD_NUMBER, FD_DATE, FD_PASSWORD, FD_CHOICE, FD_PATH };

struct field_def {
	const char *label;
	enum fd_type type;
	int width;
	int row, col;		/* label position, row relative to y0 */
	int lwidth;		/* label column; the field follows it */
	int group;		/* 0 = always shown; else shown with its group */
};

struct tform {
	const struct field_def *defs;
	int n;
	FIELD **f;
	FORM *form;
	WINDOW *sub;
	int y0, x0;		/* where row 0 / column 0 of the defs go */
	int posted;
	int focused;
	unsigned groups;	/* groups shown (bit per group) */
	const char *const **items;	/* FD_CHOICE items per field */
	int *nitems;
	int *sel;
};

struct tform *tform_new(const struct field_def *defs, int n, int y0);
void tform_free(struct tform *tf);
void tform_set_items(struct tform *tf, int i, const char *const *items,
    int n);
int tform_choice(const struct tform *tf, int i);
void tform_set_choice(struct tform *tf, int i, int sel);
void tform_show_group(struct tform *tf, int group, int on);
/* Move the form (only takes effect at the next full draw). */
void tform_place(struct tform *tf, int y0, int x0);
/* Draw labels and post (full), keeping what was typed. */
void tform_draw(struct tform *tf, int full);
void tform_unpost(struct tform *tf);
void tform_cursor(struct tform *tf);
int tform_current(const struct tform *tf);
void tform_set_current(struct tform *tf, int i);
/* First / last field that is shown. */
int tform_first(const struct tform *tf);
int tform_last(const struct tform *tf);
/*
 * Editing keys and Up/Down/Tab/^N/^P between fields.  Returns 1 if
 * handled; 0 for keys the screen decides (Enter, ESC, Tab off the ends).
 * Enter/space on a drop-down opens its list.
 */
int tform_key(struct tui *t, struct tform *tf, int ch);
/* The text of field i: trimmed (passwords only at the end). */
void tform_get(struct tform *tf, int i, char *buf, size_t len);
/* Empty field i; password buffers are overwritten with blanks first. */
void tform_clear(struct tform *tf, int i);
void tform_set(struct tform *tf, int i, const char *text);

/* ---- screens ------------------------------------------------------- */
struct screen *screen_search_new(struct tui *t);
struct screen *screen_people_new(struct tui *t);
struct screen *screen_devices_new(struct tui *t);
struct screen *screen_request_new(struct tui *t, int64_t id);
struct screen *screen_person_new(struct tui *t, int64_t id);
struct screen *screen_device_new(struct tui *t, int64_t id);
/* The Collect dialog (a preview: nothing is taken); NULL, error shown. */
struct screen *screen_collect_new(struct tui *t, int64_t request_id);
/*
 * The folder browser.  start: where to begin; out gets the chosen folder.
 * Returns 1 chosen, 0 cancelled, TUI_KEY_SIGNAL.
 */
int folder_choose(struct tui *t, const char *start, char *out, size_t len);
/*
 * The AutoSave wait (dialog-usb.c), driven by the collection driver:
 * usb_dialog() at each phase (enum cd_drive_usb_phase, drive.h) with the
 * drives seen; usb_dialog_wait() waits up to ms for fds or a key.  Both
 * return non-zero when the operator cancels.
 */
struct cd_usb_drive;
struct pollfd;
int usb_dialog(struct tui *t, int phase, const struct cd_usb_drive *list,
    int n);
int usb_dialog_wait(struct tui *t, struct pollfd *fds, int nfds, int ms);
/*
 * Print or save the transport document of a request (dialog-print.c):
 * asks printer or PostScript file, reports the outcome on the status line.
 */
void tui_print_transport(struct tui *t, int64_t request_id);

/* Helpers shared by screens (screen-request.c). */
void tui_open_request(struct tui *t, int64_t id);
void tui_open_person(struct tui *t, int64_t id);
void tui_open_device(struct tui *t, int64_t id);
/* "Susan Smith (Susan.Smith)" or "person 12" */
void tui_person_text(struct tui *t, int64_t id, char *buf, size_t len);
/* "tabs" row: labels with the current one in reverse video. */
void tui_tabs(int y, const char *const *labels, int n, int cur);

#endif
