/* SPDX-License-Identifier: ISC */
/*
 * screen-folder.c - the folder browser for FileStore delivery: move
 * through folders with the arrow keys and Enter, type a path directly,
 * create a folder, and choose the current one.  A modal dialog over the
 * Collect screen; it only browses, the engine does the writing.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

struct fold {
	struct tui *t;
	char cwd[CD_PATH_MAX];
	struct lines ents;
	struct tlist tl;
	struct tform *tf;
	int focus;		/* 0 list, 1 path field */
	int ndirs, nfiles;
	char msg[CD_ERR_MSGLEN];
	int msg_err;
	int y, x, h, w;
};

static const struct field_def path_def[] = {
	{ "Folder:", FD_PATH, 66, 0, 0, 8, 0 },
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the sub-folders of dir; 0 or -1 with msg set. */
static int
fold_load(struct fold *fd, const char *dir)
{
	char real[PATH_MAX], path[PATH_MAX * 2];
	struct lines names;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int i;

	if (realpath(dir, real) == NULL || (d = opendir(real)) == NULL) {
		snprintf(fd->msg, sizeof(fd->msg), "Cannot open the folder "
		    "%s: %s.", dir, strerror(errno));
		fd->msg_err = 1;
		return -1;
	}
	memset(&names, 0, sizeof(names));
	lines_clear(&fd->ents);
	fd->ndirs = fd->nfiles = 0;
	cd_strlcpy(fd->cwd, real, sizeof(fd->cwd));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", real, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			lines_add(&names, 1, "%s/", de->d_name);
			fd->ndirs++;
		} else
			fd->nfiles++;
	}
	closedir(d);
	if (names.n > 1)
		qsort(names.v, (size_t)names.n, sizeof(char *), cmp_str);
	if (strcmp(real, "/") != 0)
		lines_add(&fd->ents, 1, "../");
	for (i = 0; i < names.n; i++)
		lines_add(&fd->ents, 1, "%s", names.v[i]);
	lines_clear(&names);
	tlist_reset(&fd->tl);
	tform_set(fd->tf, 0, fd->cwd);
	fd->t->full = 1;
	return 0;
}

static void
fold_draw(void *arg, int full)
{
	struct fold *fd = arg;
	char buf[128];

	if (full) {
		fd->y = TUI_BODY;
		fd->x = 0;
		fd->h = tui_bar_row() - TUI_BODY + 1;
		fd->w = COLS;
		tui_box(fd->y, fd->x, fd->h, fd->w, "Select the folder for the "
		    "certificate files");
		tform_place(fd->tf, fd->y + 1, fd->x + 2);
		tform_draw(fd->tf, 1);
		snprintf(buf, sizeof(buf), "%d folder%s, %d file%s here",
		    fd->ndirs, fd->ndirs == 1 ? "" : "s", fd->nfiles,
		    fd->nfiles == 1 ? "" : "s");
		tui_put(fd->y + 2, fd->x + 2, fd->w - 4, buf);
		fd->tl.y = fd->y + 3;
		fd->tl.x = fd->x + 2;
		fd->tl.h = fd->h - 5;
		fd->tl.w = fd->w - 4;
		tui_put(fd->y + fd->h - 1, fd->x + 2, fd->w - 4,
		    " s save here  ESC cancel  ^G help ");
	}
	fd->tl.focused = fd->focus == 0;
	tlist_draw(&fd->tl, full);
	if (fd->msg_err)
		attron(A_BOLD);
	tui_put(fd->y + fd->h - 2, fd->x + 2, fd->w - 4, fd->msg);
	if (fd->msg_err)
		attroff(A_BOLD);
}

/* The hint line: the keys of the list or of the path field. */
static const char *
fold_keys(void *arg)
{
	struct fold *fd = arg;

	if (fd->focus == 1)
		return " Type a path  Enter go there  Tab/ESC back to the list  "
		    "^G help";
	return " Enter open  BS/u up  s save here  n new  / or g type path  "
	    "ESC cancel  ^G help";
}

static void
fold_unpost(void *arg)
{
	tform_unpost(((struct fold *)arg)->tf);
}

static void
fold_cursor(void *arg)
{
	struct fold *fd = arg;

	if (fd->focus == 1) {
		tform_cursor(fd->tf);
		return;
	}
	curs_set(0);
	move(fd->tl.y + fd->tl.sel - fd->tl.top, fd->tl.x);
}

static void
fold_msg(struct fold *fd, int err, const char *msg)
{
	cd_strlcpy(fd->msg, msg, sizeof(fd->msg));
	fd->msg_err = err;
}

static void
fold_open(struct fold *fd, const char *name)
{
	char path[CD_PATH_MAX * 2];

	if (name[0] == '/')
		cd_strlcpy(path, name, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s", fd->cwd, name);
	if (fold_load(fd, path) == 0)
		fold_msg(fd, 0, "");
}

static void
fold_new(struct fold *fd)
{
	char name[CD_FIELD_MAX] = "", path[CD_PATH_MAX * 2];
	struct cd_err err;

	if (tui_prompt(fd->t, "New folder", "Folder name:", name,
	    sizeof(name), 0) != 1 || name[0] == '\0')
		return;
	if (strchr(name, '/') != NULL || strcmp(name, "..") == 0 ||
	    strcmp(name, ".") == 0) {
		fold_msg(fd, 1, "A folder name cannot contain '/' or be "
		    "'.' or '..'.");
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", fd->cwd, name);
	if (cd_mkdir_p(path, 0700, &err) != 0) {
		fold_msg(fd, 1, err.msg);
		return;
	}
	fold_open(fd, path);
	snprintf(fd->msg, sizeof(fd->msg), "Folder %s created.", name);
}

static void
fold_typed(struct fold *fd)
{
	char path[CD_PATH_MAX];
	struct stat st;

	tform_get(fd->tf, 0, path, sizeof(path));
	if (path[0] == '\0')
		return;
	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') &&
	    getenv("HOME") != NULL) {
		char tmp[CD_PATH_MAX];

		snprintf(tmp, sizeof(tmp), "%s%s", getenv("HOME"), path + 1);
		cd_strlcpy(path, tmp, sizeof(path));
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		char m[CD_PATH_MAX + 64];

		snprintf(m, sizeof(m), "There is no folder %s.", path);
		fold_msg(fd, 1, m);
		return;
	}
	fold_open(fd, path);
	fd->focus = 0;
}

/* 1 chosen, 0 cancelled, -1 go on. */
static int
fold_list_key(struct fold *fd, int ch)
{
	const char *name;
	char buf[CD_PATH_MAX];

	if (tlist_key(&fd->tl, ch))
		return -1;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_RIGHT:
		if (fd->tl.sel >= fd->ents.n)
			break;
		name = fd->ents.v[fd->tl.sel];
		cd_strlcpy(buf, name, sizeof(buf));
		buf[strlen(buf) - 1] = '\0';	/* the '/' */
		fold_open(fd, buf);
		break;
	case KEY_BACKSPACE:
	case 127:
	case TUI_CTRL('h'):
	case KEY_LEFT:
	case '-':
	case 'u':
		fold_open(fd, "..");
		break;
	case 's':
		return 1;
	case 'n':
		fold_new(fd);
		break;
	case '/':
	case '\t':
	case 'g':
		fd->focus = 1;
		break;
	case 'q':
	case TUI_ESC:
		return 0;
	}
	return -1;
}

static void
fold_field_key(struct fold *fd, int ch)
{
	if (tform_key(fd->t, fd->tf, ch))
		return;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		fold_typed(fd);
		break;
	case '\t':
	case TUI_ESC:
	case KEY_DOWN:
		tform_set(fd->tf, 0, fd->cwd);
		fd->focus = 0;
		break;
	}
}

int
folder_choose(struct tui *t, const char *start, char *out, size_t len)
{
	struct fold fd;
	struct overlay o = { fold_draw, fold_unpost, fold_cursor, &fd, NULL };
	struct overlay *keys_for;
	const char *(*keys)(void *);
	int ch, r = -1;

	memset(&fd, 0, sizeof(fd));
	fd.t = t;
	tlist_init(&fd.tl, &fd.ents, 0);
	fd.tl.empty = "(no folders here)";
	if ((fd.tf = tform_new(path_def, 1, 0)) == NULL)
		return 0;
	if (fold_load(&fd, start) != 0 && fold_load(&fd, "/") != 0) {
		tform_free(fd.tf);
		return 0;
	}
	tui_overlay_push(t, &o);
	keys_for = t->ov_keys_for;
	keys = t->ov_keys;
	t->ov_keys = fold_keys;
	t->ov_keys_for = &o;
	while (r < 0) {
		ch = tui_getkey(t);
		if (ch == TUI_KEY_SIGNAL) {
			r = TUI_KEY_SIGNAL;
			break;
		}
		if (ch == KEY_F(1) || (ch == '?' && fd.focus == 0)) {
			tui_help(t, "Select a folder", "Choose the folder the "
			    ".pfx files are saved in.  Enter opens the folder "
			    "under the cursor, Backspace or u goes up, / or g "
			    "lets you type a path (Enter goes there, Tab or "
			    "ESC back to the list), n creates a folder here, "
			    "s saves into the folder shown, ESC or q cancels "
			    "the collection.");
			continue;
		}
		fd.tf->focused = fd.focus == 1;
		if (fd.focus == 1)
			fold_field_key(&fd, ch);
		else
			r = fold_list_key(&fd, ch);
		fd.tf->focused = fd.focus == 1;
	}
	if (r == 1)
		cd_strlcpy(out, fd.cwd, len);
	t->ov_keys = keys;
	t->ov_keys_for = keys_for;
	tui_overlay_pop(t, &o);
	tform_free(fd.tf);
	lines_clear(&fd.ents);
	return r;
}
