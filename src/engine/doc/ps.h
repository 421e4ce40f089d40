/* SPDX-License-Identifier: ISC */
/*
 * ps.h - a small DSC-conforming PostScript 3.0 writer for letters:
 * headings, word-wrapped paragraphs and tables on A4 or Letter paper, in
 * the standard Helvetica and Courier fonts re-encoded to ISO Latin-1 with
 * the Euro sign at \200.
 *
 * Text comes in as UTF-8 and is converted to Latin-1 (plus the Euro sign);
 * characters outside that set print as '?'.  Lines are wrapped by the
 * fonts' real glyph widths (the standard Adobe metrics) and pages are
 * broken when they fill.  Every buffer the writer uses is wiped when it
 * is grown or freed, so a document may carry a secret.
 */
#ifndef CD_PS_H
#define CD_PS_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/error.h"

/* A growable byte buffer that wipes what it held (OPENSSL_cleanse). */
struct cd_psbuf {
	char *p;
	size_t len, cap;
	int failed;		/* an allocation failed; p is unchanged */
};

void cd_psbuf_add(struct cd_psbuf *b, const char *s, size_t n);
void cd_psbuf_adds(struct cd_psbuf *b, const char *s);
void cd_psbuf_addf(struct cd_psbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Wipe and free the contents; b is empty afterwards. */
void cd_psbuf_wipe(struct cd_psbuf *b);

enum cd_ps_font {
	CD_PS_REGULAR = 0,	/* Helvetica */
	CD_PS_BOLD,		/* Helvetica-Bold */
	CD_PS_MONO,		/* Courier */
	CD_PS_MONO_BOLD,	/* Courier-Bold */
	CD_PS__NFONTS
};

#define CD_PS_MAXCOLS 16	/* columns of a table */

struct cd_ps_cell {
	const char *text;	/* UTF-8 */
	int font;		/* enum cd_ps_font */
	double size;		/* points; 0 = the table's size */
};

struct cd_ps;

/*
 * Start a document.  paper is "A4" or "Letter" (any case; NULL = A4).
 * title goes into %%Title and must be neutral text (never a secret);
 * date is the %%CreationDate (0 = now).
 */
int cd_ps_new(struct cd_ps **ps, const char *paper, const char *title,
    int64_t date, struct cd_err *err);

void cd_ps_heading(struct cd_ps *ps, const char *text);
void cd_ps_paragraph(struct cd_ps *ps, const char *text);
/*
 * A table of nrows x ncols cells, row-major.  The first header_rows rows
 * are repeated when the table continues on a new page, and a rule is
 * drawn under them.
 */
void cd_ps_table(struct cd_ps *ps, int nrows, int ncols,
    const struct cd_ps_cell *cells, int header_rows);
/* Start a new page (nothing happens at the top of an empty page). */
void cd_ps_page_break(struct cd_ps *ps);

/*
 * Finish: *out gets the whole document (malloc'd; wipe it with
 * OPENSSL_cleanse before free), *outlen its length.  ps is freed in any
 * case.
 */
int cd_ps_finish(struct cd_ps *ps, char **out, size_t *outlen,
    struct cd_err *err);
/* Discard an unfinished document, wiping it. */
void cd_ps_free(struct cd_ps *ps);

/*
 * Convert UTF-8 to the writer's Latin-1 encoding (€ = 0x80; curly quotes
 * and dashes to their ASCII forms; tabs to spaces; control characters
 * and invalid UTF-8 to '?').  A run of other characters goes between
 * square brackets, Greek and Cyrillic letters transliterated, anything
 * else as '?': "Ωmega" -> "[O]mega", "Юрий" -> "[Yurij]".  Writes at
 * most outlen - 1 bytes and a NUL; returns the length written.
 */
size_t cd_ps_latin1(const char *utf8, char *out, size_t outlen);

/* Width in points of Latin-1 text in font at size points. */
double cd_ps_text_width(int font, const char *latin1, size_t len,
    double size);

#endif
