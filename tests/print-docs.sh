#!/bin/sh
# SPDX-License-Identifier: ISC
# print-docs.sh - transport documents and PIN mailers rendered from the
# shipped templates, checked with Ghostscript (syntax, text) and poppler
# (page size and count): awkward names, Latin-1 and the euro sign, long
# documents, and the password kept out of transport documents.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib/common.sh"

MKDOC=$top_builddir/tests/unit/mkdoc
TPL=$top_srcdir/etc/templates
PW='Kx7-Rq2m-Vz9p'

command -v gs >/dev/null 2>&1 || skip_all "gs not installed (ghostscript)"
[ -x "$MKDOC" ] || skip_all "tests/unit/mkdoc not built"
have_pdf=yes
for c in ps2pdf pdfinfo; do
	command -v $c >/dev/null 2>&1 || have_pdf=
done

gs_check() { gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=nullpage "$1" \
    >"$OUT" 2>"$ERR"; }
gs_text() { gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
    -sOutputFile=- "$1" 2>"$ERR"; }
# has FILE TEXT: the text of the PostScript file contains TEXT
has() { gs_text "$1" | grep -qF -- "$2"; }
pdf_info() { ps2pdf "$1" "$T/x.pdf" 2>"$ERR" && pdfinfo "$T/x.pdf" 2>"$ERR"; }

NAME='Zoë O'"'"'Brien-Müller (Jr.) \ Back\Slash'
LONG='Maximiliane Alexandrina Konstantina Wilhelmina Friederike Auguste von Hohenzollern-Sigmaringen-Schwarzburg-Rudolstadt'

# ---- transport document ------------------------------------------------
run "$MKDOC" -n "$NAME" -O 'Café Grün & Co (Europe) – 10 € fee' \
    -f 'Signing|O'"'"'Brien (1).pfx|C:\Users\obrien\certs|0af3c2' \
    -f "Encryption|$LONG.pfx|/media/usb0/a/very/long/directory/path/that/goes/on/and/on|1b2c3d4e5f6071829304a5b6c7d8e9f0a1b2c3d4" \
    transport "$TPL/transport.txt" A4 "$T/t.ps"
expect_rc 0 "transport document rendered"
check "transport document: Ghostscript finds no error" gs_check "$T/t.ps"
check "name with parentheses and backslash" has "$T/t.ps" "$NAME"
check "Latin-1 letters" has "$T/t.ps" 'Café Grün'
check "euro sign and dash" has "$T/t.ps" '- 10 € fee'
check "file name with parentheses" has "$T/t.ps" "O'Brien (1).pfx"
check "Windows path with backslashes" has "$T/t.ps" 'C:\Users\obrien\certs'
check "long file name wrapped, its words all there" \
    sh -c "$(cat <<'EOF'
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- "$1" |
    tr -s ' \n' '  ' | grep -qF 'Hohenzollern-Sigmaringen'
EOF
)" sh "$T/t.ps"
check "no line of the file is longer than 255 bytes" \
    sh -c '! awk "length > 255 { bad = 1 } END { exit !bad }" "$1"' sh "$T/t.ps"
check "DSC: %%Pages, %%EOF, one %%Page" sh -c \
    'grep -qx "%%Pages: 1" "$1" && tail -n 1 "$1" | grep -qx "%%EOF" &&
     [ "$(grep -c "^%%Page: " "$1")" -eq 1 ]' sh "$T/t.ps"
check "saved with mode 0600" sh -c '[ "$(stat -c %a "$1")" = 600 ]' sh \
    "$T/t.ps"

if [ -n "$have_pdf" ]; then
	check "A4: 595 x 842 points" sh -c "$(cat <<'EOF'
ps2pdf "$1" "$2" && pdfinfo "$2" | grep -q 'Page size: *595 x 842 pts'
EOF
)" sh "$T/t.ps" "$T/t.pdf"
	check "one page" sh -c 'pdfinfo "$1" | grep -q "^Pages: *1$"' sh \
	    "$T/t.pdf"
	check "neutral title" sh -c \
	    'pdfinfo "$1" | grep -q "^Title: *certdesk transport document$"' \
	    sh "$T/t.pdf"
else
	skip_n 3 "A4 page size, page count and title (PDF)" \
	    "ps2pdf or pdfinfo not installed (ghostscript, poppler-utils)"
fi

# ---- Letter, and a long document -------------------------------------------
# ---- outside Latin-1: Greek and Cyrillic transliterated in brackets ----
run "$MKDOC" -n 'Ωmega Άθηνα Юрий Гагарин 日本' -O 'Щука Ltd' \
    transport "$TPL/transport.txt" A4 "$T/greek.ps"
expect_rc 0 "a document for a Greek and Cyrillic name rendered"
check "Greek and Cyrillic: Ghostscript finds no error" gs_check "$T/greek.ps"
check "Greek and Cyrillic letters printed in Latin letters, marked" \
    has "$T/greek.ps" '[O]mega [Athina] [Yurij] [Gagarin] [??]'
check "... a capital's transliteration in capital and small letters" \
    has "$T/greek.ps" '[Shchuka] Ltd'
check "no bare '?' for a Greek letter" sh -c '! gs -q -dSAFER -dBATCH \
    -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- "$1" | grep -q "?mega"' \
    sh "$T/greek.ps"

run "$MKDOC" -N 45 transport "$TPL/transport.txt" Letter "$T/long.ps"
expect_rc 0 "long transport document rendered on Letter"
check "long document: Ghostscript finds no error" gs_check "$T/long.ps"
pages=$(sed -n 's/^%%Pages: //p' "$T/long.ps")
check "long document has more than one page ($pages)" [ "${pages:-0}" -ge 2 ]
check "the files table goes on, header repeated" sh -c \
    '[ "$(grep -c "^(Serial number)" "$1")" -eq "$2" ]' sh "$T/long.ps" \
    "$pages"
check "every row is there" has "$T/long.ps" 'susan.smith Policy 45.pfx'
check "pages are numbered" has "$T/long.ps" "Page 2 of $pages"
if [ -n "$have_pdf" ]; then
	check "Letter: 612 x 792 points" sh -c "$(cat <<'EOF'
ps2pdf "$1" "$2" && pdfinfo "$2" | grep -q 'Page size: *612 x 792 pts'
EOF
)" sh "$T/long.ps" "$T/long.pdf"
	check "pdfinfo counts the same pages" sh -c \
	    'pdfinfo "$1" | grep -q "^Pages: *$2$"' sh "$T/long.pdf" "$pages"
else
	skip_n 2 "Letter page size and page count (PDF)" \
	    "ps2pdf or pdfinfo not installed (ghostscript, poppler-utils)"
fi

# ---- PIN mailer ----------------------------------------------------------------
run "$MKDOC" -n "$NAME" -p "$PW" pin-mailer "$TPL/pin-mailer.txt" A4 \
    "$T/pin.ps"
expect_rc 0 "PIN mailer rendered"
check "PIN mailer: Ghostscript finds no error" gs_check "$T/pin.ps"
check "PIN mailer shows the password" has "$T/pin.ps" "$PW"
check "and the destroy note" has "$T/pin.ps" "Destroy this letter"
sed -n "1,/^%%EndComments/p" "$T/pin.ps" >"$T/pin.dsc"
check "its DSC comments do not" never_contains "$PW" "$T/pin.dsc"
if [ -n "$have_pdf" ]; then
	check "PIN mailer title is neutral" sh -c "$(cat <<'EOF'
ps2pdf "$1" "$2" && pdfinfo "$2" | grep -q '^Title: *certdesk letter$'
EOF
)" sh "$T/pin.ps" "$T/pin.pdf"
else
	skip "PIN mailer title is neutral (PDF)" \
	    "ps2pdf or pdfinfo not installed (ghostscript, poppler-utils)"
fi
run "$MKDOC" pin-mailer "$TPL/pin-mailer.txt" A4 "$T/nopw.ps"
expect_rc 1 "a PIN mailer without a password is refused"
expect_err "needs a password" "saying why"

# ---- the password never reaches a transport document ---------------------------
sed 's/^\[\[Files\]\]$/[[Files]]\n\nYour password: [[Password]]/' \
    "$TPL/transport.txt" >"$T/evil.txt"
check "test template really asks for the password" \
    grep -qF '[[Password]]' "$T/evil.txt"
run "$MKDOC" -p "$PW" transport "$T/evil.txt" A4 "$T/evil.ps"
expect_rc 1 "transport template with [[Password]] refused"
expect_err "evil.txt:[0-9]+: a transport document must not contain the password" \
    "naming the line"
check "no document was written" [ ! -e "$T/evil.ps" ]
run "$MKDOC" transport "$T/evil.txt" A4 "$T/evil.ps"
expect_rc 1 "refused without a password too"
run "$MKDOC" -p "$PW" transport "$TPL/transport.txt" A4 "$T/pw.ps"
expect_rc 1 "a transport document is never given the password"
check "the refused transport document was not written" test ! -e "$T/pw.ps"
check "no transport document holds the password" \
    never_contains "$PW" "$T/t.ps" "$T/long.ps"

# ---- bad input -----------------------------------------------------------------
printf 'Hello [[People.Nickname]]\n' >"$T/bad.txt"
run "$MKDOC" transport "$T/bad.txt" A4 "$T/bad.ps"
expect_rc 1 "unknown merge field refused"
expect_err "bad.txt:1: unknown merge field \[\[People.Nickname\]\]" \
    "with its line"
run "$MKDOC" transport "$TPL/transport.txt" A3 "$T/a3.ps"
expect_rc 1 "unknown paper size refused"

done_testing
