/* SPDX-License-Identifier: ISC */
/*
 * ps.c - a DSC-conforming PostScript 3.0 writer for letters: headings,
 * word-wrapped paragraphs and tables, paged on A4 or Letter, in Helvetica
 * and Courier re-encoded to ISO Latin-1 with the Euro sign at \200.
 * Text outside Latin-1 is printed between square brackets, Greek and
 * Cyrillic transliterated to Latin letters, anything else as '?'.
 *
 * Text is measured with the standard Adobe glyph widths (Helvetica and
 * Helvetica-Bold below; Courier is 600 units for every glyph).  The page
 * bodies are collected first and the header, which needs %%Pages, is
 * put in front at the end.  All buffers are wiped as they grow and when
 * they are freed: a PIN mailer carries a password.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "ps.h"
#include "util.h"

/* Layout, in points. */
#define MARGIN_X	64.0
#define MARGIN_TOP	72.0
#define MARGIN_BOTTOM	64.0
#define FOOT_Y		36.0
#define BODY_SIZE	11.0
#define BODY_LEAD	15.0
#define HEAD_SIZE	16.0
#define HEAD_LEAD	21.0
#define TABLE_SIZE	9.5
#define TABLE_LEAD	12.5
#define TABLE_PAD	3.0	/* above and below each row */
#define TABLE_GAP	10.0	/* between columns */
#define BLOCK_GAP	8.0	/* between blocks */
#define WRAP_COL	200	/* continue a PostScript line after this */

struct cd_ps {
	struct cd_psbuf body;
	const char *media;	/* "A4", "Letter" */
	double pw, ph;
	char title[128];
	int64_t date;
	int page;		/* current page, 0 = none yet */
	int content;		/* something was drawn on this page */
	double y;		/* top of the free space on the page */
	double gap;		/* space owed before the next block */
	int brk;		/* a page break is due before more text */
	int font;		/* selected on this page, -1 = none */
	double size;
};

/*
 * Widths of the glyphs of the writer's encoding (ISOLatin1Encoding with
 * /quotesingle at 047, /hyphen at 055, /grave at 0140 and /Euro at 0200),
 * in 1/1000 em, from the standard Adobe Helvetica metrics; 0 for slots
 * the writer never uses.
 */
static const unsigned short helvetica_widths[256] = {
	/*   0 */ 0, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/*  20 */ 0, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/*  40 */ 278, 278, 355, 556, 556, 889, 667, 191,
	          333, 333, 389, 584, 278, 333, 278, 278,
	/*  60 */ 556, 556, 556, 556, 556, 556, 556, 556,
	          556, 556, 278, 278, 584, 584, 584, 556,
	/* 100 */ 1015, 667, 667, 722, 722, 667, 611, 778,
	          722, 278, 500, 667, 556, 833, 722, 778,
	/* 120 */ 667, 778, 722, 667, 611, 722, 667, 944,
	          667, 667, 611, 278, 278, 278, 469, 556,
	/* 140 */ 333, 556, 556, 500, 556, 556, 278, 556,
	          556, 222, 222, 500, 222, 833, 556, 556,
	/* 160 */ 556, 556, 333, 500, 278, 556, 500, 722,
	          500, 500, 500, 334, 260, 334, 584, 0,
	/* 200 */ 556, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/* 220 */ 0, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/* 240 */ 278, 333, 556, 556, 556, 556, 260, 556,
	          333, 737, 370, 556, 584, 333, 737, 333,
	/* 260 */ 400, 584, 333, 333, 333, 556, 537, 278,
	          333, 333, 365, 556, 834, 834, 834, 611,
	/* 300 */ 667, 667, 667, 667, 667, 667, 1000, 722,
	          667, 667, 667, 667, 278, 278, 278, 278,
	/* 320 */ 722, 722, 778, 778, 778, 778, 778, 584,
	          778, 722, 722, 722, 722, 667, 667, 611,
	/* 340 */ 556, 556, 556, 556, 556, 556, 889, 500,
	          556, 556, 556, 556, 278, 278, 278, 278,
	/* 360 */ 556, 556, 556, 556, 556, 556, 556, 584,
	          611, 556, 556, 556, 556, 500, 556, 500,
};
static const unsigned short helvetica_bold_widths[256] = {
	/*   0 */ 0, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/*  20 */ 0, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/*  40 */ 278, 333, 474, 556, 556, 889, 722, 238,
	          333, 333, 389, 584, 278, 333, 278, 278,
	/*  60 */ 556, 556, 556, 556, 556, 556, 556, 556,
	          556, 556, 333, 333, 584, 584, 584, 611,
	/* 100 */ 975, 722, 722, 722, 722, 667, 611, 778,
	          722, 278, 556, 722, 611, 833, 722, 778,
	/* 120 */ 667, 778, 722, 667, 611, 722, 667, 944,
	          667, 667, 611, 333, 278, 333, 584, 556,
	/* 140 */ 333, 556, 611, 556, 611, 556, 333, 611,
	          611, 278, 278, 556, 278, 889, 611, 611,
	/* 160 */ 611, 611, 389, 556, 333, 611, 556, 778,
	          556, 556, 500, 389, 280, 389, 584, 0,
	/* 200 */ 556, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/* 220 */ 0, 0, 0, 0, 0, 0, 0, 0,
	          0, 0, 0, 0, 0, 0, 0, 0,
	/* 240 */ 278, 333, 556, 556, 556, 556, 280, 556,
	          333, 737, 370, 556, 584, 333, 737, 333,
	/* 260 */ 400, 584, 333, 333, 333, 611, 556, 278,
	          333, 333, 365, 556, 834, 834, 834, 611,
	/* 300 */ 722, 722, 722, 722, 722, 722, 1000, 722,
	          667, 667, 667, 667, 278, 278, 278, 278,
	/* 320 */ 722, 722, 778, 778, 778, 778, 778, 584,
	          778, 722, 722, 722, 722, 667, 667, 611,
	/* 340 */ 556, 556, 556, 556, 556, 556, 889, 556,
	          556, 556, 556, 556, 278, 278, 278, 278,
	/* 360 */ 611, 611, 611, 611, 611, 611, 611, 584,
	          611, 611, 611, 611, 611, 556, 611, 556,
};

static const char *const font_names[CD_PS__NFONTS] = {
	"Helvetica", "Helvetica-Bold", "Courier", "Courier-Bold"
};

/* ---- buffers ------------------------------------------------------------ */

static int
psbuf_grow(struct cd_psbuf *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->failed)
		return -1;
	if (b->len + need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 1024;
	while (cap < b->len + need + 1)
		cap *= 2;
	if ((p = cd_wipe_realloc(b->p, b->len, b->cap, cap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
cd_psbuf_add(struct cd_psbuf *b, const char *s, size_t n)
{
	if (psbuf_grow(b, n) != 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
cd_psbuf_adds(struct cd_psbuf *b, const char *s)
{
	cd_psbuf_add(b, s, strlen(s));
}

void
cd_psbuf_addf(struct cd_psbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || psbuf_grow(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
cd_psbuf_wipe(struct cd_psbuf *b)
{
	cd_wipe_free(b->p, b->cap);
	memset(b, 0, sizeof(*b));
}

/* ---- text --------------------------------------------------------------- */

/* One UTF-8 character: its length, or 0 if invalid. */
static size_t
utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

/* The byte of the writer's encoding for code point c. */
static unsigned char
latin1_of(unsigned long c)
{
	if (c == '\t')
		return ' ';
	if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff))
		return (unsigned char)c;
	switch (c) {
	case 0x20ac:
		return 0x80;
	case 0x2018: case 0x2019: case 0x201a: case 0x2032:
		return '\'';
	case 0x201c: case 0x201d: case 0x201e: case 0x2033:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2212:
		return '-';
	case 0x2002: case 0x2003: case 0x2009: case 0x202f:
		return ' ';
	default:
		return '?';
	}
}

/*
 * Greek and Cyrillic in Latin letters (ISO 843 and a common Cyrillic
 * romanisation, simplified): capitals, by code point from the first.
 */
static const char *const greek_caps[] = {	/* U+0391 .. U+03A9 */
	"A", "V", "G", "D", "E", "Z", "I", "Th", "I", "K", "L", "M", "N",
	"X", "O", "P", "R", NULL, "S", "T", "Y", "F", "Ch", "Ps", "O"
};
static const char *const cyr_caps[] = {		/* U+0410 .. U+042F */
	"A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "J", "K", "L", "M",
	"N", "O", "P", "R", "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh",
	"Shch", "\"", "Y", "'", "E", "Yu", "Ya"
};
static const char *const cyr_ext[] = {		/* U+0400 .. U+040F */
	"E", "Yo", "Dj", "G", "Ye", "Dz", "I", "Yi", "J", "Lj", "Nj", "C",
	"K", "I", "U", "Dz"
};

/* The Greek letter (with or without accents) c without its accent. */
static unsigned long
greek_base(unsigned long c)
{
	static const struct {
		unsigned long from, to;
	} acc[] = {
		{ 0x386, 0x391 }, { 0x388, 0x395 }, { 0x389, 0x397 },
		{ 0x38a, 0x399 }, { 0x38c, 0x39f }, { 0x38e, 0x3a5 },
		{ 0x38f, 0x3a9 }, { 0x390, 0x3b9 }, { 0x3aa, 0x399 },
		{ 0x3ab, 0x3a5 }, { 0x3ac, 0x3b1 }, { 0x3ad, 0x3b5 },
		{ 0x3ae, 0x3b7 }, { 0x3af, 0x3b9 }, { 0x3b0, 0x3c5 },
		{ 0x3c2, 0x3c3 }, { 0x3ca, 0x3b9 }, { 0x3cb, 0x3c5 },
		{ 0x3cc, 0x3bf }, { 0x3cd, 0x3c5 }, { 0x3ce, 0x3c9 },
	};
	size_t i;

	for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++)
		if (acc[i].from == c)
			return acc[i].to;
	return c;
}

/*
 * c in Latin letters into buf (lower case for a small letter), or NULL
 * when it is no Greek or Cyrillic letter.
 */
static const char *
translit(unsigned long c, char *buf, size_t len)
{
	const char *t = NULL;
	int lower = 0;
	size_t i;

	c = greek_base(c);
	if (c >= 0x3b1 && c <= 0x3c9) {
		c -= 0x20;
		lower = 1;
	}
	if (c >= 0x430 && c <= 0x44f) {
		c -= 0x20;
		lower = 1;
	} else if (c >= 0x450 && c <= 0x45f) {
		c -= 0x50;
		lower = 1;
	} else if (c == 0x491) {
		c = 0x490;
		lower = 1;
	}
	if (c >= 0x391 && c <= 0x3a9)
		t = greek_caps[c - 0x391];
	else if (c >= 0x410 && c <= 0x42f)
		t = cyr_caps[c - 0x410];
	else if (c >= 0x400 && c <= 0x40f)
		t = cyr_ext[c - 0x400];
	else if (c == 0x490)
		t = "G";
	if (t == NULL)
		return NULL;
	for (i = 0; t[i] != '\0' && i + 1 < len; i++)
		buf[i] = (char)(lower || i > 0 ? (t[i] >= 'A' && t[i] <= 'Z' ?
		    t[i] + ('a' - 'A') : t[i]) : t[i]);
	buf[i] = '\0';
	return buf;
}

/*
 * Latin-1 as it is; a run of characters outside it between square
 * brackets, Greek and Cyrillic letters transliterated, anything else
 * '?' ("\xce\xa9mega" -> "[O]mega").  Invalid UTF-8 is '?' unbracketed.
 */
size_t
cd_ps_latin1(const char *utf8, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = strlen(utf8), used = 0, len, tl;
	unsigned long c;
	unsigned char b;
	const char *t;
	char tb[8];
	int run = 0;

	if (outlen == 0)
		return 0;
	while (n > 0 && used + 1 + run < outlen) {
		if ((len = utf8_next(s, n, &c)) == 0) {
			len = 1;
			c = '?';
		}
		b = latin1_of(c);
		if (b != '?' || c < 0xa0) {	/* controls: a plain '?' */
			if (run)
				out[used++] = ']';
			run = 0;
			if (used + 1 >= outlen)
				break;
			out[used++] = (char)b;
		} else {
			if ((t = translit(c, tb, sizeof(tb))) == NULL)
				t = "?";
			tl = strlen(t) + (run ? 0 : 1);
			if (used + tl + 2 > outlen)
				break;
			if (!run)
				out[used++] = '[';
			memcpy(out + used, t, strlen(t));
			used += strlen(t);
			run = 1;
		}
		s += len;
		n -= len;
	}
	if (run)
		out[used++] = ']';
	out[used] = '\0';
	return used;
}

static double
glyph_width(int font, unsigned char ch)
{
	switch (font) {
	case CD_PS_BOLD:
		return helvetica_bold_widths[ch];
	case CD_PS_MONO:
	case CD_PS_MONO_BOLD:
		return 600;
	default:
		return helvetica_widths[ch];
	}
}

double
cd_ps_text_width(int font, const char *latin1, size_t len, double size)
{
	double w = 0;
	size_t i;

	for (i = 0; i < len; i++)
		w += glyph_width(font, (unsigned char)latin1[i]);
	return w * size / 1000.0;
}

/*
 * A PostScript string literal of s, escaped: ( ) \ and every byte outside
 * printable ASCII as \ooo; long strings are continued on the next line
 * with a backslash-newline so no line of the file gets too long.
 */
static void
put_string(struct cd_psbuf *b, const char *s, size_t len)
{
	unsigned char ch;
	size_t i, col = 1;
	char esc[8];

	cd_psbuf_add(b, "(", 1);
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch == '(' || ch == ')' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			cd_psbuf_add(b, esc, 2);
			col += 2;
		} else if (ch < 0x20 || ch > 0x7e) {
			snprintf(esc, sizeof(esc), "\\%03o", ch);
			cd_psbuf_add(b, esc, 4);
			col += 4;
		} else {
			cd_psbuf_add(b, s + i, 1);
			col++;
		}
		if (col >= WRAP_COL && i + 1 < len) {
			cd_psbuf_add(b, "\\\n", 2);
			col = 0;
		}
	}
	cd_psbuf_add(b, ")", 1);
	OPENSSL_cleanse(esc, sizeof(esc));
}

/*
 * Convert UTF-8 to a malloc'd Latin-1 copy with runs of white space
 * (spaces, tabs, newlines) made single spaces and trimmed; NULL when out
 * of memory.  Free with cd_wipe_free.
 */
static char *
to_latin1(const char *utf8, size_t *lenp)
{
	size_t n = strlen(utf8), i, j = 0, len;
	char *tmp, *out;

	/* "[Shch]" for a 2-byte letter: 3 bytes out for each one in. */
	if ((tmp = malloc(3 * n + 3)) == NULL)
		return NULL;
	len = cd_ps_latin1(utf8, tmp, 3 * n + 3);
	if ((out = malloc(len + 1)) == NULL) {
		cd_wipe_free(tmp, 3 * n + 3);
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (tmp[i] == ' ' || tmp[i] == '\n' || tmp[i] == '\r') {
			if (j > 0 && out[j - 1] != ' ')
				out[j++] = ' ';
		} else
			out[j++] = tmp[i];
	}
	while (j > 0 && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
	cd_wipe_free(tmp, 3 * n + 3);
	*lenp = j;
	return out;
}

/*
 * Length of the next line of s (single-spaced, no leading space) that fits
 * in width: whole words where possible, else as many characters of an
 * overlong word as fit (at least one).
 */
static size_t
wrap_line(const char *s, size_t len, int font, double size, double width)
{
	size_t end = 0, e;

	while (end < len) {
		e = end;
		if (e > 0)
			e++;		/* the space */
		while (e < len && s[e] != ' ')
			e++;
		if (cd_ps_text_width(font, s, e, size) > width)
			break;
		end = e;
	}
	if (end > 0)
		return end;
	/* One word wider than the line: break it, after a '/' if we can. */
	for (e = 1; e < len; e++)
		if (cd_ps_text_width(font, s, e + 1, size) > width)
			break;
	for (end = e; end > 1; end--)
		if (s[end - 1] == '/' || s[end - 1] == '\\')
			return end;
	return e;
}

/* Number of lines s wraps to in width. */
static int
count_lines(const char *s, size_t len, int font, double size, double width)
{
	size_t n;
	int lines = 0;

	while (len > 0) {
		n = wrap_line(s, len, font, size, width);
		s += n;
		len -= n;
		if (len > 0 && *s == ' ') {
			s++;
			len--;
		}
		lines++;
	}
	return lines;
}

/* ---- pages -------------------------------------------------------------- */

static void
end_page(struct cd_ps *ps)
{
	if (ps->page == 0)
		return;
	cd_psbuf_addf(&ps->body, "%d cdFoot\nrestore showpage\n%%%%PageTrailer\n",
	    ps->page);
}

static void
start_page(struct cd_ps *ps)
{
	end_page(ps);
	ps->page++;
	cd_psbuf_addf(&ps->body, "%%%%Page: %d %d\nsave\n", ps->page,
	    ps->page);
	ps->y = ps->ph - MARGIN_TOP;
	ps->content = 0;
	ps->gap = 0;
	ps->font = -1;
}

/*
 * Make room for h points: pay the gap owed by the last block, and start a
 * new page when the rest does not fit (unless the page is still empty).
 * Returns 1 if a new page was started.
 */
static int
need(struct cd_ps *ps, double h)
{
	if (ps->page == 0 || ps->brk) {
		ps->brk = 0;
		start_page(ps);
		return 1;
	}
	if (ps->content && ps->y - ps->gap - h < MARGIN_BOTTOM) {
		start_page(ps);
		return 1;
	}
	if (ps->content)
		ps->y -= ps->gap;
	ps->gap = 0;
	return 0;
}

static void
set_font(struct cd_ps *ps, int font, double size)
{
	if (ps->font == font && ps->size == size)
		return;
	cd_psbuf_addf(&ps->body, "/CD-%s %g selectfont\n", font_names[font],
	    size);
	ps->font = font;
	ps->size = size;
}

static void
show_at(struct cd_ps *ps, const char *s, size_t len, double x, double y)
{
	put_string(&ps->body, s, len);
	cd_psbuf_addf(&ps->body, " %.2f %.2f T\n", x, y);
	ps->content = 1;
}

/*
 * Draw text wrapped to width at x, one line per lead, from the cursor;
 * breakable: start new pages as needed (else the caller made room).
 */
static void
flow(struct cd_ps *ps, const char *s, size_t len, int font, double size,
    double lead, double x, double width, int breakable)
{
	size_t n;

	while (len > 0) {
		n = wrap_line(s, len, font, size, width);
		if (breakable)
			need(ps, lead);
		set_font(ps, font, size);
		show_at(ps, s, n, x, ps->y - size);
		ps->y -= lead;
		s += n;
		len -= n;
		if (len > 0 && *s == ' ') {
			s++;
			len--;
		}
	}
}

static double
text_width_avail(const struct cd_ps *ps)
{
	return ps->pw - 2 * MARGIN_X;
}

/* ---- blocks ------------------------------------------------------------- */

void
cd_ps_heading(struct cd_ps *ps, const char *text)
{
	size_t len;
	char *s;

	if ((s = to_latin1(text, &len)) == NULL) {
		ps->body.failed = 1;
		return;
	}
	/* Keep the heading with two lines of what follows. */
	need(ps, HEAD_LEAD + 2 * BODY_LEAD);
	flow(ps, s, len, CD_PS_BOLD, HEAD_SIZE, HEAD_LEAD, MARGIN_X,
	    text_width_avail(ps), 1);
	ps->gap = BLOCK_GAP;
	cd_wipe_free(s, len);
}

void
cd_ps_paragraph(struct cd_ps *ps, const char *text)
{
	size_t len;
	char *s;

	if ((s = to_latin1(text, &len)) == NULL) {
		ps->body.failed = 1;
		return;
	}
	if (len > 0) {
		flow(ps, s, len, CD_PS_REGULAR, BODY_SIZE, BODY_LEAD, MARGIN_X,
		    text_width_avail(ps), 1);
		ps->gap = BLOCK_GAP;
	}
	cd_wipe_free(s, len);
}

void
cd_ps_page_break(struct cd_ps *ps)
{
	if (ps->page > 0 && ps->content)
		ps->brk = 1;	/* taken when something is drawn */
}

/* ---- tables ------------------------------------------------------------- */

struct tcell {
	char *s;
	size_t len;
	int font;
	double size, lead;
};

/* Natural width of a cell: all on one line. */
static double
cell_width(const struct tcell *c)
{
	return cd_ps_text_width(c->font, c->s, c->len, c->size);
}

/*
 * Column widths: natural widths when they fit; else narrow columns keep
 * their natural width and the others share the rest in proportion to
 * theirs.
 */
static void
column_widths(const struct tcell *cells, int nrows, int ncols, double avail,
    double *w)
{
	double nat[CD_PS_MAXCOLS], sum = 0, rest, flexsum, cw;
	int fixed[CD_PS_MAXCOLS], r, c, changed, nflex;

	for (c = 0; c < ncols; c++) {
		nat[c] = 1;
		fixed[c] = 0;
		for (r = 0; r < nrows; r++) {
			cw = cell_width(&cells[r * ncols + c]);
			if (cw > nat[c])
				nat[c] = cw;
		}
		sum += nat[c];
	}
	if (sum <= avail) {
		memcpy(w, nat, sizeof(double) * (size_t)ncols);
		return;
	}
	rest = avail;
	nflex = ncols;
	do {
		changed = 0;
		for (c = 0; c < ncols; c++)
			if (!fixed[c] && nat[c] <= rest / nflex) {
				fixed[c] = 1;
				w[c] = nat[c];
				rest -= nat[c];
				nflex--;
				changed = 1;
			}
	} while (changed && nflex > 0);
	flexsum = 0;
	for (c = 0; c < ncols; c++)
		if (!fixed[c])
			flexsum += nat[c];
	for (c = 0; c < ncols; c++)
		if (!fixed[c])
			w[c] = rest * nat[c] / flexsum;
}

/* The largest point size in a row: the cells share its first baseline. */
static double
row_size(const struct tcell *row, int ncols)
{
	double most = 0;
	int c;

	for (c = 0; c < ncols; c++)
		if (row[c].len > 0 && row[c].size > most)
			most = row[c].size;
	return most;
}

static double
row_height(const struct tcell *row, int ncols, const double *w)
{
	double h, most = TABLE_LEAD, top = row_size(row, ncols);
	int c;

	for (c = 0; c < ncols; c++) {
		if (row[c].len == 0)
			continue;
		h = top - row[c].size + row[c].lead * count_lines(row[c].s,
		    row[c].len, row[c].font, row[c].size, w[c]);
		if (h > most)
			most = h;
	}
	return most + 2 * TABLE_PAD;
}

static void
rule(struct cd_ps *ps, double y)
{
	cd_psbuf_addf(&ps->body, "%.2f %.2f %.2f R\n", text_width_avail(ps),
	    MARGIN_X, y);
	ps->content = 1;
}

static void
draw_row(struct cd_ps *ps, const struct tcell *row, int ncols,
    const double *w, double h)
{
	double x = MARGIN_X, top = ps->y, size = row_size(row, ncols);
	int c;

	for (c = 0; c < ncols; c++) {
		ps->y = top - TABLE_PAD - (size - row[c].size);
		flow(ps, row[c].s, row[c].len, row[c].font, row[c].size,
		    row[c].lead, x, w[c], 0);
		x += w[c] + TABLE_GAP;
	}
	ps->y = top - h;
}

static void
draw_header(struct cd_ps *ps, const struct tcell *cells, int header_rows,
    int ncols, const double *w)
{
	int r;

	rule(ps, ps->y);
	for (r = 0; r < header_rows; r++)
		draw_row(ps, &cells[r * ncols], ncols, w,
		    row_height(&cells[r * ncols], ncols, w));
	rule(ps, ps->y);
}

static void
draw_table(struct cd_ps *ps, const struct tcell *cells, int nrows,
    int ncols, int header_rows)
{
	double w[CD_PS_MAXCOLS], avail, hh = 0, h;
	int r;

	avail = text_width_avail(ps) - TABLE_GAP * (ncols - 1);
	column_widths(cells, nrows, ncols, avail, w);
	if (header_rows >= nrows)
		header_rows = 0;
	if (header_rows > 0) {
		/* The header stays with the first row. */
		for (r = 0; r <= header_rows; r++)
			hh += row_height(&cells[r * ncols], ncols, w);
		need(ps, hh);
		draw_header(ps, cells, header_rows, ncols, w);
	}
	for (r = header_rows; r < nrows; r++) {
		h = row_height(&cells[r * ncols], ncols, w);
		if (need(ps, h) && header_rows > 0 && r > header_rows)
			draw_header(ps, cells, header_rows, ncols, w);
		draw_row(ps, &cells[r * ncols], ncols, w, h);
	}
	if (header_rows > 0)
		rule(ps, ps->y);
	ps->gap = BLOCK_GAP;
}

void
cd_ps_table(struct cd_ps *ps, int nrows, int ncols,
    const struct cd_ps_cell *cells, int header_rows)
{
	struct tcell *tc;
	int i, n;

	if (nrows <= 0 || ncols <= 0)
		return;
	if (ncols > CD_PS_MAXCOLS || (tc = calloc((size_t)nrows * ncols,
	    sizeof(*tc))) == NULL) {
		ps->body.failed = 1;
		return;
	}
	n = nrows * ncols;
	for (i = 0; i < n; i++) {
		tc[i].font = cells[i].font >= 0 && cells[i].font <
		    CD_PS__NFONTS ? cells[i].font : CD_PS_REGULAR;
		tc[i].size = cells[i].size > 0 && cells[i].size <= 36 ?
		    cells[i].size : TABLE_SIZE;
		tc[i].lead = tc[i].size * TABLE_LEAD / TABLE_SIZE;
		if ((tc[i].s = to_latin1(cells[i].text ? cells[i].text : "",
		    &tc[i].len)) == NULL) {
			ps->body.failed = 1;
			goto out;
		}
	}
	draw_table(ps, tc, nrows, ncols, header_rows);
out:
	for (i = 0; i < n; i++)
		cd_wipe_free(tc[i].s, tc[i].len);
	free(tc);
}

/* ---- document ----------------------------------------------------------- */

int
cd_ps_new(struct cd_ps **psp, const char *paper, const char *title,
    int64_t date, struct cd_err *err)
{
	struct cd_ps *ps;
	char *p;

	*psp = NULL;
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if (paper == NULL || paper[0] == '\0' || cd_strieq(paper, "A4")) {
		ps->media = "A4";
		ps->pw = 595;
		ps->ph = 842;
	} else if (cd_strieq(paper, "Letter")) {
		ps->media = "Letter";
		ps->pw = 612;
		ps->ph = 792;
	} else {
		free(ps);
		return cd_err_set(err, CD_E_CONFIG, "unknown paper size '%s' "
		    "(use A4 or Letter)", paper);
	}
	cd_strlcpy(ps->title, title ? title : "document", sizeof(ps->title));
	for (p = ps->title; *p != '\0'; p++)	/* a DSC text line */
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	ps->date = date ? date : (int64_t)time(NULL);
	ps->font = -1;
	*psp = ps;
	return 0;
}

void
cd_ps_free(struct cd_ps *ps)
{
	if (ps == NULL)
		return;
	cd_psbuf_wipe(&ps->body);
	cd_wipe_free(ps, sizeof(*ps));
}

static void
put_comments(struct cd_psbuf *b, const struct cd_ps *ps)
{
	char when[32];

	cd_time_iso(ps->date, when, sizeof(when));
	cd_psbuf_addf(b, "%%!PS-Adobe-3.0\n%%%%Title: %s\n"
	    "%%%%Creator: certdesk\n"
	    "%%%%CreationDate: %s\n"
	    "%%%%LanguageLevel: 2\n"
	    "%%%%DocumentData: Clean7Bit\n"
	    "%%%%Orientation: Portrait\n"
	    "%%%%Pages: %d\n"
	    "%%%%PageOrder: Ascend\n"
	    "%%%%BoundingBox: 0 0 %.0f %.0f\n"
	    "%%%%DocumentMedia: %s %.0f %.0f 0 () ()\n"
	    "%%%%DocumentNeededResources: font %s %s\n"
	    "%%%%+ font %s %s\n"
	    "%%%%EndComments\n", ps->title, when, ps->page, ps->pw, ps->ph, ps->media,
	    ps->pw, ps->ph, font_names[0], font_names[1], font_names[2],
	    font_names[3]);
}

static void
put_prolog(struct cd_psbuf *b, const struct cd_ps *ps)
{
	cd_psbuf_addf(b, "%%%%BeginProlog\n"
	    "%%%%BeginResource: procset certdesk-letter 1.0 0\n"
	    "/cdEnc ISOLatin1Encoding dup length array copy\n"
	    "  dup 8#200 /Euro put dup 8#047 /quotesingle put\n"
	    "  dup 8#055 /hyphen put dup 8#140 /grave put def\n"
	    "%% newname oldname cdFont -: a copy of oldname in cdEnc\n"
	    "/cdFont { findfont dup length dict begin\n"
	    "  { 1 index /FID ne { def } { pop pop } ifelse } forall\n"
	    "  /Encoding cdEnc def currentdict end definefont pop } bind def\n"
	    "%% string x y T -: show string at x y\n"
	    "/T { moveto show } bind def\n"
	    "%% width x y R -: a horizontal rule\n"
	    "/R { gsave 0.5 setlinewidth newpath moveto 0 rlineto stroke "
	    "grestore } bind def\n"
	    "/cdPages %d def\n"
	    "%% page cdFoot -: the page number, on documents of more pages\n"
	    "/cdFoot { cdPages 1 gt { /CD-Helvetica 8 selectfont\n"
	    "  %.2f %.2f moveto (Page ) show 12 string cvs show ( of ) show\n"
	    "  cdPages 12 string cvs show } { pop } ifelse } bind def\n"
	    "%%%%EndResource\n"
	    "%%%%EndProlog\n", ps->page, MARGIN_X, FOOT_Y);
}

static void
put_setup(struct cd_psbuf *b, const struct cd_ps *ps)
{
	int i;

	cd_psbuf_addf(b, "%%%%BeginSetup\n"
	    "%%%%BeginFeature: *PageSize %s\n"
	    "<< /PageSize [%.0f %.0f] >> setpagedevice\n"
	    "%%%%EndFeature\n", ps->media, ps->pw, ps->ph);
	for (i = 0; i < CD_PS__NFONTS; i++)
		cd_psbuf_addf(b, "%%%%IncludeResource: font %s\n"
		    "/CD-%s /%s cdFont\n", font_names[i], font_names[i],
		    font_names[i]);
	cd_psbuf_adds(b, "%%EndSetup\n");
}

int
cd_ps_finish(struct cd_ps *ps, char **out, size_t *outlen,
    struct cd_err *err)
{
	struct cd_psbuf doc = { 0 };
	int r = 0;

	*out = NULL;
	*outlen = 0;
	if (ps->page == 0)
		start_page(ps);
	end_page(ps);
	put_comments(&doc, ps);
	put_prolog(&doc, ps);
	put_setup(&doc, ps);
	if (!ps->body.failed)
		cd_psbuf_add(&doc, ps->body.p, ps->body.len);
	cd_psbuf_adds(&doc, "%%Trailer\n%%EOF\n");
	if (doc.failed || ps->body.failed) {
		cd_psbuf_wipe(&doc);
		r = cd_err_set(err, CD_E_NOMEM, "out of memory while "
		    "rendering a document");
	} else {
		*out = doc.p;
		*outlen = doc.len;
	}
	cd_ps_free(ps);
	return r;
}
